"""The kernel's class statistics (exactmin_kernel/statements/shallow_thm3_2.py: stats, moments, affine_cost; and
shallow_thm3_2.preactivations / network_cost, used by deep_thm2_4) against the per-point Fraction definitions they replace, on random
campaign instances (fresh seed): G, R, Gz, Rz, Delta_2 and the cost of affine maps are identical."""
import random
import sys
from fractions import Fraction as F
from pathlib import Path

import exactmin_kernel as K
from exactmin_kernel.interp import forward, mm, mv, sub, tr
from exactmin_kernel.linalg import inv
from exactmin_kernel.statements import shallow_thm3_2 as S

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as St  # noqa: E402


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
        assert (G, R, Gz, Rz) == (S.moment(I, lambda j, p: p, lambda j, p: p), S.moment(I, y, lambda j, p: p),
                                  S.moment(I, z, z), S.moment(I, y, z))
        assert mm(mm(Xi, C), tr(Xi)) == S.moment(I, *(lambda j, p: mv(Xi, sub(p, I.means[j])),) * 2)
        A = tuple(tuple(F(rnd.randint(-5, 5), rnd.randint(1, 4)) for _ in range(I.Q)) for _ in range(I.K))
        c = tuple(F(rnd.randint(-5, 5), 3) for _ in range(I.K))
        assert S.affine_cost(I, A, c) == S.cost(I, lambda p: tuple(a + b for a, b in zip(mv(A, p), c)))
        seen += 1
    assert seen >= 10


def test_batched_preactivations_and_cost_equal_the_per_point_forward_pass(tmp_path):
    """Random 2-3 hidden-layer networks (some units dead on some points): least pre-activation per layer and the
    cost (2.36) agree with a point-by-point Fraction evaluation."""
    seen = 0
    for rnd, I in _instances(tmp_path, 61202613, 20):
        L, M, K_ = rnd.randint(1, 3), I.M, I.K
        dims = [M] + [rnd.randint(1, 4) for _ in range(L)] + [K_]
        Ws = tuple(tuple(tuple(F(rnd.randint(-4, 4), rnd.randint(1, 3)) for _ in range(dims[i])) for _ in range(dims[i + 1]))
                   for i in range(L + 1))
        bs = tuple(tuple(F(rnd.randint(-4, 4), rnd.randint(1, 5)) for _ in range(dims[i + 1])) for i in range(L + 1))
        lows = []
        for p in (p for c in I.classes for p in c):
            for i, (W, b) in enumerate(zip(Ws[:-1], bs[:-1])):
                zz = tuple(x + y for x, y in zip(mv(W, p), b))
                lows.append((i, min(zz)))
                p = tuple(max(v, F(0)) for v in zz)
        want = tuple(min(v for i, v in lows if i == k) for k in range(L))
        assert S.preactivations((Ws, bs), I) == want
        assert S.network_cost(I, (Ws, bs)) == S.cost(I, lambda p: forward(Ws, bs, p))
        seen += 1
    assert seen >= 10


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
        D2 = S.moment(I, *(lambda j, p: mv(Xi, sub(p, I.means[j])),) * 2)
        got = RE.facts(I)
        assert got[0] == D2 and got[5] == max(dot(v, v) for v in d1)
        seen += 1
    assert seen >= 10


def test_upper_bound_construction_equals_the_per_point_definitions(tmp_path):
    """shallow.upper-bound on library certificates of fresh shallow instances: the cached construction (class
    statistics, row extremes, batched cost) gives the values of the per-point definitions, and the same signs."""
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
        assert c2 == S.cost(I, lambda p: forward((W1, W2), (b1, b2), p))
        assert formula == sum((wt * dot(mv(I.Y, v), mv(I.Y, v)) for wt, v in zip(wts, dev)), F(0))
        assert dsq == max(dot(v, v) for v in dev) and trD == sum((wt * dot(v, v) for wt, v in zip(wts, dev)), F(0))
        sig = [x + b1[0] for c in I.classes for p in c for x in mv(P, p)]
        noise = [x + b1[-1] for c in I.classes for p in c for x in mv(W1[I.Q:], p)]
        by_name = {ob.name: ob for ob in obs}
        assert min(by_name["signal pre-activations >= 0"].e) == min(sig)
        assert (max(by_name["noise pre-activations <= 0"].a) if noise else None) == (max(noise) if noise else None)
        seen += 1
    assert seen >= 3


def test_thm33_batched_output_comparison_matches_the_per_point_one(tmp_path):
    """shallow.thm3.3's _same_outputs: equal scaled outputs iff the per-point Fraction outputs are equal (random
    one-hidden-layer networks, and a network compared with a copy whose output bias moves one entry)."""
    from exactmin_kernel.statements import shallow_thm3_3 as T33
    seen = 0
    for rnd, I in _instances(tmp_path, 61202616, 12):
        H = rnd.randint(1, 4)
        W1 = tuple(tuple(F(rnd.randint(-3, 3), rnd.randint(1, 3)) for _ in range(I.M)) for _ in range(H))
        b1 = tuple(F(rnd.randint(-3, 3), 2) for _ in range(H))
        W2 = tuple(tuple(F(rnd.randint(-3, 3), 5) for _ in range(H)) for _ in range(I.K))
        b2 = tuple(F(rnd.randint(-3, 3)) for _ in range(I.K))
        bumped = (b2[0] + F(1, 7),) + b2[1:]
        for other, same in (((W1, W2), (b1, b2)), True), (((W1, W2), (b1, bumped)), False):
            lhs, rhs = T33._same_outputs(I, ((W1, W2), (b1, b2)), other)
            per_point = all(forward((W1, W2), (b1, b2), p) == forward(*other, p) for c in I.classes for p in c)
            assert (lhs == rhs) == per_point == same
        seen += 1
    assert seen >= 6
