"""Kernel checkers for the symmetry paper (arXiv:2105.12221).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the instance (or None for an
instance-free claim) and the certificate's witness.
"""
from __future__ import annotations

CHECKERS: dict = {}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()
