"""deep.eq2.38, rank preservation (2.38) of arXiv:2309.10639v4 and the hypothesis of Theorem 2.3 ("tau rank
preserving w.r.t. X_0, so that rank bar X^(L) = rank X^(L) = Q").

Hypothesis: M = Q (square invertible hidden layers, Def. 2.1).  Witness: the hidden network ``network`` (its
output layer is not used), optionally a ``counterexample`` network and the Thm 2.3 ``construction`` (lambda, mu,
tol, u~, f~_l, R_l of deep.thm2.3 and its L = Q network).
Ranks: X^(L) = sigma(W_L ... ) is the exact forward pass (integer rows, interp.forward_all), b = b^(L) the
cumulative bias (2.43); tau(X_0) = W^(L)^-1 (X^(L) - b u^T) by (2.44) (Prop. 2.2, checked by deep.prop2.2) with
W^(L) invertible, so rank tau(X_0) = rank(X^(L) - b u^T) and rank bar tau(X_0) = rank [xbar^(L)_j - b]_j.  A rank
of a Q x N matrix Z is the rank of its Gram sum_j N_j^-1 sum_i z z^T (Q x Q: G v = 0 iff Z^T v = 0); each rank is a
Rank judgment (nonzero r x r minor, Q - r independent null vectors) on that Gram; bar Z has the Gram
sum_j zbar_j zbar_j^T.
rank-preserving: premise every hidden W_l invertible; proved iff rank tau(X_0) = rank X_0 and rank bar tau(X_0) =
rank bar X_0 (2.38), refuted iff the four ranks are certified and one equality fails.
implies-rank-XL: "tau rank preserving and rank X_0 = Q imply rank X^(L) = rank bar X^(L) = Q" for EVERY network.
Premise rank X_0 = Q.  Never proved by one network (undecided); refuted by the counterexample network: invertible
hidden layers, rank preserving, and rank X^(L) < Q or rank bar X^(L) < Q (W-D).
construction, construction-rank-XL: premises the hypotheses and the mu premise of deep.thm2.3; the network is the
Thm 2.3 construction (rational realisation) at a mu certified in I_0: every obligation of deep.thm2.3 (L=Q) but
the collapse (2.59), the outputs and the output layer.  construction: it is rank preserving (refuted iff not);
construction-rank-XL: rank X^(L) = rank bar X^(L) = Q (refuted iff one is < Q; for L = Q the class-Q columns of
X^(Q) are 0 wherever (2.59) holds).
"""
from fractions import Fraction as F
from itertools import takewhile
from operator import mul

from ..interp import det, eye, forward_all, mv, scale, sub, tr
from ..linalg import rank_witness
from ..obligations import Eq, NonZero, Pos, Rank
from . import deep_thm2_3 as T23

CLAIM = "deep.eq2.38"
READINGS = ("rank-preserving", "implies-rank-XL", "construction", "construction-rank-XL")
NET = ("net", "Q", "M", "K")
SCHEMA = {"network": NET, "counterexample?": NET,
          "construction?": ("record", dict({k: T23.SCHEMA[k] for k in ("lambda", "mu", "tol", "u_tilde", "f_tilde", "R")},
                                           network=NET))}


def cumulative_bias(net):
    """b^(L) of (2.43): b^(l) = W_l b^(l-1) + b_l (zero for L = 0)."""
    b = (F(0),) * len(net[1][0])
    for W, c in zip(net[0][:-1], net[1][:-1]):
        b = tuple(x + y for x, y in zip(mv(W, b), c))
    return b


def hypotheses(I):
    yield Eq("M=Q", I.M, I.Q)


def stats(P):
    """Per class (N_j, sum x, sum x x^T) of the integer rows x / d: one integer dot product per entry."""
    out = []
    for X, d in P:
        cols = list(zip(*X))
        out.append((len(X), tuple(F(sum(c), d) for c in cols),
                    tuple(tuple(F(sum(map(mul, a, b)), d * d) for b in cols) for a in cols)))
    return out


def madd(*Ms):
    return tuple(tuple(sum(xs, F(0)) for xs in zip(*rows)) for rows in zip(*Ms))


def outer(u, v):
    return tuple(tuple(a * b for b in v) for a in u)


def facts(I, net):
    """Grams of X_0, bar X_0, X^(L), bar X^(L), X^(L) - b u^T, its class means; cached per network."""
    cache = I.__dict__.setdefault("rank_facts", {})
    if id(net) not in cache or cache[id(net)][0] is not net:
        T23.geometry(I)
        (Wn, bn), L, Q = net, len(net[0]) - 1, I.Q
        H = I.P if L == 0 else [forward_all(Wn[:L] + (eye(Q),), bn[:L] + ((F(0),) * Q,), P) for P in I.P]
        b = cumulative_bias(net) if L else (F(0),) * Q
        st, st0 = stats(H), stats(I.P)
        hb = [scale(F(1, n), s) for n, s, _ in st]
        A = madd(*(scale(F(1, n), S) for n, _, S in st))
        hs = tuple(sum(c, F(0)) for c in zip(*hb))
        C = tr([sub(h, b) for h in hb])                                   # columns xbar^(L)_j - b
        x = dict(H=H, b=b, hb=hb, A=A, C=C, XLbar=madd(*(outer(h, h) for h in hb)),
                 tau=madd(A, scale(-1, outer(hs, b)), scale(-1, outer(b, hs)), scale(F(Q), outer(b, b))),
                 taubar=madd(*(outer(c, c) for c in tr(C))), X0=madd(*(scale(F(1, n), S) for n, _, S in st0)),
                 X0bar=madd(*(outer(m, m) for m in I.means)),
                 Sc=madd(*(sub(scale(F(1, n), S), outer(h, h)) for (n, _, S), h in zip(st, hb))))
        cache[id(net)] = (net, x)
    return cache[id(net)][1]


def rank(I, net, key, label):
    """(r, the Rank judgment that rank of ``key`` is r): the candidate comes from linalg, the judgment checks it."""
    G = facts(I, net)[key]
    r, minor, kernel = rank_witness(G)
    return r, Rank(f"rank {label} = {r}", G, r, minor, kernel)


def invertible(net, tag):
    return (NonZero(f"{tag}: W_{l + 1} invertible", det(W)) for l, W in enumerate(net[0][:-1]))


def preserving(I, net, tag, out):
    """The four Rank judgments of (2.38); out receives the ranks."""
    for key, label in (("X0", "X_0"), ("tau", f"tau(X_0) ({tag})"), ("X0bar", "bar X_0"), ("taubar", f"bar tau(X_0) ({tag})")):
        r, ob = rank(I, net, key, label)
        yield ob
        out[key] = r


def XL(I, net, tag, out):
    for key, label in (("A", f"X^(L) ({tag})"), ("XLbar", f"bar X^(L) ({tag})")):
        r, ob = rank(I, net, key, label)
        yield ob
        out[key] = r


def construction(I, w):
    """The deep.thm2.3 witness of the construction, and its tie: the thm2.3 (L=Q) obligations on the constants,
    mu in I_0 and the hidden cumulative maps (not the collapse, the outputs or the output layer)."""
    c = w["construction"]
    yield Pos("construction given", F(int(c is not None)))
    if getattr(I, "tie", (None,))[0] is not c:               # generated once per witness (three readings use it)
        w23, skip = dict(c, networks={"L=Q": c["network"], "L>Q": None}, mu_box=None), ("(2.59)", "W^(L+1)", "b^(L+1)")
        obs = takewhile(lambda ob: not ob.name.startswith("outputs"), T23.conclusion(I, w23, "L=Q"))   # outputs: last
        I.tie = (c, [ob for ob in obs if not any(s in ob.name for s in skip)])
    yield from I.tie[1]
    yield from invertible(c["network"], "construction")


def premises(I, w, reading):
    if reading in ("construction", "construction-rank-XL"):
        yield from T23.hypotheses(I)
        if w["construction"] is not None:
            yield from T23.premises(I, dict(w["construction"]), "L=Q")
    elif reading == "rank-preserving":
        yield from invertible(w["network"], "network")
    else:
        r, ob = rank(I, w["network"], "X0", "X_0")
        yield from (ob, Eq("rank X_0 = Q", r, I.Q))


def conclusion(I, w, reading):
    rk = {}
    if reading == "rank-preserving":
        yield from preserving(I, w["network"], "network", rk)
        yield from (Eq("rank tau(X_0) = rank X_0", rk["tau"], rk["X0"]), Eq("rank bar tau(X_0) = rank bar X_0", rk["taubar"], rk["X0bar"]))
    elif reading == "implies-rank-XL":
        yield Pos("one network does not prove a statement about every network", F(0))
    else:
        yield from construction(I, w)
        net = w["construction"]["network"]
        if reading == "construction":
            yield from preserving(I, net, "construction", rk)
            yield from (Eq("rank tau(X_0) = rank X_0", rk["tau"], rk["X0"]), Eq("rank bar tau(X_0) = rank bar X_0", rk["taubar"], rk["X0bar"]))
        else:
            yield from XL(I, net, "construction", rk)
            yield from (Eq("rank X^(L) = Q", rk["A"], I.Q), Eq("rank bar X^(L) = Q", rk["XLbar"], I.Q))


def refutation(I, w, reading):
    rk = {}
    if reading == "rank-preserving":
        yield from preserving(I, w["network"], "network", rk)
        yield Pos("rank changed", abs(rk["tau"] - rk["X0"]) + abs(rk["taubar"] - rk["X0bar"]))
        return
    if reading == "implies-rank-XL":
        net = w["counterexample"]
        yield Pos("counterexample given", F(int(net is not None)))
        yield from invertible(net, "counterexample")
        yield from preserving(I, net, "counterexample", rk)
        yield from (Eq("counterexample: rank tau(X_0) = rank X_0", rk["tau"], rk["X0"]),
                    Eq("counterexample: rank bar tau(X_0) = rank bar X_0", rk["taubar"], rk["X0bar"]))
    else:
        yield from construction(I, w)
        net = w["construction"]["network"]
        if reading == "construction":
            yield from preserving(I, net, "construction", rk)
            yield Pos("rank changed", abs(rk["tau"] - rk["X0"]) + abs(rk["taubar"] - rk["X0bar"]))
            return
    yield from XL(I, net, "counterexample" if reading == "implies-rank-XL" else "construction", rk)
    yield Pos("rank X^(L) < Q or rank bar X^(L) < Q", F(I.Q - min(rk["A"], rk["XLbar"])))
