"""Kernel checkers for the geometric claims of the deep paper: (4.30), (2.61), (2.68).

Standard library plus the kernel core only (relative imports).  Every verdict and value is re-derived from
the instance and the witness (λ; for (2.61)/(2.68) also µ, tol, ũ, f̃_ℓ, R_ℓ, from which the construction
of Theorem 2.3 is rebuilt and checked as in ``deep.chk_thm23``); nothing in the certificate's values is
trusted.  The angle enclosures of (4.30) are re-checked against the kernel's own arctan bounds
(alternating Taylor series, Machin's formula for π).
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import (
    Reject,
    det,
    dot,
    enclosure,
    eye,
    forward,
    inverse,
    is_psd,
    matmul,
    matvec,
    q,
    qmat,
    qvec,
    sqrt_bounds,
    tau,
    transpose,
)
from .deep import _all_pairs_positive, _mu_outside_I0, _unit_close, deep_hypotheses

# ------------------------------------------------------------------------------------------------ arctan


def _atan_small(z: F, eps: F):
    """[lo, hi] ∋ arctan(z) for 0 <= z <= 1/2: the value lies between consecutive partial sums of the
    alternating series Σ (−1)^n z^{2n+1}/(2n+1), whose terms decrease."""
    s, p, n, zz = F(0), z, 0, z * z
    while True:
        t = p / (2 * n + 1)
        nxt = s + t if n % 2 == 0 else s - t
        if t < eps:
            return min(s, nxt), max(s, nxt)
        s, p, n = nxt, p * zz, n + 1


def _pi(eps: F):
    """[lo, hi] ∋ π = 16 arctan(1/5) − 4 arctan(1/239)."""
    a_lo, a_hi = _atan_small(F(1, 5), eps)
    b_lo, b_hi = _atan_small(F(1, 239), eps)
    return 16 * a_lo - 4 * b_hi, 16 * a_hi - 4 * b_lo


def _atan(x: F, eps: F):
    """[lo, hi] ∋ arctan(x), rational x >= 0 (argument reduction to |z| <= 1/2)."""
    if x > 1:
        p_lo, p_hi = _pi(eps)
        a_lo, a_hi = _atan(1 / x, eps)
        return p_lo / 2 - a_hi, p_hi / 2 - a_lo
    if x > F(1, 2):                     # arctan x = π/4 − arctan((1 − x)/(1 + x)), (1−x)/(1+x) < 1/3
        p_lo, p_hi = _pi(eps)
        a_lo, a_hi = _atan_small((1 - x) / (1 + x), eps)
        return p_lo / 4 - a_hi, p_hi / 4 - a_lo
    return _atan_small(x, eps)


def _check_angle(enc, tan_sq: F):
    """The enclosure contains 2 arctan(√tan_sq) (arctan increasing; √ by isqrt bounds)."""
    lo, hi = enclosure(enc)
    for bits in (64, 128):
        s_lo, s_hi = sqrt_bounds(tan_sq, bits)
        eps = F(1, 2 ** bits)
        a_lo, _ = _atan(s_lo, eps)
        _, b_hi = _atan(s_hi, eps)
        if lo <= 2 * a_lo and 2 * b_hi <= hi:
            return
    raise Reject("angle enclosure does not contain the value")


# ------------------------------------------------------------------------------------------------ (4.30)

EQ430 = ("fixes-u", "shrinks-complement", "opnorm", "inverse-opnorm", "cone-map", "cone-in-orthant", "aperture")


def chk_eq430(inst, cert):
    rd, hv = deep_hypotheses(inst)
    hyp_ok = all(rd.values())
    w = cert["witness"]
    Q = inst.Q
    if "lambda" not in w:
        if hyp_ok:
            raise Reject("lambda missing from the witness")
        return {n: "hypotheses-fail" for n in EQ430}, {}
    if set(w) != {"lambda"}:
        raise Reject("unexpected witness fields")
    lam = q(w["lambda"])
    if not 0 < lam <= 1:
        raise Reject("lambda must lie in (0, 1]")
    if Q < 2:
        return {n: "hypotheses-fail" for n in EQ430}, {}
    t = lam * lam * (Q - 1)
    kappa, kQ = t / (1 + t), F(Q - 1, Q)
    u = [F(1)] * Q
    I = eye(Q)
    W = [[(1 - lam) / Q + (lam if i == j else 0) for j in range(Q)] for i in range(Q)]
    res = {"fixes-u": matvec(W, u) == u}
    ok = True
    for k in range(1, Q):
        e = [F(1) if i == 0 else (F(-1) if i == k else F(0)) for i in range(Q)]
        ok = ok and matvec(W, e) == [lam * x for x in e]
    res["shrinks-complement"] = ok
    WtW = matmul(transpose(W), W)
    Wu = matvec(W, u)
    res["opnorm"] = is_psd([[I[i][j] - WtW[i][j] for j in range(Q)] for i in range(Q)]) and dot(Wu, Wu) == Q
    Wi = inverse(W)
    G = matmul(transpose(Wi), Wi)
    e12 = [F(1), F(-1)] + [F(0)] * (Q - 2)
    We = matvec(Wi, e12)
    res["inverse-opnorm"] = (is_psd([[I[i][j] / (lam * lam) - G[i][j] for j in range(Q)] for i in range(Q)])
                             and dot(We, We) * lam * lam == 2)
    A_star = [[1 - (Q * kappa if i == j else 0) for j in range(Q)] for i in range(Q)]
    A_Q = [[1 - (Q * kQ if i == j else 0) for j in range(Q)] for i in range(Q)]
    c = (1 + t) / Q
    lhs = matmul(transpose(W), matmul(A_Q, W))
    res["cone-map"] = (c > 0 and lhs == [[c * x for x in r] for r in A_star] and matvec(transpose(W), u) == u)
    ok = True
    for k in range(Q):
        S = [[-(A_Q[i][j] + (Q if i == j == k else 0) - (1 if j == k else 0) - (1 if i == k else 0))
              for j in range(Q)] for i in range(Q)]
        touch = [F(0) if i == k else F(1) for i in range(Q)]
        ok = ok and is_psd(S) and dot(touch, matvec(A_Q, touch)) == 0 and dot(u, touch) >= 0
    res["cone-in-orthant"] = ok
    readings = {n: "proved" if v else "refuted" for n, v in res.items()}
    tan_star, tan_Q = (1 - kappa) / kappa, F(1, Q - 1)
    ident = lam * lam * tan_star == tan_Q and kappa > 0
    if not hyp_ok:
        readings["aperture"] = "hypotheses-fail"
    else:
        th = _all_pairs_positive(inst, 16 * hv["delta_squared"], kappa, F(0))
        readings["aperture"] = ("proved" if th is True and ident else "hypotheses-fail" if th is False
                                else "refuted" if not ident else "undecided")
    _check_angle(cert["enclosures"].get("theta_star"), tan_star)
    _check_angle(cert["enclosures"].get("theta_Q"), tan_Q)
    return readings, {"lambda": lam, "kappa": kappa, "kappa_Q": kQ, "tan_sq_half_theta_star": tan_star,
                      "tan_sq_half_theta_Q": tan_Q, "opnorm": F(1), "inverse_opnorm": 1 / lam, "cone_form_factor": c}


# ------------------------------------------------------------------------------------------------ construction

def _rebuild(inst, w, extra=()):
    """The construction (4.24)–(4.58) for L = Q from the witness, checked as in chk_thm23; also whether
    λ and µ are certified (θ_* > max θ_*,j, µ < −2δ√Q, µ > −D)."""
    if not isinstance(w, dict) or set(w) - {"lambda", "mu", "tol", "u_tilde", "f_tilde", "R"} - set(extra):
        raise Reject("unexpected witness fields")
    Q, M = inst.Q, inst.M
    lam, mu, tol = q(w.get("lambda")), q(w.get("mu")), q(w.get("tol"))
    if not (0 < lam <= 1) or tol <= 0:
        raise Reject("lambda must lie in (0, 1], tol > 0")
    _, hv = deep_hypotheses(inst)
    dsq = hv["delta_squared"]
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    theta = _all_pairs_positive(inst, 16 * dsq, kappa, F(0))
    upper = mu < 0 and mu * mu > 4 * dsq * Q
    lower = _all_pairs_positive(inst, dsq, kappa, -mu)
    # hypotheses-fail only when µ ∈ I_0 is exactly false for every θ_0; a θ_* or µ failing for this θ_0 only is
    # "not certified" (undecided), as in chk_thm23
    status = (False if _mu_outside_I0(inst, dsq, mu)
              else True if theta is True and upper and lower is True else None)
    ut = qvec(w.get("u_tilde"), Q)
    fts = [qvec(f, Q) for f in w.get("f_tilde") or []]
    Rs = [qmat(R, Q, Q) for R in w.get("R") or []]
    if len(fts) != Q or len(Rs) != Q or not _unit_close(ut, [F(1)] * Q, tol):
        raise Reject("u~ / f~ / R missing or not within tol")
    Ws = [[(1 - lam) / Q + (lam if i == j else 0) for j in range(Q)] for i in range(Q)]
    apex, Wc, bc = [], [], []
    for ell in range(Q):
        v = [inst.bary[r] - inst.means[ell][r] for r in range(M)]
        if not _unit_close(fts[ell], v, tol):
            raise Reject(f"f~_{ell + 1} is not a unit vector within tol of f_{ell + 1}")
        R = Rs[ell]
        if matmul(transpose(R), R) != eye(Q) or det(R) != 1 or matvec(R, fts[ell]) != ut:
            raise Reject(f"R_{ell + 1} is not a rotation mapping f~ to u~")
        cpt = [inst.means[ell][r] - mu * fts[ell][r] for r in range(M)]
        W = matmul(Ws, R)
        apex.append(cpt), Wc.append(W), bc.append([-x for x in matvec(W, cpt)])
    return {"lam": lam, "mu": mu, "tol": tol, "dsq": dsq, "apex": apex, "Wc": Wc, "bc": bc, "Winv": [inverse(W) for W in Wc],
                "status": status}


def _apply_status(readings, status, keep=()):
    """µ ∈ I_0 is a hypothesis: exactly false (every θ_0) -> hypotheses-fail; not certified -> undecided."""
    if status is True:
        return readings
    return {n: v if n in keep else ("hypotheses-fail" if status is False else "undecided") for n, v in readings.items()}


def _composite(con, x):
    for W, Wi, b in zip(con["Wc"], con["Winv"], con["bc"]):
        x = tau(W, Wi, b, x)
    return x


# ------------------------------------------------------------------------------------------------ (2.68)

EQ268 = ("collapse-at-layer", "identity-before", "apex-fixed-after", "cumulative")


def chk_eq268(inst, cert):
    rd, hv = deep_hypotheses(inst)
    vals = {"delta_squared": hv["delta_squared"]}
    if not all(rd.values()) or inst.Q < 2:
        return {n: "hypotheses-fail" for n in EQ268}, vals
    con = _rebuild(inst, cert["witness"], extra=("counterexamples",))
    Q, dsq = inst.Q, con["dsq"]
    coll = ident = apex_m = None
    for j in range(Q):
        xb = inst.means[j]
        for ell in range(Q):
            W, b = con["Wc"][ell], con["bc"][ell]
            if ell > j:
                z = [a + c for a, c in zip(matvec(W, con["apex"][j]), b)]
                apex_m = min(z) if apex_m is None else min(apex_m, min(z))
                continue
            if ell == j and matvec(con["Winv"][j], [-x for x in b]) != con["apex"][j]:
                raise Reject("apex is not -W^{-1} b")
            sign = -1 if ell == j else 1
            for row, bk in zip(W, b):
                n_sq = dot(row, row)
                s = dot(row, xb) + bk
                m = sign * ((s > 0) - (s < 0)) * s * s / n_sq - dsq
                if ell == j:
                    coll = m if coll is None else min(coll, m)
                else:
                    ident = m if ident is None else min(ident, m)
    readings = {"collapse-at-layer": "proved" if coll >= 0 else "refuted",
                "identity-before": "proved" if ident >= 0 else "refuted",
                "apex-fixed-after": "proved" if apex_m >= 0 else "refuted"}
    ces = cert["witness"].get("counterexamples", [])
    if not isinstance(ces, list):
        raise Reject("bad counterexamples")
    for ce in ces:
        if not isinstance(ce, dict) or set(ce) != {"class", "point"} or not isinstance(ce["class"], int):
            raise Reject("bad counterexample")
        j = ce["class"] - 1
        if not 0 <= j < Q:
            raise Reject("bad counterexample class")
        x = qvec(ce["point"], inst.M)
        if sum((a - c) ** 2 for a, c in zip(x, inst.means[j])) > dsq or _composite(con, x) == con["apex"][j]:
            raise Reject("counterexample is not a point of the ball with tau(x) != c_j")
    if all(v == "proved" for v in readings.values()):
        if ces:
            raise Reject("counterexamples listed for a proved statement")
        readings["cumulative"] = "proved"
    else:
        readings["cumulative"] = "refuted" if ces else "undecided"
    readings = _apply_status(readings, con["status"])
    vals.update({"lambda": con["lam"], "mu": con["mu"], "tol": con["tol"], "collapse_margin_sq": coll,
                 "identity_margin_sq": ident, "apex_min_preactivation": apex_m})
    return readings, vals


# ------------------------------------------------------------------------------------------------ (2.61)

EQ261 = ("metric", "labels-at-apexes", "agrees-on-data", "agrees-on-samples")


def _argmin(d2):
    m = min(d2)
    return {i for i, v in enumerate(d2) if v == m}


def chk_eq261(inst, cert):
    rd, _ = deep_hypotheses(inst)
    if not all(rd.values()) or inst.Q < 2:
        return {n: "hypotheses-fail" for n in EQ261}, {}
    w = cert["witness"]
    con = _rebuild(inst, w, extra=("samples",))
    Q, M = inst.Q, inst.M
    C = [[con["apex"][j][r] for j in range(Q)] for r in range(Q)]
    # X_0^red[µ] singular (two apexes coincide): Y (X_0^red[µ])^{-1} does not exist and the library uses A = 0
    A = [[F(0)] * Q for _ in inst.Y] if det(C) == 0 else matmul(inst.Y, inverse(C))
    dA = det(A)
    ys = [inst.y(j) for j in range(Q)]
    labels = all(matvec(A, con["apex"][j]) == ys[j] for j in range(Q))
    # layer parameters by (2.45) from the cumulative ones [W^(1..Q), A], [b^(1..Q), 0]
    Wcum, bcum = con["Wc"] + [A], con["bc"] + [[F(0)] * len(inst.Y)]
    Wl, bl = [Wcum[0]], [bcum[0]]
    for ell in range(1, Q + 1):
        Wk = matmul(Wcum[ell], con["Winv"][ell - 1])
        Wl.append(Wk)
        bl.append([a - c for a, c in zip(bcum[ell], matvec(Wk, bcum[ell - 1]))])

    def run(pts):
        ok, wins = True, []
        for x in pts:
            out = forward(Wl, bl, x)[1]
            t = _composite(con, x)
            d_net = [sum((a - b) ** 2 for a, b in zip(out, ys[j])) for j in range(Q)]
            diffs = [matvec(A, [a - c for a, c in zip(t, con["apex"][j])]) for j in range(Q)]
            d_met = [dot(v, v) for v in diffs]
            ok = ok and out == matvec(A, t) and d_net == d_met and _argmin(d_net) == _argmin(d_met)
            wins.append(_argmin(d_met))
        return ok, wins

    data = [p for c in inst.classes for p in c]
    own = [j for j, c in enumerate(inst.classes) for _ in c]
    ok_d, win_d = run(data)
    samples = w.get("samples")
    if not isinstance(samples, list) or not samples:
        raise Reject("samples missing")
    ok_s, win_s = run([qvec(p, M) for p in samples])
    readings = {"metric": "proved" if dA != 0 else "refuted",
                "labels-at-apexes": "proved" if labels else "refuted",
                "agrees-on-data": "proved" if ok_d else "refuted",
                "agrees-on-samples": "proved" if ok_s else "refuted"}
    if det(C) == 0:           # the (2.61) network and metric do not exist: only "metric" is decided (refuted)
        readings.update({n: "undecided" for n in EQ261[1:]})
    readings = _apply_status(readings, con["status"], keep=("metric",))
    acc = F(sum(1 for wn, j in zip(win_d, own) if wn == {j}), inst.N)
    return readings, {"lambda": con["lam"], "mu": con["mu"], "tol": con["tol"], "det_metric_matrix": dA,
                      "points": F(inst.N), "samples": F(len(samples)), "accuracy": acc,
                      "sample_ties": F(sum(1 for wn in win_s if len(wn) > 1))}


CHECKERS: dict = {"deep.eq4.30": chk_eq430, "deep.eq2.68": chk_eq268, "deep.eq2.61": chk_eq261}
ENCLOSURES: dict = {"deep.eq4.30": {"theta_star", "theta_Q"}}
INSTANCE_FREE: set = set()

__all__ = ["CHECKERS", "ENCLOSURES", "INSTANCE_FREE"]
