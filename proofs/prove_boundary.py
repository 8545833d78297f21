"""Boundary instances: hypotheses exactly on their strict inequality (arXiv:2309.10639).

(2.14) is strict: c0^2 = delta^2 / min_j |xbar_0,j - xbar_0|^2 < 1/16.

* ``boundary_2_14_equal``: means (4, 0) and (0, 4), barycenter (2, 2), so min |xbar_j - xbar|^2 = 8; every
  deviation is (+-1/2, +-1/2), so delta^2 = 1/4 + 1/4 = 1/2 and c0^2 = (1/2)/8 = 1/16 EXACTLY.  The strict
  inequality fails: reading 2.14 must be hypotheses-fail with margin 1/16 - c0^2 = 0 (never `proved` by rounding),
  and Theorem 2.3, which assumes (2.14), must report hypotheses-fail too.
* ``boundary_2_14_inside``: the same with the first deviation coordinate 499/1000 instead of 1/2:
  delta^2 = (499/1000)^2 + (1/2)^2 = 499001/1000000, c0^2 = 499001/8000000 < 1/16, margin
  1/16 - c0^2 = 500000/8000000 - 499001/8000000 = 999/8000000 > 0, so every hypothesis holds (cone condition
  (2.51) has slack: cone_min_margin > 0) and Theorem 2.3's construction gives cost exactly 0.
Run alone: ``python proofs/prove_boundary.py``.
"""
from exactmin.prove import Case, assert_cases, main

CASES = [
    Case("deep.hypotheses", "boundary_2_14_equal", "hypotheses-fail", values={"c0_squared": "1/16", "margin_2_14": "0"},
         readings={"2.14": "hypotheses-fail", "2.12": "proved", "2.51": "proved"}, label="(2.14) c0^2 = 1/16"),
    Case("deep.thm2.3", "boundary_2_14_equal", "hypotheses-fail", label="Thm 2.3 needs (2.14)"),
    Case("deep.hypotheses", "boundary_2_14_inside", "proved",
         values={"c0_squared": "499001/8000000", "margin_2_14": "999/8000000"}, label="(2.14) just inside"),
    Case("deep.thm2.3", "boundary_2_14_inside", "proved", values={"cost_squared": "0"}, label="Thm 2.3 cost 0"),
]


def test_boundary():
    assert_cases(CASES)


if __name__ == "__main__":
    raise SystemExit(main(CASES))
