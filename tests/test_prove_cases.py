"""`exactmin prove --cases FILE`: a user's regression suite on their own instances.

Expectations are taken from an independent run of the check (the API), then the suite must report them as
expected; a flipped expectation must be reported as not (exit 1); a malformed case file is exit 2 with one line
before any claim runs."""

import json
import subprocess
import sys

import pytest

import exactmin
from exactmin.cli import main
from exactmin.prove import case_id, load_cases, pytest_cases

SEED = 4471093


@pytest.fixture()
def suite(tmp_path):
    inst_path = tmp_path / "data" / "mine.json"
    inst_path.parent.mkdir()
    assert main(["generate", "deep", "--q", "3", "--per-class", "5", "--seed", str(SEED), "-o", str(inst_path)]) == 0
    rows = []
    for claim, opts in [("deep.hypotheses", {}), ("deep.thm2.3", {}), ("deep.lemma4.1", {"seed": 2}),
                        ("sym.count-T", {"r": 3, "m": 4})]:
        cert = exactmin.check(claim, None if claim.startswith("sym") else inst_path, **opts)
        row = {"claim": claim, "expect": cert.verdict, "options": opts, "label": f"L-{claim}",
               "readings": {k: r["verdict"] for k, r in cert.readings.items()}}
        if not claim.startswith("sym"):
            row["instance"] = "data/mine.json"                 # relative to the case file
        if cert.values:
            k = sorted(cert.values)[0]
            row["values"] = {k: cert.values[k]}
        rows.append(row)
    f = tmp_path / "cases.json"
    f.write_text(json.dumps({"case": rows}))
    return f, rows


def test_a_users_suite_runs_as_expected(suite, capsys):
    f, rows = suite
    assert main(["prove", "--cases", str(f), "-q"]) == 0
    out = capsys.readouterr().out
    assert f"{len(rows)} as expected, 0 not" in out
    assert "L-deep.thm2.3" in out and "seed=2" in out          # rows show what distinguishes the cases


def test_a_flipped_expectation_is_reported(suite, tmp_path, capsys):
    f, rows = suite
    rows[1]["expect"] = "refuted" if rows[1]["expect"] != "refuted" else "proved"
    g = tmp_path / "flipped.json"
    g.write_text(json.dumps(rows))
    assert main(["prove", "--cases", str(g)]) == 1
    assert "MISMATCH" in capsys.readouterr().out
    assert main(["prove", "--cases", str(g), "--claims", "deep.hyp*"]) == 0      # the filter leaves it out


def test_toml_cases_and_filters(suite, tmp_path, capsys):
    f, rows = suite
    r = rows[0]
    toml = (f'[[case]]\nclaim = "{r["claim"]}"\ninstance = "data/mine.json"\nexpect = "{r["expect"]}"\n'
            f'label = "toml"\n')
    g = tmp_path / "c.toml"
    g.write_text(toml)
    assert main(["prove", "--cases", str(g), "--instance", "mine"]) == 0
    assert main(["prove", "--cases", str(g), "--instance", "other"]) == 2


@pytest.mark.parametrize("bad, needle", [
    ({"claim": "deep.nope", "expect": "proved", "instance": "deep_q2"}, "deep.nope"),
    ({"claim": "deep.thm2.3", "expect": "proven", "instance": "deep_q2"}, "proven"),
    ({"claim": "deep.thm2.3", "expect": "proved", "instance": "deep_q2", "optoins": {}}, "optoins"),
    ({"claim": "deep.lemma4.1", "expect": "proved", "instance": "deep_q2", "options": {"sede": 1}}, "sede"),
    ({"claim": "deep.thm2.3", "expect": "proved"}, "instance"),
])
def test_malformed_case_files_are_one_line_exit_2(tmp_path, capsys, bad, needle):
    g = tmp_path / "bad.json"
    g.write_text(json.dumps([bad]))
    assert main(["prove", "--cases", str(g)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


def test_invalid_toml_is_exit_2(tmp_path, capsys):
    g = tmp_path / "bad.toml"
    g.write_text("[[case]\nclaim = ")
    assert main(["prove", "--cases", str(g)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_pytest_cases_makes_one_test_per_case_with_readable_ids(suite):
    f, rows = suite
    cases = load_cases(f)
    test = pytest_cases(cases)
    mark = next(m for m in test.pytestmark if m.name == "parametrize")
    assert len(mark.args[1]) == len(rows)
    ids = [case_id(c) for c in cases]
    assert len(set(ids)) == len(ids) and all(c.claim in i for c, i in zip(cases, ids))


def test_the_package_scripts_give_one_test_per_case():
    p = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "exactmin/proofs/prove_deep_lemma4_1.py"],
                       capture_output=True, text=True)
    lines = [ln for ln in p.stdout.splitlines() if "::" in ln]
    from exactmin.proofs import prove_deep_lemma4_1 as s
    assert len(lines) == len(s.CASES)
