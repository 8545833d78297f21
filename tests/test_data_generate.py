"""exactmin.data.generate: generated instances satisfy (or violate exactly as asked) the deep hypotheses."""

from fractions import Fraction

import flint
import numpy as np
import pytest

from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance_text
from exactmin.data.stats import deep_hypotheses
from exactmin.errors import InputError


def _grid_ok(inst, denominator):
    return denominator % inst.X0_den == 0


@pytest.mark.parametrize("Q", [2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hypotheses_hold_with_margin(Q, seed):
    margin = Fraction(1, 2)
    inst = generate_deep(Q, 4, seed, margin=margin)
    h = deep_hypotheses(inst)
    assert h.failures() == []
    assert inst.M == inst.Q == Q and inst.N == 4 * Q > Q
    m2 = flint.fmpq(1, 4)
    assert h.c0_sq <= m2 / 16 and h.c0_sq < flint.fmpq(1, 16)
    for r in h.cone:
        assert r.s > 0 and r.margin > 0
        assert m2 * r.s * r.s >= 16 * h.delta_sq * h.dist_sq[r.j]
    assert h.det_means != 0
    assert _grid_ok(inst, 2**10)
    # class means are exactly the intended grid points: deviations sum to zero (exact re-centring)
    for j in range(Q):
        assert all(s % (inst.sizes[j]) == 0 for s in inst.class_sums()[j])


@pytest.mark.parametrize("Q", [2, 3, 4, 5])
@pytest.mark.parametrize("seed", [0, 7])
def test_violations_exact(Q, seed):
    a = deep_hypotheses(generate_deep(Q, 4, seed, violate="2.12"))
    assert a.failures() == ["2.12"] and a.zero_deviation == [0]
    b_inst = generate_deep(Q, 4, seed, violate="2.14")
    b = deep_hypotheses(b_inst)
    assert b.failures() == ["2.14"]
    assert b.c0_sq == flint.fmpq(Q, 16 * (Q - 1))  # documented value
    c = deep_hypotheses(generate_deep(Q, 4, seed, violate="2.51"))
    if Q >= 3:
        assert c.failures() == ["2.51"]
        assert c.c0_sq <= flint.fmpq(1, 64)  # (2.14) still holds with the default margin 1/2
        assert any(r.s < 0 for r in c.cone)  # obtuse configuration
    else:
        assert c.failures() == ["2.14", "2.51"]  # Q = 2: (2.14) implies (2.51)


def test_deterministic_and_seed_dependent():
    a = generate_deep(3, 5, 42)
    b = generate_deep(3, 5, 42)
    c = generate_deep(3, 5, 43)
    assert a.sha256 == b.sha256 and a.name == b.name
    assert a.sha256 != c.sha256


def test_options():
    inst = generate_deep(4, [2, 3, 4, 5], 3, margin=Fraction(1, 10), denominator=10)
    assert inst.sizes == (2, 3, 4, 5) and _grid_ok(inst, 10)
    h = deep_hypotheses(inst)
    assert h.failures() == [] and h.c0_sq <= flint.fmpq(1, 1600)
    coarse = generate_deep(2, 2, 0, denominator=1)  # integer grid: the means are scaled up
    assert coarse.X0_den == 1 and deep_hypotheses(coarse).all_hold
    one = generate_deep(3, [1, 3, 3], 0, violate="2.12")
    assert one.sizes[0] == 1 and deep_hypotheses(one).failures() == ["2.12"]
    big = generate_deep(8, 2, 0)
    assert deep_hypotheses(big).all_hold


def test_generated_roundtrip_through_json():
    inst = generate_deep(3, 4, 5)
    back = load_instance_text(__import__("json").dumps(inst.to_json_dict()), "json")
    assert back.sha256 == inst.sha256 and np.array_equal(back.X0_num, inst.X0_num)


@pytest.mark.parametrize("kwargs", [dict(Q=1, per_class=3), dict(Q=3, per_class=1), dict(Q=2, per_class=[2]),
                                    dict(Q=2, per_class=3, margin=0), dict(Q=2, per_class=3, margin=2),
                                    dict(Q=2, per_class=3, violate="2.99"), dict(Q=2, per_class=3, denominator=0)])
def test_bad_arguments(kwargs):
    with pytest.raises(InputError):
        generate_deep(seed=0, **kwargs)
