"""sym.dominance (symmetry paper, arXiv:2105.12221; docs/claims/sym.md): G(r*-1, r*+h) against T(r*, r*+h).

Instance-free.  Witness: the option r_max, 1 <= r_max <= 80 (else INVALID).  T(r, m) = sum_k S(m,k) (k)_r and
G(r, m) = r! S(m, r) from one Stirling table.  The kernel finds h_c(r*) = the smallest h with T > G (at most
500) and p(r*) = the smallest h >= h_c(r*) with T(r*, r*+h) > (r*-1)^(r*+h) (at most 500); both are
re-derived, nothing is taken from the witness.
* mild (premise r_max >= 4): for 4 <= r* <= r_max: h_c(r*) >= 1, G/T = (r*-1)/2 at h = 0, and G > T at every
  h < h_c(r*).
* vast: for 1 <= r* <= r_max, T > G at every h >= h_c(r*): checked for h_c <= h <= p, and beyond by induction:
  T(r*, m+1) >= (r*+1) T(r*, m) (each configuration on [m] extends in k + 1 >= r* + 1 ways) and
  G(r*-1, m) <= (r*-1)^m (surjections are functions), so T(r*, m) > (r*-1)^m >= G(r*-1, m) for all m >= r* + p.
* mild-all-r: for every 2 <= r* <= r_max some h has G > T (an h < h_c with G - T > 0).  Refuted at the first r*
  without one: G <= T at every h < h_c, and the vast obligations of that r* (T > G for every h >= h_c).
"""
from fractions import Fraction as F
from functools import lru_cache
from math import factorial

from ..interp import CapError
from ..obligations import Eq, Le, NonNeg, Pos
from .sym_count_T import T, opt, refute_first, stirling

CLAIM, INSTANCE_FREE = "sym.dominance", True
READINGS = ("mild", "mild-all-r", "vast")
SCHEMA = {"r_max": "rat"}
MAX_H = 500


@lru_cache(maxsize=4)
def table(r_max):
    """{r*: (h_c, p, [T(r*, r*+h) for h <= p], [G(r*-1, r*+h) for h <= p])} for 1 <= r* <= r_max."""
    out = {}
    for rs in range(1, r_max + 1):
        Ts, Gs, hc = [], [], None
        for h in range(MAX_H + 1):
            Ts.append(T(rs, rs + h))
            Gs.append(factorial(rs - 1) * stirling(rs + h)[rs + h][rs - 1])
            hc = h if hc is None and Ts[h] > Gs[h] else hc
            if hc is not None and Ts[h] > (rs - 1) ** (rs + h):
                out[rs] = (hc, h, Ts, Gs)
                break
        else:
            raise CapError(f"no crossover / persistence index below h = {MAX_H} for r* = {rs}")
    return out


def vast(tab, rs):
    hc, p, Ts, Gs = tab[rs]
    for h in range(hc, p + 1):
        yield Pos(f"T > G at r*={rs}, h={h}", Ts[h] - Gs[h])
    yield Pos(f"T(r*, r*+p) > (r*-1)^(r*+p) at r*={rs}, p={p}", Ts[p] - (rs - 1) ** (rs + p))


def obligations(w, reading):
    r_max = opt(w, "r_max", 1, 80)
    tab = table(r_max)
    if reading == "mild":
        for rs in range(4, r_max + 1):
            hc, _, Ts, Gs = tab[rs]
            yield Le(f"h_c >= 1 at r*={rs}", 1, hc)
            yield Eq(f"G/T = (r*-1)/2 at r*={rs}, h=0", F(Gs[0], Ts[0]), F(rs - 1, 2))
            yield from (Pos(f"G > T at r*={rs}, h={h}", Gs[h] - Ts[h]) for h in range(hc))
    elif reading == "vast":
        for rs in range(1, r_max + 1):
            yield from vast(tab, rs)
    else:
        for rs in range(2, r_max + 1):
            hc, _, Ts, Gs = tab[rs]
            yield Pos(f"some h < h_c has G > T at r*={rs}", max((Gs[h] - Ts[h] for h in range(hc)), default=0))


def hypotheses(I):
    return iter(())


def premises(I, w, reading):
    if reading == "mild":
        yield Le("r_max >= 4", 4, opt(w, "r_max", 1, 80))


def conclusion(I, w, reading):
    yield from obligations(w, reading)


def refutation(I, w, reading):
    if reading != "mild-all-r":
        yield from refute_first(obligations(w, reading))
        return
    tab = table(opt(w, "r_max", 1, 80))
    for rs in range(2, len(tab) + 1):
        hc, _, Ts, Gs = tab[rs]
        if all(Gs[h] <= Ts[h] for h in range(hc)):
            yield from (NonNeg(f"G <= T at r*={rs}, h={h}", Ts[h] - Gs[h]) for h in range(hc))
            yield from vast(tab, rs)
            return
