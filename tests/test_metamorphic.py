"""Metamorphic tests: verdicts and exact values are invariant under relabelling that does not change the problem.

(a) Permuting the points inside a class: the cost (2.36) is a sum over points, δ, c0², the (2.14) margin,
    X_0^red, Δ_2 are symmetric functions of each class, so every verdict and every value must be unchanged.
(b) Permuting the classes together with the columns of Y: costs, δ, c0², margins are sums/maxima over classes,
    so they are unchanged; determinants of X_0^red, Y change sign only; values indexed by a class configuration
    (deep.thm2.5's ``[s=...]``) move with the permutation. The deep construction (Theorem 2.3) collapses the
    classes in instance order, so values describing a particular layer of that construction (µ intervals per
    layer j, margins of the identity/apex layers, the layer count of a random net) are order-dependent and are
    not compared; their verdicts are.
(c) Positive rescaling of a hidden ReLU unit: row k of (W_ℓ, b_ℓ) times α > 0 and column k of W_{ℓ+1} times 1/α
    gives σ(αz) = ασ(z), so the outputs and the cost are exactly equal — checked on random networks through
    exactmin.nets.network / cost and on the witness network of a Theorem 2.3 certificate through both the
    library and the certificate kernel.
(d) flow claims: class permutation (with labels) of the one-point-per-class flow instances.
sym claims take no instance (only (r, m, d) options), so (a)/(b) do not apply to them.
"""
from __future__ import annotations

import re
from fractions import Fraction as F

import pytest
from flint import fmpq, fmpq_mat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin.certify.kernel import core as kcore
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.instance import Instance
from exactmin.data.io import load_instance
from exactmin.exact.intmat import IntMat
from exactmin.nets.cost import cost_squared, last_layer_lsq
from exactmin.nets.network import Network

SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])
NAMES = ["deep_q2", "deep_q3", "shallow_q2_m2", "shallow_q2_m3"]
REG = base.load_all()
CLAIMS = sorted(c for c in REG if REG[c].paper in ("deep", "shallow"))
#: values that describe one layer of the order-dependent construction (see (b) above)
ORDER_DEPENDENT = re.compile(r"^(mu_admissible_(lo|hi)\[j=\d+\]|identity_margin_sq|apex_min_preactivation|"
                             r"mixed_sign_layers)$")
SIGNED = re.compile(r"^det_(X0_red|Y)$")
CONFIG = re.compile(r"^(.*)\[s=([01]+)\]$")

_ORIG: dict[tuple[str, str], dict] = {}


def _inst(name):
    return load_instance(bundled(name))


def _run(cid, inst):
    return REG[cid].check(inst).to_json()


def _orig(cid, name):
    if (cid, name) not in _ORIG:
        _ORIG[(cid, name)] = _run(cid, _inst(name))
    return _ORIG[(cid, name)]


def permute_points(inst: Instance, perms) -> Instance:
    cols = []
    for j, p in enumerate(perms):
        cols += [inst.class_slice(j).start + i for i in p]
    return Instance(inst.name, inst.X0_num[:, cols], inst.X0_den, inst.sizes, inst.Y)


def permute_classes(inst: Instance, sigma) -> Instance:
    """New class k is old class sigma[k]; column k of the new Y is old column sigma[k]."""
    cols = []
    for j in sigma:
        sl = inst.class_slice(j)
        cols += list(range(sl.start, sl.stop))
    Y = fmpq_mat(inst.Y.nrows(), inst.Q)
    for r in range(inst.Y.nrows()):
        for k, j in enumerate(sigma):
            Y[r, k] = inst.Y[r, j]
    return Instance(inst.name, inst.X0_num[:, cols], inst.X0_den, [inst.sizes[j] for j in sigma], Y)


def _verdicts(doc):
    return doc["verdict"], {k: r["verdict"] for k, r in doc.get("readings", {}).items()}


@st.composite
def point_perms(draw, sizes):
    return [draw(st.permutations(range(n))) for n in sizes]


# ----------------------------------------------------------------------------- (a) points within a class

@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_point_permutation_changes_nothing(name, data):
    inst = _inst(name)
    perms = data.draw(point_perms(inst.sizes))
    new = permute_points(inst, perms)
    for cid in CLAIMS:
        a, b = _orig(cid, name), _run(cid, new)
        assert _verdicts(a) == _verdicts(b), cid
        assert a["values"] == b["values"], cid


# ----------------------------------------------------------------------------- (b) classes with labels

def _expected_key(key: str, sigma) -> str:
    """The key of the original certificate that corresponds to ``key`` of the permuted one."""
    m = CONFIG.match(key)
    if not m:
        return key
    s_new = m.group(2)
    s_old = ["?"] * len(s_new)
    for k, j in enumerate(sigma):
        s_old[j] = s_new[k]
    return f"{m.group(1)}[s={''.join(s_old)}]"


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_class_permutation_with_labels(name, data):
    inst = _inst(name)
    sigma = data.draw(st.permutations(range(inst.Q)))
    new = permute_classes(inst, sigma)
    compared = 0
    for cid in CLAIMS:
        a, b = _orig(cid, name), _run(cid, new)
        assert _verdicts(a) == _verdicts(b), cid
        assert set(map(lambda k: _expected_key(k, sigma), b["values"])) == set(a["values"]), cid
        for key, v in b["values"].items():
            base_key = CONFIG.match(key).group(1) if CONFIG.match(key) else key
            if ORDER_DEPENDENT.match(base_key):
                continue
            w = a["values"][_expected_key(key, sigma)]
            if SIGNED.match(key):
                assert abs(F(v)) == abs(F(w)), (cid, key)
            else:
                assert v == w, (cid, key)
            compared += 1
    assert compared > 30


def test_class_permutation_moves_configuration_values():
    """deep.thm2.5 on deep_q2 has distinct [s=01] and [s=10] values, and swapping the classes swaps them."""
    a = _orig("deep.thm2.5", "deep_q2")["values"]
    b = _run("deep.thm2.5", permute_classes(_inst("deep_q2"), [1, 0]))["values"]
    key = "formula_original_means"
    assert a[f"{key}[s=01]"] != a[f"{key}[s=10]"]
    assert b[f"{key}[s=01]"] == a[f"{key}[s=10]"] and b[f"{key}[s=10]"] == a[f"{key}[s=01]"]


# ----------------------------------------------------------------------------- (c) positive rescaling

def _scale_unit(net: Network, layer: int, k: int, alpha: fmpq) -> Network:
    Ws, bs = [fmpq_mat(W) for W in net.weights], [fmpq_mat(b) for b in net.biases]
    W, b, Wn = Ws[layer], bs[layer], Ws[layer + 1]
    for c in range(W.ncols()):
        W[k, c] *= alpha
    b[k, 0] *= alpha
    for r in range(Wn.nrows()):
        Wn[r, k] /= alpha
    return Network(tuple(Ws), tuple(bs))


_q = st.builds(fmpq, st.integers(-9, 9), st.integers(1, 5))
_alpha = st.builds(fmpq, st.integers(1, 50), st.integers(1, 50))


@st.composite
def networks(draw, Q, out_dim):
    L = draw(st.integers(1, 3))
    widths = [Q] + [draw(st.integers(1, 4)) for _ in range(L)] + [out_dim]
    Ws = tuple(fmpq_mat(widths[i + 1], widths[i], [draw(_q) for _ in range(widths[i] * widths[i + 1])])
               for i in range(L + 1))
    bs = tuple(fmpq_mat(widths[i + 1], 1, [draw(_q) for _ in range(widths[i + 1])]) for i in range(L + 1))
    return Network(Ws, bs)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_hidden_unit_rescaling_keeps_outputs_and_cost(name, data):
    inst = _inst(name)
    net = data.draw(networks(inst.M, inst.out_dim))
    layer = data.draw(st.integers(0, net.L - 1))
    k = data.draw(st.integers(0, net.weights[layer].nrows() - 1))
    alpha = data.draw(_alpha)
    new = _scale_unit(net, layer, k, alpha)
    X = IntMat(inst.X0_num, inst.X0_den)
    out, out2 = net.forward(X), new.forward(X)
    assert out.to_fmpq_mat() == out2.to_fmpq_mat()
    assert cost_squared(out, inst.Y, inst.sizes) == cost_squared(out2, inst.Y, inst.sizes)
    h, h2 = net.forward_hidden(X), new.forward_hidden(X)
    assert (h[layer].sign() == h2[layer].sign()).all()          # activation pattern unchanged
    # the optimal last layer on the scaled hidden features reaches exactly the same value
    for free in (True, False):
        assert last_layer_lsq(h[-1], inst.Y, inst.sizes, free).value == \
            last_layer_lsq(h2[-1], inst.Y, inst.sizes, free).value


def _witness_net(doc, which):
    w = doc["witness"]["networks"][which]
    return Network(tuple(fmpq_mat([[fmpq(*map(int, (F(x).numerator, F(x).denominator))) for x in r] for r in W])
                         for W in w["weights"]),
                   tuple(fmpq_mat([[fmpq(F(x).numerator, F(x).denominator)] for x in b]) for b in w["biases"]))


def _as_json_net(net: Network):
    s = lambda x: str(F(int(x.p), int(x.q)))  # noqa: E731
    return {"weights": [[[s(W[i, j]) for j in range(W.ncols())] for i in range(W.nrows())] for W in net.weights],
            "biases": [[s(b[i, 0]) for i in range(b.nrows())] for b in net.biases]}


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3"])
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_rescaled_theorem_2_3_witness_has_the_certified_cost(name, data):
    """Theorem 2.3's witness network, with a hidden unit rescaled, still has the certified cost (library + kernel)."""
    doc = _orig("deep.thm2.3", name)
    inst = _inst(name)
    kinst = kcore.load_instance(bundled(name))
    for which, key in (("L=Q", "cost_squared"), ("L>Q", "cost_squared_extra")):
        net = _witness_net(doc, which)
        layer = data.draw(st.integers(0, net.L - 1), label="layer")
        k = data.draw(st.integers(0, net.weights[layer].nrows() - 1), label="unit")
        new = _scale_unit(net, layer, k, data.draw(_alpha, label="alpha"))
        out = new.forward(IntMat(inst.X0_num, inst.X0_den))
        want = fmpq(F(doc["values"][key]).numerator, F(doc["values"][key]).denominator)
        assert cost_squared(out, inst.Y, inst.sizes) == want
        Ws, bs = kcore.parse_net(_as_json_net(new), inst.Q, inst.out_dim)
        assert kcore.cost_sq(kinst, lambda p: kcore.forward(Ws, bs, p)[1]) == F(doc["values"][key])


# ----------------------------------------------------------------------------- (d) flow

@pytest.mark.parametrize("name", ["flow_n3", "flow_n4", "flow_o1"])
@pytest.mark.parametrize("cid", ["flow.rank-condition", "flow.equilibria-rank-loss"])
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_flow_class_permutation(name, cid, data):
    inst = _inst(name)
    sigma = data.draw(st.permutations(range(inst.Q)))
    a, b = _orig(cid, name), _run(cid, permute_classes(inst, sigma))
    assert _verdicts(a) == _verdicts(b)
    assert a["values"] == b["values"]
