"""deep.eq2.66 — (2.66): tau_{lam W, lam b} = tau_{W,b} for lam > 0, exactly on the instance's points."""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq2.66", "deep_q2", "proved", label="(2.66)"),
    Case("deep.eq2.66", "deep_q3", "proved", options={"seed": 5}, label="(2.66)"),
]


test_deep_eq266 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    raise SystemExit(main(CASES))
