"""shallow.thm3.3, Theorem 3.3 of arXiv:2309.10370 (digest section 4.4): the constructed network classifies by
nearest class mean in its induced (pseudo)metric d(x, x') = |Y P (x - x')|, P = (X^T X)^-1 X^T, X = X_0^red.

Hypotheses: Q <= M, det(X^T X) != 0 (rank X = Q), det(Y^T Y) != 0 (rank Y = Q).
Witness: the network (W_1, b_1, W_2, b_2), which must be the construction of shallow.upper-bound (W_1 = [P; K],
K X = 0, det W_1 != 0, W_2 = [Y, 0], b_2 = -beta Y u, with its pre-activation signs); tau(x) = W_1^-1
(sigma(W_1 x + b_1) - b_1) (W_1^-1 certified by an Inverse obligation).
identity: W_2 W_1 = Y P and W_2 b_1 + b_2 = 0, i.e. x^(2)(x) = W_2 W_1 tau(x) + W_2 b_1 + b_2 = Y P tau(x) for
every x in R^M.
nearest-mean: P X = I, so Y P xbar_j = y_j and |x^(2)(x) - y_j| = d(tau(x), xbar_j) for every x; re-checked
exactly on every data point (x^(2)(x) = Y P tau(x): ondata.same_outputs, by the two maps on the data where both
networks are affine there, else point by point).
metric-on-span: Y^T Y positive definite, so d(X a, X b) = |Y (a - b)| is a metric on span{xbar_j}.
pseudometric-on-RM: Y P K^T = 0 (d vanishes along the M - Q independent rows of K, span{xbar_j}^perp).
Each reading is refuted iff the network is the construction and a named exact equality fails (it cannot: the
refutations are stated for completeness); metric-on-span has no refutation (Y^T Y is PSD with det != 0).
"""
from fractions import Fraction as F

from ..interp import det, mm, mv, tr
from ..linalg import inv
from ..obligations import Eq, Inverse, NonZero, Pos, PosDef
from ..ondata import same_outputs
from . import shallow_upper_bound as ub

CLAIM = "shallow.thm3.3"
READINGS = ("identity", "nearest-mean", "metric-on-span", "pseudometric-on-RM")
SCHEMA = {"network": ("net", "M", "M", "K")}


def hypotheses(I):
    yield from ub.hypotheses(I)
    yield NonZero("det Y^T Y", det(mm(tr(I.Y), I.Y)))


def facts(I, w):
    """(construction obligations, P, the named equalities of each reading as (name, lhs, rhs)), cached per witness."""
    if getattr(I, "t33", (None,))[0] is not w:
        I.t33 = (w, _facts(I, w))
    return I.t33[1]


def _facts(I, w):
    (W1, W2), (b1, b2) = w["network"]
    X = tr(I.means)
    P = mm(inv(mm(tr(X), X)), tr(X))
    obs = ub.construction(I, w)[0]
    YP, W1i = mm(I.Y, P), inv(W1)
    eqs = {"identity": [("W_2 W_1 = Y P", mm(W2, W1), YP),
                        ("W_2 b_1 + b_2 = 0", tuple(x + y for x, y in zip(mv(W2, b1), b2)), (F(0),) * I.K)],
           "nearest-mean": [("P X = I", mm(P, X), tuple(tuple(F(int(i == j)) for j in range(I.Q)) for i in range(I.Q)))],
           "pseudometric-on-RM": [("Y P K^T = 0", mm(YP, tr(W1[I.Q:])) if I.M > I.Q else (), ((F(0),) * (I.M - I.Q),) * I.K
                                   if I.M > I.Q else ())]}
    if W1i is not None:          # Y P tau(x) = (Y P W_1^-1) sigma(W_1 x + b_1) - Y P W_1^-1 b_1: a network too
        V = mm(YP, W1i)
        eqs["nearest-mean"].append(("x^(2)(x) = Y P tau(x) on the data",
                                    *same_outputs(I, ((W1, W2), (b1, b2)), ((W1, V), (b1, tuple(-x for x in mv(V, b1)))))))
    return obs, W1i, eqs


def conclusion(I, w, reading):
    if reading == "metric-on-span":
        yield PosDef("Y^T Y", mm(tr(I.Y), I.Y))
        return
    obs, W1i, eqs = facts(I, w)
    yield from obs
    yield Inverse("W_1^-1", w["network"][0][0], W1i)
    yield from (Eq(n, a, b) for n, a, b in eqs[reading] + (eqs["identity"] if reading == "nearest-mean" else []))


def refutation(I, w, reading):
    if reading == "metric-on-span":
        yield Pos("no refutation", F(0))
        return
    obs, W1i, eqs = facts(I, w)
    yield from obs
    yield Inverse("W_1^-1", w["network"][0][0], W1i)
    bad = [n for n, a, b in eqs[reading] if a != b]
    yield Pos(f"fails: {bad[0]}" if bad else "a named equality fails", F(int(bool(bad))))
