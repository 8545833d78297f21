"""The judgments of the obligation language; a statement emits them and :mod:`.interp` discharges them.

Values are exact: Fraction scalars, vectors and matrices as tuples (of tuples).  ``name`` is used in messages
("obligation psd(Sigma_0) failed").  Eq(a, b): a = b entrywise.  Le(a, b): a <= b entrywise.  Pos(e) / NonNeg(e): every entry > 0 / >= 0.
NonZero(e): the scalar e != 0.  PSD(M): M symmetric positive semidefinite (decided both ways).  PosDef(M): M
symmetric positive definite (decided both ways: the pivots of its elimination are all > 0, Sylvester).
Rank(M, r, minor, kernel): the r x r minor (rows, cols) is nonzero and ``kernel`` holds n - r independent
vectors with M v = 0.  Inverse(A, B): A B = I.  SqrtSumSign(terms, sign): sign(sum c_i sqrt q_i) = sign (or is in
sign, a tuple of signs).  ExpLe (e^t enclosures) is defined and decided in :mod:`.series`.
"""
from collections import namedtuple

Eq, Le, Pos, NonNeg, NonZero = (namedtuple(n, "name " + f) for n, f in
                                (("Eq", "a b"), ("Le", "a b"), ("Pos", "e"), ("NonNeg", "e"), ("NonZero", "e")))
PSD, Rank, Inverse = (namedtuple(n, "name " + f) for n, f in
                      (("PSD", "M"), ("Rank", "M r minor kernel"), ("Inverse", "A B")))
SqrtSumSign, PosDef = namedtuple("SqrtSumSign", "name terms sign"), namedtuple("PosDef", "name M")
