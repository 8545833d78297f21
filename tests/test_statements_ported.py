"""Statements ported to the obligation kernel: deep.thm2.4, shallow.thm3.3, deep.hypotheses.

Self-acceptance on bundled and generated asymmetric instances, agreement with the library's verdicts, and
forgeries: the forger changes the witness, refills the networks consistently with the statement's own formulas,
and keeps the readings; each forgery is rejected by a NAMED obligation, and dropping that obligation
(monkeypatch) lets the same forgery through."""
import json
from fractions import Fraction as F

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance
from exactmin_kernel import driver
from exactmin_kernel.interp import mm, mv
from exactmin_kernel.statements import deep_hypotheses as H
from exactmin_kernel.statements import deep_thm2_4 as T
from exactmin_kernel.statements import shallow_thm3_3 as S
from _forgery import rejected_by, words

_CACHE = {}


def _lib(claim, name, **opts):
    key = (claim, name, tuple(sorted(opts.items())))
    if key not in _CACHE:
        c = base.get(claim).check(load_instance(bundled(name)), **opts)
        _CACHE[key] = (c, json.dumps(to_v2(c)), K.load(bundled(name)))
    c, doc, inst = _CACHE[key]
    return c, json.loads(doc), inst


def _inv(A):
    n = len(A)
    M = [list(r) + [F(int(i == j)) for j in range(n)] for i, r in enumerate(A)]
    for k in range(n):
        p = next(i for i in range(k, n) if M[i][k])
        M[k], M[p] = M[p], M[k]
        M[k] = [x / M[k][k] for x in M[k]]
        for i in range(n):
            if i != k and M[i][k]:
                M[i] = [a - M[i][k] * b for a, b in zip(M[i], M[k])]
    return tuple(tuple(r[n:]) for r in M)


def _j(net):
    W, b = net
    return {"weights": [[[str(x) for x in r] for r in M] for M in W], "biases": [[str(x) for x in v] for v in b]}


def rebuild24(I, doc):
    """The forger's refill: hidden layers of the construction at the witness's (lambda, mu, f~, R), and the
    genuine cumulative output maps (they do not depend on mu once every layer acts as the identity)."""
    raw, w = doc["witness"], driver.read_witness(T.SCHEMA, doc["witness"], I)
    Q, lam, f, R = I.Q, w["lambda"], w["f_tilde"], w["R"]
    Ws = tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q))
    Cw = [mm(Ws, R[l]) for l in range(Q)]

    def hidden(mu):
        Cb = [tuple(-x for x in mv(Cw[l], tuple(m - mu * y for m, y in zip(I.means[l], f[l])))) for l in range(Q)]
        Wl, bl = [Cw[0]], [Cb[0]]
        for l in range(1, Q):
            Wl.append(mm(Cw[l], _inv(Cw[l - 1])))
            bl.append(tuple(a - b for a, b in zip(Cb[l], mv(Wl[-1], Cb[l - 1]))))
        return Wl, bl, Cb

    for name, net in w["networks"].items():
        if net is None or name == "flat":
            continue
        Wl, bl, Cb = hidden(w["mu_printed"] if name == "printed" else w["mu"])
        gw, gb = T.cumulative(net)
        Wo = mm(gw[-1], _inv(Cw[-1]))
        new = (Wl + [Wo], bl + [tuple(a - b for a, b in zip(gb[-1], mv(Wo, Cb[-1])))])
        raw["networks"][name] = _j(new)
        if name == "free" and w["networks"]["flat"] is not None:      # the flat direction: b_L + u, b_(L+1) - W_(L+1) u
            b = list(new[1])
            b[-2] = tuple(x + 1 for x in b[-2])
            b[-1] = tuple(x - sum(r) for x, r in zip(b[-1], Wo))
            raw["networks"]["flat"] = _j((new[0], b))
    return doc


# ------------------------------------------------------------------------------------------ self-acceptance

@pytest.mark.parametrize("claim", ["deep.thm2.4", "shallow.thm3.3", "deep.hypotheses"])
@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q2_violates_2_14", "shallow_q3_m5", "shallow_q2_m2"])
def test_library_certificates_verify_and_agree(claim, name):
    c, doc, I = _lib(claim, name)
    got = K.check(doc, I)
    assert words(got) == {r: v["verdict"] for r, v in c.readings.items()} or c.readings == {} or \
        all(v == "hypotheses-fail" for v in words(got).values())


@pytest.mark.parametrize("q,seed", [(2, 7310), (3, 7311), (4, 7312)])
def test_generated_asymmetric_instances(tmp_path, q, seed):
    inst = generate_deep(q, [q + 1 + j for j in range(q)], seed=seed)
    p = tmp_path / "g.json"
    p.write_text(json.dumps(inst.to_json_dict()))
    I = K.load(str(p))
    assert any(I.means[0][k] != I.means[k][0] for k in range(1, q))       # not symmetric: transposes show
    for claim in ("deep.thm2.4", "shallow.thm3.3", "deep.hypotheses"):
        c = base.get(claim).check(load_instance(str(p)))
        got = K.check(to_v2(c), I)
        assert words(got) == {r: v["verdict"] for r, v in c.readings.items()}


# ------------------------------------------------------------------------------------------ deep.thm2.4 forgeries

def test_thm24_mu_outside_I1_premise(drop):
    """mu = 2 delta sqrt Q rounded down (0 < mu, mu^2 < 4 delta^2 Q), networks rebuilt at that mu: hypotheses-fail."""
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    dsq = max(T.geometry(I)[0])
    lo, hi = F(0), F(1)
    while hi * hi <= 4 * dsq * I.Q:
        hi *= 2
    for _ in range(40):                                   # the largest dyadic below 2 delta sqrt Q found by bisection
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mid * mid <= 4 * dsq * I.Q else (lo, mid)
    mu = lo
    doc["witness"]["mu"] = str(mu)
    rebuild24(I, doc)
    rejected_by(doc, I, "2 delta sqrt Q")
    drop(T, "2 delta sqrt Q")
    assert words(K.check(doc, I)) == {r: v["verdict"] for r, v in c.readings.items()}


def test_thm24_mu_not_tied_to_networks(drop):
    """The old kernel's forgery: mu changed, networks kept (they realise another mu)."""
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    doc["witness"]["mu"] = str(F(doc["witness"]["mu"]) * 3)
    rejected_by(doc, I, "as (4.56)-(4.58) at mu")
    drop(T, "as (4.56)-(4.58) at mu")
    K.check(doc, I)


def test_thm24_lambda_above_one(drop):
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    doc["witness"]["lambda"] = "101/100"
    rebuild24(I, doc)
    rejected_by(doc, I, "lambda <= 1")
    drop(T, "lambda <= 1")
    got = {r: v for r, (v, _) in driver.derive(T, I, doc["witness"]).items()}
    assert {r: got[r] for r in T.OWN} == {r: doc["readings"][r] for r in T.OWN}     # the realisation's words pass
    assert got["paper-network/2.70"] == "undecided"        # lambda > 1: theta_* is not certified for the paper's network


def test_thm24_vacuous_tol(drop):
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    doc["witness"]["tol"] = "3/2"          # 1 - tol^2/2 < 0: "within tol" by squares would be vacuous
    rejected_by(doc, I, "0 < tol < sqrt 2")
    drop(T, "0 < tol < sqrt 2")
    K.check(doc, I)


def test_thm24_free_network_is_not_the_free_minimum(drop):
    """free-output-bias claimed proved with the zero network as the 'free' optimum (its cost is (2.71))."""
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    assert doc["readings"]["free-output-bias"] == "refuted"
    doc["witness"]["networks"]["free"] = doc["witness"]["networks"]["zero"]
    doc["readings"]["free-output-bias"] = "proved"
    rejected_by(doc, I, "(A_f | c_f) Gz = Rz")
    drop(T, "(A_f | c_f) Gz = Rz")
    assert driver.derive(T, I, doc["witness"])["free-output-bias"][0] == "proved"


def test_thm24_descent_that_does_not_descend(drop):
    c, doc, I = _lib("deep.thm2.4", "deep_q3")
    assert doc["readings"]["free-output-bias/local-min"] == "refuted"
    doc["witness"]["networks"]["descent"] = doc["witness"]["networks"]["zero"]
    rejected_by(doc, I, "free-output-bias/local-min: certificate 'refuted', kernel undecided")   # refutation fails
    drop(T, "descent lowers the cost")
    K.check(doc, I)


def test_thm24_user_mu_outside_I1_is_hypotheses_fail():
    """Every reading but mu-range-as-printed (which does not use the witness mu: proved for Q = 3 <= 4)."""
    c, doc, I = _lib("deep.thm2.4", "deep_q3", mu="1/1000")
    got = words(K.check(doc, I))
    assert got.pop("mu-range-as-printed") == "proved"
    assert set(got.values()) == {"hypotheses-fail"}
    assert {v["verdict"] for r, v in c.readings.items() if r != "mu-range-as-printed"} == {"hypotheses-fail"}


# ------------------------------------------------------------------------------------------ shallow.thm3.3, deep.hypotheses

def test_thm33_network_off_the_construction(drop):
    """W_1 with its noise rows scaled: still W_2 W_1 = Y P and the identities hold, but not the construction's
    noise pre-activation signs ... the noise rows K X = 0 stay; b_2 broken instead: b_2 != -beta Y u."""
    c, doc, I = _lib("shallow.thm3.3", "shallow_q3_m5")
    b2 = doc["witness"]["network"]["biases"][1]
    doc["witness"]["network"]["biases"][1] = [str(F(x) + 1) for x in b2]
    rejected_by(doc, I, "b_2 = -beta Y u")
    drop(S, "b_2 = -beta Y u")
    with pytest.raises(driver.Invalid) as e:           # then the identity itself fails: W_2 b_1 + b_2 = 0
        K.check(doc, I)
    assert "identity" in str(e.value)


def test_deep_hypotheses_false_reading_claimed_proved(drop):
    c, doc, I = _lib("deep.hypotheses", "deep_q2_violates_2_14")
    assert doc["readings"]["2.14"] == "hypotheses-fail"
    doc["readings"]["2.14"], doc["verdict"] = "proved", "proved"
    rejected_by(doc, I, "2.14")
    drop(H, "2.14")
    assert words(K.check(doc, I))["2.14"] == "proved"
