"""deep.eq2.66 — (2.66): tau_{lam W, lam b} = tau_{W,b} for lam > 0, exactly on the instance's points."""
from exactmin.prove import Case, assert_cases, main

CASES = [
    Case("deep.eq2.66", "deep_q2", "proved", label="(2.66)"),
    Case("deep.eq2.66", "deep_q3", "proved", options={"seed": 5}, label="(2.66)"),
]


def test_deep_eq266():
    assert_cases(CASES)


if __name__ == "__main__":
    raise SystemExit(main(CASES))
