"""Claims of the symmetry paper, arXiv:2105.12221 (ids ``sym.*`` in ../shared/CLAIMS.md)."""
from __future__ import annotations
