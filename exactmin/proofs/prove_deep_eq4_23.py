"""deep.eq4.23 — (4.23): "(2.51) is equivalent with" θ_{*,j} being the smallest angle such that
x̄_{0,j} + 2δf_j + C_{θ_{*,j}}[f_j] ⊃ ∪_{j'≠j} B_{2δ}(x̄_{0,j'}).

Not equivalent: the two smallest angles differ (on the axis at distance d, sin(θ/2) = 4δ/d for (2.51) and
2δ/(d − 2δ) for (4.23); W-A: sin² 1/100 vs 1/361).  Refuted on every bundled instance by a rational separating angle
(cos²(θ_s/2) = kappa_sep: every (4.23) ball strictly inside, one (2.51) ball outside, exact signed square roots).
True is the implication (2.51) ⇒ the (4.23) containment at θ_{*,j}: B_{2δ}(x̄_k) − 2δf_j ⊂ B_{4δ}(x̄_k) (`implied`).
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"equivalent": "refuted", "implied": "proved"}
CASES = [
    Case("deep.eq4.23", "deep_q2", "refuted", readings=R, values={"j": "1"}, label="(4.23)"),
    Case("deep.eq4.23", "deep_q3", "refuted", readings=R, label="(4.23)"),
    Case("deep.eq4.23", "deep_q4", "refuted", readings=R, label="(4.23)"),
    Case("deep.eq4.23", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.23), (2.14) fails"),
]

test_deep_eq423 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
