"""sym.split in deep ReLU networks (exactmin.sym.deep; digest §2.1 "Deep networks", §5 items 8-10, 13): exact
forward pass and backpropagation, splitting in any hidden layer, the gradient identities, exactly designed critical
points with L > 0, the obligation kernel's independent re-check (statements/sym_split.py), mutation rejection and the CLI."""
import copy
import json
from fractions import Fraction as F

import pytest
from _certs import mutated, numeric_leaves, set_at
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exactmin import cli
import exactmin_kernel as K
from exactmin.certify.write_v2 import document
from exactmin.claims import base
from exactmin_kernel import driver
from exactmin_kernel.statements import sym_split as ksplit
from exactmin.sym import build
from exactmin.sym import deep as D
from exactmin.sym import deep_build as DB
from exactmin.sym import twolayer as T

SET = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
rat = st.fractions(min_value=-3, max_value=3, max_denominator=6)


@st.composite
def deep_nets(draw, depth=None, bias=None, p=None):
    L = draw(st.integers(1, 3)) if depth is None else depth
    widths = [draw(st.integers(1, 3)) for _ in range(L)]
    d = draw(st.integers(1, 3))
    pp = draw(st.integers(1, 2)) if p is None else p
    b = draw(st.booleans()) if bias is None else bias
    dims = [d] + widths + [pp]
    Ws = [[[draw(rat) for _ in range(dims[i])] for _ in range(dims[i + 1])] for i in range(L + 1)]
    bs = [[draw(rat) for _ in range(n)] for n in dims[1:]] if b else None
    net = D.make(Ws, bs)
    n = draw(st.integers(1, 5))
    X = [[draw(rat) for _ in range(d)] for _ in range(n)]
    Y = [[draw(rat) for _ in range(pp)] for _ in range(n)]
    return net, X, Y


@st.composite
def betas(draw, k_max=4):
    k = draw(st.integers(1, k_max))
    b = [draw(rat) for _ in range(k - 1)]
    return b + [1 - sum(b, F(0))]


def _f_inline(net, x):
    """Independent forward pass: plain loops over the layers, ReLU on all but the last."""
    h = [F(v) for v in x]
    for ell, W in enumerate(net.Ws):
        z = [sum((w * v for w, v in zip(row, h)), F(0)) + (net.bs[ell][i] if net.bs is not None else 0)
             for i, row in enumerate(W)]
        h = z if ell == len(net.Ws) - 1 else [max(v, F(0)) for v in z]
    return h


def _pick(data, net):
    layer = data.draw(st.integers(1, net.depth))
    return layer, data.draw(st.integers(0, net.widths[layer - 1] - 1))


@SET
@given(deep_nets(), betas(), st.data())
def test_split_keeps_the_function_exactly_in_any_layer(case, b, data):
    net, X, _ = case
    layer, i = _pick(data, net)
    s = D.split(net, layer, i, b)
    assert s.widths[layer - 1] == net.widths[layer - 1] + len(b) - 1
    per_copy = len(net.Ws[layer - 1][0]) + (net.bs is not None) + len(net.Ws[layer])   # in + bias + out
    assert s.n_params() == net.n_params() + (len(b) - 1) * per_copy
    for x in X:
        assert _f_inline(s, x) == _f_inline(net, x) == D.forward(net, x)


@SET
@given(deep_nets(), betas(), st.data())
def test_split_gradient_identities_hold_exactly(case, b, data):
    net, X, Y = case
    assume(not D.kinks(net, X))
    layer, i = _pick(data, net)
    s = D.split(net, layer, i, b)
    g = D.gradient(net, X, Y)
    g2 = D.gradient(s, X, Y)
    assert g2 == D.split_gradient(g, layer, i, b)
    assert D.loss(s, X, Y) == D.loss(net, X, Y)
    # spelled out: incoming rows beta_c times, outgoing columns equal, the other layers untouched
    idx = D.copy_indices(net, layer, i, len(b))
    for bc, c in zip(b, idx):
        assert g2.Ws[layer - 1][c] == tuple(bc * v for v in g.Ws[layer - 1][i])
        assert [row[c] for row in g2.Ws[layer]] == [row[i] for row in g.Ws[layer]]
        if net.bs is not None:
            assert g2.bs[layer - 1][c] == bc * g.bs[layer - 1][i]
    assert all(g2.Ws[e] == g.Ws[e] for e in range(len(net.Ws)) if e not in (layer - 1, layer))


@SET
@given(deep_nets(), st.data())
def test_backprop_equals_the_exact_directional_derivative(case, data):
    """No finite differences: the derivative of the frozen-pattern loss polynomial, by exact interpolation."""
    net, X, Y = case
    assume(not D.kinks(net, X))
    g = D.gradient(net, X, Y)
    shape = D.gradient(net, X, [[F(0)] * net.p for _ in X])
    v_flat = [data.draw(rat) for _ in shape.flat()]
    it = iter(v_flat)
    v = D.DeepGradient(tuple(tuple(tuple(next(it) for _ in r) for r in W) for W in shape.Ws),
                       None if shape.bs is None else tuple(tuple(next(it) for _ in b) for b in shape.bs))
    assert v.flat() == tuple(v_flat)
    assert D.directional_derivative_exact(net, X, Y, v) == sum((a * b for a, b in zip(g.flat(), v_flat)), F(0))


@SET
@given(deep_nets(depth=1, p=1))
def test_depth_one_agrees_with_the_two_layer_module(case):
    net, X, Y = case
    assume(not D.kinks(net, X))
    c = None if net.bs is None else list(net.bs[0])
    th = T.make([list(r) for r in net.Ws[0]], [net.Ws[1][0][j] for j in range(net.widths[0])], c)
    shift = F(0) if net.bs is None else net.bs[1][0]       # the two-layer module has no output bias
    Yt = [y[0] - shift for y in Y]
    assert [f[0] for f in D.outputs(net, X)] == [T.forward(th, x) + shift for x in X]
    g, gt = D.gradient(net, X, Y), T.gradient(th, X, Yt)
    assert g.Ws[0] == gt.W and tuple(row[0] for row in gt.A) == g.Ws[1][0]
    if net.bs is not None:
        assert g.bs[0] == gt.c


def test_a_zero_pre_activation_is_reported():
    net = D.make([[[1, -1]], [[2]], [[1]]], None)     # depth 2; z_1 = x_1 - x_2
    with pytest.raises(D.NotDifferentiableError) as e:
        D.gradient(net, [[1, 1], [2, 1]], [[0], [0]])
    assert e.value.where and e.value.where[0][:2] == (0, 1)
    with pytest.raises(ValueError):
        D.split(net, 1, 0, [F(1, 2), F(1, 3)])
    with pytest.raises(ValueError):
        D.split(net, 3, 0, [F(1)])


def test_wrong_identities_are_detected():
    """The identity check discriminates: scaling the outgoing instead of the incoming gradients is wrong."""
    S = DB.make_setup(3, [3, 2], 2, False)
    g = D.gradient(S.net, S.X, S.Y_random)
    b = [F(2), F(-1)]
    for layer in (1, 2):
        s = D.split(S.net, layer, 0, b)
        g2 = D.gradient(s, S.X, S.Y_random)
        assert g2 == D.split_gradient(g, layer, 0, b)
        assert g2 != D.split_gradient(g, layer, 0, [F(-1), F(2)])
        assert g2 != D.split_gradient(g, layer, 0, [F(1), F(0)])


@pytest.mark.parametrize("widths,d,bias", [([2, 2], 2, False), ([3, 2, 2], 2, True), ([2, 3], 1, True)])
def test_designed_deep_critical_point_maps_to_the_whole_beta_line(widths, d, bias):
    S = DB.make_setup(1, widths, d, bias)
    net, X = S.net, S.X
    assert len(X) == net.n_params() + 4 and not D.kinks(net, X)
    assert D.is_critical(net, X, S.Y_critical) and D.loss(net, X, S.Y_critical) > 0
    assert not D.is_critical(net, X, S.Y_random)
    assert D.gradient(net, X, S.Y_random).flat() and D.outputs(net, X) == S.Y_teacher
    Lc = D.loss(net, X, S.Y_critical)
    line = [[F(1), F(0)], [F(0), F(1)], [F(-3, 2), F(5, 2)], [F(7, 3), F(-4, 3)], [F(1, 2), F(1, 2)]]
    for layer in range(1, net.depth + 1):
        for i in range(net.widths[layer - 1]):
            for b in line + build.betas_for(3, 1):
                s = D.split(net, layer, i, b)
                assert D.is_critical(s, X, S.Y_critical) and D.loss(s, X, S.Y_critical) == Lc
                assert D.is_critical(s, X, S.Y_teacher) and D.loss(s, X, S.Y_teacher) == 0


def test_setup_rejects_width_one():
    from exactmin.errors import InputError
    for bias in (False, True):
        with pytest.raises(InputError, match="width 1"):
            DB.make_setup(0, [2, 1], 2, bias)


# ---------------------------------------------------------------------------------------------------- claim + kernel
# The certificate is format 2 (exactmin_kernel/statements/sym_split.py); the statement's network code is the kernel's.

def _lib(**opts):
    return base.get("sym.split").check(None, **opts)


def _doc(**opts):
    return json.loads(json.dumps(document(_lib(**opts))))


def _words(doc):
    return {r: v for r, (v, _) in K.check(doc, None)[2].items()}


@pytest.mark.parametrize("opts", [{"depth": 2}, {"depth": 3, "width": 2, "bias": 1, "seed": 1},
                                  {"depth": 2, "d": 1, "bias": 1, "copies": 2}, {"depth": 2, "seed": 5, "copies": 4}])
def test_deep_certificates_are_proved_and_valid(opts):
    c = _lib(**opts)
    doc = json.loads(json.dumps(document(c)))
    assert doc["verdict"] == "proved" and len(doc["witness"]["deep"]["weights"]) == opts["depth"] + 1
    assert set(doc["readings"].values()) == {"proved"}
    v = c.values
    k, L, w = int(v["copies"]), opts["depth"], int(v["width"])
    assert int(v["splits"]) == L * w * (k + 3) and int(v["points"]) == int(v["params"]) + 4
    assert F(v["loss_critical"]) > 0 and v["depth"] == str(L)
    assert _words(doc) == {r: x["verdict"] for r, x in c.readings.items()}


def test_depth_one_certificate_is_unchanged():
    """depth=1 (the default) is the two-layer claim: the same certificate as without the option."""
    a, b = _doc(), _doc(depth=1)
    assert a == b and "deep" not in a["witness"] and "network" in a["witness"]


_SMALL = _doc(depth=2, width=2, copies=2)


@pytest.mark.slow
def test_every_number_but_the_random_targets_matters():
    """Every weight, datum, critical target and beta: moved by 1/7 the certificate is INVALID (the designed point is
    no longer critical, or a beta no longer sums to 1).  Y_random is free: the identities hold at every target."""
    leaves = numeric_leaves(_SMALL, keys=("witness",))
    net = [p for p in leaves if p[:2] == ["witness", "deep"]]
    assert len(net) == int(_lib(depth=2, width=2, copies=2).values["params"])
    for leaf in leaves:
        ok, _ = K.verify(mutated(_SMALL, leaf, F(1, 7)), None)
        assert ok == (leaf[1] == "Y_random"), f"{leaf} changed by 1/7: kernel says {ok}"


def test_structural_changes_are_rejected():
    w = _SMALL["witness"]
    bad = [set_at(_SMALL, ["witness", "deep", "biases"], [["0", "0"], ["0", "0"], ["0"]]),
           set_at(_SMALL, ["witness", "deep", "weights"], w["deep"]["weights"][:2]),
           set_at(_SMALL, ["witness", "betas"], [b[::-1] for b in w["betas"]][:1]),
           set_at(_SMALL, ["witness", "betas"], [["1", "0", "0"]] + w["betas"][1:]),
           set_at(_SMALL, ["witness", "network"], {"W": [["1"]], "a": ["1"]})]
    for doc in bad:
        assert not K.verify(doc, None)[0]


def test_changed_verdicts_are_rejected():
    for name in _SMALL["readings"]:
        for v in ("proved", "refuted", "undecided", "hypotheses-fail"):
            if v != _SMALL["readings"][name]:
                bad = copy.deepcopy(_SMALL)
                bad["readings"][name] = v
                assert not K.verify(bad, None)[0], (name, v)


def test_kernel_reports_a_broken_critical_point_as_hypotheses_fail():
    """Targets that are not critical turn the reading into hypotheses-fail, never proved."""
    w = copy.deepcopy(_SMALL["witness"])
    w["Y_critical"] = w["Y_random"]
    got = driver.derive(ksplit, None, w)
    assert got["critical-positive-loss"] == ("hypotheses-fail", "hypothesis grad L(theta; Y_critical) = 0 is false")
    assert got["function"][0] == "proved"


def _knet(w):
    n = w["deep"]
    return tuple(zip(*[tuple(tuple(tuple(F(v) for v in r) for r in W) for W in n["weights"]),
                       tuple(tuple(F(v) for v in b) for b in n["biases"]) if "biases" in n else (None,) * len(n["weights"])]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rat, min_size=1, max_size=3), st.data())
def test_kernel_split_agrees_with_the_library(bs, data):
    """The statement's split, reverse pass and identities against exactmin.sym.deep (independent code)."""
    b = tuple(bs) + (1 - sum(bs, F(0)),)
    w = _SMALL["witness"]
    knet = _knet(w)
    X = tuple(tuple(F(v) for v in x) for x in w["X"])
    Y = [F(y) for y in w["Y_random"]]
    lnet = D.make(w["deep"]["weights"], w["deep"].get("biases"))
    layer = data.draw(st.integers(1, 2))
    i = data.draw(st.integers(0, 1))
    ks = ksplit.split(knet, layer - 1, i, b)
    ls = D.split(lnet, layer, i, b)
    assert tuple(W for W, _ in ks) == ls.Ws
    P = ksplit.passes(ks, X)
    L, g = ksplit.loss_grad(ks, P, Y)
    lg = D.gradient(ls, X, [[y] for y in Y])
    assert L == D.loss(ls, X, [[y] for y in Y]) and tuple(G for G, _ in g) == lg.Ws
    assert [[f] for *_, f in P] == D.outputs(ls, X)
    assert g == ksplit.identities(ksplit.loss_grad(knet, ksplit.passes(knet, X), Y)[1], layer - 1, i, b)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.integers(2, 3), st.integers(1, 3), st.integers(1, 2), st.booleans(), betas(k_max=3), st.data())
def test_kernel_proves_the_identities_on_random_networks(depth, width, d, bias, b, data):
    """The statement on random rational networks and data (not from the library's generator): the function, the
    identities and zero-loss criticality are proved (identities: undecided where grad L = 0 makes them vacuous);
    one beta vector has rank 1 < copies, so even at a critical point the split subspace is not covered."""
    assume(len(b) >= 2)
    dims = [d] + [width] * depth + [1]
    Ws = [[[data.draw(rat) for _ in range(dims[i])] for _ in range(dims[i + 1])] for i in range(depth + 1)]
    bs = [[data.draw(rat) for _ in range(n)] for n in dims[1:]] if bias else None
    X = [[data.draw(rat) for _ in range(d)] for _ in range(data.draw(st.integers(1, 4)))]
    net = D.make(Ws, bs)
    assume(not D.kinks(net, X))
    Y = [data.draw(rat) for _ in X]
    s = str
    w = {"deep": {"weights": [[[s(v) for v in r] for r in W] for W in Ws]}, "X": [[s(v) for v in x] for x in X],
         "Y_random": [s(y) for y in Y], "Y_critical": [s(y) for y in Y], "betas": [[s(v) for v in b]]}
    if bs is not None:
        w["deep"]["biases"] = [[s(v) for v in c] for c in bs]
    got = {r: v for r, (v, _) in driver.derive(ksplit, None, w).items()}
    L, g = D.loss_and_gradient(net, X, [[y] for y in Y])
    assert got["function"] == got["critical-zero-loss"] == "proved"
    assert got["gradient-identities"] == ("undecided" if g.is_zero() else "proved")
    assert got["critical-positive-loss"] == ("hypotheses-fail" if L == 0 or not g.is_zero() else "undecided")


# ---------------------------------------------------------------------------------------------------- CLI

def test_cli_check_depth_2_rows_and_verify(tmp_path, capsys):
    c = tmp_path / "c.json"
    assert cli.main(["check", "sym.split", "--option", "depth=2", "--certificate", str(c)]) == 0
    out = capsys.readouterr().out
    rows = [ln for ln in out.splitlines() if ln.startswith("sym.split ")]
    assert len(rows) == 4 and all("proved" in r for r in rows)
    assert {r.split()[1] for r in rows} == {"function", "gradient-identities", "critical-zero-loss",
                                            "critical-positive-loss"}
    assert "depth = 2" in out
    doc = json.loads(c.read_text())
    assert doc["format"] == K.FORMAT and len(doc["witness"]["deep"]["weights"]) == 3
    assert cli.main(["verify", str(c)]) == 0
    doc["witness"]["deep"]["weights"][1][0][0] = str(F(doc["witness"]["deep"]["weights"][1][0][0]) + 1)
    c.write_text(json.dumps(doc))
    assert cli.main(["verify", str(c)]) == 1
    capsys.readouterr()


@pytest.mark.parametrize("opts", [["depth=5"], ["depth=0"], ["depth=x"], ["depth=2", "width=5"],
                                  ["depth=2", "width=1"]])
def test_cli_bad_depth_options_exit_2(opts, capsys, tmp_path):
    c = tmp_path / "c.json"
    argv = ["check", "sym.split", "--certificate", str(c)]
    for o in opts:
        argv += ["--option", o]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error" in err, err
    assert not c.exists()
