"""deep.thm2.3, readings mu-box and collapse-only (hypotheses, premises, theta and the construction: deep_thm2_3).

mu-box: (2.58) for EVERY mu in [lo, hi]^Q (one mu_j per cluster): ends in I_0; the collapse (2.59) at the corners
(the sign conditions are affine in the two mu's involved: corners suffice); det X_0^red[mu] is affine in each mu_j
(one strict sign at the 2^Q vertices), so W^(L+1) = Y X_0^red[mu]^{-1} gives cost 0: a certified SUB-box of I_0^Q.
Refuted at its vertex (lo, ..., lo) = (mu, ..., mu) by the refutation of L=Q there.
collapse-only ((4.65), weaker than (2.59)): the L=Q construction at mu in I_0 sends each class to ONE point,
wherever it is: the data conditions of (2.59) (cluster l collapses at layer l, later clusters pass; no apex
condition) suffice; refuted by a class with two images (exact forward pass of the hidden layers).
L>Q/arbitrary ((4.66)): layers Q+1..L picked arbitrarily (W^(l), tau^(L)(X_0)^red invertible) keep (4.65) and
cost 0 for EVERY such choice: collapse-only's obligations, then the argument (later layers map points to points;
W^(L+1) = Y (tau^(L)(X_0)^red)^-1, b^(L+1) = 0 interpolates the Q points).  Never refuted here.
route: the same conditions with the apexes prove L=Q and L>Q without a forward pass of every point (``route``).
The conditions read per-cluster row extremes, bounded cheaply from 40-bit rows and computed exactly only where the
bounds do not decide (``extremes``; packed integers: exactmin_kernel/packed.py).
"""
from fractions import Fraction as F
from itertools import product

from ..interp import det, eye, forward_all, holds, ints, mv, tr
from ..packed import class_extremes
from ..obligations import Eq, Le, Pos
from . import deep_thm2_3 as T

SCHEMA = {"mu_box?": ("vec", 2)}


def extremes(I, Wc, l, exact, start=None):
    """Per cluster k >= start (default l; None for k < start): (lo, hi, e), lo_r <= min and hi_r >= max over the
    cluster's points x / d (I.P) of the integer pre-activations Wn_r x, where W^(l) = Wn / dw and e = dw d, so
    W^(l) p = Wn x / e; equal to the exact extremes if ``exact``, else packed.bounds.  Cached on I per integer rows
    (packed.class_extremes): mu-box, collapse-only, L=Q, L>Q (and deep.thm2.5, from cluster 0) read the same ones."""
    start = l if start is None else start
    Wn, dw = ints(Wc[l])
    return [e and (*e, dw * d) for e, (_, d) in zip(class_extremes(I, Wn, exact, start), I.P)]


def collapse(I, Wc, c, tag, mus):
    """(2.59) at each mu in mus, by the row extremes: cluster l collapses at layer l (every row max <= W^(l) c_l) and
    every later cluster passes it (every row min >= W^(l) c_l); n <= t iff n <= floor t for integers n.  Decided
    from the bounds of the extremes when they suffice (a bound that holds implies the condition), else exactly."""
    for l in range(I.Q):
        obs = list(conditions(I, Wc, c, tag, mus, l, extremes(I, Wc, l, False)))
        yield from obs if all(holds(ob) is True for ob in obs) else conditions(I, Wc, c, tag, mus, l, extremes(I, Wc, l, True))


def route(I, Wc, c, mu):
    """The paper's route for L=Q and L>Q ((2.59), (4.59)), or None where a sign condition fails (then the exact
    forward pass decides).  The obligations: cluster l's points x have W^(l)x + b^(l) <= 0, later clusters' >= 0,
    and W^(l)c_k + b^(l) >= 0 for k < l, with b^(l) = -W^(l)c_l.  With h_0 = x, h_l = sigma(W_l h_(l-1) + b_l) and
    the cumulative maps W^(l) = W_l W^(l-1), b^(l) = W_l b^(l-1) + b_l (checked by deep_thm2_3.network), induction
    gives h_l = W^(l)y_l + b^(l) for x in cluster j, y_l = x for l < j and y_l = c_j for l >= j: the pre-activation
    W^(l)y_(l-1) + b^(l) = W^(l)(y_(l-1) - c_l) is >= 0 (sigma keeps it: y_l = y_(l-1)) or, at l = j, <= 0 (h_l = 0
    = W^(l)c_l + b^(l)).  Layers l > Q repeat layer Q's cumulative map, where every apex passes (c_Q: 0).  So the
    output is W^(L+1)c_j + b^(L+1) = y_j, given W^(L+1)X_0^red[mu] = Y and b^(L+1) = 0."""
    obs = list(collapse(I, Wc, c, "(2.59) at mu: ", (mu,)))
    return obs if all(holds(ob) is True for ob in obs) else None


def conditions(I, Wc, c, tag, mus, l, ex):
    for m in mus:
        at, apexes = mv(Wc[l], c(l, m)), [mv(Wc[l], c(k, mk)) for k in range(l) for mk in mus]
        yield from (Le(f"{tag}cluster {l + 1} collapses", ex[l][1], tuple(t * ex[l][2] // 1 for t in at)),
                    Le(f"{tag}later clusters pass layer {l + 1}", tuple(-(-t * e // 1) for _, _, e in ex[l + 1:] for t in at),
                       tuple(x for lo, _, _ in ex[l + 1:] for x in lo)),
                    Le(f"{tag}earlier apexes pass layer {l + 1}", (at,) * len(apexes), tuple(apexes)))


def conclusion(I, w, reading):
    kappa = yield from T.theta(I, w)
    Wc, c = yield from T.construction(I, w)
    if reading == "mu-box":
        yield Pos("mu_box given, Q <= 8", F(int(w["mu_box"] is not None and I.Q <= 8)))
        lo, hi = w["mu_box"]
        yield from (Pos("mu_box lo < hi", hi - lo), *T.in_I0(I, lo, kappa), *T.in_I0(I, hi, kappa))
        yield from collapse(I, Wc, c, "box: ", (lo, hi))
        d = [det(tr([c(j, m) for j, m in enumerate(vx)])) for vx in product((lo, hi), repeat=I.Q)]
        yield Pos("box: det X0red[mu] has one strict sign at the vertices", tuple(x * d[0] for x in d))
        return
    yield from T.in_I0(I, w["mu"], kappa)
    yield from (ob for ob in collapse(I, Wc, c, "(4.65) data: ", (w["mu"],)) if "apexes" not in ob.name)
    yield from T.network(I, w["networks"]["L=Q"], Wc, c, w["mu"], False)


def refutation(I, w, reading):
    if reading == "mu-box":             # its vertex (mu, ..., mu): the L=Q refutation there
        yield Eq("mu_box lo = mu", w["mu_box"] and w["mu_box"][0], w["mu"])
        yield from T.violated(T.conclusion(I, w, "L=Q"))
        return
    if reading == "L>Q/arbitrary":
        yield Pos("no refutation: (4.66) is refuted by no admissible choice here", F(0))
        return
    yield from (ob for ob in T.conclusion(I, w, reading) if not ob.name.startswith("(4.65)"))
    Wn, bn = w["networks"]["L=Q"]        # the exact hidden images: a class with two of them
    two = [len(set(forward_all(Wn[:-1] + (eye(I.Q),), bn[:-1] + ((F(0),) * I.Q,), P)[0])) > 1 for P in I.P]
    yield Pos("(4.65) violated: a class has two images after layer L", F(int(any(two))))
