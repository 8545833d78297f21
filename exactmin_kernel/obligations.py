"""The judgments of the obligation language.  A statement emits them; :mod:`.interp` discharges them.

Values are exact: Fraction scalars, vectors and matrices as tuples (of tuples) of Fraction.  Every judgment
carries a short ``name`` used in messages ("obligation psd(Sigma_0) failed").  Meaning of each:

* ``Eq(a, b)``           a = b (scalars, vectors or matrices, entrywise)
* ``Pos(e)``             e > 0 (every entry of a vector or matrix)
* ``NonNeg(e)``          e >= 0 (every entry)
* ``NonZero(e)``         e != 0 (a scalar)
* ``PSD(M, L, D)``       M = L diag(D) L^T with L unit lower triangular and D >= 0 (so M is positive semidefinite)
* ``Rank(M, r, minor, kernel)``  rank M = r: the r x r minor (rows, cols) is nonzero and ``kernel`` holds
                         n - r vectors with M v = 0, linearly independent
* ``Inverse(A, B)``      A B = I
* ``SqrtSumSign(terms, sign)``  the sign of sum c_i sqrt(q_i) (terms = ((c_i, q_i), ...), q_i >= 0) is ``sign``
"""
from __future__ import annotations

from typing import NamedTuple


class Eq(NamedTuple):
    name: str
    a: object
    b: object


class Pos(NamedTuple):
    name: str
    e: object


class NonNeg(NamedTuple):
    name: str
    e: object


class NonZero(NamedTuple):
    name: str
    e: object


class PSD(NamedTuple):
    name: str
    M: tuple
    L: tuple
    D: tuple


class Rank(NamedTuple):
    name: str
    M: tuple
    r: int
    minor: tuple
    kernel: tuple


class Inverse(NamedTuple):
    name: str
    A: tuple
    B: tuple


class SqrtSumSign(NamedTuple):
    name: str
    terms: tuple
    sign: int
