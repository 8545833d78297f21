"""The kernel: independence from exactmin, acceptance of genuine certificates, rejection of altered ones."""
import ast
import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from _certs import mutated, numeric_leaves

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance

KERNEL = Path(kernel.__file__).parent      # the kernel package
DEEP = ["deep.hypotheses", "deep.prop2.2", "deep.eq2.66", "deep.lemma4.1", "deep.lemma5.1", "deep.thm2.3"]


def _cert(claim_id, name="deep_q2", **opts):
    inst = load_instance(bundled(name))
    return base.get(claim_id).check(inst, **opts).to_json(), bundled(name)


def test_kernel_imports_only_the_standard_library():
    files = sorted(KERNEL.glob("*.py"))
    assert {f.name for f in files} >= {"__init__.py", "core.py", "deep.py"}
    siblings = {f.stem for f in files}
    mods = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    # only the kernel's own modules, never exactmin's library
                    assert node.level == 1, f"{f.name}: import from outside the kernel package"
                    assert (node.module or "").split(".")[0] in siblings | {""}, (f.name, node.module)
                    if not node.module:
                        assert {a.name for a in node.names} <= siblings, (f.name, node.names)
                    continue
                mods.add(node.module.split(".")[0])
    # (random left with the flow checker: flow.* is on the obligation kernel, which binds no seeded start)
    allowed = {"__future__", "array", "csv", "hashlib", "io", "itertools", "json", "math", "re", "sys", "zipfile",
               "fractions",
               "exactmin_kernel"}   # instance.py aliases the shared reader; exactmin_kernel is stdlib-only itself
               # (tests/test_obligation_kernel.py::test_kernel_package_is_stdlib_only)
    assert mods <= allowed, mods - allowed


def test_kernel_hash_matches_library_hash():
    for name in ("deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"):
        assert kernel.load_instance(bundled(name)).sha256() == load_instance(bundled(name)).sha256


@pytest.mark.parametrize("claim_id", DEEP)
def test_genuine_certificates_are_valid(claim_id):
    doc, path = _cert(claim_id)
    ok, why = kernel.verify(doc, path)
    assert ok, why


# points of an existential statement (deep.thm2.3: a mu in I_0, a box covering I_0^Q, points of I_0^Q): a nearby
# point is often another valid witness, so these are tested by forgeries (tests/test_thm23_paper.py) instead
EXISTENTIAL = [["witness", k] for k in ("mu_I0", "pair", "box_s", "gl_s", "merge_s", "merge_set")]


@pytest.mark.parametrize("claim_id", ["deep.thm2.3", "deep.hypotheses"])
def test_every_single_number_change_is_rejected(claim_id):
    """Every value of these certificates is re-derived exactly, so any change of any number must fail."""
    doc, path = _cert(claim_id)
    leaves = numeric_leaves(doc)
    assert len(leaves) > 5
    for leaf in leaves:
        if leaf[:2] in EXISTENTIAL:
            continue
        for delta in (Fraction(1, 7), Fraction(-1, 10**9)):
            ok, why = kernel.verify(mutated(doc, leaf, delta), path)
            assert not ok, f"kernel accepted {leaf} changed by {delta}"


def test_lemma_certificate_with_a_false_norm_bound_is_rejected():
    """omega is an upper bound, so it may move up or down as long as it stays a bound; below ||W|| it must fail."""
    doc, path = _cert("deep.lemma4.1")
    omega = Fraction(doc["values"]["opnorm_upper"])
    ok, why = kernel.verify(mutated(doc, ["values", "opnorm_upper"], -omega / 2), path)
    assert not ok and "opnorm" in why
    for leaf in numeric_leaves(doc):
        if leaf[-1] != "opnorm_upper" and leaf[0] != "enclosures":
            assert not kernel.verify(mutated(doc, leaf, Fraction(1, 7)), path)[0], leaf


def test_thm23_certificate_rejections_name_the_problem():
    doc, path = _cert("deep.thm2.3")
    ok, why = kernel.verify(mutated(doc, ["values", "cost_squared"], Fraction(1)), path)
    assert not ok and "cost_squared" in why
    bad = copy.deepcopy(doc)
    bad["readings"]["L=Q"]["verdict"] = "refuted"
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    bad["verdict"] = "undecided"
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    bad["instance_sha256"] = "0" * 64
    ok, why = kernel.verify(bad, path)
    assert not ok and "hash" in why
    bad = copy.deepcopy(doc)
    del bad["witness"]["R"]
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    bad["surprise"] = 1
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    bad["claim"] = "deep.hypotheses"
    assert not kernel.verify(bad, path)[0]


def test_certificate_for_another_instance_is_rejected():
    doc, _ = _cert("deep.thm2.3", "deep_q2")
    ok, why = kernel.verify(doc, bundled("deep_q3"))
    assert not ok and "hash" in why


def test_hypotheses_fail_certificate_is_valid_and_carries_the_margin():
    doc, path = _cert("deep.thm2.3", "deep_q2_violates_2_14")
    assert doc["verdict"] == "hypotheses-fail"
    assert Fraction(doc["values"]["margin_2_14"]) < 0
    assert kernel.verify(doc, path)[0]
    # claiming the failing instance was proved must not verify
    bad = copy.deepcopy(doc)
    for r in bad["readings"].values():
        r["verdict"] = "proved"
    bad["verdict"] = "proved"
    assert not kernel.verify(bad, path)[0]


@pytest.mark.parametrize("Q,seed", [(2, 11), (3, 12), (4, 13), (5, 14)])
def test_generated_instances_give_zero_cost_and_valid_certificates(tmp_path, Q, seed):
    """Regression: instances we did not hand-write (generator, several Q) are proved with cost exactly 0."""
    inst = generate_deep(Q, 5, seed)
    p = tmp_path / "g.json"
    p.write_text(json.dumps(inst.to_json_dict()))
    inst = load_instance(p)
    doc = base.get("deep.thm2.3").check(inst).to_json()
    # the construction at one mu is proved; (2.58) on all of I_0^Q may be refuted (then so is the whole claim)
    assert {doc["readings"][r]["verdict"] for r in ("L=Q", "L>Q", "mu-box")} == {"proved"}, doc["readings"]
    assert doc["verdict"] == ("refuted" if "refuted" in {r["verdict"] for r in doc["readings"].values()} else "proved")
    assert doc["values"]["cost_squared"] == "0" and doc["values"]["cost_squared_extra"] == "0"
    ok, why = kernel.verify(doc, p)
    assert ok, why


def test_kernel_sqrt_bounds_are_rigorous():
    for x in (Fraction(2), Fraction(1, 3), Fraction(10**40 + 7, 3), Fraction(9, 4)):
        for bits in (8, 64, 200):
            lo, hi = kernel.sqrt_bounds(x, bits)
            assert lo * lo <= x <= hi * hi and hi - lo <= Fraction(1, 2**bits) * 2
    assert kernel.sign_root_sum([(1, Fraction(2)), (1, Fraction(3)), (-1, Fraction(10))]) == -1
    assert kernel.sign_root_sum([(1, Fraction(8)), (-2, Fraction(2))]) is None  # exactly 0 with intervals


def test_kernel_psd_agrees_with_minors():
    assert kernel.is_psd([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
    assert not kernel.is_psd([[Fraction(1), Fraction(2)], [Fraction(2), Fraction(1)]])
    assert kernel.is_psd([[Fraction(0), Fraction(0)], [Fraction(0), Fraction(1)]])
    assert not kernel.is_psd([[Fraction(0), Fraction(1)], [Fraction(1), Fraction(1)]])
