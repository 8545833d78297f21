"""Exact Jacobian of all training outputs with respect to all parameters of a plain ReLU network.

Notation of arXiv:2311.15487 (see ../shared/papers/gradient_papers.md, Section 0): hidden layers
x^{(ℓ)} = σ(W_ℓ x^{(ℓ−1)} + b_ℓ) of widths M_1..M_L, linear output x^{(L+1)} = W_{L+1} x^{(L)} + b_{L+1} in R^Q.
θ ∈ R^K collects the parameters layer by layer, each layer as W_ℓ row-major followed by b_ℓ, so
K = Σ_ℓ (M_ℓ M_{ℓ−1} + M_ℓ).  The output vector **x**[θ] ∈ R^{QN} stacks the N outputs point by point, and
D[θ] = ∂**x**/∂θ ∈ R^{QN×K} is defined on each open activation region (no hidden pre-activation equal to 0).

Everything here is exact (``fmpq``).  Inside a region the network is a polynomial in θ, and D is computed by
back-propagation per point with the fixed activation pattern.

Pattern radius
--------------
For a perturbation θ' with |θ' − θ|_2 ≤ r, each layer's block satisfies ‖[ΔW_ℓ, Δb_ℓ]‖_F ≤ r.  With
a_0 = p, z_ℓ = W_ℓ a_{ℓ−1} + b_ℓ, a_ℓ = σ(z_ℓ) and σ 1-Lipschitz:

    |z'_ℓ − z_ℓ| ≤ r (|a'_{ℓ−1}| + 1) + ‖W_ℓ‖ |a'_{ℓ−1} − a_{ℓ−1}| ≤ e_ℓ,
    e_0 = 0,  e_ℓ = r (A_{ℓ−1} + e_{ℓ−1} + 1) + ω_ℓ e_{ℓ−1},

with rational upper bounds A_{ℓ−1} ≥ |a_{ℓ−1}(p)| (integer square roots) and ω_ℓ ≥ ‖W_ℓ‖_op (certified by an
exact PSD test).  If e_ℓ(p) < min_k |z_{ℓ,k}(p)| for every hidden layer ℓ and point p, no pre-activation changes
sign on the closed ball of radius r: the activation pattern, and with it the polynomial formula for **x** and D,
is constant there.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from ..exact.enclosure import sqrt_enclosure
from ..exact.fexp import ilog2
from ..exact.linalg import checked_rank
from ..exact.norms import opnorm_upper
from .network import Network

__all__ = [
    "Evaluation",
    "FlowData",
    "RadiusCertificate",
    "cost",
    "evaluate",
    "flatten",
    "flow_data",
    "gradient",
    "jacobian_rank",
    "n_params",
    "parse_kappa",
    "parse_theta",
    "parse_widths",
    "pattern_radius",
    "radius_valid",
    "random_net",
    "structural_rank_bound",
    "unflatten",
    "widths_of",
]


# ------------------------------------------------------------------------------------------------ data

@dataclass(frozen=True)
class FlowData:
    """Training points p_i ∈ Q^M and their targets y_{ω(i)} ∈ Q^Q (point order of the instance)."""
    points: tuple[tuple[fmpq, ...], ...]
    targets: tuple[tuple[fmpq, ...], ...]

    @property
    def N(self) -> int:
        return len(self.points)

    @property
    def M(self) -> int:
        return len(self.points[0])

    @property
    def Q(self) -> int:
        return len(self.targets[0])


def flow_data(inst) -> FlowData:
    """Points class by class; the target of a point of class j is y_j (column j of the label matrix)."""
    pts, tg = [], []
    den = inst.X0_den
    for j in range(inst.Q):
        y = tuple(inst.Y[r, j] for r in range(inst.Y.nrows()))
        for c in range(inst.class_slice(j).start, inst.class_slice(j).stop):
            pts.append(tuple(fmpq(int(inst.X0_num[k, c]), den) for k in range(inst.M)))
            tg.append(y)
    return FlowData(tuple(pts), tuple(tg))


def parse_kappa(kappa, N: int) -> fmpq:
    """κ from the option string: "1/N" (default, Chen's convention C = |x − y|²/(2N)), or a positive rational."""
    from ..errors import InputError
    from ..exact.linalg import as_fmpq
    s = str(kappa).strip().replace(" ", "")
    if s in ("1/N", "1/n"):
        return fmpq(1, N)
    try:
        k = as_fmpq(s)
    except (TypeError, ValueError):
        raise InputError(f"kappa must be '1/N' or a positive rational p/q, got {kappa!r}") from None
    if k <= 0:
        raise InputError(f"kappa must be positive, got {kappa!r}")
    return k


def parse_widths(widths, data: FlowData) -> list[int]:
    """Hidden widths from "3" / "3,2"; empty: one hidden layer, the smallest width w >= 2 with
    K − w >= QN (room for full rank beyond the ReLU rescaling symmetry)."""
    from ..errors import InputError
    s = str(widths).strip()
    if s:
        try:
            ws = [int(t) for t in s.split(",")]
        except ValueError:
            raise InputError(f"widths must be comma-separated positive integers, got {widths!r}") from None
        if not ws or any(w < 1 or w > 64 for w in ws):
            raise InputError(f"widths must be between 1 and 64, got {widths!r}")
        return ws
    M, Q, N = data.M, data.Q, data.N
    w = max(2, -(-(Q * N - Q) // (M + Q)))
    return [w]


def parse_theta(theta, K: int) -> list[fmpq] | None:
    from ..errors import InputError
    from ..exact.linalg import as_fmpq
    s = str(theta).strip()
    if not s:
        return None
    try:
        th = [as_fmpq(t.strip()) for t in s.split(",")]
    except (TypeError, ValueError):
        raise InputError("theta must be comma-separated rationals p/q") from None
    if len(th) != K:
        raise InputError(f"theta has {len(th)} entries, the architecture has K = {K} parameters")
    return th


# ------------------------------------------------------------------------------------------------ parameters

def widths_of(net: Network) -> list[int]:
    """[M_0, M_1, ..., M_{L+1}]."""
    return [net.weights[0].ncols()] + [W.nrows() for W in net.weights]


def n_params(dims) -> int:
    return sum(dims[i + 1] * dims[i] + dims[i + 1] for i in range(len(dims) - 1))


def structural_rank_bound(dims) -> int:
    """K − Σ_{hidden} M_ℓ: the ReLU rescaling symmetry of each hidden neuron is a kernel vector of D."""
    return n_params(dims) - sum(dims[1:-1])


def flatten(net: Network) -> list[fmpq]:
    th = []
    for W, b in zip(net.weights, net.biases):
        th += [W[i, j] for i in range(W.nrows()) for j in range(W.ncols())]
        th += [b[i, 0] for i in range(b.nrows())]
    return th


def unflatten(theta, dims) -> Network:
    if len(theta) != n_params(dims):
        raise ValueError("parameter vector has the wrong length")
    Ws, bs, pos = [], [], 0
    for i in range(len(dims) - 1):
        m, n = dims[i + 1], dims[i]
        Ws.append(fmpq_mat(m, n, list(theta[pos:pos + m * n])))
        pos += m * n
        bs.append(fmpq_mat(m, 1, list(theta[pos:pos + m])))
        pos += m
    return Network(tuple(Ws), tuple(bs))


def random_net(rng: random.Random, dims, scale: int = 8, den: int = 4) -> Network:
    """Rational entries uniform in [−scale/den, scale/den] with denominator ``den``."""
    K = n_params(dims)
    return unflatten([fmpq(rng.randint(-scale, scale), den) for _ in range(K)], dims)


# ------------------------------------------------------------------------------------------------ evaluation

def _rows(M: fmpq_mat):
    return [[M[i, j] for j in range(M.ncols())] for i in range(M.nrows())]


@dataclass
class Evaluation:
    """Exact evaluation at θ: outputs, pre-activations, activation pattern and (if strict) the Jacobian D."""
    dims: list[int]
    outputs: list[list[fmpq]]                 # N outputs of length Q
    pre: list[list[list[fmpq]]]               # pre[p][ℓ] hidden pre-activations of point p, layer ℓ+1
    acts: list[list[list[fmpq]]]              # acts[p][ℓ] = a_ℓ(p), ℓ = 0..L (a_0 = p)
    strict: bool                              # no hidden pre-activation is 0
    min_margin: fmpq | None                   # min |pre-activation| (None if no hidden layer)
    D: fmpq_mat | None                        # QN × K, rows point-major (point p, output q) -> p*Q + q

    @property
    def pattern(self) -> tuple:
        return tuple(tuple(tuple(int(z > 0) for z in layer) for layer in pp) for pp in self.pre)


def evaluate(net: Network, data: FlowData, with_jacobian: bool = True) -> Evaluation:
    dims = widths_of(net)
    Ws = [_rows(W) for W in net.weights]
    bs = [[b[i, 0] for i in range(b.nrows())] for b in net.biases]
    L = len(Ws) - 1
    K = n_params(dims)
    Q = dims[-1]
    outs, pres, actss = [], [], []
    strict, margin = True, None
    for p in data.points:
        a = list(p)
        acts, pre = [a], []
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = [sum((w * x for w, x in zip(row, a)), fmpq(0)) + c for row, c in zip(W, b)]
            pre.append(z)
            for v in z:
                if v == 0:
                    strict = False
                m = abs(v)
                margin = m if margin is None or m < margin else margin
            a = [v if v > 0 else fmpq(0) for v in z]
            acts.append(a)
        out = [sum((w * x for w, x in zip(row, a)), fmpq(0)) + c for row, c in zip(Ws[-1], bs[-1])]
        outs.append(out), pres.append(pre), actss.append(acts)
    D = None
    if with_jacobian and strict:
        D = fmpq_mat(Q * data.N, K)
        offs, pos = [], 0
        for i in range(L + 1):
            offs.append(pos)
            pos += dims[i + 1] * dims[i] + dims[i + 1]
        for pi in range(data.N):
            G = [list(r) for r in Ws[-1]]           # ∂x/∂a_L  (Q × M_L)
            # output layer: ∂x_q/∂W_{L+1}[q, c] = a_L[c], ∂x_q/∂b_{L+1}[q] = 1
            aL = actss[pi][L]
            for q in range(Q):
                row = pi * Q + q
                for c in range(dims[L]):
                    D[row, offs[L] + q * dims[L] + c] = aL[c]
                D[row, offs[L] + Q * dims[L] + q] = 1
            for ell in range(L - 1, -1, -1):       # hidden layer ell+1 (0-based ell)
                z = pres[pi][ell]
                Gz = [[g if z[k] > 0 else fmpq(0) for k, g in enumerate(grow)] for grow in G]  # ∂x/∂z
                a_prev = actss[pi][ell]
                m_out, m_in = dims[ell + 1], dims[ell]
                for q in range(Q):
                    row = pi * Q + q
                    for r in range(m_out):
                        g = Gz[q][r]
                        if g == 0:
                            continue
                        for c in range(m_in):
                            D[row, offs[ell] + r * m_in + c] = g * a_prev[c]
                        D[row, offs[ell] + m_out * m_in + r] = g
                if ell > 0:
                    W = Ws[ell]
                    G = [[sum((Gz[q][r] * W[r][c] for r in range(m_out)), fmpq(0)) for c in range(m_in)]
                         for q in range(Q)]
    return Evaluation(dims, outs, pres, actss, strict, margin, D)


def residual(ev: Evaluation, data: FlowData) -> list[fmpq]:
    """**x** − **y** stacked point-major (length QN)."""
    return [o - t for out, tg in zip(ev.outputs, data.targets) for o, t in zip(out, tg)]


def cost(ev: Evaluation, data: FlowData, kappa: fmpq) -> fmpq:
    """C = (κ/2) Σ_i |x_i − y_{ω(i)}|², exactly."""
    return kappa / 2 * sum((r * r for r in residual(ev, data)), fmpq(0))


def gradient(ev: Evaluation, data: FlowData, kappa: fmpq) -> list[fmpq]:
    """∇_θ C = D^T ∇_x C = κ D^T (**x** − **y**), exactly (needs a strict point)."""
    if ev.D is None:
        raise ValueError("the Jacobian is undefined at a non-strict point")
    r = residual(ev, data)
    D = ev.D
    return [kappa * sum((D[i, k] * r[i] for i in range(D.nrows())), fmpq(0)) for k in range(D.ncols())]


def jacobian_rank(ev: Evaluation) -> int:
    """Exact rank of D, computed by flint and by the pure-Python reference backend (they must agree)."""
    if ev.D is None:
        raise ValueError("the Jacobian is undefined at a non-strict point")
    key = (ev.D.nrows(), ev.D.ncols(), str(ev.D))      # the exact matrix: every flow claim asks for the same θ_0
    rk = _RANKS.get(key)
    if rk is None:
        if len(_RANKS) >= 64:
            _RANKS.clear()
        rk = _RANKS[key] = checked_rank(ev.D)
    return rk


_RANKS: dict = {}       # exact D -> its rank (two backends): the pure-Python backend dominates check 'flow.*'


# ------------------------------------------------------------------------------------------------ radius

@dataclass(frozen=True)
class RadiusCertificate:
    radius: fmpq          # no hidden pre-activation changes sign on the closed ball |θ' − θ| ≤ radius
    omegas: tuple         # ω_ℓ ≥ ‖W_ℓ‖_op for the hidden layers ℓ = 2..L (ℓ = 1 acts on unperturbed inputs)


def _act_bounds(ev: Evaluation, bits: int = 32):
    """A[p][ℓ] ≥ |a_ℓ(p)| (ℓ = 0..L−1), rational, by integer square roots."""
    return [[sqrt_enclosure(sum((x * x for x in a), fmpq(0)), bits).hi for a in acts[:-1]] for acts in ev.acts]


def radius_valid(r: fmpq, omegas, A, margins) -> bool:
    """The recursion of the module docstring: e_ℓ(p) < margin_ℓ(p) for every hidden layer and point."""
    for Ap, mp in zip(A, margins):
        e = fmpq(0)
        for ell, (a, m) in enumerate(zip(Ap, mp)):
            w = omegas[ell - 1] if ell > 0 else fmpq(0)
            e = r * (a + e + 1) + w * e
            if not e < m:
                return False
    return True


MAX_HALVINGS = 6000     # radii below min margin * 2^-6000 are not searched (their witness numbers get too long)


def largest_valid(valid, hi: fmpq, steps: int = 40, max_halvings: int = MAX_HALVINGS) -> fmpq:
    """A dyadic fraction lo of ``hi`` with valid(lo), within a factor 1 + 2^-steps of the largest one on the grid;
    0 if valid(hi 2^-max_halvings) fails.  ``valid`` must be monotone (valid(r) and r' < r imply valid(r')).

    The valid radius can be far below hi (data of magnitude 10^23 make it about hi 10^-24): the exponent k of
    hi 2^-k is found first by doubling k and bisecting on k, and only then the mantissa by ``steps`` bisections
    (a plain bisection from [0, hi] with 40 steps never leaves 0 there)."""
    if hi <= 0:
        return fmpq(0)
    if valid(hi):
        return hi
    bad, k = 0, 1                                  # hi 2^-bad is invalid
    while not valid(hi / fmpq(2) ** k):
        if k >= max_halvings:
            return fmpq(0)
        bad, k = k, min(2 * k, max_halvings)
    while k - bad > 1:                             # the smallest k with valid(hi 2^-k)
        mid = (bad + k) // 2
        if valid(hi / fmpq(2) ** mid):
            k = mid
        else:
            bad = mid
    lo, up = hi / fmpq(2) ** k, hi / fmpq(2) ** bad
    for _ in range(steps):
        mid = (lo + up) / 2
        if valid(mid):
            lo = mid
        else:
            up = mid
    return lo


def hidden_opnorms(net: Network) -> tuple:
    """ω_ℓ ≥ ‖W_ℓ‖_op for the hidden layers ℓ = 2..L (exact PSD tests), the bounds :func:`pattern_radius` uses."""
    return tuple(opnorm_upper(W) for W in net.weights[1:-1])


def pattern_radius(net: Network, ev: Evaluation, slack: fmpq | None = None) -> RadiusCertificate | None:
    """A rational radius (about ``slack`` times the largest one the recursion certifies, with a short
    dyadic representation); None if θ is not strictly inside its region or has no hidden layer."""
    slack = fmpq(9, 10) if slack is None else slack
    if not ev.strict or ev.min_margin is None:
        return None
    omegas = hidden_opnorms(net)
    A = _act_bounds(ev)
    margins = [[min(abs(v) for v in z) for z in pre] for pre in ev.pre]
    # the largest valid r on a dyadic grid (exponent search, then bisection), then shrink by slack
    hi = min(min(m) for m in margins)        # e_1 >= r, so r < min margin
    lo = largest_valid(lambda r: radius_valid(r, omegas, A, margins), hi)
    if lo == 0:
        return None
    r = lo * slack
    # round down to 12 significant bits (⌊log₂ r⌋ exactly: r may be 10^-400, far below the float range)
    e = 12 - ilog2(r)
    r = fmpq(int((r * 2 ** e).floor()), 2 ** e) if e >= 0 else r
    if r <= 0 or not radius_valid(r, omegas, A, margins):
        return None
    return RadiusCertificate(r, omegas)
