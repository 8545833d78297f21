"""Kernel checkers for the deep paper (arXiv:2309.10639): hypotheses, Prop. 2.2, (2.66), Lemmas 4.1/5.1, Thm 2.3.

Standard library plus the kernel core only.  Each checker returns (readings: {name: verdict},
values: {name: Fraction}) re-derived from the instance and the certificate's witness, and re-checks
enclosures itself.
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import (Reject, _check_root_enclosure, common_den, cost_sq, cumulative, det, dot, enclosure, eye,
                   forward, int_rows, inverse, is_psd, matmul, matvec, parse_net, points, q, qmat, qvec, relu,
                   sign_root_sum, tau, transpose, x0_red)

# ------------------------------------------------------------------------------------------------ helpers

def int_classes(inst):
    """Per class (D, integer points) with point = numerators / D (cached on the instance)."""
    c = getattr(inst, "_int_classes", None)
    if c is None:
        c = inst._int_classes = [_int_cluster(cl) for cl in inst.classes]
    return c


def deltas_sq(inst):
    """Per class the max |Δx_{0,j,i}|^2 (0 exactly when the class has no deviation, (2.12)).

    In integers: with p = P/D and S = Σ_i P_i, n Δx = (n P − S)/D, so |Δx|^2 = |n P − S|^2 / (n D)^2."""
    out = []
    for (D, pts), m in zip(int_classes(inst), inst.means):
        n = len(pts)
        S = [sum(col) for col in zip(*pts)]
        if [F(x, n * D) for x in S] != m:
            raise Reject("class mean mismatch")       # cannot happen: the same points, summed two ways
        best = max(sum((n * x - t) ** 2 for x, t in zip(p, S)) for p in pts)
        out.append(F(best, (n * D) ** 2))
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
        vals["det_X0_red"] = det(x0_red(inst))
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
    r = _need_square(inst, ["default", "every-x"])
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
    # every-x: the inverses above exist (inverse() rejects a singular matrix), so the induction of the
    # statement file exactmin_kernel/statements/deep_prop2_2.py proves the identities for every input
    return ({"default": "proved" if ok else "refuted", "every-x": "proved"},
            {"L": F(L), "points": F(inst.N), "mixed_sign_layers": F(mixed)})


def chk_eq266(inst, cert):
    r = _need_square(inst, ["default", "every-x"])
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
    return ({"default": "proved" if ok else "refuted", "every-x": "proved"},     # W invertible, lambda > 0
            {"lambdas": F(len(lams)), "points": F(inst.N)})


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
    # symbolic: the universal part is the library's SymPy proof (rows of length Q <= 6); here the bound and `ball`
    return ({"ball": "proved" if ball else "undecided", "points": "proved" if pts_ok else "refuted",
             "symbolic": "proved" if ball and Q <= 6 else "undecided"},
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


def _mu_outside_I0(inst, dsq, mu):
    """µ lies outside I_0 = (−D, −2δ√Q) for every θ_0, exactly (then µ ∈ I_0 is a false hypothesis): µ is not
    below −2δ√Q, or t = −µ > ⟨x̄_{0,k} − x̄_{0,j}, f_j⟩ − δ for some j ≠ k (D is below that for every θ_* < π,
    since the cone of (4.26) lies in the half-space ⟨·, f_j⟩ ≥ 0).  Independent of the library's
    construct_deep.mu_outside_I0."""
    if not (mu < 0 and mu * mu > 4 * dsq * inst.Q):
        return True
    t = -mu
    for j in range(inst.Q):
        v = [inst.bary[r] - inst.means[j][r] for r in range(inst.M)]
        vv = dot(v, v)
        for k in range(inst.Q):
            if k != j:
                av = dot([inst.means[k][r] - inst.means[j][r] for r in range(inst.M)], v)
                s = sign_root_sum([((av > 0) - (av < 0), av * av), (-1, t * t * vv), (-1, dsq * vv)])
                if s is not None and s < 0:      # strict, as the library (t = D^ exactly is left undecided)
                    return True
    return False


def _unit_close(x, v, tol):
    """|x| = 1 exactly and |x - v/|v|| <= tol (by <x,v> > 0, <x,v>^2 >= (1 - tol^2/2)^2 |v|^2)."""
    xv = dot(x, v)
    return dot(x, x) == 1 and xv > 0 and xv * xv >= (1 - tol * tol / 2) ** 2 * dot(v, v)


MAX_BOX_Q = 8     # as exactmin.claims.deep.MAX_BOX_Q: the library writes a mu_box witness iff Q <= 8


def _box_reading(inst, cert, dsq, kappa, fts, Ws, problems, ext, mu):
    """The mu-box reading: zero cost on [lo, hi]^Q (collapse affine in mu, see _box_from; det sign at the 2^Q
    vertices, det X_0^red[mu] being affine in each mu_j)."""
    from itertools import product
    Q, M = inst.Q, inst.M
    box = cert["witness"].get("mu_box")
    if problems or box is None:
        if box is not None or (not problems and Q <= MAX_BOX_Q):
            raise Reject("mu_box witness present/absent inconsistently")
        return "undecided", {}
    lo, hi = q(box[0]), q(box[1])
    vals = {"mu_box_lo": lo, "mu_box_hi": hi, "mu_box_vertices": F(2 ** Q)}
    for m in (lo, hi):
        if not (m < 0 and m * m > 4 * dsq * Q and _all_pairs_positive(inst, dsq, kappa, -m) is True):
            return "undecided", vals
    if not lo < hi:
        return "undecided", vals
    if Q > MAX_BOX_Q:
        raise Reject("mu_box witness for Q > 8")
    Rs = [qmat(R, Q, Q) for R in cert["witness"]["R"]]
    Wcum = [matmul(Ws, R) for R in Rs]
    apex0 = [[inst.means[l][r] - mu * fts[l][r] for r in range(M)] for l in range(Q)]
    bcum0 = [[-x for x in matvec(Wcum[l], apex0[l])] for l in range(Q)]
    if not _box_from(ext, Wcum, bcum0, apex0, fts, mu, lo, hi):
        return "undecided", vals
    sign = None
    for v in product((lo, hi), repeat=Q):
        apex = [[inst.means[l][r] - v[l] * fts[l][r] for r in range(M)] for l in range(Q)]
        d = det([[apex[j][r] for j in range(Q)] for r in range(Q)])
        sg = (d > 0) - (d < 0)
        if sg == 0 or (sign is not None and sg != sign):
            return "undecided", vals
        sign = sg
    return "proved", vals


# ------------------------------------------------------------------------------------------------ Thm 2.3, fast

def _int_cluster(cl):
    """(D, points as integer tuples) with every point = numerators / D (D the lcm of the denominators)."""
    D = common_den(cl)
    return D, [tuple(x.numerator * (D // x.denominator) for x in p) for p in cl]


def _cluster_extremes(inst, Wcum, bcum):
    """ext[l][k] = (row minima, row maxima) of W^(l) y + b^(l) over the points y of cluster k >= l, exactly.

    Integer dot products per point (common denominators), one pass per (l, k): sum_k (k + 1) N_k products."""
    Q = inst.Q
    ext = [[None] * Q for _ in range(Q)]
    rows = [int_rows(W) for W in Wcum]
    for k, (D, pts) in enumerate(int_classes(inst)):
        for l in range(k + 1):
            Wn, d = rows[l]
            lo, hi = [], []
            for r, wr in enumerate(Wn):
                vals = [sum(map(int.__mul__, wr, p)) for p in pts]
                lo.append(F(min(vals), d * D) + bcum[l][r])
                hi.append(F(max(vals), d * D) + bcum[l][r])
            ext[l][k] = (lo, hi)
    return ext


def _pre(W, b, y):
    return [a + c for a, c in zip(matvec(W, y), b)]


def _collapse_from(ext, Wcum, bcum, apex):
    """(2.59)/(4.65): tau^(l)(y) = y iff W^(l) y + b^(l) >= 0 and = apex c_l iff <= 0 (W^(l) invertible), so the
    collapse holds iff per row max over cluster l <= 0, min over clusters k > l >= 0, and apexes c_j (j < l) >= 0."""
    Q = len(apex)
    for l in range(Q):
        if any(v > 0 for v in ext[l][l][1]):
            return False
        if any(v < 0 for k in range(l + 1, Q) for v in ext[l][k][0]):
            return False
        if any(v < 0 for j in range(l) for v in _pre(Wcum[l], bcum[l], apex[j])):
            return False
    return True


def _collapsed_cost(inst, Wl, bl, Q):
    """Exact cost^2 when the collapse holds and cumulative(Wl, bl) is the construction: a point of cluster j has
    network pre-activation W^(l) y + b^(l) >= 0 at layers l < j (sigma = identity, so the composed map is the
    cumulative one) and <= 0 at layer j, where sigma gives the zero vector for every point of the cluster;
    the remaining layers act on that single vector, so the N_j terms of (2.36) are equal."""
    tot = F(0)
    for j in range(Q):
        x = [F(0)] * Q
        for l in range(j + 1, len(Wl) - 1):
            x = relu(_pre(Wl[l], bl[l], x))
        out = _pre(Wl[-1], bl[-1], x)
        tot += sum((a - b) ** 2 for a, b in zip(out, inst.y(j)))
    return tot


def _box_from(ext, Wcum, bcum, apex, fts, mu, lo, hi):
    """The collapse pattern for every mu in [lo, hi]^Q: b^(l)(mu_l) = b^(l) + (mu_l - mu) W^(l) f~_l and
    c_k(mu_k) = c_k - (mu_k - mu) f~_k, so each condition is affine in (mu_k, mu_l): its vertices suffice."""
    Q = len(apex)
    zero = [F(0)] * Q
    a = [matvec(Wcum[l], fts[l]) for l in range(Q)]
    for l in range(Q):
        for v in (lo, hi):
            sh = [(v - mu) * x for x in a[l]]
            if any(m + t > 0 for m, t in zip(ext[l][l][1], sh)):
                return False
            if any(m + t < 0 for k in range(l + 1, Q) for m, t in zip(ext[l][k][0], sh)):
                return False
            for k in range(l):
                base, wf = _pre(Wcum[l], bcum[l], apex[k]), _pre(Wcum[l], zero, fts[k])
                if any(z - (vk - mu) * w + t < 0 for vk in (lo, hi) for z, w, t in zip(base, wf, sh)):
                    return False
    return True


def _admissible_from(ext, Wcum, bcum, apex, fts, mu):
    """Per cluster j the exact mu_j interval (others fixed) of the data collapse, from the row extremes."""
    Q = len(apex)
    out = []
    for j in range(Q):
        a = matvec(Wcum[j], fts[j])
        lo = hi = None
        conds = []                                    # (z_min, z_max at mu_j = 0, slope, need >= 0)
        for k in range(j, Q):
            zl, zh = ext[j][k]
            conds.append(([z - mu * x for z, x in zip(zl, a)], [z - mu * x for z, x in zip(zh, a)], a, k != j))
        for k in range(j):
            z = [z - mu * x for z, x in zip(_pre(Wcum[j], bcum[j], apex[k]), a)]
            conds.append((z, z, a, True))
        for l in range(j + 1, Q):
            z = _pre(Wcum[l], bcum[l], inst_mean(apex[j], fts[j], mu))
            conds.append((z, z, [-x for x in matvec(Wcum[l], fts[j])], True))
        for zl, zh, sl, nonneg in conds:
            for r, m in enumerate(sl):
                if m == 0:
                    continue
                lower = (m > 0) == nonneg
                z = zl[r] if lower == (m > 0) else zh[r]
                t = -z / m
                if lower:
                    lo = t if lo is None else max(lo, t)
                else:
                    hi = t if hi is None else min(hi, t)
        out.append((lo, hi))
    return out


def inst_mean(c, f, mu):
    """x-bar_j = c_j + mu f~_j (the apex at mu_j = 0)."""
    return [x + mu * y for x, y in zip(c, f)]


def chk_thm23(inst, cert):
    names = ["L=Q", "L>Q"]
    rd, hv = deep_hypotheses(inst)
    vals = {k: hv[k] for k in ("delta_squared", "c0_squared", "margin_2_14", "cone_min_margin") if k in hv}
    if not all(rd.values()) or inst.Q < 2:
        return {n: "hypotheses-fail" for n in names + ["mu-box", "collapse-only", "L>Q/arbitrary", "D>2delta-sqrtQ",
                                                       "Xred-mu-GL-on-I0", "I0-box"]}, vals
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
    outside = _mu_outside_I0(inst, dsq, mu)      # µ ∈ I_0 exactly false for every θ_0: hypotheses-fail
    # D enclosure: D > lo  <=>  all pairs strictly inside at t = lo;  D <= hi  <=>  some pair not inside at t = hi
    # (absent when every reading is hypotheses-fail, as for every claim)
    if True:                                      # the readings on I_0^Q are decided even when mu is outside
        Dlo, Dhi = enclosure(cert["enclosures"].get("D"))
        if _all_pairs_positive(inst, dsq, kappa, Dlo) is not True \
                or _all_pairs_positive(inst, dsq, kappa, Dhi) is not False:
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
    singular = det(C) == 0          # no W_(L+1) = Y C^{-1}: the witness must carry the zero output layer
    Wout = [[F(0)] * Q for _ in inst.Y] if singular else matmul(inst.Y, inverse(C))
    nets = w.get("networks")
    if not isinstance(nets, dict) or set(nets) != set(names):
        raise Reject("networks missing")
    problems = theta_ok is not True or not upper_ok or lower_ok is not True
    ext = _cluster_extremes(inst, Wcum, bcum)
    collapsed = _collapse_from(ext, Wcum, bcum, apex)
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
        # collapse (2.59)/(4.65) from exact row extremes (see _collapse_from); cost from the Q collapsed points
        coll = collapsed
        cs = _collapsed_cost(inst, Wl, bl, Q) if coll else cost_sq(inst, lambda p: forward(Wl, bl, p)[1])
        costs[name], Ls[name] = cs, L
        # µ certified in I_0: the exact cost and collapse of the witness network decide (2.58)/(2.59) for it
        readings[name] = ("hypotheses-fail" if outside else "undecided" if problems
                          else "proved" if cs == 0 and not singular else "refuted")
    vals.update({"cost_squared": costs["L=Q"], "cost_squared_extra": costs["L>Q"], "mu": mu, "lambda": lam,
                 "kappa": kappa, "L": F(Q), "L_extra": F(Ls["L>Q"]), "tol": tol})
    readings["mu-box"], bv = _box_reading(inst, cert, dsq, kappa, fts, Ws, problems, ext, mu)
    box = w.get("mu_box")
    if outside:
        readings["mu-box"] = "hypotheses-fail"
    elif readings["mu-box"] == "undecided" and readings["L=Q"] == "refuted" and box is not None and q(box[0]) == mu:
        readings["mu-box"] = "refuted"               # the box's vertex (mu, ..., mu) refutes L=Q
    vals.update(bv)
    # the readings on the paper's network over all of I_0^Q: decided by the obligation kernel's statement (one text)
    from exactmin_kernel.driver import Invalid, read_witness, reading
    from exactmin_kernel.instance import Instance as KInstance
    from exactmin_kernel.statements import deep_thm2_3 as st
    inst = KInstance(inst.classes, inst.Y)
    raw = {k.rstrip("?"): w.get(k.rstrip("?")) for k in st.SCHEMA if w.get(k.rstrip("?")) is not None}
    try:
        w2 = read_witness(st.SCHEMA, raw, inst)
    except Invalid as e:
        raise Reject(str(e)) from None
    for r in st.READINGS[3:]:
        readings[r] = reading(st, inst, w2, r)[0]
    if readings["L=Q"] == "proved":
        for j, (a, b) in enumerate(_admissible_from(ext, Wcum, bcum, apex, fts, mu)):
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


