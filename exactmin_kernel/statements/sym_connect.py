"""sym.connect (symmetry paper, arXiv:2105.12221; docs/claims/sym.md): at m = r* the r*! global minima are
isolated points; at m > r* the T(r*, m) affine subspaces A(C) form one connected set.

Instance-free.  Witness: the options r (1..4) and m (r < m <= 8, T(r, m) <= 2000), checked before arithmetic.
Nodes: the configurations C of sym_count_T (a partition of [m], r labelled blocks, the rest zero-type).  A(C) and
A(D) meet iff every class of the join of the two partitions carries at most one teacher label, and the same set of
labels in C and in D (the neurons of a class share one incoming vector: a teacher vector, and teacher vectors are
distinct, or a free one; the outgoing weights of the class sum to a*_t in both, and generic a* makes equal sums
equal label sets).
* isolated: at m = r: r! nodes and no edge.  connected: at the given m one component (depth-first search).
* blue-green: at m = r + 1 every edge joins a blue node (with a zero block) to a green one; blue nodes have
  degree r, green nodes degree 2.
* path: the kernel's own path from (theta*, buffer) to P_pi(theta*, buffer), pi != id, theta* the teacher of
  docs/claims/sym.md (distinct incoming vectors, nonzero a*), buffer w = (-2, 5/7), a = 0.  Every segment is a
  move (a unchanged; only neurons with a = 0 change their incoming vector) or a transfer (incoming vectors
  unchanged; the sum of a over each class of equal incoming vectors unchanged).  Along both, f is the same
  function on R^d, so f = f_theta* on the whole path (and L = 0 on any data).
Counts of violations are obligations (= 0); a reading is refuted by the first that fails (sym_count_T's rule).
"""
from fractions import Fraction as F
from functools import lru_cache
from itertools import permutations
from math import factorial

from ..interp import CapError
from ..obligations import Eq, NonZero, Pos
from .sym_count_T import T, opt, partitions, refute_first

CLAIM, INSTANCE_FREE = "sym.connect", True
READINGS = ("isolated", "connected", "blue-green", "path")
SCHEMA = {"r": "rat", "m": "rat"}


@lru_cache(maxsize=4)
def graph(r, m):
    """(nodes (block of each neuron, label of each block or -1), adjacency lists, number of components)."""
    nodes = [(tuple(next(i for i, b in enumerate(P) if j in b) for j in range(m)),
              tuple(ch.index(i) if i in ch else -1 for i in range(len(P))))
             for P in partitions(m) for ch in permutations(range(len(P)), r)]
    adj = [[] for _ in nodes]
    for i, k in ((i, k) for i in range(len(nodes)) for k in range(i + 1, len(nodes)) if meet(nodes[i], nodes[k], m)):
        adj[i].append(k), adj[k].append(i)
    seen, comps = set(), 0
    for s in range(len(nodes)):
        comps, stack = comps + (s not in seen), [s] if s not in seen else []
        while stack:
            v = stack.pop()
            if v not in seen:
                seen.add(v)
                stack += adj[v]
    return nodes, adj, comps


def meet(C, D, m):
    root = list(range(m))                                   # the join of the two partitions (union-find)
    find = (lambda x: x if root[x] == x else find(root[x]))  # noqa: E731
    for blk, _ in (C, D):
        for j in range(m):
            root[find(j)] = find(blk.index(blk[j]))
    labels = {}
    for j in range(m):
        s = labels.setdefault(find(j), (set(), set()))
        for side, (blk, lab) in enumerate((C, D)):
            if lab[blk[j]] >= 0:
                s[side].add(lab[blk[j]])
    return all(s == t and len(s) <= 1 for s, t in labels.values())


def path(r):
    """Vertices (W, a) of the kernel's path and pi (the last vertex is the first with neuron i := old pi[i])."""
    W = [(F(t + 1), (-1) ** t * F(2 * t + 1, 3)) for t in range(r)] + [(F(-2), F(5, 7))]
    a, z = [F((-1) ** t * (t + 2), 2) for t in range(r)] + [F(0)], r
    steps = ([("w", z, 0), ("a", 0, z), ("w", 0, "buffer")] if r == 1 else
             [("w", z, 0), ("a", 0, z), ("w", 0, 1), ("a", 1, 0), ("w", 1, z), ("a", z, 1), ("w", z, "buffer")])
    pts, buffer = [(tuple(W), tuple(a))], W[z]
    for kind, i, k in steps:                  # w: neuron i takes the incoming vector of k;  a: a_k += a_i, a_i = 0
        if kind == "w":
            W[i] = buffer if k == "buffer" else W[k]
        else:
            a[k], a[i] = a[k] + a[i], F(0)
        pts.append((tuple(W), tuple(a)))
    return pts, [1, 0] + list(range(2, r + 1))


def violations(p, q):
    """0 iff the segment p -> q is a move or a transfer."""
    (W0, a0), (W1, a1) = p, q
    if a0 == a1:
        return sum(1 for j in range(len(W0)) if W0[j] != W1[j] and a0[j] != 0)
    return sum(1 for j in range(len(W0)) if W0[j] != W1[j]) + sum(
        1 for w in set(W0) if sum(x for v, x in zip(W0, a0) if v == w) != sum(x for v, x in zip(W0, a1) if v == w))


def obligations(w, reading):
    r = opt(w, "r", 1, 4)
    m = opt(w, "m", r + 1, 8)
    if T(r, m) > 2000:
        raise CapError(f"T({r}, {m}) > 2000 subspaces")
    if reading == "isolated":
        nodes, adj, _ = graph(r, r)
        yield Eq("r! subspaces at m = r", len(nodes), factorial(r))
        yield Eq("no two subspaces meet at m = r", sum(map(len, adj)), 0)
    elif reading == "connected":
        yield Eq(f"one component at m = {m}", graph(r, m)[2], 1)
    elif reading == "blue-green":
        nodes, adj, _ = graph(r, r + 1)
        blue = [-1 in lab for _, lab in nodes]
        yield Pos("a blue subspace exists", sum(blue))
        yield Eq("edges inside blue or inside green", sum(blue[i] == blue[k] for i in range(len(nodes)) for k in adj[i]), 0)
        yield Eq("blue subspaces of degree != r", sum(1 for i in range(len(nodes)) if blue[i] and len(adj[i]) != r), 0)
        yield Eq("green subspaces of degree != 2", sum(1 for i in range(len(nodes)) if not blue[i] and len(adj[i]) != 2), 0)
    else:
        pts, pi = path(r)
        (W0, a0), last = pts[0], pts[-1]
        yield Eq("teacher incoming vectors distinct", len(set(W0[:r])), r)
        yield from (NonZero(f"a*_{t} != 0", a0[t]) for t in range(r))
        yield Eq("buffer a = 0", a0[r], 0)
        yield Pos("pi != id", sum(1 for i, p in enumerate(pi) if i != p))
        yield Eq("entries where the last vertex != P_pi(first vertex)", sum(x != y for x, y in zip(
            last[0] + last[1], tuple(W0[i] for i in pi) + tuple(a0[i] for i in pi))), 0)
        for k in range(len(pts) - 1):
            yield Eq(f"segment {k + 1} is a move or a transfer", violations(pts[k], pts[k + 1]), 0)


def hypotheses(I):
    return iter(())


def conclusion(I, w, reading):
    yield from obligations(w, reading)


def refutation(I, w, reading):
    yield from refute_first(obligations(w, reading))
