"""Kernel checkers for the geometric claims of the deep paper: (4.30), (2.61), (2.68).

Standard library plus the kernel core only (relative imports).
"""
from __future__ import annotations

CHECKERS: dict = {}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set()
