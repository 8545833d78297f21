"""The ``exactmin`` command (interface contract: ../shared/DESIGN.md).

Exit status of ``check``: 0 all proved; 1 some refuted; 3 some hypotheses-fail or undecided and none
refuted; 2 bad usage or bad input (one line on stderr, no traceback).  ``verify``: 0 valid, 1 invalid.
``prove``: 0 iff every outcome matches its recorded expectation.  Any command whose stdout is closed early
(``exactmin ... | head``) stops quietly with 141 = 128 + SIGPIPE, as a shell tool killed by SIGPIPE would.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
import time
from pathlib import Path

from .errors import ExactminError, InputError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70
EXIT_SIGPIPE = 128 + 13     # the shell's status of a process ended by SIGPIPE: its reader went away (`... | head`)


def stdout_closed() -> int:
    """The reader of stdout has gone (``exactmin check ... --json | head``): not an error of exactmin.

    Stop quietly, no traceback and no further output: stdout is pointed at /dev/null so that the interpreter's
    final flush of the unwritten buffer cannot raise again; returns the conventional SIGPIPE status 141."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):   # stdout without a file descriptor (captured in tests)
        pass
    return EXIT_SIGPIPE


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        raise InputError(f"{self.prog}: {message}")

    def add_argument(self, *names, **kw):
        """Single-valued options may be given once: a repeated ``--instance a --instance b`` is a usage error
        (exit 2), never a silent "the last one wins"."""
        if names and names[0].startswith("-") and kw.get("action") in (None, "store") and "nargs" not in kw:
            kw["action"] = _Once
        return super().add_argument(*names, **kw)


class _Once(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, "_seen_" + self.dest, False):
            parser.error(f"{option_string} given more than once")
        setattr(namespace, "_seen_" + self.dest, True)
        setattr(namespace, self.dest, values)


def _resolve_instance(arg: str) -> Path:
    """A path, or the name of a bundled instance (``deep_q2``)."""
    p = Path(arg)
    if p.exists():
        if not p.is_file():
            raise InputError(f"{arg}: not a file")
        return p
    from .data.bundled import bundled, list_bundled
    try:
        return bundled(arg)
    except InputError:
        stems = ", ".join(Path(n).stem for n in list_bundled())
        raise InputError(f"{arg}: no such file (and not a bundled instance; bundled: {stems})") from None


def _parse_options(pairs) -> dict:
    opts = {}
    for kv in pairs or []:
        if "=" not in kv:
            raise InputError(f"--option expects key=value, got {kv!r}")
        k, v = kv.split("=", 1)
        opts[k.strip().replace("-", "_")] = v.strip()
    return opts


def _check_option_names(claims, opts: dict) -> None:
    """Every --option key must be declared by at least one selected claim (catches typos such as widht=4)."""
    known = {name for c in claims for name, _, _ in c.options}
    unknown = sorted(set(opts) - known)
    if unknown:
        raise InputError(f"unknown option {unknown[0]!r} for {', '.join(c.id for c in claims[:3])}"
                         f"{' ...' if len(claims) > 3 else ''} (declared: {', '.join(sorted(known)) or 'none'})")


def _claim_options(claim, opts: dict) -> dict:
    """The options this claim declares, converted to the type of their default (ints stay ints)."""
    out = {}
    for name, default, _ in claim.options:
        if name in opts:
            v = opts[name]
            if isinstance(default, int) and not isinstance(default, bool):
                try:
                    v = int(v)
                except ValueError:
                    raise InputError(f"option {name} of {claim.id} must be an integer, got {v!r}") from None
            out[name] = v
    return out


def _select_claims(ids) -> list:
    from .claims import base
    reg = base.load_all()
    out = []
    for pat in ids:
        hits = [c for c in reg if fnmatch.fnmatchcase(c, pat)] if any(ch in pat for ch in "*?[") else [pat]
        if not hits:
            raise InputError(f"no claim matches {pat!r} (run 'exactmin claims')")
        for h in hits:
            out.append(base.get(h))
    return out


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def cmd_claims(args) -> int:
    from .claims import base
    reg = base.load_all()
    if args.json:
        print(json.dumps([{"id": c.id, "paper": c.paper, "ref": c.ref, "title": c.title,
                           "readings": [r for r, _ in c.readings], "values": [v for v, _ in c.values]}
                          for c in reg.values()], indent=1))
        return 0
    w = max(len(c) for c in reg)
    for c in reg.values():
        print(f"{c.id:<{w}}  {c.title}  [{c.ref}]")
    return 0


def _jobs_arg(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of processes 1..64, got {text!r}")
    return int(text)


_WORK: dict = {}          # what forked workers of ``check --jobs`` read (inherited, not pickled)


def _check_one(i: int):
    c, inst, opts = _WORK["claims"][i], _WORK["inst"], _WORK["opts"]
    t0 = time.perf_counter()
    cert = c.check(inst, **_claim_options(c, opts))
    return i, cert, time.perf_counter() - t0


def _one_core():
    """In a ``--jobs`` worker: the workers already share the cores, so no helper processes for block work."""
    from . import cores
    cores.JOBS = 1


def _check_all(claims, inst, opts, jobs: int, bar):
    """[(certificate, seconds)] in the order of ``claims``: in this process, or by ``jobs`` forked processes
    (each claim's check is deterministic, so the certificates are the same)."""
    if jobs <= 1:
        out = []
        for i in range(len(claims)):
            bar.step(claims[i].id)
            out.append(_check_one(i)[1:])
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    out = [None] * len(claims)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_one_core) as pool:
        for fut in as_completed([pool.submit(_check_one, i) for i in range(len(claims))]):
            i, cert, dt = fut.result()
            bar.finished(f"{claims[i].id} done")
            out[i] = (cert, dt)
    return out


def cmd_check(args) -> int:
    from .certify.verdict import exit_code
    from .data.io import load_instance
    claims = _select_claims(args.ids)
    if args.instance:
        inst = load_instance(_resolve_instance(args.instance))
    else:
        need = [c.id for c in claims if c.needs_instance]
        if need:
            raise InputError(f"--instance is required for {', '.join(need[:3])}{' ...' if len(need) > 3 else ''}")
        inst = None
    opts = _parse_options(args.option)
    _check_option_names(claims, opts)
    certs, rows = [], []
    from .report.progress import Progress
    jobs = min(args.jobs or min(2, os.cpu_count() or 1), len(claims))
    _WORK.update(claims=claims, inst=inst, opts=opts)
    with Progress(len(claims), enabled=len(claims) > 1 and not args.quiet and not args.json) as bar:
        done = _check_all(claims, inst, opts, jobs, bar)
    _WORK.clear()
    for c, (cert, dt) in zip(claims, done):
        certs.append(cert)
        for name, r in cert.readings.items():
            rows.append((c.id, name, r["verdict"], dt, r.get("reason", "")))
    verdicts = [r[2] for r in rows]
    if args.certificate:
        from .certify.write_v2 import document
        docs = [document(c) for c in certs]
        doc = docs[0] if len(docs) == 1 else {"format": "exactmin-bundle/1", "certificates": docs}
        _write_atomic(Path(args.certificate), json.dumps(doc, indent=1) + "\n")
    if args.latex:
        from .report.latex import fragment
        _write_atomic(Path(args.latex), fragment(claims, certs, inst))
    if args.json:
        print(json.dumps([{**c.to_json(), **({"notes": c.notes} if c.notes else {})} for c in certs], indent=1))
    elif not args.quiet:
        from .report.plain import readable      # exact values stay in --json and the certificate
        w = max(len(r[0]) for r in rows)
        wr = max(len(r[1]) for r in rows)
        for cid, name, v, dt, why in rows:
            print(f"{cid:<{w}}  {name:<{wr}}  {v:<15}  {dt:7.3f}s  {readable(why)}")
        for c in certs:
            if c.values:
                print(f"  {c.claim}: " + ", ".join(f"{k} = {readable(v)}" for k, v in c.values.items()))
        for c in certs:
            for n in c.notes:
                print(f"  {c.claim} {n['reading']}: {n['kind'].upper()}: {readable(n['text'])}")
    return exit_code(verdicts)


def cmd_verify(args) -> int:
    """Route each certificate to the kernel of its claim (exactmin/certify/routing.py); duplicate keys rejected."""
    from .certify import kernel, routing
    cpath = Path(args.certificate)
    try:
        text = cpath.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{cpath}: cannot read certificate ({type(e).__name__})")
    try:
        doc = json.loads(text, object_pairs_hook=routing.K.driver._pairs)
    except (json.JSONDecodeError, RecursionError) as e:  # RecursionError: deep nesting
        raise InputError(f"{cpath}: cannot read certificate ({type(e).__name__})")
    except routing.Invalid as e:
        print(f"INVALID: {e}", file=sys.stderr)
        return 1
    insts = None
    certs = doc.get("certificates") if isinstance(doc, dict) and doc.get("format") == "exactmin-bundle/1" else [doc]
    named = sorted({c["instance_sha256"] for c in certs if isinstance(certs, list) and isinstance(c, dict)
                    and isinstance(c.get("instance_sha256"), str)}) if isinstance(certs, list) else []
    if named and not args.instance:
        raise InputError(f"{cpath}: the certificate is about instance sha256 {named[0][:16]}...; give that instance "
                         "with --instance FILE")
    if args.instance:
        path = _resolve_instance(args.instance)
        try:
            insts = routing.load_instances(path)
        except kernel.InstanceError as e:  # unreadable input: exit 2 (docs/instance-format.md, section 6)
            raise InputError(f"{path}: {e}") from None
    ok, why = routing.verify_document(doc, instances=insts or (None, None))
    print(("valid: " if ok else "INVALID: ") + why, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def cmd_prove(args) -> int:
    """The package's proof scripts (or ``--proofs DIR``), or a user's case files (``--cases FILE``); filters
    ``--claims`` and ``--instance``; exit 0 iff every selected case is as expected."""
    from .prove import default_proofs_dir, describe, load_cases, load_scripts, run_case
    if args.cases:
        cases = [(Path(f).name, c) for f in args.cases for c in load_cases(f)]
    else:
        d = Path(args.proofs) if args.proofs else default_proofs_dir()
        if not d.is_dir():
            raise InputError(f"{d}: no proofs directory")
        cases = [(name, c) for name, cs in load_scripts(d) for c in cs]
    if args.claims:
        cases = [(n, c) for n, c in cases if any(fnmatch.fnmatchcase(c.claim, p) for p in args.claims)]
    if args.instance:
        cases = [(n, c) for n, c in cases
                 if c.instance is not None and (c.instance == args.instance or Path(c.instance).stem == args.instance)]
    if not cases:
        raise InputError("no proof cases selected" if (args.claims or args.instance) else "no proof cases found")
    outcomes = []
    from .report.progress import Progress
    with Progress(len(cases), enabled=not args.quiet and not args.json) as bar:
        for name, c in cases:
            bar.step(f"{c.claim} on {c.instance or '-'}")
            outcomes.append((name, run_case(c)))
    if args.json:
        print(json.dumps([{"script": n, "claim": o.case.claim, "instance": o.case.instance, "verdict": o.verdict,
                           "expected": o.case.expect, "label": o.case.label, "options": {k: str(v) for k, v in o.case.options.items()},
                           "ok": o.ok, "seconds": round(o.seconds, 3),
                           "detail": describe(o)} for n, o in outcomes], indent=1))
    else:                                   # -q silences the progress bar only
        def what(c):                        # what distinguishes two cases of one claim on one instance
            return " ".join([c.label] + [f"{k}={v}" for k, v in sorted(c.options.items())]).strip() or "-"
        def inst(c):
            return Path(c.instance).stem if c.instance else "-"
        wc = max(len(o.case.claim) for _, o in outcomes)
        wi = max(len(inst(o.case)) for _, o in outcomes)
        ww = min(40, max(len(what(o.case)) for _, o in outcomes))
        print(f"{'claim':<{wc}}  {'instance':<{wi}}  {'case':<{ww}}  {'verdict':<15}  {'expected':<15}  "
              f"{'time':>8}  status")
        for _, o in outcomes:
            print(f"{o.case.claim:<{wc}}  {inst(o.case):<{wi}}  {what(o.case)[:40]:<{ww}}  {o.verdict:<15}  "
                  f"{o.case.expect:<15}  {o.seconds:7.2f}s  {'ok' if o.ok else 'MISMATCH: ' + describe(o)}")
        bad = sum(not o.ok for _, o in outcomes)
        print(f"{len(outcomes) - bad} as expected, {bad} not")
    return 0 if all(o.ok for _, o in outcomes) else 1


def cmd_report(args) -> int:
    """A complete LaTeX report of every claim on one instance (exactmin.report.document); exit 0 when written."""
    from .data.io import load_instance
    from .report.document import write_report
    from .report.progress import Progress
    inst = load_instance(_resolve_instance(args.instance))
    with Progress(1, enabled=not args.quiet and not args.json) as bar:
        info = write_report(inst, Path(args.output), patterns=args.claims, pdf=args.pdf, progress=bar,
                            options=_parse_options(args.option))
    if args.json:
        print(json.dumps(info, indent=1))
    elif not args.quiet:
        refuted = sum(c["verdict"] == "refuted" for c in info["claims"])
        print(f"wrote {info['tex']}" + (f" and {info['pdf']}" if info["pdf"] else "")
              + f": {len(info['claims'])} claims, {refuted} refuted, {len(info['figures'])} figure files")
    return 0


def cmd_generate(args) -> int:
    from fractions import Fraction

    from .data.generate import generate_deep
    from .exact.numbers import parse_rational
    if args.paper not in ("deep", "shallow"):
        raise InputError(f"generate: only 'deep' and 'shallow' are available so far, not {args.paper!r}")
    if args.q < 1 or args.q > 64 or args.per_class < 1 or args.per_class > 10**6:
        raise InputError("generate: need 1 <= --q <= 64 and 1 <= --per-class <= 10^6")
    default_margin = "1/4" if args.paper == "shallow" else "1/2"
    m = Fraction(*parse_rational(args.margin if args.margin is not None else default_margin))
    if args.paper == "shallow":
        from .data.generate_shallow import generate_shallow
        if args.violate:
            raise InputError("generate shallow: --violate is not supported")
        inst = generate_shallow(args.q, args.m, args.per_class, args.seed, margin=m)
    else:
        if args.m is not None and args.m != args.q:
            raise InputError("generate deep: the input dimension is Q (--m is for 'shallow')")
        inst = generate_deep(args.q, args.per_class, args.seed, margin=m, violate=args.violate)
    text = json.dumps(inst.to_json_dict(), indent=1) + "\n"
    if args.output:
        _write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_sym_counts(args) -> int:
    """T(r*, m) and G(r, m): every closed form next to the brute-force enumeration (small sizes)."""
    from .sym import counts as sc
    r, m = args.r, args.m
    if not (0 <= r <= 60 and 0 <= m <= 200):
        raise InputError("sym counts: need 0 <= --r <= 60 and 0 <= --m <= 200")
    brute = m <= 9
    rows = [("T(r*, m)  (T-i) sum_k S(m,k) (k)_r*", sc.T_sum_blocks(r, m), "T"),
            ("T(r*, m)  (T-ii) zero-part sum", sc.T_sum_zero_part(r, m), "T"),
            ("T(r*, m)  (T-iii) egf coefficient", sc.T_egf(r, m), "T"),
            ("T_single  r*! S(m+1, r*+1)", sc.T_single_closed(r, m), "Ts"),
            ("G(r, m)   r! S(m, r)", sc.G_closed(r, m), "G"),
            ("G(r, m)   inclusion-exclusion", sc.G_inclusion_exclusion(r, m), "G")]
    enum = {"T": sc.count_T_brute(r, m), "Ts": sc.count_T_single_brute(r, m), "G": sc.count_G_brute(r, m)} if brute else {}
    ok = True
    for label, val, key in rows:
        tail = ""
        if brute:
            agree = val == enum[key]
            ok &= agree
            tail = f"   enumeration {enum[key]}  {'agree' if agree else 'DISAGREE'}"
        print(f"{label:<40} {val}{tail}")
    if not brute:
        print("(enumeration skipped for m > 9: closed forms only)")
    return 0 if ok else 1


def cmd_plot(args) -> int:
    """Figures of one instance (exactmin.report.figures); prints the written paths, exit 0."""
    from .data.io import load_instance
    from .report.figures import output_base, panels, save_panels
    if not 20 <= args.dpi <= 600:
        raise InputError("plot: --dpi must lie in 20..600")
    base = output_base(args.output)
    if not base.parent.is_dir():
        raise InputError(f"{args.output}: directory {base.parent} does not exist")
    inst = load_instance(_resolve_instance(args.instance))
    for p in save_panels(panels(inst, args.kind, _parse_options(args.option)), base, dpi=args.dpi,
                         suffix_single=False):
        print(p)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    p = _Parser(prog="exactmin", description="Exact proof checker for L2 cost minimizers of ReLU networks.")
    p.add_argument("--version", action="version", version=f"exactmin {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    s = sub.add_parser("claims", help="list claim ids")
    s.add_argument("--json", action="store_true")
    s.set_defaults(fn=cmd_claims)
    s = sub.add_parser("check", help="check claims on an instance")
    s.add_argument("ids", nargs="+", help="claim ids or patterns such as 'deep.*'")
    s.add_argument("--instance", help="instance file (.json/.csv/.npz) or bundled name (not needed by "
                   "instance-free claims such as sym.count-T)")
    s.add_argument("--certificate", help="write the certificate (a bundle for several claims)")
    s.add_argument("--latex", help="write an \\input-able LaTeX fragment")
    s.add_argument("--option", action="append", metavar="KEY=VALUE", help="claim option, e.g. seed=3")
    s.add_argument("--json", action="store_true", help="print certificates as JSON")
    s.add_argument("--jobs", "-j", type=_jobs_arg, default=0, metavar="N",
                   help="claims checked in parallel by N processes (default: one per core, at most 2, when several "
                        "claims are asked for); the certificates do not depend on N")
    s.add_argument("--quiet", "-q", action="store_true")
    s.set_defaults(fn=cmd_check)
    s = sub.add_parser("verify", help="re-check a certificate with the standard-library kernel")
    s.add_argument("certificate")
    s.add_argument("--instance", help="the instance the certificate is for (omit for instance-free claims)")
    s.set_defaults(fn=cmd_verify)
    s = sub.add_parser("prove", help="run every proof script on the bundled instances")
    s.add_argument("--proofs", help="directory of proof scripts (default: the installed package's exactmin/proofs)")
    s.add_argument("--cases", action="append", metavar="FILE",
                   help="a case file (TOML [[case]] tables or JSON) of your own instances and expectations")
    s.add_argument("--claims", nargs="+", metavar="PATTERN", help="only cases of these claim ids or patterns")
    s.add_argument("--instance", help="only cases on this instance (bundled name, file path or file stem)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--quiet", "-q", action="store_true")
    s.set_defaults(fn=cmd_prove)
    s = sub.add_parser("report", help="write a complete LaTeX report (and PDF) of every claim on an instance")
    s.add_argument("--instance", required=True, help="instance file (.json/.csv/.npz) or bundled name")
    s.add_argument("-o", "--output", required=True, help="the report, a .tex file")
    s.add_argument("--pdf", action="store_true", help="also compile it with pdflatex (PDF next to the .tex)")
    s.add_argument("--claims", nargs="+", metavar="PATTERN", help="only these claim ids or patterns (default all)")
    s.add_argument("--option", action="append", metavar="KEY=VALUE",
                   help="claim option (each claim takes the keys it declares; the flow figure uses the flow start "
                        "options), e.g. seed=3")
    s.add_argument("--json", action="store_true", help="print the written paths and verdicts as JSON")
    s.add_argument("--quiet", "-q", action="store_true")
    s.set_defaults(fn=cmd_report)
    s = sub.add_parser("generate", help="write a random instance meeting (or violating) a paper's hypotheses")
    s.add_argument("paper", choices=["deep", "shallow"])
    s.add_argument("--q", type=int, required=True)
    s.add_argument("--m", type=int, default=None, help="shallow only: input dimension M >= Q (default Q)")
    s.add_argument("--per-class", type=int, required=True)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--margin", default=None, help="rational in (0,1): how far inside the hypotheses (deep, "
                   "default 1/2); shallow: the bound delta_P <= margin (default 1/4)")
    s.add_argument("--violate", choices=["2.12", "2.14", "2.51"])
    s.add_argument("-o", "--output")
    s.set_defaults(fn=cmd_generate)
    s = sub.add_parser("import", help="read a table as you have it (class column anywhere, index column, ; or tab, "
                                      "# comments, .gz/.bz2/.xz) and write the instance JSON that check reads")
    s.add_argument("file")
    s.add_argument("-o", "--output", help="the instance JSON (default: standard output)")
    s.add_argument("--class-column", help="the class column: a header name or a column number (negative from the end)")
    s.add_argument("--delimiter", help="field separator (default: sniffed among , ; tab | space); 'tab' for tab")
    s.add_argument("--comment", default="#", help="lines starting with this are skipped (default '#'; '' for none)")
    s.add_argument("--header", default="auto", choices=["auto", "yes", "no"])
    s.add_argument("--index-column", default="auto", help="'auto' (drop a row-number column pandas wrote), 'none', "
                   "or a header name to drop")
    s.add_argument("--name", help="instance name (default: the file name)")
    s.add_argument("--quiet", "-q", action="store_true")
    s.set_defaults(fn=cmd_import)
    s = sub.add_parser("sym", help="symmetry paper tools")
    ss = s.add_subparsers(dest="symcmd", required=True, parser_class=_Parser)
    t = ss.add_parser("counts", help="T(r*, m), G(r, m): closed forms and brute-force enumeration")
    t.add_argument("--r", type=int, required=True, help="r* (teacher width) for T, r for G")
    t.add_argument("--m", type=int, required=True, help="student width m")
    t.set_defaults(fn=cmd_sym_counts)
    s = sub.add_parser("plot", help="figures of an instance: clusters, cones and layers (deep, Q = 2, 3) or the "
                       "adapted flow's C(s) (PNG and vector PDF)")
    s.add_argument("--instance", required=True, help="instance file (.json/.csv/.npz) or bundled name")
    s.add_argument("-o", "--output", required=True, help="fig.png: writes fig.png and fig.pdf; several panels "
                   "give fig_<panel>.png/.pdf")
    s.add_argument("--kind", default="auto", choices=["auto", "clusters", "layers", "flow"])
    s.add_argument("--option", action="append", metavar="KEY=VALUE", help="flow start theta_0: seed, widths, "
                   "theta, kappa, s_max, dps, rel_tol (as for flow.exp-rate)")
    s.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    s.set_defaults(fn=cmd_plot)
    from .sweep.commands import add_parsers as _sweep_parsers
    _sweep_parsers(sub)
    s = sub.add_parser("completion", help="print a shell completion script: eval \"$(exactmin completion bash)\"")
    s.add_argument("shell", choices=["bash", "zsh"])
    s.set_defaults(fn=cmd_completion)
    return p


def completion_script(shell: str = "bash") -> str:
    """A static completion script generated from the parser: subcommands, each subcommand's options, claim ids
    (for ``check`` and ``--claims``), bundled instance names and files (for ``--instance``), files elsewhere.
    zsh uses it through ``bashcompinit``."""
    from .claims import base
    from .data.bundled import list_bundled
    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    cases = []
    for name, sp in subs.choices.items():
        opts = sorted({o for a in sp._actions for o in a.option_strings if o.startswith("--")})
        cases.append(f'        {name}) opts="{" ".join(opts)}";;')
    ids = " ".join(sorted(base.load_all()))
    insts = " ".join(sorted({Path(n).stem for n in list_bundled()}))
    body = f"""_exactmin() {{
    local cur prev cmd opts
    cur="${{COMP_WORDS[COMP_CWORD]}}"; prev="${{COMP_WORDS[COMP_CWORD-1]}}"; cmd="${{COMP_WORDS[1]}}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{' '.join(subs.choices)} --version --help" -- "$cur")); return
    fi
    case "$prev" in
        --instance) COMPREPLY=($(compgen -W "{insts}" -- "$cur") $(compgen -f -- "$cur")); return;;
        --claims) COMPREPLY=($(compgen -W "{ids}" -- "$cur")); return;;
        -o|--output|--certificate|--latex|--cases|--proofs) COMPREPLY=($(compgen -f -- "$cur")); return;;
    esac
    case "$cmd" in
{chr(10).join(cases)}
        *) opts="";;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    elif [ "$cmd" = check ]; then
        COMPREPLY=($(compgen -W "{ids}" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _exactmin exactmin
"""
    return ("autoload -U +X bashcompinit && bashcompinit\n" + body) if shell == "zsh" else body


def cmd_completion(args) -> int:
    sys.stdout.write(completion_script(args.shell))
    return 0


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings on the command line: one line, ``exactmin: warning: ...``, no source excerpt."""
    print(f"exactmin: warning: {message}", file=sys.stderr)


def cmd_import(args) -> int:
    """Read a table as users have it (exactmin.data.door) and write the canonical instance JSON."""
    from .data.door import read_table
    inst, notes = read_table(Path(args.file), class_column=args.class_column, delimiter=args.delimiter,
                             comment=args.comment or None, header=args.header, index_column=args.index_column,
                             name=args.name)
    for n in notes:
        print(f"exactmin: {'' if n.startswith('warning:') else 'note: '}{n}", file=sys.stderr)
    text = json.dumps(inst.to_json_dict(), indent=1) + "\n"
    if args.output:
        _write_atomic(Path(args.output), text)
        if not args.quiet:
            print(f"wrote {args.output}: Q = {inst.Q}, N = {inst.N}, M = {inst.M}, class sizes "
                  f"{list(inst.sizes)[:12]}{' ...' if inst.Q > 12 else ''}")
    else:
        sys.stdout.write(text)
    return 0


def main(argv=None) -> int:
    import warnings
    # BLAS threads set deliberately, before NumPy loads: the exact pipeline's float products are small (Q x Q, or
    # blocks of the certified filter), where threads cost more than they give; parallelism is --jobs (a user's own
    # setting of these variables wins)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    warnings.showwarning = _one_line_warning
    try:
        args = build_parser().parse_args(argv)
        rc = args.fn(args)
        sys.stdout.flush()          # a closed pipe must surface here, not in the interpreter's exit flush
        return rc
    except BrokenPipeError:
        return stdout_closed()
    except InputError as e:
        print(f"exactmin: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ExactminError as e:
        print(f"exactmin: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("exactmin: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # an exactmin bug: one line unless debugging
        if os.environ.get("EXACTMIN_DEBUG"):
            raise
        print(f"exactmin: internal error: {type(e).__name__}: {e} (set EXACTMIN_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
