"""sym.zero-type — zero-type neurons (digest §2.2): they keep the function and, at zero loss, criticality; at a
critical point with L > 0 the general statement is REFUTED by an exact zero single (and group) with dL/da != 0,
and for ReLU also the strong/generic 'only at zero loss' readings are refuted by a neuron inactive on all data.

Expected: `refuted` overall; dead_a = 7/3 is the construction's choice; points = width (d + 1 + bias) + 4.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("sym.zero-type", None, "refuted", values={"width": "3", "points": "13", "dead_a": "7/3"},
         label="bias-free"),
    Case("sym.zero-type", None, "refuted", values={"width": "3", "points": "19", "dead_a": "7/3"},
         options={"bias": 1, "d": 3, "seed": 5}, label="with biases"),
]


test_sym_zero_type = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
