"""Certificate mutation (scripts/mutate_certificates.py, quick sample) and regressions for the kernel gaps it found."""
import copy
import sys
from pathlib import Path

import pytest

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import mutate_certificates as mc  # noqa: E402


def _cert(cid, name, **opts):
    return base.get(cid).check(load_instance(bundled(name)), **opts).to_json(), bundled(name)


def test_quick_mutation_sample_never_crashes_the_kernel():
    _, rows = mc.run(2, seed=7, jobs=1, only=["deep.hypotheses", "deep.thm2.3", "shallow.upper-bound", "sym.count-G"])
    assert len(rows) > 20
    assert not [r for r in rows if r[3] == "CRASH"]
    assert sum(r[3] == "rejected" for r in rows) > len(rows) // 2


def test_unread_witness_field_is_rejected():
    doc, path = _cert("deep.thm2.3", "deep_q2")
    bad = copy.deepcopy(doc)
    bad["witness"]["note"] = "1/2"
    ok, why = kernel.verify(bad, path)
    assert not ok and "not used" in why
    assert kernel.verify(doc, path)[0]


def test_extra_reading_field_is_rejected():
    doc, path = _cert("deep.hypotheses", "deep_q2")
    bad = copy.deepcopy(doc)
    bad["readings"]["2.14"]["margin"] = "1"
    assert not kernel.verify(bad, path)[0]


def test_thm25_every_f_tilde_is_checked():
    """Found by mutation: f̃_j of a cluster with s_j = 0 was never read, so it could be anything."""
    doc, path = _cert("deep.thm2.5", "deep_q2")
    bad = copy.deepcopy(doc)
    bad["witness"]["configurations"]["01"]["f_tilde"][1][0][0] = "-2147483648/1257968153"
    assert not kernel.verify(bad, path)[0]
    bad = copy.deepcopy(doc)
    fts = bad["witness"]["configurations"]["01"]["f_tilde"]
    fts.append(copy.deepcopy(fts[0]))
    assert not kernel.verify(bad, path)[0]


@pytest.mark.slow
def test_full_mutation_run_has_no_crash():
    assert mc.main(["--per-cert", "20"]) == 0
