"""shallow.thm3.3 — Theorem 3.3: the constructed network classifies by nearest class mean in the metric
d(x, x') = |Y (X_0^red)^+ (x - x')| it induces; d is a metric on span{xbar_j}, only a pseudometric on R^M.

Expected, and why:
* identity x^(2)(x) = Y (X_0^red)^+ tau(x) for every x: W_2 = Y (X_0^red)^+ W_1^{-1}, b_2 = -W_2 b_1 exactly.
* null_dim = M - Q: the kernel of (X_0^red)^+ is span{xbar_j}^perp.
* shallow_q2_m3: 5/5 points nearest to their own mean (digest §5.1 data, checked by hand: deviations are
  small against |xbar_1 - xbar_2|).
* iris: the induced metric classifies 114/150 training points correctly (unique nearest mean = own class),
  recomputed with an independent sympy script from ../shared/data/iris.csv.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"identity": "proved", "nearest-mean": "proved", "metric-on-span": "proved", "pseudometric-on-RM": "proved"}
CASES = [
    Case("shallow.thm3.3", "shallow_q2_m3", "proved",
         values={"null_dim": "1", "agree_points": "5", "train_correct": "5"}, readings=R, label="Thm 3.3, M > Q"),
    Case("shallow.thm3.3", "shallow_q2_m2", "proved", values={"null_dim": "0"}, readings=R, label="Thm 3.3, M = Q"),
    Case("shallow.thm3.3", "shallow_q3_m5", "proved", values={"null_dim": "2"}, readings=R, label="Thm 3.3, M > Q"),
    Case("shallow.thm3.3", "iris", "proved",
         values={"null_dim": "1", "agree_points": "150", "train_correct": "114"}, readings=R,
         label="Thm 3.3, Iris"),
]


test_shallow_thm33 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
