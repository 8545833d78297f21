"""deep.eq2.38 and deep.thm2.3-bound (statement files deep_eq2_38.py, deep_thm2_3_bound.py).

Regression on the documented witnesses W-D, W-E and W-A (docs/claims/deep_statements.md, exact numbers there),
self-acceptance on random instances of tests/campaign/strategies.py (Q = 2..5, unequal class sizes, random and
identity-regime networks), and forgeries: a changed witness with the readings kept is rejected by a named
obligation, and dropping that obligation (monkeypatch) lets the same forgery through."""
import json
import random
from fractions import Fraction as F

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_eq2_38 as E
from exactmin_kernel.statements import deep_thm2_3_bound as B
from tests.campaign import strategies as S
from _forgery import rejected_by

ID = [["1", "0"], ["0", "1"]]
WD = {"format": "exactmin-instance/1", "name": "w6_q2_rank",
      "classes": [{"points": [["9/10", "19/10"], ["11/10", "21/10"]]}, {"points": [["29/10", "39/10"], ["31/10", "41/10"]]}],
      "labels": [[2, 1], [1, 3]]}
WA = {"format": "exactmin-instance/1", "name": "w1_q2_merge",
      "classes": [{"points": [["31/10", "0"], ["29/10", "0"]]}, {"points": [["31/10", "4"], ["29/10", "4"]]}],
      "labels": [[2, 1], [1, 3]]}
WD_NET = {"weights": [ID, ID, ID], "biases": [["0", "-1"], ["0", "0"], ["0", "0"]]}
WE_NET = {"weights": [ID, ID, ID], "biases": [["5", "5"], ["0", "0"], ["0", "0"]]}


def _file(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return str(p)


def run(claim, path, **opts):
    """(library certificate, its v2 document, kernel instance, kernel verdict words); the kernel must accept."""
    c = base.get(claim).check(load_instance(path), **opts)
    doc, I = json.loads(json.dumps(to_v2(c))), K.load(path)
    got = {r: v for r, (v, _) in K.check(doc, I)[2].items()}
    assert got == {r: v["verdict"] for r, v in c.readings.items()}
    return c, doc, I, got


# ------------------------------------------------------------------------------------------ documented witnesses

def test_WD_rank_preserving_yet_rank_XL_drops(tmp_path):
    """W-D: every hypothesis holds (det X0red = -2), tau is rank preserving (all ranks 2), rank X^(2) = 1."""
    path = _file(tmp_path, "wd.json", WD)
    h = base.get("deep.hypotheses").check(load_instance(path))
    assert {v["verdict"] for v in h.readings.values()} == {"proved"} and h.values["det_X0_red"] == "-2"
    c, doc, I, got = run("deep.eq2.38", path, network=_file(tmp_path, "net.json", WD_NET))
    assert got["rank-preserving"] == "proved" and got["implies-rank-XL"] == "refuted"
    assert doc["witness"]["counterexample"] == doc["witness"]["network"]          # W-D itself is the counterexample
    v = c.values
    assert (v["rank_X0"], v["rank_tau[net=network]"], v["rank_bar_X0"], v["rank_bar_tau[net=network]"]) == ("2",) * 4
    assert (v["rank_XL[net=network]"], v["rank_bar_XL[net=network]"]) == ("1", "1")


def test_WE_values_and_verdicts(tmp_path):
    """W-E (deep_q2, L = 2, W = I, b_1 = (5,5)): 38637/8824727, 4137/353477, 8/2033 and 22/1875."""
    c, doc, I, got = run("deep.thm2.3-bound", bundled("deep_q2"), network=_file(tmp_path, "we.json", WE_NET))
    v = c.values
    assert v["projection_XL"] == v["ls_zero_bias_cost_squared"] == "38637/8824727"
    assert v["projection_tau"] == v["formula"] == "4137/353477"
    assert v["ls_free_bias_cost_squared"] == "8/2033" and v["norm_Y_Delta1_squared"] == "22/1875"
    assert got == {"P-projector": "proved", "P-range-X0": "refuted", "min-output/zero-b_{L+1}": "proved",
                   "min-output/free-bias": "refuted", "projection=formula/P-from-XL": "refuted",
                   "projection=formula/P-from-tau": "proved", "bound-C0=0": "proved",
                   "P-projector/symbolic": "proved", "projection=formula/P-from-tau/symbolic": "proved",
                   "cost-norm/symbolic": "proved"}
    w = driver.read_witness(B.SCHEMA, doc["witness"], I)          # the kernel's own numbers, not the library's
    assert B.values(I, w, "min-output/free-bias")[1:] == (F(8, 2033), F(38637, 8824727))
    assert B.values(I, w, "projection=formula/P-from-XL")[1:] == (F(38637, 8824727), F(4137, 353477))


def test_WA_construction(tmp_path):
    """W-A: at mu = -3/2 the construction is rank preserving but X^(2) has rank 1 (class-2 columns 0); at
    mu = -5/2 it sends every point to c_2, so rank tau(X_0) = 1."""
    path = _file(tmp_path, "wa.json", WA)
    c, doc, I, got = run("deep.eq2.38", path, mu="-3/2")
    assert got["construction"] == "proved" and got["construction-rank-XL"] == "refuted"
    assert c.values["rank_XL[net=construction]"] == "1"
    c, doc, I, got = run("deep.eq2.38", path, mu="-5/2")
    assert got["construction"] == "refuted" and c.values["rank_tau[net=construction]"] == "1"
    c, doc, I, got = run("deep.eq2.38", path, mu="-1/10")                    # not below -2 delta sqrt 2
    assert got["construction"] == got["construction-rank-XL"] == "hypotheses-fail"


def test_bundled_default_options():
    for name in ("deep_q2", "deep_q3", "shallow_q3_m5"):
        run("deep.eq2.38", bundled(name))
        run("deep.thm2.3-bound", bundled(name))
    *_, got = run("deep.eq2.38", bundled("deep_q3"))
    assert got["construction-rank-XL"] == "refuted" and got["implies-rank-XL"] == "refuted"


def test_rank_below_Q_is_hypotheses_fail(tmp_path):
    c, doc, I, got = run("deep.thm2.3-bound", _file(tmp_path, "wd.json", WD), network=_file(tmp_path, "n.json", WD_NET))
    assert set(got.values()) == {"hypotheses-fail"} and "rank X^(L) = 1 < Q = 2" in c.readings["P-projector"]["reason"]


# ------------------------------------------------------------------------------------------ random instances

def _identity_regime(I, L):
    """W = I and a bias making every pre-activation > 0 (tau(X_0) = X_0, the regime of Thm 2.4 and W-E)."""
    t = 1 - min(x for c in I.classes for p in c for x in p)
    t = int(t) + 1 if t > 0 else 1
    Id = [[str(int(i == j)) for j in range(I.Q)] for i in range(I.Q)]
    return {"weights": [Id] * L + [[["1"] * I.Q] * I.K], "biases": [[str(t)] * I.Q] + [["0"] * I.Q] * (L - 1) + [["0"] * I.K]}


@pytest.mark.parametrize("k", range(4))
def test_random_instances(tmp_path, k):
    rnd = random.Random(48213907 + k)
    Q = 2 + k
    spec = S.Spec(S._generated(rnd, "generated", Q, Q), S._labels(rnd, Q, "invertible"), fmt="json", style="pq")
    path = S.write(spec, str(tmp_path / f"r{k}"), rnd)
    assert len({len(c) for c in spec.classes}) > 1 or Q == 2
    I = K.load(path)
    for seed in (rnd.randrange(10**6), rnd.randrange(10**6)):
        run("deep.eq2.38", path, seed=seed, L=rnd.randint(1, Q + 1))
        run("deep.thm2.3-bound", path, seed=seed, L=rnd.randint(1, Q + 1))
    net = _file(tmp_path, "id.json", _identity_regime(I, rnd.randint(1, 3)))
    c, doc, I, got = run("deep.thm2.3-bound", path, network=net)
    if got["P-projector"] != "hypotheses-fail":            # identity regime: only the bias term moves P off tau
        assert got["projection=formula/P-from-tau"] == "proved" and got["bound-C0=0"] == "proved"
        assert got["min-output/zero-b_{L+1}"] == "proved"
    c, doc, I, got = run("deep.eq2.38", path)
    if c.values["rank_X0"] == str(Q):
        assert got["implies-rank-XL"] == "refuted"           # the W-D recipe works on every instance


# ------------------------------------------------------------------------------------------ forgeries

def test_forged_construction_network(tmp_path, drop):
    """The construction's network replaced by another rank-preserving network, 'construction' kept proved."""
    c, doc, I, got = run("deep.eq2.38", bundled("deep_q2"), network=_file(tmp_path, "we.json", WE_NET))
    assert got["construction"] == got["rank-preserving"] == "proved"
    doc["witness"]["construction"]["network"] = doc["witness"]["network"]
    rejected_by(doc, I, "as (4.56)-(4.58)")
    drop(E, "as (4.56)-(4.58)")
    assert driver.derive(E, I, doc["witness"])["construction"][0] == "proved"


def test_forged_counterexample_not_rank_preserving(tmp_path, drop):
    """W-A: the mu = -5/2 construction (rank tau(X_0) = 1, rank X^(L) = 0) offered as the counterexample."""
    path = _file(tmp_path, "wa.json", WA)
    c, doc, I, got = run("deep.eq2.38", path, mu="-5/2")
    assert got["implies-rank-XL"] == "refuted"
    doc["witness"]["counterexample"] = doc["witness"]["construction"]["network"]
    rejected_by(doc, I, "implies-rank-XL: certificate 'refuted', kernel undecided")
    drop(E, "counterexample: rank")             # both equalities of (2.38)
    K.check(doc, I)


def test_forged_rank_preserving(tmp_path, drop):
    """A non-rank-preserving network (W-A, mu = -5/2) put in place of a rank-preserving one, 'proved' kept."""
    path = _file(tmp_path, "wa.json", WA)
    c, doc, I, got = run("deep.eq2.38", path, mu="-5/2")
    doc["readings"]["rank-preserving"] = "proved"
    doc["witness"]["network"] = doc["witness"]["construction"]["network"]
    rejected_by(doc, I, "rank-preserving: certificate 'proved', kernel refuted")
    drop(E, "= rank")                           # both equalities of (2.38)
    assert driver.derive(E, I, doc["witness"])["rank-preserving"][0] == "proved"


def test_forged_bound_network(tmp_path, drop):
    """W-E readings kept, the network replaced by the Thm 2.3 construction (rank X^(2) = 1 < Q): hypotheses-fail."""
    c, doc, I, got = run("deep.thm2.3-bound", bundled("deep_q2"), network=_file(tmp_path, "we.json", WE_NET))
    doc["witness"]["network"] = run("deep.eq2.38", bundled("deep_q2"))[1]["witness"]["construction"]["network"]
    rejected_by(doc, I, "rank X^(L) = Q")
    drop(B, "rank X^(L) = Q")
    rejected_by(doc, I, "inverse")                 # without the premise the inverse is not certified: undecided


def test_forged_free_bias_proved(tmp_path, drop):
    """free-bias claimed proved on W-E (the pointwise (2.54) line 1): the exact equality obligation refutes it."""
    c, doc, I, got = run("deep.thm2.3-bound", bundled("deep_q2"), network=_file(tmp_path, "we.json", WE_NET))
    doc["readings"]["min-output/free-bias"] = "proved"
    doc["verdict"] = "refuted"
    rejected_by(doc, I, "min-output/free-bias: certificate 'proved', kernel refuted")
    drop(B, "min-output/free-bias: values equal")
    assert {r: v for r, (v, _) in K.check(doc, I)[2].items()}["min-output/free-bias"] == "proved"


def test_kernel_rank_judgment_rejects_a_wrong_candidate(monkeypatch):
    """The ranks come from an untrusted helper; a wrong candidate makes the Rank judgment fail (undecided)."""
    c, doc, I, got = run("deep.eq2.38", bundled("deep_q3"))
    from exactmin_kernel import linalg
    orig = linalg.rank_witness
    monkeypatch.setattr(E, "rank_witness", lambda G: (lambda r, m, k: (r + 1, m, k[1:]))(*orig(G)))
    out = {r: (v, n) for r, (v, n) in driver.derive(E, I, doc["witness"]).items()}
    assert out["rank-preserving"][0] == "undecided" and "rank X_0" in out["rank-preserving"][1]


@pytest.mark.slow
def test_ten_thousand_points(tmp_path):
    """N = 10^4 (Q = 5): integer class sums, no rational per point; the kernel accepts both certificates."""
    import time
    from exactmin.data.generate import generate_deep
    inst = generate_deep(5, [2000 + 7 * j for j in range(5)], seed=48213911)
    path = _file(tmp_path, "big.json", inst.to_json_dict())
    for claim in ("deep.eq2.38", "deep.thm2.3-bound"):
        t = time.perf_counter()
        run(claim, path)
        assert time.perf_counter() - t < 60, claim


@pytest.mark.parametrize("name,seed", [("deep_q3", None), ("gen", 48213971), ("gen", 48213972), ("onept", 16133)])
def test_kernel_values_equal_the_library_values_on_asymmetric_data(tmp_path, name, seed):
    """The kernel's own exact numbers for deep.thm2.3-bound (|Y^ext P^perp|^2 from X^(L), the zero- and free-bias
    least-squares values, the formula V) equal the library's, on data whose class-mean matrix is NOT symmetric and
    on the campaign's one-point instance (seed 16133) where a transpose of R = sum_j y_j xbar^(L)_j^T made the
    kernel refute a reading the library proved."""
    import random
    import sys
    from pathlib import Path as _P
    from fractions import Fraction as Fr
    sys.path.insert(0, str(_P(__file__).parent))
    from campaign import strategies as S
    import exactmin_kernel as K
    from exactmin.certify.write_v2 import to_v2
    from exactmin.claims import base as _base
    from exactmin.data.bundled import bundled as _bundled
    from exactmin.data.io import load_instance as _load
    from exactmin_kernel.statements import deep_thm2_3_bound as TB
    if name == "deep_q3":
        path = str(_bundled("deep_q3"))
    elif name == "onept":
        path = S.write(S.generate(random.Random(seed), "one-point"), tmp_path / "i", random.Random(1))
    else:
        path = S.write(S.generate(random.Random(seed), "generated"), tmp_path / "g", random.Random(seed))
    c = _base.get("deep.thm2.3-bound").check(_load(path))
    doc = json.loads(json.dumps(to_v2(c)))
    I = K.load(path)
    got = K.check(doc, I)[2]
    assert {r: v for r, (v, _) in got.items()} == {r: v["verdict"] for r, v in c.readings.items()}
    if not doc["witness"] or "projection_XL" not in c.values:
        return
    w = K.driver.read_witness(TB.SCHEMA, doc["witness"], I)
    _, fz, proj = TB.values(I, w, "min-output/zero-b_{L+1}")
    _, ff, _ = TB.values(I, w, "min-output/free-bias")
    assert proj == fz == Fr(c.values["projection_XL"]) == Fr(c.values["ls_zero_bias_cost_squared"])
    assert ff == Fr(c.values["ls_free_bias_cost_squared"])
