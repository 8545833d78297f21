"""Plan P5/P6 of docs/claims/deep_statements.md: deep.thm2.4 (free-output-bias/corrected-local-min, GL-output,
mu-range-as-printed) and deep.thm2.5 (not-global/zero-bias, not-global/free-bias).

* W-A (appendix of deep_statements.md) as a regression instance with its documented exact numbers;
* random instances (tests/campaign/strategies.py, Q = 2..6, unequal class sizes, seed 61803398): the obligation
  kernel accepts every library certificate (format 2) with the library's words, the values agree with the independent reference (tests/campaign/reference.py),
  and the general facts behind the new readings hold (free-bias optimum singular, triangle angle >= 60 degrees);
* forgeries (a fake flat direction, a zero direction, an invertible "free optimum", flipped s bits with the readings
  kept) rejected by a named obligation; dropping that obligation lets the forgery through.
"""
from __future__ import annotations

import copy
import json
import random
from fractions import Fraction as F

import pytest
from campaign import reference as ref
from campaign import strategies as S

import exactmin_kernel as K
from exactmin.certify.routing import verify_document
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.generate import generate_deep
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance, write_instance
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_thm2_4 as T
from _forgery import rejected_by

SEED = 61803398
WA = ([[[F(31, 10), 0], [F(29, 10), 0]], [[F(31, 10), 4], [F(29, 10), 4]]], [[2, 1], [1, 3]])


def _write(tmp_path, name, classes, labels):
    p = tmp_path / f"{name}.json"
    write_instance(Instance.from_rationals(name, classes, labels), p)
    return str(p)


def _both(claim, path):
    """(library certificate, its library json (values), its format-2 certificate)."""
    c = base.get(claim).check(load_instance(path))
    v1 = json.loads(json.dumps(c.to_json()))
    v2 = json.loads(json.dumps(to_v2(c)))
    return c, v1, v2


def _words(c):
    return {r: v["verdict"] for r, v in c.readings.items()}


# ------------------------------------------------------------------------------------------ W-A regression

@pytest.fixture(scope="module")
def wa(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("wa"), "w1_q2_merge", *WA)


def test_wa_thm24_documented_numbers(wa):
    """W-A: (2.71) = 5/451, free-bias minimum 0 with a rank-one (singular) optimum: GL-output refuted, the corrected
    free-bias local minimum proved (value 0), the printed range proved (Q = 2 <= 4)."""
    c, v1, v2 = _both("deep.thm2.4", wa)
    v = v1["values"]
    assert F(v["claimed_cost_squared"]) == F(v["ls_zero_bias_cost_squared"]) == F(5, 451)
    assert F(v["ls_free_bias_cost_squared"]) == 0
    assert F(v["det_W_out_free"]) == 0 and F(v["rank_W_out_free"]) == 1 and F(v["det_W_out_zero"]) != 0
    w = _words(c)
    assert (w["GL-output"], w["free-output-bias/corrected-local-min"], w["mu-range-as-printed"]) == \
        ("refuted", "proved", "proved")
    got = K.check(v2, K.load(wa))[2]
    assert {r: x for r, (x, _) in got.items()} == w


def test_wa_thm25_not_global_free_bias_refuted(wa):
    """W-A: the free-bias value is 0 for all three s != 00 (not-global/free-bias refuted; those configurations are
    global minima, so local-min-free-bias is proved); the zero-bias values are 5/901 (s = 10, mu-free) and 5/451
    (s = 11, Thm 2.4), all > 0."""
    c, v1, v2 = _both("deep.thm2.5", wa)
    v = v1["values"]
    assert all(F(v[f"cost_squared_free_bias[s={s}]"]) == 0 for s in ("01", "10", "11"))
    assert F(v["cost_squared_zero_bias[s=10]"]) == F(v["cost_squared_zero_bias_mu2[s=10]"]) == F(5, 901)
    assert F(v["cost_squared_zero_bias[s=11]"]) == F(5, 451)
    assert F(v["formula_original_means[s=01]"]) == F(5, 901)
    w = _words(c)
    assert (w["not-global/zero-bias"], w["not-global/free-bias"], w["local-min-free-bias"]) == \
        ("proved", "refuted", "proved")
    assert {r: x for r, (x, _) in K.check(v2, K.load(wa))[2].items()} == w


def test_wa_thm25_flipped_s_bits_rejected(wa):
    """The forger swaps the configurations s = 01 and s = 10 (the old, inverted convention) in the witness, keeping
    every reading: the output layers are no longer the least-squares layers on the (2.84) image of their s (the
    statement's own order, the paper's convention (2.83)), the kernel derives undecided and rejects naming the
    normal equations of s = 01."""
    _, _, v2 = _both("deep.thm2.5", wa)
    bad = copy.deepcopy(v2)
    cf = bad["witness"]["configurations"]
    cf[0], cf[1] = cf[1], cf[0]
    ok, why = verify_document(bad, wa)
    assert not ok and "s=01: zero: normal equations" in why, why


def test_wa_thm25_not_global_claimed_proved_rejected(wa):
    _, _, v2 = _both("deep.thm2.5", wa)
    bad = copy.deepcopy(v2)
    bad["readings"]["not-global/free-bias"] = "proved"
    ok, why = verify_document(bad, wa)
    assert not ok and "not-global/free-bias" in why


# ------------------------------------------------------------------------------------------ thm2.4 forgeries

def test_thm24_fake_flat_direction(wa, drop):
    """flat = the free network with b_L + u but no compensation in b_(L+1): the output moves."""
    _, _, doc = _both("deep.thm2.4", wa)
    I = K.load(wa)
    flat = doc["witness"]["networks"]["flat"]
    flat["biases"][-1] = doc["witness"]["networks"]["free"]["biases"][-1]
    rejected_by(doc, I, "flat: the free network's output at every data point")
    drop(T, "flat: the free network's output")
    K.check(doc, I)


def test_thm24_zero_flat_direction(wa, drop):
    """flat = the free network itself: no direction."""
    _, _, doc = _both("deep.thm2.4", wa)
    I = K.load(wa)
    doc["witness"]["networks"]["flat"] = copy.deepcopy(doc["witness"]["networks"]["free"])
    rejected_by(doc, I, "flat: a nonzero bias direction")
    drop(T, "flat: a nonzero bias direction")
    K.check(doc, I)


def test_thm24_flat_direction_leaving_the_pattern(wa, drop):
    """b_L - 10^6 u (compensated): the same outputs only if no unit dies; here every unit dies."""
    _, _, doc = _both("deep.thm2.4", wa)
    I = K.load(wa)
    fr = doc["witness"]["networks"]["free"]
    flat = copy.deepcopy(fr)
    W = [[F(x) for x in r] for r in fr["weights"][-1]]
    flat["biases"][-2] = [str(F(x) - 10**6) for x in fr["biases"][-2]]
    flat["biases"][-1] = [str(F(x) + 10**6 * sum(r)) for x, r in zip(fr["biases"][-1], W)]
    doc["witness"]["networks"]["flat"] = flat
    rejected_by(doc, I, "flat: every hidden pre-activation > 0")


def test_thm24_invertible_free_optimum_forged(wa, drop):
    """The free output weight perturbed to an invertible one and GL-output claimed proved: its normal equations fail."""
    _, _, doc = _both("deep.thm2.4", wa)
    I = K.load(wa)
    fr = doc["witness"]["networks"]["free"]
    fr["weights"][-1][0][0] = str(F(fr["weights"][-1][0][0]) + 1)
    doc["witness"]["networks"].pop("flat")
    doc["readings"]["GL-output"] = "proved"
    doc["readings"]["free-output-bias/corrected-local-min"] = "undecided"
    rejected_by(doc, I, "(A_f | c_f) Gz = Rz")
    drop(T, "(A_f | c_f) Gz = Rz")
    assert driver.derive(T, I, doc["witness"])["GL-output"][0] == "proved"


def test_thm24_gl_output_needs_a_unique_optimum(wa):
    """Refuting GL-output needs the optimum to be unique (Gram matrix positive definite, else another optimum could be
    invertible): the refutation set names that obligation next to det W_(L+1) = 0."""
    _, _, doc = _both("deep.thm2.4", wa)
    I = K.load(wa)
    notes = dict(driver.derive(T, I, doc["witness"]))
    assert notes["GL-output"][0] == "refuted"
    obs = [ob.name for ob in T.refutation(I, driver.read_witness(T.SCHEMA, doc["witness"], I), "GL-output")]
    assert "free: unique optimum (Gram matrix positive definite)" in obs and "free: det W_(L+1) = 0" in obs


def test_thm24_printed_range_claimed_refuted_rejected(wa):
    _, _, doc = _both("deep.thm2.4", wa)
    doc["readings"]["mu-range-as-printed"] = "refuted"
    rejected_by(doc, K.load(wa), "mu-range-as-printed: certificate 'refuted', kernel proved")


# ------------------------------------------------------------------------------------------ random instances

def _random_instances(tmp_path, qs):
    rnd = random.Random(SEED)
    out = []
    for Q in qs:
        sizes = rnd.sample(range(2, 2 + 2 * Q), Q)                       # unequal sizes
        classes = S._from_instance(generate_deep(Q, sizes, rnd.randrange(2**31), margin=rnd.choice([F(1, 2), F(1, 10)])))
        spec = S.apply_transform(S.Spec(classes), "rotation", rnd)
        labels = S._labels(rnd, Q, "invertible")
        out.append((_write(tmp_path, f"r{Q}", spec.classes, labels), spec.classes, labels))
    return out


def _check_thm24(path, classes, labels):
    c, v1, v2 = _both("deep.thm2.4", path)
    got = K.check(v2, K.load(path))[2]
    assert {r: x for r, (x, _) in got.items()} == _words(c)
    w, v = _words(c), v1["values"]
    assert w["mu-range-as-printed"] == "proved"                     # the triangle argument covers every Q
    if w["2.70"] == "proved":
        d = ref.Data(classes, labels)
        assert F(v["ls_free_bias_cost_squared"]) == d.ls_on_data(True)
        assert F(v["ls_zero_bias_cost_squared"]) == d.ls_on_data(False)
        # the free-bias optimum is Cov(y, x) Cov(x)^-1 (W^(L))^-1, Cov(y, x) of rank <= Q - 1: always singular
        assert F(v["det_W_out_free"]) == 0 and w["GL-output"] == "refuted"
        assert w["free-output-bias/corrected-local-min"] == "proved"


@pytest.mark.parametrize("qs", [(2, 3, 4)])
def test_random_thm24_kernels_accept(tmp_path, qs):
    for path, classes, labels in _random_instances(tmp_path, qs):
        _check_thm24(path, classes, labels)


def test_random_thm24_q5_q6(tmp_path):
    for path, classes, labels in _random_instances(tmp_path, (5, 6)):
        _check_thm24(path, classes, labels)


@pytest.mark.parametrize("qs", [(2, 3), pytest.param((4,), marks=pytest.mark.slow), pytest.param((5,), marks=pytest.mark.slow)])
def test_random_thm25_kernel_accepts(tmp_path, qs):
    for path, classes, labels in _random_instances(tmp_path, qs):
        c, v1, v2 = _both("deep.thm2.5", path)
        w, v = _words(c), v1["values"]
        assert {r: x for r, (x, _) in K.check(v2, K.load(path))[2].items()} == w
        assert w["2.84"] == "proved", c.readings["2.84"]
        if w["2.84"] == "proved":
            free = [F(x) for k, x in v.items() if k.startswith("cost_squared_free_bias[")]
            zero = [F(x) for k, x in v.items() if k.startswith("cost_squared_zero_bias[")]
            assert w["not-global/free-bias"] == ("refuted" if 0 in free else "proved")
            assert w["not-global/zero-bias"] == ("refuted" if 0 in zero else "proved")


def test_thm24_rejects_the_same_forgeries_as_format1(wa):
    """The forgeries the former format-1 checker rejected, now on format 2 (the obligation kernel)."""
    _, _, v2 = _both("deep.thm2.4", wa)
    nets = v2["witness"]["networks"]
    fake = copy.deepcopy(v2)
    fake["witness"]["networks"]["flat"]["biases"][-1] = nets["free"]["biases"][-1]     # output not compensated
    ok, why = verify_document(fake, wa)
    assert not ok and "corrected-local-min" in why, why
    for reading, word in (("GL-output", "proved"), ("mu-range-as-printed", "refuted")):
        bad = copy.deepcopy(v2)
        bad["readings"][reading] = word
        ok, why = verify_document(bad, wa)
        assert not ok and reading in why, why
    extra = copy.deepcopy(v2)
    extra["witness"]["networks"]["printed"] = nets["zero"]
    assert not verify_document(extra, wa)[0]
