"""Seeded exact data for the instance-free claims ``sym.split`` and ``sym.zero-type``.

A random irreducible rational two-layer ReLU teacher θ (pairwise distinct incoming vectors, nonzero outgoing
weights, optional biases) and a finite rational data set X on which:

* no pre-activation is exactly 0 (the loss is differentiable at θ and at every split of θ),
* every neuron is active on some points and inactive on others, and every point activates some neuron (the
  identities are not vacuous and every number of the witness matters),
* without biases no two points lie on one ray from the origin, and the designed residual e is a random combination of a
  null-space basis (a basis vector can be supported on a few points that no neuron separates),
* every point has a positive first coordinate, so that w = (-1, 0, ..., 0) (bias 0) is inactive on all data
  (a "dead" ReLU neuron; used by ``sym.zero-type``),
* there are more points than parameters, so that a critical point with positive loss can be designed exactly
  (digest §5 item 10, :func:`exactmin.sym.twolayer.design_critical_targets`).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InputError
from . import twolayer as tl

__all__ = ["Setup", "betas_for", "generic_zero_w", "make_setup"]


@dataclass(frozen=True)
class Setup:
    theta: tl.TwoLayer
    X: list[list[Fraction]]
    Y_teacher: list[Fraction]        # f(X; θ): zero loss
    Y_critical: list[Fraction]       # designed: θ critical with L > 0
    e: list[Fraction]                # f(X; θ) − Y_critical
    Y_random: list[Fraction]         # random targets: θ is (generically) not critical


def _nonzero(rng: random.Random, lo: int, hi: int, den: int) -> Fraction:
    while True:
        v = Fraction(rng.randint(lo, hi), rng.randint(1, den))
        if v:
            return v


def _parallel(x, y) -> bool:
    """x and y on one ray from the origin (then no bias-free neuron separates them)."""
    return all(x[i] * y[k] == x[k] * y[i] for i in range(len(x)) for k in range(len(x)))


def make_setup(seed: int, width: int, d: int, bias: bool, attempts: int = 200) -> Setup:
    if d == 1 and not bias:
        raise InputError("d = 1 needs bias=1: on data with x > 0 a bias-free neuron is active everywhere or nowhere")
    rng = random.Random(f"sym-setup-{seed}-{width}-{d}-{int(bias)}")
    nparam = width * (d + 1 + int(bias))
    N = nparam + 4
    for _ in range(attempts):
        W = []
        while len(W) < width:
            w = [Fraction(rng.randint(-6, 6), rng.randint(1, 3)) for _ in range(d)]
            if any(w) and w not in W:
                W.append(w)
        a = [_nonzero(rng, -5, 5, 2) for _ in range(width)]
        c = [Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(width)] if bias else None
        th = tl.make(W, a, c)
        X, tries = [], 0
        while len(X) < N and tries < 50 * N:
            tries += 1
            x = [Fraction(rng.randint(1, 8), rng.randint(1, 3))] + \
                [Fraction(rng.randint(-8, 8), rng.randint(1, 3)) for _ in range(d - 1)]
            if x not in X and not tl.kinks(th, [x]) and (bias or not any(_parallel(x, x2) for x2 in X)):
                X.append(x)
        if len(X) < N:
            continue
        act = [[tl._pre(th, x, j) > 0 for x in X] for j in range(width)]
        if not all(any(r) and not all(r) for r in act) or not all(any(col) for col in zip(*act)):
            continue
        try:
            Yc, e = tl.design_critical_targets(th, X, coeffs=[Fraction(rng.randint(1, 9), rng.randint(1, 4))
                                                             for _ in range(N)])
        except ValueError:
            continue
        Yt = tl.outputs(th, X)
        Yr = [Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in X]
        if tl.is_critical(th, X, Yr):
            continue
        return Setup(th, X, Yt, Yc, e, Yr)
    raise InputError(f"could not build a non-degenerate data set for seed={seed}, width={width}, d={d}")


def betas_for(k: int, seed: int) -> list[list[Fraction]]:
    """Split coefficients, each summing to 1: the k vertices e_1..e_k (degenerate splits like (1, 0, 0); they are
    affinely independent and span the whole (k-1)-dimensional β-hyperplane), a non-convex one
    (2, -1/(k-1), ...), the uniform one and a seeded random rational one."""
    out = [[Fraction(int(i == c)) for i in range(k)] for c in range(k)]
    out.append([Fraction(2)] + [Fraction(-1, k - 1)] * (k - 1))
    out.append([Fraction(1, k)] * k)
    rng = random.Random(f"sym-betas-{seed}-{k}")
    b = [Fraction(rng.randint(-9, 9), rng.randint(1, 7)) for _ in range(k - 1)]
    out.append(b + [1 - sum(b, Fraction(0))])
    return out


def generic_zero_w(th: tl.TwoLayer, X, e) -> tuple[list[Fraction], Fraction | None]:
    """A small incoming vector w (and bias c if the network has biases, else None) with no kink on X and
    Σ_n e_n σ(w·x_n + c) ≠ 0: a zero-type neuron with it breaks criticality at the designed critical point
    (digest §2.2)."""
    from itertools import product
    biases = [None] if th.c is None else [Fraction(k, 2) for k in range(-6, 7)]
    for c in biases:
        for w in product(range(-3, 4), repeat=th.d):
            wq = [Fraction(v) for v in w]
            pre = [sum((a * b for a, b in zip(wq, x)), Fraction(0)) + (c or 0) for x in X]
            if any(z == 0 for z in pre):
                continue
            g = sum((en * z for en, z in zip(e, pre) if z > 0), Fraction(0))
            if g != 0:
                return wq, c
    raise InputError("no generic zero-type incoming vector found in the search box")
