"""The adapted gradient flow of arXiv:2311.15487: numerical integration (mpmath) with a-posteriori error
estimates, exact certification of the orbit's checkpoints, the plain gradient flow for comparison, and a plot.

* :mod:`exactmin.flow.numeric`: the network, its Jacobian and both vector fields in any number type (mpmath
  ``mpf`` for the adapted flow, float64 for the plain flow).
* :mod:`exactmin.flow.orbit`: Gragg–Bulirsch–Stoer integration, rational checkpoints certified exactly
  (activation pattern, pattern radius, rank), the a-posteriori tube radius, the plain-flow comparison.
* :mod:`exactmin.flow.plot`: ``plot_orbit(orbit, path)`` (needs matplotlib).
"""
