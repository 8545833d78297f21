"""deep.thm2.4 — Theorem 2.4, (2.70), (2.71): L = Q, every mu_l in I_1, the truncations act trivially.

Expected, and why:
* (2.70) tau(X_0) = X_0 and (2.71) = min over W^(L+1) with cumulative output bias 0: proved; the three
  expressions (closed formula, normal equations, weighted projection) agree exactly.  The value on deep_q2,
  4137/353477, was recomputed independently with sympy from the instance file.
* Read literally ("min over W_{L+1}, b_{L+1}" with b_{L+1} free) the statement is FALSE on these instances:
  the free-bias minimum is strictly smaller, and moving b_{L+1} alone lowers the cost (exact bias segment), so
  the (2.71) network is not a local minimum over all parameters.  It is one under the zero-output-bias reading.
* The corrected statement (strict identity pattern, free-bias optimal output layer) is a degenerate local minimum
  with value ls_free_bias_cost_squared: proved (exact normal equations and a flat bias direction).
* GL-output ((2.27), W_{L+1} in GL(Q)): refuted.  The free-bias optimum is W_{L+1} = Cov(y, x) Cov(x)^{-1} (W^(L))^{-1}
  with Cov(y, x) = (1/Q) sum_j (y_j - ybar)(xbar_j - xbar)^T of rank <= Q - 1, so it is singular on EVERY instance
  where it is unique: the minimum over GL(Q) is an infimum that is not attained.
* mu-range-as-printed ((5.12) prints (2 delta, oo)): proved for Q <= 4 (2 delta >= delta sqrt Q).
"""
from exactmin.prove import Case, main, pytest_cases

READINGS = {"2.70": "proved", "zero-output-bias": "proved", "free-output-bias": "refuted",
            "zero-output-bias/local-min": "proved", "free-output-bias/local-min": "refuted",
            "free-output-bias/corrected-local-min": "proved", "GL-output": "refuted", "mu-range-as-printed": "proved"}

CASES = [
    Case("deep.thm2.4", "deep_q2", "refuted", values={"claimed_cost_squared": "4137/353477",
                                                       "ls_zero_bias_cost_squared": "4137/353477"},
         readings=READINGS, label="Thm 2.4, (2.71)"),
    Case("deep.thm2.4", "deep_q3", "refuted", readings=READINGS, label="Thm 2.4, (2.71)"),
    Case("deep.thm2.4", "deep_q4", "refuted", readings=READINGS, label="Thm 2.4, (2.71)"),
    Case("deep.thm2.4", "deep_q2_violates_2_14", "hypotheses-fail", label="(2.14) fails"),
]


test_deep_thm24 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
