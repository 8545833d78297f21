"""Deep ReLU networks with rational parameters: exact forward pass, squared loss, exact gradient by backpropagation,
and neuron splitting in any hidden layer (claim ``sym.split`` with ``depth >= 2``; digest
/work/shared/papers/symmetry_paper.md §1 "Multi-layer", §2.1 "Deep networks", §5 items 8–10 and 13).

Model (L = depth hidden layers, widths n_1..n_L, n_0 = d, output dimension p):

    h_0 = x,   z_ℓ = W_ℓ h_{ℓ-1} + b_ℓ,   h_ℓ = σ(z_ℓ)  (ℓ = 1..L, σ = ReLU),   f(x) = W_{L+1} h_L + b_{L+1},

with W_ℓ ∈ Q^{n_ℓ × n_{ℓ-1}}; the biases b_1..b_{L+1} are all present or all absent (``bs is None``: the paper's
bias-free setting).  Loss, as in :mod:`exactmin.sym.twolayer`:  L(θ) = (1/2) Σ_n |f(x_n) − y_n|².

Backpropagation (valid only when no z_ℓ entry is exactly 0 on the data; :class:`NotDifferentiableError` otherwise):
with r_n = f(x_n) − y_n,  δ_{L+1} = r_n,  δ_ℓ = σ'(z_ℓ) ⊙ (W_{ℓ+1}^T δ_{ℓ+1}),

    ∂L/∂W_ℓ = Σ_n δ_ℓ h_{ℓ-1}^T,     ∂L/∂b_ℓ = Σ_n δ_ℓ     (ℓ = 1..L+1).

Splitting (digest §2.1, "Deep networks"): neuron i of hidden layer ℓ becomes k copies; every copy has row i of W_ℓ
and entry i of b_ℓ; column i of W_{ℓ+1} becomes the k columns β_c · col_i, Σ_c β_c = 1 (any rationals).  Copy 0 keeps
index i, copies 1..k−1 are appended at the end of layer ℓ (as the authors' ``duplicate``).  Then h_{ℓ,(i,c)} = h_{ℓ,i}
and W'_{ℓ+1} h'_ℓ = W_{ℓ+1} h_ℓ, so f is unchanged on all of R^d.  The gradient identities (derived from the
backpropagation above: δ_{ℓ+1} and everything above layer ℓ+1 are unchanged, the cotangent of copy c is
β_c W_{ℓ+1}[:, i]^T δ_{ℓ+1}, and W'_ℓ^T δ'_ℓ = W_ℓ^T δ_ℓ so everything below layer ℓ is unchanged):

    ∂L'/∂W'_ℓ[(i,c), :] = β_c ∂L/∂W_ℓ[i, :],     ∂L'/∂b'_ℓ[(i,c)] = β_c ∂L/∂b_ℓ[i],
    ∂L'/∂W'_{ℓ+1}[:, (i,c)] = ∂L/∂W_{ℓ+1}[:, i],
    every other coordinate of ∇L' equals the corresponding coordinate of ∇L,

and L' = L.  :func:`split_gradient` is this map; ``sym.split`` checks ∇L(split θ) == split_gradient(∇L(θ)) exactly.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .twolayer import NotDifferentiableError, lagrange_derivative_weights, nullspace

__all__ = [
    "Deep",
    "DeepGradient",
    "NotDifferentiableError",
    "copy_indices",
    "design_critical_targets",
    "directional_derivative_exact",
    "evaluate",
    "forward",
    "gradient",
    "is_critical",
    "jacobian",
    "kinks",
    "loss",
    "loss_and_gradient",
    "make",
    "outputs",
    "split",
    "split_gradient",
]

Mat = tuple[tuple[Fraction, ...], ...]
Vec = tuple[Fraction, ...]
_0 = Fraction(0)


def _q(v) -> Fraction:
    if isinstance(v, float):
        raise TypeError("floats are not allowed; pass int, Fraction or a string like '1/3'")
    return Fraction(v)


@dataclass(frozen=True)
class Deep:
    """θ = (W_1, b_1, ..., W_{L+1}, b_{L+1}); ``Ws[ℓ-1]`` is W_ℓ, ``bs`` is None (no biases) or ``bs[ℓ-1]`` = b_ℓ."""

    Ws: tuple[Mat, ...]
    bs: tuple[Vec, ...] | None

    def __post_init__(self):
        if len(self.Ws) < 2:
            raise ValueError("a deep network needs at least one hidden layer and the output layer")
        for ell, W in enumerate(self.Ws):
            if not W or len({len(r) for r in W}) != 1:
                raise ValueError(f"layer {ell + 1}: empty or ragged weight matrix")
            if ell and len(W[0]) != len(self.Ws[ell - 1]):
                raise ValueError(f"layer {ell + 1}: {len(W[0])} columns, previous layer has {len(self.Ws[ell - 1])} rows")
        if self.bs is not None and [len(b) for b in self.bs] != [len(W) for W in self.Ws]:
            raise ValueError("one bias per neuron of every layer (including the output layer), or no biases")

    @property
    def depth(self) -> int:
        """Number of hidden layers L."""
        return len(self.Ws) - 1

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(len(W) for W in self.Ws[:-1])

    @property
    def d(self) -> int:
        return len(self.Ws[0][0])

    @property
    def p(self) -> int:
        return len(self.Ws[-1])

    def n_params(self) -> int:
        return sum(len(W) * len(W[0]) + (len(W) if self.bs is not None else 0) for W in self.Ws)


def make(Ws, bs=None) -> Deep:
    """Build from nested lists of ints, Fractions or strings (``bs``: None or one vector per layer)."""
    return Deep(tuple(tuple(tuple(_q(v) for v in row) for row in W) for W in Ws),
                None if bs is None else tuple(tuple(_q(v) for v in b) for b in bs))


def _layer(W: Mat, b: Vec | None, h) -> list[Fraction]:
    z = [sum((w * v for w, v in zip(row, h) if v), _0) for row in W]
    return z if b is None else [zi + bi for zi, bi in zip(z, b)]


def _forward_all(net: Deep, x) -> tuple[list[list[Fraction]], list[list[Fraction]], list[Fraction]]:
    """(h_0..h_L, z_1..z_L, f(x)) at one point."""
    hs, zs = [list(x)], []
    for ell in range(net.depth):
        z = _layer(net.Ws[ell], None if net.bs is None else net.bs[ell], hs[-1])
        zs.append(z)
        hs.append([v if v > 0 else _0 for v in z])
    return hs, zs, _layer(net.Ws[-1], None if net.bs is None else net.bs[-1], hs[-1])


def _xs(X) -> list[list[Fraction]]:
    return [[_q(v) for v in x] for x in X]


def forward(net: Deep, x) -> list[Fraction]:
    """f(x) exactly (a list of length p)."""
    return _forward_all(net, [_q(v) for v in x])[2]


def outputs(net: Deep, X) -> list[list[Fraction]]:
    return [forward(net, x) for x in X]


def _targets(Y, p: int) -> list[list[Fraction]]:
    out = []
    for y in Y:
        yv = [_q(v) for v in y] if isinstance(y, (list, tuple)) else [_q(y)]
        if len(yv) != p:
            raise ValueError("target dimension does not match the output dimension")
        out.append(yv)
    return out


def loss(net: Deep, X, Y) -> Fraction:
    """L = (1/2) Σ_n |f(x_n) − y_n|², exact."""
    tot = _0
    for x, y in zip(_xs(X), _targets(Y, net.p), strict=True):
        tot += sum(((f - t) ** 2 for f, t in zip(forward(net, x), y)), _0)
    return tot / 2


def kinks(net: Deep, X) -> list[tuple[int, int, int]]:
    """All (data index n, layer ℓ (1-based), neuron i) with z_ℓ[i] == 0 exactly at x_n."""
    out = []
    for n, x in enumerate(_xs(X)):
        _, zs, _ = _forward_all(net, x)
        out += [(n, ell + 1, i) for ell, z in enumerate(zs) for i, v in enumerate(z) if v == 0]
    return out


@dataclass(frozen=True)
class DeepGradient:
    """∂L/∂W_ℓ and ∂L/∂b_ℓ with the shapes of the network (``bs`` None for a bias-free network)."""

    Ws: tuple[Mat, ...]
    bs: tuple[Vec, ...] | None

    def flat(self) -> tuple[Fraction, ...]:
        out = [v for W in self.Ws for row in W for v in row]
        if self.bs is not None:
            out += [v for b in self.bs for v in b]
        return tuple(out)

    def is_zero(self) -> bool:
        return not any(self.flat())


def _backprop(net: Deep, fwd, cot, gW, gb) -> None:
    """Add the gradient of cot·f(x) w.r.t. all parameters into the accumulators gW, gb (lists of lists);
    ``fwd`` = :func:`_forward_all` at x."""
    hs, zs, _ = fwd
    delta = list(cot)
    for ell in range(net.depth, -1, -1):               # layer ℓ+1 = ell+1, input h_ell
        h = hs[ell]
        G = gW[ell]
        for i, di in enumerate(delta):
            if di:
                row = G[i]
                for k, hk in enumerate(h):
                    if hk:
                        row[k] += di * hk
                if gb is not None:
                    gb[ell][i] += di
        if ell == 0:
            break
        W = net.Ws[ell]
        z = zs[ell - 1]
        delta = [sum((W[i][k] * di for i, di in enumerate(delta) if di), _0) if z[k] > 0 else _0
                 for k in range(len(z))]


def _zeros(net: Deep):
    gW = [[[_0] * len(W[0]) for _ in W] for W in net.Ws]
    gb = None if net.bs is None else [[_0] * len(W) for W in net.Ws]
    return gW, gb


def _freeze(gW, gb) -> DeepGradient:
    return DeepGradient(tuple(tuple(tuple(r) for r in G) for G in gW),
                        None if gb is None else tuple(tuple(b) for b in gb))


def _check_kinks(net: Deep, X) -> None:
    bad = kinks(net, X)
    if bad:
        raise NotDifferentiableError(bad)


def gradient(net: Deep, X, Y) -> DeepGradient:
    """Exact ∇L by backpropagation (module docstring).  Raises NotDifferentiableError listing (n, ℓ, i) where a
    pre-activation is exactly 0 (ReLU is not differentiable there)."""
    return loss_and_gradient(net, X, Y)[1]


def loss_and_gradient(net: Deep, X, Y) -> tuple[Fraction, DeepGradient]:
    """(L, ∇L) from one forward pass per point (same conventions as :func:`loss` and :func:`gradient`)."""
    return evaluate(net, X, [Y])[1][0]


def evaluate(net: Deep, X, Ys) -> tuple[list[list[Fraction]], list[tuple[Fraction, DeepGradient]]]:
    """(outputs f(x_n), [(L, ∇L) for each target list in Ys]) from ONE forward pass per point: the activations do not
    depend on the targets.  Raises NotDifferentiableError as :func:`gradient`."""
    Xq = _xs(X)
    fwds = [_forward_all(net, x) for x in Xq]
    bad = [(n, ell + 1, i) for n, fw in enumerate(fwds) for ell, z in enumerate(fw[1]) for i, v in enumerate(z) if v == 0]
    if bad:
        raise NotDifferentiableError(bad)
    res = []
    for Y in Ys:
        gW, gb = _zeros(net)
        L = _0
        for fw, y in zip(fwds, _targets(Y, net.p), strict=True):
            r = [f - t for f, t in zip(fw[2], y)]
            if any(r):
                L += sum((v * v for v in r), _0)
                _backprop(net, fw, r, gW, gb)
        res.append((L / 2, _freeze(gW, gb)))
    return [fw[2] for fw in fwds], res


def is_critical(net: Deep, X, Y) -> bool:
    """∇L == 0 exactly (raises NotDifferentiableError at a kink)."""
    return gradient(net, X, Y).is_zero()


def jacobian(net: Deep, X) -> list[tuple[Fraction, ...]]:
    """Rows ∂f_k(x_n)/∂θ (flattened as :meth:`DeepGradient.flat`), one per (n, k), n-major."""
    Xq = _xs(X)
    _check_kinks(net, Xq)
    rows = []
    for x in Xq:
        for k in range(net.p):
            gW, gb = _zeros(net)
            _backprop(net, _forward_all(net, x), [Fraction(int(i == k)) for i in range(net.p)], gW, gb)
            rows.append(_freeze(gW, gb).flat())
    return rows


# ------------------------------------------------------------------------------------------------------------
# splitting (digest §2.1)

def split(net: Deep, layer: int, i: int, betas: Sequence) -> Deep:
    """Split neuron ``i`` of hidden layer ``layer`` (1-based, 1..L) into len(betas) copies (module docstring)."""
    b = [_q(v) for v in betas]
    if not b or sum(b) != 1:
        raise ValueError(f"betas must be non-empty and sum to 1 (sum = {sum(b)})")
    if not 1 <= layer <= net.depth or not 0 <= i < net.widths[layer - 1]:
        raise ValueError(f"no neuron {i} in hidden layer {layer}")
    Ws = list(net.Ws)
    Win = net.Ws[layer - 1]
    Ws[layer - 1] = Win + (Win[i],) * (len(b) - 1)
    Ws[layer] = tuple(row[:i] + (b[0] * row[i],) + row[i + 1:] + tuple(bc * row[i] for bc in b[1:])
                      for row in net.Ws[layer])
    bs = None
    if net.bs is not None:
        bs = list(net.bs)
        bs[layer - 1] = net.bs[layer - 1] + (net.bs[layer - 1][i],) * (len(b) - 1)
        bs = tuple(bs)
    return Deep(tuple(Ws), bs)


def copy_indices(net: Deep, layer: int, i: int, k: int) -> list[int]:
    """Indices in hidden layer ``layer`` of the k copies of neuron i after :func:`split`."""
    n = net.widths[layer - 1]
    return [i] + list(range(n, n + k - 1))


def split_gradient(g: DeepGradient, layer: int, i: int, betas: Sequence) -> DeepGradient:
    """The gradient identities of the module docstring as a map: the gradient that the split network must have,
    given the gradient ``g`` of the original one.  Rows of the copies in layer ``layer`` (W and b): β_c times row i;
    columns of the copies in layer ``layer``+1: column i, unscaled; everything else unchanged."""
    b = [_q(v) for v in betas]
    Ws = list(g.Ws)
    Gin = g.Ws[layer - 1]
    Ws[layer - 1] = (Gin[:i] + (tuple(b[0] * v for v in Gin[i]),) + Gin[i + 1:]
                     + tuple(tuple(bc * v for v in Gin[i]) for bc in b[1:]))
    Ws[layer] = tuple(row + (row[i],) * (len(b) - 1) for row in g.Ws[layer])
    bs = None
    if g.bs is not None:
        bs = list(g.bs)
        gb = g.bs[layer - 1]
        bs[layer - 1] = gb[:i] + (b[0] * gb[i],) + gb[i + 1:] + tuple(bc * gb[i] for bc in b[1:])
        bs = tuple(bs)
    return DeepGradient(tuple(Ws), bs)


# ------------------------------------------------------------------------------------------------------------
# an independent check of the gradient, and exact critical points with L > 0

def _masked_loss(net: Deep, masks, Xq, Yq, v: DeepGradient, t: Fraction) -> Fraction:
    """L(θ + t v) of the network with the activation pattern frozen to ``masks`` (a polynomial in t)."""
    Ws = [tuple(tuple(a + t * c for a, c in zip(r, dr)) for r, dr in zip(W, dW)) for W, dW in zip(net.Ws, v.Ws)]
    bs = None if net.bs is None else [tuple(a + t * c for a, c in zip(b, db)) for b, db in zip(net.bs, v.bs)]
    tot = _0
    for x, y, mk in zip(Xq, Yq, masks):
        h = x
        for ell in range(net.depth):
            z = _layer(Ws[ell], None if bs is None else bs[ell], h)
            h = [zi if m else _0 for zi, m in zip(z, mk[ell])]
        f = _layer(Ws[-1], None if bs is None else bs[-1], h)
        tot += sum(((a - b) ** 2 for a, b in zip(f, y)), _0)
    return tot / 2


def directional_derivative_exact(net: Deep, X, Y, v: DeepGradient) -> Fraction:
    """d/dt L(θ + t v) at t = 0, exactly, WITHOUT backpropagation.  Near t = 0 the activation pattern of θ is
    constant (no pre-activation is 0), and with the pattern frozen f is multilinear in the L+1 layers, so
    L(θ + t v) is a polynomial of degree <= 2(L+1) in t; its derivative at 0 is recovered exactly by Lagrange
    interpolation at the 2L+3 nodes t = −(L+1)..(L+1) (the frozen-pattern polynomial, evaluated anywhere)."""
    Xq = _xs(X)
    _check_kinks(net, Xq)
    Yq = _targets(Y, net.p)
    masks = [[[zi > 0 for zi in z] for z in _forward_all(net, x)[1]] for x in Xq]
    ts = [Fraction(k) for k in range(-(net.depth + 1), net.depth + 2)]
    return sum((_masked_loss(net, masks, Xq, Yq, v, t) * w for t, w in zip(ts, lagrange_derivative_weights(ts))
                if w), _0)


def design_critical_targets(net: Deep, X, coeffs, J=None) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """Digest §5 item 10 for deep networks ("inverse design"): e = Σ_i coeffs[i] · basis_i with basis a basis of
    {e ∈ Q^{N p} : J^T e = 0} (J = :func:`jacobian`), and y_n = f(x_n) − e_n.  Then ∇L(θ) = J^T e = 0 exactly and
    L = (1/2)|e|² > 0.  Returns (Y, e) with p-vectors per point; raises ValueError if e would be 0.  ``J``: the
    Jacobian if already computed."""
    Xq = _xs(X)
    J = jacobian(net, Xq) if J is None else J
    rows = [list(col) for col in zip(*J)]               # J^T: one row per parameter
    basis = nullspace(rows, len(J))
    if not basis:
        raise ValueError("trivial null space: use more data points than parameters")
    cq = [_q(c) for c in coeffs]
    flat = [sum((cq[i] * basis[i][n] for i in range(min(len(cq), len(basis)))), _0) for n in range(len(J))]
    if not any(flat):
        raise ValueError("the combination of null vectors is 0")
    p = net.p
    e = [flat[n * p:(n + 1) * p] for n in range(len(Xq))]
    Y = [[fk - ek for fk, ek in zip(forward(net, x), en)] for x, en in zip(Xq, e)]
    return Y, e
