r"""Figures of verified results (matplotlib; vector PDF for LaTeX and PNG).

The figures are *illustrations*: every point is first computed exactly (python-flint rationals, the same
objects the certified checks use) and only then rounded to float for drawing.  No verdict is read off a
figure; each figure states the verdict of the exact check it illustrates.

Deep paper (Chen & Muñoz Ewald, arXiv:2309.10639, Theorem 2.3, construction (4.24)–(4.58)), instances with
Q = 2 or 3 classes in input dimension M = Q:

* ``clusters``: the data coloured by class, the class means x̄_{0,j}, the barycenter x̄, the cones
  x̄_{0,j}[µ_j] + C_{θ_*}[f_j] of the construction (boundary rays; their sections by the plane of the means when
  Q = 3) and the collapsed points (apexes) x̄_{0,j}[µ_j] = x̄_{0,j} − µ_j f̃_j;
* ``layer<ℓ>`` (ℓ = 1..Q): the image x^{(τ,ℓ)} = τ_{W^{(ℓ)},b^{(ℓ)}}(x^{(τ,ℓ−1)}) of the data after hidden
  layer ℓ in input coordinates (Proposition 2.2: the hidden activation is X^{(ℓ)} = W^{(ℓ)} x^{(τ,ℓ)} + b^{(ℓ)});
  classes 1..ℓ sit at their collapsed points, classes ℓ+1..Q are untouched ((2.59), (4.65)).

The construction is the witness network of the claim ``deep.thm2.3`` (the claim is run, and the network
rebuilt by :func:`exactmin.nets.construct_deep.build` from the certificate's λ, µ, tol is compared with the
certificate's witness network before anything is drawn).

Adapted gradient flow (Chen, arXiv:2311.15487), instances with one point per class (the ``flow_*`` family):

* ``flow``: the exact costs C(θ_k) at the orbit's rational checkpoints against the prediction e^{−2κs} C(0)
  (log scale), the plain gradient flow ∂_sθ = −∇_θC from the same θ_0 (float64 RK4, for comparison), and the
  relative deviation |C(θ_k) e^{2κ s_k}/C(0) − 1| evaluated with 60 digits from the exact costs.  θ_0 is the
  start of the claim ``flow.exp-rate`` with the same options (default: the constructed start); the claim
  certifies C(s) = e^{−2κs} C(0) along the whole orbit by a ball argument, the drawn orbit is a numerical
  integration from that θ_0 (an illustration, no verdict rests on it).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import ExactminError, InputError
from ..exact.fexp import scaled_float

KINDS = ("auto", "clusters", "layers", "flow")
MAX_FLOW_OUTPUTS = 16          # Q·N of a flow instance: the orbit is integrated in mpmath, keep it small
FLOW_OPTIONS = ("start", "seed", "widths", "theta", "kappa", "s_max", "dps")   # as for flow.exp-rate (+ dps)
CAPTION = "Illustrative float drawing of exact objects; the verdicts come from the exact check"

def _mpl():
    """matplotlib's Figure class (no pyplot: no global state, no GUI backend)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise InputError("plots need matplotlib, which is not installed (pip install matplotlib)") from None
    return Figure


def _q2f(q) -> float:
    """A python-flint fmpq (or anything with p, q) as the nearest float; ±inf / 0.0 beyond the float range
    (:func:`exactmin.exact.fexp.scaled_float`, never OverflowError)."""
    return scaled_float(q)


def _intmat_floats(X) -> np.ndarray:
    """An exact IntMat (M × N over a common denominator) as an N × M float array (correctly rounded)."""
    den = int(X.den)
    return np.array([[scaled_float(Fraction(int(v), den)) for v in col] for col in X.num.T], dtype=float)


# ---------------------------------------------------------------------------------------------------------
# kind of an instance
# ---------------------------------------------------------------------------------------------------------

def instance_kind(inst) -> str:
    """"flow" for the adapted-flow family (every class is a single training point with its own target, as in
    the ``flow.*`` claims, which treat points, not clusters), otherwise "deep" (clustered data: the deep paper's
    (2.12) needs a nonzero deviation in every class, hence classes of at least two points)."""
    return "flow" if all(n == 1 for n in inst.sizes) else "deep"


# ---------------------------------------------------------------------------------------------------------
# deep paper: the scene (exact, then rounded)
# ---------------------------------------------------------------------------------------------------------

@dataclass
class DeepScene:
    """Everything a deep-paper figure draws, as floats, in input coordinates (rows are points)."""

    name: str
    Q: int
    sizes: tuple
    points: np.ndarray                 # N × Q, the data x_{0,j,i}
    cls: np.ndarray                    # class index of each point
    means: np.ndarray                  # Q × Q, row j = x̄_{0,j}
    barycenter: np.ndarray
    origin: np.ndarray                 # projection: p ↦ (p − origin) @ basis
    basis: np.ndarray                  # Q × 2, orthonormal columns
    verdict: str                       # verdict of deep.thm2.3, reading L=Q
    reason: str
    construction: bool = False         # False when the hypotheses fail (no cones, no layers)
    apex: np.ndarray | None = None     # Q × Q, row j = x̄_{0,j}[µ_j]
    apex_exact: list = field(default_factory=list)   # the same, exact (fmpq)
    axes: np.ndarray | None = None     # Q × Q, row j = f̃_j (cone axis)
    half_angle: float = 0.0            # θ_*/2, cos²(θ_*/2) = κ
    mu: object = None
    lam: object = None
    layers: list = field(default_factory=list)       # [x^{(τ,1)}, …, x^{(τ,Q)}], each N × Q

    def project(self, P) -> np.ndarray:
        """Coordinates in the drawing plane (the plane of the class means for Q = 3)."""
        return (np.atleast_2d(np.asarray(P, dtype=float)) - self.origin) @ self.basis

    def project_direction(self, v) -> np.ndarray:
        return np.atleast_2d(np.asarray(v, dtype=float)) @ self.basis


def _plane(means: np.ndarray, bary: np.ndarray, Q: int):
    """Origin and orthonormal basis of the drawing plane: R² itself for Q = 2, the affine plane through the
    three class means for Q = 3 (Gram–Schmidt on x̄_{0,1} − x̄, x̄_{0,2} − x̄)."""
    if Q == 2:
        return np.zeros(2), np.eye(2)
    e1 = means[0] - bary
    e2 = means[1] - bary
    n1 = np.linalg.norm(e1)
    e2 = e2 - (e2 @ e1) / (n1 * n1) * e1 if n1 > 0 else e2
    n2 = np.linalg.norm(e2)
    if n1 == 0 or n2 <= 1e-12 * n1:          # means (affinely) collinear: draw the first two coordinates
        return np.zeros(3), np.eye(3)[:, :2]
    return bary.copy(), np.column_stack([e1 / n1, e2 / n2])


def deep_scene(inst) -> DeepScene:
    """Run ``deep.thm2.3`` on ``inst`` and collect its construction, exactly, then as floats.

    Raises InputError unless Q ∈ {2, 3} and the input dimension is Q."""
    Q, M = inst.Q, inst.M
    if Q not in (2, 3) or M != Q:
        raise InputError(f"{inst.name}: cluster and layer plots need Q = 2 or 3 classes in input dimension M = Q "
                         f"(this instance: Q = {Q}, M = {M})")
    from flint import fmpq

    from ..claims import base
    from ..claims.common import net_json
    from ..data.stats import data_matrix
    from ..exact.numbers import parse_rational
    from ..nets import construct_deep as cd
    from ..nets.truncation import tau_cumulative

    cert = base.get("deep.thm2.3").check(inst)
    reading = cert.readings["L=Q"]
    X = data_matrix(inst)
    pts = _intmat_floats(X)
    cls = np.concatenate([np.full(n, j) for j, n in enumerate(inst.sizes)])
    means_q = inst.means
    means = np.array([[_q2f(means_q[r, j]) for r in range(Q)] for j in range(Q)])
    bary = means.mean(axis=0)
    origin, basis = _plane(means, bary, Q)
    sc = DeepScene(inst.name, Q, tuple(inst.sizes), pts, cls, means, bary, origin, basis,
                   reading["verdict"], reading.get("reason", ""))
    w = cert.witness
    if not w or "networks" not in w:           # hypotheses fail: nothing was constructed
        return sc

    def q(sv):
        return fmpq(*parse_rational(sv))

    lam, mu, tol = q(cert.values["lambda"]), q(cert.values["mu"]), q(cert.values["tol"])
    g = cd.Geometry.of(inst, q(cert.values["delta_squared"]))
    con = cd.build(inst, g, Q, lam, mu, tol)
    if net_json(con.net) != w["networks"]["L=Q"]:
        raise ExactminError(f"{inst.name}: the rebuilt construction differs from deep.thm2.3's witness network")
    taus = tau_cumulative(con.Wc[:Q], con.bc[:Q], X)
    sc.construction = True
    sc.apex_exact = [list(c) for c in con.apex]
    sc.apex = np.array([[_q2f(x) for x in c] for c in con.apex])
    sc.axes = np.array([[_q2f(x) for x in f] for f in con.f_tilde])
    sc.half_angle = math.acos(math.sqrt(_q2f(con.kappa)))
    sc.mu, sc.lam = mu, lam
    sc.layers = [_intmat_floats(T) for T in taus]
    return sc


# ---------------------------------------------------------------------------------------------------------
# deep paper: drawing
# ---------------------------------------------------------------------------------------------------------

COLORS = ("#1f77b4", "#d62728", "#2ca02c")
AXES_RECT = (0.085, 0.17, 0.56, 0.72)      # square data area on the left, legend on the right, caption below


def _limits(sc: DeepScene):
    """Square limits around everything that is drawn (data, means, barycenter, apexes), 18 % padding."""
    parts = [sc.project(sc.points), sc.project(sc.means), sc.project(sc.barycenter)]
    if sc.construction:
        parts.append(sc.project(sc.apex))
    P = np.vstack(parts)
    lo, hi = P.min(axis=0), P.max(axis=0)
    c, half = (lo + hi) / 2, max(hi - lo) / 2 * 1.18
    return (c[0] - half, c[0] + half), (c[1] - half, c[1] + half), half


def _rot(d, a):
    ca, sa = math.cos(a), math.sin(a)
    return np.array([ca * d[0] - sa * d[1], sa * d[0] + ca * d[1]])


def _draw_cone(ax, sc: DeepScene, j: int, R: float, fill: bool = True, label_fwd=None, label_bwd=None):
    """Boundary rays of x̄_{0,j}[µ_j] + C_{θ_*}[f̃_j] (solid, light fill) and of the backward cone
    x̄_{0,j}[µ_j] + C_{θ_*}[−f̃_j] (dashed): the truncation of layer j is the identity on the first and maps the
    second to the apex.  For Q = 3 the plane contains the cone's axis, so its section is the wedge ±θ_*/2."""
    a = sc.project(sc.apex[j])[0]
    d = sc.project_direction(sc.axes[j])[0]
    d = d / np.linalg.norm(d)
    r1, r2 = _rot(d, sc.half_angle), _rot(d, -sc.half_angle)
    col = COLORS[j]
    for k, r in enumerate((r1, r2)):
        ax.plot([a[0], a[0] + R * r[0]], [a[1], a[1] + R * r[1]], "-", color=col, lw=1.3,
                label=label_fwd if k == 0 else None, zorder=2)
        ax.plot([a[0], a[0] - R * r[0]], [a[1], a[1] - R * r[1]], "--", color=col, lw=0.9, alpha=0.7,
                label=label_bwd if k == 0 else None, zorder=2)
    if fill:
        ax.fill([a[0], a[0] + R * r1[0], a[0] + R * r2[0]], [a[1], a[1] + R * r1[1], a[1] + R * r2[1]],
                color=col, alpha=0.06, lw=0, zorder=1)


def _axis_labels(ax, sc: DeepScene):
    if sc.Q == 2:
        ax.set_xlabel(r"$x_1$")
        ax.set_ylabel(r"$x_2$")
    else:
        ax.set_xlabel(r"$\langle x-\bar x,\ e_1\rangle$")
        ax.set_ylabel(r"$\langle x-\bar x,\ e_2\rangle$")


def _setup_axes(ax, sc: DeepScene):
    xl, yl, _ = _limits(sc)
    ax.set_xlim(*xl)
    ax.set_ylim(*yl)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(True, lw=0.3, alpha=0.5)
    _axis_labels(ax, sc)


def _caption(fig, text: str, width: int | None = None):
    """A small caption at the bottom of the figure (below the axes' labels), wrapped by hand to the figure's width
    (about 15 characters of 7-pt text per inch)."""
    import textwrap
    width = width or int(fig.get_figwidth() * 15)
    txt = fig.text(0.015, 0.012, "\n".join(textwrap.wrap(text, width)), fontsize=7, ha="left", va="bottom", color="0.3")
    _make_room(fig, txt)


def _make_room(fig, txt, pad: float = 0.1):
    """Grow the figure at the bottom until the caption ``txt`` clears every axes' tick and axis labels by ``pad``
    inches (the axes keep their size in inches, so the drawing is not squeezed)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        FigureCanvasAgg(fig)                                    # a canvas that can measure text
    r = fig.canvas.get_renderer()
    top = txt.get_window_extent(r).y1 / fig.dpi
    low = min(ax.get_tightbbox(r).y0 for ax in fig.axes) / fig.dpi if fig.axes else top + pad
    need = top + pad - low
    if need <= 0:
        return
    w, h = fig.get_size_inches()
    H = h + need
    boxes = [(ax, ax.get_position()) for ax in fig.axes]
    fig.set_size_inches(w, H)
    for ax, p in boxes:
        ax.set_position([p.x0, (p.y0 * h + need) / H, p.width, p.height * h / H])
    txt.set_y(txt.get_position()[1] * h / H)


def _verdict_line(sc: DeepScene) -> str:
    return f"{CAPTION} (deep.thm2.3, L = Q: {sc.verdict})."


def _proj_note(sc: DeepScene) -> str:
    return ("" if sc.Q == 2 else " Q = 3: orthogonal projection onto the plane of the class means (origin the "
            r"barycenter $\bar{x}$, $e_1\parallel\bar{x}_{0,1}-\bar{x}$, $e_2\perp{e_1}$ in the plane); the cones are "
            "drawn as their sections by that plane, which contains their axes.")


def _scatter_classes(ax, sc: DeepScene, P, label="class {j}", gid_prefix="data", **kw):
    Pp = sc.project(P)
    for j in range(sc.Q):
        m = sc.cls == j
        ax.scatter(Pp[m, 0], Pp[m, 1], s=kw.get("s", 16), color=COLORS[j], alpha=kw.get("alpha", 0.85),
                   edgecolors="none", label=label.format(j=j + 1), gid=f"{gid_prefix}-class{j + 1}", zorder=3)


def clusters_figure(sc: DeepScene):
    """The clusters, means, barycenter, cones C_{θ_*}[f_j] and collapsed points x̄_{0,j}[µ_j]."""
    Figure = _mpl()
    fig = Figure(figsize=(8.2, 6.0))
    ax = fig.add_axes(AXES_RECT)
    _setup_axes(ax, sc)
    _, _, half = _limits(sc)
    if sc.construction:
        for j in range(sc.Q):
            _draw_cone(ax, sc, j, 12 * half, fill=sc.Q == 2,
                       label_fwd=r"cone $\bar x_{0,j}[\mu_j]+C_{\theta_*}[f_j]$ (edges)" if j == 0 else None,
                       label_bwd=r"backward cone $C_{\theta_*}[-f_j]$ (collapsed)" if j == 0 else None)
    _scatter_classes(ax, sc, sc.points)
    mp = sc.project(sc.means)
    ax.scatter(mp[:, 0], mp[:, 1], s=110, marker="X", c=list(COLORS[:sc.Q]), edgecolors="black", linewidths=0.8,
               label=r"class means $\bar x_{0,j}$", gid="means", zorder=5)
    bp = sc.project(sc.barycenter)
    ax.scatter(bp[:, 0], bp[:, 1], s=140, marker="*", color="black", label=r"barycenter $\bar x$", gid="barycenter",
               zorder=5)
    if sc.construction:
        ap = sc.project(sc.apex)
        ax.scatter(ap[:, 0], ap[:, 1], s=70, marker="D", c=list(COLORS[:sc.Q]), edgecolors="black", linewidths=0.9,
                   label=r"collapsed points $\bar x_{0,j}[\mu_j]$", gid="collapsed-points", zorder=6)
        for j in range(sc.Q):
            ax.annotate(rf"$\bar x_{{0,{j + 1}}}[\mu_{{{j + 1}}}]$", ap[j], xytext=(6, -12),
                        textcoords="offset points", fontsize=8)
        sub = (rf"$\theta_*/2 = {math.degrees(sc.half_angle):.1f}^\circ$, $\mu_j = {_q2f(sc.mu):.4g}$, "
               rf"$\lambda = {_q2f(sc.lam):.4g}$")
    else:
        sub = "hypotheses fail: no construction drawn"
    ax.set_title(f"{sc.name}: clusters" + (" and the cones of Theorem 2.3" if sc.construction else "") + "\n" + sub,
                 fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, frameon=False)
    reason = "" if sc.construction else f" Reason: {sc.reason}"
    _caption(fig, _verdict_line(sc) + _proj_note(sc) + reason)
    return fig


def layer_figure(sc: DeepScene, ell: int):
    """Hidden layer ℓ (1-based): the image x^{(τ,ℓ)} of the data; class ℓ collapses to x̄_{0,ℓ}[µ_ℓ]."""
    Figure = _mpl()
    fig = Figure(figsize=(8.2, 6.0))
    ax = fig.add_axes(AXES_RECT)
    _setup_axes(ax, sc)
    _, _, half = _limits(sc)
    j0 = ell - 1
    _draw_cone(ax, sc, j0, 12 * half, label_fwd=rf"identity on $C_{{\theta_*}}[f_{{{ell}}}]$ (layer {ell})",
               label_bwd=rf"collapse on $C_{{\theta_*}}[-f_{{{ell}}}]$")
    pp = sc.project(sc.points)
    ax.scatter(pp[:, 0], pp[:, 1], s=10, color="0.65", alpha=0.5, edgecolors="none", label=r"input data $x_0$",
               gid="input", zorder=2)
    img = sc.layers[j0]
    _scatter_classes(ax, sc, img, label=f"class {{j}} after layer {ell}", gid_prefix=f"layer{ell}", s=22)
    ap = sc.project(sc.apex)
    for j in range(ell):
        ax.scatter(ap[j:j + 1, 0], ap[j:j + 1, 1], s=90, marker="D", color=COLORS[j], edgecolors="black",
                   linewidths=0.9, zorder=6, label=r"collapsed points $\bar x_{0,j}[\mu_j]$" if j == 0 else None)
        ax.annotate(rf"class {j + 1}: all {sc.sizes[j]} points", ap[j], xytext=(7, -13),
                    textcoords="offset points", fontsize=8)
    collapsed = ", ".join(str(j + 1) for j in range(ell))
    ax.set_title(rf"{sc.name}: after hidden layer {ell},  $x^{{(\tau,{ell})}}=\tau_{{W^{{({ell})}},b^{{({ell})}}}}"
                 rf"(x^{{(\tau,{ell - 1})}})$" + f"\nclass{'es' if ell > 1 else ''} {collapsed} collapsed"
                 + ("" if ell == sc.Q else f", class{'es' if sc.Q - ell > 1 else ''} "
                    + ", ".join(str(j + 1) for j in range(ell, sc.Q)) + " untouched"), fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, frameon=False)
    _caption(fig, _verdict_line(sc) + " Input coordinates (Prop. 2.2): the layer's activation is "
             r"$X^{(\ell)} = W^{(\ell)}x^{(\tau,\ell)} + b^{(\ell)}$." + _proj_note(sc))
    return fig


# ---------------------------------------------------------------------------------------------------------
# adapted flow
# ---------------------------------------------------------------------------------------------------------

@dataclass
class FlowScene:
    name: str
    orbit: object                      # exactmin.flow.orbit.Orbit (exact checkpoints)
    start: dict                        # the options that define θ_0
    readings: dict                     # flow.exp-rate readings {name: verdict}
    plain_s: list = field(default_factory=list)
    plain_c: list = field(default_factory=list)
    K: int = 0


def plain_curve(theta0, dims, data, kappa, s_end: float, h: float = 1 / 32):
    """C along the plain gradient flow ∂_sθ = −∇_θC from θ_0 (float64 RK4, step h): a drawing only."""
    from ..flow.numeric import Field
    F = Field(dims, data.points, data.targets, kappa, 0.0)
    y = [F.conv(t) for t in theta0]
    ss, cs = [0.0], [F.cost(y)]
    n = int(math.ceil(s_end / h))
    for k in range(1, n + 1):
        k1 = F.plain(y)
        k2 = F.plain([a + h / 2 * b for a, b in zip(y, k1)])
        k3 = F.plain([a + h / 2 * b for a, b in zip(y, k2)])
        k4 = F.plain([a + h * b for a, b in zip(y, k3)])
        y = [a + h / 6 * (b + 2 * c + 2 * d + e) for a, b, c, d, e in zip(y, k1, k2, k3, k4)]
        c = F.cost(y)
        if not all(math.isfinite(v) for v in y) or not math.isfinite(c):
            break
        ss.append(k * h)
        cs.append(c)
    return ss, cs


def flow_scene(inst, options: dict | None = None) -> FlowScene:
    """Run ``flow.exp-rate`` with exactly the options ``exactmin check`` would use (the defaults give the
    constructed start θ_0 of :mod:`exactmin.flow.start`, the one the report's claims use), then draw, from that
    θ_0, a numerically integrated adapted orbit (mpmath, ``dps`` digits: an illustration of the certified
    identity C(s) = e^{−2κs} C(0), not a part of it) and the plain flow (float64 RK4)."""
    opts = {k: str(v) for k, v in (options or {}).items()}
    bad = sorted(set(opts) - set(FLOW_OPTIONS))
    if bad:
        raise InputError(f"unknown plot option {bad[0]!r} (flow plots take: {', '.join(FLOW_OPTIONS)})")
    if inst.out_dim * inst.N > MAX_FLOW_OUTPUTS:
        raise InputError(f"{inst.name}: flow plots integrate the adapted flow and need a small instance "
                         f"(Q·N <= {MAX_FLOW_OUTPUTS}; this one has {inst.out_dim * inst.N})")
    start = dict(opts)
    dps = start.pop("dps", "20")
    try:
        dps = int(dps)
        if "seed" in start:
            start["seed"] = int(start["seed"])
    except ValueError:
        raise InputError("options seed and dps must be integers") from None
    if not 15 <= dps <= 60:
        raise InputError("option dps must be between 15 and 60")
    from flint import fmpq

    from ..claims import base
    from ..flow.orbit import STEP_GRID, adapted_orbit
    from ..nets import jacobian as J
    cert = base.get("flow.exp-rate").check(inst, **start)
    readings = {k: r["verdict"] for k, r in cert.readings.items()}
    if all(v == "hypotheses-fail" for v in readings.values()):
        why = next(iter(cert.readings.values()))["reason"]
        desc = ", ".join(f"{k}={v}" for k, v in start.items()) or "the default start"
        raise InputError(f"{inst.name}: no orbit to plot from theta_0 ({desc}): {why}; choose another start, "
                         f"e.g. --option seed=N --option widths=W")
    w = cert.witness
    dims, th0 = list(w["dims"]), [fmpq(x) for x in w["theta"]]
    data = J.flow_data(inst)
    kap = fmpq(cert.parameters["kappa_value"])
    s_end = fmpq(cert.parameters["s_max"]) if cert.parameters.get("s_max") else 8 / kap
    s_end = fmpq(int((s_end * STEP_GRID).ceil()), STEP_GRID)
    orb = adapted_orbit(th0, dims, data, kap, s_end, dps=dps)
    shown = {**start, "dps": dps} if start else {"start": "auto (default)", "dps": dps}
    ps, pc = plain_curve(th0, dims, data, kap, max(_q2f(orb.checkpoints[-1].s), 1e-9))
    return FlowScene(inst.name, orb, shown, readings, ps, pc, J.n_params(dims))


def _rel_deviation(orb):
    """|C(θ_k) e^{2κ s_k}/C(0) − 1| at the checkpoints k ≥ 1, evaluated with 60 digits from the exact values."""
    import mpmath
    out_s, out_d = [], []
    with mpmath.workdps(60):
        c0 = mpmath.mpf(int(orb.cost0.p)) / int(orb.cost0.q)
        k = mpmath.mpf(int(orb.kappa.p)) / int(orb.kappa.q)
        for c in orb.checkpoints[1:]:
            s = mpmath.mpf(int(c.s.p)) / int(c.s.q)
            cc = mpmath.mpf(int(c.cost.p)) / int(c.cost.q)
            d = abs(cc * mpmath.exp(2 * k * s) / c0 - 1)
            if d > 0:
                out_s.append(float(s))
                out_d.append(float(d))
    return out_s, out_d


def orbit_figure(orb, name: str = "", start: dict | None = None, readings: dict | None = None,
                 plain: tuple | None = None, K: int | None = None):
    """C(θ_k) at the exact checkpoints against e^{−2κs}C(0) (log scale), the plain flow, the relative deviation."""
    Figure = _mpl()
    fig = Figure(figsize=(7.6, 6.6))
    ax = fig.add_axes((0.11, 0.45, 0.85, 0.44))
    ax2 = fig.add_axes((0.11, 0.16, 0.85, 0.19), sharex=ax)
    s = [_q2f(t) for t in orb.times]
    c = [_q2f(x) for x in orb.costs]
    k, c0 = _q2f(orb.kappa), _q2f(orb.cost0)
    s_end = s[-1] if s else 1.0
    fine = np.linspace(0.0, s_end, 400)
    certified = (readings or {}).get("rate") == "proved"
    ax.semilogy(fine, c0 * np.exp(-2 * k * fine), "-", color="#1f77b4", lw=1.6,
                label=(r"certified (flow.exp-rate): $C(s)=e^{-2\kappa s}\,C(0)$" if certified
                       else r"prediction $e^{-2\kappa s}\,C(0)$ (not certified from this $\theta_0$)"), zorder=2)
    ax.semilogy(s, c, "o", ms=3.5, mfc="none", mec="#d62728", mew=1.0,
                label=r"exact $C(\theta_k)$ at rational points of a numerically integrated orbit",
                gid="checkpoints", zorder=3)
    if plain and plain[0]:
        ax.semilogy(plain[0], plain[1], "--", color="0.35", lw=1.2, gid="plain", zorder=1,
                    label=r"plain gradient flow $\partial_s\theta=-\nabla_\theta C$ (float64 RK4)")
    ax.set_ylabel(r"cost $C(\theta(s))$")
    ax.grid(True, which="major", lw=0.3, alpha=0.5)
    ax.legend(fontsize=8, loc="lower left")
    ax.tick_params(labelbottom=False)
    ds, dd = _rel_deviation(orb)
    if ds:
        ax2.semilogy(ds, dd, ".", ms=4, color="#d62728", gid="deviation")
    ax2.set_ylabel("rel. deviation", fontsize=8)
    ax2.set_xlabel(r"flow time $s$")
    ax2.grid(True, which="both", lw=0.3, alpha=0.5)
    ax2.set_title(r"$|C(\theta_k)\,e^{2\kappa s_k}/C(0)-1|$ at the checkpoints (60-digit evaluation of exact values)",
                  fontsize=8)
    K = K if K is not None else sum(a * b + b for a, b in zip(orb.dims, orb.dims[1:]))
    st = ", ".join(f"{a}={b}" for a, b in (start or {}).items())
    arch = "-".join(str(d) for d in orb.dims)
    head = f"{name}: " if name else ""
    ax.set_title(f"{head}adapted flow $\\partial_s\\theta=-D^+\\nabla_x C$, $\\kappa = {orb.kappa}$\n"
                 f"network {arch} (K = {K}, QN = {orb.QN}), $\\theta_0$: {st or 'given'}; "
                 f"{len(orb.checkpoints)} checkpoints", fontsize=10)
    rd = ", ".join(f"{a}: {b}" for a, b in (readings or {}).items())
    note = f"{CAPTION} (flow.exp-rate: {rd})." if rd else f"{CAPTION}."
    if orb.stopped:
        note += f" Orbit stopped early: {orb.stopped}."
    _caption(fig, note + r" Cost $C = (\kappa/2)\,|x-y|^2$.")
    return fig


def flow_figure(sc: FlowScene):
    return orbit_figure(sc.orbit, sc.name, sc.start, sc.readings, (sc.plain_s, sc.plain_c), sc.K)


# ---------------------------------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------------------------------

def panels(inst, kind: str = "auto", options: dict | None = None) -> list[tuple[str, object]]:
    """[(panel name, matplotlib Figure)] for ``inst``: ``clusters``, ``layer1``…``layerQ`` (deep) or ``flow``."""
    if kind not in KINDS:
        raise InputError(f"unknown plot kind {kind!r} (choose from {', '.join(KINDS)})")
    _mpl()
    k = instance_kind(inst)
    if kind == "auto":
        kind = "flow" if k == "flow" else "deep"
    if kind == "flow":
        if k != "flow":
            raise InputError(f"{inst.name}: flow plots need one training point per class (the flow_* family); "
                             f"this instance has class sizes {list(inst.sizes)[:6]}")
        return [("flow", flow_figure(flow_scene(inst, options)))]
    if options:
        raise InputError(f"plot options ({', '.join(sorted(options))}) apply to flow plots only")
    if k == "flow":
        raise InputError(f"{inst.name}: one training point per class: not a clustered (deep) instance; "
                         f"use --kind flow")
    sc = deep_scene(inst)
    out = []
    if kind in ("deep", "clusters"):
        out.append(("clusters", clusters_figure(sc)))
    if kind in ("deep", "layers"):
        if not sc.construction:
            if kind == "layers":
                raise InputError(f"{inst.name}: no construction to draw layers of "
                                 f"(deep.thm2.3: {sc.verdict}: {sc.reason})")
        else:
            out += [(f"layer{ell}", layer_figure(sc, ell)) for ell in range(1, sc.Q + 1)]
    return out


def _save(fig, path: Path, fmt: str, dpi: int) -> None:
    """Write through a temporary file in the same directory, then rename (no half-written figure)."""
    import matplotlib
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        kw = {"metadata": {"CreationDate": None}} if fmt == "pdf" else {"metadata": {"Software": None}}
        with matplotlib.rc_context({"pdf.fonttype": 42}):     # TrueType fonts in the PDF (not Type 3)
            fig.savefig(tmp, format=fmt, dpi=dpi, **kw)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def save_panels(pans, base, dpi: int = 150, suffix_single: bool = True) -> list[Path]:
    """Write ``<base>_<panel>.pdf`` and ``.png`` for every panel (``<base>.pdf``/``.png`` when there is one panel
    and ``suffix_single`` is False); return the paths, PDFs first."""
    base = Path(base)
    if not base.parent.is_dir():
        raise InputError(f"{base.parent}: no such directory")
    stems = [base.with_name(base.name) if (len(pans) == 1 and not suffix_single) else
             base.with_name(f"{base.name}_{name}") for name, _ in pans]
    pdfs, pngs = [], []
    for (_, fig), stem in zip(pans, stems):
        pdf, png = stem.with_name(stem.name + ".pdf"), stem.with_name(stem.name + ".png")
        _save(fig, pdf, "pdf", dpi)
        _save(fig, png, "png", dpi)
        pdfs.append(pdf), pngs.append(png)
    return pdfs + pngs


def output_base(path) -> Path:
    """``fig.png`` / ``fig.pdf`` / ``fig`` → ``fig`` (anything else is bad input)."""
    p = Path(path)
    if p.suffix.lower() in (".png", ".pdf"):
        return p.with_suffix("")
    if p.suffix:
        raise InputError(f"{path}: the output must end in .png or .pdf (both are written)")
    return p


def instance_figures(inst, out_base, *, kind: str = "auto", options: dict | None = None,
                     dpi: int = 150) -> list[Path]:
    """Write every figure of ``inst`` as ``<out_base>_<panel>.pdf`` (vector) and ``.png``; return the paths,
    PDFs first.  Panels: ``clusters``, ``layer1``…``layerQ`` for deep-paper instances with Q = M ∈ {2, 3};
    ``flow`` for the adapted-flow family.  Raises InputError (one line) when the instance cannot be plotted."""
    return save_panels(panels(inst, kind, options), Path(out_base), dpi=dpi, suffix_single=True)
