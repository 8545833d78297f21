"""deep.lemma5.1 — Lemma 5.1: mu > 2 delta ||W||_op implies sigma(W x + mu u_Q) = W x + mu u_Q on B_delta(0)."""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.lemma5.1", "deep_q2", "proved", label="Lemma 5.1"),
    Case("deep.lemma5.1", "deep_q3", "proved", label="Lemma 5.1"),
    Case("deep.lemma5.1", "deep_q4", "proved", options={"seed": 3}, label="Lemma 5.1"),
]


test_deep_lemma51 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
