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
paper-network/local-min-zero-bias, -free-bias: as deep_thm2_5's local-min readings at paper.s0 (proof: zero never
  for a partial s, free when every partial Vf_s = 0).  Refuted by the descent given (paper.<kind>_descent: a partial
  s and the moved apexes q, identity layers unmoved): the strict pattern of s for every admissible R at both ends
  (``pattern``: ball-in-cone conditions, convex in the apexes, so they hold on the whole segment, every
  pre-activation keeps its strict sign and is affine along it) and a lower cost with the base's output layer (the
  collapsed clusters' single terms, as deep_thm2_5.descent): F is a convex quadratic along the segment, lower at
  the far end, so it drops arbitrarily close to the base.
"""
from fractions import Fraction as F
from itertools import product

from ..interp import dot, mm, sub, tr
from ..linalg import solve
from ..obligations import Eq, NonZero, Pos, SqrtSumSign
from . import deep_thm2_3 as T
from . import deep_thm2_3_paper as paper
from . import deep_thm2_5 as S

READINGS = ("I-box", *(f"paper-network/{r}" for r in ("value-independent-of-mu", "value-original-means",
                                                       "distinct-values", "not-global/zero-bias", "not-global/free-bias",
                                                       "local-min-zero-bias", "local-min-free-bias")))
DESCENT = ("record", {"s": ("vec", "Q"), "q": ("list", "Q", ("vec", "Q"))})
SCHEMA = {"mu_I0?": "rat", "box_s?": ("list", "Q", ("vec", 2)), "ibox_s?": ("vec", "Q"), "ibox_pair?": ("vec", 2),
          "paper?": ("record", {"s0": ("vec", "Q"), "s2": ("vec", "Q"), "plus": ("vec", "Q"),
                                "zero_descent?": DESCENT, "free_descent?": DESCENT})}


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
    j, l = int(P[0]) - 1, int(P[1]) - 1
    for i, x in enumerate(sig):
        yield from paper.sj_in_I0(I, i, x, kappa, "mu*: ") if i in (j, l) or x > 0 else (sj_in_I1(I, i, x, "mu*: "),)
    c = paper.apexes(I, sig)
    yield from (paper.in_cone(f"c_{j + 1} passes layer {k + 1}", sub(c[j], c[k]), v[k], kappa, 1) for k in range(j + 1, l))
    yield paper.in_cone(f"layer {l + 1} sends c_{j + 1} onto c_{l + 1}", sub(c[j], c[l]), v[l], kappa, -1)
    yield Pos(f"c_{j + 1} != c_{l + 1}", dot(sub(c[j], c[l]), sub(c[j], c[l])))


def sj_in_I1(I, i, x, tag):
    """mu_i = -x |v_i| in I_1 = (2 delta sqrt Q, oo): x < 0 and x^2 |v_i|^2 > 4 delta^2 Q."""
    dev, v = T.geometry(I)[:2]
    return Pos(f"{tag}mu_{i + 1} = -s_{i + 1}|v_{i + 1}| > 2 delta sqrt Q (I_1)", (-x, x * x * dot(v[i], v[i]) - 4 * max(dev) * I.Q))


def lsq(I, s, p, free):
    """The least-squares output layer on the tau-image of s with apexes p (statement-solved, then checked): the
    normal equations; returns (F = T - Tr(B R^T), (A, c))."""
    Gz, Rz = S.image(I, s, p)
    Q = I.Q
    G, R = (Gz, Rz) if free else (tuple(r[:Q] for r in Gz[:Q]), tuple(r[:Q] for r in Rz))
    B = tr(solve(G, tr(R)))                                     # G is symmetric: B G = R iff G B^T = R^T
    yield Eq(f"s={S.key(s)}: paper network: normal equations ({'free' if free else 'zero'} bias)", mm(B, G), R)
    return (sum((dot(y, y) for y in tr(I.Y)), F(0)) - sum((dot(b, r) for b, r in zip(B, R)), F(0)),
            (tuple(b[:Q] for b in B), tuple(b[Q] if free else F(0) for b in B)))


def paper_common(I, w):
    """paper-network (module docstring), built once per witness; returns {s: (V_s, V'_s, Vf_s)}."""
    yield Pos("lambda and paper points given", F(int(w["lambda"] is not None and w["paper"] is not None)))
    return (yield from S.once(I, "t25p", w, _paper_common))


def _paper_common(I, w):
    kappa = yield from T.theta(I, w)
    P, v = w["paper"], T.geometry(I)[1]
    for name in ("s0", "s2"):
        for i, x in enumerate(P[name]):
            yield from paper.sj_in_I0(I, i, x, kappa, f"paper {name}: ")
    yield from (sj_in_I1(I, i, x, "paper plus: ") for i, x in enumerate(P["plus"]))
    pts = [[paper.apexes(I, [P[name][i] if b == 0 else P["plus"][i] for i in range(I.Q)]) for b in (0, 1)]
           for name in ("s0", "s2")]                   # pts[point][s_l][l]: the apex p_l (c_l if s_l = 0)
    for name, pt in zip(("s0", "s2"), pts):
        yield from (paper.in_cone(f"paper {name}: c_{j + 1} passes layer {l + 1} (s_{l + 1} = {b})",
                                  sub(pt[0][j], pt[b][l]), v[l], kappa, 1) for j, l, b in pass_cells(I.Q))
    vals, I.t25layers = {}, {}
    for s in S.configs(I.Q):
        at = [[pt[s[l]][l] for l in range(I.Q)] for pt in pts]
        V1, A0 = yield from lsq(I, s, at[0], False)
        V2, _ = yield from lsq(I, s, at[1], False)
        Vf, Af = yield from lsq(I, s, at[0], True)
        vals[s], I.t25layers[s] = (V1, V2, Vf), (at[0], A0, Af)
    return vals


def pass_cells(Q):
    """(j, l, s_l): collapsed apex c_j (s_j = 0) at a later layer l of type s_l, for each one some s != 0...0 needs
    (the library's paper_passes reads the same cells)."""
    return sorted({(j, l, s[l]) for s in S.configs(Q) for l in range(Q) for j in range(l) if s[j] == 0})


def pattern(I, s, e, kappa, tag):
    """The strict pattern of s for every admissible R with the apexes e (sufficient conditions, each convex in e):
    at a collapsed layer l, B_delta(xbar_l - e_l) in -C[f_l] (its cluster collapses) and B_delta(xbar_k - e_l) in
    C[f_l] (the others pass); at every layer the earlier collapsed images e_j strictly in e_l + C[f_l].  Identity
    layers (s_l = 1, apex unmoved in I_1) pass the data by the norm and ray arguments of I-box."""
    dev, v = T.geometry(I)[:2]
    for l in range(I.Q):
        if s[l] == 0:
            yield SqrtSumSign(f"{tag}layer {l + 1} collapses cluster {l + 1}", T.cone(sub(I.means[l], e[l]),
                              tuple(-x for x in v[l]), max(dev), kappa), 1)
            yield from (SqrtSumSign(f"{tag}layer {l + 1} passes cluster {k + 1}", T.cone(sub(I.means[k], e[l]), v[l],
                        max(dev), kappa), 1) for k in range(I.Q) if k != l)
        yield from (paper.in_cone(f"{tag}layer {l + 1} passes the image of cluster {j + 1}", sub(e[j], e[l]), v[l], kappa,
                                  1, strict=True) for j in range(l) if s[j] == 0)


def descent(I, w, kind, kappa):
    """The bias segment of deep_thm2_5's local-min readings for the paper's network at s0: the descent's s is partial,
    only collapsed apexes move, the strict pattern holds for every R at both ends (so on the segment: convex), and
    the cost with the base's output layer is lower (the collapsed clusters' single terms)."""
    D, tag = w["paper"][kind + "_descent"], f"paper {kind} descent: "
    s = tuple(int(x) for x in D["s"])
    yield Pos(f"{tag}s is a partial configuration", F(int(all(x in (0, 1) for x in D["s"]) and any(s) and not all(s))))
    p, A0, Af = I.t25layers[s]
    A, c = A0 if kind == "zero" else Af
    q = D["q"]
    yield Eq(f"{tag}identity layers unmoved", tuple(q[l] for l in range(I.Q) if s[l]), tuple(p[l] for l in range(I.Q) if s[l]))
    yield from pattern(I, s, p, kappa, tag + "base: ")
    yield from pattern(I, s, q, kappa, tag + "far end: ")
    yield Pos(f"{tag}lowers the cost", sum((S.single(I, j, p[j], A, c) - S.single(I, j, q[j], A, c) for j in range(I.Q)
                                            if s[j] == 0), F(0)))


def paper_check(I, w, reading, proof):
    """paper-network/<r>: the values of the paper's network at the witness points; r as in ``check``."""
    vals, r = (yield from paper_common(I, w)), reading.split("/", 1)[1]
    if r.startswith("local-min"):
        kind = "zero" if "zero" in r else "free"
        if proof:
            yield from S.local_min_proof(vals, kind, "paper ")
            return
        yield Pos(f"a paper {kind} descent is given", F(int(w["paper"][kind + "_descent"] is not None)))
        yield from descent(I, w, kind, S.kappa_of(I.Q, w["lambda"]))      # theta_* certified in paper_common
        return
    yield from S.value_check(I, w, r, vals, proof, NonZero("two points: paper s0 != s2", sum(
        (abs(a - b) for a, b in zip(w["paper"]["s0"], w["paper"]["s2"])), F(0))), reading)


def conclusion(I, w, reading):
    yield from (ibox(I, w, True) if reading == "I-box" else paper_check(I, w, reading, True))


def refutation(I, w, reading):
    yield from (ibox(I, w, False) if reading == "I-box" else paper_check(I, w, reading, False))
