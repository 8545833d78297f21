"""deep.thm2.3, Theorem 2.3 of arXiv:2309.10639v4 ((4.24)-(4.58), (2.59), (4.65)), one exact realisation.

Hypotheses: Q >= 2, M = Q, Y is Q x Q, Q < N, (2.12) every class deviates, (2.14) 16 delta^2 < min |v_j|^2 with
v_j = xbar - xbar_j, (2.51) <xbar_k - xbar_j, v_j> > 4 delta |v_j|, det X_0^red != 0 (2.15), det Y != 0 (2.1).
Witness: lambda in (0,1] (kappa = cos^2(theta_*/2) = lambda^2(Q-1)/(1+lambda^2(Q-1)), (4.29)); one mu for all
clusters; unit u~, f~_l within tol of u, v_l (0 < tol < sqrt 2, <x, d> >= (1 - tol^2/2)|d|, i.e. |x - d/|d|| <=
tol); rotations R_l, R_l f~_l = u~; the networks; optional mu box.
Common: theta_* > max theta_*,j (B_{4 delta}(xbar_k) strictly inside xbar_j + C_{theta_*}[f_j], (2.52)).
L=Q, L>Q: there EXISTS a network with L hidden layers and cost 0 (the minimum), the construction at one mu in
I_0 = (-D, -2 delta sqrt Q) (mu > -D iff every B_delta(xbar_k - xbar_j) is strictly inside -mu f_j +
C_{theta_*}[f_j], (4.26)): cumulative maps (2.43) W^(l) = W_* R_l, b^(l) = -W^(l) c_l, c_l = xbar_l - mu f~_l
(layer Q repeated for l > Q), W^(L+1) X_0^red[mu] = Y, b^(L+1) = 0; collapse (2.59) (W^(l) y + b^(l) <= 0 on
cluster l, >= 0 on later clusters and earlier apexes); every output equals y_j.
mu-box: the same for EVERY mu in [lo, hi]^Q (one mu_j per cluster): ends in I_0; the sign conditions are affine
in the two mu's involved (corners suffice); det X_0^red[mu] is affine in each mu_j (one strict sign at the 2^Q
vertices), so W^(L+1) = Y X_0^red[mu]^{-1} gives cost 0.  Refutation: see ``refutation``.
"""
from fractions import Fraction as F
from itertools import product

from operator import mul

from ..interp import _flat, det, dot, eye, forward_all, holds, ints, mm, mv, scale, sub, tr
from ..obligations import Eq, Le, NonNeg, NonZero, Pos, SqrtSumSign

CLAIM, READINGS = "deep.thm2.3", ("L=Q", "L>Q", "mu-box")
NET = ("net", "Q", "M", "K")
SCHEMA = {"lambda": "rat", "mu": "rat", "tol": "rat", "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")),
          "R": ("list", "Q", ("mat", "Q", "Q")), "networks": ("record", {"L=Q": NET, "L>Q": NET}), "mu_box?": ("vec", 2)}


def geometry(I):
    """(per-class delta^2, v_j, a[j][k] = xbar_k - xbar_j, pairs j != k), cached; I.P: classes as (integer rows, d)."""
    if not hasattr(I, "geo"):
        I.P, dev = [ints(c) for c in I.classes], []
        for (X, d), ((m,), dm) in zip(I.P, [ints([m]) for m in I.means]):
            dev.append(F(max(sum((x * dm - y * d) ** 2 for x, y in zip(p, m)) for p in X), (d * dm) ** 2))
        I.geo = (tuple(dev), [sub(I.bary, m) for m in I.means], [[sub(mk, mj) for mk in I.means] for mj in I.means],
                 [(j, k) for j in range(I.Q) for k in range(I.Q) if j != k])
    return I.geo


def hypotheses(I):
    yield from (Pos("Q>=2", F(I.Q - 1)), Eq("M=Q", I.M, I.Q), Eq("Y is QxQ", I.K, I.Q), Pos("Q<N", F(I.N - I.Q)))
    dev, v, a, pairs = geometry(I)
    yield from (Pos("2.12", dev), Pos("2.14", min(dot(x, x) for x in v) - 16 * max(dev)))
    for j, k in pairs:
        s = dot(a[j][k], v[j])
        yield from (Pos(f"2.51({j + 1},{k + 1})", s), Pos(f"2.51({j + 1},{k + 1})^2", s * s - 16 * max(dev) * dot(v[j], v[j])))
    yield from (NonZero("det X0red", det(tr(I.means))), NonZero("det Y", det(I.Y)))


def cone(a, v, r2, kappa, t):
    """|v| ((h - t) sin - rho cos - r), theta/2 the half angle: > 0 iff B_r(a) strictly inside t v/|v| + C[v]."""
    av = dot(a, v)
    return ((F((av > 0) - (av < 0)), av * av * (1 - kappa)), (F(-1), (dot(a, a) * dot(v, v) - av * av) * kappa),
            (F(-1), r2 * dot(v, v)), (F(-1 if t > 0 else 1), t * t * dot(v, v) * (1 - kappa)))


def premises(I, w, reading):
    """mu in I_0 is the theorem's hypothesis ((2.58)); it is exactly false for EVERY theta_0 when mu is not below
    -2 delta sqrt Q, or when -mu > <xbar_k - xbar_j, f_j> - delta >= D for a pair (the cone lies in a half-space)."""
    (dev, v, a, pairs), mu = geometry(I), w["mu"]
    yield from below(I, mu)
    for j, k in pairs:
        av, vv = dot(a[j][k], v[j]), dot(v[j], v[j])
        yield SqrtSumSign(f"-mu <= <xbar_{k + 1} - xbar_{j + 1}, f_{j + 1}> - delta", ((F((av > 0) - (av < 0)), av * av),
                          (F(-1), mu * mu * vv), (F(-1), max(dev) * vv)), (0, 1))


def below(I, m):
    return Pos(f"mu={m} < 0", -m), Pos(f"mu={m} < -2 delta sqrt Q", m * m - 4 * max(geometry(I)[0]) * I.Q)


def in_I0(I, m, kappa):
    dev, v, a, pairs = geometry(I)
    yield from below(I, m)
    yield from (SqrtSumSign(f"mu={m} > -D ({j + 1},{k + 1})", cone(a[j][k], v[j], max(dev), kappa, -m), 1) for j, k in pairs)


def collapse(I, Wc, c, tag, mus):
    """(2.59): W^(l) y <= W^(l) c_l on cluster l, >= on later clusters and on earlier apexes (each mu in mus).  The
    points are integer rows x over d (I.P): W p = Wn x / (dw d), and for an integer n, n <= t iff n <= floor t."""
    for l in range(I.Q):
        Wn, dw = ints(Wc[l])
        im = [([tuple(sum(map(mul, r, x)) for r in Wn) for x in X], dw * d) for X, d in I.P]
        for m in mus:
            at, apexes = mv(Wc[l], c(l, m)), [mv(Wc[l], c(k, mk)) for k in range(l) for mk in mus]
            yield from (Le(f"{tag}cluster {l + 1} collapses", tuple(im[l][0]), (tuple(t * im[l][1] // 1 for t in at),) * len(im[l][0])),
                        Le(f"{tag}later clusters pass layer {l + 1}", tuple(t for X, e in im[l + 1:] for t in [tuple(-(-t * e // 1) for t in at)] * len(X)),
                           tuple(x for X, _ in im[l + 1:] for x in X)),
                        Le(f"{tag}earlier apexes pass layer {l + 1}", (at,) * len(apexes), tuple(apexes)))


def conclusion(I, w, reading):
    Q, lam, mu, tol, f, R, u = I.Q, w["lambda"], w["mu"], w["tol"], w["f_tilde"], w["R"], w["u_tilde"]
    dev, v, a, pairs = geometry(I)
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam), Pos("0 < tol < sqrt 2", (tol, 2 - tol * tol)))
    for name, x, d in [("u~", u, (F(1),) * Q)] + [(f"f~_{l + 1}", f[l], v[l]) for l in range(Q)]:
        yield from (Eq(f"|{name}| = 1", dot(x, x), 1), Pos(f"<{name}, dir> > 0", dot(x, d)),
                    NonNeg(f"{name} within tol", dot(x, d) ** 2 - (1 - tol * tol / 2) ** 2 * dot(d, d)))
    for l in range(Q):
        yield from (Eq(f"R_{l + 1} orthogonal", mm(tr(R[l]), R[l]), eye(Q)), Eq(f"det R_{l + 1} = 1", det(R[l]), 1),
                    Eq(f"R_{l + 1} f~_{l + 1} = u~", mv(R[l], f[l]), u))
    yield from (SqrtSumSign(f"theta* ({j + 1},{k + 1})", cone(a[j][k], v[j], 16 * max(dev), kappa, 0), 1) for j, k in pairs)
    Wc = [mm(tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q)), r) for r in R]
    c = (lambda k, m: sub(I.means[k], scale(m, f[k])))                                  # noqa: E731
    if reading == "mu-box":
        yield Pos("mu_box given, Q <= 8", F(int(w["mu_box"] is not None and Q <= 8)))
        lo, hi = w["mu_box"]
        yield from (Pos("mu_box lo < hi", hi - lo), *in_I0(I, lo, kappa), *in_I0(I, hi, kappa))
        yield from collapse(I, Wc, c, "box: ", (lo, hi))
        d = [det(tr([c(j, m) for j, m in enumerate(vx)])) for vx in product((lo, hi), repeat=Q)]
        yield Pos("box: det X0red[mu] has one strict sign at the vertices", tuple(x * d[0] for x in d))
        return
    yield from (*in_I0(I, mu, kappa), *collapse(I, Wc, c, "(2.59) ", (mu,)))
    Wn, bn = w["networks"][reading]
    yield Eq("L = Q", len(Wn) - 1, Q) if reading == "L=Q" else Pos("L > Q", F(len(Wn) - 1 - Q))
    Cw, Cb = [Wn[0]], [bn[0]]
    for l in range(1, len(Wn)):
        Cw, Cb = Cw + [mm(Wn[l], Cw[-1])], Cb + [tuple(x + y for x, y in zip(mv(Wn[l], Cb[-1]), bn[l]))]
    for l in range(len(Wn) - 1):
        yield Eq(f"W^({l + 1}), b^({l + 1}) as (4.56)-(4.58)", (Cw[l], Cb[l]), (Wc[min(l, Q - 1)], scale(-1, mv(Wc[min(l, Q - 1)], c(min(l, Q - 1), mu)))))
    yield from (Eq("W^(L+1) X0red[mu] = Y", mm(Cw[-1], tr([c(j, mu) for j in range(Q)])), I.Y), Eq("b^(L+1) = 0", Cb[-1], (F(0),) * I.K))
    for j, (X, d) in enumerate(forward_all(Wn, bn, P) for P in I.P):
        yield Eq(f"outputs of class {j + 1} = y_{j + 1}", tuple(X), (tuple(int(v) if v.denominator == 1 else v for v in scale(d, I.y(j))),) * len(X))


def refutation(I, w, reading):
    """mu certified in I_0, the network is the construction (every conclusion obligation but the collapse and the
    outputs holds), yet an output differs from y_j or a collapse condition fails: the realisation refutes (2.58)
    at this mu; mu-box: its vertex (mu, ..., mu) is that point."""
    if reading == "mu-box":
        yield Eq("mu_box lo = mu", w["mu_box"] and w["mu_box"][0], w["mu"])
    last = None
    for ob in conclusion(I, w, "L=Q" if reading == "mu-box" else reading):
        if "(2.59)" in ob.name or ob.name.startswith("outputs"):
            last = last or (None if holds(ob) else ob)
            continue
        yield ob
    bad = last and [x - y for x, y in zip(_flat(last.a), _flat(last.b))]
    yield Pos(f"violated: {last.name}", max(bad) if type(last) is Le else sum(x * x for x in bad)) if last else \
        Pos("a violation of (2.59) or of the outputs", F(0))
