"""Instance generators for the randomized campaign (issue 14), usable by hypothesis and by a seeded Random.

``generate(rnd, kind=None)`` draws one :class:`Spec` (plain Fractions, the file format and the number style) from a
:class:`random.Random`; ``specs()`` is the hypothesis strategy (it draws a seed and a kind, so a failing example is
reproduced by ``generate(random.Random(seed), kind)``).  Kinds (:data:`KINDS`):

* ``generated``            ``exactmin.data.generate.generate_deep`` (wide margin), then a random similarity motion;
* ``generated-shallow``    ``generate_shallow`` (M ≥ Q);
* ``wide``                 raw random means, deviations with δ² = δ_thr²/4 (hypotheses hold with a wide margin);
* ``near-inside`` / ``near-outside``  δ² = δ_thr² (1 ∓ 10^-12): within 10^-12 of the (2.14)/(2.51) threshold;
* ``fail-little`` / ``fail-lot``      δ² = δ_thr² (1 + 10^-3) and 100 δ_thr²;
* ``duplicate``, ``collinear``, ``one-point``, ``coincident``: the degenerate geometries;
* ``q2-symmetric`` / ``q2-asymmetric``: Q = 2 with a symmetric / generic matrix of class means;
* ``shallow-raw``          M > Q raw data;
* ``random``               no structure at all (means and deviations both random).

δ_thr² = min(min_j D_j²/16, min_{s>0} s²/(16 D_j²)) is the exact squared threshold of δ for (2.14) and (2.51)
(it is rational); deviations are a random zero-sum integer pattern scaled by a rational t with t² within 10^-24 of
the target (rounded to the correct side).  Labels: identity, permutation, random invertible, singular, and rarely
a rectangular (Q+1) × Q matrix.  Number styles: integers, short decimals, p/q, and a magnitude 10^e (|e| ≤ 300).
Files: JSON (numbers as JSON literals or strings), CSV (interleaved rows, identity labels only), NPZ (int64 only).

Exact transforms (the symmetries checked by the runner): rotations by Cayley transforms of rational skew matrices
(det +1), Householder reflections I − 2vvᵀ/|v|² (det −1), rational translations, positive scalings, point
permutations within a class, class permutations with Y's columns.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from fractions import Fraction as F
from math import isqrt

from .reference import det, dot, inverse, matmul, sub  # exact helpers; reference imports nothing from exactmin

KINDS = ("generated", "generated-shallow", "wide", "near-inside", "near-outside", "fail-little", "fail-lot",
         "duplicate", "collinear", "one-point", "coincident", "q2-symmetric", "q2-asymmetric", "shallow-raw",
         "random")
#: how often each kind is drawn when none is asked for (the hypotheses hold on about half of the draws)
KIND_WEIGHTS = (3, 1, 3, 2, 1, 1, 1, 0.7, 0.7, 0.7, 0.7, 1.5, 1.5, 1, 0.7)
LABEL_KINDS = ("identity", "permutation", "invertible", "singular", "rectangular")
STYLES = ("int", "decimal", "pq", "magnitude")
FORMATS = ("json", "csv", "npz")
TRANSFORMS = ("rotation", "reflection", "translation", "scaling", "point-perm", "class-perm")
INT64 = 2**62


@dataclass
class Spec:
    """One generated instance: ``classes[j][i][k]`` Fractions, ``labels`` rows of Y (None: identity)."""
    classes: list
    labels: list | None = None
    kind: str = "random"
    label_kind: str = "identity"
    style: str = "pq"
    fmt: str = "json"
    seed: int = 0
    tags: dict = field(default_factory=dict)

    @property
    def Q(self):
        return len(self.classes)

    @property
    def M(self):
        return len(self.classes[0][0])

    @property
    def N(self):
        return sum(len(c) for c in self.classes)

    def describe(self) -> str:
        sizes = ",".join(str(len(c)) for c in self.classes)
        return (f"kind={self.kind} Q={self.Q} M={self.M} sizes=[{sizes}] labels={self.label_kind} "
                f"style={self.style} fmt={self.fmt} seed={self.seed}")


# ---------------------------------------------------------------------------------------------- small algebra
def _mean(pts):
    return [sum((p[k] for p in pts), F(0)) / len(pts) for k in range(len(pts[0]))]


def threshold_sq(means):
    """δ_thr² = min(min_j D_j²/16, min over pairs with s > 0 of s²/(16 D_j²)); None if some D_j = 0."""
    Q = len(means)
    xb = [sum((m[k] for m in means), F(0)) / Q for k in range(len(means[0]))]
    D2 = [dot(sub(xb, m), sub(xb, m)) for m in means]
    if min(D2) == 0:
        return None
    out = min(D2) / 16
    for j in range(Q):
        f = sub(xb, means[j])
        for jp in range(Q):
            if jp != j:
                s = dot(sub(means[jp], means[j]), f)
                if s > 0:
                    out = min(out, s * s / (16 * D2[j]))
    return out


def _sqrt_approx(x: F, up: bool, digits: int = 24) -> F:
    """A rational t ≥ 0 with |t² − x| ≤ x·10^-(digits-2) (roughly), t² ≤ x (up=False) or t² ≥ x (up=True)."""
    scale = 10 ** digits
    r = isqrt(x.numerator * scale * scale // x.denominator)
    t = F(r, scale)
    if up:
        while t * t < x:
            t += F(1, scale)
    else:
        while t * t > x:
            t -= F(1, scale)
    return t


# ---------------------------------------------------------------------------------------------- geometry
def _sizes(rnd, Q, min_size=2):
    out = []
    for _ in range(Q):
        r = rnd.random()
        n = rnd.randint(min_size, 4) if r < 0.6 else rnd.randint(min_size, 12) if r < 0.93 else rnd.randint(13, 50)
        out.append(n)
    return out


def _means(rnd, Q, M, layout):
    if layout == "spread":                   # a perturbed simplex R e_j + c: the cone condition usually holds
        R = rnd.randint(5, 40)
        c = [F(rnd.randint(-20, 20), 10) for _ in range(M)]
        return [[c[k] + (R if k == j % M else 0) + F(rnd.randint(-10, 10), rnd.choice([1, 7, 10]))
                 for k in range(M)] for j in range(Q)]
    if layout == "symmetric":
        S = [[F(0)] * Q for _ in range(Q)]
        for a in range(Q):
            for b in range(a, Q):
                S[a][b] = S[b][a] = F(rnd.randint(-9, 9), rnd.choice([1, 2, 3])) + (20 if a == b else 0)
        return [[S[k][j] for k in range(Q)] + [F(0)] * (M - Q) for j in range(Q)]
    return [[F(rnd.randint(-30, 30), rnd.choice([1, 3, 10])) for _ in range(M)] for _ in range(Q)]


def _pattern(rnd, n, M, allow_zero=False):
    """n integer deviation vectors summing to zero (not all zero unless n = 1)."""
    if n == 1:
        return [[F(0)] * M]
    while True:
        d = [[F(rnd.randint(-9, 9)) for _ in range(M)] for _ in range(n - 1)]
        last = [-sum((v[k] for v in d), F(0)) for k in range(M)]
        d.append(last)
        if allow_zero or any(x != 0 for v in d for x in v):
            return d


def _place(rnd, means, sizes, target_sq, up):
    """Classes around ``means`` with max |deviation|² ≈ target_sq (on the side given by ``up``)."""
    M = len(means[0])
    pats = [_pattern(rnd, n, M) for n in sizes]
    d0 = max(dot(v, v) for p in pats for v in p)
    if d0 == 0:
        t = F(0)
    else:
        t = _sqrt_approx(target_sq / d0, up)
    return [[[m[k] + t * v[k] for k in range(M)] for v in p] for m, p in zip(means, pats)]


_FACTOR = {"wide": (F(1, 4), False), "near-inside": (1 - F(1, 10**12), False),
           "near-outside": (1 + F(1, 10**12), True), "fail-little": (1 + F(1, 1000), True),
           "fail-lot": (F(100), True)}


def _raw(rnd, kind, Q, M):
    layout = "symmetric" if kind == "q2-symmetric" else ("spread" if rnd.random() < 0.75 else "random")
    means = _means(rnd, Q, M, layout)
    sizes = _sizes(rnd, Q)
    thr = threshold_sq(means)
    if thr is None:
        thr = F(1)
    fac, up = _FACTOR.get(kind, (F(rnd.choice([1, 1, 1, 4, 100]), 8), False))
    return _place(rnd, means, sizes, thr * fac, up)


def _degenerate(rnd, kind, Q, M):
    if kind == "collinear":
        a = [F(rnd.randint(-5, 5)) for _ in range(M)]
        b = [F(rnd.randint(1, 5)) for _ in range(M)]
        ts = rnd.sample(range(-6, 7), Q)
        means = [[a[k] + t * b[k] for k in range(M)] for t in ts]
    else:
        means = _means(rnd, Q, M, "spread")
    sizes = _sizes(rnd, Q)
    if kind == "coincident" and Q >= 2:
        j, jp = rnd.sample(range(Q), 2)
        means[jp] = list(means[j])
    if kind == "one-point":
        for j in rnd.sample(range(Q), rnd.randint(1, Q)):
            sizes[j] = 1
    thr = threshold_sq(means) or F(1)
    classes = _place(rnd, means, sizes, thr * F(rnd.choice([1, 1, 4, 64]), 16), False)
    if kind == "duplicate":
        for j in rnd.sample(range(Q), rnd.randint(1, Q)):
            c = classes[j]
            reps = rnd.sample(range(len(c)), rnd.randint(1, len(c)))
            classes[j] = c + [list(c[i]) for i in reps] + [list(c[i]) for i in reps] if rnd.random() < 0.5 else c + c
            if len(classes[j]) > 50:            # class sizes stay within 1..50 (duplicates come in pairs)
                classes[j] = c + c if 2 * len(c) <= 50 else c
    return classes


def _random_classes(rnd, Q, M):
    sizes = _sizes(rnd, Q, 1)
    return [[[F(rnd.randint(-50, 50), rnd.choice([1, 2, 5, 7])) for _ in range(M)] for _ in range(n)] for n in sizes]


def _from_instance(inst):
    d = inst.to_json_dict()
    return [[[F(x) for x in p] for p in c["points"]] for c in d["classes"]]


def _generated(rnd, kind, Q, M):
    seed = rnd.randrange(2**31)
    sizes = [max(2, n) for n in _sizes(rnd, Q)]
    if kind == "generated":
        from exactmin.data.generate import generate_deep
        margin = rnd.choice([F(1, 2), F(1, 10), F(9, 10)])
        classes = _from_instance(generate_deep(Q, sizes, seed, margin=margin))
    else:
        from exactmin.data.generate_shallow import generate_shallow
        classes = _from_instance(generate_shallow(Q, M, sizes, seed))
    # move it off the generator's grid: a random exact similarity motion
    spec = Spec(classes)
    if rnd.random() < 0.6:
        spec = apply_transform(spec, rnd.choice(("rotation", "reflection")), rnd)
    if rnd.random() < 0.5:
        spec = apply_transform(spec, "translation", rnd)
    return spec.classes


# ---------------------------------------------------------------------------------------------- labels, style
def _labels(rnd, Q, label_kind):
    if label_kind == "identity":
        return None
    if label_kind == "permutation":
        p = list(range(Q))
        rnd.shuffle(p)
        return [[F(int(p[j] == r)) for j in range(Q)] for r in range(Q)]
    if label_kind == "invertible":
        while True:
            Y = [[F(rnd.randint(-3, 3), rnd.choice([1, 1, 2, 5])) for _ in range(Q)] for _ in range(Q)]
            if det(Y) != 0:
                return Y
    if label_kind == "singular":
        Y = [[F(rnd.randint(-3, 3)) for _ in range(Q)] for _ in range(Q)]
        if Q == 1:
            return [[F(0)]]
        a, b = rnd.sample(range(Q), 2)
        c = F(rnd.randint(-2, 2))
        Y[b] = [c * x for x in Y[a]]              # two proportional rows: rank <= Q - 1
        return Y
    return [[F(rnd.randint(-3, 3)) for _ in range(Q)] for _ in range(Q + 1)]


def _restyle(rnd, classes, style):
    """Apply the number style: integers (scale up), short decimals (round to 10^-k), p/q, or a 10^e magnitude."""
    if style == "int":
        L = 1
        for c in classes:
            for p in c:
                for x in p:
                    L = L * x.denominator // _gcd(L, x.denominator)
        if L > 10**30:
            return classes
        return [[[x * L for x in p] for p in c] for c in classes]
    if style == "decimal":
        k = rnd.randint(0, 3)
        s = 10**k
        return [[[F(round(x * s), s) for x in p] for p in c] for c in classes]
    if style == "magnitude":
        e = rnd.choice([rnd.randint(-300, -200), rnd.randint(-40, 40), rnd.randint(200, 300)])
        f = F(10) ** e
        return [[[x * f for x in p] for p in c] for c in classes]
    return classes


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


# ---------------------------------------------------------------------------------------------- the generator
def generate(rnd: random.Random, kind: str | None = None, flow: bool = False, formats=FORMATS) -> Spec:
    """One random instance.  ``flow``: keep it small (flow claims cost seconds per instance); ``formats``: the
    file formats allowed (CSV needs identity labels and NPZ int64 numerators, else JSON is used when allowed)."""
    seed = rnd.randrange(2**63)
    rnd = random.Random(seed)
    kind = kind or rnd.choices(KINDS, weights=KIND_WEIGHTS)[0]
    Q = 2 if kind.startswith("q2") else rnd.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8) if not flow else (1, 2, 2, 3))
    if kind in ("generated", "generated-shallow", "collinear", "coincident") and Q < 2:
        Q = 2
    if kind in ("generated-shallow", "shallow-raw"):
        M = Q + rnd.randint(0, 3) if kind == "generated-shallow" else Q + rnd.randint(1, 3)
    else:
        M = Q if rnd.random() < 0.85 else Q + rnd.randint(1, 2)
    if flow:
        M = min(M, Q + 1)
    if kind in ("generated", "generated-shallow"):
        classes = _generated(rnd, kind, Q, M)
    elif kind in ("duplicate", "collinear", "one-point", "coincident"):
        classes = _degenerate(rnd, kind, Q, M)
    elif kind == "random":
        classes = _random_classes(rnd, Q, M)
    else:
        classes = _raw(rnd, kind, Q, M)
    if flow:                                  # a handful of points
        classes = [c[:rnd.randint(1, 3)] for c in classes]
    label_kind = rnd.choices(LABEL_KINDS, weights=(5, 2, 3, 1, 0.5))[0]
    if Q == 1 and label_kind in ("permutation", "singular"):
        label_kind = "identity"
    labels = _labels(rnd, Q, label_kind)
    # rounding to short decimals moves points by up to 1/2: it would carry a threshold kind across its threshold
    near = kind in ("near-inside", "near-outside", "fail-little", "wide")
    style = rnd.choice(("pq", "magnitude")) if near else rnd.choices(STYLES, weights=(2, 2, 3, 1.5))[0]
    classes = _restyle(rnd, classes, style)
    allowed = [f for f in FORMATS if f in formats] or ["json"]
    fmt = rnd.choices(allowed, weights=[{"json": 5, "csv": 2, "npz": 2}[f] for f in allowed])[0]
    if fmt == "csv" and labels is not None:
        if "json" not in allowed:          # CSV carries no labels: keep the format, drop the labels
            labels, label_kind = None, "identity"
        else:
            fmt = "json"
    if fmt == "npz" and not _fits_npz(classes, labels):
        fmt = "json"
    return Spec(classes, labels, kind, label_kind, style, fmt, seed)


def _fits_npz(classes, labels):
    L = 1
    for c in classes:
        for p in c:
            for x in p:
                L = L * x.denominator // _gcd(L, x.denominator)
                if L >= INT64:
                    return False
    big = max(abs(x * L) for c in classes for p in c for x in p)
    if big >= INT64:
        return False
    for r in labels or []:
        for x in r:
            if abs(x.numerator) >= INT64 or x.denominator >= INT64:
                return False
    return True


def specs(kinds=KINDS, flow=False, formats=FORMATS):
    """Hypothesis strategy of :class:`Spec` (a seed and a kind; reproduce with ``generate(Random(seed), kind)``)."""
    from hypothesis import strategies as st
    return st.builds(lambda s, k: generate(random.Random(s), k, flow=flow, formats=formats),
                     st.integers(0, 2**63 - 1), st.sampled_from(tuple(kinds)))


# ---------------------------------------------------------------------------------------------- transforms
def cayley(rnd, n):
    """(I − A)(I + A)^{-1} for a random integer skew-symmetric A: exactly orthogonal, det +1."""
    A = [[F(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            v = F(rnd.randint(-3, 3), rnd.choice([1, 2]))
            A[i][j], A[j][i] = v, -v
    Im = [[F(int(i == j)) - A[i][j] for j in range(n)] for i in range(n)]
    Ip = [[F(int(i == j)) + A[i][j] for j in range(n)] for i in range(n)]
    return matmul(Im, inverse(Ip))       # (I − A)(I + A)^{-1}; invertible: A is skew-symmetric


def householder(rnd, n):
    """I − 2 v vᵀ / |v|² for a random nonzero integer v: exactly orthogonal, det −1."""
    while True:
        v = [F(rnd.randint(-4, 4)) for _ in range(n)]
        vv = dot(v, v)
        if vv:
            return [[F(int(i == j)) - 2 * v[i] * v[j] / vv for j in range(n)] for i in range(n)]


def apply_transform(spec: Spec, name: str, rnd: random.Random) -> Spec:
    """The transformed instance (same labels/format unless the transform changes them); tags record the map."""
    M = spec.M
    cl = spec.classes
    labels = spec.labels
    tag = name
    if name in ("rotation", "reflection"):
        O = cayley(rnd, M) if name == "rotation" else householder(rnd, M)
        cl = [[[dot(row, p) for row in O] for p in c] for c in cl]
    elif name == "translation":
        t = [F(rnd.randint(-20, 20), rnd.choice([1, 3, 8])) for _ in range(M)]
        cl = [[[x + s for x, s in zip(p, t)] for p in c] for c in cl]
    elif name == "scaling":
        f = F(rnd.randint(1, 50), rnd.randint(1, 50))
        cl = [[[x * f for x in p] for p in c] for c in cl]
        tag = f"scaling by {f}"
    elif name == "point-perm":
        cl = [rnd.sample(c, len(c)) for c in cl]
    elif name == "class-perm":
        p = list(range(spec.Q))
        rnd.shuffle(p)
        cl = [cl[p[j]] for j in range(spec.Q)]
        Y = labels if labels is not None else [[F(int(r == j)) for j in range(spec.Q)] for r in range(spec.Q)]
        labels = [[row[p[j]] for j in range(spec.Q)] for row in Y]
        tag = f"class-perm {p}"
    else:
        raise ValueError(name)
    fmt = "json"  # transformed copies are written as JSON (formats are exercised by the base instances)
    return replace(spec, classes=cl, labels=labels, fmt=fmt, style="pq", tags={**spec.tags, "transform": tag})


# ---------------------------------------------------------------------------------------------- files
def _num_text(x: F, rnd: random.Random, style: str):
    """A JSON value for x: an integer literal, a decimal/exponent literal (exact), or a "p/q" string."""
    if x.denominator == 1 and abs(x.numerator) < 10**40:
        return str(x.numerator)
    d = x.denominator
    a = b = 0
    while d % 2 == 0:
        d //= 2
        a += 1
    while d % 5 == 0:
        d //= 5
        b += 1
    if d == 1 and rnd.random() < 0.7:
        k = max(a, b)
        n = x.numerator * (10**k // x.denominator)      # x = n / 10^k exactly
        if abs(n) < 10**40:
            lit = f"{n}e-{k}" if rnd.random() < 0.5 or style == "magnitude" else _decimal(n, k)
            return lit if rnd.random() < 0.6 else json.dumps(lit)
    return json.dumps(f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator))


def _decimal(n: int, k: int) -> str:
    s = "-" if n < 0 else ""
    t = str(abs(n)).rjust(k + 1, "0")
    return f"{s}{t[:-k]}.{t[-k:]}" if k else s + t


def write(spec: Spec, path_stem, rnd: random.Random | None = None):
    """Write the instance as ``path_stem`` + .json/.csv/.npz (the spec's format); returns the path."""
    rnd = rnd or random.Random(spec.seed)
    path = f"{path_stem}.{spec.fmt}"
    if spec.fmt == "json":
        cls = ",\n  ".join("{\"points\": [" + ", ".join("[" + ", ".join(_num_text(x, rnd, spec.style) for x in p)
                                                         + "]" for p in c) + "]}" for c in spec.classes)
        text = "{\"format\": \"exactmin-instance/1\", \"name\": \"campaign\",\n \"classes\": [\n  " + cls + "]"
        if spec.labels is not None:
            text += ",\n \"labels\": [" + ", ".join("[" + ", ".join(json.dumps(str(x)) for x in r) + "]"
                                                    for r in spec.labels) + "]"
        text += "}\n"
        with open(path, "w") as fh:
            fh.write(text)
    elif spec.fmt == "csv":
        rows = []
        offset = rnd.choice([0, 1, 10])
        for j, c in enumerate(spec.classes):
            for i, p in enumerate(c):
                rows.append((j, i, [_csv_num(x, rnd) for x in p] + [str(j * (offset or 1) + offset)]))
        rows = _interleave(rows, rnd)
        head = ",".join(f"x{k}" for k in range(spec.M)) + ",class\n" if rnd.random() < 0.5 else ""
        with open(path, "w") as fh:
            fh.write(head + "".join(",".join(r[2]) + "\n" for r in rows))
    else:
        import numpy as np
        L = 1
        for c in spec.classes:
            for p in c:
                for x in p:
                    L = L * x.denominator // _gcd(L, x.denominator)
        order = _interleave([(j, i, p) for j, c in enumerate(spec.classes) for i, p in enumerate(c)], rnd)
        num = np.array([[int(x * L) for x in r[2]] for r in order], dtype=np.int64)
        cls = np.array([r[0] for r in order], dtype=np.int64)
        arrays = {"num": num, "den": np.array(L, dtype=np.int64), "cls": cls}
        if spec.labels is not None:
            Ld = 1
            for r in spec.labels:
                for x in r:
                    Ld = Ld * x.denominator // _gcd(Ld, x.denominator)
            arrays["labels_num"] = np.array([[int(x * Ld) for x in r] for r in spec.labels], dtype=np.int64)
            arrays["labels_den"] = np.array(Ld, dtype=np.int64)
        np.savez(path, **arrays)
    return path


def _csv_num(x: F, rnd) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def _interleave(rows, rnd):
    """Shuffle rows across classes but keep each class's internal order (the formats regroup stably)."""
    by = {}
    for r in rows:
        by.setdefault(r[0], []).append(r)
    keys = [k for k, v in by.items() for _ in v]
    rnd.shuffle(keys)
    it = {k: iter(v) for k, v in by.items()}
    return [next(it[k]) for k in keys]


def to_json_dict(spec: Spec) -> dict:
    """The instance as contract JSON with canonical "p/q" strings (for the reproduction folder)."""
    out = {"format": "exactmin-instance/1", "name": f"campaign_{spec.kind}_{spec.seed}",
           "classes": [{"points": [[str(x) for x in p] for p in c]} for c in spec.classes]}
    if spec.labels is not None:
        out["labels"] = [[str(x) for x in r] for r in spec.labels]
    return out


def deep_test_paths(folder, rnd: random.Random, n_random: int = 14):
    """Instance files for the deep statement tests: a Q = 1 instance, one with a zero-deviation class ((2.12)
    fails), one per degenerate kind (one-point, coincident, duplicate, q2-asymmetric) and two generated ones, and
    ``n_random`` random ones, written under ``folder``.  Some may be rejected by the loaders (callers skip those)."""
    fixed = {"q1": [[[1], [2], [4]]], "zero_dev": [[[0, 0], [0, 0]], [[5, 1], [5, 3]]]}
    paths = [write(Spec([[[F(x) for x in p] for p in c] for c in cl]), folder / name, random.Random(0))
             for name, cl in fixed.items()]
    for kind in ("one-point", "coincident", "duplicate", "q2-asymmetric", "generated", "generated"):
        paths.append(write(generate(rnd, kind), folder / f"k{len(paths)}", rnd))
    return paths + [write(generate(rnd), folder / f"i{i}", rnd) for i in range(n_random)]
