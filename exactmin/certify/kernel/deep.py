"""Kernel checkers for the deep paper (arXiv:2309.10639): hypotheses, Prop. 2.2, (2.66), Lemmas 4.1/5.1, Thm 2.3.

Standard library plus the kernel core only.  Each checker returns (readings: {name: verdict},
values: {name: Fraction}) re-derived from the instance and the certificate's witness, and re-checks
enclosures itself.
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import (Reject, _check_root_enclosure, cost_sq, cumulative, det, dot, enclosure, eye, forward,
                   inverse, is_psd, matmul, matvec, parse_net, points, q, qmat, qvec, sign_root_sum, tau,
                   transpose)

# ------------------------------------------------------------------------------------------------ helpers

def deltas_sq(inst):
    """Per class the max |Δx_{0,j,i}|^2 (0 exactly when the class has no deviation, (2.12))."""
    out = []
    for c, m in zip(inst.classes, inst.means):
        out.append(max(sum((p[r] - m[r]) ** 2 for r in range(inst.M)) for p in c))
    return out


def deep_hypotheses(inst):
    Q, M, N = inst.Q, inst.M, inst.N
    rd, vals = {}, {"Q": F(Q), "M": F(M), "N": F(N)}
    per = deltas_sq(inst)
    rd["2.12"] = all(x > 0 for x in per)
    dsq = max(per)
    dist = [sum((inst.means[j][r] - inst.bary[r]) ** 2 for r in range(M)) for j in range(Q)]
    vals["delta_squared"], vals["min_dist_squared"] = dsq, min(dist)
    if min(dist) > 0:
        vals["c0_squared"] = dsq / min(dist)
        vals["margin_2_14"] = F(1, 16) - vals["c0_squared"]
        rd["2.14"] = vals["c0_squared"] < F(1, 16)
    else:
        rd["2.14"] = False
    if Q >= 2:
        inner, marg = [], []
        for j in range(Q):
            v = [inst.bary[r] - inst.means[j][r] for r in range(M)]
            for k in range(Q):
                if k != j:
                    s = dot([inst.means[k][r] - inst.means[j][r] for r in range(M)], v)
                    inner.append(s)
                    marg.append(s * s - 16 * dsq * dist[j])
        vals["cone_min_inner"], vals["cone_min_margin"] = min(inner), min(marg)
        rd["2.51"] = all(s > 0 for s in inner) and min(marg) > 0
    else:
        rd["2.51"] = False
    if M == Q:
        vals["det_X0_red"] = det([[inst.means[j][r] for j in range(Q)] for r in range(M)])
        rd["X0red-invertible"] = vals["det_X0_red"] != 0
    else:
        rd["X0red-invertible"] = False
    if len(inst.Y) == Q:
        vals["det_Y"] = det(inst.Y)
        rd["Y-invertible"] = vals["det_Y"] != 0
    else:
        rd["Y-invertible"] = False
    rd["Q<N"] = Q < N
    return rd, vals


# ------------------------------------------------------------------------------------------------ claim checkers
# Each returns (readings: {name: verdict}, values: {name: Fraction}) and re-checks enclosures itself.

def chk_hypotheses(inst, cert):
    rd, vals = deep_hypotheses(inst)
    return {k: "proved" if ok else "hypotheses-fail" for k, ok in rd.items()}, vals


def _need_square(inst, names):
    if inst.M != inst.Q:
        return {n: "hypotheses-fail" for n in names}, {}
    return None


def chk_prop22(inst, cert):
    r = _need_square(inst, ["default"])
    if r:
        return r
    Q = inst.Q
    Ws, bs = parse_net(cert["witness"].get("network"), Q, len(inst.Y))
    L = len(Ws) - 1
    Wc, bc = cumulative(Ws, bs)
    ok = True
    # (2.45) inverts (2.43)
    prevW, prevb = eye(Q), [F(0)] * Q
    for l in range(L + 1):
        Wl = matmul(Wc[l], inverse(prevW))
        bl = [a - c for a, c in zip(bc[l], matvec(Wl, prevb))]
        ok = ok and Wl == Ws[l] and bl == bs[l]
        prevW, prevb = Wc[l], bc[l]
    Winv = [inverse(W) for W in Wc[:L]]
    pos = [False] * L
    neg = [False] * L
    for p in points(inst):
        hs, out = forward(Ws, bs, p)
        x, t = p, p
        for l in range(L):
            z = [a + c for a, c in zip(matvec(Ws[l], x), bs[l])]
            pos[l] = pos[l] or any(v > 0 for v in z)
            neg[l] = neg[l] or any(v < 0 for v in z)
            x = hs[l]
            t = tau(Wc[l], Winv[l], bc[l], t)
            rhs = [a + c for a, c in zip(matvec(Wc[l], t), bc[l])]
            ok = ok and rhs == hs[l] and all(v >= 0 for v in rhs)
        ok = ok and out == [a + c for a, c in zip(matvec(Wc[L], t), bc[L])]
    mixed = sum(1 for l in range(L) if pos[l] and neg[l])
    return ({"default": "proved" if ok else "refuted"},
            {"L": F(L), "points": F(inst.N), "mixed_sign_layers": F(mixed)})


def chk_eq266(inst, cert):
    r = _need_square(inst, ["default"])
    if r:
        return r
    Q = inst.Q
    w = cert["witness"]
    W, b, lams = qmat(w.get("W"), Q, Q), qvec(w.get("b"), Q), qvec(w.get("lambdas"))
    if not lams or any(l <= 0 for l in lams):
        raise Reject("scalings must be positive")
    Wi = inverse(W)
    ok = True
    for lam in lams:
        Wl = [[lam * x for x in row] for row in W]
        Wli = [[x / lam for x in row] for row in Wi]
        bl = [lam * x for x in b]
        for p in points(inst):
            ok = ok and tau(Wl, Wli, bl, p) == tau(W, Wi, b, p)
    return {"default": "proved" if ok else "refuted"}, {"lambdas": F(len(lams)), "points": F(inst.N)}


def _lemma(inst, cert, sign):
    r = _need_square(inst, ["ball", "points"])
    if r:
        return {"ball": "hypotheses-fail"}, {}
    Q = inst.Q
    W = qmat(cert["witness"].get("W"), Q, Q)
    vals = cert["values"]
    omega, mu = q(vals.get("opnorm_upper", "x")), q(vals.get("mu", "x"))
    if omega <= 0 or not is_psd([[omega * omega * (i == j) - sum(W[k][i] * W[k][j] for k in range(Q))
                                   for j in range(Q)] for i in range(Q)]):
        raise Reject("opnorm bound not certified")
    dsq = max(deltas_sq(inst))
    thr = sign * mu > 0 and mu * mu > 4 * dsq * omega * omega
    rows = [sum(x * x for x in row) for row in W]
    ball = thr and all(mu * mu > rr * dsq for rr in rows)
    ext = None
    pts_ok = True
    for c, m in zip(inst.classes, inst.means):
        for p in c:
            z = matvec(W, [a - b for a, b in zip(p, m)])
            e = max(-sign * v for v in z)
            ext = e if ext is None else max(ext, e)
            pts_ok = pts_ok and all(sign * (v + mu) >= 0 for v in z)
    _check_root_enclosure(cert["enclosures"].get("mu_sharp_ball", {"lo": "x"}), sign, max(rows) * dsq)
    return ({"ball": "proved" if ball else "undecided", "points": "proved" if pts_ok else "refuted"},
            {"opnorm_upper": omega, "mu": mu, "mu_sharp_points": sign * ext})


def chk_lemma41(inst, cert):
    return _lemma(inst, cert, -1)


def chk_lemma51(inst, cert):
    return _lemma(inst, cert, 1)


def _cone_terms(a, v, r_sq, kappa, t=F(0)):
    """Same containment inequality as exactmin.nets.construct_deep.cone_ball_terms (independent code)."""
    av, aa, vv = dot(a, v), dot(a, a), dot(v, v)
    terms = [((av > 0) - (av < 0), av * av * (1 - kappa)), (-1, (aa * vv - av * av) * kappa), (-1, r_sq * vv)]
    if t != 0:
        terms.append((-1 if t > 0 else 1, t * t * vv * (1 - kappa)))
    return terms


def _all_pairs_positive(inst, r_sq, kappa, t):
    res = True
    for j in range(inst.Q):
        v = [inst.bary[r] - inst.means[j][r] for r in range(inst.M)]
        for k in range(inst.Q):
            if k != j:
                a = [inst.means[k][r] - inst.means[j][r] for r in range(inst.M)]
                s = sign_root_sum(_cone_terms(a, v, r_sq, kappa, t))
                if s is None:
                    res = None          # undecided unless a later pair is certainly outside
                elif s <= 0:
                    return False
    return res


def _unit_close(x, v, tol):
    """|x| = 1 exactly and |x - v/|v|| <= tol (by <x,v> > 0, <x,v>^2 >= (1 - tol^2/2)^2 |v|^2)."""
    xv = dot(x, v)
    return dot(x, x) == 1 and xv > 0 and xv * xv >= (1 - tol * tol / 2) ** 2 * dot(v, v)


def _box_reading(inst, cert, dsq, kappa, fts, Ws, problems):
    """The mu-box reading: zero cost on [lo, hi]^Q from its 2^Q vertices (collapse + det sign; see the library)."""
    from itertools import product
    Q, M = inst.Q, inst.M
    box = cert["witness"].get("mu_box")
    if problems or box is None:
        if box is not None or (not problems and Q <= 6):
            raise Reject("mu_box witness present/absent inconsistently")
        return "undecided", {}
    lo, hi = q(box[0]), q(box[1])
    vals = {"mu_box_lo": lo, "mu_box_hi": hi, "mu_box_vertices": F(2 ** Q)}
    for m in (lo, hi):
        if not (m < 0 and m * m > 4 * dsq * Q and _all_pairs_positive(inst, dsq, kappa, -m) is True):
            return "undecided", vals
    if not lo < hi:
        return "undecided", vals
    Rs = [qmat(R, Q, Q) for R in cert["witness"]["R"]]
    Wcum = [matmul(Ws, R) for R in Rs]
    Winv = [inverse(W) for W in Wcum]
    sign = None
    for v in product((lo, hi), repeat=Q):
        apex = [[inst.means[l][r] - v[l] * fts[l][r] for r in range(M)] for l in range(Q)]
        bcum = [[-x for x in matvec(Wcum[l], apex[l])] for l in range(Q)]
        for j, cl in enumerate(inst.classes):
            for p in cl:
                t = p
                for l in range(Q):
                    t = tau(Wcum[l], Winv[l], bcum[l], t)
                    if t != (apex[j] if j <= l else p):
                        return "undecided", vals
        d = det([[apex[j][r] for j in range(Q)] for r in range(Q)])
        sg = (d > 0) - (d < 0)
        if sg == 0 or (sign is not None and sg != sign):
            return "undecided", vals
        sign = sg
    return "proved", vals


def _admissible(inst, Wcum, bcum, apex, fts, mu):
    """Per cluster j: the exact interval of µ_j (others fixed) keeping every sign condition of the data collapse
    (each condition is affine in µ_j); None = unbounded.  Independent re-derivation, point by point."""
    Q = inst.Q
    out = []
    for j in range(Q):
        lo = hi = None
        a = matvec(Wcum[j], fts[j])
        b0 = [b - mu * x for b, x in zip(bcum[j], a)]
        conds = []                                      # (z0, slope, need z >= 0)
        for k, cl in enumerate(inst.classes):
            for y in ([apex[k]] if k < j else cl):
                conds.append(([w + b for w, b in zip(matvec(Wcum[j], y), b0)], a, k != j))
        for ell in range(j + 1, Q):
            conds.append(([w + b for w, b in zip(matvec(Wcum[ell], inst.means[j]), bcum[ell])],
                          [-x for x in matvec(Wcum[ell], fts[j])], True))
        for z0, sl, nonneg in conds:
            for z, m in zip(z0, sl):
                if m == 0:
                    continue
                t = -z / m
                if (m > 0) == nonneg:
                    lo = t if lo is None else max(lo, t)
                else:
                    hi = t if hi is None else min(hi, t)
        out.append((lo, hi))
    return out


def chk_thm23(inst, cert):
    names = ["L=Q", "L>Q"]
    rd, hv = deep_hypotheses(inst)
    vals = {k: hv[k] for k in ("delta_squared", "c0_squared", "margin_2_14", "cone_min_margin") if k in hv}
    if not all(rd.values()) or inst.Q < 2:
        return {n: "hypotheses-fail" for n in names + ["mu-box"]}, vals
    Q, M = inst.Q, inst.M
    w = cert["witness"]
    if not isinstance(w, dict):
        raise Reject("bad witness")
    lam, mu, tol = q(w.get("lambda")), q(w.get("mu")), q(w.get("tol"))
    if not (0 < lam <= 1) or tol <= 0:
        raise Reject("lambda must lie in (0, 1], tol > 0")
    dsq = hv["delta_squared"]
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    theta_ok = _all_pairs_positive(inst, 16 * dsq, kappa, F(0))
    upper_ok = mu < 0 and mu * mu > 4 * dsq * Q
    lower_ok = _all_pairs_positive(inst, dsq, kappa, -mu)
    # D enclosure: D > lo  <=>  all pairs strictly inside at t = lo;  D <= hi  <=>  some pair not inside at t = hi
    Dlo, Dhi = enclosure(cert["enclosures"].get("D"))
    if _all_pairs_positive(inst, dsq, kappa, Dlo) is not True or _all_pairs_positive(inst, dsq, kappa, Dhi) is not False:
        raise Reject("enclosure of D not verified")
    u = [F(1)] * Q
    ut = qvec(w.get("u_tilde"), Q)
    fts = [qvec(f, Q) for f in w.get("f_tilde", [])]
    Rs = [qmat(R, Q, Q) for R in w.get("R", [])]
    if len(fts) != Q or len(Rs) != Q or not _unit_close(ut, u, tol):
        raise Reject("u~ / f~ / R missing or not within tol")
    Ws = [[(1 - lam) / Q + (lam if i == j else 0) for j in range(Q)] for i in range(Q)]
    apex, Wcum, bcum = [], [], []
    for l in range(Q):
        v = [inst.bary[r] - inst.means[l][r] for r in range(M)]
        if not _unit_close(fts[l], v, tol):
            raise Reject(f"f~_{l + 1} is not a unit vector within tol of f_{l + 1}")
        R = Rs[l]
        if matmul(transpose(R), R) != eye(Q) or det(R) != 1 or matvec(R, fts[l]) != ut:
            raise Reject(f"R_{l + 1} is not a rotation mapping f~ to u~")
        c = [inst.means[l][r] - mu * fts[l][r] for r in range(M)]
        W = matmul(Ws, R)
        apex.append(c)
        Wcum.append(W)
        bcum.append([-x for x in matvec(W, c)])
    C = [[apex[j][r] for j in range(Q)] for r in range(Q)]
    Wout = matmul(inst.Y, inverse(C))
    nets = w.get("networks")
    if not isinstance(nets, dict) or set(nets) != set(names):
        raise Reject("networks missing")
    problems = theta_ok is not True or not upper_ok or lower_ok is not True
    readings, costs, Ls = {}, {}, {}
    for name in names:
        Wl, bl = parse_net(nets[name], Q, len(inst.Y))
        L = len(Wl) - 1
        if L < Q or (name == "L=Q") != (L == Q):
            raise Reject(f"network {name} has L = {L}")
        Wc, bc = cumulative(Wl, bl)
        want_W = Wcum + [Wcum[-1]] * (L - Q) + [Wout]
        want_b = bcum + [bcum[-1]] * (L - Q) + [[F(0)] * len(inst.Y)]
        if Wc != want_W or bc != want_b:
            raise Reject(f"network {name} is not the construction (4.24)-(4.58) with the witness data")
        cs = cost_sq(inst, lambda p: forward(Wl, bl, p)[1])
        # collapse (2.59)/(4.65): after l truncations, cluster l is at its apex, the later ones untouched
        coll = True
        Winv = [inverse(W) for W in Wcum]
        for j, cl in enumerate(inst.classes):
            for p in cl:
                t = p
                for l in range(Q):
                    t = tau(Wcum[l], Winv[l], bcum[l], t)
                    want = apex[j] if j <= l else p
                    coll = coll and t == want
        costs[name], Ls[name] = cs, L
        readings[name] = "undecided" if problems else ("proved" if cs == 0 and coll else "undecided")
    vals.update({"cost_squared": costs["L=Q"], "cost_squared_extra": costs["L>Q"], "mu": mu, "lambda": lam,
                 "kappa": kappa, "L": F(Q), "L_extra": F(Ls["L>Q"]), "tol": tol})
    readings["mu-box"], bv = _box_reading(inst, cert, dsq, kappa, fts, Ws, problems)
    vals.update(bv)
    if readings["L=Q"] == "proved":
        for j, (a, b) in enumerate(_admissible(inst, Wcum, bcum, apex, fts, mu)):
            if a is not None:
                vals[f"mu_admissible_lo[j={j + 1}]"] = a
            if b is not None:
                vals[f"mu_admissible_hi[j={j + 1}]"] = b
    return readings, vals


CHECKERS = {
    "deep.hypotheses": chk_hypotheses,
    "deep.prop2.2": chk_prop22,
    "deep.eq2.66": chk_eq266,
    "deep.lemma4.1": chk_lemma41,
    "deep.lemma5.1": chk_lemma51,
    "deep.thm2.3": chk_thm23,
}
ENCLOSURES = {"deep.lemma4.1": {"mu_sharp_ball"}, "deep.lemma5.1": {"mu_sharp_ball"}, "deep.thm2.3": {"D"}}


