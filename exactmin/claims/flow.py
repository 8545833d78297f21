"""Claims of the adapted gradient flow, arXiv:2311.15487 (ids ``flow.*`` in ../shared/CLAIMS.md)."""
from __future__ import annotations
