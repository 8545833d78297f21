"""shallow.upper-bound — the O(delta_P) upper bound for Q <= M (arXiv:2309.10370; digest §3.1, §4.1).

The width-M network W_1 = [(X_0^red)^+; K], b_1 = (beta u; -beta' u), W_2 = [Y, 0], b_2 = -beta Y u (rational
variant, same cost as the orthogonal one) has cost^2 = ||Y (X_0^red)^+ Delta X_0||^2_{L2_N} = Tr(Y Delta_2 Y^T)
<= Q lambda_bar delta_P^2 (lambda_bar >= ||Y||_op^2 by a PSD certificate; the constant Q lambda_bar is ours).

Expected values, and why:
* shallow_q2_m3 / shallow_q2_m2 are the digest's examples §5.1 / §5.2: cost^2 = 4589/423200, delta_P^2 =
  521/190440 and cost^2 = 353/18150, delta_P^2 = 53/6050 (= Q delta_P^2 / 2 = 53/3025 / 2), computed there with
  sympy and recomputed by us with an independent sympy script from the instance files (Tr Delta_2 = 1901/423200).
* shallow_q2_m2_symmetric, by hand: means e_1, e_2, so (X_0^red)^+ = I; deviations +-(1/10)(1,-1) and
  +-(1/5)(1,-1): cost^2 = Tr Delta_2 = (1/2)(2/100 + 2/100) + (1/2)(8/100 + 8/100) = 1/10, delta_P^2 = 8/100 = 2/25,
  Y = I so lambda_bar = 1, C = Q = 2, ratio = (1/10)/(2/25) = 5/4.
* iris (Fisher 1936, M = 4 > Q = 3): cost^2 and delta_P^2 recomputed with an independent sympy script from
  ../shared/data/iris.csv; cost^2 ~ 5.54 exceeds the cost 3 of the zero network: delta_P^2 ~ 11.6, the bound is
  vacuous on Iris (noise larger than signal in barycentric coordinates).
"""
import sys

from exactmin.prove import Case, main, pytest_cases

R = {"construction": "proved", "bound": "proved"}
CASES = [
    Case("shallow.upper-bound", "shallow_q2_m3", "proved",
         values={"construction_cost_squared": "4589/423200", "formula_cost_squared": "4589/423200",
                 "delta_P_squared": "521/190440", "trace_Delta2": "1901/423200"},
         readings=R, label="upper bound, digest 5.1"),
    Case("shallow.upper-bound", "shallow_q2_m2", "proved",
         values={"construction_cost_squared": "353/18150", "delta_P_squared": "53/6050"},
         readings=R, label="upper bound, digest 5.2"),
    Case("shallow.upper-bound", "shallow_q2_m2_symmetric", "proved",
         values={"construction_cost_squared": "1/10", "delta_P_squared": "2/25", "trace_Delta2": "1/10",
                 "Y_gram_lambda_max_upper": "1", "constant_C": "2", "ratio": "5/4"},
         readings=R, label="upper bound, by hand"),
    Case("shallow.upper-bound", "shallow_q3_m5", "proved", readings=R, label="upper bound, M > Q"),
    Case("shallow.upper-bound", "iris", "proved",
         values={"construction_cost_squared":
                 "1367719489253368146920291890804687/246794651542068529364966761991641",
                 "delta_P_squared": "2867801689508146945421795892644581/246794651542068529364966761991641",
                 "constant_C": "3"},
         readings=R, label="upper bound, Iris"),
]


test_shallow_upper_bound = pytest_cases(CASES)   # one pytest test per case


if __name__ == "__main__":
    sys.exit(main(CASES))
