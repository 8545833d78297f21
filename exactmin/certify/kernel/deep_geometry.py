"""Kernel checkers for the geometric claims of the deep paper: (2.61), (2.68) ((4.30) has a statement file in
exactmin_kernel/statements/deep_eq4_30.py).

Standard library plus the kernel core only (relative imports).  Every verdict and value is re-derived from
the instance and the witness (λ, µ, tol, ũ, f̃_ℓ, R_ℓ, from which the construction of Theorem 2.3 is rebuilt and
checked as in ``deep.chk_thm23``); nothing in the certificate's values is trusted.
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import (
    Reject,
    det,
    dot,
    eye,
    forward,
    inverse,
    matmul,
    matvec,
    q,
    qmat,
    qvec,
    tau,
    transpose,
)
from .deep import _all_pairs_positive, _mu_outside_I0, _unit_close, deep_hypotheses

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


CHECKERS: dict = {"deep.eq2.68": chk_eq268, "deep.eq2.61": chk_eq261}   # deep.eq4.30: exactmin_kernel
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()

__all__ = ["CHECKERS", "ENCLOSURES", "INSTANCE_FREE"]
