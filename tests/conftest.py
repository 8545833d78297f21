"""Fixtures shared by the test modules."""
import pytest

from _forgery import drop_obligations


@pytest.fixture
def drop(monkeypatch):
    """drop(statement_module, part): remove the statement's obligations whose name contains ``part``."""
    return drop_obligations(monkeypatch)
