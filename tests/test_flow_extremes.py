"""flow.*: data of huge magnitude (the pattern radius far below the margin), C(0) <= eps, the format-2 certificate
(witness and words only), and the mutation gate's flow rule (scripts/mutate_certificates.py)."""
import copy
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from flint import fmpq

import exactmin_kernel as kernel
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.nets import jacobian as J

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import mutate_certificates as mc  # noqa: E402

# the reported instance: Q = 1, two points near -6.3e23 (the radius is about 1e-24 of the margin)
BIG = {"classes": [{"points": [["-633333333333333333333331"], ["-614814814814814814814813"]]}]}


def _cert(cid, name, **opts):
    return json.loads(json.dumps(to_v2(base.get(cid).check(load_instance(bundled(name)), **opts)))), bundled(name)


def _write(tmp_path, doc, name="inst.json"):
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return p


def _run(*args):
    return subprocess.run([sys.executable, "-m", "exactmin.cli", *args], capture_output=True, text=True,
                          check=False, cwd=ROOT, timeout=600)


def test_largest_valid_finds_a_radius_far_below_the_upper_end():
    """A plain 40-step bisection from [0, hi] returns 0 when the valid radii are below hi 2^-40."""
    cut = fmpq(1, 10 ** 30)
    lo = J.largest_valid(lambda r: r < cut, fmpq(1))
    assert 0 < lo < cut and lo * (1 + fmpq(1, 2 ** 30)) >= cut
    assert J.largest_valid(lambda r: r < fmpq(1, 2) ** 7000, fmpq(1)) == 0     # beyond MAX_HALVINGS: none
    assert J.largest_valid(lambda r: True, fmpq(3)) == 3


def test_huge_coordinates_give_verdicts_and_valid_certificates(tmp_path):
    inst = _write(tmp_path, BIG)
    cert = tmp_path / "c.json"
    r = _run("check", "flow.*", "--instance", str(inst), "--certificate", str(cert))
    assert r.returncode in (0, 1, 3), r.stderr          # a verdict, never 2 (bad input) or 70 (crash)
    assert "Traceback" not in r.stderr
    docs = {d["claim"]: d for d in json.loads(cert.read_text())["certificates"]}
    rc = docs["flow.rank-condition"]
    assert rc["readings"]["interior"] == "proved" and Fraction(rc["witness"]["pattern_radius"]) > 0
    v = _run("verify", str(cert), "--instance", str(inst))
    assert v.returncode == 0, v.stdout + v.stderr


@pytest.mark.parametrize("exp", [400, -400])
def test_magnitude_1e400_flow_instance_never_overflows(tmp_path, exp):
    coords = ["3", "-7"] if exp > 0 else ["3/1", "-7/10"]       # 3e400, -7e400 or 3e-400, -7e-401
    inst = _write(tmp_path, {"classes": [{"points": [[c + "0" * 400]]} for c in coords]})
    cert = tmp_path / "c.json"
    r = _run("check", "flow.exp-rate", "--instance", str(inst), "--certificate", str(cert))
    assert r.returncode in (0, 1, 3), r.stderr
    assert "Overflow" not in r.stderr + r.stdout
    v = _run("verify", str(cert), "--instance", str(inst))
    assert v.returncode == 0, v.stdout + v.stderr


def test_reason_numbers_have_exact_exponents():
    from exactmin.claims.flow import _f
    assert _f(fmpq(10) ** 500) == "1.000e+500" and _f(fmpq(1, 10 ** 500)) == "1.000e-500"
    assert _f(fmpq(1, 3)) == "0.3333" and _f(fmpq(0)) == "0"


def test_stopping_time_with_cost_below_eps_is_time_zero_not_a_hypothesis_failure():
    lib = base.get("flow.stopping-time").check(load_instance(bundled("flow_o1")), eps="1/10")
    assert Fraction(lib.values["cost_0"]) <= Fraction(1, 10)
    doc, path = _cert("flow.stopping-time", "flow_o1", eps="1/10")
    assert doc["readings"]["a-priori"] == "proved"
    assert doc["witness"]["T_eps"] == ["0", "0"]
    assert kernel.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    bad["witness"]["T_eps"][1] = "1"
    ok, why = kernel.verify(bad, path)
    assert not ok and "T_eps = [0, 0] when C(0) <= eps" in why


@pytest.mark.parametrize("claim,opts", [("flow.exp-rate", {}), ("flow.rank-condition", {}),
                                        ("flow.stopping-time", {"seed": 9, "widths": "3", "eps": "1e-7"}),
                                        ("flow.exp-rate", {"start": "random", "seed": 11, "widths": "4"}),
                                        ("flow.equilibria-rank-loss", {"seed": 9, "widths": "3"})])
def test_format2_certificate_has_only_witness_and_words(claim, opts):
    """No parameters, values or provenance: how theta_0 was found is the library's business; the certificate states
    the claim at the witness theta_0 (and kappa, eps, s_max), and any other field is rejected."""
    inst = "flow_n4" if opts.get("widths") == "3" else "flow_n3"
    doc, path = _cert(claim, inst, **opts)
    assert set(doc) == {"format", "claim", "instance_sha256", "verdict", "readings", "witness"}
    assert kernel.verify(copy.deepcopy(doc), path)[0]
    for key in ("parameters", "values", "provenance"):
        bad = copy.deepcopy(doc)
        bad[key] = {}
        assert not kernel.verify(bad, path)[0], key
    bad = copy.deepcopy(doc)
    bad["witness"]["start_note"] = "1"
    assert not kernel.verify(bad, path)[0]


def test_mutation_rule_flow_library_words_tells_true_from_false_mutants():
    doc, path = _cert("flow.exp-rate", "flow_n3")
    assert doc["verdict"] == "proved"
    w = doc["witness"]
    up = mc._set(doc, ("witness", "norms", 0), str(Fraction(w["norms"][0]) * 2))   # still an upper bound
    assert kernel.verify(copy.deepcopy(up), path)[0] and mc._v2_flow_words("flow.exp-rate", doc, up, path)
    down = mc._set(doc, ("witness", "norms", 0), str(Fraction(w["norms"][0]) / 4))  # no longer a bound
    assert not mc._v2_flow_words("flow.exp-rate", doc, down, path)
    assert not kernel.verify(copy.deepcopy(down), path)[0]
    smaller = mc._set(doc, ("witness", "sigma0"), str(Fraction(w["sigma0"]) * Fraction(999, 1000)))
    assert mc._v2_flow_words("flow.exp-rate", doc, smaller, path) == kernel.verify(copy.deepcopy(smaller), path)[0]
    moved_theta = mc._set(doc, ("witness", "theta", 0), "1/3")
    assert mc._v2_flow_words("flow.exp-rate", doc, moved_theta, path) == kernel.verify(copy.deepcopy(moved_theta), path)[0]
    undecided = mc._set(moved_theta, ("readings",), {r: "undecided" for r in doc["readings"]})
    undecided = mc._set(undecided, ("verdict",), "undecided")
    assert mc._v2_flow_words("flow.exp-rate", doc, undecided, path) is False    # the verdict moved: no rule


def test_mutation_gate_smoke_on_flow_certificates_is_strict_clean():
    r = subprocess.run([sys.executable, "scripts/mutate_certificates.py", "--only", "flow.stopping-time",
                        "--per-cert", "12", "--jobs", "1", "--strict", "--show-bugs"],
                       capture_output=True, text=True, check=False, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "flow.stopping-time" in r.stdout and "UNEXPLAINED" not in r.stdout


def test_rank_condition_without_a_radius_is_interior_undecided_not_proved():
    """The writer records no pattern_radius only when the recursion certifies no radius >= min margin 2^-6000; a
    certificate without it is still valid with interior undecided (a weaker true statement), never proved."""
    doc, path = _cert("flow.rank-condition", "flow_n3")
    assert doc["readings"]["interior"] == "proved" and kernel.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    del bad["witness"]["pattern_radius"]
    ok, why = kernel.verify(bad, path)
    assert not ok and "pattern_radius given" in why
    bad["readings"]["interior"] = "undecided"
    bad["verdict"] = "undecided"
    assert kernel.verify(bad, path)[0]
