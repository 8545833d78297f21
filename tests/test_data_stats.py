"""exactmin.data.stats: exact cluster statistics, checked by hand and against a naive Fraction implementation."""

from fractions import Fraction as F

import flint
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.data.bundled import bundled
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance
from exactmin.data.stats import (c0_sq, class_max_deviations_sq, cone_margins, deep_hypotheses, delta_sq,
                                 deviation_sq_numerators, deviations_sq, dist_sq_to_barycenter,
                                 zero_deviation_classes)


def q(a, b=1):
    return flint.fmpq(a, b)


def tiny():
    # class 0: (0,0), (2,0)       mean (1,0), deviations (∓1, 0), |Δ|² = 1
    # class 1: (0,7/2), (0,9/2)   mean (0,4), deviations (0, ∓1/2), |Δ|² = 1/4
    return Instance.from_rationals("tiny", [[[0, 0], [2, 0]], [[0, "3.5"], [0, "9/2"]]])


def test_tiny_by_hand():
    inst = tiny()
    assert inst.means == flint.fmpq_mat([[1, 0], [0, 4]])
    # x̄ = mean of the class means = (1/2, 2)
    assert inst.barycenter == [q(1, 2), q(2)]
    assert deviations_sq(inst) == [q(1), q(1, 4)]
    assert delta_sq(inst) == (q(1), (0, 0))
    # D_j² = |x̄_{0,j} − x̄|²: (1/2)² + 2² = 17/4 for both classes
    assert dist_sq_to_barycenter(inst) == [q(17, 4), q(17, 4)]
    assert c0_sq(inst) == q(4, 17)  # ≥ 1/16: (2.14) fails
    # s(0→1) = ⟨(0,4)−(1,0), (1/2,2)−(1,0)⟩ = ⟨(−1,4), (−1/2,2)⟩ = 1/2 + 8 = 17/2; margin = 289/4 − 16·1·17/4 = 17/4
    cm = cone_margins(inst)
    assert [(r.j, r.jp, r.s, r.margin, r.holds) for r in cm] == [
        (0, 1, q(17, 2), q(17, 4), True), (1, 0, q(17, 2), q(17, 4), True)]
    h = deep_hypotheses(inst)
    assert h.failures() == ["2.14"]
    assert h.det_means == 4 and h.det_Y == 1
    assert zero_deviation_classes(inst) == []


def test_tiny_holds_when_deviations_shrink():
    # same means, deviations scaled by 1/10: δ² = 1/100, c0_sq = 4/1700 = 1/425 < 1/16
    inst = Instance.from_rationals("t", [[["0.9", 0], ["1.1", 0]], [[0, "3.95"], [0, "4.05"]]])
    assert delta_sq(inst) == (q(1, 100), (0, 0))
    assert c0_sq(inst) == q(1, 425)
    assert all(r.holds for r in cone_margins(inst))
    assert deep_hypotheses(inst).all_hold


def test_zero_deviation_and_argmax():
    inst = Instance.from_rationals("z", [[[1, 1], [1, 1]], [[0, 0], [0, 2], [0, 1]], [[5, 5]]])
    assert zero_deviation_classes(inst) == [0, 2]
    assert class_max_deviations_sq(inst)[1] == (q(1), 0)  # first arg-max
    assert deep_hypotheses(inst).failures() == ["M=Q", "X0red-invertible", "2.12", "2.14", "2.51"]


def test_mean_at_barycenter_gives_none():
    inst = Instance.from_rationals("c", [[[0], [2]]])  # Q = 1: the only mean is x̄
    assert c0_sq(inst) is None
    assert not deep_hypotheses(inst).holds_2_14


def test_deviation_numerators_exact_big():
    big = 10**30
    inst = Instance.from_rationals("b", [[[big, "1/3"], [-big, "2/3"], [big + 1, 0]], [[0, 0], [1, 1]]])
    assert inst.X0_num.dtype == object
    a, d = deviation_sq_numerators(inst, 0)
    pts = [[F(big), F(1, 3)], [F(-big), F(2, 3)], [F(big + 1), F(0)]]
    m = [sum(p[k] for p in pts) / 3 for k in range(2)]
    for i, p in enumerate(pts):
        assert F(int(a[i]), d) == sum((p[k] - m[k]) ** 2 for k in range(2))


def naive(classes):
    Q = len(classes)
    M = len(classes[0][0])
    means = [[sum(p[k] for p in c) / len(c) for k in range(M)] for c in classes]
    xb = [sum(m[k] for m in means) / Q for k in range(M)]
    devs = [max(sum((p[k] - means[j][k]) ** 2 for k in range(M)) for p in c) for j, c in enumerate(classes)]
    d2 = max(devs)
    D2 = [sum((means[j][k] - xb[k]) ** 2 for k in range(M)) for j in range(Q)]
    cone = []
    for j in range(Q):
        for jp in range(Q):
            if jp != j:
                s = sum((means[jp][k] - means[j][k]) * (xb[k] - means[j][k]) for k in range(M))
                cone.append((s, s * s - 16 * d2 * D2[j]))
    return devs, D2, cone


def f2q(x):
    return flint.fmpq(x.numerator, x.denominator)


coord = st.fractions(min_value=-1000, max_value=1000, max_denominator=50) | \
    st.integers(-2**70, 2**70).map(F)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3).flatmap(lambda M: st.lists(
    st.lists(st.lists(coord, min_size=M, max_size=M), min_size=1, max_size=4), min_size=2, max_size=4)))
def test_against_naive_fractions(classes):
    inst = Instance.from_rationals("r", classes)
    devs, D2, cone = naive(classes)
    assert deviations_sq(inst) == [f2q(v) for v in devs]
    assert dist_sq_to_barycenter(inst) == [f2q(v) for v in D2]
    assert [(r.s, r.margin) for r in cone_margins(inst)] == [(f2q(s), f2q(m)) for s, m in cone]


def test_bundled_hypotheses():
    expect = {"deep_q2": [], "deep_q3": [], "deep_q4": [], "deep_q2_violates_2_14": ["2.14"],
              "deep_q3_one_point_class": ["2.12"]}
    for name, fails in expect.items():
        inst = load_instance(bundled(name))
        h = deep_hypotheses(inst)
        assert h.failures() == fails, name
        if not fails:
            # clear margins: c0 < 1/8 (c0_sq < 1/64) and cone with factor 2 to spare (s² ≥ 4·16δ²D_j²)
            assert h.c0_sq < q(1, 64)
            assert all(r.s * r.s >= 4 * 16 * h.delta_sq * h.dist_sq[r.j] for r in h.cone)


def test_large_instance_vectorised():
    rng = np.random.default_rng(1)
    num = rng.integers(-10**6, 10**6, size=(3, 30000))
    inst = Instance("big", num, 1000, (10000, 10000, 10000))
    d2, (j, i) = delta_sq(inst)
    col = inst.class_num(j)[:, i].astype(object)
    s = inst.class_sums()[j]
    n = inst.sizes[j]
    assert d2 == flint.fmpq(sum((n * int(col[k]) - s[k]) ** 2 for k in range(3)), (n * 1000) ** 2)
