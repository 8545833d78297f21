"""SPEC (TOML) parsing: a family of instances × claims → a deterministic list of tasks.

Format (every key optional except ``[family]`` or ``instances``, and ``[[claims]]``)::

    seed = 1234567               # base seed; instance seeds are derived from it and the cell (sha256)
    [family]
    paper = "deep"               # or "shallow"
    q = [2, 3, 4]                # a scalar or a list (a grid axis)
    m = 4                        # shallow only
    per_class = [5, [3, 4, 6]]   # an int (equal sizes) or a list of Q ints (unequal); a list of these is a grid axis
    margin = ["1/2", "1/8"]      # rationals in (0, 1]
    denominator = 1024
    violate = ["none", "2.14"]   # deep only
    seeds = 10                   # instances per grid cell
    # or instead of [family]:  instances = "folder/"   (every .json/.csv/.npz file in it)
    [[claims]]
    ids = ["deep.thm2.3", "deep.eq2.6*"]
    options = { seed = 3 }

Any unknown key, bad value or unknown claim raises InputError (the CLI exits 2, nothing written).
"""
from __future__ import annotations

import fnmatch
import hashlib
import itertools
import json
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..errors import InputError

FAMILY_KEYS = {"paper", "q", "m", "per_class", "margin", "denominator", "violate", "seeds"}
TOP_KEYS = {"seed", "family", "instances", "claims"}
CLAIM_KEYS = {"ids", "options"}
VIOLATE = {"none", "2.12", "2.14", "2.51"}


@dataclass(frozen=True)
class Task:
    """One instance (given by generator parameters or a file) and the claims to run on it."""
    key: str
    params: tuple            # sorted (name, value) pairs, JSON-able values
    claims: tuple            # ((claim id, ((option, value), ...)), ...)

    def param_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.params}


@dataclass
class Spec:
    seed: int
    tasks: list = field(default_factory=list)


def _axis(name: str, v) -> list:
    """A scalar is a one-point axis; a list is a grid axis (per_class: a list of ints alone is one unequal size
    vector only if given inside a list, e.g. ``[[3, 4, 6]]``; a flat list of ints is a grid of equal sizes)."""
    vals = v if isinstance(v, list) else [v]
    if not vals:
        raise InputError(f"sweep spec: family.{name} is an empty list")
    return vals


def _check_value(name: str, v, paper: str):
    """Validate one grid value; returns a hashable, JSON-able form."""
    def posint(x, lo):
        if isinstance(x, bool) or not isinstance(x, int) or x < lo:
            raise InputError(f"sweep spec: family.{name} must be an integer >= {lo}, got {x!r}")
        return x
    if name == "q":
        return posint(v, 2)
    if name == "m":
        return posint(v, 2)
    if name == "denominator":
        return posint(v, 2)
    if name == "per_class":
        if isinstance(v, list):
            return tuple(posint(x, 1) for x in v)
        return posint(v, 1)
    if name == "margin":
        try:
            f = Fraction(str(v))
        except (ValueError, ZeroDivisionError):
            raise InputError(f"sweep spec: family.margin must be a rational such as \"1/2\", got {v!r}") from None
        if not 0 < f <= 1:
            raise InputError(f"sweep spec: family.margin must lie in (0, 1], got {v!r}")
        return str(f)
    if name == "violate":
        if v not in VIOLATE:
            raise InputError(f"sweep spec: family.violate must be one of {sorted(VIOLATE)}, got {v!r}")
        if paper != "deep" and v != "none":
            raise InputError("sweep spec: family.violate is for paper = \"deep\" only")
        return v
    raise AssertionError(name)


def derive_seed(base: int, cell: str, i: int) -> int:
    """A 63-bit instance seed from the SPEC's base seed, the cell and the index (independent of the backend)."""
    h = hashlib.sha256(f"{base}|{cell}|{i}".encode()).digest()
    return int.from_bytes(h[:8], "big") >> 1


def _claims(doc) -> tuple:
    from ..claims import base
    reg = base.load_all()
    if not isinstance(doc, list) or not doc:
        raise InputError("sweep spec: need at least one [[claims]] table")
    out = []
    for c in doc:
        if not isinstance(c, dict):
            raise InputError("sweep spec: each [[claims]] entry must be a table")
        bad = sorted(set(c) - CLAIM_KEYS)
        if bad:
            raise InputError(f"sweep spec: unknown key claims.{bad[0]}")
        ids = c.get("ids")
        ids = [ids] if isinstance(ids, str) else ids
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise InputError("sweep spec: claims.ids must be a claim id or a list of ids/patterns")
        opts = c.get("options", {})
        if not isinstance(opts, dict):
            raise InputError("sweep spec: claims.options must be a table")
        for pat in ids:
            hits = [k for k in reg if fnmatch.fnmatchcase(k, pat)]
            if not hits:
                raise InputError(f"sweep spec: no claim matches {pat!r} (run 'exactmin claims')")
            for h in hits:
                claim = base.get(h)
                known = {name for name, _, _ in claim.options}
                unknown = sorted(set(opts) - known)
                if unknown:
                    raise InputError(f"sweep spec: unknown option {unknown[0]!r} for {h}")
                if not claim.needs_instance:
                    raise InputError(f"sweep spec: {h} takes no instance; sweeps run instance claims")
                out.append((h, tuple(sorted((k, v if isinstance(v, (int, str)) else str(v))
                                            for k, v in opts.items()))))
    seen, uniq = set(), []
    for c in out:
        if c not in seen:
            seen.add(c)
            uniq.append(c)
    return tuple(uniq)


def _family_tasks(fam: dict, base_seed: int, claims: tuple) -> list:
    if not isinstance(fam, dict):
        raise InputError("sweep spec: [family] must be a table")
    bad = sorted(set(fam) - FAMILY_KEYS)
    if bad:
        raise InputError(f"sweep spec: unknown key family.{bad[0]}")
    paper = fam.get("paper", "deep")
    if paper not in ("deep", "shallow"):
        raise InputError(f"sweep spec: family.paper must be \"deep\" or \"shallow\", got {paper!r}")
    if "m" in fam and paper != "shallow":
        raise InputError("sweep spec: family.m is for paper = \"shallow\" only")
    seeds = fam.get("seeds", 1)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 10**7:
        raise InputError(f"sweep spec: family.seeds must be an integer in 1..10^7, got {seeds!r}")
    defaults = {"q": 2, "per_class": 5, "margin": "1/2" if paper == "deep" else "1/4",
                "denominator": 1024 if paper == "deep" else 256}
    if paper == "deep":
        defaults["violate"] = "none"
    else:
        defaults["m"] = None
    names = sorted(defaults)
    axes = []
    for n in names:
        raw = fam.get(n, defaults[n])
        axes.append([None] if raw is None else [_check_value(n, v, paper) for v in _axis(n, raw)])
    tasks = []
    for combo in itertools.product(*axes):
        p = dict(zip(names, combo))
        q = p["q"]
        if isinstance(p["per_class"], tuple) and len(p["per_class"]) != q:
            continue            # an unequal size vector applies to the q of its length only
        if paper == "shallow" and p["m"] is not None and p["m"] < q:
            raise InputError(f"sweep spec: family.m = {p['m']} must be >= q = {q}")
        p["paper"] = paper
        cell = json.dumps({k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(p.items())},
                          sort_keys=True, separators=(",", ":"))
        for i in range(seeds):
            pp = dict(p, seed=derive_seed(base_seed, cell, i), index=i)
            key = f"{cell}#{i:07d}"
            tasks.append(Task(key, tuple(sorted(pp.items())), claims))
    if not tasks:
        raise InputError("sweep spec: no grid cell: every family.per_class size list has a length other than q")
    return tasks


def _folder_tasks(folder, spec_dir: Path, claims: tuple) -> list:
    if not isinstance(folder, str):
        raise InputError("sweep spec: instances must be a folder path (a string)")
    d = (spec_dir / folder) if not Path(folder).is_absolute() else Path(folder)
    if not d.is_dir():
        raise InputError(f"sweep spec: instances folder {folder!r} does not exist")
    files = sorted(p for p in d.iterdir() if p.suffix in (".json", ".csv", ".npz") and p.is_file())
    if not files:
        raise InputError(f"sweep spec: no .json/.csv/.npz instance files in {folder!r}")
    return [Task(f"file:{p.name}", (("file", str(p.resolve())),), claims) for p in files]


def parse_spec_text(text: str, spec_dir: Path = Path(".")) -> Spec:
    """Parse and validate a SPEC; every error is one InputError line."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"sweep spec: not valid TOML ({e})") from None
    bad = sorted(set(doc) - TOP_KEYS)
    if bad:
        raise InputError(f"sweep spec: unknown key {bad[0]!r}")
    seed = doc.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"sweep spec: seed must be a non-negative integer, got {seed!r}")
    if ("family" in doc) == ("instances" in doc):
        raise InputError("sweep spec: give exactly one of [family] or instances = \"folder\"")
    claims = _claims(doc.get("claims"))
    if "family" in doc:
        paper = doc["family"].get("paper", "deep") if isinstance(doc["family"], dict) else None
        wrong = [c for c, _ in claims if not c.startswith(paper + ".") and not c.startswith("flow.")] \
            if paper else []
        if wrong:
            raise InputError(f"sweep spec: claim {wrong[0]} does not apply to paper = {paper!r} instances")
        tasks = _family_tasks(doc["family"], seed, claims)
    else:
        tasks = _folder_tasks(doc["instances"], spec_dir, claims)
    return Spec(seed, sorted(tasks, key=lambda t: t.key))


def load_spec(path) -> Spec:
    p = Path(path)
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read sweep spec ({type(e).__name__})") from None
    return parse_spec_text(text, p.parent)
