"""flow.exp-rate / flow.stopping-time: the whole orbit certified by one ball (exactmin/flow/ball.py), or undecided.

* no flow certificate that `exactmin prove` writes has a `proved` reading resting on a `sampled` value;
* the obligation kernel (format 2) rejects forged witnesses (an orbit of checkpoints, a moved bound) with a named
  obligation;
* defaults give `proved` on the bundled flow instances; non-default options give certificates that verify;
* random small flow instances: no crash, every certificate verifies.
"""
import copy
import json
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exactmin_kernel as kernel
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

ROOT = Path(__file__).resolve().parents[1]
FLOW = ("flow_o1", "flow_n3", "flow_n4")


def _lib(cid, name, **opts):
    return base.get(cid).check(load_instance(bundled(name)), **opts)


def _cert(cid, name, **opts):
    return json.loads(json.dumps(to_v2(_lib(cid, name, **opts)))), bundled(name)


def _prove_cases():
    from exactmin.prove import default_proofs_dir, load_scripts
    for _, cases in load_scripts(default_proofs_dir()):
        for c in cases:
            if c.claim.startswith("flow."):
                yield c


def test_no_proved_flow_reading_rests_on_a_sampled_value():
    cases = list(_prove_cases())
    assert len(cases) >= 10
    for c in cases:
        inst = load_instance(bundled(c.instance)) if c.instance else None
        cert = base.get(c.claim).check(inst, **c.options)
        assert "sampled" not in cert.to_json()["provenance"].values(), (c.claim, c.instance)
        assert kernel.verify(json.loads(json.dumps(to_v2(cert))), bundled(c.instance))[0]


@pytest.mark.parametrize("name", FLOW)
def test_defaults_prove_every_flow_claim_in_seconds(name):
    for cid in ("flow.rank-condition", "flow.exp-rate", "flow.stopping-time"):
        t0 = time.perf_counter()
        doc, path = _cert(cid, name)
        assert doc["verdict"] == "proved", (cid, doc["readings"])
        assert time.perf_counter() - t0 < 30
        ok, why = kernel.verify(copy.deepcopy(doc), path)
        assert ok, why


def test_every_flow_claim_uses_the_same_start():
    thetas = {cid: _cert(cid, "flow_n4", seed=3)[0]["witness"]["theta"]
              for cid in ("flow.rank-condition", "flow.exp-rate", "flow.stopping-time")}
    assert len({json.dumps(t) for t in thetas.values()}) == 1


@pytest.mark.parametrize("opts", [{"seed": 5, "widths": "3"}, {"seed": 2}, {"widths": "2,2"},
                                  {"start": "random", "seed": 11, "widths": "4"},
                                  {"start": "random", "seed": 5, "widths": "3"}, {"widths": "5", "kappa": "1"},
                                  {"start": "random", "seed": 11, "widths": "4", "s_max": "1/100"}])
def test_non_default_options_verify(opts):
    for cid in ("flow.rank-condition", "flow.exp-rate", "flow.stopping-time", "flow.equilibria-rank-loss"):
        o = {k: v for k, v in opts.items() if k != "s_max" or cid == "flow.exp-rate"}
        doc, path = _cert(cid, "flow_n3", **o)
        ok, why = kernel.verify(copy.deepcopy(doc), path)
        assert ok, (cid, opts, why)


def _rejected(doc, path, *words):
    ok, why = kernel.verify(copy.deepcopy(doc), path)
    assert not ok
    assert any(w in why for w in words), why
    return why


def test_forged_orbit_is_rejected():
    doc, path = _cert("flow.exp-rate", "flow_o1")
    assert doc["verdict"] == "proved"
    forged = copy.deepcopy(doc)              # same theta_0, an orbit of checkpoints the kernel cannot tie to the ODE
    forged["witness"]["times"] = ["0", "1"]
    forged["witness"]["thetas"] = [doc["witness"]["theta"], doc["witness"]["theta"]]
    _rejected(forged, path, "unknown field")
    doc2, path2 = _cert("flow.stopping-time", "flow_o1")
    forged = copy.deepcopy(doc2)
    forged["witness"]["plain"] = {"T": "3", "theta_before": doc2["witness"]["theta"],
                                  "theta_at": doc2["witness"]["theta"]}
    _rejected(forged, path2, "unknown field")


@pytest.mark.parametrize("field,factor,words", [
    ("radius", 4, ("pattern constant on B", "E^2 >= sup_B")),
    ("sigma0", 3, ("sigma_0^2 I <= D_0 D_0^T",)),
    ("deviation", Fraction(1, 4), ("E^2 >= sup_B",)),
    ("Sigma0", Fraction(1, 8), ("D_0 D_0^T <= Sigma_0^2 I",))])
def test_moved_ball_bound_is_rejected_by_a_named_obligation(field, factor, words):
    """Change one witness bound, readings kept: rejected by the obligation that bound must satisfy."""
    doc, path = _cert("flow.stopping-time", "flow_n3")
    bad = copy.deepcopy(doc)
    bad["witness"][field] = str(Fraction(bad["witness"][field]) * factor)
    _rejected(bad, path, *words)


def test_moved_theta_is_rejected():
    doc, path = _cert("flow.exp-rate", "flow_n4")
    bad = copy.deepcopy(doc)
    bad["witness"]["theta"][0] = str(Fraction(bad["witness"]["theta"][0]) + Fraction(1, 3))
    assert not kernel.verify(bad, path)[0]


def test_refilled_verdict_without_the_ball_is_rejected():
    """A proved ball relabelled undecided, and an undecided start relabelled proved, are both rejected."""
    doc, path = _cert("flow.exp-rate", "flow_o1")
    bad = copy.deepcopy(doc)
    bad["readings"] = {r: "undecided" for r in bad["readings"]}
    bad["verdict"] = "undecided"
    _rejected(bad, path, "kernel proved")
    doc, path = _cert("flow.exp-rate", "flow_o1", theta="1,1/2,1/3,1/4,1/2,-1/3,1/5")
    assert doc["verdict"] == "undecided"
    bad = copy.deepcopy(doc)
    bad["readings"] = {r: "proved" for r in bad["readings"]}
    bad["verdict"] = "proved"
    _rejected(bad, path, "kernel undecided")


def test_size_caps_keep_verify_fast():
    doc, path = _cert("flow.exp-rate", "flow_n3", s_max="1/10")
    for leaf, val in ((["witness", "s_max"], "10000000"), (["witness", "radius"], "1" * 5000 + "/3"),
                      (["witness", "theta", 0], "7" * 3000)):
        bad = copy.deepcopy(doc)
        d = bad
        for k in leaf[:-1]:
            d = d[k]
        d[leaf[-1]] = val
        t0 = time.perf_counter()
        assert not kernel.verify(bad, path)[0]
        assert time.perf_counter() - t0 < 10, leaf
    doc, path = _cert("flow.stopping-time", "flow_n3")
    bad = copy.deepcopy(doc)
    bad["witness"]["T_eps"] = ["10000000000", "10000000001"]
    t0 = time.perf_counter()
    assert not kernel.verify(bad, path)[0]
    assert time.perf_counter() - t0 < 10


def test_cli_defaults_on_flow_o1_prove_quickly(tmp_path):
    c = tmp_path / "c.json"
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "exactmin.cli", "check", "flow.[es][xt]*", "--instance", "flow_o1",
                        "--certificate", str(c)], capture_output=True, text=True, check=False, cwd=ROOT)
    assert time.perf_counter() - t0 < 60
    assert r.returncode == 0, r.stderr
    verdicts = {d["claim"]: d["verdict"] for d in json.loads(c.read_text())["certificates"]}
    assert verdicts.get("flow.exp-rate") == "proved" and verdicts.get("flow.stopping-time") == "proved"
    r = subprocess.run([sys.executable, "-m", "exactmin.cli", "verify", str(c), "--instance", "flow_o1"],
                       capture_output=True, text=True, check=False, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(2, 4), m=st.integers(1, 2), data=st.data())
def test_random_small_flow_instances(tmp_path_factory, n, m, data):
    pts = data.draw(st.lists(st.lists(st.integers(-6, 6), min_size=m, max_size=m), min_size=n, max_size=n,
                             unique_by=tuple))
    ys = data.draw(st.lists(st.fractions(-3, 3, max_denominator=5), min_size=n, max_size=n))
    doc = {"format": "exactmin-instance/1", "name": "random_flow",
           "classes": [{"points": [p]} for p in pts], "labels": [[str(y) for y in ys]]}
    path = tmp_path_factory.mktemp("flow") / "i.json"
    path.write_text(json.dumps(doc))
    inst = load_instance(path)
    seed = data.draw(st.integers(0, 50))
    for cid in ("flow.rank-condition", "flow.exp-rate", "flow.stopping-time"):
        lib = base.get(cid).check(inst, seed=seed)
        ok, why = kernel.verify(json.loads(json.dumps(to_v2(lib))), path)
        assert ok, (cid, why)
        if lib.to_json()["verdict"] == "proved":
            assert "sampled" not in lib.to_json()["provenance"].values()
