"""The kernel's elimination (exactmin_kernel/linalg.py): the Bareiss path for square systems and the Gauss-Jordan
path give solutions of A X = B, agree where the solution is unique, and report the same solvability."""
from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

from exactmin_kernel.interp import det, mm
from exactmin_kernel.linalg import _bareiss, _gauss_jordan, solve

rat = st.builds(F, st.integers(-10**12, 10**12), st.integers(1, 10**9))


@st.composite
def systems(draw):
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    A = [[draw(st.one_of(rat, st.just(F(0)))) for _ in range(n)] for _ in range(n)]
    if n > 1 and draw(st.booleans()):                 # singular: a row repeated, scaled
        i, j, k = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)), draw(rat)
        A[i] = [k * x for x in A[j]] if i != j else [F(0)] * n
    B = [[draw(rat) for _ in range(m)] for _ in range(n)]
    return tuple(map(tuple, A)), tuple(map(tuple, B))


@settings(max_examples=300, deadline=None)
@given(systems())
def test_bareiss_and_gauss_jordan_agree(sys_):
    A, B = sys_
    X, Y = solve(A, B), _gauss_jordan(A, B)
    assert (X is None) == (Y is None)
    if X is not None:
        assert mm(A, X) == B
    Z = _bareiss(A, B)
    if det(A) != 0:
        assert Z == Y and mm(A, Z) == B               # unique solution: both paths find it
    else:
        assert Z is None                              # Bareiss is only the nonsingular path
