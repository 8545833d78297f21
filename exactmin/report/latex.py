r"""LaTeX fragments of verified results (\input-able; needs only amsmath and booktabs).

Exact values print as fractions; enclosures print as intervals with their rational endpoints.
"""
from __future__ import annotations

import re

_ESC = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
        "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def tex_text(s: str) -> str:
    return "".join(_ESC.get(ch, ch) for ch in s)


def tex_number(v: str) -> str:
    """A "p/q" string as LaTeX: \\frac{p}{q} (sign outside)."""
    m = re.fullmatch(r"(-?)(\d+)/(\d+)", v)
    if m:
        return f"{m.group(1)}\\frac{{{m.group(2)}}}{{{m.group(3)}}}"
    return v


def fragment(claims, certs, inst) -> str:
    out = [f"% exactmin results on instance {tex_text(inst.name)} (sha256 {inst.sha256})" if inst is not None
           else "% exactmin results (instance-free claims)",
           "% requires \\usepackage{amsmath,booktabs}"]
    for c, cert in zip(claims, certs):
        out.append(f"\\paragraph{{\\texttt{{{tex_text(c.id)}}} --- {tex_text(c.title)} ({tex_text(c.ref)}).}}")
        out.append(f"\\[ {c.statement} \\]")
        out.append("\\begin{tabular}{lll}\\toprule reading & verdict & reason\\\\\\midrule")
        for name, r in cert.readings.items():
            out.append(f"{tex_text(name)} & \\textbf{{{r['verdict']}}} & {tex_text(r.get('reason', ''))[:200]}\\\\")
        out.append("\\bottomrule\\end{tabular}")
        if cert.values or cert.enclosures:
            out.append("\\begin{align*}")
            lines = [f"\\text{{{tex_text(k)}}} &= {tex_number(v)} && \\text{{({cert.provenance.get(k, 'exact')})}}"
                     for k, v in cert.values.items()]
            lines += [f"\\text{{{tex_text(k)}}} &\\in [{tex_number(e['lo'])},\\ {tex_number(e['hi'])}] && "
                      f"\\text{{(enclosure)}}" for k, e in cert.enclosures.items()]
            out.append("\\\\\n".join(lines))
            out.append("\\end{align*}")
    return "\n".join(out) + "\n"
