"""Per-point Fraction definitions, the references the kernel's batched and statistics-based values are tested
against (tests/test_kernel_stats.py, tests/test_kernel_thm24_scale.py): no packing, no class statistics."""
from fractions import Fraction as F

from exactmin_kernel.interp import dot, mv, sub


def moment(I, u, v):
    """sum_j N_j^-1 sum_i u(j, x) v(j, x)^T."""
    t = [(u(j, p), v(j, p), len(c)) for j, c in enumerate(I.classes) for p in c]
    return tuple(tuple(sum((a[r] * b[s] / n for a, b, n in t), F(0)) for s in range(len(t[0][1]))) for r in range(len(t[0][0])))


def cost(I, f):
    """F: sum_j N_j^-1 sum_i |f(x) - y_j|^2 (2.36) squared."""
    return sum((sum(dot(sub(f(p), I.y(j)), sub(f(p), I.y(j))) for p in c) / len(c) for j, c in enumerate(I.classes)), F(0))


def preactivations(net, I):
    """Per hidden layer, the least pre-activation W_l x^(l-1) + b_l over every data point, point by point."""
    lows = [None] * (len(net[0]) - 1)
    for p in (p for c in I.classes for p in c):
        for i, (W, b) in enumerate(zip(net[0][:-1], net[1][:-1])):
            z = tuple(x + y for x, y in zip(mv(W, p), b))
            lows[i] = min(z) if lows[i] is None else min(lows[i], min(z))
            p = tuple(max(v, F(0)) for v in z)
    return tuple(lows)


def row_extremes(I, W, b):
    """(min, max) over the data of every row of W x + b, point by point."""
    z = list(zip(*(tuple(x + y for x, y in zip(mv(W, p), b)) for c in I.classes for p in c)))
    return tuple(map(min, z)), tuple(map(max, z))
