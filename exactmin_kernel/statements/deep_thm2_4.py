"""deep.thm2.4, Theorem 2.4 of arXiv:2309.10639v4 ((2.70), (2.71)): L = Q, every mu_l = mu in I_1.

Hypotheses: those of deep.thm2.3.  Premise (witness): mu in I_1 = (2 delta sqrt Q, oo), mu > 0 and mu^2 > 4 delta^2 Q
(no free constant: exactly false otherwise, then every reading is hypotheses-fail, as in the library).
Witness: lambda, mu, tol, u~, f~_l, R_l (certified as in deep.thm2.3: lambda in (0,1], 0 < tol < sqrt 2, unit
vectors within tol of u and v_l, rotations R_l f~_l = u~) and the networks zero, free, descent?, flat?.
Common: both networks have L = Q hidden layers, the same hidden layers, and the zero network's cumulative maps are
the construction at mu: W^(l) = W_* R_l, b^(l) = -W^(l) c_l, c_l = xbar_l - mu f~_l (4.56)-(4.58), so mu is
tied to the networks; the zero network's cumulative output bias is 0.  A = its cumulative output weight.
G = sum_j N_j^-1 sum_i x x^T, R = Y X_0^red^T, z = (x; 1), Gz, Rz the same with z; V = (2.71) =
Tr(Y Delta_2 (1 + Delta_2)^-1 Y^T); F = the cost (2.36) squared.
2.70: every hidden pre-activation of the zero network on the data is > 0, so every layer acts as an affine map,
tau(X_0) = X_0 (det W^(Q) = lambda^(Q-1) det R_Q != 0).  No refutation.
zero-output-bias: 2.70, A G = R (the normal equations: A minimises the convex F(., 0)) and F(zero) = V; refuted
iff 2.70, A G = R and F(zero) != V.
free-output-bias: 2.70, the free network's cumulative (A_f | c_f) Gz = Rz (the minimum over W_{L+1}, b_{L+1}) and
F(free) = V; refuted iff 2.70, the normal equations and F(free) != V.
zero-output-bias/local-min: 2.70, A G = R, F(zero) = V: near theta the pattern is constant and the network on
the data is x -> A' x (cumulative bias 0), F >= min F(., 0).  No refutation.
free-output-bias/local-min: 2.70 and (A | 0) Gz = Rz (the zero network minimises F over all affine maps).
Refuted by the descent network: the zero network with only b_{L+1} changed and strictly lower cost (F is a
convex quadratic along that output-bias segment, so lower cost arbitrarily close to theta).
free-output-bias/corrected-local-min (the corrected statement, docs/claims/deep_statements.md P5): 2.70, the free
network's (A_f | c_f) Gz = Rz, and the flat network: the free network with the same weights, other biases, every
hidden pre-activation > 0 and the same output at every data point.  Near theta every layer is affine on the data
(strict pattern), so the cost is F(A', c') >= min F = F(free): a local minimum with value F(free).  Along the
bias segment free -> flat every pre-activation is affine in t and > 0 at both ends, hence > 0, so every output
is affine in t and equal at both ends: the cost is constant along a nonzero direction (degenerate).  No refutation.
GL-output ((2.27), W_{L+1} in GL(Q)): 2.70, both normal equations, det W^(L) != 0, det W_{L+1} != 0 for the zero and
the free network (an optimum inside GL(Q)).  Refuted iff 2.70 and, for one variant, its normal equations, its Gram
matrix G (zero) or Gz (free) positive definite (the optimum is unique) and det W_{L+1} = 0: the minimum over
GL(Q) is not attained (the free optimum Cov(y, x) Cov(x)^-1 (W^(L))^-1 has rank <= Q - 1 on every instance).
mu-range-as-printed ((5.12) prints mu in (2 delta, oo)^Q for I_1 = (2 delta sqrt Q, oo)): at layer l the pre-activation of a
point of cluster l is W_* R_l dx + mu W_* u/sqrt Q, coordinate i >= mu/sqrt Q - delta |W_* e_i| with
|W_* e_i|^2 = (lambda^2 (Q-1) + 1)/Q; the other clusters lie in the cone (any mu > 0).  Q <= 4: lambda <= 1 gives
delta |W_* e_i| <= delta <= 2 delta/sqrt Q < mu/sqrt Q.  Q >= 5: lambda^2 (Q-1) = cot^2(theta_*/2) ((4.28), (4.29)) and
theta_*/2 > theta_*,j/2 >= half the angle at xbar_j between xbar_k - xbar_j and xbar_l - xbar_j (the cone of
(2.51) around f_j contains both); when that angle is >= 60 degrees (some vertex of any triangle of means), cot^2 < 3,
so delta |W_* e_i| < 2 delta/sqrt Q < mu/sqrt Q for EVERY admissible lambda: the printed range holds for every Q.
Obligation: Q <= 4, or an angle >= 60 degrees in the triangle of classes 1, 2, 3 (exact: <a, b> <= 0 or
4 <a, b>^2 <= |a|^2 |b|^2).  No premise on the witness mu, no refutation.
paper-network/<reading> (every reading but mu-range-as-printed): the same statement for the PAPER's own network at
the witness mu (exact f_l, every admissible R_l with R_l f_l = u/sqrt Q).  Its layers are the identity on the data,
strictly, for every such R_l: at layer l, W_* R_l (x - c_l) = W_* R_l (x - xbar_l) + mu W_* u/sqrt Q; for x in
cluster l its entries are >= mu/sqrt Q - delta |W_* e_k| > 0 (|W_* e_k| <= 1 for lambda in (0, 1], mu > 2 delta
sqrt Q: Lemma 5.1's norm bound); for x in cluster k != l, x - xbar_l lies in int C_theta*[f_l] (B_4delta(xbar_k) does:
theta_* > max theta_*,j, (2.52), deep_thm2_3.theta), so does x - c_l = (x - xbar_l) + mu f_l (a convex cone,
mu > 0), and W_* R_l maps int C_theta*[f_l] into the open orthant ((4.30)).  Hence tau(X_0) = X_0 for both networks:
paper-network/2.70 is these obligations (theta and the premises; no refutation).  Every other reading is a
statement about the network's map on the data, x -> A x + c with the hidden layers invertible and affine there
(W^(L) = W_* R_L, det = lambda^(Q-1) != 0), and its optimum over the output layer; the two networks realise the
same maps, the same least-squares optima and, with a strict pattern, the same neighbourhood arguments (output-bias
segments, compensated hidden-bias directions), so paper-network/<r> = theta + the obligations of <r> (proof and
refutation) on the rational realisation.
Least pre-activations and costs (exactmin_kernel/ondata.py: lows, network_cost): by induction over the layers, from
the row bounds of the maps each layer applies to the data while they are affine there, else by the forward pass.
"""
from fractions import Fraction as F

from ..interp import det, dot, mm, mv, scale, sub
from ..obligations import Eq, NonNeg, NonZero, Pos, PosDef
from ..ondata import lows, network_cost
from . import shallow_thm3_2 as s32
from . import deep_thm2_3 as T
from .deep_thm2_3 import geometry, hypotheses  # noqa: F401  (the same hypotheses)

CLAIM = "deep.thm2.4"
OWN = ("2.70", "zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
       "free-output-bias/corrected-local-min", "GL-output", "mu-range-as-printed")
READINGS = OWN + tuple(f"paper-network/{r}" for r in OWN[:-1])
NET = ("net", "Q", "M", "K")
SCHEMA = {"lambda": "rat", "mu": "rat", "tol": "rat", "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")),
          "R": ("list", "Q", ("mat", "Q", "Q")), "networks": ("record", {"zero": NET, "free": NET, "descent?": NET, "flat?": NET})}


def own(reading):
    """The realisation's reading behind a paper-network/ reading (the reading itself otherwise)."""
    return reading.split("/", 1)[1] if reading.startswith("paper-network/") else reading


def premises(I, w, reading):
    """mu in I_1 ((2.70) hypothesis); mu-range-as-printed does not use the witness mu."""
    if reading == "mu-range-as-printed":
        return
    mu = w["mu"]
    yield from (Pos(f"mu={mu} > 0", mu), Pos(f"mu={mu} > 2 delta sqrt Q", mu * mu - 4 * max(geometry(I)[0]) * I.Q))


def cumulative(net):
    """Cumulative maps (2.43): W^(l) = W_l ... W_1, b^(l) = W_l b^(l-1) + b_l."""
    Wn, bn = net
    Cw, Cb = [Wn[0]], [bn[0]]
    for l in range(1, len(Wn)):
        Cw, Cb = Cw + [mm(Wn[l], Cw[-1])], Cb + [tuple(x + y for x, y in zip(mv(Wn[l], Cb[-1]), bn[l]))]
    return Cw, Cb


def facts(I, w):
    """(G, R, Gz, Rz, V, A, cost(zero), cumulative of free, cost(free)), cached per witness."""
    if getattr(I, "t24", (None,))[0] is not w:
        nets = w["networks"]
        A = cumulative(nets["zero"])[0][-1]
        f = s32.facts(I, {"A_star": A})
        Cf = cumulative(nets["free"])
        I.t24 = (w, dict(f, A=A, cz=network_cost(I, nets["zero"]), Af=tuple(
            r + (b,) for r, b in zip(Cf[0][-1], Cf[1][-1])), cf=network_cost(I, nets["free"])))
    return I.t24[1]


def constants(I, w):
    """lambda in (0, 1] and the construction's constants u~, f~_l, R_l (deep_thm2_3.construction; the maps are
    rebuilt by ``tied``)."""
    yield from (Pos("lambda > 0", w["lambda"]), NonNeg("lambda <= 1", 1 - w["lambda"]))
    yield from T.construction(I, w)


def tied(I, w, net, mu, name):
    """The network's cumulative hidden maps are the construction (4.56)-(4.58) at mu with the witness's constants."""
    Q, lam, f, R = I.Q, w["lambda"], w["f_tilde"], w["R"]
    yield Eq(f"{name} network: L = Q", len(net[0]) - 1, Q)
    Ws = tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q))
    Cw, Cb = cumulative(net)
    for l in range(Q):
        Wl = mm(Ws, R[l])
        yield Eq(f"{name}: W^({l + 1}), b^({l + 1}) as (4.56)-(4.58) at mu", (Cw[l], Cb[l]),
                 (Wl, scale(-1, mv(Wl, sub(I.means[l], scale(mu, f[l]))))))


def common(I, w):
    Q, mu, nets = I.Q, w["mu"], w["networks"]
    yield from constants(I, w)
    for k in ("zero", "free"):
        yield Eq(f"{k} network: L = Q", len(nets[k][0]) - 1, Q)
    yield Eq("free network: the zero network's hidden layers", (nets["free"][0][:-1], nets["free"][1][:-1]),
             (nets["zero"][0][:-1], nets["zero"][1][:-1]))
    yield from tied(I, w, nets["zero"], mu, "zero")
    yield Eq("zero network: b^(L+1) = 0", cumulative(nets["zero"])[1][-1], (F(0),) * I.K)


def identity(I, w):
    return Pos("2.70: every hidden pre-activation > 0", lows(I, w["networks"]["zero"]))


def normal(I, w, reading):
    """The normal equations of the reading's output layer (named obligation) and its cost."""
    x = facts(I, w)
    if reading.startswith("zero"):
        return Eq("A G = R", mm(x["A"], x["G"]), x["R"]), x["cz"]
    if reading == "free-output-bias":
        return Eq("(A_f | c_f) Gz = Rz", mm(x["Af"], x["Gz"]), x["Rz"]), x["cf"]
    return Eq("(A | 0) Gz = Rz", mm(tuple(r + (F(0),) for r in x["A"]), x["Gz"]), x["Rz"]), x["cz"]


def flat(I, w):
    """free-output-bias/corrected-local-min: the free network is the free optimum, the flat direction keeps the cost."""
    fr, fl = w["networks"]["free"], w["networks"]["flat"]
    yield normal(I, w, "free-output-bias")[0]
    yield Pos("flat network given", F(int(fl is not None)))
    yield Eq("flat: the free network's weights", fl[0], fr[0])
    yield Pos("flat: a nonzero bias direction", sum((dot(d, d) for d in map(sub, fl[1], fr[1])), F(0)))
    yield Pos("flat: every hidden pre-activation > 0", lows(I, fl))
    # both networks are affine on the data (every hidden pre-activation > 0: the zero network's, shared by the free
    # one, and the flat one's above) with the same weights, so their outputs differ at every point by the difference
    # of their cumulative output biases: equal at every data point iff those are equal
    yield Eq("flat: the free network's output at every data point", cumulative(fl)[1][-1], cumulative(fr)[1][-1])


def gl(I, w, variant, refute):
    """GL-output for one variant: normal equations, then det W_{L+1} != 0 (proof) or G / Gz positive definite and
    det W_{L+1} = 0 (refutation)."""
    net, x = w["networks"][variant], facts(I, w)
    yield normal(I, w, "zero-output-bias" if variant == "zero" else "free-output-bias")[0]
    if refute:
        yield PosDef(f"{variant}: unique optimum (Gram matrix positive definite)", x["G" if variant == "zero" else "Gz"])
        yield Eq(f"{variant}: det W_(L+1) = 0", det(net[0][-1]), 0)
    else:
        yield NonZero(f"{variant}: det W_(L+1) != 0", det(net[0][-1]))


def printed(I):
    """mu-range-as-printed: every coordinate of W_* R_l dx is >= -delta |W_* e_i|, |W_* e_i|^2 = (lambda^2 (Q-1) + 1) / Q."""
    if I.Q <= 4:
        yield NonNeg("Q <= 4 (2 delta >= delta sqrt Q)", F(4 - I.Q))
        return
    m = I.means
    worst = []
    for j, k, l in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        x, y = sub(m[k], m[j]), sub(m[l], m[j])
        c = dot(x, y)
        worst.append(dot(x, x) * dot(y, y) - 4 * c * c if c > 0 else F(1))
    yield NonNeg("an angle >= 60 degrees in the triangle of the means of classes 1, 2, 3", max(worst))


def paper(I, w, reading, part):
    """paper-network/<r>: theta_* certified (the cones of (2.52)), lambda in (0, 1] (Lemma 5.1's norm bound), then
    <r>'s own obligations (``part``: conclusion or refutation); paper-network/2.70 needs only the former."""
    yield from T.theta(I, w)
    lam = w["lambda"]
    yield NonNeg("Lemma 5.1: |W_* e_k|^2 = (lambda^2 (Q-1) + 1)/Q <= 1", 1 - (lam * lam * (I.Q - 1) + 1) / I.Q)
    if own(reading) == "2.70":
        yield from () if part is conclusion else (Pos("no refutation", F(0)),)
    else:
        yield from part(I, w, own(reading))


def conclusion(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper(I, w, reading, conclusion)
        return
    if reading == "mu-range-as-printed":
        yield from printed(I)
        return
    yield from common(I, w)
    yield identity(I, w)
    if reading == "free-output-bias/corrected-local-min":
        yield from flat(I, w)
        return
    if reading == "GL-output":
        yield NonZero("det W^(L) != 0", det(cumulative(w["networks"]["zero"])[0][-2]))
        for v in ("zero", "free"):
            yield from gl(I, w, v, False)
        return
    if reading != "2.70":
        ne, c = normal(I, w, reading)
        yield ne
        if reading != "free-output-bias/local-min":
            yield Eq("F = V (2.71)", c, facts(I, w)["V"])


def refutation(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper(I, w, reading, refutation)
        return
    if reading in ("2.70", "zero-output-bias/local-min", "free-output-bias/corrected-local-min", "mu-range-as-printed"):
        yield Pos("no refutation", F(0))
        return
    yield from common(I, w)
    if reading == "GL-output":
        yield identity(I, w)
        yield NonZero("det W^(L) != 0", det(cumulative(w["networks"]["zero"])[0][-2]))
        yield from gl(I, w, "zero" if det(w["networks"]["zero"][0][-1]) == 0 else "free", True)
        return
    if reading == "free-output-bias/local-min":
        d, z = w["networks"]["descent"], w["networks"]["zero"]
        yield Pos("descent network given", F(int(d is not None)))
        yield Eq("descent: only b_(L+1) changed", (d[0], d[1][:-1]), (z[0], z[1][:-1]))
        yield Pos("descent lowers the cost", facts(I, w)["cz"] - network_cost(I, d))
        return
    yield identity(I, w)
    ne, c = normal(I, w, reading)
    yield from (ne, NonZero("F != V (2.71)", c - facts(I, w)["V"]))
