"""flow.rank-condition — exact rank of D[theta] at a rational theta strictly inside its activation region."""
import sys

from exactmin.prove import Case, main, pytest_cases

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"   # theta_0 of instance O1 (gradient_papers.md, Section 4)

CASES = [
    # default options: the constructed start (near an exact zero-loss point), the one every flow claim uses
    Case("flow.rank-condition", "flow_o1", "proved", values={"rank_D": "2", "K": "7"}, label="rank condition"),
    Case("flow.rank-condition", "flow_n3", "proved", values={"rank_D": "3"}, label="rank condition"),
    Case("flow.rank-condition", "flow_n4", "proved", values={"rank_D": "4", "K": "13"}, label="rank condition"),
    Case("flow.rank-condition", "flow_o1", "proved", values={"rank_D": "2", "K": "7", "cost_0": "7109/7200"},
         options={"theta": O1}, label="rank condition"),
    Case("flow.rank-condition", "flow_n3", "proved", values={"rank_D": "3"},
         options={"start": "random", "seed": 11, "widths": "4"}, label="rank condition"),
    Case("flow.rank-condition", "flow_n4", "hypotheses-fail", values={"rank_D": "3"},
         options={"start": "random", "seed": 11, "widths": "3"}, label="rank condition"),
]


test_flow_rank_condition = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
