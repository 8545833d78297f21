"""deep.hypotheses, the standing hypotheses of arXiv:2309.10639v4, one reading each; a reading that fails is
``hypotheses-fail`` (a premise exactly false), one that holds is ``proved``.  No witness.

delta_j^2 = max_i |x_{0,j,i} - xbar_j|^2, delta^2 = max_j delta_j^2, v_j = xbar - xbar_j (xbar the barycentre).
2.12: every delta_j^2 > 0.  2.14: 16 delta^2 < min_j |v_j|^2.  2.51: Q >= 2 and, for j != k,
<xbar_k - xbar_j, v_j> > 0 and its square > 16 delta^2 |v_j|^2 (i.e. > 4 delta |v_j|).
X0red-invertible: M = Q and det X_0^red != 0 (2.15).  Y-invertible: Y is Q x Q and det Y != 0 (2.1).  Q<N.
"""
from fractions import Fraction as F

from ..interp import det, dot, tr
from ..obligations import Eq, NonZero, Pos
from .deep_thm2_3 import geometry

CLAIM = "deep.hypotheses"
READINGS = ("2.12", "2.14", "2.51", "X0red-invertible", "Y-invertible", "Q<N")
SCHEMA = {}


def hypotheses(I):
    return iter(())


def premises(I, w, reading):
    if reading == "2.51":
        yield Pos("Q>=2", F(I.Q - 1))
    dev, v, a, pairs = geometry(I)
    if reading == "2.12":
        yield Pos("2.12", dev)
    elif reading == "2.14":
        yield Pos("2.14", min(dot(x, x) for x in v) - 16 * max(dev))
    elif reading == "2.51":
        for j, k in pairs:
            s = dot(a[j][k], v[j])
            yield from (Pos(f"2.51({j + 1},{k + 1})", s),
                        Pos(f"2.51({j + 1},{k + 1})^2", s * s - 16 * max(dev) * dot(v[j], v[j])))
    elif reading == "X0red-invertible":
        yield Eq("M=Q", I.M, I.Q)                # lazily: the determinant needs it
        yield NonZero("det X0red", det(tr(I.means)))
    elif reading == "Y-invertible":
        yield Eq("Y is QxQ", I.K, I.Q)
        yield NonZero("det Y", det(I.Y))
    else:
        yield Pos("Q<N", F(I.N - I.Q))


def conclusion(I, w, reading):
    return iter(())
