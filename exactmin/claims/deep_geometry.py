"""Geometric claims of the deep paper, arXiv:2309.10639: (4.30), (2.61), (2.68)."""
from __future__ import annotations
