"""The exactmin kernel: re-checks a certificate against an instance file with the standard library only.

Trust base: this package, CPython's ``fractions``, ``json``, ``csv``, ``hashlib``, ``math``, ``zipfile``.  It
imports nothing else from exactmin (a test enforces this; imports inside the package are relative).  ``core``
has its own instance parser and canonical hash, exact linear algebra over ``Fraction``, rigorous square-root
bounds from ``math.isqrt`` and the driver; one module per paper (``deep``, ``shallow``, ``sym``) holds
the checkers (flow.* is on the obligation kernel).  For every claim it supports it RE-DERIVES the verdict of every
reading and every value from the instance and the certificate's witness; a certificate is valid iff everything it states matches.
Enclosures are re-checked as inequalities.  Usage: ``verify(cert_dict, instance_path) -> (ok, reason)``.
"""
from __future__ import annotations

from . import deep, deep_geometry, deep_minima, shallow, sym
from .core import (CHECKERS, ENCLOSURES, INSTANCE_FREE, Instance, InstanceError, Reject, is_psd,  # noqa: F401
                   load_instance, sign_root_sum, sqrt_bounds, verify, verify_one)

for _m in (deep, deep_geometry, deep_minima, shallow, sym):
    _clash = set(CHECKERS) & set(_m.CHECKERS)
    assert not _clash, _clash
    CHECKERS.update(_m.CHECKERS)
    ENCLOSURES.update(getattr(_m, "ENCLOSURES", {}))
    INSTANCE_FREE.update(getattr(_m, "INSTANCE_FREE", set()))
