"""deep.eq2.68 and deep.eq2.61 on the PAPER's network over all of I_0^Q (readings paper-network/*; statements
exactmin_kernel/statements/deep_eq2_68.py, deep_eq2_61.py): the library's words agree with the kernel and with
deep.thm2.3's I0-box and Xred-mu-GL-on-I0 (the same apex and determinant conditions) on fresh campaign instances;
forgeries that change the witness and keep the words consistent are rejected by a named obligation, and dropping
that obligation lets them through."""
import json
import random
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.claims.deep import hypotheses
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.nets import construct_deep as cd
from exactmin.nets import paper_box as pb
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_eq2_61 as T61
from exactmin_kernel.statements import deep_eq2_68 as T
from _forgery import words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as St  # noqa: E402

PAPER = tuple(r for r in T.READINGS if r.startswith("paper-network/"))
SEED = 71213011


def _lib(path, claim="deep.eq2.68"):
    c = base.get(claim).check(load_instance(str(path)))
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


def _claim(doc, **readings):
    doc["readings"].update(readings)
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())
    return doc


def _first_failing(I, doc, part, reading):
    return driver.run(getattr(T, part)(I, driver.read_witness(T.SCHEMA, doc["witness"], I), reading))


def _rederived(path, doc):
    """paper_box.rederive_eq268 on the document's witness (the library's own arithmetic)."""
    inst = load_instance(str(path))
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    lam = cd.fmpq(*map(int, (doc["witness"]["lambda"] + "/1").split("/")[:2]))
    kappa = cd.kappa_of_lambda(lam, inst.Q)
    theta = cd.decide_all_positive(cd.theta_star_margin_terms(g, kappa))[0] is True
    conv = (lambda x: cd.fmpq(*map(int, (x + "/1").split("/")[:2])) if isinstance(x, str) else [conv(y) for y in x])  # noqa: E731
    return pb.rederive_eq268(g, kappa, theta, lam, {k: conv(doc["witness"][k]) if k in doc["witness"] else None
                                                     for k in ("mu_I0", "box_s", "merge_s", "merge_set")})


def test_paper_words_agree_with_the_kernel_and_with_thm23_on_fresh_instances(tmp_path):
    rnd, seen, decided = random.Random(SEED), 0, 0
    for i in range(40):
        path = St.write(St.generate(rnd, rnd.choice(("generated", "near-inside", "near-outside", "wide", None))),
                        tmp_path / f"i{i}", rnd)
        try:
            c, doc, I = _lib(path)
        except Exception:  # noqa: BLE001 - an instance the loader rejects is skipped
            continue
        lib = {r: v["verdict"] for r, v in c.readings.items()}
        assert words(K.check(doc, I)) == lib                     # the kernel re-derives every word
        if lib[PAPER[0]] == "hypotheses-fail":
            continue
        seen += 1
        assert _rederived(path, doc) == {r: lib[r] for r in PAPER}
        t23 = {r: v["verdict"] for r, v in base.get("deep.thm2.3").check(load_instance(str(path))).readings.items()}
        assert (lib[PAPER[0]] == "proved") == (t23["D>2delta-sqrtQ"] == "proved")
        # (2.68) for L > Q under (4.66)'s freedom: refuted (W-H) exactly where the L = Q conditions hold (Q >= 2)
        assert lib["L>Q/arbitrary"] == {"proved": "refuted", "hypotheses-fail": "hypotheses-fail"}.get(
            lib["cumulative"], "undecided")
        c61, doc61, _ = _lib(path, "deep.eq2.61")
        lib61 = {r: v["verdict"] for r, v in c61.readings.items()}
        assert words(K.check(doc61, I)) == lib61
        assert (lib61["paper-network/metric"], lib61["paper-network/classifies-data"]) == \
            (t23["Xred-mu-GL-on-I0"], t23["I0-box"])
        assert lib["paper-network/identity-before"] == lib[PAPER[0]]
        if t23["I0-box"] == "proved":                            # same apex conditions on a covering box
            assert lib["paper-network/apex-fixed-after"] == lib["paper-network/cumulative"] == "proved"
        if t23["I0-box"] == "refuted":                           # the same merge, its apexes distinct
            assert lib["paper-network/cumulative"] == lib["paper-network/apex-fixed-after"] == "refuted"
        if lib["paper-network/cumulative"] == "proved":
            assert lib["paper-network/apex-fixed-after"] == "proved" and t23["I0-box"] != "refuted"
        decided += lib["paper-network/cumulative"] != "undecided"
    assert seen >= 10 and decided >= 5


@pytest.fixture(scope="module")
def q4():
    return _lib(bundled("deep_q4"))


@pytest.fixture(scope="module")
def q2():
    return _lib(bundled("deep_q2"))


def test_bundled_paper_words(q4, q2):
    """deep_q4: proved on a covering box; deep_q2: classes 1 and 2 merge at a point of I_0^Q (deep.thm2.3 I0-box)."""
    assert {r: words(K.check(q4[1], q4[2]))[r] for r in PAPER} == {r: "proved" for r in PAPER}
    got = words(K.check(q2[1], q2[2]))
    assert got["paper-network/cumulative"] == got["paper-network/apex-fixed-after"] == "refuted"
    assert got[PAPER[0]] == got[PAPER[1]] == "proved"


def test_forged_box_that_does_not_reach_D(q4, drop):
    doc, I = json.loads(json.dumps(q4[1])), q4[2]
    lo, hi = map(F, doc["witness"]["box_s"][0])
    doc["witness"]["box_s"][0][1] = str((lo + hi) / 2)
    assert _first_failing(I, doc, "conclusion", "paper-network/cumulative") == (False, "box: b_1|v_1| >= D")
    with pytest.raises(driver.Invalid, match="paper-network/apex-fixed-after: certificate 'proved'"):
        K.check(doc, I)
    drop(T, "|v_1| >= D")
    assert words(K.check(doc, I))["paper-network/cumulative"] == "proved"


def test_forged_proof_without_a_mu_in_I0(q4, drop):
    doc, I = json.loads(json.dumps(q4[1])), q4[2]
    del doc["witness"]["mu_I0"]
    assert _first_failing(I, doc, "conclusion", PAPER[0]) == (False, "mu_I0 given")
    with pytest.raises(driver.Invalid, match="certificate 'proved'"):
        K.check(doc, I)


def test_forged_proof_on_a_box_that_misses_the_merge(q2, drop):
    """deep_q2: apexes claimed to pass on a box stopping just above its lower end (where they do pass): only the
    cover obligation rejects it."""
    doc, I = json.loads(json.dumps(q2[1])), q2[2]
    a = [F(x) for x in doc["witness"]["merge_s"]]
    doc["witness"]["box_s"] = [[str(x / 4), str(x / 4 * (1 + F(1, 100)))] for x in a]
    for k in ("merge_s", "merge_set"):
        del doc["witness"][k]
    _claim(doc, **{"paper-network/apex-fixed-after": "proved", "paper-network/cumulative": "proved"})
    r, name = _first_failing(I, doc, "conclusion", "paper-network/cumulative")
    assert r is False and name.startswith("box: ")
    with pytest.raises(driver.Invalid):
        K.check(doc, I)


def test_forged_merge_where_the_apexes_pass(q2):
    """mu* near the lower end of I_0 (small t), where c_1 passes layer 2: no merge there."""
    doc, I = json.loads(json.dumps(q2[1])), q2[2]
    t23 = json.loads(json.dumps(to_v2(base.get("deep.thm2.3").check(load_instance(bundled("deep_q2"))))))
    doc["witness"]["merge_s"] = [str(F(x) * (1 + F(1, 100))) for x, _ in t23["witness"]["box_s"]]
    assert _first_failing(I, doc, "refutation", "paper-network/apex-fixed-after") == (False, "layer 2 sends c_1 onto c_2")
    with pytest.raises(driver.Invalid):
        K.check(doc, I)


def test_forged_refutation_of_a_lemma_reading(q2):
    """collapse-at-layer and identity-before hold for every mu in I_0^Q: a 'refuted' has nothing to discharge."""
    doc, I = json.loads(json.dumps(q2[1])), q2[2]
    _claim(doc, **{PAPER[0]: "refuted"})
    assert _first_failing(I, doc, "refutation", PAPER[0]) == (False, "no refutation")
    with pytest.raises(driver.Invalid, match="certificate 'refuted', kernel proved"):
        K.check(doc, I)


def test_merge_onto_the_same_apex_is_no_refutation(q2, monkeypatch):
    """c_j = c_l would leave tau^(L) = {c_j} possible: the refutation needs c_j != c_l (named), shown by making the
    kernel's apexes of the merging pair coincide."""
    doc, I = json.loads(json.dumps(q2[1])), q2[2]
    real = T.P.apexes
    monkeypatch.setattr(T.P, "apexes", lambda I_, s: (lambda c: [c[0], c[0]] + c[2:])(real(I_, s)))
    r, name = driver.run(T.paper_refutation(I, driver.read_witness(T.SCHEMA, doc["witness"], I), "cumulative"))
    assert r is False and name == "c_1 != c_2"


def test_eq261_paper_words_and_forgeries(drop):
    """deep_q4: metric and classification proved on a covering box; a box that stops below D is rejected by the
    cover.  deep_q2: classification refuted by the merge."""
    c, doc, I = _lib(bundled("deep_q4"), "deep.eq2.61")
    assert words(K.check(doc, I))["paper-network/classifies-data"] == "proved"
    bad = json.loads(json.dumps(doc))
    lo, hi = map(F, bad["witness"]["box_s"][1])
    bad["witness"]["box_s"][1][1] = str((lo + hi) / 2)
    r, name = driver.run(T61.conclusion(I, driver.read_witness(T61.SCHEMA, bad["witness"], I), "paper-network/metric"))
    assert (r, name) == (False, "box: b_2|v_2| >= D")
    with pytest.raises(driver.Invalid, match="paper-network/metric: certificate 'proved'"):
        K.check(bad, I)
    drop(T61, "|v_2| >= D")
    assert words(K.check(bad, I))["paper-network/metric"] == "proved"
    c, doc, I = _lib(bundled("deep_q2"), "deep.eq2.61")
    assert words(K.check(doc, I))["paper-network/classifies-data"] == "refuted"
    # a merge point moved out of I_0: tests/test_thm23_paper.py (test_forged_merge_point_outside_I0), for every claim


@pytest.mark.parametrize("how, name", [("fixed", "the extra layer moves c_"), ("collapse", "(4.66): det")])
def test_forged_extra_layer(q4, drop, how, name):
    """L>Q/arbitrary refuted with an extra layer that does not move the witness's c_j (b = -(c_j - 1), so
    max(c_j, -b) = c_j), or that sends every apex to one point (b = -(max_k c_k + 1): det 0, not admissible by
    (4.66)): rejected by the named obligation, accepted once it is dropped."""
    doc, I = json.loads(json.dumps(q4[1])), q4[2]
    assert words(K.check(doc, I))["L>Q/arbitrary"] == "refuted"
    c = T.construction(I, driver.read_witness(T.SCHEMA, doc["witness"], I))[2]
    j, top = int(doc["witness"]["extra_layer"]["class"]) - 1, [max(col) for col in zip(*c)]
    doc["witness"]["extra_layer"]["b"] = [str(-(x - 1)) for x in c[j]] if how == "fixed" else [str(-(x + 1)) for x in top]
    r, got = _first_failing(I, doc, "refutation", "L>Q/arbitrary")
    assert r is False and got.startswith(name)
    with pytest.raises(driver.Invalid, match="L>Q/arbitrary: certificate 'refuted', kernel undecided"):
        K.check(doc, I)
    drop(T, name)
    assert words(K.check(doc, I))["L>Q/arbitrary"] == "refuted"
