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
vertices), so W^(L+1) = Y X_0^red[mu]^{-1} gives cost 0: a certified SUB-box of I_0^Q.  Refutation: ``refutation``.
collapse-only ((4.65), weaker than (2.59)): the L=Q construction at mu in I_0 sends each class to ONE point,
  wherever it is: the data conditions of (2.59) (cluster l collapses at layer l, later clusters pass; no apex
  condition) suffice; refuted by a class with two images (exact forward pass of the hidden layers).
The paper's network (exact f_j = v_j/|v_j|), parametrised by mu_j = -s_j |v_j| (then c_j = xbar_j + s_j v_j is
rational); the data collapse/pass by (4.26) and Lemma 4.1 (t_j > 2 delta sqrt Q, |W_*| = 1) for any admissible R_l:
D>2delta-sqrtQ ((2.58), (4.26)): I_0 is not empty (the witness mu_I0 certified); refuted by a pair with
  <xbar_j' - xbar_j, f_j> - delta <= 2 delta sqrt Q (then D <= that for every theta_0).
Xred-mu-GL-on-I0 (remark after (2.62)): det [c_1 ... c_Q] != 0 on I_0^Q: I_0 not empty, a box [a_j, b_j] (in s)
  covering I_0^Q with one strict det sign at its vertices; refuted by two points of I_0^Q with det1 det2 <= 0.
I0-box ((2.58) for ALL mu in I_0^Q): as Xred-mu-GL-on-I0, and c_j - c_l in C_theta*[f_l] at the 4 corners of every
  (s_j, s_l) face (j < l, convex), so every apex passes every later layer; refuted by mu* in I_0^Q and >= 2 classes
  merged for every admissible R_l (``refute_box``).
"""
from fractions import Fraction as F
from itertools import product

from operator import mul

from ..interp import _flat, det, dot, eye, forward_all, holds, ints, mm, mv, scale, sub, tr
from ..obligations import Eq, Le, NonNeg, NonZero, Pos, SqrtSumSign

CLAIM, READINGS = "deep.thm2.3", ("L=Q", "L>Q", "mu-box", "collapse-only", "D>2delta-sqrtQ", "Xred-mu-GL-on-I0", "I0-box")
NET = ("net", "Q", "M", "K")
SCHEMA = {"lambda": "rat", "mu": "rat", "tol": "rat", "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")),
          "R": ("list", "Q", ("mat", "Q", "Q")), "networks": ("record", {"L=Q": NET, "L>Q": NET}), "mu_box?": ("vec", 2),
          "mu_I0?": "rat", "pair?": ("vec", 2), "box_s?": ("list", "Q", ("vec", 2)), "gl_s?": ("list", 2, ("vec", "Q")),
          "merge_s?": ("vec", "Q"), "merge_set?": ("vec", "Q")}


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


def cone(a, v, r2, kappa, t2=0):
    """|v| ((h - t) sin - rho cos - r), theta/2 the half angle, t = sqrt t2 >= 0: > 0 iff B_r(a) strictly inside
    t v/|v| + C[v]."""
    av = dot(a, v)
    return ((F((av > 0) - (av < 0)), av * av * (1 - kappa)), (F(-1), (dot(a, a) * dot(v, v) - av * av) * kappa),
            (F(-1), r2 * dot(v, v)), (F(-1), t2 * dot(v, v) * (1 - kappa)))


def in_cone(name, x, v, kappa, side):
    """x in side * C_theta*[v] (closed), by squares: side * <x, v> >= sqrt kappa |x| |v|."""
    xv = side * dot(x, v)
    return SqrtSumSign(name, ((F((xv > 0) - (xv < 0)), xv * xv), (F(-1), kappa * dot(x, x) * dot(v, v))), (0, 1))


def premises(I, w, reading):
    """mu in I_0 is the theorem's hypothesis ((2.58)); it is exactly false for EVERY theta_0 when mu is not below
    -2 delta sqrt Q, or when -mu > <xbar_k - xbar_j, f_j> - delta >= D for a pair (the cone lies in a half-space)."""
    (dev, v, a, pairs), mu = geometry(I), w["mu"]
    if reading not in READINGS[:4]:
        return
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
    yield from (SqrtSumSign(f"mu={m} > -D ({j + 1},{k + 1})", cone(a[j][k], v[j], max(dev), kappa, m * m), 1) for j, k in pairs)


def nonempty(I, w, kappa):
    """I_0 is not empty: the witness mu_I0 (any mu of the user aside) is certified in it."""
    yield Pos("mu_I0 given", F(int(w["mu_I0"] is not None)))
    yield from in_I0(I, w["mu_I0"], kappa)


def apexes(I, s):
    """The PAPER's collapse points c_j = xbar_j - mu_j f_j, f_j = v_j/|v_j| exact, at mu_j = -s_j |v_j|: xbar_j + s_j v_j."""
    v = geometry(I)[1]
    return [tuple(m + sj * x for m, x in zip(I.means[j], v[j])) for j, sj in enumerate(s)]


def s_in_I0(I, s, kappa, tag):
    """Every mu_j = -s_j |v_j| in I_0: s_j > 0, t_j^2 = s_j^2 |v_j|^2 > 4 delta^2 Q, t_j < D ((4.26), every pair)."""
    dev, v, a, pairs = geometry(I)
    for j, sj in enumerate(s):
        t2 = sj * sj * dot(v[j], v[j])
        yield from (Pos(f"{tag}s_{j + 1} > 0", sj), Pos(f"{tag}t_{j + 1} > 2 delta sqrt Q", t2 - 4 * max(dev) * I.Q))
        yield from (SqrtSumSign(f"{tag}t_{j + 1} < D ({p + 1},{k + 1})", cone(a[p][k], v[p], max(dev), kappa, t2), 1)
                    for p, k in pairs)


def box(I, B, kappa):
    """B = [a_j, b_j] (in s_j) covers I_0 for every j: 0 <= a_j, a_j |v_j| <= 2 delta sqrt Q, b_j |v_j| >= D (the
    containment (4.26) is not strict there for some pair); det X_0^red[mu] has one strict sign at the 2^Q vertices
    (multi-affine in s: the sign holds on the box)."""
    dev, v, a, pairs = geometry(I)
    yield Pos("box_s given, Q <= 8", F(int(B is not None and I.Q <= 8)))
    for j, (lo, hi) in enumerate(B):
        vv = dot(v[j], v[j])
        yield from (NonNeg(f"box: a_{j + 1} >= 0", lo), Pos(f"box: a_{j + 1} < b_{j + 1}", hi - lo),
                    NonNeg(f"box: a_{j + 1}|v_{j + 1}| <= 2 delta sqrt Q", 4 * max(dev) * I.Q - lo * lo * vv),
                    Pos(f"box: b_{j + 1}|v_{j + 1}| >= D", F(any(holds(SqrtSumSign("", cone(a[p][k], v[p], max(dev), kappa,
                        hi * hi * vv), (-1, 0))) is True for p, k in pairs))))
    memo = I.__dict__.setdefault("box_dets", {})                      # shared by Xred-mu-GL-on-I0 and I0-box
    d = memo[B] = memo.get(B) or [det(tr(apexes(I, vx))) for vx in product(*B)]
    yield Pos("box: det X0red[mu] has one strict sign at the vertices", tuple(x * d[0] for x in d))


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


def theta(I, w):
    """lambda in (0, 1] and theta_* > max theta_*,j ((2.52), SqrtSumSign per pair); returns kappa = cos^2(theta_*/2)."""
    Q, lam, (dev, v, a, pairs) = I.Q, w["lambda"], geometry(I)
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam))
    yield from (SqrtSumSign(f"theta* ({j + 1},{k + 1})", cone(a[j][k], v[j], 16 * max(dev), kappa), 1) for j, k in pairs)
    return kappa


def paper(I, w, reading):
    """The paper's network (exact f_j): I_0 is not empty (the witness mu), the box covers I_0^Q, det one sign;
    I0-box: every apex c_j passes every later layer l on the whole box (c_j - c_l in C_theta*[f_l] at its 4 corners,
    a convex condition in (s_j, s_l))."""
    kappa = yield from theta(I, w)
    yield from nonempty(I, w, kappa)
    yield from box(I, w["box_s"], kappa)
    v, B = geometry(I)[1], w["box_s"]
    for j, l in ((j, l) for l in range(I.Q) for j in range(l)) if reading == "I0-box" else ():
        for sj, sl in product(B[j], B[l]):
            c = apexes(I, [sj if i == j else sl for i in range(I.Q)])
            yield in_cone(f"box: c_{j + 1} - c_{l + 1} in C[f_{l + 1}] at s = ({sj}, {sl})", sub(c[j], c[l]), v[l], kappa, 1)


def conclusion(I, w, reading):
    Q, lam, mu, tol, f, R, u = I.Q, w["lambda"], w["mu"], w["tol"], w["f_tilde"], w["R"], w["u_tilde"]
    dev, v, a, pairs = geometry(I)
    if reading in ("Xred-mu-GL-on-I0", "I0-box"):
        yield from paper(I, w, reading)
        return
    kappa = yield from theta(I, w)
    if reading == "D>2delta-sqrtQ":
        yield from nonempty(I, w, kappa)
        return
    yield Pos("0 < tol < sqrt 2", (tol, 2 - tol * tol))
    for name, x, d in [("u~", u, (F(1),) * Q)] + [(f"f~_{l + 1}", f[l], v[l]) for l in range(Q)]:
        yield from (Eq(f"|{name}| = 1", dot(x, x), 1), Pos(f"<{name}, dir> > 0", dot(x, d)),
                    NonNeg(f"{name} within tol", dot(x, d) ** 2 - (1 - tol * tol / 2) ** 2 * dot(d, d)))
    for l in range(Q):
        yield from (Eq(f"R_{l + 1} orthogonal", mm(tr(R[l]), R[l]), eye(Q)), Eq(f"det R_{l + 1} = 1", det(R[l]), 1),
                    Eq(f"R_{l + 1} f~_{l + 1} = u~", mv(R[l], f[l]), u))
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
    yield from (*in_I0(I, mu, kappa), *(collapse(I, Wc, c, "(2.59) ", (mu,)) if reading != "collapse-only" else
                (ob for ob in collapse(I, Wc, c, "(4.65) data: ", (mu,)) if "apexes" not in ob.name)))
    Wn, bn = w["networks"]["L=Q" if reading == "collapse-only" else reading]
    yield Eq("L = Q", len(Wn) - 1, Q) if reading != "L>Q" else Pos("L > Q", F(len(Wn) - 1 - Q))
    Cw, Cb = [Wn[0]], [bn[0]]
    for l in range(1, len(Wn)):
        Cw, Cb = Cw + [mm(Wn[l], Cw[-1])], Cb + [tuple(x + y for x, y in zip(mv(Wn[l], Cb[-1]), bn[l]))]
    for l in range(len(Wn) - 1):
        yield Eq(f"W^({l + 1}), b^({l + 1}) as (4.56)-(4.58)", (Cw[l], Cb[l]), (Wc[min(l, Q - 1)], scale(-1, mv(Wc[min(l, Q - 1)], c(min(l, Q - 1), mu)))))
    if reading == "collapse-only":      # the data conditions of (2.59) (no apex) put each class at one point
        return
    yield from (Eq("W^(L+1) X0red[mu] = Y", mm(Cw[-1], tr([c(j, mu) for j in range(Q)])), I.Y), Eq("b^(L+1) = 0", Cb[-1], (F(0),) * I.K))
    for j, (X, d) in enumerate(forward_all(Wn, bn, P) for P in I.P):
        yield Eq(f"outputs of class {j + 1} = y_{j + 1}", tuple(X), (tuple(int(v) if v.denominator == 1 else v for v in scale(d, I.y(j))),) * len(X))


def refutation(I, w, reading):
    """mu certified in I_0, the network is the construction (every conclusion obligation but the collapse and the
    outputs holds), yet an output differs from y_j or a collapse condition fails: the realisation refutes (2.58)
    at this mu; mu-box: its vertex (mu, ..., mu) is that point."""
    if reading in REFUTE:
        yield from REFUTE[reading](I, w)
        return
    if reading == "mu-box":
        yield Eq("mu_box lo = mu", w["mu_box"] and w["mu_box"][0], w["mu"])
    last = None
    for ob in conclusion(I, w, "L=Q" if reading == "mu-box" else reading):
        if "(2.59)" in ob.name or ob.name.startswith(("outputs", "(4.65)")):
            last = last or (None if holds(ob) else ob)
            continue
        yield ob
    if reading == "collapse-only":      # refuted only by the exact hidden images: a class with two of them
        Wn, bn = w["networks"]["L=Q"]
        two = [len(set(forward_all(Wn[:-1] + (eye(I.Q),), bn[:-1] + ((F(0),) * I.Q,), P)[0])) > 1 for P in I.P]
        yield Pos("(4.65) violated: a class has two images after layer L", F(int(any(two))))
        return
    bad = last and [x - y for x, y in zip(_flat(last.a), _flat(last.b))]
    yield Pos(f"violated: {last.name}", max(bad) if type(last) is Le else sum(x * x for x in bad)) if last else \
        Pos("a violation of (2.59) or of the outputs", F(0))


def refute_D(I, w):
    """(2.58)/(4.26): D <= <xbar_j' - xbar_j, f_j> - delta for EVERY theta_0 (the cone lies in a half-space); this
    bound <= 2 delta sqrt Q, i.e. <v, g> <= (2 sqrt Q + 1) delta |g| (g = v_j, v = xbar_j' - xbar_j): I_0 is empty."""
    (dev, v, a, pairs), p = geometry(I), w["pair"]
    yield Pos("pair (j, j') given, 1 <= j != j' <= Q", F(int(p is not None and p[0] != p[1] and all(
        x.denominator == 1 and 1 <= x <= I.Q for x in p))))
    j, k = int(p[0]) - 1, int(p[1]) - 1
    av, vv = dot(a[j][k], v[j]), dot(v[j], v[j])
    yield SqrtSumSign(f"<xbar_{k + 1} - xbar_{j + 1}, f_{j + 1}> - delta <= 2 delta sqrt Q", (
        (F((av > 0) - (av < 0)), av * av), (F(-1), 4 * I.Q * max(dev) * vv), (F(-1), max(dev) * vv)), (-1, 0))


def refute_gl(I, w):
    """Two points of I_0^Q (the paper's network) with det X_0^red[mu] of opposite signs, or 0: singular on the segment."""
    kappa, P = (yield from theta(I, w)), w["gl_s"]
    yield Pos("gl_s given", F(int(P is not None)))
    for i, s in enumerate(P):
        yield from s_in_I0(I, s, kappa, f"point {i + 1}: ")
    yield NonNeg("det X0red[mu] changes sign or vanishes between the two points", -det(tr(apexes(I, P[0]))) * det(tr(apexes(I, P[1]))))


def refute_box(I, w):
    """mu* in I_0^Q and classes S (merge_set, consecutive members j < l) whose images coincide after layer l for
    EVERY admissible R_l: c_j passes layers j < k < l (c_j - c_k in C_theta*[f_k]) and layer l sends it onto c_l
    (c_j - c_l in -C_theta*[f_l]); the data reach c_j by (4.26) and Lemma 4.1.  Every output layer then has
    cost^2 >= sum_S |y_j - ybar_S|^2 (each class has total weight 1 in (2.36))."""
    kappa, s, S, v = (yield from theta(I, w)), w["merge_s"], w["merge_set"], geometry(I)[1]
    yield Pos("merge_s and merge_set (0/1, >= 2 classes) given", F(int(s is not None and S is not None and set(S) <= {0, 1}
                                                                      and sum(S) >= 2)))
    yield from s_in_I0(I, s, kappa, "mu*: ")
    c, idx = apexes(I, s), [j for j in range(I.Q) if S[j]]
    for j, l in zip(idx, idx[1:]):
        yield from (in_cone(f"c_{j + 1} passes layer {k + 1}", sub(c[j], c[k]), v[k], kappa, 1) for k in range(j + 1, l))
        yield in_cone(f"layer {l + 1} sends c_{j + 1} onto c_{l + 1}", sub(c[j], c[l]), v[l], kappa, -1)
    ys = [I.y(j) for j in idx]
    yb = tuple(sum(col) / len(ys) for col in zip(*ys))
    yield Pos("cost^2 >= sum_S |y_j - ybar_S|^2 > 0", sum(dot(sub(y, yb), sub(y, yb)) for y in ys))


REFUTE = {"D>2delta-sqrtQ": refute_D, "Xred-mu-GL-on-I0": refute_gl, "I0-box": refute_box}
