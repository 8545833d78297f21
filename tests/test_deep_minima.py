"""deep.thm2.4 / deep.thm2.5: values three ways, metamorphic invariance, kernel acceptance and rejection (both claims
are on the obligation kernel, format 2: certificates carry verdict words and witness data, no values)."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from _certs import set_at
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin.certify.routing import verify_document
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.claims.common import data_matrix
from exactmin.data.bundled import bundled
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance, write_instance
from exactmin.errors import ExactminError
from exactmin.nets import deep_minima as dm
from exactmin.nets.cost import last_layer_lsq

FAST = settings(max_examples=40, deadline=None, derandomize=True)


@st.composite
def clustered(draw):
    """Random rational data with M = Q (no hypotheses needed for the value identities)."""
    Q = draw(st.integers(2, 3))
    classes = []
    for _ in range(Q):
        n = draw(st.integers(1, 4))
        classes.append([[Fraction(draw(st.integers(-20, 20)), draw(st.integers(1, 6))) for _ in range(Q)]
                        for _ in range(n)])
    labels = [[Fraction(draw(st.integers(-3, 3)), draw(st.integers(1, 3))) for _ in range(Q)] for _ in range(Q)]
    return Instance.from_rationals("h", classes, labels)


@FAST
@given(clustered())
def test_formula_equals_least_squares_equals_projection(inst):
    """(2.71) closed form = zero-bias least squares = weighted projection, whenever the inverses exist."""
    X = data_matrix(inst)
    Xred = dm.class_means(X, inst.sizes)
    try:
        f = dm.formula_value(inst.Y, Xred, dm.weighted_scatter(X, inst.sizes))
        p = dm.projection_value(X, inst.Y, inst.sizes, free_bias=False)
    except ExactminError:
        return  # singular X_0^red or Gram matrix: the identities are not defined
    ls = last_layer_lsq(X, inst.Y, inst.sizes, free_bias=False)
    assert f == ls.value == p
    assert last_layer_lsq(X, inst.Y, inst.sizes, free_bias=True).value <= ls.value


def _cert(claim_id, name):
    inst = load_instance(bundled(name))
    return json.loads(json.dumps(to_v2(base.get(claim_id).check(inst)))), bundled(name)


def _values(claim_id, name):
    return base.get(claim_id).check(load_instance(bundled(name))).values


@pytest.mark.parametrize("claim_id", ["deep.thm2.4", "deep.thm2.5"])
def test_genuine_certificates_pass_the_kernel(claim_id):
    doc, path = _cert(claim_id, "deep_q2")
    ok, why = verify_document(doc, path)
    assert ok, why


@pytest.mark.parametrize("claim_id", ["deep.thm2.4", "deep.thm2.5"])
def test_every_changed_verdict_is_rejected(claim_id):
    doc, path = _cert(claim_id, "deep_q2")
    for r in doc["readings"]:
        flipped = "proved" if doc["readings"][r] != "proved" else "refuted"
        assert not verify_document(set_at(doc, ["readings", r], flipped), path)[0], r


def test_descent_witness_must_lower_the_cost_and_keep_the_weights():
    doc, path = _cert("deep.thm2.4", "deep_q2")
    nets = doc["witness"]["networks"]
    assert "descent" in nets
    # replacing the descent witness by the base network: no decrease
    assert not verify_document(set_at(doc, ["witness", "networks", "descent"], nets["zero"]), path)[0]
    # changing one output weight of the descent witness: not a bias segment
    w = nets["descent"]["weights"][-1][0][0]
    assert not verify_document(set_at(doc, ["witness", "networks", "descent", "weights", -1, 0, 0],
                                  str(Fraction(w) + Fraction(1, 1000))), path)[0]
    # dropping the witness while the bias gradient is nonzero
    c = copy.deepcopy(doc)
    del c["witness"]["networks"]["descent"]
    assert not verify_document(c, path)[0]


def test_thm24_verdicts_and_value_invariant_under_class_permutation(tmp_path):
    """Permuting classes (and the columns of Y with them) leaves every verdict and the (2.71) value unchanged."""
    inst = load_instance(bundled("deep_q3"))
    perm = [2, 0, 1]
    classes = [[inst.point(j, i) for i in range(inst.sizes[j])] for j in perm]
    Y = [[inst.Y[r, j] for j in perm] for r in range(inst.Y.nrows())]
    p = tmp_path / "perm.json"
    write_instance(Instance.from_rationals("perm", classes, Y), p)
    a = base.get("deep.thm2.4").check(inst).to_json()
    cb = base.get("deep.thm2.4").check(load_instance(p))
    b = cb.to_json()
    assert {k: v["verdict"] for k, v in a["readings"].items()} == {k: v["verdict"] for k, v in b["readings"].items()}
    for k in ("claimed_cost_squared", "ls_zero_bias_cost_squared", "ls_free_bias_cost_squared"):
        assert a["values"][k] == b["values"][k]
    assert verify_document(json.loads(json.dumps(to_v2(cb))), p)[0]


def test_thm25_value_moves_with_mu_exactly():
    """The refutation of mu-independence rests on two exact least-squares values that differ."""
    v = {k: str(x) for k, x in _values("deep.thm2.5", "deep_q2").items()}
    moved = [k for k in v if k.startswith("cost_squared_zero_bias[")
             and v[k] != v[k.replace("cost_squared_zero_bias[", "cost_squared_zero_bias_mu2[")]]
    assert moved and all("s=11" not in k for k in moved)  # s = 1...1 (2.83) has no collapsed cluster: no mu dependence
