"""Hypothesis strategies shared by the network property tests (rational matrices, packed IntMat data)."""
from __future__ import annotations

import numpy as np
from flint import fmpq, fmpq_mat
from hypothesis import strategies as st

from exactmin.exact.intmat import INT64_LIMIT, IntMat


def rationals(maxp: int = 20, maxq: int = 12):
    return st.builds(fmpq, st.integers(-maxp, maxp), st.integers(1, maxq))


def mats(m: int, n: int, maxp: int = 20, maxq: int = 12):
    return st.lists(rationals(maxp, maxq), min_size=m * n, max_size=m * n).map(lambda xs: fmpq_mat(m, n, xs))


def pack(entries: list[int], m: int, n: int, den: int) -> IntMat:
    """IntMat of the given numerators: int64 when they fit, Python-int object array otherwise."""
    arr = np.array(entries, dtype=object).reshape(m, n)
    if max((abs(v) for v in entries), default=0) < INT64_LIMIT:
        arr = arr.astype(np.int64)
    return IntMat(arr, den)
