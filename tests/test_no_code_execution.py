"""Untrusted input never executes: no eval/exec, no sympify/parse_expr, no pickle anywhere in the package."""
import ast
from pathlib import Path

import exactmin

PKG = Path(exactmin.__file__).parent
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__", "sympify", "parse_expr"}  # bare-name calls
FORBIDDEN_ATTRS = {"eval", "sympify", "parse_expr", "loads_pickle"}                  # obj.attr(...) calls
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve"}


def _sources():
    files = sorted(PKG.rglob("*.py"))
    assert len(files) > 10
    return files


def test_no_eval_or_sympify_calls():
    for f in _sources():
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Call):
                fn = node.func
                if isinstance(fn, ast.Name):
                    assert fn.id not in FORBIDDEN_BUILTINS, f"{f}:{node.lineno} calls {fn.id}"
                elif isinstance(fn, ast.Attribute):
                    assert fn.attr not in FORBIDDEN_ATTRS, f"{f}:{node.lineno} calls .{fn.attr}"


def test_no_pickle_and_no_allow_pickle():
    for f in _sources():
        text = f.read_text()
        assert "allow_pickle=True" not in text, f
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & FORBIDDEN_MODULES, f
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f
