"""deep.eq4.43 — (4.43): µ_1u/|u| + B_δ(W_*R_1(x̄_{0,j} − x̄_{0,1})) ⊂ C_{θ_Q}[u_Q] for −D ≤ µ_1 ≤ −2δ|u_Q|.

False as printed when λ < 1 and µ_1 is near −D: (4.26) puts only the ellipsoid W_*R_1B_δ inside the cone, and W_*
shrinks the distance to the boundary.  For the paper's network (every R_1 with R_1f_1 = u/√Q: the centre's axial
coordinate µ_1 + ⟨a, f_1⟩ and its distance λ|a_⊥| to the axis do not depend on R_1), at a certified µ_1 ∈ I_0 just
above −D (the lower end of deep.thm2.3's D enclosure) the centre of class 2 is closer than δ to ∂C_{θ_Q}[u] on
every bundled instance (W-G on the W-A data: 169/20000 < 1/100).  The data themselves pass ((4.40), `data`, for the
rational realisation of deep.thm2.3 at that µ_1).  Expected: λ is deep.thm2.3's (the values of deep.eq4.30's cases).
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"ball-as-printed": "refuted", "data": "proved"}
CASES = [
    Case("deep.eq4.43", "deep_q2", "refuted", readings=R, values={"lambda": "13227/16384", "delta_squared": "1/80"},
         label="(4.43)"),
    Case("deep.eq4.43", "deep_q3", "refuted", readings=R, values={"lambda": "20535/65536"}, label="(4.43)"),
    Case("deep.eq4.43", "deep_q4", "refuted", readings=R, values={"lambda": "9593/65536"}, label="(4.43)"),
    Case("deep.eq4.43", "deep_q2_violates_2_14", "hypotheses-fail", label="(4.43), (2.14) fails"),
]

test_deep_eq443 = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
