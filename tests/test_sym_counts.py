"""sym.count-T, sym.count-G, sym.dominance: closed forms (digest §3) vs explicit enumeration, exact integers."""
from fractions import Fraction
from itertools import product
from math import factorial

import pytest
from flint import fmpq_mat
from sympy.functions.combinatorial.numbers import bell as sp_bell
from sympy.functions.combinatorial.numbers import stirling as sp_stirling

from exactmin.sym import counts as C

RANGE = [(r, m) for r in range(1, 5) for m in range(r, r + 5)]


def test_stirling_bell_against_sympy():
    for n in range(25):
        assert C.bell(n) == int(sp_bell(n))
        for k in range(n + 2):
            assert C.stirling2(n, k) == int(sp_stirling(n, k, kind=2))


def test_set_partitions_are_all_distinct_partitions():
    for m in range(8):
        parts = list(C.set_partitions(m))
        canon = {frozenset(frozenset(b) for b in P) for P in parts}
        assert len(canon) == len(parts) == int(sp_bell(m))
        for P in parts:
            assert sorted(i for b in P for i in b) == list(range(m))
    # independent check of the partition generator for m = 4 via all block-assignment functions
    funcs = {frozenset(frozenset(i for i in range(4) if f[i] == v) for v in set(f)) for f in product(range(4), repeat=4)}
    assert funcs == {frozenset(frozenset(b) for b in P) for P in C.set_partitions(4)}


@pytest.mark.parametrize("r,m", RANGE)
def test_T_closed_forms_equal_brute_force(r, m):
    brute = C.count_T_brute(r, m)
    assert C.T_sum_blocks(r, m) == brute
    assert C.T_sum_zero_part(r, m) == brute
    assert C.T_egf(r, m) == brute
    assert C.T(r, m) == brute


@pytest.mark.parametrize("r,m", RANGE)
def test_T_single_closed_forms_equal_brute_force(r, m):
    brute = C.count_T_single_brute(r, m)
    assert C.T_single_closed(r, m) == brute == C.T_single_sum(r, m)


@pytest.mark.parametrize("r,m", [(r, m) for r in range(5) for m in range(r + 6)])
def test_G_closed_forms_equal_brute_force(r, m):
    brute = C.count_G_brute(r, m)
    assert C.G_closed(r, m) == brute == C.G_inclusion_exclusion(r, m)


def test_special_values_and_digest_tables():
    for r in range(1, 8):
        assert C.T(r, r) == factorial(r)
        assert C.T(r, r + 1) == factorial(r + 2) // 2
        assert C.G(r, r + 1) == factorial(r) * (r + 1) * r // 2
    for m in range(1, 12):
        assert C.T(1, m) == C.bell(m + 1) - C.bell(m)
    assert [C.T(3, 3 + h) for h in range(7)] == [6, 60, 450, 3120, 21336, 147756, 1048830]
    assert [C.T(5, 5 + h) for h in range(7)] == [120, 2520, 34440, 394800, 4160520, 42106680, 419101320]
    assert [C.T_single(4, 4 + h) for h in range(7)] == [24, 360, 3360, 25200, 166824, 1020600, 5921520]
    assert [C.G(5, 6 + h) for h in range(7)] == [1800, 16800, 126000, 834120, 5103000, 29607600, 165528000]
    # grouped and single-zero variants agree exactly for h <= 1 and differ from h = 2 on (digest §3.1)
    for r in range(1, 6):
        assert C.T(r, r) == C.T_single(r, r) and C.T(r, r + 1) == C.T_single(r, r + 1)
        assert C.T(r, r + 2) > C.T_single(r, r + 2)


def test_blue_green_split_at_h1():
    for r in range(1, 5):
        cfg = list(C.configurations(r, r + 1))
        blue = sum(1 for c in cfg if len(c.zero_blocks) == 1)
        green = sum(1 for c in cfg if not c.zero_blocks)
        assert blue == (r + 1) * factorial(r) and green == (r + 1) * r // 2 * factorial(r)
        assert blue + green == len(cfg)


@pytest.mark.parametrize("r,m", [(r, m) for r in range(1, 4) for m in range(r, r + 4)])
@pytest.mark.parametrize("d_in,d_out", [(1, 1), (2, 1), (3, 2)])
def test_dimension_counts_closed_vs_brute(r, m, d_in, d_out):
    assert C.dimension_counts(r, m, d_in, d_out) == C.dimension_counts_brute(r, m, d_in, d_out)
    assert C.dimension_counts(r, m, d_in, d_out, zero_type="none") == \
        C.dimension_counts_brute(r, m, d_in, d_out, zero_type="none")
    dims = C.dimension_counts(r, m, d_in, d_out)
    assert min(dims) >= (m - r) * d_out  # "dimension at least h" (scalar output: d_out = 1)


def _constraint_rank_dimension(cfg, d, rng_seed=0):
    """Dimension of A(C) from the rank of its linear constraint system (scalar output, no bias, teacher values
    symbolic: the homogeneous part decides the dimension)."""
    m = cfg.m
    nvar = m * d + m  # w_j (d each), then a_j
    rows = []

    def wv(j, i):
        return j * d + i

    for blk in cfg.labelled:
        for j in blk:  # w_j = w_t fixed
            for i in range(d):
                row = [0] * nvar
                row[wv(j, i)] = 1
                rows.append(row)
        row = [0] * nvar  # Σ a_j = a_t
        for j in blk:
            row[m * d + j] = 1
        rows.append(row)
    for blk in cfg.zero_blocks:
        for j in blk[1:]:
            for i in range(d):
                row = [0] * nvar
                row[wv(j, i)] = 1
                row[wv(blk[0], i)] = -1
                rows.append(row)
        row = [0] * nvar
        for j in blk:
            row[m * d + j] = 1
        rows.append(row)
    return nvar - fmpq_mat(len(rows), nvar, [v for r in rows for v in r]).rank()


@pytest.mark.parametrize("r,m", [(1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (1, 4)])
@pytest.mark.parametrize("d", [1, 2])
def test_dimension_formula_equals_rank(r, m, d):
    for cfg in C.configurations(r, m):
        assert cfg.dimension(d) == _constraint_rank_dimension(cfg, d)


def test_dominance_ratio_exact():
    for r in range(2, 12):
        assert C.dominance_ratio(r, r) == Fraction(r - 1, 2)  # digest §3.3
        q = C.dominance_ratio(r, r + 3)
        assert isinstance(q, Fraction) and q == Fraction(C.G_inclusion_exclusion(r - 1, r + 3), C.T_egf(r, r + 3))
    assert C.dominance_ratio(3, 40) < Fraction(1, 10 ** 26)


def test_crossover_matches_digest_table_and_is_persistent():
    table = C.crossover_table(50)
    expected = {2: 0}
    for lo, hi, h in [(3, 6, 1), (7, 10, 2), (11, 14, 3), (15, 18, 4), (19, 23, 5), (24, 27, 6), (28, 30, 7)]:
        for r in range(lo, hi + 1):
            expected[r] = h
    for r, h in expected.items():
        assert table[r] == h, r
    for r in range(2, 51):
        h = table[r]
        # G still dominates (or ties) just before, T dominates from h on (checked over a window of 40 widths)
        if h > 0:
            assert C.G(r - 1, r + h - 1) >= C.T(r, r + h - 1)
        assert all(C.T(r, r + k) > C.G(r - 1, r + k) for k in range(h, h + 40))
    assert [table[r] for r in (31, 35, 36, 40, 44, 48, 50)] == [7, 8, 9, 10, 11, 12, 12]
