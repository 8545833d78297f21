"""Proved but vacuous results are flagged (issue 19): shallow.upper-bound's bound at or above the best constant
network's cost, shallow.relative-error's lower reading with l_min = 0. The flag must match an independent
Fraction computation, decide nothing (the verdicts are unchanged) and never enter a certificate."""

import json
from fractions import Fraction

import pytest

import exactmin
from exactmin.cli import main

SEED = 9052281


def _fr(s):
    return Fraction(s)


def _trivial(inst):
    Y = [[Fraction(int(inst.Y[r, j].p), int(inst.Y[r, j].q)) for j in range(inst.Q)] for r in range(inst.Y.nrows())]
    tot = Fraction(0)
    for row in Y:
        m = sum(row) / len(row)
        tot += sum((v - m) ** 2 for v in row)
    return tot


@pytest.mark.parametrize("q, m, margin", [(2, 3, "1/4"), (3, 5, "1/8"), (3, 4, "1"), (4, 6, "1/2"), (5, 5, "1/32")])
def test_upper_bound_flag_matches_an_independent_computation(tmp_path, q, m, margin):
    f = tmp_path / "s.json"
    assert main(["generate", "shallow", "--q", str(q), "--m", str(m), "--per-class", "6", "--seed",
                 str(SEED + q * m), "--margin", margin, "-o", str(f)]) == 0
    _assert_flags(exactmin.load(f))


@pytest.mark.parametrize("name", ["iris", "shallow_q2_m3", "shallow_q2_m2_symmetric"])
def test_upper_bound_flag_on_bundled_data(name):
    _assert_flags(exactmin.load(name))


def _assert_flags(inst):
    cert = exactmin.check("shallow.upper-bound", inst)
    triv = _trivial(inst)
    bound = _fr(cert.values["constant_C"]) * _fr(cert.values["delta_P_squared"])
    flagged = {n["reading"] for n in cert.notes if n["kind"] == "vacuous"}
    assert ("bound" in flagged) == (cert.readings["bound"]["verdict"] == "proved" and bound >= triv)
    assert ("construction" in flagged) == (_fr(cert.values["construction_cost_squared"]) >= triv)
    doc = exactmin.certificate_document(cert)
    assert "notes" not in doc and "vacuous" not in json.dumps(doc).lower()
    assert exactmin.verify(cert, inst)[0]


def test_relative_error_lower_with_singular_delta2_is_flagged():
    cert = exactmin.check("shallow.relative-error", "shallow_q2_m2_symmetric")
    lmin = Fraction(cert.values["lambda_min_lower"])
    flagged = any(n["reading"] == "lower" for n in cert.notes)
    assert flagged == (lmin == 0 and cert.readings["lower"]["verdict"] == "proved")


def test_cli_prints_the_flag_and_json_carries_it(capsys):
    main(["check", "shallow.upper-bound", "--instance", "iris", "--json"])
    doc = json.loads(capsys.readouterr().out)[0]
    main(["check", "shallow.upper-bound", "--instance", "iris"])
    out = capsys.readouterr().out
    assert ("VACUOUS" in out) == bool(doc.get("notes"))
