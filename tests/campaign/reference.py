"""Independent reference values, written from the papers' formulas in plain :mod:`fractions`.

This module imports NOTHING from exactmin (a test enforces it): every value is recomputed here from the class
lists with Gaussian elimination over :class:`fractions.Fraction`, so a transpose, a wrong weight or a float
shortcut in the library shows up as a mismatch.  Conventions (CLAIMS.md, deep v4):

* class means x̄_{0,j}; x̄ = (1/Q) Σ_j x̄_{0,j} (mean of the class MEANS); Δx_{0,j,i} = x_{0,j,i} − x̄_{0,j};
  δ² = max |Δx|²; D_j² = |x̄ − x̄_{0,j}|²;
* (2.14): c0² = δ² / min_j D_j² < 1/16;  (2.51)/(2.52): s_{jj'} = ⟨x̄_{0,j'} − x̄_{0,j}, x̄ − x̄_{0,j}⟩ > 0 and
  s² − 16 δ² D_j² > 0 for every ordered pair j ≠ j';
* X_0^red = [x̄_{0,1} … x̄_{0,Q}] (M × Q), Δ_1 = (X_0^red)^+ ΔX_0 (Q × N), 𝒩^{-1} = diag(1/N_j) per point,
  Δ_2 = Δ_1 𝒩^{-1} Δ_1^T; weighted cost (2.35) squared: Σ_j (1/N_j) Σ_i |out_{j,i} − y_j|²;
* (2.71) / Theorem 3.2 squared: Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T); upper bound: Tr(Y Δ_2 Y^T); δ_P² = max |Δ_1 column|²;
* least squares: min over W (and a bias b) of the weighted cost of W x + b against y_j, by the normal equations
  on a maximal independent set of feature rows;
* Theorem 2.5 (CLAIMS.md): s_j = 0 ⇔ µ_j ∈ I_0 ⇔ cluster j COLLAPSES; formula with the original means keeps the
  deviations of the clusters with s_j = 1.

:func:`expected_values` maps a claim id and an instance (plus the certificate's own parameters where a value is a
closed form OF them, e.g. κ(λ)) to ``{value name: Fraction}``; :func:`expected_verdicts` gives the verdicts that
are determined exactly (the hypotheses' readings).
"""
from __future__ import annotations

from fractions import Fraction as F
from itertools import product
from math import comb, factorial

# ---------------------------------------------------------------------------------------------- linear algebra


def matmul(A, B):
    """Product of two matrices given as lists of rows."""
    Bt = list(zip(*B))
    return [[sum((a * b for a, b in zip(row, col)), F(0)) for col in Bt] for row in A]


def transpose(A):
    return [list(r) for r in zip(*A)]


def identity(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def det(A):
    """Determinant by fraction-exact Gaussian elimination."""
    A = [list(map(F, r)) for r in A]
    n, d = len(A), F(1)
    for c in range(n):
        p = next((r for r in range(c, n) if A[r][c] != 0), None)
        if p is None:
            return F(0)
        if p != c:
            A[c], A[p] = A[p], A[c]
            d = -d
        d *= A[c][c]
        for r in range(c + 1, n):
            f = A[r][c] / A[c][c]
            if f:
                A[r] = [x - f * y for x, y in zip(A[r], A[c])]
    return d


def inverse(A):
    """Inverse by Gauss–Jordan; None when singular."""
    n = len(A)
    M = [list(map(F, r)) + [F(int(i == j)) for j in range(n)] for i, r in enumerate(A)]
    for c in range(n):
        p = next((r for r in range(c, n) if M[r][c] != 0), None)
        if p is None:
            return None
        M[c], M[p] = M[p], M[c]
        piv = M[c][c]
        M[c] = [x / piv for x in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [row[n:] for row in M]


def rank(A):
    A = [list(map(F, r)) for r in A]
    if not A:
        return 0
    rows, cols, rk = len(A), len(A[0]), 0
    for c in range(cols):
        p = next((r for r in range(rk, rows) if A[r][c] != 0), None)
        if p is None:
            continue
        A[rk], A[p] = A[p], A[rk]
        for r in range(rk + 1, rows):
            f = A[r][c] / A[rk][c]
            if f:
                A[r] = [x - f * y for x, y in zip(A[r], A[rk])]
        rk += 1
    return rk


def independent_rows(A):
    """Indices of a maximal linearly independent set of rows of A (greedy, in order)."""
    basis, keep = [], []
    for i, r in enumerate(A):
        if rank(basis + [r]) > len(basis):
            basis.append(r)
            keep.append(i)
    return keep


def trace(A):
    return sum((A[i][i] for i in range(len(A))), F(0))


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), F(0))


def sub(u, v):
    return [a - b for a, b in zip(u, v)]


# ---------------------------------------------------------------------------------------------- the data


class Data:
    """An instance as plain Fractions: ``classes[j][i][k]`` and ``labels`` (rows of Y, default identity)."""

    def __init__(self, classes, labels=None):
        self.classes = [[[F(x) for x in p] for p in c] for c in classes]
        self.Q = len(self.classes)
        self.M = len(self.classes[0][0])
        self.sizes = [len(c) for c in self.classes]
        self.N = sum(self.sizes)
        self.Y = [[F(v) for v in r] for r in labels] if labels is not None else identity(self.Q)
        self.means = [[sum((p[k] for p in c), F(0)) / len(c) for k in range(self.M)] for c in self.classes]
        self.xbar = [sum((m[k] for m in self.means), F(0)) / self.Q for k in range(self.M)]
        self.devs = [[sub(p, self.means[j]) for p in c] for j, c in enumerate(self.classes)]

    # ---- the deep paper's hypotheses
    def delta_sq(self):
        return max(dot(d, d) for c in self.devs for d in c)

    def dist_sq(self):
        return [dot(sub(self.xbar, m), sub(self.xbar, m)) for m in self.means]

    def c0_sq(self):
        m = min(self.dist_sq())
        return None if m == 0 else self.delta_sq() / m

    def cone(self):
        """[(j, j', s, s² − 16 δ² D_j²)] for every ordered pair j ≠ j'."""
        d2, D2, out = self.delta_sq(), self.dist_sq(), []
        for j in range(self.Q):
            f = sub(self.xbar, self.means[j])
            for jp in range(self.Q):
                if jp != j:
                    s = dot(sub(self.means[jp], self.means[j]), f)
                    out.append((j, jp, s, s * s - 16 * d2 * D2[j]))
        return out

    def X0red(self):
        """M × Q, column j the mean of class j."""
        return [[self.means[j][k] for j in range(self.Q)] for k in range(self.M)]

    def holds(self):
        """{reading of deep.hypotheses: bool}."""
        c0 = self.c0_sq()
        cone = self.cone()
        sq = self.M == self.Q
        return {"2.12": all(any(dot(d, d) != 0 for d in c) for c in self.devs),
                "2.14": c0 is not None and c0 < F(1, 16),
                # (2.51) needs f_j = (x̄ − x̄_{0,j})/D_j (2.49) to exist: D_j > 0 (decides the vacuous Q = 1 case)
                "2.51": min(self.dist_sq()) > 0 and all(s > 0 and m > 0 for _, _, s, m in cone),
                "X0red-invertible": sq and det(self.X0red()) != 0,
                "Y-invertible": len(self.Y) == self.Q and det(self.Y) != 0,
                "Q<N": self.Q < self.N}

    def deep_ok(self):
        return self.M == self.Q and all(self.holds().values())

    # ---- Δ_1, Δ_2 and the closed forms of (2.71) / Theorem 3.2 / the shallow upper bound
    def pinv_red(self):
        """(X_0^red)^+ = (A^T A)^{-1} A^T for A = X_0^red of full column rank; None otherwise."""
        A = self.X0red()
        At = transpose(A)
        Gi = inverse(matmul(At, A))
        return None if Gi is None else matmul(Gi, At)

    def delta1_columns(self):
        P = self.pinv_red()
        if P is None:
            return None
        return [[[dot(row, d) for row in P] for d in c] for c in self.devs]

    def delta2(self, keep=None):
        """Δ_2 = Σ_j (1/N_j) Σ_i Δ_1 Δ_1^T over the classes in ``keep`` (all by default)."""
        cols = self.delta1_columns()
        if cols is None:
            return None
        Q = self.Q
        D = [[F(0)] * Q for _ in range(Q)]
        for j, c in enumerate(cols):
            if keep is not None and j not in keep:
                continue
            for v in c:
                for a in range(Q):
                    if v[a]:
                        for b in range(Q):
                            D[a][b] += v[a] * v[b] / len(c)
        return D

    def claimed_271(self, keep=None):
        D = self.delta2(keep)
        if D is None:
            return None
        IpD = [[D[i][j] + (1 if i == j else 0) for j in range(self.Q)] for i in range(self.Q)]
        inv = inverse(IpD)
        return trace(matmul(matmul(self.Y, matmul(D, inv)), transpose(self.Y)))

    def upper_bound_value(self):
        D = self.delta2()
        return None if D is None else trace(matmul(matmul(self.Y, D), transpose(self.Y)))

    def delta_P_sq(self):
        cols = self.delta1_columns()
        return None if cols is None else max(dot(v, v) for c in cols for v in c)

    # ---- weighted least squares of the output layer
    def least_squares(self, features, free_bias):
        """min over W (and b if ``free_bias``) of Σ_j (1/N_j) Σ_i |W φ_{j,i} + b − y_j|²; ``features[j][i]``."""
        rows = len(features[0][0]) if features[0] else 0
        flat, w, tgt = [], [], []
        for j, c in enumerate(features):
            for phi in c:
                flat.append(list(phi) + ([F(1)] if free_bias else []))
                w.append(F(1, len(c)))
                tgt.append([self.Y[r][j] for r in range(len(self.Y))])
        k = rows + (1 if free_bias else 0)
        Phi = [[flat[n][a] for n in range(len(flat))] for a in range(k)]          # k × N
        keep = independent_rows(Phi)
        Phi = [Phi[a] for a in keep]
        total = sum((w[n] * dot(tgt[n], tgt[n]) for n in range(len(flat))), F(0))
        if not Phi:
            return total
        G = [[sum((w[n] * a[n] * b[n] for n in range(len(flat))), F(0)) for b in Phi] for a in Phi]
        R = [[sum((w[n] * tgt[n][r] * a[n] for n in range(len(flat))), F(0)) for a in Phi]
             for r in range(len(self.Y))]                                           # out × k
        Gi = inverse(G)
        return total - trace(matmul(matmul(R, Gi), transpose(R)))

    def ls_on_data(self, free_bias):
        return self.least_squares(self.classes, free_bias)


# ---------------------------------------------------------------------------------------------- combinatorics


def stirling2(n, k):
    """Stirling numbers of the second kind by inclusion–exclusion (independent of any recursion table)."""
    if n < 0 or k < 0:
        return 0
    if n == 0 and k == 0:
        return 1
    return sum((-1) ** i * comb(k, i) * (k - i) ** n for i in range(k + 1)) // factorial(k)


def falling(k, r):
    out = 1
    for i in range(r):
        out *= k - i
    return out


def count_T(r, m):
    """T(r*, m) = Σ_k S(m, k) (k)_{r*} (CLAIMS.md sym.count-T, form (T-i))."""
    return sum(stirling2(m, k) * falling(k, r) for k in range(m + 1))


def count_G(r, m):
    return factorial(r) * stirling2(m, r)


# ---------------------------------------------------------------------------------------------- per claim


def _frac(x):
    try:
        return F(x)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _deep_hyp_values(d: Data):
    out = {"Q": F(d.Q), "M": F(d.M), "N": F(d.N), "delta_squared": d.delta_sq(),
           "min_dist_squared": min(d.dist_sq())}
    c0 = d.c0_sq()
    if c0 is not None:
        out["c0_squared"] = c0
        out["margin_2_14"] = F(1, 16) - c0
    cone = d.cone()
    if cone:
        out["cone_min_inner"] = min(s for _, _, s, _ in cone)
        out["cone_min_margin"] = min(m for _, _, _, m in cone)
    if d.M == d.Q:
        out["det_X0_red"] = det(d.X0red())
    if len(d.Y) == d.Q:
        out["det_Y"] = det(d.Y)
    return out


def _lambda_values(Q, lam):
    """Closed forms of (4.27)–(4.30) in λ (deep.eq4.30, deep.thm2.3)."""
    out = {"kappa_Q": F(Q - 1, Q), "opnorm": F(1)}
    if lam is None or lam <= 0:
        return out
    out["kappa"] = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    out["inverse_opnorm"] = 1 / lam
    out["cone_form_factor"] = (1 + lam * lam * (Q - 1)) / Q
    if Q > 1:
        out["tan_sq_half_theta_star"] = 1 / (lam * lam * (Q - 1))
        out["tan_sq_half_theta_Q"] = F(1, Q - 1)
    return out


def _shallow_common(d: Data):
    A = d.X0red()
    out = {"Q": F(d.Q), "M": F(d.M), "det_gram_X0_red": det(matmul(transpose(A), A))}
    return out


def expected_values(claim: str, d: Data, cert_values: dict, options: dict | None = None) -> dict:
    """{value name: exact expected Fraction} for the closed-form values of ``claim`` on ``d``.

    ``cert_values`` are the certificate's values (strings); a few references are closed forms of a recorded
    parameter (λ, the PSD bounds) and read it from there.  Only names that the reference can compute are returned.
    """
    opts = options or {}
    cv = {k: _frac(v) for k, v in cert_values.items()}
    out: dict = {}
    if claim == "deep.hypotheses":
        return _deep_hyp_values(d)
    if claim in ("deep.thm2.3", "deep.thm2.4", "deep.thm2.5", "deep.eq2.68", "deep.eq4.11", "deep.eq4.13",
                 "deep.eq4.43") and d.M == d.Q:
        out["delta_squared"] = d.delta_sq()
    if claim == "deep.eq4.11" and d.M == d.Q:
        out["deviation_squared"] = d.delta_sq()          # the witness is a maximising deviation
    if claim == "deep.thm2.3" and d.M == d.Q:
        h = _deep_hyp_values(d)
        for k in ("c0_squared", "margin_2_14", "cone_min_margin"):
            if k in h:
                out[k] = h[k]
        out["L"] = F(d.Q)
        out["L_extra"] = F(d.Q + int(opts.get("extra_layers", 1)))
        lam = cv.get("lambda")
        if lam is not None and lam > 0:
            out["kappa"] = _lambda_values(d.Q, lam)["kappa"]
    if claim == "deep.eq4.30" and d.M == d.Q:
        out.update(_lambda_values(d.Q, cv.get("lambda")))
    if claim in ("deep.thm2.4",) and d.M == d.Q and d.pinv_red() is not None:
        out["claimed_cost_squared"] = d.claimed_271()
        out["ls_zero_bias_cost_squared"] = d.ls_on_data(False)
        out["projection_cost_squared"] = out["ls_zero_bias_cost_squared"]
        out["ls_free_bias_cost_squared"] = d.ls_on_data(True)
    if claim == "deep.thm2.5" and d.M == d.Q and d.pinv_red() is not None:
        out["configurations"] = F(2 ** d.Q)
        for s in product((0, 1), repeat=d.Q):
            if not any(s):
                continue                       # s = 0: every cluster collapses, the global minimum
            keep = [j for j in range(d.Q) if s[j]]
            out["formula_original_means[s=%s]" % "".join(map(str, s))] = d.claimed_271(keep)
    if claim == "deep.eq2.61":
        out["points"] = F(d.N)
    if claim.startswith("shallow.") and d.pinv_red() is not None:
        out.update(_shallow_common(d))
        dP = d.delta_P_sq()
        ub = d.upper_bound_value()
        trD = trace(d.delta2())
        if claim == "shallow.upper-bound":
            out.update(formula_cost_squared=ub, delta_P_squared=dP, trace_Delta2=trD, N=F(d.N))
            out["ratio"] = ub / dP if dP else F(0)
            lb = cv.get("Y_gram_lambda_max_upper")
            if lb is not None:
                out["constant_C"] = d.Q * lb
        if claim in ("shallow.thm3.2", "shallow.relative-error") and d.M == d.Q:
            cl = d.claimed_271()
            out.update(claimed_cost_squared=cl, delta_P_squared=dP)
            if claim == "shallow.thm3.2":
                out["ls_zero_bias_cost_squared"] = d.ls_on_data(False)
                out["projection_cost_squared"] = out["ls_zero_bias_cost_squared"]
                out["ls_free_bias_cost_squared"] = d.ls_on_data(True)
            else:
                out.update(construction_cost_squared=ub, gap_squared=ub - cl, trace_Delta2=trD,
                           upper_constant=F(d.Q, 2))
                if ub:
                    out["ratio_squared"] = cl / ub
                lmin = cv.get("lambda_min_lower")
                if lmin is not None and dP:
                    out["C0"] = lmin / (2 * (1 + lmin) * dP)
        if claim == "shallow.thm3.3":
            out.update(null_dim=F(d.M - d.Q), points_checked=F(d.N))
            out["det_YtY"] = det(matmul(transpose(d.Y), d.Y))
    if claim.startswith("shallow.") and d.pinv_red() is None:
        out.update({"Q": F(d.Q), "M": F(d.M)})
        A = d.X0red()
        out["det_gram_X0_red"] = det(matmul(transpose(A), A))
    if claim.startswith("flow."):
        out.update(_flow_values(claim, d, cv, opts))
    return {k: v for k, v in out.items() if v is not None}


def _flow_values(claim, d: Data, cv, opts):
    out = {}
    QN = F(len(d.Y) * d.N)
    if claim in ("flow.rank-condition", "flow.equilibria-rank-loss"):
        out["QN"] = QN
    kappa = opts.get("kappa", "1/N")
    if claim != "flow.equilibria-rank-loss":
        out["kappa"] = F(1, d.N) if kappa == "1/N" else _frac(kappa)
    if claim == "flow.rank-condition":
        K, hid = cv.get("K"), cv.get("hidden_neurons")
        if K is not None and hid is not None:
            out["structural_bound"] = K - hid
    return out


def expected_sym_values(claim: str, opts: dict) -> dict:
    """Closed forms of the instance-free counting claims (sym.count-T, sym.count-G)."""
    if claim == "sym.count-T":
        r, m, dd = int(opts.get("r", 2)), int(opts.get("m", 4)), int(opts.get("d", 2))
        T = count_T(r, m)
        Ts = factorial(r) * stirling2(m + 1, r + 1)
        return {"T": F(T), "T_enumerated": F(T), "T_single": F(Ts), "T_single_enumerated": F(Ts),
                "with_zero_group": F(T - Ts), "dim_min": F(m - r), "dim_max": F((m - r) * dd)}
    if claim == "sym.count-G":
        r, m = int(opts.get("r", 2)), int(opts.get("m", 4))
        G = count_G(r, m)
        return {"G": F(G), "G_enumerated": F(G), "S_unlabelled": F(stirling2(m, r)), "dim": F(m - r)}
    if claim == "sym.dominance":
        r, m = int(opts.get("r", 2)), int(opts.get("m", 4))
        T = count_T(r, m)
        out = {"r_max": F(int(opts.get("r_max", 50)))}
        if T:
            out["ratio"] = F(count_G(r - 1, m), T) if r >= 1 else None
        return {k: v for k, v in out.items() if v is not None}
    return {}


def expected_verdicts(claim: str, d: Data) -> dict:
    """Readings whose verdict is determined by exact closed-form tests: {reading: verdict}."""
    if claim == "deep.hypotheses":
        return {k: ("proved" if v else "hypotheses-fail") for k, v in d.holds().items()}
    return {}


def certificate_checks(claim: str, d: Data, cert: dict) -> list[str]:
    """Consistency of a certificate's verdicts with hypotheses margins that have closed forms; problems found.

    * deep.thm2.3 / deep.eq2.68 / deep.eq2.61 with a proved reading: the µ used lies in I_0 = (−D, −2δ√Q), whose
      upper end is exact by squares: µ < 0 and µ² > 4 δ² Q;
    * deep.thm2.4 with 2.70 proved: µ ∈ I_1, i.e. µ > 0 and µ² > 4 δ² Q;
    * any deep construction claim proved while the reference says a hypothesis fails is reported.
    """
    out = []
    vals = {k: _frac(v) for k, v in cert.get("values", {}).items()}
    verdicts = {k: r["verdict"] for k, r in cert.get("readings", {}).items()}
    if d.M != d.Q or not d.Q:
        return out
    d2, Q = d.delta_sq(), d.Q
    mu = vals.get("mu")
    if claim in ("deep.thm2.3", "deep.eq2.68", "deep.eq2.61") and mu is not None and "proved" in verdicts.values():
        if not (mu < 0 and mu * mu > 4 * d2 * Q):
            out.append(f"mu = {mu} is not below -2 delta sqrt(Q) (delta^2 = {d2}, Q = {Q})")
    if claim == "deep.thm2.4" and mu is not None and verdicts.get("2.70") == "proved":
        if not (mu > 0 and mu * mu > 4 * d2 * Q):
            out.append(f"mu = {mu} is not in I_1 = (2 delta sqrt(Q), inf)")
    if claim in ("deep.thm2.3", "deep.eq2.68", "deep.eq2.61", "deep.eq4.30", "deep.thm2.4", "deep.thm2.5", "deep.eq4.11",
                 "deep.eq4.13", "deep.eq4.23", "deep.eq4.43"):
        if not d.deep_ok() and "proved" in verdicts.values():
            failing = [k for k, v in d.holds().items() if not v]
            out.append(f"a reading is proved although the hypotheses {failing} fail")
    return out
