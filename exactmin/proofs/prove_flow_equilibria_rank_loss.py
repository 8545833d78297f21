"""flow.equilibria-rank-loss — equilibria with C > 0 have rank D < QN and form a set of positive dimension."""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("flow.equilibria-rank-loss", "flow_n3", "proved",
         values={"identity_rank_D": "2", "QN": "3", "identity_ker_DT_dim": "1"},
         options={"seed": 11, "widths": "4"}, label="rank loss"),
    Case("flow.equilibria-rank-loss", "flow_n4", "proved", options={"seed": 9, "widths": "3"}, label="rank loss"),
    Case("flow.equilibria-rank-loss", "deep_q2", "hypotheses-fail", label="deep Thm 2.4 minima"),
]


test_flow_equilibria_rank_loss = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
