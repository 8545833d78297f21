"""deep.eq4.30, (4.27)-(4.31) of arXiv:2309.10639v4: the shrink matrix W_* = lambda I + (1 - lambda) u u^T / Q.

Hypotheses: those of deep.thm2.3 (these are steps of its proof; Q >= 2).  Premise (witness lambda): 0 < lambda <= 1; kappa = cos^2(theta_*/2) = t/(1 + t), t = lambda^2 (Q-1)
(4.29), kappa_Q = cos^2(theta_Q/2) = (Q-1)/Q (4.27); A_theta = u u^T - Q cos^2(theta/2) I, so that x is in C_theta[u]
iff <u, x> >= 0 and x^T A_theta x >= 0.
fixes-u: W_* u = u.  shrinks-complement: W_*(e_1 - e_k) = lambda (e_1 - e_k), k = 2..Q.
opnorm: I - W_*^T W_* PSD and |W_* u|^2 = Q.  inverse-opnorm: I/lambda^2 - W_*^-T W_*^-1 PSD and
|W_*^-1 (e_1 - e_2)|^2 lambda^2 = 2 (W_*^-1 by an Inverse judgment).
cone-map (4.30): W_*^T A_Q W_* = c A_* with c = (1 + t)/Q > 0, and W_*^T u = u.
cone-in-orthant (4.27): per k, S_k = -(A_Q + Q e_k e_k^T - u e_k^T - e_k u^T) PSD, so x^T A_Q x <= 2<u,x> x_k - Q x_k^2
and x in C_{theta_Q} forces x_k >= 0; u - e_k is on the cone (form 0) with <u, u - e_k> >= 0.
aperture (4.24)-(4.29): premise theta_* > max_j theta_*,j (every
B_{4 delta}(xbar_k) strictly inside xbar_j + C_{theta_*}[f_j], decided exactly); then lambda^2 tan^2(theta_*/2) =
tan^2(theta_Q/2).
into-interior (text after (4.31)): "W_* maps C_{theta_*}[u] into the interior of C_{theta_Q}[u]".  Proved only for
W_* = I and theta_* < theta_Q (kappa > kappa_Q); refuted by x = W_*^-1 (u - e_1): x in C_{theta_*}[u], x != 0, and
W_* x = u - e_1 has a zero coordinate, so it lies on the boundary of C_{theta_Q}[u] (its form is 0).
"""
from fractions import Fraction as F

from ..interp import dot, eye, mm, mv, tr
from ..linalg import inv
from ..obligations import PSD, Eq, Inverse, NonNeg, NonZero, Pos, SqrtSumSign
from . import deep_thm2_3 as T

CLAIM = "deep.eq4.30"
READINGS = ("fixes-u", "shrinks-complement", "opnorm", "inverse-opnorm", "cone-map", "cone-in-orthant", "aperture",
            "into-interior")
SCHEMA = {"lambda": "rat"}


def hypotheses(I):
    yield from T.hypotheses(I)


def parts(I, lam):
    """(W_*, u, kappa, kappa_Q, A_*, A_Q, c) for the witness lambda."""
    Q = I.Q
    t = lam * lam * (Q - 1)
    kappa, kQ = t / (1 + t), F(Q - 1, Q)
    W = tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q))
    A = [tuple(tuple(1 - Q * k * (i == j) for j in range(Q)) for i in range(Q)) for k in (kappa, kQ)]
    return W, (F(1),) * Q, kappa, kQ, A[0], A[1], (1 + t) / Q


def psd(name, M):
    return PSD(name, M)


def premises(I, w, reading):
    lam = w["lambda"]
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam))
    if reading == "aperture":
        dev, v, a, pairs = T.geometry(I)
        kappa = parts(I, lam)[2]
        yield from (SqrtSumSign(f"theta* ({j + 1},{k + 1})", T.cone(a[j][k], v[j], 16 * max(dev), kappa, 0), 1)
                    for j, k in pairs)


def conclusion(I, w, reading):
    Q, lam = I.Q, w["lambda"]
    W, u, kappa, kQ, As, AQ, c = parts(I, lam)
    Id, e = eye(Q), (lambda k: tuple(F(int(i == k)) for i in range(Q)))                    # noqa: E731
    if reading == "fixes-u":
        yield Eq("W_* u = u", mv(W, u), u)
    elif reading == "shrinks-complement":
        for k in range(1, Q):
            y = tuple(a - b for a, b in zip(e(0), e(k)))
            yield Eq(f"W_*(e_1 - e_{k + 1}) = lambda (e_1 - e_{k + 1})", mv(W, y), tuple(lam * x for x in y))
    elif reading == "opnorm":
        G = mm(tr(W), W)
        yield psd("I - W_*^T W_* PSD", tuple(tuple(a - b for a, b in zip(r, s)) for r, s in zip(Id, G)))
        yield Eq("|W_* u|^2 = Q", dot(mv(W, u), mv(W, u)), Q)
    elif reading == "inverse-opnorm":
        Wi = inv(W)
        yield Inverse("W_* inverse", W, Wi)
        G = mm(tr(Wi), Wi)
        yield psd("I/lambda^2 - W_*^-T W_*^-1 PSD", tuple(tuple(a / (lam * lam) - b for a, b in zip(r, s)) for r, s in zip(Id, G)))
        y = mv(Wi, tuple(a - b for a, b in zip(e(0), e(1))))
        yield Eq("|W_*^-1 (e_1 - e_2)|^2 lambda^2 = 2", dot(y, y) * lam * lam, 2)
    elif reading == "cone-map":
        yield from (Pos("c > 0", c), Eq("W_*^T A_Q W_* = c A_*", mm(tr(W), mm(AQ, W)), tuple(tuple(c * x for x in r) for r in As)),
                    Eq("W_*^T u = u", mv(tr(W), u), u))
    elif reading == "cone-in-orthant":
        for k in range(Q):
            S = tuple(tuple(-(AQ[i][j] + Q * (i == j == k) - (j == k) - (i == k)) for j in range(Q)) for i in range(Q))
            touch = tuple(F(int(i != k)) for i in range(Q))
            yield from (psd(f"S_{k + 1} PSD", S), Eq(f"u - e_{k + 1} on the cone", dot(touch, mv(AQ, touch)), 0),
                        NonNeg(f"<u, u - e_{k + 1}> >= 0", dot(u, touch)))
    elif reading == "aperture":
        yield from (Pos("kappa > 0", kappa), Eq("lambda^2 tan^2(theta_*/2) = tan^2(theta_Q/2)", lam * lam * (1 - kappa) / kappa,
                                                 F(1, Q - 1)))
    else:
        yield from (Eq("W_* = I", lam, 1), Pos("theta_* < theta_Q", kappa - kQ))


def refutation(I, w, reading):
    if reading != "into-interior":
        yield Pos("no refutation", F(0))
        return
    W, u, kappa, kQ, As, AQ, c = parts(I, w["lambda"])
    Wi = inv(W)
    y = tuple(F(int(i != 0)) for i in range(I.Q))                                           # u - e_1
    x = mv(Wi, y)
    yield from (Inverse("W_* inverse", W, Wi), NonZero("x != 0", dot(x, x)), NonNeg("<u, x> >= 0", dot(u, x)),
                NonNeg("x in C_theta*[u]", dot(x, mv(As, x))), Eq("W_* x = u - e_1", mv(W, x), y),
                Eq("W_* x on the boundary of C_theta_Q[u]", dot(y, mv(AQ, y)), 0))
