"""A ReLU network on the instance's data: class statistics, row extremes of its layers, its cost (2.36).

No point goes through a network where its layers act as affine maps on the data.  Induction over the hidden layers
(:func:`hidden`): if the layers before layer l map every data point x to A x + c, layer l's pre-activation is the
affine map W_l (A x + c) + b_l; a row whose least value over the data is >= 0 passes the ReLU unchanged there, a
row whose largest value is <= 0 becomes 0, so the layer's output is again affine (the kept rows).  The extremes come
from packed integer rows (packed.class_extremes): first 40-bit bounds, the exact extremes where the bounds do not
decide a row.  Where some row takes both signs on the data, the definition decides: the per-point exact forward
pass (interp.forward_all).  The cost of an affine map on the data needs only the class statistics (N_j, the mean,
S_j = sum_i x x^T), accumulated once per class in integers."""
from fractions import Fraction as F
from operator import add, mul

from .interp import dot, eye, forward_all, ints, mm, mv, sub
from .packed import class_extremes, pack, values


def stats(I):
    """Per class (N_j, mean m_j, S_j / N_j with S_j = sum_i x x^T), from integer sums over the rows I.P (one pass
    per class; no Fraction per point), cached."""
    if not hasattr(I, "stats32"):
        out = []
        for X, d in I.P:
            cols, n = list(zip(*X)), len(X)
            out.append((n, tuple(F(sum(c), d * n) for c in cols),
                        tuple(tuple(F(sum(map(mul, a, b)), d * d * n) for b in cols) for a in cols)))
        I.stats32 = out
    return I.stats32


def affine_cost(I, A, c):
    """F(A, c) = sum_j [Tr(A (S_j/N_j) A^T) + 2 <A m_j, c - y_j> + |c - y_j|^2] (2.36) squared, for x -> A x + c."""
    total = F(0)
    for j, (n, m, S) in enumerate(stats(I)):
        e = sub(c, I.y(j))
        total += sum((dot(r, mv(S, r)) for r in A), F(0)) + 2 * dot(mv(A, m), e) + dot(e, e)
    return total


def max_sq(I, P):
    """max over the data of |P (x - m_j)|^2, in integers: x = row / d, m_j = mn / dm, P = Pn / dp, so
    P (x - m_j) = (dm Pn x - d Pn mn) / (dp d dm); the values of a class's points come from its packed columns
    (packed.values; point by point outside int64), their squares summed over the rows point by point (map)."""
    (Pn, dp), best = ints(P), F(0)
    for (X, d), m in zip(I.P, I.means):
        ((mn,), dm) = ints([m])
        W, c = [tuple(dm * v for v in r) for r in Pn], [-d * sum(map(mul, r, mn)) for r in Pn]
        pk, acc = pack(X, max(sum(map(abs, r)) for r in W) + max(map(abs, c))), None
        for y in values(W, pk, c) if pk else zip(*([sum(map(mul, r, x)) + k for r, k in zip(W, c)] for x in X)):
            acc = list(map(mul, y, y)) if acc is None else list(map(add, acc, map(mul, y, y)))
        best = max(best, F(max(acc), (dp * d * dm) ** 2))
    return best


def row_bounds(I, W, b, ok=None):
    """(lo, hi): lo_r <= min and hi_r >= max over the data of row r of W x + b.  The 40-bit bounds if ``ok(lo, hi)``
    holds for them (ok must be monotone: a condition that holds for wider bounds holds for narrower ones, so it then
    holds for the data), else (and when ok is None) the exact extremes."""
    for exact in (False, True):
        if exact or ok:
            (Wn, dw), lo, hi = ints(W), None, None
            for e, (_, d) in zip(class_extremes(I, Wn, exact), I.P):
                l, h = (tuple(F(v, dw * d) + t for v, t in zip(x, b)) for x in e)
                lo, hi = (l, h) if lo is None else (tuple(map(min, lo, l)), tuple(map(max, hi, h)))
            if exact or ok(lo, hi):
                return lo, hi


def hidden(I, net):
    """(rows, f): per hidden layer, while the layers before it are affine on the data, its pre-activation's row
    bounds (lo, hi), each row decided (lo_r > 0 or hi_r <= 0 by the 40-bit bounds, else exact); f = (A, c), the
    network's output map on the data x -> A x + c, when every row of every hidden layer is decided (exact lo_r >= 0
    or hi_r <= 0), else None (rows then ends with the layer where an exact row takes both signs).  Cached per
    network's hidden layers."""
    memo, key = I.__dict__.setdefault("ondata", {}), (net[0][:-1], net[1][:-1])
    if key not in memo:
        A, c, rows, f = eye(I.M), (F(0),) * I.M, [], True
        for W, b in zip(*key):
            A, c = mm(W, A), tuple(x + y for x, y in zip(mv(W, c), b))
            lo, hi = row_bounds(I, A, c, lambda lo, hi: all(x > 0 or y <= 0 for x, y in zip(lo, hi)))
            rows.append((lo, hi))
            if not all(x >= 0 or y <= 0 for x, y in zip(lo, hi)):
                f = None
                break
            A, c = (tuple(v if x >= 0 else tuple(0 * t for t in v) for v, x in zip(A, lo)),
                    tuple(v if x >= 0 else 0 * v for v, x in zip(c, lo)))
        memo[key] = (tuple(rows), f and (A, c))
    (rows, f), (W, b) = memo[key], (net[0][-1], net[1][-1])
    return rows, f and (mm(W, f[0]), tuple(x + y for x, y in zip(mv(W, f[1]), b)))


def lows(I, net):
    """Per hidden layer a lower bound of its least pre-activation over the data that is > 0 iff that least value is
    (hidden: a row with lo_r <= 0 has hi_r <= 0 or exact extremes), up to the first layer where it is not; so
    Pos(lows) holds iff every hidden pre-activation on the data is > 0."""
    out = []
    for lo, _ in hidden(I, net)[0]:
        out.append(min(lo))
        if out[-1] <= 0:
            break
    return tuple(out)


def forward_cost(I, net):
    """F (2.36) squared by the definition: the batched exact forward pass of every point; cached per network."""
    memo = I.__dict__.setdefault("net_cost", {})
    if net not in memo:
        total = F(0)
        for j, P in enumerate(I.P):
            (Yo, d), ((y,), e) = forward_all(*net, P), ints([I.y(j)])
            total += F(sum(sum((v * e - t * d) ** 2 for v, t in zip(o, y)) for o in Yo), (d * e) ** 2 * len(Yo))
        memo[net] = total
    return memo[net]


def network_cost(I, net):
    """F (2.36) squared of the network: from the class statistics where it is affine on the data (hidden), else
    by the forward pass."""
    f = hidden(I, net)[1]
    return affine_cost(I, *f) if f else forward_cost(I, net)


def same_outputs(I, net1, net2):
    """(lhs, rhs), equal iff the two networks give the same output at every data point: their maps on the data
    where both are affine and the maps agree (then the outputs agree everywhere on the data), else the outputs
    themselves as integers over one scale (x1 d2 per entry, x2 d1 per entry for outputs x1 / d1, x2 / d2)."""
    f1, f2 = hidden(I, net1)[1], hidden(I, net2)[1]
    if f1 and f1 == f2:
        return f1, f2
    lhs, rhs = [], []
    for (A, d1), (B, d2) in ((forward_all(*net1, P), forward_all(*net2, P)) for P in I.P):
        lhs += [tuple(v * d2 for v in a) for a in A]
        rhs += [tuple(v * d1 for v in b) for b in B]
    return tuple(lhs), tuple(rhs)
