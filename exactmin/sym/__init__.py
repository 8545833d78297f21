"""Symmetries of two-layer networks (Şimşek et al., arXiv:2105.12221): counts T, G and neuron splitting."""
