"""exactmin: an exact proof checker for L² cost minimizers of ReLU networks."""

__version__ = "0.1.0"
