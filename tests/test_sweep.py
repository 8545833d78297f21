"""exactmin sweep: SPEC errors, determinism across job counts, resume, CLI (issue 20)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from exactmin.errors import InputError
from exactmin.sweep.output import comparable, read_rows
from exactmin.sweep.run import run_sweep
from exactmin.sweep.spec import parse_spec_text

ROOT = Path(__file__).resolve().parents[1]
SEED = 6093871     # fresh seed for these tests

SPEC = f"""
seed = {SEED}
[family]
q = [2, 3]
per_class = [4, [3, 5, 7]]
margin = ["1/2", "1/8"]
seeds = 3
[[claims]]
ids = ["deep.thm2.3", "deep.eq2.6*"]
"""


def _rows(path):
    return [comparable(r) for r in read_rows(Path(path))]


@pytest.mark.parametrize("text, msg", [
    ("[family]\nq = 2\nsedes = 3\n[[claims]]\nids = ['deep.thm2.3']", "unknown key family.sedes"),
    ("[family]\nq = 1\n[[claims]]\nids = ['deep.thm2.3']", "family.q must be an integer >= 2"),
    ("[family]\nmargin = '3/2'\n[[claims]]\nids = ['deep.thm2.3']", "margin must lie in (0, 1]"),
    ("[family]\nseeds = 0\n[[claims]]\nids = ['deep.thm2.3']", "family.seeds"),
    ("[family]\nq = 2\n[[claims]]\nids = ['deep.nosuch']", "no claim matches 'deep.nosuch'"),
    ("[family]\nq = 2\n[[claims]]\nids = ['deep.thm2.3']\noptions = {widht = 4}", "unknown option 'widht'"),
    ("[family]\nq = 2\n[[claims]]\nids = ['shallow.thm3.2']", "does not apply"),
    ("[family]\nq = 2\nper_class = [[3, 4, 5]]\n[[claims]]\nids = ['deep.thm2.3']", "no grid cell"),
    ("seed = -1\n[family]\n[[claims]]\nids = ['deep.thm2.3']", "seed must be"),
    ("[family]\n[[claims]]\nids = ['sym.count-T']", "takes no instance"),
    ("bogus = 1\n[family]\n[[claims]]\nids = ['deep.thm2.3']", "unknown key 'bogus'"),
    ("[family]\nq = [2\n", "not valid TOML"),
    ("[[claims]]\nids = ['deep.thm2.3']", "exactly one of"),
])
def test_spec_errors(text, msg):
    with pytest.raises(InputError, match=None) as e:
        parse_spec_text(text)
    assert msg in str(e.value)


def test_spec_grid_and_seeds_deterministic():
    a, b = parse_spec_text(SPEC), parse_spec_text(SPEC)
    assert [t.key for t in a.tasks] == [t.key for t in b.tasks]
    assert [t.params for t in a.tasks] == [t.params for t in b.tasks]
    # 2 margins × (q=2: per_class 4; q=3: per_class 4 and [3,5,7]) = 6 cells × 3 seeds
    assert len(a.tasks) == 18
    seeds = [t.param_dict()["seed"] for t in a.tasks]
    assert len(set(seeds)) == len(seeds)
    c = parse_spec_text(SPEC.replace(str(SEED), str(SEED + 1)))
    assert {t.param_dict()["seed"] for t in c.tasks}.isdisjoint(seeds)


def test_one_vs_two_jobs_identical(tmp_path):
    spec = parse_spec_text(SPEC)
    r1 = run_sweep(spec, tmp_path / "a.jsonl", jobs=1, quiet=True)
    r2 = run_sweep(spec, tmp_path / "b.jsonl", jobs=2, quiet=True)
    assert r1["ran"] == r2["ran"] == 18 and not r1["interrupted"]
    a, b = _rows(tmp_path / "a.jsonl"), _rows(tmp_path / "b.jsonl")
    assert a == b
    # 4 claims; every row names its task, claim and reading, and exact values parse as rationals
    assert len({(r["key"], r["claim"]) for r in a}) == 18 * 4
    from fractions import Fraction
    for r in a[:20]:
        for v in r["values"].values():
            Fraction(v["exact"])
    # the file is sorted by task key
    keys = [json.loads(l)["key"] for l in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert keys == sorted(keys)


def test_resume_after_partial_file(tmp_path):
    spec = parse_spec_text(SPEC)
    full = tmp_path / "full.jsonl"
    run_sweep(spec, full, jobs=2, quiet=True)
    lines = full.read_text().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    # keep the first 40 rows and a torn line: the task cut in the middle must be rerun
    part.write_text("".join(lines[:40]) + lines[40][:25])
    done_before = {r["key"] for r in read_rows(part)}
    assert 0 < len(done_before) < 18
    res = run_sweep(spec, part, jobs=2, quiet=True)
    assert res["skipped"] == len(done_before) and res["ran"] == 18 - len(done_before)
    assert _rows(part) == _rows(full)
    again = run_sweep(spec, part, jobs=2, quiet=True)
    assert again["ran"] == 0 and _rows(part) == _rows(full)


def test_certificates_dir_and_summary(tmp_path):
    spec = parse_spec_text(SPEC.replace("seeds = 3", "seeds = 1").replace('"deep.eq2.6*"', '"deep.thm2.5"'))
    cdir = tmp_path / "certs"
    cdir.mkdir()
    out = tmp_path / "o.jsonl"
    run_sweep(spec, out, jobs=1, cert_dir=cdir, quiet=True)
    rows = read_rows(out)
    paths = {r["certificate"] for r in rows}
    assert len(paths) == 6 * 2 and all(Path(p).is_file() for p in paths)
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", "sweep-summary", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "deep.thm2.5" in p.stdout and (tmp_path / "o.tex").is_file() and (tmp_path / "o.png").is_file()
    tex = (tmp_path / "o.tex").read_text()
    for reading in {r["reading"] for r in rows if r["claim"] == "deep.thm2.5"}:
        sel = [r for r in rows if r["claim"] == "deep.thm2.5" and r["reading"] == reading]
        n_pr = sum(r["verdict"] == "proved" for r in sel)
        n_ref = sum(r["verdict"] == "refuted" for r in sel)
        line = "deep.thm2.5 & " + reading.replace("_", "\\_") + f" & {n_pr} & {n_ref}"
        assert line in tex, line


def test_cli_bad_spec_exit_2_nothing_written(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text("[family]\nq = [2, 3]\nsedes = 3\n[[claims]]\nids = ['deep.thm2.3']\n")
    out = tmp_path / "o.jsonl"
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", "sweep", str(spec), "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "family.sedes" in p.stderr
    assert not out.exists()


def test_cli_sweep_folder(tmp_path):
    from exactmin.data.generate import generate_deep
    from exactmin.data.io import write_instance
    d = tmp_path / "inst"
    d.mkdir()
    for i, q in enumerate((2, 3)):
        write_instance(generate_deep(q, 4, SEED + i), d / f"i{i}.json")
    spec = tmp_path / "s.toml"
    spec.write_text('instances = "inst"\n[[claims]]\nids = ["deep.thm2.3"]\n')
    out = tmp_path / "o.jsonl"
    p = subprocess.run([sys.executable, "-m", "exactmin.cli", "sweep", str(spec), "-o", str(out), "-j", "1",
                        "-q"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rows = read_rows(out)
    assert {r["key"] for r in rows} == {"file:i0.json", "file:i1.json"}
    # the construction at one mu is proved; (2.58) on all of I_0^Q (I0-box, Xred-mu-GL-on-I0) may be refuted
    assert all(r["verdict"] == "proved" for r in rows if r["reading"] in ("L=Q", "L>Q", "mu-box"))


def test_shrink_refuted_reading_and_verify(tmp_path):
    """deep.thm2.5's value-original-means reading is refuted on generated instances: shrink, then `verify`."""
    spec = tmp_path / "s.toml"
    spec.write_text(f"seed = {SEED}\n[family]\nq = 3\nper_class = [[4, 6, 3]]\nseeds = 1\n"
                    "[[claims]]\nids = ['deep.thm2.5']\n")
    out = tmp_path / "o.jsonl"
    run = [sys.executable, "-m", "exactmin.cli"]
    p = subprocess.run(run + ["sweep", str(spec), "-o", str(out), "-q", "-j", "1"], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    row = [r for r in read_rows(out) if r["reading"] == "value-original-means"]
    if row[0]["verdict"] != "refuted":
        pytest.skip("reading not refuted on this instance")
    d = tmp_path / "min"
    d.mkdir()
    p = subprocess.run(run + ["sweep-shrink", str(out), "--claim", "deep.thm2.5", "--reading",
                              "value-original-means", "-o", str(d)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    inst = next(d.glob("*_min.json"))
    cert = next(d.glob("*.cert.json"))
    from exactmin.data.io import load_instance
    small = load_instance(inst)
    assert small.N < 13      # strictly smaller than the instance it started from (3 classes, 13 points)
    p = subprocess.run(run + ["verify", str(cert), "--instance", str(inst)], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0 and "value-original-means: refuted" in p.stdout, p.stdout + p.stderr


def test_ctrl_c_keeps_finished_rows_then_resumes(tmp_path):
    import os
    import signal
    import time
    spec_text = SPEC.replace("seeds = 3", "seeds = 12")
    spec = tmp_path / "s.toml"
    spec.write_text(spec_text)
    out = tmp_path / "o.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "exactmin.cli", "sweep", str(spec), "-o", str(out), "-j", "2", "-q"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60 and (not out.exists() or len(read_rows(out)) < 20):
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    if p.returncode == 0:
        pytest.skip("the sweep finished before the interrupt")
    assert p.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    kept = {r["key"] for r in read_rows(out)}
    total = len(parse_spec_text(spec_text).tasks)
    assert 0 < len(kept) < total
    res = run_sweep(parse_spec_text(spec_text), out, jobs=2, quiet=True)
    assert res["skipped"] == len(kept) and res["ran"] == total - len(kept)


def test_resume_into_other_spec_refused(tmp_path):
    out = tmp_path / "o.jsonl"
    small = SPEC.replace("seeds = 3", "seeds = 1")
    run_sweep(parse_spec_text(small), out, jobs=1, quiet=True)
    before = out.read_text()
    other = small.replace('"deep.eq2.6*"', '"deep.eq2.66"')     # fewer claims: rows of eq2.61/eq2.68 are foreign
    with pytest.raises(InputError, match="another SPEC"):
        run_sweep(parse_spec_text(other), out, jobs=1, quiet=True)
    assert out.read_text() == before


def test_resume_with_added_claim_reruns(tmp_path):
    out = tmp_path / "o.jsonl"
    small = SPEC.replace("seeds = 3", "seeds = 1").replace('"deep.eq2.6*"', '"deep.eq2.66"')
    run_sweep(parse_spec_text(small), out, jobs=1, quiet=True)
    bigger = parse_spec_text(small.replace('"deep.eq2.66"', '"deep.eq2.66", "deep.eq2.68"'))
    res = run_sweep(bigger, out, jobs=1, quiet=True)
    assert res["skipped"] == 0 and res["ran"] == 6
    rows = read_rows(out)
    assert {(r["key"], r["claim"]) for r in rows} == {(t.key, c) for t in bigger.tasks for c, _ in t.claims}
    assert len({(r["key"], r["claim"], r["reading"]) for r in rows}) == len(rows)
