"""The data door: tables as users have them, read exactly into an instance (``exactmin import``, ``exactmin.load``).

``exactmin check`` and the kernel read the three formats of docs/instance-format.md, one specification for both
readers.  Real files differ: the class column first or named, an index column pandas wrote, ``;`` or tab
separators, ``#`` comments, ``.gz``/``.bz2``/``.xz`` compression.  :func:`read_table` reads those and returns an
:class:`~exactmin.data.instance.Instance` plus notes (one line each) on every guess it made; ``exactmin import``
writes the canonical ``exactmin-instance/1`` JSON that ``check`` and ``verify`` read.  Numbers are parsed exactly
(:func:`~exactmin.exact.numbers.parse_rational`): a decimal is its decimal value, never a float.

Guesses, each reported in a note and each overridable:
* compression from the suffix (``.gz``, ``.bz2``, ``.xz``), the table from what remains (``.csv``, ``.tsv``,
  ``.txt``, ``.dat``);
* the delimiter by :class:`csv.Sniffer` among ``, ; tab | space`` (``--delimiter``);
* a header iff the first row has more non-numeric fields than the second (``--header yes/no``);
* an index column: an unnamed or ``index``/``id``/``Unnamed: 0`` first header field whose values are the row
  numbers (``--index-column none`` keeps it);
* the class column: ``--class-column NAME|NUMBER``; else a header field named class, label, labels, y, target,
  species or category; else the only non-numeric column; else the last column.
Warnings: classes that look like a continuous column (more than half the classes hold one point), a class column
that is not the last while another column looks categorical.
"""
from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
from pathlib import Path

from ..errors import InputError
from ..exact.numbers import looks_numeric, parse_rational
from .instance import Instance

CLASS_NAMES = ("class", "label", "labels", "y", "target", "species", "category")
INDEX_NAMES = ("", "index", "id", "unnamed: 0")
DELIMITERS = ",;\t| "
MAX_BYTES = 2 * 1024 ** 3
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _read_text(path: Path) -> tuple[str, str]:
    """(text, table suffix) of a possibly compressed file; UTF-8 (a BOM is skipped)."""
    suffixes = [s.lower() for s in path.suffixes]
    opener = _OPENERS.get(suffixes[-1]) if suffixes else None
    table = suffixes[-2] if opener and len(suffixes) >= 2 else (suffixes[-1] if suffixes else "")
    try:
        if opener:
            with opener(path, "rb") as f:
                raw = f.read(MAX_BYTES + 1)
        else:
            if path.stat().st_size > MAX_BYTES:
                raise InputError(f"{path}: larger than {MAX_BYTES} bytes")
            raw = path.read_bytes()
    except (OSError, EOFError, lzma.LZMAError) as e:
        raise InputError(f"{path}: cannot read ({type(e).__name__}: {str(e)[:60]})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: more than {MAX_BYTES} bytes after decompression")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if "\x00" in text:
        raise InputError(f"{path}: contains a NUL character (binary file?)")
    return text, table


def _records(text: str, delimiter: str | None, comment: str | None, table: str, notes: list) -> list[list[str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not (comment and ln.lstrip().startswith(comment))]
    if not lines:
        raise InputError("no data rows")
    if delimiter is None:
        if table == ".tsv":
            delimiter = "\t"
        else:
            sample = "\n".join(lines[:200])
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
            except csv.Error:
                delimiter = ","
            if delimiter != ",":
                notes.append(f"delimiter {delimiter!r} (sniffed; --delimiter to override)")
    elif delimiter in ("\\t", "tab"):
        delimiter = "\t"
    if delimiter == " ":
        rows = [ln.split() for ln in lines]
    else:
        try:
            rows = [[f.strip() for f in r] for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
        except csv.Error as e:
            raise InputError(f"CSV error: {e}") from None
    if len(rows) > 1 and all(len(r) == len(rows[1]) for r in rows[1:]) and len(rows[0]) == len(rows[1]) - 1:
        rows[0] = [""] + rows[0]       # a header without the row-name column (R's write.table): name it ""
        notes.append("the header has one field fewer than the rows: an unnamed first (row-name) column assumed")
    width = len(rows[0])
    bad = next((i for i, r in enumerate(rows) if len(r) != width), None)
    if bad is not None:
        raise InputError(f"row {bad + 1} has {len(rows[bad])} fields, the first row has {width}")
    if width < 2:
        raise InputError(f"one field per row with delimiter {delimiter!r}: need coordinates and a class")
    return rows


def _pick_class_column(header, rows, given, notes) -> int:
    width = len(rows[0])
    if given is not None:
        g = str(given)
        if header is not None and g in header:
            return header.index(g)
        try:
            k = int(g)
        except ValueError:
            raise InputError(f"no column {g!r}" + (f" (columns: {', '.join(header[:10])})" if header else
                                                   " (the file has no header: give a column number)")) from None
        if not -width <= k < width:
            raise InputError(f"column number {k} outside 0..{width - 1}")
        return k % width
    if header is not None:
        for k, h in enumerate(header):
            if h.strip().lower() in CLASS_NAMES:
                if k != width - 1:
                    notes.append(f"class column {h!r} (by its name; --class-column to override)")
                return k
    non_numeric = [k for k in range(width) if not all(looks_numeric(r[k]) for r in rows[:1000])]
    if len(non_numeric) == 1:
        if non_numeric[0] != width - 1:
            notes.append(f"class column {non_numeric[0]} (the only non-numeric column; --class-column to override)")
        return non_numeric[0]
    return width - 1


def _is_index(header, rows, k) -> bool:
    name = header[k].strip().lower() if header is not None else None
    if name is None or name not in INDEX_NAMES:
        return False
    vals = [r[k] for r in rows]
    if not all(v.lstrip("+-").isdigit() for v in vals):
        return False
    ints = [int(v) for v in vals]
    return ints == list(range(ints[0], ints[0] + len(ints))) and ints[0] in (0, 1)


def read_table(path, *, class_column=None, delimiter: str | None = None, comment: str | None = "#",
               header: str = "auto", index_column: str = "auto", name: str | None = None) -> tuple[Instance, list]:
    """(Instance, notes) from a delimited table (module docstring); :class:`InputError` (one line) if unreadable."""
    path = Path(path)
    where = str(path)
    notes: list[str] = []
    try:
        text, table = _read_text(path)
        rows = _records(text, delimiter, comment, table, notes)
        if header not in ("auto", "yes", "no"):
            raise InputError(f"--header must be auto, yes or no, not {header!r}")
        if header == "auto":      # a header names columns where the data hold numbers
            def names(r):
                return sum(1 for f in r if not looks_numeric(f))
            has_header = len(rows) > 1 and names(rows[0]) > names(rows[1])
        else:
            has_header = header == "yes"
        head = rows[0] if has_header else None
        data = rows[1:] if has_header else rows
        if not data:
            raise InputError("no data rows after the header")
        k_cls = _pick_class_column(head, data, class_column, notes)
        drop = {k_cls}
        if index_column not in ("auto", "none"):
            if head is None or index_column not in head:
                raise InputError(f"no column {index_column!r} to drop as the index")
            drop.add(head.index(index_column))
        elif index_column == "auto" and head is not None and k_cls != 0 and _is_index(head, data, 0):
            drop.add(0)
            notes.append(f"column 0 ({head[0]!r}) dropped as a row index (--index-column none keeps it)")
        coords = [k for k in range(len(data[0])) if k not in drop]
        if not coords:
            raise InputError("no coordinate columns")
        labels = [r[k_cls] for r in data]
        points = []
        for i, r in enumerate(data):
            pt = []
            for k in coords:
                try:
                    pt.append(parse_rational(r[k]))
                except InputError as e:
                    col = head[k] if head else k
                    raise InputError(f"row {i + 1 + has_header}, column {col!r}: {e}") from None
            points.append(pt)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    from ..api import _group
    from fractions import Fraction
    grouped = _group([[Fraction(n, d) for n, d in p] for p in points], _class_keys(labels), where)
    inst = Instance.from_rationals(name or path.name.split(".")[0], grouped)
    one = sum(1 for c in grouped if len(c) == 1)
    if len(grouped) > 2 and one > len(grouped) / 2:
        notes.append(f"warning: {one} of {len(grouped)} classes hold one point: the class column "
                     f"({(head[k_cls] if head else k_cls)!r}) looks continuous; pick another with --class-column")
    return inst, notes


def _class_keys(labels: list[str]) -> list:
    """Integer tokens order numerically (two spellings of one integer are an error), others by first appearance:
    the CSV rule of docs/instance-format.md."""
    if all(t.lstrip("+-").isdigit() and t.lstrip("+-") for t in labels):
        seen: dict[int, str] = {}
        for t in labels:
            v = int(t)
            if seen.setdefault(v, t) != t:
                raise InputError(f"class tokens {seen[v]!r} and {t!r} are the same integer")
        return [int(t) for t in labels]
    return labels
