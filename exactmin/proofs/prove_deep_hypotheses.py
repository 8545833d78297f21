"""deep.hypotheses — (2.12), (2.14), (2.51)/(2.52), X_0^red and Y invertible, Q < N (arXiv:2309.10639).

Expectations: the three clustered bundled instances meet every hypothesis; the two negative instances fail
exactly the hypothesis they were built to violate.  Run alone: ``python -m exactmin.proofs.prove_deep_hypotheses``.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.hypotheses", "deep_q2", "proved", label="(2.12),(2.14),(2.51)"),
    Case("deep.hypotheses", "deep_q3", "proved", label="(2.12),(2.14),(2.51)"),
    Case("deep.hypotheses", "deep_q4", "proved", label="(2.12),(2.14),(2.51)"),
    Case("deep.hypotheses", "deep_q2_violates_2_14", "hypotheses-fail", label="(2.14) fails"),
    Case("deep.hypotheses", "deep_q3_one_point_class", "hypotheses-fail", label="(2.12) fails"),
]


test_deep_hypotheses = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
