"""The whole orbit of the adapted (and of the plain) gradient flow, certified by one ball and no integration.

Setting (arXiv:2311.15487 as reconstructed in ../shared/papers/gradient_papers.md, Sections 1.2-1.3):
C = (κ/2)|**x** − **y**|², D = ∂**x**/∂θ ∈ R^{QN×K}, r = **x** − **y**.

* Adapted flow ∂_sθ = −D^T(DD^T)^{-1}∇_xC = −κ D^T(DD^T)^{-1} r.  Wherever rank D = QN, ∂_s**x** = D∂_sθ = −κ r,
  so r(s) = e^{−κs} r(0) and C(s) = e^{−2κs} C(0) exactly, and the parameter speed is
  |∂_sθ| = κ (r^T (DD^T)^{-1} r)^{1/2} ≤ κ e^{−κs} |r(0)| / σ_min(D).
* Plain flow ∂_sθ = −∇_θC = −κ D^T r.  Then d|r|²/ds = −2κ r^T DD^T r, so with σ ≤ σ_min(D) ≤ ‖D‖ ≤ Σ:
  e^{−2κΣ²s} C(0) ≤ C(s) ≤ e^{−2κσ²s} C(0), and |∂_sθ| ≤ κ Σ e^{−κσ²s}|r(0)|.

The ball B = {|θ − θ_0| ≤ R} (Euclidean norm on R^K):

1. *Region.*  No hidden pre-activation changes sign on B: the pattern-radius recursion of
   :mod:`exactmin.nets.jacobian`, e_ℓ = R (A_{ℓ−1} + e_{ℓ−1} + 1) + ω_ℓ e_{ℓ−1} < min_k |z_{ℓ,k}(p)| for every
   hidden layer ℓ and point p, with ω_ℓ ≥ ‖W_ℓ‖_op (exact PSD tests).  On B the network is one polynomial map.
2. *Rank.*  ‖D(θ) − D(θ_0)‖_F ≤ E on B (recursion below) and σ_0² I ⪯ D(θ_0)D(θ_0)^T ⪯ Σ_0² I (exact LDL^T
   tests), so by Weyl σ := σ_0 − E ≤ σ_min(D(θ)) and ‖D(θ)‖ ≤ Σ := Σ_0 + E on B.  σ > 0 gives rank D = QN on B.
3. *Continuation.*  If |r(0)| ≤ R σ (adapted) — resp. Σ|r(0)| ≤ R σ² (plain) — the orbit from θ_0 never leaves
   B: while it is in B its length up to time s is at most |r(0)|(1 − e^{−κs})/σ < R (resp.
   Σ|r(0)|(1 − e^{−κσ²s})/σ² < R), so it cannot reach the boundary, and the vector field is smooth on a
   neighbourhood of the compact B, so the solution exists for all s ≥ 0.  With a finite horizon s_max the
   adapted condition weakens to |r(0)|(1 − e^{−κ s_max}) ≤ R σ (a rational lower bound of e^{−κ s_max} is
   recorded).  All comparisons are made between squares of nonnegative rationals.

Jacobian deviation E.  For a point p the block of D of layer ℓ (weights and bias) is G_ℓ ⊗ (a_{ℓ−1}, 1)^T with
G_{L+1} = I_Q, G_ℓ = G_{ℓ+1} W_{ℓ+1} H_ℓ (H_ℓ the fixed 0/1 activation mask); its bias columns are G_ℓ itself.
With g_ℓ ≥ ‖G_ℓ(θ_0)‖_F, U_ℓ ≥ |(a_{ℓ−1}, 1)|, e_ℓ as in 1. (e_0 = 0) and ‖ΔW‖_op ≤ ‖Δθ‖ ≤ R:

    γ_{L+1} = 0,  γ_ℓ = γ_{ℓ+1} (ω_{ℓ+1} + R) + g_{ℓ+1} R         (≥ ‖G_ℓ(θ) − G_ℓ(θ_0)‖_F)
    δ_{p,ℓ} = γ_ℓ (U_ℓ + e_{ℓ−1}) + g_ℓ e_{ℓ−1}                      (≥ ‖block_{p,ℓ}(θ) − block_{p,ℓ}(θ_0)‖_F)
    E² ≥ Σ_{p,ℓ} δ_{p,ℓ}².

Square-root upper bounds are integer square roots at 2^-64 resolution (:func:`sqrt_up`), the same rule the
kernel (exactmin_kernel/statements/flow_common.py) applies, so the kernel re-derives every inequality exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
from flint import fmpq, fmpq_mat

from ..exact.enclosure import sqrt_enclosure
from ..exact.norms import opnorm_upper, psd
from ..nets import jacobian as J

ROOT_BITS = 64          # resolution of the square-root upper bounds (as in the kernel)
WORK_LIMIT = 200_000    # N K^2: the kernel differentiates forward along every parameter; beyond this, no ball


def sqrt_up(x: fmpq) -> fmpq:
    """A rational ≥ √x: (isqrt(n d 4^64) + 1)/(d 2^64), exact when x is a rational square."""
    return sqrt_enclosure(x, ROOT_BITS).hi


def dyadic_down(x: fmpq, bits: int = 24) -> fmpq:
    """A dyadic rational ≤ x (x ≥ 0) with about ``bits`` significant bits (short witness numbers)."""
    if x <= 0:
        return fmpq(0)
    e = bits - (int(x.p).bit_length() - int(x.q).bit_length())
    return fmpq(int((x * fmpq(2) ** e).floor()), 1) / fmpq(2) ** e


def dyadic_up(x: fmpq, bits: int = 40) -> fmpq:
    """A dyadic rational ≥ x (x ≥ 0) with about ``bits`` significant bits."""
    if x <= 0:
        return fmpq(0)
    e = bits - (int(x.p).bit_length() - int(x.q).bit_length())
    return fmpq(int((x * fmpq(2) ** e).ceil()), 1) / fmpq(2) ** e


def work(dims, N: int) -> int:
    return N * J.n_params(dims) ** 2


# ------------------------------------------------------------------------------------------------ per point data

@dataclass
class PointData:
    """What the recursions need at θ_0 for one training point."""
    A: list           # A[ℓ] ≥ |a_ℓ(p)|, ℓ = 0..L−1
    U: list           # U[ℓ−1] ≥ |(a_{ℓ−1}(p), 1)|, ℓ = 1..L+1
    g: list           # g[ℓ−1] ≥ ‖G_ℓ(p)‖_F, ℓ = 1..L+1 (from the bias columns of D)
    margins: list     # min_k |z_{ℓ,k}(p)|, hidden ℓ = 1..L


def _bias_offsets(dims):
    offs, pos = [], 0
    for i in range(len(dims) - 1):
        m, n = dims[i + 1], dims[i]
        offs.append(pos + m * n)
        pos += m * n + m
    return offs


def point_data(ev: J.Evaluation) -> list[PointData]:
    dims = ev.dims
    L = len(dims) - 2
    Q = dims[-1]
    boffs = _bias_offsets(dims)
    out = []
    for pi, (acts, pre) in enumerate(zip(ev.acts, ev.pre)):
        sq = [sum((x * x for x in a), fmpq(0)) for a in acts]            # |a_ℓ|², ℓ = 0..L
        A = [sqrt_up(v) for v in sq[:L]]
        U = [sqrt_up(v + 1) for v in sq[:L + 1]]
        g = []
        for ell in range(L + 1):
            m = dims[ell + 1]
            g2 = sum((ev.D[pi * Q + q, boffs[ell] + i] ** 2 for q in range(Q) for i in range(m)), fmpq(0))
            g.append(sqrt_up(g2))
        out.append(PointData(A, U, g, [min(abs(v) for v in z) for z in pre]))
    return out


def pattern_errors(R: fmpq, norms, pd: PointData) -> list | None:
    """[e_1, …, e_L] of the pattern recursion at radius R, or None if some e_ℓ ≥ margin (pattern not certified)."""
    e, es = fmpq(0), []
    for ell in range(len(pd.margins)):                 # hidden layer ℓ+1
        w = norms[ell - 1] if ell > 0 else fmpq(0)     # ω_{ℓ+1} (only ℓ+1 ≥ 2 multiplies a nonzero e)
        e = R * (pd.A[ell] + e + 1) + w * e
        if not e < pd.margins[ell]:
            return None
        es.append(e)
    return es


def deviation_sq(R: fmpq, norms, pds) -> fmpq | None:
    """Σ_{p,ℓ} δ_{p,ℓ}² (module docstring), or None if the pattern is not certified on the ball."""
    tot = fmpq(0)
    for pd in pds:
        es = pattern_errors(R, norms, pd)
        if es is None:
            return None
        L = len(pd.margins)
        e_prev = [fmpq(0)] + es                          # e_{ℓ−1} for ℓ = 1..L+1
        gam = [fmpq(0)] * (L + 2)                        # gam[ℓ], ℓ = 1..L+1
        for ell in range(L, 0, -1):
            gam[ell] = gam[ell + 1] * (norms[ell - 1] + R) + pd.g[ell] * R
        for ell in range(1, L + 2):
            d = gam[ell] * (pd.U[ell - 1] + e_prev[ell - 1]) + pd.g[ell - 1] * e_prev[ell - 1]
            tot += d * d
    return tot


# ------------------------------------------------------------------------------------------------ the ball

@dataclass
class Ball:
    R: fmpq                  # ball radius
    norms: tuple             # ω_ℓ ≥ ‖W_ℓ‖_op, ℓ = 2..L+1
    sigma0: fmpq             # σ_0² I ⪯ D_0 D_0^T
    Sigma0: fmpq             # D_0 D_0^T ⪯ Σ_0² I
    dev: fmpq                # E ≥ sup_B ‖D − D_0‖_F
    r0sq: fmpq               # |r(0)|²
    exp_lower: fmpq | None = None   # ≤ e^{−κ s_max} (finite horizon), None: all s ≥ 0

    @property
    def sigma(self) -> fmpq:
        return self.sigma0 - self.dev

    @property
    def Sigma(self) -> fmpq:
        return self.Sigma0 + self.dev

    @property
    def adapted_ok(self) -> bool:
        """|r(0)| (1 − e^{−κ s_max}) ≤ R σ, σ > 0 (by squares)."""
        s = self.sigma
        f = 1 - self.exp_lower if self.exp_lower is not None else fmpq(1)
        return s > 0 and self.r0sq * f * f <= (self.R * s) ** 2

    @property
    def plain_ok(self) -> bool:
        """Σ |r(0)| ≤ R σ², σ > 0 (by squares): the plain orbit stays in B for all s ≥ 0."""
        s = self.sigma
        return s > 0 and self.Sigma ** 2 * self.r0sq <= self.R ** 2 * s ** 4


def hidden_norms(net) -> tuple:
    """ω_ℓ ≥ ‖W_ℓ‖_op for ℓ = 2..L+1, certified by exact PSD tests (exactmin.exact.norms)."""
    return tuple(dyadic_up(opnorm_upper(W)) if any(x != 0 for x in W.entries()) else fmpq(0)
                 for W in net.weights[1:])


def _gram(ev: J.Evaluation) -> fmpq_mat:
    return ev.D * ev.D.transpose()


def _float_eig_bounds(G: fmpq_mat):
    """Smallest and largest eigenvalue of the symmetric G, as mpmath numbers (a hint only)."""
    n = G.nrows()
    with mpmath.workdps(30):
        Gm = mpmath.matrix([[_mpf_hint(G[i, j]) for j in range(n)] for i in range(n)])
        ev = mpmath.eigsy(Gm, eigvals_only=True)
        vals = [ev[i] for i in range(n)]
        return min(vals), max(vals)


def _mpf_hint(x: fmpq):
    """x to about 120 bits, as an mpmath number (a hint; mpmath normalises an integer of 10^4 bits slowly, and the
    entries of data at 10^±300 have that many)."""
    p, q = int(x.p), int(x.q)
    if p == 0:
        return mpmath.mpf(0)
    s = 120 - (abs(p).bit_length() - q.bit_length())
    m = (p << s) // q if s >= 0 else p // (q << -s)
    return mpmath.ldexp(mpmath.mpf(m), -s)


def _to_fmpq(x) -> fmpq:
    m, e = mpmath.frexp(x)
    num = int(mpmath.nint(m * 2 ** 60))
    return fmpq(num) * fmpq(2) ** (e - 60) if e >= 60 else fmpq(num, 1) / fmpq(2) ** (60 - e)


def _lam_min_hint(G: fmpq_mat):
    """λ_min(G) ≈ 1/λ_max(G⁻¹) for the symmetric PD G (a hint only; 0 if G is singular).

    The largest eigenvalue of G⁻¹ is well conditioned in floating point; λ_min(G) itself is lost to rounding
    whenever G is ill conditioned (data at 1e300 on a line gives cond(G) ≈ 1e500).  G⁻¹ is the midpoint of an
    arb inverse at the first precision (128, 512, …, 32768 bits) at which arb proves G invertible, else exact."""
    from flint import arb, arb_mat

    from ..exact.enclosure import working_precision
    n = G.nrows()
    Gi = None
    for prec in (128, 512, 2048, 8192, 32768):
        with working_precision(prec):
            try:
                inv = arb_mat(n, n, [arb(G[i, j]) for i in range(n) for j in range(n)]).inv()
            except ZeroDivisionError:
                continue
            Gi = fmpq_mat(n, n, [_mid(inv[i, j]) for i in range(n) for j in range(n)])
            break
    if Gi is None:
        try:
            Gi = G.inv()
        except ZeroDivisionError:
            return mpmath.mpf(0)
    _, mx = _float_eig_bounds(Gi)
    return 1 / mx if mx > 0 else mpmath.mpf(0)


def _mid(x) -> fmpq:
    from ..exact.enclosure import _dyadic
    return _dyadic(x.mid())


def sigma_lower(G: fmpq_mat, lam_min) -> fmpq:
    """A short rational σ_0 ≥ 0 with G − σ_0² I PSD (exact test, :func:`exactmin.exact.norms.psd`); 0 if none
    is found.  ``lam_min`` is a hint for λ_min(G); candidates shrink geometrically from just below it."""
    n = G.nrows()
    if lam_min <= 0:
        return fmpq(0)
    eye = fmpq_mat(n, n, [fmpq(int(i == j)) for i in range(n) for j in range(n)])
    cand = dyadic_down(sqrt_enclosure(_to_fmpq(lam_min * (1 - mpmath.mpf(2) ** -20)), 64).lo)
    for k in range(16):
        if cand <= 0:
            return fmpq(0)
        if psd(G - cand * cand * eye):
            return cand
        cand = dyadic_down(cand * (1 - fmpq(1, 2 ** max(1, 20 - 2 * k))))
    return fmpq(0)


def sigma_upper(ev: J.Evaluation) -> fmpq:
    """A short rational Σ_0 ≥ ‖D_0‖_op (exact PSD test, :func:`exactmin.exact.norms.opnorm_upper`)."""
    return dyadic_up(opnorm_upper(ev.D))


def pattern_radius_max(norms, pds) -> fmpq:
    """The largest dyadic R at which the pattern recursion certifies every point (exponent search, then 40
    bisection steps: :func:`exactmin.nets.jacobian.largest_valid`; 0 if none)."""
    hi = min(min(pd.margins) for pd in pds)
    return J.largest_valid(lambda R: all(pattern_errors(R, norms, pd) is not None for pd in pds), hi)


_SIGMA0: dict = {}      # exact Gram matrix D D^T -> its certified sigma_0 (deterministic in G)


def certify_ball(net, ev: J.Evaluation, r0sq: fmpq, kappa: fmpq, plain: bool = True,
                 exp_lower: fmpq | None = None) -> Ball:
    """The ball that best closes the adapted (and, if ``plain``, the plain) continuation argument at θ_0.

    θ_0 must be strict (``ev.strict``) with a hidden layer.  R is chosen among dyadic fractions of the largest
    pattern radius to maximise R σ(R) (adapted) or R σ(R)²/Σ(R) (plain); every number is certified exactly."""
    norms = hidden_norms(net)
    pds = point_data(ev)
    G = _gram(ev)
    key = tuple(G.entries())
    s0 = _SIGMA0.get(key)
    if s0 is None:                  # the same θ_0 comes back once per candidate ball and claim
        if len(_SIGMA0) >= 64:
            _SIGMA0.clear()
        s0 = _SIGMA0[key] = sigma_lower(G, _lam_min_hint(G))
    S0 = sigma_upper(ev)
    Rmax = pattern_radius_max(norms, pds)
    best = Ball(fmpq(0), norms, s0, S0, fmpq(0), r0sq, exp_lower)
    best_score = fmpq(0)
    cands = {dyadic_down(Rmax * fmpq(k, 16), 20) for k in range(1, 17)}
    cands |= {dyadic_down(Rmax / fmpq(2) ** j, 20) for j in range(5, 24)}
    for R in sorted(c for c in cands if c > 0):
        d2 = deviation_sq(R, norms, pds)
        if d2 is None:
            continue
        E = dyadic_up(sqrt_up(d2))
        sig = s0 - E
        if sig <= 0:
            continue
        score = R * sig * sig / (S0 + E) if plain else R * sig
        if score > best_score:
            best, best_score = Ball(R, norms, s0, S0, E, r0sq, exp_lower), score
    return best


def deviation_bound(ball: Ball, ev: J.Evaluation) -> fmpq | None:
    """Re-derive Σδ² for a given ball (tests)."""
    return deviation_sq(ball.R, ball.norms, point_data(ev))


# ------------------------------------------------------------------------------------------------ exp bounds

def exp_neg_lower(x: fmpq, bits: int = 64) -> fmpq:
    """A short dyadic ℓ with 0 ≤ ℓ ≤ e^{−x} (x ≥ 0), about 2^-bits (relative) below the true value (arb ball)."""
    from flint import arb

    from ..exact.enclosure import from_arb, working_precision
    with working_precision(2 * bits + 64):
        enc = from_arb((-arb(x)).exp())
    lo = enc.lo * (1 - fmpq(1, 2 ** bits))
    return dyadic_down(lo, bits) if lo > 0 else fmpq(0)


def horizon_cap(kappa: fmpq, s_max: fmpq) -> bool:
    """κ s_max ≤ 10^4 (beyond that 1 − e^{−κ s_max} is 1 to every precision that matters)."""
    return kappa * s_max <= 10 ** 4


__all__ = ["Ball", "certify_ball", "sqrt_up", "deviation_sq", "pattern_errors", "point_data", "hidden_norms",
           "exp_neg_lower", "work", "WORK_LIMIT"]
