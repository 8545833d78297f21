"""exactmin: an exact proof checker for L² cost minimizers of ReLU networks."""

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
