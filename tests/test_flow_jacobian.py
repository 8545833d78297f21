"""Exact Jacobian of the flow networks: directional derivatives, neuron permutations, pattern radius."""
import random
from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.nets import jacobian as J

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"


def _setup(name="flow_n3", seed=11, widths=(4,)):
    inst = load_instance(bundled(name))
    data = J.flow_data(inst)
    dims = [data.M, *widths, data.Q]
    th = J.flatten(J.random_net(random.Random(seed), dims))
    return data, dims, th


def _outputs(th, dims, data):
    return [v for o in J.evaluate(J.unflatten(th, dims), data, with_jacobian=False).outputs for v in o]


def test_o1_values_of_the_notes():
    inst = load_instance(bundled("flow_o1"))
    data = J.flow_data(inst)
    ev = J.evaluate(J.unflatten(J.parse_theta(O1, 7), [1, 2, 1]), data)
    assert ev.outputs == [[fmpq(37, 60)], [fmpq(19, 20)]]
    assert J.cost(ev, data, fmpq(1, 2)) == fmpq(7109, 7200)
    assert J.jacobian_rank(ev) == 2


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=13, max_size=13), st.integers(1, 64))
def test_directional_derivative_matches_the_exact_polynomial(direction, den):
    """Inside the region x(θ + t v) is a polynomial in t; its derivative at 0, computed exactly from values
    at several small rational t (exact interpolation), equals D v."""
    data, dims, th = _setup()
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    rad = J.pattern_radius(net, ev)
    v = [fmpq(d, den) for d in direction]
    nv = max(sum(abs(x) for x in v), fmpq(1))
    h = rad.radius / nv / 4          # |t v| <= rad for |t| <= 4h: same pattern, polynomial of degree <= L+1 = 2
    ts = [-h, 0 * h, h, 2 * h]
    vals = [_outputs([a + t * b for a, b in zip(th, v)], dims, data) for t in ts]
    # Lagrange derivative at t = 0 of the cubic interpolant (exact for polynomials of degree <= 3)
    for i in range(len(vals[0])):
        deriv = fmpq(0)
        for j, tj in enumerate(ts):
            others = [tk for k, tk in enumerate(ts) if k != j]
            denom = fmpq(1)
            for tk in others:
                denom *= tj - tk
            # d/dt prod_{k != j} (t - t_k) at t = 0
            num = fmpq(0)
            for m in range(len(others)):
                p = fmpq(1)
                for k2, tk in enumerate(others):
                    if k2 != m:
                        p *= -tk
                num += p
            deriv += vals[j][i] * num / denom
        Dv = sum((ev.D[i, k] * v[k] for k in range(len(v))), fmpq(0))
        assert deriv == Dv


def test_permuting_hidden_neurons_permutes_columns_and_keeps_rank():
    data, dims, th = _setup()
    net = J.unflatten(th, dims)
    m0, m1, Q = dims
    perm = [2, 0, 3, 1]
    # parameter index map: W1 rows, b1, W2 columns
    idx = []
    for r in perm:
        idx += [r * m0 + c for c in range(m0)]
    idx += [m1 * m0 + r for r in perm]
    off = m1 * m0 + m1
    idx += [off + q * m1 + r for q in range(Q) for r in perm]
    idx += [off + Q * m1 + q for q in range(Q)]
    th2 = [th[i] for i in idx]
    ev1, ev2 = J.evaluate(net, data), J.evaluate(J.unflatten(th2, dims), data)
    assert ev1.outputs == ev2.outputs
    for k, i in enumerate(idx):
        for r in range(ev1.D.nrows()):
            assert ev2.D[r, k] == ev1.D[r, i]
    assert J.jacobian_rank(ev1) == J.jacobian_rank(ev2)


def test_pattern_radius_is_respected_and_rescaling_is_in_the_kernel():
    data, dims, th = _setup()
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    rad = J.pattern_radius(net, ev)
    assert rad is not None and rad.radius > 0
    rng = random.Random(3)
    for _ in range(20):
        v = [fmpq(rng.randint(-100, 100), 100) for _ in th]
        n2 = sum((x * x for x in v), fmpq(0))
        # scale v to length <= radius (by squares: |v| * s <= r with s = r / (1 + n2))
        s = rad.radius / (1 + n2)
        ev2 = J.evaluate(J.unflatten([a + s * b for a, b in zip(th, v)], dims), data, with_jacobian=False)
        assert ev2.pattern == ev.pattern
    assert J.jacobian_rank(ev) <= J.structural_rank_bound(dims)


def test_kappa_and_widths_options():
    assert J.parse_kappa("1/N", 4) == fmpq(1, 4) and J.parse_kappa("3/2", 4) == fmpq(3, 2)
    from exactmin.errors import InputError
    with pytest.raises(InputError):
        J.parse_kappa("-1", 3)
    with pytest.raises(InputError):
        J.parse_theta("1,2", 7)
    assert Fraction(1, 2) == Fraction(str(J.parse_kappa("1/N", 2)))
