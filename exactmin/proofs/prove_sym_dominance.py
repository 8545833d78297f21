"""sym.dominance — G(r*-1, m) / T(r*, m) and the crossover h_c(r*), digest §3.3, abstract.

Expected: the overall verdict is `refuted` because of the strict reading `mild-all-r` (for r* = 2 and 3 G never
strictly exceeds T: G(1,2) = 1 < T(2,2) = 2 and G(2,3) = 6 = T(3,3), then T wins); the readings `mild` (r* >= 4)
and `vast` (for ALL h >= h_c, by the persistence argument) are proved.  Values by hand / from the digest:
G(r*-1, r*)/T(r*, r*) = (r*-1)! C(r*, 2) / r*! = (r*-1)/2 (digest §3.3): 3/2 at r* = 4, 1/2 at r* = 2;
h_c(4) = 1 and h_c(30) = 7 (digest crossover table), h_c(2) = 0.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("sym.dominance", None, "refuted", values={"ratio": "3/2", "crossover_h": "1", "crossover_h_r_max": "7",
                                                   "r_max": "30"},
         options={"r": 4, "m": 4, "r_max": 30}, label="crossover r*<=30"),
    Case("sym.dominance", None, "refuted", values={"ratio": "1/2", "crossover_h": "0", "r_max": "50"},
         options={"r": 2, "m": 2, "r_max": 50}, label="crossover r*<=50"),
    Case("sym.dominance", None, "refuted", values={"ratio": "2", "crossover_h": "1"},
         options={"r": 5, "m": 5, "r_max": 10}, label="G(4,5)/T(5,5)=240/120"),
]


test_sym_dominance = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
