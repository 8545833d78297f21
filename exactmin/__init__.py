r"""exactmin: an exact proof checker for L² cost minimizers of ReLU networks.

Claims of Chen & Muñoz Ewald, arXiv:2309.10639 (deep.*) and arXiv:2309.10370 (shallow.*), Chen, arXiv:2311.15487
(flow.*) and Şimşek et al., arXiv:2105.12221 (sym.*) are checked exactly on your data: each reading is proved,
refuted (with an exact counterexample), hypotheses-fail (with the exact margin) or undecided (with the reason),
and the certificate is re-checked by a small standard-library kernel.

In a notebook::

    import exactmin
    inst = exactmin.load("data.csv")                  # or a DataFrame (class_column=...), an array with classes=,
                                                      # a bundled name such as "deep_q2"; decimals are read exactly
    cert = exactmin.check("deep.thm2.3", inst)        # a Certificate (a table in Jupyter); options as keywords
    cert.verdict, cert.readings, cert.values          # exact values as strings "p/q"
    certs = exactmin.check_all(inst, "deep.*")        # every claim matching a pattern
    ok, what = exactmin.verify(cert, inst)            # the independent kernel's re-check
    tex = exactmin.latex(certs, inst)                 # an \input-able LaTeX fragment
    exactmin.claims("shallow.*")                      # the declarations: id, the paper's label, readings, options

help(exactmin.load), help(exactmin.check), ... document each call; docs/tutorial.ipynb is a worked example.
"""

__version__ = "0.1.0"

import sys as _sys

# certificates and exact values may hold integers of more than 4300 digits (instances at 10^±300 with large
# common denominators): lift CPython's int/str conversion limit; every reader caps its token lengths itself
if hasattr(_sys, "set_int_max_str_digits") and 0 < _sys.get_int_max_str_digits() < 10**6:
    _sys.set_int_max_str_digits(10**6)

__all__ = ["load", "check", "check_all", "verify", "latex", "claims", "certificate_document", "InputError",
           "__version__"]


def __getattr__(name):
    """The notebook API (:mod:`exactmin.api`), imported on first use so that ``import exactmin`` stays fast."""
    if name in __all__ and name != "__version__":
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'exactmin' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
