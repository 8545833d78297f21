"""deep.thm2.3 — Theorem 2.3 with construction (4.24)–(4.58): zero cost for L = Q and L > Q.

Exactly orthogonal rational rotations R_l (R_l f~_l = u~), rational lambda (so cos^2(theta_*/2) is rational),
mu certified in I_0 = (-D, -2 delta sqrt Q); the plain ReLU forward pass gives cost^2 = 0 exactly.
On instances violating (2.14) or (2.12) the verdict is hypotheses-fail with the exact margin.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.thm2.3", "deep_q2", "proved", values={"cost_squared": "0", "cost_squared_extra": "0"},
         label="Thm 2.3, L=Q and L=Q+1"),
    Case("deep.thm2.3", "deep_q3", "proved", values={"cost_squared": "0", "cost_squared_extra": "0"},
         label="Thm 2.3, L=Q and L=Q+1"),
    Case("deep.thm2.3", "deep_q4", "proved", values={"cost_squared": "0", "cost_squared_extra": "0"},
         options={"extra_layers": 3}, label="Thm 2.3, L=Q and L=Q+3"),
    Case("deep.thm2.3", "deep_q2_violates_2_14", "hypotheses-fail", values={"margin_2_14": "-287/3600"},
         label="(2.14) fails"),
    Case("deep.thm2.3", "deep_q3_one_point_class", "hypotheses-fail", label="(2.12) fails"),
]


test_deep_thm23 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
