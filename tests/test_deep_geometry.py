"""deep.eq4.30, deep.eq2.68, deep.eq2.61: library properties and CLI round trip.  The three are on the obligation
kernel (format 2): tests/test_statements_eq430.py and tests/test_statements_deep_geometry.py test their statements."""
import json
import subprocess
import sys
from fractions import Fraction

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance, load_instance_text
from exactmin.exact.enclosure import sqrt_enclosure
from exactmin.exact.norms import is_psd
from exactmin.nets import construct_deep as cd

CLAIMS = ("deep.eq4.30", "deep.eq2.68", "deep.eq2.61")


def _check(claim_id, name="deep_q2", **opts):
    inst = load_instance(bundled(name))
    return base.get(claim_id).check(inst, **opts).to_json(), bundled(name)


def test_eq268_outside_I0_gives_hypotheses_fail_and_an_exact_counterexample():
    """mu = -2 on deep_q3 lies below -D: the layers no longer leave the later balls alone; the composite map
    moves a rational point of B_delta(xbar_0,2) away from c_2 (exact), reported as hypotheses-fail (mu not in I_0).
    The paper-network readings (every mu in I_0^Q) do not read the user's mu: the same words as without it (their
    witnesses may differ: lambda, chosen with mu, sets theta_* and so I_0)."""
    doc, path = _check("deep.eq2.68", "deep_q3", mu="-2")
    own = {r: v["verdict"] for r, v in doc["readings"].items() if not r.startswith("paper-network/")}
    assert set(own.values()) == {"hypotheses-fail"} and len(own) == 5
    default = _check("deep.eq2.68", "deep_q3")[0]
    paper = [r for r in doc["readings"] if r.startswith("paper-network/")]
    assert len(paper) == 4 and all(doc["readings"][r]["verdict"] == default["readings"][r]["verdict"] for r in paper)
    assert "refuted" in doc["readings"]["identity-before"]["reason"]
    assert Fraction(doc["values"]["identity_margin_sq"]) < 0 and Fraction(doc["values"]["apex_min_preactivation"]) < 0
    assert doc["witness"]["counterexample"]["point"]


def test_same_lambda_and_mu_as_thm23():
    thm, _ = _check("deep.thm2.3", "deep_q3")
    for cid in CLAIMS:
        doc, _ = _check(cid, "deep_q3")
        assert doc["values"]["lambda"] == thm["values"]["lambda"]
        if cid != "deep.eq4.30":
            assert doc["values"]["mu"] == thm["values"]["mu"]
            assert doc["witness"]["R"] == thm["witness"]["R"]


# ------------------------------------------------------------------------------------------------ properties

def _permuted_instance(perm):
    doc = json.loads(bundled("deep_q3").read_text())
    Q = len(doc["classes"])
    labels = doc.get("labels") or [[int(i == j) for j in range(Q)] for i in range(Q)]
    doc["classes"] = [doc["classes"][p] for p in perm]
    doc["labels"] = [[row[p] for p in perm] for row in labels]
    return load_instance_text(json.dumps(doc), "json", "perm")


@settings(max_examples=5, deadline=None)
@given(st.permutations([0, 1, 2]))
def test_permuting_classes_keeps_every_verdict(perm):
    inst = _permuted_instance(perm)
    ref = load_instance(bundled("deep_q3"))
    for cid in CLAIMS:
        a = base.get(cid).check(inst, samples=8) if cid == "deep.eq2.61" else base.get(cid).check(inst)
        b = base.get(cid).check(ref, samples=8) if cid == "deep.eq2.61" else base.get(cid).check(ref)
        assert {k: v["verdict"] for k, v in a.readings.items()} == {k: v["verdict"] for k, v in b.readings.items()}
        assert a.values.get("accuracy") == b.values.get("accuracy")


def _eye(n):
    M = fmpq_mat(n, n)
    for i in range(n):
        M[i, i] = 1
    return M


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6), st.fractions(Fraction(1, 1000), Fraction(1)))
def test_w_star_identities(Q, lam_f):
    lam = fmpq(lam_f.numerator, lam_f.denominator)
    W = cd.w_star(lam, Q)
    u = fmpq_mat(Q, 1, [1] * Q)
    I, U = _eye(Q), fmpq_mat(Q, Q, [1] * (Q * Q))
    assert W * u == u and W.transpose() == W
    assert is_psd(I - W.transpose() * W)[0]
    Wi = W.inv()
    assert is_psd(I * (1 / lam**2) - Wi.transpose() * Wi)[0]
    e = fmpq_mat(Q, 1, [1, -1] + [0] * (Q - 2))
    assert W * e == e * lam
    kappa = cd.kappa_of_lambda(lam, Q)
    t = lam * lam * (Q - 1)
    assert W.transpose() * (U - I * (Q - 1)) * W == (U - I * (Q * kappa)) * ((1 + t) / Q)
    # the kernel's own derivation agrees (lambda given, hypotheses irrelevant for the algebraic readings)
    assert (1 - kappa) / kappa * lam * lam == fmpq(1, Q - 1)


@settings(max_examples=5, deadline=None)
@given(st.fractions(Fraction(1, 100), Fraction(99, 100), max_denominator=1000))
def test_metric_matrix_injective_across_I0(t):
    """For mu anywhere in a certified part of I_0 the metric matrix Y (X_0^red[mu])^{-1} is invertible."""
    inst = load_instance(bundled("deep_q3"))
    doc = base.get("deep.eq2.68").check(inst).to_json()
    d2 = Fraction(doc["values"]["delta_squared"])
    g = cd.Geometry.of(inst, fmpq(d2.numerator, d2.denominator))
    lam = Fraction(doc["values"]["lambda"])
    kappa = cd.kappa_of_lambda(fmpq(lam.numerator, lam.denominator), inst.Q)
    _, Denc = cd.choose_mu(g, kappa)
    m0 = sqrt_enclosure(4 * g.delta_sq * inst.Q, 64).hi
    mu = -(m0 + fmpq(t.numerator, t.denominator) * (Denc.lo - m0))
    c = base.get("deep.eq2.61").check(inst, mu=str(mu), samples=4)
    assert c.readings["metric"]["verdict"] == "proved"
    assert Fraction(c.values["det_metric_matrix"]) != 0


# ------------------------------------------------------------------------------------------------ CLI

def _run(*args):
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", *args], check=False, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_cli_check_and_verify_eq268(tmp_path):
    cert = tmp_path / "c.json"
    inst = str(bundled("deep_q4"))               # every reading proved but L>Q/arbitrary (refuted: exit 1)
    code, _, err = _run("check", "deep.eq2.68", "--instance", inst, "--certificate", str(cert))
    assert code == 1, err
    got = json.loads(cert.read_text())
    assert got["verdict"] == "refuted" and {r for r, v in got["readings"].items() if v != "proved"} == {"L>Q/arbitrary"}
    code, _, err = _run("verify", str(cert), "--instance", inst)
    assert code == 0, err
    doc = json.loads(cert.read_text())
    doc["readings"]["cumulative"] = "refuted"
    cert.write_text(json.dumps(doc))
    code, _, _ = _run("verify", str(cert), "--instance", inst)
    assert code == 1
