"""flow.rank-condition (arXiv:2311.15487, reconstruction in docs/claims/flow.md): at a rational point theta
strictly inside an activation region, rank D[theta] = QN, D = dx/dtheta in R^(QN x K).

Witness: dims, theta (flow_common), omegas (omega_l >= |W_l|_op, hidden layers l = 2..L), pattern_radius r
(optional).
* overparametrized: premise K - (hidden neurons) >= QN (the rescaling symmetries bound rank D by K - hidden).
* interior: premise every hidden pre-activation nonzero at theta; conclusion: a hidden layer, omega_l >= |W_l|
  (PSD), and the pattern recursion e_l = r (|a_(l-1)| + e_(l-1) + 1) + omega_l e_(l-1) < min |z_l| at every point:
  no pre-activation changes sign on the ball |theta' - theta| <= r.  No radius given: undecided.
* full-rank: premises theta strict and rank D = QN (rank D = rank D D^T: exact elimination of the QN x QN Gram
  matrix, a Rank judgment); conclusion: det D D^T != 0.
"""
from fractions import Fraction as F

from ..interp import det
from ..obligations import Eq, Le, NonZero, Pos
from .flow_common import NET, errors, evaluate, gram, layers, margin, nparams, opnorm, rank, setting

CLAIM, READINGS = "flow.rank-condition", ("interior", "overparametrized", "full-rank")
SCHEMA = {**NET, "omegas": ("vec", "*"), "pattern_radius?": "rat"}


def hypotheses(I):
    return iter(())


def premises(I, w, reading):
    dims, theta, pts, _ = setting(I, w, kappa=False)
    if reading == "overparametrized":
        yield Le("K - hidden neurons >= QN", I.K * I.N, nparams(dims) - sum(dims[1:-1]))
        return
    yield Pos("theta strictly inside a region (min |z| > 0)", margin(evaluate(dims, theta, pts)[0]))
    if reading == "full-rank":
        ob, r = rank("rank D D^T by elimination", gram(dims, theta, pts, True))
        yield ob
        yield Eq("rank D = QN", r, I.K * I.N)


def conclusion(I, w, reading):
    dims, theta, pts, _ = setting(I, w, kappa=False)
    if reading == "full-rank":
        yield NonZero("det D D^T != 0", det(gram(dims, theta, pts, True)))
    elif reading == "interior":
        Ws, _ = layers(dims, theta)
        r, om = w["pattern_radius"], w["omegas"]
        yield Pos("a hidden layer", len(dims) - 2)
        yield Eq("one norm bound per hidden layer 2..L", len(om), len(dims) - 3)
        for l, W in enumerate(Ws[1:-1]):
            yield from opnorm(f"omega_{l + 2}", om[l], W)
        yield Pos("pattern_radius given, > 0", r if r is not None else F(0))
        pres, acts, _ = evaluate(dims, theta, pts)
        yield Pos("pattern constant on the ball of radius pattern_radius", errors(r, om, acts, pres)[1])
