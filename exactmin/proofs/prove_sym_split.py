"""sym.split — neuron splitting (digest §2.1): function kept, exact gradient identities, critical points (zero loss
and a designed nonzero-loss one) map to critical points on the whole split subspace.  Two-layer networks (depth 1,
the default) and deep networks with 2, 3 and 4 hidden layers (digest §2.1 "Deep networks", §5 item 13).

Hand counts, two-layer: points = width (d + 1 + bias) + 4 (more points than parameters); betas per split = copies
vertices + non-convex + uniform + random = copies + 3, so splits = width (copies + 3); the vertices give
beta_rank = copies.
Deep (L hidden layers of width n, scalar output, b = bias): params = n (d + b) + (L − 1) n (n + b) + (n + b);
points = params + 4; every neuron of every hidden layer is split, so splits = L n (copies + 3).
  L = 2, n = 3, d = 2, b = 0:  params = 6 + 9 + 3 = 18,  points 22, splits 2·3·6 = 36;
  L = 3, n = 2, d = 2, b = 1:  params = 6 + 2·6 + 3 = 21, points 25, splits 3·2·6 = 36;
  L = 4, n = 2, d = 2, b = 1:  params = 6 + 3·6 + 3 = 27, points 31, splits 4·2·6 = 48.
"""
from exactmin.prove import Case, main, pytest_cases

_ALL = {r: "proved" for r in ("function", "gradient-identities", "critical-zero-loss", "critical-positive-loss")}

CASES = [
    Case("sym.split", None, "proved", values={"width": "3", "copies": "3", "points": "13", "splits": "18",
                                              "beta_rank": "3"}, label="bias-free"),
    Case("sym.split", None, "proved", values={"width": "3", "copies": "4", "points": "16", "splits": "21",
                                              "beta_rank": "4"},
         options={"bias": 1, "copies": 4, "seed": 1}, label="with biases"),
    Case("sym.split", None, "proved", values={"width": "2", "copies": "2", "points": "12", "splits": "10",
                                              "beta_rank": "2"},
         options={"seed": 2, "width": 2, "d": 3, "copies": 2}, label="d=3"),
    Case("sym.split", None, "proved", values={"depth": "2", "width": "3", "params": "18", "points": "22",
                                              "splits": "36", "beta_rank": "3"},
         options={"depth": 2}, label="deep L=2", readings=_ALL),
    Case("sym.split", None, "proved", values={"depth": "3", "width": "2", "params": "21", "points": "25",
                                              "splits": "36", "beta_rank": "3"},
         options={"depth": 3, "width": 2, "bias": 1, "seed": 1}, label="deep L=3 bias", readings=_ALL),
    Case("sym.split", None, "proved", values={"depth": "4", "width": "2", "params": "27", "points": "31",
                                              "splits": "48", "beta_rank": "3"},
         options={"depth": 4, "width": 2, "bias": 1, "seed": 1}, label="deep L=4 bias", readings=_ALL),
]


test_sym_split = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
