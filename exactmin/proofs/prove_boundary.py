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

µ at the ends of its interval (Theorem 2.3, I_0 = (-D, -2 delta sqrt Q), open):

* ``boundary_mu_end``: means (4, 0) and (0, 4), deviations (+-1/4, +-1/4) (class 1: (1/4, 1/4), (-1/4, -1/4);
  class 2: (1/4, -1/4), (-1/4, 1/4)), so delta^2 = 1/16 + 1/16 = 1/8 and the upper end of I_0 is RATIONAL:
  2 delta sqrt Q = 2 sqrt(1/8 * 2) = 2 * 1/2 = 1.  c0^2 = (1/8)/8 = 1/64 < 1/16.
  - ``mu = -1`` (exactly the open end): mu^2 = 1 = 4 delta^2 Q, so "mu < -2 delta sqrt Q" is false for every
    theta_0; the readings must not be `proved`: `hypotheses-fail` (mu in I_0 is exactly false), even though the
    realised network still has cost 0.
  - ``mu = -1 - 10^-30``: inside I_0 (mu^2 - 1 = 2*10^-30 + 10^-60 > 0 and -D ~ -5.2 < mu): proved, cost 0.
  - ``mu = -999999/1000000``: just outside (mu^2 < 1): hypotheses-fail.
  - ``mu = -1000``: below -D^ (D < D^ ~ 5.3 for every theta_0): hypotheses-fail; the realised net fails (cost^2 = 2).
* Pre-activation exactly 0 (``test_mu_admissible_ends_are_closed``): the certificate's ``mu_admissible_hi[j]`` is
  the exact end of the µ_j for which the realised network still collapses (sign conditions z <= 0 / z >= 0, both
  non-strict since sigma(0) = 0).  At the end a data pre-activation is exactly 0 and the collapse must hold
  (closed end, cost 0); 10^-40 beyond it the collapse must fail, 10^-40 inside it must hold.

X_0^red nearly singular and singular (shallow paper, hypothesis rank X_0^red = Q):

* ``boundary_near_singular``: classes of 4 points with means (1, 0) and (1, e), e = 10^-15, deviations
  (+-1/10, 0), (0, +-1/10) in both classes, Y = [[2, 1], [0, 1]].  det X_0^red = e, det(X^T X) = e^2 = 10^-30.
  By hand, X^{-1} = [[1, -1/e], [0, 1/e]], so X^{-1}(1/10, 0) = (1/10, 0) and X^{-1}(0, 1/10) = (1/(10e))(-1, 1);
  Delta_2 = a e1 e1^T + b w w^T with a = 1/100, b = 1/(100 e^2) = 10^28, w = (-1, 1).
  Construction cost^2 = Tr(Y Delta_2 Y^T) = a|Y e1|^2 + b|Y w|^2 = 4a + 2b = 1/25 + 2*10^28
  = 500000000000000000000000000001/25.
  Claimed cost^2 (Thm 3.2) = Tr(Y Y^T) - Tr((1 + Delta_2)^{-1} Y^T Y) = 6 - (6 + 2a + 10b)/(1 + a + 2b + ab)
  = (4 + 2.06*10^30)/(101 + 2.01*10^30) = 2060000000000000000000000000004/2010000000000000000000000000101.
  Every shallow claim gives its normal verdict (no float breakdown: everything is exact).
* ``boundary_singular``: the same with class-2 mean (2, 0): X_0^red has rank 1, every shallow claim and the
  X0red-invertible reading of deep.hypotheses are hypotheses-fail.
Run alone: ``python -m exactmin.proofs.prove_boundary``.
"""
from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.hypotheses", "boundary_2_14_equal", "hypotheses-fail", values={"c0_squared": "1/16", "margin_2_14": "0"},
         readings={"2.14": "hypotheses-fail", "2.12": "proved", "2.51": "proved"}, label="(2.14) c0^2 = 1/16"),
    Case("deep.thm2.3", "boundary_2_14_equal", "hypotheses-fail", label="Thm 2.3 needs (2.14)"),
    Case("deep.hypotheses", "boundary_2_14_inside", "proved",
         values={"c0_squared": "499001/8000000", "margin_2_14": "999/8000000"}, label="(2.14) just inside"),
    Case("deep.thm2.3", "boundary_2_14_inside", "refuted", values={"cost_squared": "0"},
         readings={"L=Q": "proved", "mu-box": "proved", "I0-box": "refuted"}, label="Thm 2.3 cost 0 (not on all of I_0^2)"),
    Case("deep.hypotheses", "boundary_mu_end", "proved", values={"delta_squared": "1/8", "c0_squared": "1/64"},
         label="delta^2 = 1/8: 2 delta sqrt Q = 1"),
    # the readings on all of I_0^2 do not depend on the user's mu: I0-box is refuted (Q = 2), so is the claim
    Case("deep.thm2.3", "boundary_mu_end", "refuted", options={"mu": "-1"}, values={"cost_squared": "0"},
         readings={"L=Q": "hypotheses-fail", "L>Q": "hypotheses-fail", "I0-box": "refuted"},
         label="mu = -2 delta sqrt Q (open end)"),
    Case("deep.thm2.3", "boundary_mu_end", "refuted", options={"mu": "-1000000000000000000000000000001/1" + "0" * 30},
         values={"cost_squared": "0"}, readings={"L=Q": "proved", "L>Q": "proved", "I0-box": "refuted"},
         label="mu = -1 - 10^-30 (inside)"),
    Case("deep.thm2.3", "boundary_mu_end", "refuted", options={"mu": "-999999/1000000"},
         readings={"L=Q": "hypotheses-fail", "I0-box": "refuted"}, label="mu just outside"),
    Case("deep.thm2.3", "boundary_mu_end", "refuted", options={"mu": "-1000"}, values={"cost_squared": "2"},
         readings={"L=Q": "hypotheses-fail", "I0-box": "refuted"}, label="mu < -D^ (outside I_0 for every theta_0)"),
    *[Case(cid, "boundary_near_singular", v, values={"det_gram_X0_red": "1/" + "1" + "0" * 30, **vals},
           label="det X_0^red = 10^-15")
      for cid, v, vals in (
          ("shallow.upper-bound", "proved", {"construction_cost_squared": "500000000000000000000000000001/25"}),
          ("shallow.thm3.2", "refuted",
           {"claimed_cost_squared": "2060000000000000000000000000004/2010000000000000000000000000101"}),
          ("shallow.thm3.3", "proved", {}),
          ("shallow.relative-error", "proved", {}))],
    *[Case(cid, "boundary_singular", "hypotheses-fail", values={"det_gram_X0_red": "0"}, label="rank X_0^red = 1")
      for cid in ("shallow.upper-bound", "shallow.thm3.2", "shallow.thm3.3", "shallow.relative-error")],
    Case("deep.hypotheses", "boundary_singular", "hypotheses-fail", values={"det_X0_red": "0"},
         readings={"X0red-invertible": "hypotheses-fail"}, label="det X_0^red = 0"),
]


test_boundary = pytest_cases(CASES)   # one pytest test per case


def test_mu_admissible_ends_are_closed():
    """At mu_admissible_hi[j] a data pre-activation is exactly 0 and the collapse holds; 10^-40 beyond, it fails."""
    from flint import fmpq

    from exactmin.claims import base
    from exactmin.claims.deep import _collapse_ok, _realise, data_matrix, hypotheses
    from exactmin.data.bundled import bundled
    from exactmin.data.io import load_instance
    from exactmin.exact.intmat import affine
    from exactmin.exact.numbers import parse_rational
    from exactmin.nets import construct_deep as cd

    inst = load_instance(bundled("boundary_mu_end"))
    Q = inst.Q
    v = base.get("deep.thm2.3").check(inst).to_json()["values"]
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    par = cd.choose_parameters(g)
    X, tol = data_matrix(inst), fmpq(*parse_rational(v["tol"]))
    eps = fmpq(1, 10**40)
    for j in range(Q):
        for end, out in (("lo", -eps), ("hi", eps)):
            e = fmpq(*parse_rational(v[f"mu_admissible_{end}[j={j + 1}]"]))
            for shift, holds in ((0, True), (-out, True), (out, False)):
                mus = [par.mu] * Q
                mus[j] = e + shift
                con = cd.build(inst, g, Q, par.lam, mus, tol)
                _, c2, fast, _, _ = _realise(con, inst, X, Q)
                ref, _ = _collapse_ok(con, inst, X, Q)        # the reference (point-by-point) path agrees
                assert fast == ref == holds, (j, end, shift)
                assert (c2 == 0) == holds
                if end == "hi" and shift == 0:
                    zero = any(int(z) == 0 for ell in range(Q) for z in affine(con.Wc[ell], con.bc[ell], X).num.flat)
                    assert zero, "the end of the interval must be where a pre-activation hits 0"


if __name__ == "__main__":
    raise SystemExit(main(CASES))
