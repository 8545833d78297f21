"""The 2^Q − 1 configurations of Theorem 2.5 (arXiv:2309.10639v4, (2.83)–(2.85)) from shared data statistics.

Layer ℓ of configuration s has the cumulative map (2.43) of the construction (4.56)–(4.58):
W^(ℓ) = W_* R_ℓ, b^(ℓ) = −W^(ℓ) p_ℓ, with the apex p_ℓ = x̄_{0,ℓ} − µ_ℓ f̃_ℓ and µ_ℓ = µ ∈ I_0 (s_ℓ = 0) or
µ_+ ∈ I_1 (s_ℓ = 1), the paper's convention (2.83).  W^(ℓ) does not depend on s; only the bias does.

Pattern, by induction over the layers (the (2.59) route of Theorem 2.3): write g_ℓ(x) for the τ-image after
layer ℓ (g_0 = x).  The pre-activation of layer ℓ is z_ℓ = W^(ℓ) g_{ℓ−1} + b^(ℓ) = W^(ℓ)(g_{ℓ−1} − p_ℓ).  If every
entry of z_ℓ is > 0, σ keeps it and g_ℓ = g_{ℓ−1}; if every entry is < 0, σ returns 0 and g_ℓ = p_ℓ.  The roles
of configuration s (:func:`cells`): cluster j arrives raw at layer ℓ unless j < ℓ and s_j = 0 (then as p_j); a raw
cluster is collapsed by layer ℓ iff j = ℓ and s_ℓ = 0 and passes otherwise; an apex passes.  The conditions

* collapse: max over cluster j of (W^(ℓ) x)_r < (W^(ℓ) p_ℓ)_r for every row r;
* pass:     min over cluster j of (W^(ℓ) x)_r > (W^(ℓ) p_ℓ)_r;
* apex:     W^(ℓ)(p_j − p_ℓ) > 0,

all strict (no hidden pre-activation is 0: a strict pattern), give the τ-image (2.84): cluster j is p_j when
s_j = 0 and unchanged when s_j = 1.  They read the Q² per-cluster row extremes of W^(ℓ) x, shared by every s and
every bias, and Q² apex values: all configurations cost one pass over the data.  The output layer then sees
class statistics only (:func:`moments`): least squares, costs and descents are Q×Q exact algebra.
"""
from __future__ import annotations

from flint import fmpq, fmpq_mat

from exactmin_kernel.statements.deep_thm2_5 import cells, configs, key  # noqa: F401  (one definition: the statement's)

from ..exact.certsign import ExactAffine, row_extremes_multi
from ..exact.intmat import IntMat
from . import construct_deep as cd
from .cost import _solve_consistent, class_slices
from ..data.stats import numerators
from .pattern import class_stats


class Layers:
    """The construction's hidden layers at one collapsing µ (and µ_+ for the untouched clusters): W^(ℓ), f̃_ℓ and
    the exact per-cluster row extremes of W^(ℓ) x (cluster j: ``lo[ℓ][j]``, ``hi[ℓ][j]``, fmpq lists)."""

    def __init__(self, inst, g: cd.Geometry, lam: fmpq, mu: fmpq, mu_pos: fmpq, tol: fmpq, X: IntMat):
        Q, K = g.Q, inst.Y.nrows()
        self.Q, self.mu, self.mu_pos, self.tol = Q, mu, mu_pos, tol
        self.con = cd.build(inst, g, Q, lam, [mu] * Q, tol, output=(fmpq_mat(K, Q), fmpq_mat(K, 1)))
        self.W = self.con.Wc[:Q]
        self.f = self.con.f_tilde
        self.means = g.means
        zero = fmpq_mat(Q, 1)
        self.lo = [[None] * Q for _ in range(Q)]
        self.hi = [[None] * Q for _ in range(Q)]
        for j, sl in enumerate(class_slices(inst.sizes)):
            res = row_extremes_multi([ExactAffine(W, zero) for W in self.W], numerators(X)[:, sl], X.den)
            for ell, (lo, hi) in enumerate(res):
                self.lo[ell][j], self.hi[ell][j] = lo, hi

    def apexes(self, s) -> list[fmpq_mat]:
        """p_ℓ = x̄_{0,ℓ} − µ_ℓ f̃_ℓ (Q×1), µ_ℓ = µ (s_ℓ = 0) or µ_+ (s_ℓ = 1)."""
        return [fmpq_mat(self.Q, 1, [m - (self.mu if b == 0 else self.mu_pos) * f for m, f in zip(self.means[ell], self.f[ell])])
                for ell, b in enumerate(s)]

    def margins(self, todo, own, col=None, linear: bool = False):
        """Per cell (ℓ, s_ℓ, j, kind) of ``todo``: the Q row margins, each > 0 iff the condition holds (module
        docstring), with layer ℓ's apex own[ℓ] and cluster j's collapsed apex col[j] (default: own); ``linear``: the
        margins' linear part in the apexes (no extremes), so margins(p + t d) = margins(p) + t margins(d, linear).
        The kernel statement's ``conditions`` decides the same cells."""
        Q = self.Q
        cols = lambda p: fmpq_mat(Q, Q, [x for j in range(Q) for x in p[j].entries()]).transpose()  # noqa: E731
        Po, Pc = cols(own), cols(own if col is None else col)
        WO = [(W * Po).entries() for W in self.W]               # W^(ℓ) own_j, row-major (r, j)
        WC = WO if col is None else [(W * Pc).entries() for W in self.W]
        out = []
        for cell in todo:
            ell, _, j, kind = cell
            a = WO[ell][ell::Q]                                 # W^(ℓ) p_ℓ
            if kind == "apex":
                out.append((cell, [x - y for x, y in zip(WC[ell][j::Q], a)]))
            elif linear:
                out.append((cell, list(a) if kind == "collapse" else [-x for x in a]))
            elif kind == "collapse":
                out.append((cell, [x - h for x, h in zip(a, self.hi[ell][j])]))
            else:
                out.append((cell, [v - x for v, x in zip(self.lo[ell][j], a)]))
        return out

    def base_table(self) -> dict:
        """Every cell of every configuration at the construction's own apexes, decided once: {cell: holds}.  A cell
        (ℓ, s_ℓ, j, kind) reads layer ℓ's apex (at µ or µ_+ as s_ℓ says) and, for an apex, p_j at µ: shared by every
        configuration."""
        Q = self.Q
        every = {c for s in configs(Q) for c in cells(s)}
        col = self.apexes((0,) * Q)
        return {cell: min(m) > 0 for b in (0, 1)
                for cell, m in self.margins([c for c in every if c[1] == b], self.apexes((b,) * Q), col)}

    def realised_base(self, s, table=None) -> tuple[bool, str]:
        """Every cell of s strictly true at the construction's apexes (:meth:`base_table`): the τ-image is (2.84) with
        a strict pattern; else the first failing cell."""
        table = table if table is not None else self.base_table()
        for cell in cells(s):
            if not table[cell]:
                return False, _failure(s, cell[0], cell[2], cell[3])
        return True, "each cluster collapsed or untouched as s prescribes, every hidden pre-activation nonzero"


def _failure(s, ell, j, kind) -> str:
    what = {"collapse": "is not collapsed by", "pass": "does not pass", "apex": "(apex) does not pass"}[kind]
    return f"s = {''.join(map(str, s))}: cluster {j + 1} {what} layer {ell + 1} strictly"


class Moments:
    """Per class j: N_j^{-1} Σ_i x (mean) and N_j^{-1} Σ_i x x^T (second moment), exact from integer statistics."""

    def __init__(self, X: IntMat, sizes, Y: fmpq_mat):
        st = class_stats(X, sizes)
        q, d = X.shape[0], X.den
        self.Y, self.Q = Y, len(sizes)
        self.mean, self.second = [], []
        for s, C, n in zip(st.sums, st.grams, sizes):
            self.mean.append(fmpq_mat(q, 1, [fmpq(int(v), d * n) for v in s]))
            self.second.append(fmpq_mat(q, q, [fmpq(int(C[a, b]), d * d * n) for a in range(q) for b in range(q)]))
        self.zmean = [fmpq_mat(q + 1, 1, list(m.entries()) + [1]) for m in self.mean]
        self.block = []                 # [[S_j, m_j], [m_j^T, 1]]: cluster j's share of Gz when untouched
        for m, S, z in zip(self.mean, self.second, self.zmean):
            B = z * z.transpose()
            for a in range(q):
                for b in range(q):
                    B[a, b] = S[a, b]
            self.block.append(B)
        self.T = sum((Y[r, j] ** 2 for r in range(Y.nrows()) for j in range(Y.ncols())), fmpq(0))

    def image(self, s, p):
        """(Gz, Rz) of the τ-image (2.84), z = (h; 1): Gz = Σ_j N_j^{-1} Σ_i z z^T, Rz = Σ_j y_j z̄_j^T; cluster j is
        its points (s_j = 1) or N_j copies of p_j (s_j = 0)."""
        q = self.mean[0].nrows()
        Gz = fmpq_mat(q + 1, q + 1)
        Zbar = fmpq_mat(q + 1, self.Q)
        for j, b in enumerate(s):
            if b:
                Gz += self.block[j]
                z = self.zmean[j]
            else:
                z = fmpq_mat(q + 1, 1, list(p[j].entries()) + [1])
                Gz += z * z.transpose()
            for a in range(q + 1):
                Zbar[a, j] = z[a, 0]
        return Gz, self.Y * Zbar.transpose()

    def lsq(self, s, p, free: bool):
        """The exact least-squares output layer on the τ-image: (A, c, value); c = 0 unless ``free``.  Normal
        equations Ã G = R (any solution when G is singular), value Σ_j |y_j|² − Tr(Ã R^T)."""
        Gz, Rz = self.image(s, p)
        q, K = Gz.nrows() - 1, Rz.nrows()
        k = q + 1 if free else q
        G = fmpq_mat(k, k, [Gz[a, b] for a in range(k) for b in range(k)])
        R = fmpq_mat(K, k, [Rz[r, a] for r in range(K) for a in range(k)])
        try:
            At = G.solve(R.transpose()).transpose()          # G invertible (the usual case): flint, fraction-free, exact
        except ZeroDivisionError:
            At = _solve_consistent(G, R.transpose()).transpose()
            if At * G != R:
                raise ArithmeticError("least-squares solution failed its exact check")
        value = self.T - sum((At[r, a] * R[r, a] for r in range(K) for a in range(k)), fmpq(0))
        A = fmpq_mat(K, q, [At[r, a] for r in range(K) for a in range(q)])
        c = fmpq_mat(K, 1, [At[r, q] if free else 0 for r in range(K)])
        return A, c, value


def _power_of_two_below(m: fmpq) -> fmpq:
    """The largest 2^k < m (m > 0)."""
    k = m.p.bit_length() - m.q.bit_length()
    t = fmpq(2) ** k if k >= 0 else fmpq(1, 2 ** -k)
    while t >= m:
        t /= 2
    while 2 * t < m:
        t *= 2
    return t


def _dyadic(v: fmpq, e: int) -> fmpq:
    """v rounded to a multiple of 2^e (nearest, ties away from zero in floor form)."""
    if e >= 0:
        k = (v / 2 ** e)
        return fmpq((k.p * 2 + k.q) // (2 * k.q)) * 2 ** e
    k = v * 2 ** -e
    return fmpq((k.p * 2 + k.q) // (2 * k.q), 2 ** -e)


def gradient_directions(mom: Moments, s, p, A: fmpq_mat, c: fmpq_mat, bits: int = 24):
    """(directions d_ℓ, s1, s2) of the apex descent of configuration s: each collapsed apex p_ℓ (s_ℓ = 0) moves along
    g_ℓ = A^T(y_ℓ − A p_ℓ − c) (−½ ∂F/∂p_ℓ) rounded to ``bits`` dyadic bits (the unrounded g if rounding loses the
    descent); along p + t d the cost is F + 2 s1 t + s2 t², s1 = −Σ⟨g_ℓ, d_ℓ⟩ < 0, s2 = Σ|A d_ℓ|².  None if every
    g_ℓ = 0."""
    Q, K = mom.Q, mom.Y.nrows()
    grads = [A.transpose() * (fmpq_mat(K, 1, [mom.Y[k, ell] for k in range(K)]) - A * p[ell] - c) if s[ell] == 0
             else fmpq_mat(Q, 1) for ell in range(Q)]
    top = max(abs(x) for g in grads for x in g.entries())
    if top == 0:
        return None
    e = top.p.bit_length() - top.q.bit_length() - bits
    dirs = [fmpq_mat(Q, 1, [_dyadic(x, e) for x in g.entries()]) for g in grads]
    s1 = -sum((x * y for g, d in zip(grads, dirs) for x, y in zip(g.entries(), d.entries())), fmpq(0))
    if s1 >= 0:
        dirs = grads
        s1 = -sum((x * x for g in grads for x in g.entries()), fmpq(0))
    return dirs, s1, sum((x * x for d in dirs for x in (A * d).entries()), fmpq(0))


def apex_descent(L: Layers, mom: Moments, s, p, A: fmpq_mat, c: fmpq_mat, base: fmpq, bits: int = 24):
    """A bias segment lowering the cost F(A, c) = ``base``: move each collapsed apex p_ℓ (s_ℓ = 0) along d_ℓ, the
    gradient direction g_ℓ = A^T(y_ℓ − A p_ℓ − c) (−½ ∂F/∂p_ℓ) rounded to ``bits`` dyadic bits (short numbers in
    the certificate), with weights and output layer fixed.  On the τ-image the collapsed cluster ℓ contributes
    |r_ℓ + t A d_ℓ|² (r_ℓ = A p_ℓ + c − y_ℓ, weight N_ℓ^{-1} N_ℓ), so the cost is exactly q(t) = q(0) + 2 s1 t + s2 t²,
    s1 = Σ⟨r_ℓ, A d_ℓ⟩ = −Σ⟨g_ℓ, d_ℓ⟩ (< 0, checked), s2 = Σ|A d_ℓ|², lower for 0 < t < −2 s1/s2.  Every margin of
    :meth:`Layers.margins` is affine in t, m(t) = m(0) + t m'(d), and > 0 at t = 0, so it stays > 0 for t below its
    first root.  The step t is the largest power of two below both bounds (so the pattern and the lower cost hold
    exactly; the kernel re-checks both).  Returns (moved apexes, cost) or None when every g_ℓ = 0."""
    got = gradient_directions(mom, s, p, A, c, bits)
    if got is None or got[2] == 0:           # A d = 0: the cost does not move along the segment
        return None
    dirs, s1, s2 = got
    bound = -2 * s1 / s2
    m0 = dict(L.margins(cells(s), p))
    for cell, slope in L.margins(cells(s), dirs, linear=True):          # margin(t) = m0 + t slope
        for a, b in zip(m0[cell], slope):
            if b < 0:
                bound = min(bound, -a / b)
    t = _power_of_two_below(bound)
    return [a + b * t for a, b in zip(p, dirs)], base + 2 * s1 * t + s2 * t * t
