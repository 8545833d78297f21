"""The notebook API (exactmin.load / check / check_all / verify / latex / claims) against the CLI.

Generic, asymmetric data from a fixed fresh seed; every assertion compares two independent routes (API vs CLI,
arrays vs files, API verify vs a tampered document) rather than a hard-coded verdict."""

import json
import subprocess
import sys
import warnings
from fractions import Fraction

import numpy as np
import pytest

import exactmin
from exactmin.cli import main

SEED = 6180337


def _points(Q=3, M=3, seed=SEED):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 6, size=Q)
    centers = rng.normal(size=(Q, M)) * 3
    X = np.vstack([rng.normal(size=(s, M)) * 0.05 + centers[j] for j, s in enumerate(sizes)])
    y = np.concatenate([[f"c{j}"] * s for j, s in enumerate(sizes)])
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def test_import_is_light_and_lists_the_api():
    out = subprocess.run([sys.executable, "-c", "import sys, exactmin; print('sympy' in sys.modules, "
                          "'flint' in sys.modules, sorted(n for n in dir(exactmin) if not n.startswith('_')))"],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("False False")
    for name in ("load", "check", "check_all", "verify", "latex", "claims"):
        assert name in out


def test_floats_are_exact_binary_values_with_a_warning():
    X, y = _points()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        inst = exactmin.load(X, y, name="floats")
    assert any("binary" in str(x.message) for x in w)
    order = list(dict.fromkeys(y.tolist()))
    for j, lab in enumerate(order):
        rows = X[y == lab]
        for i, row in enumerate(rows):
            assert [Fraction(int(v.p), int(v.q)) for v in inst.point(j, i)] == [Fraction(float(v)) for v in row]


def test_arrays_lists_and_files_give_the_same_instance(tmp_path):
    X, y = _points(Q=4, M=4, seed=SEED + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = exactmin.load(X, y)
        grouped = [[list(map(float, p)) for p in X[y == lab]] for lab in dict.fromkeys(y.tolist())]
        b = exactmin.load(grouped)
    f = tmp_path / "i.json"
    f.write_text(json.dumps(a.to_json_dict()))
    c = exactmin.load(f)
    assert a.sha256 == b.sha256 == c.sha256


def test_dataframe_with_a_class_column():
    pd = pytest.importorskip("pandas")
    X, y = _points(seed=SEED + 2)
    df = pd.DataFrame(X, columns=["u", "v", "w"])
    df.insert(1, "species", y)                    # the class column is not last
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = exactmin.load(df)
        b = exactmin.load(X, y)
        c = exactmin.load(df.rename(columns={"species": "kind"}), class_column="kind")
    assert a.sha256 == b.sha256 == c.sha256
    with pytest.raises(exactmin.InputError):
        exactmin.load(df, class_column="nope")


@pytest.mark.parametrize("claim", ["deep.hypotheses", "deep.thm2.3", "deep.thm2.4", "shallow.thm3.2"])
def test_api_check_equals_cli_check_and_verifies(claim, tmp_path, capsys):
    X, y = _points(seed=SEED + 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inst = exactmin.load(X, y, name="api")
    f = tmp_path / "i.json"
    f.write_text(json.dumps(inst.to_json_dict()))
    cert = exactmin.check(claim, inst)
    main(["check", claim, "--instance", str(f), "--json"])
    cli = json.loads(capsys.readouterr().out)[0]
    assert {k: r["verdict"] for k, r in cert.readings.items()} == {k: r["verdict"] for k, r in cli["readings"].items()}
    ok, what = exactmin.verify(cert, inst)
    assert ok, what
    doc = exactmin.certificate_document(cert)
    flipped = "proved" if cert.verdict != "proved" else "refuted"
    doc["verdict"] = flipped
    assert not exactmin.verify(doc, inst)[0]


def test_options_are_declared_and_typed():
    with pytest.raises(exactmin.InputError, match="sede"):
        exactmin.check("flow.exp-rate", "flow_o1", sede=3)
    with pytest.raises(exactmin.InputError, match="integer"):
        exactmin.check("flow.exp-rate", "flow_o1", seed="three")
    with pytest.raises(exactmin.InputError):
        exactmin.check("deep.no-such-claim", "deep_q2")
    a = exactmin.check("flow.exp-rate", "flow_o1", seed=4)
    b = exactmin.check("flow.exp-rate", "flow_o1", seed="4")
    assert a.to_json() == b.to_json()


def test_check_all_and_latex():
    certs = exactmin.check_all("deep_q2", "deep.lemma*")
    assert [c.claim for c in certs] == [c.id for c in exactmin.claims("deep.lemma*")]
    tex = exactmin.latex(certs, "deep_q2")
    assert tex.count(r"\begin{") >= len(certs)


def test_python_dash_m():
    p = subprocess.run([sys.executable, "-m", "exactmin", "check", "deep.hypotheses", "--instance", "deep_q2"],
                       capture_output=True, text=True)
    assert p.returncode == 0 and "deep.hypotheses" in p.stdout
    p = subprocess.run([sys.executable, "-m", "exactmin", "check", "deep.hypotheses"], capture_output=True, text=True)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
