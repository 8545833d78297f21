"""deep.eq4.13, (4.13)-(4.15) of arXiv:2309.10639v4: a strongly negative bias collapses a cluster under tau_{W,b}.

tau_{W,b}(y) = W^-1 (sigma(W y + b) - b) (Definition 2.1).  Hypotheses: those of deep.thm2.3 (a step of its proof).
Premises (per reading, on its witness W, mu): mu < 0, det W != 0 and mu^2 I - 4 delta^2 W^T W positive definite
(mu < -2 delta ||W||, delta^2 = max_{j,i} |Delta x_{0,j,i}|^2).
as-printed (witness W_printed, mu_printed): with b_j = -xbar_{0,j} + mu u_Q, tau_{W,b_j}(X_{0,j}) =
W^-1 (xbar_{0,j} - mu u_Q) u^T for every class j (exact, at every data point); refuted by a data point whose
tau-image differs (a positive pre-activation W x + b_j; recipe W-C: W = cI, c != 1).
corrected (witness W, mu): b_j = -W xbar_{0,j} + mu u_Q; for EVERY x in the closed ball B_delta(xbar_{0,j}),
W x + b_j = W(x - xbar_{0,j}) + mu u <= 0 since mu^2 >= delta^2 |row_r W|^2 per row r (mu < 0), so
tau_{W,b_j}(x) = -W^-1 b_j = xbar_{0,j} - mu W^-1 u_Q (an Inverse judgment); implied by the premises, no refutation.
"""
from fractions import Fraction as F

from ..interp import det, dot, eye, mm, mv, scale, sub, tr
from ..linalg import inv
from ..obligations import Eq, Inverse, NonNeg, NonZero, Pos, PosDef
from . import deep_thm2_3 as T

CLAIM, READINGS = "deep.eq4.13", ("as-printed", "corrected")
SCHEMA = {"W": ("mat", "Q", "Q"), "mu": "rat", "W_printed": ("mat", "Q", "Q"), "mu_printed": "rat"}


def hypotheses(I):
    yield from T.hypotheses(I)


def pair(w, reading):
    return (w["W_printed"], w["mu_printed"]) if reading == "as-printed" else (w["W"], w["mu"])


def premises(I, w, reading):
    (W, mu), d2 = pair(w, reading), max(T.geometry(I)[0])
    yield from (Pos("mu < 0", -mu), NonZero("W invertible", det(W)),
                PosDef("mu^2 > 4 delta^2 ||W||^2", tuple(tuple(mu * mu * e - 4 * d2 * g for e, g in zip(r, s))
                                                           for r, s in zip(eye(I.Q), mm(tr(W), W)))))


def images(I, W, mu):
    """Per class j: (b_j, [tau(x) for x in X_{0,j}], claimed column) of the printed (4.13)-(4.15)."""
    Wi, u = inv(W), (F(1),) * I.Q
    for m, c in zip(I.means, I.classes):
        b = sub(scale(mu, u), m)
        yield b, [mv(Wi, sub(tuple(max(p + q, F(0)) for p, q in zip(mv(W, x), b)), b)) for x in c], \
            mv(Wi, sub(m, scale(mu, u)))


def conclusion(I, w, reading):
    W, mu = pair(w, reading)
    if reading == "as-printed":
        yield from (Eq(f"class {j + 1}: tau(X_0,{j + 1}) = W^-1(xbar - mu u) u^T", tuple(t), (cl,) * len(t))
                    for j, (b, t, cl) in enumerate(images(I, W, mu)))
        return
    Wi, u, d2 = inv(W), (F(1),) * I.Q, max(T.geometry(I)[0])
    yield Inverse("W inverse", W, Wi)
    yield from (NonNeg(f"closed ball, row {r + 1}", mu * mu - d2 * dot(row, row)) for r, row in enumerate(W))
    for j, m in enumerate(I.means):
        b = sub(scale(mu, u), mv(W, m))
        yield Eq(f"class {j + 1}: -W^-1 b = xbar - mu W^-1 u", scale(-1, mv(Wi, b)), sub(m, scale(mu, mv(Wi, u))))


def refutation(I, w, reading):
    if reading != "as-printed":
        yield Pos("no refutation", F(0))
        return
    W, mu = pair(w, reading)
    for j, (b, t, cl) in enumerate(images(I, W, mu)):
        bad = [i for i, x in enumerate(t) if x != cl]
        if bad:
            d = sub(t[bad[0]], cl)
            yield Pos(f"counterexample: point {bad[0] + 1} of class {j + 1}, tau differs", dot(d, d))
            return
    yield Pos("a counterexample exists", F(0))
