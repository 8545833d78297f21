"""shallow.relative-error, arXiv:2309.10370 with arXiv:2309.10639 (2.54)/(4.3): M = Q, relative error O(delta_P^2).

Hypotheses: those of shallow.thm3.2.  Notation: Delta_1 = X^-1 Delta x, Delta_2 = sum_j N_j^-1 sum_i Delta_1
Delta_1^T, C_ub^2 = sum_j N_j^-1 sum_i |Y Delta_1|^2 = Tr(Y Delta_2 Y^T), C*^2 = Tr(Y Delta_2 (1+Delta_2)^-1 Y^T),
rho = C*^2 / C_ub^2, r = 1 - sqrt(rho), delta_P^2 = max |Delta_1|^2.  Witness: l_max, l_min with l_max I - Delta_2
and Delta_2 - l_min I PSD, l_min >= 0.
gap-identity: C_ub^2 - C*^2 = Tr(Y Delta_2^2 (1+Delta_2)^-1 Y^T) >= 0 (refuted by either failing exactly).
upper: r <= (Q/2) delta_P^2, through rho (1 + l_max) >= 1 and Tr Delta_2 <= Q delta_P^2, checked as a <= 0 or
rho >= a^2 with a = 1 - (Q/2) delta_P^2 (the constant Q/2 is ours); refuted iff a > 0 and rho < a^2.
lower: C* <= (1 - C_0 delta_P^2) C_ub with our C_0 = l_min / (2 (1 + l_min) delta_P^2): rho (1 + l_min) <= 1,
b = 1 - C_0 delta_P^2 >= 0 and rho <= b^2; refuted iff b >= 0 and rho > b^2.
"""
from fractions import Fraction as F

from ..interp import eye, mm, tr
from ..linalg import inv
from ..obligations import PSD, Eq, Le, NonNeg, NonZero, Pos
from ..ondata import max_sq
from .shallow_thm3_2 import hypotheses, moments  # noqa: F401  (the same hypotheses)

CLAIM, READINGS = "shallow.relative-error", ("gap-identity", "upper", "lower")
SCHEMA = {"lambda_max_upper": "rat", "lambda_min_lower": "rat"}


def facts(I):
    """(Delta_2, C_ub^2, C*^2, Tr(Y Delta_2^2 (1+Delta_2)^-1 Y^T), Tr Delta_2, delta_P^2), cached: Delta_2 = Xi C Xi^T
    from the class statistics (shallow_thm3_2.moments)."""
    if not hasattr(I, "re_facts"):
        Xi, Q = inv(tr(I.means)), I.Q
        D2 = mm(mm(Xi, moments(I)[4]), tr(Xi))
        Si = inv(tuple(tuple(a + e for a, e in zip(r, s)) for r, s in zip(D2, eye(Q))))
        trace = (lambda A: sum((A[i][i] for i in range(len(A))), F(0)))               # noqa: E731
        ub, cs = trace(mm(mm(I.Y, D2), tr(I.Y))), trace(mm(mm(mm(I.Y, D2), Si), tr(I.Y)))
        I.re_facts = (D2, ub, cs, trace(mm(mm(mm(mm(I.Y, D2), D2), Si), tr(I.Y))), trace(D2), max_sq(I, Xi))
    return I.re_facts


def psd(name, M):
    return PSD(name, M)


def conclusion(I, w, reading, refute=False):
    D2, ub, cs, gapf, trD, dsq = facts(I)
    rho, Q, lmax, lmin = cs / ub, I.Q, w["lambda_max_upper"], w["lambda_min_lower"]
    shift = (lambda s, A: tuple(tuple(s * e + a for e, a in zip(r, t)) for r, t in zip(eye(Q), A)))   # noqa: E731
    if reading == "gap-identity":
        gap = ub - cs
        yield from (((NonZero("gap identity fails", gap - gapf) if gap != gapf else Pos("gap < 0", -gap)),) if refute
                    else (Eq("gap = Tr(Y Delta_2^2 (1+Delta_2)^-1 Y^T)", gap, gapf), NonNeg("gap >= 0", gap)))
    elif reading == "upper":
        a = 1 - F(Q, 2) * dsq
        yield from ((Pos("a > 0", a), Pos("rho < a^2", a * a - rho)) if refute else
                    (psd("l_max I - Delta_2", shift(lmax, tuple(tuple(-x for x in r) for r in D2))),
                     Le("rho (1 + l_max) >= 1", F(1), rho * (1 + lmax)), Le("Tr Delta_2 <= Q delta_P^2", trD, Q * dsq),
                     NonNeg("a <= 0 or rho >= a^2", -a if a <= 0 else rho - a * a)))
    else:
        yield from (NonNeg("l_min >= 0", lmin), psd("Delta_2 - l_min I", shift(-lmin, D2)))
        b = 1 - lmin / (2 * (1 + lmin) * dsq) * dsq                                   # 1 - C_0 delta_P^2
        yield from ((NonNeg("b >= 0", b), Pos("rho > b^2", rho - b * b)) if refute else
                    (Le("rho (1 + l_min) <= 1", rho * (1 + lmin), F(1)), NonNeg("b >= 0", b), Le("rho <= b^2", rho, b * b)))


def refutation(I, w, reading):
    yield from conclusion(I, w, reading, refute=True)
