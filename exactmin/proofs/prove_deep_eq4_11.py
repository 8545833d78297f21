"""deep.eq4.11 — (4.11) p.12, (5.4) p.20, (4.55) p.17: Δx_{0,j,i} ∈ B_δ(0) for all j, i, "by definition of δ".

False as printed: B_δ(0) is the open ball (Lemma 4.1) and δ = max_{j,i} |Δx_{0,j,i}| (2.14) is attained, so the
maximising deviation lies on the sphere |y| = δ; for the same reason sup_{j,i} |Δx_{0,j,i}| < δ ((4.55), ℓ = 1)
fails.  The closed ball holds (what deep.lemma4.1 `ball` uses).  About the data only: on deep_q2, δ² = 1/80 is
attained by Δx_{0,1,1} = (1/10, 1/20).
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"open-ball": "refuted", "closed-ball": "proved", "sup<delta": "refuted"}
CASES = [
    Case("deep.eq4.11", "deep_q2", "refuted", readings=R,
         values={"delta_squared": "1/80", "deviation_squared": "1/80"}, label="(4.11)"),
    Case("deep.eq4.11", "deep_q3", "refuted", readings=R, values={"delta_squared": "3/200", "deviation_squared": "3/200"},
         label="(4.11)"),
    Case("deep.eq4.11", "deep_q4", "refuted", readings=R, values={"delta_squared": "1/50", "deviation_squared": "1/50"},
         label="(4.11)"),
    Case("deep.eq4.11", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.11), (2.14) fails"),
]

test_deep_eq411 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
