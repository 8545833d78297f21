"""deep.lemma4.1 — Lemma 4.1: mu < -2 delta ||W||_op implies sigma(W x + mu u_Q) = 0 on the whole ball B_delta(0).

||W||_op is bounded by a rational omega certified by omega^2 I - W^T W being PSD (exact LDL^T); the ball
statement is certified by mu^2 > |row_k|^2 delta^2 for every row (squares, no roots).
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.lemma4.1", "deep_q2", "proved", label="Lemma 4.1"),
    Case("deep.lemma4.1", "deep_q3", "proved", label="Lemma 4.1"),
    Case("deep.lemma4.1", "deep_q4", "proved", options={"seed": 3}, label="Lemma 4.1"),
]


test_deep_lemma41 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
