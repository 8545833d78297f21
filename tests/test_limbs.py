"""Numerators in two int64 limbs (exactmin/exact/limbs.py, issue 18: data written from floats at full speed).

Every operation is compared with the same operation on Python ints; the loaders, the certified filters and whole
certificates are compared with the object-array path (``fastparse.WIDE = False``), on data nobody tuned."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.data import fastparse, io
from exactmin.exact import limbs as lb
from exactmin.exact.certsign import ExactAffine, float_columns, row_extremes_multi
from exactmin.exact.colnorms import max_sq_deviation
from exactmin.exact.limbs import BOUND, SHIFT, Limbs

WIDE_INT = st.one_of(st.integers(-BOUND + 1, BOUND - 1), st.integers(-2**64, 2**64), st.integers(-3, 3),
                     st.sampled_from([BOUND - 1, -BOUND + 1, 2**62, -2**62, 2**62 - 1, 2**93 - 2**31, -2**31, 2**31]))


def _limbs(vals, shape):
    a = np.array(vals, dtype=object).reshape(shape)
    hi = np.array([v >> SHIFT for v in vals], dtype=np.int64).reshape(shape)
    lo = np.array([v & ((1 << SHIFT) - 1) for v in vals], dtype=np.int64).reshape(shape)
    return Limbs(hi, lo), a


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(1, 9), st.data())
def test_limb_operations_equal_python_ints(m, n, data):
    vals = data.draw(st.lists(WIDE_INT, min_size=m * n, max_size=m * n))
    X, A = _limbs(vals, (m, n))
    assert X.to_object().tolist() == A.tolist()
    assert X.row_sums() == [sum(r) for r in A.tolist()]
    assert X.max_abs() == max(abs(v) for v in vals)
    assert X.extreme(True) == max(vals) and X.extreme(False) == min(vals)
    assert (X.nonzero() == (A != 0)).all()
    for f in (0, 1, 31, 40):
        ref = np.ldexp(np.array([float(v) for v in vals]).reshape(m, n), -f)      # float(int) is correctly rounded
        assert (X.floats(f) == ref).all()
    i, j = data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1))
    assert X[i, j] == A[i, j] and X[:, j].tolist() == A[:, j].tolist()
    assert X[:, j:].to_object().tolist() == A[:, j:].tolist()
    perm = np.array(data.draw(st.permutations(range(n))))
    assert X.T[perm].T.to_object().tolist() == A[:, perm].tolist()


def test_row_sums_in_blocks(monkeypatch):
    """The int64 block sums of the 31-bit pieces: blocks of 3 columns, extreme entries, exact."""
    monkeypatch.setattr(lb, "_BLOCK", 3)
    rng = np.random.default_rng(71217101)
    vals = [int(v) for v in rng.integers(-2**62, 2**62, 40)]
    vals = [v << 31 | 12345 for v in vals[:20]] + [BOUND - 1, -BOUND + 1] * 10
    X, A = _limbs(vals, (2, 20))
    assert X.row_sums() == [sum(r) for r in A.tolist()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-2**62, 2**62), min_size=1, max_size=30),
       st.lists(st.one_of(st.integers(0, 2**93), st.just(0), st.just(1), st.integers(2**92, 2**93 + 5)),
                min_size=1, max_size=4), st.data(), st.integers(1, 5))
def test_from_product_equals_python_products(p, F, data, cache):
    """p[i]·F[inv[i]] in limbs, blocks of any size (the block loop's edges); None exactly when a product (or a
    factor) reaches 2^93."""
    inv = data.draw(st.lists(st.integers(0, len(F) - 1), min_size=len(p), max_size=len(p)))
    old = lb._CACHE
    lb._CACHE = cache
    try:
        X = Limbs.from_product(np.array(p, dtype=np.int64), F, np.array(inv, dtype=np.int64))
    finally:
        lb._CACHE = old
    exp = [a * F[i] for a, i in zip(p, inv)]
    if X is None:
        assert any(abs(v) >= BOUND for v in exp) or any(f >= BOUND for f in F)
    else:
        assert X.to_object().tolist() == exp and all(0 <= v < 2**31 for v in X.lo.tolist())


# ------------------------------------------------------------------------- the certified filters read limbs
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4), st.integers(1, 40), st.integers(0, 2**32), st.integers(0, 3))
def test_filters_on_limbs_equal_object_arrays(M, n, seed, scale):
    """Row extremes of affine maps (certsign) and the max squared deviation (colnorms) give the same exact answers
    (and the same floats) from limbs as from the Python ints; ties and zeros included."""
    from flint import fmpq, fmpq_mat
    rng = np.random.default_rng(seed)
    big = 10**(18 + 2 * scale)                                          # up to 10^28 / 7 < 2^93
    vals = [int(v) * big // 7 + int(w) for v, w in zip(rng.integers(-10**4, 10**4, M * n), rng.integers(-9, 9, M * n))]
    if seed % 3 == 0:
        vals[: M] = vals[M: 2 * M] if n > 1 else vals[:M]                    # a repeated column: ties
    X, A = _limbs(vals, (M, n))
    f_obj, ok_obj = float_columns(A, 0)
    f_l, ok_l = float_columns(X, 0)
    assert ok_obj == ok_l and (f_obj == f_l).all()
    W = fmpq_mat(2, M, [fmpq(int(v), int(d)) for v, d in zip(rng.integers(-9, 9, 2 * M), rng.integers(1, 9, 2 * M))])
    b = fmpq_mat(2, 1, [fmpq(int(rng.integers(-9, 9)), 3), 0])
    maps = [ExactAffine(W, b)]
    assert row_extremes_multi(maps, X, 10**22, chunk=7) == row_extremes_multi(maps, A, 10**22, chunk=7)
    S = [sum(r) for r in A.tolist()]
    assert max_sq_deviation(X, S, n) == max_sq_deviation(A, S, n)


# ------------------------------------------------------------------------- loaders and certificates
def _float_export(rng, N, M, Q, spread):
    X = rng.standard_normal((N, M)) * 10.0 ** rng.integers(-spread, 2, (N, M))
    cls = rng.integers(0, Q, N)
    cls[:Q] = np.arange(Q)
    return X, cls


def _load_both(text, fmt, monkeypatch):
    a = io.load_instance_text(text, fmt, "f")
    with monkeypatch.context() as m:
        m.setattr(fastparse, "WIDE", False)
        b = io.load_instance_text(text, fmt, "f")
    return a, b


@pytest.mark.parametrize("seed", [71217211, 71217223, 71217241])
def test_loaders_keep_float_exports_in_limbs(seed, monkeypatch):
    """CSV and JSON files of repr(float) values (unequal class sizes, values from 1e-5 to 10): the numerators pass
    2^62, the loader keeps them in limbs, and the instance (numerators, denominator, hash, class sums, max) equals
    the one of Python ints; the Python ints are made only when asked for."""
    rng = np.random.default_rng(seed)
    X, cls = _float_export(rng, int(rng.integers(40, 300)), int(rng.integers(1, 5)), int(rng.integers(1, 5)), 5)
    csv = "".join(",".join(repr(float(v)) for v in row) + f",c{c}\n" for row, c in zip(X, cls))
    Q = int(cls.max()) + 1
    js = json.dumps({"classes": [{"points": [[float(v) for v in row] for row, c in zip(X, cls) if c == j]}
                                 for j in range(Q)]})
    for text, fmt in ((csv, "csv"), (js, "json")):
        a, b = _load_both(text, fmt, monkeypatch)
        assert a.wide is not None and b.wide is None and "X0_num" not in a._cache
        assert a.max_abs_num() >= 2**62 and a.max_abs_num() == b.max_abs_num()
        assert a.class_sums() == b.class_sums() and "X0_num" not in a._cache
        assert a.sha256 == b.sha256 and a.X0_den == b.X0_den and "X0_num" not in a._cache
        assert a.X0_num.dtype == object and a.same_data(b) and a.with_name("g").same_data(b)
        assert not a.X0_num.flags.writeable


def test_beyond_the_limbs_stays_python_ints(monkeypatch):
    """Numerators of 2^93 and more (values spanning 10^-20 .. 10^8 in 17 digits) keep the object array."""
    text = "123456789.12345678,1\n0.000000000000000000012345678901234567,2\n1.5,1\n2.5,2\n"
    a, b = _load_both(text, "csv", monkeypatch)
    assert a.max_abs_num() >= BOUND and a.wide is None and a.same_data(b) and a.sha256 == b.sha256


def _certificates(path, claim, tmp_path, monkeypatch):
    from exactmin.cli import main
    out = []
    for wide in (True, False):
        c = tmp_path / f"c{wide}.json"
        with monkeypatch.context() as m:
            m.setattr(fastparse, "WIDE", wide)
            rc = main(["check", claim, "--instance", str(path), "--certificate", str(c), "--quiet"])
        d = json.loads(c.read_text())
        d.pop("versions", None)
        out.append((rc, d))
    return out


@pytest.mark.parametrize("claim", ["deep.thm2.3", "deep.hypotheses", "deep.thm2.4", "deep.eq2.61", "deep.eq2.68",
                                   "deep.thm2.5", "shallow.thm3.2", "shallow.upper-bound", "shallow.relative-error",
                                   "shallow.thm3.3"])
def test_certificates_equal_with_and_without_limbs(claim, tmp_path, monkeypatch):
    """A generated deep instance (Q = 3, unequal classes) exported with repr(float): the certificate is the same
    whether the numerators were limbs or Python ints, and the kernel accepts it; the claims whose fast paths read
    limbs (every instance claim's path on such data) never make the Python ints."""
    from exactmin.claims.base import get
    from exactmin.cli import main
    from exactmin.data.generate import generate_deep
    inst = generate_deep(3, 30, seed=71217307, denominator=2**20)
    Xf = (inst.X0_num.astype(float) / inst.X0_den).T
    cls = np.repeat(np.arange(inst.Q), inst.sizes)
    keep = np.ones(inst.N, dtype=bool)
    keep[::7] = False                                  # unequal class sizes
    path = tmp_path / "f.csv"
    path.write_text("".join(",".join(map(repr, r)) + f",{c}\n" for r, c in zip(Xf[keep].tolist(), cls[keep])))
    loaded = io.load_instance(str(path))
    assert loaded.wide is not None
    get(claim).check(loaded)
    assert "X0_num" not in loaded._cache
    (rc1, a), (rc2, b) = _certificates(path, claim, tmp_path, monkeypatch)
    assert rc1 == rc2 and a == b
    assert main(["verify", str(tmp_path / "cTrue.json"), "--instance", str(path)]) == 0


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(1, 12), st.data(), st.sampled_from([(1, 1), (1, 2), (3, 2), (2048, 512)]))
def test_sum_gram_from_limb_pieces(m, n, data, blocks):
    """Class statistics (Σ x, Σ x xᵀ) from the limbs' 21-bit pieces (float64 block products, int64 and Python-int
    accumulation at any block and flush size) equal the Python-int sums, extremes included."""
    from exactmin.nets import pattern
    vals = data.draw(st.lists(WIDE_INT, min_size=m * n, max_size=m * n))
    X, A = _limbs(vals, (m, n))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pattern, "_FBLOCK", blocks[0])
        mp.setattr(pattern, "_FLUSH", blocks[1])
        s, G = pattern._int_sum_gram(X)
        so, Go = pattern._int_sum_gram(A)                           # the object path's pieces (sign, |.| limbs)
    assert s == so == [sum(r) for r in A.tolist()]
    assert G.tolist() == Go.tolist() == (A @ A.T).tolist()
