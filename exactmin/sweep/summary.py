"""Summaries of a sweep's JSONL: verdict tables per claim × reading and per parameter cell, a LaTeX fragment and
a PNG figure (share of instances with a given verdict against one family parameter, one line per Q)."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from ..errors import InputError
from .output import read_rows

VERDICTS = ("proved", "refuted", "hypotheses-fail", "undecided", "error")


def load(path: Path) -> list[dict]:
    if not path.is_file():
        raise InputError(f"{path}: no such results file")
    rows = read_rows(path)
    if not rows:
        raise InputError(f"{path}: no sweep rows")
    return rows


def varying(rows) -> set:
    """Family parameters that take more than one value in ``rows`` (the others are the same in every cell)."""
    seen: dict = {}
    for r in rows:
        for k, v in r["params"].items():
            seen.setdefault(k, set()).add(json.dumps(v))
    return {k for k, vs in seen.items() if len(vs) > 1 and k not in ("seed", "index", "file")}


def cell_of(row: dict, keys=None) -> str:
    """The grid cell: the family parameters (those in ``keys``, default all) without the seed and index."""
    p = {k: v for k, v in row["params"].items() if k not in ("seed", "index") and (keys is None or k in keys)}
    return ", ".join(f"{k}={json.dumps(v, separators=(',', ':')) if isinstance(v, list) else v}"
                     for k, v in sorted(p.items()))


def tally(rows, keyf) -> dict:
    out: dict = {}
    for r in rows:
        c = out.setdefault(keyf(r), {})
        c[r["verdict"]] = c.get(r["verdict"], 0) + 1
    return out


def _verdict_cols(tab) -> list:
    seen = {v for c in tab.values() for v in c}
    return [v for v in VERDICTS if v in seen] + sorted(seen - set(VERDICTS))


def text_table(tab, head) -> list[str]:
    cols = _verdict_cols(tab)
    keys = sorted(tab)
    w = [max([len(h)] + [len(str(k[i])) for k in keys]) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w[i]) for i, h in enumerate(head)) + "  " + "  ".join(f"{c:>9}" for c in cols)]
    for k in keys:
        lines.append("  ".join(str(k[i]).ljust(w[i]) for i in range(len(head))) + "  "
                     + "  ".join(f"{tab[k].get(c, 0):>9}" for c in cols))
    return lines


def _tex(s) -> str:
    return str(s).replace("\\", r"\textbackslash{}").replace("_", r"\_").replace("&", r"\&").replace("#", r"\#") \
        .replace("%", r"\%").replace("{", r"\{").replace("}", r"\}") if not str(s).startswith("$") else str(s)


def latex_table(tab, head, caption) -> str:
    cols = _verdict_cols(tab)
    lines = [r"\begin{table}[ht]\centering\small",
             r"\begin{tabular}{" + "l" * len(head) + "r" * len(cols) + "}", r"\hline",
             " & ".join(_tex(h) for h in head + list(cols)) + r" \\ \hline"]
    for k in sorted(tab):
        lines.append(" & ".join([_tex(x) for x in k] + [str(tab[k].get(c, 0)) for c in cols]) + r" \\")
    lines += [r"\hline", r"\end{tabular}", r"\caption{" + _tex(caption) + "}", r"\end{table}", ""]
    return "\n".join(lines)


def pick_reading(rows, claim=None, reading=None):
    """The figure's (claim, reading): as given, else the first (sorted) refuted on some but not all instances,
    else the first refuted anywhere, else the first row's."""
    pairs = sorted({(r["claim"], r["reading"]) for r in rows})
    if claim and reading:
        if (claim, reading) not in pairs:
            raise InputError(f"sweep-summary: no rows for {claim} reading {reading}")
        return claim, reading
    cand = [p for p in pairs if claim in (None, p[0]) and reading in (None, p[1])]
    if not cand:
        raise InputError(f"sweep-summary: no rows for {claim or ''} {reading or ''}".rstrip())
    tab = tally([r for r in rows if (r["claim"], r["reading"]) in cand], lambda r: (r["claim"], r["reading"]))
    mixed = [p for p in cand if tab[p].get("refuted", 0) and len(tab[p]) > 1]
    anyref = [p for p in cand if tab[p].get("refuted", 0)]
    return (mixed or anyref or cand)[0]


def _num(v) -> float:
    """An axis value for plotting only (display, never a decision)."""
    try:
        return float(Fraction(str(v)))
    except (ValueError, ZeroDivisionError):
        return float("nan")


def figure(rows, claim, reading, axis, path: Path, verdict="refuted") -> Path | None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sel = [r for r in rows if r["claim"] == claim and r["reading"] == reading and axis in r["params"]]
    if not sel:
        return None
    by: dict = {}
    for r in sel:
        q = r["params"].get("q", "?")
        x = r["params"][axis]
        k = by.setdefault(q, {}).setdefault(json.dumps(x), [0, 0])
        k[0] += r["verdict"] == verdict
        k[1] += 1
    fig, ax = plt.subplots(figsize=(5, 3.4))
    for q in sorted(by, key=str):
        pts = sorted((_num(json.loads(x)) if not isinstance(json.loads(x), list) else sum(json.loads(x)),
                      a / n) for x, (a, n) in by[q].items())
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"Q = {q}")
    ax.set_xlabel(axis)
    ax.set_ylabel(f"share {verdict}")
    ax.set_ylim(-0.05, 1.05)
    ax.set_title(f"{claim} [{reading}]", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_summary(rows, base: Path, claim=None, reading=None, axis=None) -> list[str]:
    """Print-ready lines; writes base.tex and base.png."""
    t1 = tally(rows, lambda r: (r["claim"], r["reading"]))
    vary = varying(rows)
    t2 = tally(rows, lambda r: (r["claim"], r["reading"], cell_of(r, vary) or "all"))
    lines = [f"{len({r['key'] for r in rows})} instances, {len(rows)} rows", ""]
    lines += text_table(t1, ["claim", "reading"]) + [""] + text_table(t2, ["claim", "reading", "cell"])
    c, rd = pick_reading(rows, claim, reading)
    axis = axis or "margin"
    t3 = {k[2:]: v for k, v in t2.items() if k[:2] == (c, rd)}
    tex = latex_table(t1, ["claim", "reading"], "Verdicts per claim and reading") + "\n" + \
        latex_table(t3, ["cell"], f"{c} [{rd}] per parameter cell")
    texp = base.with_suffix(".tex")
    tmp = texp.with_name(texp.name + ".tmp")
    tmp.write_text(tex)
    tmp.replace(texp)
    lines += ["", f"wrote {texp}"]
    png = figure(rows, c, rd, axis, base.with_suffix(".png"))
    if png:
        lines.append(f"wrote {png} ({c} [{rd}] against {axis})")
    return lines
