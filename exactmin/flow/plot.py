"""Plot of an adapted-flow orbit: the exact costs C(θ_k) at the rational checkpoints against the predicted
curve e^{−2κs} C(0), on a log scale.  Needs matplotlib (not a dependency of exactmin)."""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import InputError


def plot_orbit(orbit, path) -> list[Path]:
    """Write ``<path stem>.png`` and ``<path stem>.pdf``; return the two paths.

    ``orbit`` is an :class:`exactmin.flow.orbit.Orbit`.  Raises :class:`InputError` if matplotlib is missing.
    """
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("plot_orbit needs matplotlib, which is not installed") from None
    base = Path(path)
    base = base.with_suffix("") if base.suffix.lower() in (".png", ".pdf") else base
    s = [float(t) for t in orbit.times]
    c = [float(x) for x in orbit.costs]
    k, c0 = float(orbit.kappa), float(orbit.cost0)
    fine = [s[-1] * i / 400 for i in range(401)] if s else []
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.semilogy(fine, [c0 * math.exp(-2 * k * t) for t in fine], "-", label=r"$e^{-2\kappa s}C(0)$")
    ax.semilogy(s, c, "o", ms=3, label=r"$C(\theta_k)$ (exact, at checkpoints)")
    ax.set_xlabel("s")
    ax.set_ylabel("C")
    ax.set_title(f"adapted flow, kappa = {orbit.kappa}")
    ax.legend()
    out = [base.with_suffix(".png"), base.with_suffix(".pdf")]
    for p in out:
        fig.savefig(p)
    plt.close(fig)
    return out
