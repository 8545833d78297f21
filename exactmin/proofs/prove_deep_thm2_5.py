"""deep.thm2.5 — Theorem 2.5, (2.84), (2.85): the 2^Q - 1 configurations s that collapse a subset of clusters.

Expected, and why (the digest's section 5 predicted this; exactmin finds it with exact witnesses):
Bits follow the paper's (2.83): s_j = 0 <=> mu_j in I_0 (cluster j collapses); s = 11 is Thm 2.4's (2.71) value.
* (2.84): every configuration is realised with strict activation patterns: proved.
* The least-squares value of a configuration with 0 < |S| < Q moves with mu (the collapsed apex
  x_j - mu_j f_j moves, and the output layer sees it): refuted, with the two exact values.
* The mu-free closed form with the original means is not the configuration's value: refuted.
* The 2^Q - 1 values are pairwise distinct on these instances: proved.
* Local minimality: moving the collapsed apexes (biases only) with the output layer fixed lowers the cost
  strictly, along a segment with a constant strict pattern: refuted for both output-bias readings.
* Not global (end of section 5): every non-global value is > 0, with zero and with free output bias, on these
  instances: proved.  (On W-A the free-bias value is 0 for all three s != 00: refuted there, tests/test_deep_minima.py.)
"""
from exactmin.prove import Case, main, pytest_cases

READINGS = {"2.84": "proved", "value-independent-of-mu": "refuted", "value-original-means": "refuted",
            "distinct-values": "proved", "local-min-zero-bias": "refuted", "local-min-free-bias": "refuted",
            "not-global/zero-bias": "proved", "not-global/free-bias": "proved"}

CASES = [
    Case("deep.thm2.5", "deep_q2", "refuted", values={"configurations": "4",
                                                       "cost_squared_zero_bias[s=11]": "4137/353477"},
         readings=READINGS, label="Thm 2.5, (2.84)-(2.85)"),
    Case("deep.thm2.5", "deep_q3", "refuted", readings=READINGS, label="Thm 2.5, (2.84)-(2.85)"),
    Case("deep.thm2.5", "deep_q2_violates_2_14", "hypotheses-fail", label="(2.14) fails"),
]


test_deep_thm25 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
