"""deep.lemma5.1, Lemma 5.1 of arXiv:2309.10639v4 ((5.1)-(5.2)): the statement of deep_lemma4_1 with SIGN = +1
(mu > 2 delta ||W||_op gives sigma(Wx + mu u) = Wx + mu u on the closed ball and at every deviation)."""
from .deep_lemma4_1 import READINGS, SCHEMA, statement  # noqa: F401

CLAIM, SIGN = "deep.lemma5.1", 1
hypotheses, premises, conclusion, refutation = statement(SIGN)
