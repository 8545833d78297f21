"""flow.exp-rate — the adapted flow gives C(s) = exp(-2 kappa s) C(0) (checked along an integrated orbit)."""
import sys

from exactmin.prove import Case, assert_cases, main

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"

CASES = [
    Case("flow.exp-rate", "flow_o1", "proved", values={"cost_0": "7109/7200", "kappa": "1/2"},
         options={"theta": O1}, label="C(s) = e^{-2 kappa s} C(0)"),
    Case("flow.exp-rate", "flow_n3", "proved", options={"seed": 11, "widths": "4", "s_max": "12", "dps": 25,
                                                       "rel_tol": "1e-12"}, label="C(s) = e^{-2 kappa s} C(0)"),
    Case("flow.exp-rate", "flow_n3", "hypotheses-fail", options={"seed": 5, "widths": "3"},
         label="orbit leaves its region"),
]


def test_flow_exp_rate():
    assert_cases(CASES)


if __name__ == "__main__":
    sys.exit(main(CASES))
