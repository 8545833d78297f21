"""flow.stopping-time — T_eps = ln(C(0)/eps)/(2 kappa) along the certified orbit; the plain gradient flow's hitting
time enclosed in [T_eps/Sigma^2, T_eps/sigma^2] when its orbit stays in the same ball."""
import sys

from exactmin.prove import Case, main, pytest_cases

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"

CASES = [
    Case("flow.stopping-time", "flow_o1", "proved", label="a-priori stopping time"),
    Case("flow.stopping-time", "flow_n3", "proved", label="a-priori stopping time"),
    Case("flow.stopping-time", "flow_n4", "proved", label="a-priori stopping time"),
    Case("flow.stopping-time", "flow_n4", "proved", options={"seed": 9, "widths": "3", "eps": "1e-7"},
         label="a-priori stopping time"),
    Case("flow.stopping-time", "flow_o1", "proved", options={"eps": "1/10"}, values={"T_plain_lower": "0"},
         label="C(0) <= eps: stopping time 0"),
    Case("flow.stopping-time", "flow_o1", "undecided", values={"cost_0": "7109/7200"}, options={"theta": O1},
         readings={"orbit": "undecided", "a-priori": "undecided", "plain-flow": "undecided"},
         label="orbit not certified"),
]


test_flow_stopping_time = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
