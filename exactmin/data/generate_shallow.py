"""Random exact instances for the shallow paper (arXiv:2309.10370): Q classes in R^M, M ≥ Q.

``generate_shallow(Q, M, per_class, seed, margin, denominator)`` works on the grid (1/denominator)Z^M:

1. Means: x̄_{0,j} = R e_j + c (first Q coordinates, c a random nonnegative offset ≤ R/4, so the Q×Q block
   R I + c u^T is invertible with determinant R^{Q−1}(R + Σc) > 0 and X_0^red has rank Q) plus, for M > Q, random
   nonzero coordinates in [−R/2, R/2] in the remaining M − Q rows (the means then do not lie in a coordinate
   subspace, so the signal subspace span{x̄_{0,j}} is in general position).
2. Deviations: integer grid vectors in a box [−w, w]^M, re-centred exactly so that each class mean is exactly
   x̄_{0,j}; every class gets a nonzero deviation.
3. Exact verification: rank X_0^red = Q (det of the Gram matrix), ΔX_{0,j} ≠ 0 for every j and the
   noise-to-signal bound δ_P² ≤ margin² with δ_P² = max_{j,i} |(X_0^red)^+ Δx_{0,j,i}|²; otherwise the box
   shrinks and the draw is repeated with the continuing RNG stream.  Output is a deterministic function of the
   arguments.  Labels: Y = identity.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from flint import fmpq

from exactmin.data.generate import check_margin_and_denominator
from exactmin.data.instance import Instance
from exactmin.errors import InputError

__all__ = ["generate_shallow"]

_MAX_ATTEMPTS = 400


def _recentre(devs: np.ndarray) -> np.ndarray:
    """Make the rows of the integer matrix (M x n) sum to zero, moving each entry by at most |mean| + 1."""
    n = devs.shape[1]
    S = devs.sum(axis=1)
    q, r = np.divmod(S, n)
    out = devs - q[:, None]
    for k in range(devs.shape[0]):
        out[k, : int(r[k])] -= 1
    return out


def generate_shallow(Q: int, M: int | None, per_class, seed: int, margin=Fraction(1, 4),
                     denominator: int = 2**8, name: str | None = None) -> Instance:
    """A random exact instance meeting the shallow paper's hypotheses with δ_P ≤ margin (see the module docstring).

    ``M`` defaults to Q.  ``per_class``: int or a sequence of Q ints, each ≥ 2.  ``margin`` ∈ (0, 1].
    """
    from exactmin.nets.shallow import shallow_data
    if isinstance(Q, bool) or not isinstance(Q, int) or Q < 2:
        raise InputError(f"generate: Q must be an integer >= 2, got {Q!r}")
    M = Q if M is None else M
    if isinstance(M, bool) or not isinstance(M, int) or M < Q or M > 64:
        raise InputError(f"generate: need Q <= M <= 64, got M = {M!r} (Q = {Q})")
    sizes = [per_class] * Q if isinstance(per_class, int) else [int(s) for s in per_class]
    if len(sizes) != Q or any(s < 2 for s in sizes):
        raise InputError(f"generate: need Q = {Q} class sizes, each >= 2, got {sizes}")
    margin = check_margin_and_denominator(margin, denominator)
    if name is None:
        name = f"shallow_q{Q}_m{M}_seed{seed}"
    rng = np.random.default_rng(seed)
    R = 4 * denominator
    means = np.zeros((M, Q), dtype=np.int64)
    means[:Q, :] = R * np.eye(Q, dtype=np.int64) + rng.integers(0, R // 4 + 1, size=Q)[:, None]
    if M > Q:
        mag = rng.integers(1, R // 2 + 1, size=(M - Q, Q))
        sgn = rng.choice(np.array([-1, 1]), size=(M - Q, Q))
        means[Q:, :] = mag * sgn
    # float sizing only: barycentric noise ~ w·sqrt(M)/R; all decisions below are exact
    w = max(1, int(float(margin) * R / (2 * np.sqrt(M) + 1)))
    fm2 = fmpq(margin.numerator ** 2, margin.denominator ** 2)
    for attempt in range(_MAX_ATTEMPTS):
        blocks = []
        for j, n in enumerate(sizes):
            devs = _recentre(rng.integers(-w, w + 1, size=(M, n)))
            if not devs.any():
                devs[0, 0], devs[0, 1] = 1, -1
            blocks.append(means[:, j][:, None] + devs)
        inst = Instance(name, np.concatenate(blocks, axis=1), denominator, sizes)
        sd = shallow_data(inst)
        if sd.gram_det != 0 and sd.delta_P_sq is not None and 0 < sd.delta_P_sq <= fm2:
            return inst
        if attempt % 2 == 1:
            w = max(1, (w * 3) // 4)
    raise RuntimeError(f"generate_shallow(Q={Q}, M={M}, seed={seed}) found no instance in {_MAX_ATTEMPTS} attempts")
