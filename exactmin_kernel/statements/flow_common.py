"""Shared by the flow.* statements (arXiv:2311.15487 as reconstructed in docs/claims/flow.md).

A network is the witness pair (dims, theta): dims = (M, m_1, .., m_L, Q) with Q the rows of Y, theta layer by
layer (W_l row-major, then b_l).  At theta: pre-activations z_l(p), activations a_l(p), outputs x(p) (no ReLU on
the last layer), the Jacobian D = dx/dtheta (QN x K) by forward differentiation along every pre-activation of the
fixed pattern, C = (kappa/2) |x - y|^2, grad C = kappa D^T (x - y).  Caps (dims, K, N K^2) before arithmetic."""
from fractions import Fraction as F
from functools import lru_cache
from math import gcd, isqrt
from operator import mul

from ..interp import MAX_BITS, CapError, ints, mm, tr
from ..linalg import rank_witness
from ..obligations import PSD, Eq, Le, NonNeg, Pos, Rank

MAXK, MAX_LAYERS, MAX_WIDTH, WORK_LIMIT = 5000, 16, 64, 200_000
NET = {"dims": ("vec", "*"), "theta": ("vec", "*")}


def setting(I, w, kappa=True):
    """(dims, theta, points, targets); CapError if dims or theta do not fit the instance or a cap."""
    d = w["dims"]
    if not 2 <= len(d) <= MAX_LAYERS + 2 or any(x.denominator != 1 or not 1 <= x <= MAX_WIDTH for x in d) \
            or (d[0], d[-1]) != (I.M, I.K) or (kappa and not w["kappa"] > 0):
        raise CapError(f"dims must be (M, widths in 1..{MAX_WIDTH}, Q), at most {MAX_LAYERS} hidden layers; kappa > 0")
    dims = tuple(int(x) for x in d)
    if nparams(dims) > MAXK or len(w["theta"]) != nparams(dims):
        raise CapError(f"theta must have K = {nparams(dims)} <= {MAXK} entries")
    if max(max(x.numerator.bit_length(), x.denominator.bit_length()) for x in w["theta"]) * len(dims) > MAX_BITS:
        raise CapError(f"theta entries times layers above {MAX_BITS} bits")        # the forward pass multiplies them
    return dims, w["theta"], tuple(p for c in I.classes for p in c), tuple(I.y(j) for j, c in enumerate(I.classes) for _ in c)


def nparams(dims):
    return sum(dims[i + 1] * (dims[i] + 1) for i in range(len(dims) - 1))


def layers(dims, theta):
    Ws, bs, pos = [], [], 0
    for n, m in zip(dims, dims[1:]):
        Ws.append(tuple(theta[pos + r * n:pos + (r + 1) * n] for r in range(m)))
        bs.append(theta[pos + m * n:pos + m * n + m])
        pos += m * n + m
    return Ws, bs


@lru_cache(maxsize=16)
def evaluate(dims, theta, pts):
    """(pre-activations per point [z_1..z_L], activations per point [a_0..a_L], outputs per point)."""
    Ws, bs = layers(dims, theta)
    pres, acts, outs = [], [], []
    for p in pts:
        a, zs, As = p, [], [p]
        for W, b in zip(Ws[:-1], bs[:-1]):
            zs.append(tuple(sum(map(F.__mul__, r, a), c) for r, c in zip(W, b)))
            a = tuple(max(z, F(0)) for z in zs[-1])
            As.append(a)
        pres.append(zs), acts.append(As), outs.append(tuple(sum(map(F.__mul__, r, a), c) for r, c in zip(Ws[-1], bs[-1])))
    return pres, acts, outs


def margin(pres):
    """min |z| over every hidden pre-activation at every point (1 without a hidden layer: nothing to be nonzero)."""
    return min((abs(v) for zs in pres for z in zs for v in z), default=F(1))


@lru_cache(maxsize=16)
def jacobian(dims, theta, pts):
    """D, row p Q + q, column = theta index: seed e_i at the pre-activation of layer l, push it forward
    (V <- W_(m+1) S_m V, S_m the 0/1 pattern at p) to the output; column W_l[i][j] is V[:, i] a_(l-1)[j], b_l[i] is V[:, i]."""
    Ws, _ = layers(dims, theta)
    pres, acts, _ = evaluate(dims, theta, pts)
    rows = []
    for zs, As in zip(pres, acts):
        cols = []
        for l, W in enumerate(Ws):
            V = tuple(tuple(F(int(i == k)) for k in range(len(W))) for i in range(len(W)))
            for m in range(l, len(Ws) - 1):
                V = mm(Ws[m + 1], tuple(r if z > 0 else (F(0),) * len(r) for r, z in zip(V, zs[m])))
            cols += [tuple(v[i] * x for v in V) for i in range(len(W)) for x in As[l]] + [tuple(v[i] for v in V) for i in range(len(W))]
        rows += tr(cols)
    return tuple(rows)


def residual(outs, tgs):
    return tuple(o - t for x, y in zip(outs, tgs) for o, t in zip(x, y))


def grad(D, r, kappa):
    return tuple(kappa * sum(map(F.__mul__, c, r), F(0)) for c in tr(D))


@lru_cache(maxsize=16)
def gram(dims, theta, pts, scaled=False):
    """D D^T (QN x QN) by integer dot products over one common denominator; scaled: S D D^T S with S a positive
    diagonal (each row of D made a primitive integer row), an integer matrix of the same rank (rank D = rank D D^T
    over the rationals; sigma_min(D)^2 = lambda_min(D D^T))."""
    D = jacobian(dims, theta, pts)
    if scaled:
        D = [(lambda r: tuple(x // (gcd(*r) or 1) for x in r))(ints([row])[0][0]) for row in D]
    Dn, d = ints(D)
    return tuple(tuple(F(sum(map(mul, a, b)), d * d) for b in Dn) for a in Dn)


def rank(name, M):
    """(Rank judgment, r) from the elimination's candidate (minor, null vectors).  The columns are reordered free
    ones first, so the judgment's independence test meets the identity minor of the null vectors at its first try
    (rank is invariant under the reordering)."""
    r, (rows, cols), ker = _elimination(M)
    perm = [c for c in range(len(M[0])) if c not in cols] + list(cols)
    Mp, at = tuple(tuple(row[c] for c in perm) for row in M), {c: i for i, c in enumerate(perm)}
    return Rank(name, Mp, r, (rows, tuple(at[c] for c in cols)), tuple(tuple(v[c] for c in perm) for v in ker)), r


@lru_cache(maxsize=8)
def _elimination(M):
    return rank_witness(M)


def sqrt_up(x):
    """A rational >= sqrt(x) at 2^-64 resolution, exact on rational squares (exactmin.flow.ball.sqrt_up)."""
    n, d, s = x.numerator, x.denominator, 1 << 64
    r = isqrt(n * d * s * s)
    return F(r + (r * r != n * d * s * s), d * s)


def psd(name, M):
    """The PSD judgment of M."""
    return PSD(name, M)


def opnorm(name, om, W):
    """om >= |W|_op: om >= 0 and om^2 I - (the smaller Gram matrix of W) PSD."""
    G = mm(W, tr(W)) if len(W) < len(W[0]) else mm(tr(W), W)
    yield NonNeg(f"{name} >= 0", om)
    yield psd(f"{name}^2 I - W^T W PSD", tuple(tuple(om * om * (i == j) - x for j, x in enumerate(r)) for i, r in enumerate(G)))


def errors(R, omegas, acts, pres):
    """Per point [e_1..e_L]: e_l = R (A_(l-1) + e_(l-1) + 1) + omega_l e_(l-1) bounds the change of z_l on the ball
    |theta' - theta| <= R (A_l >= |a_l|); and the least margin min |z_l| - e_l over points and layers."""
    out, gap = [], F(1)
    for As, zs in zip(acts, pres):
        e, es = F(0), []
        for l, z in enumerate(zs):
            e = R * (sqrt_up(sum(x * x for x in As[l])) + e + 1) + (omegas[l - 1] * e if l else 0)
            es.append(e)
            gap = min(gap, min(abs(v) for v in z) - e)
        out.append(es)
    return out, gap


def ball(I, w, dims, theta, pts, tgs, D):
    """The ball B(theta_0, R) of exactmin/flow/ball.py: omega_l >= |W_l| (l >= 2), sigma_0^2 I <= D_0 D_0^T, no
    pre-activation changes sign on B, E^2 >= sum_(p,l) delta_(p,l)^2 >= sup_B |D - D_0|_F^2, sigma = sigma_0 - E > 0."""
    Ws, _ = layers(dims, theta)
    L, out, (pres, acts, _) = len(dims) - 2, dims[-1], evaluate(dims, theta, pts)
    yield Pos("ball given (radius, norms, sigma0, deviation)", F(int(None not in (w["radius"], w["norms"], w["sigma0"], w["deviation"]))))
    R, om, s0, E = w["radius"], w["norms"], w["sigma0"], w["deviation"]
    yield NonNeg("R, sigma_0, E >= 0", (R, s0, E))
    yield Eq("one norm bound per layer 2..L+1", len(om), L)
    for l, W in enumerate(Ws[1:]):
        yield from opnorm(f"omega_{l + 2}", om[l], W)
    G = gram(dims, theta, pts)
    yield psd("sigma_0^2 I <= D_0 D_0^T", tuple(tuple(x - s0 * s0 * (i == j) for j, x in enumerate(r)) for i, r in enumerate(G)))
    errs, gap = errors(R, om, acts, pres)
    yield Pos("pattern constant on B(theta_0, R)", gap)
    boff = [nparams(dims[:l + 1]) + dims[l + 1] * dims[l] for l in range(L + 1)]       # first bias column of layer l+1
    tot = F(0)
    for pi, (As, es) in enumerate(zip(acts, errs)):
        g = [sqrt_up(sum(D[pi * out + q][boff[l] + i] ** 2 for q in range(out) for i in range(dims[l + 1]))) for l in range(L + 1)]
        U = [sqrt_up(sum(x * x for x in As[l]) + 1) for l in range(L + 1)]
        ep, gam = [F(0)] + es, [F(0)] * (L + 2)
        for l in range(L, 0, -1):
            gam[l] = gam[l + 1] * (om[l - 1] + R) + g[l] * R
        tot += sum((gam[l] * (U[l - 1] + ep[l - 1]) + g[l - 1] * ep[l - 1]) ** 2 for l in range(1, L + 2))
    yield Le("E^2 >= sup_B |D - D_0|_F^2 (deviation recursion)", tot, E * E)
    yield Pos("sigma = sigma_0 - E > 0", s0 - E)


def start_hypotheses(I, w):
    """theta_0 a strict point of an overparametrized net (K - hidden >= QN) with rank D = QN (tested when N K^2 <=
    WORK_LIMIT, as the library does); yields (obligations)."""
    dims, theta, pts, _ = setting(I, w)
    QN, K = I.K * I.N, nparams(dims)
    yield Pos("a hidden layer", len(dims) - 2)
    yield Le("K - hidden neurons >= QN", QN, K - sum(dims[1:-1]))
    yield Pos("theta_0 strictly inside a region (min |z| > 0)", margin(evaluate(dims, theta, pts)[0]))
    if I.N * K * K <= WORK_LIMIT:
        ob, r = rank("rank D_0 D_0^T by elimination", gram(dims, theta, pts, True))
        yield ob
        yield Eq("rank D_0 = QN", r, QN)


def work_cap(I, dims):
    yield Le(f"N K^2 <= {WORK_LIMIT} (the ball is re-derived along every parameter)", I.N * nparams(dims) ** 2, WORK_LIMIT)
