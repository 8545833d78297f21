"""deep.eq4.30 — (4.27)–(4.30): the shrink matrix W_* = lambda I + (1 - lambda) u u^T / Q.

lambda is the rational shrink factor deep.thm2.3 uses on the instance (same loop over theta_0).  Exact
certificates: W_* u = u; W_* = lambda on u^perp; ||W_*|| = 1 and ||W_*^{-1}|| = 1/lambda by PSD tests plus
attaining vectors; W_*^T A_Q W_* = c A_* (quadratic forms of the two cones), so W_* maps C_theta*[u] onto
C_theta_Q[u]; C_theta_Q[u] lies in the orthant by a PSD certificate per coordinate; theta_* > max_j theta_*,j.
Expected values: ||W_*|| = 1 and ||W_*^{-1}|| = 1/lambda (eigenvalues 1 and lambda of a symmetric matrix),
cos^2(theta_Q/2) = (Q-1)/Q and tan^2(theta_Q/2) = 1/(Q-1) (paper, definition of theta_Q); lambda equals the
lambda recorded by deep.thm2.3 on the same instance.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq4.30", "deep_q2", "proved",
         values={"lambda": "13227/16384", "opnorm": "1", "inverse_opnorm": "16384/13227", "kappa_Q": "1/2",
                 "tan_sq_half_theta_Q": "1"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q3", "proved",
         values={"lambda": "20535/65536", "opnorm": "1", "inverse_opnorm": "65536/20535", "kappa_Q": "2/3",
                 "tan_sq_half_theta_Q": "1/2", "kappa": "421686225/2569169873"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q4", "proved",
         values={"lambda": "9593/65536", "opnorm": "1", "inverse_opnorm": "65536/9593", "kappa_Q": "3/4",
                 "tan_sq_half_theta_Q": "1/3"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.30), (2.14) fails"),
    # the algebraic readings need no hypothesis: with lambda given they hold; aperture needs (2.14)
    Case("deep.eq4.30", "deep_q2_violates_2_14", "hypotheses-fail", options={"lambda": "1/2"},
         values={"opnorm": "1", "inverse_opnorm": "2", "kappa": "1/5", "cone_form_factor": "5/8"},
         label="(4.30), lambda = 1/2"),
]


test_deep_eq430 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
