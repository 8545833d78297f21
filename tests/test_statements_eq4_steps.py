"""deep.eq4.13, deep.eq4.23, deep.eq4.43 on the obligation kernel (exactmin_kernel/statements/deep_eq4_13.py,
deep_eq4_23.py, deep_eq4_43.py): (4.13)-(4.15), (4.23), (4.43) of arXiv:2309.10639v4.

Self-acceptance on the bundled and on random campaign instances (fresh seed, with Q = 1 and degenerate ones); the
hand witnesses W-C, W-A and W-G of docs/claims/deep_statements.md checked in plain Fractions, independently of the
kernel; forgeries rejected by named obligations, each accepted once that obligation is dropped."""
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
from exactmin_kernel.statements import deep_eq4_13 as E13, deep_eq4_23 as E23, deep_eq4_43 as E43
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as S  # noqa: E402

CLAIMS = ("deep.eq4.13", "deep.eq4.23", "deep.eq4.43")
SEED = 1796586379193264666          # fresh (date +%s%N)


def _doc(claim, path, **opts):
    c = base.get(claim).check(load_instance(str(path)), **opts)
    return c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


def _agree(c, doc, I):
    got = words(K.check(doc, I))
    assert got == {r: v["verdict"] for r, v in c.readings.items()} or set(got.values()) == {"hypotheses-fail"}
    return got


def _refill(doc):
    doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"])
def test_library_certificates_verify(claim, name):
    c, doc, I = _doc(claim, bundled(name))
    got = _agree(c, doc, I)
    if name == "deep_q2_violates_2_14":
        assert set(got.values()) == {"hypotheses-fail"} and doc["witness"] == {}
    else:      # the three printed steps are false on every bundled instance; the corrected/true readings hold
        assert doc["verdict"] == "refuted"
        assert got == {"deep.eq4.13": {"as-printed": "refuted", "corrected": "proved"},
                       "deep.eq4.23": {"equivalent": "refuted", "implied": "proved"},
                       "deep.eq4.43": {"ball-as-printed": "refuted", "data": "proved"}}[claim]


def _write(tmp_path, name, classes):
    spec = S.Spec([[[F(x) for x in p] for p in c] for c in classes])
    return S.write(spec, tmp_path / name, random.Random(0))


def test_random_campaign_instances(tmp_path):
    rnd, seen, n = random.Random(SEED), {c: set() for c in CLAIMS}, 0
    paths = S.deep_test_paths(tmp_path, rnd)
    for path in paths:
        try:
            load_instance(path)
        except InputError:
            continue
        n += 1
        for claim in CLAIMS:
            c, doc, I = _doc(claim, path)
            got = _agree(c, doc, I)
            seen[claim] |= set(got.values())
            if doc["witness"] and claim == "deep.eq4.13":      # hypotheses hold: W-C (or W = cH) always refutes
                assert got == {"as-printed": "refuted", "corrected": "proved"}, path
            if doc["witness"] and claim == "deep.eq4.23":
                assert got["implied"] == "proved"
    assert n >= 16
    for claim in CLAIMS:
        assert {"refuted", "hypotheses-fail"} <= seen[claim], (claim, seen[claim])
    for claim in CLAIMS:                 # Q = 1 and a zero-deviation class: the shared hypotheses fail
        for path in paths[:2]:
            c, doc, I = _doc(claim, path)
            assert {v["verdict"] for v in c.readings.values()} == {"hypotheses-fail"} and doc["witness"] == {}


def test_wc_by_hand():
    """W-C: W = 2I, xbar = (1,1), points (11/10, 1), (9/10, 1), delta = 1/10, mu = -1 < -2 delta ||W|| = -2/5."""
    W, xb, mu = 2, (F(1), F(1)), F(-1)
    assert mu < -2 * F(1, 10) * W
    tau = lambda x, b: tuple((max(W * xi + bi, 0) - bi) / W for xi, bi in zip(x, b))     # noqa: E731
    b = tuple(mu - m for m in xb)                                           # printed: -xbar + mu u
    imgs = [tau(x, b) for x in ((F(11, 10), F(1)), (F(9, 10), F(1)))]
    assert imgs == [(F(11, 10), F(1)), (F(1), F(1))] and imgs[0] != imgs[1]   # not a constant column
    bc = tuple(mu - W * m for m in xb)                                      # corrected: -W xbar + mu u
    assert [tau(x, bc) for x in ((F(11, 10), F(1)), (F(9, 10), F(1)))] == [(F(3, 2), F(3, 2))] * 2


def test_wa_angles_by_hand():
    """W-A on the axis (d = 4, delta = 1/10): sin(theta_*,j/2) = 4 delta/d and 2 delta/(d - 2 delta)."""
    d, dl = F(4), F(1, 10)
    s51, s23 = (4 * dl / d) ** 2, (2 * dl / (d - 2 * dl)) ** 2
    assert (s51, s23) == (F(1, 100), F(1, 361)) and s51 != s23


def _wa(tmp_path):
    return _write(tmp_path, "wa", [[[F(31, 10), 0], [F(29, 10), 0]], [[F(31, 10), 4], [F(29, 10), 4]]])


def test_wa_equivalent_refuted_by_kernel_at_a_separating_angle(tmp_path):
    """On W-A any theta_s with 1/361 < sin^2(theta_s/2) < 1/100 separates: kappa_sep = 1 - 1/200."""
    c, doc, I = _doc("deep.eq4.23", _wa(tmp_path))
    doc["witness"].update(j="1", k="2", kappa_sep="199/200", sep_sign="1")
    assert words(K.check(doc, I))["equivalent"] == "refuted"
    for kappa, name in (("1/2", "(2.51) ball 2 outside"), ("999999/1000000", "(4.23) ball 2 inside")):
        doc["witness"]["kappa_sep"] = kappa          # both angles below theta_s / both above it
        rejected_by(doc, I, name)


def test_wg_by_hand():
    """W-G (W-A data, lambda = 3/4, mu_1 = -387/100): centre (13 sqrt2/200)(1,1), squared distance 169/20000 to the
    boundary of R^2_+, below delta^2 = 1/100; the data pre-activations (41, 11) sqrt2/400 are >= 0.  In units of
    sqrt 2: W_* R_1 (xbar_2 - xbar_1) = 2 sqrt2 (1,1), mu_1 u/|u| = mu_1/sqrt2 (1,1)."""
    lam, mu, dl = F(3, 4), F(-387, 100), F(1, 10)
    D = 4 - dl / F(4, 5)
    assert D == F(31, 8) and -D < mu < -2 * dl * 2 and lam ** 2 * F(16, 9) == 1     # tan(theta_*/2) = 4/3
    c = 2 + mu / 2                                      # coefficient of sqrt2 (1,1)
    assert c == F(13, 200) and 2 * c * c == F(169, 20000) < dl * dl
    # R_1 (+-1/10, 0) = +-(1/10)(1,-1)/sqrt2, W_* scales u^perp by lambda: +-(3/80)(1,-1) sqrt2
    pre = [(c + s * lam / 20, c - s * lam / 20) for s in (1, -1)]
    assert sorted(pre) == sorted([(F(41, 400), F(11, 400)), (F(11, 400), F(41, 400))]) and min(map(min, pre)) > 0


def test_wg_kernel_refutes_ball_as_printed(tmp_path):
    """The kernel on the W-G witness (lambda = 3/4, mu_1 = -387/100, class 2): the ball sticks out, the data pass."""
    c, doc, I = _doc("deep.eq4.43", _wa(tmp_path))
    doc["witness"].update({"lambda": "3/4", "mu_1": "-387/100", "j": "2"})
    got = driver.derive(E43, I, doc["witness"])
    assert got["ball-as-printed"][0] == "refuted" and got["data"][0] == "proved"
    doc["witness"]["lambda"] = "1"              # W_* = I: theta_* = theta_Q = pi/2 is not admissible on W-A? decided:
    assert driver.derive(E43, I, doc["witness"])["ball-as-printed"][0] in ("hypotheses-fail", "proved", "undecided")


# -- forgeries ---------------------------------------------------------------------------------------------

def test_eq413_printed_refutation_needs_mu_beyond_the_threshold(drop):
    """The forger keeps `as-printed: refuted` with mu_printed = -1/10^6, not below -2 delta ||W||."""
    c, doc, I = _doc("deep.eq4.13", bundled("deep_q2"))
    doc["witness"]["mu_printed"] = "-1/1000000"
    rejected_by(doc, I, "mu^2 > 4 delta^2 ||W||^2")
    drop(E13, "mu^2 > 4 delta^2")
    assert words(K.check(doc, I))["as-printed"] == "refuted"


def test_eq413_corrected_cannot_be_proved_with_a_large_W(drop):
    c, doc, I = _doc("deep.eq4.13", bundled("deep_q3"))
    doc["witness"]["W"] = [[str(F(x) * 1000) for x in r] for r in doc["witness"]["W"]]
    rejected_by(doc, I, "mu^2 > 4 delta^2 ||W||^2")
    drop(E13, "mu^2 > 4 delta^2")
    rejected_by(doc, I, "closed ball, row")
    drop(E13, "closed ball")
    assert words(K.check(doc, I))["corrected"] == "proved"


def test_eq423_separation_must_hold(drop):
    """The forger keeps `equivalent: refuted` with the separation reversed (sep_sign = -1)."""
    c, doc, I = _doc("deep.eq4.23", bundled("deep_q2"))
    doc["witness"]["sep_sign"] = "-1"
    rejected_by(doc, I, "inside at theta_s")
    drop(E23, "at theta_s")
    assert words(K.check(doc, I))["equivalent"] == "refuted"


def test_eq443_refutation_needs_the_ball_to_stick_out(drop):
    """The forger keeps `ball-as-printed: refuted` at mu_1/2, in I_0 but far from -D, where the ball is inside."""
    c, doc, I = _doc("deep.eq4.43", bundled("deep_q2"))
    doc["witness"]["mu_1"] = str(F(doc["witness"]["mu_1"]) / 2)
    rejected_by(doc, I, "the ball leaves C_theta_Q[u]")
    drop(E43, "the ball leaves")
    assert words(K.check(doc, I))["ball-as-printed"] == "refuted"


def test_eq443_proof_needs_mu_lo_below_minus_D(drop):
    """The forger claims `ball-as-printed: proved` with mu_lo = -2 delta sqrt Q-ish (above -D)."""
    c, doc, I = _doc("deep.eq4.43", bundled("deep_q2"))
    doc["witness"]["mu_lo"] = str(F(doc["witness"]["mu_1"]) / 4)
    doc["readings"]["ball-as-printed"] = "proved"
    _refill(doc)
    rejected_by(doc, I, "mu_lo <= -D")
    drop(E43, "mu_lo <= -D")
    assert words(K.check(doc, I))["ball-as-printed"] == "proved"


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q4"])
def test_eq413_rotation_witness(name):
    """The fallback of the printed witness, W = cH (H a rational rotation, ||W|| = c): the kernel refutes with it."""
    from exactmin.claims import deep_steps as D
    from exactmin.claims.common import mat_json
    from exactmin.nets import construct_deep as cd
    inst = load_instance(str(bundled(name)))
    c, doc, I = _doc("deep.eq4.13", bundled(name))
    from flint import fmpq
    g = cd.Geometry.of(inst, fmpq(*F(c.values["delta_squared"]).as_integer_ratio()))
    W, mu, bad = D.rotation_witness(g, D._classes(inst))
    assert bad is not None and W != D._eye(inst.Q, W[0, 0])
    doc["witness"].update(W_printed=mat_json(W), mu_printed=str(mu))
    assert words(K.check(doc, I))["as-printed"] == "refuted"


def test_mutation_gate_rule_tells_true_mutants_from_false():
    """scripts/mutate_certificates.py, rule v2-words-recomputed: the library's words at the mutant's witness."""
    import copy
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import mutate_certificates as mc
    from exactmin.certify.write_v2 import document
    path = str(bundled("deep_q2"))
    for claim, field, good, bad in (
            ("deep.eq4.13", ("W", 0, 0), lambda x: str(F(x) + F(1, 10**12)), lambda x: "1000000"),
            ("deep.eq4.23", ("kappa_sep",), lambda x: str(F(x) - F(1, 10**9)), lambda x: "1/2"),
            ("deep.eq4.43", ("mu_1",), lambda x: str(F(x) * (1 - F(1, 10**6))), lambda x: str(F(x) / 2))):
        doc = json.loads(json.dumps(document(base.get(claim).check(load_instance(path)))))
        for fn, expect in ((good, "v2-words-recomputed"), (bad, None)):
            mut = copy.deepcopy(doc)
            w = mut["witness"]
            tgt = w
            for k in field[:-1]:
                tgt = tgt[k]
            tgt[field[-1]] = fn(tgt[field[-1]])
            assert mc.benign_rule(claim, doc, mut, path, {}) == expect, (claim, expect)
