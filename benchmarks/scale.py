"""Certified deep.thm2.3 against an uncertified float64 forward pass of the same network.

Usage: python benchmarks/scale.py [--q 3 8] [--n 1000 10000]   (n = total points; per class = n // Q)
Prints, per (Q, N): float64 forward+cost seconds, certified check seconds, their ratio, and peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import time
from fractions import Fraction

import numpy as np

from exactmin.claims import base
from exactmin.data.generate import generate_deep


def float_pass(net_json: dict, X: np.ndarray, Y: np.ndarray, sizes) -> float:
    Ws = [np.array([[float(Fraction(v)) for v in row] for row in W]) for W in net_json["weights"]]
    bs = [np.array([float(Fraction(v)) for v in b]).reshape(-1, 1) for b in net_json["biases"]]
    t0 = time.perf_counter()
    H = X
    for W, b in zip(Ws[:-1], bs[:-1]):
        H = np.maximum(W @ H + b, 0.0)
    out = Ws[-1] @ H + bs[-1]
    cost, start = 0.0, 0
    for j, n in enumerate(sizes):
        cost += float(((out[:, start:start + n] - Y[:, j:j + 1]) ** 2).sum()) / n
        start += n
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--q", type=int, nargs="+", default=[3, 8])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    check = base.get("deep.thm2.3").check
    print(f"{'Q':>3} {'N':>8} {'float64 s':>10} {'certified s':>12} {'ratio':>9} {'peak RSS MB':>12}  verdict")
    for Q in args.q:
        for n in args.n:
            inst = generate_deep(Q, max(n // Q, 2), seed=0)
            t0 = time.perf_counter()
            cert = check(inst)
            t_exact = time.perf_counter() - t0
            X = inst.X0_num.astype(float) / inst.X0_den
            Y = np.array([[float(Fraction(str(inst.Y[i, j]))) for j in range(inst.Q)] for i in range(inst.Y.nrows())])
            t_float = min(float_pass(cert.witness["networks"]["L=Q"], X, Y, inst.sizes) for _ in range(3))
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{Q:>3} {inst.N:>8} {t_float:>10.4f} {t_exact:>12.3f} {t_exact / t_float:>9.0f} {rss:>12.0f}  "
                  f"{cert.verdict}")


if __name__ == "__main__":
    main()
