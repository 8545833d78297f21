"""Claims of the shallow paper, arXiv:2309.10370 (ids ``shallow.*`` in ../shared/CLAIMS.md).

The body of the paper is unread (../shared/papers/shallow_paper.md §0): the formulas are those of the digest,
reconstructed from the companion deep paper; the explicit constants (C of the upper bound, Q/2 and C_0 of the
relative error) are ours.  Cost: the weighted ‖·‖_{L²_𝒩} of the paper, reported squared:
cost_squared = Σ_j (1/N_j) Σ_i |x^{(2)}_{j,i} − y_j|².  The kernel (:mod:`exactmin.certify.kernel.shallow`)
re-derives every verdict and value from the instance and the witness.
"""
from __future__ import annotations

import random

import numpy as np

from flint import fmpq, fmpq_mat

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, UNDECIDED
from ..data import stats
from ..exact.enclosure import sqrt_enclosure
from ..exact.intmat import affine
from ..exact.linalg import identity, trace
from ..nets import localmin, pattern
from ..nets import shallow as sh
from ..nets.cost import class_slices, last_layer_lsq
from ..nets.network import Network
from .base import claim
from .common import data_matrix, mat_json, net_json, new_certificate, vec_json

PAPER = "shallow"


# ---------------------------------------------------------------------------------------------------------
# hypotheses
# ---------------------------------------------------------------------------------------------------------

def hypotheses(inst, sd: sh.ShallowData, names) -> dict[str, tuple[bool, str]]:
    Q, M, Y = inst.Q, inst.M, inst.Y
    out = {}
    for n in names:
        if n == "Q<=M":
            out[n] = (Q <= M, f"Q = {Q}, M = {M}")
        elif n == "M=Q":
            out[n] = (M == Q, f"input dimension M = {M}, Q = {Q}")
        elif n == "X0red-rank-Q":
            out[n] = (sd.gram_det != 0, f"det((X_0^red)^T X_0^red) = {sd.gram_det}")
        elif n == "nonzero-deviation":
            z = stats.zero_deviation_classes(inst)
            out[n] = (not z, "every class has nonzero deviation" if not z
                      else f"Delta X_0,j = 0 for class(es) {', '.join(str(j + 1) for j in z)}")
        elif n == "Y-invertible":
            ok = Y.nrows() == Y.ncols() and Y.det() != 0
            out[n] = (ok, "det Y != 0" if ok else "Y is not square and invertible")
        elif n == "Y-injective":
            d = (Y.transpose() * Y).det()
            out[n] = (d != 0, f"det(Y^T Y) = {d}")
    return out


def _fail(h) -> str | None:
    bad = [f"{k}: {why}" for k, (ok, why) in h.items() if not ok]
    return "; ".join(bad) if bad else None


def _start(cid, inst, names, readings):
    """Certificate, shallow data and the hypotheses-fail reason (None if all hold)."""
    cert = new_certificate(cid, inst)
    sd = sh.shallow_data(inst)
    h = hypotheses(inst, sd, names)
    cert.set_value("Q", inst.Q), cert.set_value("M", inst.M)
    cert.set_value("det_gram_X0_red", sd.gram_det)
    why = _fail(h)
    if why is not None:
        for r in readings:
            cert.add_reading(r, HYPOTHESES_FAIL, why)
    return cert, sd, why


def trivial_cost_squared(Y: fmpq_mat) -> fmpq:
    """The weighted cost (2.36) of the best constant network f ≡ b: Σ_j |y_j − ȳ|², ȳ = (1/Q) Σ_j y_j (each class
    weighs 1 in (2.36)).  A bound at or above it says nothing a constant network does not already achieve."""
    Q = Y.ncols()
    total = fmpq(0)
    for r in range(Y.nrows()):
        row = [Y[r, j] for j in range(Q)]
        m = sum(row, fmpq(0)) / Q
        total += sum(((v - m) ** 2 for v in row), fmpq(0))
    return total


def _shallow_net_json(net: Network) -> dict:
    return net_json(net)


# ---------------------------------------------------------------------------------------------------------
# upper bound
# ---------------------------------------------------------------------------------------------------------

UB_READINGS = ("construction", "bound")


@claim(id="shallow.upper-bound", paper=PAPER, ref="upper bound O(delta_P) of the abstract (text unavailable; reconstruction in docs/claims/shallow.md)",
       title="Constructed width-M network with cost ||Y (X_0^red)^+ Delta X_0||_{L2_N} = O(delta_P)",
       statement=r"Q\le M:\ C_{\mathcal N}[W^*,b^*]^2=\|Y(X_0^{red})^+\Delta X_0\|^2_{L^2_{\mathcal N}}"
                 r"\le\bar\lambda\,\mathrm{Tr}\,\Delta_2\le Q\bar\lambda\,\delta_P^2,\ \bar\lambda\ge\|Y\|_{op}^2",
       hypotheses=("Q <= M", "rank X_0^red = Q"),
       readings=(("construction", ("the constructed one-hidden-layer network of width M (exact forward pass) has "
                                  "squared cost Tr(Y Delta_2 Y^T) = ||Y (X_0^red)^+ Delta X_0||^2_{L2_N}")),
                 ("bound", ("cost^2 <= lambda_bar Tr Delta_2 <= C delta_P^2 with C = Q lambda_bar, lambda_bar >= "
                           "||Y||_op^2 certified by lambda_bar I - Y^T Y PSD (the constant is ours)"))),
       values=(("construction_cost_squared", "squared weighted cost of the constructed network (exact forward pass)"),
               ("formula_cost_squared", "Tr(Y Delta_2 Y^T) = ||Y (X_0^red)^+ Delta X_0||^2_{L2_N}"),
               ("delta_P_squared", "delta_P^2 = max_{j,i} |(X_0^red)^+ Delta x_{0,j,i}|^2"),
               ("trace_Delta2", "Tr Delta_2 = ||(X_0^red)^+ Delta X_0||^2_{L2_N}"),
               ("Y_gram_lambda_max_upper", "rational lambda_bar >= lambda_max(Y^T Y) = ||Y||_op^2 (PSD certificate)"),
               ("constant_C", "C = Q lambda_bar: cost^2 <= C delta_P^2 (our constant)"),
               ("ratio", "cost^2 / delta_P^2 (0 if delta_P = 0): the sharp constant on this instance"),
               ("beta", "signal shift: every signal pre-activation (X_0^red)^+ x + beta is >= 1 on the data"),
               ("beta_noise", "noise shift: every noise pre-activation K x - beta_noise is <= -1 (0 if M = Q)"),
               ("N", "number of points"), ("Q", "number of classes"), ("M", "input dimension = hidden width"),
               ("det_gram_X0_red", "det((X_0^red)^T X_0^red): rank X_0^red = Q iff nonzero")))
def check_upper_bound(inst, **_):
    cert, sd, why = _start("shallow.upper-bound", inst, ("Q<=M", "X0red-rank-Q"), UB_READINGS)
    if why is not None:
        return cert
    Q, Y = inst.Q, inst.Y
    ub = sh.upper_bound_network(inst, sd)
    cost = sh.network_cost(inst, ub.net)
    formula = sh.construction_formula(Y, sd.Delta2)
    tr = trace(sd.Delta2)
    lam = sh.lambda_max_upper(Y.transpose() * Y)
    C = Q * lam
    dsq = sd.delta_P_sq
    if cost == formula:
        cert.add_reading("construction", PROVED, f"exact forward pass of the width-{inst.M} network: cost^2 = "
                         f"Tr(Y Delta_2 Y^T) = {cost}")
    else:
        cert.add_reading("construction", REFUTED, f"forward pass gives {cost}, formula {formula}")
    ok = cost <= lam * tr and tr <= Q * dsq and cost <= C * dsq
    cert.add_reading("bound", PROVED if ok else REFUTED,
                     f"cost^2 = {cost} <= lambda_bar Tr Delta_2 = {lam * tr} <= C delta_P^2 = {C * dsq}" if ok
                     else f"cost^2 = {cost}, lambda_bar Tr Delta_2 = {lam * tr}, C delta_P^2 = {C * dsq}")
    cert.set_value("construction_cost_squared", cost)
    cert.set_value("formula_cost_squared", formula)
    cert.set_value("delta_P_squared", dsq)
    cert.set_value("trace_Delta2", tr)
    cert.set_value("Y_gram_lambda_max_upper", lam)
    cert.set_value("constant_C", C)
    cert.set_value("ratio", cost / dsq if dsq != 0 else fmpq(0))
    cert.set_value("beta", ub.beta), cert.set_value("beta_noise", ub.beta_noise)
    cert.set_value("N", inst.N)
    cert.witness = {"network": _shallow_net_json(ub.net), "Y_gram_lambda_max_upper": str(lam)}
    triv = trivial_cost_squared(Y)
    if ok and C * dsq >= triv:
        cert.note_vacuous("bound", f"the bound C delta_P^2 = {C * dsq} is >= {triv}, the cost^2 of the best "
                                   f"constant network: true but vacuous on this instance")
    if cost >= triv:
        cert.note_vacuous("construction", f"the construction's cost^2 = {cost} is >= {triv}, the cost^2 of the "
                                          f"best constant network")
    return cert


# ---------------------------------------------------------------------------------------------------------
# Theorem 3.2 (M = Q)
# ---------------------------------------------------------------------------------------------------------

T32_READINGS = ("zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
                "degenerate")


def _second_network(inst, A: fmpq_mat, seed: int) -> Network:
    """W_1 a random integer matrix in GL(Q), b_1 with every pre-activation >= 1, W_2 = A W_1^{-1}, b_2 = -W_2 b_1."""
    rng = random.Random(seed)
    Q = inst.Q
    while True:
        W1 = fmpq_mat(Q, Q, [rng.randint(-3, 3) for _ in range(Q * Q)])
        for i in range(Q):
            W1[i, i] += 4
        if W1.det() != 0:
            break
    X = data_matrix(inst)
    b1 = fmpq_mat(Q, 1)
    if pattern.ENABLED:                  # exact row minima by the certified float filter
        lows = pattern.row_extremes(X, W1, fmpq_mat(Q, 1))[0]
        for k in range(Q):
            b1[k, 0] = fmpq(int((-lows[k]).ceil()) + 1 if lows[k] < 0 else 1)
    else:                                # reference: the exact product on every point
        Z = affine(W1, None, X)
        for k in range(Q):
            lo = min(int(v) for v in Z.num[k])
            b1[k, 0] = fmpq(-(-max(0, -lo) // Z.den) + 1)
    W2 = A * W1.inv()
    return Network((W1, W2), (b1, -(W2 * b1)))


@claim(id="shallow.thm3.2", paper=PAPER, ref="Theorem 3.2 (via arXiv:2309.10639 (2.71), (5.12)-(5.15))",
       title="M = Q: exact degenerate local minimum and its value",
       statement=r"M=Q:\ \min_{W_2,\,b_2=-W_2b_1}C_{\mathcal N}^2=\|Y^{ext}P_{\mathcal N}^\perp\|^2_{L^2_{\mathcal N}}"
                 r"=\mathrm{Tr}\big(Y\Delta_2(1+\Delta_2)^{-1}Y^T\big),\ \text{a degenerate local minimum}",
       hypotheses=("M = Q", "X_0^red invertible", "Y invertible", "Delta X_0,j != 0"),
       readings=(("zero-output-bias", ("the value is the minimum over the output layer with cumulative output bias "
                                      "W_2 b_1 + b_2 = 0: least-squares residual = ||Y^ext P_N^perp||^2 = "
                                      "Tr(Y Delta_2 (1+Delta_2)^-1 Y^T) = cost of the witness network, exactly")),
                 ("free-output-bias", ("the value is the minimum over W_2 and a free b_2 (refuted when the exact "
                                      "free-bias least-squares minimum is smaller)")),
                 ("zero-output-bias/local-min", ("the witness is a local minimum of the cost among parameters with "
                                                "W_2 b_1 + b_2 = 0: pattern constant (all pre-activations > 0) and "
                                                "normal equations dF/dA = 0")),
                 ("free-output-bias/local-min", ("the witness is a local minimum over all parameters: refuted by an "
                                                "exact descent point if dF/dc != 0, proved if dF/dc = 0")),
                 ("degenerate", ("a second network with a different W_1 in GL(Q) (all pre-activations > 0, "
                                "W_2 = A* W_1^-1) has the same cost: the minimisers form an open set of (W_1, b_1)"))),
       values=(("claimed_cost_squared", "Tr(Y Delta_2 (1+Delta_2)^-1 Y^T), the paper's value squared"),
               ("ls_zero_bias_cost_squared", "exact least-squares minimum over W_2 with zero cumulative output bias"),
               ("projection_cost_squared", "||Y^ext P_N^perp||^2_{L2_N}"),
               ("network_cost_squared", "exact forward-pass cost of the witness network (W_1 = I, b_1 = mu u)"),
               ("second_network_cost_squared", "exact forward-pass cost of the second network"),
               ("ls_free_bias_cost_squared", "exact least-squares minimum over (W_2, b_2) free"),
               ("grad_c_norm_squared", "|dF/dc|^2 at the witness, c = W_2 b_1 + b_2 = 0"),
               ("min_abs_preactivation", ("min |pre-activation| of the witness network on the data (> 0: pattern "
                                         "constant near it)")),
               ("descent_step", "t of the descent point c = -t dF/dc (only if dF/dc != 0)"),
               ("descent_cost_squared", "cost at the descent point = claimed - t|g|^2 + Q t^2 |g|^2 (only if dF/dc != 0)"),
               ("delta_P_squared", "delta_P^2 = max |(X_0^red)^-1 Delta x|^2"),
               ("Q", "number of classes"), ("M", "input dimension"),
               ("det_gram_X0_red", "det((X_0^red)^T X_0^red)")),
       options=(("seed", 0, "seed of the second network's W_1"),))
def check_thm32(inst, seed=0, **_):
    cert, sd, why = _start("shallow.thm3.2", inst, ("M=Q", "X0red-rank-Q", "Y-invertible", "nonzero-deviation"),
                           T32_READINGS)
    if why is not None:
        return cert
    Q, Y = inst.Q, inst.Y
    X = data_matrix(inst)
    claimed = sh.claimed_value(Y, sd.Delta2)
    lsz = last_layer_lsq(X, Y, inst.sizes, free_bias=False)
    lsf = last_layer_lsq(X, Y, inst.sizes, free_bias=True)
    proj = sh.projector_value(Y, sd.Xred, sd.G)
    A = sh.A_star(Y, sd.Delta2, sd.Xred)
    mu = sh._shift_above(X)
    W1 = identity(Q)
    b1 = fmpq_mat(Q, 1, [mu] * Q)
    main = Network((W1, A), (b1, -(A * b1)))
    second = _second_network(inst, A, int(seed))
    cost = sh.network_cost(inst, main)
    cost2 = sh.network_cost(inst, second)
    p1, p2 = pattern.constant_pattern(main, X), pattern.constant_pattern(second, X)
    if p1 is not None and p2 is not None:
        mabs = min(p1.min_abs(), p2.min_abs())
    else:                                                  # reference path: every pre-activation exactly
        pre = affine(W1, b1, X)
        mabs = min(localmin.min_abs_preactivation(pre),
                   localmin.min_abs_preactivation(affine(second.weights[0], second.biases[0], X)))
    zero = fmpq_mat(Y.nrows(), 1)
    gA = localmin.grad_A(X, Y, inst.sizes, A, zero)
    g = localmin.grad_c(X, Y, inst.sizes, A, zero)
    g2 = sum((g[k, 0] ** 2 for k in range(g.nrows())), fmpq(0))
    agree = claimed == lsz.value == proj == cost and lsz.A == A
    cert.add_reading("zero-output-bias", PROVED if agree else REFUTED,
                     f"least squares = projection form = Tr(Y D2 (1+D2)^-1 Y^T) = network cost = {claimed}" if agree
                     else f"claimed {claimed}, least squares {lsz.value}, projection {proj}, network {cost}")
    if lsf.value == claimed:
        cert.add_reading("free-output-bias", PROVED, f"the free-bias least-squares minimum equals the value {claimed}")
    else:
        cert.add_reading("free-output-bias", REFUTED if lsf.value < claimed else UNDECIDED,
                         f"with b_2 free the exact least-squares minimum is {lsf.value} < {claimed}")
    zero_grad_A = all(gA[i, j] == 0 for i in range(gA.nrows()) for j in range(gA.ncols()))
    if mabs == 0:
        for r in ("zero-output-bias/local-min", "free-output-bias/local-min"):
            cert.add_reading(r, UNDECIDED, "a pre-activation vanishes on the data: pattern not certified constant")
    else:
        cert.add_reading("zero-output-bias/local-min", PROVED if zero_grad_A else REFUTED,
                         f"all pre-activations >= {mabs} > 0, so near the witness the output is A x + c; with c = 0 "
                         "the cost is >= min_A F(A, 0), attained (normal equations exact)" if zero_grad_A
                         else "normal equations fail: dF/dA != 0")
        if g2 == 0:
            cert.add_reading("free-output-bias/local-min", PROVED if zero_grad_A else REFUTED,
                             "dF/dA = 0 and dF/dc = 0: (A*, 0) minimises the convex F(A, c)")
        else:
            bd = localmin.bias_descent(X, Y, inst.sizes, A, zero)
            b2new = main.biases[1] + bd.c_new
            desc = Network(main.weights, (b1, b2new))
            dcost = sh.network_cost(inst, desc)
            cert.add_reading("free-output-bias/local-min", REFUTED,
                             f"dF/dc = {[str(g[k, 0]) for k in range(g.nrows())]} != 0: moving b_2 by -t dF/dc "
                             f"(t = {bd.t}) lowers the cost to {dcost} < {claimed}; F(c - s g) = F - s|g|^2 + Q s^2|g|^2 "
                             f"< F for 0 < s < 1/Q, so not a local minimum when b_2 is free")
            cert.set_value("descent_step", bd.t)
            cert.set_value("descent_cost_squared", dcost)
            cert.witness["descent"] = {"t": str(bd.t), "b2": vec_json(b2new[k, 0] for k in range(b2new.nrows()))}
    deg = cost2 == cost and second.weights[0] != W1 and mabs > 0
    cert.add_reading("degenerate", PROVED if deg else UNDECIDED,
                     "second W_1 in GL(Q) with all pre-activations > 0 gives the same cost; on the open set of such "
                     "(W_1, b_1) the network is x -> A* x on the data" if deg else f"second network cost {cost2}")
    cert.set_value("claimed_cost_squared", claimed)
    cert.set_value("ls_zero_bias_cost_squared", lsz.value)
    cert.set_value("projection_cost_squared", proj)
    cert.set_value("network_cost_squared", cost)
    cert.set_value("second_network_cost_squared", cost2)
    cert.set_value("ls_free_bias_cost_squared", lsf.value)
    cert.set_value("grad_c_norm_squared", g2)
    cert.set_value("min_abs_preactivation", mabs)
    cert.set_value("delta_P_squared", sd.delta_P_sq)
    cert.witness["network"] = net_json(main)
    cert.witness["second_network"] = net_json(second)
    cert.witness["A_star"] = mat_json(A)
    cert.parameters = {"seed": int(seed)}
    return cert


# ---------------------------------------------------------------------------------------------------------
# relative error
# ---------------------------------------------------------------------------------------------------------

RE_READINGS = ("gap-identity", "upper", "lower")


@claim(id="shallow.relative-error", paper=PAPER, ref="relative error O(delta_P^2) (arXiv:2309.10639 (2.54)/(4.3))",
       title="M = Q: the minimum differs from the upper bound by a relative error O(delta_P^2)",
       statement=r"C_0\delta_P^2\le r:=\frac{C_{ub}-C^*}{C_{ub}}\le\tfrac{Q}{2}\delta_P^2,\quad "
                 r"C_0=\frac{\ell}{2(1+\ell)\delta_P^2},\ \ell\le\lambda_{min}(\Delta_2)",
       hypotheses=("M = Q", "X_0^red invertible", "Y invertible", "Delta X_0,j != 0"),
       readings=(("gap-identity", "C_ub^2 - C*^2 = Tr(Y Delta_2^2 (1+Delta_2)^-1 Y^T) >= 0"),
                 ("upper", ("r <= 1 - (1+lambda_bar)^(-1/2) <= (Q/2) delta_P^2 with lambda_bar >= lambda_max(Delta_2) "
                           "certified; checked as rho >= (1 - Q delta_P^2/2)^2, rho = C*^2/C_ub^2 (constant Q/2 is ours)")),
                 ("lower", ("the paper's C* <= (1 - C_0 delta_P^2) C_ub with our C_0 = l/(2(1+l) delta_P^2), "
                           "l <= lambda_min(Delta_2) certified (C_0 = 0, trivial, when Delta_2 is singular)"))),
       values=(("claimed_cost_squared", "C*^2 = Tr(Y Delta_2 (1+Delta_2)^-1 Y^T)"),
               ("construction_cost_squared", "C_ub^2 = Tr(Y Delta_2 Y^T), the upper-bound construction at M = Q"),
               ("gap_squared", "C_ub^2 - C*^2"),
               ("ratio_squared", "rho = C*^2 / C_ub^2 (r = 1 - sqrt(rho))"),
               ("delta_P_squared", "delta_P^2"), ("trace_Delta2", "Tr Delta_2 (>= lambda_max, <= Q delta_P^2)"),
               ("lambda_max_upper", "rational >= lambda_max(Delta_2) (lambda_bar I - Delta_2 PSD)"),
               ("lambda_min_lower", "rational l >= 0 with Delta_2 - l I PSD"),
               ("C0", "our C_0 = l / (2 (1 + l) delta_P^2)"),
               ("upper_constant", "Q/2: r <= (Q/2) delta_P^2"),
               ("relative_gap", "enclosure of r = 1 - sqrt(rho)"),
               ("Q", "number of classes"), ("M", "input dimension"),
               ("det_gram_X0_red", "det((X_0^red)^T X_0^red)")))
def check_relative_error(inst, **_):
    cert, sd, why = _start("shallow.relative-error", inst,
                           ("M=Q", "X0red-rank-Q", "Y-invertible", "nonzero-deviation"), RE_READINGS)
    if why is not None:
        return cert
    Q, Y, D2 = inst.Q, inst.Y, sd.Delta2
    ub = sh.construction_formula(Y, D2)
    cs = sh.claimed_value(Y, D2)
    gap = ub - cs
    gapf = sh.gap_formula(Y, D2)
    rho = cs / ub
    tr, dsq = trace(D2), sd.delta_P_sq
    lmax = sh.lambda_max_upper(D2)
    lmin = sh.lambda_min_lower(D2)
    C0 = lmin / (2 * (1 + lmin) * dsq)
    ok_gap = gap == gapf and gap >= 0
    cert.add_reading("gap-identity", PROVED if ok_gap else REFUTED,
                     f"C_ub^2 - C*^2 = Tr(Y D2^2 (1+D2)^-1 Y^T) = {gap} >= 0" if ok_gap
                     else f"gap {gap} vs formula {gapf}")
    a = 1 - fmpq(Q, 2) * dsq
    ok_up = rho * (1 + lmax) >= 1 and tr <= Q * dsq and (a <= 0 or rho >= a * a)
    cert.add_reading("upper", PROVED if ok_up else REFUTED,
                     f"rho (1 + lambda_bar) >= 1 (lambda_bar = {lmax} >= lambda_max(D2)), Tr D2 <= Q delta_P^2 and "
                     f"rho = {rho} >= (1 - Q delta_P^2/2)^2"
                     if ok_up else f"rho = {rho}, lambda_bar = {lmax}, Tr D2 = {tr}, Q delta_P^2 = {Q * dsq}")
    b = 1 - C0 * dsq
    ok_lo = rho * (1 + lmin) <= 1 and b >= 0 and rho <= b * b
    cert.add_reading("lower", PROVED if ok_lo else REFUTED,
                     (f"C* <= (1 - C_0 delta_P^2) C_ub with C_0 = {C0}" if lmin > 0 else
                      "Delta_2 is singular: only C_0 = 0 (the trivial bound C* <= C_ub) is certified")
                     if ok_lo else f"rho = {rho}, (1 - C_0 delta_P^2)^2 = {b * b}")
    if ok_lo and lmin == 0:
        cert.note_vacuous("lower", "l_min = 0 gives C_0 = 0: the certified statement is C* <= C_ub, which holds "
                                   "for every instance (no gap is shown)")
    enc = sqrt_enclosure(rho, 64)
    cert.set_value("claimed_cost_squared", cs)
    cert.set_value("construction_cost_squared", ub)
    cert.set_value("gap_squared", gap)
    cert.set_value("ratio_squared", rho)
    cert.set_value("delta_P_squared", dsq)
    cert.set_value("trace_Delta2", tr)
    cert.set_value("lambda_max_upper", lmax)
    cert.set_value("lambda_min_lower", lmin)
    cert.set_value("C0", C0)
    cert.set_value("upper_constant", fmpq(Q, 2))
    cert.set_enclosure("relative_gap", 1 - enc.hi, 1 - enc.lo)
    cert.witness = {"lambda_max_upper": str(lmax), "lambda_min_lower": str(lmin)}
    return cert


# ---------------------------------------------------------------------------------------------------------
# Theorem 3.3
# ---------------------------------------------------------------------------------------------------------

T33_READINGS = ("identity", "nearest-mean", "metric-on-span", "pseudometric-on-RM")


@claim(id="shallow.thm3.3", paper=PAPER, ref="Theorem 3.3, as cited by arXiv:2309.10639 (reconstruction in docs/claims/shallow.md)",
       title="The constructed network classifies by nearest class mean in its induced metric",
       statement=r"x^{(2)}(x)=Y(X_0^{red})^+\tau_{W_1,b_1}(x),\ \arg\min_j|x^{(2)}(x)-y_j|=\arg\min_j "
                 r"d(\tau_{W_1,b_1}(x),\bar x_{0,j}),\ d(x,x')=|Y(X_0^{red})^+(x-x')|",
       hypotheses=("Q <= M", "rank X_0^red = Q", "rank Y = Q"),
       readings=(("identity", ("W_2 = Y (X_0^red)^+ W_1^-1 and b_2 = -W_2 b_1 exactly, hence "
                              "x^(2)(x) = Y (X_0^red)^+ tau(x) for every x in R^M")),
                 ("nearest-mean", ("(X_0^red)^+ X_0^red = I, hence |x^(2)(x) - y_j| = d(tau(x), xbar_j) for every x; "
                                  "re-checked exactly on every data point")),
                 ("metric-on-span", ("d(X_0^red a, X_0^red b) = |Y(a - b)| and Y^T Y is positive definite: d is a "
                                    "metric on span{xbar_j}")),
                 ("pseudometric-on-RM", ("d vanishes exactly along span{xbar_j}^perp (dimension M - Q, K rows "
                                        "of W_1): only a pseudometric on R^M when M > Q, a metric when M = Q"))),
       values=(("points_checked", "data points on which both sides were compared exactly"),
               ("agree_points", "points where argmin_j |x^(2) - y_j| and argmin_j d(tau(x), xbar_j) coincide"),
               ("train_correct", "points whose unique nearest class mean (in d) is their own class"),
               ("null_dim", "M - Q: dimension of the null directions of d"),
               ("det_YtY", "det(Y^T Y) > 0"),
               ("Q", "number of classes"), ("M", "input dimension"),
               ("det_gram_X0_red", "det((X_0^red)^T X_0^red)")))
def check_thm33(inst, **_):
    cert, sd, why = _start("shallow.thm3.3", inst, ("Q<=M", "X0red-rank-Q", "Y-injective"), T33_READINGS)
    if why is not None:
        return cert
    Q, M, Y, P = inst.Q, inst.M, inst.Y, sd.pinv
    ub = sh.upper_bound_network(inst, sd)
    W1, W2 = ub.net.weights
    b1, b2 = ub.net.biases
    ident = W2 == Y * P * W1.inv() and b2 == -(W2 * b1)
    cert.add_reading("identity", PROVED if ident else REFUTED,
                     "W_2 = Y (X_0^red)^+ W_1^-1, b_2 = -W_2 b_1 exactly" if ident else "identity fails")
    X = data_matrix(inst)
    fast = _compare_argmins_pattern(inst, ub.net, Y * P, X)
    if fast is not None:
        agree, correct = fast
    else:                                           # reference path: every point exactly
        out = ub.net.forward(X)
        H = affine(W1, b1, X).relu()
        T = affine(W1.inv(), -(W1.inv() * b1), H)      # tau(x) = W_1^-1 (sigma(W_1 x + b_1) - b_1)
        Z = affine(Y * P, None, T)                      # Y (X_0^red)^+ tau(x)
        agree, correct = _compare_argmins(inst, out, Z)
    pinv_ok = P * sd.Xred == identity(Q)
    nm = ident and pinv_ok and agree == inst.N
    cert.add_reading("nearest-mean", PROVED if nm else REFUTED,
                     f"|x^(2)(x) - y_j|^2 = d(tau(x), xbar_j)^2 for all x; equal on all {inst.N} data points; "
                     f"{correct}/{inst.N} training points have their own class as unique nearest mean" if nm
                     else f"agreement on {agree}/{inst.N} points")
    dY = (Y.transpose() * Y).det()
    cert.add_reading("metric-on-span", PROVED if dY > 0 else REFUTED,
                     f"Y^T Y positive definite (det = {dY})")
    K = ub.K
    nulls = K.nrows() == 0 or all(v == 0 for v in (P * K.transpose()).entries())
    cert.add_reading("pseudometric-on-RM", PROVED if nulls else REFUTED,
                     (f"d(x, x + v) = 0 for v in span{{xbar_j}}^perp (dim {M - Q}), e.g. v = "
                      f"{[str(K[0, c]) for c in range(M)]}: only a pseudometric on R^M" if M > Q
                      else "M = Q: span{xbar_j} = R^M, d is a metric on R^M") if nulls else "null directions wrong")
    cert.set_value("points_checked", inst.N)
    cert.set_value("agree_points", agree)
    cert.set_value("train_correct", correct)
    cert.set_value("null_dim", M - Q)
    cert.set_value("det_YtY", dY)
    cert.witness = {"network": net_json(ub.net)}
    return cert


def _compare_argmins_pattern(inst, net, YP: fmpq_mat, X):
    """:func:`_compare_argmins` when the hidden pattern of ``net`` is constant on the data (else None).

    Then on every data point the output is A_out x + c_out and Z = Y P τ(x) = G x + g with
    G = Y P W_1^-1 D W_1, g = Y P W_1^-1 (D b_1 − b_1) (D the 0/1 pattern), both affine.  If the two maps are
    equal the argmin sets agree on every point.  A point of class j has the unique nearest label y_j iff for
    every k ≠ j:  |Zx − y_k|² − |Zx − y_j|² = 2 (y_j − y_k)^T (G x + g) + |y_k|² − |y_j|² > 0, an affine map of
    x whose signs the certified float filter decides (exact fallback per entry, :func:`certsign.signs`)."""
    from ..exact.certsign import ExactAffine, signs
    p = pattern.constant_pattern(net, X)
    if p is None or len(net.weights) != 2:
        return None
    W1, b1 = net.weights[0], net.biases[0]
    m = W1.nrows()
    D = fmpq_mat(m, m)
    for r, on in enumerate(p.active[0]):
        if on:
            D[r, r] = 1
    Wi = W1.inv()
    G = YP * Wi * D * W1
    g = YP * Wi * (D * b1 - b1)
    if not (G == p.A_out and g == p.c_out):
        return None
    Y = inst.Y
    Q, out_dim = inst.Q, Y.nrows()
    ysq = [sum((Y[r, j] ** 2 for r in range(out_dim)), fmpq(0)) for j in range(Q)]
    correct = 0
    for j, sl in enumerate(class_slices(inst.sizes)):
        others = [k for k in range(Q) if k != j]
        n = sl.stop - sl.start
        if not others:
            correct += n
            continue
        dy = fmpq_mat(len(others), out_dim, [2 * (Y[r, j] - Y[r, k]) for k in others for r in range(out_dim)])
        A = dy * G
        c = dy * g + fmpq_mat(len(others), 1, [ysq[k] - ysq[j] for k in others])
        sg = signs(ExactAffine(A, c), stats.numerators(X)[:, sl], X.den)       # limbs where the data has them
        correct += int(np.count_nonzero((sg > 0).all(axis=0)))
    return inst.N, correct


def _compare_argmins(inst, out, Z) -> tuple[int, int]:
    """Points where the argmin sets of |out - y_j|^2 and |Z - y_j|^2 coincide, and points whose unique argmin is
    their own class (integer arithmetic on numerators)."""
    import numpy as np

    from exactmin.exact.intmat import fmpq_mat_to_int
    Yn, dy = fmpq_mat_to_int(inst.Y)
    res = []
    for A in (out, Z):
        num = A.num.astype(object) * dy
        d = np.stack([((num - Yn[:, j:j + 1] * A.den) ** 2).sum(axis=0) for j in range(inst.Q)])  # Q × N
        res.append(d)
    agree = correct = 0
    labels = [j for j, n in enumerate(inst.sizes) for _ in range(n)]
    for col, j in enumerate(labels):
        s1 = [res[0][k, col] for k in range(inst.Q)]
        s2 = [res[1][k, col] for k in range(inst.Q)]
        a1 = {k for k in range(inst.Q) if s1[k] == min(s1)}
        a2 = {k for k in range(inst.Q) if s2[k] == min(s2)}
        agree += a1 == a2
        correct += a2 == {j}
    return agree, correct
