"""deep.prop2.2 and deep.eq2.66 on the obligation kernel (exactmin_kernel/statements/deep_prop2_2.py, deep_eq2_66.py).

Both statements are identities that hold for every invertible network, so the only false verdict a forger can aim
for is a refutation of a true statement, or `proved` for a witness outside the statement's premises.  Each such
forgery is rejected by a named obligation, and removing that obligation (monkeypatch) lets the same forgery
through.  Self-acceptance and agreement with the library on random campaign instances (fresh seed)."""
import copy
import json
import random
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.errors import InputError
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_eq2_66 as E
from exactmin_kernel.statements import deep_prop2_2 as P
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402

CLAIMS = ("deep.prop2.2", "deep.eq2.66")


def _doc(claim, path, **opts):
    c = base.get(claim).check(load_instance(str(path)), **opts)
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("name,opts", [("deep_q2", {}), ("deep_q3", {"seed": 5}), ("deep_q4", {"seed": 2})])
def test_library_certificates_verify(claim, name, opts):
    c, doc, I = _doc(claim, bundled(name), **opts)
    assert doc["format"] == K.FORMAT
    assert words(K.check(doc, I)) == {r: v["verdict"] for r, v in c.readings.items()}


def test_random_campaign_instances(tmp_path):
    """Fresh seed: every library certificate verifies and states the kernel's words (M != Q: hypotheses-fail)."""
    rnd, seen = random.Random(58316027), set()
    for i in range(14):
        spec = S.generate(rnd)
        path = S.write(spec, tmp_path / f"i{i}", rnd)
        try:
            load_instance(path)
        except InputError:
            continue
        for claim in CLAIMS:
            opts = {"seed": rnd.randrange(100)} | ({"layers": rnd.randint(1, 5)} if claim == "deep.prop2.2" else {})
            c, doc, I = _doc(claim, path, **opts)
            got = words(K.check(doc, I))
            assert got == {r: v["verdict"] for r, v in c.readings.items()} or set(got.values()) == {"hypotheses-fail"}
            seen |= set(got.values())
    assert seen >= {"proved", "hypotheses-fail"}


# --------------------------------------------------------------------------------------------- forgeries

def _deep_q3(claim, **opts):
    return _doc(claim, bundled("deep_q3"), **opts)


def test_prop22_true_statement_cannot_be_refuted():
    c, doc, I = _deep_q3("deep.prop2.2", seed=4)
    doc["readings"]["default"], doc["verdict"] = "refuted", "refuted"
    rejected_by(doc, I, "readings differ")


def test_prop22_any_invertible_network_is_fine_and_singular_one_fails_the_premise(drop):
    """Changing a weight keeps `proved` (Proposition 2.2 holds for every network); a singular hidden W_2 with
    `proved` kept is rejected by the premise det W_2, and without that premise the kernel cannot evaluate (2.45)."""
    c, doc, I = _deep_q3("deep.prop2.2", seed=4, layers=3)
    moved = copy.deepcopy(doc)
    moved["witness"]["network"]["weights"][1][0][0] = "97/13"
    moved["witness"]["network"]["biases"][2][1] = "-5/7"
    if K.check(moved, I):                           # still a valid certificate: the identity holds for it too
        assert words(K.check(moved, I)) == {"default": "proved", "every-x": "proved"}
    sing = copy.deepcopy(doc)
    W = sing["witness"]["network"]["weights"][1]
    W[1] = list(W[0])                               # two equal rows
    rejected_by(sing, I, "det W_2")
    drop(P, "det W_2")
    rejected_by(sing, I, "cannot evaluate")


def test_prop22_network_with_no_hidden_layer_is_not_a_proof(drop):
    c, doc, I = _deep_q3("deep.prop2.2", seed=4, layers=2)
    net = doc["witness"]["network"]
    net["weights"], net["biases"] = net["weights"][-1:], net["biases"][-1:]
    rejected_by(doc, I, "L >= 1")
    drop(P, "L >= 1")
    assert words(K.check(doc, I))["default"] == "proved"    # the vacuous "proof" the premise keeps out


def test_eq266_negative_lambda_refutation_is_rejected_by_the_premise(drop):
    """The attacker's refutation of a true identity: lambda = -1 (tau_{-W,-b} != tau_{W,b}), readings filled in as
    `refuted`.  Rejected by the premise lambda > 0; with the premise dropped the same forgery is accepted."""
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    doc["witness"]["lambdas"][2] = "-1"
    doc["readings"]["default"], doc["verdict"] = "refuted", "refuted"
    rejected_by(doc, I, "lambda > 0")
    drop(E, "lambda > 0")
    assert words(K.check(doc, I)) == {"default": "refuted", "every-x": "proved"}


def test_eq266_singular_W_is_hypotheses_fail_not_proved():
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    W = doc["witness"]["W"]
    W[2] = [str(-F(x)) for x in W[0]]
    rejected_by(doc, I, "det W")
    doc["readings"] = {"default": "hypotheses-fail", "every-x": "hypotheses-fail"}
    doc["verdict"] = "hypotheses-fail"
    assert words(K.check(doc, I)) == {"default": "hypotheses-fail", "every-x": "hypotheses-fail"}


def test_kernel_detects_a_wrong_identity(monkeypatch):
    """The obligations can fail: with a wrong tau (W^{-1} forgotten: sigma(Wx + b) - b, not homogeneous) the kernel
    derives `refuted`, with a named nonzero difference."""
    from exactmin_kernel.interp import eye
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    real = P.affine
    monkeypatch.setattr(E, "tau", lambda W, b, Pt: (E.inv(W), real(eye(len(b)), tuple(-x for x in b),
                                                                    real(W, b, Pt, relu=True))))
    got = K.driver.derive(E, I, doc["witness"])
    assert got["default"][0] == "refuted"
    assert any("differs" in ob.name for ob in E.refutation(I, driver.read_witness(E.SCHEMA, doc["witness"], I), "default"))


# ------------------------------------------------------------------------- every-x: the identities for all inputs

def _relu_net(Ws, bs, x):
    """Plain Fraction forward pass, hidden layers only: [x^(1), ..., x^(L)] (independent of the kernel's code)."""
    out = []
    for W, b in zip(Ws[:-1], bs[:-1]):
        x = [max(sum(w * v for w, v in zip(r, x)) + c, F(0)) for r, c in zip(W, b)]
        out.append(x)
    return out


def _solve(A, y):
    """A^{-1} y by Cramer's rule (Fractions; small Q only) -- a third way to invert, shared with nothing."""
    n = len(A)

    def det(M):
        return M[0][0] if len(M) == 1 else sum((-1) ** j * M[0][j] * det([r[:j] + r[j + 1:] for r in M[1:]])
                                               for j in range(len(M)))
    d = det(A)
    return [det([[y[i] if k == j else A[i][k] for k in range(n)] for i in range(n)]) / d for j in range(n)]


def _tau(W, b, y):
    z = [max(sum(w * v for w, v in zip(r, y)) + c, F(0)) - c for r, c in zip(W, b)]
    return _solve(W, z)


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_prop22_every_x_holds_off_the_data(seed):
    """`every-x` proved => (2.44) at points the certificate never saw: random rationals and points on the kinks
    (a pre-activation exactly 0), checked with a separate Fraction implementation (Cramer inverses)."""
    c, doc, I = _deep_q3("deep.prop2.2", seed=seed, layers=3)
    assert words(K.check(doc, I))["every-x"] == "proved"
    w = driver.read_witness(P.SCHEMA, doc["witness"], I)
    (Ws, bs), (Cw, Cb) = w["network"], P.cumulative(w["network"])
    rnd = random.Random(60611 + seed)
    for t in range(40):
        x = [F(rnd.randint(-40, 40), rnd.randint(1, 9)) for _ in range(I.Q)]
        if t % 4 == 0:                       # put x on the kink of row 0 of layer 1: (W_1 x + b_1)_0 = 0
            r = Ws[0][0]
            k = next(i for i, v in enumerate(r) if v)
            x[k] -= (sum(a * v for a, v in zip(r, x)) + bs[0][0]) / r[k]
        hidden, y = _relu_net(Ws, bs, x), list(x)
        for l, h in enumerate(hidden):
            y = _tau(Cw[l], Cb[l], y)
            assert [sum(a * v for a, v in zip(r, y)) + c for r, c in zip(Cw[l], Cb[l])] == h
        out = [sum(a * v for a, v in zip(r, hidden[-1])) + c for r, c in zip(Ws[-1], bs[-1])]
        assert [sum(a * v for a, v in zip(r, y)) + c for r, c in zip(Cw[-1], Cb[-1])] == out


def test_eq266_every_x_holds_off_the_data_and_fails_for_negative_lambda():
    """`every-x` proved => tau_{lam W, lam b}(x) = tau_{W,b}(x) at fresh x; the same check with lam = -1 finds a
    counterexample, so the check can fail."""
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    assert words(K.check(doc, I))["every-x"] == "proved"
    w = driver.read_witness(E.SCHEMA, doc["witness"], I)
    W, b, rnd, neg = w["W"], w["b"], random.Random(77123), False
    for _ in range(60):
        x = [F(rnd.randint(-30, 30), rnd.randint(1, 7)) for _ in range(I.Q)]
        for lam in w["lambdas"]:
            assert _tau([[lam * v for v in r] for r in W], [lam * v for v in b], x) == _tau(W, b, x)
        neg |= _tau([[-v for v in r] for r in W], [-v for v in b], x) != _tau(W, b, x)
    assert neg


def test_every_x_rests_on_the_checked_inverse(monkeypatch, drop):
    """The inverse comes from an untrusted helper (linalg.inv).  If it lies, `every-x` is no longer proved and the
    message names the Inverse obligation; with that obligation dropped the lie would go through as `proved`."""
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    real = E.inv
    monkeypatch.setattr(E, "inv", lambda A: tuple(tuple(2 * v for v in r) for r in real(A)))
    doc["readings"]["default"], doc["verdict"] = "undecided", "undecided"     # what the kernel now says there
    rejected_by(doc, I, "every-x: certificate 'proved', kernel undecided (obligation W V = I")
    drop(E, "= I")
    assert words(K.check(doc, I))["every-x"] == "proved"


def test_sympy_lemmas_of_every_x():
    """The two steps of the every-x proofs, for generic symbolic entries (Q = 1, 2, 3): W tau_{W,b}(y) + b =
    sigma(W y + b) once W W^{-1} = I, and sigma(lam z) = lam sigma(z) for lam > 0 (by cases z > 0, z <= 0)."""
    import sympy as sp
    lam, z = sp.Symbol("lam", positive=True), sp.Symbol("z", real=True)
    pos, nonneg = sp.Symbol("p", positive=True), sp.Symbol("n", nonnegative=True)
    hom = sp.Max(lam * z, 0) - lam * sp.Max(z, 0)
    assert sp.simplify(hom) != 0                                     # not an identity SymPy sees without cases
    assert sp.simplify(hom.subs(z, pos)) == 0 and sp.simplify(hom.subs(z, -nonneg)) == 0     # z > 0 and z <= 0
    for Q in (1, 2, 3):
        W = sp.Matrix(Q, Q, lambda i, j: sp.Symbol(f"w{i}{j}", real=True))
        b, y = (sp.Matrix(Q, 1, lambda i, _: sp.Symbol(f"{n}{i}", real=True)) for n in "by")
        s = (W * y + b).applyfunc(lambda e: sp.Max(e, 0))
        assert sp.simplify(W * (W.inv() * (s - b)) + b - s) == sp.zeros(Q, 1)
