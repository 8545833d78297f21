"""flow.*: data of huge magnitude (the pattern radius far below the margin), the kernel's binding of the parameters
and provenance to theta_0, C(0) <= eps, and the mutation gate's flow rules (scripts/mutate_certificates.py)."""
import copy
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from flint import fmpq

from exactmin.certify import kernel
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
    return base.get(cid).check(load_instance(bundled(name)), **opts).to_json(), bundled(name)


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
    assert rc["readings"]["interior"]["verdict"] == "proved" and Fraction(rc["values"]["pattern_radius"]) > 0
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
    doc, path = _cert("flow.stopping-time", "flow_o1", eps="1/10")
    assert Fraction(doc["values"]["cost_0"]) <= Fraction(1, 10)
    assert doc["readings"]["a-priori"]["verdict"] == "proved"
    assert doc["enclosures"]["T_eps"] == {"lo": "0", "hi": "0"}
    assert kernel.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    bad["enclosures"]["T_eps"]["hi"] = "1"
    assert not kernel.verify(bad, path)[0]


@pytest.mark.parametrize("claim,opts", [("flow.exp-rate", {}), ("flow.rank-condition", {}),
                                        ("flow.stopping-time", {"seed": 9, "widths": "3", "eps": "1e-7"}),
                                        ("flow.exp-rate", {"start": "random", "seed": 11, "widths": "4"}),
                                        ("flow.equilibria-rank-loss", {"seed": 9, "widths": "3"})])
def test_kernel_binds_parameters_and_provenance_to_theta0(claim, opts):
    inst = "flow_n4" if opts.get("widths") == "3" else "flow_n3"
    doc, path = _cert(claim, inst, **opts)
    assert kernel.verify(copy.deepcopy(doc), path)[0]
    par = doc["parameters"]
    for key, val in (("seed", par["seed"] + 1), ("start", "random" if par["start"] == "auto" else "auto"),
                     ("widths", "5"), ("start_note", par["start_note"] + " "), ("theta", "1"), ("extra", "1")):
        bad = copy.deepcopy(doc)
        bad["parameters"][key] = val
        assert not kernel.verify(bad, path)[0], key
    del_key = copy.deepcopy(doc)
    del del_key["parameters"]["start_note"]
    assert not kernel.verify(del_key, path)[0]
    name = next(iter(doc["provenance"]))
    for tag in ("sampled", "enclosure"):
        bad = copy.deepcopy(doc)
        bad["provenance"][name] = tag if doc["provenance"][name] != tag else "exact"
        assert not kernel.verify(bad, path)[0], tag
    bad = copy.deepcopy(doc)
    del bad["provenance"][name]
    assert not kernel.verify(bad, path)[0]


def test_mutation_rule_ball_recertified_tells_true_from_false_mutants():
    doc, path = _cert("flow.exp-rate", "flow_n3")
    assert doc["verdict"] == "proved"
    w = doc["witness"]
    up = mc._set(doc, ("witness", "norms", 0), str(Fraction(w["norms"][0]) * 2))   # still an upper bound
    assert kernel.verify(copy.deepcopy(up), path)[0] == mc._recheck_flow_ball("flow.exp-rate", doc, up, path)
    down = mc._set(doc, ("witness", "norms", 0), str(Fraction(w["norms"][0]) / 4))  # no longer a bound
    assert not mc._recheck_flow_ball("flow.exp-rate", doc, down, path)
    assert not kernel.verify(copy.deepcopy(down), path)[0]
    smaller = mc._set(doc, ("witness", "sigma0"), str(Fraction(w["sigma0"]) * Fraction(999, 1000)))
    smaller = mc._set(smaller, ("values", "sigma_0"), smaller["witness"]["sigma0"])
    smaller = mc._set(smaller, ("values", "sigma_lower"),
                      str(Fraction(smaller["witness"]["sigma0"]) - Fraction(w["deviation"])))
    got = mc._recheck_flow_ball("flow.exp-rate", doc, smaller, path)
    assert got == kernel.verify(copy.deepcopy(smaller), path)[0]
    moved_theta = mc._set(doc, ("witness", "theta", 0), "1/3")
    assert not mc._recheck_flow_ball("flow.exp-rate", doc, moved_theta, path)
    seed = mc._set(doc, ("parameters", "seed"), doc["parameters"]["seed"] + 1)
    assert mc.benign_rule("flow.exp-rate", doc, seed, path, {}) is None
    prov = mc._set(doc, ("provenance", "kappa"), "sampled")
    assert not mc._is_metadata("flow.exp-rate", ("provenance", "kappa"), doc)
    assert mc.benign_rule("flow.exp-rate", doc, prov, path, {}) is None


def test_mutation_gate_smoke_on_flow_certificates_is_strict_clean():
    r = subprocess.run([sys.executable, "scripts/mutate_certificates.py", "--only", "flow.stopping-time",
                        "--per-cert", "12", "--jobs", "1", "--strict", "--show-bugs"],
                       capture_output=True, text=True, check=False, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "flow.stopping-time" in r.stdout and "UNEXPLAINED" not in r.stdout


def test_rank_condition_interior_undecided_only_when_no_radius_is_certified():
    """The writer records interior = undecided (no pattern_radius value) only when the recursion certifies no radius
    >= min margin 2^-6000; the kernel re-checks that radius, so dropping a certified radius is rejected."""
    doc, path = _cert("flow.rank-condition", "flow_n3")
    assert doc["readings"]["interior"]["verdict"] == "proved" and kernel.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    del bad["values"]["pattern_radius"]
    bad["provenance"].pop("pattern_radius", None)
    bad["readings"]["interior"]["verdict"] = "undecided"
    bad["verdict"] = "undecided" if doc["verdict"] == "proved" else doc["verdict"]
    ok, why = kernel.verify(bad, path)
    assert not ok and "certified" in why
