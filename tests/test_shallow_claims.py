"""shallow.* claims: exact values on random rational instances and their invariances (hypothesis), plus the
generator.  The kernel re-checks every certificate produced here."""
import json
import time
from fractions import Fraction

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.exact.linalg import identity
from exactmin.data.generate_shallow import generate_shallow
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance
from exactmin.nets import localmin
from exactmin.nets import shallow as sh
from exactmin.nets.network import Network

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLAIMS = ["shallow.upper-bound", "shallow.thm3.2", "shallow.relative-error", "shallow.thm3.3"]


def _summary(inst):
    out = {}
    for cid in CLAIMS:
        cert = base.get(cid).check(inst)
        out[cid] = ({k: r["verdict"] for k, r in cert.readings.items()}, dict(cert.values))
    return out


def _verified(inst, tmp_path, cid):
    p = tmp_path / "i.json"
    p.write_text(json.dumps(inst.to_json_dict()))
    doc = base.get(cid).check(load_instance(p)).to_json()
    ok, why = kernel.verify(doc, p)
    assert ok, why
    return doc


@st.composite
def instances(draw, square=None):
    Q = draw(st.integers(2, 3))
    M = Q if square else draw(st.integers(Q, Q + 2))
    sizes = [draw(st.integers(2, 3)) for _ in range(Q)]
    # means: a dominant diagonal block (rank Q) plus small rational entries; small rational deviations
    classes = []
    for j in range(Q):
        mean = [Fraction(draw(st.integers(-2, 2)), 2) + (4 if k == j else 0) for k in range(M)]
        pts = [[m + Fraction(draw(st.integers(-3, 3)), draw(st.integers(4, 12))) for m in mean]
               for _ in range(sizes[j])]
        classes.append(pts)
    inst = Instance.from_rationals("rand", classes)
    if sh.shallow_data(inst).gram_det == 0:
        return Instance.from_rationals("rand", [[[4 * (k == j) + Fraction(i, 8) for k in range(M)]
                                                 for i in (-1, 1)] for j in range(Q)])
    return inst


@SETTINGS
@given(instances())
def test_construction_cost_equals_closed_formula(inst):
    sd = sh.shallow_data(inst)
    ub = sh.upper_bound_network(inst, sd)
    cost = sh.network_cost(inst, ub.net)
    assert cost == sh.construction_formula(inst.Y, sd.Delta2)
    assert cost <= inst.Q * sd.delta_P_sq       # Y = I: lambda_bar = 1
    # the network is x -> Y (X_0^red)^+ x on the data: residual Y Delta_1
    assert ub.net.weights[1] == inst.Y * sd.pinv * ub.net.weights[0].inv()


def _permute_classes(inst, perm):
    classes = [[inst.point(j, i) for i in range(inst.sizes[j])] for j in range(inst.Q)]
    return Instance.from_rationals("p", [classes[j] for j in perm])


def _permute_points(inst, seed):
    import random
    rng = random.Random(seed)
    classes = [[inst.point(j, i) for i in range(inst.sizes[j])] for j in range(inst.Q)]
    for c in classes:
        rng.shuffle(c)
    return Instance.from_rationals("p", classes)


def _scaled(inst, s):
    classes = [[[x * s for x in inst.point(j, i)] for i in range(inst.sizes[j])] for j in range(inst.Q)]
    return Instance.from_rationals("s", classes)


INVARIANT = {"shallow.upper-bound": ["construction_cost_squared", "delta_P_squared", "trace_Delta2", "constant_C"],
             "shallow.thm3.2": ["claimed_cost_squared", "ls_zero_bias_cost_squared", "ls_free_bias_cost_squared",
                                "grad_c_norm_squared", "delta_P_squared"],
             "shallow.relative-error": ["claimed_cost_squared", "construction_cost_squared", "ratio_squared",
                                        "delta_P_squared"],
             "shallow.thm3.3": ["agree_points", "train_correct", "null_dim"]}


def _same(a, b):
    for cid in CLAIMS:
        assert a[cid][0] == b[cid][0], cid
        for k in INVARIANT[cid]:
            assert a[cid][1].get(k) == b[cid][1].get(k), (cid, k)


@SETTINGS
@given(instances(square=True), st.permutations([0, 1, 2]), st.integers(0, 99),
       st.sampled_from([fmpq(1, 3), fmpq(5, 2), fmpq(7)]))
def test_permutations_and_rescaling_keep_verdicts_and_values(inst, perm, seed, s):
    """Y = I: relabelling classes, reordering points and x -> s x (s > 0) change no verdict and no value
    (Delta_1 = (X_0^red)^+ Delta X_0 is scale-invariant)."""
    base_ = _summary(inst)
    perm = [p for p in perm if p < inst.Q]
    _same(base_, _summary(_permute_classes(inst, perm)))
    _same(base_, _summary(_permute_points(inst, seed)))
    _same(base_, _summary(_scaled(inst, s)))


@SETTINGS
@given(instances(square=True), st.integers(0, 5), st.sampled_from([fmpq(1, 3), fmpq(4)]))
def test_hidden_permutation_and_positive_rescaling_keep_the_witness_cost(inst, shift, s):
    """Permuting hidden neurons, or scaling neuron k's incoming weights by s > 0 and its outgoing ones by 1/s,
    leaves the Theorem 3.2 network's cost, its pre-activation signs and dF/dc unchanged."""
    sd = sh.shallow_data(inst)
    Q = inst.Q
    A = sh.A_star(inst.Y, sd.Delta2, sd.Xred)
    X = sh.data_matrix(inst)
    mu = sh._shift_above(X)
    W1 = identity(Q)
    b1 = fmpq_mat(Q, 1, [mu] * Q)
    net = Network((W1, A), (b1, -(A * b1)))
    perm = [(k + shift) % Q for k in range(Q)]
    Pm = fmpq_mat(Q, Q)
    for r, c in enumerate(perm):
        Pm[r, c] = 1
    D = identity(Q)
    D[0, 0] = s
    for T in (Pm, D):
        other = Network((T * W1, A * T.inv()), (T * b1, net.biases[1]))
        assert sh.network_cost(inst, other) == sh.network_cost(inst, net) == sh.claimed_value(inst.Y, sd.Delta2)
    zero = fmpq_mat(Q, 1)
    assert localmin.grad_c(X, inst.Y, inst.sizes, A, zero) == localmin.grad_c(X, inst.Y, inst.sizes, A * Pm.inv() * Pm,
                                                                              zero)


@SETTINGS
@given(instances(square=True))
def test_thm32_three_expressions_and_kernel_on_random_instances(inst):
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        doc = _verified(inst, Path(d), "shallow.thm3.2")
        if doc["verdict"] != "hypotheses-fail":
            v = doc["values"]
            assert v["claimed_cost_squared"] == v["ls_zero_bias_cost_squared"] == v["projection_cost_squared"]
            assert Fraction(v["ls_free_bias_cost_squared"]) <= Fraction(v["claimed_cost_squared"])
            assert doc["readings"]["zero-output-bias/local-min"]["verdict"] == "proved"
        doc = _verified(inst, Path(d), "shallow.relative-error")
        assert doc["verdict"] in ("proved", "hypotheses-fail")


def test_iris_is_fast_and_each_claim_verifies(tmp_path):
    path = bundled("iris")
    inst = load_instance(path)
    assert (inst.Q, inst.M, inst.N, inst.sizes) == (3, 4, 150, (50, 50, 50))
    for cid in CLAIMS:
        t0 = time.perf_counter()
        doc = base.get(cid).check(inst).to_json()
        assert time.perf_counter() - t0 < 2.0, cid
        t0 = time.perf_counter()
        ok, why = kernel.verify(doc, path)
        assert ok, why
        assert time.perf_counter() - t0 < 2.0, cid


@pytest.mark.parametrize("Q,M,seed", [(2, 2, 0), (3, 5, 1), (4, 6, 2)])
def test_generator_meets_the_hypotheses_with_the_margin(Q, M, seed):
    inst = generate_shallow(Q, M, 4, seed, margin=Fraction(1, 5))
    assert (inst.Q, inst.M) == (Q, M)
    sd = sh.shallow_data(inst)
    assert sd.gram_det != 0 and 0 < sd.delta_P_sq <= fmpq(1, 25)
    assert generate_shallow(Q, M, 4, seed, margin=Fraction(1, 5)).same_data(inst)
    cert = base.get("shallow.upper-bound").check(inst)
    assert cert.verdict == "proved"
