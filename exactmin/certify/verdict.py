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
PROVENANCE = (EXACT, ENCLOSURE, SAMPLED)


def aggregate(verdicts) -> str:
    """Overall verdict: refuted if any reading is refuted, else hypotheses-fail, else undecided, else proved."""
    vs = list(verdicts)
    for v in vs:
        if v not in VERDICTS:
            raise ValueError(f"unknown verdict {v!r}")
    for v in (REFUTED, HYPOTHESES_FAIL, UNDECIDED):
        if v in vs:
            return v
    return PROVED


def exit_code(verdicts) -> int:
    """0 all proved; 1 some refuted; 3 some hypotheses-fail or undecided and none refuted."""
    v = aggregate(verdicts)
    return {PROVED: 0, REFUTED: 1}.get(v, 3)
