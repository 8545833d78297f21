"""The obligation kernel's integer fast path (issue 18) against a straightforward Fraction evaluation, and the
verify/check time ratio.  New seeds; magnitudes 10^+-300 and decimals with 22-digit denominators."""
import subprocess
import sys
import time
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin_kernel import instance as KI
from exactmin_kernel.interp import dot, forward, forward_all, holds, ints, mv
from exactmin_kernel.statements import deep_thm2_3 as T
from exactmin_kernel.statements import deep_thm2_3_family as Fam

ROOT = Path(__file__).resolve().parents[1]
# small, 10^+-300 and 22-digit-denominator decimals, signed
_num = st.one_of(st.fractions(min_value=-5, max_value=5, max_denominator=97),
                 st.builds(lambda m, e: F(m) * F(10) ** e, st.integers(-10**6, 10**6), st.sampled_from([-300, 300, -17])),
                 st.builds(lambda m: F(m, 10**22), st.integers(-10**23, 10**23)))


def _vec(n):
    return st.tuples(*[_num] * n)


def _naive_forward(Ws, bs, x):
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = [sum((w * v for w, v in zip(r, x)), F(0)) + c for r, c in zip(W, b)]
        x = z if i == len(Ws) - 1 else [max(v, F(0)) for v in z]
    return tuple(x)


@settings(max_examples=60, deadline=None, derandomize=False)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(_vec(n), min_size=1, max_size=6),
    st.lists(st.tuples(st.tuples(*[_vec(n)] * n), _vec(n)), min_size=1, max_size=4))))
def test_forward_all_equals_fraction_forward(data):
    pts, layers = data
    Ws, bs = tuple(W for W, _ in layers), tuple(b for _, b in layers)
    X, d = forward_all(Ws, bs, ints(pts))
    assert d > 0
    for x, p in zip(X, pts):
        assert tuple(F(v, d) for v in x) == _naive_forward(Ws, bs, p) == forward(Ws, bs, p)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(_vec(n), _vec(n))))
def test_dot_equals_fraction_sum(ab):
    a, b = ab
    assert dot(a, b) == sum((x * y for x, y in zip(a, b)), F(0))


class _I:
    """A minimal instance for the collapse obligations: classes, means, Q, and I.P via geometry's conversion."""
    def __init__(self, classes):
        self.classes, self.Q = classes, len(classes)
        self.means = tuple(tuple(sum(col, F(0)) / len(c) for col in zip(*c)) for c in classes)
        self.P = [ints(c) for c in classes]


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 3).flatmap(lambda Q: st.tuples(
    st.lists(st.lists(_vec(Q), min_size=1, max_size=4), min_size=Q, max_size=Q),
    st.lists(st.tuples(*[_vec(Q)] * Q), min_size=Q, max_size=Q), _vec(Q), st.lists(_num, min_size=1, max_size=2))))
def test_collapse_verdicts_equal_fraction_comparisons(data):
    classes, Wc, f, mus = data
    I = _I(classes)
    c = (lambda k, m: tuple(x - m * y for x, y in zip(I.means[k], f)))      # noqa: E731
    obs = list(Fam.collapse(I, Wc, c, "", tuple(mus)))
    i = 0
    for l in range(I.Q):
        for m in mus:
            at = mv(Wc[l], c(l, m))
            img = lambda p: tuple(sum((w * v for w, v in zip(r, p)), F(0)) for r in Wc[l])   # noqa: E731
            want = (all(all(x <= y for x, y in zip(img(p), at)) for p in classes[l]),
                    all(all(y <= x for x, y in zip(img(p), at)) for c2 in classes[l + 1:] for p in c2),
                    all(all(y <= x for x, y in zip(mv(Wc[l], c(k, mk)), at)) for k in range(l) for mk in mus))
            assert tuple(holds(ob) for ob in obs[i:i + 3]) == want
            i += 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_vec(2), min_size=1, max_size=5), min_size=2, max_size=3))
def test_class_deviation_equals_fraction_max(classes):
    I = KI.Instance(classes, [[F(int(i == j)) for j in range(len(classes))] for i in range(len(classes))])
    dev = T.geometry(I)[0]
    want = tuple(max(sum(((a - b) ** 2 for a, b in zip(p, m)), F(0)) for p in c) for c, m in zip(I.classes, I.means))
    assert dev == want


@pytest.mark.slow
def test_verify_time_within_a_factor_of_check(tmp_path):
    """N = 2*10^4 (Q = 5, 4000 points per class): exactmin verify stays within 25x the library's check."""
    py, env = sys.executable, {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    inst, cert = tmp_path / "i.json", tmp_path / "c.json"
    run = (lambda *a: subprocess.run([py, "-m", "exactmin.cli", *a], cwd=ROOT, env=env, capture_output=True,   # noqa: E731
                                     text=True, timeout=600))
    assert run("generate", "deep", "--q", "5", "--per-class", "4000", "--seed", "6620417", "-o", str(inst)).returncode == 0
    t0 = time.perf_counter()
    assert run("check", "deep.thm2.3", "--instance", str(inst), "--certificate", str(cert)).returncode == 0
    t1 = time.perf_counter()
    r = run("verify", str(cert), "--instance", str(inst))
    t2 = time.perf_counter()
    assert r.returncode == 0 and "L=Q: proved" in r.stdout, r.stdout + r.stderr
    assert t2 - t1 <= 25 * (t1 - t0), (t1 - t0, t2 - t1)


def test_collapse_threshold_between_scaled_integers():
    """at = 1/3 lies strictly between two scaled integers: 2/5 > 1/3 must fail 'collapses' (floor, not ceil) and
    3/10 < 1/3 must fail 'later clusters pass' (ceil, not floor); the apex condition is vacuous at layer 1."""
    I = _I([[(F(2, 5), F(0)), (F(-2, 5), F(0))], [(F(3, 10), F(1)), (F(1), F(1))]])
    eye2 = ((F(1), F(0)), (F(0), F(1)))
    c = (lambda k, m: tuple(x - m * y for x, y in zip(I.means[k], (F(1), F(0)))))      # noqa: E731
    obs = list(Fam.collapse(I, (eye2, eye2), c, "", (F(-1, 3),)))
    assert [holds(ob) for ob in obs[:3]] == [False, False, True]
