"""Bad-input corpus (tests/bad_inputs/ plus a few generated in the test): every bad file gives exit 2 and exactly
one line on stderr (no traceback), within a bounded time, and nothing is written; degenerate but well-formed
instances give the right ``hypotheses-fail`` (exit 3); broken certificates make ``verify`` answer, never crash."""
import json
import time
from pathlib import Path

import numpy as np
import pytest

from exactmin.cli import main

BAD = Path(__file__).parent / "bad_inputs"
LIMIT_S = 10.0

MALFORMED = sorted(p.name for p in BAD.iterdir()
                   if not p.name.startswith("cert_") and p.stem not in
                   ("one_point_class", "duplicate_points", "singular_Y", "singular_X0_red"))


def _run(argv, capsys):
    t0 = time.perf_counter()
    rc = main(argv)
    dt = time.perf_counter() - t0
    out, err = capsys.readouterr()
    assert dt < LIMIT_S, f"{argv}: {dt:.1f} s"
    return rc, out, err


def _one_clear_line(err: str):
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert lines[0].startswith("exactmin: error: ") and "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_instance_exit_2_one_line_nothing_written(name, tmp_path, capsys):
    cert, tex = tmp_path / "c.json", tmp_path / "c.tex"
    rc, out, err = _run(["check", "deep.hypotheses", "--instance", str(BAD / name), "--certificate", str(cert),
                         "--latex", str(tex)], capsys)
    assert rc == 2, (name, rc, err)
    line = _one_clear_line(err)
    assert name in line                                  # the message names the file
    assert not cert.exists() and not tex.exists() and not list(tmp_path.iterdir())


def _generated(tmp_path):
    """Big or binary inputs made here rather than committed."""
    out = {}
    big = "1" + "0" * 10**6                              # a 10**6-digit integer (~10**10**6)
    p = tmp_path / "million_digits.json"
    p.write_text('{"classes": [{"points": [[' + big + ', 1], [0, 1]]}, {"points": [[1, 0], [2, 0]]}]}')
    out["million-digit integer"] = p
    p = tmp_path / "million_digits.csv"
    p.write_text(f"{big},1,0\n0,1,0\n1,0,1\n2,0,1\n")
    out["million-digit integer (csv)"] = p
    p = tmp_path / "huge_denominator.json"
    p.write_text('{"classes": [{"points": [["1/1' + "0" * 5000 + '", 1], [0, 1]]}, {"points": [[1, 0], [2, 0]]}]}')
    out["huge denominator"] = p
    p = tmp_path / "long_decimal.json"
    p.write_text('{"classes": [{"points": [[0.' + "3" * 20000 + ', 1], [0, 1]]}, {"points": [[1, 0], [2, 0]]}]}')
    out["20000-digit decimal"] = p
    p = tmp_path / "deep.json"
    p.write_text("[" * 100000 + "]" * 100000)
    out["deeply nested JSON"] = p
    p = tmp_path / "objects.npz"
    np.savez(p, num=np.array([[1, 2], [3, 4]], dtype=object), den=np.array(1), cls=np.array([0, 1]))
    out["NPZ with an object array"] = p
    p = tmp_path / "floats.npz"
    np.savez(p, num=np.array([[0.5, 2], [3, 4]]), den=np.array(1), cls=np.array([0, 1]))
    out["NPZ with float arrays"] = p
    p = tmp_path / "dir.json"
    p.mkdir()
    out["a directory"] = p
    p = tmp_path / "random.npz"
    p.write_bytes(bytes(range(256)) * 8)
    out["random bytes as .npz"] = p
    return out


def test_generated_bad_instances(tmp_path, capsys):
    work = tmp_path / "w"
    work.mkdir()
    for what, path in _generated(tmp_path).items():
        cert = work / "c.json"
        rc, out, err = _run(["check", "deep.thm2.3", "--instance", str(path), "--certificate", str(cert)], capsys)
        assert rc == 2, (what, rc, err)
        _one_clear_line(err)
        assert not list(work.iterdir()), what


def test_object_npz_never_unpickled(tmp_path, monkeypatch):
    """allow_pickle stays off: loading an object array must fail without calling pickle at all."""
    import pickle

    from exactmin.data.io import load_instance
    from exactmin.errors import InputError
    p = _generated(tmp_path)["NPZ with an object array"]
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("pickle.load called"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("pickle.loads called"))
    with pytest.raises(InputError, match="object arrays"):
        load_instance(p)


def test_unknown_claim_and_bad_usage(capsys):
    for argv in (["check", "deep.nope", "--instance", "deep_q2"], ["check", "zzz.*", "--instance", "deep_q2"],
                 ["check", "deep.hypotheses", "--instance", "no_such_instance"],
                 ["check", "deep.thm2.3", "--instance", "deep_q2", "--option", "extra_layers=abc"],
                 ["check", "deep.thm2.3", "--instance", "deep_q2", "--option", "widht=3"],
                 ["verify", str(BAD / "missing.json"), "--instance", "deep_q2"], ["frobnicate"]):
        rc, out, err = _run(argv, capsys)
        assert rc == 2, (argv, err)
        _one_clear_line(err)


# Well-formed but degenerate instances: the hypothesis the paper needs fails, and exactmin says which.
DEGENERATE = [
    # ΔX_{0,j} = 0 for the one-point class, and (2.12) asks ΔX_{0,j} != 0 for every class
    ("one_point_class", "deep.hypotheses", "2.12"),
    # a class whose points coincide is a one-point cluster in disguise: again (2.12)
    ("duplicate_points", "deep.hypotheses", "2.12"),
    # Y = [[1, 2], [2, 4]] has rank 1
    ("singular_Y", "deep.hypotheses", "Y-invertible"),
    # both class means on the x-axis and M = Q = 2: X_0^red is singular
    ("singular_X0_red", "deep.hypotheses", "X0red-invertible"),
]


@pytest.mark.parametrize("stem,claim,needle", DEGENERATE)
def test_degenerate_instances_give_hypotheses_fail(stem, claim, needle, tmp_path, capsys):
    cert = tmp_path / "c.json"
    rc, out, err = _run(["check", claim, "--instance", str(BAD / f"{stem}.json"), "--certificate", str(cert)],
                        capsys)
    assert rc == 3, (stem, out, err)
    doc = json.loads(cert.read_text())
    assert doc["verdict"] == "hypotheses-fail"
    word = (lambda r: r if isinstance(r, str) else r["verdict"])     # noqa: E731  (format 2: the reading IS its word)
    failing = [n for n, r in doc["readings"].items() if word(r) == "hypotheses-fail"]
    assert any(needle in n or needle in (doc["readings"][n].get("reason", "") if isinstance(doc["readings"][n], dict)
                                         else "") for n in failing), doc["readings"]
    rc, out, err = _run(["verify", str(cert), "--instance", str(BAD / f"{stem}.json")], capsys)
    assert rc == 0, err


@pytest.mark.parametrize("stem", ["one_point_class", "duplicate_points", "singular_Y", "singular_X0_red"])
def test_degenerate_instances_never_crash_any_claim(stem, capsys):
    for pattern in ("deep.*", "shallow.*"):
        rc, out, err = _run(["check", pattern, "--instance", str(BAD / f"{stem}.json"), "-q"], capsys)
        assert rc in (1, 3), (stem, pattern, err)
        assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("name,rc_expected", [("cert_not_json.json", 2), ("cert_list.json", 1),
                                              ("cert_wrong_shape.json", 1), ("cert_wrong_types.json", 1),
                                              ("cert_bad_bundle.json", 1)])
def test_broken_certificates(name, rc_expected, capsys):
    rc, out, err = _run(["verify", str(BAD / name), "--instance", "deep_q2"], capsys)
    assert rc == rc_expected, (name, rc, out, err)
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and (lines[0].startswith("INVALID: ") or lines[0].startswith("exactmin: error: ")), err
    assert "Traceback" not in err and "internal error" not in err


def test_binary_certificate_and_directory_certificate(tmp_path, capsys):
    p = tmp_path / "c.json"
    p.write_bytes(b"\xff\xfe\x00\x01garbage")
    rc, out, err = _run(["verify", str(p), "--instance", "deep_q2"], capsys)
    assert rc == 2
    _one_clear_line(err)
    rc, out, err = _run(["verify", str(tmp_path), "--instance", "deep_q2"], capsys)
    assert rc == 2
    _one_clear_line(err)


@pytest.mark.parametrize("name", [n for n in MALFORMED if Path(n).suffix in (".json", ".csv", ".npz")])
def test_verify_with_unreadable_instance_exit_2(name, tmp_path, capsys):
    """The kernel reads the instance itself (docs/instance-format.md): a malformed file is unreadable input,
    exit 2 with one line naming the file -- not 'INVALID' (exit 1) and never exit 70."""
    cert = tmp_path / "c.json"
    rc, out, err = _run(["check", "deep.hypotheses", "--instance", "deep_q2", "--certificate", str(cert)], capsys)
    assert rc == 0, err
    rc, out, err = _run(["verify", str(cert), "--instance", str(BAD / name)], capsys)
    assert rc == 2, (name, rc, out, err)
    line = _one_clear_line(err)
    assert name in line
