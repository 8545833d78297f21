"""Kernel checkers for the shallow paper (arXiv:2309.10370).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the instance (or None for an
instance-free claim) and the certificate's witness.

Independent routes: the pseudo-inverse is (X^T X)^{-1} X^T by the kernel's own Gauss-Jordan inverse; Delta_1,
delta_P^2 and Tr Delta_2 are computed point by point from the deviations (the library uses scatter matrices);
least-squares values are evaluated as residuals of the solved normal equations at every point; networks are run
by a plain ReLU forward pass.
"""
from __future__ import annotations

import math
from fractions import Fraction as F

from .core import (
    Reject,
    cost_sq,
    det,
    dot,
    enclosure,
    eye,
    inverse,
    rref,
    is_psd,
    matmul,
    matvec,
    q,
    qmat,
    qvec,
    relu,
    transpose,
    x0_red,
)

# ------------------------------------------------------------------------------------------------ helpers


def _tr(A):
    return sum((A[i][i] for i in range(len(A))), F(0))


def _add(A, B):
    return [[a + b for a, b in zip(r, s)] for r, s in zip(A, B)]


def _scale(A, c):
    return [[a * c for a in r] for r in A]


def _xred(inst):
    """X_0^red (M×Q): column j is the class mean (core.x0_red)."""
    return x0_red(inst)


def _hyp(inst, names):
    Q, M, Y = inst.Q, inst.M, inst.Y
    Xr = _xred(inst)
    gd = det(matmul(transpose(Xr), Xr))
    ok = {}
    for n in names:
        if n == "Q<=M":
            ok[n] = Q <= M
        elif n == "M=Q":
            ok[n] = M == Q
        elif n == "X0red-rank-Q":
            ok[n] = gd != 0
        elif n == "nonzero-deviation":
            ok[n] = all(any(p != m for p in c) for c, m in zip(inst.classes, inst.means))
        elif n == "Y-invertible":
            ok[n] = len(Y) == Q and det(Y) != 0
        elif n == "Y-injective":
            ok[n] = det(matmul(transpose(Y), Y)) != 0
    return all(ok.values()), {"Q": F(Q), "M": F(M), "det_gram_X0_red": gd}


def _pinv(Xr):
    return matmul(inverse(matmul(transpose(Xr), Xr)), transpose(Xr))


def _delta1(inst, P):
    """Per class, the list of (X_0^red)^+ Delta x_{0,j,i}."""
    return [[matvec(P, [a - b for a, b in zip(p, m)]) for p in c] for c, m in zip(inst.classes, inst.means)]


def _delta2(inst, d1):
    Q = inst.Q
    D2 = [[F(0)] * Q for _ in range(Q)]
    for vs in d1:
        n = len(vs)
        for v in vs:
            for a in range(Q):
                for b in range(Q):
                    D2[a][b] += v[a] * v[b] / n
    return D2


def _weighted_sum(d1, fn):
    return sum((sum((fn(v) for v in vs), F(0)) / len(vs) for vs in d1), F(0))


def _parse_net(w, M, out):
    if not isinstance(w, dict) or set(w) != {"weights", "biases"}:
        raise Reject("bad network in witness")
    Ws, bs = w["weights"], w["biases"]
    if not isinstance(Ws, list) or not isinstance(bs, list) or len(Ws) != 2 or len(bs) != 2:
        raise Reject("the witness network must have exactly one hidden layer")
    return qmat(Ws[0], M, M), qvec(bs[0], M), qmat(Ws[1], out, M), qvec(bs[1], out)


def _fwd(net, x):
    W1, b1, W2, b2 = net
    h = relu([a + c for a, c in zip(matvec(W1, x), b1)])
    return [a + c for a, c in zip(matvec(W2, h), b2)]


def _shift(vals):
    """1 + ceil(max(0, -min vals)): the canonical shift making every value >= 1."""
    return F(math.ceil(max(F(0), -min(vals))) + 1)


def _upper_bound_net(inst, P, w):
    """Parse the witness network and check that it is exactly the rational construction (digest §3.1):
    W_1 = [(X_0^red)^+; K] with K X_0^red = 0 and W_1 invertible, b_1 = (beta u; -beta' u) with the canonical
    shifts, W_2 = [Y, 0], b_2 = -beta Y u.  Returns (net, beta, beta')."""
    Q, M, Y = inst.Q, inst.M, inst.Y
    out = len(Y)
    net = _parse_net(w, M, out)
    W1, b1, W2, b2 = net
    pts = [p for c in inst.classes for p in c]
    if W1[:Q] != P:
        raise Reject("W_1 does not start with the rows of (X_0^red)^+")
    K = W1[Q:]
    if any(dot(k, m) != 0 for k in K for m in inst.means) or det(W1) == 0:
        raise Reject("the noise rows of W_1 are not a basis of span{xbar_j}^perp")
    beta = _shift([v for p in pts for v in matvec(P, p)])
    beta_n = _shift([-v for p in pts for v in matvec(K, p)]) if M > Q else F(0)
    if b1 != [beta] * Q + [-beta_n] * (M - Q):
        raise Reject("b_1 is not (beta u_Q; -beta' u_{M-Q}) with the canonical shifts")
    if W2 != [list(r) + [F(0)] * (M - Q) for r in Y] or b2 != [-beta * sum(r) for r in Y]:
        raise Reject("W_2 / b_2 are not [Y, 0] / -beta Y u_Q")
    return net, beta, beta_n


# ------------------------------------------------------------------------------------------------ claim checkers

def chk_upper(inst, cert):
    names = ["construction", "bound"]
    ok, vals = _hyp(inst, ["Q<=M", "X0red-rank-Q"])
    if not ok:
        return {n: "hypotheses-fail" for n in names}, vals
    Q, Y = inst.Q, inst.Y
    w = cert["witness"]
    P = _pinv(_xred(inst))
    net, beta, beta_n = _upper_bound_net(inst, P, w.get("network"))
    cost = cost_sq(inst, lambda p: _fwd(net, p))
    d1 = _delta1(inst, P)
    dsq = max(dot(v, v) for vs in d1 for v in vs)
    tr = _weighted_sum(d1, lambda v: dot(v, v))
    formula = _weighted_sum(d1, lambda v: dot(matvec(Y, v), matvec(Y, v)))
    lam = q(w.get("Y_gram_lambda_max_upper"))
    YtY = matmul(transpose(Y), Y)
    if lam < 0 or not is_psd(_add(_scale(eye(Q), lam), _scale(YtY, -1))):
        raise Reject("lambda_bar I - Y^T Y is not PSD")
    C = Q * lam
    rd = {"construction": "proved" if cost == formula else "refuted",
          "bound": "proved" if cost <= lam * tr and tr <= Q * dsq and cost <= C * dsq else "refuted"}
    vals.update({"construction_cost_squared": cost, "formula_cost_squared": formula, "delta_P_squared": dsq,
                 "trace_Delta2": tr, "Y_gram_lambda_max_upper": lam, "constant_C": C,
                 "ratio": cost / dsq if dsq else F(0), "beta": beta, "beta_noise": beta_n, "N": F(inst.N)})
    return rd, vals


def _solve_any(G, B):
    """A particular solution X of G X = B (G square, system consistent), free variables 0; Reject if none."""
    n, m = len(G), len(B[0])
    A = [list(G[i]) + list(B[i]) for i in range(n)]
    piv = rref(A, n)
    X = [[F(0)] * m for _ in range(n)]
    for i, c in enumerate(piv):
        X[c] = A[i][n:]
    if matmul(G, X) != [list(row) for row in B]:
        raise Reject("normal equations inconsistent")
    return X


def chk_thm32(inst, cert):
    names = ["zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
             "degenerate"]
    ok, vals = _hyp(inst, ["M=Q", "X0red-rank-Q", "Y-invertible", "nonzero-deviation"])
    if not ok:
        return {n: "hypotheses-fail" for n in names}, vals
    Q, Y = inst.Q, inst.Y
    out = len(Y)
    w = cert["witness"]
    Xr = _xred(inst)
    Xinv = inverse(Xr)
    d1 = _delta1(inst, Xinv)
    D2 = _delta2(inst, d1)
    claimed = _tr(matmul(matmul(matmul(Y, D2), inverse(_add(eye(Q), D2))), transpose(Y)))
    pts = [p for c in inst.classes for p in c]
    # zero-bias least squares: A G = R, G = sum_j (1/N_j) sum_i x x^T, R = sum_j y_j xbar_j^T = Y X_red^T
    G = [[F(0)] * Q for _ in range(Q)]
    for c in inst.classes:
        for p in c:
            for a in range(Q):
                for b in range(Q):
                    G[a][b] += p[a] * p[b] / len(c)
    R = matmul(Y, transpose(Xr))
    Ginv = inverse(G)
    A = matmul(R, Ginv)
    ls_zero = cost_sq(inst, lambda p: matvec(A, p))
    proj = _tr(matmul(Y, transpose(Y))) - _tr(matmul(matmul(R, Ginv), transpose(R)))
    # free-bias least squares on z = (x; 1)
    Gz = [[F(0)] * (Q + 1) for _ in range(Q + 1)]
    Rz = [[F(0)] * (Q + 1) for _ in range(out)]
    for j, c in enumerate(inst.classes):
        y = inst.y(j)
        for p in c:
            z = list(p) + [F(1)]
            for a in range(Q + 1):
                for b in range(Q + 1):
                    Gz[a][b] += z[a] * z[b] / len(c)
                for r in range(out):
                    Rz[r][a] += y[r] * z[a] / len(c)
    Af = transpose(_solve_any(Gz, transpose(Rz)))
    ls_free = cost_sq(inst, lambda p: matvec(Af, list(p) + [F(1)]))
    if qmat(w.get("A_star"), out, Q) != A:
        raise Reject("A_star is not the zero-bias least-squares solution")
    nets = []
    for key in ("network", "second_network"):
        net = _parse_net(w.get(key), Q, out)
        W1, b1, W2, b2 = net
        if det(W1) == 0 or matmul(W2, W1) != A or any(v != 0 for v in [a + c for a, c in zip(matvec(W2, b1), b2)]):
            raise Reject(f"{key}: not W_2 W_1 = A*, W_2 b_1 + b_2 = 0 with W_1 invertible")
        nets.append(net)
    main, second = nets
    if main[0] != eye(Q) or len(set(main[1])) != 1:
        raise Reject("network: W_1 must be I and b_1 = mu u")
    mabs = min(abs(v) for net in nets for p in pts for v in [a + c for a, c in zip(matvec(net[0], p), net[1])])
    cost = cost_sq(inst, lambda p: _fwd(main, p))
    cost2 = cost_sq(inst, lambda p: _fwd(second, p))
    gA = [[a - b for a, b in zip(r1, r2)] for r1, r2 in zip(matmul(A, G), R)]   # (dF/dA)/2 at c = 0
    gA_zero = all(v == 0 for r in gA for v in r)
    g = [F(0)] * out
    for j, m in enumerate(inst.means):
        for r, (a, y) in enumerate(zip(matvec(A, m), inst.y(j))):
            g[r] += 2 * (a - y)
    g2 = dot(g, g)
    rd = {"zero-output-bias": "proved" if claimed == ls_zero == proj == cost else "refuted",
          "free-output-bias": "proved" if ls_free == claimed else ("refuted" if ls_free < claimed else "undecided"),
          "degenerate": "proved" if cost2 == cost and second[0] != main[0] and mabs > 0 else "undecided"}
    vals.update({"claimed_cost_squared": claimed, "ls_zero_bias_cost_squared": ls_zero,
                 "projection_cost_squared": proj, "network_cost_squared": cost, "second_network_cost_squared": cost2,
                 "ls_free_bias_cost_squared": ls_free, "grad_c_norm_squared": g2, "min_abs_preactivation": mabs,
                 "delta_P_squared": max(dot(v, v) for vs in d1 for v in vs)})
    if mabs == 0:
        rd["zero-output-bias/local-min"] = rd["free-output-bias/local-min"] = "undecided"
        return rd, vals
    rd["zero-output-bias/local-min"] = "proved" if gA_zero else "refuted"
    if g2 == 0:
        rd["free-output-bias/local-min"] = "proved" if gA_zero else "refuted"
        return rd, vals
    d = w.get("descent")
    if not isinstance(d, dict) or set(d) != {"t", "b2"}:
        raise Reject("descent witness missing")
    t, b2n = q(d["t"]), qvec(d["b2"], out)
    if not 0 < t < F(1, Q) or b2n != [b - t * gg for b, gg in zip(main[3], g)]:
        raise Reject("descent point is not b_2 - t dF/dc with 0 < t < 1/Q")

    def F_at(s):
        net = (main[0], main[1], main[2], [b - s * gg for b, gg in zip(main[3], g)])
        return cost_sq(inst, lambda p: _fwd(net, p))
    Ft = F_at(t)
    # F(c - s g) is a quadratic polynomial in s (only the output bias moves); agreeing with
    # cost - s|g|^2 + Q s^2 |g|^2 at s = 0, t, 2t proves the identity for every s, so cost drops for 0 < s < 1/Q.
    if Ft != cost - t * g2 + Q * t * t * g2 or F_at(2 * t) != cost - 2 * t * g2 + 4 * Q * t * t * g2 or not Ft < cost:
        raise Reject("descent identity fails")
    rd["free-output-bias/local-min"] = "refuted"
    vals.update({"descent_step": t, "descent_cost_squared": Ft})
    return rd, vals


def chk_relerr(inst, cert):
    names = ["gap-identity", "upper", "lower"]
    ok, vals = _hyp(inst, ["M=Q", "X0red-rank-Q", "Y-invertible", "nonzero-deviation"])
    if not ok:
        return {n: "hypotheses-fail" for n in names}, vals
    Q, Y = inst.Q, inst.Y
    w = cert["witness"]
    d1 = _delta1(inst, inverse(_xred(inst)))
    D2 = _delta2(inst, d1)
    Iinv = inverse(_add(eye(Q), D2))
    Yt = transpose(Y)
    ub = _weighted_sum(d1, lambda v: dot(matvec(Y, v), matvec(Y, v)))
    cs = _tr(matmul(matmul(matmul(Y, D2), Iinv), Yt))
    gapf = _tr(matmul(matmul(matmul(matmul(Y, D2), D2), Iinv), Yt))
    gap = ub - cs
    rho = cs / ub
    tr = _tr(D2)
    dsq = max(dot(v, v) for vs in d1 for v in vs)
    lmax, lmin = q(w.get("lambda_max_upper")), q(w.get("lambda_min_lower"))
    if lmin < 0 or not is_psd(_add(_scale(eye(Q), lmax), _scale(D2, -1))) or \
            not is_psd(_add(D2, _scale(eye(Q), -lmin))):
        raise Reject("eigenvalue bounds of Delta_2 not certified")
    C0 = lmin / (2 * (1 + lmin) * dsq)
    a = 1 - F(Q, 2) * dsq
    b = 1 - C0 * dsq
    rd = {"gap-identity": "proved" if gap == gapf and gap >= 0 else "refuted",
          "upper": "proved" if rho * (1 + lmax) >= 1 and tr <= Q * dsq and (a <= 0 or rho >= a * a) else "refuted",
          "lower": "proved" if rho * (1 + lmin) <= 1 and b >= 0 and rho <= b * b else "refuted"}
    lo, hi = enclosure(cert["enclosures"].get("relative_gap"))
    s_lo, s_hi = 1 - hi, 1 - lo          # need s_lo <= sqrt(rho) <= s_hi
    if not ((s_lo <= 0 or s_lo * s_lo <= rho) and s_hi >= 0 and s_hi * s_hi >= rho):
        raise Reject("relative_gap enclosure does not contain 1 - sqrt(rho)")
    vals.update({"claimed_cost_squared": cs, "construction_cost_squared": ub, "gap_squared": gap,
                 "ratio_squared": rho, "delta_P_squared": dsq, "trace_Delta2": tr, "lambda_max_upper": lmax,
                 "lambda_min_lower": lmin, "C0": C0, "upper_constant": F(Q, 2)})
    return rd, vals


def chk_thm33(inst, cert):
    names = ["identity", "nearest-mean", "metric-on-span", "pseudometric-on-RM"]
    ok, vals = _hyp(inst, ["Q<=M", "X0red-rank-Q", "Y-injective"])
    if not ok:
        return {n: "hypotheses-fail" for n in names}, vals
    Q, M, Y = inst.Q, inst.M, inst.Y
    Xr = _xred(inst)
    P = _pinv(Xr)
    net, _, _ = _upper_bound_net(inst, P, cert["witness"].get("network"))
    W1, b1, W2, b2 = net
    W1inv = inverse(W1)
    YP = matmul(Y, P)
    ident = W2 == matmul(YP, W1inv) and b2 == [-v for v in matvec(W2, b1)]
    pinv_ok = matmul(P, Xr) == eye(Q)
    agree = correct = 0
    for j, c in enumerate(inst.classes):
        for p in c:
            o = _fwd(net, p)
            h = relu([a + b for a, b in zip(matvec(W1, p), b1)])
            t = matvec(W1inv, [a - b for a, b in zip(h, b1)])
            z = matvec(YP, t)
            d_out = [sum((a - b) ** 2 for a, b in zip(o, inst.y(k))) for k in range(Q)]
            d_met = [sum((a - b) ** 2 for a, b in zip(z, inst.y(k))) for k in range(Q)]
            s_out = {k for k in range(Q) if d_out[k] == min(d_out)}
            s_met = {k for k in range(Q) if d_met[k] == min(d_met)}
            agree += s_out == s_met
            correct += s_met == {j}
    dY = det(matmul(transpose(Y), Y))
    K = W1[Q:]
    nulls = all(v == 0 for r in (matmul(P, transpose(K)) if K else []) for v in r)
    rd = {"identity": "proved" if ident else "refuted",
          "nearest-mean": "proved" if ident and pinv_ok and agree == inst.N else "refuted",
          "metric-on-span": "proved" if dY > 0 else "refuted",
          "pseudometric-on-RM": "proved" if nulls else "refuted"}
    vals.update({"points_checked": F(inst.N), "agree_points": F(agree), "train_correct": F(correct),
                 "null_dim": F(M - Q), "det_YtY": dY})
    return rd, vals


CHECKERS: dict = {
    "shallow.upper-bound": chk_upper,
    "shallow.thm3.2": chk_thm32,
    "shallow.relative-error": chk_relerr,
    "shallow.thm3.3": chk_thm33,
}
ENCLOSURES: dict = {"shallow.relative-error": {"relative_gap"}}
INSTANCE_FREE: set = set()
