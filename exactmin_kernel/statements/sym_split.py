"""sym.split (symmetry paper, arXiv:2105.12221; docs/claims/sym.md, neuron splitting after Fukumizu-Amari): splitting
a hidden neuron into k copies with sum_c beta_c = 1 keeps f, the gradient obeys the splitting identities, and critical
points (L = 0, or L > 0) map to critical points on the whole beta-subspace.

Instance-free.  Witness: a ReLU network, either ``network`` (two-layer f(x) = sum_j a_j sigma(w_j x + c_j), c
optional) or ``deep`` (h_0 = x, z_l = W_l h_(l-1) + b_l, h_l = sigma(z_l) for l = 1..L, f = W_(L+1) h_L + b_(L+1),
scalar output, biases all present or all absent); data X, targets Y_random and Y_critical, and the betas (each a
k-vector).  Sizes are capped before any arithmetic.  L = 1/2 sum_n (f(x_n) - y_n)^2.  Everything is the kernel's own:
one forward pass per point, one reverse pass per point and target vector (sigma'(z) = [z > 0]).
The split of neuron j of hidden layer l by beta: row j of W_l (and b_l[j]) repeated k - 1 times (copies appended),
column j of W_(l+1) replaced by beta_1 col_j, beta_c col_j appended.  The identities (digest §2.1): with g = grad L(theta),
grad L(split) = g with row j (and b_l[j]) of layer l replaced by beta_c times itself for copy c and column j of
layer l+1 repeated for the copies; everything else unchanged; L(split) = L(theta).
Readings, for every split of every neuron of every hidden layer by every beta (premise: each beta sums to 1; the
gradient readings also: no pre-activation of theta is 0 on the data, and then none of a split is):
* function: f(split) = f(theta) on the data.
* gradient-identities: at Y_random, L and grad L of each split are as the identities predict; also grad L(theta) != 0
  there (otherwise the identities are vacuous: undecided).
* critical-zero-loss: at Y = f(theta), each split has L = 0 and grad L = 0.
* critical-positive-loss: premises L(theta; Y_critical) > 0 and grad L(theta; Y_critical) = 0; each split has the same
  L and grad L = 0, and the betas have rank k (k affinely independent points of sum beta = 1: the gradient is affine
  in beta, so the whole (k-1)-dimensional split subspace is critical).
A reading is refuted by the first split that fails (one entry where the two sides differ).
"""
from fractions import Fraction as F
from itertools import combinations

from ..interp import CapError, det, holds
from ..obligations import Eq, NonZero, Pos, Rank

CLAIM, INSTANCE_FREE = "sym.split", True
READINGS = ("function", "gradient-identities", "critical-zero-loss", "critical-positive-loss")
W_, N_ = (1, 8), (1, 400)                                   # widths and input dimension, data points
TWO = ("record", {"W": ("mat", W_, W_), "c?": ("vec", W_), "a": ("vec", W_)})
DEEP = ("record", {"weights": ("list", (2, 5), ("mat", W_, W_)), "biases?": ("list", (2, 5), ("vec", W_))})
SCHEMA = {"network?": TWO, "deep?": DEEP, "X": ("mat", N_, W_), "Y_random": ("vec", N_), "Y_critical": ("vec", N_),
          "betas": ("mat", (1, 12), (2, 6))}
MAX_PARAMS = 200


def two_layer(net):
    """A two-layer network as layers (W, b or None): hidden (W, c), output ((a,), no bias)."""
    return ((net["W"], net["c"]), ((net["a"],), None))


def check_net(layers, X):
    """CapError unless the layers chain (columns = previous rows), the output is scalar and X has the input size."""
    n = len(X[0])
    for W, b in layers:
        if any(len(r) != n for r in W) or (b is not None and len(b) != len(W)):
            raise CapError("the network's shapes do not chain")
        n = len(W)
    if n != 1 or any(len(x) != len(X[0]) for x in X) or sum(len(W) * (len(W[0]) + 1) for W, _ in layers) > MAX_PARAMS:
        raise CapError(f"scalar output, data of the input size, at most {MAX_PARAMS} parameters")


def z(W, b, h):
    return tuple(sum((u * v for u, v in zip(r, h) if v), F(0)) + (b[i] if b is not None else 0) for i, r in enumerate(W))


def passes(layers, X):
    """Per point: (h_0 .. h_L, z_1 .. z_L, f(x))."""
    out = []
    for x in X:
        hs, zs = [x], []
        for W, b in layers[:-1]:
            zs.append(z(W, b, hs[-1]))
            hs.append(tuple(v if v > 0 else F(0) for v in zs[-1]))
        out.append((hs, zs, z(*layers[-1], hs[-1])[0]))
    return out


def kinks(P):
    return sum(v == 0 for _, zs, _ in P for zl in zs for v in zl)


def loss_grad(layers, P, Y):
    """(L, grad L): per layer (dL/dW_l, dL/db_l or None), by the reverse pass at every point."""
    gW = [[[F(0)] * len(W[0]) for _ in W] for W, _ in layers]
    gb = [None if b is None else [F(0)] * len(W) for W, b in layers]
    L = F(0)
    for (hs, zs, f), y in zip(P, Y):
        cot, L = (f - y,), L + (f - y) ** 2 / 2                   # cot = dL/dz of the current layer
        for l in range(len(layers) - 1, -1, -1):
            for i, c in enumerate(cot):
                if c:
                    gW[l][i] = [g + c * h for g, h in zip(gW[l][i], hs[l])]
                    if gb[l] is not None:
                        gb[l][i] += c
            if l:
                W = layers[l][0]
                cot = tuple(sum((W[i][k] * c for i, c in enumerate(cot) if c), F(0)) if zs[l - 1][k] > 0 else F(0)
                            for k in range(len(W[0])))
    return L, tuple((tuple(map(tuple, G)), None if g is None else tuple(g)) for G, g in zip(gW, gb))


def zero(g):
    return tuple((tuple(tuple(F(0) for _ in r) for r in G), None if b is None else tuple(F(0) for _ in b)) for G, b in g)


def split(layers, l, j, beta):
    (W, b), (V, c) = layers[l], layers[l + 1]
    k = len(beta) - 1
    V2 = tuple(r[:j] + (beta[0] * r[j],) + r[j + 1:] + tuple(bc * r[j] for bc in beta[1:]) for r in V)
    return layers[:l] + ((W + (W[j],) * k, None if b is None else b + (b[j],) * k), (V2, c)) + layers[l + 2:]


def identities(g, l, j, beta):
    """The gradient the split must have (module docstring)."""
    (G, gb), (H, hc) = g[l], g[l + 1]
    rep = (lambda v: v[:j] + (beta[0] * v[j],) + v[j + 1:] + tuple(bc * v[j] for bc in beta[1:]))    # noqa: E731
    G2 = G[:j] + (tuple(beta[0] * v for v in G[j]),) + G[j + 1:] + tuple(tuple(bc * v for v in G[j]) for bc in beta[1:])
    return g[:l] + ((G2, None if gb is None else rep(gb)), (tuple(r + (r[j],) * (len(beta) - 1) for r in H), hc)) + g[l + 2:]


def flat(e):
    return [y for x in e for y in flat(x)] if isinstance(e, (tuple, list)) else [] if e is None else [e]


def negation(ob):
    """A failed Eq(a, b) of equally shaped values: the first entry where a and b differ, nonzero."""
    i, (x, y) = next((i, p) for i, p in enumerate(zip(flat(ob.a), flat(ob.b))) if p[0] != p[1])
    return NonZero(f"not: {ob.name} (entry {i})", x - y)


def refute(pre, claims):
    """The prerequisites hold and the first claim that fails is false (nothing if none fails)."""
    bad = next((ob for ob in claims if holds(ob) is False), None)
    if bad is not None:
        yield from pre
        yield negation(bad)


_CACHE = {}


def data(w):
    """The network (layers), X, f(theta), the passes of theta and of every split; cached per witness."""
    if _CACHE.get("w") is not w:
        if (w["network"] is None) == (w["deep"] is None):
            raise CapError("exactly one of network (two-layer) and deep")
        net = w["deep"]
        layers = two_layer(w["network"]) if net is None else tuple(
            zip(net["weights"], net["biases"] or (None,) * len(net["weights"])))
        if net is not None and net["biases"] is not None and len(net["biases"]) != len(net["weights"]):
            raise CapError("one bias vector per layer, or none")
        X, B = w["X"], w["betas"]
        check_net(layers, X)
        if len({len(b) for b in B}) != 1 or len(w["Y_random"]) != len(X) or len(w["Y_critical"]) != len(X):
            raise CapError("betas of one length k, one target per point")
        P = passes(layers, X)
        S = [(f"split of neuron {j} of hidden layer {l + 1} by beta {i}", l, j, b, s, passes(s, X))
             for l in range(len(layers) - 1) for j in range(len(layers[l][0])) for i, b in enumerate(B)
             for s in [split(layers, l, j, b)]]
        _CACHE.update(w=w, d=(layers, X, P, [f for *_, f in P], S, {}))
    return _CACHE["d"]


def grad(w, targets):
    """(L, grad L) of theta at the witness's targets "Y_random" or "Y_critical" (memoised)."""
    layers, _, P, _, _, memo = data(w)
    if targets not in memo:
        memo[targets] = loss_grad(layers, P, w[targets])
    return memo[targets]


def premises(I, w, reading):
    _, _, P, _, _, _ = data(w)                              # shapes and caps first
    yield from (Eq(f"beta {i} sums to 1", sum(b), 1) for i, b in enumerate(w["betas"]))
    if reading != "function":
        yield Eq("pre-activations of theta exactly 0 on the data", kinks(P), 0)
    if reading == "critical-positive-loss":
        Lc, g = grad(w, "Y_critical")
        yield Pos("L(theta; Y_critical) > 0", Lc)
        yield Eq("grad L(theta; Y_critical) = 0", g, zero(g))


def claims(w, reading):
    """One obligation per split (the refutation negates the first that fails)."""
    _, _, _, f0, S, _ = data(w)
    for name, l, j, b, s, Ps in S:
        if reading == "function":
            yield Eq(f"f({name}) = f(theta) on the data", [f for *_, f in Ps], f0)
        elif reading == "gradient-identities":
            L, g = grad(w, "Y_random")
            yield Eq(f"L, grad L of the {name} at Y_random obey the identities", loss_grad(s, Ps, w["Y_random"]),
                     (L, identities(g, l, j, b)))
        else:
            Y, L = (f0, F(0)) if reading == "critical-zero-loss" else (w["Y_critical"], grad(w, "Y_critical")[0])
            L2, g2 = loss_grad(s, Ps, Y)
            yield Eq(f"{name} is critical at the {reading[9:]} targets (L = L(theta), grad L = 0)", (L2, g2), (L, zero(g2)))


def hypotheses(I):
    return iter(())


def conclusion(I, w, reading):
    if reading == "gradient-identities":
        g = grad(w, "Y_random")[1]
        yield Pos("grad L(theta; Y_random) != 0 (the identities are not vacuous)", sum(x != 0 for x in flat(g)))
    yield from claims(w, reading)
    if reading == "critical-positive-loss":
        B, k = w["betas"], len(w["betas"][0])
        rows = next((c for c in combinations(range(len(B)), k) if det([B[i] for i in c])), tuple(range(min(k, len(B)))))
        yield Rank(f"the betas have rank k = {k}", B, k, (rows, tuple(range(k))), ())


def refutation(I, w, reading):
    yield from refute((), claims(w, reading))
