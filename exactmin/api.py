"""The notebook door: ``exactmin.load``, ``exactmin.check``, ``exactmin.verify``, ``exactmin.claims``.

Everything here is a thin layer over what the CLI runs (the same claim checks, the same certificate writer, the
same kernel routing), so a result in a notebook is the result of ``exactmin check``:

>>> import exactmin
>>> inst = exactmin.load("deep_q2")                       # a bundled name, a file, arrays or a DataFrame
>>> cert = exactmin.check("deep.thm2.3", inst)             # a Certificate: .verdict, .readings, .values
>>> ok, what = exactmin.verify(cert, inst)                 # re-checked by the standard-library kernel
>>> tex = exactmin.latex(cert, inst)                       # an \\input-able LaTeX fragment

Numbers are exact.  Python floats and float arrays are taken at their exact binary value (``0.1`` is
3602879701896397/36028797018963968), never rounded, and :func:`load` says so in a warning once; decimal strings
(``"0.1"``) are read as the decimal.  Unknown claim ids and option names raise :class:`exactmin.InputError`.
"""
from __future__ import annotations

import json
import warnings
from fractions import Fraction
from pathlib import Path

from .errors import InputError

__all__ = ["load", "check", "check_all", "verify", "latex", "claims", "certificate_document", "InputError"]


class DoorNote(UserWarning):
    """A guess the data door made reading a table (delimiter, header, index or class column)."""


class FloatInputWarning(UserWarning):
    """Floats were converted to their exact binary values (not to the decimal they print as)."""


def claims(pattern: str = "*") -> list:
    """The claim declarations whose id matches the glob ``pattern`` (``exactmin.claims("deep.*")``): each has
    ``id``, ``paper``, ``ref`` (the paper's label), ``title``, ``readings``, ``values`` and ``options``."""
    import fnmatch

    from .claims import base
    return [c for cid, c in base.load_all().items() if fnmatch.fnmatchcase(cid, pattern)]


# ---------------------------------------------------------------------------------------------------- load
def _exact(v, where: str, seen_float: list):
    """A number for :meth:`Instance.from_rationals`: floats become their exact binary value (NaN/inf refused)."""
    import numpy as np
    if isinstance(v, (bool, np.bool_)):
        raise InputError(f"{where}: boolean {v!r} is not a number")
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if f != f or f in (float("inf"), float("-inf")):
            raise InputError(f"{where}: {f!r} is not a finite number")
        seen_float.append(True)
        return Fraction(f)
    if isinstance(v, np.integer):
        return int(v)
    return v


def _rows(a, where: str, seen_float: list) -> list:
    import numpy as np
    arr = np.asarray(a, dtype=object) if not isinstance(a, np.ndarray) else a
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise InputError(f"{where}: expected a 2-d array of points (N x M), got shape {arr.shape}")
    if arr.dtype.kind == "c":
        raise InputError(f"{where}: complex numbers are not allowed")
    return [[_exact(v, f"{where}[{i}, {k}]", seen_float) for k, v in enumerate(row)] for i, row in enumerate(arr)]


def _group(points: list, classes, where: str) -> list:
    """Group points by class label: integer labels in numeric order, other labels in order of first appearance
    (the rule of the CSV reader, docs/instance-format.md)."""
    import numpy as np
    labels = [x.item() if isinstance(x, np.generic) else x for x in list(classes)]
    if len(labels) != len(points):
        raise InputError(f"{where}: {len(labels)} class labels for {len(points)} points")
    if all(isinstance(x, int) and not isinstance(x, bool) for x in labels):
        order = sorted(set(labels))
    else:
        order = list(dict.fromkeys(labels))
    index = {k: j for j, k in enumerate(order)}
    out: list[list] = [[] for _ in order]
    for p, lab in zip(points, labels):
        out[index[lab]].append(p)
    return out


def load(source, classes=None, labels=None, *, name: str | None = None, class_column=None, **door):
    """An :class:`~exactmin.data.instance.Instance` from what a user has.

    * a path (``.json``, ``.csv``, ``.npz``; docs/instance-format.md) or a bundled instance name (``"deep_q2"``);
    * any other table (``.tsv``, ``.txt``, ``.csv.gz``, ...), or a path with ``class_column=`` or the door options
      ``delimiter``, ``comment``, ``header``, ``index_column`` (:func:`exactmin.data.door.read_table`; its guesses
      are reported as ``DoorNote`` warnings);
    * an ``(N, M)`` array or nested list of points with ``classes``, a length-N sequence of class labels;
    * a list of classes, each a list of points (``[[p11, p12], [p21]]``), with ``classes=None``;
    * a pandas DataFrame: ``class_column`` names the label column (default: a column called ``class``,
      ``label``, ``y`` or ``target``, else the only non-numeric column), every other column is a coordinate.

    ``labels`` are the rows of Y (column j is y_j; default the identity).  Coordinates may be ints, Fractions,
    flint fmpq, decimal strings (read exactly) or floats (their exact binary value, with a warning).
    Raises :class:`exactmin.InputError` (one line) on anything else.
    """
    from .data.instance import Instance
    if isinstance(source, (str, Path)) and classes is None and labels is None:
        p = Path(source)
        if door or class_column is not None or (p.exists() and p.suffix.lower() not in (".json", ".csv", ".npz")):
            from .data.door import read_table
            inst, notes = read_table(p, class_column=class_column, name=name, **door)
            for n in notes:
                warnings.warn(f"{p}: {n}", DoorNote, stacklevel=2)
            return inst
        from .cli import _resolve_instance
        from .data.io import load_instance
        inst = load_instance(_resolve_instance(str(source)))
        return inst.with_name(name) if name else inst
    seen_float: list = []
    where = name or "instance"
    if _is_dataframe(source):
        col = _class_column(source, class_column, where)
        coords = source.drop(columns=[col])
        pts = _rows(coords.to_numpy(dtype=object), where, seen_float)
        grouped = _group(pts, source[col].tolist(), where)
    elif classes is not None:
        grouped = _group(_rows(source, where, seen_float), classes, where)
    else:
        if not isinstance(source, (list, tuple)):
            raise InputError(f"{where}: give a path, points with `classes=`, a list of classes, or a DataFrame")
        grouped = [[[_exact(v, f"{where} class {j}", seen_float) for v in p] if isinstance(p, (list, tuple))
                    else p for p in c] if isinstance(c, (list, tuple)) else c for j, c in enumerate(source)]
    if labels is not None:
        labels = [[_exact(v, f"{where} labels", seen_float) for v in row] for row in _as_list(labels)]
    inst = Instance.from_rationals(where, grouped, labels)
    if seen_float:
        warnings.warn(f"{where}: floats were read at their exact binary values (0.1 is 3602879701896397/2^55); "
                      f"pass decimal strings to read decimals", FloatInputWarning, stacklevel=2)
    return inst


def _as_list(a):
    import numpy as np
    return np.asarray(a, dtype=object).tolist() if isinstance(a, np.ndarray) else [list(r) for r in a]


def _is_dataframe(x) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "columns") and hasattr(x, "drop")


def _class_column(df, given, where: str):
    cols = list(df.columns)
    if given is not None:
        if given not in cols:
            raise InputError(f"{where}: no column {given!r} (columns: {', '.join(map(str, cols[:8]))})")
        return given
    for c in cols:
        if str(c).lower() in ("class", "label", "y", "target", "species"):
            return c
    non_numeric = [c for c in cols if df[c].dtype.kind not in "iuf"]
    if len(non_numeric) == 1:
        return non_numeric[0]
    raise InputError(f"{where}: cannot tell which column holds the classes; pass class_column=")


# ---------------------------------------------------------------------------------------------------- check
def _options(claim, options: dict) -> dict:
    from .cli import _check_option_names, _claim_options
    opts = {k.replace("-", "_"): (v if isinstance(v, (int, str)) and not isinstance(v, bool) else str(v))
            for k, v in options.items()}
    _check_option_names([claim], opts)
    return _claim_options(claim, opts)


def check(claim_id: str, instance=None, **options):
    """Check one claim; returns its :class:`~exactmin.certify.certificate.Certificate` (``.verdict``,
    ``.readings[name]["verdict"/"reason"]``, ``.values``; shown as HTML in a notebook).

    ``instance`` is anything :func:`load` accepts (or ``None`` for the instance-free ``sym.*`` claims).
    ``options`` are the claim's declared options (``exactmin.claims("flow.*")[0].options``); an unknown name
    raises :class:`exactmin.InputError`, as on the command line."""
    from .claims import base
    c = base.get(claim_id)
    inst = _instance(instance) if c.needs_instance else None
    if c.needs_instance and inst is None:
        raise InputError(f"{claim_id} needs an instance")
    return c.check(inst, **_options(c, options))


def check_all(instance, pattern: str = "*", **options) -> list:
    """Every claim matching ``pattern`` that applies (instance claims only), with the options each declares."""
    inst = _instance(instance)
    cs = [c for c in claims(pattern) if c.needs_instance]
    if not cs:
        raise InputError(f"no instance claim matches {pattern!r}")
    if options:
        from .cli import _check_option_names
        _check_option_names(cs, {k.replace("-", "_"): v for k, v in options.items()})
    out = []
    for c in cs:
        declared = {n for n, _, _ in c.options}
        out.append(c.check(inst, **_options(c, {k: v for k, v in options.items() if k.replace("-", "_") in declared})))
    return out


def _instance(x):
    from .data.instance import Instance
    if x is None or isinstance(x, Instance):
        return x
    return load(x)


def certificate_document(cert) -> dict:
    """The JSON document ``exactmin check --certificate`` writes for ``cert`` (format 2 where the claim has a
    statement file, else format 1)."""
    from .certify.write_v2 import document
    return document(cert)


def verify(certificate, instance=None) -> tuple[bool, str]:
    """Re-check a certificate with the standard-library kernel, as ``exactmin verify`` does.

    ``certificate`` is a Certificate from :func:`check`, a JSON document (dict) or a path; ``instance`` a path,
    bundled name or Instance (an Instance is written to canonical JSON and read by the kernel's own reader).
    Returns ``(True, what was verified)`` or ``(False, reason)``."""
    import tempfile

    from .certify import routing
    from .certify.certificate import Certificate
    if isinstance(certificate, Certificate):
        doc = certificate_document(certificate)
    elif isinstance(certificate, dict):
        doc = certificate
    else:
        doc = json.loads(Path(certificate).read_text(), object_pairs_hook=routing.K.driver._pairs)
    doc = json.loads(json.dumps(doc), object_pairs_hook=routing.K.driver._pairs)   # the kernel reads JSON values
    if instance is None:
        return routing.verify_document(doc)
    from .data.instance import Instance
    inst = instance if isinstance(instance, Instance) else _instance(instance)
    with tempfile.TemporaryDirectory(prefix="exactmin-verify-") as d:
        p = Path(d) / "instance.json"
        p.write_text(json.dumps(inst.to_json_dict()))
        return routing.verify_document(doc, instances=routing.load_instances(p))


def latex(certs, instance=None) -> str:
    """An ``\\input``-able LaTeX fragment for one certificate or a list (as ``exactmin check --latex`` writes)."""
    from .claims import base
    from .report.latex import fragment
    certs = certs if isinstance(certs, (list, tuple)) else [certs]
    return fragment([base.get(c.claim) for c in certs], list(certs), _instance(instance))
