"""flow.equilibria-rank-loss (arXiv:2311.15487, reconstruction in docs/claims/flow.md): an equilibrium
D^T grad_x C = 0 with C > 0 has rank D < QN, and the equilibria near it form a manifold of dimension K - rank D > 0.

Witness: three networks (flow_common) and kappa.  identity-regime / lsq-features: a constructed equilibrium with
rescaling factors lambdas.  Premise: C > 0 (tested at a strict point; without one the reading is undecided).
Conclusion: theta strict, grad C = kappa D^T (x - y) = 0, rank D = rank D D^T < QN (Rank judgment), one pattern at
every point, rank D = Q rank[(p, 1)] (the maximum on the region: so the equilibria near theta are a manifold of
dimension K - rank D > 0), and the rescaling of hidden neuron (1, 1) (incoming row and bias times lambda, outgoing
column over lambda; lambda > 0, != 1) keeps the pattern, C and grad C = 0.  Refuted by a strict equilibrium with
C > 0 and det D D^T != 0.
full-rank: premises theta strict, rank D = QN; conclusion |grad C|^2 > 0 when C > 0 (D^T injective); refuted by
C > 0 = |grad C|^2.
"""
from fractions import Fraction as F

from ..interp import det
from ..obligations import Eq, Le, NonZero, Pos
from .flow_common import NET, evaluate, grad, gram, jacobian, margin, nparams, rank, residual, setting

CLAIM, READINGS = "flow.equilibria-rank-loss", ("identity-regime", "lsq-features", "full-rank")
EQ = ("record", {**NET, "lambdas": ("vec", 2)})
SCHEMA = {"kappa": "rat", "identity": EQ, "lsq": EQ, "full_rank": ("record", NET)}
KEY = {"identity-regime": "identity", "lsq-features": "lsq", "full-rank": "full_rank"}


def hypotheses(I):
    return iter(())


def point(I, w, reading):
    """(dims, theta, pts, strict, C, grad C, D or None)."""
    dims, theta, pts, tgs = setting(I, dict(w[KEY[reading]], kappa=w["kappa"]))
    pres, _, outs = evaluate(dims, theta, pts)
    r = residual(outs, tgs)
    D = jacobian(dims, theta, pts) if margin(pres) > 0 else None
    return dims, theta, pts, margin(pres) > 0, w["kappa"] / 2 * sum(x * x for x in r), D and grad(D, r, w["kappa"]), D


def rescale(dims, theta, lam):
    th, (m0, m1) = list(theta), dims[:2]
    for c in list(range(m0)) + [m1 * m0]:
        th[c] *= lam
    for i in range(dims[2]):
        th[m1 * m0 + m1 + i * m1] /= lam
    return tuple(th)


def premises(I, w, reading):
    dims, theta, pts, strict, C, g, D = point(I, w, reading)
    if reading == "full-rank":
        yield Pos("theta strictly inside a region (min |z| > 0)", margin(evaluate(dims, theta, pts)[0]))
        ob, r = rank("rank D D^T by elimination", gram(dims, theta, pts, True))
        yield from (ob, Eq("rank D = QN", r, I.K * I.N))
    elif strict:
        yield Pos("C > 0 at the equilibrium", C)


def equilibrium(I, w, reading):
    dims, theta, pts, strict, C, g, D = point(I, w, reading)
    yield Pos("theta strictly inside a region (min |z| > 0)", F(int(strict)))
    yield Eq("grad C = 0 (an equilibrium)", g, tuple(F(0) for _ in g))
    return dims, theta, pts, C, D


def conclusion(I, w, reading):
    dims, theta, pts, strict, C, g, D = point(I, w, reading)
    if reading == "full-rank":
        if C > 0:
            yield Pos("|grad C|^2 > 0 when C > 0 (D^T injective)", sum(x * x for x in g))
        return
    dims, theta, pts, C, D = yield from equilibrium(I, w, reading)
    ob, r = rank("rank D D^T by elimination", gram(dims, theta, pts, True))
    yield ob
    yield Le("rank D < QN", r + 1, I.K * I.N)
    pres = evaluate(dims, theta, pts)[0]
    yield Eq("one activation pattern at every point", len({tuple(tuple(v > 0 for v in z) for z in zs) for zs in pres}), 1)
    ob, rp = rank("rank [(p, 1)] by elimination", tuple(tuple(p) + (F(1),) for p in pts))
    yield ob
    yield Eq("rank D = Q rank[(p, 1)] (the maximum on the region)", r, I.K * rp)
    yield Pos("K - rank D > 0", nparams(dims) - r)
    for lam in w[KEY[reading]]["lambdas"]:
        yield Pos(f"lambda = {lam} > 0", lam)
        tl = rescale(dims, theta, lam)
        yield NonZero(f"rescaled point != theta at lambda = {lam}", F(int(tl != theta)))
        pl, _, ol = evaluate(dims, tl, pts)
        yield Eq(f"pattern kept at lambda = {lam}", tuple(tuple(tuple(v > 0 for v in z) for z in zs) for zs in pl),
                 tuple(tuple(tuple(v > 0 for v in z) for z in zs) for zs in pres))
        yield Pos(f"strict at lambda = {lam}", margin(pl))
        rl = residual(ol, tuple(I.y(j) for j, c in enumerate(I.classes) for _ in c))
        yield Eq(f"C kept at lambda = {lam}", w["kappa"] / 2 * sum(x * x for x in rl), C)
        yield Eq(f"grad C = 0 at lambda = {lam}", grad(jacobian(dims, tl, pts), rl, w["kappa"]), tuple(F(0) for _ in tl))


def refutation(I, w, reading):
    dims, theta, pts, strict, C, g, D = point(I, w, reading)
    if reading == "full-rank":
        yield from (Pos("C > 0", C), Eq("|grad C|^2 = 0", sum(x * x for x in g), F(0)))
        return
    dims, theta, pts, C, D = yield from equilibrium(I, w, reading)
    yield Pos("C > 0", C)
    yield NonZero("det D D^T != 0 (rank D = QN)", det(gram(dims, theta, pts, True)))
