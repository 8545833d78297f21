"""sym.count-T — T(r*, m), digest §3.1: three closed forms against brute-force enumeration, r* <= 4, m <= r* + 4.

Expected values are independent of exactmin's code:
* T and T_single: the digest's tables (its author's own brute force), cross-checked by hand against OEIS:
  T(1, m) = B_{m+1} - B_m with the Bell numbers 1, 1, 2, 5, 15, 52, 203 (A000110), and
  T_single(r*, m) = r*! S(m+1, r*+1) with the Stirling numbers of A008277 (e.g. S(7, 3) = 301: 2 * 301 = 602);
* dimensions (d = 2): dim_min = h, reached by the r*! S(m, r*) duplication-only configurations (surjections
  [m] -> [r*], counted by inclusion-exclusion below); dim_max = h d, reached by the (m)_{r*} all-singleton ones.
"""
from math import comb, perm

from exactmin.prove import Case, main, pytest_cases

T_TABLE = {1: [1, 3, 10, 37, 151], 2: [2, 12, 62, 320, 1712], 3: [6, 60, 450, 3120, 21336],
           4: [24, 360, 3720, 33600, 287784]}
T_SINGLE = {1: [1, 3, 7, 15, 31], 2: [2, 12, 50, 180, 602], 3: [6, 60, 390, 2100, 10206],
            4: [24, 360, 3360, 25200, 166824]}


def surjections(m, r):
    return sum((-1) ** i * comb(r, i) * (r - i) ** m for i in range(r + 1))


def expected(r, h, d=2):
    m = r + h
    t, ts = T_TABLE[r][h], T_SINGLE[r][h]
    v = {"T": t, "T_enumerated": t, "T_single": ts, "T_single_enumerated": ts, "with_zero_group": t - ts,
         "dim_min": h, "dim_max": h * d}
    if h == 0:
        v.update(n_dim_min=perm(r), n_dim_max=perm(r))
    else:
        v.update(n_dim_min=surjections(m, r), n_dim_max=perm(m, r))
    return {k: str(x) for k, x in v.items()}


CASES = [Case("sym.count-T", None, "proved", values=expected(r, h), options={"r": r, "m": r + h},
              label=f"T({r},{r + h})")
         for r in range(1, 5) for h in range(5)]


test_sym_count_T = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
