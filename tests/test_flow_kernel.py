"""flow.* certificates (format 2, the obligation kernel): the kernel accepts genuine ones; a moved witness number
is rejected or re-derived with the library's own words at that witness; the CLI end to end; the plot."""
import copy
import json
import subprocess
from fractions import Fraction

import pytest
from _certs import mutated

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"


def _cert(cid, name, **opts):
    return json.loads(json.dumps(to_v2(base.get(cid).check(load_instance(bundled(name)), **opts)))), bundled(name)


def _ok(doc, path):
    return K.verify(copy.deepcopy(doc), path)[0]


def _lib_words(cid, name, doc, **opts):
    """The library's reading words at the (possibly moved) theta of ``doc``'s witness."""
    th = ",".join(doc["witness"]["theta"])
    c = base.get(cid).check(load_instance(bundled(name)), theta=th, widths=",".join(doc["witness"]["dims"][1:-1]), **opts)
    return {r: v["verdict"] for r, v in c.readings.items()}


def test_rank_condition_theta_change_is_rejected_or_has_the_library_words():
    doc, path = _cert("flow.rank-condition", "flow_o1", theta=O1)
    assert _ok(doc, path)
    for i in range(len(doc["witness"]["theta"])):
        bad = mutated(doc, ["witness", "theta", i], Fraction(1, 7))
        if _ok(bad, path):          # another point: the kernel's words must be the library's there
            assert bad["readings"] == _lib_words("flow.rank-condition", "flow_o1", bad), i
    bad = copy.deepcopy(doc)
    bad["witness"]["pattern_radius"] = "1"           # too large: the pattern would change
    ok, why = K.verify(bad, path)
    assert not ok and "pattern constant" in why


def test_equilibria_certificate_mutations_are_rejected():
    doc, path = _cert("flow.equilibria-rank-loss", "flow_n3", seed=11, widths="4")
    assert doc["verdict"] == "proved" and _ok(doc, path)
    # moving the last-layer weight breaks the equilibrium: the reading must change, so the certificate is invalid
    last = len(doc["witness"]["identity"]["theta"]) - 1
    assert not _ok(mutated(doc, ["witness", "identity", "theta", last], Fraction(1, 7)), path)


def test_exp_rate_and_stopping_time_mutations_are_rejected():
    doc, path = _cert("flow.exp-rate", "flow_n3", seed=11, widths="4")
    assert doc["verdict"] == "proved" and _ok(doc, path)
    for leaf in (["witness", "radius"], ["witness", "sigma0"], ["witness", "deviation"]):
        assert not _ok(mutated(doc, leaf, 3), path), leaf
    bad = copy.deepcopy(doc)
    bad["witness"]["norms"][0] = "0"              # not an operator-norm bound of the output layer
    ok, why = K.verify(bad, path)
    assert not ok and "omega_2" in why
    doc, path = _cert("flow.stopping-time", "flow_n3", seed=11, widths="4", eps="1e-7")
    assert doc["verdict"] == "proved" and _ok(doc, path)
    for leaf in (["witness", "T_eps", 0], ["witness", "Sigma0"], ["witness", "eps"]):
        assert not _ok(mutated(doc, leaf, Fraction(1, 3)), path), leaf


def test_cli_check_then_verify(tmp_path):
    c = tmp_path / "c.json"
    r = subprocess.run(["exactmin", "check", "flow.rank-condition", "--instance", "flow_n3",
                        "--option", "seed=11", "--option", "widths=4", "--certificate", str(c)],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(c.read_text())["readings"]["full-rank"] == "proved"
    r = subprocess.run(["exactmin", "verify", str(c), "--instance", "flow_n3"],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_plot_writes_files_or_raises_clearly(tmp_path):
    from flint import fmpq

    from exactmin.errors import InputError
    from exactmin.flow.orbit import adapted_orbit
    from exactmin.flow.plot import plot_orbit
    from exactmin.nets import jacobian as J
    data = J.flow_data(load_instance(bundled("flow_o1")))
    orb = adapted_orbit(J.parse_theta(O1, 7), [1, 2, 1], data, fmpq(1, 2), fmpq(4), dps=20)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match="matplotlib"):
            plot_orbit(orb, tmp_path / "orbit")
        pytest.skip("matplotlib not installed")
    out = plot_orbit(orb, tmp_path / "orbit.png")
    assert all(p.is_file() and p.stat().st_size > 0 for p in out)
