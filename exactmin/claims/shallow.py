"""Claims of the shallow paper, arXiv:2309.10370 (ids ``shallow.*`` in ../shared/CLAIMS.md)."""
from __future__ import annotations
