"""The adapted gradient flow of arXiv:2311.15487.

* :mod:`exactmin.flow.ball`: the whole orbit (adapted and plain flow) certified by one ball, no integration
  (what flow.exp-rate and flow.stopping-time certify).
* :mod:`exactmin.flow.start`: the default start θ_0, near an exact zero-loss point.
* :mod:`exactmin.flow.equilibria`: the equilibria of flow.equilibria-rank-loss.
* :mod:`exactmin.flow.numeric`: the network, its Jacobian and both vector fields in any number type (mpmath
  ``mpf`` for the adapted flow, float64 for the plain flow) — evidence and figures only.
* :mod:`exactmin.flow.orbit`: Gragg–Bulirsch–Stoer integration of the adapted flow with exactly evaluated
  rational checkpoints — the report's figures only.
* :mod:`exactmin.flow.plot`: ``plot_orbit(orbit, path)`` (needs matplotlib).
"""
