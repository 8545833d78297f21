"""deep.prop2.2 and deep.eq2.66 on the obligation kernel (exactmin_kernel/statements/deep_prop2_2.py, deep_eq2_66.py).

Both statements are identities that hold for every invertible network, so the only false verdict a forger can aim
for is a refutation of a true statement, or `proved` for a witness outside the statement's premises.  Each such
forgery is rejected by a named obligation, and removing that obligation (monkeypatch) lets the same forgery
through.  Self-acceptance and agreement with the library on random campaign instances (fresh seed)."""
import copy
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
from exactmin_kernel.statements import deep_eq2_66 as E
from exactmin_kernel.statements import deep_prop2_2 as P
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402

CLAIMS = ("deep.prop2.2", "deep.eq2.66")


def _doc(claim, path, **opts):
    c = base.get(claim).check(load_instance(str(path)), **opts)
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("name,opts", [("deep_q2", {}), ("deep_q3", {"seed": 5}), ("deep_q4", {"seed": 2})])
def test_library_certificates_verify(claim, name, opts):
    c, doc, I = _doc(claim, bundled(name), **opts)
    assert doc["format"] == K.FORMAT
    assert words(K.check(doc, I)) == {r: v["verdict"] for r, v in c.readings.items()}


def test_random_campaign_instances(tmp_path):
    """Fresh seed: every library certificate verifies and states the kernel's words (M != Q: hypotheses-fail)."""
    rnd, seen = random.Random(58316027), set()
    for i in range(14):
        spec = S.generate(rnd)
        path = S.write(spec, tmp_path / f"i{i}", rnd)
        try:
            load_instance(path)
        except InputError:
            continue
        for claim in CLAIMS:
            opts = {"seed": rnd.randrange(100)} | ({"layers": rnd.randint(1, 5)} if claim == "deep.prop2.2" else {})
            c, doc, I = _doc(claim, path, **opts)
            got = words(K.check(doc, I))
            assert got == {r: v["verdict"] for r, v in c.readings.items()} or set(got.values()) == {"hypotheses-fail"}
            seen |= set(got.values())
    assert seen >= {"proved", "hypotheses-fail"}


# --------------------------------------------------------------------------------------------- forgeries

def _deep_q3(claim, **opts):
    return _doc(claim, bundled("deep_q3"), **opts)


def test_prop22_true_statement_cannot_be_refuted():
    c, doc, I = _deep_q3("deep.prop2.2", seed=4)
    doc["readings"]["default"], doc["verdict"] = "refuted", "refuted"
    rejected_by(doc, I, "readings differ")


def test_prop22_any_invertible_network_is_fine_and_singular_one_fails_the_premise(drop):
    """Changing a weight keeps `proved` (Proposition 2.2 holds for every network); a singular hidden W_2 with
    `proved` kept is rejected by the premise det W_2, and without that premise the kernel cannot evaluate (2.45)."""
    c, doc, I = _deep_q3("deep.prop2.2", seed=4, layers=3)
    moved = copy.deepcopy(doc)
    moved["witness"]["network"]["weights"][1][0][0] = "97/13"
    moved["witness"]["network"]["biases"][2][1] = "-5/7"
    if K.check(moved, I):                           # still a valid certificate: the identity holds for it too
        assert words(K.check(moved, I)) == {"default": "proved"}
    sing = copy.deepcopy(doc)
    W = sing["witness"]["network"]["weights"][1]
    W[1] = list(W[0])                               # two equal rows
    rejected_by(sing, I, "det W_2")
    drop(P, "det W_2")
    rejected_by(sing, I, "cannot evaluate")


def test_prop22_network_with_no_hidden_layer_is_not_a_proof(drop):
    c, doc, I = _deep_q3("deep.prop2.2", seed=4, layers=2)
    net = doc["witness"]["network"]
    net["weights"], net["biases"] = net["weights"][-1:], net["biases"][-1:]
    rejected_by(doc, I, "L >= 1")
    drop(P, "L >= 1")
    assert words(K.check(doc, I)) == {"default": "proved"}    # the vacuous "proof" the premise keeps out


def test_eq266_negative_lambda_refutation_is_rejected_by_the_premise(drop):
    """The attacker's refutation of a true identity: lambda = -1 (tau_{-W,-b} != tau_{W,b}), readings filled in as
    `refuted`.  Rejected by the premise lambda > 0; with the premise dropped the same forgery is accepted."""
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    doc["witness"]["lambdas"][2] = "-1"
    doc["readings"]["default"], doc["verdict"] = "refuted", "refuted"
    rejected_by(doc, I, "lambda > 0")
    drop(E, "lambda > 0")
    assert words(K.check(doc, I)) == {"default": "refuted"}


def test_eq266_singular_W_is_hypotheses_fail_not_proved():
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    W = doc["witness"]["W"]
    W[2] = [str(-F(x)) for x in W[0]]
    rejected_by(doc, I, "det W")
    doc["readings"]["default"], doc["verdict"] = "hypotheses-fail", "hypotheses-fail"
    assert words(K.check(doc, I)) == {"default": "hypotheses-fail"}


def test_kernel_detects_a_wrong_identity(monkeypatch):
    """The obligations can fail: with a wrong tau (W^{-1} forgotten: sigma(Wx + b) - b, not homogeneous) the kernel
    derives `refuted`, with a named nonzero difference."""
    from exactmin_kernel.interp import eye
    c, doc, I = _deep_q3("deep.eq2.66", seed=5)
    real = P.affine
    monkeypatch.setattr(E, "tau", lambda W, b, Pt: (E.inv(W), real(eye(len(b)), tuple(-x for x in b),
                                                                    real(W, b, Pt, relu=True))))
    got = K.driver.derive(E, I, doc["witness"])
    assert got["default"][0] == "refuted"
    assert any("differs" in ob.name for ob in E.refutation(I, driver.read_witness(E.SCHEMA, doc["witness"], I), "default"))
