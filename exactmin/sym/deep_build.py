"""Seeded exact data for ``sym.split`` in deep networks (depth >= 2): a random rational deep ReLU network, data on
which every parameter and every input coordinate influences f, the teacher targets (zero loss), designed targets
that make θ a critical point with L > 0 (the residual lies in the left null space of the exact Jacobian), and random
targets at which θ is not critical.  The network code itself is :mod:`exactmin.sym.deep`."""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from .deep import (Deep, _0, _backprop, _forward_all, _freeze, _zeros, design_critical_targets, is_critical, kinks,
                   make, outputs)


@dataclass(frozen=True)
class DeepSetup:
    net: Deep
    X: list[list[Fraction]]
    Y_teacher: list[list[Fraction]]      # f(X; θ): zero loss
    Y_critical: list[list[Fraction]]     # designed: θ critical with L > 0
    e: list[list[Fraction]]              # f(X; θ) − Y_critical
    Y_random: list[list[Fraction]]       # random targets: θ is not critical (checked)


def _parallel(x, y) -> bool:
    return all(x[i] * y[k] == x[k] * y[i] for i in range(len(x)) for k in range(len(x)))


def _jac_row(net: Deep, x) -> tuple[Fraction, ...]:
    gW, gb = _zeros(net)
    _backprop(net, _forward_all(net, x), [Fraction(1)], gW, gb)
    return _freeze(gW, gb).flat()


def _input_grad(net: Deep, x) -> list[Fraction]:
    """∇_x f(x) (scalar output) = W_1^T δ_1, by the same reverse pass."""
    _, zs, _ = _forward_all(net, x)
    delta = list(net.Ws[-1][0])
    for ell in range(net.depth, 0, -1):
        delta = [dk if z > 0 else _0 for dk, z in zip(delta, zs[ell - 1])]
        W = net.Ws[ell - 1]
        delta = [sum((W[i][k] * di for i, di in enumerate(delta) if di), _0) for k in range(len(W[0]))]
    return delta


def make_setup(seed: int, widths: Sequence[int], d: int, bias: bool, attempts: int = 100) -> DeepSetup:
    """A random rational deep teacher (scalar output, pairwise distinct nonzero rows in every hidden layer, nonzero
    output weights) and N = (number of parameters) + 4 rational points on which:

    * no pre-activation is exactly 0;
    * every parameter influences f on the data (no zero column of the Jacobian J), so every recorded number matters
      and every hidden neuron is active on some point (its identities are not vacuous);
    * every hidden layer has a neuron that is inactive on some point (the ReLU matters on the data);
    * at every point every entry of ∇_x f is nonzero (every coordinate of every point matters);
    * every point has x_1 > 0 (for d = 1 on the grid (1/12)Z ∩ [1/4, 8]); without biases no two points lie on one
      ray from the origin.

    Construction: a seeded pool of 3N candidate points first; the network is drawn layer by layer, each hidden neuron
    (row and bias) redrawn until it is active on between 1/4 and 3/4 of the pool (deep random ReLU layers otherwise
    tend to leave neurons dead or never-off on the data).  Then the pool is scanned in order: a candidate that makes
    a new column of J nonzero (or is the first with an inactive neuron in some layer) is kept, the others fill up
    the data set to N points.  The designed residual is a
    seeded random combination of the null-space basis of J^T (:func:`design_critical_targets`)."""
    widths = list(widths)
    if d == 1 and not bias:
        raise InputError("d = 1 needs bias=1: on data with x > 0 a bias-free neuron is active everywhere or nowhere")
    if min(widths) < 2:
        raise InputError("a hidden layer of width 1 makes f locally constant (or, without biases, gives a kink) at "
                         "every point where that neuron is off, so the data would not all matter: use width >= 2")
    rng = random.Random(f"sym-deep-setup-{seed}-{widths}-{d}-{int(bias)}")
    dims = [d] + widths + [1]
    n_par = sum(dims[ell + 1] * (dims[ell] + int(bias)) for ell in range(len(dims) - 1))
    N = n_par + 4

    def rat(lo, hi, den):
        return Fraction(rng.randint(lo, hi), rng.randint(1, den))

    def point():
        if d == 1:
            return [Fraction(rng.randint(3, 96), 12)]          # d = 1: enough distinct points in (0, 8]
        return [rat(1, 8, 3)] + [rat(-8, 8, 3) for _ in range(d - 1)]

    for _ in range(attempts):
        pool: list[list[Fraction]] = []
        for _t in range(30 * N):
            x = point()
            if not any(x == x2 or (not bias and _parallel(x, x2)) for x2 in pool):
                pool.append(x)
                if len(pool) == 3 * N:
                    break
        H = pool
        Ws, bs = [], []
        for ell in range(len(widths)):
            rows: list[list[Fraction]] = []
            brow: list[Fraction] = []
            for _t in range(200 * widths[ell]):
                if len(rows) == widths[ell]:
                    break
                r = [rat(-6, 6, 3) for _ in range(dims[ell])]
                c = rat(-3, 3, 3) if bias else _0
                if not any(r) or r in rows:
                    continue
                active = sum(1 for h in H if sum((a * v for a, v in zip(r, h) if v), c) > 0)
                if len(H) <= 4 * active <= 3 * len(H):
                    rows.append(r)
                    brow.append(c)
            if len(rows) < widths[ell]:
                break
            Ws.append(rows)
            bs.append(brow)
            H = [[max(sum((a * v for a, v in zip(r, h) if v), c), _0) for r, c in zip(rows, brow)] for h in H]
        if len(Ws) < len(widths):
            continue
        out = []
        while len(out) < widths[-1]:
            v = rat(-5, 5, 2)
            if v:
                out.append(v)
        Ws.append([out])
        bs.append([rat(-3, 3, 3)])
        net = make(Ws, bs if bias else None)
        chosen: list = []                  # (point, its row of J): the point made a new column of J nonzero
        filler: list = []
        covered = [False] * (n_par + len(widths))     # columns of J, then "layer ℓ has an inactive neuron"
        for x in pool:
            if all(covered) and len(chosen) + len(filler) >= N:
                break
            if kinks(net, [x]) or not all(_input_grad(net, x)):
                continue
            row = _jac_row(net, x)
            feats = [bool(v) for v in row] + [any(v < 0 for v in z) for z in _forward_all(net, x)[1]]
            if any(f and not c for f, c in zip(feats, covered)):
                covered = [c or f for f, c in zip(feats, covered)]
                chosen.append((x, row))
            elif len(filler) < N:
                filler.append((x, row))
        if not all(covered) or len(chosen) > N or len(chosen) + len(filler) < N:
            continue                      # some parameter does not influence f on the data: it would not matter
        X = [x for x, _ in chosen + filler[:N - len(chosen)]]
        J = [row for _, row in chosen + filler[:N - len(chosen)]]
        try:
            Yc, e = design_critical_targets(net, X, [rat(1, 9, 4) for _ in range(N)], J)
        except ValueError:
            continue
        Yr = [[rat(-9, 9, 4)] for _ in X]
        if is_critical(net, X, Yr):
            continue
        return DeepSetup(net, X, outputs(net, X), Yc, e, Yr)
    raise InputError(f"could not build a non-degenerate deep data set for seed={seed}, widths={widths}, d={d} "
                     "(some parameter or input coordinate had no influence on any candidate point): try another "
                     "seed or width")
