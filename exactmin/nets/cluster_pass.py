"""Fast exact certification of the Theorem 2.3 construction (arXiv:2309.10639, (4.24)–(4.58), (2.59)/(4.65)).

Structure used (verified, never assumed):

* τ-collapse (Proposition 2.2, Definition 2.1).  With the cumulative maps z^{(ℓ)}(y) = W^{(ℓ)} y + b^{(ℓ)},
  τ^{(ℓ)}(y) = y ⟺ z^{(ℓ)}(y) ≥ 0 and τ^{(ℓ)}(y) = c_ℓ (the apex, W^{(ℓ)} c_ℓ + b^{(ℓ)} = 0) ⟺ z^{(ℓ)}(y) ≤ 0
  (W^{(ℓ)} invertible).  So (2.59)/(4.65) — cluster j untouched by layers ℓ < j, collapsed to c_j at layer j,
  c_j untouched by layers ℓ > j — holds iff, per row r,
      max_{y ∈ cluster j} z_r^{(j)}(y) ≤ 0,   min_{y ∈ cluster k} z_r^{(ℓ)}(y) ≥ 0 (ℓ < k),   z^{(ℓ)}(c_j) ≥ 0 (ℓ > j).
  The exact row extremes over each cluster are computed ONCE (float filter + exact candidates,
  :func:`exactmin.exact.certsign.row_extremes`): Σ_j (j + 1) N_j matrix–vector products in floats.
* Network forward pass.  If the all-active composed maps of the network's layers (to_cumulative, (2.43)) equal
  (W^{(ℓ)}, b^{(ℓ)}) exactly for ℓ ≤ Q, then a point of cluster j has network pre-activation z^{(ℓ)}(y) ≥ 0 at
  layers ℓ < j (σ acts as the identity, so the next pre-activation is again the composed map) and ≤ 0 at
  layer j, where σ returns the zero vector for EVERY point of the cluster.  The rest of the network acts on
  the single vector 0, propagated exactly: one output per cluster, and the exact cost (2.36) is
  Σ_j |out_j − y_j|² (the N_j equal terms times 1/N_j).
* µ-box and admissible intervals: every sign condition is affine in the µ's (b^{(ℓ)}(µ_ℓ) = b^{(ℓ)} +
  (µ_ℓ − µ) W^{(ℓ)} f̃_ℓ, c_k(µ_k) = x̄_k − µ_k f̃_k), so the same row extremes decide them exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flint import fmpq, fmpq_mat

from ..data.stats import numerators
from ..exact.certsign import ExactAffine, FilterStats, row_extremes_multi
from ..exact.intmat import IntMat
from .cost import class_slices
from .network import Network, to_cumulative


@dataclass
class ClusterExtremes:
    """ext[ℓ][k] = (row minima, row maxima) of z^{(ℓ)} over cluster k ≥ ℓ (exact fmpq lists)."""

    Wc: list
    bc: list
    ext: list
    stats: FilterStats = field(default_factory=FilterStats)

    def same_maps(self, Wc, bc) -> bool:
        Q = len(self.Wc)
        return len(Wc) >= Q and all(Wc[i] == self.Wc[i] and bc[i] == self.bc[i] for i in range(Q))


def cluster_extremes(Wc: list[fmpq_mat], bc: list[fmpq_mat], X: IntMat, sizes) -> ClusterExtremes:
    """Exact row extremes of W^{(ℓ)} y + b^{(ℓ)} over each cluster k ≥ ℓ, ℓ = 0..Q−1 (one pass per pair)."""
    Q = len(sizes)
    sl = class_slices(sizes)
    stats = FilterStats()
    maps = [ExactAffine(Wc[ell], bc[ell]) for ell in range(Q)]
    ext = [[None] * Q for _ in range(Q)]
    for k in range(Q):                     # numerators(X): limbs where the data has them, no Python ints
        res = row_extremes_multi(maps[:k + 1], numerators(X)[:, sl[k]], X.den, stats)
        for ell in range(k + 1):
            ext[ell][k] = res[ell]
    return ClusterExtremes(list(Wc[:Q]), list(bc[:Q]), ext, stats)


def _apex_pre(W: fmpq_mat, b: fmpq_mat, c: list) -> list:
    z = W * fmpq_mat(len(c), 1, c) + b
    return [z[r, 0] for r in range(z.nrows())]


def collapse_holds(ce: ClusterExtremes, apex: list) -> bool:
    """(2.59)/(4.65) from the row extremes (see the module docstring); exact."""
    Q = len(apex)
    for ell in range(Q):
        lo, hi = ce.ext[ell][ell]
        if any(v > 0 for v in hi):
            return False
        for k in range(ell + 1, Q):
            if any(v < 0 for v in ce.ext[ell][k][0]):
                return False
        for j in range(ell):
            if any(v < 0 for v in _apex_pre(ce.Wc[ell], ce.bc[ell], apex[j])):
                return False
    return True


def data_collapse_holds(ce: ClusterExtremes) -> bool:
    """The data conditions of (2.59) only (cluster ℓ collapses at layer ℓ, later clusters pass; no apex condition):
    each cluster is then one point after layer Q, (4.65).  Exact."""
    Q = len(ce.Wc)
    return all(not any(v > 0 for v in ce.ext[ell][ell][1]) and
               all(not any(v < 0 for v in ce.ext[ell][k][0]) for k in range(ell + 1, Q)) for ell in range(Q))


def collapsed_outputs(net: Network, ce: ClusterExtremes) -> list | None:
    """Network output (fmpq list) shared by every point of cluster j, j = 0..Q−1, when the composed maps of
    ``net`` are ce's (the collapse must have been checked with :func:`collapse_holds`), else None."""
    Q = len(ce.Wc)
    Wn, bn = to_cumulative(net)
    if not ce.same_maps(Wn, bn):
        return None
    outs = []
    for j in range(Q):
        x = fmpq_mat(Q, 1)                     # σ(z^{(j)}) = 0 for every point of cluster j
        for ell in range(j + 1, net.L):
            z = net.weights[ell] * x + net.biases[ell]
            x = fmpq_mat(z.nrows(), 1, [max(0, v) for v in (z[r, 0] for r in range(z.nrows()))])
        out = net.weights[-1] * x + net.biases[-1]
        outs.append([out[r, 0] for r in range(out.nrows())])
    return outs


def collapsed_cost(net: Network, ce: ClusterExtremes, Y: fmpq_mat) -> fmpq | None:
    """Exact cost² (2.36) of ``net`` when its composed maps are ce's and the collapse holds, else None."""
    outs = collapsed_outputs(net, ce)
    if outs is None:
        return None
    return sum((sum(((o - Y[r, j]) ** 2 for r, o in enumerate(out)), fmpq(0)) for j, out in enumerate(outs)), fmpq(0))


def box_holds(ce: ClusterExtremes, apex: list, f_tilde: list, mu: fmpq, lo: fmpq, hi: fmpq) -> bool:
    """Collapse pattern (2.59)/(4.65) for EVERY µ ∈ [lo, hi]^Q: the conditions are affine in (µ_k, µ_ℓ), so
    their vertices suffice; original points only see µ_ℓ (shift (µ_ℓ − µ) a_ℓ, a_ℓ = W^{(ℓ)} f̃_ℓ)."""
    Q = len(apex)
    a = [_apex_pre(ce.Wc[ell], fmpq_mat(Q, 1), f_tilde[ell]) for ell in range(Q)]
    for ell in range(Q):
        for v in (lo, hi):
            sh = [(v - mu) * x for x in a[ell]]
            if any(m + s > 0 for m, s in zip(ce.ext[ell][ell][1], sh)):
                return False
            for k in range(ell + 1, Q):
                if any(m + s < 0 for m, s in zip(ce.ext[ell][k][0], sh)):
                    return False
            for k in range(ell):
                base = _apex_pre(ce.Wc[ell], ce.bc[ell], apex[k])       # at µ_k = µ_ℓ = µ
                wf = _apex_pre(ce.Wc[ell], fmpq_mat(Q, 1), f_tilde[k])
                for vk in (lo, hi):
                    # c_k(v_k) = c_k − (v_k − µ) f̃_k ;  b^{(ℓ)}(v) = b^{(ℓ)} + (v − µ) a_ℓ
                    if any(z0 - (vk - mu) * w + s < 0 for z0, w, s in zip(base, wf, sh)):
                        return False
    return True


def admissible_from_extremes(ce: ClusterExtremes, apex: list, f_tilde: list, mu: fmpq):
    """Same intervals as :func:`exactmin.claims.deep.admissible_intervals`, from the row extremes."""
    Q = len(apex)
    out = []

    def tighten(z_lo, z_hi, slope, need_nonneg, lo, hi):
        for r, ar in enumerate(slope):
            if ar == 0:
                continue
            lower = (ar > 0) == need_nonneg
            z = z_lo[r] if lower == (ar > 0) else z_hi[r]
            bound = -z / ar
            if lower:
                lo = bound if lo is None else max(lo, bound)
            else:
                hi = bound if hi is None else min(hi, bound)
        return lo, hi

    for j in range(Q):
        a = _apex_pre(ce.Wc[j], fmpq_mat(Q, 1), f_tilde[j])
        shift = [mu * x for x in a]                       # z at µ_j = 0 is z(µ) − µ a
        lo = hi = None
        for k in range(j, Q):
            zl, zh = ce.ext[j][k]
            zl = [x - s for x, s in zip(zl, shift)]
            zh = [x - s for x, s in zip(zh, shift)]
            lo, hi = tighten(zl, zh, a, k != j, lo, hi)
        for k in range(j):
            z = [x - s for x, s in zip(_apex_pre(ce.Wc[j], ce.bc[j], apex[k]), shift)]
            lo, hi = tighten(z, z, a, True, lo, hi)
        for ell in range(j + 1, Q):
            c0 = [apex[j][r] + f_tilde[j][r] * mu for r in range(Q)]
            z = _apex_pre(ce.Wc[ell], ce.bc[ell], c0)
            slope = [-x for x in _apex_pre(ce.Wc[ell], fmpq_mat(Q, 1), f_tilde[j])]
            lo, hi = tighten(z, z, slope, True, lo, hi)
        out.append((lo, hi))
    return out
