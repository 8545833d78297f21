"""The explicit zero-cost minimizer of arXiv:2309.10639, Theorem 2.3, construction (4.24)–(4.58).

Realised exactly in rationals:

* λ ∈ (0, 1] rational; W_* = λ I + (1−λ) u u^T / Q  (4.30), u = u_Q = (1,…,1).  A rational λ fixes the
  aperture θ_* through λ = tan(θ_Q/2)/tan(θ_*/2), tan(θ_Q/2) = 1/√(Q−1), hence
  κ := cos²(θ_*/2) = λ²(Q−1) / (1 + λ²(Q−1)) is rational (:func:`kappa_of_lambda`).
* f̃_ℓ, ũ: rational unit vectors within ``tol`` of f_ℓ = (x̄ − x̄_{0,ℓ})/|x̄ − x̄_{0,ℓ}| (2.49) and u/√Q.
* R_ℓ ∈ SO(Q) exactly orthogonal rational with R_ℓ f̃_ℓ = ũ (two Householder reflections).
* cumulative W^{(ℓ)} = W_* R_ℓ, apex (collapsed point) c_ℓ = x̄_{0,ℓ} − µ f̃_ℓ, b^{(ℓ)} = −W^{(ℓ)} c_ℓ
  (the paper's b^{(ℓ)} = −W^{(ℓ)} x̄_{0,ℓ} + µ R_ℓ f_ℓ with f_ℓ replaced by f̃_ℓ, since W_* u = u);
  for ℓ = Q+1..L (L > Q) W^{(ℓ)} = W^{(Q)}, b^{(ℓ)} = b^{(Q)} (identity layers);
* W^{(L+1)} = Y (X_0^red[µ])^{-1} with X_0^red[µ] = [c_1 … c_Q], b^{(L+1)} = 0; layers by (2.45).

Nothing here decides a claim: the check in :mod:`exactmin.claims.deep` runs the exact forward pass and
certifies every sign; the functions below also return the exact inequalities they rely on.
"""
from __future__ import annotations

from dataclasses import dataclass

from flint import arb, fmpq, fmpq_mat

from ..exact import orthogonal
from ..exact.orthogonal import dot
from ..exact.enclosure import (Enclosure, enclose, enclose_angle, enclose_arcsin_sqrt, enclose_fn, from_arb,
                               sqrt_enclosure, working_precision)
from ..exact.fexp import ilog2
from ..exact.linalg import checked_det, checked_inv
from ..exact.sign import sign_sqrt_sum
from .network import Network, from_cumulative


def kappa_of_lambda(lam: fmpq, Q: int) -> fmpq:
    """cos²(θ_*/2) for the aperture θ_* that W_* with shrink factor λ maps onto C_{θ_Q}[u] ((4.28)–(4.30))."""
    t = lam * lam * (Q - 1)
    return t / (1 + t)


def w_star(lam: fmpq, Q: int) -> fmpq_mat:
    """W_* = λ I + (1−λ) u u^T / Q  (4.30)."""
    W = fmpq_mat(Q, Q)
    for i in range(Q):
        for j in range(Q):
            W[i, j] = (1 - lam) / Q + (lam if i == j else 0)
    return W


@dataclass(frozen=True)
class Geometry:
    """Exact cluster geometry: means x̄_{0,j}, barycenter x̄, v_j = x̄ − x̄_{0,j} (so f_j = v_j/|v_j|), δ²."""

    Q: int
    means: list[list[fmpq]]
    barycenter: list[fmpq]
    v: list[list[fmpq]]
    delta_sq: fmpq

    @staticmethod
    def of(inst, delta_sq: fmpq) -> "Geometry":
        Q = inst.Q
        M = inst.means
        means = [[M[r, j] for r in range(M.nrows())] for j in range(Q)]
        bary = [sum((m[r] for m in means), fmpq(0)) / Q for r in range(M.nrows())]
        v = [[bary[r] - m[r] for r in range(len(bary))] for m in means]
        return Geometry(Q, means, bary, v, delta_sq)

    def pairs(self):
        for j in range(self.Q):
            for k in range(self.Q):
                if j != k:
                    a = [self.means[k][r] - self.means[j][r] for r in range(len(self.barycenter))]
                    yield j, k, a


def cone_ball_terms(a, v, r_sq: fmpq, kappa: fmpq, t: fmpq = fmpq(0)):
    """Signed-square-root terms of the strict containment  B_r(a − t f) ⊂ C_θ[f]  (f = v/|v|, κ = cos²(θ/2)).

    For a point with axial coordinate h = ⟨a,f⟩ − t and radial distance ρ = |a − ⟨a,f⟩f| the distance to the
    boundary of the cone of half-aperture φ < π/2 is h sin φ − ρ cos φ, so containment with margin is
        (⟨a,v⟩ − t|v|) sin φ − √(|a|²|v|² − ⟨a,v⟩²) cos φ − r|v| > 0      (multiplied by |v|).
    Returns [(c_i, q_i)] with the left side = Σ c_i √q_i (c_i ∈ {−1,0,1}, q_i ≥ 0 rational).
    """
    av, aa, vv = dot(a, v), dot(a, a), dot(v, v)
    s2 = 1 - kappa
    terms = [(1 if av > 0 else (-1 if av < 0 else 0), av * av * s2),
             (-1, (aa * vv - av * av) * kappa),
             (-1, r_sq * vv)]
    if t != 0:
        terms.append((-1 if t > 0 else 1, t * t * vv * s2))
    return terms


def theta_star_margin_terms(g: Geometry, kappa: fmpq):
    """(4.25)/(2.51): θ_{*,j} < θ_* for every j ⟺ each B_{4δ}(x̄_{0,j'}) lies strictly inside x̄_{0,j} + C_{θ_*}[f_j]."""
    return [((j, k), cone_ball_terms(a, g.v[j], 16 * g.delta_sq, kappa)) for j, k, a in g.pairs()]


def mu_lower_terms(g: Geometry, kappa: fmpq, mu: fmpq):
    """µ > −D (4.26) ⟺ for all j ≠ j', B_δ(x̄_{0,j'} − x̄_{0,j}) ⊂ −µ f_j + C_{θ_*}[f_j] strictly (monotone in µ)."""
    return [((j, k), cone_ball_terms(a, g.v[j], g.delta_sq, kappa, -mu)) for j, k, a in g.pairs()]


def mu_outside_I0(g: Geometry, mu: fmpq) -> str | None:
    """The reason why µ lies outside I_0 = (−D, −2δ√Q) for EVERY admissible θ_0, decided exactly, or None.

    µ ∈ I_0 is a hypothesis of (2.58), (2.61) and (2.68), but D (4.26) depends on the free θ_0 of (4.24), so a µ
    that fails for the θ_* we chose need not fail for another.  Two exact, θ_0-free tests:
    * µ ≥ 0 or µ² ≤ 4δ²Q: µ is not below −2δ√Q;
    * t = −µ > D̂ := min_{j≠j'} ⟨x̄_{0,j'} − x̄_{0,j}, f_j⟩ − δ: every cone C_{θ_*}[f_j] with θ_* < π lies in the
      half-space ⟨·, f_j⟩ ≥ 0, so (4.26) forces D ≤ ⟨a, f_j⟩ − (δ + ρ cos φ)/sin φ < ⟨a, f_j⟩ − δ for every θ_*,
      hence D < D̂.  With v = x̄ − x̄_{0,j}: ⟨a, v⟩ − (t + δ)|v| < 0, a signed sum of square roots (t = D̂
      exactly is outside as well but left to ``undecided``: the kernel decides signs by intervals).
    Only then does a claim answer ``hypotheses-fail``; a µ merely not certified is ``undecided``."""
    if not (mu < 0 and mu * mu > 4 * g.delta_sq * g.Q):
        return f"mu = {mu} is not < -2 delta sqrt(Q) (mu >= 0 or mu^2 <= 4 delta^2 Q): outside I_0 for every theta_0"
    t = -mu
    for j, k, a in g.pairs():
        av, vv = dot(a, g.v[j]), dot(g.v[j], g.v[j])
        sg, _ = sign_sqrt_sum([((av > 0) - (av < 0), av * av), (-1, t * t * vv), (-1, g.delta_sq * vv)])
        if sg is not None and sg < 0:     # strict: the kernel's interval test cannot certify equality
            return (f"-mu = {t} > <xbar_0,{k + 1} - xbar_0,{j + 1}, f_{j + 1}> - delta >= D for every theta_0 "
                    "(the cone lies in a half-space): outside I_0 for every theta_0")
    return None


def enclose_max_half_theta(g: Geometry, prec: int = 128) -> Enclosure:
    """Enclosure of Φ = max_j θ_{*,j}/2 = max_{j≠j'} ∠(a, f_j) + arcsin(4δ/|a|), a = x̄_{0,j'} − x̄_{0,j} (2.51).

    Every branch point is decided on exact rationals, never on a ball: the angle is exactly 0 when a ∥ f_j
    (always for Q = 2, where a = 2 v_j) and exactly π when they are opposite (:func:`enclose_angle`), and
    arcsin(4δ/|a|) = arcsin √(16δ²/|a|²) is exactly π/2 when the ball B_{4δ}(x̄_{0,j'}) reaches x̄_{0,j}; if it
    contains x̄_{0,j} (16δ² > |a|², excluded by (2.51)) no cone of aperture < π contains it and the bound
    Φ ≥ π/2 is returned (then no admissible θ_* exists).  The enclosure only steers :func:`choose_lambda`;
    θ_* > max_j θ_{*,j} is decided exactly by :func:`theta_star_margin_terms`."""
    best = None
    for j, _, a in g.pairs():
        av, aa, vv = dot(a, g.v[j]), dot(a, a), dot(g.v[j], g.v[j])
        ang = enclose_angle(av, aa * vv, prec)
        r2 = 16 * g.delta_sq / aa
        ang = ang + enclose_arcsin_sqrt(min(r2, fmpq(1)), prec)
        best = ang if best is None else Enclosure(max(best.lo, ang.lo), max(best.hi, ang.hi))
    return best


def enclose_D(g: Geometry, kappa: fmpq, prec: int = 128):
    """Enclosure (arb) of D (4.26) = min_{j≠j'} ⟨a,f_j⟩ − (δ + ρ cos φ)/sin φ, ρ = |a − ⟨a,f_j⟩ f_j|."""
    with working_precision(prec):
        d = arb(g.delta_sq).sqrt()
        c, s = arb(kappa).sqrt(), arb(1 - kappa).sqrt()
        vals = []
        for j, _, a in g.pairs():
            av, aa, vv = dot(a, g.v[j]), dot(a, a), dot(g.v[j], g.v[j])
            alpha = arb(av) / arb(vv).sqrt()
            rho = arb(aa - av * av / vv).sqrt()
            vals.append(alpha - (d + rho * c) / s)
        D = vals[0]
        for x in vals[1:]:
            D = D.min(x)
        return D


def sqrt_upper(q: fmpq) -> fmpq:
    """A rational upper bound of √q (q ≥ 0 rational)."""
    from ..exact.enclosure import sqrt_enclosure
    return sqrt_enclosure(q, 64).hi


LAMBDA_PRECISIONS = (128, 512, 2048)   # bits; more only when Φ is within 2^-120 of π/2
LAMBDA_FALLBACK = fmpq(1, 2**64)        # when no precision separates Φ from π/2 (then (2.51) is near-tight)


def choose_lambda(g: Geometry, w: fmpq = fmpq(1, 2)) -> fmpq:
    """Rational λ ∈ (0, 1] with θ_*/2 ≥ φ := Φ + w (π/2 − Φ), Φ = max_j θ_{*,j}/2 (θ_0 = 2w(π/2 − Φ) in (4.24)).

    λ = tan(θ_Q/2)/tan(θ_*/2) = 1/(√(Q−1) tan(θ_*/2)) (4.28), capped at 1 (θ_* ≤ θ_Q).  With an enclosure
    [φ_lo, φ_hi] of φ certified inside (0, π/2), λ is a rational lower bound of 1/(√(Q−1) tan φ_hi), rounded
    DOWN to a dyadic with 16 bits (more if that would be 0): a smaller λ widens θ_*.  w → 1 widens the cone
    (θ_* → π), which enlarges D (4.26) but shrinks λ.  Nothing here decides a claim: the exact check that
    θ_* > max_j θ_{*,j} is separate; when φ cannot be separated from π/2 the tiny λ = 2^-64 is returned
    and the exact check decides.  Needs Q ≥ 2."""
    Q = g.Q
    if Q < 2:
        raise ValueError("choose_lambda needs Q >= 2 (f_j is undefined for Q = 1)")
    lo = None
    for prec in LAMBDA_PRECISIONS:
        phi_max = enclose_max_half_theta(g, prec)
        half_pi = enclose("pi", fmpq(1, 2), prec)
        phi = phi_max * (1 - w) + half_pi * w
        if not (phi.lo > 0 and phi.hi < half_pi.lo):
            continue
        tan = enclose_fn("tan", phi, prec)         # φ ⊂ (0, π/2): finite, positive
        root = sqrt_enclosure(Q - 1, prec)
        lo = 1 / (root.hi * tan.hi)
        break
    if lo is None:
        return LAMBDA_FALLBACK
    if lo >= 1:
        return fmpq(1)
    bits = 16
    lam_q = fmpq(int(lo * 2**bits), 2**bits)
    while lam_q <= 0:
        bits *= 2
        lam_q = fmpq(int(lo * 2**bits), 2**bits)
    return lam_q


def _strict_at(g: Geometry, kappa: fmpq, t: fmpq):
    """Exact: every B_δ(x̄_{0,j'} − x̄_{0,j}) lies strictly inside t f_j + C_{θ_*}[f_j] ⟺ t < D (4.26)."""
    return decide_all_positive(mu_lower_terms(g, kappa, -t))[0]


def certified_D(g: Geometry, kappa: fmpq, prec: int = 128) -> Enclosure:
    """Enclosure [lo, hi] of D (4.26) with both ends decided exactly, as the kernel re-checks them:
    D > lo ⟺ the containment of (4.26) is strict at t = lo, and D ≤ hi ⟺ it is not strict at t = hi
    (each a sum of at most 4 signed square roots, decided exactly by :func:`decide_all_positive`).

    The arb enclosure of :func:`enclose_D` is the first guess; an end that fails its exact test (e.g. D
    rational and the ball exact, so lo = D) is moved outwards by a doubling pad until it passes."""
    D = from_arb(enclose_D(g, kappa, prec))
    lo, hi = D.lo, D.hi
    # the pad is relative to the instance's scale (|D| and δ), never an absolute 2^-prec: data scaled by
    # 10^-310 must get the scaled enclosure, not one widened by an absolute grid (scale covariance)
    scale = abs(lo) + abs(hi) + sqrt_upper(g.delta_sq)
    pad = max(hi - lo, scale / 2**prec)
    for _ in range(4 * prec):     # strict at t ⟺ t < D: a far enough lo passes, a far enough hi fails

        ok_lo = _strict_at(g, kappa, lo) is True
        ok_hi = _strict_at(g, kappa, hi) is False
        if ok_lo and ok_hi:
            return Enclosure(lo, hi)
        if not ok_lo:
            lo -= pad
        if not ok_hi:
            hi += pad
        pad *= 2
    raise ArithmeticError("certified_D: no certified enclosure of D found")  # not expected


def round_up_relative(t: fmpq, bits: int) -> fmpq:
    """The smallest multiple of 2^(⌊log₂ t⌋ − bits) strictly above t > 0: ``bits`` significant bits, relative to
    t's own magnitude, so the rounding commutes with scaling the data by a power of two and its relative error
    (≤ 2^-bits) does not depend on the scale.  An absolute grid 2^-20 would, at data scaled by 10^-310, round every
    µ to 2^-20 and move it to another point of I_0 (scale covariance, issue 14)."""
    e = ilog2(t) - bits
    step = fmpq(2) ** e if e >= 0 else fmpq(1, 2 ** -e)
    p, q = (t / step).p, (t / step).q
    return step * (int(p) // int(q) + 1)


def choose_mu(g: Geometry, kappa: fmpq):
    """A rational µ in I_0 = (−D, −2δ√Q): −µ = 2δ√Q + (D − 2δ√Q)/4 rounded up to 20 significant bits
    (:func:`round_up_relative`: the same relative point of I_0 at every scale of the data).

    Returns (µ, D enclosure) with the enclosure certified exactly (:func:`certified_D`).  When I_0 looks
    empty (lo(D) ≤ an upper bound of 2δ√Q), µ = −(9/8)·2δ√Q (upper bound) is returned so the construction can
    still be tried; the caller decides µ ∈ I_0 exactly.
    """
    Q = g.Q
    Denc = certified_D(g, kappa)
    m0 = sqrt_upper(4 * g.delta_sq * Q)
    if Denc.lo > m0:
        t = round_up_relative(m0 + (Denc.lo - m0) / 4, 20)
        if not t < Denc.lo:
            t = (m0 + Denc.lo) / 2
        return -t, Denc
    return -(m0 * fmpq(9, 8)), Denc


@dataclass(frozen=True)
class Parameters:
    """λ, κ, µ of the construction and how far they are certified (see :func:`choose_parameters`)."""

    lam: fmpq
    kappa: fmpq
    mu: fmpq
    D: object                 # Enclosure of D (4.26) for this θ_*
    theta_ok: bool | None     # θ_* > max_j θ_{*,j} certified
    theta_method: str
    theta_bad: object
    upper_ok: bool            # µ < −2δ√Q, by squares
    lower_ok: bool | None     # µ > −D, by cone containment
    lower_method: str
    lower_bad: object

    @property
    def certified(self) -> bool:
        return self.theta_ok is True and self.upper_ok and self.lower_ok is True


WIDENINGS = (fmpq(1, 2), fmpq(3, 4), fmpq(7, 8), fmpq(15, 16), fmpq(63, 64))
# tolerances |f~ − f|, |u~ − u/√Q| of the rational realisation, coarse first (smaller numbers)
TOLERANCES = (fmpq(1, 2**6), fmpq(1, 2**20), fmpq(1, 2**48))


def choose_parameters(g: Geometry, user_mu: fmpq | None = None) -> Parameters:
    """λ and µ ∈ I_0 with every condition of (4.24)–(4.26) certified, widening θ_* when needed.

    θ_0 is free in (4.24): θ_* is widened towards π (w in :data:`WIDENINGS`) until µ ∈ I_0 is certified
    (D grows with θ_*).  With ``user_mu`` the given µ is tested instead of the automatic one."""
    Q = g.Q
    for w in WIDENINGS:
        lam = choose_lambda(g, w)
        kappa = kappa_of_lambda(lam, Q)
        theta_ok, theta_method, theta_bad = decide_all_positive(theta_star_margin_terms(g, kappa))
        mu_auto, Denc = choose_mu(g, kappa)
        mu = user_mu if user_mu is not None else mu_auto
        upper_ok = mu < 0 and mu * mu > 4 * g.delta_sq * Q
        lower_ok, lower_method, lower_bad = decide_all_positive(mu_lower_terms(g, kappa, mu))
        par = Parameters(lam, kappa, mu, Denc, theta_ok, theta_method, theta_bad, upper_ok, lower_ok,
                         lower_method, lower_bad)
        if par.certified:
            break
    return par


def second_mu(g: Geometry, par: Parameters) -> fmpq | None:
    """A second µ ∈ I_0 above ``par.mu`` (towards −2δ√Q), certified like the first; None if none is found."""
    from ..exact.enclosure import sqrt_enclosure
    m0 = sqrt_enclosure(4 * g.delta_sq * g.Q, 64).hi
    for w in (fmpq(1, 2), fmpq(3, 4), fmpq(7, 8)):
        cand = -(m0 + (-par.mu - m0) * w)
        ok, _, _ = decide_all_positive(mu_lower_terms(g, par.kappa, cand))
        if cand < 0 and cand * cand > 4 * g.delta_sq * g.Q and ok is True and par.mu < cand:
            return cand
    return None


@dataclass(frozen=True)
class DeepConstruction:
    lam: fmpq
    kappa: fmpq
    mu: fmpq
    tol: fmpq
    f_tilde: list[list[fmpq]]
    u_tilde: list[fmpq]
    R: list[fmpq_mat]
    apex: list[list[fmpq]]
    Wc: list[fmpq_mat]
    bc: list[fmpq_mat]
    net: Network
    red_singular: bool = False   # X_0^red[µ] = [c_1 … c_Q] singular: no W^{(L+1)} = Y (X_0^red[µ])^{-1}


def build(inst, g: Geometry, L: int, lam: fmpq, mu, tol: fmpq, output=None) -> DeepConstruction:
    """Cumulative and layer parameters of the construction for L ≥ Q hidden layers.

    ``mu`` is one rational (the same µ_ℓ for every cluster) or a list of Q (µ_1, …, µ_Q): µ_ℓ < 0 collapses
    cluster ℓ at layer ℓ (I_0), µ_ℓ > 0 makes layer ℓ act as the identity on the data (I_1, Thm 2.4/2.5).
    ``output`` = (W^{(L+1)}, b^{(L+1)}) cumulative output parameters; default Y (X_0^red[µ])^{-1}, 0 (Thm 2.3).
    ``DeepConstruction.mu`` is the first µ_ℓ (all of them when they agree).
    """
    Q = g.Q
    if L < Q:
        raise ValueError("the construction needs L >= Q hidden layers")
    mus = list(mu) if isinstance(mu, (list, tuple)) else [mu] * Q
    if len(mus) != Q:
        raise ValueError("need one mu per cluster")
    u = [fmpq(1)] * Q
    u_t = orthogonal.rational_unit_vector(u, tol)
    Ws = w_star(lam, Q)
    f_t, Rs, apex, Wc, bc = [], [], [], [], []
    for ell in range(Q):
        f = orthogonal.rational_unit_vector(g.v[ell], tol)
        R = orthogonal.rotation_to(f, u_t)
        c = [g.means[ell][r] - mus[ell] * f[r] for r in range(Q)]
        W = Ws * R
        b = -(W * fmpq_mat(Q, 1, c))
        f_t.append(f), Rs.append(R), apex.append(c), Wc.append(W), bc.append(b)
    for _ in range(Q, L):
        Wc.append(Wc[-1]), bc.append(bc[-1])
    singular = False
    if output is None:
        C = fmpq_mat(Q, Q, [apex[j][r] for r in range(Q) for j in range(Q)])  # columns c_j = X_0^red[µ]
        singular = checked_det(C) == 0
        # X_0^red[µ] inverted by flint and by the reference backend.  Where it is singular (two apexes coincide,
        # e.g. W-A at µ = (−2, −2): the remark after (2.62) fails) the output layer of (2.58) does not exist;
        # the zero output layer stands in and the claims read ``red_singular``
        Wc.append(fmpq_mat(inst.Y.nrows(), Q) if singular else inst.Y * checked_inv(C))
        bc.append(fmpq_mat(inst.Y.nrows(), 1))
    else:
        Wc.append(output[0]), bc.append(output[1])
    net = from_cumulative(Wc, bc)
    return DeepConstruction(lam, kappa_of_lambda(lam, Q), mus[0], tol, f_t, u_t, Rs, apex, Wc, bc, net, singular)


def decide_all_positive(term_lists):
    """Exact/enclosure decision that every signed-root sum is > 0.

    Returns (True|False|None, method, first failing key).  Uses exactmin.exact.sign.sign_sqrt_sum."""
    method = "exact-squares"
    for key, terms in term_lists:
        s, m = sign_sqrt_sum(terms)
        if m != "exact-squares":
            method = "enclosure"
        if s is None:
            return None, method, key
        if s <= 0:
            return False, method, key
    return True, method, None
