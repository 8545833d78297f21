"""Kernel checkers for Theorems 2.4 and 2.5 of the deep paper (degenerate local minima).

Standard library plus the kernel core only.  From the witness networks it re-derives, in Fractions:
the activation pattern and its strictness at every data point, the τ-features the output layer sees
(τ = (W^{(L)})^{-1}(x^{(L)} − b^{(L)}) with cumulative parameters (2.43)), the normal equations that make an
output layer a least-squares minimiser, every cost, the closed formula (2.71), the projection value, and
the *bias segments* that refute local minimality: two parameter points with the same weights, the same
strict pattern and strictly lower cost at the far end (along the segment every pre-activation is affine,
so the cost is a convex quadratic with negative slope at the start).
"""
from __future__ import annotations

from fractions import Fraction as F
from itertools import product

from .core import Reject, cost_sq, cumulative, forward, inverse, matmul, matvec, parse_net, q, qvec, relu, transpose, x0_red
from .deep import _all_pairs_positive, _unit_close, deep_hypotheses


def _pre(Ws, bs, x):
    """Pre-activations of every hidden layer at x, and the output."""
    pres = []
    for W, b in zip(Ws[:-1], bs[:-1]):
        z = [a + c for a, c in zip(matvec(W, x), b)]
        pres.append(z)
        x = relu(z)
    return pres, [a + c for a, c in zip(matvec(Ws[-1], x), bs[-1])]


def _pattern(Ws, bs, pts):
    """(strict, signs): strict iff no pre-activation vanishes; signs = tuple of booleans (z > 0)."""
    strict, signs, margin = True, [], None
    for x in pts:
        pres, _ = _pre(Ws, bs, x)
        for z in pres:
            for v in z:
                strict &= v != 0
                margin = abs(v) if margin is None else min(margin, abs(v))
                signs.append(v > 0)
    return strict, tuple(signs), margin


def _features(Ws, bs, pts):
    """τ-features of every point and the cumulative output (A, c): output = A τ(x) + c."""
    Wc, bc = cumulative(Ws, bs)
    L = len(Ws) - 1
    Winv = inverse(Wc[L - 1])
    feats = []
    for x in pts:
        h = x
        for W, b in zip(Ws[:-1], bs[:-1]):
            h = relu([a + c for a, c in zip(matvec(W, h), b)])
        feats.append(matvec(Winv, [a - c for a, c in zip(h, bc[L - 1])]))
    return feats, Wc[L], bc[L]


def _cost(inst, Ws, bs):
    return cost_sq(inst, lambda p: forward(Ws, bs, p)[1])


def _normal_equations(inst, feats, A, c, free):
    """Σ_j (1/N_j) Σ_i r (h;1)^T = 0 with r = A h + c − y_j (the (h;1) part only when the bias is free)."""
    q_ = len(feats[0])
    G = [[F(0)] * (q_ + 1) for _ in range(len(A))]
    k = 0
    for j, n in enumerate(inst.sizes):
        y = inst.y(j)
        for h in feats[k:k + n]:
            r = [a + cc - yy for a, cc, yy in zip(matvec(A, h), c, y)]
            for o in range(len(A)):
                for a in range(q_):
                    G[o][a] += r[o] * h[a] / n
                G[o][q_] += r[o] / n
        k += n
    return all(v == 0 for row in G for v in (row if free else row[:q_]))


def _trace(M):
    return sum(M[i][i] for i in range(len(M)))


def _identity(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def _scatter(inst, keep):
    M = inst.M
    S = [[F(0)] * M for _ in range(M)]
    for j in keep:
        m = inst.means[j]
        for p in inst.classes[j]:
            d = [p[r] - m[r] for r in range(M)]
            for a in range(M):
                for b in range(M):
                    S[a][b] += d[a] * d[b] / inst.sizes[j]
    return S


def _formula(inst, keep):
    """(2.71): Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T), Δ_2 = Xred^{-1} S Xred^{-T}, original means, scatter of ``keep``."""
    Xi = inverse(x0_red(inst))
    D2 = matmul(matmul(Xi, _scatter(inst, keep)), transpose(Xi))
    n = len(D2)
    B = inverse([[D2[i][j] + (i == j) for j in range(n)] for i in range(n)])
    return _trace(matmul(matmul(matmul(inst.Y, D2), B), transpose(inst.Y)))


def _projection(inst):
    """Σ_j |y_j|² − Tr(R G^{-1} R^T), G = Σ_j (1/N_j) Σ_i x x^T, R = Σ_j y_j x̄_j^T (zero output bias)."""
    M = inst.M
    G = [[F(0)] * M for _ in range(M)]
    for j, c in enumerate(inst.classes):
        for p in c:
            for a in range(M):
                for b in range(M):
                    G[a][b] += p[a] * p[b] / inst.sizes[j]
    R = matmul(inst.Y, transpose(x0_red(inst)))        # R = Σ_j y_j x̄_j^T = Y (X_0^red)^T
    return sum(v * v for row in inst.Y for v in row) - _trace(matmul(matmul(R, inverse(G)), transpose(R)))


def _bias_segment(inst, n0, n1, pts):
    """n1 differs from n0 in biases only, with the same strict pattern at both ends and strictly lower cost."""
    if n0[0] != n1[0]:
        raise Reject("a descent witness must change biases only")
    s0, p0, _ = _pattern(*n0, pts)
    s1, p1, _ = _pattern(*n1, pts)
    if not (s0 and s1 and p0 == p1):
        raise Reject("descent witness changes or touches the activation pattern")
    c0, c1 = _cost(inst, *n0), _cost(inst, *n1)
    if not c1 < c0:
        raise Reject("descent witness does not lower the cost")
    return c1


def _net(w, inst):
    if not isinstance(w, dict):
        raise Reject("bad network")
    return parse_net(w, inst.Q, len(inst.Y))


def _hyp(inst):
    rd, vals = deep_hypotheses(inst)
    return all(rd.values()), vals["delta_squared"]


READ_24 = ("2.70", "zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min")


def chk_thm24(inst, cert):
    ok, dsq = _hyp(inst)
    vals = {"delta_squared": dsq}
    if not ok:
        return {r: "hypotheses-fail" for r in READ_24}, vals
    w = cert["witness"]
    pts = [p for c in inst.classes for p in c]
    mu = q(w["mu"])
    nets = w["networks"]
    if not isinstance(nets, dict) or not {"zero", "free"} <= set(nets) <= {"zero", "free", "descent"}:
        raise Reject("witness networks must be exactly zero, free and (optionally) descent")
    zero, free = _net(nets["zero"], inst), _net(nets["free"], inst)
    if zero[0][:-1] != free[0][:-1] or zero[1][:-1] != free[1][:-1]:
        raise Reject("the zero- and free-bias networks must share their hidden layers")
    claimed = _formula(inst, range(inst.Q))
    strict, signs, margin = _pattern(*zero, pts)
    fz, A, c = _features(*zero, pts)
    _, Af, cf = _features(*free, pts)
    if any(v != 0 for v in c):
        raise Reject("the zero-bias network has a nonzero cumulative output bias")
    if not _normal_equations(inst, fz, A, c, False) or not _normal_equations(inst, fz, Af, cf, True):
        raise Reject("an output layer is not a least-squares minimiser")
    ls0, lsf, proj = _cost(inst, *zero), _cost(inst, *free), _projection(inst)
    vals.update({"claimed_cost_squared": claimed, "ls_zero_bias_cost_squared": ls0, "ls_free_bias_cost_squared": lsf,
                 "projection_cost_squared": proj, "mu": mu, "min_abs_preactivation": margin})
    rd = {}
    in_i1 = mu > 0 and mu * mu > 4 * dsq * inst.Q
    identity = strict and all(signs) and fz == pts
    if "descent" in nets and not (in_i1 and identity):
        raise Reject("a descent network is given but the local-minimality reading is not reached")
    if not in_i1:
        return {r: "undecided" for r in READ_24}, vals
    rd["2.70"] = "proved" if identity else "undecided"
    three = claimed == ls0 == proj
    rd["zero-output-bias"] = ("proved" if three else "refuted") if identity else "undecided"
    if not identity:
        rd.update({r: "undecided" for r in READ_24[2:]})
        return rd, vals
    rd["free-output-bias"] = "proved" if lsf == claimed else "refuted"
    rd["zero-output-bias/local-min"] = "proved" if three else "undecided"
    if "descent" in nets:
        vals["descent_cost_squared"] = _bias_segment(inst, zero, _net(nets["descent"], inst), pts)
        rd["free-output-bias/local-min"] = "refuted"
    elif _normal_equations(inst, fz, A, c, True):
        rd["free-output-bias/local-min"] = "proved"
    else:
        raise Reject("the output-bias gradient is nonzero but no descent witness is given")
    return rd, vals


READ_25 = ("2.84", "value-independent-of-mu", "value-original-means", "distinct-values", "local-min-zero-bias",
           "local-min-free-bias")


def _realises(inst, net, sbits, mu, f_tilde, tol, pts):
    """Strict pattern and (2.84): cluster j collapsed to x̄_j − µ f̃_j (s_j = 1) or untouched (s_j = 0)."""
    strict, _, _ = _pattern(*net, pts)
    feats, _, _ = _features(*net, pts)
    k = 0
    for j, n in enumerate(inst.sizes):
        block = feats[k:k + n]
        f = f_tilde[j]
        v = [inst.bary[r] - inst.means[j][r] for r in range(inst.M)]
        if not _unit_close(f, v, tol):       # every recorded f̃_j is checked, also where s_j = 0 (no unused data)
            return False, feats
        if sbits[j]:
            apex = [inst.means[j][r] - mu * f[r] for r in range(inst.M)]
            if any(h != apex for h in block):
                return False, feats
        elif block != inst.classes[j]:
            return False, feats
        k += n
    return strict, feats


def chk_thm25(inst, cert):
    ok, dsq = _hyp(inst)
    vals = {"delta_squared": dsq}
    if not ok:
        return {r: "hypotheses-fail" for r in READ_25}, vals
    w = cert["witness"]
    Q = inst.Q
    pts = [p for c in inst.classes for p in c]
    lam, mu1, mu2, mup = q(w["lambda"]), q(w["mu_collapse"]), q(w["mu_collapse_2"]), q(w["mu_identity"])
    if not 0 < lam <= 1:
        raise Reject("lambda must lie in (0, 1]")
    t = lam * lam * (Q - 1)
    kappa = t / (1 + t)
    for m in (mu1, mu2):
        if not (m < 0 and m * m > 4 * dsq * Q and _all_pairs_positive(inst, dsq, kappa, -m) is True):
            raise Reject(f"mu = {m} is not certified in I_0")
    if not (mup > 0 and mup * mup > 4 * dsq * Q):
        raise Reject("mu_identity is not in I_1")
    vals.update({"configurations": F(2 ** Q), "mu_collapse": mu1, "mu_collapse_2": mu2, "mu_identity": mup})
    confs = w["configurations"]
    keys = ["".join(map(str, sb)) for sb in product((0, 1), repeat=Q) if not all(sb)]
    if sorted(confs) != sorted(keys):
        raise Reject("the witness must cover every non-global configuration")
    realised, moved, orig_bad, values = True, False, False, {}
    lm = {"zero": [], "free": []}
    for key in keys:
        sb = tuple(int(ch) for ch in key)
        e = confs[key]
        if not isinstance(e, dict) or not {"zero", "zero_mu2", "free", "tol", "f_tilde"} <= set(e) \
                or set(e) - {"zero", "zero_mu2", "free", "tol", "f_tilde", "zero_descent", "free_descent"}:
            raise Reject(f"s = {key}: bad configuration witness")
        if not isinstance(e["tol"], list) or not isinstance(e["f_tilde"], list) \
                or len(e["tol"]) != 2 or len(e["f_tilde"]) != 2:
            raise Reject(f"s = {key}: need two tolerances and two f_tilde lists (mu_collapse, mu_collapse_2)")
        tol = [q(x) for x in e["tol"]]
        ft = [[qvec(f, inst.M) for f in fs] for fs in e["f_tilde"]]
        if any(len(fs) != Q for fs in ft):
            raise Reject(f"s = {key}: f_tilde must list one vector per cluster")
        n_zero, n_mu2, n_free = _net(e["zero"], inst), _net(e["zero_mu2"], inst), _net(e["free"], inst)
        r1, f1 = _realises(inst, n_zero, sb, mu1, ft[0], tol[0], pts)
        r2, f2 = _realises(inst, n_mu2, sb, mu2, ft[1], tol[1], pts)
        r3, _ = _realises(inst, n_free, sb, mu1, ft[0], tol[0], pts)
        realised &= r1 and r2 and r3
        for net, feats, free in ((n_zero, f1, False), (n_mu2, f2, False), (n_free, f1, True)):
            _, A, c = _features(*net, pts)
            if (not free and any(v != 0 for v in c)) or not _normal_equations(inst, feats, A, c, free):
                raise Reject(f"s = {key}: an output layer is not a least-squares minimiser")
        v1, v2, vf = _cost(inst, *n_zero), _cost(inst, *n_mu2), _cost(inst, *n_free)
        orig = _formula(inst, [j for j in range(Q) if not sb[j]])
        vals[f"cost_squared_zero_bias[s={key}]"] = v1
        vals[f"cost_squared_zero_bias_mu2[s={key}]"] = v2
        vals[f"cost_squared_free_bias[s={key}]"] = vf
        vals[f"formula_original_means[s={key}]"] = orig
        values[key] = v1
        moved |= v1 != v2
        orig_bad |= orig != v1
        for kind, base in (("zero", n_zero), ("free", n_free)):
            name = f"{kind}_descent"
            if name in e:
                vals[f"descent_{kind}_bias[s={key}]"] = _bias_segment(inst, base, _net(e[name], inst), pts)
                lm[kind].append("refuted")
            else:
                lm[kind].append("open" if any(sb) else "proved")
    if not realised:
        return {r: "undecided" for r in READ_25}, vals
    rd = {"2.84": "proved", "value-independent-of-mu": "refuted" if moved else "proved",
          "value-original-means": "refuted" if orig_bad else "proved",
          "distinct-values": "proved" if len(set(values.values())) == len(values) else "refuted"}
    for kind in ("zero", "free"):
        v = lm[kind]
        rd[f"local-min-{kind}-bias"] = "refuted" if "refuted" in v else ("undecided" if "open" in v else "proved")
    return rd, vals


CHECKERS = {"deep.thm2.4": chk_thm24, "deep.thm2.5": chk_thm25}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()
