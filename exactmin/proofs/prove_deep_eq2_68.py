"""deep.eq2.68 — (2.68): the truncation map sends the whole ball B_delta(xbar_0,j) to xbar_0,j[mu_j].

Same construction as deep.thm2.3 (lambda, mu, rotations).  For infinitely many points, certified exactly:
at layer j every row has row_k xbar_0,j + b_k + delta |row_k| <= 0 (collapse), at layers l < j
row_k xbar_0,j + b_k - delta |row_k| >= 0 (identity on the ball), at layers l > j the apex has a
non-negative pre-activation; hence the composite cumulative truncation maps the ball to the apex.
Expected: proved where the hypotheses hold (the paper's (2.68)); delta^2 as in deep.hypotheses.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq2.68", "deep_q2", "proved", values={"delta_squared": "1/80", "mu": "-1534231/2097152"},
         label="(2.68)"),
    Case("deep.eq2.68", "deep_q3", "proved", values={"delta_squared": "3/200", "mu": "-690213/1048576"},
         label="(2.68)"),
    Case("deep.eq2.68", "deep_q4", "proved", values={"delta_squared": "1/50", "mu": "-1385673/2097152"},
         label="(2.68)"),
    Case("deep.eq2.68", "deep_q2_violates_2_14", "hypotheses-fail", values={"delta_squared": "1/25"},
         label="(2.68), (2.14) fails"),
]


test_deep_eq268 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
