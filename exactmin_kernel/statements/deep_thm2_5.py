"""deep.thm2.5, Theorem 2.5 of arXiv:2309.10639v4 ((2.83)-(2.85)): 2^Q - 1 degenerate local minima, L = Q.

Hypotheses: those of deep.thm2.3.  The paper's s convention (2.83): s in {0,1}^Q, s_j = 0 iff mu_j in I_0 (cluster j
collapses at layer j), s_j = 1 iff mu_j in I_1 (layer j acts as the identity on the data); s = 0...0 (Thm 2.3) is
omitted, s = 1...1 is Thm 2.4.  Witness (all optional: the empty witness is "no construction", every reading
undecided): lambda, mu_1 = mu_collapse, mu_2 = mu_collapse_2, mu_+ = mu_identity, two constructions (tol, u~, f~_l,
R_l), one for each mu_i, certified as in deep.thm2.3 (``deep_thm2_3.construction``), and one record per s != 0 in
the order of ``configs`` (s_1 the most significant bit): output layers zero (A), zero_mu2 (A), free (A, c), and
optionally the apexes of a zero_descent and of a free_descent.
The networks (construction (4.56)-(4.58) with the witness's constants, cumulative maps (2.43)): configuration s at
mu_i has L = Q hidden layers W^(l) = W_* R_l, b^(l) = -W^(l) p_l with the apex p_l = xbar_l - m_l f~_l, m_l = mu_i
(s_l = 0) or mu_+ (s_l = 1); every W^(l) is invertible (W_* = lambda I + (1 - lambda) u u^T/Q, lambda > 0, R_l a
rotation), so the layers W_l = W^(l) (W^(l-1))^-1, b_l = b^(l) - W_l b^(l-1) exist; the output layer has cumulative
map (A, c), c = 0 for zero and zero_mu2.  A descent is the same network with the apexes p'_l it lists (biases only).
Pattern (``cells``, induction over the layers): with g_0 = x and h_l = sigma(W_l h_(l-1) + b_l) = W^(l) g_l + b^(l),
the pre-activation of layer l is W^(l) g_(l-1) + b^(l) = W^(l)(g_(l-1) - p_l); where all its entries are > 0 sigma
keeps it (g_l = g_(l-1)), where all are < 0 sigma gives 0 = W^(l) p_l + b^(l) (g_l = p_l).  Cluster j arrives at
layer l raw (g = x) unless j < l and s_j = 0 (then g = p_j): the conditions "collapse" (raw, j = l, s_l = 0: every
row max over the cluster of W^(l) x below W^(l) p_l), "pass" (raw otherwise: every row min above W^(l) p_l) and
"apex" (W^(l)(p_j - p_l) > 0) make every hidden pre-activation nonzero (a strict pattern) and the tau-image (2.84):
cluster j is p_j if s_j = 0, unchanged if s_j = 1.  They read per-cluster row extremes of W^(l) x, bounded from
40-bit rows and exact where the bounds do not decide (deep_thm2_3_family.extremes, packed integers).
Values: on the tau-image, F(A, c) = sum_j N_j^-1 sum_i |A g + c - y_j|^2 (the cost (2.36) squared) = T - 2 Tr(B Rz^T)
+ Tr(B Gz B^T), B = (A | c), z = (g; 1), Gz = sum_j N_j^-1 sum_i z z^T, Rz = sum_j y_j zbar_j^T, T = sum_j |y_j|^2,
from the class statistics (ondata.stats).  The zero outputs satisfy A G = R (G, R: Gz, Rz without the
last row and column; the minimum over the output layer with cumulative output bias 0), free (A | c) Gz = Rz; given
them B G B^T = R B^T, so F = T - Tr(B R^T).
V_s = F(zero) at mu_1, V'_s = F(zero_mu2) at mu_2, Vf_s = F(free) at mu_1.
Common (every reading; else undecided): 0 < lambda <= 1, mu_1, mu_2 certified in I_0 (kappa of lambda, (4.26)),
mu_+ in I_1 = (2 delta sqrt Q, oo), both constructions, every cell of every s at both mu, 2^Q - 1 records, the
normal equations.
2.84: the common part.  No refutation.
value-independent-of-mu ((2.85) at two mu): mu_2 != mu_1 and V_s = V'_s for every s; refuted by an s with V_s != V'_s.
value-original-means ((2.85) read mu-free): V_s = Tr(Y D (1 + D)^-1 Y^T), D = X^-1 S_s X^-T, X = X_0^red of the
  ORIGINAL means, S_s = sum_{s_j = 1} N_j^-1 sum_i (x - xbar_j)(x - xbar_j)^T; refuted by an s where they differ.
distinct-values: the V_s pairwise distinct; refuted by two equal ones.
local-min-zero-bias / local-min-free-bias: proved only where nothing is open: zero: never for Q >= 2 (a partial s has
  no certificate); free: every partial s has Vf_s = 0 (a global, hence local, minimum).  Refuted by the descents
  given (at least one, every one checked), each for its s: the cells of s hold at its apexes (the same strict
  pattern as the base network) and F is lower there: the untouched clusters' terms are the same at both ends (same
  points, same output layer), so F(base) - F(descent) = sum over collapsed j of |A p_j + c - y_j|^2 - |A p'_j + c -
  y_j|^2.  Along the bias segment every pre-activation is affine in t
  (the pattern is fixed, by induction) and has the same strict sign at both ends, so the output is affine in t and F
  a convex quadratic, lower at the far end: F drops arbitrarily close to the base.  zero: c = 0 along the segment.
not-global/zero-bias (end of section 5): V_s > 0 for every s; refuted by an s with V_s = 0.
not-global/free-bias: Vf_s > 0 for every s; refuted by an s with Vf_s = 0.
A refutation of the value readings is the first of their obligations that fails, negated (``NEGATE``).
I-box, paper-network/<r>: the paper's own network (deep_thm2_5_paper).
"""
from fractions import Fraction as F
from itertools import combinations, product

from ..interp import dot, eye, holds, mm, mv, scale, sub, tr
from ..linalg import inv
from ..obligations import Eq, NonNeg, NonZero, Pos
from . import deep_thm2_3 as T
from . import deep_thm2_3_family as family
from ..ondata import stats as moments

CLAIM = "deep.thm2.5"
READINGS = ("2.84", "value-independent-of-mu", "value-original-means", "distinct-values", "local-min-zero-bias",
            "local-min-free-bias", "not-global/zero-bias", "not-global/free-bias")
CON = ("record", {"tol": "rat", "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")),
                  "R": ("list", "Q", ("mat", "Q", "Q"))})
APEXES = ("list", "Q", ("vec", "Q"))
CONF = ("record", {"zero": ("mat", "K", "Q"), "zero_mu2": ("mat", "K", "Q"),
                   "free": ("record", {"A": ("mat", "K", "Q"), "c": ("vec", "K")}),
                   "zero_descent?": APEXES, "free_descent?": APEXES})
SCHEMA = {"lambda?": "rat", "mu_collapse?": "rat", "mu_collapse_2?": "rat", "mu_identity?": "rat",
          "constructions?": ("list", 2, CON), "configurations?": ("list", "*", CONF)}     # + deep_thm2_5_paper's
hypotheses = T.hypotheses


def configs(Q):
    """Every s in {0,1}^Q but 0...0, s_1 the most significant bit."""
    return [s for s in product((0, 1), repeat=Q) if any(s)]


def cells(s):
    """The conditions of configuration s (module docstring): (l, s_l, j, kind), kind in collapse, pass, apex."""
    return [(l, s[l], j, "apex" if j < l and s[j] == 0 else "collapse" if j == l and s[l] == 0 else "pass")
            for l in range(len(s)) for j in range(len(s))]


def key(s):
    return "".join(map(str, s))


def conditions(I, Wc, own, col, tag, todo):
    """The cells ``todo`` with layer l's apex own[l] and cluster j's collapsed apex col[j], layer by layer: from the
    bounds of the row extremes where they decide every cell of the layer, else from the exact extremes (a bound that
    holds implies the condition: lo <= min, hi >= max)."""
    for l in sorted({c[0] for c in todo}):
        mine = [c for c in todo if c[0] == l]
        obs = list(_layer(I, Wc, own, col, tag, l, mine, extremes(I, Wc, l, False)))
        yield from obs if all(holds(ob) is True for ob in obs) else _layer(I, Wc, own, col, tag, l, mine, extremes(I, Wc, l, True))


def extremes(I, Wc, l, exact):
    """deep_thm2_3_family.extremes of every cluster at layer l, looked up once per construction (Wc)."""
    memo = I.__dict__.setdefault("t25ext", {})
    k = (id(Wc), l, exact)
    if k not in memo or memo[k][0] is not Wc:
        memo[k] = (Wc, family.extremes(I, Wc, l, exact, 0))
    return memo[k][1]


def _layer(I, Wc, own, col, tag, l, todo, ex):
    """W^(l) x = Wn x / e over cluster j's integer rows x (ex[j] = (lo, hi, e)); the margins, each > 0 iff it holds."""
    a = mv(Wc[l], own[l])
    apex = dict(zip(range(l), tr(mm(Wc[l], tr(col[:l]))))) if l else {}        # W^(l) p_j, j < l
    for _, b, j, kind in todo:
        lo, hi, e = ex[j]
        if kind == "apex":
            yield Pos(f"{tag}layer {l + 1} (s_{l + 1} = {b}) passes the apex of cluster {j + 1}", sub(apex[j], a))
        elif kind == "collapse":
            yield Pos(f"{tag}layer {l + 1} collapses cluster {j + 1}", tuple(x * e - h for x, h in zip(a, hi)))
        else:
            yield Pos(f"{tag}layer {l + 1} (s_{l + 1} = {b}) passes cluster {j + 1}", tuple(v - x * e for v, x in zip(lo, a)))


def image(I, s, p):
    """(Gz, Rz) of the tau-image (2.84): cluster j its points (s_j = 1) or N_j copies of p_j (s_j = 0); cached."""
    memo = I.__dict__.setdefault("t25img", {})
    k = (s, tuple(p[j] for j in range(I.Q) if s[j] == 0))
    if k not in memo:
        Q, Gz, Zb = I.Q, [[F(0)] * (I.Q + 1) for _ in range(I.Q + 1)], []
        for j, (n, m, S) in enumerate(moments(I)):
            z = (m if s[j] else p[j]) + (F(1),)
            Zb.append(z)
            for a in range(Q + 1):
                for b in range(Q + 1):
                    Gz[a][b] += (S[a][b] if s[j] and a < Q and b < Q else z[a] * z[b])
        memo[k] = (tuple(map(tuple, Gz)), mm(I.Y, tuple(Zb)))
    return memo[k]


def single(I, j, p, A, c):
    """|A p + c - y_j|^2: the term of a collapsed cluster j (N_j copies of p, weight N_j^-1) in F."""
    r = sub(tuple(x + y for x, y in zip(mv(A, p), c)), I.y(j))
    return dot(r, r)


def apexes(I, f, s, mu, mu_plus):
    """p_l = xbar_l - m_l f~_l, m_l = mu (s_l = 0) or mu_+ (s_l = 1)."""
    return [sub(I.means[l], scale(mu if s[l] == 0 else mu_plus, f[l])) for l in range(I.Q)]


def tagged(tag, gen):
    """The obligations of ``gen`` with ``tag`` before their names; returns gen's value."""
    try:
        while True:
            ob = next(gen)
            yield ob._replace(name=tag + ob.name)
    except StopIteration as e:
        return e.value


def common(I, w):
    """The common part (module docstring), built once per witness; returns {s: (V_s, V'_s, Vf_s)} (the constructions'
    (W^(l), f~, mu) go to I.t25nets for the descents)."""
    yield Pos("a construction is given", F(int(None not in (w["lambda"], w["configurations"], w["mu_collapse"],
                                                               w["mu_collapse_2"], w["mu_identity"], w["constructions"]))))
    return (yield from once(I, "t25c", w, _common))


def once(I, attr, w, part):
    """The obligations and the value of the generator part(I, w), built once per witness (cached on I.<attr>) and
    replayed for every reading."""
    if getattr(I, attr, (None,))[0] is not w:
        obs, gen = [], part(I, w)
        try:
            while True:
                obs.append(next(gen))
        except StopIteration as e:
            setattr(I, attr, (w, obs, e.value))
    yield from getattr(I, attr)[1]
    return getattr(I, attr)[2]


def _common(I, w):
    Q, lam, C, mp = I.Q, w["lambda"], w["configurations"], w["mu_identity"]
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam))
    kappa = kappa_of(Q, lam)
    yield from (*T.in_I0(I, w["mu_collapse"], kappa), *T.in_I0(I, w["mu_collapse_2"], kappa))
    yield from (Pos("mu_identity > 0", mp), Pos("mu_identity > 2 delta sqrt Q", mp * mp - 4 * max(T.geometry(I)[0]) * Q))
    yield Eq("one configuration per s != 0...0", len(C), 2 ** Q - 1)
    nets, every = [], sorted({c for s in configs(Q) for c in cells(s)})
    for i, (con, mu) in enumerate(zip(w["constructions"], (w["mu_collapse"], w["mu_collapse_2"]))):
        tag = f"mu_{i + 1}: "
        Wc, _ = yield from tagged(tag, T.construction(I, dict(con, **{"lambda": lam})))
        f = con["f_tilde"]
        nets.append((Wc, f, mu))
        col = apexes(I, f, (0,) * Q, mu, mp)
        for b in (0, 1):      # a cell (l, b, j, kind) reads layer l's apex (at mu if b = 0, mu_+ if b = 1) and p_j at mu
            yield from conditions(I, Wc, apexes(I, f, (b,) * Q, mu, mp), col, tag, [c for c in every if c[1] == b])
    vals, zero = {}, (F(0),) * I.K
    (_, f1, m1), (_, f2, m2) = nets
    T2 = sum((dot(y, y) for y in tr(I.Y)), F(0))
    for s, c in zip(configs(Q), C):
        p1, p2 = apexes(I, f1, s, m1, mp), apexes(I, f2, s, m2, mp)
        out = []
        for name, A, cc, p, free in (("zero", c["zero"], zero, p1, False), ("zero_mu2", c["zero_mu2"], zero, p2, False),
                                     ("free", c["free"]["A"], c["free"]["c"], p1, True)):
            Gz, Rz = image(I, s, p)
            B, G, R = ((tuple(r + (x,) for r, x in zip(A, cc)), Gz, Rz) if free
                       else (A, tuple(r[:Q] for r in Gz[:Q]), tuple(r[:Q] for r in Rz)))
            yield Eq(f"s={key(s)}: {name}: normal equations {'(A | c) Gz = Rz' if free else 'A G = R'}", mm(B, G), R)
            out.append(T2 - sum((dot(b, r) for b, r in zip(B, R)), F(0)))    # F = T - 2 Tr(B R^T) + Tr(B G B^T), B G = R
        vals[s] = tuple(out)
    I.t25nets = nets
    return vals


def stats(I):
    """Per class N_j^-1 sum_i (x - xbar_j)(x - xbar_j)^T, from the class moments (cached)."""
    if not hasattr(I, "scatter"):
        I.scatter = [tuple(tuple(S[a][b] - m[a] * m[b] for b in range(I.M)) for a in range(I.M)) for _, m, S in moments(I)]
    return I.scatter


def formula(I, s):
    """Tr(Y D (1 + D)^-1 Y^T), D = X^-1 S_s X^-T with the original means (value-original-means); cached."""
    memo = I.__dict__.setdefault("t25formula", {})
    if s not in memo:
        if not hasattr(I, "Xi"):
            I.Xi = inv(tr(I.means))
        S = [[F(0)] * I.M for _ in range(I.M)]
        for j in (j for j in range(I.Q) if s[j]):
            S = [[a + b for a, b in zip(r, t)] for r, t in zip(S, stats(I)[j])]
        D = mm(mm(I.Xi, tuple(map(tuple, S))), tr(I.Xi))
        B = mm(mm(mm(I.Y, D), inv(tuple(tuple(a + e for a, e in zip(r, t)) for r, t in zip(D, eye(I.Q))))), tr(I.Y))
        memo[s] = sum(B[i][i] for i in range(I.K))
    return memo[s]


def descent(I, w, s, c, kind):
    """The bias segment of the module docstring from the configuration's ``kind`` network to its descent apexes."""
    (Wc, f, mu), tag = I.t25nets[0], f"s={key(s)}: {kind} descent: "
    A, cc = (c["zero"], (F(0),) * I.K) if kind == "zero" else (c["free"]["A"], c["free"]["c"])
    q = c[kind + "_descent"]
    yield from conditions(I, Wc, q, q, tag, cells(s))
    p = apexes(I, f, s, mu, w["mu_identity"])       # the untouched clusters' terms are the same at both ends
    yield Pos(f"{tag}lowers the cost", sum((single(I, j, p[j], A, cc) - single(I, j, q[j], A, cc) for j in range(I.Q)
                                            if s[j] == 0), F(0)))


def claims(I, w, reading, vals):
    """The reading's obligations on the values V_s, V'_s, Vf_s (module docstring), lazily: a refutation stops at the
    first that fails."""
    V = {s: x[0] for s, x in vals.items()}
    if reading == "value-independent-of-mu":
        return (Eq(f"s={key(s)}: V = V' (two mu)", x[0], x[1]) for s, x in vals.items())
    if reading == "value-original-means":
        return (Eq(f"s={key(s)}: V = (2.85) with the original means", V[s], formula(I, s)) for s in V)
    if reading == "distinct-values":
        return (NonZero(f"V(s={key(a)}) != V(s={key(b)})", V[a] - V[b]) for a, b in combinations(V, 2))
    return (Pos(f"s={key(s)}: value > 0", x[0 if "zero" in reading else 2]) for s, x in vals.items()
            if reading.startswith("not-global"))                                             # 2.84: none


NEGATE = {Eq: lambda o: NonZero(o.name + " fails", o.a - o.b), NonZero: lambda o: Eq(o.name + " fails", o.e, 0),
          Pos: lambda o: NonNeg(o.name + " fails (value 0, the exact optimum)", -o.e)}


def kappa_of(Q, lam):
    """kappa = cos^2(theta_*/2) = lambda^2 (Q - 1) / (1 + lambda^2 (Q - 1)) (4.29), as deep_thm2_3.theta."""
    return lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))


def value_check(I, w, reading, vals, proof, two, name):
    """A value reading (``claims``) on vals: proof, its obligations (value-independent-of-mu also ``two``: the two
    mu differ); refutation, the first that fails, negated.  ``name``: the reading's full name."""
    if proof:
        if reading == "value-independent-of-mu":
            yield two
        yield from claims(I, w, reading, vals)
        return
    bad = next((ob for ob in claims(I, w, reading, vals) if holds(ob) is not True), None)
    yield NEGATE[type(bad)](bad) if bad else Pos(f"a counterexample to {name}", F(0))


def local_min_proof(vals, kind, tag=""):
    """A local-min reading proved only where nothing is open: zero never for a partial s, free where every partial
    s has free value 0 (a global, hence local, minimum)."""
    for s in (s for s in vals if not all(s)):
        yield (Pos(f"s={key(s)}: no local-minimum certificate for a partial collapse", F(0))
               if kind == "zero" else Eq(f"s={key(s)}: {tag}free value 0 (a global minimum)", vals[s][2], 0))


def check(I, w, reading, proof):
    """Proof: the common part and the reading's obligations; refutation: the common part and the first of them that
    fails, negated (local-min: the descents)."""
    vals = yield from common(I, w)
    if reading.startswith("local-min"):
        kind = "zero" if "zero" in reading else "free"
        if proof:
            yield from local_min_proof(vals, kind)
            return
        given = [(s, c) for s, c in zip(configs(I.Q), w["configurations"]) if c[kind + "_descent"] is not None]
        yield Pos(f"a {kind} descent is given", F(len(given)))
        for s, c in given:                                     # every descent given is checked
            yield from descent(I, w, s, c, kind)
        return
    yield from value_check(I, w, reading, vals, proof, NonZero("two mu: mu_collapse_2 != mu_collapse",
                                                               w["mu_collapse_2"] - w["mu_collapse"]), reading)


def conclusion(I, w, reading):
    if reading in P.READINGS:
        yield from P.conclusion(I, w, reading)
        return
    yield from check(I, w, reading, True)


def refutation(I, w, reading):
    if reading in P.READINGS:
        yield from P.refutation(I, w, reading)
        return
    if reading == "2.84":
        yield Pos("no refutation", F(0))
        return
    yield from check(I, w, reading, False)


from . import deep_thm2_5_paper as P  # noqa: E402  (it reads this module)
READINGS += P.READINGS
SCHEMA.update(P.SCHEMA)
