"""sym.count-T (symmetry paper, arXiv:2105.12221; the reconstruction of docs/claims/sym.md): the number T(r*, m)
of affine subspaces A(C) of the global-minimum manifold of a width-m student for a width-r* teacher.

Instance-free.  Witness: the options r (= r*), m, d; 1 <= r <= m <= 8 and 1 <= d <= 1000, checked before any
arithmetic (else INVALID).  A configuration C is a set partition of [m] into k blocks with an injective labelling
of r of them by the teacher neurons; the k - r unlabelled blocks are zero-type (a single neuron with a = 0, or a
group with a shared w and sum a = 0); dim A(C) = (m - k) + (k - r) d.  The kernel lists every partition (insert
element e into each block or alone) and every injective labelling (itertools.permutations); S(n, k) by
S(n, k) = k S(n-1, k) + S(n-1, k-1), B_j = sum_k S(j, k).
* closed-forms: (T-i) sum_k S(m,k) (k)_r = (T-ii) sum_j C(m,j) r! S(m-j,r) B_j = (T-iii) m! [x^m] (e^x-1)^r e^(e^x-1).
* groups: (T-i) = the number of configurations.
* singles: r! S(m+1, r+1) = sum_j C(m,j) r! S(m-j,r) = the number of configurations whose unlabelled blocks are
  singletons.
* special-values: T(r,r) = r!, T(r,r+1) = (r+2)!/2, T(1,m) = B_{m+1} - B_m.
* dimension: the histogram of the enumerated dimensions = {(m-k) + (k-r) d: S(m,k) (k)_r}, and every one >= m - r.
Each reading is a set of identities between exact integers: proved iff all hold, refuted by the first that fails
(a named nonzero difference).
"""
from fractions import Fraction as F
from functools import lru_cache
from itertools import permutations
from math import comb, factorial, perm

from ..interp import CapError
from ..obligations import Eq, Le, NonNeg, NonZero, Pos

CLAIM, INSTANCE_FREE = "sym.count-T", True
READINGS = ("closed-forms", "groups", "singles", "special-values", "dimension")
SCHEMA = {"r": "rat", "m": "rat", "d": "rat"}


def opt(w, name, lo, hi):
    """The integer option ``name`` of the witness, capped to lo..hi (CapError: INVALID) before any arithmetic."""
    v = w[name]
    if v.denominator != 1 or not lo <= v <= hi:
        raise CapError(f"option {name} must be an integer in {lo}..{hi}")
    return int(v)


_S = [[1]]


def stirling(N):
    """Rows S[n][k], 0 <= k <= n <= N, by S(n, k) = k S(n-1, k) + S(n-1, k-1) (one shared table, grown on demand)."""
    while len(_S) <= N:
        p = _S[-1] + [0]
        _S.append([0] + [k * p[k] + p[k - 1] for k in range(1, len(p))])
    return _S


def T(r, m):
    """(T-i) sum_k S(m, k) (k)_r."""
    S = stirling(m)
    return sum(S[m][k] * perm(k, r) for k in range(r, m + 1))


def bell(n):
    return sum(stirling(9)[n])


def partitions(m):
    parts = [[]]
    for e in range(m):
        parts = [P[:i] + [P[i] + [e]] + P[i + 1:] for P in parts for i in range(len(P))] + [P + [[e]] for P in parts]
    return parts


@lru_cache(maxsize=8)
def enumerate_configs(r, m, d):
    """(number of configurations, of those with singleton zero blocks, {dimension: number}) by listing them."""
    n = ns = 0
    dims = {}
    for P in partitions(m):
        big = {i for i, b in enumerate(P) if len(b) > 1}
        for chosen in permutations(range(len(P)), r):
            n, ns = n + 1, ns + big.issubset(chosen)
            dim = (m - len(P)) + (len(P) - r) * d
            dims[dim] = dims.get(dim, 0) + 1
    return n, ns, dims


def egf(r, m):
    """(T-iii): m! [x^m] (e^x - 1)^r e^(e^x - 1), power series truncated at x^m, exp by E' = u' E."""
    u = [F(0)] + [F(1, factorial(i)) for i in range(1, m + 1)]
    E = [F(1)]
    for k in range(1, m + 1):
        E.append(sum(i * u[i] * E[k - i] for i in range(1, k + 1)) / k)
    p = [F(1)] + [F(0)] * m
    for f in [u] * r + [E]:
        p = [sum(p[i] * f[j - i] for i in range(j + 1)) for j in range(m + 1)]
    return p[m] * factorial(m)


def obligations(w, reading):
    r, m, d = opt(w, "r", 1, 8), opt(w, "m", 1, 8), opt(w, "d", 1, 1000)
    if m < r:
        raise CapError("options: need r <= m")
    S, t = stirling(9), T(r, m)
    n, ns, dims = enumerate_configs(r, m, d)
    if reading == "closed-forms":
        yield Eq("(T-i) = (T-ii)", t, sum(comb(m, j) * factorial(r) * S[m - j][r] * bell(j) for j in range(m - r + 1)))
        yield Eq("(T-i) = (T-iii)", F(t), egf(r, m))
    elif reading == "groups":
        yield Eq("(T-i) = number of configurations", t, n)
    elif reading == "singles":
        yield Eq("r! S(m+1, r+1) = sum_j C(m,j) r! S(m-j,r)", factorial(r) * S[m + 1][r + 1],
                 sum(comb(m, j) * factorial(r) * S[m - j][r] for j in range(m - r + 1)))
        yield Eq("r! S(m+1, r+1) = number of configurations with singleton zero blocks", factorial(r) * S[m + 1][r + 1], ns)
    elif reading == "special-values":
        yield Eq("T(r,r) = r!", T(r, r), factorial(r))
        yield Eq("T(r,r+1) = (r+2)!/2", T(r, r + 1), factorial(r + 2) // 2)
        yield Eq("T(1,m) = B_(m+1) - B_m", T(1, m), bell(m + 1) - bell(m))
    else:
        closed = {}
        for k in range(r, m + 1):
            if S[m][k]:
                closed[(m - k) + (k - r) * d] = closed.get((m - k) + (k - r) * d, 0) + S[m][k] * perm(k, r)
        yield Eq("dimensions whose enumerated count != the closed form",
                 sum(dims.get(k, 0) != closed.get(k, 0) for k in set(dims) | set(closed)), 0)
        yield Le("every dimension >= h = m - r", m - r, min(dims))


def negation(ob):
    """The exact negation of a failed scalar obligation."""
    return {Eq: lambda: NonZero(f"not: {ob.name}", ob.a - ob.b), Le: lambda: Pos(f"not: {ob.name}", ob.a - ob.b),
            Pos: lambda: NonNeg(f"not: {ob.name}", -ob.e), NonNeg: lambda: Pos(f"not: {ob.name}", -ob.e)}[type(ob)]()


def refute_first(gen):
    """Refutation of a reading made of exactly decidable scalar obligations: the negation of the first that fails."""
    from ..interp import holds
    for ob in gen:
        if holds(ob) is False:
            yield negation(ob)
            return


def hypotheses(I):
    return iter(())


def conclusion(I, w, reading):
    yield from obligations(w, reading)


def refutation(I, w, reading):
    yield from refute_first(obligations(w, reading))
