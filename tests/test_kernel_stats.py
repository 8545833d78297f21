"""The kernel's class statistics and networks on the data (exactmin_kernel/ondata.py: stats, affine_cost, row_bounds,
hidden, lows, network_cost, same_outputs; shallow_thm3_2.moments) against the per-point Fraction definitions they
replace (tests/_perpoint.py), on random campaign instances (fresh seeds): G, R, Gz, Rz, Delta_2, the cost of affine
maps and of networks are identical, the least pre-activations are bounded with the right sign."""
import random
import sys
from fractions import Fraction as F
from pathlib import Path

import exactmin_kernel as K
from exactmin_kernel.interp import forward, mm, mv, sub, tr
from exactmin_kernel import ondata as O
from exactmin_kernel.linalg import inv
from exactmin_kernel.statements import shallow_thm3_2 as S

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as St  # noqa: E402
import _perpoint as PP  # noqa: E402


def _instances(tmp_path, seed, n):
    rnd = random.Random(seed)
    for i in range(n):
        path = St.write(St.generate(rnd), tmp_path / f"i{i}", rnd)
        try:
            yield rnd, K.load(str(path))
        except K.InstanceError:
            continue


def test_moments_and_affine_cost_equal_the_per_point_sums(tmp_path):
    seen = 0
    for rnd, I in _instances(tmp_path, 61202612, 40):
        if I.M != I.Q or I.K != I.Q or (Xi := inv(tr(I.means))) is None:
            continue
        z, y = (lambda j, p: p + (F(1),)), (lambda j, p: I.y(j))
        G, R, Gz, Rz, C = S.moments(I)
        assert (G, R, Gz, Rz) == (PP.moment(I, lambda j, p: p, lambda j, p: p), PP.moment(I, y, lambda j, p: p),
                                  PP.moment(I, z, z), PP.moment(I, y, z))
        assert mm(mm(Xi, C), tr(Xi)) == PP.moment(I, *(lambda j, p: mv(Xi, sub(p, I.means[j])),) * 2)
        A = tuple(tuple(F(rnd.randint(-5, 5), rnd.randint(1, 4)) for _ in range(I.Q)) for _ in range(I.K))
        c = tuple(F(rnd.randint(-5, 5), 3) for _ in range(I.K))
        assert O.affine_cost(I, A, c) == PP.cost(I, lambda p: tuple(a + b for a, b in zip(mv(A, p), c)))
        seen += 1
    assert seen >= 10


def _network(rnd, dims):
    Ws = tuple(tuple(tuple(F(rnd.randint(-4, 4), rnd.randint(1, 3)) for _ in range(dims[i])) for _ in range(dims[i + 1]))
               for i in range(len(dims) - 1))
    bs = tuple(tuple(F(rnd.randint(-4, 4), rnd.randint(1, 5)) for _ in range(dims[i + 1])) for i in range(len(dims) - 1))
    return Ws, bs


def _lifted(rnd, net, I):
    """net with every hidden bias moved so that each row's least value over the data is 0 or 1/9 (the unit is the
    identity there), except, at random, row 0 pushed to at most 0 (dead on the data): affine on the data."""
    Ws, bs = net
    bs, H = list(bs), [p for c in I.classes for p in c]
    for i in range(len(Ws) - 1):
        Z = [tuple(x + y for x, y in zip(mv(Ws[i], h), bs[i])) for h in H]
        lo, hi = tuple(map(min, zip(*Z))), tuple(map(max, zip(*Z)))
        dead = rnd.random() < 0.5
        shift = tuple(-h - rnd.randint(0, 1) if dead and r == 0 else -l + rnd.choice((F(0), F(1, 9)))
                      for r, (l, h) in enumerate(zip(lo, hi)))
        bs[i] = tuple(b + t for b, t in zip(bs[i], shift))
        H = [tuple(max(v + t, F(0)) for v, t in zip(z, shift)) for z in Z]
    return Ws, tuple(bs)


def test_networks_on_the_data_equal_the_per_point_forward_pass(tmp_path):
    """Random 1-3 hidden-layer networks (units dead on some points, or lifted so that the layers are affine on the
    data): lows bound the per-point least pre-activations with the same sign (> 0 at every layer iff they are),
    the map of ondata.hidden equals the forward pass at every point, and network_cost equals the per-point cost."""
    seen, affine = 0, 0
    for rnd, I in _instances(tmp_path, 71207313, 24):
        L, M, K_ = rnd.randint(1, 3), I.M, I.K
        net = _network(rnd, [M] + [rnd.randint(1, 4) for _ in range(L)] + [K_])
        for n in (net, _lifted(rnd, net, I)):
            want, low = PP.preactivations(n, I), O.lows(I, n)
            assert all(a <= b for a, b in zip(low, want)) and len(low) <= len(want)
            assert (len(low) == len(want) and min(low) > 0) == (min(want) > 0)
            f = O.hidden(I, n)[1]
            if f:
                affine += 1
                assert all(tuple(x + y for x, y in zip(mv(f[0], p), f[1])) == forward(*n, p) for c in I.classes for p in c)
            assert O.network_cost(I, n) == PP.cost(I, lambda p: forward(*n, p)) == O.forward_cost(I, n)
        seen += 1
    assert seen >= 10 and affine >= 5


def test_row_bounds_bound_the_data_and_are_exact_without_a_condition(tmp_path):
    """ondata.row_bounds: exact extremes when no condition is given or it fails; 40-bit bounds (containing the
    exact ones) when the condition holds for them.  Wide rows (about 2^70) make the bounds differ from the extremes."""
    seen = 0
    for rnd, I in _instances(tmp_path, 71207314, 16):
        W = tuple(tuple(F(rnd.randint(-2**70, 2**70), rnd.randint(1, 2**30)) for _ in range(I.M)) for _ in range(3))
        b = tuple(F(rnd.randint(-9, 9)) for _ in range(3))
        exact = PP.row_extremes(I, W, b)
        assert O.row_bounds(I, W, b) == exact
        assert O.row_bounds(I, W, b, lambda lo, hi: False) == exact
        lo, hi = O.row_bounds(I, W, b, lambda lo, hi: True)
        assert all(x <= y for x, y in zip(lo, exact[0])) and all(x >= y for x, y in zip(hi, exact[1]))
        seen += 1
    assert seen >= 8


def test_relative_error_facts_equal_the_per_point_definitions(tmp_path):
    """shallow.relative-error: Delta_2 from the class statistics and delta_P^2 in integers equal the per-point
    Fraction sums (Delta_1 = X^-1 (x - xbar_j))."""
    from exactmin_kernel.interp import dot
    from exactmin_kernel.statements import shallow_relative_error as RE
    seen = 0
    for _, I in _instances(tmp_path, 61202614, 40):
        if I.M != I.Q or I.K != I.Q or (Xi := inv(tr(I.means))) is None:
            continue
        d1 = [mv(Xi, sub(p, m)) for c, m in zip(I.classes, I.means) for p in c]
        D2 = PP.moment(I, *(lambda j, p: mv(Xi, sub(p, I.means[j])),) * 2)
        got = RE.facts(I)
        assert got[0] == D2 and got[5] == max(dot(v, v) for v in d1)
        seen += 1
    assert seen >= 10


def test_upper_bound_construction_equals_the_per_point_definitions(tmp_path):
    """shallow.upper-bound on library certificates of fresh shallow instances: the cached construction (class
    statistics, row bounds, cost of the map on the data) gives the values of the per-point definitions, and the same
    signs (the pre-activation bounds contain the exact extremes)."""
    from exactmin.certify.write_v2 import to_v2
    from exactmin.claims import base
    from exactmin.data.generate_shallow import generate_shallow
    from exactmin.data.io import write_instance
    from exactmin_kernel import driver
    from exactmin_kernel.interp import dot
    from exactmin_kernel.statements import shallow_upper_bound as UB
    rnd, seen = random.Random(61202615), 0
    for k in range(6):
        Q = rnd.randint(2, 4)
        inst = generate_shallow(Q, Q + rnd.randint(0, 3), rnd.randint(2, 6), seed=rnd.randrange(10**6))
        path = tmp_path / f"s{k}.json"
        write_instance(inst, path)
        doc = to_v2(base.get("shallow.upper-bound").check(inst))
        I = K.load(str(path))
        if doc["witness"] == {}:
            continue
        w = driver.read_witness(UB.SCHEMA, doc["witness"], I)
        obs, c2, formula, dsq, trD = UB.construction(I, w)
        (W1, W2), (b1, b2) = w["network"]
        X = tr(I.means)
        P = mm(inv(mm(tr(X), X)), tr(X))
        dev = [mv(P, sub(p, m)) for c, m in zip(I.classes, I.means) for p in c]
        wts = [F(1, len(c)) for c in I.classes for _ in c]
        assert c2 == PP.cost(I, lambda p: forward((W1, W2), (b1, b2), p))
        assert formula == sum((wt * dot(mv(I.Y, v), mv(I.Y, v)) for wt, v in zip(wts, dev)), F(0))
        assert dsq == max(dot(v, v) for v in dev) and trD == sum((wt * dot(v, v) for wt, v in zip(wts, dev)), F(0))
        sig = [x + b1[0] for c in I.classes for p in c for x in mv(P, p)]
        noise = [x + b1[-1] for c in I.classes for p in c for x in mv(W1[I.Q:], p)]
        by_name = {ob.name: ob for ob in obs}
        got = min(by_name["signal pre-activations >= 0"].e)         # a lower bound with the exact sign
        assert got <= min(sig) and (got >= 0) == (min(sig) >= 0)
        if noise:
            got = max(by_name["noise pre-activations <= 0"].a)       # an upper bound with the exact sign
            assert got >= max(noise) and (got <= 0) == (max(noise) <= 0)
        seen += 1
    assert seen >= 3


def test_same_outputs_matches_the_per_point_comparison(tmp_path):
    """ondata.same_outputs (shallow.thm3.3): equal iff the per-point Fraction outputs are equal (random
    one-hidden-layer networks, possibly lifted to be affine on the data, compared with themselves, with a copy
    whose output bias moves one entry, and with a copy of the same map written with another hidden layer)."""
    seen = 0
    for rnd, I in _instances(tmp_path, 61202616, 12):
        H = rnd.randint(1, 4)
        W1 = tuple(tuple(F(rnd.randint(-3, 3), rnd.randint(1, 3)) for _ in range(I.M)) for _ in range(H))
        b1 = tuple(F(rnd.randint(-3, 3), 2) for _ in range(H))
        W2 = tuple(tuple(F(rnd.randint(-3, 3), 5) for _ in range(H)) for _ in range(I.K))
        b2 = tuple(F(rnd.randint(-3, 3)) for _ in range(I.K))
        bumped = (b2[0] + F(1, 7),) + b2[1:]
        if rnd.random() < 0.5:                  # every unit alive on the data: the network is affine there
            b1 = _lifted(rnd, ((W1, W2), (b1, b2)), I)[1][0]
        twice = ((tuple(tuple(2 * v for v in r) for r in W1), W2), (tuple(2 * v for v in b1), b2))
        half = (twice[0][0], tuple(tuple(v / 2 for v in r) for r in W2)), twice[1]   # the same function
        for other, same in (((W1, W2), (b1, b2)), True), (((W1, W2), (b1, bumped)), False), (half, True):
            lhs, rhs = O.same_outputs(I, ((W1, W2), (b1, b2)), other)
            per_point = all(forward((W1, W2), (b1, b2), p) == forward(*other, p) for c in I.classes for p in c)
            assert (lhs == rhs) == per_point == same
        seen += 1
    assert seen >= 6
