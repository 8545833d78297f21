"""Network outputs, Jacobian and the two flows' vector fields in a generic number type (no exactness).

Used only to *integrate*: every statement exactmin makes about an orbit is re-checked exactly at rational
checkpoints (:mod:`exactmin.flow.orbit`).  Parameter layout as in :mod:`exactmin.nets.jacobian`.
"""
from __future__ import annotations

import mpmath

from ..exact.fexp import scaled_float


def _layout(dims):
    offs, pos = [], 0
    for i in range(len(dims) - 1):
        offs.append(pos)
        pos += dims[i + 1] * dims[i] + dims[i + 1]
    return offs, pos


def outputs_and_jacobian(theta, dims, points, zero, jac=True):
    """(outputs stacked point-major, D as a list of QN rows of length K) at ``theta`` (any number type)."""
    offs, K = _layout(dims)
    L = len(dims) - 2
    Q = dims[-1]
    Ws, bs = [], []
    for i in range(L + 1):
        m, n, o = dims[i + 1], dims[i], offs[i]
        Ws.append([theta[o + r * n:o + (r + 1) * n] for r in range(m)])
        bs.append(theta[o + m * n:o + m * n + m])
    xs, D = [], []
    for p in points:
        a = list(p)
        acts, pres = [a], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = [sum(w * x for w, x in zip(row, a)) + c for row, c in zip(W, b)]
            pres.append(z)
            a = [v if v > 0 else zero for v in z]
            acts.append(a)
        xs += [sum(w * x for w, x in zip(row, a)) + c for row, c in zip(Ws[-1], bs[-1])]
        if not jac:
            continue
        rows = [[zero] * K for _ in range(Q)]
        aL = acts[L]
        for q in range(Q):
            for c in range(dims[L]):
                rows[q][offs[L] + q * dims[L] + c] = aL[c]
            rows[q][offs[L] + Q * dims[L] + q] = zero + 1
        G = [list(r) for r in Ws[-1]]
        for ell in range(L - 1, -1, -1):
            z = pres[ell]
            Gz = [[g if z[k] > 0 else zero for k, g in enumerate(gr)] for gr in G]
            ap = acts[ell]
            mo, mi = dims[ell + 1], dims[ell]
            for q in range(Q):
                rq = rows[q]
                for r in range(mo):
                    g = Gz[q][r]
                    base = offs[ell] + r * mi
                    for c in range(mi):
                        rq[base + c] = g * ap[c]
                    rq[offs[ell] + mo * mi + r] = g
            if ell > 0:
                W = Ws[ell]
                G = [[sum(Gz[q][r] * W[r][c] for r in range(mo)) for c in range(mi)] for q in range(Q)]
        D += rows
    return xs, D


def _solve_spd(A, b):
    """Solve A w = b by Gaussian elimination with partial pivoting (small dense systems)."""
    n = len(A)
    M = [list(A[i]) + [b[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        if M[c][c] == 0:
            raise ZeroDivisionError("singular D D^T")
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            if f:
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    w = [None] * n
    for r in range(n - 1, -1, -1):
        w[r] = (M[r][n] - sum(M[r][k] * w[k] for k in range(r + 1, n))) / M[r][r]
    return w


class Field:
    """The vector fields of the flows for a fixed architecture, data and κ (C = (κ/2)|x − y|²)."""

    def __init__(self, dims, points, targets, kappa, zero):
        self.dims, self.zero = list(dims), zero
        # float64: correctly rounded, ±inf / 0.0 beyond the float range (never OverflowError); mpf: unbounded
        conv = (lambda q: mpmath.mpf(int(q.p)) / int(q.q)) if isinstance(zero, mpmath.mpf) else scaled_float
        self.conv = conv
        self.points = [[conv(x) for x in p] for p in points]
        self.y = [conv(t) for tg in targets for t in tg]
        self.kappa = conv(kappa)
        self.evals = 0

    def residual(self, theta):
        xs, _ = outputs_and_jacobian(theta, self.dims, self.points, self.zero, jac=False)
        return [a - b for a, b in zip(xs, self.y)]

    def cost(self, theta):
        return self.kappa / 2 * sum(r * r for r in self.residual(theta))

    def adapted(self, theta):
        """∂_s θ = −D^T (D D^T)^{-1} ∇_x C = −κ D^T (D D^T)^{-1} (x − y)."""
        self.evals += 1
        xs, D = outputs_and_jacobian(theta, self.dims, self.points, self.zero)
        r = [self.kappa * (a - b) for a, b in zip(xs, self.y)]
        G = [[sum(u * v for u, v in zip(Di, Dj)) for Dj in D] for Di in D]
        w = _solve_spd(G, r)
        K = len(theta)
        return [-sum(D[i][k] * w[i] for i in range(len(D))) for k in range(K)]

    def plain(self, theta):
        """∂_s θ = −∇_θ C = −κ D^T (x − y)."""
        self.evals += 1
        xs, D = outputs_and_jacobian(theta, self.dims, self.points, self.zero)
        r = [self.kappa * (a - b) for a, b in zip(xs, self.y)]
        K = len(theta)
        return [-sum(D[i][k] * r[i] for i in range(len(D))) for k in range(K)]


def norm(v):
    return mpmath.sqrt(sum(x * x for x in v)) if v and isinstance(v[0], mpmath.mpf) else sum(x * x for x in v) ** 0.5


SEQ = (2, 4, 6, 8, 10, 12, 14, 16, 18, 20)


def gbs_step(f, y, H, tol, max_level=10):
    """One Gragg–Bulirsch–Stoer step (modified midpoint + polynomial extrapolation in h²).

    Returns (y(H) estimate, error estimate): the estimate is the difference of the last two diagonal
    entries of the extrapolation table (an a-posteriori estimate of the lower-order one's error, hence
    conservative for the returned value).  Stops as soon as the estimate is below ``tol``.
    """
    f0 = f(y)
    table = []
    err = None
    for j, n in enumerate(SEQ[:max_level]):
        h = H / n
        z0 = y
        z1 = [a + h * b for a, b in zip(y, f0)]
        for _ in range(n - 1):
            fz = f(z1)
            z0, z1 = z1, [a + 2 * h * b for a, b in zip(z0, fz)]
        fz = f(z1)
        t0 = [(a + b + h * c) / 2 for a, b, c in zip(z0, z1, fz)]
        row = [t0]
        for i in range(1, j + 1):
            ratio = (SEQ[j] / SEQ[j - i]) ** 2
            prev = table[j - 1][i - 1]
            row.append([a + (a - b) / (ratio - 1) for a, b in zip(row[i - 1], prev)])
        table.append(row)
        if j >= 2:
            err = norm([a - b for a, b in zip(row[j], table[j - 1][j - 1])])
            if err < tol:
                return row[j], err
    return table[-1][-1], err
