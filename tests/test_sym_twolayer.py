"""sym.split, sym.zero-type: exact checks on two-layer ReLU networks with rational parameters (digest §2, §5)."""
from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exactmin.sym import twolayer as T

SET = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
rat = st.fractions(min_value=-3, max_value=3, max_denominator=6)


@st.composite
def nets(draw, bias=None, p=None):
    m = draw(st.integers(1, 3))
    d = draw(st.integers(1, 3))
    b = draw(st.booleans()) if bias is None else bias
    pp = draw(st.integers(1, 2)) if p is None else p
    W = [[draw(rat) for _ in range(d)] for _ in range(m)]
    c = [draw(rat) for _ in range(m)] if b else None
    if pp == 1 and draw(st.booleans()):
        a = [draw(rat) for _ in range(m)]
    else:
        a = [[draw(rat) for _ in range(pp)] for _ in range(m)]
    th = T.make(W, a, c)
    n = draw(st.integers(1, 5))
    X = [[draw(rat) for _ in range(d)] for _ in range(n)]
    Y = [draw(rat) if th.scalar_output else [draw(rat) for _ in range(th.p)] for _ in range(n)]
    return th, X, Y


@st.composite
def betas(draw, k_max=4):
    k = draw(st.integers(1, k_max))
    b = [draw(rat) for _ in range(k - 1)]
    return b + [1 - sum(b, F(0))]


def _f_inline(th, x):
    """Independent forward pass (no shared helper): Σ_j a_j max(0, w_j·x + c_j)."""
    out = [F(0)] * th.p
    for j in range(th.m):
        z = sum(F(w) * F(v) for w, v in zip(th.W[j], x)) + (th.c[j] if th.c is not None else 0)
        if z > 0:
            out = [o + a * z for o, a in zip(out, th.A[j])]
    return out


@SET
@given(nets(), st.data())
def test_split_keeps_function_exactly(net, data):
    th, X, _ = net
    j = data.draw(st.integers(0, th.m - 1))
    b = data.draw(betas())
    th2 = T.split(th, j, b)
    assert th2.m == th.m + len(b) - 1
    for x in X:
        assert _f_inline(th2, x) == _f_inline(th, x)
        assert T.forward(th2, x) == T.forward(th, x)


def test_split_rejects_bad_betas():
    th = T.make([[1]], [1])
    with pytest.raises(ValueError):
        T.split(th, 0, [F(1, 2), F(1, 3)])


@SET
@given(nets(), st.data())
def test_gradient_matches_exact_directional_derivative(net, data):
    th, X, Y = net
    assume(not T.kinks(th, X))
    g = T.gradient(th, X, Y)
    v = T.Gradient(tuple(tuple(data.draw(rat) for _ in w) for w in th.W),
                   None if th.c is None else tuple(data.draw(rat) for _ in th.c),
                   tuple(tuple(data.draw(rat) for _ in a) for a in th.A))
    lhs = sum((a * b for a, b in zip(g.flat(), v.flat())), F(0))
    assert lhs == T.directional_derivative_exact(th, X, Y, v)


@SET
@given(nets(), st.data())
def test_split_gradient_identities(net, data):
    """digest §2.1: ∂L_m/∂a_{j,c} = ∂L_r/∂a_j, ∂L_m/∂(w,c)_{j,c} = β_c ∂L_r/∂(w,c)_j, others unchanged."""
    th, X, Y = net
    assume(not T.kinks(th, X))
    j = data.draw(st.integers(0, th.m - 1))
    b = data.draw(betas())
    th2 = T.split(th, j, b)
    g, g2 = T.gradient(th, X, Y), T.gradient(th2, X, Y)
    copies = [j] + list(range(th.m, th2.m))
    for i in range(th.m):
        if i != j:
            assert g2.W[i] == g.W[i] and g2.A[i] == g.A[i]
            if th.c is not None:
                assert g2.c[i] == g.c[i]
    for bc, idx in zip(b, copies):
        assert g2.A[idx] == g.A[j]
        assert g2.W[idx] == tuple(bc * v for v in g.W[j])
        if th.c is not None:
            assert g2.c[idx] == bc * g.c[j]
    assert T.loss(th2, X, Y) == T.loss(th, X, Y)


def test_kink_reported():
    th = T.make([[1, -1], [2, 1]], [1, 1])
    X = [[1, 1], [1, 2], [-1, 2]]
    with pytest.raises(T.NotDifferentiableError) as ei:
        T.gradient(th, X, [0, 0, 0])
    assert ei.value.where == [(0, 0), (2, 1)]
    assert T.gradient_or_none(th, X, [0, 0, 0]) is None


# --- teacher at zero loss ----------------------------------------------------------------------------------------

TEACHER = T.make([[1, 2], [-1, 1], [3, -2]], [2, -1, F(1, 2)])
XS = [[1, F(1, 7)], [0, 1], [1, F(2, 3)], [2, F(-1, 3)], [-1, 3], [3, 1], [-2, -1], [1, -3], [2, 5], [5, 2],
      [-3, 2], [4, -1]]


@SET
@given(st.lists(betas(3), min_size=3, max_size=3))
def test_teacher_zero_loss_critical_and_stays_critical_after_splits(bs):
    Y = [sum(_f_inline(TEACHER, x)) for x in XS]
    assert T.loss(TEACHER, XS, Y) == 0 and T.is_critical(TEACHER, XS, Y)
    th = TEACHER
    for j, b in enumerate(bs):
        th = T.split(th, j, b)
    assert T.loss(th, XS, Y) == 0
    assert T.is_critical(th, XS, Y)
    # zero-type single and group at zero loss: still a critical point (digest §2.2)
    th = T.add_zero_type(th, [F(1, 3), F(-2, 5)])
    th = T.add_zero_type(th, [F(-1, 2), F(2, 7)], [F(3, 2), F(-1, 2), -1], kind="group")
    assert T.loss(th, XS, Y) == 0 and T.is_critical(th, XS, Y)


# --- critical point with L > 0 -----------------------------------------------------------------------------------

def _nonzero_loss_critical():
    Y, e = T.design_critical_targets(TEACHER, XS)
    return Y, e


def test_designed_point_is_critical_with_positive_loss():
    Y, e = _nonzero_loss_critical()
    L = T.loss(TEACHER, XS, Y)
    assert L == sum(v * v for v in e) / 2 > 0
    assert T.is_critical(TEACHER, XS, Y)
    # independent: every exact directional derivative vanishes (coordinate directions)
    g = T.gradient(TEACHER, XS, Y)
    for k in range(len(g.flat())):
        flat = [F(0)] * len(g.flat())
        flat[k] = F(1)
        v = T.Gradient(tuple(tuple(flat[i * 2:(i + 1) * 2]) for i in range(3)), None, tuple((x,) for x in flat[6:9]))
        assert T.directional_derivative_exact(TEACHER, XS, Y, v) == 0


@pytest.mark.parametrize("b", [[F(1, 2), F(1, 2)], [2, F(-1, 2), F(-1, 2)], [1, 0, 0], [F(-7, 3), F(10, 3)]])
@pytest.mark.parametrize("j", [0, 1, 2])
def test_split_of_nonzero_loss_critical_point_is_critical(b, j):
    Y, _ = _nonzero_loss_critical()
    th = T.split(TEACHER, j, b)
    assert T.loss(th, XS, Y) == T.loss(TEACHER, XS, Y) > 0
    assert T.is_critical(th, XS, Y)


def _zero_witness(Y, e):
    for w in product(range(-2, 3), repeat=2):
        th = T.add_zero_type(TEACHER, list(w))
        if T.kinks(th, XS):
            continue
        expected = sum(en * max(F(0), w[0] * F(x[0]) + w[1] * F(x[1])) for en, x in zip(e, XS))  # Σ r_n σ(w·x_n)
        if expected != 0:
            return w, th, expected
    raise AssertionError("no witness found")


def test_zero_type_single_breaks_criticality_at_nonzero_loss():
    Y, e = _nonzero_loss_critical()
    w, th, expected = _zero_witness(Y, e)
    assert (w, expected) == ((0, -2), F(2, 3))  # explicit exact witness
    assert [T.forward(th, x) for x in XS] == [T.forward(TEACHER, x) for x in XS]
    g = T.gradient(th, XS, Y)
    assert g.A[-1] == (expected,) and expected != 0
    assert g.W[-1] == (0, 0)  # a_new = 0 kills the w-gradient
    assert not T.is_critical(th, XS, Y)


def test_zero_group_breaks_criticality_at_nonzero_loss():
    Y, e = _nonzero_loss_critical()
    w, _, expected = _zero_witness(Y, e)
    th = T.add_zero_type(TEACHER, list(w), [F(5, 2), F(-5, 2)], kind="group")
    assert [T.forward(th, x) for x in XS] == [T.forward(TEACHER, x) for x in XS]
    g = T.gradient(th, XS, Y)
    assert g.A[-1] == g.A[-2] == (expected,)
    assert not T.is_critical(th, XS, Y)


def test_dead_relu_neuron_keeps_criticality_at_nonzero_loss():
    """ReLU-specific (not the digest's zero-type): a neuron strictly inactive on all data, with a NONZERO outgoing
    weight, keeps criticality at L > 0 (σ = σ' = 0 on the data), unlike a digest zero-type neuron."""
    thb = T.make([list(w) for w in TEACHER.W], [a[0] for a in TEACHER.A], [F(1, 3), F(-1, 5), F(1, 2)])
    assert not T.kinks(thb, XS)
    Yb, e = T.design_critical_targets(thb, XS)
    assert T.loss(thb, XS, Yb) > 0 and T.is_critical(thb, XS, Yb)
    th = T.add_zero_type(thb, [1, 1], [7], bias=-100, kind="dead", X=XS)
    assert [T.forward(th, x) for x in XS] == [T.forward(thb, x) for x in XS]
    assert T.is_critical(th, XS, Yb)
    with pytest.raises(ValueError):
        T.add_zero_type(thb, [1, 1], [7], bias=0, kind="dead", X=XS)
    # same incoming weights with a = 0 but active somewhere: digest zero-type, breaks criticality iff Σ e_n σ ≠ 0
    th0 = T.add_zero_type(thb, [1, 1], bias=F(-3, 2))
    expected = sum(en * max(F(0), F(x[0]) + F(x[1]) - F(3, 2)) for en, x in zip(e, XS))
    assert T.gradient(th0, XS, Yb).A[-1] == (expected,) and expected == F(35, 22)
    assert not T.is_critical(th0, XS, Yb)


@SET
@given(nets(), st.data())
def test_zero_type_keeps_function(net, data):
    th, X, _ = net
    w = [data.draw(rat) for _ in range(th.d)]
    th1 = T.add_zero_type(th, w, bias=data.draw(rat))
    g = [data.draw(rat) if th.scalar_output else [data.draw(rat) for _ in range(th.p)] for _ in range(2)]
    last = -g[0] - g[1] if th.scalar_output else [-a - b for a, b in zip(g[0], g[1])]
    th2 = T.add_zero_type(th1, w, g + [last], bias=data.draw(rat), kind="group")
    for x in X:
        assert _f_inline(th2, x) == _f_inline(th1, x) == _f_inline(th, x)


@SET
@given(nets(), st.data())
def test_permutation_equivariance(net, data):
    th, X, Y = net
    assume(not T.kinks(th, X))
    perm = data.draw(st.permutations(range(th.m)))
    thp = T.permute(th, perm)
    assert T.loss(thp, X, Y) == T.loss(th, X, Y)
    g, gp = T.gradient(th, X, Y), T.gradient(thp, X, Y)
    assert gp.W == tuple(g.W[i] for i in perm) and gp.A == tuple(g.A[i] for i in perm)
