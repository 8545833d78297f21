r"""``exactmin report``: a complete LaTeX document of every claim checked on one instance.

Layout: title; header (tool versions, the instance's SHA-256); instance summary (Q, N, dimension, class sizes,
class means, labels); a table of all selected claims with their verdicts; "Findings about the papers" (each
refutation with its witness); one section per claim (the same text as ``exactmin check --latex``, see
:mod:`exactmin.report.latex`); the instance-free claims with their default options; the figures of
:mod:`exactmin.report.figures` when that module can draw the instance.

Files are produced in a temporary directory and moved next to the output only when everything succeeded
(including ``pdflatex`` with ``--pdf``), each by an atomic rename: a failure leaves nothing half-written.
"""
from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .latex import (PACKAGES, claim_body, reading_provenance, tex_name, tex_comment, tex_prose, tex_matrix, tex_text,
                    tex_verdict, tex_witness)

PAPERS = {"deep": "Chen \\& Mu\u00f1oz Ewald, arXiv:2309.10639",
          "shallow": "Chen \\& Mu\u00f1oz Ewald, arXiv:2309.10370",
          "flow": "Chen, arXiv:2311.15487",
          "sym": "\u015eim\u015fek et al., arXiv:2105.12221"}
PDFLATEX_TIMEOUT = 300


@dataclass
class Result:
    claim: object
    cert: object
    seconds: float


@dataclass
class Report:
    instance: object
    results: list                      # instance claims
    free: list                         # instance-free claims (default options)
    figures: list = field(default_factory=list)   # PDF file names (relative to the .tex)
    figure_note: str = ""
    options: dict = field(default_factory=dict)    # --option KEY=VALUE as given (each claim takes the keys it declares)


def select_claims(patterns=None) -> list:
    """Claims whose id matches one of the glob patterns (default: all), in registry order."""
    from ..claims import base
    reg = base.load_all()
    if not patterns:
        return list(reg.values())
    out = []
    for pat in patterns:
        hits = [c for c in reg if fnmatch.fnmatchcase(c, pat)]
        if not hits:
            raise InputError(f"no claim matches {pat!r} (run 'exactmin claims')")
        out += [reg[h] for h in hits if reg[h] not in out]
    return [c for c in reg.values() if c in out]


def run_claims(inst, claims, progress=None, options=None) -> tuple[list, list]:
    """Check every claim (default options, or the keys of ``options`` a claim declares, converted by
    ``claim_options``); instance-free claims are run without the instance."""
    from ..cli import _claim_options
    results, free = [], []
    for c in claims:
        if progress is not None:
            progress.step(c.id)
        t0 = time.perf_counter()
        cert = c.check(inst if c.needs_instance else None, **_claim_options(c, options or {}))
        (results if c.needs_instance else free).append(Result(c, cert, time.perf_counter() - t0))
    return results, free


def _options_text(options: dict) -> str:
    """``default options`` or ``options $k = v$, …`` (each claim used the keys it declares)."""
    if not options:
        return "default options"
    kv = ", ".join(rf"\texttt{{{tex_name(k)}={tex_name(str(v)[:60])}}}" for k, v in sorted(options.items()))
    return "options " + kv + ", each claim taking the keys it declares, defaults otherwise"


def _label(cid: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "-", cid)


def _summary(inst) -> str:
    sizes = ", ".join(str(s) for s in inst.sizes)
    rows = [("name", rf"\texttt{{{tex_name(inst.name[:120])}}}"),
            ("SHA-256 (canonical data)", rf"\texttt{{\footnotesize {inst.sha256}}}"),
            ("classes $Q$", str(inst.Q)), ("points $N$", str(inst.N)), ("dimension $M$", str(inst.M)),
            ("class sizes $N_j$", sizes), ("label dimension", str(inst.out_dim)),
            ("common denominator of the coordinates", _short_int(inst.X0_den))]
    out = [r"\begin{tabular}{@{}ll@{}}\toprule"]
    out += [rf"{k} & {v}\\" for k, v in rows]
    out.append(r"\bottomrule\end{tabular}")
    means = _fmpq_rows(inst.means)
    Y = _fmpq_rows(inst.Y)
    out.append(r"\[ X_0^{red} = (\bar x_{0,1},\dots,\bar x_{0,Q}) = " + tex_matrix(means) + r",\qquad Y = (y_1,\dots,"
               r"y_Q) = " + tex_matrix(Y) + r" \]")
    return "\n".join(out) + "\n"


def _short_int(n: int) -> str:
    s = str(n)
    return s if len(s) <= 30 else f"{s[:12]}\\ldots ({len(s)} digits)"


def _fmpq_rows(m) -> list:
    return [[f"{int(m[i, j].p)}/{int(m[i, j].q)}" for j in range(m.ncols())] for i in range(m.nrows())]


def _counts(cert) -> str:
    """'5 proved; refuted: a, b' -- the readings, grouped by verdict (names listed for non-proved ones)."""
    by = {}
    for name, r in cert.readings.items():
        by.setdefault(r["verdict"], []).append(name)
    parts = []
    if "proved" in by:
        parts.append(f"{len(by['proved'])} proved")
    for v in ("refuted", "hypotheses-fail", "undecided"):
        if v in by:
            names = by[v]
            shown = ", ".join(names[:3]) + (f", +{len(names) - 3}" if len(names) > 3 else "")
            parts.append(f"{v}: {shown}")
    return "; ".join(parts)


def _provenance(cert) -> str:
    tags = {reading_provenance(cert, n) for n in cert.readings}
    flat = {t.strip() for ts in tags for t in ts.split(",")}
    return ", ".join(t for t in ("exact", "enclosure", "sampled") if t in flat)


def verdict_table(results) -> str:
    out = [r"{\small\setlength{\tabcolsep}{4pt}",
           r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{0.27\linewidth}"
           r">{\raggedright\arraybackslash}p{0.18\linewidth}>{\raggedright\arraybackslash}p{0.12\linewidth}"
           r">{\raggedright\arraybackslash}p{0.26\linewidth}>{\raggedright\arraybackslash}p{0.1\linewidth}@{}}",
           r"\toprule claim & reference & verdict & readings & provenance\\\midrule\endhead"]
    for r in results:
        out.append(rf"\hyperlink{{{_label(r.claim.id)}}}{{\texttt{{{tex_name(r.claim.id)}}}}} & "
                   rf"{tex_text(r.claim.ref, max_len=60)} & {tex_verdict(r.cert.verdict)} & "
                   rf"{tex_text(_counts(r.cert))} & {tex_text(_provenance(r.cert))}\\[2pt]")
    out.append(r"\bottomrule\end{longtable}}")
    return "\n".join(out) + "\n"


def findings(results, free) -> str:
    refuted = [r for r in results + free if r.cert.verdict == "refuted"]
    if not refuted:
        return r"No statement was refuted on this instance." + "\n"
    out = [r"Each refutation below is exact: the kernel of exactmin re-derives it from the instance and the "
           r"witness recorded in the certificate (\texttt{exactmin check ID --instance I --certificate C.json}; "
           r"\texttt{exactmin verify C.json --instance I})."]
    for r in refuted:
        c = r.claim
        out.append(rf"\subsection{{\texttt{{{tex_name(c.id)}}} ({tex_text(c.ref, max_len=80)})}}"
                   rf"\label{{find:{_label(c.id)}}}")
        out.append(rf"\noindent {tex_prose(c.title)} --- {PAPERS.get(c.paper, tex_text(c.paper))}.")
        out.append(r"\begin{itemize}")
        for name, rd in r.cert.readings.items():
            if rd["verdict"] == "refuted":
                why = tex_prose(rd.get("reason", ""), 600, breakable=True)
                out.append(rf"\item reading \texttt{{{tex_name(name)}}}: {why}")
        out.append(r"\end{itemize}")
        out.append(r"\noindent\textbf{Witness} (recorded in the certificate):")
        out.append(tex_witness(r.cert.witness))
    return "\n".join(out) + "\n"


def _claim_sections(results) -> str:
    out = []
    for r in results:
        c = r.claim
        out.append(rf"\subsection{{\texttt{{{tex_name(c.id)}}}}}\hypertarget{{{_label(c.id)}}}{{}}")
        ref = rf"Section~\ref{{find:{_label(c.id)}}}" if r.cert.verdict == "refuted" else None
        out.append(claim_body(c, r.cert, witness=False, witness_ref=ref))
        out.append(rf"\noindent{{\footnotesize checked in {r.seconds:.3f}\,s}}")
    return "\n".join(out) + "\n"


def render(rep: Report, versions: dict) -> str:
    inst = rep.instance
    vers = ", ".join(f"{tex_text(k)} {tex_text(v)}" for k, v in versions.items())
    papers = "; ".join(f"\\texttt{{{k}.*}}: {v}" for k, v in PAPERS.items())
    out = [f"% exactmin report on instance {tex_comment(inst.name)} (sha256 {inst.sha256})",
           r"\documentclass[10pt,a4paper]{article}",
           r"\usepackage[utf8]{inputenc}",
           r"\usepackage[margin=2cm]{geometry}",
           r"\usepackage{" + ",".join(PACKAGES + ("graphicx",)) + "}",
           r"\usepackage[hidelinks]{hyperref}",
           r"\setlength{\LTpre}{4pt}\setlength{\LTpost}{4pt}\setlength{\parindent}{0pt}\setlength{\parskip}{3pt}",
           r"\allowdisplaybreaks\sloppy",
           rf"\title{{exactmin report: instance \texttt{{{tex_name(inst.name[:80])}}}}}",
           r"\author{generated by exactmin}", r"\date{}",
           r"\begin{document}", r"\maketitle",
           r"\noindent\textbf{Tools:} " + vers + r".\\",
           rf"\textbf{{Instance SHA-256:}} {{\small\texttt{{{inst.sha256}}}}}\\",
           r"{\small The SHA-256 is that of the instance's canonical JSON (exact coordinates and labels, without the "
           r"name); every certificate of this report records it. Exact values are fractions; a value too long to "
           r"print is shown as its truncated decimal expansion (\ldots), the exact value stays in the "
           r"certificate. Irrational quantities are certified enclosures whose decimal endpoints are rounded "
           r"outward.}",
           r"\par\smallskip{\small Papers: " + papers + ".}",
           r"\section{Instance}", _summary(inst),
           r"\section{Verdicts}",
           r"Every claim checked on this instance (" + _options_text(rep.options) + r"), with its overall verdict: "
           r"refuted if some reading is refuted, else hypotheses-fail, else undecided, else proved.",
           verdict_table(rep.results),
           r"\section{Findings about the papers}", findings(rep.results, rep.free),
           r"\section{Claims}", _claim_sections(rep.results)]
    if rep.free:
        out += [r"\section{Instance-free claims}",
                r"These claims build their own exact data from their options; they are checked here with their "
                r"default options and do not depend on the instance.",
                verdict_table(rep.free), _claim_sections(rep.free)]
    out.append(r"\section{Figures}")
    if rep.figures:
        for f in rep.figures:
            out += [r"\begin{figure}[htbp]\centering",
                    rf"\includegraphics[width=\linewidth,height=0.42\textheight,keepaspectratio]{{{f}}}",
                    rf"\caption{{{figure_caption(Path(f).stem, inst)}}}\end{{figure}}"]
    else:
        out.append(r"No figure for this instance" + (f" ({tex_text(rep.figure_note, 200)})" if rep.figure_note
                                                      else "") + ".")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def figure_caption(stem: str, inst) -> str:
    """The LaTeX caption of a report figure, from its panel name (``..._fig_clusters``, ``..._fig_layer2``,
    ``..._fig_flow``); every figure is a floating-point drawing of exactly computed objects."""
    panel = stem.rsplit("_fig_", 1)[-1]
    name = rf"\texttt{{{tex_name(inst.name[:60])}}}"
    drawn = r" A floating-point drawing of exactly computed objects; the verdicts come from the exact checks."
    plane = r" Coordinates: the plane of the class means (Q = 3), origin $\bar x$." if inst.Q == 3 else ""
    if panel == "clusters":
        return (rf"Instance {name}: the classes $x_{{0,j,i}}$, their means $\bar x_{{0,j}}$ and the cones "
                r"$\bar x_{0,j}[\mu_j] + C_{\theta_*}[f_j]$ of the construction of Theorem~2.3." + plane + drawn)
    m = re.fullmatch(r"layer(\d+)", panel)
    if m:
        l = int(m.group(1))
        return (rf"Instance {name} after hidden layer {l} of the Theorem~2.3 network: "
                rf"$x^{{(\tau,{l})}} = \tau^{{({l})}}(x_0)$. "
                + ("Class 1 is collapsed to its point" if l == 1 else
                   "Classes 1 and 2 are collapsed to their points" if l == 2 else
                   rf"Classes $1,\dots,{l}$ are collapsed to their points")
                + r" $\bar x_{0,j}[\mu_j]$; the cone of layer " + str(l) + " separates identity from collapse." + plane
                + drawn)
    if panel == "flow":
        return (rf"Instance {name}: the adapted gradient flow. The cost $C(\theta_k)$ at the exact checkpoints "
                r"against $e^{-2\kappa s}C(0)$, and the plain gradient flow from the same start $\theta_0$." + drawn)
    return rf"\texttt{{{tex_name(panel)}}}" + drawn


def _safe_stem(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", stem) or "report"


def make_figures(inst, workdir: Path, stem: str, options: dict | None = None) -> tuple[list[Path], str]:
    """The figures module's PDFs and PNGs for the instance, in ``workdir`` (the flow figure uses the same start
    options as the flow claims); ([], reason) when none."""
    try:
        from .figures import FLOW_OPTIONS, instance_figures
    except ImportError as e:
        return [], f"figures unavailable: {type(e).__name__}"
    fig_opts = {k: v for k, v in (options or {}).items() if k in FLOW_OPTIONS} or None
    try:
        paths = [Path(p) for p in instance_figures(inst, workdir / f"{_safe_stem(stem)}_fig", options=fig_opts)]
    except InputError as e:
        return [], str(e)
    return [p for p in paths if p.exists()], ""


def first_latex_error(log: str) -> str:
    """The first ``! ...`` line of a LaTeX log (with its ``l.N`` line number when present)."""
    lines = log.splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith("!"):
            where = next((x.split(" ", 1)[0] for x in lines[i + 1:i + 12] if re.match(r"l\.\d+", x)), "")
            return ln.strip() + (f" ({where})" if where else "")
    return "see the .log file"


def compile_pdf(tex: Path, runs: int = 2) -> Path:
    """Run pdflatex (nonstop, halt on error, no shell escape) ``runs`` times in the .tex's directory."""
    exe = shutil.which("pdflatex")
    if exe is None:
        raise InputError("pdflatex not found: install TeX Live (Debian: texlive-latex-base texlive-latex-extra) "
                         "or omit --pdf")
    for _ in range(runs):
        try:
            p = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
                               cwd=tex.parent, stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=PDFLATEX_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise InputError(f"pdflatex did not finish within {PDFLATEX_TIMEOUT} s") from None
        if p.returncode != 0:
            log = tex.with_suffix(".log")
            text = log.read_text(errors="replace") if log.exists() else p.stdout.decode(errors="replace")
            raise InputError(f"pdflatex failed: {first_latex_error(text)}")
    pdf = tex.with_suffix(".pdf")
    if not pdf.exists():
        raise InputError("pdflatex produced no PDF")
    return pdf


def _install(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` atomically (temporary file in the destination directory, then rename)."""
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_report(inst, out: Path, patterns=None, pdf: bool = False, progress=None, versions=None,
                 options: dict | None = None) -> dict:
    """Check the claims, render the document (and PDF), and install the files next to ``out``.

    Returns ``{"tex": path, "pdf": path or None, "figures": [...], "claims": [{"id", "verdict"}]}``.
    """
    out = Path(out)
    if out.suffix != ".tex":
        raise InputError(f"{out}: the report must be a .tex file")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent}: no such directory")
    claims = select_claims(patterns)
    if pdf and shutil.which("pdflatex") is None:      # fail before the (possibly long) checks
        compile_pdf(out)
    if progress is not None:
        progress.total = len(claims) + 1 + (2 if pdf else 0)
    options = dict(options or {})
    if options:
        from ..cli import _check_option_names
        _check_option_names(claims, options)        # a typo is an error before any work is done
    results, free = run_claims(inst, claims, progress, options)
    if versions is None:
        from ..certify.certificate import versions as _versions
        versions = _versions()
    with tempfile.TemporaryDirectory(prefix="exactmin-report-") as d:
        work = Path(d)
        if progress is not None:
            progress.step("figures")
        figs, note = make_figures(inst, work, out.stem, options)
        pdfs = [p for p in figs if p.suffix == ".pdf"]
        rep = Report(inst, results, free, [p.name for p in pdfs], note, options)
        tex = work / f"{_safe_stem(out.stem)}.tex"
        tex.write_text(render(rep, versions), encoding="utf-8")
        built = None
        if pdf:
            if progress is not None:
                progress.step("pdflatex")
            built = compile_pdf(tex)
        installed = []
        for f in figs:                     # figures first: the .tex refers to them
            _install(f, out.parent / f.name)
            installed.append(out.parent / f.name)
        _install(tex, out)
        pdf_out = None
        if built is not None:
            pdf_out = out.with_suffix(".pdf")
            _install(built, pdf_out)
    return {"tex": str(out), "pdf": str(pdf_out) if pdf_out else None, "figures": [str(p) for p in installed],
            "claims": [{"id": r.claim.id, "verdict": r.cert.verdict} for r in results + free]}

