"""deep.thm2.4 at scale (exactmin_kernel/ondata.py: lows, network_cost, used by deep_thm2_4): the least hidden
pre-activations bounded from the row bounds of the layers' maps on the data (the induction over the layers) and the
costs from the class statistics (the network affine on the data) agree with the per-point definitions
(tests/_perpoint.py, ondata.forward_cost) for every network of the library's certificates, and for copies with a
hidden bias moved so that the pattern breaks at some layer (the fallback); the kernel's verdicts are those of the
per-point kernel; a forged zero network with a pre-activation <= 0 is rejected by named obligations.  Fresh campaign
instances, seed 70612345."""
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
from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance, write_instance
from exactmin_kernel import driver, ondata as O
from exactmin_kernel.statements import deep_thm2_4 as T
from _forgery import rejected_by, words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as St  # noqa: E402
import _perpoint as PP  # noqa: E402

SEED = 70612345


def _paths(tmp_path):
    rnd, out = random.Random(SEED), []
    for i in range(16):
        out.append(St.write(St.generate(rnd, "generated" if i % 2 == 0 else None), tmp_path / f"i{i}", rnd))
    p = tmp_path / "q8.npz"                       # Q = 8, coordinates over 2^20 (the benchmark's instances, smaller N)
    write_instance(generate_deep(8, [30 + 3 * j for j in range(8)], seed=SEED, denominator=2**20), p)
    return out + [p]


def _certified(tmp_path):
    """(library certificate, its readings, kernel instance) for every fresh instance with thm2.4 networks."""
    for path in _paths(tmp_path):
        try:
            c = base.get("deep.thm2.4").check(load_instance(str(path)))
        except Exception:  # noqa: BLE001 - an invalid generated instance is skipped
            continue
        doc = json.loads(json.dumps(to_v2(c)))
        if doc["witness"] and doc["witness"].get("networks"):
            yield doc, {r: v["verdict"] for r, v in c.readings.items()}, str(path)


def _moved(net, layer, shift):
    """net with hidden bias b_layer[0] moved down by ``shift`` and b_(layer+1) by + shift W_(layer+1) e_0: every
    cumulative map but W^(layer) x + b^(layer) unchanged (the same affine map x -> W^(L+1) x + b^(L+1))."""
    b = list(net[1])
    b[layer] = (b[layer][0] - shift,) + b[layer][1:]
    b[layer + 1] = tuple(x + shift * r[0] for x, r in zip(b[layer + 1], net[0][layer + 1]))
    return net[0], tuple(b)


def _per_point(monkeypatch):
    """The kernel as before: every least pre-activation and cost by the per-point forward pass."""
    monkeypatch.setattr(T, "lows", lambda I, net: PP.preactivations(net, I))
    monkeypatch.setattr(T, "network_cost", O.forward_cost)


def test_fast_values_equal_the_per_point_definitions(tmp_path, monkeypatch):
    seen, broken = 0, 0
    for doc, lib, path in _certified(tmp_path):
        I, D = K.load(path), K.load(path)         # D: a separate instance (no shared caches) for the definitions
        w = driver.read_witness(T.SCHEMA, doc["witness"], I)
        nets = [n for n in w["networks"].values() if n is not None]
        L = len(nets[0][0]) - 1
        rnd = random.Random(SEED + seen)
        for net in list(nets):                    # copies broken at a random layer: min there 0 or < 0
            layer = rnd.randrange(L)
            Cw, Cb = T.cumulative(net)
            low = min(O.row_bounds(I, Cw[layer], Cb[layer])[0][:1])
            nets.append(_moved(net, layer, low + rnd.choice((F(0), F(1, 3)))))
        for net in nets:
            low, want = O.lows(I, net), PP.preactivations(net, D)
            assert all(a <= b for a, b in zip(low, want))          # lower bounds, > 0 at every layer iff the least are
            assert (len(low) == len(want) and min(low) > 0) == (min(want) > 0)
            broken += min(want) <= 0
            assert T.network_cost(I, net) == O.forward_cost(D, net)
        got = words(K.check(doc, I))              # the library's verdicts, re-derived with the fast values
        assert got == lib
        with monkeypatch.context() as m:
            _per_point(m)
            assert words(K.check(doc, K.load(path))) == got
        seen += 1
    assert seen >= 8 and broken >= seen


@pytest.mark.parametrize("layer, shift", [(0, F(0)), (-1, F(0)), (-1, F(1, 7))])
def test_zero_network_with_a_dead_preactivation_is_rejected(drop, layer, shift):
    """The zero network's (so also the free and descent networks') hidden bias b_l[0] moved down to (or below) the
    least value of row 0 of W^(l) x + b^(l), b_(l+1) compensating so that the cumulative output map is unchanged:
    the construction obligation names the forgery; without it, 2.70 does (the true least pre-activation <= 0, from
    the per-point fallback)."""
    path = bundled("deep_q3")
    c = base.get("deep.thm2.4").check(load_instance(path))
    doc, I = json.loads(json.dumps(to_v2(c))), K.load(path)
    z = driver.read_witness(T.SCHEMA, doc["witness"], I)["networks"]["zero"]
    layer %= len(z[0]) - 1
    Cw, Cb = T.cumulative(z)
    forged = _moved(z, layer, O.row_bounds(I, Cw[layer], Cb[layer])[0][0] + shift)
    nets = doc["witness"]["networks"]
    for k in ("zero", "free", "descent"):         # the networks sharing the zero network's hidden layers
        nets[k]["biases"][layer] = [str(x) for x in forged[1][layer]]
        nets[k]["biases"][layer + 1] = [str(x + y - z) for x, y, z in zip(map(F, nets[k]["biases"][layer + 1]),
                                                                           forged[1][layer + 1], z[1][layer + 1])]
    assert T.cumulative(forged)[1][-1] == T.cumulative(z)[1][-1]        # the same affine map on the data
    low = O.lows(I, forged)
    assert len(low) == layer + 1 and low[layer] <= -shift and PP.preactivations(forged, K.load(path))[layer] == -shift
    rejected_by(doc, I, "as (4.56)-(4.58) at mu")
    drop(T, "as (4.56)-(4.58) at mu")
    rejected_by(doc, I, "2.70: certificate 'proved', kernel undecided "
                        "(obligation 2.70: every hidden pre-activation > 0 failed")
