"""shallow.relative-error — M = Q: the value differs from the upper bound by a relative error O(delta_P^2)
(arXiv:2309.10639 (2.54)/(4.3) form: C* <= (1 - C_0 delta_P^2) C_ub).

r = (C_ub - C*)/C_ub = 1 - sqrt(rho), rho = C*^2/C_ub^2.  Certified, exactly by squares: r <= (Q/2) delta_P^2 (our
constant) and r >= C_0 delta_P^2 with our C_0 = l/(2(1+l) delta_P^2), l a certified lower bound of lambda_min(Delta_2).

Expected values, and why:
* shallow_q2_m2 (digest §5.2): C*^2 = 1418/73199, C_ub^2 = 353/18150; rho = 25736700/25839247 (recomputed with
  an independent sympy script); relative error ~ 0.00199 <= Q delta_P^2/2 = 53/6050 ~ 0.00876.
* shallow_q2_m2_symmetric (by hand): C*^2 = 1/11, C_ub^2 = 1/10, rho = 10/11, gap 1/110; Delta_2 is singular so
  l = 0 and C_0 = 0 (only the trivial lower bound); r = 1 - sqrt(10/11) ~ 0.0465 <= Q delta_P^2 / 2 = 2/25.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"gap-identity": "proved", "upper": "proved", "lower": "proved"}
CASES = [
    Case("shallow.relative-error", "shallow_q2_m2", "proved",
         values={"claimed_cost_squared": "1418/73199", "construction_cost_squared": "353/18150",
                 "ratio_squared": "25736700/25839247", "delta_P_squared": "53/6050", "upper_constant": "1"},
         readings=R, label="relative error, digest 5.2"),
    Case("shallow.relative-error", "shallow_q2_m2_symmetric", "proved",
         values={"claimed_cost_squared": "1/11", "construction_cost_squared": "1/10", "ratio_squared": "10/11",
                 "gap_squared": "1/110", "lambda_max_upper": "1/10", "lambda_min_lower": "0", "C0": "0"},
         readings=R, label="relative error, by hand"),
    Case("shallow.relative-error", "shallow_q3_m3", "proved", readings=R, label="relative error, generated"),
    Case("shallow.relative-error", "iris", "hypotheses-fail", label="M != Q (Iris)"),
]


test_shallow_relative_error = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
