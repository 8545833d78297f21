"""Kernel checkers for the adapted gradient flow (arXiv:2311.15487).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the instance (or None for an
instance-free claim) and the certificate's witness.
"""
from __future__ import annotations

CHECKERS: dict = {}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()
