"""flow.exp-rate (arXiv:2311.15487, reconstruction in docs/claims/flow.md): along the adapted flow
d theta/ds = -D^T (D D^T)^(-1) grad_x C from theta_0, theta(s) stays in the region of theta_0 (region), rank D = QN
(rank) and C(s) = e^(-2 kappa s) C(0) (rate), for all s >= 0 or for s <= s_max.

Premises (witness theta_0): a hidden layer, K - hidden >= QN, theta_0 strict, rank D_0 = QN (when N K^2 <= 200000).
Conclusion, one ball and no integration (exactmin/flow/ball.py): N K^2 <= 200000; the ball B(theta_0, R) of
flow_common.ball (omega_l >= |W_l|, sigma_0^2 I <= D_0 D_0^T, pattern constant on B, E >= sup_B |D - D_0|_F,
sigma = sigma_0 - E > 0), so on B rank D = QN and the orbit moves at speed <= kappa e^(-kappa s) |r(0)| / sigma;
continuation |r(0)|^2 (1 - l)^2 <= (R sigma)^2 with l = 0 (all s) or 0 <= l <= e^(-kappa s_max) (an ExpLe
judgment; kappa s_max <= 10^4, a cap): the orbit never reaches the boundary of B, and x(s) - y = e^(-kappa s)(x(0) - y).
Witness: dims, theta, kappa, s_max?, radius?, norms?, sigma0?, deviation?, exp_lower?.
"""
from fractions import Fraction as F

from ..interp import CapError
from ..obligations import Le, NonNeg, Pos
from ..series import ExpLe
from .flow_common import NET, ball, evaluate, jacobian, residual, setting, start_hypotheses, work_cap

CLAIM, READINGS = "flow.exp-rate", ("region", "rank", "rate")
BALL = {"radius?": "rat", "norms?": ("vec", "*"), "sigma0?": "rat", "deviation?": "rat"}
SCHEMA = {**NET, "kappa": "rat", "s_max?": "rat", **BALL, "exp_lower?": "rat"}
MAX_HORIZON = 10 ** 4


def hypotheses(I):
    return iter(())


def premises(I, w, reading):
    yield from start_hypotheses(I, w)


def conclusion(I, w, reading):
    dims, theta, pts, tgs = setting(I, w)
    s, el = w["s_max"], w["exp_lower"]
    if s is not None and not 0 < w["kappa"] * s <= MAX_HORIZON or (s is None and el is not None):
        raise CapError(f"horizon: 0 < kappa s_max <= {MAX_HORIZON}; exp_lower only with s_max")
    yield from work_cap(I, dims)
    yield from ball(I, w, dims, theta, pts, tgs, jacobian(dims, theta, pts))
    if s is not None:
        yield Pos("exp_lower given", F(int(el is not None)))
        yield NonNeg("exp_lower >= 0", el)
        yield ExpLe("exp_lower <= e^(-kappa s_max)", el, F(1), -w["kappa"] * s, None)
    r0sq = sum(x * x for x in residual(evaluate(dims, theta, pts)[2], tgs))
    sig = w["sigma0"] - w["deviation"]
    yield Le("continuation |r(0)|^2 (1 - exp_lower)^2 <= (R sigma)^2", r0sq * (1 - (el or 0)) ** 2, (w["radius"] * sig) ** 2)
