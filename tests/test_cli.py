"""End-to-end tests of the exactmin command: exit codes and one-line errors of the contract."""
import json
import subprocess
import sys
from fractions import Fraction

import pytest

from exactmin.cli import main
from exactmin.data.bundled import bundled


def run(*args):
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def test_claims_lists_every_foundation_claim():
    code, out, _ = run("claims")
    assert code == 0
    for cid in ("deep.hypotheses", "deep.prop2.2", "deep.eq2.66", "deep.lemma4.1", "deep.lemma5.1", "deep.thm2.3"):
        assert cid in out


def test_check_and_verify_round_trip(tmp_path):
    cert = tmp_path / "c.json"
    code, out, err = run("check", "deep.thm2.3", "--instance", str(bundled("deep_q4")), "--certificate", str(cert))
    assert code == 0, err
    doc = json.loads(cert.read_text())
    assert doc["format"] == "exactmin-certificate/2" and doc["verdict"] == "proved"     # statement-checked claim
    assert Fraction(doc["witness"]["mu"]) < 0
    code, out, err = run("verify", str(cert), "--instance", str(bundled("deep_q4")))
    assert code == 0, err
    assert "deep.thm2.3 on instance sha256" in out and "L=Q: proved" in out            # verify names what it verified
    doc["witness"]["mu"] = str(Fraction(doc["witness"]["mu"]) - Fraction(1, 3))
    cert.write_text(json.dumps(doc))
    code, out, err = run("verify", str(cert), "--instance", str(bundled("deep_q4")))
    assert code == 1 and "INVALID" in err
    # deep_q3: (2.58) on all of I_0^3 is refuted (W-I), so check exits 1; the certificate is valid
    code, out, err = run("check", "deep.thm2.3", "--instance", str(bundled("deep_q3")), "--certificate", str(cert))
    assert code == 1 and json.loads(cert.read_text())["readings"]["I0-box"] == "refuted"
    code, out, err = run("verify", str(cert), "--instance", str(bundled("deep_q3")))
    assert code == 0 and "I0-box: refuted" in out, err


def test_hypotheses_fail_exits_3_with_margin():
    code, out, _ = run("check", "deep.thm2.3", "--instance", "deep_q2_violates_2_14")
    assert code == 3
    assert "hypotheses-fail" in out and "margin_2_14 = -" in out


def test_several_claims_write_a_bundle_that_verifies(tmp_path):
    cert = tmp_path / "b.json"
    from exactmin.claims import base
    code, _, err = run("check", "deep.*", "--instance", "deep_q2", "--certificate", str(cert), "-q")
    doc = json.loads(cert.read_text())
    deep = [c for c in base.load_all() if c.startswith("deep.")]
    assert doc["format"] == "exactmin-bundle/1" and len(doc["certificates"]) == len(deep)
    verdicts = {c["verdict"] for c in doc["certificates"]}
    assert code == (1 if "refuted" in verdicts else 0), err   # deep.thm2.4/2.5 are refuted as printed
    assert run("verify", str(cert), "--instance", "deep_q2")[0] == 0


@pytest.mark.parametrize("text,ext", [
    ('{"classes": [{"points": [[1, 2], [3]]}]}', "json"),             # ragged
    ('{"classes": [{"points": [[1, "x"]]}]}', "json"),               # not a number
    ('{"classes": [{"points": [[1, NaN]]}]}', "json"),               # NaN
    ('{"classes": [{"points": []}]}', "json"),                       # empty class
    ('{"classes": [{"points": [[1e999999999, 1]]}]}', "json"),       # absurd exponent
    ('{"classes": [{"points": [[1, 2]]}, {"points": [[0, 1]]}], "labels": [[1, 0, 0]]}', "json"),  # label shape
    ('{"classes": [', "json"),                                       # invalid JSON
    ("1,2,a\n3,4\n", "csv"),                                         # ragged CSV
])
def test_malformed_instance_exits_2_with_one_line(tmp_path, text, ext):
    p = tmp_path / f"bad.{ext}"
    p.write_text(text)
    cert = tmp_path / "c.json"
    code, out, err = run("check", "deep.thm2.3", "--instance", str(p), "--certificate", str(cert))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not cert.exists(), "nothing half-written"


def test_binary_garbage_and_unknown_claim_exit_2(tmp_path):
    p = tmp_path / "bin.json"
    p.write_bytes(bytes(range(256)) * 4)
    code, _, err = run("check", "deep.thm2.3", "--instance", str(p))
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = run("check", "deep.nope", "--instance", "deep_q2")
    assert code == 2 and "unknown claim" in err
    code, _, err = run("check", "deep.thm2.3")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_latex_fragment_is_written(tmp_path):
    tex = tmp_path / "r.tex"
    assert main(["check", "deep.thm2.3", "--instance", "deep_q4", "--latex", str(tex), "-q"]) == 0
    body = tex.read_text()
    assert "deep.thm2.3" in body and "\\textbf{proved}" in body


def test_generate_writes_an_instance_that_proves(tmp_path):
    out = tmp_path / "g.json"
    assert main(["generate", "deep", "--q", "3", "--per-class", "4", "--seed", "7", "-o", str(out)]) == 0
    assert main(["check", "deep.thm2.3", "--instance", str(out), "-q"]) == 0
    bad = tmp_path / "v.json"
    assert main(["generate", "deep", "--q", "3", "--per-class", "4", "--violate", "2.14", "-o", str(bad)]) == 0
    assert main(["check", "deep.thm2.3", "--instance", str(bad), "-q"]) == 3


def test_prove_matches_every_expectation():
    code, out, err = run("prove")
    assert code == 0, out + err
    assert " as expected, 0 not" in out


def test_sym_counts_prints_closed_forms_against_enumeration(capsys):
    assert main(["sym", "counts", "--r", "2", "--m", "4"]) == 0
    out = capsys.readouterr().out
    assert out.count("agree") == 6 and "DISAGREE" not in out
    assert main(["sym", "counts", "--r", "2", "--m", "500"]) == 2


def test_unknown_option_is_rejected_with_one_line(tmp_path):
    cert = tmp_path / "c.json"
    code, out, err = run("check", "deep.thm2.3", "--instance", "deep_q2", "--option", "widht=4",
                         "--certificate", str(cert))
    assert code == 2 and "unknown option 'widht'" in err and len(err.strip().splitlines()) == 1
    assert not cert.exists()


def test_repeated_single_option_is_a_usage_error(tmp_path):
    code, out, err = run("check", "deep.hypotheses", "--instance", "deep_q2", "--instance", "deep_q3", "-q")
    assert code == 2 and err.count("\n") == 1 and "--instance given more than once" in err


def test_verify_without_the_instance_it_needs_exits_2(tmp_path):
    cert = tmp_path / "c.json"
    assert main(["check", "deep.hypotheses", "--instance", "deep_q2", "--certificate", str(cert), "-q"]) == 0
    code, out, err = run("verify", str(cert))
    assert code == 2 and err.count("\n") == 1 and "--instance" in err
    assert run("verify", str(cert), "--instance", "deep_q2")[0] == 0


def _complete(words, tmp_path):
    """COMPREPLY of the generated bash completion for the command line ``words`` (the last word is completed)."""
    script = tmp_path / "c.sh"
    script.write_text(run("completion", "bash")[1])
    line = " ".join(f"'{w}'" for w in words)
    prog = (f"source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _exactmin; "
            "printf '%s\\n' \"${COMPREPLY[@]}\"")
    p = subprocess.run(["bash", "-c", prog], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    return set(p.stdout.split())


def test_shell_completion_knows_commands_options_claims_and_instances(tmp_path):
    assert {"check", "verify", "prove", "report"} <= _complete(["exactmin", ""], tmp_path)
    assert _complete(["exactmin", "che"], tmp_path) == {"check"}
    assert {"deep.thm2.3", "deep.thm2.4"} <= _complete(["exactmin", "check", "deep.thm2."], tmp_path)
    assert "deep_q2" in _complete(["exactmin", "check", "deep.thm2.3", "--instance", "deep_"], tmp_path)
    assert {"--certificate", "--latex", "--option"} <= _complete(["exactmin", "check", "--"], tmp_path)
    assert _complete(["exactmin", "verify", "--"], tmp_path) == {"--instance", "--help"}
    code, out, _ = run("completion", "zsh")
    assert code == 0 and "bashcompinit" in out


def test_check_jobs_give_the_same_bundle(tmp_path):
    """`check --jobs 2` forks workers; the bundle (and the exit code) must not depend on the number of processes.
    A fresh random campaign instance (not bundled, generic data)."""
    import random
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from campaign import strategies as S
    rnd = random.Random(9120261206)
    path = S.write(S.generate(rnd), tmp_path / "i", rnd)
    codes = []
    for j in ("1", "2"):
        codes.append(main(["check", "deep.hypotheses", "deep.thm2.3", "deep.thm2.4", "shallow.*", "--instance", str(path),
                           "--certificate", str(tmp_path / f"b{j}.json"), "-q", "--jobs", j]))
    assert codes[0] == codes[1] and codes[0] in (0, 1, 3)
    assert (tmp_path / "b1.json").read_bytes() == (tmp_path / "b2.json").read_bytes()


def test_check_jobs_rejects_a_bad_count():
    code, _, err = run("check", "deep.thm2.3", "--instance", "deep_q2", "--jobs", "0")
    assert code == 2 and "number of processes" in err and "Traceback" not in err
