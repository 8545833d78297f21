"""deep.eq4.30 — (4.27)–(4.31): the shrink matrix W_* = lambda I + (1 - lambda) u u^T / Q.

lambda is the rational shrink factor deep.thm2.3 uses on the instance (same loop over theta_0).  Exact
certificates: W_* u = u; W_* = lambda on u^perp; ||W_*|| = 1 and ||W_*^{-1}|| = 1/lambda by PSD tests plus
attaining vectors; W_*^T A_Q W_* = c A_* (quadratic forms of the two cones), so W_* maps C_theta*[u] onto
C_theta_Q[u]; C_theta_Q[u] lies in the orthant by a PSD certificate per coordinate; theta_* > max_j theta_*,j.
Expected values: ||W_*|| = 1 and ||W_*^{-1}|| = 1/lambda (eigenvalues 1 and lambda of a symmetric matrix),
cos^2(theta_Q/2) = (Q-1)/Q and tan^2(theta_Q/2) = 1/(Q-1) (paper, definition of theta_Q); lambda equals the
lambda recorded by deep.thm2.3 on the same instance.  The sentence after (4.31) ("W_* maps C_theta*[u] into the
interior of C_theta_Q[u]") is refuted on every instance: x = W_*^{-1}(u - e_1) is a boundary point of C_theta*[u]
and W_* x = u - e_1 has a zero coordinate (reading into-interior); so the claim's overall verdict is refuted.
"""
import sys

from exactmin.prove import Case, main, pytest_cases

CASES = [
    Case("deep.eq4.30", "deep_q2", "refuted", readings={"fixes-u": "proved", "opnorm": "proved", "cone-map": "proved", "cone-in-orthant": "proved", "aperture": "proved", "into-interior": "refuted"},
         values={"lambda": "13227/16384", "opnorm": "1", "inverse_opnorm": "16384/13227", "kappa_Q": "1/2",
                 "tan_sq_half_theta_Q": "1"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q3", "refuted", readings={"fixes-u": "proved", "opnorm": "proved", "cone-map": "proved", "cone-in-orthant": "proved", "aperture": "proved", "into-interior": "refuted"},
         values={"lambda": "20535/65536", "opnorm": "1", "inverse_opnorm": "65536/20535", "kappa_Q": "2/3",
                 "tan_sq_half_theta_Q": "1/2", "kappa": "421686225/2569169873"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q4", "refuted", readings={"fixes-u": "proved", "opnorm": "proved", "cone-map": "proved", "cone-in-orthant": "proved", "aperture": "proved", "into-interior": "refuted"},
         values={"lambda": "9593/65536", "opnorm": "1", "inverse_opnorm": "65536/9593", "kappa_Q": "3/4",
                 "tan_sq_half_theta_Q": "1/3"}, label="(4.30)"),
    Case("deep.eq4.30", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.30), (2.14) fails"),
    # (4.27)-(4.31) are steps of Theorem 2.3's proof: under its hypotheses only, whatever lambda is given
    Case("deep.eq4.30", "deep_q2_violates_2_14", "hypotheses-fail", options={"lambda": "1/2"},
         readings={"opnorm": "hypotheses-fail", "into-interior": "hypotheses-fail"}, label="(4.30), lambda = 1/2"),
    Case("deep.eq4.30", "deep_q3", "refuted", options={"lambda": "1"},
         readings={"aperture": "hypotheses-fail", "into-interior": "refuted", "inverse-opnorm": "proved"},
         label="(4.31), lambda = 1: W_* = I, theta_* = theta_Q"),
]


test_deep_eq430 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
