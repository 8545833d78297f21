"""Kernel checkers for the adapted gradient flow (arXiv:2311.15487).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the instance (or None for an
instance-free claim) and the certificate's witness.

Independent code: the Jacobian is computed by forward differentiation (one tangent per parameter, per point),
the rank by Gaussian elimination over Fraction, exp by a Taylor series with a rigorous tail bound.  What the
kernel cannot re-derive is the numerical integration itself: it re-checks every recorded checkpoint exactly
(pattern, strictness, pattern radius, rank, cost, the ball-chain condition with the recorded tube radius) and
the enclosures of quantities of those checkpoints.
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import Reject, enclosure, is_psd, matrix_rank, q, qvec, sqrt_bounds

CHECKERS: dict = {}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()

NORMALISATION = "C = (kappa/2) sum_i |x_i - y_omega(i)|^2"
MAXK = 5000


# ------------------------------------------------------------------------------------------------ setting

def _data(inst):
    pts, tg = [], []
    for j, c in enumerate(inst.classes):
        for p in c:
            pts.append(p)
            tg.append(inst.y(j))
    return pts, tg


def _kappa(cert, N):
    par = cert.get("parameters", {})
    if not isinstance(par, dict) or par.get("normalisation") != NORMALISATION:
        raise Reject("the certificate must state the cost normalisation")
    k = par.get("kappa")
    val = F(1, N) if str(k).replace(" ", "") in ("1/N", "1/n") else q(str(k))
    if val <= 0 or q(par.get("kappa_value", "x")) != val:
        raise Reject("bad kappa")
    return val


def _dims(d, M, Q):
    if not isinstance(d, list) or len(d) < 2 or not all(isinstance(x, int) and 0 < x <= 64 for x in d):
        raise Reject("bad dims")
    if d[0] != M or d[-1] != Q:
        raise Reject("dims do not match the instance")
    return d


def _nparams(dims):
    return sum(dims[i + 1] * dims[i] + dims[i + 1] for i in range(len(dims) - 1))


def _layers(theta, dims):
    Ws, bs, pos = [], [], 0
    for i in range(len(dims) - 1):
        m, n = dims[i + 1], dims[i]
        Ws.append([theta[pos + r * n:pos + (r + 1) * n] for r in range(m)])
        pos += m * n
        bs.append(theta[pos:pos + m])
        pos += m
    return Ws, bs


def _point(theta, dims, pts):
    """(outputs per point, pre-activations per point per hidden layer, activations per point)."""
    Ws, bs = _layers(theta, dims)
    outs, pres, acts = [], [], []
    for p in pts:
        a = list(p)
        ap, zp = [a], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = [sum((w * x for w, x in zip(row, a)), F(0)) + c for row, c in zip(W, b)]
            zp.append(z)
            a = [v if v > 0 else F(0) for v in z]
            ap.append(a)
        outs.append([sum((w * x for w, x in zip(row, a)), F(0)) + c for row, c in zip(Ws[-1], bs[-1])])
        pres.append(zp)
        acts.append(ap)
    return outs, pres, acts


def _jacobian(theta, dims, pts, pres):
    """D (QN × K) by forward-mode differentiation along every unit parameter direction, pattern fixed."""
    Ws, bs = _layers(theta, dims)
    K = len(theta)
    Q = dims[-1]
    rows = []
    for pi, p in enumerate(pts):
        cols = []
        for k in range(K):
            e = [F(0)] * K
            e[k] = F(1)
            dW, db = _layers(e, dims)
            a, da = list(p), [F(0)] * len(p)
            for ell, (W, b) in enumerate(zip(Ws[:-1], bs[:-1])):
                z = pres[pi][ell]
                dz = [sum((w * x for w, x in zip(row, da)), F(0)) + sum((w * x for w, x in zip(drow, a)), F(0)) + c
                      for row, drow, c in zip(W, dW[ell], db[ell])]
                a = [v if v > 0 else F(0) for v in z]
                da = [d if v > 0 else F(0) for v, d in zip(z, dz)]
            cols.append([sum((w * x for w, x in zip(row, da)), F(0)) + sum((w * x for w, x in zip(drow, a)), F(0)) + c
                         for row, drow, c in zip(Ws[-1], dW[-1], db[-1])])
        for qq in range(Q):
            rows.append([cols[k][qq] for k in range(K)])
    return rows


def _strict(pres):
    return all(v != 0 for zp in pres for z in zp for v in z)


def _pattern(pres):
    return tuple(tuple(tuple(v > 0 for v in z) for z in zp) for zp in pres)


def _cost(outs, tg, kappa):
    return kappa / 2 * sum((sum(((o - t) ** 2 for o, t in zip(out, y)), F(0)) for out, y in zip(outs, tg)), F(0))


def _residual(outs, tg):
    return [o - t for out, y in zip(outs, tg) for o, t in zip(out, y)]


def _grad(D, r, kappa):
    return [kappa * sum((D[i][k] * r[i] for i in range(len(D))), F(0)) for k in range(len(D[0]))]


def _check_omegas(omegas, theta, dims):
    """ω_ℓ ≥ ‖W_ℓ‖_op for the hidden layers 2..L, by the PSD test of ω² I − W^T W."""
    Ws, _ = _layers(theta, dims)
    hidden = Ws[1:-1]
    if len(omegas) != len(hidden):
        raise Reject("wrong number of operator-norm bounds")
    for om, W in zip(omegas, hidden):
        n = len(W[0])
        G = [[om * om * (i == j) - sum((W[k][i] * W[k][j] for k in range(len(W))), F(0)) for j in range(n)]
             for i in range(n)]
        if om < 0 or not is_psd(G):
            raise Reject("operator-norm bound not certified")


def _radius_ok(r, omegas, acts, pres):
    """The pattern-radius recursion (see exactmin.nets.jacobian), with the kernel's own 64-bit root bounds."""
    if r <= 0:
        return False
    for ap, zp in zip(acts, pres):
        e = F(0)
        for ell, z in enumerate(zp):
            A = sqrt_bounds(sum((x * x for x in ap[ell]), F(0)), 64)[1]
            w = omegas[ell - 1] if ell > 0 else F(0)
            e = r * (A + e + 1) + w * e
            if not e < min(abs(v) for v in z):
                return False
    return True


def _theta(v, K):
    th = qvec(v, K)
    return th


# ------------------------------------------------------------------------------------------------ exp

def exp_bounds(t: F, bits: int = 260):
    """lo <= e^t <= hi for rational t (Taylor series, tail bounded by the last term once n > 2|t|)."""
    neg = t < 0
    t = -t if neg else t
    s, term, n = F(1), F(1), 0
    eps = F(1, 2 ** bits)
    while True:
        n += 1
        term = term * t / n
        s += term
        if n > 2 * t + 2 and term < eps:
            break
    lo, hi = s, s + term
    return (1 / hi, 1 / lo) if neg else (lo, hi)


def _T_le(x, c0, eps, kappa):
    """x <= T_eps = ln(c0/eps)/(2 kappa) certified (True), refuted (False) or undecided (None)."""
    lo, hi = exp_bounds(2 * kappa * x)
    if hi <= c0 / eps:
        return True
    if lo > c0 / eps:
        return False
    return None


def _T_ge(x, c0, eps, kappa):
    lo, hi = exp_bounds(2 * kappa * x)
    if lo >= c0 / eps:
        return True
    if hi < c0 / eps:
        return False
    return None


# ------------------------------------------------------------------------------------------------ checkers

def _setup(inst, cert, key="dims"):
    pts, tg = _data(inst)
    N, M, Q = len(pts), inst.M, len(inst.Y)
    kappa = _kappa(cert, N)
    w = cert["witness"]
    dims = _dims(w.get(key), M, Q)
    K = _nparams(dims)
    if K > MAXK:
        raise Reject("network too large for the kernel")
    return pts, tg, N, Q, kappa, dims, K


def chk_rank_condition(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    w = cert["witness"]
    th = _theta(w.get("theta"), K)
    QN, hid = Q * N, sum(dims[1:-1])
    outs, pres, acts = _point(th, dims, pts)
    vals = {"K": F(K), "QN": F(QN), "hidden_neurons": F(hid), "structural_bound": F(K - hid), "kappa": kappa,
            "cost_0": _cost(outs, tg, kappa)}
    rd = {"overparametrized": "proved" if K - hid >= QN else "hypotheses-fail"}
    if not _strict(pres):
        rd.update({"interior": "hypotheses-fail", "full-rank": "hypotheses-fail"})
        return rd, vals
    om = qvec(w.get("omegas"))
    _check_omegas(om, th, dims)
    r = q(cert["values"].get("pattern_radius", "x"))
    if not _radius_ok(r, om, acts, pres):
        raise Reject("pattern radius not certified")
    D = _jacobian(th, dims, pts, pres)
    rk = matrix_rank(D)
    g = _grad(D, _residual(outs, tg), kappa)
    rd.update({"interior": "proved", "full-rank": "proved" if rk == QN else "hypotheses-fail"})
    vals.update({"rank_D": F(rk), "min_abs_preactivation": min(abs(v) for zp in pres for z in zp for v in z),
                 "pattern_radius": r, "grad_norm_squared": sum((x * x for x in g), F(0))})
    return rd, vals


def _hyp_fail(th, dims, pts, K, QN, names):
    """The library's _hyp_fail_point rule: None if θ_0 is a strict full-rank point of an overparametrized net."""
    _, pres, _ = _point(th, dims, pts)
    if K - sum(dims[1:-1]) >= QN and _strict(pres) and matrix_rank(_jacobian(th, dims, pts, pres)) == QN:
        return None
    return {n: "hypotheses-fail" for n in names}


def _orbit(cert, pts, tg, dims, K, QN, kappa, s_end):
    """Re-check every checkpoint; return (region verdict, rank verdict, checkpoint list, costs)."""
    w = cert["witness"]
    times = qvec(w.get("times"))
    thetas = w.get("thetas")
    radii = qvec(w.get("radii"), len(times))
    omegas = w.get("omegas")
    delta = q(w.get("delta", "x"))
    if not isinstance(thetas, list) or len(thetas) != len(times) or not isinstance(omegas, list) \
            or len(omegas) != len(times) or not times or delta < 0:
        raise Reject("bad orbit witness")
    if times[0] != 0 or any(times[i] <= times[i - 1] for i in range(1, len(times))):
        raise Reject("checkpoint times must start at 0 and increase")
    th0 = _theta(w.get("theta"), K)
    thetas = [_theta(t, K) for t in thetas]
    if thetas[0] != th0:
        raise Reject("the first checkpoint is not theta_0")
    cps = []
    p0 = None
    if any(r < 0 for r in radii):
        raise Reject("negative pattern radius")
    for s, th, r, om in zip(times, thetas, radii, omegas):
        outs, pres, acts = _point(th, dims, pts)
        strict = _strict(pres)
        pat = _pattern(pres) if strict else None
        p0 = pat if p0 is None else p0
        rk = None
        if r == 0 and om != []:
            raise Reject(f"operator-norm bounds at s = {s} without a pattern radius")
        if strict:
            om = qvec(om)
            if r > 0:
                _check_omegas(om, th, dims)
                if not _radius_ok(r, om, acts, pres):
                    raise Reject(f"pattern radius at s = {s} not certified")
            rk = matrix_rank(_jacobian(th, dims, pts, pres))
        elif r != 0:
            raise Reject("radius at a non-strict checkpoint")
        cps.append((s, th, r, strict, pat, rk, _cost(outs, tg, kappa)))
    bad_pattern = any(c[3] and c[4] != p0 for c in cps)
    bad_rank = any(c[5] is not None and c[5] != QN for c in cps)
    complete = times[-1] == s_end
    all_ok = all(c[3] and c[2] > 0 and c[4] == p0 and c[5] == QN for c in cps)
    chain = all(_chain(cps[i - 1][1], cps[i][1], cps[i - 1][2], cps[i][2], delta) for i in range(1, len(cps)))
    if bad_pattern:
        region = "hypotheses-fail"
    elif complete and all_ok and chain:
        region = "proved"
    else:
        region = "undecided"
    rank = "hypotheses-fail" if bad_rank else ("proved" if complete and all_ok else "undecided")
    return region, rank, cps, complete, delta


def _chain(t1, t2, r1, r2, delta):
    slack = r1 + r2 - 2 * delta
    return slack >= 0 and sum(((a - b) ** 2 for a, b in zip(t1, t2)), F(0)) <= slack * slack


def chk_exp_rate(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    par = cert["parameters"]
    QN = Q * N
    tol, s_max = q(par.get("rel_tol", "x")), q(par.get("s_max", "x"))
    th0 = _theta(cert["witness"].get("theta"), K)
    hf = _hyp_fail(th0, dims, pts, K, QN, ("region", "rank", "rate"))
    if hf:
        return hf, {}
    region, rank, cps, complete, delta = _orbit(cert, pts, tg, dims, K, QN, kappa, s_max)
    c0 = cps[0][6]
    # max relative deviation: the kernel's own interval must lie inside the certificate's enclosure
    klo = khi = F(0)
    for s, *_, c in cps[1:]:
        lo, hi = exp_bounds(2 * kappa * s)
        a, b = c * lo / c0 - 1, c * hi / c0 - 1
        dlo = F(0) if a <= 0 <= b else min(abs(a), abs(b))
        dhi = max(abs(a), abs(b))
        klo, khi = max(klo, dlo), max(khi, dhi)
    lo, hi = enclosure(cert["enclosures"].get("max_rel_deviation"))
    if not (lo <= klo and khi <= hi) or hi - lo > F(1, 2 ** 32) * abs(lo) + F(1, 2 ** 180):
        raise Reject("max_rel_deviation enclosure wrong or not tight")
    rate = "proved" if hi <= tol and complete else "undecided"
    radii = [c[2] for c in cps if c[2] > 0]
    return ({"region": region, "rank": rank, "rate": rate},
            {"kappa": kappa, "cost_0": c0, "s_max": s_max, "checkpoints": F(len(cps)),
             "min_pattern_radius": min(radii) if radii else F(0), "tube_radius": delta, "rel_tol": tol})


def chk_stopping_time(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    par = cert["parameters"]
    QN = Q * N
    eps = q(par.get("eps", "x"))
    w = cert["witness"]
    th0 = _theta(w.get("theta"), K)
    names = ("orbit", "a-priori", "plain-flow")
    hf = _hyp_fail(th0, dims, pts, K, QN, names)
    if hf:
        return hf, {}
    outs, _, _ = _point(th0, dims, pts)
    c0 = _cost(outs, tg, kappa)
    if c0 <= eps:
        return {n: "hypotheses-fail" for n in names}, {}
    Tlo, Thi = enclosure(cert["enclosures"].get("T_eps"))
    if _T_le(Tlo, c0, eps, kappa) is not True or _T_ge(Thi, c0, eps, kappa) is not True:
        raise Reject("T_eps enclosure does not contain ln(C(0)/eps)/(2 kappa)")
    g = F(1, 64)
    s_before = F(int(Tlo // g), 64) - g
    s_after = -(-Thi // g) * g + g
    region, rank, cps, _, _ = _orbit(cert, pts, tg, dims, K, QN, kappa, s_after)
    orbit = region if region != "proved" else rank
    at = {c[0]: c for c in cps}
    vals = {"kappa": kappa, "eps": eps, "cost_0": c0}
    if s_before in at and s_after in at:
        cb, ca = at[s_before][6], at[s_after][6]
        apriori = "proved" if ca <= eps < cb else "undecided"
        vals.update({"s_before": s_before, "s_after": s_after, "cost_before": cb, "cost_after": ca})
    else:
        apriori = "undecided"
    pl = w.get("plain")
    if pl is None:
        plain = "undecided"
    else:
        if not isinstance(pl, dict) or set(pl) != {"T", "theta_before", "theta_at"}:
            raise Reject("bad plain-flow witness (need exactly T, theta_before, theta_at)")
        T = q(pl.get("T", "x"))
        tb, ta = _theta(pl.get("theta_before"), K), _theta(pl.get("theta_at"), K)
        cb = _cost(_point(tb, dims, pts)[0], tg, kappa)
        ca = _cost(_point(ta, dims, pts)[0], tg, kappa)
        plain = "proved" if ca <= eps < cb else "undecided"
        vals["T_plain"] = T
        if s_after in at:
            vals["plain_over_adapted"] = T / s_after
    return {"orbit": orbit, "a-priori": apriori, "plain-flow": plain}, vals


def _feature_rank(pts):
    return matrix_rank([list(p) + [F(1)] for p in pts])


LAMBDAS = (F(2), F(1, 3))


def _rescale(theta, dims, lam):
    """Hidden neuron 1 of hidden layer 1: incoming row and bias × λ, outgoing column / λ."""
    th = list(theta)
    m1, m0 = dims[1], dims[0]
    for c in range(m0):
        th[c] *= lam
    th[m1 * m0] *= lam
    off = m1 * m0 + m1
    m2 = dims[2]
    for i in range(m2):
        th[off + i * m1] /= lam
    return th


def _equilibrium(w, pts, tg, N, Q, kappa, vals, prefix, M):
    if not isinstance(w, dict) or set(w) != {"dims", "theta", "lambdas"}:
        raise Reject("bad equilibrium witness (need exactly dims, theta, lambdas)")
    dims = _dims(w.get("dims"), M, Q)
    K = _nparams(dims)
    th = _theta(w.get("theta"), K)
    if qvec(w.get("lambdas")) != list(LAMBDAS):
        raise Reject("unexpected rescaling factors")
    QN = Q * N
    outs, pres, _ = _point(th, dims, pts)
    if not _strict(pres):
        return "undecided"
    C = _cost(outs, tg, kappa)
    D = _jacobian(th, dims, pts, pres)
    g = _grad(D, _residual(outs, tg), kappa)
    rk = matrix_rank(D)
    uniform = len({_pattern([z]) for z in pres}) == 1
    curve = True
    for lam in LAMBDAS:
        tl = _rescale(th, dims, lam)
        ol, pl, _ = _point(tl, dims, pts)
        ok = _strict(pl) and _pattern(pl) == _pattern(pres) and tl != th and _cost(ol, tg, kappa) == C
        ok = ok and all(x == 0 for x in _grad(_jacobian(tl, dims, pts, pl), _residual(ol, tg), kappa))
        curve = curve and ok
    vals.update({f"{prefix}_cost": C, f"{prefix}_rank_D": F(rk), f"{prefix}_K": F(K),
                 f"{prefix}_ker_DT_dim": F(QN - rk), f"{prefix}_equilibrium_dim": F(K - rk),
                 f"{prefix}_grad_norm_squared": sum((x * x for x in g), F(0))})
    if any(x != 0 for x in g):
        return "undecided"
    if C == 0:
        return "hypotheses-fail"
    if rk >= QN:
        return "refuted"
    if not (uniform and rk == Q * _feature_rank(pts) and curve and K - rk > 0):
        return "undecided"
    return "proved"


def chk_equilibria(inst, cert):
    pts, tg = _data(inst)
    N, M, Q = len(pts), inst.M, len(inst.Y)
    kappa = _kappa(cert, N)
    w = cert["witness"]
    vals = {"QN": F(Q * N)}
    rd = {"identity-regime": _equilibrium(w.get("identity"), pts, tg, N, Q, kappa, vals, "identity", M),
          "lsq-features": _equilibrium(w.get("lsq"), pts, tg, N, Q, kappa, vals, "lsq", M)}
    fr = w.get("full_rank")
    if not isinstance(fr, dict) or set(fr) != {"dims", "theta"}:
        raise Reject("bad full-rank witness (need exactly dims, theta)")
    dims = _dims(fr.get("dims"), M, Q)
    K = _nparams(dims)
    th = _theta(fr.get("theta"), K)
    outs, pres, _ = _point(th, dims, pts)
    if not _strict(pres):
        rd["full-rank"] = "hypotheses-fail"
    else:
        D = _jacobian(th, dims, pts, pres)
        rk = matrix_rank(D)
        g2 = sum((x * x for x in _grad(D, _residual(outs, tg), kappa)), F(0))
        C = _cost(outs, tg, kappa)
        vals.update({"fullrank_rank_D": F(rk), "fullrank_cost": C, "fullrank_grad_norm_squared": g2})
        rd["full-rank"] = "hypotheses-fail" if rk < Q * N else ("proved" if (g2 == 0) == (C == 0) else "refuted")
    return rd, vals


CHECKERS = {"flow.rank-condition": chk_rank_condition, "flow.exp-rate": chk_exp_rate,
            "flow.stopping-time": chk_stopping_time, "flow.equilibria-rank-loss": chk_equilibria}
ENCLOSURES = {"flow.exp-rate": {"max_rel_deviation"}, "flow.stopping-time": {"T_eps"}}
