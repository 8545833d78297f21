"""deep.eq4.11 on the obligation kernel (exactmin_kernel/statements/deep_eq4_11.py): (4.11) p.12, (5.4) p.20 and
(4.55) p.17 of arXiv:2309.10639v4, Delta x_{0,j,i} in B_delta(0) with B_delta(0) open and delta = max |Delta x|.

Library and kernel agree on the bundled and on random campaign instances (fresh seed, with Q = 1 and a
zero-deviation class); the witness is re-checked in plain Fractions from the points (independently of both); a
forged `proved` for open-ball and a forged refuting witness are rejected by named obligations, each accepted once
that obligation is dropped; the mutation gate's rule tells a true moved witness from a false one."""
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
from exactmin.claims.deep import _hyp_fail_reason, hypotheses
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.errors import InputError
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_eq4_11 as E11
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402

CLAIM = "deep.eq4.11"
SEED = 1796588019845398348          # fresh (date +%s%N)
EXPECT = {"open-ball": "refuted", "closed-ball": "proved", "sup<delta": "refuted"}


def _doc(path):
    c = base.get(CLAIM).check(load_instance(str(path)))
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


def _devs(I):
    """{(j, i) 1-based: |Delta x_0,j,i|^2} in plain Fractions, from the points and their class means."""
    out = {}
    for j, pts in enumerate(I.classes):
        m = [sum(col, F(0)) / len(pts) for col in zip(*pts)]
        for i, x in enumerate(pts):
            out[(j + 1, i + 1)] = sum((F(a) - b) ** 2 for a, b in zip(x, m))
    return out


def _by_hand(c, doc, I):
    """The witness is a data point whose squared deviation is the max over all points = delta^2 (plain Fractions)."""
    devs, w = _devs(I), doc["witness"]
    d2 = max(devs.values())
    ji = (int(w["j"]), int(w["i"]))
    assert devs[ji] == d2 == F(c.values["delta_squared"]) == F(c.values["deviation_squared"])
    assert all(v <= d2 for v in devs.values())


def _by_hand_455(got, I):
    """(4.55) at l = 2..Q for every order of the classes, from the per-class largest deviations in plain Fractions:
    'sup-all/equal' holds iff every class reaches delta, 'sup-from-l/less' iff none does (never)."""
    devs = _devs(I)
    top = [max(v for (j, _), v in devs.items() if j == k + 1) for k in range(len(I.classes))]
    d2 = max(top)
    assert got["sup-all/equal"] == ("proved" if all(t == d2 for t in top) else "refuted")
    assert got["sup-from-l/less"] == "refuted"


def _refill(doc):
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"])
def test_bundled(name):
    c, doc, I = _doc(bundled(name))
    got = words(K.check(doc, I))
    assert got == {r: v["verdict"] for r, v in c.readings.items()}
    if name == "deep_q2_violates_2_14":
        assert set(got.values()) == {"hypotheses-fail"} and doc["witness"] == {}
    else:
        assert {k: got[k] for k in EXPECT} == EXPECT and doc["verdict"] == "refuted"
        _by_hand(c, doc, I)
        _by_hand_455(got, I)


def test_deep_q2_witness_by_hand():
    """deep_statements.md (4.11): on deep_q2, delta^2 = 1/80 is attained by Delta x_0,1,1 = (1/10, 1/20)."""
    c, doc, I = _doc(bundled("deep_q2"))
    m = [sum(col, F(0)) / len(I.classes[0]) for col in zip(*I.classes[0])]
    dx = [F(a) - b for a, b in zip(I.classes[0][0], m)]
    assert ((doc["witness"]["j"], doc["witness"]["i"]), dx, sum(x * x for x in dx)) == (("1", "1"), [F(1, 10), F(1, 20)],
                                                                                      F(1, 80))


def test_random_campaign_instances(tmp_path):
    rnd, seen, n, held = random.Random(SEED), set(), 0, 0
    paths = S.deep_test_paths(tmp_path, rnd)
    for path in paths:
        try:
            inst = load_instance(path)
        except InputError:
            continue
        n += 1
        c, doc, I = _doc(path)
        got = words(K.check(doc, I))
        assert got == {r: v["verdict"] for r, v in c.readings.items()}, path
        due = _hyp_fail_reason(hypotheses(inst)) is not None or inst.Q < 2        # the library's deep.hypotheses
        assert (set(got.values()) == {"hypotheses-fail"}) == due and (doc["witness"] == {}) == due, path
        if not due:
            assert {k: got[k] for k in EXPECT} == EXPECT, path
            _by_hand(c, doc, I)
            _by_hand_455(got, I)
        seen |= set(got.values())
        held += not due
    assert n >= 14 and held >= 4 and {"refuted", "proved", "hypotheses-fail"} <= seen, (n, held, seen)
    print(f"eq4.11 campaign: {n} instances, hypotheses hold on {held}")
    for path in paths[:2]:
        c, doc, I = _doc(path)
        assert set(words(K.check(doc, I)).values()) == {"hypotheses-fail"}


# -- forgeries ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reading, part", [("open-ball", "every |Delta x_0,"), ("sup<delta", "sup_{j,i}")])
def test_forged_proved_is_rejected(drop, reading, part):
    """The forger claims the printed (4.11) / (4.55) proved: the strict bound fails at the maximising deviation."""
    c, doc, I = _doc(bundled("deep_q3"))
    doc["readings"][reading] = "proved"
    _refill(doc)
    rejected_by(doc, I, part)
    drop(E11, part)
    assert words(K.check(doc, I))[reading] == "proved"


def test_forged_witness_not_maximising_is_rejected(drop):
    """The forger keeps `refuted` with a point whose deviation is below delta."""
    c, doc, I = _doc(bundled("deep_q4"))
    devs = _devs(I)
    low = next(k for k, v in devs.items() if v < max(devs.values()))
    doc["witness"].update(j=str(low[0]), i=str(low[1]))
    rejected_by(doc, I, "= delta^2 (the maximising deviation")
    drop(E11, "= delta^2 (the maximising deviation")
    assert words(K.check(doc, I))["open-ball"] == "refuted"


@pytest.mark.parametrize("w", [{"j": "1", "i": "99"}, {"j": "9", "i": "1"}, {"j": "1/2", "i": "1"}])
def test_witness_not_a_data_point_is_rejected(drop, w):
    c, doc, I = _doc(bundled("deep_q2"))
    doc["witness"].update(w)
    rejected_by(doc, I, "witness (j, i) a data point")


def test_mutation_gate_rule_tells_true_mutants_from_false():
    """scripts/mutate_certificates.py, rule v2-words-recomputed: another maximising point is a true witness."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import mutate_certificates as mc
    from exactmin.certify.write_v2 import document
    path = str(bundled("deep_q2"))
    doc = json.loads(json.dumps(document(base.get(CLAIM).check(load_instance(path)))))
    devs = _devs(K.load(path))
    top = [k for k, v in devs.items() if v == max(devs.values())]
    low = next(k for k, v in devs.items() if v < max(devs.values()))
    assert len(top) >= 2          # deep_q2 is symmetric: the max is attained twice
    for (j, i), expect in ((top[1], "v2-words-recomputed"), (low, None)):
        mut = copy.deepcopy(doc)
        mut["witness"].update(j=str(j), i=str(i))
        assert mc.benign_rule(CLAIM, doc, mut, path, {}) == expect, (j, i)


@pytest.mark.parametrize("reading, field, part", [("sup-all/equal", "k_equal", "sup over all j: class 2 collapsed last"),
                                                  ("sup-from-l/less", "k_less", "sup over j >= l: class 1 second")])
def test_forged_455_witness_is_rejected(drop, reading, field, part):
    """deep_q3 (delta_1 < delta_2 = delta): the forger keeps each (4.55) refutation with the witness class moved to
    one where its comparison does not hold (k_equal = 2 reaches delta; k_less = 1 does not).  Rejected by the named
    comparison; accepted once it is dropped."""
    c, doc, I = _doc(bundled("deep_q3"))
    assert doc["readings"][reading] == "refuted"
    doc["witness"][field] = "2" if field == "k_equal" else "1"
    rejected_by(doc, I, part)
    drop(E11, part)
    assert words(K.check(doc, I))[reading] == "refuted"


def test_forged_455_proved_is_rejected(drop):
    """deep_q3: 'sup-all/equal' claimed proved; classes 1 and 3 deviate less than delta (either collapsed last, the
    sup over all classes is below delta).  Rejected by the first; accepted once every class comparison is dropped."""
    c, doc, I = _doc(bundled("deep_q3"))
    doc["readings"]["sup-all/equal"] = "proved"
    doc["witness"].pop("k_equal")
    _refill(doc)
    rejected_by(doc, I, "sup over all j: class 1: delta_1^2 = delta^2")
    drop(E11, "sup over all j: class")
    assert words(K.check(doc, I))["sup-all/equal"] == "proved"
