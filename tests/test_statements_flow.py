"""flow.* on the obligation kernel (exactmin_kernel/statements/flow_*.py): self-acceptance and agreement with the
library's words on the bundled flow instances and on random small instances (seed 9151); forgeries made like an
attacker (witness changed, readings kept or refilled), each rejected by a NAMED obligation, and accepted once that
obligation is dropped; caps (a horizon kappa s_max = 10^7, a stopping time e^(10^10), K > 5000) reject at once."""
import copy
import json
import random
import time
from fractions import Fraction as F

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin_kernel.series import exp_bounds
from exactmin_kernel.statements import flow_equilibria as EQ
from exactmin_kernel.statements import flow_exp_rate as EX
from exactmin_kernel.statements import flow_rank_condition as RC
from exactmin_kernel.statements import flow_stopping_time as ST
from _forgery import rejected_by, words

CLAIMS = ("flow.rank-condition", "flow.exp-rate", "flow.stopping-time", "flow.equilibria-rank-loss")
_CACHE = {}


def _doc(claim, path, **opts):
    key = (claim, str(path), tuple(sorted(opts.items())))
    if key not in _CACHE:
        c = base.get(claim).check(load_instance(path), **opts)
        _CACHE[key] = ({r: v["verdict"] for r, v in c.readings.items()}, json.dumps(to_v2(c)))
    lib, doc = _CACHE[key]
    return lib, json.loads(doc), K.load(path)


def _set(doc, reading_words):
    doc["readings"] = dict(reading_words)
    doc["verdict"] = next(v for v in K.driver.ORDER if v in reading_words.values())
    return doc


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("name,opts", [("flow_o1", {}), ("flow_n3", {}), ("flow_n4", {}), ("flow_n3", {"seed": 11, "widths": "4"}),
                                       ("flow_n3", {"start": "random", "seed": 3}), ("flow_n4", {"widths": "2,2", "seed": 2})])
def test_library_certificates_verify_with_the_library_words(claim, name, opts):
    lib, doc, I = _doc(claim, bundled(name), **opts)
    assert words(K.check(doc, I)) == lib


def _instance(rnd, path):
    Q, M, R = rnd.choice([2, 3, 4]), rnd.choice([1, 1, 2, 3]), rnd.choice([1, 1, 2])
    classes = [{"points": [[f"{rnd.randint(-12, 12)}/{rnd.choice([1, 2, 3, 4])}" for _ in range(M)]
                           for _ in range(rnd.randint(1, 2))]} for _ in range(Q)]
    path.write_text(json.dumps({"format": "exactmin-instance/1", "name": path.stem, "classes": classes,
                                "labels": [[str(rnd.randint(-2, 2)) for _ in range(Q)] for _ in range(R)]}))
    return path


def test_random_instances_agree_with_the_library(tmp_path):
    """Random small instances (seed 9151), five option sets: the kernel accepts every library certificate with
    exactly the library's words, and the words cover proved, undecided and hypotheses-fail."""
    rnd, seen = random.Random(9151), set()
    for i in range(4):
        path = _instance(rnd, tmp_path / f"r{i}.json")
        for opts in ({}, {"start": "random", "seed": rnd.randint(0, 99)}, {"widths": str(rnd.randint(1, 3))},
                     {"s_max": "1/2", "eps": "1/10", "seed": 5}):
            for claim in CLAIMS:
                lib, doc, I = _doc(claim, path, **opts)
                assert words(K.check(doc, I)) == lib, (claim, i, opts)
                seen |= set(lib.values())
    assert seen >= {"proved", "hypotheses-fail", "undecided"}


# --------------------------------------------------------------------------------------------- exp enclosure

def test_exp_enclosure_is_rigorous_and_capped():
    import mpmath
    with mpmath.workprec(3000):
        for t in (F(0), F(1, 3), F(-7, 2), F(345, 7), F(-10 ** 4), F(20000), F(1, 10 ** 40)):
            for bits in (64, 1024):
                lo, hi = exp_bounds(t, bits)
                e = mpmath.exp(mpmath.mpf(t.numerator) / t.denominator)
                assert mpmath.mpf(lo.numerator) / lo.denominator <= e <= mpmath.mpf(hi.numerator) / hi.denominator
                assert hi - lo <= hi * F(1, 2 ** (bits - 2))
    with pytest.raises(K.driver.CapError):
        exp_bounds(F(20001), 64)


# --------------------------------------------------------------------------------------------- forgeries

def test_exp_rate_understated_deviation_is_rejected_by_the_deviation_recursion(drop):
    """E = 0 (the Jacobian does not move on the ball): sigma = sigma_0, the continuation holds trivially."""
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n3"), seed=11, widths="4")
    assert set(lib.values()) == {"proved"}
    doc["witness"]["deviation"] = "0"
    rejected_by(doc, I, "E^2 >= sup_B |D - D_0|_F^2")
    drop(EX, "E^2 >= sup_B")
    assert set(words(K.check(doc, I)).values()) == {"proved"}


def test_exp_rate_overstated_sigma0_is_rejected_by_the_psd_witness(drop):
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n4"))
    doc["witness"]["sigma0"] = str(F(doc["witness"]["sigma0"]) * 3)
    rejected_by(doc, I, "sigma_0^2 I <= D_0 D_0^T")
    drop(EX, "sigma_0^2 I <= D_0 D_0^T")
    assert set(words(K.check(doc, I)).values()) == {"proved"}


def test_exp_rate_understated_norm_bound_is_rejected(drop):
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n3"))
    doc["witness"]["norms"] = ["0"] * len(doc["witness"]["norms"])
    rejected_by(doc, I, "omega_2^2 I - W^T W PSD")
    drop(EX, "omega_2^2 I - W^T W PSD")
    assert set(words(K.check(doc, I)).values()) == {"proved"}


def test_exp_rate_ball_beyond_the_region_is_rejected_by_the_pattern_recursion():
    """The orbit 'certified' on a ball that reaches another activation region (R x 10^6): the kernel ties the
    orbit to the ODE only through the ball, and the ball's pattern recursion fails."""
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n3"))
    doc["witness"]["radius"] = str(F(doc["witness"]["radius"]) * 10 ** 6)
    rejected_by(doc, I, "pattern constant on B(theta_0, R)")


def test_exp_rate_forged_exp_lower_is_rejected_by_the_enclosure(drop):
    """exp_lower = 1 > e^(-kappa s_max): the continuation factor 1 - exp_lower = 0 proves anything."""
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n3"), s_max="3")
    doc["witness"]["exp_lower"] = "1"
    rejected_by(doc, I, "exp_lower <= e^(-kappa s_max)")
    drop(EX, "exp_lower <= e^(-kappa s_max)")
    assert set(words(K.check(doc, I)).values()) == {"proved"}


def test_orbit_inside_its_region_declared_hypotheses_fail_is_rejected():
    """The genuine witness (a strict full-rank theta_0, the orbit certified in its region) with every reading
    declared hypotheses-fail: the kernel re-derives the premises itself and says proved."""
    for claim in ("flow.exp-rate", "flow.stopping-time"):
        lib, doc, I = _doc(claim, bundled("flow_n3"))
        _set(doc, {r: "hypotheses-fail" for r in lib})
        rejected_by(doc, I, "certificate 'hypotheses-fail', kernel proved")


def test_plain_flow_hitting_time_is_checked(drop):
    """T_eps moved to [T_lo/2, T_hi/2]: the hitting-time bounds [T_eps/Sigma^2, T_eps/sigma^2] would be wrong."""
    lib, doc, I = _doc("flow.stopping-time", bundled("flow_n3"), seed=11, widths="4", eps="1e-7")
    assert lib["plain-flow"] == "proved"
    doc["witness"]["T_eps"] = [str(F(x) / 2) for x in doc["witness"]["T_eps"]]
    rejected_by(doc, I, "T_eps enclosure")
    drop(ST, "T_eps enclosure")
    assert words(K.check(doc, I)) == lib


def test_plain_flow_understated_Sigma0_is_rejected(drop):
    lib, doc, I = _doc("flow.stopping-time", bundled("flow_n3"), seed=11, widths="4", eps="1e-7")
    doc["witness"]["Sigma0"] = str(F(doc["witness"]["Sigma0"]) / 10)
    rejected_by(doc, I, "D_0 D_0^T <= Sigma_0^2 I")
    drop(ST, "D_0 D_0^T <= Sigma_0^2 I")
    assert words(K.check(doc, I)) == lib


def test_rank_condition_radius_beyond_the_region_is_rejected(drop):
    lib, doc, I = _doc("flow.rank-condition", bundled("flow_o1"), theta="1,1/2,1/3,1/4,1/2,-1/3,1/5")
    assert lib["interior"] == "proved"
    doc["witness"]["pattern_radius"] = "1"
    rejected_by(doc, I, "pattern constant on the ball of radius pattern_radius")
    drop(RC, "pattern constant on the ball")
    assert words(K.check(doc, I)) == lib


def test_rank_condition_rank_loss_declared_full_rank_is_rejected(drop):
    """A point where every neuron is active on every point (the net is affine on the data: rank D = 2 < QN) declared full-rank: the premise rank D = QN fails."""
    lib, doc, I = _doc("flow.rank-condition", bundled("flow_n3"), widths="3", theta="1,1,1,1,1,1,1,1,1,0")
    assert lib["full-rank"] == "hypotheses-fail"
    _set(doc, dict(lib, **{"full-rank": "proved"}))
    rejected_by(doc, I, "rank D = QN")
    drop(RC, "rank D")
    drop(RC, "det D D^T")
    assert words(K.check(doc, I))["full-rank"] == "proved"


def test_equilibrium_rescaling_by_one_is_rejected(drop):
    lib, doc, I = _doc("flow.equilibria-rank-loss", bundled("flow_n3"))
    assert lib["identity-regime"] == "proved"
    doc["witness"]["identity"]["lambdas"] = ["1", "1"]
    rejected_by(doc, I, "rescaled point != theta")
    drop(EQ, "rescaled point != theta")
    assert words(K.check(doc, I)) == lib


def test_non_equilibrium_is_rejected_by_the_gradient():
    lib, doc, I = _doc("flow.equilibria-rank-loss", bundled("flow_n4"))
    th = doc["witness"]["lsq"]["theta"]
    th[-1] = str(F(th[-1]) + F(1, 7))                # the output bias moved: grad C != 0
    rejected_by(doc, I, "grad C = 0 (an equilibrium)")


# --------------------------------------------------------------------------------------------- caps

def _quick_invalid(doc, I, what):
    t0 = time.perf_counter()
    rejected_by(doc, I, what)
    assert time.perf_counter() - t0 < 2


def test_caps_reject_huge_horizons_exponents_and_networks():
    lib, doc, I = _doc("flow.exp-rate", bundled("flow_n3"), s_max="3")
    doc["witness"]["s_max"] = "10000000"
    _quick_invalid(doc, I, "horizon")
    lib, doc, I = _doc("flow.stopping-time", bundled("flow_n3"))
    doc["witness"]["T_eps"] = ["10000000000", "10000000001"]
    _quick_invalid(doc, I, "CapError")
    lib, doc, I = _doc("flow.rank-condition", bundled("flow_n3"))
    bad = copy.deepcopy(doc)
    bad["witness"]["dims"] = ["1"] + ["64"] * 16 + ["1"]
    _quick_invalid(bad, I, "CapError")
    bad["witness"]["dims"] = ["1", "65", "1"]
    _quick_invalid(bad, I, "CapError")


@pytest.mark.parametrize("name,opts", [("flow_n4", {"widths": "2,2", "seed": 2}), ("flow_o1", {}),
                                       ("flow_n3", {"start": "random", "seed": 4, "widths": "3"})])
def test_kernel_jacobian_and_cost_agree_with_the_library(name, opts):
    """The kernel's forward differentiation gives the library's D (python-flint, exactmin.nets.jacobian) entry by entry."""
    from exactmin.nets import jacobian as J
    from exactmin_kernel.statements import flow_common as FC
    lib, doc, I = _doc("flow.rank-condition", bundled(name), **opts)
    w = K.driver.read_witness(RC.SCHEMA, doc["witness"], I)
    dims, theta, pts, _ = FC.setting(I, w, kappa=False)
    ev = J.evaluate(J.unflatten([J.fmpq(x.numerator, x.denominator) for x in theta], list(dims)),
                    J.flow_data(load_instance(bundled(name))))
    D = FC.jacobian(dims, theta, pts)
    assert [[F(int(ev.D[i, k].p), int(ev.D[i, k].q)) for k in range(ev.D.ncols())] for i in range(ev.D.nrows())] == \
        [list(r) for r in D]
