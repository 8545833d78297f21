"""The generator's hypothesis test (data.stats) and the claim's (claims.deep) must name the same failures."""
import pytest

from exactmin.claims import deep
from exactmin.data import stats
from exactmin.data.bundled import bundled, list_bundled
from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance


def _instances():
    out = [load_instance(bundled(n)) for n in list_bundled()]
    for Q in (2, 3, 4):
        out.append(generate_deep(Q, 4, Q))
        for v in ("2.12", "2.14", "2.51"):
            out.append(generate_deep(Q, 4, Q, violate=v))
    return out


@pytest.mark.parametrize("inst", _instances(), ids=lambda i: i.name)
def test_stats_and_claim_agree(inst):
    fails_stats = set(stats.deep_hypotheses(inst).failures())
    fails_claim = {k for k, (ok, _) in deep.hypotheses(inst)["readings"].items() if not ok}
    if "M=Q" in fails_stats:
        assert "X0red-invertible" in fails_claim
        fails_stats = (fails_stats - {"M=Q"}) | {"X0red-invertible"}
    assert fails_stats == fails_claim
