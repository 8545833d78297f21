"""shallow.thm3.2 — Theorem 3.2, M = Q: exact degenerate local minimum (arXiv:2309.10370, as restated in
arXiv:2309.10639 (2.71), (5.12)-(5.15)).

Expected, and why:
* `zero-output-bias`: the three expressions of the value (least-squares residual, ||Y^ext P_N^perp||^2,
  Tr(Y Delta_2 (1+Delta_2)^-1 Y^T)) agree exactly and the witness network attains them: proved.
* `free-output-bias`: with b_2 free, as the statement reads, the value is NOT the minimum on generic data: the
  c-gradient 2(A* X_0^red - Y) u_Q = -2 Y Delta_2 (1+Delta_2)^-1 u_Q is nonzero.  Digest §5.2 (shallow_q2_m2):
  claimed 1418/73199, free-bias least squares 1/180, gradient (-1178/73199, -262/73199) -- all computed there
  with sympy and recomputed by us with an independent sympy script.  Refuted, with the exact descent point.
* shallow_q2_m2_symmetric (by hand): every point lies on the line x_1 + x_2 = 1 through the means, so
  Delta_2 u = 0, the gradient vanishes and the free-bias minimum equals the value: Delta_2 = (1/20)[[1,-1],[-1,1]]
  (eigenvalues 0 and 1/10), value = (1/10)/(1 + 1/10) = 1/11.  Every reading proved.
* M != Q (shallow_q2_m3, iris): hypotheses-fail.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

GENERIC = {"zero-output-bias": "proved", "free-output-bias": "refuted", "zero-output-bias/local-min": "proved",
           "free-output-bias/local-min": "refuted", "degenerate": "proved"}
CASES = [
    Case("shallow.thm3.2", "shallow_q2_m2", "refuted",
         values={"claimed_cost_squared": "1418/73199", "ls_zero_bias_cost_squared": "1418/73199",
                 "projection_cost_squared": "1418/73199", "ls_free_bias_cost_squared": "1/180",
                 "grad_c_norm_squared": "1456328/5358093601"},
         readings=GENERIC, label="Thm 3.2, digest 5.2"),
    Case("shallow.thm3.2", "shallow_q2_m2_symmetric", "proved",
         values={"claimed_cost_squared": "1/11", "ls_free_bias_cost_squared": "1/11", "grad_c_norm_squared": "0"},
         label="Thm 3.2, by hand"),
    Case("shallow.thm3.2", "shallow_q3_m3", "refuted", readings=GENERIC, label="Thm 3.2, generated"),
    Case("shallow.thm3.2", "shallow_q2_m3", "hypotheses-fail", label="M != Q"),
    Case("shallow.thm3.2", "iris", "hypotheses-fail", label="M != Q (Iris)"),
]


test_shallow_thm32 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
