"""LaTeX output, the report document, Jupyter reprs and progress bars (exactmin.report).

The compile tests run a real pdflatex and read the PDF back with pdftotext. They SKIP when either is missing,
unless EXACTMIN_REQUIRE_PDFLATEX=1 (CI), in which case they FAIL.
"""
import io
import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.cli import main
from exactmin.data.bundled import bundled
from exactmin.report import latex as L
from exactmin.report.progress import Progress

HOSTILE = "a_b%$\\input{/etc/passwd}"


def _need_tex():
    missing = [t for t in ("pdflatex", "pdftotext") if shutil.which(t) is None]
    if missing:
        if os.environ.get("EXACTMIN_REQUIRE_PDFLATEX") == "1":
            pytest.fail(f"EXACTMIN_REQUIRE_PDFLATEX=1 but {', '.join(missing)} not found")
        pytest.skip(f"{', '.join(missing)} not installed")


def _pdftext(pdf: Path, layout: bool = True) -> str:
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _value(m: int, e: int) -> Fraction:
    return Fraction(m) * Fraction(10) ** e


def _parse_tex_decimal(s: str) -> Fraction:
    """Inverse of tex_decimal (without dots): '-1.25\\times 10^{-7}' -> Fraction."""
    m = re.fullmatch(r"(-?[\d.]+)(?:\\times 10\^\{(-?\d+)\})?", s)
    assert m, s
    return Fraction(m.group(1)) * Fraction(10) ** int(m.group(2) or 0)


rationals = st.fractions(min_value=Fraction(-10**30), max_value=Fraction(10**30), max_denominator=10**25)


# ------------------------------------------------------------------------------------------- numbers

@settings(max_examples=300, deadline=None)
@given(rationals, rationals, st.one_of(st.none(), st.integers(1, 25)))
def test_outward_rounding_contains_the_enclosure(a, b, sig):
    lo, hi = min(a, b), max(a, b)
    (ml, el), (mh, eh) = L.outward(str(lo), str(hi), sig)
    dlo, dhi = _value(ml, el), _value(mh, eh)
    assert dlo <= lo and dhi >= hi                              # exactly, in rationals
    assert lo - dlo < Fraction(10) ** el and dhi - hi < Fraction(10) ** eh   # by less than one unit each
    tex = L.tex_enclosure(str(lo), str(hi), sig)
    inner = re.fullmatch(r"\\left\[(.*),\\ (.*)\\right\]", tex)
    assert _parse_tex_decimal(inner.group(1)) == dlo and _parse_tex_decimal(inner.group(2)) == dhi


@settings(max_examples=200, deadline=None)
@given(rationals.filter(lambda x: x != 0), st.integers(1, 30))
def test_truncation_keeps_true_digits(x, sig):
    m, e = L.round_sig(x.numerator, x.denominator, sig, "trunc")
    t = _value(m, e)
    assert abs(t) <= abs(x) < abs(t) + Fraction(10) ** e and (t == 0 or (t > 0) == (x > 0))
    assert len(str(abs(m))) == sig or t == x
    down, up = L.round_sig(x.numerator, x.denominator, sig, "down"), L.round_sig(x.numerator, x.denominator, sig, "up")
    assert _value(*down) <= x <= _value(*up)


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=0, max_value=10**40, max_denominator=10**40))
def test_sqrt_bounds_enclose_the_root(x):
    (ml, el), (mh, eh) = L.sqrt_bounds(x.numerator, x.denominator)
    assert _value(ml, el) ** 2 <= x <= _value(mh, eh) ** 2


def test_exact_values_print_as_fractions_and_radicals():
    assert L.tex_rational("-3/4") == r"-\frac{3}{4}"
    assert L.tex_rational("7") == "7"
    assert L.tex_value("delta_squared", "1/80") == r"\frac{1}{80} = \Bigl(\frac{\sqrt{5}}{20}\Bigr)^{2}"
    assert L.tex_value("x_sq", "9/4") == r"\frac{9}{4} = \Bigl(\frac{3}{2}\Bigr)^{2}"
    assert L.tex_value("margin", "9/4") == r"\frac{9}{4}"            # not recorded as a square: no root
    assert L.tex_matrix([["1/2", "-3"], ["0", "5/7"]]) == \
        r"\begin{bmatrix} \frac{1}{2} & -3 \\ 0 & \frac{5}{7} \end{bmatrix}"


def test_huge_values_are_truncated_with_a_note():
    p = "7" * 100_000                                    # a 10^5-digit numerator (beyond int()'s default limit)
    tex = L.tex_rational(f"{p}/3", note=True)
    assert len(tex) < 200 and r"\ldots" in tex and "100000/1" in tex
    assert tex.startswith(r"2.59259259259259\ldots\times 10^{99999}")
    assert L.tex_rational("1/8" + "0" * 30) .startswith(r"1.25\times 10^{-31}")   # exact: no \ldots
    assert len(L.value_cell("cost_squared", f"{p}/{p}1")) < 400


# -------------------------------------------------------------------------------------------- escaping

def test_hostile_text_is_escaped():
    t = L.tex_text(HOSTILE + "\n~^&#<>|\"µ≤\x00")
    assert t.startswith(r"a\_b\%\$\textbackslash{}input\{/etc/passwd\}")
    assert "\n" not in t and "\x00" not in t
    assert r"\textasciitilde{}\textasciicircum{}\&\#\ensuremath{<}\ensuremath{>}\ensuremath{|}''" in t
    assert r"\ensuremath{\mu}\ensuremath{\le}" in t
    assert L.tex_comment("x\ny%") == "x?y%" and L.tex_text("1" * 40) == "111111111111...[40 digits]"


def _hostile_instance(tmp_path) -> Path:
    doc = json.loads(bundled("deep_q2").read_text())
    doc["name"] = HOSTILE
    p = tmp_path / "hostile.json"
    p.write_text(json.dumps(doc))
    return p


def test_latex_fragment_compiles_in_a_minimal_document(tmp_path):
    _need_tex()
    frag = tmp_path / "frag.tex"
    assert main(["check", "deep.thm2.4", "deep.eq4.30", "shallow.relative-error", "--instance",
                 str(_hostile_instance(tmp_path)), "--latex", str(frag), "-q"]) == 1
    text = frag.read_text()
    first = text.splitlines()[0]
    assert first.startswith("%") and "amsmath" in first and "longtable" in first
    pkgs = re.search(r"\\usepackage\{([^}]*)\}", first).group(1)
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\usepackage{" + pkgs + "}\n"
                                      "\\begin{document}\n\\input{frag}\n\\end{document}\n")
    p = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout[-2000:]
    out = _pdftext(tmp_path / "doc.pdf", layout=False)
    flat = re.sub(r"\s+", "", out)          # long names break across lines (pdftotext drops a line-end hyphen)
    assert "deep.thm2.4" in flat and "refuted" in flat and re.search("free-output-?bias", flat) and "8/2033" in flat
    assert re.search(r"\[-?\d+\.\d+,-?\d+\.\d+\]", flat)         # an enclosure with decimal endpoints


def test_report_compiles_and_lists_every_verdict(tmp_path, capsys):
    _need_tex()
    tex = tmp_path / "R.tex"
    assert main(["report", "--instance", "deep_q2", "-o", str(tex), "--pdf", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    pdf = tmp_path / "R.pdf"
    assert tex.exists() and pdf.exists() and pdf.stat().st_size > 10_000
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    body = tex.read_text()
    inst = __import__("exactmin.data.io", fromlist=["load_instance"]).load_instance(bundled("deep_q2"))
    assert inst.sha256 in body
    text = _pdftext(pdf)
    lines = text.splitlines()
    from exactmin.claims import base
    assert sorted(c["id"] for c in info["claims"]) == sorted(base.load_all())    # every claim is in the report
    assert {c["id"]: c["verdict"] for c in info["claims"]}["deep.thm2.4"] == "refuted"
    for c in info["claims"]:                       # one table row per claim: the id and its verdict on a line
        row = [ln for ln in lines if re.match(r"\s*" + re.escape(c["id"]) + r"\s", ln) and c["verdict"] in ln]
        assert row, c
    assert info["pdf"] == str(pdf) and all(Path(f).exists() for f in info["figures"])
    assert "Findings about the papers" in text and "8/2033" in text       # deep Thm 2.4: the free-bias minimum
    assert "python-flint" in text and inst.sha256 in text.replace("\n", "")


def test_report_of_a_hostile_name_compiles(tmp_path, monkeypatch):
    _need_tex()
    monkeypatch.setitem(sys.modules, "exactmin.report.figures", None)
    tex = tmp_path / "h.tex"
    assert main(["report", "--instance", str(_hostile_instance(tmp_path)), "-o", str(tex), "--pdf", "-q",
                 "--claims", "deep.hypotheses", "deep.thm2.4"]) == 0
    text = _pdftext(tmp_path / "h.pdf", layout=False)
    assert "a_b%$\\input{/etc/passwd}" in text.replace("\n", "")


def test_pdf_failure_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    _need_tex()
    from exactmin.report import document
    monkeypatch.setitem(sys.modules, "exactmin.report.figures", None)
    monkeypatch.setattr(document, "render", lambda rep, versions: "\\documentclass{article}\\begin{document}"
                        "\\undefinedmacro\\end{document}\n")
    tex = tmp_path / "R.tex"
    assert main(["report", "--instance", "deep_q2", "-o", str(tex), "--pdf", "--claims", "deep.hypotheses"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pdflatex failed" in err[0] and "Undefined control sequence" in err[0]
    assert list(tmp_path.iterdir()) == []


def test_missing_pdflatex_is_exit_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    tex = tmp_path / "R.tex"
    assert main(["report", "--instance", "deep_q2", "-o", str(tex), "--pdf", "--claims", "deep.hypotheses"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pdflatex not found" in err[0]
    assert not tex.exists() and not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.png"))


def test_report_without_figures_says_so(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "exactmin.report.figures", None)       # the module is absent
    tex = tmp_path / "R.tex"
    assert main(["report", "--instance", "shallow_q2_m2", "-o", str(tex), "-q", "--claims", "shallow.thm3.2"]) == 0
    body = tex.read_text()
    assert "No figure for this instance" in body and "includegraphics" not in body
    assert "\\section{Findings about the papers}" in body and "find:shallow-thm3-2" in body


def test_report_rejects_bad_output(tmp_path, capsys):
    assert main(["report", "--instance", "deep_q2", "-o", str(tmp_path / "R.pdf")]) == 2
    assert main(["report", "--instance", "deep_q2", "-o", str(tmp_path / "nodir" / "R.tex")]) == 2
    assert main(["report", "--instance", "deep_q2", "-o", str(tmp_path / "R.tex"), "--claims", "nope.*"]) == 2
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------- reprs

def test_jupyter_reprs_escape_their_input():
    from exactmin.claims import base
    from exactmin.data.io import load_instance
    inst = load_instance(bundled("deep_q2")).with_name("<script>alert(1)</script> " + HOSTILE)
    h = inst._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h and inst.sha256 in h
    tex = inst._repr_latex_()
    assert "\\input{" not in tex and "\\begin{bmatrix}" in tex and r"\frac{1}{2}" in tex
    cert = base.get("deep.thm2.4").check(inst)
    cert.instance_name = inst.name
    ch = cert._repr_html_()
    assert "<script>" not in ch and "refuted" in ch and "free-output-bias" in ch and "8/2033" in ch
    assert "\\textbf{refuted}" in cert._repr_latex_()
    v = cert.verdict
    assert v == "refuted" and json.dumps(v) == '"refuted"' and "refuted</span>" in v._repr_html_()
    r = cert.reading("free-output-bias")
    assert r == "refuted" and "8/2033" in r._repr_latex_() and "8/2033" in r._repr_html_()


# ------------------------------------------------------------------------------------------- progress

class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_draws_only_on_a_terminal():
    tty = _TTY()
    with Progress(3, stream=tty, min_interval=0) as bar:
        for k in range(3):
            bar.step(f"item {k}")
    out = tty.getvalue()
    assert "[" in out and "1/3" in out and "item 2" in out and out.endswith("\r")
    pipe = io.StringIO()
    with Progress(3, stream=pipe) as bar:
        bar.step("x")
    assert pipe.getvalue() == ""
    quiet = _TTY()
    with Progress(3, stream=quiet, enabled=False) as bar:
        bar.step("x")
    assert quiet.getvalue() == ""


def test_check_quiet_and_json_print_no_progress(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _TTY())
    assert main(["check", "deep.hypotheses", "deep.eq2.66", "--instance", "deep_q2", "-q"]) == 0
    assert sys.stderr.getvalue() == ""
    assert main(["check", "deep.hypotheses", "deep.eq2.66", "--instance", "deep_q2", "--json"]) == 0
    assert sys.stderr.getvalue() == ""
    assert json.loads(capsys.readouterr().out)[0]["claim"] == "deep.hypotheses"
    assert main(["check", "deep.hypotheses", "deep.eq2.66", "--instance", "deep_q2", "--jobs", "1"]) == 0
    assert "0/2  deep.hypotheses" in sys.stderr.getvalue()
    # two processes finish in either order: the bar counts finished claims and names the one that finished
    sys.stderr.seek(0)
    sys.stderr.truncate(0)
    assert main(["check", "deep.hypotheses", "deep.eq2.66", "--instance", "deep_q2", "--jobs", "2"]) == 0
    assert re.search(r"1/2  deep\.(hypotheses|eq2\.66) done", sys.stderr.getvalue())


def test_report_options_reach_the_claims_and_typos_are_refused(tmp_path, capsys):
    """`report --option` passes each claim the keys it declares (same verdicts as `check --option`); an unknown
    key is exit 2 with one line before any work, and nothing is written."""
    from exactmin.claims import base
    from exactmin.data.io import load_instance
    inst = load_instance(bundled("flow_o1"))
    out = tmp_path / "r.tex"
    rc = main(["report", "--instance", "flow_o1", "-o", str(out), "--claims", "flow.rank-condition",
               "flow.exp-rate", "--option", "seed=7", "--option", "kappa=1/3", "--json"])
    assert rc == 0
    info = json.loads(capsys.readouterr().out)
    for row in info["claims"]:
        want = base.get(row["id"]).check(inst, seed=7, kappa="1/3").verdict
        assert row["verdict"] == want
    assert "seed=7" in out.read_text()
    bad = tmp_path / "bad.tex"
    assert main(["report", "--instance", "flow_o1", "-o", str(bad), "--option", "sede=7"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sede" in err[0]
    assert not bad.exists() and not list(tmp_path.glob("bad*"))


# ------------------------------------------------------------------------------------------- prose (reasons)

def test_prose_typesets_the_ascii_math_of_reasons():
    t = L.tex_prose("c0^2 = delta^2/min|xbar_j - xbar|^2 <= 1/16, W^(l) c_j + b^(l) >= 0, e^(-2 kappa s), T_eps")
    for want in (r"\ensuremath{\delta}\textsuperscript{2}", r"\ensuremath{\bar{x}}\textsubscript{j}", r"\ensuremath{\le}",
                 r"W\textsuperscript{(l)}", r"\ensuremath{\ge}", r"e\textsuperscript{-2 \ensuremath{\kappa} s}",
                 r"T\textsubscript{\ensuremath{\varepsilon}}"):
        assert want in t, want
    assert "^" not in t and "<=" not in t and ">=" not in t
    # identifiers are not mangled: a long word with underscores stays text
    assert L.tex_prose("mu_admissible_hi") == r"mu\_admissible\_hi"


_SPECIAL = re.compile(r"(?<!\\)[%$&#~]|(?<!\\)\^|(?<![\\{])_(?![^{]*\})")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ax_^(){}[]<=>!-%$&#~\\ 0129,.|") + ["kappa", "xbar", "mu", "delta"]),
                max_size=40).map("".join))
def test_prose_escapes_every_special_character(s):
    """Whatever the input, the output has no unescaped LaTeX special character: every %, $, &, #, ~, ^ and every
    brace or backslash of the input is escaped; only the fixed templates add commands."""
    t = L.tex_prose(s)
    stripped = re.sub(r"\\(ensuremath|textsuperscript|textsubscript|textbackslash|textasciicircum|textasciitilde|"
                      r"bar|le|ge|ne|to|Rightarrow|Leftrightarrow|varepsilon|kappa|mu|delta)(?![a-zA-Z])"
                      r"|\\[%$&#_{}]", "", t)       # only the templates' own commands; any other backslash fails
    assert not re.search(r"[%$&#~^\\]", stripped), (s, t)


def test_prose_of_hostile_text_compiles(tmp_path):
    if shutil.which("pdflatex") is None:
        if os.environ.get("EXACTMIN_REQUIRE_PDFLATEX"):
            raise AssertionError("pdflatex missing")
        pytest.skip("pdflatex not installed")
    body = L.tex_prose(HOSTILE + " x_{a} ^{b} <=> kappa_eps ^( %$ ) xbar_0,j ~# \\ {}")
    (tmp_path / "p.tex").write_text("\\documentclass{article}\\begin{document}" + body + "\\end{document}\n")
    r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "p.tex"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:]


def test_figure_captions_say_what_is_drawn():
    """Report figures get real captions (what the panel shows, which instance, that it is a float drawing), not
    file names."""
    from exactmin.data.io import load_instance
    from exactmin.report.document import figure_caption
    inst = load_instance(bundled("deep_q3"))
    for stem, want in (("R_fig_clusters", r"C_{\theta_*}[f_j]"), ("R_fig_layer1", "Class 1 is collapsed"),
                       ("R_fig_layer3", r"Classes $1,\dots,3$"), ("x_fig_flow", r"e^{-2\kappa s}C(0)")):
        cap = figure_caption(stem, inst)
        assert want in cap and "floating-point drawing" in cap and "R_fig" not in cap and "deep\\char95" in cap


@pytest.mark.parametrize("name", ["deep_q3", "flow_o1"])
def test_report_has_no_overfull_boxes_and_no_ascii_math(tmp_path, name):
    """The report reads as an appendix: compiled twice, its log has no overfull box (tables fit the page), and the
    text carries no ASCII math (^2, <=, >=, Python reprs) in reasons, options or hypotheses."""
    _need_tex()
    tex = tmp_path / "R.tex"
    assert main(["report", "--instance", name, "-o", str(tex), "-q"]) == 0
    for _ in range(2):
        r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "R.tex"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout[-1500:]
    log = (tmp_path / "R.log").read_text(errors="replace")
    assert log.count("Overfull \\hbox") == 0, [ln for ln in log.splitlines() if "Overfull" in ln][:5]
    text = _pdftext(tmp_path / "R.pdf")
    for bad in ("<=", ">=", "None", "['", "= ,"):
        assert bad not in text, (bad, text[max(0, text.find(bad) - 80):text.find(bad) + 80])
