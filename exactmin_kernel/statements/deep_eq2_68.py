"""deep.eq2.68, (2.68) and (4.59)-(4.65) of arXiv:2309.10639v4: tau^(L) maps the whole ball B_delta(xbar_0,j) to
xbar_0,j[mu] = xbar_0,j - mu f_j.

Hypotheses: those of deep.thm2.3.  Premise (witness mu): mu in I_0 = (-D, -2 delta sqrt Q) (exactly false for every
theta_0: hypotheses-fail, as deep.thm2.3).  Witness: the construction's lambda, mu, tol, u~, f~_l, R_l (deep.thm2.3)
and, for a refuted cumulative reading, a counterexample (class j, point x).
The construction at one mu (4.56)-(4.58): c_l = xbar_l - mu f~_l, cumulative W^(l) = W_* R_l, b^(l) = -W^(l) c_l,
tau_{W,b}(x) = W^-1 (sigma(W x + b) - b) (2.37).  Common to every reading (else undecided): lambda in (0, 1],
theta_* > max theta_*,j (2.52), mu certified in I_0 (4.26), the unit vectors u~, f~_l within tol, the rotations
R_l f~_l = u~ (obligations of deep.thm2.3 / deep.thm2.4).  delta^2 = max_j delta_j^2; rho_k = row k of W^(l),
s_jk = <rho_k, xbar_j> + b^(l)_k; a sign of s -+ delta |rho_k| is decided exactly (SqrtSumSign):
collapse-at-layer: s_jk + delta |rho_k| <= 0 for every row k of W^(j): sigma kills B_delta(xbar_j), tau(x) = c_j;
  refuted by a row with s_jk + delta |rho_k| > 0 (a point of the closed ball has a positive pre-activation).
identity-before: s_jk - delta |rho_k| >= 0 at every layer l < j: tau_{W^(l),b^(l)} is the identity on the ball;
  refuted by a row with s_jk - delta |rho_k| < 0.
apex-fixed-after: W^(l) c_j + b^(l) >= 0 for every l > j (tau_{W^(l),b^(l)} fixes c_j); refuted by a negative entry.
cumulative: tau^(Q)(B_delta(xbar_j)) = {c_j} for every j (layers Q+1..L repeat layer Q): the three readings above;
  refuted by the witness point x, |x - xbar_j|^2 <= delta^2, with tau^(Q)(x) != c_j (exact composite).
L>Q/arbitrary: (2.68) for L > Q with the extra layers "picked arbitrarily" as (4.66) allows (W^(l) invertible and
  the reduced image tau^(L)(X_0)^red invertible).  Never proved: one admissible extra layer that moves a collapse
  point refutes it.  Refutation (witness extra_layer: class j, bias b): the realisation's cumulative conditions
  (the three readings above: tau^(Q)(B_delta(xbar_k)) = {c_k} for every k), an extra cumulative layer W^(Q+1) = I,
  b^(Q+1) = b, so tau_{I,b}(x) = sigma(x + b) - b = max(x, -b) (componentwise), det [tau(c_1) ... tau(c_Q)] != 0
  ((4.66)), and tau(c_j) != c_j: then tau^(Q+1)(B_delta(xbar_j)) = {tau(c_j)} != {c_j}.
paper-network/<reading>: the same four statements for the paper's own network (exact f_j, c_j = xbar_j - mu_j f_j),
for EVERY mu in I_0^Q and every admissible R_l (deep_thm2_3_paper: lambda, theta_*, I_0 not empty by the witness
mu_I0; no witness mu premise).  At layer l the pre-activation of x is W_* R_l (x - c_l), and R_l f_l = u/sqrt Q
(u = (1, ..., 1)), W_* u = u:
  collapse-at-layer: for x in B_delta(xbar_j), W_* R_j (x - c_j) = W_* R_j (x - xbar_j) + mu_j u/sqrt Q has entries
  <= delta |W_* e_k| + mu_j/sqrt Q < delta (|W_* e_k| - 2) <= 0 (mu_j < -2 delta sqrt Q; Lemma 5.1's norm bound,
  |W_* e_k|^2 = (lambda^2 (Q - 1) + 1)/Q <= 4).  No refutation.
  identity-before: t_l = -mu_l < D, so every other ball B_delta(xbar_j) lies in c_l + C_theta*[f_l] (the definition
  of D, (4.26)), which W_* R_l maps into the closed orthant ((4.30), deep.eq4.30).  No refutation.
  apex-fixed-after: c_j - c_l in C_theta*[f_l] for l > j on a box covering I_0^Q (deep_thm2_3_paper.cover, passes:
  I0-box without its determinant); refuted by the merge of I0-box (a mu* in I_0^Q where layer l sends c_j onto
  c_l, c_j - c_l in -C_theta*[f_l], for every admissible R_l) with c_j != c_l: W^(l) c_j + b^(l) <= 0, != 0.
  cumulative: the three above; refuted by that merge with c_j != c_l: after layer l the balls of classes j and l
  are the same point, so tau^(L) cannot send them to {c_j} and {c_l}.
"""
from fractions import Fraction as F

from ..interp import det, dot, holds, mm, mv, scale, sub, tr
from ..linalg import inv
from ..obligations import Inverse, Le, NonNeg, NonZero, Pos, SqrtSumSign
from . import deep_thm2_3 as T
from . import deep_thm2_3_paper as P

CLAIM = "deep.eq2.68"
OWN = ("collapse-at-layer", "identity-before", "apex-fixed-after", "cumulative")
READINGS = OWN + ("L>Q/arbitrary",) + tuple(f"paper-network/{r}" for r in OWN)
SCHEMA = dict({k: T.SCHEMA[k] for k in ("lambda", "mu", "tol", "u_tilde", "f_tilde", "R")},
              **{"counterexample?": ("record", {"class": "rat", "point": ("vec", "Q")}),
                 "extra_layer?": ("record", {"class": "rat", "b": ("vec", "Q")})},
              **{k: P.SCHEMA[k] for k in ("mu_I0?", "box_s?", "merge_s?", "merge_set?")})
hypotheses = T.hypotheses


def premises(I, w, reading):
    yield from () if reading.startswith("paper-network/") else T.premises(I, w, "L=Q")


def paper(I, w, part):
    """paper-network/<part> for every mu in I_0^Q (the module docstring)."""
    kappa = yield from T.theta(I, w)
    yield from P.nonempty(I, w, kappa)
    if part in ("collapse-at-layer", "cumulative"):
        lam = w["lambda"]
        yield NonNeg("Lemma 5.1: |W_* e_k|^2 = (lambda^2 (Q-1) + 1)/Q <= 4", 4 - (lam * lam * (I.Q - 1) + 1) / I.Q)
    if part in ("apex-fixed-after", "cumulative"):
        yield from P.cover(I, w["box_s"], kappa)
        yield from P.passes(I, w["box_s"], kappa)


def paper_refutation(I, w, part):
    """The merge of deep_thm2_3_paper (refute_box) with c_j != c_l for its first pair j < l."""
    if part in ("collapse-at-layer", "identity-before"):
        yield Pos("no refutation", F(0))
        return
    idx = yield from P.merge(I, w)
    c = P.apexes(I, w["merge_s"])
    j, l = idx[0], idx[1]
    yield Pos(f"c_{j + 1} != c_{l + 1}", dot(sub(c[j], c[l]), sub(c[j], c[l])))


def construction(I, w):
    """(W^(l), b^(l), c_l) for l = 1..Q (4.56)-(4.58) at the witness mu."""
    if getattr(I, "c68", (None,))[0] is w:
        return I.c68[1]
    Q, lam, mu = I.Q, w["lambda"], w["mu"]
    Ws = tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q))
    c = [sub(I.means[l], scale(mu, w["f_tilde"][l])) for l in range(Q)]
    Wc = [mm(Ws, R) for R in w["R"]]
    I.c68 = (w, (Wc, [scale(-1, mv(W, x)) for W, x in zip(Wc, c)], c))          # cached per witness
    return I.c68[1]


def certified(I, w):
    """lambda, theta_*, mu in I_0 and the witness's constants (deep_thm2_3: theta, in_I0, construction)."""
    kappa = yield from T.theta(I, w)
    yield from T.in_I0(I, w["mu"], kappa)
    yield from T.construction(I, w)


def margin(I, W, b, j, k, side):
    """side (s_jk) - delta |rho_k| as a signed sum of square roots."""
    s = side * (dot(W[k], I.means[j]) + b[k])
    return ((F((s > 0) - (s < 0)), s * s), (F(-1), max(T.geometry(I)[0]) * dot(W[k], W[k])))


def layer_conditions(I, w, reading, sign):
    """The reading's conditions, each a SqrtSumSign / NonNeg with the given sign set (proof: (0, 1), refutation: -1)."""
    Wc, bc, c = construction(I, w)
    for j in range(I.Q):
        for l in range(I.Q):
            if reading == "apex-fixed-after" and l > j:
                z = tuple(x + y for x, y in zip(mv(Wc[l], c[j]), bc[l]))
                yield NonNeg(f"W^({l + 1}) c_{j + 1} + b^({l + 1}) >= 0", z) if sign != -1 else \
                    Pos(f"(W^({l + 1}) c_{j + 1} + b^({l + 1})) has a negative entry", -min(z))
            elif (reading == "collapse-at-layer" and l == j) or (reading == "identity-before" and l < j):
                what = "collapses" if l == j else "passes unchanged"
                for k in range(I.Q):
                    yield SqrtSumSign(f"layer {l + 1}, row {k + 1}: B_delta(xbar_{j + 1}) {what}{'' if sign != -1 else ' (fails)'}",
                                      margin(I, Wc[l], bc[l], j, k, -1 if l == j else 1), sign)


def extra(I, w):
    """L>Q/arbitrary refuted: the extra layer W = I, b of the witness moves c_j, (4.66) holding (module docstring)."""
    yield from certified(I, w)
    for r in OWN[:3]:
        yield from layer_conditions(I, w, r, (0, 1))
    e = w["extra_layer"]
    yield Pos("extra_layer given, class in 1..Q", F(int(e is not None and e["class"].denominator == 1 and 1 <= e["class"] <= I.Q)))
    c = [tuple(max(x, -y) for x, y in zip(ck, e["b"])) for ck in construction(I, w)[2]]
    yield NonZero("(4.66): det [tau(c_1) ... tau(c_Q)] != 0", det(tr(c)))
    j = int(e["class"]) - 1
    yield Pos(f"the extra layer moves c_{j + 1}", dot(sub(c[j], construction(I, w)[2][j]), sub(c[j], construction(I, w)[2][j])))


def conclusion(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper(I, w, reading.split("/", 1)[1])
        return
    if reading == "L>Q/arbitrary":
        yield Pos("no proof: (4.66) admits extra layers that move a collapse point", F(0))
        return
    yield from certified(I, w)
    for r in (OWN[:3] if reading == "cumulative" else (reading,)):
        yield from layer_conditions(I, w, r, (0, 1))


def tau(I, w, x):
    """tau^(Q)(x) = tau_{W^(Q),b^(Q)} o ... o tau_{W^(1),b^(1)}(x), every inverse checked."""
    for W, b, _ in zip(*construction(I, w)):
        Wi = inv(W)
        yield Inverse("W^(l) inverse", W, Wi)
        x = mv(Wi, sub(tuple(max(z, F(0)) for z in (p + q for p, q in zip(mv(W, x), b))), b))
    return x


def refutation(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper_refutation(I, w, reading.split("/", 1)[1])
        return
    if reading == "L>Q/arbitrary":
        yield from extra(I, w)
        return
    yield from certified(I, w)
    if reading != "cumulative":
        yield next((ob for ob in layer_conditions(I, w, reading, -1) if holds(ob) is True), Pos(f"a violation of {reading}", F(0)))
        return
    ce = w["counterexample"]
    yield Pos("counterexample given, class in 1..Q", F(int(ce is not None and ce["class"].denominator == 1
                                                          and 1 <= ce["class"] <= I.Q)))
    j, x = int(ce["class"]) - 1, ce["point"]
    yield Le(f"|x - xbar_{j + 1}|^2 <= delta^2", dot(sub(x, I.means[j]), sub(x, I.means[j])), max(T.geometry(I)[0]))
    t = yield from tau(I, w, x)
    c = construction(I, w)[2][j]
    yield NonZero(f"tau^(Q)(x) != c_{j + 1}", dot(sub(t, c), sub(t, c)))

