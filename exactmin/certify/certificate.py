"""Certificates (JSON, format ``exactmin-certificate/1``).

Layout (DESIGN.md contract, extended):

    {"format": "exactmin-certificate/1", "claim": id, "instance_sha256": hex, "instance_name": str,
     "verdict": overall, "readings": {name: {"verdict": v, "reason": str, "values": {...}}},
     "values": {name: "p/q"}, "provenance": {name: "exact"|"enclosure"|"sampled"},
     "enclosures": {name: {"lo": "p/q", "hi": "p/q"}}, "witness": {...}, "parameters": {...},
     "versions": {...}}

Everything under ``values``, ``readings`` and ``verdict`` is re-derived by the kernel
(:mod:`exactmin.certify.kernel`) from the instance file and the ``witness``; enclosures are re-checked as
inequalities.  All numbers are exact rationals written as strings ``"p/q"`` or ``"p"``.
"""
from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

from .verdict import PROVENANCE, VERDICTS, aggregate

FORMAT = "exactmin-certificate/1"


def versions() -> dict[str, str]:
    import flint
    import numpy
    import sympy

    from .. import __version__
    return {"exactmin": __version__, "python": platform.python_version(), "python-flint": flint.__version__,
            "sympy": sympy.__version__, "numpy": numpy.__version__}


@dataclass
class Certificate:
    claim: str
    instance_sha256: str | None      # None for instance-free claims (e.g. the counts of the symmetry paper)
    instance_name: str = ""
    readings: dict[str, dict] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    enclosures: dict[str, dict] = field(default_factory=dict)
    witness: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    # remarks for the reader that decide nothing (e.g. a proved bound that is vacuous on this instance); shown by
    # the CLI, --json and the API, never written into a certificate (the kernels check what a certificate holds)
    notes: list = field(default_factory=list)

    def add_reading(self, name: str, verdict: str, reason: str = "", **values) -> None:
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        entry = {"verdict": verdict, "reason": reason}
        if values:
            entry["values"] = {k: str(v) for k, v in values.items()}
        self.readings[name] = entry

    def set_value(self, name: str, value, provenance: str = "exact") -> None:
        if provenance not in PROVENANCE:
            raise ValueError(f"unknown provenance {provenance!r}")
        self.values[name] = str(value)
        self.provenance[name] = provenance

    def note_vacuous(self, reading: str, text: str) -> None:
        """Flag a reading whose (proved) statement says nothing new on this instance; ``text`` says why."""
        self.notes.append({"kind": "vacuous", "reading": reading, "text": text})

    def set_enclosure(self, name: str, lo, hi) -> None:
        self.enclosures[name] = {"lo": str(lo), "hi": str(hi)}
        self.provenance[name] = "enclosure"

    @property
    def verdict(self) -> str:
        return aggregate(r["verdict"] for r in self.readings.values())

    def to_json(self) -> dict:
        return {"format": FORMAT, "claim": self.claim, "instance_sha256": self.instance_sha256,
                "instance_name": self.instance_name, "verdict": self.verdict, "readings": self.readings,
                "values": self.values, "provenance": self.provenance, "enclosures": self.enclosures,
                "witness": self.witness, "parameters": self.parameters, "versions": versions()}

    def reading(self, name: str):
        """The verdict of one reading as a :class:`~exactmin.certify.verdict.Verdict` carrying its reason."""
        from .verdict import Verdict
        r = self.readings[name]
        return Verdict(r["verdict"], r.get("reason", ""))

    def _repr_latex_(self) -> str:
        from ..report.latex import latex_certificate
        return latex_certificate(self)

    def _repr_html_(self) -> str:
        from ..report.latex import html_certificate
        return html_certificate(self)

    def write(self, path: str | Path) -> None:
        """Write atomically (temp file + rename): never a half-written certificate."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1, sort_keys=False) + "\n")
        tmp.replace(path)
