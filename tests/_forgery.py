"""Helpers shared by the obligation-kernel forgery tests: the kernel's reading words, "rejected by a named
obligation", and dropping named obligations from a statement (to show that each obligation is needed)."""
from __future__ import annotations

import pytest

import exactmin_kernel as K
from exactmin_kernel import driver


def words(got):
    """{reading: verdict} of a :func:`exactmin_kernel.check` result."""
    return {r: v for r, (v, _) in got[2].items()}


def rejected_by(doc, I, name):
    """The kernel rejects ``doc`` and its message names the obligation ``name``."""
    with pytest.raises(driver.Invalid) as e:
        K.check(doc, I)
    assert name in str(e.value), str(e.value)


def drop_obligations(monkeypatch):
    """``_drop(mod, part)``: remove from the statement module ``mod`` every obligation (conclusion, premises,
    refutation) whose name contains ``part``."""
    def _drop(mod, part):
        for fn in ("conclusion", "premises", "refutation"):
            if hasattr(mod, fn):
                orig = getattr(mod, fn)
                monkeypatch.setattr(mod, fn, lambda I, w, r, orig=orig: (ob for ob in orig(I, w, r) if part not in ob.name))
    return _drop
