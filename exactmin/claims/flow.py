"""Claims of the adapted gradient flow, arXiv:2311.15487 (ids ``flow.*`` in ../shared/CLAIMS.md).

The full text of arXiv:2311.15487 could not be obtained; the statements checked here are the reconstruction of
../shared/papers/gradient_papers.md (Sections 1.2-1.5) of what the abstract states, see docs/claims/flow.md.

Cost normalisation: C = (κ/2) Σ_i |x_i − y_{ω(i)}|² with the option ``kappa`` (default "1/N", Chen's convention);
every certificate records it in ``parameters``.  The start θ_0 is built from the options: ``theta`` explicit; else
``start=auto`` (default) constructs a rational point near an exact zero-loss point (:mod:`exactmin.flow.start`),
``start=random`` a random rational network from ``seed``.  Every flow claim uses the same θ_0 for the same options.

``flow.exp-rate`` and ``flow.stopping-time`` certify the WHOLE orbit with one ball and no integration
(:mod:`exactmin.flow.ball`): region, rank QN and the identity C(s) = e^{−2κs} C(0) hold along the orbit once
|r(0)| ≤ R σ is checked exactly; otherwise the readings are ``undecided`` with the failing inequality.
"""
from __future__ import annotations

import math
import random

from flint import arb, fmpq

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, UNDECIDED
from ..errors import InputError
from ..exact.enclosure import from_arb, working_precision
from ..exact.fexp import scaled_float, sci
from ..exact.numbers import to_fmpq
from ..flow import ball as B
from ..flow import equilibria as eq
from ..flow import start as S
from ..nets import jacobian as J
from .base import claim
from .common import new_certificate, vec_json

PAPER = "flow"
NORMALISATION = "C = (kappa/2) sum_i |x_i - y_omega(i)|^2"
MAX_THETA_CHARS = 1800     # one entry of theta (short witness numbers; the kernel caps bits x layers)
MAX_HORIZON = 10 ** 4      # kappa * s_max
NET_OPTIONS = (("start", "auto", "theta_0 when theta is empty: 'auto' (near an exact zero-loss point, certified "
                                 "by construction) or 'random' (random rational network from seed)"),
               ("seed", 0, "seed of the start construction or of the random network"),
               ("widths", "", "hidden widths, e.g. '3' or '3,2' (default: one layer of width max(N - 1, the "
                              "smallest w with K - w >= QN))"),
               ("theta", "", "explicit parameters p/q, comma-separated, layer by layer (W row-major, then b)"),
               ("kappa", "1/N", "cost normalisation kappa in C = (kappa/2)|x - y|^2: '1/N' or a rational"))

# witness fields: the SCHEMA of the statements exactmin_kernel/statements/flow_*.py (format 2; kappa, s_max, eps
# and T_eps are added from cert.witness_v2, pattern_radius and exp_lower from the values)
POINT_FIELDS = ("dims", "theta")
RANK_FIELDS = ("dims", "theta", "omegas")
BALL_FIELDS = ("dims", "theta", "radius", "norms", "sigma0", "deviation")
EXP_RATE_FIELDS = BALL_FIELDS + ("exp_lower",)
STOPPING_FIELDS = BALL_FIELDS + ("Sigma0",)


_STARTS: dict = {}   # (instance hash, kappa, widths, seed) -> constructed start: every claim uses the same θ_0


def _setup(inst, seed, widths, theta, kappa, start="auto"):
    """(data, κ, dims, θ_0, how θ_0 was obtained)."""
    data = J.flow_data(inst)
    kap = J.parse_kappa(kappa, data.N)
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise InputError(f"option seed must be an integer, got {seed!r}") from None
    st = str(start).strip().lower()
    if st not in ("auto", "random"):
        raise InputError(f"option start must be 'auto' or 'random', got {start!r}")
    dims = S.default_dims(data, widths)
    if str(theta).strip():
        if any(len(t.strip()) > MAX_THETA_CHARS for t in str(theta).split(",")):
            raise InputError(f"theta entries must have at most {MAX_THETA_CHARS} characters")
        return data, kap, dims, J.parse_theta(theta, J.n_params(dims)), "given by the option theta"
    if st == "auto":
        key = (inst.sha256, str(kap), str(widths).strip(), seed)
        got = _STARTS.get(key) or _STARTS.setdefault(key, S.construct(data, kap, widths, seed))
        if got.theta is not None:
            return data, kap, got.dims, got.theta, got.note
        note = f"random network from seed {seed} (no constructed start: {got.note})"
    else:
        note = f"random network from seed {seed}"
    return data, kap, dims, J.flatten(J.random_net(random.Random(seed), dims)), note


def _params(cert, seed, widths, theta, kappa, kap, start, note, **extra):
    # witness data only the obligation kernel reads (format 2; exactmin_kernel/statements/flow_*.py): kappa, and
    # the claim's own numbers (s_max, eps) where the statement has them
    cert.witness_v2 = {"kappa": str(kap), **{k: v for k, v in extra.items() if k in ("s_max", "eps") and v != ""}}
    cert.parameters = {"start": str(start).strip().lower(), "seed": int(seed), "widths": str(widths), "theta": str(theta),
                       "kappa": str(kappa), "kappa_value": str(kap), "normalisation": NORMALISATION,
                       "start_note": note, **extra}


def _rat(name, v, positive=True):
    try:
        q = to_fmpq(str(v))
    except InputError:
        raise InputError(f"option {name} must be a rational, got {v!r}") from None
    if positive and q <= 0:
        raise InputError(f"option {name} must be positive, got {v!r}")
    return q


def _f(q) -> str:
    """A rational for a reason string (never used in a decision): 4 significant digits, scientific notation
    (exact exponent, :func:`exactmin.exact.fexp.sci`) when the value is outside [1e-4, 1e6) or the float range."""
    x = scaled_float(q)
    if q == 0 or (math.isfinite(x) and 1e-4 <= abs(x) < 1e6):
        return f"{x:.4g}"
    return sci(q, 4)


def start_theta(inst, seed=0, widths="", theta="", kappa="1/N", start="auto", **_):
    """θ_0 and dims every flow claim uses for these options (the report and the plot use the same)."""
    _, _, dims, th, note = _setup(inst, seed, widths, theta, kappa, start)
    return dims, th, note


# ---------------------------------------------------------------------------------------------------------
# flow.rank-condition
# ---------------------------------------------------------------------------------------------------------

@claim(id="flow.rank-condition", paper=PAPER, ref="rank condition of the abstract (text unavailable; reconstruction in docs/claims/flow.md)",
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
def check_rank_condition(inst, seed=0, widths="", theta="", kappa="1/N", start="auto", **_):
    cert = new_certificate("flow.rank-condition", inst)
    data, kap, dims, th, note = _setup(inst, seed, widths, theta, kappa, start)
    _params(cert, seed, widths, theta, kappa, kap, start, note)
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    K, QN, hid = J.n_params(dims), data.Q * data.N, sum(dims[1:-1])
    cert.set_value("K", K), cert.set_value("QN", QN), cert.set_value("hidden_neurons", hid)
    cert.set_value("structural_bound", K - hid), cert.set_value("kappa", kap)
    cert.set_value("cost_0", J.cost(ev, data, kap))
    over = K - hid >= QN
    cert.add_reading("overparametrized", PROVED if over else HYPOTHESES_FAIL,
                     f"K - hidden = {K - hid} {'>=' if over else '<'} QN = {QN}")
    rad = J.pattern_radius(net, ev) if ev.strict and len(dims) > 2 else None
    # one witness field list whatever the outcome: omegas is [] when theta is not strict (kernel reads it always)
    cert.witness = {"dims": dims, "theta": vec_json(th), "omegas": vec_json(rad.omegas if rad is not None else ())}
    if not ev.strict:
        cert.add_reading("interior", HYPOTHESES_FAIL, "a hidden pre-activation is 0: D is undefined at theta")
        cert.add_reading("full-rank", HYPOTHESES_FAIL, "D undefined at theta")
        return cert
    rk = J.jacobian_rank(ev)
    g = J.gradient(ev, data, kap)
    if rad is None:
        # strict, but the recursion certifies no radius >= min margin 2^-MAX_HALVINGS (no pattern_radius in the
        # witness: the kernel derives interior undecided): the ball is not certified, the rank at theta still is
        cert.witness["omegas"] = vec_json(J.hidden_opnorms(net))
        cert.add_reading("interior", UNDECIDED, f"every hidden pre-activation is nonzero (min |z| = "
                         f"{_f(ev.min_margin)}), but no pattern radius >= min |z| 2^-{J.MAX_HALVINGS} is certified")
    else:
        cert.add_reading("interior", PROVED, f"every hidden pre-activation is nonzero (min |z| = "
                         f"{_f(ev.min_margin)}); the pattern is constant on the ball of radius {_f(rad.radius)}")
        cert.set_value("pattern_radius", rad.radius)
    cert.add_reading("full-rank", PROVED if rk == QN else HYPOTHESES_FAIL, f"rank D = {rk}, QN = {QN}")
    cert.set_value("rank_D", rk)
    cert.set_value("min_abs_preactivation", ev.min_margin)
    cert.set_value("grad_norm_squared", sum((x * x for x in g), fmpq(0)))
    return cert


# ---------------------------------------------------------------------------------------------------------
# the certified ball (shared by exp-rate and stopping-time)
# ---------------------------------------------------------------------------------------------------------

def _hyp_fail_point(cert, data, dims, th, names):
    """θ_0 is not a strict full-rank point of an overparametrized architecture: every reading hypotheses-fail.
    Returns the evaluation at θ_0 when the hypotheses hold (None after filling the certificate otherwise)."""
    net = J.unflatten(th, dims)
    ev = J.evaluate(net, data)
    K, QN = J.n_params(dims), data.Q * data.N
    why = None
    if len(dims) < 3:
        why = "the network has no hidden layer"
    elif K - sum(dims[1:-1]) < QN:
        why = f"not overparametrized beyond the rescaling symmetries: K - hidden = {K - sum(dims[1:-1])} < QN = {QN}"
    elif not ev.strict:
        why = "a hidden pre-activation is 0 at theta_0"
    elif B.work(dims, data.N) <= B.WORK_LIMIT:
        rk = J.jacobian_rank(ev)
        if rk != QN:
            why = f"rank D[theta_0] = {rk} < QN = {QN}"
    if why is None:
        return ev
    for n in names:
        cert.add_reading(n, HYPOTHESES_FAIL, why)
    cert.witness = {"dims": dims, "theta": vec_json(th)}
    return None


def _too_large(cert, data, dims, th, names) -> bool:
    """N K^2 above the work limit: no ball (every reading undecided; the kernel applies the same rule)."""
    w = B.work(dims, data.N)
    if w <= B.WORK_LIMIT:
        return False
    for n in names:
        cert.add_reading(n, UNDECIDED, f"N K^2 = {w} > {B.WORK_LIMIT}: too large for the ball certificate "
                                       f"(the kernel re-derives the Jacobian along every parameter)")
    cert.witness = {"dims": dims, "theta": vec_json(th)}
    return True


def _ball_witness(dims, th, ball, **extra):
    return {"dims": dims, "theta": vec_json(th), "radius": str(ball.R), "norms": vec_json(ball.norms),
            "sigma0": str(ball.sigma0), "deviation": str(ball.dev), **extra}


def _ball_values(cert, ball, kap, c0):
    cert.set_value("kappa", kap), cert.set_value("cost_0", c0)
    cert.set_value("residual_norm_squared", ball.r0sq)
    cert.set_value("ball_radius", ball.R), cert.set_value("sigma_0", ball.sigma0)
    cert.set_value("jacobian_deviation", ball.dev), cert.set_value("sigma_lower", ball.sigma)


def _adapted_reason(ball, horizon: str) -> str:
    lhs = "|r(0)|" if ball.exp_lower is None else "|r(0)| (1 - e^(-kappa s_max))"
    if ball.sigma <= 0:
        return (f"the Jacobian deviation bound E = {_f(ball.dev)} on the pattern ball (R = {_f(ball.R)}) is not "
                f"below sigma_0 = {_f(ball.sigma0)}: rank QN on the ball is not certified")
    if ball.adapted_ok:
        return (f"{lhs} <= R sigma (by squares: |r(0)|^2 = {_f(ball.r0sq)}, R = {_f(ball.R)}, sigma = sigma_0 - E = "
                f"{_f(ball.sigma)}): the orbit stays in the ball B(theta_0, R) {horizon}, where the pattern is "
                f"constant and sigma_min(D) >= sigma > 0")
    return (f"{lhs} > R sigma (|r(0)|^2 = {_f(ball.r0sq)}, R = {_f(ball.R)}, sigma = {_f(ball.sigma)}): one ball "
            f"does not contain the orbit's certified length, so region and rank along the orbit are not certified "
            f"(no validated stepping; choose a start closer to a zero-loss point, e.g. the default start=auto)")


def _ball_at(ev, net, data, kap, plain, exp_lower=None):
    r0sq = sum((r * r for r in J.residual(ev, data)), fmpq(0))
    return B.certify_ball(net, ev, r0sq, kap, plain=plain, exp_lower=exp_lower)


# ---------------------------------------------------------------------------------------------------------
# flow.exp-rate
# ---------------------------------------------------------------------------------------------------------

@claim(id="flow.exp-rate", paper=PAPER, ref="uniform exponential rate of the abstract (text unavailable; reconstruction in docs/claims/flow.md)",
       title="Adapted flow: C(s) = exp(-2 kappa s) C(0) along the whole orbit (certified by one ball)",
       statement=r"\partial_s\theta=-D^T(DD^T)^{-1}\nabla_x C,\ \operatorname{rank}D=QN\ \Rightarrow\ "
                 r"C(s)=e^{-2\kappa s}C(0)",
       hypotheses=("K >= QN", "rank D[theta(s)] = QN along the orbit", "orbit inside one activation region"),
       readings=(("region", ("the pattern is constant on the ball B(theta_0, R) (pattern recursion) and the orbit "
                            "never leaves the ball: its length is at most |r(0)|(1 - e^(-kappa s))/sigma <= R")),
                 ("rank", ("sigma_min(D) >= sigma = sigma_0 - E > 0 on the ball: sigma_0^2 I <= D_0 D_0^T (exact "
                          "LDL^T) and |D - D_0|_F <= E on the ball")),
                 ("rate", ("with region and rank certified along the orbit, x(s) - y = e^(-kappa s)(x(0) - y), so "
                          "C(s) = e^(-2 kappa s) C(0) exactly (for all s >= 0, or s <= s_max)"))),
       values=(("kappa", "the normalisation kappa"), ("cost_0", "C(theta_0), exact"),
               ("residual_norm_squared", "|x(theta_0) - y|^2"),
               ("ball_radius", "R: the pattern of theta_0 is constant on the closed ball B(theta_0, R)"),
               ("sigma_0", "sigma_0^2 I <= D_0 D_0^T at theta_0 (exact PSD test)"),
               ("jacobian_deviation", "E >= sup over the ball of |D(theta) - D(theta_0)|_F"),
               ("sigma_lower", "sigma = sigma_0 - E <= sigma_min(D) on the ball"),
               ("s_max", "the horizon (only with the option s_max)"),
               ("exp_lower", "a rational lower bound of e^(-kappa s_max) (only with the option s_max)")),
       options=NET_OPTIONS + (("s_max", "", "finite horizon s_max (default: all s >= 0)"),))
def check_exp_rate(inst, seed=0, widths="", theta="", kappa="1/N", start="auto", s_max="", **_):
    cert = new_certificate("flow.exp-rate", inst)
    data, kap, dims, th, note = _setup(inst, seed, widths, theta, kappa, start)
    send = _rat("s_max", s_max) if str(s_max).strip() else None
    if send is not None and kap * send > MAX_HORIZON:
        raise InputError(f"kappa * s_max must be at most {MAX_HORIZON} (leave s_max empty for all s >= 0)")
    _params(cert, seed, widths, theta, kappa, kap, start, note, s_max="" if send is None else str(send))
    names = ("region", "rank", "rate")
    ev = _hyp_fail_point(cert, data, dims, th, names)
    if ev is None:
        return cert
    cert.set_value("kappa", kap), cert.set_value("cost_0", J.cost(ev, data, kap))
    if _too_large(cert, data, dims, th, names):
        return cert
    net = J.unflatten(th, dims)
    el = B.exp_neg_lower(kap * send) if send is not None else None
    ball = _ball_at(ev, net, data, kap, plain=False, exp_lower=el)
    horizon = "for all s >= 0" if send is None else f"for 0 <= s <= s_max = {send}"
    reason = _adapted_reason(ball, horizon)
    ok = ball.adapted_ok
    cert.add_reading("region", PROVED if ok else UNDECIDED, reason)
    cert.add_reading("rank", PROVED if ok else UNDECIDED,
                     (f"sigma_min(D) >= sigma = {_f(ball.sigma)} > 0 on the ball, which contains the orbit "
                      f"{horizon}: rank D = QN = {data.Q * data.N}") if ok else reason)
    cert.add_reading("rate", PROVED if ok else UNDECIDED,
                     (f"x(s) - y = e^(-kappa s)(x(0) - y) along the certified orbit, so C(s) = e^(-2 kappa s) C(0) "
                      f"= e^(-{2 * kap} s) {_f(J.cost(ev, data, kap))} {horizon} (derived, not sampled)") if ok
                     else "region and rank along the orbit not certified: " + reason)
    _ball_values(cert, ball, kap, J.cost(ev, data, kap))
    if send is not None:
        cert.set_value("s_max", send), cert.set_value("exp_lower", el)
    cert.witness = _ball_witness(dims, th, ball, **({} if el is None else {"exp_lower": str(el)}))
    return cert


# ---------------------------------------------------------------------------------------------------------
# flow.stopping-time
# ---------------------------------------------------------------------------------------------------------

def _T_enclosure(c0, e, kap):
    """Dyadic [lo, hi] ∋ T = ln(C(0)/ε)/(2κ) (arb, outward rounded), widened by T 2^-70 on each side so that the
    kernel's exponential enclosures (exactmin_kernel/series.py, ExpLe) decide both ends."""
    bits = 128 + max(int(c0.p).bit_length(), int(c0.q).bit_length(), int(e.p).bit_length(), int(e.q).bit_length())
    with working_precision(bits):
        T = from_arb((arb(c0) / arb(e)).log() / (2 * arb(kap)))
    pad = T.lo / fmpq(2) ** 70
    return B.dyadic_down(T.lo - pad, 80), B.dyadic_up(T.hi + pad, 80)


def _plain_estimate(th, dims, data, kap, e, T_hi) -> str:
    """A float64 RK4 estimate of the plain flow's hitting time of C <= eps (evidence only, never a verdict)."""
    from ..flow.numeric import Field
    try:
        F = Field(dims, data.points, data.targets, kap, 0.0)
        y = [F.conv(q) for q in th]
        Tf, epsf = scaled_float(T_hi), scaled_float(e)
        if not (math.isfinite(Tf) and Tf > 0 and epsf > 0):
            return "no float estimate (T_eps or eps is outside the float range)"
        h = Tf / 200
        for n in range(1, 4001):
            k1 = F.plain(y)
            k2 = F.plain([a + h / 2 * b for a, b in zip(y, k1)])
            k3 = F.plain([a + h / 2 * b for a, b in zip(y, k2)])
            k4 = F.plain([a + h * b for a, b in zip(y, k3)])
            y = [a + h / 6 * (b + 2 * c + 2 * d + f) for a, b, c, d, f in zip(y, k1, k2, k3, k4)]
            c = F.cost(y)
            if not all(math.isfinite(v) for v in y) or not math.isfinite(c):
                return "float64 RK4 estimate: the computed orbit diverged"
            if c <= epsf:
                return f"float64 RK4 estimate (not certified): C <= eps near s = {n * h:.4g} = {n * h / Tf:.3g} T_eps"
        return f"float64 RK4 estimate (not certified): C > eps up to s = {4000 * h:.4g}"
    except (OverflowError, ZeroDivisionError, ValueError):
        return "no float estimate (overflow)"


@claim(id="flow.stopping-time", paper=PAPER, ref="a-priori stopping time of the abstract (text unavailable; reconstruction in docs/claims/flow.md)",
       title="A-priori stopping time T_eps = ln(C(0)/eps)/(2 kappa); the plain gradient flow's hitting time bounded",
       statement=r"T_\varepsilon=\frac{1}{2\kappa}\ln\frac{C(0)}{\varepsilon},\quad C(s)\le\varepsilon\ (s\ge T_\varepsilon)",
       hypotheses=("the hypotheses of flow.exp-rate along the whole orbit",),
       readings=(("orbit", "region and rank QN along the whole adapted orbit, by the ball argument of flow.exp-rate"),
                 ("a-priori", ("C(s) = e^(-2 kappa s) C(0) along the certified orbit, so C(s) <= eps exactly for "
                              "s >= T_eps = ln(C(0)/eps)/(2 kappa) (enclosed by rational bounds)")),
                 ("plain-flow", ("the plain gradient flow from theta_0 stays in the same ball (Sigma |r(0)| <= R "
                                "sigma^2), hence e^(-2 kappa Sigma^2 s) C(0) <= C_plain(s) <= e^(-2 kappa sigma^2 s) "
                                "C(0): it reaches C <= eps at a time in [T_eps/Sigma^2, T_eps/sigma^2]"))),
       values=(("kappa", "the normalisation kappa"), ("eps", "the target cost"), ("cost_0", "C(theta_0), exact"),
               ("T_eps", "enclosure of max(0, ln(C(0)/eps)/(2 kappa)) ([0, 0] when C(0) <= eps)"),
               ("residual_norm_squared", "|x(theta_0) - y|^2"), ("ball_radius", "R of the certified ball"),
               ("sigma_0", "sigma_0^2 I <= D_0 D_0^T"), ("Sigma_0", "D_0 D_0^T <= Sigma_0^2 I"),
               ("jacobian_deviation", "E >= sup over the ball of |D - D_0|_F"),
               ("sigma_lower", "sigma = sigma_0 - E <= sigma_min(D) on the ball"),
               ("Sigma_upper", "Sigma = Sigma_0 + E >= |D| on the ball"),
               ("T_plain_lower", "T_eps_lo / Sigma^2 <= the plain flow's hitting time (when plain-flow is proved)"),
               ("T_plain_upper", "T_eps_hi / sigma^2 >= the plain flow's hitting time (when plain-flow is proved)")),
       options=NET_OPTIONS + (("eps", "1e-6", "target cost epsilon"),))
def check_stopping_time(inst, seed=0, widths="", theta="", kappa="1/N", start="auto", eps="1e-6", **_):
    cert = new_certificate("flow.stopping-time", inst)
    data, kap, dims, th, note = _setup(inst, seed, widths, theta, kappa, start)
    e = _rat("eps", eps)
    _params(cert, seed, widths, theta, kappa, kap, start, note, eps=str(e))
    names = ("orbit", "a-priori", "plain-flow")
    ev = _hyp_fail_point(cert, data, dims, th, names)
    if ev is None:
        return cert
    c0 = J.cost(ev, data, kap)
    # the flow starts at s = 0: the stopping time is max(0, ln(C(0)/eps)/(2 kappa)), exactly 0 when C(0) <= eps
    Tlo, Thi = _T_enclosure(c0, e, kap) if c0 > e else (fmpq(0), fmpq(0))
    cert.set_value("kappa", kap), cert.set_value("eps", e), cert.set_value("cost_0", c0)
    cert.set_enclosure("T_eps", Tlo, Thi)
    cert.witness_v2["T_eps"] = [str(Tlo), str(Thi)]
    if _too_large(cert, data, dims, th, names):
        return cert
    net = J.unflatten(th, dims)
    ball = _ball_at(ev, net, data, kap, plain=True)
    reason = _adapted_reason(ball, "for all s >= 0")
    ok = ball.adapted_ok
    cert.add_reading("orbit", PROVED if ok else UNDECIDED, reason)
    when = (f"for s >= T_eps in [{_f(Tlo)}, {_f(Thi)}]" if c0 > e else
            f"for all s >= T_eps = 0 (C(0) = {_f(c0)} <= eps = {_f(e)})")
    cert.add_reading("a-priori", PROVED if ok else UNDECIDED,
                     f"C(s) = e^(-2 kappa s) C(0) along the certified orbit: C(s) <= eps exactly {when}" if ok
                     else "the orbit is not certified: " + reason)
    if ball.plain_ok:
        lo, hi = Tlo / ball.Sigma ** 2, Thi / ball.sigma ** 2
        cert.add_reading("plain-flow", PROVED,
                         f"Sigma |r(0)| <= R sigma^2 (Sigma = {_f(ball.Sigma)}, sigma = {_f(ball.sigma)}): the plain "
                         f"flow stays in the ball for all s and reaches C <= eps at a time in [{_f(lo)}, {_f(hi)}] "
                         f"= [T_eps/Sigma^2, T_eps/sigma^2]")
        cert.set_value("T_plain_lower", lo), cert.set_value("T_plain_upper", hi)
    else:
        why = ("sigma <= 0" if ball.sigma <= 0 else
               f"Sigma |r(0)| > R sigma^2 (Sigma = {_f(ball.Sigma)}, sigma = {_f(ball.sigma)}, R = {_f(ball.R)})")
        cert.add_reading("plain-flow", UNDECIDED, f"the plain orbit is not certified ({why}); "
                                                  + _plain_estimate(th, dims, data, kap, e, Thi))
    _ball_values(cert, ball, kap, c0)
    cert.set_value("Sigma_0", ball.Sigma0), cert.set_value("Sigma_upper", ball.Sigma)
    cert.witness = _ball_witness(dims, th, ball, Sigma0=str(ball.Sigma0))
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


@claim(id="flow.equilibria-rank-loss", paper=PAPER, ref="equilibria and rank loss, abstract (text unavailable; reconstruction in docs/claims/flow.md)",
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
def check_equilibria(inst, seed=0, widths="", theta="", kappa="1/N", start="auto", layers=2, feature_seed=0, **_):
    cert = new_certificate("flow.equilibria-rank-loss", inst)
    data, kap, dims, th, note = _setup(inst, seed, widths, theta, kappa, start)
    try:
        layers = int(layers)
    except (TypeError, ValueError):
        raise InputError(f"option layers must be an integer, got {layers!r}") from None
    if not 1 <= layers <= 8:
        raise InputError("layers must be between 1 and 8")
    try:
        feature_seed = int(feature_seed)
    except (TypeError, ValueError):
        raise InputError(f"option feature_seed must be an integer, got {feature_seed!r}") from None
    _params(cert, seed, widths, theta, kappa, kap, start, note, layers=layers, feature_seed=feature_seed)
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
