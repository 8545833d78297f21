"""Claims of the deep paper: Chen & Muñoz Ewald, arXiv:2309.10639 (v4).  Conventions: ../shared/CLAIMS.md.

Each ``@claim`` below is the single declaration of one catalogue id; the kernel
(:mod:`exactmin.certify.kernel`) re-derives every verdict and value from the certificate's witness.
"""
from __future__ import annotations

import random

from flint import fmpq, fmpq_mat

from ..errors import InputError
from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, SYMBOLIC, UNDECIDED
from ..data import stats
from ..exact.enclosure import sqrt_enclosure
from ..exact.fexp import sci
from ..exact.norms import opnorm_upper
from ..nets import cluster_pass as cp
from ..nets import construct_deep as cd
from ..nets.cost import class_slices, cost_squared
from ..nets.network import from_cumulative, to_cumulative
from ..nets.truncation import tau, tau_cumulative
from ..exact.intmat import IntMat, affine
from ..exact.linalg import checked_det
from ..exact.numbers import parse_rational
from .base import claim
from .common import (data_matrix, deviations, mat_json, net_json, new_certificate, random_invertible,
                     random_network, s, vec_json)

PAPER = "deep"
REF = "Chen & Muñoz Ewald, arXiv:2309.10639 (v4)"


# ---------------------------------------------------------------------------------------------------------
# hypotheses
# ---------------------------------------------------------------------------------------------------------

def hypotheses(inst) -> dict:
    """Exact values behind (2.12), (2.14), (2.51)/(2.52), invertibility of X_0^red and Y, and Q < N.

    Returns {"readings": {name: (holds: bool, reason)}, "values": {name: fmpq|int}}."""
    Q, M, N = inst.Q, inst.M, inst.N
    vals: dict = {"Q": Q, "M": M, "N": N}
    rd: dict = {}
    zero = stats.zero_deviation_classes(inst)
    rd["2.12"] = (not zero, "every class has nonzero deviation" if not zero
                  else f"Delta X_0,j = 0 for class(es) {', '.join(str(j + 1) for j in zero)}")
    dsq, _ = stats.delta_sq(inst)
    dist = stats.dist_sq_to_barycenter(inst)
    mind = min(dist)
    vals["delta_squared"] = dsq
    vals["min_dist_squared"] = mind
    if mind > 0:
        c0 = dsq / mind
        vals["c0_squared"] = c0
        vals["margin_2_14"] = fmpq(1, 16) - c0
        ok = c0 < fmpq(1, 16)
        rd["2.14"] = (ok, f"c0^2 = delta^2/min|xbar_j - xbar|^2 = {c0} {'<' if ok else '>='} 1/16")
    else:
        rd["2.14"] = (False, "two class means coincide with the barycenter: min |xbar_j - xbar| = 0")
    if Q >= 2:
        cm = stats.cone_margins(inst)
        min_inner = min(r.s for r in cm)
        min_margin = min(r.margin for r in cm)
        vals["cone_min_inner"] = min_inner
        vals["cone_min_margin"] = min_margin
        bad = [(r.j + 1, r.jp + 1) for r in cm if not r.holds]
        rd["2.51"] = (not bad, "all balls B_4delta(xbar_j') inside the half-space cones" if not bad
                      else f"cone condition fails for (j, j') = {bad[0]}"
                      f"{' and ' + str(len(bad) - 1) + ' more' if len(bad) > 1 else ''}")
    else:
        rd["2.51"] = (False, "Q = 1: f_j undefined (needs Q >= 2)")
    if M == Q:
        det = checked_det(inst.means)          # flint and the pure-Python reference backend must agree
        vals["det_X0_red"] = det
        rd["X0red-invertible"] = (det != 0, f"det X_0^red = {det}")
    else:
        rd["X0red-invertible"] = (False, f"input dimension M = {M} differs from Q = {Q}: X_0^red is not square")
    Y = inst.Y
    if Y.nrows() == Y.ncols():
        dY = checked_det(Y)
        vals["det_Y"] = dY
        rd["Y-invertible"] = (dY != 0, f"det Y = {dY}")
    else:
        rd["Y-invertible"] = (False, f"Y is {Y.nrows()}x{Y.ncols()}, not square")
    rd["Q<N"] = (Q < N, f"Q = {Q}, N = {N}")
    return {"readings": rd, "values": vals}


def _hyp_fail_reason(h) -> str | None:
    bad = [f"({k}) {why}" if k[0].isdigit() else f"{k}: {why}" for k, (ok, why) in h["readings"].items() if not ok]
    return "; ".join(bad) if bad else None


@claim(id="deep.hypotheses", paper=PAPER, ref="(2.12), (2.14), (2.51)/(2.52)",
       title="Clustered-data hypotheses of the deep paper",
       statement=r"\Delta X_{0,j}\neq 0\ \forall j;\ \delta<c_0\min_j|\bar x_{0,j}-\bar x|,\ 0<c_0<\tfrac14;"
                 r"\ \max_j\theta_{*,j}<\pi;\ X_0^{red},Y\in GL(Q);\ Q<N",
       hypotheses=(),
       readings=(("2.12", "no class has zero deviation"), ("2.14", "delta^2 / min_j |xbar_j - xbar|^2 < 1/16"),
                 ("2.51", "<xbar_j' - xbar_j, xbar - xbar_j> > 4 delta |xbar - xbar_j| for all j != j'"),
                 ("X0red-invertible", "det X_0^red != 0 (needs M = Q)"), ("Y-invertible", "det Y != 0"),
                 ("Q<N", "fewer classes than points")),
       values=(("Q", "number of classes"), ("M", "input dimension"), ("N", "number of points"),
               ("delta_squared", "delta^2 = max |Delta x_{0,j,i}|^2"),
               ("min_dist_squared", "min_j |xbar_{0,j} - xbar|^2"),
               ("c0_squared", "delta^2 / min_dist_squared: (2.14) holds iff < 1/16; its root is the infimum of admissible c_0"),
               ("margin_2_14", "1/16 - c0_squared: (2.14) holds iff positive"),
               ("cone_min_inner", "min over j != j' of <xbar_j' - xbar_j, xbar - xbar_j>"),
               ("cone_min_margin", "min over j != j' of <...>^2 - 16 delta^2 |xbar - xbar_j|^2"),
               ("det_X0_red", "det X_0^red"), ("det_Y", "det Y")))
def check_hypotheses(inst, **_):
    cert = new_certificate("deep.hypotheses", inst)
    h = hypotheses(inst)
    for name, (ok, why) in h["readings"].items():
        cert.add_reading(name, PROVED if ok else HYPOTHESES_FAIL, why)
    for k, v in h["values"].items():
        cert.set_value(k, v)
    return cert


# ---------------------------------------------------------------------------------------------------------
# Proposition 2.2 and (2.66): identities on random rational networks
# ---------------------------------------------------------------------------------------------------------

def _positive_int(name: str, v, limit: int = 1000) -> int:
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise InputError(f"option {name} must be an integer, got {v!r}") from None
    if not 1 <= n <= limit:
        raise InputError(f"option {name} must lie in 1..{limit}, got {n}")
    return n


def _columns_equal(A: IntMat, B: IntMat) -> bool:
    return bool((A.num.astype(object) * B.den == B.num.astype(object) * A.den).all())


@claim(id="deep.prop2.2", paper=PAPER, ref="Proposition 2.2, (2.39)–(2.45)",
       title="Hidden layers are cumulative truncation maps",
       statement=r"X^{(\ell)}=W^{(\ell)}\,\tau_{W^{(\ell)},b^{(\ell)}}\circ\cdots\circ\tau_{W^{(1)},b^{(1)}}(X_0)"
                 r"+B^{(\ell)},\ \sigma(X^{(\ell)})=X^{(\ell)},\ (2.43)\circ(2.45)=\mathrm{id}",
       hypotheses=("W_ell invertible",),
       readings=(("default", "identities on the instance's points for a random rational network"),
                 ("every-x", "the identities for EVERY input x: induction on l from W^(l) (W^(l))^(-1) = I per layer")),
       values=(("L", "hidden layers of the random network"), ("points", "points checked"),
               ("mixed_sign_layers", "hidden layers whose pre-activations take both signs on the data")),
       options=(("seed", 0, "seed of the random network"), ("layers", None, "hidden layers (default Q)")))
def check_prop22(inst, seed=0, layers=None, **_):
    cert = new_certificate("deep.prop2.2", inst)
    if inst.M != inst.Q:
        cert.add_reading("default", HYPOTHESES_FAIL, f"needs input dimension M = Q (M = {inst.M}, Q = {inst.Q})")
        return cert
    L = _positive_int("layers", layers) if layers is not None else inst.Q
    rng = random.Random(int(seed))
    X = data_matrix(inst)
    net = random_network(rng, X, L, inst.Y.nrows())
    Wc, bc = to_cumulative(net)
    back = from_cumulative(Wc, bc)
    hidden = net.forward_hidden(X)
    taus = tau_cumulative(Wc[:L], bc[:L], X)
    verdict, reason, mixed = PROVED, "identities hold exactly on every point and layer", 0
    if back.weights != net.weights or back.biases != net.biases:
        verdict, reason = REFUTED, "(2.45) does not invert (2.43)"
    for ell in range(L):
        rhs = affine(Wc[ell], bc[ell], taus[ell])
        pre = affine(net.weights[ell], net.biases[ell], hidden[ell - 1] if ell else X)
        sg = pre.sign()
        mixed += int((sg > 0).any() and (sg < 0).any())
        if verdict == PROVED and not _columns_equal(hidden[ell], rhs):
            verdict, reason = REFUTED, f"(2.44) fails at layer {ell + 1}"
        if verdict == PROVED and (rhs.num < 0).any():
            verdict, reason = REFUTED, f"sigma(X^({ell + 1})) != X^({ell + 1})"
    out = net.forward(X)
    if verdict == PROVED and not _columns_equal(out, affine(Wc[L], bc[L], taus[-1])):
        verdict, reason = REFUTED, "output identity x^(L+1) = W^(L+1) x^(tau,L) + b^(L+1) fails"
    cert.add_reading("default", verdict, reason)
    # every x (kernel statement deep_prop2_2.every_x): (2.45) and W^(l) (W^(l))^(-1) = I give the induction
    inv_ok = all((W * W.inv() == fmpq_mat(inst.Q, inst.Q, [int(i == j) for i in range(inst.Q) for j in range(inst.Q)]))
                 for W in Wc[:L])
    cert.add_reading("every-x", PROVED if inv_ok and back.weights == net.weights and back.biases == net.biases
                     else UNDECIDED, "for every input x, by induction on the layer: W^(l) tau_(W^(l),b^(l))(y) + b^(l) "
                     "= sigma(W^(l) y + b^(l)) since W^(l) (W^(l))^(-1) = I (exact), and (2.43)/(2.45) hold exactly")
    cert.set_value("L", L), cert.set_value("points", inst.N), cert.set_value("mixed_sign_layers", mixed)
    cert.witness = {"network": net_json(net)}
    cert.parameters = {"seed": seed}
    return cert


@claim(id="deep.eq2.66", paper=PAPER, ref="(2.66)", title="Scaling invariance of the truncation map",
       statement=r"\tau_{\lambda W,\lambda b}=\tau_{W,b}\quad(\lambda>0)",
       hypotheses=("W invertible", "lambda > 0"),
       readings=(("default", "equality on the instance's points for a random W, b and several lambda"),
                 ("every-x", "equality for EVERY x: W W^(-1) = I, lambda > 0 and sigma(lambda z) = lambda sigma(z)")),
       values=(("lambdas", "number of scalings checked"), ("points", "points checked")),
       options=(("seed", 0, "seed of the random W, b"),))
def check_eq266(inst, seed=0, **_):
    cert = new_certificate("deep.eq2.66", inst)
    if inst.M != inst.Q:
        cert.add_reading("default", HYPOTHESES_FAIL, f"needs input dimension M = Q (M = {inst.M}, Q = {inst.Q})")
        return cert
    rng = random.Random(seed)
    X = data_matrix(inst)
    net = random_network(rng, X, 1, inst.Q)
    W, b = net.weights[0], net.biases[0]
    lambdas = [fmpq(1, 3), fmpq(2), fmpq(7, 5), fmpq(rng.randint(1, 99), rng.randint(1, 99))]
    base = tau(W, b, X)
    bad = [lam for lam in lambdas if not _columns_equal(tau(W * lam, b * lam, X), base)]
    cert.add_reading("default", PROVED if not bad else REFUTED,
                     "tau_{lam W, lam b}(X_0) = tau_{W,b}(X_0) exactly" if not bad else f"fails for lambda = {bad[0]}")
    cert.add_reading("every-x", PROVED, "for every x: W W^(-1) = I and (lam W)(W^(-1)/lam) = I exactly, lam > 0, and "
                     "sigma(lam z) = lam sigma(z) for lam > 0 (positive homogeneity of the ramp)")
    cert.set_value("lambdas", len(lambdas)), cert.set_value("points", inst.N)
    cert.witness = {"W": mat_json(W), "b": vec_json(b[i, 0] for i in range(inst.Q)), "lambdas": vec_json(lambdas)}
    cert.parameters = {"seed": seed}
    return cert


# ---------------------------------------------------------------------------------------------------------
# Lemmas 4.1 and 5.1
# ---------------------------------------------------------------------------------------------------------

def lemma_mu(dsq, omega, sign: int):
    """µ beyond the threshold of Lemmas 4.1/5.1 for ‖W‖ ≤ ω: sign·µ > 0 and µ² > 4 δ² ω² (µ = sign·2δ̄ω·17/16,
    δ̄ ≥ δ a rational upper bound); also used by deep.eq4.13 ((4.13)-(4.15))."""
    mu = sign * 2 * sqrt_enclosure(dsq, 64).hi * omega * fmpq(17, 16)
    return mu if mu != 0 else fmpq(sign)       # delta = 0: mu = 0 would violate the lemma's strict hypothesis


def lemma_parameters(inst, sign: int, seed: int):
    """(W, ω, δ², µ) of Lemmas 4.1/5.1: a seeded random invertible W, a rational ω ≥ ‖W‖_op (ω² I − W^T W PSD,
    :func:`opnorm_upper`) and µ = :func:`lemma_mu`; deep.eq4.13 (`corrected`) uses the same choice."""
    W = random_invertible(random.Random(seed), inst.Q)
    omega = opnorm_upper(W)
    dsq, _ = stats.delta_sq(inst)
    return W, omega, dsq, lemma_mu(dsq, omega, sign)


def _lemma(inst, cid: str, sign: int, seed: int):
    cert = new_certificate(cid, inst)
    if inst.M != inst.Q:
        cert.add_reading("ball", HYPOTHESES_FAIL, f"needs input dimension M = Q (M = {inst.M}, Q = {inst.Q})")
        return cert
    Q = inst.Q
    W, omega, dsq, mu = lemma_parameters(inst, sign, seed)
    # µ beyond the lemma's threshold: sign·µ > 0 and µ² > 4 δ² ω² ≥ 4 δ² ‖W‖².
    threshold_ok = sign * mu > 0 and mu * mu > 4 * dsq * omega * omega
    rows_sq = [sum((W[k, c] ** 2 for c in range(Q)), fmpq(0)) for k in range(Q)]
    # On B_δ(0): |(Wx)_k| ≤ |row_k| δ, so sign·((Wx)_k + µ) > 0 for all x iff µ² > |row_k|² δ² (sign·µ > 0).
    ball_ok = threshold_ok and all(mu * mu > r * dsq for r in rows_sq)
    D = deviations(inst)
    WD = affine(W, None, D)
    ext = int((WD.num * -sign).max())  # max over k, i of −sign·(WΔx)_k (numerator over WD.den)
    mu_sharp = fmpq(ext, WD.den) * sign
    pts = affine(W, fmpq_mat(Q, 1, [mu] * Q), D)
    points_ok = bool((pts.num * sign >= 0).all())   # sign·(WΔx + µu) ≥ 0 at every deviation
    what = "sigma(Wx + mu u) = 0" if sign < 0 else "sigma(Wx + mu u) = Wx + mu u"
    cert.add_reading("ball", PROVED if ball_ok else UNDECIDED,
                     f"{what} on the closed ball B_delta(0): mu^2 > |row_k|^2 delta^2 for every row" if ball_ok
                     else "threshold certification did not close")
    cert.add_reading("points", PROVED if points_ok else REFUTED,
                     f"{what} at every deviation Delta x_0,j,i of the instance" if points_ok
                     else "fails at an instance point")
    from ..exact.symbolic import symbolic_verdict       # SymPy only here (lazily)
    v, why = symbolic_verdict("cauchy-schwarz", Q, "Q", f"for EVERY W and mu with {'-' if sign < 0 else ''}mu > 2 delta "
                              f"||W||_op and every x in the closed ball: |(Wx)_r| <= |row_r W| |x| <= ||W||_op delta "
                              f"(Lagrange's identity) and the ramp's cases give {what}")
    if v == PROVED and not ball_ok:
        v, why = UNDECIDED, "the exact instance re-check (ball) did not close; " + why
    cert.add_reading("symbolic", v, why)
    if v == PROVED:
        cert.readings["symbolic"]["provenance"] = SYMBOLIC
    cert.set_value("opnorm_upper", omega)
    cert.set_value("mu", mu)
    cert.set_value("mu_sharp_points", mu_sharp)
    rmax = max(rows_sq)
    enc = sqrt_enclosure(rmax * dsq, 64)
    lo, hi = (-enc.hi, -enc.lo) if sign < 0 else (enc.lo, enc.hi)
    cert.set_enclosure("mu_sharp_ball", lo, hi)
    cert.witness = {"W": mat_json(W)}
    cert.parameters = {"seed": seed}
    return cert


@claim(id="deep.lemma4.1", paper=PAPER, ref="Lemma 4.1", title="Collapse of a ball under a strongly negative bias",
       statement=r"\mu<-2\delta\|W\|_{op}\ \Rightarrow\ \sigma(Wx+\mu u_Q)=0\quad\forall x\in B_\delta(0)",
       hypotheses=(),
       readings=(("ball", "the statement on the whole closed ball, exact"), ("points", "at the instance's deviations"),
                 ("symbolic", "for ALL W, mu and x in the ball: SymPy proof (Q <= 6) beside the exact ball check")),
       values=(("opnorm_upper", "rational omega >= ||W||_op (certified by omega^2 I - W^T W PSD)"),
               ("mu", "the mu used, mu < -2 delta omega"),
               ("mu_sharp_points", "largest mu with sigma(W Delta x + mu u) = 0 at all instance deviations"),
               ("mu_sharp_ball", "enclosure of -delta max_k |row_k W|, the sharp threshold on the ball")),
       options=(("seed", 0, "seed of the random W"),))
def check_lemma41(inst, seed=0, **_):
    return _lemma(inst, "deep.lemma4.1", -1, seed)


@claim(id="deep.lemma5.1", paper=PAPER, ref="Lemma 5.1", title="Identity on a ball under a strongly positive bias",
       statement=r"\mu>2\delta\|W\|_{op}\ \Rightarrow\ \sigma(Wx+\mu u_Q)=Wx+\mu u_Q\quad\forall x\in B_\delta(0)",
       hypotheses=(),
       readings=(("ball", "the statement on the whole closed ball, exact"), ("points", "at the instance's deviations"),
                 ("symbolic", "for ALL W, mu and x in the ball: SymPy proof (Q <= 6) beside the exact ball check")),
       values=(("opnorm_upper", "rational omega >= ||W||_op"), ("mu", "the mu used, mu > 2 delta omega"),
               ("mu_sharp_points", "smallest mu with W Delta x + mu u >= 0 at all instance deviations"),
               ("mu_sharp_ball", "enclosure of delta max_k |row_k W|")),
       options=(("seed", 0, "seed of the random W"),))
def check_lemma51(inst, seed=0, **_):
    return _lemma(inst, "deep.lemma5.1", 1, seed)


# ---------------------------------------------------------------------------------------------------------
# Theorem 2.3
# ---------------------------------------------------------------------------------------------------------

def _collapse_ok(con: cd.DeepConstruction, inst, X: IntMat, Q: int) -> tuple[bool, str]:
    """(2.59)/(4.65): after ℓ cumulative truncations cluster ℓ sits at its apex, later clusters are unchanged."""
    taus = tau_cumulative(con.Wc[:Q], con.bc[:Q], X)
    sl = class_slices(inst.sizes)
    for ell in range(Q):
        T = taus[ell]
        for j in range(Q):
            if j <= ell:
                if not T.equals_columns(con.apex[j], sl[j]):
                    return False, f"cluster {j + 1} not collapsed after layer {ell + 1}"
            else:
                blk = IntMat(X.num[:, sl[j]], X.den)
                Tb = IntMat(T.num[:, sl[j]], T.den)
                if not _columns_equal(Tb, blk):
                    return False, f"cluster {j + 1} moved by layer {ell + 1}"
    return True, "each cluster collapses at its layer; the others are untouched"


def _realise(con: cd.DeepConstruction, inst, X: IntMat, Q: int, ce=None):
    """(con, cost², collapsed, reason, extremes) of one realised construction, exactly.

    Fast path (:mod:`exactmin.nets.cluster_pass`): exact row extremes of the cumulative pre-activations per
    cluster decide the collapse, and the cost follows from the Q collapsed points.  Whenever the structure
    does not hold the reference path (exact forward pass of every point, τ layer by layer) decides."""
    if ce is None or not ce.same_maps(con.Wc, con.bc):
        ce = cp.cluster_extremes(con.Wc[:Q], con.bc[:Q], X, inst.sizes)
    if cp.collapse_holds(ce, con.apex):
        c2 = cp.collapsed_cost(con.net, ce, inst.Y)
        if c2 is not None:
            return con, c2, True, "each cluster collapses at its layer; the others are untouched", ce
    c2 = cost_squared(con.net.forward(X), inst.Y, inst.sizes)
    coll, why = _collapse_ok(con, inst, X, Q)
    return con, c2, coll, why, None


MAX_BOX_Q = 8        # det X_0^red[mu] is evaluated at the 2^Q vertices
SLOW_BOX_Q = 6       # without row extremes the collapse is re-checked by 2^Q rebuilds (reference path)


def _affine_bounds(z0: IntMat, a: fmpq_mat, need_nonneg: bool, lo, hi):
    """Tighten [lo, hi] to the µ with z0[r, i] + µ a_r ≥ 0 (need_nonneg) or ≤ 0 for every entry (exact)."""
    if z0.num.shape[1] == 0:
        return lo, hi
    A = z0.num.astype(object)
    for r in range(a.nrows()):
        ar = a[r, 0]
        if ar == 0:
            continue
        # z0 + µ a ≥ 0 ⟺ µ ≥ −z0/a (a > 0) or µ ≤ −z0/a (a < 0); the ≤ 0 case flips the inequality
        lower = (ar > 0) == need_nonneg
        z = int(A[r].min()) if lower == (ar > 0) else int(A[r].max())
        bound = -fmpq(z, z0.den) / ar
        if lower:
            lo = bound if lo is None else max(lo, bound)
        else:
            hi = bound if hi is None else min(hi, bound)
    return lo, hi


def admissible_intervals(con, inst, X: IntMat):
    """Per cluster j, the exact set of µ_j (others fixed at the construction's µ) on which the realised network
    still collapses the DATA as (2.59)/(4.65) require: an interval [lo, hi] (None = unbounded), from the sign
    conditions, which are affine in µ_j.  Layer j sees b^{(j)}(µ_j) = b^{(j)} + (µ_j − µ) W^{(j)} f̃_j; later layers
    see the apex c_j(µ_j) = x̄_j − µ_j f̃_j.  (det X_0^red[µ] is affine in µ_j and may vanish at one point.)"""
    Q = len(con.apex)
    sl = class_slices(inst.sizes)
    out = []
    for j in range(Q):
        W = con.Wc[j]
        f = fmpq_mat(Q, 1, con.f_tilde[j])
        a = W * f
        b0 = con.bc[j] - a * con.mu            # bias at µ_j = 0
        lo = hi = None
        own = IntMat(X.num[:, sl[j]], X.den)
        lo, hi = _affine_bounds(affine(W, b0, own), a, False, lo, hi)        # cluster j collapses: ≤ 0
        for k in range(j + 1, Q):                                            # later clusters: identity
            lo, hi = _affine_bounds(affine(W, b0, IntMat(X.num[:, sl[k]], X.den)), a, True, lo, hi)
        for k in range(j):                                                   # earlier apexes: identity
            lo, hi = _affine_bounds(affine(W, b0, IntMat.from_fmpq_mat(fmpq_mat(Q, 1, con.apex[k]))), a, True,
                                    lo, hi)
        for ell in range(j + 1, Q):                                          # apex c_j through later layers
            Wl, bl = con.Wc[ell], con.bc[ell]
            c0 = IntMat.from_fmpq_mat(fmpq_mat(Q, 1, con.apex[j]) + f * con.mu)   # c_j at µ_j = 0: x̄_j
            lo, hi = _affine_bounds(affine(Wl, bl, c0), -(Wl * f), True, lo, hi)
        out.append((lo, hi))
    return out


def _mu_box(inst, g, par, con, X, ce=None):
    """Zero cost on the whole box [lo, hi]^Q ⊂ I_0^Q, one µ_j per cluster, from its 2^Q vertices.

    Reduction (proved here, re-checked by the kernel): W^{(ℓ)} does not depend on µ, and at layer ℓ the input
    is either an original point or an earlier apex c_k = x̄_k − µ_k f̃_k, so every pre-activation
    W^{(ℓ)}(y − c_ℓ) is jointly affine in µ.  The collapse pattern is a set of closed sign conditions on those
    affine functions (τ(y) = y ⟺ Wy + b ≥ 0, τ(y) = apex ⟺ Wy + b ≤ 0), so it holds on the box iff it holds at
    the vertices.  det X_0^red[µ] is affine in each µ_j separately (column j depends on µ_j only), so it keeps
    one strict sign on the box iff it has that sign at every vertex; then W^{(L+1)} = Y (X_0^red[µ])^{-1}
    exists and the cost is 0 for every µ in the box.  Both ends are certified in I_0 like µ itself.
    Returns (ok, lo, hi, reason) or None when Q is too large to enumerate.
    """
    from itertools import product
    Q = g.Q
    if Q > MAX_BOX_Q:
        return None
    lo, hi = par.mu, cd.second_mu(g, par)
    if hi is None:
        return False, lo, lo, "no second mu certified in I_0"
    sign = None
    if ce is not None and cp.box_holds(ce, con.apex, con.f_tilde, con.mu, lo, hi):
        for v in product((lo, hi), repeat=Q):      # collapse decided on the whole box; det at the vertices
            # one backend (flint) here: 2^Q determinants; the kernel re-derives every one independently
            d = fmpq_mat(Q, Q, [g.means[j][r] - v[j] * con.f_tilde[j][r] for r in range(Q) for j in range(Q)]).det()
            sg = (d > 0) - (d < 0)
            if sg == 0 or (sign is not None and sg != sign):
                return False, lo, hi, f"det X_0^red[mu] changes sign or vanishes at vertex {[str(x) for x in v]}"
            sign = sg
        return True, lo, hi, (f"collapse and det X_0^red[mu] {'>' if sign > 0 else '<'} 0 at all {2**Q} vertices "
                              f"of [{lo}, {hi}]^Q: cost 0 on the whole box (the conditions are affine in mu)")
    if Q > SLOW_BOX_Q:
        return False, lo, hi, "collapse fails at a vertex of the box (row extremes, affine in mu)"
    for v in product((lo, hi), repeat=Q):
        c = cd.build(inst, g, Q, par.lam, list(v), con.tol,
                     output=(fmpq_mat(inst.Y.nrows(), Q), fmpq_mat(inst.Y.nrows(), 1)))
        coll, why = _collapse_ok(c, inst, X, Q)
        if not coll:
            return False, lo, hi, f"vertex {[str(x) for x in v]}: {why}"
        d = checked_det(fmpq_mat(Q, Q, [c.apex[j][r] for r in range(Q) for j in range(Q)]))
        sg = (d > 0) - (d < 0)
        if sg == 0 or (sign is not None and sg != sign):
            return False, lo, hi, f"det X_0^red[mu] changes sign or vanishes at vertex {[str(x) for x in v]}"
        sign = sg
    return True, lo, hi, (f"collapse and det X_0^red[mu] {'>' if sign > 0 else '<'} 0 at all {2**Q} vertices of "
                          f"[{lo}, {hi}]^Q: cost 0 on the whole box (the conditions are affine in mu)")


@claim(id="deep.thm2.3", paper=PAPER, ref="Theorem 2.3, (4.24)–(4.58), (2.59), (4.65)",
       title="Explicit zero-cost global minimizer for L >= Q",
       statement=r"L\ge Q,\ \mu\in I_0^Q=(-D,-2\delta\sqrt Q)^Q:\ \text{the construction (4.24)--(4.58) collapses every "
                 r"cluster and } C_{\mathcal N}=0\text{ with }W_{L+1}=Y(X_0^{red}[\mu])^{-1}(W^{(L)})^{-1},\ b^{(L+1)}=0",
       hypotheses=("deep.hypotheses",),
       readings=(("L=Q", "Q hidden layers"), ("L>Q", "Q + extra hidden layers (identity layers appended)"),
                 ("mu-box", "L = Q, zero cost for EVERY mu in the box [mu_box_lo, mu_box_hi]^Q, a certified SUB-box "
                            "of I_0^Q (one mu per cluster), not one sample"),
                 ("collapse-only", "(4.65), weaker than (2.59): the L = Q construction at mu sends each class to ONE "
                                   "point after layer L (wherever it is); refuted by a class with two images"),
                 ("D>2delta-sqrtQ", "(2.58)/(4.26): I_0 = (-D, -2 delta sqrt Q) is not empty; refuted by a pair with "
                                    "<xbar_j' - xbar_j, f_j> - delta <= 2 delta sqrt Q (D below it for every theta_0)"),
                 ("Xred-mu-GL-on-I0", "remark after (2.62), the paper's network (exact f_j): X_0^red[mu] = [c_1 ... c_Q] "
                                      "invertible for EVERY mu in I_0^Q (det one strict sign on a box covering I_0^Q; "
                                      "refuted by two points of I_0^Q with opposite or zero det)"),
                 ("I0-box", "(2.58) as printed, the paper's network: cost 0 for ALL mu in I_0^Q (every apex passes every "
                            "later layer on a covering box, det one sign); refuted by mu* in I_0^Q where two classes merge "
                            "for every admissible R_l, cost^2 >= sum_S |y_j - ybar_S|^2 for every output layer"),
                 ("L>Q/arbitrary", "(4.66), L > Q: layers Q+1..L picked ARBITRARILY (W^(l) and tau^(L)(X_0)^red "
                                   "invertible) keep (4.65) and cost 0, for EVERY such choice: proved from (4.65) at "
                                   "layer Q (collapse-only) by the argument that maps send points to points")),
       values=(("cost_squared", "squared weighted cost C_N^2 of the L = Q network (exact)"),
               ("cost_squared_extra", "C_N^2 of the L > Q network"),
               ("mu", "the mu used (same for every cluster), certified in I_0"),
               ("lambda", "rational shrink factor of W_* (4.30)"),
               ("kappa", "cos^2(theta_*/2) = lambda^2 (Q-1) / (1 + lambda^2 (Q-1))"),
               ("L", "hidden layers, case L = Q"), ("L_extra", "hidden layers, case L > Q"),
               ("tol", "rational bound on |f~_l - f_l| and |u~ - u/sqrt Q|"),
               ("delta_squared", "delta^2"), ("c0_squared", "as in deep.hypotheses"),
               ("margin_2_14", "1/16 - c0_squared"), ("cone_min_margin", "as in deep.hypotheses"),
               ("D", "enclosure of D (4.26) for this theta_*"),
               ("mu_box_lo", "lower end of the certified mu box (each end certified in I_0)"),
               ("mu_box_hi", "upper end of the certified mu box"),
               ("mu_box_vertices", "2^Q vertices checked"),
               ("mu_admissible_lo[j=<j>]", "per cluster j: exact lower end of the mu_j (others fixed) for which the "
                                           "realised network still collapses the data (absent: unbounded)"),
               ("mu_admissible_hi[j=<j>]", "exact upper end of that interval")),
       options=(("extra_layers", 1, "identity layers appended for the L > Q case"),
                ("mu", None, "mu to use (default: inside I_0)"),))
def check_thm23(inst, extra_layers=1, mu=None, **_):
    cert = new_certificate("deep.thm2.3", inst)
    h = hypotheses(inst)
    Q = inst.Q
    for k in ("delta_squared", "c0_squared", "margin_2_14", "cone_min_margin"):
        if k in h["values"]:
            cert.set_value(k, h["values"][k])
    fail = _hyp_fail_reason(h)
    if fail is not None:
        for name in ("L=Q", "L>Q", "mu-box", "collapse-only", "D>2delta-sqrtQ", "Xred-mu-GL-on-I0", "I0-box",
                     "L>Q/arbitrary"):
            cert.add_reading(name, HYPOTHESES_FAIL, fail)
        return cert
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    user_mu = fmpq(*parse_rational(mu)) if mu is not None else None
    par = cd.choose_parameters(g, user_mu)
    lam, kappa, mu, Denc = par.lam, par.kappa, par.mu, par.D
    theta_ok, theta_bad, upper_ok = par.theta_ok, par.theta_bad, par.upper_ok
    lower_ok, lower_method, lower_bad = par.lower_ok, par.lower_method, par.lower_bad
    theta_method = par.theta_method
    problems = []
    outside = cd.mu_outside_I0(g, mu)       # exactly outside I_0 for every theta_0: a false hypothesis
    if theta_ok is not True:
        problems.append(f"theta_* > max_j theta_*,j not certified at pair {theta_bad}")
    if not upper_ok:
        problems.append(f"mu = {mu} is not < -2 delta sqrt(Q)")
    if lower_ok is not True:
        m0 = sqrt_enclosure(4 * g.delta_sq * Q, 64)
        if Denc.hi < m0.lo:
            problems.append(f"I_0 = (-D, -2 delta sqrt Q) is empty for every theta_* tried: D in [{sci(Denc.lo, 6)}, "
                            f"{sci(Denc.hi, 6)}] < 2 delta sqrt Q in [{sci(m0.lo, 6)}, {sci(m0.hi, 6)}]")
        else:
            problems.append(f"mu > -D not certified (pair {lower_bad}; D in [{Denc.lo}, {Denc.hi}])"
                            if lower_ok is None else f"mu = {mu} <= -D (pair {lower_bad})")
    X = data_matrix(inst)
    L_extra = Q + _positive_int("extra_layers", extra_layers)
    results = {}
    ce = None
    for tol in cd.TOLERANCES:
        results = {}
        ce = None
        for name, L in (("L=Q", Q), ("L>Q", L_extra)):
            con = cd.build(inst, g, L, lam, mu, tol)
            results[name] = _realise(con, inst, X, Q, ce)
            ce = results[name][4] or ce
        if all(r[1] == 0 and r[2] for r in results.values()):
            break
    results = {k: r[:4] for k, r in results.items()}
    for name, (con, c2, coll, why) in results.items():
        if outside is not None:
            cert.add_reading(name, HYPOTHESES_FAIL, outside + f" (cost^2 = {c2})")
        elif problems:
            cert.add_reading(name, UNDECIDED, "; ".join(problems) + f" (cost^2 = {c2})")
        elif con.red_singular:
            cert.add_reading(name, REFUTED, f"mu = {mu} certified in I_0, but X_0^red[mu] = [c_1 ... c_Q] is singular "
                                            "(exact det 0, two apexes coincide): W_(L+1) = Y (X_0^red[mu])^(-1) does "
                                            f"not exist (remark after (2.62)); with the zero output layer cost^2 = {c2}")
        elif c2 == 0:       # the exact forward pass decides the reading; (2.59) is the paper's route to it
            cert.add_reading(name, PROVED, f"{why if coll else 'collapse (2.59) fails (' + why + '), yet'}; exact "
                                           f"forward pass gives cost^2 = 0 (L = {con.net.L})")
        else:
            # mu is certified in I_0 and the exact forward pass of the witness network contradicts (2.58):
            # a refutation (about the rational realisation, tol = con.tol), as deep.eq2.68 refutes at this mu
            cert.add_reading(name, REFUTED, f"mu = {mu} certified in I_0, but the construction (rational realisation, "
                                            f"tol = {con.tol}) fails: {why}; exact cost^2 = {c2}")
    con_q = results["L=Q"][0]
    cert.set_value("cost_squared", results["L=Q"][1])
    cert.set_value("cost_squared_extra", results["L>Q"][1])
    cert.set_value("mu", mu), cert.set_value("lambda", lam), cert.set_value("kappa", kappa)
    cert.set_value("L", Q), cert.set_value("L_extra", L_extra), cert.set_value("tol", con_q.tol)
    cert.set_enclosure("D", Denc.lo, Denc.hi)   # hypotheses hold: the readings on I_0^Q are decided
    cert.provenance["mu"] = "exact" if lower_method == "exact-squares" else "enclosure"
    cert.witness = {
        "lambda": s(lam), "mu": s(mu), "tol": s(con_q.tol),
        "u_tilde": vec_json(con_q.u_tilde),
        "f_tilde": [vec_json(f) for f in con_q.f_tilde],
        "R": [mat_json(R) for R in con_q.R],
        "networks": {name: net_json(r[0].net) for name, r in results.items()},
    }
    box = _mu_box(inst, g, par, con_q, X, ce) if not problems else None
    if outside is not None:
        cert.add_reading("mu-box", HYPOTHESES_FAIL, outside)
    elif box is None:
        cert.add_reading("mu-box", UNDECIDED, "I_0 not certified" if problems else f"Q = {Q} > {MAX_BOX_Q}: "
                         "2^Q vertices not enumerated")
    else:
        ok, lo, hi, why = box
        if not ok and lo == mu and cert.readings["L=Q"]["verdict"] == REFUTED:
            cert.add_reading("mu-box", REFUTED, f"the box contains its vertex mu = {mu} (all mu_j equal), where "
                                                "reading L=Q is refuted")
        else:
            cert.add_reading("mu-box", PROVED if ok else UNDECIDED, why)
        cert.set_value("mu_box_lo", lo), cert.set_value("mu_box_hi", hi), cert.set_value("mu_box_vertices", 2**Q)
        cert.witness["mu_box"] = [s(lo), s(hi)]
    if not problems and results["L=Q"][1] == 0 and results["L=Q"][2]:
        adm = (cp.admissible_from_extremes(ce, con_q.apex, con_q.f_tilde, con_q.mu) if ce is not None
               else admissible_intervals(con_q, inst, X))
        for j, (a, b) in enumerate(adm):
            if a is not None:
                cert.set_value(f"mu_admissible_lo[j={j + 1}]", a)
            if b is not None:
                cert.set_value(f"mu_admissible_hi[j={j + 1}]", b)
    _collapse_only(cert, inst, results["L=Q"][0], X, outside, problems, ce)
    _arbitrary_extra(cert)
    _paper_box(cert, inst, g, par, not problems and outside is None)
    cert.parameters = {"extra_layers": int(extra_layers), "mu": None if user_mu is None else s(user_mu),
                       "theta_certification": theta_method, "mu_lower_certification": lower_method}
    return cert


def _collapse_only(cert, inst, con, X, outside, problems, ce=None):
    """(4.65): Δτ^{(L)}(X_0) = 0 for the L = Q construction at µ.  Proved by the data conditions of (2.59) (exact row
    extremes, no apex condition); else the exact hidden activations decide (W^{(L)} invertible: one point after
    layer L ⟺ one point of τ^{(L)})."""
    Q = inst.Q
    if outside is not None:
        return cert.add_reading("collapse-only", HYPOTHESES_FAIL, outside)
    if problems:
        return cert.add_reading("collapse-only", UNDECIDED, "; ".join(problems))
    if ce is None or not ce.same_maps(con.Wc[:Q], con.bc[:Q]):
        ce = cp.cluster_extremes(con.Wc[:Q], con.bc[:Q], X, inst.sizes)
    if cp.data_collapse_holds(ce):
        return cert.add_reading("collapse-only", PROVED, "cluster l collapses at layer l and later clusters pass (exact "
                                "row extremes): every class is one point after layer L, (4.65), apexes aside")
    H = con.net.forward_hidden(X)[-1]
    bad = [j + 1 for j, sl in enumerate(class_slices(inst.sizes))
           if not (H.num[:, sl] == H.num[:, sl.start:sl.start + 1]).all()]
    cert.add_reading("collapse-only", REFUTED if bad else UNDECIDED,
                     f"mu = {con.mu} certified in I_0, but class(es) {bad} have two images after layer L (exact forward "
                     "pass of the rational realisation)" if bad else "the data conditions of (2.59) fail, yet every "
                     "class is one point after layer L (not certified by the statement's sufficient conditions)")


def _arbitrary_extra(cert):
    """(4.66): for L > Q the layers Q+1..L "can be picked arbitrarily" (W^{(l)} and the reduced image
    tau^{(L)}(X_0)^red invertible) and this does not alter (4.65).  The universal quantifier over those
    layers is discharged by an argument, not by samples: once every class is ONE point after layer Q ((4.65),
    reading collapse-only), any later layers map each of these points to one point, and where the reduced image is
    invertible W^{(L+1)} = Y (tau^{(L)}(X_0)^red)^{-1}, b^{(L+1)} = 0 gives cost 0.  So the reading
    has collapse-only's verdict when that is proved or hypotheses-fail; otherwise it is undecided (a class with two
    images at layer Q refutes (4.65) at L = Q; whether some admissible extra layers still exist is not decided)."""
    v = cert.readings["collapse-only"]
    if v["verdict"] == HYPOTHESES_FAIL:
        return cert.add_reading("L>Q/arbitrary", HYPOTHESES_FAIL, v["reason"])
    if v["verdict"] == PROVED:
        return cert.add_reading("L>Q/arbitrary", PROVED, "(4.65) holds at layer Q (reading collapse-only: "
                                + v["reason"] + "); layers Q+1..L, whatever they are, send each class's one point "
                                "to one point, so for EVERY choice with W^(l) and tau^(L)(X_0)^red invertible (if "
                                "any) W^(L+1) = Y (tau^(L)(X_0)^red)^(-1), b^(L+1) = 0 gives cost 0 (an argument "
                                "for all choices, not a sample). The final points need not be X_0^red[mu]: "
                                "deep.eq2.68 (L>Q/arbitrary) exhibits an admissible layer that moves one")
    return cert.add_reading("L>Q/arbitrary", UNDECIDED, "(4.65) at layer Q is not certified (reading collapse-only: "
                            + v["verdict"] + ")")


def box_json(B):
    """Witness field box_s: the box [a_j, b_j] in s covering I_0^Q (statement deep_thm2_3_paper.cover)."""
    return [[s(a), s(b)] for a, b in B]


def merge_json(v, chain, Q):
    """Witness fields merge_s, merge_set: the classes in ``chain`` merge at s = v (deep_thm2_3_paper.merge)."""
    return {"merge_s": [s(x) for x in v], "merge_set": [s(fmpq(int(i in chain))) for i in range(Q)]}


def paper_analysis(g, par, certified):
    """(mu0, r): a mu0 certified in I_0 (None if none: I_0 not certified non-empty) and paper_box.analyse's data for
    the paper's network on all of I_0^Q.  ``certified``: the construction's mu is certified in I_0 (then mu0 is it;
    otherwise a mu of I_0 is chosen, whatever the user's mu is)."""
    from ..nets import paper_box as pb
    mu0 = par.mu if certified else cd.choose_mu(g, par.kappa)[0]
    ok = par.theta_ok is True and mu0 < 0 and mu0 * mu0 > 4 * g.delta_sq * g.Q and \
        cd.decide_all_positive(cd.mu_lower_terms(g, par.kappa, mu0))[0] is True
    return (mu0 if ok else None), pb.analyse(g, par.kappa, par.D, ok)


def _paper_box(cert, inst, g, par, certified):
    """Readings D>2delta-sqrtQ, Xred-mu-GL-on-I0, I0-box: the paper's network on all of I_0^Q
    (:mod:`exactmin.nets.paper_box`; the kernel re-derives each verdict from the witness written here)."""
    from ..nets import paper_box as pb
    w = cert.witness
    mu0, r = paper_analysis(g, par, certified)
    certified = mu0 is not None
    if certified:
        w["mu_I0"] = s(mu0)
    if r["pair"] is not None:
        j, k = r["pair"]
        w["pair"] = [s(fmpq(j + 1)), s(fmpq(k + 1))]
        cert.add_reading("D>2delta-sqrtQ", REFUTED, f"<xbar_0,{k + 1} - xbar_0,{j + 1}, f_{j + 1}> - delta <= 2 delta sqrt Q "
                         "(exact, squares): D is below it for every theta_0 (the cone lies in a half-space), so "
                         "I_0 = (-D, -2 delta sqrt Q) is empty")
    elif certified:
        cert.add_reading("D>2delta-sqrtQ", PROVED, f"mu = {mu0} certified in I_0: D > 2 delta sqrt Q")
    else:
        cert.add_reading("D>2delta-sqrtQ", UNDECIDED, "no mu certified in I_0 and no pair bounds D below 2 delta sqrt Q")
    if r["box"] is not None:
        w["box_s"] = box_json(r["box"])
    box = "box [a_j, b_j] (mu_j = -s_j |v_j|, s_j in [a_j, b_j]) covering I_0^Q"
    if r["box"] is not None and r["gl_sign"] is not None:
        cert.add_reading("Xred-mu-GL-on-I0", PROVED, f"det X_0^red[mu] {'>' if r['gl_sign'] > 0 else '<'} 0 at the "
                         f"{2**g.Q} vertices of a {box} (multi-affine: on all of I_0^Q)")
    elif r["gl"] is not None:
        p1, p2 = r["gl"]
        w["gl_s"] = [[s(x) for x in p1], [s(x) for x in p2]]
        d1, d2 = pb.det_at(g, p1), pb.det_at(g, p2)
        cert.add_reading("Xred-mu-GL-on-I0", REFUTED, f"det X_0^red[mu] = {d1} and {d2} at two points of I_0^Q "
                         "(mu_j = -s_j |v_j|): X_0^red[mu] is singular on the segment between them")
    else:
        cert.add_reading("Xred-mu-GL-on-I0", UNDECIDED, "I_0 not certified" if not certified else
                         "no covering box with one det sign and no sign change found")
    if r["box"] is not None and r["gl_sign"] is not None and r["bad_pairs"] == []:
        cert.add_reading("I0-box", PROVED, f"every apex c_j passes every later layer at the corners of a {box}, and "
                         "det X_0^red[mu] has one sign there: cost 0 for every mu in I_0^Q")
    elif r["merge"] is not None:
        v, chain = r["merge"]
        w.update(merge_json(v, chain, g.Q))
        ys = [[inst.Y[r_, i] for r_ in range(inst.Y.nrows())] for i in chain]
        yb = [sum(col, fmpq(0)) / len(ys) for col in zip(*ys)]
        low = sum((sum(((a - b) ** 2 for a, b in zip(y, yb)), fmpq(0)) for y in ys), fmpq(0))
        steps = ", ".join(f"layer {b + 1} sends c_{a + 1} onto c_{b + 1}" for a, b in zip(chain, chain[1:]))
        cert.add_reading("I0-box", REFUTED, f"at mu* = -s|v| in I_0^Q (s = {[str(x) for x in v]}) {steps} for every "
                         f"admissible R_l (c_j - c_l in -C_theta*[f_l]): classes {[i + 1 for i in chain]} end at one "
                         f"point, so every output layer has cost^2 >= sum |y_j - ybar_S|^2 = {low} > 0")
    else:
        bad = r["bad_pairs"]
        cert.add_reading("I0-box", UNDECIDED, "I_0 not certified" if not certified else
                         f"pass condition not certified on the covering box for pairs {bad}" if bad else
                         "no covering box with one det sign")
