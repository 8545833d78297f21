"""Plot of an adapted-flow orbit: the exact costs C(θ_k) at the rational checkpoints against the predicted
curve e^{−2κs} C(0), on a log scale.  The drawing lives in :mod:`exactmin.report.figures` (``orbit_figure``);
this module keeps the orbit-level entry point.  Needs matplotlib (not a dependency of exactmin)."""
from __future__ import annotations

from pathlib import Path


def plot_orbit(orbit, path, dpi: int = 150) -> list[Path]:
    """Write ``<path stem>.png`` and ``<path stem>.pdf``; return the two paths (PNG first).

    ``orbit`` is an :class:`exactmin.flow.orbit.Orbit`.  Raises :class:`InputError` if matplotlib is missing.
    """
    from ..report.figures import orbit_figure, output_base, save_panels
    pdf, png = save_panels([("flow", orbit_figure(orbit))], output_base(path), dpi=dpi, suffix_single=False)
    return [png, pdf]
