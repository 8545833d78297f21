"""The data door (exactmin.data.door, `exactmin import`): tables in the layouts users have are read to exactly the
instance their canonical JSON holds, every guess is reported, and bad tables are one-line exit-2 errors.

Each layout is generated from one random instance (fresh seed); the assertion compares SHA-256s of the canonical
data, so a transposed, shifted or rounded read fails."""

import bz2
import gzip
import json
import lzma
import random
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import exactmin
from exactmin.cli import main
from exactmin.data.door import read_table
from exactmin.data.instance import Instance
from exactmin.data.io import DataWarning, load_instance

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)
OPEN = {"": open, ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _random_table(seed):
    rng = random.Random(seed)
    Q, M = rng.randint(2, 5), rng.randint(1, 4)
    labels = rng.sample(["setosa", "b", "c-3", "virginica", "x y", "k"], Q) if rng.random() < 0.5 else \
        rng.sample(range(-3, 20), Q)
    rows = []
    for j in range(Q):
        for _ in range(rng.randint(1, 6)):
            rows.append(([f"{rng.randint(-999, 999) / 10 ** rng.randint(0, 4)}" if rng.random() < 0.7 else
                          f"{rng.randint(-50, 50)}/{rng.randint(1, 30)}" for _ in range(M)], str(labels[j])))
    rng.shuffle(rows)
    return rows, M


def _canonical(rows):
    labels = [lab for _, lab in rows]
    if all(lab.lstrip("-").isdigit() for lab in labels):
        order = sorted(set(labels), key=int)
    else:
        order = list(dict.fromkeys(labels))
    classes = [[[Fraction(x) for x in p] for p, lab in rows if lab == k] for k in order]
    return Instance.from_rationals("c", classes)


@SETTINGS
@given(st.integers(0, 2 ** 31), st.sampled_from([",", ";", "\t", "|", " "]), st.sampled_from(["", ".gz", ".bz2", ".xz"]),
       st.booleans(), st.booleans(), st.integers(0, 9), st.booleans())
def test_layouts_read_to_the_canonical_instance(tmp_path_factory, seed, delim, comp, header, index, cpos, comments):
    rows, M = _random_table(seed)
    if delim == " " and any(" " in lab for _, lab in rows):
        rows = [(p, lab.replace(" ", "_")) for p, lab in rows]
    cpos = cpos % (M + 1)
    names = [f"u{k}" for k in range(M)]
    head = names[:cpos] + ["species"] + names[cpos:]
    lines = []
    if comments:
        lines.append("# exported by a test")
    if header:
        lines.append(delim.join(([""] if index else []) + head))
    for i, (p, lab) in enumerate(rows):
        fields = p[:cpos] + [lab] + p[cpos:]
        lines.append(delim.join(([str(i)] if index and header else []) + fields))
    d = tmp_path_factory.mktemp("door")
    f = d / f"t.csv{comp}"
    with OPEN[comp](f, "wt") as fh:
        fh.write("\n".join(lines) + "\n")
    kw = {} if header else {"class_column": cpos}
    if not header and not comments:
        kw["comment"] = None
    inst, notes = read_table(f, delimiter=None if delim != " " else " ", **kw)
    assert inst.sha256 == _canonical(rows).sha256
    if header and index:
        assert any("index" in n for n in notes)


def test_cli_import_then_check_equals_the_canonical_file(tmp_path, capsys):
    rows, M = _random_table(7302215)
    f = tmp_path / "data.tsv"
    f.write_text("id\tlabel\t" + "\t".join(f"c{k}" for k in range(M)) + "\n" +
                 "".join(f"{i + 1}\t{lab}\t" + "\t".join(p) + "\n" for i, (p, lab) in enumerate(rows)))
    out = tmp_path / "inst.json"
    assert main(["import", str(f), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "index" in err                                     # the guess is reported
    assert load_instance(out).sha256 == _canonical(rows).sha256
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert exactmin.load(f).sha256 == _canonical(rows).sha256


@pytest.mark.parametrize("text, opts, needle", [
    ("a,b,c\n1,2,x\n3,4\n", [], "fields"),
    ("u,v,cls\n1,zz,a\n2,3,b\n", [], "zz"),
    ("u,v,cls\n1,2,a\n", ["--class-column", "nope"], "nope"),
    ("u,v,cls\n1,2,a\n", ["--class-column", "9"], "9"),
    ("", [], "no data"),
])
def test_bad_tables_are_one_line_and_write_nothing(tmp_path, capsys, text, opts, needle):
    f = tmp_path / "t.csv"
    f.write_text(text)
    out = tmp_path / "o.json"
    assert main(["import", str(f), "-o", str(out), *opts]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0] and not out.exists()


def test_a_class_column_first_csv_warns(tmp_path, capsys):
    rng = random.Random(5550123)
    f = tmp_path / "t.csv"
    f.write_text("".join(f"{j},{rng.randint(0, 10 ** 6)}/997,{rng.randint(0, 99)}/7\n" for j in range(3) for _ in range(4)))
    with pytest.warns(DataWarning, match="continuous"):
        load_instance(f)
    main(["check", "deep.hypotheses", "--instance", str(f), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("exactmin: warning:")
    inst, _ = read_table(f, class_column=0)
    assert inst.Q == 3 and list(inst.sizes) == [4, 4, 4]
