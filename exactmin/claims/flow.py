"""Claims of the adapted gradient flow, arXiv:2311.15487 (ids ``flow.*`` in ../shared/CLAIMS.md).

Cost normalisation: C = (κ/2) Σ_i |x_i − y_{ω(i)}|² with the option ``kappa`` (default "1/N", Chen's convention);
every certificate records it in ``parameters``.  The network θ is built from the options (``theta`` explicit, or
a random rational network from ``seed`` and ``widths``) and recorded in the witness.
"""
from __future__ import annotations

import random

import flint
from flint import arb, fmpq

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, UNDECIDED
from ..errors import InputError
from ..exact.enclosure import from_arb, working_precision
from ..exact.numbers import to_fmpq
from ..flow import equilibria as eq
from ..flow.orbit import STEP_GRID, adapted_orbit, plain_flow
from ..nets import jacobian as J
from .base import claim
from .common import new_certificate, vec_json

PAPER = "flow"
NORMALISATION = "C = (kappa/2) sum_i |x_i - y_omega(i)|^2"
NET_OPTIONS = (("seed", 0, "seed of the random rational network (used when theta is empty)"),
               ("widths", "", "hidden widths, e.g. '3' or '3,2' (default: one layer, just wide enough for K - width >= QN)"),
               ("theta", "", "explicit parameters p/q, comma-separated, layer by layer (W row-major, then b)"),
               ("kappa", "1/N", "cost normalisation kappa in C = (kappa/2)|x - y|^2: '1/N' or a rational"))


def _setup(inst, seed, widths, theta, kappa):
    data = J.flow_data(inst)
    kap = J.parse_kappa(kappa, data.N)
    dims = [data.M] + J.parse_widths(widths, data) + [data.Q]
    K = J.n_params(dims)
    th = J.parse_theta(theta, K)
    if th is None:
        th = J.flatten(J.random_net(random.Random(int(seed)), dims))
    return data, kap, dims, th


def _params(cert, seed, widths, theta, kappa, kap, **extra):
    cert.parameters = {"seed": seed, "widths": str(widths), "theta": str(theta), "kappa": str(kappa),
                       "kappa_value": str(kap), "normalisation": NORMALISATION, **extra}


def _rat(name, v, positive=True):
    try:
        q = to_fmpq(str(v))
    except InputError:
        raise InputError(f"option {name} must be a rational, got {v!r}") from None
    if positive and q <= 0:
        raise InputError(f"option {name} must be positive, got {v!r}")
    return q


def _point_witness(dims, th, omegas=()):
    return {"dims": dims, "theta": vec_json(th), "omegas": vec_json(omegas)}


# ---------------------------------------------------------------------------------------------------------
# flow.rank-condition
# ---------------------------------------------------------------------------------------------------------

@claim(id="flow.rank-condition", paper=PAPER, ref="rank condition (Sec. 1.2-1.3 of the notes)",
       title="Exact Jacobian rank at a rational point strictly inside its activation region",
       statement=r"\operatorname{rank} D[\theta]=QN,\ D[\theta]=\partial\underline{x}/\partial\theta\in\mathbb{R}^{QN\times K}",
       hypotheses=("theta strictly inside an activation region", "K - sum of hidden widths >= QN"),
       readings=(("interior", "no hidden pre-activation is 0 at theta; a rational radius keeps the pattern"),
                 ("overparametrized", "K minus the hidden neurons (rescaling symmetries) is at least QN"),
                 ("full-rank", "rank D[theta] = QN, exact (two backends)")),
       values=(("K", "number of parameters"), ("QN", "number of outputs (output dimension times points)"),
               ("hidden_neurons", "sum of the hidden widths"),
               ("structural_bound", "K - hidden_neurons, an upper bound of rank D"),
               ("rank_D", "exact rank of D[theta]"),
               ("min_abs_preactivation", "smallest |hidden pre-activation| over the data"),
               ("pattern_radius", "rational r: no pre-activation changes sign for |theta' - theta| <= r"),
               ("cost_0", "C(theta), exact"), ("kappa", "the normalisation kappa"),
               ("grad_norm_squared", "|grad_theta C|^2 = |kappa D^T (x - y)|^2, exact")),
       options=NET_OPTIONS)
def check_rank_condition(inst, seed=0, widths="", theta="", kappa="1/N", **_):
    cert = new_certificate("flow.rank-condition", inst)
    data, kap, dims, th = _setup(inst, seed, widths, theta, kappa)
    _params(cert, seed, widths, theta, kappa, kap)
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    K, QN, hid = J.n_params(dims), data.Q * data.N, sum(dims[1:-1])
    cert.set_value("K", K), cert.set_value("QN", QN), cert.set_value("hidden_neurons", hid)
    cert.set_value("structural_bound", K - hid), cert.set_value("kappa", kap)
    cert.set_value("cost_0", J.cost(ev, data, kap))
    over = K - hid >= QN
    cert.add_reading("overparametrized", PROVED if over else HYPOTHESES_FAIL,
                     f"K - hidden = {K - hid} {'>=' if over else '<'} QN = {QN}")
    if not ev.strict:
        cert.add_reading("interior", HYPOTHESES_FAIL, "a hidden pre-activation is 0: D is undefined at theta")
        cert.add_reading("full-rank", HYPOTHESES_FAIL, "D undefined at theta")
        cert.witness = _point_witness(dims, th)
        return cert
    rad = J.pattern_radius(net, ev)
    rk = J.jacobian_rank(ev)
    g = J.gradient(ev, data, kap)
    cert.add_reading("interior", PROVED, f"every hidden pre-activation is nonzero (min |z| = {ev.min_margin}); "
                     f"the pattern is constant on the ball of radius {rad.radius}")
    cert.add_reading("full-rank", PROVED if rk == QN else HYPOTHESES_FAIL, f"rank D = {rk}, QN = {QN}")
    cert.set_value("rank_D", rk)
    cert.set_value("min_abs_preactivation", ev.min_margin)
    cert.set_value("pattern_radius", rad.radius)
    cert.set_value("grad_norm_squared", sum((x * x for x in g), fmpq(0)))
    cert.witness = _point_witness(dims, th, rad.omegas)
    return cert


# ---------------------------------------------------------------------------------------------------------
# the adapted orbit (shared by exp-rate and stopping-time)
# ---------------------------------------------------------------------------------------------------------

def _orbit_readings(orb):
    """(region verdict, reason), (rank verdict, reason): the rules the kernel re-derives."""
    cps = orb.checkpoints
    p0 = cps[0].pattern
    bad_pattern = next((c for c in cps if c.strict and c.pattern != p0), None)
    bad_rank = next((c for c in cps if c.rank is not None and c.rank != orb.QN), None)
    if bad_pattern is not None:
        region = (HYPOTHESES_FAIL, f"the activation pattern at checkpoint s = {bad_pattern.s} differs from theta_0's")
    elif orb.region_ok():
        region = (PROVED, (f"{len(cps)} checkpoints strictly inside the region of theta_0; consecutive pattern balls "
                          f"cover the tube of radius {orb.delta} around the polygon (delta is an a-posteriori "
                          f"estimate of the integration error, not a rigorous bound: the true orbit between "
                          f"checkpoints is not certified)"))
    else:
        region = (UNDECIDED, orb.stopped or "the pattern balls do not cover the orbit's tube")
    if bad_rank is not None:
        rank = (HYPOTHESES_FAIL, f"rank D = {bad_rank.rank} < QN = {orb.QN} at s = {bad_rank.s}")
    elif orb.rank_ok() and not orb.stopped:
        rank = (PROVED, f"rank D = QN = {orb.QN} exactly at all {len(cps)} checkpoints")
    else:
        rank = (UNDECIDED, orb.stopped or "rank not certified")
    return region, rank


def _orbit_witness(orb, th0):
    cps = orb.checkpoints
    return {"dims": orb.dims, "theta": vec_json(th0), "times": vec_json(c.s for c in cps),
            "thetas": [vec_json(c.theta) for c in cps],
            "radii": vec_json(c.radius.radius if c.radius is not None else 0 for c in cps),
            "omegas": [vec_json(c.radius.omegas if c.radius is not None else ()) for c in cps],
            "delta": str(orb.delta)}


def _hyp_fail_point(cert, data, kap, dims, th, names):
    """θ_0 is not a strict full-rank point of an overparametrized architecture: every reading hypotheses-fail."""
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    K, QN = J.n_params(dims), data.Q * data.N
    if K - sum(dims[1:-1]) < QN:
        why = f"not overparametrized beyond the rescaling symmetries: K - hidden = {K - sum(dims[1:-1])} < QN = {QN}"
    elif not ev.strict:
        why = "a hidden pre-activation is 0 at theta_0"
    else:
        rk = J.jacobian_rank(ev)
        if rk == QN:
            return None
        why = f"rank D[theta_0] = {rk} < QN = {QN}"
    for n in names:
        cert.add_reading(n, HYPOTHESES_FAIL, why)
    cert.witness = _point_witness(dims, th)
    return cert


def _q(x) -> flint.fmpq:
    return fmpq(x)


def _widen(enc, bits=200):
    """Outward-rounded dyadic enclosure, widened by 2^-bits."""
    g = 2 ** (bits + 10)
    lo = fmpq(int(((enc.lo - fmpq(1, 2 ** bits)) * g).floor()), g)
    hi = fmpq(int(((enc.hi + fmpq(1, 2 ** bits)) * g).ceil()), g)
    return lo, hi


def _arbq(q: fmpq) -> arb:
    return arb(q)


# ---------------------------------------------------------------------------------------------------------
# flow.exp-rate
# ---------------------------------------------------------------------------------------------------------

@claim(id="flow.exp-rate", paper=PAPER, ref="main theorem (Sec. 1.3 of the notes)",
       title="Adapted flow: C(s) = exp(-2 kappa s) C(0) along the orbit",
       statement=r"\partial_s\theta=-D^T(DD^T)^{-1}\nabla_x C,\ \operatorname{rank}D=QN\ \Rightarrow\ "
                 r"C(s)=e^{-2\kappa s}C(0)",
       hypotheses=("K >= QN", "rank D[theta(s)] = QN along the orbit", "orbit inside one activation region"),
       readings=(("region", ("every checkpoint of the integrated orbit is strictly inside theta_0's region, and the "
                            "certified pattern balls cover the a-posteriori tube around the orbit")),
                 ("rank", "rank D = QN exactly at every checkpoint"),
                 ("rate", "max_k |C(theta_k) e^{2 kappa s_k} / C(0) - 1| <= rel_tol at the rational checkpoints")),
       values=(("kappa", "the normalisation kappa"), ("cost_0", "C(theta_0), exact"),
               ("s_max", "end time of the orbit"), ("checkpoints", "number of rational checkpoints"),
               ("min_pattern_radius", "smallest certified pattern radius over the checkpoints"),
               ("tube_radius", "a-posteriori bound of the orbit's distance from the checkpoint polygon (sampled)"),
               ("rel_tol", "the tolerance of the rate reading"),
               ("max_rel_deviation", "enclosure of max_k |C(theta_k) e^{2 kappa s_k}/C(0) - 1|")),
       options=NET_OPTIONS + (("s_max", "", "end time (default 8/kappa)"),
                              ("dps", 30, "mpmath working digits of the integration"),
                              ("rel_tol", "1e-15", "relative tolerance of the rate reading")))
def check_exp_rate(inst, seed=0, widths="", theta="", kappa="1/N", s_max="", dps=30, rel_tol="1e-15", **_):
    cert = new_certificate("flow.exp-rate", inst)
    data, kap, dims, th = _setup(inst, seed, widths, theta, kappa)
    tol = _rat("rel_tol", rel_tol)
    dps = int(dps)
    if not 15 <= dps <= 60:
        raise InputError("dps must be between 15 and 60")
    send = _rat("s_max", s_max) if str(s_max).strip() else 8 / kap
    send = fmpq(int((send * STEP_GRID).ceil()), STEP_GRID)
    _params(cert, seed, widths, theta, kappa, kap, s_max=str(send), dps=dps, rel_tol=str(tol))
    if _hyp_fail_point(cert, data, kap, dims, th, ("region", "rank", "rate")):
        return cert
    orb = adapted_orbit(th, dims, data, kap, send, dps=dps)
    (rv, rr), (kv, kr) = _orbit_readings(orb)
    cert.add_reading("region", rv, rr)
    cert.add_reading("rank", kv, kr)
    lo, hi = _max_rel_deviation(orb)
    ok = hi <= tol and not orb.stopped
    cert.add_reading("rate", PROVED if ok else UNDECIDED,
                     f"max relative deviation of C at the checkpoints from e^(-2 kappa s) C(0) is at most "
                     f"{float(hi):.3e} {'<=' if hi <= tol else '>'} rel_tol = {float(tol):.1e}"
                     + (f"; orbit incomplete: {orb.stopped}" if orb.stopped else ""))
    cert.set_value("kappa", kap), cert.set_value("cost_0", orb.cost0), cert.set_value("s_max", send)
    cert.set_value("checkpoints", len(orb.checkpoints))
    radii = [c.radius.radius for c in orb.checkpoints if c.radius is not None]
    cert.set_value("min_pattern_radius", min(radii) if radii else 0)
    cert.set_value("tube_radius", orb.delta, "sampled")
    cert.set_value("rel_tol", tol)
    cert.set_enclosure("max_rel_deviation", lo, hi)
    cert.witness = _orbit_witness(orb, th)
    cert.parameters.update({"evals": orb.evals, "integration_seconds": round(orb.seconds, 3),
                            "integration_error_estimate": f"{float(sum(orb.local_errors)):.3e}"})
    _LAST_ORBIT["exp-rate"] = orb
    return cert


_LAST_ORBIT: dict = {}   # the last orbit of each orbit claim (for plots and tests; not part of a certificate)


def _max_rel_deviation(orb):
    with working_precision(320):
        best_lo, best_hi = fmpq(0), fmpq(0)
        c0 = _arbq(orb.cost0)
        for c in orb.checkpoints[1:]:
            d = abs(_arbq(c.cost) * (2 * _arbq(orb.kappa) * _arbq(c.s)).exp() / c0 - 1)
            e = from_arb(d)
            lo = max(e.lo, fmpq(0))
            best_lo, best_hi = max(best_lo, lo), max(best_hi, e.hi)
        from ..exact.enclosure import Enclosure
        return _widen(Enclosure(best_lo, best_hi))


# ---------------------------------------------------------------------------------------------------------
# flow.stopping-time
# ---------------------------------------------------------------------------------------------------------

@claim(id="flow.stopping-time", paper=PAPER, ref="a-priori stopping time (Sec. 1.3 of the notes)",
       title="A-priori stopping time T_eps = ln(C(0)/eps)/(2 kappa); comparison with the plain gradient flow",
       statement=r"T_\varepsilon=\frac{1}{2\kappa}\ln\frac{C(0)}{\varepsilon},\quad C(s)\le\varepsilon\ (s\ge T_\varepsilon)",
       hypotheses=("the hypotheses of flow.exp-rate along the orbit up to T_eps", "C(0) > eps"),
       readings=(("orbit", "region and rank certified at every checkpoint up to s_after (as in flow.exp-rate)"),
                 ("a-priori", ("C(theta(s_after)) <= eps < C(theta(s_before)) exactly at the recorded checkpoints, "
                              "s_before < T_eps < s_after")),
                 ("plain-flow", ("the plain gradient flow from theta_0 reaches C <= eps (exact at its recorded "
                                "checkpoint, C > eps one grid step earlier)"))),
       values=(("kappa", "the normalisation kappa"), ("eps", "the target cost"), ("cost_0", "C(theta_0), exact"),
               ("T_eps", "enclosure of ln(C(0)/eps)/(2 kappa)"),
               ("s_before", "checkpoint time just below T_eps"), ("s_after", "checkpoint time just above T_eps"),
               ("cost_before", "exact C at the checkpoint s_before (sampled orbit point)"),
               ("cost_after", "exact C at the checkpoint s_after (sampled orbit point)"),
               ("T_plain", "first time on a 1/16 grid at which the computed plain flow has C <= eps (sampled)"),
               ("plain_over_adapted", "T_plain / s_after: how much longer the plain flow takes (sampled)")),
       options=NET_OPTIONS + (("eps", "1e-6", "target cost epsilon"),
                              ("dps", 30, "mpmath working digits of the integration"),
                              ("plain_factor", 40, "the plain flow is integrated up to plain_factor * T_eps")))
def check_stopping_time(inst, seed=0, widths="", theta="", kappa="1/N", eps="1e-6", dps=30, plain_factor=40, **_):
    cert = new_certificate("flow.stopping-time", inst)
    data, kap, dims, th = _setup(inst, seed, widths, theta, kappa)
    e = _rat("eps", eps)
    dps = int(dps)
    if not 15 <= dps <= 60:
        raise InputError("dps must be between 15 and 60")
    _params(cert, seed, widths, theta, kappa, kap, eps=str(e), dps=dps, plain_factor=int(plain_factor))
    names = ("orbit", "a-priori", "plain-flow")
    if _hyp_fail_point(cert, data, kap, dims, th, names):
        return cert
    c0 = J.cost(J.evaluate(J.unflatten(th, dims), data), data, kap)
    if c0 <= e:
        for n in names:
            cert.add_reading(n, HYPOTHESES_FAIL, f"C(0) = {c0} <= eps = {e}")
        cert.witness = _point_witness(dims, th)
        return cert
    with working_precision(320):
        T = from_arb((_arbq(c0) / _arbq(e)).log() / (2 * _arbq(kap)))
    Tlo, Thi = _widen(T, 100)
    g = fmpq(1, 64)
    s_before = fmpq(int((Tlo / g).floor()), 64) - g
    s_after = fmpq(int((Thi / g).ceil()), 64) + g
    orb = adapted_orbit(th, dims, data, kap, s_after, must_hit=(s_before,), dps=dps)
    (rv, rr), (kv, kr) = _orbit_readings(orb)
    ov = rv if rv != PROVED else kv
    cert.add_reading("orbit", ov, rr if rv != PROVED else (kr if kv != PROVED else rr + "; " + kr))
    cps = {c.s: c for c in orb.checkpoints}
    cb, ca = cps.get(s_before), cps.get(s_after)
    if cb is None or ca is None:
        cert.add_reading("a-priori", UNDECIDED, f"the orbit did not reach s = {s_after}: {orb.stopped}")
    else:
        ok = ca.cost <= e < cb.cost
        cert.add_reading("a-priori", PROVED if ok else UNDECIDED,
                         f"C(s_after = {s_after}) = {float(ca.cost):.6e} {'<=' if ca.cost <= e else '>'} eps and "
                         f"C(s_before = {s_before}) = {float(cb.cost):.6e} {'>' if cb.cost > e else '<='} eps")
        cert.set_value("s_before", s_before), cert.set_value("s_after", s_after)
        cert.set_value("cost_before", cb.cost, "sampled"), cert.set_value("cost_after", ca.cost, "sampled")
    pr = plain_flow(th, dims, data, kap, e, Thi * int(plain_factor))
    if pr.reached:
        ok = pr.cost_at <= e < pr.cost_before
        cert.add_reading("plain-flow", PROVED if ok else UNDECIDED,
                         f"plain gradient flow: C <= eps first at s = {pr.T} on the 1/16 grid "
                         f"({float(pr.T / T.mid()):.3f} x T_eps); activation pattern "
                         f"{'changed' if pr.pattern_changed else 'unchanged'} at that point")
        cert.set_value("T_plain", pr.T, "sampled")
        if ca is not None:
            cert.set_value("plain_over_adapted", pr.T / s_after, "sampled")
    else:
        cert.add_reading("plain-flow", UNDECIDED, f"the plain flow did not reach eps before s = {Thi * int(plain_factor)}")
    cert.set_value("kappa", kap), cert.set_value("eps", e), cert.set_value("cost_0", c0)
    cert.set_enclosure("T_eps", Tlo, Thi)
    w = _orbit_witness(orb, th)
    w["plain"] = ({"T": str(pr.T), "theta_before": vec_json(pr.theta_before), "theta_at": vec_json(pr.theta_at)}
                  if pr.reached else None)
    cert.witness = w
    cert.parameters.update({"evals": orb.evals, "integration_seconds": round(orb.seconds, 3),
                            "plain_seconds": round(pr.seconds, 3),
                            "integration_error_estimate": f"{float(sum(orb.local_errors)):.3e}"})
    _LAST_ORBIT["stopping-time"] = orb
    return cert


# ---------------------------------------------------------------------------------------------------------
# flow.equilibria-rank-loss
# ---------------------------------------------------------------------------------------------------------

LAMBDAS = (fmpq(2), fmpq(1, 3))


def _equilibrium(cert, prefix, name, net, data, kap):
    dims = J.widths_of(net)
    th = J.flatten(net)
    ev = J.evaluate(net, data)
    K, QN = J.n_params(dims), data.Q * data.N
    w = {"dims": dims, "theta": vec_json(th), "lambdas": vec_json(LAMBDAS)}
    if not ev.strict:
        cert.add_reading(name, UNDECIDED, "the constructed point is not strictly inside a region")
        return w
    C = J.cost(ev, data, kap)
    g = J.gradient(ev, data, kap)
    rk = J.jacobian_rank(ev)
    r = eq.feature_rank(data)
    uniform = len({tuple(tuple(int(z > 0) for z in layer) for layer in pp) for pp in ev.pre}) == 1
    curve = []
    for lam in LAMBDAS:
        tl = eq.rescale(th, dims, 0, 0, lam)
        evl = J.evaluate(J.unflatten(tl, dims), data)
        curve.append(evl.strict and evl.pattern == ev.pattern and all(x == 0 for x in J.gradient(evl, data, kap))
                     and J.cost(evl, data, kap) == C and tl != th)
    is_eq = all(x == 0 for x in g)
    const_rank = uniform and rk == data.Q * r
    for k, v in (("cost", C), ("rank_D", rk), ("K", K), ("ker_DT_dim", QN - rk),
                 ("equilibrium_dim", K - rk), ("grad_norm_squared", sum((x * x for x in g), fmpq(0)))):
        cert.set_value(f"{prefix}_{k}", v)
    if not is_eq:
        cert.add_reading(name, UNDECIDED, "the constructed point is not an exact equilibrium")
    elif C == 0:
        cert.add_reading(name, HYPOTHESES_FAIL, "the constructed equilibrium has C = 0 (the data are affinely "
                                                "interpolable): no equilibrium with C > 0 from this construction")
    elif rk >= QN:
        from ..certify.verdict import REFUTED
        cert.add_reading(name, REFUTED, f"equilibrium with C = {C} > 0 and rank D = {rk} = QN")
    elif not (const_rank and all(curve) and K - rk > 0):
        cert.add_reading(name, UNDECIDED, "rank loss holds but the positive dimension is not certified")
    else:
        cert.add_reading(name, PROVED, f"exact equilibrium (grad C = 0) with C = {C} > 0; rank D = {rk} < QN = {QN}; "
                                       f"rank D = Q rank[(p,1)] is the maximum on the region, so the equilibria near "
                                       f"theta form a manifold of dimension K - rank D = {K - rk}; the rescaling "
                                       f"curve of neuron (1,1) at lambda = 2, 1/3 consists of equilibria")
    return w


@claim(id="flow.equilibria-rank-loss", paper=PAPER, ref="rank loss, critical submanifold (Sec. 1.5 of the notes)",
       title="Equilibria with C > 0 have rank D < QN and are not isolated",
       statement=r"D[\theta]^T\nabla_xC=0,\ C>0\ \Rightarrow\ \operatorname{rank}D[\theta]<QN;"
                 r"\ \dim\{\text{equilibria near }\theta\}=K-\operatorname{rank}D>0",
       hypotheses=("the constructed point lies strictly inside an activation region",),
       readings=(("identity-regime", ("minimum of deep Thm 2.4 type: hidden layers W = I, positive biases (identity "
                                     "on the data), least-squares output layer with free bias")),
                 ("lsq-features", ("random hidden layer, every neuron active on all or on no data point, "
                                  "least-squares output layer")),
                 ("full-rank", "at a strict point with rank D = QN, ker D^T = 0, so grad C = 0 only if C = 0")),
       values=(("QN", "number of outputs"),
               ("identity_cost", "C at the identity-regime equilibrium"),
               ("identity_rank_D", "rank D there"), ("identity_K", "parameters of that network"),
               ("identity_ker_DT_dim", "QN - rank D (dim ker D^T, which contains the residual)"),
               ("identity_equilibrium_dim", "K - rank D: dimension of the equilibrium manifold through the point"),
               ("identity_grad_norm_squared", "|grad C|^2 (0 at an equilibrium)"),
               ("lsq_cost", "C at the lsq-features equilibrium"), ("lsq_rank_D", "rank D there"),
               ("lsq_K", "parameters of that network"), ("lsq_ker_DT_dim", "QN - rank D"),
               ("lsq_equilibrium_dim", "K - rank D"), ("lsq_grad_norm_squared", "|grad C|^2"),
               ("fullrank_rank_D", "rank D at the full-rank point"),
               ("fullrank_cost", "C at the full-rank point"),
               ("fullrank_grad_norm_squared", "|grad C|^2 at the full-rank point (> 0 unless C = 0)")),
       options=NET_OPTIONS + (("layers", 2, "hidden layers of the identity-regime network"),
                              ("feature_seed", 0, "seed of the lsq-features hidden layer")))
def check_equilibria(inst, seed=0, widths="", theta="", kappa="1/N", layers=2, feature_seed=0, **_):
    cert = new_certificate("flow.equilibria-rank-loss", inst)
    data, kap, dims, th = _setup(inst, seed, widths, theta, kappa)
    layers = int(layers)
    if not 1 <= layers <= 8:
        raise InputError("layers must be between 1 and 8")
    _params(cert, seed, widths, theta, kappa, kap, layers=layers, feature_seed=int(feature_seed))
    cert.set_value("QN", data.Q * data.N)
    w_id = _equilibrium(cert, "identity", "identity-regime", eq.identity_regime(data, layers), data, kap)
    w_lsq = _equilibrium(cert, "lsq", "lsq-features", eq.lsq_features(data, int(feature_seed)), data, kap)
    ev = J.evaluate(J.unflatten(th, dims), data)
    QN = data.Q * data.N
    if not ev.strict:
        cert.add_reading("full-rank", HYPOTHESES_FAIL, "a hidden pre-activation is 0 at the full-rank test point")
    else:
        rk = J.jacobian_rank(ev)
        g2 = sum((x * x for x in J.gradient(ev, data, kap)), fmpq(0))
        C = J.cost(ev, data, kap)
        cert.set_value("fullrank_rank_D", rk), cert.set_value("fullrank_cost", C)
        cert.set_value("fullrank_grad_norm_squared", g2)
        if rk < QN:
            cert.add_reading("full-rank", HYPOTHESES_FAIL, f"rank D = {rk} < QN = {QN} at the test point")
        else:
            from ..certify.verdict import REFUTED
            ok = (g2 == 0) == (C == 0)
            cert.add_reading("full-rank", PROVED if ok else REFUTED,
                             f"rank D = QN = {QN}: D^T injective, |grad C|^2 = {g2} "
                             f"{'> 0' if g2 else '= 0'} with C {'> 0' if C else '= 0'}")
    cert.witness = {"identity": w_id, "lsq": w_lsq, "full_rank": {"dims": dims, "theta": vec_json(th)}}
    return cert
