"""deep.thm2.5, Theorem 2.5 of arXiv:2309.10639v4 ((2.83)-(2.85)): 2^Q - 1 degenerate local minima, L = Q.

Hypotheses: those of deep.thm2.3.  The paper's s convention (2.83): s in {0,1}^Q, s_j = 0 iff mu_j in I_0 (cluster j
collapses), s_j = 1 iff mu_j in I_1 (cluster j untouched); s = 0...0 is the global minimum (Thm 2.3) and is
omitted, s = 1...1 is Thm 2.4.  Witness (all optional: the empty witness is "no construction", every reading
undecided): lambda, mu_1 = mu_collapse, mu_2 = mu_collapse_2, mu_+ = mu_identity and one configuration per s != 0,
in the order of ``configs`` (s_1 the most significant bit): the networks zero, zero_mu2, free (L = Q), tol_1, tol_2,
f~ at mu_1 and at mu_2, optionally zero_descent, free_descent.
tau-features tau(x) = (W^(L))^-1 (x^(L) - b^(L)) (cumulative maps (2.43)), output = A tau + c (A = W^(L+1),
c = b^(L+1) cumulative); F = sum_j N_j^-1 sum_i |output - y_j|^2, the cost (2.36) squared.
Common (every reading; else undecided): 0 < lambda <= 1, mu_1, mu_2 certified in I_0 (kappa of lambda, (4.26)),
mu_+ in I_1 = (2 delta sqrt Q, oo), 2^Q - 1 configurations; per s: every f~_j (both sets) a unit vector within tol
of v_j; each network has L = Q, every hidden W_l invertible, no hidden pre-activation 0 on the data, and realises
(2.84): tau(x) = g, i.e. x^(L) = W^(L) g + b^(L), with g = xbar_j - mu f~_j on cluster j if s_j = 0 (mu = mu_1 for
zero and free, mu_2 for zero_mu2) and g = x if s_j = 1; the zero networks have c = 0 and
sum_j N_j^-1 sum_i (output - y_j) tau^T = 0 (normal equations, tau as (2.84) gives it: the minimum of F over the
output layer with cumulative output bias 0); the free network the same in (tau; 1) (over W_{L+1}, b_{L+1}).
V_s = F(zero), V'_s = F(zero_mu2), Vf_s = F(free).
2.84: the common part.  No refutation.
value-independent-of-mu ((2.85) at two mu): mu_2 != mu_1 and V_s = V'_s for every s; refuted by an s with V_s != V'_s.
value-original-means ((2.85) read mu-free): V_s = Tr(Y D (1 + D)^-1 Y^T), D = X^-1 S_s X^-T, X = X_0^red of the
  ORIGINAL means, S_s = sum_{s_j = 1} N_j^-1 sum_i (x - xbar_j)(x - xbar_j)^T; refuted by an s where they differ.
distinct-values: the V_s pairwise distinct; refuted by two equal ones.
local-min-zero-bias / local-min-free-bias: proved only where nothing is open: zero: never for Q >= 2 (a partial s has
  no certificate); free: every partial s has Vf_s = 0 (a global, hence local, minimum).  Refuted by the descents
  given (at least one, every one checked), each for its s: the base network (zero / free) with only biases
  changed, the same strict pattern (every hidden pre-activation nonzero with the same sign at both ends: along the bias segment every pre-activation is affine
  and keeps its sign, the output is affine, F a convex quadratic) and F lower at the far end, so F drops
  arbitrarily close to the base.  zero: the descent keeps the cumulative output bias 0 (affine in t along the
  segment, 0 at both ends: the segment stays in the zero-bias class).
not-global/zero-bias (end of section 5): V_s > 0 for every s; refuted by an s with V_s = 0.
not-global/free-bias: Vf_s > 0 for every s; refuted by an s with Vf_s = 0.
A refutation of the value readings is the first of their obligations that fails, negated (``NEGATE``).
"""
from fractions import Fraction as F
from itertools import combinations, product

from ..interp import det, dot, eye, forward_all, holds, ints, mm, scale, sub, tr
from ..linalg import inv
from ..obligations import Eq, NonNeg, NonZero, Pos
from . import deep_thm2_3 as T

CLAIM = "deep.thm2.5"
READINGS = ("2.84", "value-independent-of-mu", "value-original-means", "distinct-values", "local-min-zero-bias",
            "local-min-free-bias", "not-global/zero-bias", "not-global/free-bias")
NET = ("net", "Q", "M", "K")
CONF = ("record", {"zero": NET, "zero_mu2": NET, "free": NET, "tol": ("vec", 2), "f_tilde": ("list", 2, ("list", "Q", ("vec", "Q"))),
                   "zero_descent?": NET, "free_descent?": NET})
SCHEMA = {"lambda?": "rat", "mu_collapse?": "rat", "mu_collapse_2?": "rat", "mu_identity?": "rat",
          "configurations?": ("list", "*", CONF)}
hypotheses = T.hypotheses


def configs(Q):
    """Every s in {0,1}^Q but 0...0, s_1 the most significant bit (lazily: zipped with the witness's list)."""
    return (s for s in product((0, 1), repeat=Q) if any(s))


def run(I, net):
    """Per class (integer rows, d): the hidden pre-activations of every layer, x^(L) and the output; cached."""
    memo = I.__dict__.setdefault("t25", {})
    if id(net) not in memo or memo[id(net)][0] is not net:
        out = []
        for P in I.P:
            pre, H = [], P
            for W, b in zip(net[0][:-1], net[1][:-1]):
                pre.append(forward_all((W,), (b,), H))
                H = ([tuple(max(v, 0) for v in x) for x in pre[-1][0]], pre[-1][1])
            out.append((pre, H, forward_all(net[0][-1:], net[1][-1:], H)))
        memo[id(net)] = (net, out)
    return memo[id(net)][1]


def affine(net, P):
    """W^(l) x + b^(l) (2.43) at every point of P: the layers without sigma (no matrix product)."""
    for W, b in zip(*net):
        P = forward_all((W,), (b,), P)
    return P


def cost(I, net):
    """F = sum_j N_j^-1 sum_i |o - y_j|^2 over integer outputs o / e (cached)."""
    memo = I.__dict__.setdefault("t25cost", {})
    if id(net) not in memo or memo[id(net)][0] is not net:
        total = F(0)
        for j, (_, _, (O, e)) in enumerate(run(I, net)):
            (yn,), dy = ints([I.y(j)])
            total += F(sum(sum((o * dy - y * e) ** 2 for o, y in zip(r, yn)) for r in O), len(O) * e * e * dy * dy)
        memo[id(net)] = (net, total)
    return memo[id(net)][1]


def signs(I, net):
    """The sign of every hidden pre-activation on the data (0 if one vanishes)."""
    return tuple((v > 0) - (v < 0) for pre, _, _ in run(I, net) for Z, _ in pre for z in Z for v in z)


def equal(A, B):
    """A == B for (integer rows, d) batches (one row of B stands for all when B has one)."""
    (X, d), (Y, e) = A, B
    return all(a * e == b * d for x, y in zip(X, Y * len(X) if len(Y) == 1 else Y) for a, b in zip(x, y))


def network(I, w, name, net, mu, ft, s, free):
    """L = Q, strict pattern, (2.84) at mu with the apexes xbar_j - mu f~_j, normal equations, c = 0 if not free."""
    yield Eq(f"{name}: L = Q", len(net[0]) - 1, I.Q)
    yield from (NonZero(f"{name}: det W_{l + 1} != 0 (W^(L) invertible)", det(W)) for l, W in enumerate(net[0][:-1]))
    yield Pos(f"{name}: no hidden pre-activation is 0", F(int(0 not in signs(I, net))))
    hidden, taus = (net[0][:-1], net[1][:-1]), []
    for j, ((X, d), (_, H, _)) in enumerate(zip(I.P, run(I, net))):     # tau(x) = g iff x^(L) = W^(L) g + b^(L)
        taus.append(ints([sub(I.means[j], scale(mu, ft[j]))]) if s[j] == 0 else (X, d))
        yield Pos(f"{name}: (2.84) cluster {j + 1} {'collapsed' if s[j] == 0 else 'untouched'}", F(int(equal(H, affine(hidden, taus[j])))))
    if not free:
        yield Eq(f"{name}: cumulative output bias 0", affine(net, ([(0,) * I.Q], 1))[0][0], (0,) * I.K)
    ne = [[F(0)] * (I.Q + free) for _ in range(I.K)]
    for j, ((Tn, dt), (_, _, (O, e))) in enumerate(zip(taus, run(I, net))):   # tau as (2.84) gives it; integer sums
        (yn,), dy = ints([I.y(j)])
        R = [tuple(o * dy - y * e for o, y in zip(r, yn)) for r in O]
        Z = [t + (dt,) if free else t for t in (Tn * len(R) if len(Tn) == 1 else Tn)]
        for k in range(I.K):
            ne[k] = [a + F(sum(r[k] * z[b] for r, z in zip(R, Z)), len(O) * e * dy * dt) for b, a in enumerate(ne[k])]
    yield Eq(f"{name}: normal equations (A tau + c - y) {'(tau; 1)' if free else 'tau'}^T = 0", ne, [[0] * (I.Q + free)] * I.K)


def common(I, w):
    """The common part (module docstring), built once per witness; returns {s: (V_s, V'_s, Vf_s)}."""
    yield Pos("a construction is given", F(int(None not in (w["lambda"], w["configurations"], w["mu_collapse"],
                                                               w["mu_collapse_2"], w["mu_identity"]))))
    if getattr(I, "t25c", (None,))[0] is not w:
        obs, gen = [], _common(I, w)
        try:
            while True:
                obs.append(next(gen))
        except StopIteration as e:
            vals = e.value
        I.t25c = (w, obs, vals)
    yield from I.t25c[1]
    return I.t25c[2]


def _common(I, w):
    Q, lam, C = I.Q, w["lambda"], w["configurations"]
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam))
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    yield from (*T.in_I0(I, w["mu_collapse"], kappa), *T.in_I0(I, w["mu_collapse_2"], kappa))
    m, dsq = w["mu_identity"], max(T.geometry(I)[0])
    yield from (Pos("mu_identity > 0", m), Pos("mu_identity > 2 delta sqrt Q", m * m - 4 * dsq * Q))
    yield Eq("one configuration per s != 0...0", len(C), 2 ** Q - 1)
    v, vals = T.geometry(I)[1], {}
    for s, c in zip(configs(Q), C):
        key = "".join(map(str, s))
        for i, (tol, fs) in enumerate(zip(c["tol"], c["f_tilde"])):
            yield Pos(f"s={key}: 0 < tol_{i + 1} < sqrt 2", (tol, 2 - tol * tol))
            for j, f in enumerate(fs):
                yield from (Eq(f"s={key}: |f~_{j + 1}| = 1", dot(f, f), 1), Pos(f"s={key}: <f~_{j + 1}, v_{j + 1}> > 0", dot(f, v[j])),
                            Pos(f"s={key}: f~_{j + 1} within tol", F(int(dot(f, v[j]) ** 2 >= (1 - tol * tol / 2) ** 2 * dot(v[j], v[j])))))
        for name, mu, i, free in (("zero", w["mu_collapse"], 0, False), ("zero_mu2", w["mu_collapse_2"], 1, False),
                                  ("free", w["mu_collapse"], 0, True)):
            yield from network(I, w, f"s={key}: {name}", c[name], mu, c["f_tilde"][i], s, free)
        vals[s] = tuple(cost(I, c[k]) for k in ("zero", "zero_mu2", "free"))
    return vals


def stats(I):
    """Per class N_j^-1 sum_i (x - xbar_j)(x - xbar_j)^T from integer sums (cached)."""
    if not hasattr(I, "scatter"):
        T.geometry(I)
        I.scatter = []
        for (X, d), m in zip(I.P, I.means):
            G = [[F(sum(x[a] * x[b] for x in X), len(X) * d * d) for b in range(I.M)] for a in range(I.M)]
            I.scatter.append(tuple(tuple(G[a][b] - m[a] * m[b] for b in range(I.M)) for a in range(I.M)))
    return I.scatter


def formula(I, s):
    """Tr(Y D (1 + D)^-1 Y^T), D = X^-1 S_s X^-T with the original means (value-original-means)."""
    Xi, S = inv(tr(I.means)), [[F(0)] * I.M for _ in range(I.M)]
    for j in (j for j in range(I.Q) if s[j]):
        S = [[a + b for a, b in zip(r, t)] for r, t in zip(S, stats(I)[j])]
    D = mm(mm(Xi, tuple(map(tuple, S))), tr(Xi))
    B = mm(mm(mm(I.Y, D), inv(tuple(tuple(a + e for a, e in zip(r, t)) for r, t in zip(D, eye(I.Q))))), tr(I.Y))
    return sum(B[i][i] for i in range(I.K))


def descent(I, w, s, c, kind):
    """The bias segment of the module docstring from the configuration's ``kind`` network to its descent."""
    base, d, tag = c[kind], c[kind + "_descent"], "s=" + "".join(map(str, s))
    yield Eq(f"{tag}: {kind} descent: L = Q", len(d[0]) - 1, I.Q)
    yield Eq(f"{tag}: {kind} descent: only biases changed", d[0], base[0])
    yield Pos(f"{tag}: {kind} descent: the same strict pattern", F(int(0 not in signs(I, d) and signs(I, d) == signs(I, base))))
    if kind == "zero":
        yield Eq(f"{tag}: zero descent: cumulative output bias 0", affine(d, ([(0,) * I.Q], 1))[0][0], (0,) * I.K)
    yield Pos(f"{tag}: {kind} descent lowers the cost", cost(I, base) - cost(I, d))


def claims(I, w, reading, vals):
    """The reading's obligations on the values V_s, V'_s, Vf_s (module docstring)."""
    key = (lambda s: "".join(map(str, s)))                                                    # noqa: E731
    V = {s: x[0] for s, x in vals.items()}
    if reading == "value-independent-of-mu":
        return [Eq(f"s={key(s)}: V = V' (two mu)", x[0], x[1]) for s, x in vals.items()]
    if reading == "value-original-means":
        return [Eq(f"s={key(s)}: V = (2.85) with the original means", V[s], formula(I, s)) for s in V]
    if reading == "distinct-values":
        return [NonZero(f"V(s={key(a)}) != V(s={key(b)})", V[a] - V[b]) for a, b in combinations(V, 2)]
    return [Pos(f"s={key(s)}: value > 0", x[0 if "zero" in reading else 2]) for s, x in vals.items()
            if reading.startswith("not-global")]                                             # 2.84: none


NEGATE = {Eq: lambda o: NonZero(o.name + " fails", o.a - o.b), NonZero: lambda o: Eq(o.name + " fails", o.e, 0),
          Pos: lambda o: NonNeg(o.name + " fails (value 0, the exact optimum)", -o.e)}


def check(I, w, reading, proof):
    """Proof: the common part and the reading's obligations; refutation: the common part and the first of them that
    fails, negated (local-min: the descents)."""
    vals = yield from common(I, w)
    if reading.startswith("local-min"):
        kind = "zero" if "zero" in reading else "free"
        if proof:
            for s in (s for s in vals if not all(s)):
                yield (Pos(f"s={''.join(map(str, s))}: no local-minimum certificate for a partial collapse", F(0))
                       if kind == "zero" else Eq(f"s={''.join(map(str, s))}: free value 0 (a global minimum)", vals[s][2], 0))
            return
        given = [(s, c) for s, c in zip(configs(I.Q), w["configurations"]) if c[kind + "_descent"] is not None]
        yield Pos(f"a {kind} descent is given", F(len(given)))
        for s, c in given:                                     # every descent given is checked
            yield from descent(I, w, s, c, kind)
        return
    if proof:
        if reading == "value-independent-of-mu":
            yield NonZero("two mu: mu_collapse_2 != mu_collapse", w["mu_collapse_2"] - w["mu_collapse"])
        yield from claims(I, w, reading, vals)
        return
    bad = next((ob for ob in claims(I, w, reading, vals) if holds(ob) is not True), None)
    yield NEGATE[type(bad)](bad) if bad else Pos(f"a counterexample to {reading}", F(0))


def conclusion(I, w, reading):
    yield from check(I, w, reading, True)


def refutation(I, w, reading):
    if reading == "2.84":
        yield Pos("no refutation", F(0))
        return
    yield from check(I, w, reading, False)
