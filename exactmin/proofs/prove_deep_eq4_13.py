"""deep.eq4.13 — (4.13)–(4.15): a strongly negative bias collapses a cluster under the truncation map.

As printed (b = −x̄_{0,j} + µu_Q) the step is false: the bias lacks the factor W, so the pre-activation is
W x − x̄_{0,j} + µu, not WΔx + µu.  The recipe W-C (W = cI, c ≠ 1, µ just below −2δ‖W‖) gives a data point whose
τ-image is not the claimed constant column, on every bundled instance (here c = 2: W x̄ − x̄ = x̄ has a positive
coordinate larger than the margin).  Corrected (b = −W x̄_{0,j} + µu_Q): τ ≡ x̄_{0,j} − µW^{-1}u_Q on the whole closed
ball B_δ(x̄_{0,j}), proved by the row bound of deep.lemma4.1 (`ball`) with deep.lemma4.1's W and µ.
Expected: δ² as deep.hypotheses reports it; c = 2 (the first candidate of W-C).
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"as-printed": "refuted", "corrected": "proved"}
CASES = [
    Case("deep.eq4.13", "deep_q2", "refuted", readings=R, values={"delta_squared": "1/80", "c_printed": "2"}, label="(4.13)–(4.15)"),
    Case("deep.eq4.13", "deep_q3", "refuted", readings=R, values={"delta_squared": "3/200", "c_printed": "2"}, label="(4.13)–(4.15)"),
    Case("deep.eq4.13", "deep_q4", "refuted", readings=R, values={"delta_squared": "1/50"}, options={"seed": 3},
         label="(4.13)–(4.15)"),
    Case("deep.eq4.13", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.13), (2.14) fails"),
]

test_deep_eq413 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
