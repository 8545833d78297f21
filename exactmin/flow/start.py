"""The default start θ_0 of the flow claims: a rational point near an exact zero-loss point, inside its region.

Construction (``start=auto``, the default):

1. Hidden layers with random rational weights (seeded); the bias of each neuron puts its kink in the middle
   of a random gap between the sorted pre-activation values of the data (or beyond all of them), so every
   pre-activation is nonzero with a margin of half a gap.
2. The output layer is the exact minimum-norm solution of [H, 1] X = Y (H: last hidden features of the N
   points); it exists when rank [H, 1] = N (the last hidden width is at least N − 1).  The network θ_* then
   interpolates the targets: C(θ_*) = 0, and rank D[θ_*] = QN (the output-layer columns alone have rank QN).
3. θ_0 = θ_* + t u, rounded to a dyadic grid, with u a random rational direction and t = 2^-k for the
   smallest k at which the ball argument of :mod:`exactmin.flow.ball` closes at θ_0 for both the adapted and the
   plain flow.

Nothing here is trusted: θ_0 is just a point; the claims certify the ball at θ_0 exactly and the kernel
re-checks it.  The construction only makes the defaults land on a start that can be certified.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from ..nets import jacobian as J
from ..nets.network import Network
from . import ball as B

GRID = 2 ** 24          # θ_0 is rounded to this dyadic grid (short witness numbers)
ATTEMPTS = 6            # hidden layers tried (seeds seed*1000 + i)
K_RANGE = range(2, 34)  # t = 2^-k


@dataclass
class Start:
    theta: list | None     # θ_0 (fmpq), None if no start could be built
    dims: list
    note: str              # how θ_0 was obtained, or why not


def default_dims(data: J.FlowData, widths: str) -> list[int]:
    """[M, w, Q] with w = max(the rank-condition default, N − 1) (room for an interpolating output layer), or
    the user's widths."""
    if str(widths).strip():
        return [data.M] + J.parse_widths(widths, data) + [data.Q]
    w = max(J.parse_widths("", data)[0], data.N - 1)
    return [data.M, w, data.Q]


def _hidden_layer(rng: random.Random, inputs, m: int):
    """m neurons on the given input vectors (lists of fmpq): random weights, kink in a random gap."""
    n = len(inputs[0])
    W = fmpq_mat(m, n)
    b = fmpq_mat(m, 1)
    for k in range(m):
        while True:
            row = [fmpq(rng.randint(-8, 8), 4) for _ in range(n)]
            if any(x != 0 for x in row):
                break
        vals = sorted({sum((w * x for w, x in zip(row, a)), fmpq(0)) for a in inputs})
        gaps = [(vals[i] + vals[i + 1]) / 2 for i in range(len(vals) - 1)]
        spread = max(vals[-1] - vals[0], fmpq(1))
        # neuron 0 is active on every point (no point loses all its features); the others kink in a gap
        c = rng.choice(gaps) if k > 0 and gaps else vals[0] - spread / 2
        for j in range(n):
            W[k, j] = row[j]
        b[k, 0] = -c
    outs = [[max(sum((W[k, j] * a[j] for j in range(n)), fmpq(0)) + b[k, 0], fmpq(0)) for k in range(m)]
            for a in inputs]
    return W, b, outs


def _interpolating_net(data: J.FlowData, dims, rng: random.Random) -> Network | None:
    acts = [list(p) for p in data.points]
    Ws, bs = [], []
    for m in dims[1:-1]:
        W, b, acts = _hidden_layer(rng, acts, m)
        Ws.append(W), bs.append(b)
    m = dims[-2]
    Z = fmpq_mat(data.N, m + 1, [v for a in acts for v in list(a) + [fmpq(1)]])
    if Z.rank() < data.N:
        return None
    Y = fmpq_mat(data.N, data.Q, [v for t in data.targets for v in t])
    X = Z.transpose() * (Z * Z.transpose()).solve(Y)          # minimum-norm solution of Z X = Y
    Ws.append(fmpq_mat(data.Q, m, [X[a, q] for q in range(data.Q) for a in range(m)]))
    bs.append(fmpq_mat(data.Q, 1, [X[m, q] for q in range(data.Q)]))
    return Network(tuple(Ws), tuple(bs))


def _round(x: fmpq) -> fmpq:
    return fmpq(int((x * GRID).floor()), GRID)


def _closes(theta, dims, data, kappa):
    net = J.unflatten(theta, dims)
    ev = J.evaluate(net, data)
    if not ev.strict or J.jacobian_rank(ev) != data.Q * data.N:
        return None
    r0sq = sum((r * r for r in J.residual(ev, data)), fmpq(0))
    b = B.certify_ball(net, ev, r0sq, kappa, plain=True)
    return b if b.adapted_ok and b.plain_ok and r0sq > 0 else None


def construct(data: J.FlowData, kappa: fmpq, widths: str = "", seed: int = 0) -> Start:
    """A start θ_0 near an exact zero-loss point at which the ball argument closes (module docstring)."""
    dims = default_dims(data, widths)
    if len(dims) < 3:
        return Start(None, dims, "no hidden layer")
    if dims[-2] + 1 < data.N:
        return Start(None, dims, f"the last hidden width {dims[-2]} is below N - 1 = {data.N - 1}: no "
                                 f"interpolating output layer, so no zero-loss point to start near")
    if B.work(dims, data.N) > B.WORK_LIMIT:
        return Start(None, dims, f"N K^2 = {B.work(dims, data.N)} exceeds the ball certificate's work limit "
                                 f"{B.WORK_LIMIT}")
    best = None
    for att in range(ATTEMPTS):
        rng = random.Random(int(seed) * 1000 + att)
        net = _interpolating_net(data, dims, rng)
        if net is None:
            continue
        star = J.flatten(net)
        score = _score(star, dims, data, kappa)
        if score is not None and (best is None or score > best[0]):
            best = (score, att, star, [fmpq(rng.randint(-8, 8), 8) for _ in star])
    if best is None:
        return Start(None, dims, f"no interpolating start found in {ATTEMPTS} attempts")
    score, att, star, u = best
    # |r(θ_* + t u)| ≈ t |D_* u|: start the search near the largest t the ball allows (score ≥ that |r(0)|)
    ev = J.evaluate(J.unflatten(star, dims), data)
    Du2 = sum((sum((ev.D[i, k] * u[k] for k in range(len(u))), fmpq(0)) ** 2 for i in range(ev.D.nrows())), fmpq(0))
    k0 = 2
    if Du2 > 0 and score > 0:
        ratio = Du2 / (score * score)                      # ≈ (1/t_max)^2
        k0 = max(2, (int(ratio.p).bit_length() - int(ratio.q).bit_length()) // 2 - 1)
    for k in range(k0, k0 + 8):
        if _closes(_shift(star, u, fmpq(1, 2 ** k)), dims, data, kappa) is not None:
            # the largest step t in (2^-k, 2^-(k-1)) on a grid of 1/8 at which the ball still closes
            t = next(t for t in (fmpq(16 - j, 8 * 2 ** k) for j in range(1, 9))
                     if _closes(_shift(star, u, t), dims, data, kappa) is not None)
            return Start(_shift(star, u, t), dims,
                         f"constructed (seed {seed}, attempt {att}): theta_* interpolates the data exactly, "
                         f"theta_0 = theta_* + {t} u rounded to 2^-24")
    return Start(None, dims, "the ball argument did not close near the interpolating point")


def _shift(star, u, t):
    return [_round(a + t * b) for a, b in zip(star, u)]


def _score(star, dims, data, kappa):
    """R σ²/Σ of the plain ball at the interpolating point θ_* (the largest |r(0)| the ball argument allows)."""
    net = J.unflatten(star, dims)
    ev = J.evaluate(net, data)
    if not ev.strict or J.jacobian_rank(ev) != data.Q * data.N:
        return None
    b = B.certify_ball(net, ev, fmpq(0), kappa, plain=True)
    return b.R * b.sigma ** 2 / b.Sigma if b.sigma > 0 else None
