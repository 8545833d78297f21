"""The kernel on shallow.* certificates: genuine ones verify, every single-number change is rejected, and the
command line round trip works on Iris."""
import copy
import json
import subprocess
import sys
from fractions import Fraction

import pytest
from _certs import mutated, numeric_leaves

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

CASES = [("shallow.upper-bound", "shallow_q2_m3"), ("shallow.thm3.2", "shallow_q2_m2"),
         ("shallow.relative-error", "shallow_q2_m2"), ("shallow.thm3.3", "shallow_q2_m3")]


def _cert(cid, name):
    return base.get(cid).check(load_instance(bundled(name))).to_json(), bundled(name)


@pytest.mark.parametrize("cid,name", CASES)
def test_genuine_certificates_verify(cid, name):
    doc, path = _cert(cid, name)
    assert doc["verdict"] != "hypotheses-fail"
    ok, why = kernel.verify(doc, path)
    assert ok, why


@pytest.mark.parametrize("cid,name", CASES)
def test_every_single_number_change_is_rejected(cid, name):
    doc, path = _cert(cid, name)
    leaves = numeric_leaves(doc)
    assert len(leaves) > 8
    for leaf in leaves:
        for delta in (Fraction(1, 7), Fraction(-1, 10**9)):
            ok, _why = kernel.verify(mutated(doc, leaf, delta), path)
            assert not ok, f"kernel accepted {leaf} changed by {delta}"


@pytest.mark.parametrize("cid,name", CASES + [("shallow.thm3.2", "shallow_q2_m3")])
def test_verdict_changes_are_rejected(cid, name):
    doc, path = _cert(cid, name)
    for r in doc["readings"]:
        for v in ("proved", "refuted", "undecided", "hypotheses-fail"):
            if v == doc["readings"][r]["verdict"]:
                continue
            bad = copy.deepcopy(doc)
            bad["readings"][r]["verdict"] = v
            assert not kernel.verify(bad, path)[0], (r, v)


def test_false_psd_certificates_are_rejected():
    doc, path = _cert("shallow.upper-bound", "shallow_q2_m3")
    lam = Fraction(doc["witness"]["Y_gram_lambda_max_upper"])
    bad = copy.deepcopy(doc)
    for where in (bad["witness"], bad["values"]):
        where["Y_gram_lambda_max_upper"] = str(lam / 2)
    bad["values"]["constant_C"] = str(lam)              # consistent values, false certificate
    ok, why = kernel.verify(bad, path)
    assert not ok and "PSD" in why
    doc, path = _cert("shallow.relative-error", "shallow_q2_m2")
    bad = copy.deepcopy(doc)
    lmin = Fraction(doc["witness"]["lambda_min_lower"])
    bad["witness"]["lambda_min_lower"] = bad["values"]["lambda_min_lower"] = str(lmin * 2)
    ok, why = kernel.verify(bad, path)
    assert not ok


def test_descent_witness_is_replayed():
    doc, path = _cert("shallow.thm3.2", "shallow_q2_m2")
    assert doc["readings"]["free-output-bias/local-min"]["verdict"] == "refuted"
    assert Fraction(doc["values"]["descent_cost_squared"]) < Fraction(doc["values"]["claimed_cost_squared"])
    bad = copy.deepcopy(doc)
    del bad["witness"]["descent"]
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    bad["readings"]["free-output-bias/local-min"]["verdict"] = "proved"
    bad["verdict"] = "refuted"
    assert not kernel.verify(bad, path)[0]


def _run(*args):
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", *args], capture_output=True, text=True, timeout=300,
                       check=False)
    return p.returncode, p.stdout, p.stderr


def test_cli_iris_round_trip(tmp_path):
    cert = tmp_path / "c.json"
    code, _, err = _run("check", "shallow.upper-bound", "--instance", "iris", "--certificate", str(cert))
    assert code == 0, err
    doc = json.loads(cert.read_text())
    assert doc["readings"] == {"construction": "proved", "bound": "proved"}      # format 2 (exactmin_kernel)
    code, _, err = _run("verify", str(cert), "--instance", "iris")
    assert code == 0, err
    doc["witness"]["Y_gram_lambda_max_upper"] = "0"                               # an uncertified constant
    cert.write_text(json.dumps(doc))
    code, _, _ = _run("verify", str(cert), "--instance", "iris")
    assert code == 1


def test_cli_generate_shallow(tmp_path):
    out = tmp_path / "g.json"
    code, _, err = _run("generate", "shallow", "--q", "3", "--m", "5", "--per-class", "4", "--seed", "7", "-o", str(out))
    assert code == 0, err
    inst = load_instance(out)
    assert (inst.Q, inst.M, inst.N) == (3, 5, 12)
    code, _, err = _run("check", "shallow.upper-bound", "shallow.thm3.3", "--instance", str(out), "-q")
    assert code == 0, err
    code, _, err = _run("generate", "deep", "--q", "3", "--m", "5", "--per-class", "4")
    assert code == 2 and "--m" in err
