"""deep.eq4.23, (4.23) of arXiv:2309.10639v4: the aperture theta_{*,j} of (2.51) and the one of (4.23).

Hypotheses: those of deep.thm2.3 (a step of its proof).  a_{jk} = xbar_{0,k} - xbar_{0,j}, f_j = v_j/|v_j|,
v_j = xbar - xbar_{0,j}; T.cone(a, v, r^2, kappa, t^2) > 0 iff B_r(a) lies strictly inside t f + C_theta[f]
(kappa = cos^2(theta/2)); closed ball in closed cone iff >= 0, and < 0 means the ball leaves the cone.
(2.51): theta_{*,j} = the smallest theta with B_{4 delta}(xbar_{0,k}) in xbar_{0,j} + C_theta[f_j] for all k != j.
(4.23): the smallest theta with B_{2 delta}(xbar_{0,k}) in xbar_{0,j} + 2 delta f_j + C_theta[f_j] for all k != j.
equivalent ("(2.51) is equivalent with" (4.23)): the two smallest angles agree for every j.  Not certifiable
exactly; refuted by a separating angle theta_s (witness kappa_sep = cos^2(theta_s/2), class j, the failing k, and
sep_sign): sep_sign = 1: every (4.23) ball strictly inside at theta_s and the (2.51) ball of k outside it, so the
(4.23) angle < theta_s < theta_{*,j}; sep_sign = -1 the other way round (W-A: sin^2 = 1/361 vs 1/100).
implied: the (4.23) containment holds at theta_{*,j}: B_{2 delta}(xbar_k) - 2 delta f_j lies in B_{4 delta}(xbar_k)
(4 delta |v| - 2 delta |v| - |2 delta v| >= 0, by squares), which is inside xbar_{0,j} + C_{theta_*,j}[f_j] by
(2.51), hence B_{2 delta}(xbar_k) inside xbar_{0,j} + 2 delta f_j + C_{theta_*,j}[f_j]; no refutation.
"""
from fractions import Fraction as F

from ..interp import dot
from ..obligations import Pos, SqrtSumSign
from . import deep_thm2_3 as T

CLAIM, READINGS = "deep.eq4.23", ("equivalent", "implied")
SCHEMA = {"j": "rat", "k": "rat", "kappa_sep": "rat", "sep_sign": "rat"}


def hypotheses(I):
    yield from T.hypotheses(I)


def index(x, Q):
    """0-based index of a class number x in 1..Q, or None."""
    return int(x) - 1 if x.denominator == 1 and 1 <= x <= Q else None


def conclusion(I, w, reading):
    dev, v, a, pairs = T.geometry(I)
    d2 = max(dev)
    if reading == "equivalent":
        yield Pos("the two smallest angles agree (not certifiable exactly)", F(0))
        return
    for j, k in pairs:
        vv = dot(v[j], v[j])
        yield SqrtSumSign(f"B_2delta(xbar_{k + 1}) - 2 delta f_{j + 1} in B_4delta(xbar_{k + 1})",
                          ((F(1), 16 * d2 * vv), (F(-1), 4 * d2 * vv), (F(-1), 4 * d2 * vv)), (0, 1))


def refutation(I, w, reading):
    if reading != "equivalent":
        yield Pos("no refutation", F(0))
        return
    dev, v, a, pairs = T.geometry(I)
    d2, kap, s = max(dev), w["kappa_sep"], w["sep_sign"]
    j, k = index(w["j"], I.Q), index(w["k"], I.Q)
    yield Pos("j, k classes, j != k, sep_sign = +-1", F(int(j is not None and k is not None and j != k and s in (1, -1))))
    yield Pos("0 < kappa_sep < 1", (kap, 1 - kap))
    if s == 1:          # every (4.23) ball inside at theta_s, the (2.51) ball of k outside
        yield from (SqrtSumSign(f"(4.23) ball {m + 1} inside at theta_s", T.cone(a[j][m], v[j], 4 * d2, kap, 4 * d2), 1)
                    for m in range(I.Q) if m != j)
        yield SqrtSumSign(f"(2.51) ball {k + 1} outside at theta_s", T.cone(a[j][k], v[j], 16 * d2, kap), -1)
    else:
        yield from (SqrtSumSign(f"(2.51) ball {m + 1} inside at theta_s", T.cone(a[j][m], v[j], 16 * d2, kap), 1)
                    for m in range(I.Q) if m != j)
        yield SqrtSumSign(f"(4.23) ball {k + 1} outside at theta_s", T.cone(a[j][k], v[j], 4 * d2, kap, 4 * d2), -1)
