"""flow.* certificates: the kernel accepts genuine ones and rejects altered ones; the CLI end to end; the plot."""
import copy
import json
import subprocess
from fractions import Fraction

import pytest
from _certs import mutated

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"


def _cert(cid, name, **opts):
    return base.get(cid).check(load_instance(bundled(name)), **opts).to_json(), bundled(name)


def test_rank_condition_every_value_and_theta_change_is_rejected():
    doc, path = _cert("flow.rank-condition", "flow_o1", theta=O1)
    assert kernel.verify(doc, path)[0]
    for name in doc["values"]:
        assert not kernel.verify(mutated(doc, ["values", name], Fraction(1, 7)), path)[0], name
    for i in range(len(doc["witness"]["theta"])):
        assert not kernel.verify(mutated(doc, ["witness", "theta", i], Fraction(1, 7)), path)[0], i
    bad = copy.deepcopy(doc)
    bad["values"]["pattern_radius"] = "1"           # too large: the pattern would change
    ok, why = kernel.verify(bad, path)
    assert not ok and "radius" in why
    bad = copy.deepcopy(doc)
    bad["parameters"]["normalisation"] = "C = |x - y|^2"
    assert not kernel.verify(bad, path)[0]


def test_equilibria_certificate_mutations_are_rejected():
    doc, path = _cert("flow.equilibria-rank-loss", "flow_n3", seed=11, widths="4")
    assert doc["verdict"] == "proved" and kernel.verify(doc, path)[0]
    for name in doc["values"]:
        assert not kernel.verify(mutated(doc, ["values", name], Fraction(1, 7)), path)[0], name
    # moving the last-layer weight breaks the equilibrium: the reading must change, so the certificate is invalid
    last = len(doc["witness"]["identity"]["theta"]) - 1
    assert not kernel.verify(mutated(doc, ["witness", "identity", "theta", last], Fraction(1, 7)), path)[0]


def test_exp_rate_and_stopping_time_mutations_are_rejected():
    doc, path = _cert("flow.exp-rate", "flow_n3", seed=11, widths="4")
    assert doc["verdict"] == "proved" and kernel.verify(doc, path)[0]
    for leaf in (["witness", "theta", 0], ["witness", "radius"], ["witness", "sigma0"],
                 ["witness", "deviation"], ["values", "sigma_lower"], ["values", "cost_0"]):
        assert not kernel.verify(mutated(doc, leaf, Fraction(1, 3)), path)[0], leaf
    bad = copy.deepcopy(doc)
    bad["witness"]["norms"][0] = "0"              # not an operator-norm bound of the output layer
    ok, why = kernel.verify(bad, path)
    assert not ok and "operator-norm" in why
    doc, path = _cert("flow.stopping-time", "flow_n3", seed=11, widths="4", eps="1e-7")
    assert doc["verdict"] == "proved" and kernel.verify(doc, path)[0]
    for leaf in (["enclosures", "T_eps", "lo"], ["values", "T_plain_upper"], ["witness", "Sigma0"]):
        assert not kernel.verify(mutated(doc, leaf, Fraction(1, 3)), path)[0], leaf


def test_cli_check_then_verify(tmp_path):
    c = tmp_path / "c.json"
    r = subprocess.run(["exactmin", "check", "flow.rank-condition", "--instance", "flow_n3",
                        "--option", "seed=11", "--option", "widths=4", "--certificate", str(c)],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(c.read_text())["values"]["rank_D"] == "3"
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
