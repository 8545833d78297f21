"""Integrate the adapted flow and certify the orbit at rational checkpoints (an illustration for the report's
figures: the flow claims certify the whole orbit with one ball, :mod:`exactmin.flow.ball`, without integration).

Adapted flow (full-rank overparametrized case, arXiv:2311.15487):  ∂_s θ = −D^T (D D^T)^{-1} ∇_x C with
C = (κ/2)|**x** − **y**|².  Inside one activation region with rank D = QN it gives **x** − **y** = e^{−κs}(**x**_0 − **y**)
and C(s) = e^{−2κs} C(0).

What is numerical and what is exact
-----------------------------------
* The orbit is integrated in mpmath (``dps`` digits) by Gragg–Bulirsch–Stoer steps whose sizes are multiples
  of 1/1024, so the checkpoint times s_k are exact rationals.  Each step has an a-posteriori error estimate
  (difference of the last two extrapolation levels); their sum is the integration-error estimate.
* The state after each step is rounded to a rational θ_k (grid 2^-``GRID_BITS``).  At every θ_k exactmin
  computes exactly: the activation pattern (it must be that of θ_0, every pre-activation nonzero), a
  rational pattern radius r_k (:func:`exactmin.nets.jacobian.pattern_radius`), rank D[θ_k] (two backends) and
  C(θ_k).
* The tube radius δ bounds (a posteriori, not rigorously) the distance of the true orbit from the polygon
  θ_0 θ_1 … : integration-error estimate + rounding + twice the estimated chord deviation
  H |f(θ_{k+1}) − f(θ_k)| / 8 of each step.  The orbit stays in the certified region if consecutive balls
  cover the δ-tube around each chord: |θ_{k+1} − θ_k| + 2δ ≤ r_k + r_{k+1} (checked exactly, by squares).
  Between checkpoints the rank is not certified (it is exact at every checkpoint).
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import mpmath
from flint import fmpq

from ..nets import jacobian as J
from .numeric import Field, gbs_step, norm

GRID_BITS = 100
STEP_GRID = 1024


@dataclass
class Checkpoint:
    s: fmpq
    theta: list            # fmpq
    cost: fmpq
    radius: J.RadiusCertificate | None
    rank: int | None
    strict: bool
    pattern: tuple


@dataclass
class Orbit:
    dims: list
    kappa: fmpq
    cost0: fmpq
    QN: int
    checkpoints: list = field(default_factory=list)
    local_errors: list = field(default_factory=list)
    chord: list = field(default_factory=list)
    delta: fmpq = field(default_factory=fmpq)
    evals: int = 0
    seconds: float = 0.0
    stopped: str = ""          # why the integration stopped early ("" if it reached the end)
    dps: int = 30

    @property
    def times(self):
        return [c.s for c in self.checkpoints]

    @property
    def costs(self):
        return [c.cost for c in self.checkpoints]

    def region_ok(self) -> bool:
        """Every checkpoint strict, same pattern as θ_0, with a radius; consecutive balls cover the δ-tube."""
        cps = self.checkpoints
        if self.stopped or not cps:
            return False
        p0 = cps[0].pattern
        if any(not c.strict or c.radius is None or c.pattern != p0 for c in cps):
            return False
        return all(chain_ok(a.theta, b.theta, a.radius.radius, b.radius.radius, self.delta)
                   for a, b in itertools.pairwise(cps))

    def rank_ok(self) -> bool:
        return bool(self.checkpoints) and all(c.rank == self.QN for c in self.checkpoints)


def chain_ok(t1, t2, r1, r2, delta) -> bool:
    """|t2 − t1| + 2δ ≤ r1 + r2, exactly by squares."""
    slack = r1 + r2 - 2 * delta
    return slack >= 0 and sum(((a - b) ** 2 for a, b in zip(t1, t2)), fmpq(0)) <= slack * slack


def to_grid(x: mpmath.mpf, bits: int = GRID_BITS) -> fmpq:
    return fmpq(int(mpmath.nint(x * 2 ** bits)), 2 ** bits)


def mpf_to_fmpq_up(x) -> fmpq:
    """A rational ≥ x (x ≥ 0 mpf), about 30 significant bits."""
    if x <= 0:
        return fmpq(0)
    e = int(mpmath.floor(mpmath.log(x, 2)))
    sc = 30 - e
    if sc >= 0:
        return fmpq(int(mpmath.ceil(x * mpmath.mpf(2) ** sc)), 2 ** sc)
    return fmpq(int(mpmath.ceil(x / mpmath.mpf(2) ** -sc)) * 2 ** -sc)


def certify_point(s, theta, dims, data, kappa) -> Checkpoint:
    net = J.unflatten(theta, dims)
    ev = J.evaluate(net, data)
    rad = J.pattern_radius(net, ev) if ev.strict else None
    rk = J.jacobian_rank(ev) if ev.strict else None
    return Checkpoint(s, list(theta), J.cost(ev, data, kappa), rad, rk, ev.strict, ev.pattern)


def adapted_orbit(theta0, dims, data, kappa, s_end: fmpq, must_hit=(), dps: int = 30, tol_exp: int | None = None,
                  max_steps: int = 400) -> Orbit:
    """Integrate the adapted flow from the rational θ_0 to s_end, with checkpoints after every step and at every
    time in ``must_hit`` (rationals, multiples of 1/STEP_GRID).  Stops early (``Orbit.stopped``) if a checkpoint
    leaves the region, loses strictness or rank, or D D^T becomes singular numerically."""
    t0 = time.perf_counter()
    QN = data.Q * data.N
    first = certify_point(fmpq(0), theta0, dims, data, kappa)
    orb = Orbit(list(dims), kappa, first.cost, QN, [first], dps=dps)
    with mpmath.workdps(dps):
        tol = mpmath.mpf(10) ** -(tol_exp if tol_exp is not None else dps - 10)
        F = Field(dims, data.points, data.targets, kappa, mpmath.mpf(0))
        y = [F.conv(q) for q in theta0]
        s = fmpq(0)
        H = fmpq(1, 8)
        targets = sorted({fmpq(t) for t in must_hit if 0 < t < s_end} | {s_end})
        steps = 0
        if not first.strict or first.radius is None or first.rank != QN:
            orb.stopped = "theta_0 is not a strict full-rank point"
        while s < s_end and not orb.stopped:
            steps += 1
            if steps > max_steps:
                orb.stopped = f"more than {max_steps} steps"
                break
            cp = orb.checkpoints[-1]
            try:
                f0 = F.adapted(y)
            except ZeroDivisionError:
                orb.stopped = f"D D^T numerically singular at s = {s}"
                break
            speed = norm(f0)
            # the step should move θ by at most 0.6 r_k
            if speed > 0:
                cap = mpmath.mpf(0.6) * mpmath.mpf(int(cp.radius.radius.p)) / int(cp.radius.radius.q) / speed
                capq = fmpq(int(mpmath.floor(cap * STEP_GRID)), STEP_GRID)
                Hs = min(H, max(capq, fmpq(1, STEP_GRID)))
            else:
                Hs = H
            nxt = next(t for t in targets if t > s)
            Hs = min(Hs, nxt - s)
            while True:
                Hm = mpmath.mpf(int(Hs.p)) / int(Hs.q)
                try:
                    ynew, err = gbs_step(F.adapted, y, Hm, tol)
                except ZeroDivisionError:
                    orb.stopped = f"D D^T numerically singular near s = {s}"
                    break
                if err is not None and err < tol or Hs <= fmpq(1, STEP_GRID):
                    break
                Hs = max(fmpq(int((Hs / 2 * STEP_GRID).floor()), STEP_GRID), fmpq(1, STEP_GRID))
            if orb.stopped:
                break
            f1 = F.adapted(ynew)
            orb.local_errors.append(err if err is not None else mpmath.mpf(1))
            orb.chord.append(Hm * norm([a - b for a, b in zip(f1, f0)]) / 8)
            y, s = ynew, s + Hs
            th = [to_grid(v) for v in y]
            c = certify_point(s, th, dims, data, kappa)
            orb.checkpoints.append(c)
            if not c.strict or c.radius is None:
                orb.stopped = f"checkpoint s = {s} is not strictly inside a region with a certified radius"
            elif c.pattern != first.pattern:
                orb.stopped = f"the activation pattern changed before s = {s}"
            elif c.rank != QN:
                orb.stopped = f"rank D = {c.rank} < QN at s = {s}"
            # grow the step when the extrapolation converged easily
            H = min(Hs * 2 if err is not None and err < tol / 10 else max(Hs, H / 2), fmpq(2))
        K = len(theta0)
        rounding = mpmath.sqrt(K) * mpmath.mpf(2) ** -(GRID_BITS - 1)
        total = sum(orb.local_errors, mpmath.mpf(0)) + rounding + 2 * max(orb.chord, default=mpmath.mpf(0))
        orb.delta = mpf_to_fmpq_up(total)
        orb.evals = F.evals
    orb.seconds = time.perf_counter() - t0
    return orb
