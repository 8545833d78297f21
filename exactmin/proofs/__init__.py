"""The proof scripts: one ``prove_<claim>.py`` per claim, each declaring ``CASES`` (see :mod:`exactmin.prove`).

They ship with the package (``exactmin prove`` runs them after any install), pytest collects each script, and
``python -m exactmin.proofs.prove_deep_thm2_3`` (or ``python exactmin/proofs/prove_deep_thm2_3.py``) runs one.
"""
