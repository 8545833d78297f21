"""One declarative statement per claim: CLAIM, READINGS, SCHEMA, hypotheses(I), conclusion(I, w, reading) and,
where a reading can be refuted, refutation(I, w, reading)."""
from . import (deep_eq2_38, deep_eq2_61, deep_eq2_66, deep_eq2_68, deep_eq4_11, deep_eq4_13, deep_eq4_23, deep_eq4_30, deep_eq4_43, deep_hypotheses, deep_lemma4_1, deep_lemma5_1, deep_prop2_2, deep_thm2_3,
               deep_thm2_3_bound, deep_thm2_4, deep_thm2_5, flow_equilibria, flow_exp_rate, flow_rank_condition,
               flow_stopping_time, shallow_relative_error, shallow_thm3_2, shallow_thm3_3,
               shallow_upper_bound, sym_connect, sym_count_G, sym_count_T, sym_dominance, sym_split, sym_zero_type)

BY_CLAIM = {m.CLAIM: m for m in (deep_thm2_3, deep_lemma4_1, deep_lemma5_1, shallow_thm3_2, shallow_upper_bound,
                                  shallow_relative_error, shallow_thm3_3, deep_hypotheses,
                                  deep_thm2_4, deep_prop2_2, deep_eq2_66, deep_eq2_38, deep_thm2_3_bound, deep_eq4_30,
                                  deep_eq4_11, deep_eq4_13, deep_eq4_23, deep_eq4_43,
                                  deep_eq2_68, deep_eq2_61, deep_thm2_5,
                                  sym_count_T, sym_count_G, sym_dominance, sym_connect, sym_split,
                                  sym_zero_type, flow_rank_condition, flow_exp_rate, flow_stopping_time, flow_equilibria)}
