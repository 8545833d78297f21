"""deep.thm2.3 on the PAPER's network over all of I_0^Q: readings D>2delta-sqrtQ ((2.58), (4.26)),
Xred-mu-GL-on-I0 (remark after (2.62)) and I0-box ((2.58) as printed).

Paper witnesses (docs/claims/deep_statements.md): W-A (Q = 2, two classes merge, cost^2 >= |y_1 - y_2|^2/2 = 5/2),
W-B (I_0 empty: <xbar_2 - xbar_1, f_1> - delta = 16/5 < 2 sqrt 3), W-I = deep_q3 (all three classes merge,
cost^2 >= 2).  Forgeries change the witness, keep the readings consistent, and are rejected; the obligation that
rejects them is named (the first failing one of the refutation or conclusion), and dropping it lets the forgery
through (so it is needed)."""
import json
from fractions import Fraction as F

import pytest

import exactmin_kernel as K
from exactmin.certify import kernel as old
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin_kernel import driver
from exactmin_kernel.statements import BY_CLAIM
from exactmin_kernel.statements import deep_thm2_3 as T

NEW = ("D>2delta-sqrtQ", "Xred-mu-GL-on-I0", "I0-box")
WA = {"classes": [{"points": [["31/10", "0"], ["29/10", "0"]]}, {"points": [["31/10", "4"], ["29/10", "4"]]}],
      "labels": [["2", "1"], ["1", "3"]]}
_D = [("3/5", "0", "4/5"), ("-3/5", "0", "-4/5"), ("0", "1", "0"), ("0", "-1", "0")]
WB = {"classes": [{"points": [[str(F(m) + F(d)) for m, d in zip(mean, dv)] for dv in _D]}
                  for mean in (("0", "0", "1"), ("-10", "21/5", "1"), ("10", "54/5", "1"))],
      "labels": [["2", "1", "0"], ["0", "3", "1"], ["1", "0", "2"]]}
_CACHE = {}


def _lib(name, tmp_path_factory=None):
    """(library certificate, v2 document, kernel Instance, path) on a bundled instance or W-A / W-B."""
    if name not in _CACHE:
        if name in ("W-A", "W-B"):
            p = tmp_path_factory.mktemp("w") / f"{name}.json"
            p.write_text(json.dumps({"format": "exactmin-instance/1", **(WA if name == "W-A" else WB)}))
            path = str(p)
        else:
            path = bundled(name)
        c = base.get("deep.thm2.3").check(load_instance(path))
        _CACHE[name] = (c, json.dumps(to_v2(c)), K.load(path), path)
    c, doc, I, path = _CACHE[name]
    return c, json.loads(doc), I, path


def words(doc, I):
    return {r: v for r, (v, _) in K.check(doc, I)[2].items()}


def claim(doc, **readings):
    """The forger's consistent claim: the given reading words, the overall verdict aggregated."""
    doc["readings"].update(readings)
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())
    return doc


def first_failing(I, doc, part, reading):
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    return driver.run(getattr(T, part)(I, w, reading))


# ------------------------------------------------------------------------------------------ paper witnesses

def test_wa_merges_and_det_changes_sign(tmp_path_factory):
    c, doc, I, path = _lib("W-A", tmp_path_factory)
    assert {r: c.readings[r]["verdict"] for r in NEW} == {"D>2delta-sqrtQ": "proved", "Xred-mu-GL-on-I0": "refuted",
                                                          "I0-box": "refuted"}
    assert c.verdict == "refuted" and words(doc, I) == {r: v["verdict"] for r, v in c.readings.items()}
    assert old.verify(json.loads(json.dumps(c.to_json())), path)[0]
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    bound = list(T.refutation(I, w, "I0-box"))[-1]
    assert bound.name.startswith("cost^2 >=") and bound.e == F(5, 2)         # |y_1 - y_2|^2 / 2 (W-A)
    # the merge point is above d = 4 in t_1 + t_2 (c_1 - c_2 = (d - t_1 - t_2) f_2), the paper's Q = 2 mechanism:
    # t_j^2 = s_j^2 |v_j|^2 with |v_j| = 2
    s = w["merge_s"]
    assert (s[0] + s[1]) * 2 > 4


def test_wb_I0_empty(tmp_path_factory):
    c, doc, I, path = _lib("W-B", tmp_path_factory)
    assert c.readings["D>2delta-sqrtQ"]["verdict"] == "refuted"
    assert {c.readings[r]["verdict"] for r in ("L=Q", "L>Q", "mu-box")} == {"hypotheses-fail"}
    assert words(doc, I)["D>2delta-sqrtQ"] == "refuted" and old.verify(json.loads(json.dumps(c.to_json())), path)[0]
    j, k = (int(x) - 1 for x in doc["witness"]["pair"])
    (dev, v, a, _) = T.geometry(I)
    # W-B's own numbers: delta = 1 and <xbar_2 - xbar_1, f_1> = 21/5 for the pair (1, 2)
    assert max(dev) == 1 and (j, k) == (0, 1)
    av, vv = sum(x * y for x, y in zip(a[0][1], v[0])), sum(x * x for x in v[0])
    assert av * av == F(21, 5) ** 2 * vv and (F(21, 5) - 1) ** 2 < 12


def test_wi_deep_q3_all_three_classes_merge():
    c, doc, I, _ = _lib("deep_q3")
    assert doc["witness"]["merge_set"] == ["1", "1", "1"] and words(doc, I)["I0-box"] == "refuted"
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    assert list(T.refutation(I, w, "I0-box"))[-1].e == 2                      # sum_j |e_j - u/3|^2 (Y = I)


def test_deep_q4_proved_on_a_covering_box_and_the_box_must_cover():
    c, doc, I, _ = _lib("deep_q4")
    assert words(doc, I) == {r: "proved" for r in T.READINGS} == {r: v["verdict"] for r, v in c.readings.items()}
    # forger: a box that does not reach D (b_1 halved): the cover obligation names it
    bad = json.loads(json.dumps(doc))
    lo, hi = map(F, bad["witness"]["box_s"][0])
    bad["witness"]["box_s"][0][1] = str((lo + hi) / 2)
    assert first_failing(I, bad, "conclusion", "I0-box") == (False, "box: b_1|v_1| >= D")
    with pytest.raises(driver.Invalid):
        K.check(bad, I)


# ------------------------------------------------------------------------------------------ forgeries

@pytest.mark.parametrize("claim, reading", [("deep.thm2.3", "I0-box"), ("deep.eq2.68", "paper-network/cumulative"),
                                           ("deep.eq2.61", "paper-network/classifies-data")])
def test_forged_merge_point_outside_I0(drop, claim, reading):
    """mu* moved beyond -D (s scaled up): 'refuted' is rejected by the I_0 certification of mu*, in each claim that
    reads this merge (deep.eq2.68's (2.68) and deep.eq2.61's classification on all of I_0^Q); accepted without it."""
    st, path = BY_CLAIM[claim], bundled("deep_q2")
    doc, I = json.loads(json.dumps(to_v2(base.get(claim).check(load_instance(path))))), K.load(path)
    doc["witness"]["merge_s"] = [str(F(x) * 4) for x in doc["witness"]["merge_s"]]
    r, name = driver.run(st.refutation(I, driver.read_witness(st.SCHEMA, doc["witness"], I), reading))
    assert r is False and name.startswith("mu*: t_1 < D")
    with pytest.raises(driver.Invalid, match="certificate 'refuted', kernel undecided"):
        K.check(doc, I)
    drop(st, "mu*: t_")
    assert words(doc, I)[reading] == "refuted"


def test_forged_merge_point_above_I0():
    _, doc, I, _ = _lib("deep_q2")
    doc["witness"]["merge_s"] = [str(F(x) / 100) for x in doc["witness"]["merge_s"]]
    assert first_failing(I, doc, "refutation", "I0-box") == (False, "mu*: t_1 > 2 delta sqrt Q")
    with pytest.raises(driver.Invalid):
        K.check(doc, I)


def test_forged_merging_set(drop):
    """deep_q3 (W-I): claim classes 1 and 3 merge (skipping 2): c_1 does not pass layer 2, it is sent onto c_2."""
    _, doc, I, _ = _lib("deep_q3")
    doc["witness"]["merge_set"] = ["1", "0", "1"]
    assert first_failing(I, doc, "refutation", "I0-box") == (False, "c_1 passes layer 2")
    with pytest.raises(driver.Invalid):
        K.check(doc, I)
    drop(T, "passes layer")                       # without it the (false) chain 1 -> 3 would be accepted
    assert words(doc, I)["I0-box"] == "refuted"


def test_forged_merge_at_a_point_where_classes_pass():
    """deep_q2: mu* at the lower end of I_0 (small t), where c_1 passes layer 2: no merge."""
    _, doc, I, _ = _lib("deep_q2")
    a = [F(x) for x, _ in doc["witness"]["box_s"]]
    doc["witness"]["merge_s"] = [str(x * (1 + F(1, 100))) for x in a]
    r, name = first_failing(I, doc, "refutation", "I0-box")
    assert r is False and name == "layer 2 sends c_1 onto c_2"


def test_forged_det_sign_change():
    """Both points of the GL refutation with the same det sign (the second repeated)."""
    _, doc, I, _ = _lib("deep_q2")
    doc["witness"]["gl_s"] = [doc["witness"]["gl_s"][1]] * 2
    r, name = first_failing(I, doc, "refutation", "Xred-mu-GL-on-I0")
    assert r is False and name.startswith("det X0red[mu] changes sign")
    with pytest.raises(driver.Invalid, match="Xred-mu-GL-on-I0: certificate 'refuted'"):
        K.check(doc, I)


def test_forged_pair_on_a_nonempty_I0(drop):
    """deep_q2 has I_0 non-empty; a forger removes the mu in I_0 and claims D <= 2 delta sqrt Q with a pair."""
    _, doc, I, _ = _lib("deep_q2")
    del doc["witness"]["mu_I0"]
    doc["witness"]["pair"] = ["1", "2"]
    claim(doc, **{"D>2delta-sqrtQ": "refuted", "Xred-mu-GL-on-I0": "refuted", "I0-box": "refuted"})
    assert first_failing(I, doc, "refutation", "D>2delta-sqrtQ") == (False, "<xbar_2 - xbar_1, f_1> - delta <= 2 delta sqrt Q")
    with pytest.raises(driver.Invalid, match="D>2delta-sqrtQ: certificate 'refuted', kernel undecided"):
        K.check(doc, I)
    drop(T, "<xbar_")
    assert words(doc, I)["D>2delta-sqrtQ"] == "refuted"


def test_forged_proof_with_a_box_that_misses_the_merge(drop):
    """deep_q2: claim I0-box proved on a box that stops below D (b_j shrunk to the lower end + a little): the pass
    conditions and the det sign then hold on the box, and only the cover obligation rejects it."""
    _, doc, I, _ = _lib("deep_q2")
    doc["witness"]["box_s"] = [[a, str(F(a) * (1 + F(1, 100)))] for a, _ in doc["witness"]["box_s"]]
    claim(doc, **{"Xred-mu-GL-on-I0": "proved", "I0-box": "proved"})
    assert first_failing(I, doc, "conclusion", "I0-box") == (False, "box: b_1|v_1| >= D")
    with pytest.raises(driver.Invalid):
        K.check(doc, I)
    drop(T, "|v_1| >= D")
    drop(T, "|v_2| >= D")
    assert words(doc, I)["I0-box"] == "proved"


def test_library_witness_agrees_with_the_library_rederivation():
    """The mutation gate's independent re-check (exactmin.nets.paper_box.rederive, flint) derives the kernel's
    words on the genuine certificates."""
    from exactmin.claims.deep import hypotheses
    from exactmin.nets import construct_deep as cd
    from exactmin.nets import paper_box as pb
    from flint import fmpq
    for name in ("deep_q2", "deep_q3", "deep_q4"):
        _, doc, I, path = _lib(name)
        inst = load_instance(path)
        g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
        kappa = cd.kappa_of_lambda(fmpq(*map(int, F(doc["witness"]["lambda"]).as_integer_ratio())), inst.Q)
        conv = (lambda x: fmpq(*map(int, F(x).as_integer_ratio())) if isinstance(x, str) else [conv(y) for y in x])
        w = {k: conv(doc["witness"][k]) if k in doc["witness"] else None
             for k in ("mu_I0", "pair", "box_s", "gl_s", "merge_s", "merge_set")}
        theta = cd.decide_all_positive(cd.theta_star_margin_terms(g, kappa))[0] is True
        assert pb.rederive(g, kappa, theta, w) == {r: doc["readings"][r] for r in NEW}


# ------------------------------------------------------------------------------------------ collapse-only (4.65)

def test_collapse_only_holds_where_2_59_fails():
    """deep_q2 at mu = -11/10 (docs (4.65) row: true even where (4.59) fails): L=Q is refuted, collapse-only proved."""
    c = base.get("deep.thm2.3").check(load_instance(bundled("deep_q2")), mu="-11/10")
    doc, I = json.loads(json.dumps(to_v2(c))), K.load(bundled("deep_q2"))
    got = words(doc, I)
    assert got["L=Q"] == "refuted" and got["collapse-only"] == "proved"


@pytest.mark.parametrize("reading", ["collapse-only", "L>Q/arbitrary"])
def test_forged_collapse_only_with_a_network_that_is_not_the_construction(drop, reading):
    """The L=Q network replaced by an identity-regime one (W = I, b = 100 u: nothing collapses, every point has its
    own image) and 'proved' kept: rejected because the network is not the construction at mu (the sufficient data
    conditions are about the construction); without that obligation the false 'proved' would pass.  (4.66) for
    arbitrary extra layers rests on the same (4.65), so L>Q/arbitrary falls with it."""
    from exactmin_kernel.interp import eye, forward_all
    _, doc, I, _ = _lib("deep_q2")
    one, zero = ["1", "0"], ["0", "0"]
    doc["witness"]["networks"]["L=Q"] = {"weights": [[one, one[::-1]]] * 2 + [[zero, zero]],
                                         "biases": [["100", "100"], ["0", "0"], ["0", "0"]]}
    with pytest.raises(driver.Invalid, match="certificate 'proved', kernel undecided"):
        K.check(doc, I)
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    assert driver.run(T.conclusion(I, w, reading)) == (False, "W^(1), b^(1) as (4.56)-(4.58)")
    Wn, bn = w["networks"]["L=Q"]
    assert len(set(forward_all(Wn[:-1] + (eye(2),), bn[:-1] + ((F(0),) * 2,), I.P[0])[0])) > 1     # two images
    drop(T, "as (4.56)-(4.58)")
    assert driver.reading(T, I, w, reading)[0] == "proved"


def test_collapse_only_refuted_needs_two_images(drop):
    """deep_q2 at mu = -11/10 with the genuine network: (4.65) holds, so 'refuted' is rejected; the refutation's
    last obligation is the exact two-images test."""
    c = base.get("deep.thm2.3").check(load_instance(bundled("deep_q2")), mu="-11/10")
    doc, I = claim(json.loads(json.dumps(to_v2(c))), **{"collapse-only": "refuted"}), K.load(bundled("deep_q2"))
    with pytest.raises(driver.Invalid, match="collapse-only: certificate 'refuted', kernel proved"):
        K.check(doc, I)
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    assert list(T.refutation(I, w, "collapse-only"))[-1].name.startswith("(4.65) violated")
    assert driver.run(T.refutation(I, w, "collapse-only")) == (False, "(4.65) violated: a class has two images after layer L")


# ------------------------------------------------------------------------------------------ L>Q/arbitrary (4.66)

def test_arbitrary_extra_layers_follow_collapse_only_on_fresh_instances(tmp_path):
    """(4.66) for EVERY admissible choice of layers Q+1..L rests on (4.65) at layer Q: on fresh campaign instances
    the reading is proved exactly where collapse-only is, hypotheses-fail where it is, undecided otherwise (never
    refuted), and the kernel accepts each word."""
    import random
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from campaign import strategies as St
    rnd, decided = random.Random(71213404), 0
    for i in range(24):
        path = St.write(St.generate(rnd, rnd.choice(("generated", "near-inside", "near-outside", "wide", None))),
                        tmp_path / f"i{i}", rnd)
        try:
            inst = load_instance(str(path))
        except Exception:  # noqa: BLE001 - an instance the loader rejects is skipped
            continue
        c = base.get("deep.thm2.3").check(inst)
        lib = {r: v["verdict"] for r, v in c.readings.items()}
        co, arb = lib["collapse-only"], lib["L>Q/arbitrary"]
        assert arb == (co if co in ("proved", "hypotheses-fail") else "undecided"), (path, lib)
        decided += arb == "proved"
        doc = json.loads(json.dumps(to_v2(c)))
        assert words(doc, K.load(str(path)))["L>Q/arbitrary"] == arb
    assert decided >= 1


def test_forged_refutation_of_arbitrary_extra_layers():
    """'refuted' is never accepted for (4.66): no admissible choice of extra layers refutes it here."""
    _, doc, I, _ = _lib("deep_q2")
    doc = claim(doc, **{"L>Q/arbitrary": "refuted"})
    with pytest.raises(driver.Invalid, match="L>Q/arbitrary: certificate 'refuted', kernel proved"):
        K.check(doc, I)
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    assert driver.run(T.refutation(I, w, "L>Q/arbitrary"))[0] is False


def test_arbitrary_extra_layers_share_the_mu_premise():
    """mu outside I_0 (mu = -1/1000 > -2 delta sqrt Q on deep_q4): hypotheses-fail, as collapse-only; the kernel's
    premise for this reading is the same mu in I_0 (a forged 'proved' is rejected)."""
    c = base.get("deep.thm2.3").check(load_instance(bundled("deep_q4")), mu="-1/1000")
    assert c.readings["L>Q/arbitrary"]["verdict"] == "hypotheses-fail"
    doc, I = json.loads(json.dumps(to_v2(c))), K.load(bundled("deep_q4"))
    assert words(doc, I)["L>Q/arbitrary"] == "hypotheses-fail"
    with pytest.raises(driver.Invalid, match="L>Q/arbitrary: certificate 'proved'"):
        K.check(claim(doc, **{"L>Q/arbitrary": "proved"}), I)
