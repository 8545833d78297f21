"""Issue 18: the constant-pattern fast paths (exactmin/nets/pattern.py) give byte-identical certificates.

The reference path (``pattern.ENABLED = False``: every point through every layer exactly, object arrays) stays
callable; for deep.thm2.4 and the shallow claims both paths must produce the same JSON certificate (readings,
values, witness, ...) on bundled-style generated instances and on random campaign instances (seed 61830427).
"""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from exactmin.claims import base
from exactmin.data.generate import generate_deep
from exactmin.exact.intmat import IntMat
from exactmin.nets import pattern
from exactmin.nets.cost import cost_squared
from exactmin.nets.localmin import min_abs_preactivation
from exactmin.nets.network import Network
from tests.campaign import runner as R
from tests.campaign import strategies as S

CLAIMS = ("deep.thm2.4", "deep.eq2.61", "shallow.thm3.2", "shallow.upper-bound", "shallow.relative-error", "shallow.thm3.3")
SEED = 61830427
QUICK = settings(deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _both(monkeypatch, cid, inst):
    fast = json.loads(json.dumps(base.get(cid).check(inst).to_json()))
    with monkeypatch.context() as m:
        m.setattr(pattern, "ENABLED", False)
        slow = json.loads(json.dumps(base.get(cid).check(inst).to_json()))
    return fast, slow


@pytest.mark.parametrize("cid", CLAIMS)
def test_fast_and_reference_agree_on_generated(monkeypatch, cid):
    inst = generate_deep(3, 40, seed=5, denominator=2**20)
    fast, slow = _both(monkeypatch, cid, inst)
    assert fast == slow
    assert any(r["verdict"] in ("proved", "refuted") for r in fast["readings"].values())


@pytest.mark.parametrize("k", range(6))
def test_fast_and_reference_agree_on_campaign_instances(monkeypatch, tmp_path, k):
    rnd = random.Random(SEED + k)
    kind = ("generated", "generated-shallow", "wide", "q2-asymmetric", "shallow-raw", "random")[k]
    spec = S.generate(rnd, kind)
    _, inst, problems = R.materialize(spec, str(tmp_path), "x")
    assert not problems
    for cid in CLAIMS:
        fast, slow = _both(monkeypatch, cid, inst)
        assert fast == slow, (cid, spec.describe())


@given(seed=st.integers(0, 2**40), scale=st.sampled_from([1, 3, 2**70]))
@settings(QUICK, max_examples=25)
def test_constant_pattern_matches_exact_forward_pass(seed, scale):
    """Property: whenever constant_pattern answers, its output map, min |pre-activation| and cost equal the
    exact per-point forward pass; when it answers None some hidden unit really takes both signs."""
    rnd = random.Random(seed)
    q, n, out = rnd.randint(1, 4), rnd.randint(1, 30), rnd.randint(1, 3)
    L = rnd.randint(1, 3)
    num = np.array([[rnd.randint(-50, 50) * scale for _ in range(n)] for _ in range(q)],
                   dtype=object if scale > 2**40 else np.int64)
    X = IntMat(num, rnd.choice([1, 7, 2**20]))
    Ws, bs = [], []
    width = q
    for ell in range(L + 1):
        m = out if ell == L else rnd.randint(1, 4)
        Ws.append(fmpq_mat(m, width, [fmpq(rnd.randint(-5, 5), rnd.randint(1, 4)) for _ in range(m * width)]))
        shift = rnd.choice([0, 60, -60]) * scale
        bs.append(fmpq_mat(m, 1, [fmpq(rnd.randint(-9, 9) + shift, rnd.randint(1, 3)) for _ in range(m)]))
        width = m
    net = Network(tuple(Ws), tuple(bs))
    sizes = [n]
    Y = fmpq_mat(out, 1, [fmpq(rnd.randint(-3, 3), 2) for _ in range(out)])
    p = pattern.constant_pattern(net, X)
    pres, H = [], X
    from exactmin.exact.intmat import affine
    for W, b in zip(Ws[:-1], bs[:-1]):
        Z = affine(W, b, H)
        pres.append(Z)
        H = Z.relu()
    if p is None:
        assert any(((Z.num.astype(object) > 0).any() and (Z.num.astype(object) < 0).any()) for Z in pres)
        return
    assert p.min_abs() == min(min_abs_preactivation(Z) for Z in pres)
    ref = net.forward(X)
    got = affine(p.A_out, p.c_out, X)
    assert (ref.num.astype(object) * got.den == got.num.astype(object) * ref.den).all()
    assert pattern.network_cost(net, X, Y, sizes) == cost_squared(ref, Y, sizes)


def test_class_stats_blocks_are_exact_near_the_int64_limit():
    """Numerators of 2^30: int64 blocks of one column (2^60 per product) summed as Python ints."""
    big = 2**30 + 1
    num = np.array([[big, -big, big, 3], [big, big, -7, big]], dtype=np.int64)
    st_ = pattern.class_stats(IntMat(num, 5), [4])
    o = num.astype(object)
    assert st_.sums[0] == [int(v) for v in o.sum(axis=1)]
    assert (st_.grams[0] == o @ o.T).all()


@given(seed=st.integers(0, 2**40), kind=st.sampled_from(["generated-shallow", "shallow-raw", "wide", "duplicate",
                                                         "coincident", "random"]))
@settings(QUICK, max_examples=20)
def test_filtered_delta_P_equals_the_exact_reference(seed, kind, tmp_path_factory):
    """Property: the float-filtered δ_P² and its first arg-max equal the exact per-point reference (duplicates and
    coincident points give ties; magnitudes up to 10^±300 come from the campaign's number styles)."""
    from exactmin.nets import shallow as sh
    spec = S.generate(random.Random(seed), kind)
    _, inst, problems = R.materialize(spec, str(tmp_path_factory.mktemp("d")), "x")
    if inst is None or problems:
        return
    gd = (inst.means.transpose() * inst.means).det()
    if gd == 0:
        return
    P = sh.pinv_full_column_rank(inst.means)
    got = sh._delta_P_filtered(inst, P)
    if got is not None:
        assert got == sh.delta_P_squared_exact(inst, P)


def test_thm33_counts_misclassified_points_like_the_reference(monkeypatch, tmp_path):
    """Overlapping classes: some training points are nearer another class mean; the filtered count (signs of the
    affine differences of squared distances) equals the per-point reference and is < N."""
    from exactmin.data.io import load_instance
    pts0 = [[1, 0], [2, 1], [9, 7], [3, 0], [1, 2]]
    pts1 = [[0, 5], [1, 6], [2, 2], [0, 7], [-1, 4], [8, 9]]
    path = tmp_path / "overlap.json"
    path.write_text(json.dumps({"format": "exactmin-instance/1", "name": "overlap",
                                "classes": [{"points": pts0}, {"points": pts1}]}))
    inst = load_instance(str(path))
    fast, slow = _both(monkeypatch, "shallow.thm3.3", inst)
    assert fast == slow
    assert int(fast["values"]["train_correct"]) < inst.N
    assert fast["values"]["agree_points"] == str(inst.N) or int(fast["values"]["agree_points"]) == inst.N


@pytest.mark.parametrize("cid", ["deep.thm2.4", "shallow.thm3.2", "shallow.upper-bound", "shallow.relative-error",
                                 "shallow.thm3.3"])
def test_no_per_point_exact_evaluation_on_the_fast_path(monkeypatch, cid):
    """Guard (issue 18): on data where the patterns are constant, no per-point exact path runs (forward passes,
    τ layer by layer, exact products with the data, per-point δ_P)."""
    from exactmin.claims import deep_minima as cdm
    from exactmin.claims import shallow as csh
    from exactmin.data.generate_shallow import generate_shallow
    from exactmin.nets import deep_minima as ndm
    from exactmin.nets import network
    from exactmin.nets import shallow as nsh

    def boom(*a, **k):
        raise AssertionError("per-point exact path used")

    inst = (generate_deep(4, 300, seed=11, denominator=2**20) if cid.startswith("deep.")
            else generate_shallow(3, 5 if cid in ("shallow.upper-bound", "shallow.thm3.3") else 3, 300, seed=11))
    for obj, name in ((network.Network, "forward"), (network.Network, "forward_hidden"), (cdm, "tau_cumulative"),
                      (ndm, "preactivations"), (nsh, "delta_P_squared_exact"), (nsh, "affine"), (csh, "affine"),
                      (csh, "_compare_argmins")):
        monkeypatch.setattr(obj, name, boom)
    cert = base.get(cid).check(inst)
    assert all(r["verdict"] in ("proved", "refuted") for r in cert.readings.values())


@pytest.mark.parametrize("k", [-310, 300])
def test_fast_and_reference_agree_at_extreme_magnitudes(monkeypatch, k):
    """Data times 10^-310 / 10^300 (Python-int numerators, exponent-aware filters): same certificates."""
    from tests.test_extreme_magnitudes import scaled
    from exactmin.data.generate_shallow import generate_shallow
    for inst in (scaled(generate_deep(3, 12, seed=2, denominator=2**20), k),
                 scaled(generate_shallow(2, 3, 10, seed=4), k)):
        for cid in CLAIMS:
            fast, slow = _both(monkeypatch, cid, inst)
            assert fast == slow, cid


@given(seed=st.integers(0, 2**40), bits=st.sampled_from([31, 32, 62, 75, 140, 3600]))
@settings(QUICK, max_examples=25)
def test_limb_statistics_equal_python_integers(seed, bits):
    """Property: the 21-bit-limb Gram and sums (numerators past the int64 bound) equal Python-int arithmetic."""
    rnd = random.Random(seed)
    m, n = rnd.randint(1, 4), rnd.randint(1, 40)
    num = np.array([[rnd.randint(-2**bits, 2**bits) * rnd.choice([0, 1, 1]) for _ in range(n)] for _ in range(m)],
                   dtype=object)
    s, G = pattern._int_sum_gram(num)
    assert s == [int(v) for v in num.sum(axis=1)]
    assert (G == num @ num.T).all()
