"""Kernel checkers for the adapted gradient flow (arXiv:2311.15487, as reconstructed in docs/claims/flow.md).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the instance (or None for an
instance-free claim) and the certificate's witness.

Independent code: the Jacobian is computed by forward differentiation (one tangent per parameter, per point),
the rank by Gaussian elimination over Fraction, PSD tests by symmetric elimination, square-root bounds by
integer square roots, exp by a fixed-point Taylor series after argument reduction.

``flow.exp-rate`` / ``flow.stopping-time``: the certificate carries no orbit.  Its witness is a ball
B(theta_0, R) with operator-norm bounds omega_l >= |W_l| (l >= 2), sigma_0 (sigma_0^2 I <= D_0 D_0^T), a bound E
of |D - D_0|_F on the ball and, for the plain flow, Sigma_0 (D_0 D_0^T <= Sigma_0^2 I).  The kernel re-checks each
bound (Reject if one is false) and re-derives every inequality of the continuation argument
(exactmin/flow/ball.py): |r(0)|^2 (1 - e^{-kappa s_max})^2 <= R^2 sigma^2 for the adapted flow,
Sigma^2 |r(0)|^2 <= R^2 sigma^4 for the plain flow, sigma = sigma_0 - E, Sigma = Sigma_0 + E.  Sizes are checked
before any arithmetic (number lengths, N K^2, the exponent of exp).
"""
from __future__ import annotations

import random
import re
from fractions import Fraction as F

from .core import Reject, enclosure, inverse, is_psd, matmul, matrix_rank, q, qvec, sqrt_bounds, transpose

CHECKERS: dict = {}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()

NORMALISATION = "C = (kappa/2) sum_i |x_i - y_omega(i)|^2"
MAXK = 5000
WORK_LIMIT = 200_000        # N K^2 (as exactmin.flow.ball.WORK_LIMIT): beyond it the ball claims are undecided
MAX_CHARS = 2000            # length of one witness number
EXP_CAP = 20_000            # |t| in exp(t)
ROOT_BITS = 64
MAX_HALVINGS = 6000         # as exactmin.nets.jacobian.MAX_HALVINGS: the smallest pattern radius searched

# the witness fields of each case (one list, shared with exactmin/claims/flow.py)
POINT_FIELDS = {"dims", "theta"}
RANK_FIELDS = {"dims", "theta", "omegas"}
BALL_FIELDS = {"dims", "theta", "radius", "norms", "sigma0", "deviation"}
EXP_RATE_FIELDS = BALL_FIELDS | {"exp_lower"}
STOPPING_FIELDS = BALL_FIELDS | {"Sigma0"}


# ------------------------------------------------------------------------------------------------ setting

def _fields(w, want, what):
    """The witness has exactly the fields ``want`` (every one is then read by the checker)."""
    got = set(dict.keys(w)) if isinstance(w, dict) else None
    if got != set(want):
        raise Reject(f"{what} witness must have exactly the fields {sorted(want)}, got {sorted(got or [])}")
    for k in want:
        w.get(k)


def qs(s) -> F:
    """A witness rational, its length checked before parsing."""
    if isinstance(s, str) and len(s) > MAX_CHARS:
        raise Reject(f"witness number longer than {MAX_CHARS} characters")
    return q(s)


def qsvec(v, n=None):
    if not isinstance(v, list) or (n is not None and len(v) != n):
        raise Reject("bad vector in witness")
    return [qs(x) for x in v]


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
    val = F(1, N) if str(k).replace(" ", "") in ("1/N", "1/n") else qs(str(k))
    if val <= 0 or qs(par.get("kappa_value", "x")) != val:
        raise Reject("bad kappa")
    return val


def _dims(d, M, Q):
    if not isinstance(d, list) or len(d) < 2 or not all(isinstance(x, int) and not isinstance(x, bool)
                                                         and 0 < x <= 64 for x in d):
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


def _bias_cols(dims):
    """First column of each layer's bias block in theta."""
    out, pos = [], 0
    for i in range(len(dims) - 1):
        m, n = dims[i + 1], dims[i]
        out.append(pos + m * n)
        pos += m * n + m
    return out


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


def _norm_ok(om, W) -> bool:
    """om >= |W|_op: om >= 0 and om^2 I - (the smaller Gram matrix of W) is PSD."""
    m, n = len(W), len(W[0])
    if m < n:
        G = [[om * om * (i == j) - sum((W[i][k] * W[j][k] for k in range(n)), F(0)) for j in range(m)]
             for i in range(m)]
    else:
        G = [[om * om * (i == j) - sum((W[k][i] * W[k][j] for k in range(m)), F(0)) for j in range(n)]
             for i in range(n)]
    return om >= 0 and is_psd(G)


def _check_omegas(omegas, theta, dims):
    """ω_ℓ ≥ ‖W_ℓ‖_op for the hidden layers 2..L (flow.rank-condition's pattern radius)."""
    Ws, _ = _layers(theta, dims)
    hidden = Ws[1:-1]
    if len(omegas) != len(hidden):
        raise Reject("wrong number of operator-norm bounds")
    for om, W in zip(omegas, hidden):
        if not _norm_ok(om, W):
            raise Reject("operator-norm bound not certified")


def _sq_up(x):
    return sqrt_bounds(x, ROOT_BITS)[1]


def _radius_ok(r, omegas, acts, pres):
    """The pattern-radius recursion (see exactmin.nets.jacobian), with the kernel's own 64-bit root bounds."""
    if r <= 0:
        return False
    return _errors(r, omegas, acts, pres) is not None


def _errors(r, omegas, acts, pres):
    """Per point [e_1..e_L] of e_l = r (A_{l-1} + e_{l-1} + 1) + omega_l e_{l-1}, or None if some e_l >= the smallest
    |pre-activation| of layer l at that point (then the pattern is not certified on the ball of radius r)."""
    out = []
    for ap, zp in zip(acts, pres):
        e, es = F(0), []
        for ell, z in enumerate(zp):
            A = _sq_up(sum((x * x for x in ap[ell]), F(0)))
            w = omegas[ell - 1] if ell > 0 else F(0)
            e = r * (A + e + 1) + w * e
            if not e < min(abs(v) for v in z):
                return None
            es.append(e)
        out.append(es)
    return out


def _theta(v, K):
    return qsvec(v, K)


# ------------------------------------------------------------------------------------------------ parameters

# the parameters object of each claim (exactmin/claims/flow.py _params): every key is read and bound below
BASE_PARAMS = {"start", "seed", "widths", "theta", "kappa", "kappa_value", "normalisation", "start_note"}
PARAMS = {"flow.rank-condition": BASE_PARAMS, "flow.exp-rate": BASE_PARAMS | {"s_max"},
          "flow.stopping-time": BASE_PARAMS | {"eps"},
          "flow.equilibria-rank-loss": BASE_PARAMS | {"layers", "feature_seed"}}
GRID = 2 ** 24              # exactmin.flow.start.GRID
ATTEMPTS = 6                # exactmin.flow.start.ATTEMPTS
_CONSTRUCTED = re.compile(r"constructed \(seed (-?\d+), attempt (\d+)\): theta_\* interpolates the data exactly, "
                          r"theta_0 = theta_\* \+ (\d+(?:/\d+)?) u rounded to 2\^-24")


def _int(x, what, lo=None, hi=None):
    if not isinstance(x, int) or isinstance(x, bool) or (lo is not None and x < lo) or (hi is not None and x > hi):
        raise Reject(f"parameter {what} must be an integer in range")
    return x


def _random_theta(seed, K):
    """exactmin.nets.jacobian.random_net(random.Random(seed), dims), flattened: entries randint(-8, 8)/4."""
    rng = random.Random(seed)
    return [F(rng.randint(-8, 8), 4) for _ in range(K)]


def _hidden_layer(rng, inputs, m):
    """exactmin.flow.start._hidden_layer over Fraction: random rows, the kink in a random gap of the data."""
    n = len(inputs[0])
    W, b = [], []
    for k in range(m):
        while True:
            row = [F(rng.randint(-8, 8), 4) for _ in range(n)]
            if any(x != 0 for x in row):
                break
        vals = sorted({sum((w * x for w, x in zip(row, a)), F(0)) for a in inputs})
        gaps = [(vals[i] + vals[i + 1]) / 2 for i in range(len(vals) - 1)]
        spread = max(vals[-1] - vals[0], F(1))
        c = rng.choice(gaps) if k > 0 and gaps else vals[0] - spread / 2
        W.append(row)
        b.append(-c)
    outs = [[max(sum((W[k][j] * a[j] for j in range(n)), F(0)) + b[k], F(0)) for k in range(m)] for a in inputs]
    return W, b, outs


def _constructed_theta(seed, att, t, dims, pts, tg):
    """exactmin.flow.start.construct's theta_0 for the recorded attempt and step t: theta_* (random hidden layers,
    exact minimum-norm interpolating output layer Z^T (Z Z^T)^-1 Y) shifted by t u and rounded down to 2^-24."""
    rng = random.Random(seed * 1000 + att)
    acts = [list(p) for p in pts]
    theta = []
    for m in dims[1:-1]:
        W, b, acts = _hidden_layer(rng, acts, m)
        theta += [x for row in W for x in row] + b
    Z = [list(a) + [F(1)] for a in acts]
    if matrix_rank(Z) < len(pts):
        raise Reject("the recorded construction has no interpolating output layer")
    X = matmul(transpose(Z), matmul(inverse(matmul(Z, transpose(Z))), [list(y) for y in tg]))
    m, Q = dims[-2], dims[-1]
    theta += [X[a][qq] for qq in range(Q) for a in range(m)] + [X[m][qq] for qq in range(Q)]
    u = [F(rng.randint(-8, 8), 8) for _ in theta]
    return [F(((a + t * c) * GRID).numerator // ((a + t * c) * GRID).denominator, GRID) for a, c in zip(theta, u)]


def _default_width(M, Q, N):
    """exactmin.flow.start.default_dims: max(the rank-condition default max(2, ceil((QN - Q)/(M + Q))), N - 1)."""
    return max(max(2, -(-(Q * N - Q) // (M + Q))), N - 1)


def _check_start(cert, cid, dims, th, pts, tg, M, Q):
    """Bind the parameters to theta_0: every key of PARAMS[cid] is present and no other; widths give dims; theta_0
    is the option theta, or the random network of the seed, or the recorded construction of the seed, re-derived."""
    par = cert["parameters"]
    if set(dict.keys(par)) != PARAMS[cid]:
        raise Reject(f"parameters must have exactly the fields {sorted(PARAMS[cid])}")
    start, seed, widths, theta, note = (par.get(k) for k in ("start", "seed", "widths", "theta", "start_note"))
    if start not in ("auto", "random") or not all(isinstance(x, str) for x in (widths, theta, note)):
        raise Reject("bad start parameters")
    _int(seed, "seed")
    N = len(pts)
    if widths.strip():
        try:
            ws = [int(t) for t in widths.split(",")]
        except ValueError:
            raise Reject("bad widths") from None
        if ws != dims[1:-1]:
            raise Reject("dims do not match the parameter widths")
    elif dims != [M, _default_width(M, Q, N), Q]:
        raise Reject("dims are not the default architecture")
    if theta.strip():
        try:
            given = [F(t.strip()) for t in theta.split(",") if len(t) <= MAX_CHARS]
        except (ValueError, ZeroDivisionError):
            raise Reject("bad parameter theta") from None
        if given != th or note != "given by the option theta":
            raise Reject("theta_0 is not the option theta")
        return
    rnd = f"random network from seed {seed}"
    if start == "random" or note.startswith(rnd + " (no constructed start: "):
        if not (note == rnd if start == "random" else note.endswith(")")) or th != _random_theta(seed, len(th)):
            raise Reject("theta_0 is not the random network of the seed")
        return
    m = _CONSTRUCTED.fullmatch(note)
    if not m or int(m.group(1)) != seed or not int(m.group(2)) < ATTEMPTS or len(m.group(3)) > 100:
        raise Reject("start_note does not record a construction of the seed")
    if _constructed_theta(seed, int(m.group(2)), F(m.group(3)), dims, pts, tg) != th:
        raise Reject("theta_0 is not the recorded construction of the seed")


def _check_provenance(cert, values):
    """Every value is re-derived exactly here, every enclosure re-checked: the tags must say exactly that."""
    want = {k: "exact" for k in values}
    want.update({k: "enclosure" for k in cert.get("enclosures", {})})
    if cert.get("provenance", {}) != want:
        raise Reject("provenance must tag every value 'exact' and every enclosure 'enclosure'")


# ------------------------------------------------------------------------------------------------ exp

def _exp_fixed(t: F, P: int):
    """Integers (lo, hi) with lo/2^P <= e^t <= hi/2^P, 0 <= t <= EXP_CAP: e^t = (e^{t/2^k})^{2^k} with t/2^k <= 2^-10,
    a Taylor series in fixed point (each term rounded down resp. up, tail bounded by twice the next term), then k
    squarings rounded outward."""
    k = max(0, t.numerator.bit_length() - t.denominator.bit_length() + 11)
    x = t / (1 << k)
    one = 1 << P
    xlo, xhi = (x.numerator << P) // x.denominator, -((-x.numerator << P) // x.denominator)
    slo = shi = one
    tlo = thi = one
    n = 0
    while True:
        n += 1
        tlo = ((tlo * xlo) >> P) // n                   # rounded down
        up = -((-(thi * xhi)) >> P)                    # ceil(thi xhi / 2^P)
        thi = -((-up) // n)                            # rounded up
        slo += tlo
        shi += thi
        if thi <= 1:
            break
    shi += 2 * thi + 1                       # tail: sum_{m>n} x^m/m! <= 2 x^{n+1}/(n+1)! for x <= 1/2
    for _ in range(k):
        slo = slo * slo >> P
        shi = -(-(shi * shi) >> P)
    return slo, shi


def exp_bounds(t: F, extra: int = 0):
    """Rationals lo <= e^t <= hi (|t| <= EXP_CAP), relative accuracy about 2^-(150 + extra)."""
    if abs(t) > EXP_CAP:
        raise Reject(f"exponent {float(t):.3g} out of range (|t| <= {EXP_CAP})")
    neg = t < 0
    P = 200 + extra + 2 * (t.numerator.bit_length() + t.denominator.bit_length())
    lo, hi = _exp_fixed(-t if neg else t, P)
    lo, hi = F(lo, 1 << P), F(hi, 1 << P)
    return (1 / hi, 1 / lo) if neg else (lo, hi)


def _T_enclosure_ok(Tlo, Thi, c0, eps, kappa):
    """Tlo <= ln(c0/eps)/(2 kappa) <= Thi, i.e. e^{2 kappa Tlo} <= c0/eps <= e^{2 kappa Thi}, decided exactly."""
    ratio = c0 / eps
    extra = 2 * (ratio.numerator.bit_length() + ratio.denominator.bit_length())
    if 2 * kappa * Thi > EXP_CAP or Tlo < 0:
        raise Reject("T_eps enclosure out of range")
    return exp_bounds(2 * kappa * Tlo, extra)[1] <= ratio <= exp_bounds(2 * kappa * Thi, extra)[0]


# ------------------------------------------------------------------------------------------------ checkers

def _setup(inst, cert, key="dims"):
    pts, tg = _data(inst)
    N, M, Q = len(pts), inst.M, len(inst.Y)
    kappa = _kappa(cert, N)
    w = cert["witness"]
    if not isinstance(w, dict):
        raise Reject("bad witness")
    dims = _dims(w.get(key), M, Q)
    K = _nparams(dims)
    if K > MAXK:
        raise Reject("network too large for the kernel")
    return pts, tg, N, Q, kappa, dims, K


def chk_rank_condition(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    w = cert["witness"]
    _fields(w, RANK_FIELDS, "flow.rank-condition")
    th = _theta(w.get("theta"), K)
    _check_start(cert, "flow.rank-condition", dims, th, pts, tg, inst.M, Q)
    om = qsvec(w.get("omegas"))
    QN, hid = Q * N, sum(dims[1:-1])
    outs, pres, acts = _point(th, dims, pts)
    vals = {"K": F(K), "QN": F(QN), "hidden_neurons": F(hid), "structural_bound": F(K - hid), "kappa": kappa,
            "cost_0": _cost(outs, tg, kappa)}
    rd = {"overparametrized": "proved" if K - hid >= QN else "hypotheses-fail"}
    if not _strict(pres):
        if om:
            raise Reject("operator-norm bounds recorded at a point that is not strictly inside a region")
        rd.update({"interior": "hypotheses-fail", "full-rank": "hypotheses-fail"})
        return rd, vals
    _check_omegas(om, th, dims)
    margin = min(abs(v) for zp in pres for z in zp for v in z)
    values = cert["values"]
    if isinstance(values, dict) and "pattern_radius" not in values:
        # the library found no radius >= min margin 2^-MAX_HALVINGS: that radius must fail with these omegas
        if _radius_ok(margin / (F(2) ** MAX_HALVINGS), om, acts, pres):
            raise Reject("interior undecided although the pattern radius min margin 2^-6000 is certified")
        interior = "undecided"
    else:
        r = qs(values.get("pattern_radius", "x"))
        if not _radius_ok(r, om, acts, pres):
            raise Reject("pattern radius not certified")
        interior = "proved"
        vals["pattern_radius"] = r
    D = _jacobian(th, dims, pts, pres)
    rk = matrix_rank(D)
    g = _grad(D, _residual(outs, tg), kappa)
    rd.update({"interior": interior, "full-rank": "proved" if rk == QN else "hypotheses-fail"})
    vals.update({"rank_D": F(rk), "min_abs_preactivation": margin, "grad_norm_squared": sum((x * x for x in g), F(0))})
    return rd, vals


def _hyp_fail(th, dims, pts, K, QN, N):
    """The library's _hyp_fail_point rule: None if theta_0 is a strict full-rank point of an overparametrized net
    (rank tested only within the work limit); else the evaluation is not needed."""
    if len(dims) < 3 or K - sum(dims[1:-1]) < QN:
        return True
    _, pres, _ = _point(th, dims, pts)
    if not _strict(pres):
        return True
    if N * K * K <= WORK_LIMIT and matrix_rank(_jacobian(th, dims, pts, pres)) != QN:
        return True
    return False


def _ball(w, th, dims, pts, tg, kappa, Q, need_Sigma):
    """Re-check every bound of the ball witness; return (R, sigma0, E, Sigma0 or None, |r(0)|^2, D_0 facts)."""
    L = len(dims) - 2
    R = qs(w.get("radius"))
    norms = qsvec(w.get("norms"), L)
    s0, E = qs(w.get("sigma0")), qs(w.get("deviation"))
    S0 = qs(w.get("Sigma0")) if need_Sigma else None
    if R < 0 or s0 < 0 or E < 0 or (S0 is not None and S0 < 0):
        raise Reject("negative radius or bound in the ball witness")
    Ws, _ = _layers(th, dims)
    for om, W in zip(norms, Ws[1:]):
        if not _norm_ok(om, W):
            raise Reject("operator-norm bound of the ball not certified (omega^2 I - W^T W is not PSD)")
    outs, pres, acts = _point(th, dims, pts)
    D = _jacobian(th, dims, pts, pres)
    n = len(D)
    G = [[sum((a * b for a, b in zip(D[i], D[j])), F(0)) for j in range(n)] for i in range(n)]
    if not is_psd([[G[i][j] - s0 * s0 * (i == j) for j in range(n)] for i in range(n)]):
        raise Reject("sigma_0 not certified: D_0 D_0^T - sigma_0^2 I is not PSD")
    if S0 is not None and not is_psd([[S0 * S0 * (i == j) - G[i][j] for j in range(n)] for i in range(n)]):
        raise Reject("Sigma_0 not certified: Sigma_0^2 I - D_0 D_0^T is not PSD")
    errs = _errors(R, norms, acts, pres)
    if errs is None:
        raise Reject("ball radius not certified: a pre-activation may change sign on B(theta_0, R)")
    bcols = _bias_cols(dims)
    tot = F(0)
    for pi, (ap, es) in enumerate(zip(acts, errs)):
        # g_l >= |G_l|_F from the bias columns of D_0 (l = 1..L+1), U_l >= |(a_{l-1}, 1)|
        g = [_sq_up(sum((D[pi * Q + qq][bcols[ell] + i] ** 2 for qq in range(Q) for i in range(dims[ell + 1])), F(0)))
             for ell in range(L + 1)]
        U = [_sq_up(sum((x * x for x in ap[ell]), F(0)) + 1) for ell in range(L + 1)]
        ep = [F(0)] + es
        gam = [F(0)] * (L + 2)           # gam[l], l = 1..L+1; gam[L+1] = 0
        for ell in range(L, 0, -1):
            gam[ell] = gam[ell + 1] * (norms[ell - 1] + R) + g[ell] * R
        for ell in range(1, L + 2):
            d = gam[ell] * (U[ell - 1] + ep[ell - 1]) + g[ell - 1] * ep[ell - 1]
            tot += d * d
    if E * E < tot:
        raise Reject("Jacobian deviation bound not certified: E^2 < the kernel's bound of |D - D_0|_F^2 on the ball")
    r0sq = sum((x * x for x in _residual(outs, tg)), F(0))
    return R, s0, E, S0, r0sq, _cost(outs, tg, kappa)


def chk_exp_rate(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    w = cert["witness"]
    par = cert["parameters"]
    QN = Q * N
    th0 = _theta(w.get("theta"), K)
    _check_start(cert, "flow.exp-rate", dims, th0, pts, tg, inst.M, Q)
    names = ("region", "rank", "rate")
    sm = par.get("s_max", "")
    if _hyp_fail(th0, dims, pts, K, QN, N):
        _fields(w, POINT_FIELDS, "flow.exp-rate")
        return {n: "hypotheses-fail" for n in names}, {}
    c0 = _cost(_point(th0, dims, pts)[0], tg, kappa)
    if N * K * K > WORK_LIMIT:
        _fields(w, POINT_FIELDS, "flow.exp-rate")
        return {n: "undecided" for n in names}, {"kappa": kappa, "cost_0": c0}
    _fields(w, EXP_RATE_FIELDS, "flow.exp-rate")
    R, s0, E, _, r0sq, c0 = _ball(w, th0, dims, pts, tg, kappa, Q, False)
    vals = {"kappa": kappa, "cost_0": c0, "residual_norm_squared": r0sq, "ball_radius": R, "sigma_0": s0,
            "jacobian_deviation": E, "sigma_lower": s0 - E}
    el = w.get("exp_lower")
    if sm in ("", None):
        if el is not None:
            raise Reject("exp_lower recorded without a horizon s_max")
        f = F(1)
    else:
        s_max = qs(sm)
        el = qs(el)
        if s_max <= 0 or kappa * s_max > 10 ** 4:
            raise Reject("bad horizon s_max")
        if el < 0 or el * exp_bounds(kappa * s_max)[1] > 1:
            raise Reject("exp_lower is not a lower bound of e^(-kappa s_max)")
        f = 1 - el
        vals.update({"s_max": s_max, "exp_lower": el})
    sig = s0 - E
    ok = sig > 0 and r0sq * f * f <= (R * sig) ** 2
    v = "proved" if ok else "undecided"
    return {n: v for n in names}, vals


def chk_stopping_time(inst, cert):
    pts, tg, N, Q, kappa, dims, K = _setup(inst, cert)
    par = cert["parameters"]
    QN = Q * N
    eps = qs(par.get("eps", "x"))
    if eps <= 0:
        raise Reject("eps must be positive")
    w = cert["witness"]
    th0 = _theta(w.get("theta"), K)
    _check_start(cert, "flow.stopping-time", dims, th0, pts, tg, inst.M, Q)
    names = ("orbit", "a-priori", "plain-flow")
    if _hyp_fail(th0, dims, pts, K, QN, N):
        _fields(w, POINT_FIELDS, "flow.stopping-time")
        return {n: "hypotheses-fail" for n in names}, {}
    c0 = _cost(_point(th0, dims, pts)[0], tg, kappa)
    Tlo, Thi = enclosure(cert["enclosures"].get("T_eps"))
    if c0 <= eps:               # the stopping time max(0, ln(C(0)/eps)/(2 kappa)) is exactly 0
        if (Tlo, Thi) != (0, 0):
            raise Reject("T_eps must be [0, 0] when C(0) <= eps")
    elif not _T_enclosure_ok(Tlo, Thi, c0, eps, kappa):
        raise Reject("T_eps enclosure does not contain ln(C(0)/eps)/(2 kappa)")
    vals = {"kappa": kappa, "eps": eps, "cost_0": c0}
    if N * K * K > WORK_LIMIT:
        _fields(w, POINT_FIELDS, "flow.stopping-time")
        return {n: "undecided" for n in names}, vals
    _fields(w, STOPPING_FIELDS, "flow.stopping-time")
    R, s0, E, S0, r0sq, _ = _ball(w, th0, dims, pts, tg, kappa, Q, True)
    sig, Sig = s0 - E, S0 + E
    vals.update({"residual_norm_squared": r0sq, "ball_radius": R, "sigma_0": s0, "jacobian_deviation": E,
                 "sigma_lower": sig, "Sigma_0": S0, "Sigma_upper": Sig})
    orbit = "proved" if sig > 0 and r0sq <= (R * sig) ** 2 else "undecided"
    plain = "proved" if sig > 0 and Sig * Sig * r0sq <= R * R * sig ** 4 else "undecided"
    if plain == "proved":
        vals.update({"T_plain_lower": Tlo / (Sig * Sig), "T_plain_upper": Thi / (sig * sig)})
    return {"orbit": orbit, "a-priori": orbit, "plain-flow": plain}, vals


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


def _check_equilibrium_options(par, w, pts, M, Q):
    """layers = the hidden layers of the identity-regime network; feature_seed re-derives the lsq-features hidden
    layer (exactmin.flow.equilibria.lsq_features: random_net weights of width M + 2, biases by rng.random())."""
    layers, fs = _int(par.get("layers"), "layers", 1, 8), _int(par.get("feature_seed"), "feature_seed")
    if len(w["identity"]["dims"]) - 2 != layers:
        raise Reject("the identity-regime network does not have the parameter's number of hidden layers")
    lsq = w["lsq"]
    wd = M + 2
    if lsq["dims"] != [M, wd, Q]:
        raise Reject("the lsq-features network does not have the default width M + 2")
    rng = random.Random(fs)
    draws = [F(rng.randint(-8, 8), 4) for _ in range(_nparams([M, wd, 1]))]
    W = [draws[k * M:(k + 1) * M] for k in range(wd)]
    b = []
    for k in range(wd):
        vals = [sum((W[k][i] * p[i] for i in range(M)), F(0)) for p in pts]
        active = k != 0 and (k == 1 or rng.random() < 0.6)
        b.append((1 - min(vals)) if active else (-1 - max(vals)))
    if _theta(lsq["theta"], _nparams(lsq["dims"]))[:wd * M + wd] != [x for row in W for x in row] + b:
        raise Reject("the lsq-features hidden layer is not the one of the parameter feature_seed")


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
    _check_start(cert, "flow.equilibria-rank-loss", dims, th, pts, tg, M, Q)
    _check_equilibrium_options(cert["parameters"], w, pts, M, Q)
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


def _with_provenance(chk):
    def run(inst, cert):
        rd, vals = chk(inst, cert)
        _check_provenance(cert, vals)
        return rd, vals
    run.__doc__ = chk.__doc__
    return run


CHECKERS = {cid: _with_provenance(c) for cid, c in (
    ("flow.rank-condition", chk_rank_condition), ("flow.exp-rate", chk_exp_rate),
    ("flow.stopping-time", chk_stopping_time), ("flow.equilibria-rank-loss", chk_equilibria))}
ENCLOSURES = {"flow.stopping-time": {"T_eps"}}
