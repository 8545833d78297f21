"""Two-layer ReLU networks with rational parameters: exact loss, exact gradient, neuron splitting and zero-type
neurons (claims ``sym.split``, ``sym.zero-type``; digest /work/shared/papers/symmetry_paper.md §1, §2.1, §2.2, §5).

Model:  f(x) = Σ_j a_j σ(w_j·x + c_j),  σ = ReLU,  w_j ∈ Q^d,  c_j ∈ Q (optional; ``c is None`` = bias-free, the
paper's setting, digest §1),  a_j ∈ Q^p (p = 1 with ``scalar_output`` for scalar a_j).

Loss normalisation (stated here, used everywhere):  L(θ) = (1/2) Σ_n |f(x_n) − y_n|²  — a plain *sum* over the
data with factor 1/2 (not the mean used by the authors' code; criticality does not depend on this).

Gradient (valid only when no pre-activation z_{nj} = w_j·x_n + c_j is exactly 0; ReLU is not differentiable there):
    ∂L/∂a_j = Σ_n σ(z_nj) r_n,   ∂L/∂w_j = Σ_n (r_n·a_j) σ'(z_nj) x_n,   ∂L/∂c_j = Σ_n (r_n·a_j) σ'(z_nj),
with residual r_n = f(x_n) − y_n and σ'(z) = 1 if z > 0, 0 if z < 0.

Caveat (not in the digest): the paper's activation class excludes ReLU (digest §1, [L]).  For ReLU the positive
homogeneity (w, c, a) -> (λw, λc, a/λ), λ > 0, is an extra symmetry, and neurons inactive on all data ("dead")
behave differently from the digest's zero-type neurons (see ``add_zero_type(kind="dead")``).  The embedding facts
of digest §2.1/§2.2 only need differentiability at the data, which holds off the kinks.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..errors import ExactminError

__all__ = [
    "Gradient",
    "NotDifferentiableError",
    "TwoLayer",
    "add_zero_type",
    "design_critical_targets",
    "directional_derivative_exact",
    "drelu",
    "forward",
    "gradient",
    "gradient_or_none",
    "is_critical",
    "kinks",
    "loss",
    "make",
    "nullspace",
    "outputs",
    "permute",
    "relu",
    "split",
]

Q = Fraction


def _q(v) -> Fraction:
    if isinstance(v, float):
        raise TypeError("floats are not allowed; pass int, Fraction or a string like '1/3'")
    return Fraction(v)


def relu(z: Fraction) -> Fraction:
    return z if z > 0 else Fraction(0)


def drelu(z: Fraction) -> int:
    if z == 0:
        raise ValueError("ReLU is not differentiable at 0")
    return 1 if z > 0 else 0


class NotDifferentiableError(ExactminError):
    """Some pre-activation w_j·x_n + c_j is exactly 0; ``where`` lists the (n, j) pairs."""

    def __init__(self, where):
        self.where = list(where)
        super().__init__(f"pre-activation exactly 0 at (data index n, neuron j) = {self.where}")


@dataclass(frozen=True)
class TwoLayer:
    """Parameters θ = (W, c, A).  W: m rows of length d; c: length m or None; A: m rows of length p."""

    W: tuple[tuple[Fraction, ...], ...]
    c: tuple[Fraction, ...] | None
    A: tuple[tuple[Fraction, ...], ...]
    scalar_output: bool = True

    def __post_init__(self):
        if len(self.W) != len(self.A) or (self.c is not None and len(self.c) != len(self.W)):
            raise ValueError("W, c, A must have one entry per neuron")
        if len({len(w) for w in self.W}) > 1 or len({len(a) for a in self.A}) > 1:
            raise ValueError("ragged W or A")
        if self.scalar_output and any(len(a) != 1 for a in self.A):
            raise ValueError("scalar_output needs p = 1")

    @property
    def m(self) -> int:
        return len(self.W)

    @property
    def d(self) -> int:
        return len(self.W[0]) if self.W else 0

    @property
    def p(self) -> int:
        return len(self.A[0]) if self.A else 1

    @property
    def a(self):
        """Outgoing weights as scalars (scalar output) or tuples."""
        return tuple(a[0] for a in self.A) if self.scalar_output else self.A


def make(W, a, c=None) -> TwoLayer:
    """Build from nested lists; a_j may be scalars (scalar output) or sequences (vector output)."""
    Wq = tuple(tuple(_q(v) for v in w) for w in W)
    scalar = all(not isinstance(x, (list, tuple)) for x in a)
    Aq = tuple((_q(x),) if scalar else tuple(_q(v) for v in x) for x in a)
    cq = None if c is None else tuple(_q(v) for v in c)
    return TwoLayer(Wq, cq, Aq, scalar)


def _pre(th: TwoLayer, x: Sequence[Fraction], j: int) -> Fraction:
    z = sum((wi * xi for wi, xi in zip(th.W[j], x)), Fraction(0))
    if th.c is not None:
        z += th.c[j]
    return z


def _fvec(th: TwoLayer, x) -> list[Fraction]:
    out = [Fraction(0)] * th.p
    for j in range(th.m):
        s = relu(_pre(th, x, j))
        if s:
            for k in range(th.p):
                out[k] += th.A[j][k] * s
    return out


def forward(th: TwoLayer, x):
    """f(x) exactly: a Fraction for scalar output, else a tuple."""
    x = [_q(v) for v in x]
    v = _fvec(th, x)
    return v[0] if th.scalar_output else tuple(v)


def outputs(th: TwoLayer, X):
    return [forward(th, x) for x in X]


def _yvec(y, p):
    if isinstance(y, (list, tuple)):
        return [_q(v) for v in y]
    return [_q(y)] * 1 if p == 1 else None


def _residuals(th: TwoLayer, X, Y) -> list[list[Fraction]]:
    R = []
    for x, y in zip(X, Y, strict=True):
        fx = _fvec(th, [_q(v) for v in x])
        yv = _yvec(y, th.p)
        if yv is None or len(yv) != th.p:
            raise ValueError("target dimension does not match the output dimension")
        R.append([f - t for f, t in zip(fx, yv)])
    return R


def loss(th: TwoLayer, X, Y) -> Fraction:
    """L = (1/2) Σ_n |f(x_n) − y_n|², exact."""
    return sum((r * r for rn in _residuals(th, X, Y) for r in rn), Fraction(0)) / 2


def kinks(th: TwoLayer, X) -> list[tuple[int, int]]:
    """All (n, j) with w_j·x_n + c_j == 0 exactly."""
    return [(n, j) for n, x in enumerate(X) for j in range(th.m) if _pre(th, [_q(v) for v in x], j) == 0]


@dataclass(frozen=True)
class Gradient:
    W: tuple[tuple[Fraction, ...], ...]
    c: tuple[Fraction, ...] | None
    A: tuple[tuple[Fraction, ...], ...]

    def flat(self) -> tuple[Fraction, ...]:
        out = [v for w in self.W for v in w]
        if self.c is not None:
            out += list(self.c)
        out += [v for a in self.A for v in a]
        return tuple(out)

    def is_zero(self) -> bool:
        return all(v == 0 for v in self.flat())


def gradient(th: TwoLayer, X, Y) -> Gradient:
    """Exact ∇L (formulas in the module docstring).  Raises NotDifferentiableError listing the (n, j) with
    pre-activation exactly 0."""
    bad = kinks(th, X)
    if bad:
        raise NotDifferentiableError(bad)
    R = _residuals(th, X, Y)
    Xq = [[_q(v) for v in x] for x in X]
    gW, gc, gA = [], [], []
    for j in range(th.m):
        gw = [Fraction(0)] * th.d
        gcj = Fraction(0)
        ga = [Fraction(0)] * th.p
        for x, r in zip(Xq, R):
            z = _pre(th, x, j)
            if z > 0:
                for k in range(th.p):
                    ga[k] += z * r[k]
                ra = sum((rk * ak for rk, ak in zip(r, th.A[j])), Fraction(0))
                if ra:
                    for i in range(th.d):
                        gw[i] += ra * x[i]
                    gcj += ra
        gW.append(tuple(gw))
        gc.append(gcj)
        gA.append(tuple(ga))
    return Gradient(tuple(gW), None if th.c is None else tuple(gc), tuple(gA))


def gradient_or_none(th: TwoLayer, X, Y) -> Gradient | None:
    try:
        return gradient(th, X, Y)
    except NotDifferentiableError:
        return None


def is_critical(th: TwoLayer, X, Y) -> bool:
    """∇L == 0 exactly (raises NotDifferentiableError at a kink)."""
    return gradient(th, X, Y).is_zero()


# ------------------------------------------------------------------------------------------------------------
# embeddings (digest §2.1, §2.2)

def split(th: TwoLayer, j: int, betas: Sequence) -> TwoLayer:
    """Digest §2.1: replace neuron j by len(betas) copies with the same incoming weights (and bias) and outgoing
    weights β_c a_j, Σ β_c = 1 (any rationals, including negative and zero).  Copy 0 stays at index j, copies
    1.. are appended at the end (as the authors' ``duplicate``)."""
    b = [_q(v) for v in betas]
    if not b or sum(b) != 1:
        raise ValueError(f"betas must be non-empty and sum to 1 (sum = {sum(b)})")
    W, A = list(th.W), list(th.A)
    c = None if th.c is None else list(th.c)
    aj = th.A[j]
    A[j] = tuple(b[0] * v for v in aj)
    for bc in b[1:]:
        W.append(th.W[j])
        A.append(tuple(bc * v for v in aj))
        if c is not None:
            c.append(th.c[j])
    return TwoLayer(tuple(W), None if c is None else tuple(c), tuple(A), th.scalar_output)


def add_zero_type(th: TwoLayer, w, a_list=None, *, bias=0, kind: str = "single", X=None) -> TwoLayer:
    """Append zero-type neurons (digest §2.2) with incoming vector ``w`` (and bias ``bias`` if the net has biases).

    * kind="single": one neuron with a = 0 and arbitrary w (digest: "single zero neuron").
    * kind="group": len(a_list) >= 2 neurons sharing w with outgoing weights a_list summing to 0 (digest: "zero group").
    * kind="dead": NOT from the digest, ReLU-specific: one neuron with arbitrary outgoing weight a_list[0] and
      (w, bias) strictly inactive on every x in ``X`` (checked; raises ValueError otherwise).  Unlike the digest's
      zero-type neurons it keeps criticality even at nonzero loss (σ = σ' = 0 on the data).
    """
    wq = tuple(_q(v) for v in w)
    if len(wq) != th.d:
        raise ValueError("w has the wrong dimension")
    zero = tuple(Fraction(0) for _ in range(th.p))

    def vec(v):
        if isinstance(v, (list, tuple)):
            out = tuple(_q(x) for x in v)
        else:
            out = (_q(v),) * 1 if th.p == 1 else None
        if out is None or len(out) != th.p:
            raise ValueError("outgoing weight has the wrong dimension")
        return out

    if kind == "single":
        new_a = [zero]
    elif kind == "group":
        if a_list is None or len(a_list) < 2:
            raise ValueError("a zero group needs >= 2 outgoing weights")
        new_a = [vec(v) for v in a_list]
        if any(sum(col) != 0 for col in zip(*new_a)):
            raise ValueError("zero-group outgoing weights must sum to 0")
    elif kind == "dead":
        if X is None:
            raise ValueError("kind='dead' needs the data X")
        bq = _q(bias) if th.c is not None else Fraction(0)
        for x in X:
            if sum((wi * _q(xi) for wi, xi in zip(wq, x)), Fraction(0)) + bq >= 0:
                raise ValueError("the neuron is not strictly inactive on the data")
        new_a = [vec(a_list[0] if a_list else 1)]
    else:
        raise ValueError("kind must be 'single', 'group' or 'dead'")
    W = th.W + (wq,) * len(new_a)
    c = None if th.c is None else th.c + (_q(bias),) * len(new_a)
    return TwoLayer(W, c, th.A + tuple(new_a), th.scalar_output)


def permute(th: TwoLayer, perm: Sequence[int]) -> TwoLayer:
    """P_π: neuron perm[i] of θ becomes neuron i."""
    return TwoLayer(tuple(th.W[i] for i in perm), None if th.c is None else tuple(th.c[i] for i in perm),
                    tuple(th.A[i] for i in perm), th.scalar_output)


# ------------------------------------------------------------------------------------------------------------
# independent exact check of the gradient and exact critical points with L > 0

def _shift(th: TwoLayer, v: Gradient, t: Fraction) -> TwoLayer:
    W = tuple(tuple(a + t * b for a, b in zip(w, dw)) for w, dw in zip(th.W, v.W))
    c = None if th.c is None else tuple(a + t * b for a, b in zip(th.c, v.c))
    A = tuple(tuple(a + t * b for a, b in zip(x, dx)) for x, dx in zip(th.A, v.A))
    return TwoLayer(W, c, A, th.scalar_output)


def lagrange_derivative_weights(ts) -> list[Fraction]:
    """ℓ_i'(0) for the Lagrange basis polynomials ℓ_i of the distinct nodes ts: p'(0) = Σ_i p(t_i) ℓ_i'(0) for every
    polynomial p of degree < len(ts).  ℓ_i'(0) = Σ_k Π_{l≠i,k} (0 − t_l) / Π_{l≠i} (t_i − t_l)."""
    out = []
    for i, ti in enumerate(ts):
        others = [tk for k, tk in enumerate(ts) if k != i]
        denom = Fraction(1)
        for tk in others:
            denom *= ti - tk
        num = Fraction(0)
        for k in range(len(others)):
            prod = Fraction(1)
            for m, tm in enumerate(others):
                if m != k:
                    prod *= -tm
            num += prod
        out.append(num / denom)
    return out


def directional_derivative_exact(th: TwoLayer, X, Y, v: Gradient) -> Fraction:
    """d/dt L(θ + t v) at t = 0, exactly, WITHOUT using ``gradient``: inside the activation region of θ, L(θ + t v)
    is a polynomial of degree <= 4 in t (f is bilinear in (a, (w, c))), so it is recovered exactly by Lagrange
    interpolation at t ∈ {−2δ, −δ, 0, δ, 2δ} with δ chosen exactly so that no pre-activation changes sign."""
    bad = kinks(th, X)
    if bad:
        raise NotDifferentiableError(bad)
    delta = Fraction(1)
    for x in X:
        xq = [_q(u) for u in x]
        for j in range(th.m):
            z = _pre(th, xq, j)
            dz = sum((a * b for a, b in zip(v.W[j], xq)), Fraction(0)) + (0 if v.c is None else v.c[j])
            if dz:
                delta = min(delta, abs(z) / (4 * abs(dz)))  # |2δ dz| <= |z|/2 < |z|
    ts = [k * delta for k in (-2, -1, 0, 1, 2)]
    Ls = [loss(_shift(th, v, t), X, Y) for t in ts]
    # derivative at 0 of the Lagrange interpolant: Σ_i L_i ℓ_i'(0)
    return sum((L * w for L, w in zip(Ls, lagrange_derivative_weights(ts)) if w), Fraction(0))


def nullspace(rows: list[list[Fraction]], ncols: int) -> list[list[Fraction]]:
    """Basis of {e : M e = 0} for the rational matrix with the given rows (Gauss–Jordan over Q)."""
    M = [list(map(Fraction, r)) for r in rows]
    pivots = []
    rr = 0
    for col in range(ncols):
        piv = next((i for i in range(rr, len(M)) if M[i][col] != 0), None)
        if piv is None:
            continue
        M[rr], M[piv] = M[piv], M[rr]
        pv = M[rr][col]
        M[rr] = [v / pv for v in M[rr]]
        for i in range(len(M)):
            if i != rr and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[rr])]
        pivots.append(col)
        rr += 1
        if rr == len(M):
            break
    free = [c for c in range(ncols) if c not in pivots]
    basis = []
    for fc in free:
        e = [Fraction(0)] * ncols
        e[fc] = Fraction(1)
        for i, pc in enumerate(pivots):
            e[pc] = -M[i][fc]
        basis.append(e)
    return basis


def design_critical_targets(th: TwoLayer, X, which: int = 0, coeffs=None):
    """Digest §5 item 10 ("inverse design"), scalar output only: return (Y, e) with y_n = f(x_n) − e_n where e ≠ 0
    lies in the null space of the matrix whose rows are ∂f(x_n)/∂θ_i over n.  Then ∇L(θ) = Σ_n e_n ∂f(x_n)/∂θ = 0
    and L = (1/2)|e|² > 0.  Raises if θ has a kink on X or the null space is trivial.

    ``coeffs``: if given, e = Σ_i coeffs[i] · basis[i] (a generic null vector; ``which`` is then ignored), else
    e = basis[which].  Raises ValueError if that e is 0."""
    if not th.scalar_output:
        raise ValueError("design_critical_targets is for scalar output")
    bad = kinks(th, X)
    if bad:
        raise NotDifferentiableError(bad)
    Xq = [[_q(v) for v in x] for x in X]
    rows = []
    for j in range(th.m):
        zs = [_pre(th, x, j) for x in Xq]
        act = [1 if z > 0 else 0 for z in zs]
        a = th.A[j][0]
        for i in range(th.d):
            rows.append([a * s * x[i] for s, x in zip(act, Xq)])
        if th.c is not None:
            rows.append([a * s for s in act])
        rows.append([relu(z) for z in zs])
    basis = nullspace(rows, len(Xq))
    if not basis:
        raise ValueError("trivial null space: use more data points than parameters")
    if coeffs is None:
        e = basis[which % len(basis)]
    else:
        cq = [_q(v) for v in coeffs]
        e = [sum((cq[i] * basis[i][n] for i in range(min(len(cq), len(basis)))), Fraction(0)) for n in range(len(Xq))]
        if not any(e):
            raise ValueError("the combination of null vectors is 0")
    Y = [forward(th, x) - en for x, en in zip(Xq, e)]
    return Y, e
