"""deep.eq2.61 — (2.61): classification by the nearest collapsed mean in d(x, x') = |Y (X_0^red[mu])^{-1}(x - x')|.

Same construction as deep.thm2.3.  d is a metric (det != 0, exact); network(x) = Y (X_0^red[mu])^{-1} tau(x)
because b^(L+1) = 0, and Y (X_0^red[mu])^{-1} c_j = y_j, so |network(x) - y_j|^2 = d(tau(x), c_j)^2 exactly at
every instance point and at 64 seeded random rational points (argmin sets with ties).  Expected accuracy 1 on
the data: each cluster collapses to c_j (Theorem 2.3), whose distance to c_j is 0 and to c_k is |y_j - y_k| > 0.
Those four readings are about the rational realisation at the construction's mu.  The paper's own network for
EVERY mu in I_0^Q (paper-network/metric, /classifies-data): on deep_q2 and deep_q3 det X_0^red[mu] changes sign on
I_0^Q and classes merge at a certified mu* (deep.thm2.3's Xred-mu-GL-on-I0 and I0-box), so both are refuted there
and the overall verdict is refuted; on deep_q4 both are proved.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq2.61", "deep_q2", "refuted", values={"accuracy": "1", "points": "10", "samples": "64"},
         readings={"metric": "proved", "labels-at-apexes": "proved", "agrees-on-data": "proved", "agrees-on-samples": "proved",
                   "paper-network/metric": "refuted", "paper-network/classifies-data": "refuted"}, label="(2.61)"),
    Case("deep.eq2.61", "deep_q3", "refuted", values={"accuracy": "1", "points": "18", "samples": "64"},
         readings={"metric": "proved", "labels-at-apexes": "proved", "agrees-on-data": "proved", "agrees-on-samples": "proved",
                   "paper-network/metric": "refuted", "paper-network/classifies-data": "refuted"}, label="(2.61)"),
    Case("deep.eq2.61", "deep_q4", "proved", values={"accuracy": "1", "points": "20", "samples": "32"},
         options={"seed": 5, "samples": 32}, readings={"metric": "proved", "labels-at-apexes": "proved", "agrees-on-data": "proved", "agrees-on-samples": "proved",
                   "paper-network/metric": "proved", "paper-network/classifies-data": "proved"}, label="(2.61)"),
    Case("deep.eq2.61", "deep_q2_violates_2_14", "hypotheses-fail", label="(2.61), (2.14) fails"),
]


test_deep_eq261 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
