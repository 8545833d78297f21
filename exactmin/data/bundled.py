"""Instances shipped with exactmin (``exactmin/data/bundled/``).

* ``deep_q2.json``, ``deep_q3.json``, ``deep_q4.json``: satisfy every hypothesis of the deep paper with clear margins
  ((2.12), (2.14), (2.51)/(2.52), X_0^red and Y invertible, Q < N); ``deep_q2`` has labels Y = [[1, 0], [1, 2]].
* ``deep_q2_violates_2_14.json``: fails (2.14) only.
* ``deep_q3_one_point_class.json``: fails (2.12) only (class 3 is one point repeated).
* ``shallow_q2_m3``, ``shallow_q2_m2`` (the shallow digest's examples), ``shallow_q2_m2_symmetric`` (hand-computable),
  ``shallow_q3_m5``, ``shallow_q3_m3`` (generated); ``iris.csv``: Fisher's Iris data (1936), 150 points, 4 features.
* ``flow_o1``, ``flow_n3``, ``flow_n4``: small overparametrized instances for the adapted gradient flow.
"""

from __future__ import annotations

from pathlib import Path

from exactmin.errors import InputError

__all__ = ["bundled_dir", "bundled", "list_bundled"]

_SUFFIXES = (".json", ".csv", ".npz")


def bundled_dir() -> Path:
    """Directory holding the bundled instance files."""
    return Path(__file__).resolve().parent / "bundled"


def list_bundled() -> list[str]:
    """File names of the bundled instances, sorted (e.g. ``"deep_q2.json"``)."""
    d = bundled_dir()
    return sorted(p.name for p in d.iterdir() if p.is_file() and p.suffix in _SUFFIXES)


def bundled(name: str) -> Path:
    """Path of a bundled instance, by file name (``"deep_q2.json"``) or stem (``"deep_q2"``)."""
    names = list_bundled()
    if name in names:
        return bundled_dir() / name
    matches = [n for n in names if Path(n).stem == name]
    if len(matches) == 1:
        return bundled_dir() / matches[0]
    raise InputError(f"unknown bundled instance {name!r} (available: {', '.join(names)})")
