"""Vectorised canonical form of an instance (same bytes as :meth:`exactmin.data.instance.Instance.canonical_bytes`).

The canonical text is ``json.dumps({"classes": [[[c(x), ...], ...], ...], "format": FORMAT, "labels": [...]},
sort_keys=True, separators=(",", ":"))`` with c(x) = str(Fraction(num, den)) (module docstring of
:mod:`exactmin.data.instance`).  Every c(x) is ASCII made of digits, "-" and "/", so JSON writes it as
``"c(x)"`` without escapes; the text is therefore assembled directly: the distinct numerators are formatted
once (np.unique), and the points are joined from those strings.  ``tests/test_perf_guard.py`` checks the
bytes against the reference on random instances.
"""
from __future__ import annotations

import json
import math

import numpy as np


def _canon(num: int, den: int) -> str:
    g = math.gcd(num, den)
    num, den = num // g, den // g
    return str(num) if den == 1 else f"{num}/{den}"


def canonical_bytes(inst) -> bytes:
    """The instance's canonical bytes (see the module docstring), without per-coordinate Python work."""
    from exactmin.data.instance import FORMAT
    L = inst.X0_den
    X = inst.X0_num
    uniq, inv = np.unique(X, return_inverse=True)
    quoted = np.array(['"' + _canon(int(v), L) + '"' for v in uniq.tolist()], dtype=object)
    cells = quoted[inv.reshape(X.shape)].T.tolist()          # N rows of M quoted strings
    pts = ["[" + ",".join(row) + "]" for row in cells]
    parts, start = [], 0
    for n in inst.sizes:
        parts.append("[" + ",".join(pts[start:start + n]) + "]")
        start += n
    labels = [[_canon(int(inst.Y[r, j].p), int(inst.Y[r, j].q)) for j in range(inst.Q)]
              for r in range(inst.Y.nrows())]
    text = ('{"classes":[' + ",".join(parts) + '],"format":' + json.dumps(FORMAT) + ',"labels":'
            + json.dumps(labels, separators=(",", ":")) + "}")
    return text.encode("utf-8")
