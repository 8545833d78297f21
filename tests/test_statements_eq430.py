"""deep.eq4.30 on the obligation kernel (exactmin_kernel/statements/deep_eq4_30.py): (4.27)-(4.31).

Self-acceptance on bundled and random campaign instances (fresh seed); the refutation of the sentence after (4.31)
checked independently of the kernel; forgeries rejected by named obligations, each accepted once that obligation
is dropped."""
import json
import random
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.errors import InputError
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_eq4_30 as E
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402


def _doc(path, **opts):
    c = base.get("deep.eq4.30").check(load_instance(str(path)), **opts)
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"])
def test_library_certificates_verify(name):
    c, doc, I = _doc(bundled(name))
    assert words(K.check(doc, I)) == {r: v["verdict"] for r, v in c.readings.items()} or \
        set(words(K.check(doc, I)).values()) == {"hypotheses-fail"}


def test_random_campaign_instances(tmp_path):
    rnd, seen = random.Random(73920418), set()
    for i in range(16):
        spec = S.generate(rnd)
        path = S.write(spec, tmp_path / f"i{i}", rnd)
        try:
            load_instance(path)
        except InputError:
            continue
        c, doc, I = _doc(path)
        got = words(K.check(doc, I))
        assert got == {r: v["verdict"] for r, v in c.readings.items()} or set(got.values()) == {"hypotheses-fail"}
        seen |= set(got.values())
    assert {"refuted", "hypotheses-fail"} <= seen


@pytest.mark.parametrize("Q,lam", [(2, F(3, 4)), (3, F(20535, 65536)), (5, F(1, 7)), (4, F(1))])
def test_into_interior_witness_by_hand(Q, lam):
    """Independently of the kernel: x = W_*^{-1}(u - e_1) = (u - e_1)/lambda + (1 - 1/lambda)(Q-1)/Q u lies ON the
    boundary of C_theta*[u] (x^T A_* x = 0, <u, x> > 0) and W_* x = u - e_1 has the zero coordinate x_1."""
    t = lam * lam * (Q - 1)
    kappa = t / (1 + t)
    y = [F(0)] + [F(1)] * (Q - 1)
    x = [yi / lam + (1 - 1 / lam) * F(Q - 1, Q) for yi in y]
    ux = sum(x)
    assert ux > 0 and ux * ux - Q * kappa * sum(v * v for v in x) == 0            # on the boundary of C_theta*
    Wx = [lam * xi + (1 - lam) * ux / Q for xi in x]
    assert Wx == y and Wx[0] == 0


def test_into_interior_cannot_be_claimed_proved(drop):
    c, doc, I = _doc(bundled("deep_q3"), **{"lambda": "1"})
    doc["readings"]["into-interior"] = "proved"
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())     # filled in consistently
    rejected_by(doc, I, "readings differ")
    drop(E, "theta_* < theta_Q")                   # without it, W_* = I alone would "prove" the false sentence
    assert words(K.check(doc, I))["into-interior"] == "proved"


def test_aperture_needs_theta_star_beyond_every_theta_j(drop):
    """The forger keeps `aperture: proved` with lambda = 1 (theta_* = theta_Q, too narrow for deep_q3's cones)."""
    c, doc, I = _doc(bundled("deep_q3"))
    doc["witness"]["lambda"] = "1"
    rejected_by(doc, I, "theta*")
    drop(E, "theta*")
    assert words(K.check(doc, I))["aperture"] == "proved"


def test_lambda_outside_the_range_is_hypotheses_fail(drop):
    c, doc, I = _doc(bundled("deep_q2"))
    doc["witness"]["lambda"] = "0"
    rejected_by(doc, I, "lambda > 0")
    drop(E, "lambda > 0")
    with pytest.raises(driver.Invalid):         # lambda = 0: W_* singular, the kernel cannot even evaluate it
        K.check(doc, I)
