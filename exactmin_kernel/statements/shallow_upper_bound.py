"""shallow.upper-bound, arXiv:2309.10370 (digest section 3.1, 4.1): a width-M network with cost O(delta_P).

Hypotheses: Q <= M, det(X^T X) != 0 for X = X_0^red (columns xbar_j), so P = (X^T X)^-1 X^T with P X = I.
Witness: the network (W_1, b_1, W_2, b_2) and lambda_bar.
The construction: W_1 = [P; K] with K X = 0 and W_1 invertible; b_1 = (beta u_Q; -beta' u_{M-Q}) with every signal
pre-activation P x + beta >= 0 and every noise pre-activation K x - beta' <= 0 on the data; W_2 = [Y, 0],
b_2 = -beta Y u.  Then the output is Y P x, and Y P x - y_j = Y P Delta x.
construction: its exact cost^2 equals Tr(Y Delta_2 Y^T) = sum_j N_j^-1 sum_i |Y P Delta x|^2 (refuted iff the
network is the construction and the two differ).
bound: cost^2 <= lambda_bar Tr Delta_2 <= Q lambda_bar delta_P^2 (delta_P^2 = max |P Delta x|^2), with
lambda_bar I - Y^T Y PSD, i.e. lambda_bar >= ||Y||_op^2; the constant C = Q lambda_bar is ours.
Refuted iff lambda_bar is certified, the network is the construction and cost^2 > C delta_P^2.
"""
from fractions import Fraction as F

from ..interp import det, eye, mm, tr
from ..linalg import inv
from ..obligations import PSD, Eq, Le, NonNeg, NonZero, Pos
from ..ondata import max_sq, network_cost, row_bounds
from .shallow_thm3_2 import moments

CLAIM, READINGS = "shallow.upper-bound", ("construction", "bound")
SCHEMA = {"network": ("net", "M", "M", "K"), "Y_gram_lambda_max_upper": "rat"}


def hypotheses(I):
    yield Pos("Q<=M", F(I.M - I.Q + 1))
    yield NonZero("det X^T X", det(mm(I.means, tr(I.means))))


def construction(I, w):
    """The obligations saying the witness network is the construction, and (cost^2, formula, delta_P^2, Tr Delta_2),
    cached per witness.  With C = sum_j N_j^-1 sum_i (x - m_j)(x - m_j)^T from the class statistics, formula =
    Tr(Y P C P^T Y^T) and Tr Delta_2 = Tr(P C P^T); the pre-activation signs by row bounds (ondata.row_bounds:
    40-bit bounds where they show the sign, else exact)."""
    if getattr(I, "ub", (None,))[0] is not w:
        (W1, W2), (b1, b2) = w["network"]
        X, Q = tr(I.means), I.Q
        P = mm(inv(mm(tr(X), X)), tr(X))
        C = moments(I)[4]
        PCP = mm(mm(P, C), tr(P))
        trace = (lambda A: sum((A[i][i] for i in range(len(A))), F(0)))               # noqa: E731
        signal = row_bounds(I, P, (b1[0],) * Q, lambda lo, hi: min(lo) >= 0)[0]
        noise = row_bounds(I, W1[Q:], (b1[-1],) * (I.M - Q), lambda lo, hi: max(hi) <= 0)[1] if I.M > Q else ()
        obs = [Eq("W_1 = [P; K]", W1[:Q], P), Eq("K X = 0", mm(W1[Q:], X), ((F(0),) * Q,) * (I.M - Q)),
               NonZero("det W_1", det(W1)), Eq("b_1 = (beta u; -beta' u)", b1, (b1[0],) * Q + (b1[-1],) * (I.M - Q)),
               NonNeg("signal pre-activations >= 0", signal), Le("noise pre-activations <= 0", noise, (F(0),) * len(noise)),
               Eq("W_2 = [Y, 0]", W2, tuple(r + (F(0),) * (I.M - Q) for r in I.Y)), Eq("b_2 = -beta Y u", b2, tuple(-b1[0] * sum(r) for r in I.Y))]
        I.ub = (w, (obs, network_cost(I, w["network"]), trace(mm(mm(I.Y, PCP), tr(I.Y))), max_sq(I, P), trace(PCP)))
    return I.ub[1]


def conclusion(I, w, reading):
    obs, c2, formula, dsq, trD = construction(I, w)
    yield from obs
    if reading == "construction":
        yield Eq("cost^2 = Tr(Y Delta_2 Y^T)", c2, formula)
    else:
        lam, G = w["Y_gram_lambda_max_upper"], mm(tr(I.Y), I.Y)
        M = tuple(tuple(lam * e - g for e, g in zip(r, s)) for r, s in zip(eye(I.Q), G))
        yield from (PSD("lambda_bar I - Y^T Y", M), Le("cost^2 <= lambda_bar Tr Delta_2", c2, lam * trD),
                    Le("Tr Delta_2 <= Q delta_P^2", trD, I.Q * dsq), Le("cost^2 <= C delta_P^2", c2, I.Q * lam * dsq))


def refutation(I, w, reading):
    obs, c2, formula, dsq, trD = construction(I, w)
    yield from obs
    if reading == "construction":
        yield NonZero("cost^2 != Tr(Y Delta_2 Y^T)", c2 - formula)
    else:
        lam, G = w["Y_gram_lambda_max_upper"], mm(tr(I.Y), I.Y)
        M = tuple(tuple(lam * e - g for e, g in zip(r, s)) for r, s in zip(eye(I.Q), G))
        yield from (PSD("lambda_bar I - Y^T Y", M), Pos("cost^2 > C delta_P^2", c2 - I.Q * lam * dsq))
