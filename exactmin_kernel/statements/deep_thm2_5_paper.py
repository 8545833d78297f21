"""deep.thm2.5 on the paper's own network (exact f_j = v_j/|v_j|, every admissible R_l); deep_thm2_5 for the rest.

Points mu_j = -sigma_j |v_j| with sigma_j rational (deep_thm2_3_paper): the apexes c_j = xbar_j + sigma_j v_j are
rational and every test is exact by squares.
I-box ((2.84) as printed, for EVERY s, s = 0...0 included, and EVERY mu in prod_j I_(s_j)), the PAPER's network
  (exact f_j; mu_j = -s_j |v_j| with s_j rational, as deep_thm2_3_paper): the data collapse or pass by Lemma 4.1
  and (4.26) (mu_l in I_1: cluster l passes, W_* R_l Delta x + mu_l u/sqrt Q > 0 as mu_l > 2 delta sqrt Q >= delta
  sqrt Q; the others pass since x - xbar_l + mu_l f_l lies in (mu_l - mu') f_l + C_theta*[f_l] for mu' in I_0, which
  W_* R_l maps into R^Q_+).  Proved: I_0 not empty, the box B (box_s) covers I_0 (deep_thm2_3_paper.cover), and every
  collapsed apex c_j passes every later layer l: c_j - p_l in C_theta*[f_l] (convex in (s_j, s_l)) at the corners
  (s_j, s_l) in B_j x B_l (mu_l in I_0, p_l = c_l) and (s_j, -a_l) (mu_l = a_l |v_l| <= 2 delta sqrt Q: covers
  I_1 = (2 delta sqrt Q, oo), since adding f_l stays in the cone).  Refuted: sigma (ibox_s; sigma_i > 0: mu_i in I_0,
  s_i = 0; sigma_i < 0: mu_i in I_1, s_i = 1) and a pair j < l (ibox_pair) with sigma_j, sigma_l > 0: c_j passes the
  layers between (c_j - p_k in C_theta*[f_k], p_k = xbar_k + sigma_k v_k for either bit) and layer l sends it onto
  c_l != c_j (c_j - c_l in -C_theta*[f_l]), for every admissible R: classes j and l end at one point, (2.84) puts
  them at c_j != c_l.
paper-network/<r> for r in value-independent-of-mu, value-original-means, distinct-values, not-global/zero-bias,
  not-global/free-bias: r for the PAPER's network (exact f_j, every admissible R) at the points paper.s0, paper.s2
  (sigma > 0, each coordinate certified in I_0; mu_j = -sigma_j |v_j|) with the I_1 coordinates paper.plus (sigma < 0,
  mu_j = -sigma_j |v_j| > 2 delta sqrt Q).  Configuration s at a point has apexes p_l = xbar_l + sigma_l v_l (sigma_l
  of the point if s_l = 0, of plus if s_l = 1); (2.84) holds there for every R when every collapsed apex passes every
  later layer, c_j - p_l in C_theta*[f_l] (the data as in I-box), checked for each (j, l, s_l) that some s != 0...0
  needs.  V_s, V'_s, Vf_s: the least squares on that image (R-independent), the normal equations solved by the
  statement (linalg.solve: a candidate, then checked A G = R as above); the reading r on these values.
"""
from fractions import Fraction as F
from itertools import product

from ..interp import dot, holds, mm, sub, tr
from ..linalg import solve
from ..obligations import Eq, NonZero, Pos
from . import deep_thm2_3 as T
from . import deep_thm2_3_paper as paper
from . import deep_thm2_5 as S

READINGS = ("I-box", *(f"paper-network/{r}" for r in ("value-independent-of-mu", "value-original-means",
                                                       "distinct-values", "not-global/zero-bias", "not-global/free-bias")))
SCHEMA = {"mu_I0?": "rat", "box_s?": ("list", "Q", ("vec", 2)), "ibox_s?": ("vec", "Q"), "ibox_pair?": ("vec", 2),
          "paper?": ("record", {"s0": ("vec", "Q"), "s2": ("vec", "Q"), "plus": ("vec", "Q")})}


def ibox(I, w, proof):
    """I-box (module docstring): the paper's network on prod_j I_(s_j), every s."""
    yield Pos("lambda given", F(int(w["lambda"] is not None)))
    kappa = yield from T.theta(I, w)
    v = T.geometry(I)[1]
    if proof:
        yield from paper.nonempty(I, w, kappa)
        yield from paper.cover(I, w["box_s"], kappa)
        B = w["box_s"]
        for l, j in ((l, j) for l in range(I.Q) for j in range(l)):
            for b, corner in ((0, product(B[j], B[l])), (1, ((sj, -B[l][0]) for sj in B[j]))):
                for sj, sl in corner:
                    c = paper.apexes(I, [sj if i == j else sl for i in range(I.Q)])
                    yield paper.in_cone(f"box: c_{j + 1} passes layer {l + 1} (s_{l + 1} = {b}) at s = ({sj}, {sl})",
                                        sub(c[j], c[l]), v[l], kappa, 1)
        return
    sig, P = w["ibox_s"], w["ibox_pair"]
    yield Pos("ibox_s and ibox_pair (1 <= j < l <= Q) given", F(int(sig is not None and P is not None and all(
        x.denominator == 1 and 1 <= x <= I.Q for x in P) and P[0] < P[1])))
    j, l, dev = int(P[0]) - 1, int(P[1]) - 1, T.geometry(I)[0]
    for i, x in enumerate(sig):
        yield from paper.sj_in_I0(I, i, x, kappa, "mu*: ") if i in (j, l) or x > 0 else (
            Pos(f"mu*: mu_{i + 1} = -s_{i + 1}|v_{i + 1}| > 2 delta sqrt Q (I_1)", (-x, x * x * dot(v[i], v[i]) - 4 * max(dev) * I.Q)),)
    c = paper.apexes(I, sig)
    yield from (paper.in_cone(f"c_{j + 1} passes layer {k + 1}", sub(c[j], c[k]), v[k], kappa, 1) for k in range(j + 1, l))
    yield paper.in_cone(f"layer {l + 1} sends c_{j + 1} onto c_{l + 1}", sub(c[j], c[l]), v[l], kappa, -1)
    yield Pos(f"c_{j + 1} != c_{l + 1}", dot(sub(c[j], c[l]), sub(c[j], c[l])))


def lsq(I, s, p, free):
    """The least-squares output layer on the tau-image of s with apexes p (statement-solved, then checked): the
    normal equations and the value F = T - Tr(B R^T)."""
    Gz, Rz = S.image(I, s, p)
    Q = I.Q
    G, R = (Gz, Rz) if free else (tuple(r[:Q] for r in Gz[:Q]), tuple(r[:Q] for r in Rz))
    B = tr(solve(G, tr(R)))                                     # G is symmetric: B G = R iff G B^T = R^T
    yield Eq(f"s={S.key(s)}: paper network: normal equations ({'free' if free else 'zero'} bias)", mm(B, G), R)
    return sum((dot(y, y) for y in tr(I.Y)), F(0)) - sum((dot(b, r) for b, r in zip(B, R)), F(0))


def paper_common(I, w):
    """paper-network (module docstring), built once per witness; returns {s: (V_s, V'_s, Vf_s)}."""
    yield Pos("lambda and paper points given", F(int(w["lambda"] is not None and w["paper"] is not None)))
    if getattr(I, "t25p", (None,))[0] is not w:
        obs, gen = [], _paper_common(I, w)
        try:
            while True:
                obs.append(next(gen))
        except StopIteration as e:
            vals = e.value
        I.t25p = (w, obs, vals)
    yield from I.t25p[1]
    return I.t25p[2]


def _paper_common(I, w):
    kappa = yield from T.theta(I, w)
    P, (dev, v) = w["paper"], T.geometry(I)[:2]
    for name in ("s0", "s2"):
        for i, x in enumerate(P[name]):
            yield from paper.sj_in_I0(I, i, x, kappa, f"paper {name}: ")
    for i, x in enumerate(P["plus"]):
        yield Pos(f"paper plus: mu_{i + 1} > 2 delta sqrt Q (I_1)", (-x, x * x * dot(v[i], v[i]) - 4 * max(dev) * I.Q))
    need = sorted({(j, l, s[l]) for s in S.configs(I.Q) for l in range(I.Q) for j in range(l) if s[j] == 0})
    pts = [[paper.apexes(I, [P[name][i] if b == 0 else P["plus"][i] for i in range(I.Q)]) for b in (0, 1)]
           for name in ("s0", "s2")]                   # pts[point][s_l][l]: the apex p_l (c_l if s_l = 0)
    for name, pt in zip(("s0", "s2"), pts):
        yield from (paper.in_cone(f"paper {name}: c_{j + 1} passes layer {l + 1} (s_{l + 1} = {b})",
                                  sub(pt[0][j], pt[b][l]), v[l], kappa, 1) for j, l, b in need)
    vals = {}
    for s in S.configs(I.Q):
        at = [[pt[s[l]][l] for l in range(I.Q)] for pt in pts]
        V1 = yield from lsq(I, s, at[0], False)
        V2 = yield from lsq(I, s, at[1], False)
        Vf = yield from lsq(I, s, at[0], True)
        vals[s] = (V1, V2, Vf)
    return vals


def paper_check(I, w, reading, proof):
    """paper-network/<r>: the values of the paper's network at the witness points; r as in ``check``."""
    vals, r = (yield from paper_common(I, w)), reading.split("/", 1)[1]
    if proof:
        if r == "value-independent-of-mu":
            yield NonZero("two points: paper s0 != s2", sum((abs(a - b) for a, b in zip(w["paper"]["s0"], w["paper"]["s2"])), F(0)))
        yield from S.claims(I, w, r, vals)
        return
    bad = next((ob for ob in S.claims(I, w, r, vals) if holds(ob) is not True), None)
    yield S.NEGATE[type(bad)](bad) if bad else Pos(f"a counterexample to {reading}", F(0))


def conclusion(I, w, reading):
    yield from (ibox(I, w, True) if reading == "I-box" else paper_check(I, w, reading, True))


def refutation(I, w, reading):
    yield from (ibox(I, w, False) if reading == "I-box" else paper_check(I, w, reading, False))
