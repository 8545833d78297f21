"""deep.prop2.2 — Proposition 2.2, (2.39)–(2.45): hidden layers are cumulative truncation maps.

On random rational networks (seeded, biases through the data so that every layer has mixed signs):
X^(l) = W^(l) tau^(l)(X_0) + B^(l), sigma(X^(l)) = X^(l), and (2.45) inverts (2.43), exactly.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.prop2.2", "deep_q2", "proved", options={"seed": 0}, label="(2.39)-(2.45)"),
    Case("deep.prop2.2", "deep_q3", "proved", options={"seed": 1}, label="(2.39)-(2.45)"),
    Case("deep.prop2.2", "deep_q4", "proved", options={"seed": 2, "layers": 6}, label="(2.39)-(2.45), L=6"),
]


test_deep_prop22 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
