"""Exact cluster statistics for the hypotheses of the deep paper (arXiv:2309.10639 v4; CLAIMS.md "Conventions").

Notation: class means x̄_{0,j}, deviations Δx_{0,j,i} = x_{0,j,i} − x̄_{0,j}, δ = max_{j,i} |Δx_{0,j,i}|,
x̄ = (1/Q) Σ_j x̄_{0,j} (mean of the class means), D_j = |x̄ − x̄_{0,j}|. All values are exact (flint.fmpq); only
squares are computed, so everything stays rational.

* (2.12)  ΔX_{0,j} ≠ 0 for every j                       -> :func:`zero_deviation_classes` is empty.
* (2.14)  δ < c_0 min_j D_j for some 0 < c_0 < 1/4        <=> c0_sq := δ² / min_j D_j² < 1/16   (:func:`c0_sq`).
* (2.51)/(2.52) for all j ≠ j':  s := ⟨x̄_{0,j'} − x̄_{0,j}, x̄ − x̄_{0,j}⟩ > 4δ D_j
                                 <=> s > 0 and s² − 16 δ² D_j² > 0              (:func:`cone_margins`).

Deviations are computed per class in integers: with numerators C (over the common denominator L) and column sum S,
N_j C − S = N_j L ΔX_{0,j}, so |Δx_{0,j,i}|² = |N_j c_i − S|² / (N_j L)²: one division per class, no per-point
fractions. NumPy int64 is used when a bit-length bound proves no overflow, object (Python int) arrays otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import flint
import numpy as np

from exactmin.data.instance import Instance
from exactmin.exact.colnorms import max_sq_column, max_sq_deviation
from exactmin.exact.intmat import IntMat

__all__ = ["deviation_sq_numerators", "class_max_deviations_sq", "deviations_sq", "delta_sq",
           "dist_sq_to_barycenter", "c0_sq", "ConeMargin", "cone_margins", "zero_deviation_classes",
           "DeepHypotheses", "deep_hypotheses", "C0_SQ_BOUND"]

#: (2.14) holds iff c0_sq < C0_SQ_BOUND (= (1/4)²).
C0_SQ_BOUND = flint.fmpq(1, 16)


def deviation_sq_numerators(inst: Instance, j: int) -> tuple[np.ndarray, int]:
    """``(a, d)`` with |Δx_{0,j,i}|² = a[i] / d exactly; a is an integer array of length N_j, d = (N_j X0_den)²."""
    C = inst.class_num(j)
    n = C.shape[1]
    S = inst.class_sums()[j]
    maxabs = inst.max_abs_num()
    bound = inst.M * (2 * n * maxabs) ** 2  # |n c − S| ≤ 2 n maxabs per coordinate
    if C.dtype != object and bound < 2**63:
        D = n * C - np.array(S, dtype=np.int64)[:, None]
        a = (D * D).sum(axis=0)
    else:
        Co = C.astype(object)
        D = n * Co - np.array(S, dtype=object)[:, None]
        a = (D * D).sum(axis=0)
    return a, (n * inst.X0_den) ** 2


def class_max_deviation_sq_exact(inst: Instance, j: int) -> tuple[flint.fmpq, int]:
    """(max_i |Δx_{0,j,i}|², first arg-max i) of class j from every exact squared deviation (the reference)."""
    a, d = deviation_sq_numerators(inst, j)
    i = int(np.argmax(a)) if a.dtype != object else max(range(len(a)), key=lambda t: (a[t], -t))
    return flint.fmpq(int(a[i]), d), i


def class_max_deviation_sq(inst: Instance, j: int) -> tuple[flint.fmpq, int]:
    """The same value and first arg-max as :func:`class_max_deviation_sq_exact`; when the numerators allow it
    (|N_j c − S| < 2^53, int64) by the certified float filter of :func:`exactmin.exact.colnorms.max_sq_column`,
    which squares exactly only the candidate columns: at N = 10^6 the object-integer squares of the reference
    dominate the whole deep.thm2.3 check."""
    W = inst.wide
    C = inst.class_num(j) if W is None else W[:, inst.class_slice(j)]      # Limbs: no Python int per entry
    n = C.shape[1]
    S = inst.class_sums()[j]
    if W is None and C.dtype != object and 2 * n * inst.max_abs_num() < 2**53:
        r = max_sq_column(n * C - np.array(S, dtype=np.int64)[:, None])
    else:                               # long numerators (e.g. floats' decimals over 10^20): float-scaled filter
        r = max_sq_deviation(C, S, n)
    if r is not None:
        return flint.fmpq(r[0], (n * inst.X0_den) ** 2), r[1]
    return class_max_deviation_sq_exact(inst, j)


def class_max_deviations_sq(inst: Instance) -> list[tuple[flint.fmpq, int]]:
    """Per class j: (max_i |Δx_{0,j,i}|², first arg-max i)."""
    c = inst._cache.get("stats.maxdev")
    if c is None:
        c = inst._cache["stats.maxdev"] = [class_max_deviation_sq(inst, j) for j in range(inst.Q)]
    return list(c)


def deviations_sq(inst: Instance) -> list[flint.fmpq]:
    """Per class j, the maximal squared deviation max_i |Δx_{0,j,i}|² (exact)."""
    return [v for v, _ in class_max_deviations_sq(inst)]


def delta_sq(inst: Instance) -> tuple[flint.fmpq, tuple[int, int]]:
    """(δ², (j, i)): the maximal squared deviation over all points and the first (class, point) attaining it."""
    best, arg = None, (0, 0)
    for j, (v, i) in enumerate(class_max_deviations_sq(inst)):
        if best is None or v > best:
            best, arg = v, (j, i)
    return best, arg


def _sub(a, b):
    return [x - y for x, y in zip(a, b)]


def _dot(a, b):
    s = flint.fmpq(0)
    for x, y in zip(a, b):
        s += x * y
    return s


def dist_sq_to_barycenter(inst: Instance) -> list[flint.fmpq]:
    """D_j² = |x̄_{0,j} − x̄|² for every class j."""
    xb = inst.barycenter
    out = []
    for j in range(inst.Q):
        v = _sub(inst.mean(j), xb)
        out.append(_dot(v, v))
    return out


def c0_sq(inst: Instance) -> flint.fmpq | None:
    """δ² / min_j D_j² (exact); (2.14) holds iff this is < 1/16. ``None`` if some class mean equals x̄."""
    m = min(dist_sq_to_barycenter(inst))
    if m == 0:
        return None
    return delta_sq(inst)[0] / m


class ConeMargin(NamedTuple):
    """Record of the exact test of (2.51)/(2.52) for the ordered pair (j, jp), j ≠ jp (0-based)."""
    j: int
    jp: int
    s: flint.fmpq          #: ⟨x̄_{0,jp} − x̄_{0,j}, x̄ − x̄_{0,j}⟩
    margin: flint.fmpq     #: s² − 16 δ² |x̄ − x̄_{0,j}|²
    holds: bool            #: s > 0 and margin > 0


def cone_margins(inst: Instance) -> list[ConeMargin]:
    """For every ordered pair j ≠ j': s, s² − 16δ²D_j², and whether (2.51)/(2.52) holds for the pair."""
    d2 = delta_sq(inst)[0]
    xb = inst.barycenter
    means = [inst.mean(j) for j in range(inst.Q)]
    out = []
    for j in range(inst.Q):
        f = _sub(xb, means[j])
        Dj2 = _dot(f, f)
        for jp in range(inst.Q):
            if jp == j:
                continue
            s = _dot(_sub(means[jp], means[j]), f)
            margin = s * s - 16 * d2 * Dj2
            out.append(ConeMargin(j, jp, s, margin, bool(s > 0 and margin > 0)))
    return out


def zero_deviation_classes(inst: Instance) -> list[int]:
    """Classes j with ΔX_{0,j} = 0 (all points equal): (2.12) fails exactly for these."""
    return [j for j, v in enumerate(deviations_sq(inst)) if v == 0]


@dataclass
class DeepHypotheses:
    """Exact evaluation of the standing hypotheses of the deep paper on an instance."""
    square: bool                       #: M == Q (data in R^Q)
    q_lt_n: bool                       #: Q < N
    det_means: flint.fmpq | None       #: det X_0^red (None if not square)
    det_Y: flint.fmpq | None           #: det Y (None if Y not square)
    zero_deviation: list[int]          #: classes failing (2.12)
    delta_sq: flint.fmpq
    delta_argmax: tuple[int, int]
    dist_sq: list[flint.fmpq]          #: D_j²
    c0_sq: flint.fmpq | None           #: δ² / min D_j²
    cone: list[ConeMargin] = field(repr=False)

    @property
    def holds_2_12(self) -> bool:
        return not self.zero_deviation

    @property
    def holds_2_14(self) -> bool:
        return self.c0_sq is not None and self.c0_sq < C0_SQ_BOUND

    @property
    def holds_2_51(self) -> bool:
        return all(r.holds for r in self.cone)

    @property
    def means_invertible(self) -> bool:
        return self.det_means is not None and self.det_means != 0

    @property
    def Y_invertible(self) -> bool:
        return self.det_Y is not None and self.det_Y != 0

    @property
    def min_cone_margin(self) -> flint.fmpq | None:
        return min((r.margin for r in self.cone), default=None)

    @property
    def min_cone_s(self) -> flint.fmpq | None:
        return min((r.s for r in self.cone), default=None)

    def failures(self) -> list[str]:
        """Names of the hypotheses that fail (empty iff all hold)."""
        out = []
        if not self.square:
            out.append("M=Q")
        if not self.q_lt_n:
            out.append("Q<N")
        if not self.means_invertible:
            out.append("X0red-invertible")
        if not self.Y_invertible:
            out.append("Y-invertible")
        if not self.holds_2_12:
            out.append("2.12")
        if not self.holds_2_14:
            out.append("2.14")
        if not self.holds_2_51:
            out.append("2.51")
        return out

    @property
    def all_hold(self) -> bool:
        return not self.failures()


def deep_hypotheses(inst: Instance) -> DeepHypotheses:
    """Evaluate (2.12), (2.14), (2.51)/(2.52), invertibility of X_0^red and Y, Q < N, M = Q exactly."""
    square = inst.M == inst.Q
    det_means = inst.means.det() if square else None
    det_Y = inst.Y.det() if inst.Y.nrows() == inst.Y.ncols() else None
    d2, arg = delta_sq(inst)
    return DeepHypotheses(square=square, q_lt_n=inst.Q < inst.N, det_means=det_means, det_Y=det_Y,
                          zero_deviation=zero_deviation_classes(inst), delta_sq=d2, delta_argmax=arg,
                          dist_sq=dist_sq_to_barycenter(inst), c0_sq=c0_sq(inst), cone=cone_margins(inst))


# ---------------------------------------------------------------------------------------------------------
# the data as integer matrices over a common denominator
# ---------------------------------------------------------------------------------------------------------

def data_matrix(inst) -> IntMat:
    """X_0 (columns = points, class by class) as an IntMat over the instance's common denominator; for numerators
    in limbs (:attr:`Instance.wide`) its ``num`` is made on first use and ``wide`` is the limbs."""
    if inst.wide is not None:
        return WideData(inst)
    return IntMat(inst.X0_num, inst.X0_den)


def numerators(X: IntMat):
    """The numerators the certified filters read: the limbs of data kept in limbs (:class:`WideData`), else
    ``X.num``."""
    W = getattr(X, "wide", None)
    return X.num if W is None else W


class WideData(IntMat):
    """IntMat of an instance whose numerators are :class:`~exactmin.exact.limbs.Limbs`: the certified filters
    read ``wide``; ``num`` (Python ints) is made only when a reference path needs it."""

    def __init__(self, inst):
        object.__setattr__(self, "den", inst.X0_den)
        object.__setattr__(self, "wide", inst.wide)
        object.__setattr__(self, "_inst", inst)

    @property
    def num(self):
        return self._inst.X0_num

    @property
    def shape(self) -> tuple[int, int]:
        return self.wide.shape


def deviations(inst) -> IntMat:
    """ΔX_0 (columns Δx_{0,j,i} = x_{0,j,i} − x̄_{0,j}) exactly, over the denominator d·lcm(N_j)."""
    d = inst.X0_den
    Lc = 1
    for n in inst.sizes:
        Lc = math.lcm(Lc, n)
    num = np.empty(inst.X0_num.shape, dtype=object)
    for j, n in enumerate(inst.sizes):
        sl = inst.class_slice(j)
        block = inst.X0_num[:, sl].astype(object)
        tot = block.sum(axis=1).reshape(-1, 1)
        num[:, sl] = (block * n - tot) * (Lc // n)
    return IntMat(num, d * Lc).reduced()
