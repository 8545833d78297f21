"""flow.stopping-time — T_eps = ln(C(0)/eps)/(2 kappa); the plain gradient flow for comparison."""
import sys

from exactmin.prove import Case, assert_cases, main

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"

CASES = [
    Case("flow.stopping-time", "flow_o1", "proved", values={"s_before": "441/32", "s_after": "885/64",
                                                            "T_plain": "371/16"},
         options={"theta": O1}, label="a-priori stopping time"),
    Case("flow.stopping-time", "flow_n3", "proved", options={"seed": 11, "widths": "4", "dps": 25, "eps": "1e-4"},
         label="a-priori stopping time"),
]


def test_flow_stopping_time():
    assert_cases(CASES)


if __name__ == "__main__":
    sys.exit(main(CASES))
