"""Certificate-mutation helpers shared by the kernel tests: find every number, change one, set one field."""
from __future__ import annotations

import copy
from fractions import Fraction


def numeric_leaves(doc, keys=("values", "enclosures", "witness"), skip=()):
    """Paths (lists of keys/indices) of every string under ``keys`` that parses as a rational number,
    except those whose path contains an element of ``skip``."""
    out = []

    def walk(x, p):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, p + [k])
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, p + [i])
        elif isinstance(x, str):
            try:
                Fraction(x)
                out.append(p)
            except ValueError:
                pass
    for key in keys:
        walk(doc.get(key, {}), [key])
    return [p for p in out if not any(s in p for s in skip)]


def set_at(doc, path, value):
    """A deep copy of ``doc`` with the entry at ``path`` replaced by ``value``."""
    c = copy.deepcopy(doc)
    t = c
    for k in path[:-1]:
        t = t[k]
    t[path[-1]] = value
    return c


def mutated(doc, path, delta):
    """A deep copy of ``doc`` with the number at ``path`` changed by ``delta`` (kept a canonical string)."""
    t = doc
    for k in path[:-1]:
        t = t[k]
    return set_at(doc, path, str(Fraction(t[path[-1]]) + delta))
