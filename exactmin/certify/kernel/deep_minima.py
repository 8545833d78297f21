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

import math
from fractions import Fraction as F
from itertools import product

from .core import (Reject, affine_batch, cumulative, det, int_batch, int_rows, inverse, matmul, matrix_rank, matvec,
                   parse_net, points, q, qvec, relu_batch, transpose, x0_red)
from .deep import _all_pairs_positive, _unit_close, deep_hypotheses

# ------------------------------------------------------------------------------------------------ shared statistics
# Everything per point runs on integer batches (core.affine_batch): the data X_0 = rows / D once per instance,
# every network once (class _Run), class sums and Gram matrices once per instance (_class_stats).


def _slices(inst):
    """Index ranges of the classes in the point order of core.points."""
    out, k = [], 0
    for n in inst.sizes:
        out.append(range(k, k + n))
        k += n
    return out


def _data(inst):
    """All data points as one integer batch (cached on the instance)."""
    b = getattr(inst, "_int_all", None)
    if b is None:
        b = inst._int_all = int_batch(points(inst))
    return b


def _labels(inst):
    """(rows, d): y_j = rows[j] / d (the COLUMNS of Y), cached."""
    b = getattr(inst, "_int_labels", None)
    if b is None:
        b = inst._int_labels = int_rows(transpose(inst.Y))
    return b


def _class_stats(inst):
    """Per class (N_j, s_j = Σ_i p, G_j = Σ_i p p^T) of the integer points p = D x (cached)."""
    st = getattr(inst, "_class_stats", None)
    if st is None:
        X, _ = _data(inst)
        st = []
        for sl in _slices(inst):
            pts = [X[i] for i in sl]
            s = [sum(col) for col in zip(*pts)]
            G = [[sum(p[a] * p[b] for p in pts) for b in range(inst.M)] for a in range(inst.M)]
            st.append((len(sl), s, G))
        inst._class_stats = st
    return st


class _Run:
    """One network evaluated on every data point at once, exactly (integer batches over common denominators)."""

    def __init__(self, inst, net):
        Ws, bs = net
        self.inst, self.net = inst, net
        x = _data(inst)
        self.pres = []                       # pre-activations W_l x^(l-1) + b_l of every hidden layer
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = affine_batch(W, b, x)
            self.pres.append(z)
            x = relu_batch(z)
        self.hidden = x                      # x^(L)
        self.out = affine_batch(Ws[-1], bs[-1], x)
        self.Wc, self.bc = cumulative(Ws, bs)
        self._tau = self._cost = None

    @property
    def strict(self):
        """No hidden pre-activation vanishes on the data."""
        return all(v != 0 for rows, _ in self.pres for r in rows for v in r)

    @property
    def signs(self):
        return tuple(v > 0 for rows, _ in self.pres for r in rows for v in r)

    @property
    def margin(self):
        """min |pre-activation| over all hidden layers and points."""
        return min(F(min(abs(v) for r in rows for v in r), den) for rows, den in self.pres)

    def tau(self):
        """τ-features (W^(L))^{-1}(x^(L) − b^(L)) of every point, cumulative parameters (2.43) (Prop. 2.2)."""
        if self._tau is None:
            L = len(self.Wc) - 1
            Wi = inverse(self.Wc[L - 1])
            self._tau = affine_batch(Wi, [-v for v in matvec(Wi, self.bc[L - 1])], self.hidden)
        return self._tau

    def out_equal(self, other):
        """The same output at every data point."""
        (a, da), (b, db) = self.out, other.out
        return all(x * db == y * da for r, s in zip(a, b) for x, y in zip(r, s))

    def residuals(self):
        """(r, den): r_i = output_i − y_j (j the class of point i) as integers over den."""
        rows, E = self.out
        Yn, dy = _labels(self.inst)
        res = []
        for j, sl in enumerate(_slices(self.inst)):
            y = [v * E for v in Yn[j]]
            res.extend([o * dy - t for o, t in zip(rows[i], y)] for i in sl)
        return res, E * dy

    def cost(self):
        """(2.36) squared: Σ_j (1/N_j) Σ_i |output − y_j|²."""
        if self._cost is None:
            res, den = self.residuals()
            self._cost = sum((F(sum(v * v for i in sl for v in res[i]), len(sl) * den * den)
                              for sl in _slices(self.inst)), F(0))
        return self._cost


def _normal_equations(run, free):
    """Σ_j (1/N_j) Σ_i r (τ;1)^T = 0 with r = output − y_j = W^(L+1) τ + b^(L+1) − y_j (Prop. 2.2); the (τ;1)
    bias column only when the output bias is free.  Multiplied by lcm_j N_j and the common denominators, an
    integer identity."""
    inst = run.inst
    T, Et = run.tau()
    res, _ = run.residuals()
    lc = 1
    for n in inst.sizes:
        lc = lc * n // math.gcd(lc, n)
    k = len(T[0]) + 1
    acc = [[0] * k for _ in range(len(res[0]))]
    for sl in _slices(inst):
        w = lc // len(sl)
        for i in sl:
            t = T[i] + (Et,)
            for o, r in enumerate(res[i]):
                if r:
                    ro, row = r * w, acc[o]
                    for a in range(k):
                        row[a] += ro * t[a]
    return all(v == 0 for row in acc for v in (row if free else row[:k - 1]))


def _trace(M):
    return sum(M[i][i] for i in range(len(M)))


def _scatter(inst, keep):
    """Σ_{j ∈ keep} ΔX_{0,j} 𝒩_j^{-1} ΔX_{0,j}^T: with p = D x, s = Σ p, G = Σ p p^T per class,
    (1/N) Σ_i Δx Δx^T = (N G − s s^T) / (N² D²)."""
    M = inst.M
    _, D = _data(inst)
    st = _class_stats(inst)
    S = [[F(0)] * M for _ in range(M)]
    for j in keep:
        n, s, G = st[j]
        for a in range(M):
            for b in range(M):
                S[a][b] += F(n * G[a][b] - s[a] * s[b], n * n * D * D)
    return S


def _formula(inst, keep, Xi=None):
    """(2.71): Tr(Y Δ_2 (1+Δ_2)^{-1} Y^T), Δ_2 = Xred^{-1} S Xred^{-T}, original means, scatter of ``keep``."""
    Xi = inverse(x0_red(inst)) if Xi is None else Xi
    D2 = matmul(matmul(Xi, _scatter(inst, keep)), transpose(Xi))
    n = len(D2)
    B = inverse([[D2[i][j] + (i == j) for j in range(n)] for i in range(n)])
    return _trace(matmul(matmul(matmul(inst.Y, D2), B), transpose(inst.Y)))


def _projection(inst):
    """Σ_j |y_j|² − Tr(R G^{-1} R^T), G = Σ_j (1/N_j) Σ_i x x^T, R = Σ_j y_j x̄_j^T = Y (X_0^red)^T (zero output
    bias): the weighted residual of projecting Y^ext on the row space of X_0."""
    M = inst.M
    _, D = _data(inst)
    G = [[F(0)] * M for _ in range(M)]
    for n, _, Gj in _class_stats(inst):
        for a in range(M):
            for b in range(M):
                G[a][b] += F(Gj[a][b], n * D * D)
    R = matmul(inst.Y, transpose(x0_red(inst)))
    return sum(v * v for row in inst.Y for v in row) - _trace(matmul(matmul(R, inverse(G)), transpose(R)))


def _same_points(run, sl, target):
    """τ equals ``target`` (a batch of len(sl) points, or one point for all) on the points of ``sl``."""
    T, Et = run.tau()
    rows, den = target
    if len(rows) == 1:
        t = rows[0]
        return all(a * den == b * Et for i in sl for a, b in zip(T[i], t))
    return all(a * den == b * Et for i, p in zip(sl, rows) for a, b in zip(T[i], p))


def _bias_segment(run0, run1):
    """run1's network differs from run0's in biases only, with the same strict pattern at both ends and strictly
    lower cost; returns that cost."""
    if run0.net[0] != run1.net[0]:
        raise Reject("a descent witness must change biases only")
    if not (run0.strict and run1.strict and run0.signs == run1.signs):
        raise Reject("descent witness changes or touches the activation pattern")
    if not run1.cost() < run0.cost():
        raise Reject("descent witness does not lower the cost")
    return run1.cost()


def _net(w, inst):
    """A witness network with exactly L = Q hidden layers (Theorems 2.4/2.5 are stated for L = Q)."""
    if not isinstance(w, dict):
        raise Reject("bad network")
    net = parse_net(w, inst.Q, len(inst.Y))
    if len(net[0]) != inst.Q + 1:
        raise Reject("a witness network must have L = Q hidden layers")
    return net


def _hyp(inst):
    rd, vals = deep_hypotheses(inst)
    return all(rd.values()), vals["delta_squared"]


READ_24 = ("2.70", "zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
           "free-output-bias/corrected-local-min", "GL-output", "mu-range-as-printed")
NETS_24 = {"zero", "free", "descent", "flat"}


def _gram(inst, free):
    """G = Σ_j N_j^{-1} Σ_i z z^T with z = x (zero output bias) or (x; 1) (free)."""
    M = inst.M
    _, D = _data(inst)
    k = M + 1 if free else M
    G = [[F(0)] * k for _ in range(k)]
    for n, s, Gj in _class_stats(inst):
        for a in range(M):
            for b in range(M):
                G[a][b] += F(Gj[a][b], n * D * D)
            if free:
                G[a][M] += F(s[a], n * D)
                G[M][a] += F(s[a], n * D)
        if free:
            G[M][M] += 1
    return G


def _pos_def(G):
    """Sylvester: every leading principal minor > 0 (G symmetric by construction)."""
    return all(det([r[:k] for r in G[:k]]) > 0 for k in range(1, len(G) + 1))


def _flat_ok(inst, rf, flat):
    """The flat direction: the free network's weights, other biases, every hidden pre-activation > 0 and the same
    output at every data point (along the segment every output is affine in t, equal at both ends)."""
    if flat[0] != rf.net[0] or flat[1] == rf.net[1]:
        return False
    run = _Run(inst, flat)
    return run.strict and all(run.signs) and run.out_equal(rf)


def _gl_output(inst, rz, rf):
    """GL-output: det W_(L+1) of both optima; refuted when one is 0 and its Gram matrix is positive definite."""
    dz, df = det(rz.net[0][-1]), det(rf.net[0][-1])
    vals = {"det_W_out_zero": dz, "det_W_out_free": df, "rank_W_out_free": F(matrix_rank(rf.net[0][-1]))}
    if dz != 0 and df != 0:
        return "proved", vals
    return ("refuted" if _pos_def(_gram(inst, dz != 0)) else "undecided"), vals


def _printed(inst):
    """mu-range-as-printed ((5.12): (2 delta, oo)): Q <= 4, or an angle >= 60 degrees in the triangle of the means of
    classes 1, 2, 3 (then every admissible lambda has lambda^2 (Q-1) = cot^2(theta_*/2) < 3, so the coordinate bound
    delta |W_* e_i| < 2 delta / sqrt Q < mu / sqrt Q holds for every mu > 2 delta)."""
    if inst.Q <= 4:
        return "proved"
    m = inst.means
    for j, k, l in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        a = [x - y for x, y in zip(m[k], m[j])]
        b = [x - y for x, y in zip(m[l], m[j])]
        c = sum(x * y for x, y in zip(a, b))
        if c <= 0 or 4 * c * c <= sum(x * x for x in a) * sum(y * y for y in b):
            return "proved"
    return "undecided"


def chk_thm24(inst, cert):
    ok, dsq = _hyp(inst)
    vals = {"delta_squared": dsq}
    if not ok:
        return {r: "hypotheses-fail" for r in READ_24}, vals
    w = cert["witness"]
    mu = q(w["mu"])
    nets = w["networks"]
    if not isinstance(nets, dict) or not {"zero", "free"} <= set(nets) <= NETS_24:
        raise Reject("witness networks must be exactly zero, free and (optionally) descent, flat")
    zero, free = _net(nets["zero"], inst), _net(nets["free"], inst)
    if zero[0][:-1] != free[0][:-1] or zero[1][:-1] != free[1][:-1]:
        raise Reject("the zero- and free-bias networks must share their hidden layers")
    claimed = _formula(inst, range(inst.Q))
    rz, rf = _Run(inst, zero), _Run(inst, free)
    if any(v != 0 for v in rz.bc[-1]):
        raise Reject("the zero-bias network has a nonzero cumulative output bias")
    if not _normal_equations(rz, False) or not _normal_equations(rf, True):
        raise Reject("an output layer is not a least-squares minimiser")
    ls0, lsf, proj = rz.cost(), rf.cost(), _projection(inst)
    vals.update({"claimed_cost_squared": claimed, "ls_zero_bias_cost_squared": ls0, "ls_free_bias_cost_squared": lsf,
                 "projection_cost_squared": proj, "mu": mu, "min_abs_preactivation": rz.margin})
    rd = {}
    in_i1 = mu > 0 and mu * mu > 4 * dsq * inst.Q
    identity = rz.strict and all(rz.signs) and _same_points(rz, range(inst.N), _data(inst))
    if ("descent" in nets or "flat" in nets) and not (in_i1 and identity):
        raise Reject("a descent or flat network is given but the local-minimality readings are not reached")
    printed = _printed(inst)        # (5.12) as printed: independent of mu in I_1
    if not in_i1:       # I_1 = (2δ√Q, ∞) has no free constant: µ ∉ I_1 is an exactly false hypothesis
        rd = {r: "hypotheses-fail" for r in READ_24}
        rd["mu-range-as-printed"] = printed
        return rd, vals
    rd["2.70"] = "proved" if identity else "undecided"
    three = claimed == ls0 == proj
    rd["zero-output-bias"] = ("proved" if three else "refuted") if identity else "undecided"
    rd["mu-range-as-printed"] = printed
    if not identity:
        rd.update({r: "undecided" for r in READ_24[2:-1]})
        return rd, vals
    rd["free-output-bias/corrected-local-min"] = ("proved" if "flat" in nets and _flat_ok(inst, rf, _net(nets["flat"], inst))
                                                  else "undecided")
    rd["GL-output"], gv = _gl_output(inst, rz, rf)
    vals.update(gv)
    rd["free-output-bias"] = "proved" if lsf == claimed else "refuted"
    rd["zero-output-bias/local-min"] = "proved" if three else "undecided"
    if "descent" in nets:
        vals["descent_cost_squared"] = _bias_segment(rz, _Run(inst, _net(nets["descent"], inst)))
        rd["free-output-bias/local-min"] = "refuted"
    elif _normal_equations(rz, True):
        rd["free-output-bias/local-min"] = "proved"
    else:
        raise Reject("the output-bias gradient is nonzero but no descent witness is given")
    return rd, vals


READ_25 = ("2.84", "value-independent-of-mu", "value-original-means", "distinct-values", "local-min-zero-bias",
           "local-min-free-bias", "not-global/zero-bias", "not-global/free-bias")


S_CONVENTION = "paper-2.83"   # the witness must name it: s_j = 0 <=> mu_j in I_0 (cluster j collapses)


def _realises(inst, run, sbits, mu, f_tilde, tol):
    """Strict pattern and (2.83)/(2.84): cluster j collapsed to x̄_j − µ f̃_j (s_j = 0, µ_j ∈ I_0) or untouched
    (s_j = 1, µ_j ∈ I_1)."""
    X, D = _data(inst)
    for j, sl in enumerate(_slices(inst)):
        f = f_tilde[j]
        v = [inst.bary[r] - inst.means[j][r] for r in range(inst.M)]
        if not _unit_close(f, v, tol):       # every recorded f̃_j is checked, also where s_j = 0 (no unused data)
            return False
        if sbits[j] == 0:
            apex = [inst.means[j][r] - mu * f[r] for r in range(inst.M)]
            if not _same_points(run, sl, int_batch([apex])):
                return False
        elif not _same_points(run, sl, ([X[i] for i in sl], D)):
            return False
    return run.strict


CONF_KEYS = {"zero", "zero_mu2", "free", "tol", "f_tilde"}
CONF_OPTIONAL = {"zero_descent", "free_descent"}


def _no_construction():
    """A thm2.5 certificate without a construction (the writer found no certified µ ∈ I_0, or no second one):
    an empty witness, every reading ``undecided`` and delta_squared the only value; nothing else is claimed."""
    return {r: "undecided" for r in READ_25}


def chk_thm25(inst, cert):
    ok, dsq = _hyp(inst)
    vals = {"delta_squared": dsq}
    if not ok:
        return {r: "hypotheses-fail" for r in READ_25}, vals
    w = cert["witness"]
    if len(w) == 0:
        return _no_construction(), vals
    Q = inst.Q
    if w.get("s_convention") != S_CONVENTION:
        raise Reject(f"the witness must state s_convention = {S_CONVENTION} (s_j = 0 <=> mu_j in I_0)")
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
    keys = ["".join(map(str, sb)) for sb in product((0, 1), repeat=Q) if any(sb)]   # s = 0…0 is global
    if not isinstance(confs, dict) or sorted(confs) != sorted(keys):
        raise Reject("the witness must cover every non-global configuration")
    Xi = inverse(x0_red(inst))
    realised, moved, orig_bad, values, fvalues = True, False, False, {}, {}
    lm = {"zero": [], "free": []}
    for key in keys:
        sb = tuple(int(ch) for ch in key)
        e = confs[key]
        if not isinstance(e, dict) or not CONF_KEYS <= set(e) or set(e) - CONF_KEYS - CONF_OPTIONAL:
            raise Reject(f"s = {key}: bad configuration witness")
        if not isinstance(e["tol"], list) or not isinstance(e["f_tilde"], list) \
                or len(e["tol"]) != 2 or len(e["f_tilde"]) != 2:
            raise Reject(f"s = {key}: need two tolerances and two f_tilde lists (mu_collapse, mu_collapse_2)")
        tol = [q(x) for x in e["tol"]]
        if not isinstance(e["f_tilde"][0], list) or not isinstance(e["f_tilde"][1], list):
            raise Reject(f"s = {key}: f_tilde must list one vector per cluster")
        ft = [[qvec(f, inst.M) for f in fs] for fs in e["f_tilde"]]
        if any(len(fs) != Q for fs in ft):
            raise Reject(f"s = {key}: f_tilde must list one vector per cluster")
        r_zero, r_mu2, r_free = (_Run(inst, _net(e[k], inst)) for k in ("zero", "zero_mu2", "free"))
        realised &= (_realises(inst, r_zero, sb, mu1, ft[0], tol[0])
                     and _realises(inst, r_mu2, sb, mu2, ft[1], tol[1])
                     and _realises(inst, r_free, sb, mu1, ft[0], tol[0]))
        for run, free in ((r_zero, False), (r_mu2, False), (r_free, True)):
            if (not free and any(v != 0 for v in run.bc[-1])) or not _normal_equations(run, free):
                raise Reject(f"s = {key}: an output layer is not a least-squares minimiser")
        v1, v2, vf = r_zero.cost(), r_mu2.cost(), r_free.cost()
        orig = _formula(inst, [j for j in range(Q) if sb[j]], Xi)      # s_j = 1 keeps its deviations
        vals[f"cost_squared_zero_bias[s={key}]"] = v1
        vals[f"cost_squared_zero_bias_mu2[s={key}]"] = v2
        vals[f"cost_squared_free_bias[s={key}]"] = vf
        vals[f"formula_original_means[s={key}]"] = orig
        values[key], fvalues[key] = v1, vf
        moved |= v1 != v2
        orig_bad |= orig != v1
        for kind, base in (("zero", r_zero), ("free", r_free)):
            name = f"{kind}_descent"
            if name in e:
                vals[f"descent_{kind}_bias[s={key}]"] = _bias_segment(base, _Run(inst, _net(e[name], inst)))
                lm[kind].append("refuted")
            else:
                # s = 1...1 is Thm 2.4's pattern-constant case; a cost 0 is a global, hence local, minimum
                lm[kind].append("proved" if all(sb) or (kind == "free" and vf == 0) else "open")
    if not realised:
        return {r: "undecided" for r in READ_25}, vals
    rd = {"2.84": "proved", "value-independent-of-mu": "refuted" if moved else "proved",
          "value-original-means": "refuted" if orig_bad else "proved",
          "distinct-values": "proved" if len(set(values.values())) == len(values) else "refuted",
          # end of section 5: the value of a non-global s is > 0; the networks are exact least-squares optima
          # (normal equations above), so a cost 0 is the minimum over that output layer and refutes the reading
          "not-global/zero-bias": "refuted" if 0 in values.values() else "proved",
          "not-global/free-bias": "refuted" if 0 in fvalues.values() else "proved"}
    for kind in ("zero", "free"):
        v = lm[kind]
        rd[f"local-min-{kind}-bias"] = "refuted" if "refuted" in v else ("undecided" if "open" in v else "proved")
    return rd, vals


CHECKERS = {"deep.thm2.4": chk_thm24, "deep.thm2.5": chk_thm25}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()
