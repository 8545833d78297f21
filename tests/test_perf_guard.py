"""Regression guard for the fast paths (issue 8): no timing assertions, only agreement and boundedness.

* the certified float filter (exactmin.exact.certsign) never excludes the exact value: property test of the
  rigorous bound against exact rational arithmetic, including cancellation to exactly 0;
* the fast thm2.3 path (row extremes + collapsed points) and the slow exact path (every point through every
  layer) give identical certificates; the kernel accepts the fast one and rejects mutations;
* evaluation is chunked: blocks never exceed the chunk size and exact fallbacks stay few.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from flint import fmpq, fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.claims import deep as deep_claims
from exactmin.data.generate import generate_deep
from exactmin.exact.certsign import (
    ExactAffine,
    FilterStats,
    float_bound,
    row_extremes_multi,
    signs,
)
from exactmin.exact.intmat import IntMat
from exactmin.nets import cluster_pass as cp
from exactmin.nets import construct_deep as cd

# ---------------------------------------------------------------------------------------------- the bound

rationals = st.builds(lambda p, e, q: fmpq(p * 2**e, q) if e >= 0 else fmpq(p, q * 2**-e),
                      st.integers(-10**12, 10**12), st.integers(-200, 200), st.integers(1, 10**9))


def _exact(A: fmpq_mat, c: fmpq_mat, Xn: np.ndarray, den: int) -> list[list[fmpq]]:
    X = fmpq_mat(Xn.shape[0], Xn.shape[1], [fmpq(int(v), den) for v in Xn.ravel()])
    Z = A * X
    return [[Z[r, p] + c[r, 0] for p in range(Xn.shape[1])] for r in range(A.nrows())]


@st.composite
def affine_cases(draw):
    m, k, n = draw(st.integers(1, 4)), draw(st.integers(1, 6)), draw(st.integers(1, 12))
    A = fmpq_mat(m, k, draw(st.lists(rationals, min_size=m * k, max_size=m * k)))
    c = fmpq_mat(m, 1, draw(st.lists(rationals, min_size=m, max_size=m)))
    big = draw(st.booleans())
    lim = 2**62 if big else 2**20
    Xn = np.array(draw(st.lists(st.integers(-lim, lim), min_size=k * n, max_size=k * n)), dtype=np.int64).reshape(k, n)
    den = draw(st.sampled_from([1, 3, 2**20, 10**9 + 7, 2**61 - 1]))
    if draw(st.booleans()):                     # force exact cancellation in column 0: c_r = −(A x_0)_r
        z = _exact(A, fmpq_mat(m, 1), Xn[:, :1], den)
        c = fmpq_mat(m, 1, [-z[r][0] for r in range(m)])
    return A, c, Xn, den


@settings(max_examples=150, deadline=None)
@given(affine_cases())
def test_float_bound_contains_exact_value(case):
    A, c, Xn, den = case
    f = ExactAffine(A, c)
    ex = _exact(A, c, Xn, den)
    if not f.usable:
        return
    Z, B, s = float_bound(f, Xn, den)          # floats approximate the positively rescaled s_r·z (issue 14)
    for r in range(A.nrows()):
        for p in range(Xn.shape[1]):
            if not (np.isfinite(Z[r, p]) and np.isfinite(B[r, p])):
                continue
            # the float endpoints themselves are rounded: compare with the exact interval [Z − B, Z + B]
            zq, bq = fmpq(*float(Z[r, p]).as_integer_ratio()), fmpq(*float(B[r, p]).as_integer_ratio())
            assert zq - bq <= s[r] * ex[r][p] <= zq + bq, (r, p, zq, bq)


@settings(max_examples=150, deadline=None)
@given(affine_cases())
def test_signs_and_extremes_are_exact(case):
    A, c, Xn, den = case
    f = ExactAffine(A, c)
    ex = _exact(A, c, Xn, den)
    sg = signs(f, Xn, den)
    for r in range(A.nrows()):
        for p in range(Xn.shape[1]):
            v = ex[r][p]
            assert sg[r, p] == (v > 0) - (v < 0)
    (lo, hi), = row_extremes_multi([f], Xn, den, chunk=5)
    assert lo == [min(row) for row in ex] and hi == [max(row) for row in ex]


def test_exact_zero_is_never_decided_by_floats():
    A = fmpq_mat(1, 2, [fmpq(1, 3), fmpq(-1, 3)])
    c = fmpq_mat(1, 1, [0])
    Xn = np.array([[7, 2**40 + 1], [7, 2**40 + 1]], dtype=np.int64)
    st_ = FilterStats()
    assert signs(ExactAffine(A, c), Xn, 1, st_).tolist() == [[0, 0]]
    assert st_.exact == 2                    # both undecided by floats, settled exactly


# ---------------------------------------------------------------------------------------------- thm2.3 paths

def _slow(monkeypatch, inst):
    """The reference path: every point through every layer exactly (collapse via τ, cost via the forward pass)."""
    with monkeypatch.context() as m:
        m.setattr(cp, "collapse_holds", lambda *a, **k: False)
        return base.get("deep.thm2.3").check(inst).to_json()


@pytest.mark.parametrize("Q,per_class", [(3, 700), (4, 300)])
def test_fast_and_slow_thm23_agree(monkeypatch, Q, per_class):
    inst = generate_deep(Q, per_class, seed=7, denominator=2**20)
    fast = base.get("deep.thm2.3").check(inst).to_json()
    slow = _slow(monkeypatch, inst)
    assert fast["verdict"] == "proved"
    for key in ("readings", "values", "enclosures", "witness", "verdict", "provenance"):
        assert fast[key] == slow[key], key


def test_fast_path_is_chunked_with_few_exact_fallbacks():
    inst = generate_deep(4, 500, seed=3, denominator=2**20)
    h = deep_claims.hypotheses(inst)
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    par = cd.choose_parameters(g)
    con = cd.build(inst, g, inst.Q, par.lam, par.mu, cd.TOLERANCES[0])
    X = IntMat(inst.X0_num, inst.X0_den)
    ce = cp.cluster_extremes(con.Wc[:4], con.bc[:4], X, inst.sizes)
    maps = [ExactAffine(con.Wc[ell], con.bc[ell]) for ell in range(4)]
    small = FilterStats()
    for k, sl in enumerate([inst.class_slice(j) for j in range(4)]):
        res = row_extremes_multi(maps[:k + 1], X.num[:, sl], X.den, small, chunk=128)
        assert res == [ce.ext[ell][k] for ell in range(k + 1)]          # chunking does not change the values
    assert small.max_block_cols == 128 and small.blocks == 4 * 4        # ceil(500 / 128) per cluster
    assert small.entries == ce.stats.entries == 4 * sum((k + 1) * 500 for k in range(4))
    # every row needs >= 1 exact candidate for its max and min per block; the filter keeps it near that
    assert ce.stats.exact <= 4 * ce.stats.entries // 100
    assert cp.collapse_holds(ce, con.apex)


@pytest.mark.slow
def test_kernel_accepts_fast_certificate_and_rejects_mutations(tmp_path):
    from exactmin.data.io import write_instance
    inst = generate_deep(8, 120, seed=1, denominator=2**20)
    path = tmp_path / "i.json"
    write_instance(inst, path)
    cert = json.loads(json.dumps(base.get("deep.thm2.3").check(inst).to_json()))
    assert cert["readings"]["mu-box"]["verdict"] == "proved"          # Q = 8 box via row extremes
    ok, why = kernel.verify(json.loads(json.dumps(cert)), str(path))
    assert ok, why
    for key in ("cost_squared", "mu_admissible_lo[j=3]", "mu_admissible_hi[j=8]"):
        bad = json.loads(json.dumps(cert))
        bad["values"][key] = str(fmpq(*[int(x) for x in (bad["values"][key] + "/1").split("/")[:2]]) + fmpq(1, 10**9))
        assert not kernel.verify(bad, str(path))[0], key
    bad = json.loads(json.dumps(cert))
    bad["witness"]["mu_box"][1] = str(-fmpq(1, 10**6))                  # a box reaching outside I_0
    assert not kernel.verify(bad, str(path))[0] or bad["readings"]["mu-box"]["verdict"] != "proved"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_filtered_max_deviations_match_the_reference(seed):
    from exactmin.data import stats
    from exactmin.data.instance import Instance
    inst = generate_deep(3, [50, 7, 300], seed=seed, denominator=2**20)
    fresh = Instance(inst.name, inst.X0_num, inst.X0_den, inst.sizes, inst.Y)
    ref = [stats.class_max_deviation_sq_exact(fresh, j) for j in range(fresh.Q)]
    assert stats.class_max_deviations_sq(fresh) == ref
    # ties: repeated extreme columns keep the FIRST arg-max, as the reference does
    X = np.array([[3, -3, 3, 0, -3], [0, 0, 0, 1, 0]], dtype=np.int64)
    tie = Instance("t", np.concatenate([X, X + 10], axis=1), 1, [5, 5])
    ref = [stats.class_max_deviation_sq_exact(tie, j) for j in range(tie.Q)]
    assert stats.class_max_deviations_sq(tie) == ref


@pytest.mark.parametrize("den,seed", [(2**20, 0), (3 * 2**10, 1), (1, 2)])
def test_vectorised_canonical_bytes_match_the_reference(den, seed):
    from exactmin.data.instance import Instance
    from exactmin.exact.canon import canonical_bytes
    inst = generate_deep(3, [5, 9, 4], seed=seed, denominator=den)
    fresh = Instance(inst.name, inst.X0_num, inst.X0_den, inst.sizes, inst.Y)
    assert canonical_bytes(fresh) == fresh.canonical_bytes()
    odd = Instance("o", np.array([[-6, 0, 4, 9], [3, 3, -12, 1]], dtype=np.int64), 12, [1, 3],
                   fmpq_mat(2, 2, [fmpq(1, 2), 0, fmpq(-3, 4), 5]))
    assert canonical_bytes(odd) == odd.canonical_bytes()


def test_large_instances_hash_through_the_vectorised_path_with_the_reference_bytes():
    """N >= 4096 takes exact.canon in Instance.canonical_bytes: its bytes must equal the json.dumps reference."""
    import json

    from exactmin.data.instance import FORMAT, Instance
    inst = generate_deep(3, [1500, 1500, 1200], seed=5, denominator=3 * 2**18)
    fresh = Instance(inst.name, inst.X0_num, inst.X0_den, inst.sizes, inst.Y)
    ref = json.dumps({"format": FORMAT, "classes": fresh._coordinate_strings(), "labels": fresh._label_strings()},
                     sort_keys=True, separators=(",", ":")).encode("utf-8")
    import hashlib
    assert fresh.sha256 == hashlib.sha256(ref).hexdigest()       # streamed chunk by chunk, the text not kept
    assert "canonical" not in fresh._cache
    assert fresh.canonical_bytes() == ref


# ---------------------------------------------------------------- exact.canon: chunked uint8 byte assembly (hash)
_CANON_DENS = [1, 2, 3, 7, 2**20, 3 * 2**10, 10**6, 3**9 * 2**5, 2**61, 2**62 - 57, 2**62, 10**20]


def _reference_canonical_bytes(inst) -> bytes:
    from exactmin.data.instance import FORMAT
    return json.dumps({"format": FORMAT, "classes": inst._coordinate_strings(), "labels": inst._label_strings()},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


@st.composite
def _canon_instances(draw):
    from exactmin.data.instance import Instance
    Q = draw(st.integers(1, 4))
    M = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=Q, max_size=Q))
    N = sum(sizes)
    den = draw(st.sampled_from(_CANON_DENS) | st.integers(1, 10**7))
    big = 2**62 - 1
    value = st.one_of(st.integers(-40, 40), st.integers(-10**7, 10**7), st.integers(-10**16, 10**16),
                      st.integers(-big, big), st.integers(2**61 - 5, 2**61 + 5),
                      st.integers(-(2**61) - 5, -(2**61) + 5), st.integers(big - 3, big), st.integers(-big, 3 - big))
    nums = draw(st.lists(value, min_size=M * N, max_size=M * N))
    if draw(st.booleans()):
        nums[draw(st.integers(0, M * N - 1))] = 1          # keep the denominator unreduced by the constructor
    out_dim = draw(st.integers(1, 3))
    labels = draw(st.lists(st.tuples(st.integers(-10**6, 10**6), st.integers(1, 10**4)),
                           min_size=out_dim * Q, max_size=out_dim * Q))
    Y = fmpq_mat(out_dim, Q, [fmpq(a, b) for a, b in labels]) if draw(st.booleans()) else None
    X = np.array(nums, dtype=object).reshape(M, N)
    return Instance("h", X, den, sizes, Y)


@settings(max_examples=300, deadline=None)
@given(_canon_instances(), st.sampled_from([1, 2, 3, 5, 8, 13, 1 << 17]), st.booleans())
def test_chunked_canonical_bytes_equal_the_json_reference(inst, chunk, two_cores):
    """Property: exact.canon.canonical_bytes == json.dumps reference, for any chunk size (chunk boundaries
    inside classes, on class ends, one-point classes, M = 1), negatives, zeros, den = 1, odd denominators; on one
    core, and with the second half of the chunks written by a helper process (exactmin.cores), hashed too."""
    import hashlib

    from exactmin import cores
    from exactmin.exact import canon
    old = canon.CHUNK_CELLS, cores.JOBS, cores.MIN_BYTES
    canon.CHUNK_CELLS = chunk
    cores.JOBS, cores.MIN_BYTES = (2, 0) if two_cores else (1, cores.MIN_BYTES)
    try:
        got = canon.canonical_bytes(inst)
        sha = canon.canonical_sha256(inst)
    finally:
        canon.CHUNK_CELLS, cores.JOBS, cores.MIN_BYTES = old
    ref = _reference_canonical_bytes(inst)
    assert got == ref
    assert sha == hashlib.sha256(ref).hexdigest()


def test_chunked_canonical_bytes_on_edge_values():
    """Extremes of the int64 fast path (|num| = 2**62 - 1, den = 2**62 - 1 and 2**61) and the object fallback."""
    from exactmin.data.instance import Instance
    from exactmin.exact import canon
    top = 2**62 - 1
    cases = [
        (np.array([[top, -top, 0, 1, -1]], dtype=np.int64), top, [2, 3]),
        (np.array([[top, -top, 0, 2**61, -(2**61)], [1, 3, -5, 2**40, 7]], dtype=np.int64), 2**61, [1, 1, 3]),
        (np.array([[10**18, -(10**18), 999999999999999999, -1, 9]], dtype=np.int64), 10**6, [5]),
        (np.array([[10**16 - 1, -(10**8), 10**8 - 1, 10**8, 0, -7]], dtype=np.int64), 2**20, [2, 4]),   # 2 words
        (np.array([[10**8 - 1, -(10**7), 0, 10**7, -1]], dtype=np.int64), 2**3, [4, 1]),             # 1 word
        (np.array([[10**8, -(10**8) - 1, 2 * 10**8 - 1, 10**8 + 3, 10**15]], dtype=np.int64), 1, [5]),
        (np.array([[10**8 + 1, -(10**8) - 3, 10**9 + 7, 1]], dtype=np.int64), 2**20, [3, 1]),
        (np.array([[10**16, -(10**16) + 1, 5]], dtype=np.int64), 2**33, [1, 1, 1]),                 # 17 digits
        (np.array([[2**62, -5, 3]], dtype=object), 6, [1, 2]),                      # object dtype: fallback
        (np.array([[5, -5, 3]], dtype=np.int64), 2**62 + 6, [3]),                     # den >= 2**62: fallback
    ]
    for X, den, sizes in cases:
        inst = Instance("e", X, den, sizes)
        assert canon.canonical_bytes(inst) == _reference_canonical_bytes(inst), (X, den)


def test_swar_digit_constants_are_exact_on_their_whole_range():
    """The lane divisions of exact.canon._swar8 (y // 100 and z // 10 by multiply-shift), and _swar8 itself."""
    from exactmin.exact import canon
    y = np.arange(10**4, dtype=np.uint64)
    assert ((y * np.uint64(5243)) >> np.uint64(19) == y // np.uint64(100)).all()
    z = np.arange(100, dtype=np.uint64)
    assert ((z * np.uint64(103)) >> np.uint64(10) == z // np.uint64(10)).all()
    a = np.concatenate([np.arange(0, 10**8, 9973, dtype=np.uint64),
                        np.array([0, 1, 9, 10, 99, 10**7, 10**8 - 1], dtype=np.uint64)])
    d, nz = canon._swar8(a)
    text = d.astype("<u8").view(np.uint8).reshape(-1, 8)
    assert [bytes(r).decode() for r in text] == [f"{int(x):08d}" for x in a]
    flags = nz.astype("<u8").view(np.uint8).reshape(-1, 8)
    assert (flags == (text != ord("0"))).all()


# ---------------------------------------------------------------- long numerators (data written from floats)
@st.composite
def _wide_columns(draw):
    M = draw(st.integers(1, 5))
    n = draw(st.integers(1, 40))
    bits = draw(st.sampled_from([10, 61, 62, 70, 75, 120, 400, 950]))
    ints = st.one_of(st.integers(-2**bits, 2**bits), st.sampled_from([0, 1, -1, 2**bits, -2**bits]))
    cols = draw(st.lists(st.lists(ints, min_size=M, max_size=M), min_size=n, max_size=n))
    if draw(st.booleans()):                                   # repeated extreme columns: the FIRST arg-max counts
        cols = cols + cols[: draw(st.integers(1, n))]
    C = np.empty((M, len(cols)), dtype=object)
    for i, c in enumerate(cols):
        C[:, i] = c
    S = [sum(C[k, :].tolist()) for k in range(M)] if draw(st.booleans()) else draw(
        st.lists(st.integers(-2**(bits + 8), 2**(bits + 8)), min_size=M, max_size=M))
    return C, S, draw(st.integers(1, 10**6))


@settings(max_examples=300, deadline=None)
@given(_wide_columns())
def test_wide_max_sq_deviation_equals_exact_squares(case):
    """colnorms.max_sq_deviation (float-scaled filter for numerators beyond 2^53) returns exactly the maximal
    |n c_i − S|² and its first arg-max, or declines."""
    from exactmin.exact.colnorms import max_sq_deviation
    C, S, n = case
    vals = [sum((n * int(C[k, i]) - S[k]) ** 2 for k in range(C.shape[0])) for i in range(C.shape[1])]
    best = max(vals)
    got = max_sq_deviation(C, S, n)
    assert got is None or got == (best, vals.index(best))
    if max(abs(int(v)) for v in C.flat) < 2**120:
        assert got is not None                                # the filter decides ordinary data


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2**1000, 2**1000), min_size=1, max_size=30), st.integers(0, 960))
def test_object_float_columns_are_correctly_rounded(vals, f):
    """certsign.float_columns on Python ints: fl(v·2^-f) correctly rounded (Python's int/int division) wherever
    the scaled value is normal; otherwise the block is declined."""
    from exactmin.exact.certsign import float_columns
    Xn = np.array(vals, dtype=object).reshape(1, -1)
    top = max(abs(v) for v in vals).bit_length()
    f = max(f, top - 62)
    Xf, ok = float_columns(Xn, f)
    ref = [v / (1 << f) for v in vals]
    if ok:
        assert Xf.ravel().tolist() == ref
    else:
        assert any(v != 0 and abs(r) < 2.0 ** -1000 for v, r in zip(vals, ref))
