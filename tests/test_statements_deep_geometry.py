"""deep.eq2.68, deep.eq2.61 and deep.thm2.5 on the obligation kernel (exactmin_kernel/statements/deep_eq2_68.py,
deep_eq2_61.py, deep_thm2_5.py).

Self-acceptance with the library's words on bundled instances and on random ones (generate_deep with unequal class
sizes, rotated, invertible non-symmetric labels, Q = 2..4, seed 58213907; and campaign instances), at user mu
(refutations, hypotheses-fail), the eq2.61 shortcut (a class inside the ball conditions of (2.68) decided by one
point) against the per-point path, and forgeries: the forger changes the witness and refills the readings with the
kernel's own logic minus one obligation; the kernel rejects naming that obligation, and accepts once it is dropped.
"""
import json
import random
import sys
import types
from fractions import Fraction as F
from pathlib import Path

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.generate import generate_deep
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance, write_instance
from exactmin_kernel import driver
from exactmin_kernel.interp import holds
from exactmin_kernel.statements import deep_eq2_61 as E61
from exactmin_kernel.statements import deep_eq2_68 as E68
from exactmin_kernel.statements import deep_thm2_5 as T25
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402

SEED = 58213907
CLAIMS = ("deep.eq2.68", "deep.eq2.61", "deep.thm2.5")
_CACHE = {}


def _doc(claim, path, **opts):
    key = (claim, str(path), tuple(sorted(opts.items())))
    if key not in _CACHE:
        c = base.get(claim).check(load_instance(str(path)), **opts)
        _CACHE[key] = (c, json.dumps(to_v2(c)))
    c, doc = _CACHE[key]
    return c, json.loads(doc), K.load(str(path))


def _agree(claim, path, **opts):
    c, doc, I = _doc(claim, path, **opts)
    got = words(K.check(doc, I))
    assert got == {r: v["verdict"] for r, v in c.readings.items()}, (claim, path, got)
    return got


def _forge(mod, part, doc, I):
    """The forger's readings: what the kernel derives without the obligations whose name contains ``part``."""
    ns = types.SimpleNamespace(**{k: getattr(mod, k) for k in ("CLAIM", "READINGS", "SCHEMA", "hypotheses")})
    for fn in ("conclusion", "premises", "refutation"):
        if hasattr(mod, fn):
            setattr(ns, fn, lambda I, w, r, f=getattr(mod, fn): (ob for ob in f(I, w, r) if part not in ob.name))
    doc["readings"] = {r: v for r, (v, _) in driver.derive(ns, I, doc["witness"]).items()}
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())
    return doc["readings"]


def _forged_and_dropped(mod, part, doc, I, drop):
    rejected_by(doc, I, part)
    drop(mod, part)
    K.check(doc, I)


# ------------------------------------------------------------------------------------------ self-acceptance

@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "boundary_2_14_inside", "boundary_mu_end", "deep_q2_violates_2_14"])
def test_bundled_instances_agree_with_the_library(claim, name):
    _agree(claim, bundled(name))


def _random_instances(tmp_path, qs):
    rnd, out = random.Random(SEED), []
    for Q in qs:
        sizes = rnd.sample(range(2, 2 + 2 * Q), Q)                       # unequal sizes
        classes = S._from_instance(generate_deep(Q, sizes, rnd.randrange(2**31), margin=rnd.choice([F(1, 2), F(1, 10)])))
        spec = S.apply_transform(S.Spec(classes), "rotation", rnd)
        p = tmp_path / f"r{Q}.json"
        write_instance(Instance.from_rationals(f"r{Q}", spec.classes, S._labels(rnd, Q, "invertible")), p)
        out.append(p)
    return out


def test_random_instances_agree_with_the_library(tmp_path):
    seen = set()
    for p in _random_instances(tmp_path, (2, 3, 2, 4)):
        for claim in CLAIMS if load_instance(str(p)).Q <= 3 else CLAIMS[:2]:
            seen |= set(_agree(claim, p).values())
    assert {"proved", "refuted"} <= seen


def _campaign(tmp_path, seed, n):
    """(path, instance) of n random campaign instances (an invalid generated one is skipped)."""
    rnd = random.Random(seed)
    for i in range(n):
        path = S.write(S.generate(rnd), tmp_path / f"c{i}", rnd)
        try:
            yield path, load_instance(path)
        except Exception:  # noqa: BLE001 - an invalid generated instance is skipped
            continue


def test_random_campaign_instances_agree(tmp_path):
    seen = set()
    for path, I in _campaign(tmp_path, SEED + 1, 10):
        for claim in CLAIMS if I.Q <= 3 and I.N <= 24 else CLAIMS[:2]:
            seen |= set(_agree(claim, path).values())
    assert {"proved", "hypotheses-fail"} <= seen


@pytest.mark.parametrize("name, mu", [("deep_q2", "-2"), ("deep_q3", "-2"), ("deep_q3", "-27/20"), ("deep_q2", "-11/10")])
def test_user_mu_agrees(name, mu):
    for claim in CLAIMS[:2]:
        _agree(claim, bundled(name), mu=mu)


def test_singular_collapsed_means_refute_the_metric(tmp_path):
    """W-A at mu = -2: c_1 = c_2, X_0^red[mu] singular: metric refuted, the other readings undecided."""
    p = tmp_path / "wa.json"
    write_instance(Instance.from_rationals("wa", [[[F(31, 10), 0], [F(29, 10), 0]], [[F(31, 10), 4], [F(29, 10), 4]]],
                                           [[2, 1], [1, 3]]), p)
    got = _agree("deep.eq2.61", p, mu="-2")
    assert got["metric"] == "refuted" and got["agrees-on-data"] == "undecided"


def test_eq261_one_point_per_collapsed_class_equals_every_point(monkeypatch):
    """The shortcut of ``agree`` (classes inside the (2.68) ball conditions) against the per-point path."""
    c, doc, I = _doc("deep.eq2.61", bundled("deep_q3"))
    w = driver.read_witness(E61.SCHEMA, doc["witness"], I)
    assert all(E61.collapses(I, w, j) for j in range(I.Q))
    sizes, both = [], E61.both
    monkeypatch.setattr(E61, "both", lambda I, Wl, bl, st, A, P: sizes.append(len(P[0])) or both(I, Wl, bl, st, A, P))
    fast = words(K.check(doc, I))
    assert sizes.count(1) == I.Q                 # agrees-on-data: one point per class (the samples: all of them)
    monkeypatch.setattr(E61, "collapses", lambda *a: False)
    sizes.clear()
    own = {r: "proved" for r in E61.READINGS if not r.startswith("paper-network/")}
    assert words(K.check(doc, K.load(str(bundled("deep_q3"))))) == fast == dict(own, **{
        "paper-network/metric": "refuted", "paper-network/classifies-data": "refuted"})   # on all of I_0^Q
    assert sorted(sizes)[:I.Q] == sorted(len(c) for c in I.classes)     # every point of every class


# ------------------------------------------------------------------------------------------ eq2.68 forgeries

def test_eq268_apex_moved_by_a_later_layer_claimed_proved(drop):
    """deep_q2 at mu = -2: a later layer moves an apex (apex-fixed-after refuted); the forger claims it proved."""
    c, doc, I = _doc("deep.eq2.68", bundled("deep_q2"), mu="-2")
    assert doc["readings"]["apex-fixed-after"] == "refuted"
    assert _forge(E68, "+ b^(", doc, I)["apex-fixed-after"] == "proved"
    _forged_and_dropped(E68, "+ b^(", doc, I, drop)


def test_eq268_counterexample_outside_the_ball(drop):
    c, doc, I = _doc("deep.eq2.68", bundled("deep_q2"), mu="-2")
    ce = doc["witness"]["counterexample"]
    ce["point"] = [str(F(x) + 3) for x in ce["point"]]
    assert _forge(E68, "|x - xbar_", doc, I)["cumulative"] == "refuted"
    _forged_and_dropped(E68, "|x - xbar_", doc, I, drop)


def test_eq268_vacuous_tolerance(drop):
    c, doc, I = _doc("deep.eq2.68", bundled("deep_q3"))
    doc["witness"]["tol"] = "3/2"                  # 1 - tol^2/2 < 0: "within tol" by squares would be vacuous
    paper = {r: v for r, v in doc["readings"].items() if r.startswith("paper-network/")}   # they do not read tol
    doc["readings"] = dict({r: "undecided" for r in doc["readings"]}, **paper)
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())
    K.check(doc, I)                                # honest words: every realisation reading undecided
    forged = {r: v for r, v in _forge(E68, "0 < tol < sqrt 2", doc, I).items() if r not in paper}
    assert forged.pop("L>Q/arbitrary") == "refuted" and set(forged.values()) == {"proved"}
    _forged_and_dropped(E68, "0 < tol < sqrt 2", doc, I, drop)


# ------------------------------------------------------------------------------------------ eq2.61 forgeries

def test_eq261_rotation_that_does_not_map_f_to_u(drop):
    c, doc, I = _doc("deep.eq2.61", bundled("deep_q3"))
    doc["witness"]["R"][0] = doc["witness"]["R"][1]
    _forge(E61, "R_1 f~_1 = u~", doc, I)
    _forged_and_dropped(E61, "R_1 f~_1 = u~", doc, I, drop)


def test_eq261_any_sample_point_is_a_valid_sample():
    """(2.61)'s agreement is an identity at every point: a far sample is still a sample (by design)."""
    c, doc, I = _doc("deep.eq2.61", bundled("deep_q2"))
    doc["witness"]["samples"].append(["1000", "-7/3"])
    assert words(K.check(doc, I))["agrees-on-samples"] == "proved"
    doc["readings"]["metric"] = "refuted"
    rejected_by(doc, I, "metric: certificate 'refuted', kernel proved")


# ------------------------------------------------------------------------------------------ thm2.5 forgeries

def test_thm25_descent_that_breaks_an_untouched_layer(drop):
    """A forger keeps the library's zero-bias descent (lower cost) but also moves the apex of an untouched layer
    (s_l = 1) onto a data point of its cluster: that point's pre-activation there is 0, the pattern is no longer
    strict, and the cost the kernel computes on the (2.84) image would rest on nothing.  Rejected by the layer's
    'passes cluster' obligation; with that obligation dropped the forger's refutation stands (so it is needed)."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    assert doc["readings"]["local-min-zero-bias"] == "refuted"
    T25.hypotheses(I) and list(T25.hypotheses(I))                  # I.P: the classes as integer batches
    confs = doc["witness"]["configurations"]
    for s, e in zip(T25.configs(I.Q), confs):
        if e.get("zero_descent") and 1 in s and 0 in s:
            l = s.index(1)
            X, d = I.P[l]
            e["zero_descent"][l] = [str(F(v, d)) for v in X[0]]
        else:
            e.pop("zero_descent", None)
    assert _forge(T25, "passes cluster", doc, I)["local-min-zero-bias"] == "refuted"
    _forged_and_dropped(T25, "passes cluster", doc, I, drop)


def test_thm25_one_construction_for_both_mu(drop):
    """value-independent-of-mu claimed proved with the mu_1 construction also as the mu_2 one (mu_2 := mu_1)."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    assert doc["readings"]["value-independent-of-mu"] == "refuted"
    w = doc["witness"]
    w["mu_collapse_2"], w["constructions"][1] = w["mu_collapse"], w["constructions"][0]
    for e in w["configurations"]:
        e["zero_mu2"] = e["zero"]
    assert _forge(T25, "mu_collapse_2 != mu_collapse", doc, I)["value-independent-of-mu"] == "proved"
    _forged_and_dropped(T25, "mu_collapse_2 != mu_collapse", doc, I, drop)


def test_thm25_mu1_output_passed_off_as_the_mu2_one():
    """The mu_1 output layer as the mu_2 one (mu_2 kept): it is not the least-squares layer on the mu_2 image."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    for e in doc["witness"]["configurations"]:
        e["zero_mu2"] = e["zero"]
    doc["readings"]["value-independent-of-mu"] = "proved"
    rejected_by(doc, I, "zero_mu2: normal equations")


def test_thm25_zero_bias_output_as_the_free_optimum(drop):
    """boundary_2_14_inside: the free-bias optimum has cost 0 (not-global/free-bias refuted); the forger passes the
    zero-bias output layers off as the free optima (cost > 0) to claim not-global/free-bias proved."""
    c, doc, I = _doc("deep.thm2.5", bundled("boundary_2_14_inside"))
    assert doc["readings"]["not-global/free-bias"] == "refuted"
    for e in doc["witness"]["configurations"]:
        e["free"] = {"A": e["zero"], "c": ["0"] * len(e["zero"])}
        e.pop("free_descent", None)
    assert _forge(T25, "free: normal equations", doc, I)["not-global/free-bias"] == "proved"
    _forged_and_dropped(T25, "free: normal equations", doc, I, drop)


def test_thm25_identity_mu_that_does_not_pass(drop):
    """mu_+ = mu_identity moved down into (0, 2 delta sqrt Q]: outside I_1.  Rejected by 'mu_identity > 2 delta
    sqrt Q' (the pass conditions may still hold on the data: the premise is the paper's)."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    T25.hypotheses(I) and list(T25.hypotheses(I))
    from math import isqrt
    dsq = max(T25.T.geometry(I)[0])
    lo = F(isqrt(int(4 * dsq * I.Q * 2**40)), 2**20)           # lo^2 <= 4 delta^2 Q: not in I_1
    assert 0 < lo and lo * lo <= 4 * dsq * I.Q
    doc["witness"]["mu_identity"] = str(lo)
    assert _forge(T25, "mu_identity > 2 delta sqrt Q", doc, I)["2.84"] == "proved"   # the data alone would pass
    _forged_and_dropped(T25, "mu_identity > 2 delta sqrt Q", doc, I, drop)


def test_thm25_empty_witness_is_undecided_only():
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    doc["witness"] = {}
    assert set(_forge(T25, "@none@", doc, I).values()) == {"undecided"}
    K.check(doc, I)
    doc["readings"]["2.84"] = "proved"
    rejected_by(doc, I, "a construction is given")


# ------------------------------------------------------------------------------------------ thm2.5 I-box forgeries
# The reading I-box is about the paper's network on prod_j I_(s_j) (deep_thm2_5.ibox); the forger moves the box or
# the refuting point and refills the readings without one obligation.

def test_thm25_ibox_box_that_stops_short_of_D(drop):
    """deep_q4 (I-box proved): the box's first upper end moved to the middle, so it no longer reaches D: the pass
    conditions hold on the smaller box but say nothing about the rest of I_0.  Rejected by 'b_1|v_1| >= D'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q4"))
    assert doc["readings"]["I-box"] == "proved"
    b = doc["witness"]["box_s"][0]
    b[1] = str((F(b[0]) + F(b[1])) / 2)
    assert _forge(T25, "b_1|v_1| >= D", doc, I)["I-box"] == "proved"
    _forged_and_dropped(T25, "b_1|v_1| >= D", doc, I, drop)


def test_thm25_ibox_lower_end_inside_I1(drop):
    """deep_q4: a_1 raised above 2 delta sqrt Q / |v_1|: the I_1 corner (mu_1 = a_1 |v_1|) then no longer covers the
    start of I_1 (nor the box the start of I_0).  Rejected by 'a_1|v_1| <= 2 delta sqrt Q'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q4"))
    B = doc["witness"]["box_s"]
    lo, hi = F(B[0][0]), F(B[0][1])
    B[0][0] = str(lo + (hi - lo) / 64)
    T25.hypotheses(I) and list(T25.hypotheses(I))
    dev, v = T25.T.geometry(I)[:2]
    assert F(B[0][0]) ** 2 * T25.dot(v[0], v[0]) > 4 * max(dev) * I.Q
    assert _forge(T25, "a_1|v_1| <= 2 delta sqrt Q", doc, I)["I-box"] == "proved"
    _forged_and_dropped(T25, "a_1|v_1| <= 2 delta sqrt Q", doc, I, drop)


def test_thm25_ibox_merge_that_does_not_happen(drop):
    """deep_q4 (proved): the forger removes the box and claims a refutation at the point where the library's box
    starts, with the pair (1, 2): layer 2 does not send c_1 onto c_2 there.  Rejected by 'layer 2 sends c_1 onto
    c_2'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q4"))
    w = doc["witness"]
    sig = [str((F(a) + F(b)) / 2) for a, b in w.pop("box_s")]  # the middle of the box: inside I_0
    w["ibox_s"], w["ibox_pair"] = sig, ["1", "2"]
    assert _forge(T25, "layer 2 sends c_1 onto c_2", doc, I)["I-box"] == "refuted"
    _forged_and_dropped(T25, "layer 2 sends c_1 onto c_2", doc, I, drop)


def test_thm25_ibox_refuting_point_beyond_D(drop):
    """deep_q2 (refuted at s = 00): the refuting point's first coordinate doubled, beyond D (outside I_0), where the
    merge still holds.  Rejected by 't_1 < D'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    assert doc["readings"]["I-box"] == "refuted"
    w = doc["witness"]
    w["ibox_s"][0] = str(F(w["ibox_s"][0]) * 2)
    assert _forge(T25, "t_1 < D", doc, I)["I-box"] == "refuted"
    _forged_and_dropped(T25, "t_1 < D", doc, I, drop)


def test_thm25_ibox_identity_coordinate_outside_I1(drop):
    """deep_q3 (refuted by the pair (1, 2)): the third coordinate set to an identity mu in (0, 2 delta sqrt Q],
    which is in neither interval.  Rejected by 'mu_3 ... > 2 delta sqrt Q (I_1)'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q3"))
    w = doc["witness"]
    assert doc["readings"]["I-box"] == "refuted" and w["ibox_pair"] == ["1", "2"]
    w["ibox_s"][2] = "-1/1000000"
    assert _forge(T25, "(I_1)", doc, I)["I-box"] == "refuted"
    _forged_and_dropped(T25, "(I_1)", doc, I, drop)


def test_thm25_ibox_agrees_with_the_library_rederivation(tmp_path):
    """Every I-box word the kernel derives on fresh campaign instances (seed 71207013) is the library's
    independent re-derivation (exactmin.nets.paper_box.ibox_rederive) from the same witness."""
    from exactmin.claims.deep import hypotheses
    from exactmin.nets import construct_deep as cd
    from exactmin.nets import paper_box as pb
    from flint import fmpq
    seen = []
    for path, inst in _campaign(tmp_path, 71207013, 40):
        if inst.Q > 5 or inst.N > 400:
            continue
        c, doc, I = _doc("deep.thm2.5", path)
        w = doc["witness"]
        if "lambda" not in w:
            continue
        got = words(K.check(doc, I))["I-box"]
        assert got == c.readings["I-box"]["verdict"]
        g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
        kappa = cd.kappa_of_lambda(fmpq(w["lambda"]), inst.Q)
        theta_ok = cd.decide_all_positive(cd.theta_star_margin_terms(g, kappa))[0] is True
        conv = (lambda x: fmpq(x) if isinstance(x, str) else [conv(y) for y in x])      # noqa: E731
        ww = {k: conv(w[k]) if k in w else None for k in ("mu_I0", "box_s", "ibox_s", "ibox_pair")}
        assert pb.ibox_rederive(g, kappa, theta_ok, ww) == got
        seen.append(got)
    assert {"proved", "refuted"} <= set(seen), seen


# ------------------------------------------------------------------------------------------ thm2.5 paper-network
# The paper's network at the witness points paper.s0, paper.s2 (I_0) and paper.plus (I_1), deep_thm2_5_paper.

def test_thm25_paper_one_point_twice(drop):
    """deep_q2: the paper's zero-bias values move with mu (refuted); the forger gives the same point twice, so
    every value agrees with itself, and claims mu-independence.  Rejected by 'two points: paper s0 != s2'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    assert doc["readings"]["paper-network/value-independent-of-mu"] == "refuted"
    P = doc["witness"]["paper"]
    P["s2"] = list(P["s0"])
    assert _forge(T25, "two points", doc, I)["paper-network/value-independent-of-mu"] == "proved"
    _forged_and_dropped(T25, "two points", doc, I, drop)


def test_thm25_paper_identity_point_outside_I1(drop):
    """deep_q3: the I_1 coordinate of layer 1 moved to mu_1 in (0, 2 delta sqrt Q], in neither interval: the
    configurations with s_1 = 1 are then not the paper's.  Rejected by 'paper plus: mu_1 > 2 delta sqrt Q'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q3"))
    doc["witness"]["paper"]["plus"][0] = "-1/1000000"
    _forge(T25, "paper plus: mu_1", doc, I)
    _forged_and_dropped(T25, "paper plus: mu_1", doc, I, drop)


def test_thm25_paper_point_where_an_apex_does_not_pass(drop):
    """deep_q3: the second point moved to sigma = 4 sigma_2, where (W-I) the apexes have crossed the centre and c_1
    lies in -C[f_2]: layer 2 would not pass it, so the values there are not those of (2.84).  Rejected by the pass
    cone 'paper s2: c_1 passes layer 2 (s_2 = 0)' (the point also lies beyond D, the forger drops that too, and
    two more apexes fail to pass: the forger drops every pass cone at s2)."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q3"))
    P = doc["witness"]["paper"]
    P["s2"] = [str(F(x) * 4) for x in P["s2"]]
    part = "paper s2: c_"
    drop(T25, "paper s2: t_")                           # the forger also ignores I_0's end (another obligation)
    _forge(T25, part, doc, I)
    rejected_by(doc, I, "paper s2: c_1 passes layer 2 (s_2 = 0)")
    drop(T25, part)
    K.check(doc, I)


def test_thm25_paper_descent_that_moves_an_identity_layer(drop):
    """deep_q2: the forger also moves the apex of the identity layer of the descent's s (its mu leaves I_1 along the
    segment).  Rejected by 'identity layers unmoved'."""
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q2"))
    P = doc["witness"]["paper"]
    assert doc["readings"]["paper-network/local-min-zero-bias"] == "refuted"
    D = P["zero_descent"]
    l = [int(x) for x in D["s"]].index(1)
    D["q"][l] = [str(F(x) + F(1, 2**10)) for x in D["q"][l]]
    _forge(T25, "identity layers unmoved", doc, I)
    _forged_and_dropped(T25, "identity layers unmoved", doc, I, drop)


def test_thm25_paper_descent_beyond_the_pattern(drop):
    """The library's descent stretched 2^12 times: the apexes leave their cones, so the strict pattern breaks for
    some admissible R.  On the bundled data no such point also lowers the cost (the exact fit A q_j = y_j keeps the
    pattern), so the forger is given the cost obligation ('lowers the cost' dropped) and must still be stopped by a
    'far end' pattern obligation; with that dropped too the forged refutation stands."""
    from exactmin_kernel import driver as drv
    c, doc, I = _doc("deep.thm2.5", bundled("deep_q3"))
    w = drv.read_witness(T25.SCHEMA, doc["witness"], I)
    list(T25.P.paper_common(I, w))
    D = doc["witness"]["paper"]["zero_descent"]
    s = tuple(int(x) for x in D["s"])
    p = I.t25layers[s][0]
    q = [tuple(a + 4096 * (F(b) - a) for a, b in zip(pp, qq)) for pp, qq in zip(p, D["q"])]
    assert not all(holds(ob) is True for ob in T25.P.pattern(I, s, q, T25.kappa_of(I.Q, w["lambda"]), ""))
    D["q"] = [[str(x) for x in a] for a in q]
    drop(T25, "lowers the cost")
    assert _forge(T25, "zero descent: far end", doc, I)["paper-network/local-min-zero-bias"] == "refuted"
    _forged_and_dropped(T25, "zero descent: far end", doc, I, drop)
