"""deep.eq2.68 — (2.68): the truncation map sends the whole ball B_delta(xbar_0,j) to xbar_0,j[mu_j].

Same construction as deep.thm2.3 (lambda, mu, rotations).  For infinitely many points, certified exactly:
at layer j every row has row_k xbar_0,j + b_k + delta |row_k| <= 0 (collapse), at layers l < j
row_k xbar_0,j + b_k - delta |row_k| >= 0 (identity on the ball), at layers l > j the apex has a
non-negative pre-activation; hence the composite cumulative truncation maps the ball to the apex.
Expected: the rational realisation's four readings proved where the hypotheses hold (at the construction's mu);
delta^2 as in deep.hypotheses.  The paper's own network for EVERY mu in I_0^Q (paper-network/*): the collapse and
the identity before hold (Lemma 5.1, (4.26)); on deep_q2 and deep_q3 a later layer sends an apex onto another one
at some mu* in I_0^Q (as deep.thm2.3's I0-box finds), so paper-network/cumulative is refuted there and the overall
verdict is refuted; on deep_q4 every apex passes on a box covering I_0^Q.  L>Q/arbitrary ((2.68) for L > Q with
the extra layers (4.66) allows) is refuted wherever the L = Q conditions hold: an admissible extra layer moves c_1
(W-H), so the overall verdict is refuted on deep_q4 too.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq2.68", "deep_q2", "refuted", values={"delta_squared": "1/80", "mu": "-1534231/2097152"},
         readings={"collapse-at-layer": "proved", "identity-before": "proved", "apex-fixed-after": "proved", "cumulative": "proved",
                   "paper-network/collapse-at-layer": "proved", "paper-network/identity-before": "proved",
                   "paper-network/cumulative": "refuted"}, label="(2.68)"),
    Case("deep.eq2.68", "deep_q3", "refuted", values={"delta_squared": "3/200", "mu": "-690213/1048576"},
         readings={"collapse-at-layer": "proved", "identity-before": "proved", "apex-fixed-after": "proved", "cumulative": "proved",
                   "paper-network/collapse-at-layer": "proved", "paper-network/identity-before": "proved",
                   "paper-network/cumulative": "refuted"}, label="(2.68)"),
    Case("deep.eq2.68", "deep_q4", "refuted", values={"delta_squared": "1/50", "mu": "-1385673/2097152"},
         readings={"collapse-at-layer": "proved", "identity-before": "proved", "apex-fixed-after": "proved", "cumulative": "proved",
                   "paper-network/collapse-at-layer": "proved", "paper-network/identity-before": "proved",
                   "paper-network/cumulative": "proved"}, label="(2.68)"),
    Case("deep.eq2.68", "deep_q2_violates_2_14", "hypotheses-fail", values={"delta_squared": "1/25"},
         label="(2.68), (2.14) fails"),
]


test_deep_eq268 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
