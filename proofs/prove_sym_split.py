"""sym.split — neuron splitting (digest §2.1): function kept, exact gradient identities, critical points (zero loss
and a designed nonzero-loss one) map to critical points on the whole split subspace.

Hand counts: points = width (d + 1 + bias) + 4 (more points than parameters); betas per split = copies vertices +
non-convex + uniform + random = copies + 3, so splits = width (copies + 3); the vertices give beta_rank = copies.
"""
from exactmin.prove import Case, assert_cases, main

CASES = [
    Case("sym.split", None, "proved", values={"width": "3", "copies": "3", "points": "13", "splits": "18",
                                              "beta_rank": "3"}, label="§2.1 bias-free"),
    Case("sym.split", None, "proved", values={"width": "3", "copies": "4", "points": "16", "splits": "21",
                                              "beta_rank": "4"},
         options={"bias": 1, "copies": 4, "seed": 1}, label="§2.1 with biases"),
    Case("sym.split", None, "proved", values={"width": "2", "copies": "2", "points": "12", "splits": "10",
                                              "beta_rank": "2"},
         options={"seed": 2, "width": 2, "d": 3, "copies": 2}, label="§2.1 d=3"),
]


def test_sym_split():
    assert_cases(CASES)


if __name__ == "__main__":
    raise SystemExit(main(CASES))
