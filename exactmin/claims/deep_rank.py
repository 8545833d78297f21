"""Claims of the deep paper about rank preservation (2.38) and the first half of Theorem 2.3 ((2.53)-(2.56),
(4.2)-(4.5)): ``deep.eq2.38`` and ``deep.thm2.3-bound`` (arXiv:2309.10639 v4).

Both have a statement file (``exactmin_kernel/statements/deep_eq2_38.py``, ``deep_thm2_3_bound.py``); this side
finds the witness (a network: the user's ``network=<file>``, else a seeded random rational network; a W-D type
counterexample; the Thm 2.3 construction of ``deep.thm2.3``) and decides the readings with flint, from the exact
class sums and Gram matrices of the hidden outputs (no rational per point).  The kernel re-derives every verdict.

Network file (option ``network``): JSON ``{"weights": [W_1, ..., W_{L+1}], "biases": [b_1, ..., b_{L+1}]}``, the
layer parameters of the certificate's ``net`` format (matrices as lists of rows, numbers as strings "p/q" or
integers); hidden layers Q x Q (W_1 is Q x M with M = Q), the last layer is the output layer (K x Q; these claims
do not use its values).  Cumulative parameters (2.43) are not accepted: give layer parameters.
"""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
from flint import fmpq, fmpq_mat

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, SYMBOLIC, UNDECIDED
from ..errors import InputError
from ..exact.intmat import IntMat, affine
from ..exact.numbers import parse_rational
from ..nets.cost import _int_gram, class_slices, cost_squared, last_layer_lsq
from ..nets.network import Network, to_cumulative
from .base import claim
from .common import data_matrix, net_json, new_certificate, random_invertible
from .deep import PAPER, _positive_int, check_thm23

# ---------------------------------------------------------------------------------------------- networks and Grams


def _num(x, where):
    if isinstance(x, bool) or not isinstance(x, (str, int)):
        raise InputError(f"network file: {where} must be a string \"p/q\" or an integer, got {x!r}"[:160])
    return fmpq(*parse_rational(x))


def network_from_json(doc, Q: int, K: int, where: str = "network") -> Network:
    """A :class:`Network` from the ``net`` JSON format (module docstring), with exact shape checks."""
    if not isinstance(doc, dict) or set(doc) != {"weights", "biases"} or not isinstance(doc["weights"], list) \
            or not isinstance(doc["biases"], list) or not 1 <= len(doc["weights"]) == len(doc["biases"]) <= 64:
        raise InputError(f"{where}: expected {{\"weights\": [...], \"biases\": [...]}} with 1..64 matching layers")
    Ws, bs, L = [], [], len(doc["weights"]) - 1
    for i, (W, b) in enumerate(zip(doc["weights"], doc["biases"])):
        rows = Q if i < L else K
        if not isinstance(W, list) or len(W) != rows or any(not isinstance(r, list) or len(r) != Q for r in W) \
                or not isinstance(b, list) or len(b) != rows:
            raise InputError(f"{where}: layer {i + 1} must be {rows}x{Q} with a bias of length {rows}")
        Ws.append(fmpq_mat(rows, Q, [_num(x, f"{where} W_{i + 1}") for r in W for x in r]))
        bs.append(fmpq_mat(rows, 1, [_num(x, f"{where} b_{i + 1}") for x in b]))
    return Network(tuple(Ws), tuple(bs))


def load_network(path, Q: int, K: int) -> Network:
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise InputError(f"network file {str(path)[:60]!r}: {type(e).__name__}") from None
    net = network_from_json(doc, Q, K, f"network file {Path(path).name}")
    for i, W in enumerate(net.weights[:-1]):
        if W.det() == 0:
            raise InputError(f"network file: hidden W_{i + 1} is singular (tau of Def. 2.1 needs W invertible)")
    return net


def _network(inst, network, seed, L):
    """The user's network (option ``network``) or a seeded random rational one with L hidden layers."""
    if network is not None:
        return load_network(network, inst.Q, inst.Y.nrows()), "user"
    L = _positive_int("L", L, 64) if L is not None else inst.Q
    return random_network(random.Random(int(seed)), inst, L), f"random (seed {seed})"


def random_network(rng: random.Random, inst, L: int) -> Network:
    """A seeded random rational network whose hidden thresholds pass near the data: W_l random invertible (entries
    in [-2, 2] / 1/4 steps), b_l = -W_l xbar^(l-1) + rho (o_1, ..., o_Q), xbar^(l-1) the barycentre of the class
    means of the layer's input, o_i in {-2, ..., 2}/8 and rho = max_j |W_l (xbar_j^(l-1) - xbar^(l-1))|_inf.  It
    depends on the data only through class means, so it is invariant under point and class permutations and
    scales with the data (the verdicts are invariant under those symmetries, tests/test_metamorphic.py)."""
    Q, K = inst.Q, inst.Y.nrows()
    cur, Ws, bs = data_matrix(inst), [], []
    for _ in range(L):
        W = random_invertible(rng, Q)
        means = [fmpq_mat(Q, 1, [fmpq(int(v), cur.den * (sl.stop - sl.start)) for v in cur.num[:, sl].astype(object).sum(axis=1)])
                 for sl in class_slices(inst.sizes)]
        bary = sum(means[1:], means[0]) * fmpq(1, Q)
        rho = max(abs(x) for m in means for x in (W * (m - bary)).entries())
        b = -(W * bary) + fmpq_mat(Q, 1, [fmpq(rng.randint(-2, 2), 8) * rho for _ in range(Q)])
        Ws.append(W), bs.append(b)
        cur = affine(W, b, cur).relu()
    return Network(tuple(Ws + [fmpq_mat(K, Q, [fmpq(rng.randint(-8, 8), 4) for _ in range(K * Q)])]),
                   tuple(bs + [fmpq_mat(K, 1, [fmpq(rng.randint(-8, 8), 4) for _ in range(K)])]))


def _mat(n, m, f):
    return fmpq_mat(n, m, [f(i, j) for i in range(n) for j in range(m)])


def _outer_sum(vs, Q):
    return _mat(Q, Q, lambda a, b: sum((v[a] * v[b] for v in vs), fmpq(0)))


def _class_grams(Z: IntMat, sizes):
    """Per class (N_j, sum z (fmpq list), sum z z^T (fmpq_mat)) from one integer Gram per class."""
    out, q, d = [], Z.shape[0], Z.den
    for j, sl in enumerate(class_slices(sizes)):
        block = Z.num[:, sl]
        S = _int_gram(block, block)
        s = block.astype(object).sum(axis=1)
        out.append((sizes[j], [fmpq(int(s[a]), d) for a in range(q)], _mat(q, q, lambda a, b: fmpq(int(S[a, b]), d * d))))
    return out


def grams(inst, net: Network) -> dict:
    """Exact Grams (2.36 weights): A of X^(L), tau (of X^(L) - b u^T = W^(L) tau(X_0), (2.44)), X0; bar Grams;
    C = [xbar^(L)_j - b]; S the within-class Gram of X^(L); the hidden outputs H and b = b^(L)."""
    Q, X = inst.Q, data_matrix(inst)
    L = net.L
    H = net.forward_hidden(X)[-1] if L else X
    b = [to_cumulative(net)[1][L - 1][i, 0] for i in range(Q)] if L else [fmpq(0)] * Q
    st, st0 = _class_grams(H, inst.sizes), _class_grams(X, inst.sizes)
    hb = [[x / n for x in s] for n, s, _ in st]
    means = [[x / n for x in s] for n, s, _ in st0]
    A = sum((S * fmpq(1, n) for n, _, S in st[1:]), st[0][2] * fmpq(1, st[0][0]))
    hs = [sum((h[a] for h in hb), fmpq(0)) for a in range(Q)]
    bb = fmpq_mat(Q, 1, b)
    hsm = fmpq_mat(Q, 1, hs)
    tau = A - hsm * bb.transpose() - bb * hsm.transpose() + bb * bb.transpose() * Q
    cols = [[h[a] - b[a] for a in range(Q)] for h in hb]
    C = _mat(Q, Q, lambda a, j: cols[j][a])
    S = A - _outer_sum(hb, Q)
    X0g = sum((S0 * fmpq(1, n) for n, _, S0 in st0[1:]), st0[0][2] * fmpq(1, st0[0][0]))
    return dict(H=H, X=X, b=b, hb=hb, A=A, XLbar=_outer_sum(hb, Q), tau=tau, taubar=_outer_sum(cols, Q), C=C,
                S=S, X0=X0g, X0bar=_outer_sum(means, Q))


def _ranks(g) -> dict:
    return {k: g[k].rank() for k in ("X0", "tau", "X0bar", "taubar", "A", "XLbar")}


def _preserving(r) -> bool:
    return r["tau"] == r["X0"] and r["taubar"] == r["X0bar"]


def _rank_text(r) -> str:
    return (f"rank X_0 = {r['X0']}, rank tau(X_0) = {r['tau']}, rank bar X_0 = {r['X0bar']}, rank bar tau(X_0) = "
            f"{r['taubar']}, rank X^(L) = {r['A']}, rank bar X^(L) = {r['XLbar']}")


def counterexample(inst, L: int) -> Network | None:
    """A W-D type network on any instance with Q >= 2 (docs/claims/deep_statements.md, Plan P3): W_1 = I + (p - d)
    d^T/|d|^2 maps d = xbar_1 - xbar_2 to p > 0 (<d, p> != 0), b_1 = -W_1 xbar_2 + T p with T so large that every
    pre-activation is > 0.  Then tau(X_0) = X_0 (rank preserving) while the translated means W_1 xbar_1 + b_1 =
    (1 + T) p and W_1 xbar_2 + b_1 = T p are parallel, so rank bar X^(L) < Q.  Extra layers are identities.
    xbar_1, xbar_2 are the two lexicographically smallest class means (independent of the class order)."""
    Q, X = inst.Q, data_matrix(inst)
    if Q < 2:
        return None
    m = sorted([[fmpq(int(v), X.den * (s.stop - s.start)) for v in X.num[:, s].astype(object).sum(axis=1)]
                for s in class_slices(inst.sizes)])[:2]          # exact lexicographic order: class-order free
    d = [a - c for a, c in zip(m[0], m[1])]
    dd = sum((x * x for x in d), fmpq(0))
    if dd == 0:
        return None
    k = next(i for i in range(Q) if d[i])
    p = [fmpq(1)] * Q
    if sum(d, fmpq(0)) == 0:
        p[k] += 1
    W = _mat(Q, Q, lambda i, j: fmpq(int(i == j)) + (p[i] - d[i]) * d[j] / dd)
    if W.det() == 0:
        return None
    z = affine(W, -(W * fmpq_mat(Q, 1, m[1])), X)
    worst = max(fmpq(-int(z.num[i].astype(object).min()), z.den) / p[i] for i in range(Q))
    T = int(worst.floor()) + 1 if worst >= 0 else 1
    b = -(W * fmpq_mat(Q, 1, m[1])) + fmpq_mat(Q, 1, p) * T
    eye = _mat(Q, Q, lambda i, j: fmpq(int(i == j)))
    K = inst.Y.nrows()
    return Network(tuple([W] + [eye] * (L - 1) + [fmpq_mat(K, Q)]),
                   tuple([b] + [fmpq_mat(Q, 1)] * (L - 1) + [fmpq_mat(K, 1)]))


# -------------------------------------------------------------------------------------------------- deep.eq2.38

_NET_OPTS = (("network", None, "JSON file of a hidden network (layer parameters, net format; default: random)"),
             ("seed", 0, "seed of the random rational network"), ("L", None, "hidden layers of the random network (default Q)"))


@claim(id="deep.eq2.38", paper=PAPER, ref="(2.38), Theorem 2.3 hypothesis",
       title="Rank preservation of the truncation map and the rank of X^(L)",
       statement=r"\operatorname{rank}\tau(X_0)=\operatorname{rank}X_0,\ \operatorname{rank}\overline{\tau(X_0)}="
                 r"\operatorname{rank}\overline{X_0}\ \Rightarrow\ \operatorname{rank}\overline{X^{(L)}}="
                 r"\operatorname{rank}X^{(L)}=Q",
       hypotheses=("M = Q", "hidden W_ell invertible"),
       readings=(("rank-preserving", "(2.38) for the network: rank tau(X_0) = rank X_0 and rank bar tau(X_0) = rank bar X_0"),
                 ("implies-rank-XL", "Thm 2.3 hypothesis: rank preserving and rank X_0 = Q imply rank X^(L) = rank "
                                     "bar X^(L) = Q (refuted by a counterexample network, W-D; never proved)"),
                 ("construction", "the Thm 2.3 network (deep.thm2.3 construction at its certified mu, rational "
                                  "realisation, L = Q) is rank preserving"),
                 ("construction-rank-XL", "rank X^(L) = rank bar X^(L) = Q for the Thm 2.3 network")),
       values=(("rank_X0", "rank X_0"), ("rank_bar_X0", "rank bar X_0"),
               ("rank_tau[net=<n>]", "rank tau(X_0) for network n (network, counterexample, construction)"),
               ("rank_bar_tau[net=<n>]", "rank bar tau(X_0)"), ("rank_XL[net=<n>]", "rank X^(L)"),
               ("rank_bar_XL[net=<n>]", "rank bar X^(L)"), ("L", "hidden layers of the network"),
               ("mu", "the construction's mu (deep.thm2.3)")),
       options=_NET_OPTS + (("mu", None, "mu of the Thm 2.3 construction (default: deep.thm2.3's certified mu)"),))
def check_eq238(inst, network=None, seed=0, L=None, mu=None, **_):
    cert = new_certificate("deep.eq2.38", inst)
    names = ("rank-preserving", "implies-rank-XL", "construction", "construction-rank-XL")
    if inst.M != inst.Q:
        for r in names:
            cert.add_reading(r, HYPOTHESES_FAIL, f"needs input dimension M = Q (M = {inst.M}, Q = {inst.Q})")
        return cert
    Q = inst.Q
    net, origin = _network(inst, network, seed, L)
    r = _ranks(grams(inst, net))
    cert.witness = {"network": net_json(net)}
    for k, name in (("tau", "rank_tau"), ("taubar", "rank_bar_tau"), ("A", "rank_XL"), ("XLbar", "rank_bar_XL")):
        cert.set_value(f"{name}[net=network]", r[k])
    cert.set_value("rank_X0", r["X0"]), cert.set_value("rank_bar_X0", r["X0bar"]), cert.set_value("L", net.L)
    cert.add_reading("rank-preserving", PROVED if _preserving(r) else REFUTED, f"{origin} network: {_rank_text(r)}")
    # implies-rank-XL: a counterexample (the user's network when it is one, else the W-D recipe)
    if r["X0"] != Q:
        cert.add_reading("implies-rank-XL", HYPOTHESES_FAIL, f"rank X_0 = {r['X0']} < Q = {Q}")
    else:
        cands = [(net, r, origin)] if _preserving(r) and min(r["A"], r["XLbar"]) < Q else []
        ce = counterexample(inst, net.L or 1) if not cands else None
        if ce is not None:
            rc = _ranks(grams(inst, ce))
            if _preserving(rc) and min(rc["A"], rc["XLbar"]) < Q:
                cands.append((ce, rc, "W-D type"))
        if cands:
            n, rc, o = cands[0]
            cert.witness["counterexample"] = net_json(n)
            for k, name in (("tau", "rank_tau"), ("taubar", "rank_bar_tau"), ("A", "rank_XL"), ("XLbar", "rank_bar_XL")):
                cert.set_value(f"{name}[net=counterexample]", rc[k])
            cert.add_reading("implies-rank-XL", REFUTED, f"{o} network is rank preserving with rank X_0 = Q = {Q}, "
                                                         f"yet rank X^(L) = {rc['A']}, rank bar X^(L) = {rc['XLbar']}")
        else:
            cert.add_reading("implies-rank-XL", UNDECIDED, "no counterexample network found (one network does not "
                                                           "prove a statement about every network)")
    # the Thm 2.3 construction (deep.thm2.3 at its certified mu, rational realisation, L = Q)
    c23 = check_thm23(inst, mu=mu)
    v23 = c23.readings["L=Q"]["verdict"]
    if v23 in (HYPOTHESES_FAIL, UNDECIDED) or not c23.witness:
        why = f"deep.thm2.3 (L=Q) is {v23}: {c23.readings['L=Q']['reason']}"
        for name in names[2:]:
            cert.add_reading(name, v23 if v23 in (HYPOTHESES_FAIL, UNDECIDED) else UNDECIDED, why)
        if v23 == HYPOTHESES_FAIL and c23.witness:        # mu exactly outside I_0: the kernel reads the premise
            cert.witness["construction"] = _construction(c23)
        return cert
    cert.witness["construction"] = _construction(c23)
    cnet = network_from_json(c23.witness["networks"]["L=Q"], Q, inst.Y.nrows())
    rc = _ranks(grams(inst, cnet))
    cert.set_value("mu", c23.values["mu"])
    for k, name in (("tau", "rank_tau"), ("taubar", "rank_bar_tau"), ("A", "rank_XL"), ("XLbar", "rank_bar_XL")):
        cert.set_value(f"{name}[net=construction]", rc[k])
    tag = f"Thm 2.3 construction at mu = {c23.witness['mu']} (rational realisation, tol = {c23.witness['tol']})"
    cert.add_reading("construction", PROVED if _preserving(rc) else REFUTED, f"{tag}: {_rank_text(rc)}")
    ok = rc["A"] == Q and rc["XLbar"] == Q
    cert.add_reading("construction-rank-XL", PROVED if ok else REFUTED,
                     f"{tag}: rank X^(L) = {rc['A']}, rank bar X^(L) = {rc['XLbar']}" + ("" if ok else f" < Q = {Q}"))
    return cert


def _construction(c23) -> dict:
    w = c23.witness
    return dict({k: w[k] for k in ("lambda", "mu", "tol", "u_tilde", "f_tilde", "R")}, network=w["networks"]["L=Q"])


# -------------------------------------------------------------------------------------------- deep.thm2.3-bound

_BOUND = ("P-projector", "P-range-X0", "min-output/zero-b_{L+1}", "min-output/free-bias",
          "projection=formula/P-from-XL", "projection=formula/P-from-tau", "bound-C0=0",
          "P-projector/symbolic", "projection=formula/P-from-tau/symbolic", "cost-norm/symbolic")
_DELTA = ("projection=formula/P-from-XL", "projection=formula/P-from-tau", "bound-C0=0",
          "projection=formula/P-from-tau/symbolic")


def _cost_forms(inst, net: Network) -> tuple[fmpq, fmpq]:
    """(2.36) at the network's outputs: (C_N^2 per point, nets/cost.py; the moment form sum_j N_j^-1 (sum_i |x|^2 -
    2 y_j.s_j) + Tr(Y Y^T) of the least squares)."""
    out, Y = net.forward(data_matrix(inst)), inst.Y
    moment = fmpq(0)
    for j, sl in enumerate(class_slices(inst.sizes)):
        blk, n = out.num[:, sl].astype(object), sl.stop - sl.start
        s = blk.sum(axis=1)
        y = [Y[r, j] for r in range(Y.nrows())]
        moment += (fmpq(int((blk * blk).sum()), out.den ** 2)
                   - 2 * sum((y[r] * fmpq(int(s[r]), out.den) for r in range(len(y))), fmpq(0))) / n \
            + sum((v * v for v in y), fmpq(0))
    return cost_squared(out, Y, inst.sizes), moment


def _symbolic(cert, name: str, base: str | None, proof: str, dim: tuple, what: str, recheck: bool | None = None) -> None:
    """The reading ``name`` (provenance ``symbolic``): the SymPy proof of exactmin/exact/symbolic.py for dimension
    ``dim`` = (value, label), beside the exact instance re-check (the reading ``base``'s verdict, or ``recheck``)."""
    from ..exact.symbolic import symbolic_verdict
    v, why = symbolic_verdict(proof, *dim, what)
    ok = cert.readings[base]["verdict"] == PROVED if base else recheck
    if v == PROVED and not ok:
        v, why = UNDECIDED, f"the exact instance re-check ({base or 'the two forms'}) failed; " + why
    cert.add_reading(name, v, why)
    if v == PROVED:
        cert.readings[name]["provenance"] = SYMBOLIC


def _tr(M) -> fmpq:
    return sum((M[i, i] for i in range(M.nrows())), fmpq(0))


def _projection(Y, G, R) -> fmpq:
    """|Y^ext P^perp|^2_N = Tr(Y Y^T) - Tr(R G^-1 R^T) for P = N^-1 Z^T G^-1 Z (P^T an N-orthogonal projector)."""
    return _tr(Y * Y.transpose()) - _tr(R * G.inv() * R.transpose())


def _delta_p_squared(g, Ci, sizes) -> fmpq:
    """(2.56): max over points of |C^-1 (h - xbar^(L)_j)|^2 = |bar tau^red^-1 Delta tau(x)|^2 (W^(L) cancels), with
    one integer matrix product per class: C^-1 = Cn / den, h - xbar_j = (N_j h_num - sum_num) / (H.den N_j)."""
    H, Q = g["H"], Ci.nrows()
    den = math.lcm(*(int(Ci[i, j].q) for i in range(Q) for j in range(Q)))
    Cn = np.array([[int(Ci[i, j] * den) for j in range(Q)] for i in range(Q)], dtype=object)
    best = fmpq(0)
    for sl in class_slices(sizes):
        block, nj = H.num[:, sl].astype(object), sl.stop - sl.start
        dev = Cn.dot(block * nj - block.sum(axis=1).reshape(-1, 1))
        best = max(best, fmpq(int((dev * dev).sum(axis=0).max()), (den * H.den * nj) ** 2))
    return best


@claim(id="deep.thm2.3-bound", paper=PAPER, ref="Theorem 2.3 first half, (2.53)–(2.56), (4.2)–(4.5)",
       title="Projection P, output-layer minimum and the Delta bound of Theorem 2.3",
       statement=r"\min_{W_{L+1},b_{L+1}}C_{\mathcal N}=\|Y^{ext}P^\perp\|_{L^2_{\mathcal N}}="
                 r"\|Y|\Delta_2|^{1/2}(1+\Delta_2)^{-1/2}\|_{L^2}\le(1-C_0\delta_P^2)\|Y\Delta_1\|_{L^2_{\mathcal N}}",
       hypotheses=("M = Q", "hidden W_ell invertible", "rank X^(L) = Q",
                   "Delta readings: rank tau(X_0) = Q and bar tau(X_0)^red in GL(Q)"),
       readings=(("P-projector", "(2.53): P^2 = P and P N^-1 = N^-1 P^T (exact, factored through X^(L))"),
                 ("P-range-X0", "(4.2): range P^T = rowspace X^(L) equals rowspace X_0"),
                 ("min-output/zero-b_{L+1}", "(2.54) line 1 pointwise with b_{L+1} = 0: min_W |W X^(L) - Y^ext|^2_N = |Y^ext P^perp|^2"),
                 ("min-output/free-bias", "(2.54) line 1 pointwise as (4.3) uses it: free-bias LS minimum = |Y^ext P^perp|^2 (W-E refutes)"),
                 ("projection=formula/P-from-XL", "(2.54) line 2 with P from X^(L) (2.53): |Y^ext P^perp|^2 = Tr(Y D2 (1+D2)^-1 Y^T)"),
                 ("projection=formula/P-from-tau", "(2.54) line 2 with P built from tau(X_0)"),
                 ("bound-C0=0", "(2.54) line 3 with C_0 = 0: Tr(Y D2 (1+D2)^-1 Y^T) <= |Y Delta_1|^2_N"),
                 ("P-projector/symbolic", "(2.53) for ALL X, N: SymPy proof for generic entries (Q <= 4, every N_j) "
                  "beside the exact P-projector check"),
                 ("projection=formula/P-from-tau/symbolic", "(2.54) line 2, P from tau(X_0), for ALL inputs: SymPy proof "
                  "(max(Q, K) <= 3, every N_j) beside the exact check"),
                 ("cost-norm/symbolic", "(2.36): C_N^2 = |X^(L+1) - Y^ext|^2_{L^2_N} (and its moment form) for ALL "
                  "outputs: SymPy proof (K <= 6, every N_j) beside the exact check at the network's outputs")),
       values=(("rank_XL", "rank X^(L)"), ("projection_XL", "|Y^ext P^perp|^2 with P from X^(L) (2.53)"),
               ("projection_tau", "|Y^ext P^perp|^2 with P from tau(X_0)"),
               ("ls_zero_bias_cost_squared", "min over W_{L+1} with b_{L+1} = 0 (nets/cost.py least squares)"),
               ("ls_free_bias_cost_squared", "min over W_{L+1}, b_{L+1}"),
               ("formula", "Tr(Y Delta_2 (1 + Delta_2)^-1 Y^T) (2.54), Delta from (2.55)"),
               ("norm_Y_Delta1_squared", "|Y Delta_1|^2_N = Tr(Y Delta_2 Y^T)"),
               ("delta_P_squared", "delta_P^2 (2.56), exact"), ("L", "hidden layers of the network")),
       options=_NET_OPTS)
def check_thm23_bound(inst, network=None, seed=0, L=None, **_):
    cert = new_certificate("deep.thm2.3-bound", inst)
    if inst.M != inst.Q:
        for r in _BOUND:
            cert.add_reading(r, HYPOTHESES_FAIL, f"needs input dimension M = Q (M = {inst.M}, Q = {inst.Q})")
        return cert
    Q, Y = inst.Q, inst.Y
    net, origin = _network(inst, network, seed, L)
    cert.witness = {"network": net_json(net)}
    g = grams(inst, net)
    cert.set_value("L", net.L)
    rank_xl = g["A"].rank()
    cert.set_value("rank_XL", rank_xl)
    if any(W.det() == 0 for W in net.weights[:-1]):
        for r in _BOUND:
            cert.add_reading(r, HYPOTHESES_FAIL, f"{origin} network: a hidden W_l is singular")
        return cert
    if rank_xl < Q:
        for r in _BOUND:
            cert.add_reading(r, HYPOTHESES_FAIL, f"{origin} network: rank X^(L) = {rank_xl} < Q = {Q}, so "
                                                 "X^(L) N^-1 X^(L)T is singular and P (2.53) is undefined")
        return cert
    A = g["A"]
    B = A.inv()
    ok = B == B.transpose() and B * A * B == B
    cert.add_reading("P-projector", PROVED if ok else REFUTED, "B = (X^(L) N^-1 X^(L)T)^-1 is symmetric and B A B = B: "
                     "P^2 = P and P N^-1 = N^-1 P^T")
    K = Y.nrows()
    _symbolic(cert, "P-projector/symbolic", "P-projector", "P-projector", (Q, "Q"),
              "P^2 = P, P N^-1 = N^-1 P^T, P^T X^T = X^T and (AP, B) = (A, BP) for every X with X N^-1 X^T invertible")
    direct, moment = _cost_forms(inst, net)
    _symbolic(cert, "cost-norm/symbolic", None, "cost-norm", (K, "K"),
              f"(2.36) sum_j N_j^-1 sum_i |x_ji - y_j|^2 = |X - Y^ext|^2_(L2_N) = the moment form for every X "
              f"(here C_N^2 = {direct})", recheck=direct == moment)
    Xs = IntMat(np.vstack([g["H"].num.astype(object) * g["X"].den, g["X"].num.astype(object) * g["H"].den]),
                g["H"].den * g["X"].den)
    rs = fmpq_mat([[int(x) for x in row] for row in _int_gram(Xs.num, Xs.num)]).rank()
    r0 = g["X0"].rank()
    same = rs == Q and r0 == Q
    cert.add_reading("P-range-X0", PROVED if same else REFUTED,
                     f"rank [X^(L); X_0] = {rs}, rank X_0 = {r0}, rank X^(L) = {Q}: the row spaces "
                     + ("agree" if same else "differ, so P^T does not project onto span X_0^T"))
    hb = fmpq_mat([[h[a] for h in g["hb"]] for a in range(Q)])
    R = Y * hb.transpose()
    proj = _projection(Y, A, R)
    lz = last_layer_lsq(g["H"], Y, inst.sizes, free_bias=False).value
    lf = last_layer_lsq(g["H"], Y, inst.sizes, free_bias=True).value
    cert.set_value("projection_XL", proj), cert.set_value("ls_zero_bias_cost_squared", lz)
    cert.set_value("ls_free_bias_cost_squared", lf)
    for name, v, what in (("min-output/zero-b_{L+1}", lz, "zero-bias"), ("min-output/free-bias", lf, "free-bias")):
        cert.add_reading(name, PROVED if v == proj else REFUTED,
                         f"{what} least-squares minimum {v} {'=' if v == proj else '!='} |Y^ext P^perp|^2 = {proj}")
    if g["tau"].rank() < Q or g["C"].det() == 0:
        why = (f"rank tau(X_0) = {g['tau'].rank()}" if g["tau"].rank() < Q else "bar tau(X_0)^red is singular") + \
            f" ({origin} network): Delta_1 (2.55) is undefined"
        for r in _DELTA:
            cert.add_reading(r, HYPOTHESES_FAIL, why)
        return cert
    Ci = g["C"].inv()
    D2 = Ci * g["S"] * Ci.transpose()
    one = fmpq_mat(Q, Q, [fmpq(int(i == j)) for i in range(Q) for j in range(Q)])
    V = _tr(Y * D2 * (one + D2).inv() * Y.transpose())
    nrm = _tr(Y * D2 * Y.transpose())
    ptau = _projection(Y, g["tau"], Y * g["C"].transpose())
    cert.set_value("formula", V), cert.set_value("norm_Y_Delta1_squared", nrm), cert.set_value("projection_tau", ptau)
    cert.set_value("delta_P_squared", _delta_p_squared(g, Ci, inst.sizes))
    for name, p in (("projection=formula/P-from-XL", proj), ("projection=formula/P-from-tau", ptau)):
        cert.add_reading(name, PROVED if p == V else REFUTED,
                         f"|Y^ext P^perp|^2 = {p} {'=' if p == V else '!='} Tr(Y D2 (1+D2)^-1 Y^T) = {V}")
    cert.add_reading("bound-C0=0", PROVED if V <= nrm else REFUTED,
                     f"Tr(Y D2 (1+D2)^-1 Y^T) = {V} {'<=' if V <= nrm else '>'} |Y Delta_1|^2_N = {nrm}")
    _symbolic(cert, "projection=formula/P-from-tau/symbolic", "projection=formula/P-from-tau", "P-from-tau",
              (max(Q, K), "max(Q, K)"), "|Y^ext P^perp|^2_N = Tr(Y D2 (1+D2)^-1 Y^T) with P from tau(X_0), for every tau(X_0) with "
              "bar tau(X_0)^red and T N^-1 T^T invertible")
    return cert
