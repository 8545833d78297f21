"""Random exact instances for the deep paper, satisfying (or violating on purpose) its hypotheses.

``generate_deep(Q, per_class, seed, margin, denominator, violate)`` works on the grid (1/denominator)Z^Q, so every
coordinate has a denominator dividing ``denominator``:

1. Means: x̄_{0,j} = R e_j + c + p_j, with R = 1 for the default denominator (R grows by doubling only when the
   grid 1/denominator is too coarse for the requested margin), a random offset c ∈ [0, R/4]^Q on the grid
   (nonnegative, so the means never lie in a hyperplane through 0: det(R I + c 1^T) = R^{Q-1}(R + Σc) > 0) and a
   small random perturbation p_j (≤ R/20 per coordinate). The unperturbed simplex R e_j satisfies the cone
   condition with s = R² for every pair.
2. Deviations: integer grid vectors drawn uniformly in a box [−w, w]^Q, then re-centred exactly (subtract the floor
   of the per-coordinate mean, then 1 grid unit from as many points as the remainder) so that each class mean is
   exactly x̄_{0,j}. The box half-width w is sized from the means so that δ fits the margin.
3. Verification with :mod:`exactmin.data.stats` (exact); on failure the perturbation and the box shrink and the
   draw is repeated with the continuing RNG stream. Output is a deterministic function of the arguments.

Guarantees of ``violate=None`` (checked exactly before returning): M = Q < N; (2.12); X_0^red invertible;
c0_sq ≤ margin²/16 and c0_sq < 1/16 (i.e. δ ≤ margin·(1/4)·min_j D_j); for every ordered pair j ≠ j'
s > 0, margin² s² ≥ 16 δ² D_j² and s² > 16 δ² D_j² (the cone condition with the factor 1/margin to spare).

Violations (each verified: exactly the named hypotheses fail, everything else holds):

* ``"2.12"``: class 0 consists of its mean repeated N_0 times (ΔX_{0,0} = 0).
* ``"2.14"``: unperturbed simplex means; class 0 contains the pair x̄_{0,0} ± (R/4) e_0 (its other points deviate
  less), so δ = R/4 and c0_sq = Q/(16(Q−1)) > 1/16, while the cone condition still holds: s² − 16δ²D_j² = R⁴/Q > 0.
* ``"2.51"``: for Q ≥ 3 an obtuse configuration: x̄_{0,2} = R e_2 − (Q+1) R e_1 + c, which gives
  s(0→1) = ⟨x̄_{0,1} − x̄_{0,0}, x̄ − x̄_{0,0}⟩ = −R²/Q < 0; (2.14) holds with the requested margin. For Q = 2 the
  cone condition is implied by (2.14) (it reads |x̄_{0,1} − x̄_{0,0}| > 4δ), so it cannot fail alone: class 0 then
  contains x̄_{0,0} ± t e_0 with a grid value t, 16t² > |x̄_{0,1} − x̄_{0,0}|², and both (2.14) and (2.51) fail.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from flint import fmpq

from exactmin.data.instance import Instance
from exactmin.data.stats import C0_SQ_BOUND, deep_hypotheses
from exactmin.errors import InputError

__all__ = ["generate_deep", "VIOLATIONS"]

VIOLATIONS = (None, "2.12", "2.14", "2.51")
_MAX_ATTEMPTS = 400


def _recentre(devs: np.ndarray) -> np.ndarray:
    """Make the columns of the integer matrix (Q x n) sum to zero, moving each entry by at most |mean| + 1."""
    n = devs.shape[1]
    S = devs.sum(axis=1)
    q, r = np.divmod(S, n)  # S = n q + r, 0 <= r < n
    out = devs - q[:, None]
    for k in range(devs.shape[0]):
        out[k, : int(r[k])] -= 1
    return out


def _sizing(means: np.ndarray, margin: float, skip_nonpositive: bool) -> float:
    """Float estimate (sizing only; all decisions are exact) of the largest δ allowed by the margin, in grid units."""
    xb = means.mean(axis=1)
    Q = means.shape[1]
    D = [float(np.linalg.norm(xb - means[:, j])) for j in range(Q)]
    bound = min(D) / 4
    for j in range(Q):
        f = xb - means[:, j]
        for jp in range(Q):
            if jp == j:
                continue
            s = float(np.dot(means[:, jp] - means[:, j], f))
            if s <= 0:
                if skip_nonpositive:
                    continue
                return 0.0
            bound = min(bound, s / (4 * D[j]))
    return margin * bound


def _means(Q: int, R: int, rng: np.random.Generator, pert: int, violate: str | None) -> np.ndarray:
    offset = rng.integers(0, R // 4 + 1, size=Q)
    means = R * np.eye(Q, dtype=np.int64) + offset[:, None]
    if violate == "2.51" and Q >= 3:
        means[1, 2] -= (Q + 1) * R
    if pert:
        means = means + rng.integers(-pert, pert + 1, size=(Q, Q))
    return means


def check_margin_and_denominator(margin, denominator) -> Fraction:
    """The generators' shared argument checks: margin (returned as a Fraction) in (0, 1], denominator a positive
    integer; InputError otherwise."""
    margin = Fraction(margin)
    if not 0 < margin <= 1:
        raise InputError(f"generate: margin must lie in (0, 1], got {margin}")
    if isinstance(denominator, bool) or not isinstance(denominator, int) or denominator < 1:
        raise InputError(f"generate: denominator must be a positive integer, got {denominator!r}")
    return margin


def generate_deep(Q: int, per_class, seed: int, margin=Fraction(1, 2), denominator: int = 2**10,
                  violate: str | None = None, name: str | None = None) -> Instance:
    """A random exact instance in R^Q meeting the deep paper's hypotheses (see the module docstring).

    ``per_class``: points per class (int, or a sequence of Q ints, each ≥ 2; with ``violate="2.12"`` class 0 may
    have 1). ``margin`` ∈ (0, 1]: c0_sq ≤ margin²/16 and margin·s ≥ 4δD_j. ``denominator``: every coordinate is an
    integer multiple of 1/denominator. ``violate``: None, "2.12", "2.14" or "2.51".
    """
    if isinstance(Q, bool) or not isinstance(Q, int) or Q < 2:
        raise InputError(f"generate: Q must be an integer >= 2, got {Q!r}")
    if isinstance(per_class, int):
        sizes = [per_class] * Q
    else:
        sizes = [int(s) for s in per_class]
        if len(sizes) != Q:
            raise InputError(f"generate: per_class has {len(sizes)} entries, expected Q={Q}")
    if violate not in VIOLATIONS:
        raise InputError(f"generate: violate must be one of {VIOLATIONS}, got {violate!r}")
    for j, s in enumerate(sizes):
        low = 1 if (violate == "2.12" and j == 0) else 2
        if s < low:
            raise InputError(f"generate: class {j} needs at least {low} points, got {s}")
    margin = check_margin_and_denominator(margin, denominator)
    if name is None:
        name = f"deep_q{Q}_seed{seed}" + (f"_violates_{violate.replace('.', '_')}" if violate else "")

    rng = np.random.default_rng(seed)
    d = denominator
    m_float = float(margin)
    # R (in grid units) large enough that the deviation box is at least a few grid units wide.
    R = d
    while R % 4:
        R *= 2
    exact_simplex = violate in ("2.14", "2.51")
    pert0 = 0 if exact_simplex else R // 20
    attempts = 0
    while True:
        pert = pert0
        means = _means(Q, R, rng, pert, violate)
        delta_max = _sizing(means.astype(float), m_float, skip_nonpositive=(violate == "2.51"))
        w = int(0.8 * delta_max / math.sqrt(Q))
        if w < 2:
            R *= 2
            pert0 = 0 if exact_simplex else R // 20
            continue
        while attempts < _MAX_ATTEMPTS:
            attempts += 1
            inst, special = _draw(Q, sizes, R, means, w, rng, violate, d, name)
            special_sq = fmpq(special * special, d * d) if special is not None else None
            if inst is not None and _accept(inst, Q, margin, violate, special_sq):
                return inst
            if attempts % 4 == 0:
                # shrink: fewer perturbations, smaller deviations
                w = max(1, (w * 3) // 4)
                if pert:
                    pert //= 2
                    means = _means(Q, R, rng, pert, violate)
        raise RuntimeError(f"generate_deep(Q={Q}, seed={seed}, violate={violate!r}) found no instance "
                           f"in {_MAX_ATTEMPTS} attempts")


def _draw(Q, sizes, R, means, w, rng, violate, d, name) -> tuple[Instance | None, int | None]:
    blocks = []
    special = None
    for j, n in enumerate(sizes):
        mean = means[:, j][:, None]
        if violate == "2.12" and j == 0:
            blocks.append(np.repeat(mean, n, axis=1))
            continue
        if j == 0 and violate == "2.14":
            special = R // 4
        elif j == 0 and violate == "2.51" and Q == 2:
            diff = means[:, 1] - means[:, 0]
            d2 = int(np.dot(diff, diff))
            special = math.isqrt(d2) // 4 + 1  # 16 t² > |x̄_1 − x̄_0|²
        n_free = n - 2 if (j == 0 and special is not None) else n
        devs = rng.integers(-w, w + 1, size=(Q, n_free))
        if n_free:
            devs = _recentre(devs)
        if j == 0 and special is not None:
            pair = np.zeros((Q, 2), dtype=np.int64)
            pair[0, 0], pair[0, 1] = special, -special
            devs = np.concatenate([devs, pair], axis=1) if n_free else pair
        if not devs.any():
            return None, None
        blocks.append(mean + devs)
    X = np.concatenate(blocks, axis=1).astype(np.int64)
    return Instance(name, X, d, sizes), special


def _accept(inst: Instance, Q: int, margin: Fraction, violate: str | None, special_sq) -> bool:
    h = deep_hypotheses(inst)
    fails = h.failures()
    fm2 = fmpq(margin.numerator**2, margin.denominator**2)
    c0_ok = h.c0_sq is not None and h.c0_sq <= fm2 * C0_SQ_BOUND
    if violate is None:
        if fails or not c0_ok:
            return False
        return all(fm2 * r.s * r.s >= 16 * h.delta_sq * h.dist_sq[r.j] for r in h.cone)
    if violate == "2.12":
        return fails == ["2.12"] and h.zero_deviation == [0] and c0_ok
    if violate == "2.14":
        return fails == ["2.14"] and h.delta_sq == special_sq
    if violate == "2.51":
        if Q >= 3:
            return fails == ["2.51"] and c0_ok
        return fails == ["2.14", "2.51"] and h.delta_sq == special_sq
    return False  # pragma: no cover
