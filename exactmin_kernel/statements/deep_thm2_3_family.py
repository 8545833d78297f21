"""deep.thm2.3, readings mu-box and collapse-only (hypotheses, premises, theta and the construction: deep_thm2_3).

mu-box: (2.58) for EVERY mu in [lo, hi]^Q (one mu_j per cluster): ends in I_0; the collapse (2.59) at the corners
(the sign conditions are affine in the two mu's involved: corners suffice); det X_0^red[mu] is affine in each mu_j
(one strict sign at the 2^Q vertices), so W^(L+1) = Y X_0^red[mu]^{-1} gives cost 0: a certified SUB-box of I_0^Q.
Refuted at its vertex (lo, ..., lo) = (mu, ..., mu) by the refutation of L=Q there.
collapse-only ((4.65), weaker than (2.59)): the L=Q construction at mu in I_0 sends each class to ONE point,
wherever it is: the data conditions of (2.59) (cluster l collapses at layer l, later clusters pass; no apex
condition) suffice; refuted by a class with two images (exact forward pass of the hidden layers).
"""
from fractions import Fraction as F
from itertools import product
from operator import mul

from ..interp import det, eye, forward_all, ints, mv, tr
from ..obligations import Eq, Le, Pos
from . import deep_thm2_3 as T

SCHEMA = {"mu_box?": ("vec", 2)}


def collapse(I, Wc, c, tag, mus):
    """(2.59) at each mu in mus, points as integer rows x / d (I.P): W p = Wn x / (dw d); n <= t iff n <= floor t."""
    for l in range(I.Q):
        Wn, dw = ints(Wc[l])
        im = [([tuple(sum(map(mul, r, x)) for r in Wn) for x in X], dw * d) if k >= l else None for k, (X, d) in enumerate(I.P)]
        for m in mus:
            at, apexes = mv(Wc[l], c(l, m)), [mv(Wc[l], c(k, mk)) for k in range(l) for mk in mus]
            yield from (Le(f"{tag}cluster {l + 1} collapses", tuple(im[l][0]), (tuple(t * im[l][1] // 1 for t in at),) * len(im[l][0])),
                        Le(f"{tag}later clusters pass layer {l + 1}", tuple(t for X, e in im[l + 1:] for t in [tuple(-(-t * e // 1) for t in at)] * len(X)),
                           tuple(x for X, _ in im[l + 1:] for x in X)),
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
    yield from (ob for ob in T.conclusion(I, w, reading) if not ob.name.startswith("(4.65)"))
    Wn, bn = w["networks"]["L=Q"]        # the exact hidden images: a class with two of them
    two = [len(set(forward_all(Wn[:-1] + (eye(I.Q),), bn[:-1] + ((F(0),) * I.Q,), P)[0])) > 1 for P in I.P]
    yield Pos("(4.65) violated: a class has two images after layer L", F(int(any(two))))
