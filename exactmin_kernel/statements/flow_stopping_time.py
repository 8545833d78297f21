"""flow.stopping-time (arXiv:2311.15487, reconstruction in docs/claims/flow.md): C(s) <= eps for
s >= T_eps = max(0, ln(C(0)/eps) / (2 kappa)) along the adapted orbit; the plain flow d theta/ds = -grad C reaches
C <= eps at a time in [T_eps / Sigma^2, T_eps / sigma^2].

Premises: those of flow.exp-rate at theta_0 (flow_common.start_hypotheses).  Conclusions (flow_common.ball):
* orbit: N K^2 <= 200000, the ball, and |r(0)|^2 <= (R sigma)^2: the adapted orbit stays in B for all s >= 0.
* a-priori: orbit, and T_eps = [T_lo, T_hi] encloses ln(C(0)/eps)/(2 kappa): e^(2 kappa T_lo) <= C(0)/eps <=
  e^(2 kappa T_hi) (ExpLe judgments, 2 kappa T_hi <= 20000 a cap), or T_eps = [0, 0] when C(0) <= eps.
* plain-flow: the ball, D_0 D_0^T <= Sigma_0^2 I (PSD), Sigma = Sigma_0 + E >= |D| on B, Sigma^2 |r(0)|^2 <=
  R^2 sigma^4 (the plain orbit stays in B, so e^(-2 kappa Sigma^2 s) C(0) <= C(s) <= e^(-2 kappa sigma^2 s) C(0)),
  and the T_eps enclosure, which gives the hitting time bounds.
Witness: dims, theta, kappa, eps, T_eps?, radius?, norms?, sigma0?, deviation?, Sigma0?.
"""
from fractions import Fraction as F

from ..interp import CapError
from ..obligations import Eq, Le, NonNeg, Pos
from ..series import ExpLe
from .flow_common import NET, ball, evaluate, gram, jacobian, psd, residual, setting, start_hypotheses, work_cap
from .flow_exp_rate import BALL

CLAIM, READINGS = "flow.stopping-time", ("orbit", "a-priori", "plain-flow")
SCHEMA = {**NET, "kappa": "rat", "eps": "rat", "T_eps?": ("vec", 2), **BALL, "Sigma0?": "rat"}
MAX_EXPONENT = 20_000


def hypotheses(I):
    return iter(())


def premises(I, w, reading):
    yield from start_hypotheses(I, w)


def enclosure(w, c0):
    T, eps, k = w["T_eps"], w["eps"], w["kappa"]
    if not eps > 0 or (T is not None and not 0 <= T[0] <= T[1] <= F(MAX_EXPONENT) / (2 * k)):
        raise CapError(f"eps > 0 and 0 <= T_lo <= T_hi, 2 kappa T_hi <= {MAX_EXPONENT}")
    yield Pos("T_eps given", F(int(T is not None)))
    if c0 <= eps:
        yield Eq("T_eps = [0, 0] when C(0) <= eps", T, (0, 0))
    else:
        yield ExpLe("e^(2 kappa T_lo) <= C(0)/eps (T_eps enclosure)", None, F(1), 2 * k * T[0], c0 / eps)
        yield ExpLe("C(0)/eps <= e^(2 kappa T_hi) (T_eps enclosure)", c0 / eps, F(1), 2 * k * T[1], None)


def conclusion(I, w, reading):
    dims, theta, pts, tgs = setting(I, w)
    r0sq = sum(x * x for x in residual(evaluate(dims, theta, pts)[2], tgs))
    if reading == "a-priori":
        yield from enclosure(w, w["kappa"] / 2 * r0sq)
    yield from work_cap(I, dims)
    D = jacobian(dims, theta, pts)
    yield from ball(I, w, dims, theta, pts, tgs, D)
    R, sig = w["radius"], w["sigma0"] - w["deviation"]
    if reading != "plain-flow":
        yield Le("continuation |r(0)|^2 <= (R sigma)^2", r0sq, (R * sig) ** 2)
        return
    S0 = w["Sigma0"]
    yield Pos("Sigma0 given", F(int(S0 is not None)))
    yield NonNeg("Sigma_0 >= 0", S0)
    yield psd("D_0 D_0^T <= Sigma_0^2 I", tuple(tuple(S0 * S0 * (i == j) - x for j, x in enumerate(r)) for i, r in enumerate(gram(dims, theta, pts))))
    yield Le("plain continuation Sigma^2 |r(0)|^2 <= R^2 sigma^4", (S0 + w["deviation"]) ** 2 * r0sq, R * R * sig ** 4)
    yield from enclosure(w, w["kappa"] / 2 * r0sq)
