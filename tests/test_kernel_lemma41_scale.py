"""deep.lemma4.1 / 5.1 in the kernel at scale: δ² = max |Δx|² is one pass over the data per instance (it was
recomputed for every row of every reading: 200 passes, minutes at N = 4·10^4), with the same verdicts."""
from __future__ import annotations

import json

import pytest

from exactmin.cli import main
from exactmin.data.generate import generate_deep
from exactmin.data.io import write_instance
from exactmin_kernel import driver, interp
from exactmin_kernel.instance import load
from exactmin_kernel.statements import deep_lemma4_1, deep_lemma5_1


@pytest.mark.parametrize("claim,st", [("deep.lemma4.1", deep_lemma4_1), ("deep.lemma5.1", deep_lemma5_1)])
def test_delta_squared_once_per_instance(claim, st, tmp_path, monkeypatch):
    inst = generate_deep(4, 60, seed=71218111, denominator=3**7)
    path, cert = tmp_path / "i.json", tmp_path / "c.json"
    write_instance(inst, str(path))
    assert main(["check", claim, "--instance", str(path), "--certificate", str(cert), "--quiet"]) in (0, 1, 3)
    doc = json.loads(cert.read_text())
    calls = [0]
    real = interp.sub

    def counting(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(deep_lemma4_1, "sub", counting)
    got = driver.derive(st, load(str(path)), doc["witness"])
    assert {r: v for r, (v, _) in got.items()} == doc["readings"]
    assert calls[0] <= 2 * 2 * inst.N        # δ² once (2 subs per point) and the points reading's values once
