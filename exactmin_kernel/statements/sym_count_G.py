"""sym.count-G (symmetry paper, arXiv:2105.12221; the reconstruction of docs/claims/sym.md): the number
G(r, m) = r! S(m, r) of symmetry-induced critical subspaces of one critical point of width r (duplication only:
every block of the partition of [m] carries one of the r neurons).

Instance-free.  Witness: the options r, m; 1 <= r <= m <= 8 (checked before any arithmetic, else INVALID).
* closed-forms: r! S(m, r) = sum_{i=0}^{r} (-1)^i C(r, i) (r - i)^m (inclusion-exclusion, 0^0 = 1).
* enumeration: r! S(m, r) = the number of configurations the kernel lists (every partition of [m] into r blocks,
  every labelling of its blocks by the r neurons).
* special-values: G(r, r) = r! and G(r, r+1) = r! C(r+1, 2).
Identities between exact integers: proved iff all hold, refuted by the first that fails (uses sym_count_T's
Stirling table, partition list and refutation rule).
"""
from itertools import permutations
from math import comb, factorial

from ..interp import CapError
from ..obligations import Eq
from .sym_count_T import opt, partitions, refute_first, stirling

CLAIM, INSTANCE_FREE = "sym.count-G", True
READINGS = ("closed-forms", "enumeration", "special-values")
SCHEMA = {"r": "rat", "m": "rat"}


def obligations(w, reading):
    r, m = opt(w, "r", 1, 8), opt(w, "m", 1, 8)
    if m < r:
        raise CapError("options: need r <= m")
    S = stirling(9)
    G = factorial(r) * S[m][r]
    if reading == "closed-forms":
        yield Eq("r! S(m,r) = inclusion-exclusion", G, sum((-1) ** i * comb(r, i) * (r - i) ** m for i in range(r + 1)))
    elif reading == "enumeration":
        yield Eq("r! S(m,r) = number of configurations", G,
                 sum(1 for P in partitions(m) if len(P) == r for _ in permutations(range(r))))
    else:
        yield Eq("G(r,r) = r!", factorial(r) * S[r][r], factorial(r))
        yield Eq("G(r,r+1) = r! C(r+1,2)", factorial(r) * S[r + 1][r], factorial(r) * comb(r + 1, 2))


def hypotheses(I):
    return iter(())


def conclusion(I, w, reading):
    yield from obligations(w, reading)


def refutation(I, w, reading):
    yield from refute_first(obligations(w, reading))
