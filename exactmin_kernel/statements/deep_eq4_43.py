"""deep.eq4.43, (4.43) of arXiv:2309.10639v4: layer 1 leaves the other clusters in the orthant.

Hypotheses: those of deep.thm2.3 (a step of its proof).  Premises: lambda admissible (T.theta: 0 < lambda <= 1,
theta_* > every theta_{*,j}, kappa = cos^2(theta_*/2)).  a_j = xbar_{0,j} - xbar_{0,1}, v = xbar - xbar_{0,1}.
ball-as-printed, about the PAPER's network (R_1 f_1 = u/sqrt Q, any such R_1): mu_1 u/|u| + B_delta(W_* R_1 a_j)
in C_{theta_Q}[u_Q] for -D <= mu_1 <= -2 delta sqrt Q.  The centre has axial coordinate mu_1 + <a_j, f_1> and
distance lambda |a_j - <a_j, f_1> f_1| from the axis (independent of R_1), so |v| (its distance to the boundary
- delta) = (<a_j, v> + mu_1 |v|) sin - lambda sqrt(|a_j|^2 |v|^2 - <a_j, v>^2) cos - delta |v|, sin^2 = 1/Q,
cos^2 = (Q-1)/Q (theta_Q).  The labelling of the classes is arbitrary, so the statement is read for every class k
collapsed at layer 1 (a_j = xbar_{0,j} - xbar_{0,k}, f_k; witness k, default 1).  Proved by mu_lo <= -D (the (4.26) ball of the witness pair is not strictly inside
at t = -mu_lo) and the sum >= 0 at mu_lo for every j >= 2 (it increases with mu_1).  Refuted by mu_1 in I_0
(T.in_I0) and the sum < 0 for the witness class j: the ball sticks out (W-G: 169/20000 < delta^2 = 1/100).
data, about the rational REALISATION of deep.thm2.3 (its tol, u~, f~_l, R_l; T.construction) at mu_1 in I_0
(premise), class 1 at layer 1 as the realisation builds it: every data point of a class j >= 2 has layer-1 pre-activation W_* R_1 (x - c_1) >= 0, c_1 = xbar_{0,1}
- mu_1 f~_1 ((4.40)); refuted by a negative coordinate.
"""
from fractions import Fraction as F

from ..interp import dot, mv, sub
from ..obligations import NonNeg, Pos, SqrtSumSign
from . import deep_thm2_3 as T
from .deep_eq4_23 import index

CLAIM, READINGS = "deep.eq4.43", ("ball-as-printed", "data")
SCHEMA = {"lambda": "rat", "mu_1": "rat", "k?": "rat", "j": "rat", "mu_lo": "rat", "pair": ("vec", 2), "tol": "rat",
          "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")), "R": ("list", "Q", ("mat", "Q", "Q"))}


def hypotheses(I):
    yield from T.hypotheses(I)


def premises(I, w, reading):
    kappa = yield from T.theta(I, w)
    if reading == "data":
        yield from T.in_I0(I, w["mu_1"], kappa)


def kappa_of(I, w):
    t = w["lambda"] ** 2 * (I.Q - 1)
    return t / (1 + t)


def ball(I, w, j, mu, k=0):
    """Terms of |v_k| (distance of the (4.43) centre of class j to the boundary of C_theta_Q[u] - delta), class k
    collapsed at layer 1."""
    dev, v, a, _ = T.geometry(I)
    aj, v1, Q, lam = a[k][j], v[k], I.Q, w["lambda"]
    av, aa, vv = dot(aj, v1), dot(aj, aj), dot(v1, v1)
    return ((F((av > 0) - (av < 0)), av * av / Q), (F((mu > 0) - (mu < 0)), mu * mu * vv / Q),
            (F(-1), lam * lam * F(Q - 1, Q) * (aa * vv - av * av)), (F(-1), max(dev) * vv))


def pre_activations(I, w):
    Wc, c = yield from T.construction(I, w)
    return [[mv(Wc[0], sub(x, c(0, w["mu_1"]))) for x in I.classes[j]] for j in range(1, I.Q)]


def conclusion(I, w, reading):
    if reading == "data":
        Z = yield from pre_activations(I, w)
        yield from (NonNeg(f"class {j + 2}: pre-activations >= 0", tuple(z)) for j, z in enumerate(Z))
        return
    dev, v, a, _ = T.geometry(I)
    lo, (p, q) = w["mu_lo"], (index(x, I.Q) for x in w["pair"])
    yield from (Pos("mu_lo < 0", -lo), Pos("pair: classes p != q", F(int(p is not None and q is not None and p != q))))
    yield SqrtSumSign(f"mu_lo <= -D: (4.26) ball ({p + 1},{q + 1}) not strictly inside",
                      T.cone(a[p][q], v[p], max(dev), kappa_of(I, w), lo * lo), (-1, 0))
    yield from (SqrtSumSign(f"class {k + 1} at layer 1, class {j + 1}: ball in C_theta_Q[u] at mu_lo", ball(I, w, j, lo, k), (0, 1))
                for k in range(I.Q) for j in range(I.Q) if j != k)


def refutation(I, w, reading):
    if reading == "data":
        Z = yield from pre_activations(I, w)
        bad = [(j, r, x) for j, zs in enumerate(Z) for z in zs for r, x in enumerate(z) if x < 0]
        yield Pos(f"class {bad[0][0] + 2}: pre-activation {bad[0][1] + 1} < 0", -bad[0][2]) if bad else \
            Pos("a negative pre-activation", F(0))
        return
    j, k = index(w["j"], I.Q), index(w["k"] if w["k"] is not None else F(1), I.Q)
    yield Pos("j, k classes, j != k", F(int(j is not None and k is not None and j != k)))
    yield from T.in_I0(I, w["mu_1"], kappa_of(I, w))
    yield SqrtSumSign(f"class {k + 1} at layer 1, class {j + 1}: the ball leaves C_theta_Q[u] at mu_1", ball(I, w, j, w["mu_1"], k), -1)
