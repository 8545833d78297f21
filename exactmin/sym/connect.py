"""Connectivity of the global-minimum manifold (claim ``sym.connect``; digest §2.3, §4, §5 items 4 and 12).

Nodes are the configurations C of :func:`exactmin.sym.counts.configurations` (zero singles and groups allowed),
i.e. the T(r*, m) affine subspaces A(C).  Two nodes are adjacent iff A(C) ∩ A(C') ≠ ∅.  A(C) ∩ A(C') is decided
as in digest §5 item 4:

* incoming weights: union-find on the neurons and on one anchor per teacher neuron; every block merges its
  neurons, a labelled block also its anchor.  Infeasible iff two different anchors merge (the teacher's incoming
  vectors are pairwise distinct, digest §1 "irreducible").
* outgoing weights: the block-sum equations of both configurations (Σ_{j∈B} a_j = a*_t or 0) as one rational linear
  system; feasible iff rank [M] = rank [M | b].  The teacher's a*_t = 2^t: distinct, nonzero, and no subset-sum
  coincidences, so the answer is the generic one.

The union of the subspaces is connected iff the graph is (each A(C) is connected).

Paths (digest §4 "Mechanism", Fig. 4(a)): an explicit polygonal path of parameter points between the embedding of
θ* (plus one buffer neuron with a = 0) and a permuted copy of it.  Every segment is of one of two kinds, each of
which keeps f(·; θ) identical *as a function on all of R^d*, for every t in [0, 1]:

* ``"move"``: only incoming weights of neurons whose outgoing weight is 0 at both ends change (f does not see them);
* ``"transfer"``: only outgoing weights change, among neurons whose incoming weights are identical (and stay so), and
  the sum of the outgoing weights over every class of identical incoming weights is the same at both ends (f is
  affine in t with zero slope).
"""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from math import factorial

from flint import fmpq, fmpq_mat

from .counts import Configuration, configurations

__all__ = [
    "components",
    "graph",
    "graph_summary",
    "intersect",
    "segment_kind",
    "teacher_for_path",
    "transposition_path",
]


def _find(parent: dict, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _union(parent: dict, x, y) -> None:
    rx, ry = _find(parent, x), _find(parent, y)
    if rx != ry:
        parent[rx] = ry


def intersect(C: Configuration, D: Configuration) -> bool:
    """A(C) ∩ A(D) ≠ ∅ (scalar output, no bias, generic teacher: see the module docstring)."""
    m, r = C.m, C.r
    if D.m != m or D.r != r:
        raise ValueError("configurations of different shapes")
    parent = {("n", j): ("n", j) for j in range(m)}
    parent.update({("t", t): ("t", t) for t in range(r)})
    for cfg in (C, D):
        for t, blk in enumerate(cfg.labelled):
            for j in blk:
                _union(parent, ("n", j), ("t", t))
        for blk in cfg.zero_blocks:
            for j in blk[1:]:
                _union(parent, ("n", j), ("n", blk[0]))
    if len({_find(parent, ("t", t)) for t in range(r)}) < r:
        return False
    rows, rhs = [], []
    for cfg in (C, D):
        for t, blk in enumerate(cfg.labelled):
            rows.append([1 if j in blk else 0 for j in range(m)])
            rhs.append(2 ** t)
        for blk in cfg.zero_blocks:
            rows.append([1 if j in blk else 0 for j in range(m)])
            rhs.append(0)
    M = fmpq_mat(len(rows), m, [fmpq(v) for row in rows for v in row])
    Mb = fmpq_mat(len(rows), m + 1, [fmpq(v) for row, b in zip(rows, rhs) for v in row + [b]])
    return M.rank() == Mb.rank()


def graph(r: int, m: int) -> tuple[list[Configuration], list[tuple[int, int]]]:
    """(nodes, edges) of the intersection graph of the T(r, m) subspaces."""
    nodes = list(configurations(r, m, zero_type="groups"))
    edges = [(i, k) for i in range(len(nodes)) for k in range(i + 1, len(nodes)) if intersect(nodes[i], nodes[k])]
    return nodes, edges


def components(n: int, edges) -> int:
    parent = {i: i for i in range(n)}
    for i, k in edges:
        _union(parent, i, k)
    return len({_find(parent, i) for i in range(n)})


def graph_summary(r: int, m: int) -> dict:
    """Nodes, edges, components; at m = r + 1 also the blue/green structure of digest §5 item 4."""
    nodes, edges = graph(r, m)
    out = {"nodes": len(nodes), "edges": len(edges), "components": components(len(nodes), edges)}
    if m == r + 1:
        blue = {i for i, c in enumerate(nodes) if c.zero_blocks}
        deg: dict = defaultdict(int)
        bipartite = True
        for i, k in edges:
            deg[i] += 1
            deg[k] += 1
            bipartite &= (i in blue) != (k in blue)
        out["bipartite_blue_green"] = bipartite
        out["blue_degrees"] = sorted({deg[i] for i in blue})
        out["green_degrees"] = sorted({deg[i] for i in range(len(nodes)) if i not in blue})
        out["blue"] = len(blue)
        out["green"] = len(nodes) - len(blue)
    return out


# ----------------------------------------------------------------------------------------------------------------
# explicit paths

Point = tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]   # (W rows, a)


def teacher_for_path(r: int, d: int = 2) -> tuple[list[tuple[Fraction, ...]], list[Fraction]]:
    """A fixed irreducible rational teacher: pairwise distinct incoming vectors, nonzero distinct outgoing weights."""
    W = [tuple(Fraction(v) for v in ([t + 1, (-1) ** t * Fraction(2 * t + 1, 3)] + [Fraction(t, 5)] * (d - 2))[:d])
         for t in range(r)]
    a = [Fraction((-1) ** t * (t + 2), 2) for t in range(r)]
    return W, a


def _pt(W, a) -> Point:
    return tuple(tuple(w) for w in W), tuple(a)


def transposition_path(W_star, a_star, buffer_w) -> tuple[list[Point], list[int]]:
    """Vertices of a path from (θ*, buffer) to P_π(θ*, buffer) with π ≠ id, and π (new neuron i = old π[i]).

    r ≥ 2: π swaps teacher neurons 0 and 1 through the buffer z = r (digest §4: six segments, plus a seventh that
    moves the buffer's incoming vector back).  r = 1: π swaps the teacher slot and the buffer slot (Fig. 4(a):
    three segments)."""
    r = len(W_star)
    z = r
    W = [tuple(w) for w in W_star] + [tuple(buffer_w)]
    a = list(a_star) + [Fraction(0)]
    pts = [_pt(W, a)]

    def step(**chg):
        for key, (idx, val) in chg.items():
            if key.startswith("w"):
                W[idx] = tuple(val)
            else:
                a[idx] = val
        pts.append(_pt(W, a))

    if r == 1:
        step(w=(z, W[0]))                                   # 1: move the buffer onto the teacher neuron
        step(a0=(0, Fraction(0)), a1=(z, a_star[0]))        # 2: transfer the outgoing weight
        step(w=(0, buffer_w))                               # 3: move the freed neuron to the buffer's old place
        return pts, [1, 0]
    i, j = 0, 1
    wi, wj = W[i], W[j]
    step(w=(z, wi))                                         # 1
    step(a0=(i, Fraction(0)), a1=(z, a_star[i]))            # 2
    step(w=(i, wj))                                         # 3
    step(a0=(j, Fraction(0)), a1=(i, a_star[j]))            # 4
    step(w=(j, wi))                                         # 5
    step(a0=(z, Fraction(0)), a1=(j, a_star[i]))            # 6
    step(w=(z, buffer_w))                                   # 7
    perm = list(range(r + 1))
    perm[i], perm[j] = j, i
    return pts, perm


def segment_kind(p: Point, q: Point) -> str | None:
    """"move", "transfer" or None (neither kind: f may change along the segment)."""
    (W0, a0), (W1, a1) = p, q
    m = len(W0)
    dw = [j for j in range(m) if W0[j] != W1[j]]
    da = [j for j in range(m) if a0[j] != a1[j]]
    if not da:
        return "move" if all(a0[j] == 0 for j in dw) else None
    if dw:
        return None
    for j in da:
        cls = [k for k in range(m) if W0[k] == W0[j]]
        if sum((a0[k] for k in cls), Fraction(0)) != sum((a1[k] for k in cls), Fraction(0)):
            return None
    return "transfer"


def path_is_valid_endpoints(pts, perm) -> bool:
    first, last = pts[0], pts[-1]
    return (last[0] == tuple(first[0][i] for i in perm) and last[1] == tuple(first[1][i] for i in perm)
            and last != first)


def isolated_count(r: int) -> int:
    return factorial(r)
