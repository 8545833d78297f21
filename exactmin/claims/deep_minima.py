"""Theorems 2.4 and 2.5 of arXiv:2309.10639: the degenerate (local) minima of the deep construction.

Mathematics in :mod:`exactmin.nets.deep_minima`.  Local minimality is decided on two exact certificates:

* proved (zero cumulative output bias): every hidden pre-activation is nonzero on the data, so the pattern is
  constant near θ and the network is x ↦ A τ(x) with τ fixed on the data; the normal equations ∂F/∂A = 0
  hold exactly, and F is convex in A, so no nearby point has lower cost;
* refuted: a *bias segment* — a second parameter point differing from θ only in biases, with the same strict
  activation pattern at both ends and strictly lower cost.  Along the segment every pre-activation is affine
  (induction over layers), hence keeps its sign, so the cost is a convex quadratic q(t) with q(1) < q(0):
  q'(0) < 0 and points arbitrarily close to θ have lower cost.
"""
from __future__ import annotations


from flint import fmpq, fmpq_mat

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, UNDECIDED
from ..exact.intmat import IntMat
from ..exact.linalg import checked_inv, verified_inv
from ..exact.numbers import parse_rational
from ..nets import construct_deep as cd
from ..nets import deep_configs as dc
from ..nets import deep_minima as dm
from ..nets import pattern
from ..nets.cost import class_slices, cost_squared, last_layer_lsq
from ..nets.localmin import bias_descent, grad_A, min_abs_preactivation
from ..nets.network import from_cumulative
from ..nets.shallow import claimed_value
from ..nets.truncation import tau_cumulative
from .base import claim
from .common import data_matrix, mat_json, net_json, new_certificate, s, vec_json
from .deep import PAPER, _hyp_fail_reason, box_json, hypotheses

def _mu_identity(g: cd.Geometry, mu_neg: fmpq) -> fmpq:
    """A rational µ ∈ I_1 = (2δ√Q, ∞): the mirror −µ of the collapsing µ, certified by squares."""
    mu = -mu_neg
    assert mu > 0 and mu * mu > 4 * g.delta_sq * g.Q
    return mu


class Config:
    """One configuration s realised point by point: hidden layers, τ-image, least-squares outputs (Theorem 2.4, s = 1…1;
    Theorem 2.5 builds every s from shared statistics instead: exactmin.nets.deep_configs)."""

    def __init__(self, inst, g, par, s_bits, mu_neg, mu_pos, X):
        self.s = s_bits
        Q = g.Q
        mus = [mu_neg if b == 0 else mu_pos for b in s_bits]     # (2.83): s_j = 0 <=> mu_j in I_0 (collapse)
        self.ok, self.why = False, "not built"
        for tol in cd.TOLERANCES:
            con = cd.build(inst, g, Q, par.lam, mus, tol, output=(fmpq_mat(inst.Y.nrows(), Q), fmpq_mat(inst.Y.nrows(), 1)))
            if all(s_bits) and _identity_on_data(con.Wc[:Q], con.bc[:Q], X, inst.Y.nrows()):
                H, ok, why = X, True, "each cluster collapsed or untouched as s prescribes"
            else:                                # reference path: τ layer by layer on every point
                H = tau_cumulative(con.Wc[:Q], con.bc[:Q], X)[-1]
                ok, why = _pattern_2_84(H, X, inst.sizes, con.apex, s_bits)
            if ok:
                break
        self.con, self.H, self.tol = con, H, tol
        self.ok, self.why = ok, why
        self.Wc, self.bc = con.Wc[:Q], con.bc[:Q]
        self.zero = last_layer_lsq(H, inst.Y, inst.sizes, free_bias=False)
        self.free = last_layer_lsq(H, inst.Y, inst.sizes, free_bias=True)
        self.net_zero = self.network(self.zero.A, self.zero.c)
        self.net_free = self.network(self.free.A, self.free.c)
        p = pattern.constant_pattern(self.net_zero, X)
        self.margin = (p.min_abs() if p is not None
                       else min(min_abs_preactivation(Z) for Z in dm.preactivations(self.net_zero, X)))

    def network(self, A, c, bc=None):
        return from_cumulative(self.Wc + [A], (bc or self.bc) + [c])


def _identity_on_data(Wc, bc, X: IntMat, out_dim: int) -> bool:
    """True when every cumulative pre-activation W^(l) x + b^(l) (l = 1..Q) is >= 0 on every data point, decided
    exactly by row minima (:mod:`exactmin.nets.pattern`): then, by induction over the layers, every tau^(l) is the
    identity on the data (Definition 2.1: tau(y) = y iff W y + b >= 0) and the tau-image is X itself (2.70)."""
    Q = len(Wc)
    net = from_cumulative(list(Wc) + [fmpq_mat(out_dim, Q)], list(bc) + [fmpq_mat(out_dim, 1)])
    p = pattern.constant_pattern(net, X)
    return p is not None and p.all_active()


def _pattern_2_84(H: IntMat, X: IntMat, sizes, apex, s_bits) -> tuple[bool, str]:
    """(2.83)/(2.84): after the Q hidden layers cluster ℓ is its apex if s_ℓ = 0 (µ_ℓ ∈ I_0) and unchanged if
    s_ℓ = 1 (µ_ℓ ∈ I_1)."""
    for j, sl in enumerate(class_slices(sizes)):
        if s_bits[j] == 0:
            if not H.equals_columns(apex[j], sl):
                return False, f"cluster {j + 1} not collapsed to its apex"
        else:
            a = H.num[:, sl].astype(object) * X.den
            b = X.num[:, sl].astype(object) * H.den
            if not (a == b).all():
                return False, f"cluster {j + 1} moved although s_{j + 1} = 1"
    return True, "each cluster collapsed or untouched as s prescribes"


def _bias_descent_net(cfg: Config, inst, X):
    """Free output bias at the zero-bias optimum: the exact step of exactmin.nets.localmin.bias_descent."""
    st = bias_descent(cfg.H, inst.Y, inst.sizes, cfg.zero.A, cfg.zero.c)
    if st is None:
        return None
    net = cfg.network(cfg.zero.A, st.c_new)
    c2 = pattern.network_cost(net, X, inst.Y, inst.sizes)      # constant pattern: from class statistics
    return net, (c2 if c2 is not None else cost_squared(net.forward(X), inst.Y, inst.sizes))


def _setup(cert, inst):
    h = hypotheses(inst)
    for k in ("delta_squared",):
        if k in h["values"]:
            cert.set_value(k, h["values"][k])
    fail = _hyp_fail_reason(h)
    if fail is not None:
        return None, fail
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    return g, None


# ---------------------------------------------------------------------------------------------------------
# Theorem 2.4
# ---------------------------------------------------------------------------------------------------------

READ_24 = (("2.70", "tau(X_0) = X_0: every hidden layer acts as the identity on the data (mu in I_1^Q)"),
           ("zero-output-bias", "(2.71) is the minimum over the output layer with cumulative output bias 0 "
                                "(three expressions agree exactly)"),
           ("free-output-bias", "(2.71) is the minimum over W_{L+1}, b_{L+1} with b_{L+1} free, as stated"),
           ("zero-output-bias/local-min", "the network attaining (2.71) is a local minimum of the cost among "
                                          "parameters with cumulative output bias 0"),
           ("free-output-bias/local-min", "the network attaining (2.71) is a local minimum of the cost over all "
                                          "parameters"),
          ("free-output-bias/corrected-local-min", "corrected statement: with the strict identity pattern, the "
                                                    "network with the free-bias optimal output layer is a degenerate "
                                                    "local minimum of the full cost, value ls_free_bias_cost_squared "
                                                    "(a bias direction keeps the cost constant)"),
          ("GL-output", "(2.27): the optimal W_{L+1} of both variants (zero and free output bias) lies in GL(Q); "
                        "refuted when a unique optimum is singular (the minimum over GL(Q) is not attained)"),
          ("mu-range-as-printed", "(5.12) as printed, mu in (2 delta, oo)^Q instead of I_1 = (2 delta sqrt Q, oo): "
                                  "tau(X_0) = X_0 still holds (Q <= 4: lambda <= 1; Q >= 5: the cone condition (4.24) "
                                  "forces lambda^2 (Q-1) < 3)"))
OWN_24 = tuple(n for n, _ in READ_24 if n != "mu-range-as-printed")
READ_24 = READ_24 + tuple((f"paper-network/{n}", f"the PAPER's own network (exact f_l, every admissible R_l) at the "
                           f"same mu: {what}") for n, what in READ_24 if n != "mu-range-as-printed")


def _flat_network(net):
    """The free network with b_L -> b_L + u and b_{L+1} -> b_{L+1} - W_{L+1} u: in the identity regime the last
    hidden layer's output moves by u and the output layer takes it back (a direction of constant cost)."""
    Ws, bs = list(net.weights), list(net.biases)
    L = len(Ws) - 1
    u = fmpq_mat(bs[L - 1].nrows(), 1, [1] * bs[L - 1].nrows())
    bs[L - 1] = bs[L - 1] + u
    bs[L] = bs[L] - Ws[L] * u
    return type(net)(tuple(Ws), tuple(bs))


def _printed_reading(inst):
    """mu-range-as-printed ((5.12), mu in (2 delta, oo)): the coordinate bound mu/sqrt Q - delta |W_* e_i| > 0 with
    |W_* e_i|^2 = (lambda^2 (Q-1) + 1)/Q, proved for Q <= 4 by lambda <= 1, and for Q >= 5 by lambda^2 (Q-1) =
    cot^2(theta_*/2) < 3, since theta_*/2 exceeds half of an angle >= 60 degrees of the triangle of the means of
    classes 1, 2, 3 (exactly certified; the statement file gives the argument)."""
    Q = inst.Q
    if Q <= 4:
        return PROVED, f"Q = {Q} <= 4: mu/sqrt Q > 2 delta/sqrt Q >= delta >= delta |W_* e_i| (lambda <= 1)"
    X = data_matrix(inst)
    m = dm.class_means(X, inst.sizes)
    for j, k, l in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        a = [m[r, k] - m[r, j] for r in range(Q)]
        b = [m[r, l] - m[r, j] for r in range(Q)]
        c = sum((x * y for x, y in zip(a, b)), fmpq(0))
        if c <= 0 or 4 * c * c <= sum((x * x for x in a), fmpq(0)) * sum((y * y for y in b), fmpq(0)):
            return PROVED, (f"the angle at class {j + 1} of the triangle of classes 1, 2, 3 is >= 60 degrees, so every "
                            "admissible lambda has lambda^2 (Q-1) = cot^2(theta_*/2) < 3 and delta |W_* e_i| < "
                            "2 delta/sqrt Q < mu/sqrt Q for every mu > 2 delta")
    raise AssertionError("a triangle has an angle >= 60 degrees")


def _corrected_and_gl(cert, inst, cfg, X, witness):
    """free-output-bias/corrected-local-min and GL-output, in the identity regime (strict pattern certified)."""
    flat = _flat_network(cfg.net_free)
    pf, pn = pattern.constant_pattern(flat, X), pattern.constant_pattern(cfg.net_free, X)
    if pf is not None and pn is not None and pf.A_out == pn.A_out and pf.c_out == pn.c_out:
        # both networks are affine on the data (constant patterns) with the same output map: same outputs
        pos, same = pf.all_active() and pf.strict(), True
    else:                                        # reference path: every point through every layer
        pos = all((Z.num.astype(object) > 0).all() for Z in dm.preactivations(flat, X))
        A, B = flat.forward(X), cfg.net_free.forward(X)
        same = (A.num.astype(object) * B.den == B.num.astype(object) * A.den).all()
    stationary = _free_normal(cfg, inst, X)
    if pos and same and stationary:
        witness["networks"]["flat"] = net_json(flat)
        cert.add_reading("free-output-bias/corrected-local-min", PROVED,
                         f"strict identity pattern + exact free-bias normal equations: a local minimum with value "
                         f"{cfg.free.value}; degenerate: b_L + t u, b_(L+1) - t W_(L+1) u keeps every output "
                         "(witness network 'flat')")
    else:
        cert.add_reading("free-output-bias/corrected-local-min", UNDECIDED, "the flat direction was not certified")
    Wz, Wf = cfg.net_zero.weights[-1], cfg.net_free.weights[-1]
    dz, df = Wz.det(), Wf.det()
    cert.set_value("det_W_out_zero", dz)
    cert.set_value("det_W_out_free", df)
    cert.set_value("rank_W_out_free", Wf.rank())
    Q = inst.Q
    if dz != 0 and df != 0:
        cert.add_reading("GL-output", PROVED, f"det W_(L+1) = {dz} (zero bias), {df} (free bias): both optima in GL(Q)")
        return
    variant, gram_rank, d = ("zero", cfg.zero.gram_rank, dz) if dz == 0 else ("free", cfg.free.gram_rank, df)
    unique = gram_rank == (Q if variant == "zero" else Q + 1)
    cert.add_reading("GL-output", REFUTED if unique else UNDECIDED,
                     f"the unique {variant}-bias optimum has det W_(L+1) = 0 (rank {Wz.rank() if variant == 'zero' else Wf.rank()}):"
                     " the minimum over W_(L+1) in GL(Q) is not attained" if unique else
                     f"the {variant}-bias optimum found is singular, but the optimum is not unique (Gram matrix singular)")


def _free_normal(cfg, inst, X) -> bool:
    """The free network solves the free-bias normal equations: its gradient in (A, c) vanishes (exact)."""
    gA = grad_A(cfg.H, inst.Y, inst.sizes, cfg.free.A, cfg.free.c)
    return gA == fmpq_mat(gA.nrows(), gA.ncols()) and bias_descent(cfg.H, inst.Y, inst.sizes, cfg.free.A, cfg.free.c) is None


@claim(id="deep.thm2.4", paper=PAPER, ref="Theorem 2.4, (2.70), (2.71)",
       title="Degenerate local minimum with all truncations trivial (L = Q, mu in I_1^Q)",
       statement=r"\mu\in I_1^Q:\ \tau(X_0)=X_0,\ \min_{W_{L+1},b_{L+1}}C_{\mathcal N}^2="
                 r"\operatorname{Tr}\big(Y\Delta_2^{(0)}(1+\Delta_2^{(0)})^{-1}Y^T\big),\ "
                 r"\Delta_1^{(0)}=(X_0^{red})^{-1}\Delta X_0,\ \Delta_2^{(0)}=\Delta_1^{(0)}\mathcal N^{-1}\Delta_1^{(0)T}",
       hypotheses=("deep.hypotheses",),
       readings=READ_24,
       values=(("claimed_cost_squared", "(2.71) squared: Tr(Y Delta_2 (1+Delta_2)^{-1} Y^T)"),
               ("ls_zero_bias_cost_squared", "exact least-squares minimum over W^{(L+1)} with b^{(L+1)} = 0"),
               ("ls_free_bias_cost_squared", "exact least-squares minimum over W_{L+1} and a free b_{L+1}"),
               ("projection_cost_squared", "||Y^ext P^perp||^2 in L^2_N (weighted projection, both backends)"),
               ("descent_cost_squared", "cost after the exact output-bias step from the (2.71) network "
                                        "(present when the gradient in b_{L+1} is nonzero)"),
               ("mu", "the mu in I_1 used for every cluster (mu^2 > 4 delta^2 Q)"),
               ("min_abs_preactivation", "smallest |pre-activation| over all hidden layers and points (> 0: the "
                                         "pattern is constant near the parameters)"),
               ("det_W_out_zero", "det W_{L+1} of the zero-bias optimum (GL-output)"),
               ("det_W_out_free", "det W_{L+1} of the free-bias optimum (GL-output)"),
               ("rank_W_out_free", "rank of W_{L+1} of the free-bias optimum"),
               ("delta_squared", "delta^2")),
       options=(("mu", None, "mu in I_1 to use (default: the mirror of the Thm 2.3 choice)"),))
def check_thm24(inst, mu=None, **_):
    cert = new_certificate("deep.thm2.4", inst)
    g, fail = _setup(cert, inst)
    if fail is not None:
        for name, _ in READ_24:
            cert.add_reading(name, HYPOTHESES_FAIL, fail)
        return cert
    par = cd.choose_parameters(g)
    mu_pos = fmpq(*parse_rational(mu)) if mu is not None else _mu_identity(g, par.mu)
    X = data_matrix(inst)
    Q = inst.Q
    cfg = Config(inst, g, par, (1,) * Q, par.mu, mu_pos, X)   # s = 1…1: every µ_j ∈ I_1 (p.11)
    claimed = dm.formula_value(inst.Y, dm.class_means(X, inst.sizes), dm.weighted_scatter(X, inst.sizes))
    proj = dm.projection_value(X, inst.Y, inst.sizes, free_bias=False)
    in_I1 = mu_pos > 0 and mu_pos * mu_pos > 4 * g.delta_sq * Q
    cert.set_value("claimed_cost_squared", claimed)
    cert.set_value("ls_zero_bias_cost_squared", cfg.zero.value)
    cert.set_value("ls_free_bias_cost_squared", cfg.free.value)
    cert.set_value("projection_cost_squared", proj)
    cert.set_value("mu", mu_pos)
    cert.set_value("min_abs_preactivation", cfg.margin)
    witness = {"mu": s(mu_pos), "networks": {"zero": net_json(cfg.net_zero), "free": net_json(cfg.net_free)}}
    # the construction's constants: read by the statement (format 2, write_v2), not part of the format-1 record
    cert.witness_v2 = {"lambda": s(par.lam), "tol": s(cfg.tol), "u_tilde": vec_json(cfg.con.u_tilde),
                       "f_tilde": [vec_json(f) for f in cfg.con.f_tilde], "R": [mat_json(R) for R in cfg.con.R]}
    pv, pwhy = _printed_reading(inst)     # independent of the witness mu
    if not in_I1:
        # I_1 = (2 delta sqrt Q, oo) has no free constant, so mu not in I_1 is exactly a false hypothesis
        why = f"mu = {mu_pos} is not in I_1 = (2 delta sqrt Q, oo) (mu <= 0 or mu^2 <= 4 delta^2 Q)"
        for name, _ in READ_24:
            if name == "mu-range-as-printed":
                cert.add_reading(name, pv, pwhy)
            else:
                cert.add_reading(name, HYPOTHESES_FAIL, why)
        cert.witness = witness
        return cert
    identity = cfg.ok and cfg.margin > 0
    cert.add_reading("2.70", PROVED if identity else UNDECIDED,
                     "all hidden pre-activations > 0 on the data: tau(X_0) = X_0" if identity
                     else f"rational realisation: {cfg.why}, min |pre-activation| = {cfg.margin}")
    three = claimed == cfg.zero.value == proj
    cert.add_reading("zero-output-bias", PROVED if three and identity else (REFUTED if identity else UNDECIDED),
                     f"formula = least squares = projection = {claimed}" if three
                     else f"formula {claimed}, least squares {cfg.zero.value}, projection {proj}")
    if not identity:
        for name in ("free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
                     "free-output-bias/corrected-local-min", "GL-output"):
            cert.add_reading(name, UNDECIDED, "the identity regime (2.70) is not certified")
    else:
        if cfg.free.value == claimed:
            cert.add_reading("free-output-bias", PROVED, "the free-bias least-squares minimum equals (2.71)")
        else:
            cert.add_reading("free-output-bias", REFUTED,
                             f"min over W_(L+1), b_(L+1) is {cfg.free.value} < (2.71) = {claimed} "
                             "(witness: the free-bias network)")
        gA = grad_A(X, inst.Y, inst.sizes, cfg.zero.A, cfg.zero.c)
        stationary = gA == fmpq_mat(gA.nrows(), gA.ncols())
        cert.add_reading("zero-output-bias/local-min", PROVED if stationary and three else UNDECIDED,
                         "strict pattern + exact normal equations: convex in W^(L+1) on a neighbourhood"
                         if stationary else "normal equations fail")
        desc = _bias_descent_net(cfg, inst, X)
        if desc is None:
            cert.add_reading("free-output-bias/local-min", PROVED,
                             "gradient in b_(L+1) vanishes: the (2.71) network is the free least-squares optimum")
        else:
            net, c2 = desc
            cert.set_value("descent_cost_squared", c2)
            witness["networks"]["descent"] = net_json(net)
            cert.add_reading("free-output-bias/local-min", REFUTED,
                             f"moving only b_(L+1) lowers the cost from {claimed} to {c2} (bias segment)")
        _corrected_and_gl(cert, inst, cfg, X, witness)
    cert.add_reading("mu-range-as-printed", pv, pwhy)
    _paper24(cert, par)
    cert.witness = witness
    cert.parameters = {"mu": None if mu is None else s(mu_pos), "tol": s(cfg.tol)}
    return cert


def _paper24(cert, par):
    """paper-network/<r>: Theorem 2.4 for the paper's own network at the same mu (statement
    exactmin_kernel/statements/deep_thm2_4.py has the argument): its layers are the identity on the data, strictly,
    for every admissible R_l once theta_* > max theta_*,j is certified, so 2.70 is proved and every other reading
    has the realisation's word (the same maps on the data, optima and neighbourhood arguments); undecided otherwise."""
    ok = par.theta_ok is True and 0 < par.lam <= 1
    for n in OWN_24:
        if not ok:
            cert.add_reading(f"paper-network/{n}", UNDECIDED, "theta_* > max_j theta_*,j is not certified for lambda = "
                             f"{par.lam}: the paper's layers are not shown to be the identity on the data")
        elif n == "2.70":
            cert.add_reading("paper-network/2.70", PROVED, "for every admissible R_l: cluster l by Lemma 5.1's norm "
                             "bound (mu/sqrt Q > delta |W_* e_k|), every other cluster inside int C_theta*[f_l] ((2.52), "
                             "theta_* certified) mapped into the open orthant ((4.30)): tau(X_0) = X_0")
        else:
            v = cert.readings[n]
            cert.add_reading(f"paper-network/{n}", v["verdict"], "the same map on the data as the rational realisation "
                             f"(tau(X_0) = X_0 for both, theta_* certified): {v['reason']}")


# ---------------------------------------------------------------------------------------------------------
# Theorem 2.5
# ---------------------------------------------------------------------------------------------------------

S_CONVENTION = "paper-2.83"   # s_j = 0 <=> mu_j in I_0 (cluster j collapses); s = 0...0 is the global minimum

READ_25 = (("2.84", "for every s in {0,1}^Q the construction collapses exactly the clusters with s_j = 0 "
                    "(paper (2.83): s_j = 0 <=> mu_j in I_0)"),
           ("value-independent-of-mu", "for every non-global s the minimum over the output layer (cumulative "
                                       "output bias 0) is the same at two admissible mu"),
           ("value-original-means", "the value equals Tr(Y D (1+D)^{-1} Y^T) built from the ORIGINAL means "
                                    "X_0^red and the deviations of the untouched clusters (mu-free reading of (2.85))"),
           ("distinct-values", "the 2^Q - 1 non-global values are pairwise distinct"),
           ("local-min-zero-bias", "every non-global configuration is a local minimum (cumulative output bias 0)"),
           ("local-min-free-bias", "every non-global configuration, with the free-bias optimal output layer, is a "
                                   "local minimum over all parameters"),
           ("not-global/zero-bias", "for every s != 0...0 the minimum over the output layer with cumulative output "
                                    "bias 0 is > 0 (end of section 5: 'strictly positive, hence not a global minimum')"),
           ("not-global/free-bias", "for every s != 0...0 the minimum over W_{L+1}, b_{L+1} with a free output bias "
                                    "is > 0; refuted by an s whose exact free-bias optimum has cost 0"),
           ("I-box", "(2.84) as printed for the PAPER's network (exact f_j): for every s (0...0 included) and every mu "
                     "in the product of the intervals I_(s_j), every collapsed apex passes every later layer"),
           ("paper-network/value-independent-of-mu", "the PAPER's network (exact f_j, every admissible rotation) at two "
                                                     "points of I_0^Q: the zero-bias value of every s is the same"),
           ("paper-network/value-original-means", "the paper's network: the zero-bias value equals the mu-free formula "
                                                  "(2.85) with the original means, for every s"),
           ("paper-network/distinct-values", "the paper's network: the 2^Q - 1 non-global values are pairwise distinct"),
           ("paper-network/not-global/zero-bias", "the paper's network: every non-global zero-bias value is > 0"),
           ("paper-network/not-global/free-bias", "the paper's network: every non-global free-bias value is > 0"),
           ("paper-network/local-min-zero-bias", "the paper's network: every non-global configuration is a local "
                                                 "minimum (cumulative output bias 0); refuted by a bias segment that "
                                                 "keeps the strict pattern for every admissible R"),
           ("paper-network/local-min-free-bias", "the same with the free-bias optimal output layer"))
PAPER_25 = tuple(n for n, _ in READ_25 if n.startswith("paper-network/"))


MAX_Q_PAPER = 6       # the paper-network readings: three more least-squares layers per configuration
MAX_Q_25 = 7          # 2^Q - 1 configurations of exact least squares: Q = 8 on data with long rationals (decimals
                      # spanning 10^+-300) takes about a minute, and its certificate about 30 MB


_bits = dc.key          # the statement's key of s: its bits s_1...s_Q


def _construction_json(L: dc.Layers) -> dict:
    """The constants the statement reads to rebuild W^(l) = W_* R_l and the apexes (deep_thm2_3.construction)."""
    con = L.con
    return {"tol": s(L.tol), "u_tilde": vec_json(con.u_tilde), "f_tilde": [vec_json(f) for f in con.f_tilde],
            "R": [mat_json(R) for R in con.R]}


def _layers(inst, g, par, mu, mu_pos, X, configs):
    """The construction at the collapsing mu, coarse tolerance first, with every configuration realised (strict
    pattern, exact row extremes); the last one tried and the reason when none is."""
    why = "not built"
    for tol in cd.TOLERANCES:
        L = dc.Layers(inst, g, par.lam, mu, mu_pos, tol, X)
        table = L.base_table()
        bad = next((r for r in (L.realised_base(sb, table) for sb in configs) if not r[0]), None)
        if bad is None:
            return L, True, "every configuration realised"
        why = bad[1]
    return L, False, why


def _largest_first(configs, value, attempt, first_only=False):
    """[(s, attempt(s))] at the largest nonzero value(s) among the partial configurations (some s_j = 0) where
    attempt gives a result: every tied s (a choice independent of the class order), or the first (``first_only``)."""
    partial = [sb for sb in configs if not all(sb)]
    for v in sorted({value(sb) for sb in partial if value(sb) != 0}, reverse=True):
        got = []
        for sb in (sb for sb in partial if value(sb) == v):
            r = attempt(sb)
            if r is not None:
                got.append((sb, r))
                if first_only:
                    break
        if got:
            return got
    return []


def _local_min_words(cert, prefix, V, found, network):
    """The local-min readings from the values V[key] = (zero, zero at mu_2, free) and the first descent found per
    kind, found[kind] = (key, cost): refuted by it; else undecided while a partial s is open (zero: always; free:
    one with free value > 0), proved when none is (free value 0: a global, hence local, minimum)."""
    for kind in ("zero", "free"):
        name = f"{prefix}local-min-{kind}-bias"
        open_ = [k for k, v in V.items() if "0" in k and (kind == "zero" or v[2] != 0)]
        if kind in found:
            k, cost = found[kind]
            cert.add_reading(name, REFUTED, f"s = {k}: moving the collapsed apexes{network} (biases only) lowers the "
                             f"cost to {cost} (searched at the largest values first; one descent refutes the reading)")
        elif open_:
            cert.add_reading(name, UNDECIDED, f"no descent segment found for s = {open_[0]}")
        else:
            cert.add_reading(name, PROVED, "every partial configuration has free-bias value 0 (a global minimum)")


def _value_readings(cert, prefix, V, origs, at1, at2):
    """The value readings (prefix "" for the realisation, "paper-network/" for the paper's network) from V[s] =
    (zero-bias value at the first mu, at the second, free-bias value at the first) and the mu-free formula origs[s];
    ``at1``, ``at2`` name the two mu in the reasons."""
    moved = [(k, v[0], v[1]) for k, v in V.items() if v[0] != v[1]]
    cert.add_reading(prefix + "value-independent-of-mu", REFUTED if moved else PROVED,
                     f"s = {moved[0][0]}: {moved[0][1]} at {at1} but {moved[0][2]} at {at2}" if moved
                     else "equal at both mu for every s")
    bad = [(k, origs[k], v[0]) for k, v in V.items() if origs[k] != v[0]]
    cert.add_reading(prefix + "value-original-means", REFUTED if bad else PROVED,
                     f"s = {bad[0][0]}: formula {bad[0][1]} != least squares {bad[0][2]}" if bad else "equal for every s")
    seen: dict = {}
    dup = None
    for k, v in V.items():
        if v[0] in seen:
            dup = (seen[v[0]], k, v[0])
            break
        seen[v[0]] = k
    cert.add_reading(prefix + "distinct-values", REFUTED if dup else PROVED,
                     f"s = {dup[0]} and s = {dup[1]} both give {dup[2]}" if dup else f"{len(V)} pairwise distinct values")
    for name, kind, i in (("not-global/zero-bias", "zero", 0), ("not-global/free-bias", "free", 2)):
        zeros = [k for k, v in V.items() if v[i] == 0]
        cert.add_reading(prefix + name, REFUTED if zeros else PROVED,
                         f"s = {zeros[0]}: the exact {kind}-bias least-squares optimum has cost 0, a global minimum "
                         f"({len(zeros)} configuration(s))" if zeros
                         else f"every one of the {len(V)} non-global {kind}-bias values is > 0")


def paper_passes(g, kappa, pt, plus) -> bool:
    """(2.84) for every s at the point: every collapsed apex c_j (σ = pt) lies in the pass cone C_{θ_*}[f_ℓ] of every
    later layer ℓ, p_ℓ at pt (s_ℓ = 0) or at plus (s_ℓ = 1), for each (j, ℓ, s_ℓ) some s ≠ 0…0 needs (pass_cells)."""
    from exactmin_kernel.statements.deep_thm2_5_paper import pass_cells       # one definition: the statement's
    from ..nets import paper_box as pb
    c = (pb.apexes(g, pt), pb.apexes(g, plus))                                 # p_l at s_l = 0 (c_l), s_l = 1
    return all(pb.in_cone([x - y for x, y in zip(c[0][j], c[b][l])], g.v[l], kappa, 1) for j, l, b in pass_cells(g.Q))


def _paper_apexes(g, pt, plus, sb):
    """The paper's apexes x̄_{0,ℓ} + σ_ℓ v_ℓ (Q×1), σ_ℓ from the point (s_ℓ = 0) or plus (s_ℓ = 1)."""
    from ..nets import paper_box as pb
    return [fmpq_mat(g.Q, 1, a) for a in pb.apexes(g, [pt[l] if sb[l] == 0 else plus[l] for l in range(g.Q)])]


def paper_values(g, mom, configs, p1, p2, plus) -> dict:
    """{key(s): (V at p1, V at p2, free-bias V at p1)}: the exact least squares on the paper's τ-image (2.84)."""
    return {_bits(sb): (mom.lsq(sb, _paper_apexes(g, p1, plus, sb), False)[2],
                        mom.lsq(sb, _paper_apexes(g, p2, plus, sb), False)[2],
                        mom.lsq(sb, _paper_apexes(g, p1, plus, sb), True)[2]) for sb in configs}


def _paper_descent_cost(mom, sb, p, q, A, c):
    """F(base) − F(descent) with the output layer (A, c) fixed: the collapsed clusters' single terms."""
    out = fmpq(0)
    for j in (j for j in range(mom.Q) if sb[j] == 0):
        y = fmpq_mat(mom.Y.nrows(), 1, [mom.Y[r, j] for r in range(mom.Y.nrows())])
        r0, r1 = A * p[j] + c - y, A * q[j] + c - y
        out += sum((x * x for x in r0.entries()), fmpq(0)) - sum((x * x for x in r1.entries()), fmpq(0))
    return out


def _paper_descent(g, kappa, mom, sb, p, A, c, bits: int = 24):
    """A bias segment of the paper's network at configuration sb (apexes p) lowering F(A, c): each collapsed apex
    moves along A^T(y_ℓ − A p_ℓ − c) rounded to ``bits`` dyadic bits (as deep_configs.apex_descent), by the largest
    power of two below the cost root that keeps the strict pattern for every admissible R at the far end
    (paper_box.descent_ok; convex, so on the whole segment).  (moved apexes, F(base) − F(descent)) or None."""
    from ..nets import paper_box as pb
    from ..nets.deep_configs import _power_of_two_below, gradient_directions
    if not pb.descent_ok(g, kappa, sb, [list(x.entries()) for x in p]):
        return None
    got = gradient_directions(mom, sb, p, A, c, bits)
    if got is None or got[2] == 0:
        return None
    dirs, s1, s2 = got
    t = _power_of_two_below(-2 * s1 / s2)
    for _ in range(64):
        q = [a + d * t for a, d in zip(p, dirs)]
        if pb.descent_ok(g, kappa, sb, [list(x.entries()) for x in q]):
            drop = _paper_descent_cost(mom, sb, p, q, A, c)
            if drop > 0:
                return q, drop
        t /= 2
    return None


def _paper_network(cert, inst, g, par, mom, configs, origs, fixed=None):
    """The readings for the PAPER's network (exact f_j = v_j/|v_j|, every admissible R_l) at two points sigma,
    sigma_2 of I_0^Q (mu_j = -sigma_j |v_j|: the apexes x̄_{0,j} + sigma_j v_j are rational) and mu_j = a'_j|v_j| in I_1:
    (2.84) holds there for every s when every collapsed apex lies in the pass cone of every later layer
    (:func:`paper_passes`), the values are the exact least squares on that image (R-independent), and a descent of
    the local-min readings keeps the strict pattern for every R (paper_box.descent_ok).  ``fixed``: a witness
    (format-2 strings: lambda, paper) whose points and descents are validated instead of searched (the mutation
    gate's re-derivation).  Returns the witness record {s0, s2, plus[, zero_descent, free_descent]} or None."""
    from ..nets import paper_box as pb

    def undecided(why):
        for name in PAPER_25:
            cert.add_reading(name, UNDECIDED, why)
    if g.Q > MAX_Q_PAPER:
        undecided(f"not attempted: Q = {g.Q} > {MAX_Q_PAPER}: three more exact least-squares layers for each of the "
                  f"{2**g.Q - 1} configurations (about 6 s more to check and 20 s more to verify on data with long "
                  "rationals at Q = 7); the paper's network is then decided by I-box for (2.84) only")
        return None
    if fixed is not None:
        return _paper_fixed(cert, g, mom, configs, origs, fixed, undecided)
    inner = pb.inner_box(g, par.kappa, par.D.lo) if par.certified else None
    if inner is None:
        undecided("no box certified inside I_0^Q for the paper's network")
        return None
    plus = [-a for a, _ in inner]
    pts = None
    for w1, w2 in ((0, fmpq(1, 4)), (0, fmpq(1, 16)), (fmpq(1, 2), fmpq(3, 4)), (fmpq(1, 2), 1)):
        p1 = [a + (b - a) * w1 for a, b in inner]
        p2 = [a + (b - a) * w2 for a, b in inner]
        if paper_passes(g, par.kappa, p1, plus) and paper_passes(g, par.kappa, p2, plus):
            pts = (p1, p2)
            break
    if pts is None:
        undecided("a collapsed apex of the paper's network is not certified to pass a later layer at the points tried "
                  "(see I-box)")
        return None
    p1, p2 = pts
    V = paper_values(g, mom, configs, p1, p2, plus)
    def attempt(sb, kind):
        p = _paper_apexes(g, p1, plus, sb)
        A, c, v = mom.lsq(sb, p, kind == "free")
        d = _paper_descent(g, par.kappa, mom, sb, p, A, c)
        return None if d is None else (d[0], v - d[1])
    found = {}
    for kind, i in (("zero", 0), ("free", 2)):         # searched at the largest values first, as the realisation's
        got = _largest_first(configs, lambda sb: V[_bits(sb)][i], lambda sb: attempt(sb, kind), first_only=True)
        if got:
            found[kind] = (got[0][0], *got[0][1])
    _paper_words(cert, g, V, origs, found, (p1, p2))
    w = {"s0": [s(x) for x in p1], "s2": [s(x) for x in p2], "plus": [s(x) for x in plus]}
    for kind, (sb, q, _) in found.items():
        w[f"{kind}_descent"] = {"s": list(sb), "q": [[s(x) for x in a.entries()] for a in q]}
    return w


def _paper_words(cert, g, V, origs, found, pts):
    """The paper-network readings' words and values from the values V, the descents found {kind: (s, q, cost)}."""
    p1, p2 = pts
    for key, (v0, v2, vf) in V.items():
        cert.set_value(f"paper_cost_squared_zero_bias[s={key}]", v0)
        cert.set_value(f"paper_cost_squared_zero_bias_2[s={key}]", v2)
        cert.set_value(f"paper_cost_squared_free_bias[s={key}]", vf)
    _value_readings(cert, "paper-network/", V, origs, f"sigma = {[str(x) for x in p1]}",
                    f"sigma_2 = {[str(x) for x in p2]} (mu_j = -sigma_j |v_j|, the paper's network)")
    if p1 == p2:                        # the statement asks for two different points
        cert.add_reading("paper-network/value-independent-of-mu", UNDECIDED, "the two points coincide")
    for kind, (sb, _, cost) in found.items():
        cert.set_value(f"paper_descent_{kind}_bias[s={_bits(sb)}]", cost)
    _local_min_words(cert, "paper-network/", V, {k: (_bits(sb), cost) for k, (sb, _, cost) in found.items()},
                     " of the paper's network, with the same strict pattern for every admissible R,")


def _fq(x) -> fmpq:
    return fmpq(*parse_rational(x))


def _paper_fixed(cert, g, mom, configs, origs, wm, undecided):
    """_paper_network at the witness wm's lambda, points and descents, each validated by the library's arithmetic."""
    from ..nets import construct_deep as cd
    from ..nets import paper_box as pb
    P = wm.get("paper")
    kappa = cd.kappa_of_lambda(_fq(wm["lambda"]), g.Q)
    theta_ok = cd.decide_all_positive(cd.theta_star_margin_terms(g, kappa))[0] is True
    if P is None or not theta_ok:
        return undecided("")
    p1, p2, plus = ([_fq(x) for x in P[k]] for k in ("s0", "s2", "plus"))
    if not (all(len(x) == g.Q for x in (p1, p2, plus)) and
            all(pb._s_ok(g, kappa, j, x) for pt in (p1, p2) for j, x in enumerate(pt)) and
            all(x < 0 and x * x * pb.dot(g.v[j], g.v[j]) > 4 * g.delta_sq * g.Q for j, x in enumerate(plus)) and
            paper_passes(g, kappa, p1, plus) and paper_passes(g, kappa, p2, plus)):
        return undecided("")
    V = paper_values(g, mom, configs, p1, p2, plus)
    found = {}
    for kind in ("zero", "free"):
        D = P.get(f"{kind}_descent")
        if D is None:
            continue
        sb = tuple(int(x) for x in D["s"])
        if sb not in configs or all(sb):
            continue
        p = _paper_apexes(g, p1, plus, sb)
        q = [fmpq_mat(g.Q, 1, [_fq(x) for x in a]) for a in D["q"]]
        A, c, v = mom.lsq(sb, p, kind == "free")
        if all(q[l] == p[l] for l in range(g.Q) if sb[l]) and pb.descent_ok(g, kappa, sb, [list(x.entries()) for x in p]) \
                and pb.descent_ok(g, kappa, sb, [list(x.entries()) for x in q]):
            drop = _paper_descent_cost(mom, sb, p, q, A, c)
            if drop > 0:
                found[kind] = (sb, q, v - drop)
    _paper_words(cert, g, V, origs, found, (p1, p2))
    return None


def _ibox(cert, g, par) -> dict:
    """Reading I-box (the paper's network on prod_j I_(s_j), exactmin.nets.paper_box.ibox_analyse); returns the
    witness fields the statement reads (lambda, mu_I0, box_s, ibox_s, ibox_pair)."""
    from ..nets import paper_box as pb
    w = {"lambda": s(par.lam)}
    if not par.certified:
        cert.add_reading("I-box", UNDECIDED, "no mu certified in I_0 (see deep.thm2.3)")
        return w
    w["mu_I0"] = s(par.mu)
    if g.Q > pb.MAX_Q:
        cert.add_reading("I-box", UNDECIDED, f"not attempted: Q = {g.Q} > {pb.MAX_Q} (a box covering I_0^Q)")
        return w
    r = pb.ibox_analyse(g, par.kappa, par.D, True)
    if r["box"] is not None:
        w["box_s"] = box_json(r["box"])
    box = "box (mu_j = -s_j |v_j|, s_j in [a_j, b_j]) covering I_0"
    if r["bad"] == []:
        cert.add_reading("I-box", PROVED, f"the paper's network: at the corners of a {box} (and mu_l = a_l |v_l| <= "
                         "2 delta sqrt Q for I_1) every collapsed apex c_j lies in the cone C_theta*[f_l] of every "
                         "later layer l, for every admissible R_l: (2.84) holds for every s and every mu in "
                         "prod_j I_(s_j)")
    elif r["merge"] is not None:
        sig, (j, l) = r["merge"]
        w["ibox_s"], w["ibox_pair"] = [s(x) for x in sig], [s(fmpq(j + 1)), s(fmpq(l + 1))]
        bits = "".join("0" if x > 0 else "1" for x in sig)
        cert.add_reading("I-box", REFUTED, f"the paper's network at s = {bits}, mu* = -sigma|v| with sigma = "
                         f"{[str(x) for x in sig]} (in prod_j I_(s_j)): layer {l + 1} sends the apex c_{j + 1} onto "
                         f"c_{l + 1} != c_{j + 1} for every admissible R (c_{j + 1} - c_{l + 1} in -C_theta*[f_{l + 1}], "
                         f"exact squares), so classes {j + 1} and {l + 1} end at one point, not at the two apexes of "
                         "(2.84)")
    else:
        cert.add_reading("I-box", UNDECIDED, "no box covering I_0 found" if r["box"] is None else
                         "pass condition not certified on the covering box for (j, l, s_l) = "
                         f"{[(a, b, k) for a, b, k in r['bad'][:6]]} and no exact merge found")
    return w


@claim(id="deep.thm2.5", paper=PAPER, ref="Theorem 2.5, (2.84), (2.85)",
       title="2^Q - 1 degenerate local minima from collapsing a subset of clusters",
       statement=r"s\in\{0,1\}^Q,\ \mu_j\in I_{s_j}:\ X^{(\tau)}\ \text{as in (2.84), value (2.85) independent of }"
                 r"\mu;\ 2^Q-1\ \text{distinct non-global local minima}",
       hypotheses=("deep.hypotheses",),
       readings=READ_25,
       values=(("configurations", "2^Q"),
               ("cost_squared_zero_bias[s=<s>]", "per s (bits s_1..s_Q in the paper's convention (2.83): s_j = 0 "
                                                 "<=> mu_j in I_0, cluster j collapses; s = 0...0 is the global "
                                                 "minimum and is omitted, s = 1...1 is Thm 2.4): least-squares "
                                                 "minimum, cumulative output bias 0, at the base mu"),
               ("cost_squared_zero_bias_mu2[s=<s>]", "the same at the second mu (collapsing clusters only)"),
               ("cost_squared_free_bias[s=<s>]", "least-squares minimum with a free output bias, base mu"),
               ("formula_original_means[s=<s>]", "Tr(Y D (1+D)^{-1} Y^T) with the original means (mu-free)"),
               ("descent_zero_bias[s=<s>]", "cost after the exact bias segment from the zero-bias network, at the "
                                            "configurations with the largest value (one refutes the reading) "
                                            "(when one is found)"),
               ("descent_free_bias[s=<s>]", "the same from the free-bias network"),
               ("paper_cost_squared_zero_bias[s=<s>]", "the PAPER's network (exact f_j, any admissible R) at "
                                                       "mu_j = -sigma_j |v_j| (witness paper.s0, I_1 coordinates "
                                                       "paper.plus): least squares, cumulative output bias 0"),
               ("paper_cost_squared_zero_bias_2[s=<s>]", "the same at the second point paper.s2"),
               ("paper_cost_squared_free_bias[s=<s>]", "the paper's network at paper.s0, free output bias"),
               ("paper_descent_zero_bias[s=<s>]", "the paper's network: cost at the far end of the bias segment "
                                                  "(witness paper.zero_descent), when one is found"),
               ("paper_descent_free_bias[s=<s>]", "the same from the free-bias output layer"),
               ("mu_collapse", "base mu in I_0 for collapsing clusters"), ("mu_collapse_2", "second mu in I_0"),
               ("mu_identity", "mu in I_1 for the other clusters"), ("delta_squared", "delta^2")),
       options=())
def check_thm25(inst, **_):
    """Every configuration from shared data statistics (exactmin.nets.deep_configs): Q^2 per-cluster row extremes
    decide every pattern, class moments every least-squares value and descent."""
    cert = new_certificate("deep.thm2.5", inst)
    g, fail = _setup(cert, inst)
    if fail is not None:
        for name, _ in READ_25:
            cert.add_reading(name, HYPOTHESES_FAIL, fail)
        return cert
    Q = inst.Q

    par = cd.choose_parameters(g)
    wbox = _ibox(cert, g, par)                 # the paper's network: no configuration needed

    def nothing(why):
        # valid input, no construction: a witness without constructions (the statement reads it as "no
        # construction") and every other reading undecided with the reason
        for name, _ in READ_25:
            if name != "I-box":
                cert.add_reading(name, UNDECIDED, why)
        cert.witness = wbox
        return cert
    if Q > MAX_Q_25:
        # the limit depends on Q only, so it is invariant under every symmetry of the data
        return nothing(f"not attempted: Q = {Q}: 2^Q - 1 = {2**Q - 1} configurations, each with three exact "
                       f"least-squares output layers listed in the certificate (Q = 8: up to a minute and about 30 MB "
                       f"on data with long rationals); limit Q <= {MAX_Q_25}. The patterns and values come from shared "
                       "statistics; a larger Q needs a certificate that lets the kernel solve the normal equations "
                       "itself")
    mu2 = cd.second_mu(g, par) if par.certified else None
    if mu2 is None:
        return nothing("mu in I_0 not certified (see deep.thm2.3)" if not par.certified
                       else "no second mu certified in I_0 (the mu-independence reading needs two)")
    X = data_matrix(inst)
    mu_pos = _mu_identity(g, par.mu)
    cert.set_value("configurations", 2**Q)
    cert.set_value("mu_collapse", par.mu), cert.set_value("mu_collapse_2", mu2), cert.set_value("mu_identity", mu_pos)
    configs = dc.configs(Q)
    L1, ok1, why1 = _layers(inst, g, par, par.mu, mu_pos, X, configs)
    L2, ok2, why2 = _layers(inst, g, par, mu2, mu_pos, X, configs)
    mom = dc.Moments(X, inst.sizes, inst.Y)
    Xi = checked_inv(dm.class_means(X, inst.sizes))          # (2.85) with the original means: one inverse for every s
    scatter = [S - m * m.transpose() for S, m in zip(mom.second, mom.mean)]   # N_j^-1 sum_i (x - xbar_j)(x - xbar_j)^T
    entries, V, origs, fits = [], {}, {}, {}
    for sb in configs:
        key = _bits(sb)
        p1, p2 = L1.apexes(sb), L2.apexes(sb)
        A0, c0, v0 = mom.lsq(sb, p1, free=False)
        A2, _, v2 = mom.lsq(sb, p2, free=False)
        Af, cf, vf = mom.lsq(sb, p1, free=True)
        keep = [j for j in range(Q) if sb[j]]      # s_j = 1: cluster j keeps its deviations
        orig = claimed_value(inst.Y, Xi * sum((scatter[j] for j in keep), fmpq_mat(Q, Q)) * Xi.transpose(),
                             inverse=verified_inv)                                     # dm.formula_value
        cert.set_value(f"cost_squared_zero_bias[s={key}]", v0)
        cert.set_value(f"cost_squared_zero_bias_mu2[s={key}]", v2)
        cert.set_value(f"cost_squared_free_bias[s={key}]", vf)
        cert.set_value(f"formula_original_means[s={key}]", orig)
        V[key], origs[key] = (v0, v2, vf), orig
        entry = {"zero": mat_json(A0), "zero_mu2": mat_json(A2),
                 "free": {"A": mat_json(Af), "c": [str(cf[r, 0]) for r in range(cf.nrows())]}}
        entries.append(entry)
        fits[sb] = (p1, (A0, c0, v0), (Af, cf, vf))
    # one descent of each kind refutes its local-min reading.  It is searched for first at the partial configurations
    # (some s_j = 0: apexes can move) with the largest value, all of them when several tie: a choice that does not
    # depend on the order of the classes.  A free-bias value 0 is a global, hence local, minimum: no descent there.
    first = {}
    for kind, i in (("zero", 1), ("free", 2)):
        got = _largest_first(configs, lambda sb: fits[sb][i][2],
                             lambda sb: dc.apex_descent(L1, mom, sb, fits[sb][0], *fits[sb][i])) if ok1 else []
        for sb, d in got:
            entries[configs.index(sb)][f"{kind}_descent"] = [[str(x) for x in P.entries()] for P in d[0]]
            cert.set_value(f"descent_{kind}_bias[s={_bits(sb)}]", d[1])
        if got:
            first[kind] = (_bits(got[0][0]), got[0][1][1])
    # statement exactmin_kernel/statements/deep_thm2_5.py: one configuration per s != 0...0 in the order of
    # product((0, 1), repeat=Q) (the paper's convention (2.83): s_j = 0 <=> mu_j in I_0), the kernel's `configs`
    cert.witness = {"lambda": s(par.lam), "mu_collapse": s(par.mu), "mu_collapse_2": s(mu2), "mu_identity": s(mu_pos),
                    "constructions": [_construction_json(L1), _construction_json(L2)], "configurations": entries, **wbox}
    paper = _paper_network(cert, inst, g, par, mom, configs, origs)
    if paper is not None:
        cert.witness["paper"] = paper
    if not (ok1 and ok2):
        for name, _ in READ_25:
            if name != "I-box" and name not in PAPER_25:
                cert.add_reading(name, UNDECIDED, f"a configuration was not realised with a strict pattern: "
                                                  f"{why1 if not ok1 else why2}")
        return cert
    cert.add_reading("2.84", PROVED, f"all {2**Q - 1} non-global configurations realised at both mu, strict patterns "
                                     "(per-cluster row extremes of the shared layers; the rational realisation, "
                                     f"tol = {L1.tol} / {L2.tol}; the paper's own network: reading I-box)")
    _value_readings(cert, "", V, origs, f"mu = {par.mu}", f"mu = {mu2}")
    _local_min_words(cert, "", V, first, "")
    return cert
