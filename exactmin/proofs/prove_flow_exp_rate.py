"""flow.exp-rate — the adapted flow gives C(s) = exp(-2 kappa s) C(0) along the whole orbit, certified by one ball
B(theta_0, R): constant activation pattern, sigma_min(D) >= sigma > 0 on the ball, |r(0)| <= R sigma."""
import sys

from exactmin.prove import Case, main, pytest_cases

O1 = "1,1/2,1/3,1/4,1/2,-1/3,1/5"

CASES = [
    # default options: the constructed start; the whole orbit (all s >= 0) is certified
    Case("flow.exp-rate", "flow_o1", "proved", values={"kappa": "1/2"}, label="C(s) = e^{-2 kappa s} C(0)"),
    Case("flow.exp-rate", "flow_n3", "proved", values={"kappa": "1/3"}, label="C(s) = e^{-2 kappa s} C(0)"),
    Case("flow.exp-rate", "flow_n4", "proved", values={"kappa": "1/4"}, label="C(s) = e^{-2 kappa s} C(0)"),
    Case("flow.exp-rate", "flow_n4", "proved", options={"seed": 9, "widths": "3", "kappa": "1"},
         values={"kappa": "1"}, label="C(s) = e^{-2 kappa s} C(0)"),
    # a finite horizon: |r(0)| (1 - e^{-kappa s_max}) <= R sigma closes where the all-s condition does not
    Case("flow.exp-rate", "flow_n3", "proved", options={"start": "random", "seed": 11, "widths": "4",
                                                       "s_max": "1/100"}, label="C(s) = e^{-2 kappa s} C(0)"),
    # a user's start far from any zero-loss point: one ball is not enough, the orbit is not certified
    Case("flow.exp-rate", "flow_o1", "undecided", values={"cost_0": "7109/7200", "kappa": "1/2"},
         options={"theta": O1}, label="orbit not certified"),
    Case("flow.exp-rate", "flow_n3", "undecided", options={"start": "random", "seed": 11, "widths": "4"},
         label="orbit not certified"),
]


test_flow_exp_rate = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
