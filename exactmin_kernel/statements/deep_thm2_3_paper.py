"""deep.thm2.3, the readings on the paper's own network (hypotheses and theta: deep_thm2_3).

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

from ..interp import det, dot, holds, sub, tr
from ..obligations import NonNeg, Pos, SqrtSumSign
from . import deep_thm2_3 as T

SCHEMA = {"mu_I0?": "rat", "pair?": ("vec", 2), "box_s?": ("list", "Q", ("vec", 2)), "gl_s?": ("list", 2, ("vec", "Q")),
          "merge_s?": ("vec", "Q"), "merge_set?": ("vec", "Q")}


def in_cone(name, x, v, kappa, side, strict=False):
    """x in side * C_theta*[v] (closed; its interior if ``strict``), by squares: side * <x, v> >= (>) sqrt kappa |x| |v|."""
    xv = side * dot(x, v)
    return SqrtSumSign(name, ((F((xv > 0) - (xv < 0)), xv * xv), (F(-1), kappa * dot(x, x) * dot(v, v))), 1 if strict else (0, 1))


def nonempty(I, w, kappa):
    """I_0 is not empty: the witness mu_I0 (any mu of the user aside) is certified in it."""
    yield Pos("mu_I0 given", F(int(w["mu_I0"] is not None)))
    yield from T.in_I0(I, w["mu_I0"], kappa)


def apexes(I, s):
    """The PAPER's collapse points c_j = xbar_j - mu_j f_j, f_j = v_j/|v_j| exact, at mu_j = -s_j |v_j|: xbar_j + s_j v_j."""
    v = T.geometry(I)[1]
    return [tuple(m + sj * x for m, x in zip(I.means[j], v[j])) for j, sj in enumerate(s)]


def s_in_I0(I, s, kappa, tag):
    """Every mu_j = -s_j |v_j| in I_0."""
    for j, sj in enumerate(s):
        yield from sj_in_I0(I, j, sj, kappa, tag)


def sj_in_I0(I, j, sj, kappa, tag):
    """mu_j = -s_j |v_j| in I_0: s_j > 0, t_j^2 = s_j^2 |v_j|^2 > 4 delta^2 Q, t_j < D ((4.26), every pair)."""
    dev, v, a, pairs = T.geometry(I)
    t2 = sj * sj * dot(v[j], v[j])
    yield from (Pos(f"{tag}s_{j + 1} > 0", sj), Pos(f"{tag}t_{j + 1} > 2 delta sqrt Q", t2 - 4 * max(dev) * I.Q))
    yield from (SqrtSumSign(f"{tag}t_{j + 1} < D ({p + 1},{k + 1})", T.cone(a[p][k], v[p], max(dev), kappa, t2), 1)
                for p, k in pairs)


def box(I, B, kappa):
    """``cover``; det X_0^red[mu] has one strict sign at the 2^Q vertices (multi-affine in s: the sign holds on the box)."""
    yield from cover(I, B, kappa)
    memo = I.__dict__.setdefault("box_dets", {})                      # shared by Xred-mu-GL-on-I0 and I0-box
    d = memo[B] = memo.get(B) or [det(tr(apexes(I, vx))) for vx in product(*B)]
    yield Pos("box: det X0red[mu] has one strict sign at the vertices", tuple(x * d[0] for x in d))


def cover(I, B, kappa):
    """B = [a_j, b_j] (in s_j) covers I_0 for every j: 0 <= a_j, a_j |v_j| <= 2 delta sqrt Q, b_j |v_j| >= D (the
    containment (4.26) is not strict there for some pair)."""
    dev, v, a, pairs = T.geometry(I)
    yield Pos("box_s given, Q <= 8", F(int(B is not None and I.Q <= 8)))
    for j, (lo, hi) in enumerate(B):
        vv = dot(v[j], v[j])
        yield from (NonNeg(f"box: a_{j + 1} >= 0", lo), Pos(f"box: a_{j + 1} < b_{j + 1}", hi - lo),
                    NonNeg(f"box: a_{j + 1}|v_{j + 1}| <= 2 delta sqrt Q", 4 * max(dev) * I.Q - lo * lo * vv),
                    Pos(f"box: b_{j + 1}|v_{j + 1}| >= D", F(any(holds(SqrtSumSign("", T.cone(a[p][k], v[p], max(dev), kappa,
                        hi * hi * vv), (-1, 0))) is True for p, k in pairs))))


def paper(I, w, reading):
    """The paper's network (exact f_j): I_0 is not empty (the witness mu), the box covers I_0^Q, det one sign;
    I0-box: every apex c_j passes every later layer l on the whole box (c_j - c_l in C_theta*[f_l] at its 4 corners,
    a convex condition in (s_j, s_l))."""
    kappa = yield from T.theta(I, w)
    yield from nonempty(I, w, kappa)
    yield from box(I, w["box_s"], kappa)
    yield from passes(I, w["box_s"], kappa) if reading == "I0-box" else ()


def passes(I, B, kappa):
    """Every apex c_j passes every later layer l for every s in the box B: c_j - c_l in C_theta*[f_l] at the 4
    corners of the (s_j, s_l) face (the condition is convex in (s_j, s_l): c_j - c_l = xbar_j - xbar_l + s_j v_j -
    s_l v_l is affine in them and the cone is convex)."""
    v = T.geometry(I)[1]
    for j, l in ((j, l) for l in range(I.Q) for j in range(l)):
        for sj, sl in product(B[j], B[l]):
            c = apexes(I, [sj if i == j else sl for i in range(I.Q)])
            yield in_cone(f"box: c_{j + 1} - c_{l + 1} in C[f_{l + 1}] at s = ({sj}, {sl})", sub(c[j], c[l]), v[l], kappa, 1)


def conclusion(I, w, reading):
    if reading == "D>2delta-sqrtQ":
        kappa = yield from T.theta(I, w)
        yield from nonempty(I, w, kappa)
    else:
        yield from paper(I, w, reading)


def refutation(I, w, reading):
    yield from REFUTE[reading](I, w)


def refute_D(I, w):
    """(2.58)/(4.26): D <= <xbar_j' - xbar_j, f_j> - delta for EVERY theta_0 (the cone lies in a half-space); this
    bound <= 2 delta sqrt Q, i.e. <v, g> <= (2 sqrt Q + 1) delta |g| (g = v_j, v = xbar_j' - xbar_j): I_0 is empty."""
    (dev, v, a, pairs), p = T.geometry(I), w["pair"]
    yield Pos("pair (j, j') given, 1 <= j != j' <= Q", F(int(p is not None and p[0] != p[1] and all(
        x.denominator == 1 and 1 <= x <= I.Q for x in p))))
    j, k = int(p[0]) - 1, int(p[1]) - 1
    av, vv = dot(a[j][k], v[j]), dot(v[j], v[j])
    yield SqrtSumSign(f"<xbar_{k + 1} - xbar_{j + 1}, f_{j + 1}> - delta <= 2 delta sqrt Q", (
        (F((av > 0) - (av < 0)), av * av), (F(-1), 4 * I.Q * max(dev) * vv), (F(-1), max(dev) * vv)), (-1, 0))


def refute_gl(I, w):
    """Two points of I_0^Q (the paper's network) with det X_0^red[mu] of opposite signs, or 0: singular on the segment."""
    kappa, P = (yield from T.theta(I, w)), w["gl_s"]
    yield Pos("gl_s given", F(int(P is not None)))
    for i, s in enumerate(P):
        yield from s_in_I0(I, s, kappa, f"point {i + 1}: ")
    yield NonNeg("det X0red[mu] changes sign or vanishes between the two points", -det(tr(apexes(I, P[0]))) * det(tr(apexes(I, P[1]))))


def refute_box(I, w):
    """mu* in I_0^Q and classes S (merge_set, consecutive members j < l) whose images coincide after layer l for
    EVERY admissible R_l: c_j passes layers j < k < l (c_j - c_k in C_theta*[f_k]) and layer l sends it onto c_l
    (c_j - c_l in -C_theta*[f_l]); the data reach c_j by (4.26) and Lemma 4.1.  Every output layer then has
    cost^2 >= sum_S |y_j - ybar_S|^2 (each class has total weight 1 in (2.36))."""
    idx = yield from merge(I, w)
    ys = [I.y(j) for j in idx]
    yb = tuple(sum(col) / len(ys) for col in zip(*ys))
    yield Pos("cost^2 >= sum_S |y_j - ybar_S|^2 > 0", sum(dot(sub(y, yb), sub(y, yb)) for y in ys))


def merge(I, w):
    """refute_box's merge at mu* = -s|v| in I_0^Q (witness merge_s, merge_set): for consecutive members j < l of the
    set, c_j passes layers j < k < l and layer l sends it onto c_l, for every admissible R_l; returns the members."""
    kappa, s, S, v = (yield from T.theta(I, w)), w["merge_s"], w["merge_set"], T.geometry(I)[1]
    yield Pos("merge_s and merge_set (0/1, >= 2 classes) given", F(int(s is not None and S is not None and set(S) <= {0, 1}
                                                                      and sum(S) >= 2)))
    yield from s_in_I0(I, s, kappa, "mu*: ")
    c, idx = apexes(I, s), [j for j in range(I.Q) if S[j]]
    for j, l in zip(idx, idx[1:]):
        yield from (in_cone(f"c_{j + 1} passes layer {k + 1}", sub(c[j], c[k]), v[k], kappa, 1) for k in range(j + 1, l))
        yield in_cone(f"layer {l + 1} sends c_{j + 1} onto c_{l + 1}", sub(c[j], c[l]), v[l], kappa, -1)
    return idx


REFUTE = {"D>2delta-sqrtQ": refute_D, "Xred-mu-GL-on-I0": refute_gl, "I0-box": refute_box}
