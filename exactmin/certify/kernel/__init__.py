"""The exactmin kernel: re-checks a certificate against an instance file with the standard library only.

Trust base: this package, CPython's ``fractions``, ``json``, ``csv``, ``hashlib``, ``math``, ``zipfile``.  It
imports nothing else from exactmin (a test enforces this; imports inside the package are relative).  ``core``
has its own instance parser and canonical hash, exact linear algebra over ``Fraction``, rigorous square-root
bounds from ``math.isqrt`` and the driver; one module per paper (``deep``, ``shallow``)
holds the checkers (every ``sym.*`` and ``flow.*`` claim is checked by the obligation kernel, ``exactmin_kernel``).  For every
claim it supports it RE-DERIVES the verdict of every reading and every value from the instance and the certificate's witness; a certificate is valid iff everything it states matches.
Enclosures are re-checked as inequalities.  Usage: ``verify(cert_dict, instance_path) -> (ok, reason)``.
"""
from __future__ import annotations

from . import deep, shallow
from .core import (CHECKERS, ENCLOSURES, INSTANCE_FREE, Instance, InstanceError, Reject, is_psd,  # noqa: F401
                   load_instance, sign_root_sum, sqrt_bounds, verify, verify_one)

for _m in (deep, shallow):
    _clash = set(CHECKERS) & set(_m.CHECKERS)
    assert not _clash, _clash
    CHECKERS.update(_m.CHECKERS)
    ENCLOSURES.update(getattr(_m, "ENCLOSURES", {}))
    INSTANCE_FREE.update(getattr(_m, "INSTANCE_FREE", set()))
