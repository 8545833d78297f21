"""Verdicts, provenance tags and exit codes (DESIGN.md, interface contract)."""
from __future__ import annotations

PROVED = "proved"
REFUTED = "refuted"
HYPOTHESES_FAIL = "hypotheses-fail"
UNDECIDED = "undecided"
VERDICTS = (PROVED, REFUTED, HYPOTHESES_FAIL, UNDECIDED)

EXACT = "exact"          # rational arithmetic, no rounding anywhere
ENCLOSURE = "enclosure"  # ball/interval arithmetic with rational endpoints
SAMPLED = "sampled"      # evidence on finitely many sample points only (never alone a proof of a ∀-claim)
SYMBOLIC = "symbolic"    # a SymPy identity for generic symbolic entries (exactmin/exact/symbolic.py), library only
PROVENANCE = (EXACT, ENCLOSURE, SAMPLED, SYMBOLIC)


class Verdict(str):
    """A verdict string (compares, hashes and serialises as the plain string) that displays itself in Jupyter.

    ``reason`` and ``provenance`` are optional annotations; the string value is one of :data:`VERDICTS`.
    """

    def __new__(cls, value: str, reason: str = "", provenance: str = ""):
        if value not in VERDICTS:
            raise ValueError(f"unknown verdict {value!r}")
        obj = super().__new__(cls, value)
        obj.reason = reason
        obj.provenance = provenance
        return obj

    def _repr_latex_(self) -> str:
        from ..report.latex import latex_verdict
        return latex_verdict(self, self.reason)

    def _repr_html_(self) -> str:
        from ..report.latex import html_verdict
        return html_verdict(self, self.reason)


def aggregate(verdicts) -> str:
    """Overall verdict: refuted if any reading is refuted, else hypotheses-fail, else undecided, else proved."""
    vs = list(verdicts)
    for v in vs:
        if v not in VERDICTS:
            raise ValueError(f"unknown verdict {v!r}")
    for v in (REFUTED, HYPOTHESES_FAIL, UNDECIDED):
        if v in vs:
            return Verdict(v)
    return Verdict(PROVED)


def exit_code(verdicts) -> int:
    """0 all proved; 1 some refuted; 3 some hypotheses-fail or undecided and none refuted."""
    v = aggregate(verdicts)
    return {PROVED: 0, REFUTED: 1}.get(v, 3)
