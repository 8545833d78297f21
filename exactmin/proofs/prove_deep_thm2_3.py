"""deep.thm2.3 — Theorem 2.3 with construction (4.24)–(4.58): zero cost for L = Q and L > Q.

Exactly orthogonal rational rotations R_l (R_l f~_l = u~), rational lambda (so cos^2(theta_*/2) is rational),
mu certified in I_0 = (-D, -2 delta sqrt Q); the plain ReLU forward pass gives cost^2 = 0 exactly.
On instances violating (2.14) or (2.12) the verdict is hypotheses-fail with the exact margin.
(2.58) as printed (cost 0 for ALL mu in I_0^Q, the paper's network) is refuted on deep_q2 and deep_q3 (two classes
merge at a certified mu* in I_0^Q, W-A/W-I of docs/claims/deep_statements.md), so the claim as a whole is refuted
there; on deep_q4 it is proved on a box covering I_0^4 (for the certified theta_*).
"""
from exactmin.prove import Case, main, pytest_cases

AT_MU = {"L=Q": "proved", "L>Q": "proved", "mu-box": "proved"}
MERGES = {"D>2delta-sqrtQ": "proved", "Xred-mu-GL-on-I0": "refuted", "I0-box": "refuted"}
CASES = [
    Case("deep.thm2.3", "deep_q2", "refuted", values={"cost_squared": "0", "cost_squared_extra": "0"},
         readings={**AT_MU, **MERGES}, label="Thm 2.3, L=Q and L=Q+1; (2.58) on all of I_0^2 refuted"),
    Case("deep.thm2.3", "deep_q3", "refuted", values={"cost_squared": "0", "cost_squared_extra": "0"},
         readings={**AT_MU, **MERGES}, label="Thm 2.3, L=Q and L=Q+1; (2.58) on all of I_0^3 refuted (W-I)"),
    Case("deep.thm2.3", "deep_q4", "proved", values={"cost_squared": "0", "cost_squared_extra": "0"},
         options={"extra_layers": 3}, label="Thm 2.3, L=Q and L=Q+3"),
    Case("deep.thm2.3", "deep_q2_violates_2_14", "hypotheses-fail", values={"margin_2_14": "-287/3600"},
         label="(2.14) fails"),
    Case("deep.thm2.3", "deep_q3_one_point_class", "hypotheses-fail", label="(2.12) fails"),
]


test_deep_thm23 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
