"""Claim declarations and the registry.

One declaration per claim feeds the check, the LaTeX statement, the CLI listing and the docs.  A check
takes an :class:`~exactmin.data.instance.Instance` and keyword options and returns a
:class:`~exactmin.certify.certificate.Certificate`; it never decides anything with floats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

REGISTRY: dict[str, "Claim"] = {}


@dataclass(frozen=True)
class Claim:
    id: str
    paper: str                 # "deep" | "shallow" | "flow" | "sym"
    ref: str                   # equation / theorem numbers in the paper
    title: str
    statement: str             # LaTeX
    hypotheses: tuple[str, ...]
    readings: tuple[tuple[str, str], ...]   # (name, meaning)
    values: tuple[tuple[str, str], ...]     # (value name in the certificate, meaning)
    check: Callable = field(compare=False, repr=False)
    options: tuple[tuple[str, object, str], ...] = ()  # (name, default, help)
    needs_instance: bool = True  # False: the check builds its own exact data; it is called with inst=None


def claim(**decl):
    """Decorator: ``@claim(id=..., paper=..., ...)`` registers the decorated check function."""
    def register(fn):
        c = Claim(check=fn, **decl)
        if c.id in REGISTRY:
            raise ValueError(f"duplicate claim id {c.id}")
        REGISTRY[c.id] = c
        return fn
    return register


def load_all() -> dict[str, Claim]:
    """Import every claim module (registration happens on import) and return the registry."""
    from . import deep, deep_geometry, deep_minima, deep_rank, deep_steps, flow, shallow, sym  # noqa: F401
    return REGISTRY


def get(claim_id: str) -> Claim:
    from ..errors import InputError
    reg = load_all()
    if claim_id not in reg:
        raise InputError(f"unknown claim id {claim_id!r} (run 'exactmin claims' for the list)")
    return reg[claim_id]
