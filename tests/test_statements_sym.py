"""sym.* on the obligation kernel (instance-free statements, format 2): count-T, count-G, dominance, connect, split,
zero-type.

Self-acceptance on random options (runner ranges, a fresh seed) and agreement with the library; the kernel's own
T, G, crossover and persistence index against the library's (independent code); forgeries rejected by a NAMED
obligation, and the same forgery accepted when that obligation is dropped (monkeypatch)."""
import json
import random
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import exactmin_kernel as K
from exactmin.certify.routing import verify_document
from exactmin.certify.write_v2 import document
from exactmin.claims import base
from exactmin.claims.sym import persistence_h
from exactmin.sym import counts as sc
from exactmin.sym import twolayer as tl
from exactmin_kernel import driver
from exactmin_kernel.statements import sym_connect, sym_count_G, sym_count_T, sym_dominance, sym_split, sym_zero_type

SEED = 58317402
PORTED = {"sym.count-T": sym_count_T, "sym.count-G": sym_count_G, "sym.dominance": sym_dominance,
          "sym.connect": sym_connect, "sym.split": sym_split, "sym.zero-type": sym_zero_type}
NETWORK = ("sym.split", "sym.zero-type")           # witness = network and data, built by the library from options


def _lib(cid, **opts):
    c = base.get(cid).check(None, **opts)
    return c, json.loads(json.dumps(document(c)))


def _options(cid, rnd):
    from tests.campaign.runner import claim_options
    return {k: int(v) for k, v in claim_options(cid, rnd).items() if k in {f.rstrip("?") for f in PORTED[cid].SCHEMA}
            or cid in ("sym.dominance",) + NETWORK}


def _words(got):
    return {r: v for r, (v, _) in got.items()}


def _forged(doc, **witness):
    """The certificate with witness options changed and the words (readings, verdict) kept."""
    d = json.loads(json.dumps(doc))
    d["witness"].update({k: str(v) for k, v in witness.items()})
    return d


# ------------------------------------------------------------------------------------------ self-acceptance

@pytest.mark.parametrize("cid", sorted(set(PORTED) - set(NETWORK)))       # the network claims: further down
def test_random_options_verify_and_agree_with_the_library(cid):
    rnd = random.Random(f"{SEED}-{cid}")
    for _ in range(6):
        opts = _options(cid, rnd)
        c, doc = _lib(cid, **opts)
        assert doc["format"] == K.FORMAT and doc["instance_sha256"] is None
        claim, sha, got = K.check(doc, None)
        assert (claim, sha) == (cid, None)
        assert _words(got) == {r: v["verdict"] for r, v in c.readings.items()}, opts
        ok, why = verify_document(doc)
        assert ok and f"{cid} (instance-free)" in why, why


@pytest.mark.slow
def test_defaults_and_the_largest_options_verify():
    for cid, opts in [("sym.count-T", {}), ("sym.count-T", {"r": 4, "m": 8, "d": 7}), ("sym.count-G", {"r": 8, "m": 8}),
                      ("sym.count-G", {}), ("sym.dominance", {})]:
        _, doc = _lib(cid, **opts)
        assert verify_document(doc)[0], (cid, opts)


def test_kernel_numbers_agree_with_the_library():
    """The statement's T (T-i by its own Stirling table), G, crossover h_c and persistence index p against the
    library's independent code, on a range beyond the certificates' caps."""
    for r in range(1, 25):
        for m in range(r, r + 20):
            assert sym_count_T.T(r, m) == sc.T(r, m)
            assert F(sym_count_T.egf(r, m)) == sc.T_egf(r, m) if m <= 12 else True
    tab = sym_dominance.table(30)
    for rs in range(1, 31):
        assert tab[rs][0] == sc.crossover(rs) and tab[rs][1] == persistence_h(rs, sc.crossover(rs))
        assert tab[rs][3][0] == sc.G(rs - 1, rs)


def test_enumeration_counts_every_configuration():
    for r, m in [(1, 1), (2, 4), (3, 6), (2, 7)]:
        n, ns, dims = sym_count_T.enumerate_configs(r, m, 3)
        assert n == sc.count_T_brute(r, m) and ns == sc.count_T_single_brute(r, m)
        assert dims == dict(sc.dimension_counts_brute(r, m, 3))


# ------------------------------------------------------------------------------------------ forgeries

def test_mild_claimed_below_its_premise(drop):
    """r_max moved from 12 to 3 with the words kept: `mild` needs r_max >= 4 (hypotheses-fail)."""
    _, doc = _lib("sym.dominance", r_max=12)
    bad = _forged(doc, r_max=3)
    with pytest.raises(K.Invalid, match="mild: certificate 'proved', kernel hypotheses-fail .*r_max >= 4"):
        K.check(bad, None)
    drop(sym_dominance, "r_max >= 4")
    assert _words(K.check(bad, None)[2])["mild"] == "proved"


def test_mild_all_r_claimed_where_r_star_2_has_no_h(drop):
    """The words of r_max = 1 (mild-all-r vacuously proved) kept at r_max = 3: G(1, 2+h) > T(2, 2+h) for no h."""
    _, doc = _lib("sym.dominance", r_max=1)
    assert doc["readings"]["mild-all-r"] == "proved"
    bad = _forged(doc, r_max=3)
    with pytest.raises(K.Invalid, match=r"mild-all-r: certificate 'proved', kernel refuted"):
        K.check(bad, None)
    got = driver.derive(sym_dominance, None, bad["witness"])
    assert got["mild-all-r"][0] == "refuted"
    drop(sym_dominance, "some h < h_c has G > T")
    assert _words(K.check(bad, None)[2]) == bad["readings"]


def test_a_closed_form_that_does_not_match_is_refuted_by_name(drop, monkeypatch):
    """(T-iii) evaluated wrongly (off by one, as a misprinted closed form would be): `closed-forms` is refuted
    by "not: (T-i) = (T-iii)", the library's `proved` is INVALID; dropping that identity lets `proved` through."""
    _, doc = _lib("sym.count-T", r=3, m=6, d=2)
    egf = sym_count_T.egf
    monkeypatch.setattr(sym_count_T, "egf", lambda r, m: egf(r, m) + 1)
    got = driver.derive(sym_count_T, None, doc["witness"])
    assert got["closed-forms"][0] == "refuted" and got["closed-forms"][1].startswith("refutation obligations discharged")
    with pytest.raises(K.Invalid, match=r"closed-forms: certificate 'proved', kernel refuted"):
        K.check(doc, None)
    drop(sym_count_T, "(T-i) = (T-iii)")
    assert _words(K.check(doc, None)[2])["closed-forms"] == "proved"


def test_an_enumeration_that_misses_configurations_is_refuted(drop, monkeypatch):
    _, doc = _lib("sym.count-G", r=2, m=5)
    def lossy(m):                                                      # one partition into 2 blocks lost
        ps = sym_count_T.partitions(m)
        return [P for i, P in enumerate(ps) if i != next(j for j, Q in enumerate(ps) if len(Q) == 2)]
    monkeypatch.setattr(sym_count_G, "partitions", lossy)
    assert driver.derive(sym_count_G, None, doc["witness"])["enumeration"][0] == "refuted"
    with pytest.raises(K.Invalid, match="enumeration: certificate 'proved', kernel refuted"):
        K.check(doc, None)
    drop(sym_count_G, "number of configurations")
    assert K.check(doc, None)


def test_a_true_identity_claimed_refuted_is_invalid():
    _, doc = _lib("sym.count-G", r=3, m=5)
    bad = json.loads(json.dumps(doc))
    bad["readings"]["closed-forms"], bad["verdict"] = "refuted", "refuted"
    with pytest.raises(K.Invalid, match="closed-forms: certificate 'refuted', kernel proved"):
        K.check(bad, None)


@pytest.mark.parametrize("cid,field,value,msg", [
    ("sym.count-T", "m", "9", "option m must be an integer in 1..8"),
    ("sym.count-T", "r", "5/2", "option r must be an integer"),
    ("sym.count-T", "d", "1001", "option d must be an integer in 1..1000"),
    ("sym.count-G", "r", "5", "need r <= m"),
    ("sym.dominance", "r_max", "81", "option r_max must be an integer in 1..80"),
    ("sym.dominance", "r_max", "1" + "0" * 19999, "option r_max"),
    ("sym.connect", "m", "2", r"option m must be an integer in 3\.\.8"),
    ("sym.connect", "m", "7", r"T\(2, 7\) > 2000")])
def test_options_beyond_the_caps_are_invalid_before_any_arithmetic(cid, field, value, msg):
    _, doc = _lib(cid, **({"r_max": 8} if cid == "sym.dominance" else {}))
    with pytest.raises(K.Invalid, match=msg):
        K.check(_forged(doc, **{field: value}), None)


def test_instance_free_certificates_name_no_instance():
    _, doc = _lib("sym.count-G")
    bad = dict(doc, instance_sha256="0" * 64)
    with pytest.raises(K.Invalid, match=r"instance hash mismatch \(null iff instance-free\)"):
        K.check(bad, None)
    extra = json.loads(json.dumps(doc))
    extra["witness"]["d"] = "2"
    with pytest.raises(K.Invalid, match="unknown field"):
        K.check(extra, None)
    v1 = base.get("sym.count-G").check(None).to_json()                 # format 1 of a ported claim
    assert not verify_document(v1)[0]


def test_a_moved_option_is_a_different_true_instance():
    """Changing r or m keeps every count word `proved`: the kernel accepts, and the library agrees at the moved
    options (the mutation script explains such mutants by re-running the library, rule v2-sym-options)."""
    _, doc = _lib("sym.count-T", r=2, m=4, d=2)
    moved = _forged(doc, m=5)
    assert _words(K.check(moved, None)[2]) == {r: v["verdict"] for r, v in
                                                base.get("sym.count-T").check(None, r=2, m=5, d=2).readings.items()}


# ------------------------------------------------------------------------------------------ sym.connect

def test_a_meet_criterion_that_ignores_labels_is_refuted_by_name(drop, monkeypatch):
    """Two subspaces 'meet' whenever their partitions agree (labels ignored): at m = r* the r*! points would all
    meet.  `isolated` is refuted by "not: no two subspaces meet at m = r"; dropping it lets `proved` through."""
    _, doc = _lib("sym.connect", r=3)
    sym_connect.graph.cache_clear()
    monkeypatch.setattr(sym_connect, "meet", lambda C, D, m: C[0] == D[0])
    try:
        assert driver.derive(sym_connect, None, doc["witness"])["isolated"][0] == "refuted"
        with pytest.raises(K.Invalid, match="isolated: certificate 'proved', kernel refuted"):
            K.check(doc, None)
        drop(sym_connect, "no two subspaces meet")                      # (connected, blue-green move too)
        assert driver.derive(sym_connect, None, doc["witness"])["isolated"][0] == "proved"
    finally:
        sym_connect.graph.cache_clear()


def test_a_path_segment_that_changes_f_is_refuted_by_name(drop, monkeypatch):
    """A 'transfer' that moves outgoing weight between neurons with different incoming vectors changes f: the
    path reading is refuted by "not: segment 2 is a move or a transfer"; dropping that obligation accepts it."""
    _, doc = _lib("sym.connect", r=2)
    path = sym_connect.path

    def bad(r):
        pts, pi = path(r)
        (W, a) = pts[2]
        pts[2] = (W, (a[0] - 1, a[1] + 1) + a[2:])           # weight moved from neuron 0 to neuron 1 (W_0 != W_1)
        return pts, pi
    monkeypatch.setattr(sym_connect, "path", bad)
    got = driver.derive(sym_connect, None, doc["witness"])
    assert got["path"][0] == "refuted"
    with pytest.raises(K.Invalid, match="path: certificate 'proved', kernel refuted"):
        K.check(doc, None)
    drop(sym_connect, "is a move or a transfer")
    assert _words(K.check(doc, None)[2])["path"] == "proved"


# ------------------------------------------------------------------------------------------ sym.split, sym.zero-type

SPLIT_SEED = 90417263


@pytest.mark.parametrize("cid,opts", [
    ("sym.split", {}), ("sym.split", {"bias": 1, "copies": 4, "seed": 1}), ("sym.split", {"d": 1, "bias": 1, "copies": 2}),
    ("sym.split", {"depth": 2, "width": 2, "copies": 2}), ("sym.split", {"depth": 3, "width": 2, "bias": 1, "seed": 1}),
    ("sym.zero-type", {}), ("sym.zero-type", {"bias": 1, "d": 3, "seed": 5}), ("sym.zero-type", {"width": 2, "d": 1, "bias": 1})])
def test_network_claims_agree_with_the_library(cid, opts):
    c, doc = _lib(cid, **opts)
    assert _words(K.check(doc, None)[2]) == {r: v["verdict"] for r, v in c.readings.items()}, opts


def test_network_claims_on_random_options_of_a_fresh_seed():
    """Options drawn as the campaign draws them (the deep variant included), a seed no other test uses."""
    rnd = random.Random(SPLIT_SEED)
    for cid in NETWORK * 3:
        from tests.campaign.runner import claim_options
        opts = claim_options(cid, rnd)
        opts["width"] = min(opts["width"], 2 if opts.get("depth", 1) > 1 else 4)
        try:
            c, doc = _lib(cid, **opts)
        except Exception as e:                                            # the library's own precondition (exit 2)
            assert "could not build" in str(e), (opts, e)
            continue
        assert _words(K.check(doc, None)[2]) == {r: v["verdict"] for r, v in c.readings.items()}, opts


rat = st.fractions(min_value=-3, max_value=3, max_denominator=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.integers(1, 3), st.integers(1, 3), st.booleans(), st.data())
def test_two_layer_gradient_is_the_library_gradient(m, d, bias, data):
    """The statement's forward and reverse pass (sym_split.passes, loss_grad) against exactmin.sym.twolayer."""
    W = [[data.draw(rat) for _ in range(d)] for _ in range(m)]
    a = [data.draw(rat) for _ in range(m)]
    c = [data.draw(rat) for _ in range(m)] if bias else None
    X = [[data.draw(rat) for _ in range(d)] for _ in range(data.draw(st.integers(1, 5)))]
    Y = [data.draw(rat) for _ in X]
    th = tl.make(W, a, c)
    assume(not tl.kinks(th, X))
    net = sym_split.two_layer({"W": tuple(map(tuple, W)), "c": None if c is None else tuple(c), "a": tuple(a)})
    P = sym_split.passes(net, tuple(map(tuple, X)))
    L, ((gW, gc), ((ga,), _)) = sym_split.loss_grad(net, P, Y)
    g = tl.gradient(th, X, Y)
    assert [f for *_, f in P] == tl.outputs(th, X) and L == tl.loss(th, X, Y)
    assert gW == g.W and gc == g.c and ga == tuple(x[0] for x in g.A)


def _forge(monkeypatch, drop, mod, doc, edit, part):
    """The attacker: the witness edited, the words refilled by the kernel WITHOUT the obligations named ``part``;
    the weakened kernel accepts the forgery (so the obligation is needed).  Returns the forgery, obligations restored."""
    bad = json.loads(json.dumps(doc))
    edit(bad["witness"])
    drop(mod, part)
    words = _words(driver.derive(mod, None, bad["witness"]))
    bad["readings"], bad["verdict"] = words, next(v for v in driver.ORDER if v in words.values())
    assert K.check(bad, None) and words != doc["readings"]
    monkeypatch.undo()
    return bad


def test_a_beta_not_summing_to_one_refutes_nothing(monkeypatch, drop):
    """A 'split' by (1, 1, 0): f changes, so without the premise sum beta = 1 the forger refutes the theorem."""
    _, doc = _lib("sym.split")
    bad = _forge(monkeypatch, drop, sym_split, doc, lambda w: w["betas"].__setitem__(-1, ["1", "1", "0"]), "sums to 1")
    assert bad["readings"]["function"] == "refuted"
    with pytest.raises(K.Invalid, match=r"function: certificate 'refuted', kernel hypotheses-fail \(hypothesis beta 5 "
                                        r"sums to 1 is false\)"):
        K.check(bad, None)


def test_a_split_of_a_non_critical_point_refutes_nothing(monkeypatch, drop):
    """Y_critical moved: theta is no longer critical, nor are its splits; without the premise grad L(theta) = 0 the
    forger 'refutes' critical-positive-loss with a split that is not a critical point."""
    _, doc = _lib("sym.split", width=2, copies=2)
    bad = _forge(monkeypatch, drop, sym_split, doc, lambda w: w["Y_critical"].__setitem__(0, str(F(w["Y_critical"][0]) + 1)),
                 "grad L(theta; Y_critical) = 0")
    assert bad["readings"]["critical-positive-loss"] == "refuted"
    with pytest.raises(K.Invalid, match=r"critical-positive-loss: certificate 'refuted', kernel hypotheses-fail "
                                        r"\(hypothesis grad L\(theta; Y_critical\) = 0 is false\)"):
        K.check(bad, None)


def test_identities_at_a_critical_point_are_vacuous(monkeypatch, drop):
    """Y_random := Y_critical: grad L(theta) = 0 there, so the identities hold trivially (0 = beta 0); 'proved'
    would rest on nothing.  The kernel says undecided, naming the non-vacuity obligation."""
    _, doc = _lib("sym.split", width=2, copies=2)
    bad = _forge(monkeypatch, drop, sym_split, doc, lambda w: w.__setitem__("Y_random", list(w["Y_critical"])),
                 "identities not vacuous")
    bad["readings"]["gradient-identities"] = "proved"
    with pytest.raises(K.Invalid, match=r"gradient-identities: certificate 'proved', kernel undecided \(obligation "
                                        r"grad L\(theta; Y_random\) != 0 \(the identities are not vacuous\) failed\)"):
        K.check(bad, None)


def test_a_non_zero_gradient_declared_zero(monkeypatch, drop):
    """zero-type: dead_w moved to (1, 0): the neuron is active, and the zero single with it has grad L != 0 at
    Y_critical.  Declaring it zero 'refutes' positive-loss-every-w; the refutation obligation grad L(dead_0) = 0
    fails, so the kernel says undecided; without it the forgery is accepted."""
    _, doc = _lib("sym.zero-type")
    bad = _forge(monkeypatch, drop, sym_zero_type, doc, lambda w: w.__setitem__("dead_w", ["1", "0"]),
                 "grad L(dead_0; Y_critical) = 0")
    assert bad["readings"]["positive-loss-every-w"] == "refuted"
    with pytest.raises(K.Invalid, match="positive-loss-every-w: certificate 'refuted', kernel undecided"):
        K.check(bad, None)
    w = driver.read_witness(sym_zero_type.SCHEMA, bad["witness"], None)
    assert driver.run(sym_zero_type.refutation(None, w, "positive-loss-every-w")) == (False, "grad L(dead_0; Y_critical) = 0")


def test_a_group_not_summing_to_zero_refutes_nothing(monkeypatch, drop):
    _, doc = _lib("sym.zero-type")
    bad = _forge(monkeypatch, drop, sym_zero_type, doc, lambda w: w["group_a"].__setitem__(0, "5/2"), "group_a sums to 0")
    assert bad["readings"]["function"] == "refuted"
    with pytest.raises(K.Invalid, match=r"function: certificate 'refuted', kernel hypotheses-fail \(hypothesis group_a"):
        K.check(bad, None)


@pytest.mark.parametrize("cid,edit,msg", [
    ("sym.split", lambda w: w.__setitem__("deep", {"weights": [[["1"]], [["1"]]]}), "exactly one of network"),
    ("sym.split", lambda w: w["network"]["W"].append(["1"]), "shapes do not chain"),
    ("sym.split", lambda w: w["betas"].append(["1", "0"]), "betas of one length"),
    ("sym.split", lambda w: w["network"].__setitem__("W", [["1"] * 9] * 3), "not a vec"),
    ("sym.zero-type", lambda w: w.__setitem__("zero_c", "0"), "zero_c iff theta has biases"),
    ("sym.zero-type", lambda w: w["X"].pop(), "one target per point")])
def test_malformed_network_witnesses_are_invalid(cid, edit, msg):
    _, doc = _lib(cid)
    bad = json.loads(json.dumps(doc))
    edit(bad["witness"])
    with pytest.raises(K.Invalid, match=msg):
        K.check(bad, None)
