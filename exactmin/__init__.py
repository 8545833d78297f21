"""exactmin: an exact proof checker for L² cost minimizers of ReLU networks."""

__version__ = "0.1.0"

import sys as _sys

# certificates and exact values may hold integers of more than 4300 digits (instances at 10^±300 with large
# common denominators): lift CPython's int/str conversion limit; every reader caps its token lengths itself
if hasattr(_sys, "set_int_max_str_digits") and 0 < _sys.get_int_max_str_digits() < 10**6:
    _sys.set_int_max_str_digits(10**6)
