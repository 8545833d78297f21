"""deep.thm2.5 witnesses (format 2, shared layers) as explicit networks, in plain Fractions, for the tests that
re-check the statement's pattern induction against per-point forward passes (exactmin_kernel/statements/
deep_thm2_5.py: the network of configuration s at mu_i has cumulative maps W^(l) = W_* R_l, b^(l) = -W^(l) p_l,
p_l = xbar_l - m_l f~_l, and the cumulative output map (A, c))."""
from __future__ import annotations

import sys
from fractions import Fraction as F
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.campaign.reference import inverse, matmul  # noqa: E402  (the independent Fraction reference)


def _mv(A, x):
    return [r[0] for r in matmul(A, [[v] for v in x])]


def apexes(w, means, s, i, moved=None):
    """p_l of configuration s at mu_(i+1) (``moved``: a descent's listed apexes instead)."""
    if moved is not None:
        return [[F(x) for x in p] for p in moved]
    con = w["constructions"][i]
    mu = F(w["mu_collapse" if i == 0 else "mu_collapse_2"])
    mp = F(w["mu_identity"])
    return [[m - (mu if b == 0 else mp) * F(f) for m, f in zip(means[l], con["f_tilde"][l])] for l, b in enumerate(s)]


def network(w, means, s, i, A, c, moved=None):
    """(weights, biases) of the actual layers: W_1 = W^(1), W_l = W^(l) (W^(l-1))^-1, b_l = b^(l) - W_l b^(l-1)."""
    con, lam = w["constructions"][i], F(w["lambda"])
    Q = len(s)
    Ws = [[(1 - lam) / Q + (lam if a == b else 0) for b in range(Q)] for a in range(Q)]
    p = apexes(w, means, s, i, moved)
    Wc = [matmul(Ws, [[F(x) for x in r] for r in R]) for R in con["R"]]
    bc = [[-v for v in _mv(W, q)] for W, q in zip(Wc, p)]
    Wc.append([[F(x) for x in r] for r in A])
    bc.append([F(x) for x in c])
    weights, biases = [Wc[0]], [bc[0]]
    for l in range(1, Q + 1):
        Wl = matmul(Wc[l], inverse(Wc[l - 1]))
        weights.append(Wl)
        biases.append([x - y for x, y in zip(bc[l], _mv(Wl, bc[l - 1]))])
    return weights, biases


def run(net, x):
    """(hidden pre-activations, output) of one point, exactly."""
    pre = []
    for k, (W, b) in enumerate(zip(*net)):
        z = [v + e for v, e in zip(_mv(W, x), b)]
        if k < len(net[0]) - 1:
            pre.append(z)
            x = [max(v, F(0)) for v in z]
        else:
            x = z
    return pre, x


def outputs(w, means, s, i, key, classes, moved=None):
    """Per class the (pre-activations, output) of every point for output layer ``key`` (zero, zero_mu2, free)."""
    e = w["configurations"][_index(s)]
    A, c = (e["free"]["A"], e["free"]["c"]) if key == "free" else (e[key], ["0"] * len(e[key]))
    net = network(w, means, s, i, A, c, moved)
    return [[run(net, x) for x in cl] for cl in classes]


def cost(outs, Y):
    """sum_j N_j^-1 sum_i |o - y_j|^2 (the cost (2.36) squared); Y: columns y_j."""
    return sum((sum((sum(((o - y) ** 2 for o, y in zip(out, [r[j] for r in Y])), F(0)) for _, out in cl), F(0)) / len(cl)
                for j, cl in enumerate(outs)), F(0))


def _index(s):
    return int("".join(map(str, s)), 2) - 1
