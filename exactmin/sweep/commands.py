"""The ``sweep`` and ``sweep-summary`` subcommands (registered by exactmin/cli.py)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError


def cmd_sweep(args) -> int:
    """Exit 0 when every task is done, 130 when stopped by Ctrl-C (finished rows kept), 2 on a bad SPEC."""
    from .run import run_sweep
    from .spec import load_spec
    if args.jobs is not None and args.jobs < 1:
        raise InputError("sweep: --jobs must be >= 1")
    spec = load_spec(args.spec)
    res = run_sweep(spec, args.output, jobs=args.jobs, scheduler=args.scheduler, cert_dir=args.certificates,
                    quiet=args.quiet)
    print(f"sweep: {res['tasks']} instances, {res['skipped']} already done, {res['ran']} run -> {args.output}",
          file=sys.stderr)
    if res["interrupted"]:
        print("exactmin: interrupted (finished rows kept; rerun to resume)", file=sys.stderr)
        return 130
    if args.summary:
        return _summary(args.output, args.summary_prefix, None, None, None)
    return 0


def _summary(path, prefix, claim, reading, axis) -> int:
    from .summary import load, write_summary
    rows = load(Path(path))
    base = Path(prefix) if prefix else Path(path).with_suffix("")
    if not base.parent.is_dir():
        raise InputError(f"{base}: directory {base.parent} does not exist")
    for line in write_summary(rows, base, claim=claim, reading=reading, axis=axis):
        print(line)
    return 0


def cmd_sweep_summary(args) -> int:
    return _summary(args.results, args.prefix, args.claim, args.reading, args.axis)


def add_parsers(sub) -> None:
    s = sub.add_parser("sweep", help="run claims over a family of instances (SPEC in TOML) -> JSONL rows")
    s.add_argument("spec", help="the SPEC (TOML; see docs/sweep.md)")
    s.add_argument("-o", "--output", required=True, help="results, JSONL; rerunning with the same file resumes")
    s.add_argument("--jobs", "-j", type=int, default=None, help="local worker processes (default: all cores)")
    s.add_argument("--scheduler", help="run on a Dask cluster at this address (tcp://host:8786)")
    s.add_argument("--certificates", metavar="DIR", help="write each claim's certificate into DIR")
    s.add_argument("--summary", action="store_true", help="then print the summary (as sweep-summary)")
    s.add_argument("--summary-prefix", help="base path of the summary's .tex/.png (default: output without .jsonl)")
    s.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    s.set_defaults(fn=cmd_sweep)
    s = sub.add_parser("sweep-summary", help="verdict tables, a LaTeX fragment and a figure of a sweep's results")
    s.add_argument("results", help="a sweep's JSONL file")
    s.add_argument("--prefix", help="base path of the .tex/.png (default: results without .jsonl)")
    s.add_argument("--claim", help="claim of the figure (default: the first with a reading refuted somewhere)")
    s.add_argument("--reading", help="reading of the figure (default: the first refuted somewhere)")
    s.add_argument("--axis", help="family parameter on the figure's x axis (default: margin)")
    s.set_defaults(fn=cmd_sweep_summary)
    s = sub.add_parser("sweep-shrink", help="shrink a refuting instance of a sweep and verify its certificate")
    s.add_argument("results", help="a sweep's JSONL file")
    s.add_argument("--claim", required=True)
    s.add_argument("--reading", required=True)
    s.add_argument("-o", "--output", required=True, help="directory for the instance and its certificate")
    from .shrink import cmd_sweep_shrink
    s.set_defaults(fn=cmd_sweep_shrink)
