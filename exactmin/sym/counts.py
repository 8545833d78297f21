"""Counting the symmetry-induced affine subspaces of Şimşek et al., arXiv:2105.12221 (claims ``sym.count-T``,
``sym.count-G``, ``sym.dominance``).

Source: the digest /work/shared/papers/symmetry_paper.md ("digest" below).  The digest has no numbered
equations; formulas are cited by section and position, e.g. "§3.1 (T-i)" = first form of the display in §3.1.

**The paper's printed formulas for T and G were NOT recovered** (digest §0, §7.1).  What is implemented here is the
digest's structural reconstruction: a *configuration* (digest §2.3) is

* a set partition of [m] = {0..m-1} into k blocks,
* an injective labelling of r of the blocks by the teacher neurons 0..r-1,
* the k - r unlabelled blocks are zero-type (zero single: a_j = 0; zero group: shared free w, Σ a = 0).

T(r*, m) counts configurations with zero singles and zero groups allowed (digest §3.1, tag [R-med]);
T_single(r*, m) the variant with zero singles only (digest §3.1 "Alternative", [R-med]);
G(r, m) the duplication-only configurations, every block labelled (digest §3.2, [R-hi] for the structure; whether
the paper counts r!S(m,r) or S(m,r), per critical point or summed over r < r*, is unknown).

All arithmetic is on Python ints / ``fractions.Fraction``; no floats anywhere.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import permutations
from math import comb, factorial, perm

__all__ = [
    "Configuration",
    "G",
    "G_closed",
    "G_inclusion_exclusion",
    "T",
    "T_egf",
    "T_single",
    "T_single_closed",
    "T_single_sum",
    "T_sum_blocks",
    "T_sum_zero_part",
    "bell",
    "configuration_dimension",
    "configurations",
    "count_G_brute",
    "count_T_brute",
    "count_T_single_brute",
    "crossover",
    "crossover_table",
    "dimension_counts",
    "dimension_counts_brute",
    "dominance_ratio",
    "falling",
    "set_partitions",
    "stirling2",
]


# ----------------------------------------------------------------------------------------------------------------
# basic combinatorial numbers (big ints)

@cache
def stirling2(n: int, k: int) -> int:
    """Stirling number of the second kind S(n, k), by S(n,k) = k S(n-1,k) + S(n-1,k-1)."""
    if n < 0 or k < 0:
        raise ValueError("stirling2 needs n, k >= 0")
    if n == 0 or k == 0:
        return 1 if n == k else 0
    if k > n:
        return 0
    # iterate upward in n to avoid deep recursion for large n
    row = [1] + [0] * k  # S(0, .)
    for i in range(1, n + 1):
        new = [0] * (k + 1)
        for j in range(1, min(i, k) + 1):
            new[j] = j * row[j] + row[j - 1]
        row = new
    return row[k]


@cache
def bell(n: int) -> int:
    """Bell number B_n = Σ_k S(n, k)."""
    return sum(stirling2(n, k) for k in range(n + 1))


def falling(k: int, r: int) -> int:
    """Falling factorial (k)_r = k!/(k-r)! (0 if r > k)."""
    return perm(k, r) if 0 <= r <= k else 0


def _check(r: int, m: int) -> None:
    if not (isinstance(r, int) and isinstance(m, int)) or r < 0 or m < 0:
        raise ValueError(f"need integers r >= 0, m >= 0 (got r={r!r}, m={m!r})")


# ----------------------------------------------------------------------------------------------------------------
# closed forms for T (digest §3.1)

def T_sum_blocks(r_star: int, m: int) -> int:
    """Digest §3.1 (T-i): T(r*, m) = Σ_{k=r*}^{m} S(m, k) (k)_{r*}  (choose the partition, then label r* blocks)."""
    _check(r_star, m)
    return sum(stirling2(m, k) * falling(k, r_star) for k in range(r_star, m + 1))


def T_sum_zero_part(r_star: int, m: int) -> int:
    """Digest §3.1 (T-ii): T(r*, m) = Σ_{j=0}^{h} C(m, j) r*! S(m-j, r*) B_j, h = m - r*
    (choose the j zero-type neurons, partition them freely, surject the rest onto the teacher neurons)."""
    _check(r_star, m)
    return sum(comb(m, j) * factorial(r_star) * stirling2(m - j, r_star) * bell(j) for j in range(m - r_star + 1))


def _series_exp_minus_one(n: int) -> list[Fraction]:
    """Coefficients of e^x - 1 up to x^n."""
    return [Fraction(0)] + [Fraction(1, factorial(i)) for i in range(1, n + 1)]


def _series_mul(a: list[Fraction], b: list[Fraction], n: int) -> list[Fraction]:
    out = [Fraction(0)] * (n + 1)
    for i, ai in enumerate(a[: n + 1]):
        if ai:
            for j, bj in enumerate(b[: n + 1 - i]):
                out[i + j] += ai * bj
    return out


def _series_exp(a: list[Fraction], n: int) -> list[Fraction]:
    """exp of a power series with a[0] = 0, via E' = a' E (exact rationals)."""
    assert a[0] == 0
    E = [Fraction(0)] * (n + 1)
    E[0] = Fraction(1)
    for k in range(1, n + 1):
        # k E_k = Σ_{i=1}^{k} i a_i E_{k-i}
        E[k] = sum((i * a[i] * E[k - i] for i in range(1, k + 1)), Fraction(0)) / k
    return E


def T_egf(r_star: int, m: int) -> int:
    """Digest §3.1 (T-iii): T(r*, m) = m! [x^m] (e^x - 1)^{r*} e^{e^x - 1}, by exact power-series arithmetic."""
    _check(r_star, m)
    u = _series_exp_minus_one(m)
    p = [Fraction(1)] + [Fraction(0)] * m
    for _ in range(r_star):
        p = _series_mul(p, u, m)
    p = _series_mul(p, _series_exp(u, m), m)
    val = p[m] * factorial(m)
    assert val.denominator == 1
    return int(val)


def T(r_star: int, m: int) -> int:
    """T(r*, m), zero singles and zero groups allowed (digest §3.1, [R-med]); computed by (T-i).
    Not the paper's printed formula (not recovered)."""
    return T_sum_blocks(r_star, m)


def T_single_sum(r_star: int, m: int) -> int:
    """Digest §3.1 "Alternative", sum form: Σ_j C(m, j) r*! S(m-j, r*) (zero-type = single neurons a_j = 0 only)."""
    _check(r_star, m)
    return sum(comb(m, j) * factorial(r_star) * stirling2(m - j, r_star) for j in range(m - r_star + 1))


def T_single_closed(r_star: int, m: int) -> int:
    """Digest §3.1 "Alternative", closed form: T_single(r*, m) = r*! S(m+1, r*+1)."""
    _check(r_star, m)
    if m < r_star:
        return 0
    return factorial(r_star) * stirling2(m + 1, r_star + 1)


T_single = T_single_closed


# ----------------------------------------------------------------------------------------------------------------
# closed forms for G (digest §3.2)

def G_closed(r: int, m: int) -> int:
    """Digest §3.2 (G-i): G(r, m) = r! S(m, r), the surjections [m] -> [r].  Normalisation r!S vs S unknown."""
    _check(r, m)
    return factorial(r) * stirling2(m, r)


def G_inclusion_exclusion(r: int, m: int) -> int:
    """Digest §3.2 (G-ii): G(r, m) = Σ_{i=0}^{r} (-1)^i C(r, i) (r-i)^m  (with 0^0 = 1)."""
    _check(r, m)
    return sum((-1) ** i * comb(r, i) * (r - i) ** m for i in range(r + 1))


G = G_closed


# ----------------------------------------------------------------------------------------------------------------
# brute force: explicit configurations (digest §2.3, §5 item 2)

def set_partitions(m: int) -> Iterator[tuple[tuple[int, ...], ...]]:
    """All set partitions of {0..m-1}, each as a tuple of blocks (sorted tuples, ordered by least element).
    Generated by restricted growth strings; independent of the Stirling recurrence."""
    if m == 0:
        yield ()
        return
    a = [0] * m

    def rec(i: int, mx: int):
        if i == m:
            blocks: list[list[int]] = [[] for _ in range(mx + 1)]
            for idx, b in enumerate(a):
                blocks[b].append(idx)
            yield tuple(tuple(b) for b in blocks)
            return
        for v in range(mx + 2):
            a[i] = v
            yield from rec(i + 1, max(mx, v))

    a[0] = 0
    yield from rec(1, 0)


@dataclass(frozen=True)
class Configuration:
    """One affine subspace A(C) (digest §2.3): ``labelled[t]`` is the block carrying teacher neuron t,
    ``zero_blocks`` the zero-type blocks (a zero block of size 1 is a single zero neuron, of size >= 2 a zero group)."""

    m: int
    labelled: tuple[tuple[int, ...], ...]
    zero_blocks: tuple[tuple[int, ...], ...]

    @property
    def r(self) -> int:
        return len(self.labelled)

    @property
    def k(self) -> int:
        return len(self.labelled) + len(self.zero_blocks)

    @property
    def has_zero_group(self) -> bool:
        return any(len(b) >= 2 for b in self.zero_blocks)

    def dimension(self, d_in: int, d_out: int = 1) -> int:
        return configuration_dimension(self.m, self.k, self.r, d_in, d_out)


def configurations(r: int, m: int, *, zero_type: str = "groups") -> Iterator[Configuration]:
    """Enumerate configurations explicitly: every set partition of [m], every injective labelling of r of its blocks.

    ``zero_type``: "groups" (T, digest §3.1), "singles" (T_single: unlabelled blocks must be singletons),
    "none" (G, digest §3.2: every block labelled)."""
    _check(r, m)
    if zero_type not in ("groups", "singles", "none"):
        raise ValueError("zero_type must be 'groups', 'singles' or 'none'")
    for P in set_partitions(m):
        k = len(P)
        if k < r or (zero_type == "none" and k != r):
            continue
        for chosen in permutations(range(k), r):  # chosen[t] = index of the block labelled t
            rest = tuple(P[i] for i in range(k) if i not in chosen)
            if zero_type == "singles" and any(len(b) != 1 for b in rest):
                continue
            yield Configuration(m, tuple(P[i] for i in chosen), rest)


def count_T_brute(r_star: int, m: int) -> int:
    """Number of explicitly enumerated configurations with zero singles and groups (compare with T)."""
    return sum(1 for _ in configurations(r_star, m, zero_type="groups"))


def count_T_single_brute(r_star: int, m: int) -> int:
    return sum(1 for _ in configurations(r_star, m, zero_type="singles"))


def count_G_brute(r: int, m: int) -> int:
    return sum(1 for _ in configurations(r, m, zero_type="none"))


# ----------------------------------------------------------------------------------------------------------------
# dimensions (digest §3.1 "Dimensions", [R-hi][V]; §3.2)

def configuration_dimension(m: int, k: int, r: int, d_in: int, d_out: int = 1) -> int:
    """dim A(C) = (m - k) d_out + (k - r) d_in.

    Digest §3.1 gives (m-k) + (k-r) d for scalar output, no bias, input dimension d ([R-hi][V]) and says the a-counts
    are multiplied by d_out for vector outputs ([R-med]).  With biases use d_in = d + 1 (bias absorbed into w).
    For G (k = r) this is (m - r) d_out (digest §3.2)."""
    return (m - k) * d_out + (k - r) * d_in


def dimension_counts(r: int, m: int, d_in: int, d_out: int = 1, *, zero_type: str = "groups") -> Counter:
    """Closed form: {dimension: number of configurations}, using S(m, k)(k)_r configurations with k blocks
    (zero_type "groups"); "none" gives {(m-r) d_out: G(r, m)}."""
    out: Counter = Counter()
    if zero_type == "none":
        if G(r, m):
            out[configuration_dimension(m, r, r, d_in, d_out)] += G(r, m)
        return out
    if zero_type != "groups":
        raise ValueError("closed-form dimension counts only for 'groups' and 'none'")
    for k in range(r, m + 1):
        n = stirling2(m, k) * falling(k, r)
        if n:
            out[configuration_dimension(m, k, r, d_in, d_out)] += n
    return out


def dimension_counts_brute(r: int, m: int, d_in: int, d_out: int = 1, *, zero_type: str = "groups") -> Counter:
    return Counter(c.dimension(d_in, d_out) for c in configurations(r, m, zero_type=zero_type))


# ----------------------------------------------------------------------------------------------------------------
# dominance (digest §3.3; claim sym.dominance)

def dominance_ratio(r_star: int, m: int) -> Fraction:
    """G(r* - 1, m) / T(r*, m) as an exact Fraction (digest §3.3; closed forms (T-i), (G-i))."""
    if r_star < 1:
        raise ValueError("dominance_ratio needs r* >= 1")
    t = T(r_star, m)
    if t == 0:
        raise ValueError(f"T({r_star}, {m}) = 0 (m < r*)")
    return Fraction(G(r_star - 1, m), t)


def crossover(r_star: int, h_max: int = 10_000) -> int:
    """Smallest h >= 0 with T(r*, r*+h) > G(r*-1, r*+h), exactly (closed forms).  Digest §3.3 table is the author's
    own computation for r* <= 30, not the paper's.  Raises if none up to h_max."""
    if r_star < 1:
        raise ValueError("crossover needs r* >= 1")
    for h in range(h_max + 1):
        m = r_star + h
        if T(r_star, m) > G(r_star - 1, m):
            return h
    raise ValueError(f"no crossover for r*={r_star} up to h={h_max}")


def crossover_table(r_max: int = 50) -> dict[int, int]:
    return {r: crossover(r) for r in range(1, r_max + 1)}
