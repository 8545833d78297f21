r"""LaTeX of verified results: numbers, matrices, escaped text and one fragment per claim.

Everything here is a pure function of a claim declaration and its certificate (plus the instance for the
summary), so ``exactmin check --latex`` and ``exactmin report`` print the same text.

Numbers (all decided with integer arithmetic, never through a binary float):

* an exact rational ``p/q`` prints as ``\frac{p}{q}`` (sign in front) while numerator and denominator have at most
  :data:`EXACT_DIGITS` digits; a longer one prints as its decimal expansion truncated toward zero after
  :data:`TRUNC_SIG` significant digits, followed by ``\ldots`` (every printed digit is a true digit) and a note
  giving the digit counts; the exact value stays in the certificate;
* an enclosure ``[lo, hi]`` (an irrational quantity) prints as ``[lo', hi']`` with decimals rounded OUTWARD:
  ``lo' = floor(lo)`` and ``hi' = ceil(hi)`` at a common decimal precision, so ``lo' <= lo <= hi <= hi'`` holds
  exactly (:func:`outward`); never a rounded midpoint;
* a value recorded as a square (a name containing ``squared`` or ``sq``) also prints its nonnegative root:
  the radical in lowest terms (sympy) when it is small, else a certified decimal enclosure of the root from
  ``math.isqrt``.

Text that comes from input (instance names, reasons, keys) goes through :func:`tex_text`, which escapes every
special character, maps common Unicode to LaTeX, replaces control characters and shortens long digit runs.
"""
from __future__ import annotations

import math
import re
from fractions import Fraction

from ..exact.numbers import is_fmt, parse_fmt

#: Packages a document needs to \input the fragments (also written as a comment at the top of a fragment).
PACKAGES = ("amsmath", "amssymb", "booktabs", "longtable", "array")
PREAMBLE_COMMENT = "% exactmin LaTeX fragment; needs \\usepackage{" + ",".join(PACKAGES) + "} in the preamble"

EXACT_DIGITS = 24        # numerator and denominator up to this many digits print as an exact \frac
TRUNC_SIG = 15           # significant digits of a truncated long exact value
MATRIX_EXACT_DIGITS = 8  # a matrix whose entries all have at most this many digits prints exactly
MATRIX_SIG = 8           # else its entries print truncated to this many significant digits
MATRIX_MAX = 8           # larger matrices are not displayed (their size is)
TEXT_DIGITS = 30         # digit runs in text longer than this are shortened
WITNESS_ITEMS = 24       # displayed witness entries per claim
SQRT_SYMPY_DIGITS = 30   # radicals via sympy only below this size (factoring cost)

STRUT = r"\rule[-2.2ex]{0pt}{6.2ex}"   # 4ex above, 2.2ex below the baseline: air around a display fraction

# ----------------------------------------------------------------------------------------------- text

_ESC = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
        "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
        "<": r"\ensuremath{<}", ">": r"\ensuremath{>}", "|": r"\ensuremath{|}", '"': "''"}
_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi "
          "chi psi omega").split()
_UNI = {chr(0x3B1 + i): rf"\ensuremath{{\{g}}}" for i, g in enumerate(_GREEK[:17])}
_UNI.update({chr(0x3C3 + i): rf"\ensuremath{{\{g}}}" for i, g in enumerate(_GREEK[17:])})
_UNI.update({"\u03c2": r"\ensuremath{\varsigma}", "\u00b5": r"\ensuremath{\mu}",
             "\u0394": r"\ensuremath{\Delta}", "\u0393": r"\ensuremath{\Gamma}", "\u0398": r"\ensuremath{\Theta}",
             "\u039b": r"\ensuremath{\Lambda}", "\u03a3": r"\ensuremath{\Sigma}", "\u03a0": r"\ensuremath{\Pi}",
             "\u03a6": r"\ensuremath{\Phi}", "\u03a8": r"\ensuremath{\Psi}", "\u03a9": r"\ensuremath{\Omega}",
             "\u2264": r"\ensuremath{\le}", "\u2265": r"\ensuremath{\ge}", "\u2260": r"\ensuremath{\ne}",
             "\u2248": r"\ensuremath{\approx}", "\u00b1": r"\ensuremath{\pm}", "\u00d7": r"\ensuremath{\times}",
             "\u00f7": r"\ensuremath{\div}", "\u2212": "-", "\u2013": "--", "\u2014": "---", "\u2026": r"\ldots{}",
             "\u00a7": r"\S{}", "\u00b2": r"\textsuperscript{2}", "\u00b3": r"\textsuperscript{3}",
             "\u2070": r"\textsuperscript{0}", "\u00b9": r"\textsuperscript{1}", "\u207b": r"\textsuperscript{-}",
             "\u221a": r"\ensuremath{\surd}", "\u221e": r"\ensuremath{\infty}", "\u2208": r"\ensuremath{\in}",
             "\u2211": r"\ensuremath{\sum}", "\u2016": r"\ensuremath{\|}", "\u2192": r"\ensuremath{\to}",
             "\u21d2": r"\ensuremath{\Rightarrow}", "\u2200": r"\ensuremath{\forall}",
             "\u2203": r"\ensuremath{\exists}",
             "\u2229": r"\ensuremath{\cap}", "\u222a": r"\ensuremath{\cup}", "\u2282": r"\ensuremath{\subset}",
             "\u2286": r"\ensuremath{\subseteq}", "\u00b7": r"\ensuremath{\cdot}", "\u22c5": r"\ensuremath{\cdot}",
             "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u00a0": "~", "\u00ab": r"\ensuremath{\ll}",
             "\u00bb": r"\ensuremath{\gg}", "\u0303": "", "\u0304": "", "\u0302": "",
             "\u015e": r"\c{S}", "\u015f": r"\c{s}", "\u0141": r"\L{}", "\u0142": r"\l{}", "\u0151": r"\H{o}",
             "\u0171": r"\H{u}", "\u0131": r"\i{}", "\u011f": r"\u{g}", "\u0107": r"\'c", "\u010d": r"\v{c}",
             "\u0161": r"\v{s}", "\u017e": r"\v{z}", "\u0159": r"\v{r}", "\u0148": r"\v{n}", "\u00df": r"\ss{}"})


def _char(ch: str) -> str:
    if ch in _ESC:
        return _ESC[ch]
    o = ord(ch)
    if 32 <= o < 127:
        return ch
    if ch in _UNI:
        return _UNI[ch]
    if o < 32 or 127 <= o < 160:        # control characters (newlines would end a comment line)
        return " "
    if 0xC0 <= o <= 0xFF and ch not in "\u00d0\u00de\u00f0\u00fe":   # Latin-1 letters with an OT1 glyph or accent
        return ch
    return rf"\texttt{{[U+{o:04X}]}}"


def _shorten_run(m: re.Match) -> str:
    s = m.group(0)
    return f"{s[:12]}...[{len(s)} digits]"


def tex_text(s, max_len: int | None = None, breakable: bool = False) -> str:
    """Escape arbitrary text for LaTeX text mode (safe for instance names, reasons and keys; no newlines).

    Digit runs longer than :data:`TEXT_DIGITS` are shortened to their first 12 digits and their length;
    ``max_len`` (characters of the input) truncates with an ellipsis; ``breakable`` allows line breaks after
    ``/`` and ``,`` (long fractions and lists in reasons).
    """
    s = str(s)
    if max_len is not None and len(s) > max_len:
        s = s[:max_len].rstrip() + "..."
    s = re.sub(r"\d{%d,}" % (TEXT_DIGITS + 1), _shorten_run, s)
    out = "".join(_char(ch) for ch in s)
    if breakable:
        out = out.replace("/", r"/\allowbreak{}").replace(",", r",\allowbreak{}")
    return out


_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "eps", "kappa", "lambda", "mu", "sigma", "tau", "theta",
          "omega", "rho", "phi", "Delta", "Sigma", "Gamma", "Omega")
_GREEK_TEX = {g: ("varepsilon" if g in ("eps", "epsilon") else g) for g in _GREEK}
_BARS = {"xbar": r"\bar{x}", "ybar": r"\bar{y}"}
_SYMBOLS = {"<=>": r"\Leftrightarrow", "<=": r"\le", ">=": r"\ge", "!=": r"\ne", "=>": r"\Rightarrow",
            "->": r"\to"}
_BASE = r"(?:%s|%s|[A-Za-z]{1,3})" % ("|".join(sorted(_GREEK, key=len, reverse=True)), "|".join(_BARS))
_PROSE = re.compile(
    r"(?P<sym><=>|<=|>=|!=|=>|->)"
    r"|(?P<sub>\b(?P<base>%s)_(?P<idx>%s|[A-Za-z0-9]{1,3}(?:,[A-Za-z0-9]{1,3})?|\{[^{}]{1,12}\}|\([^()]{1,12}\))"
    r"(?![A-Za-z0-9]))"
    % (_BASE, "|".join(sorted(_GREEK, key=len, reverse=True)))
    + r"|(?P<sup>\^(?P<exp>perp|-?[A-Za-z0-9]{1,3}(?![A-Za-z0-9])|\([^()]{1,16}\)|\{[^{}]{1,16}\}))"
    r"|(?P<word>\b(?:%s|%s)\b)" % ("|".join(sorted(_GREEK, key=len, reverse=True)), "|".join(_BARS)))


def _word_tex(w: str) -> str:
    return rf"\ensuremath{{{_BARS[w]}}}" if w in _BARS else rf"\ensuremath{{\{_GREEK_TEX[w]}}}"


def _prose(s: str) -> str:
    out, pos = [], 0
    for m in _PROSE.finditer(s):
        out.append("".join(_char(ch) for ch in s[pos:m.start()]))
        pos = m.end()
        if m.group("sym"):
            out.append(rf"\ensuremath{{{_SYMBOLS[m.group('sym')]}}}")
        elif m.group("sub"):
            base, idx = m.group("base"), m.group("idx")
            idx = idx[1:-1] if idx[0] in "{" else idx
            out.append((_word_tex(base) if base in _GREEK_TEX or base in _BARS else "".join(_char(c) for c in base))
                       + r"\textsubscript{" + _prose(idx) + "}")
        elif m.group("sup") and m.group("exp") == "perp":
            out.append(r"\ensuremath{^\perp}")
        elif m.group("sup"):
            e = m.group("exp")
            if e[0] == "{" or (e[0] == "(" and not re.fullmatch(r"\(\w{1,2}\)", e)):
                e = e[1:-1]                     # a group: e^(-2 kappa s); an index keeps its parentheses: W^(l)
            out.append(r"\textsuperscript{" + _prose(e) + "}")
        else:
            out.append(_word_tex(m.group("word")))
    out.append("".join(_char(ch) for ch in s[pos:]))
    return "".join(out)


PROSE_DIGITS = 20


def tex_prose(s, max_len: int | None = None, breakable: bool = False) -> str:
    """Like :func:`tex_text` (escapes everything; safe for any input), for the library's plain-text reasons,
    hypotheses and options: the ASCII math in them is typeset -- Greek names (kappa, delta, mu, ...) as letters,
    xbar as x-bar, x_k / x_(j) as subscripts, ^2 / ^T / ^(-1) as superscripts, <= >= != => -> <=> as symbols."""
    s = str(s)
    if max_len is not None and len(s) > max_len:
        s = s[:max_len].rstrip() + "..."
    s = re.sub(r"\d{%d,}" % (PROSE_DIGITS + 1), _shorten_run, s)       # a reason's numbers fit a table cell
    out = _prose(s)
    if breakable:
        out = out.replace("/", r"/\allowbreak{}").replace(",", r",\allowbreak{}")
    return out


def tex_name(s) -> str:
    """An identifier (claim id, reading or value name, key path) for ``\\texttt``: escaped, with line-break
    points after ``.``, ``/``, ``-``, ``=``, ``_`` and before ``[``; ``_`` is the typewriter font's own glyph (so the
    PDF's text has an underscore)."""
    out = tex_text(s)
    for ch, rep in ((".", r".\allowbreak{}"), ("/", r"/\allowbreak{}"), ("-", r"-\allowbreak{}"), ("=", r"=\allowbreak{}"),
                    (r"\_", r"\char95\allowbreak{}"), ("[", r"\allowbreak{}[")):   # cmtt has a real _ glyph
        out = out.replace(ch, rep)
    return out


tex_path = tex_name


def tex_comment(s) -> str:
    """Text safe inside a ``%`` comment line: one line, printable ASCII only."""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in str(s))


def tex_statement(s: str) -> str:
    r"""A declaration's LaTeX statement (trusted code, not input) prepared for inline math that may break
    across lines: ``\allowbreak`` after the separators ``,\ `` ``;\ `` ``:\ `` and before ``\quad``; a spacing
    command glued to a letter (``\quadC_0``, an undefined control word) is separated from it."""
    s = re.sub(r"\\(q?quad)(?=[A-Za-z])", r"\\\1 ", s)
    s = re.sub(r"([,;:])\\ ", r"\1\\allowbreak\\ ", s)
    return re.sub(r"\\(q?quad)(?![A-Za-z])", r"\\allowbreak\\\1", s)


# -------------------------------------------------------------------------------------------- numbers

def _ndigits(n: int) -> int:
    """Decimal digits of |n| (exact; 1 for 0)."""
    n = abs(n)
    if n < 10:
        return 1
    k = int(n.bit_length() * 0.30102999566398120) - 1
    k = max(k, 0)
    while 10 ** (k + 1) <= n:
        k += 1
    while 10 ** k > n:
        k -= 1
    return k + 1


def _exp10(p: int, q: int) -> int:
    """e with 10^e <= |p/q| < 10^(e+1) (p != 0), exactly."""
    p = abs(p)
    e = _ndigits(p) - _ndigits(q)
    if e >= 0:
        if p < q * 10 ** e:
            e -= 1
    elif p * 10 ** (-e) < q:
        e -= 1
    return e


def round_sig(p: int, q: int, sig: int, mode: str) -> tuple[int, int]:
    """(m, e) with m * 10^e = p/q rounded to ``sig`` significant digits: mode "down" (floor), "up" (ceil) or
    "trunc" (toward zero). Pure integer arithmetic."""
    if sig < 1:
        raise ValueError("sig >= 1")
    if p == 0:
        return 0, 0
    e = _exp10(p, q) - sig + 1
    num, den = (p, q * 10 ** e) if e >= 0 else (p * 10 ** (-e), q)
    if mode == "down":
        m = num // den
    elif mode == "up":
        m = -((-num) // den)
    elif mode == "trunc":
        m = abs(num) // den * (1 if num > 0 else -1)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return m, e


def outward(lo, hi, sig: int | None = None) -> tuple[tuple[int, int], tuple[int, int]]:
    """Decimal endpoints ``(m_lo, e_lo), (m_hi, e_hi)`` with ``m_lo 10^e_lo <= lo`` and ``m_hi 10^e_hi >= hi``.

    ``sig`` significant digits (default: enough to show the width of the interval, between 6 and 20).
    """
    lp, lq = parse_fmt(lo)
    hp, hq = parse_fmt(hi)
    if sig is None:
        sig = enclosure_digits(lp, lq, hp, hq)
    return round_sig(lp, lq, sig, "down"), round_sig(hp, hq, sig, "up")


def enclosure_digits(lp: int, lq: int, hp: int, hq: int) -> int:
    """Significant digits that resolve the width of [lo, hi]: 2 more than the leading zeros of the relative
    width, clamped to 6..20."""
    wp = hp * lq - lp * hq                                      # (hi - lo) * lq * hq
    mp = max(abs(lp) * hq, abs(hp) * lq)                        # max(|lo|, |hi|) * lq * hq
    if wp <= 0 or mp == 0:
        return 6
    k = -_exp10(wp, mp)                                         # relative width ~ 10^-k
    return min(20, max(6, k + 2))


def decimal_str(m: int, e: int, strip: bool = True, sci_above: int = 7,
                sci_below: int = -5) -> tuple[str, int | None]:
    """(mantissa text, exponent or None) of m * 10^e, exactly: positional when the magnitude is moderate,
    else d.ddd with a power of ten. ``strip`` drops trailing fractional zeros (the value is unchanged; kept for
    enclosure endpoints, whose digits are all significant)."""
    if m == 0:
        return "0", None
    sign = "-" if m < 0 else ""
    digits = str(abs(m))
    mag = len(digits) - 1 + e                                   # exponent of the leading digit
    if sci_below <= mag < sci_above:
        if e >= 0:
            txt = digits + "0" * e
        else:
            k = -e
            txt = digits.rjust(k + 1, "0")
            txt = txt[:-k] + "." + txt[-k:]
            if strip:
                txt = txt.rstrip("0").rstrip(".")
        return sign + txt, None
    frac = digits[1:].rstrip("0") if strip else digits[1:]
    return sign + digits[0] + ("." + frac if frac else ""), mag


def tex_decimal(m: int, e: int, dots: bool = False, strip: bool = True) -> str:
    mant, ex = decimal_str(m, e, strip)
    if dots:
        mant += r"\ldots"
    if mant.startswith("-"):
        mant = "-" + mant[1:]
    return mant if ex is None else rf"{mant}\times 10^{{{ex}}}"


def tex_frac(p: int, q: int) -> str:
    sign = "-" if p < 0 else ""
    return f"{sign}{abs(p)}" if q == 1 else rf"{sign}\frac{{{abs(p)}}}{{{q}}}"


def is_long(p: int, q: int, limit: int = EXACT_DIGITS) -> bool:
    return _ndigits(p) > limit or _ndigits(q) > limit


def tex_truncated(p: int, q: int, sig: int = TRUNC_SIG) -> str:
    r"""The decimal expansion of p/q truncated toward zero after ``sig`` significant digits, with ``\ldots``
    when digits were dropped (so every printed digit is a true digit)."""
    m, e = round_sig(p, q, sig, "trunc")
    exact = Fraction(m) * Fraction(10) ** e == Fraction(p, q)
    return tex_decimal(m, e, dots=not exact)


def rational_note(v, limit: int = EXACT_DIGITS) -> str | None:
    """The note printed under a long exact value (text mode), or None when the value prints exactly."""
    p, q = parse_fmt(v)
    if not is_long(p, q, limit):
        return None
    size = f"{_ndigits(p)}-digit integer" if q == 1 else f"fraction of {_ndigits(p)}/{_ndigits(q)} digits"
    return f"truncated; exact value (a {size}) in the certificate"


def tex_rational(v, limit: int = EXACT_DIGITS, note: bool = False) -> str:
    r"""An exact rational in math mode: ``\frac{p}{q}`` when short, else the truncated decimal expansion
    (``note``: followed by :func:`rational_note` as ``\text``)."""
    p, q = parse_fmt(v)
    if not is_long(p, q, limit):
        return tex_frac(p, q)
    body = tex_truncated(p, q)
    if note:
        body += rf"\quad\text{{\footnotesize ({rational_note(v, limit)})}}"
    return body


def _strut(math: str) -> str:
    return STRUT if r"\frac" in math else ""


def rational_cell(v) -> str:
    r"""A table cell (text mode): the value in display-style math, the note on a new line when long."""
    n = rational_note(v)
    math = tex_rational(v)
    cell = rf"{_strut(math)}$\displaystyle {math}$"
    return cell if n is None else cell + rf"\newline{{\footnotesize ({n})}}"


def tex_number(v) -> str:
    """Backwards-compatible name of :func:`tex_rational`."""
    return tex_rational(v)


def tex_enclosure(lo, hi, sig: int | None = None) -> str:
    r"""``[lo', hi']`` with lo' rounded down and hi' rounded up (certified, see :func:`outward`)."""
    (ml, el), (mh, eh) = outward(lo, hi, sig)
    return rf"\left[{tex_decimal(ml, el, strip=False)},\ {tex_decimal(mh, eh, strip=False)}\right]"


def sqrt_bounds(p: int, q: int, sig: int = 12) -> tuple[tuple[int, int], tuple[int, int]]:
    """Decimal (m, e) bounds of sqrt(p/q), p >= 0, rounded outward: from isqrt(p q 10^2k) / (q 10^k)."""
    if p < 0:
        raise ValueError("negative")
    if p == 0:
        return (0, 0), (0, 0)
    k = max(0, sig + 2 - (_exp10(p, q) // 2))
    n = p * q * 10 ** (2 * k)
    r = math.isqrt(n)
    lo_p, hi_p = r, (r if r * r == n else r + 1)
    den = q * 10 ** k
    return round_sig(lo_p, den, sig, "down"), round_sig(hi_p, den, sig, "up")


def tex_sqrt(v) -> str | None:
    """The nonnegative square root of a recorded square: exact radical (sympy) when small, else a certified
    decimal enclosure; None for a negative value."""
    p, q = parse_fmt(v)
    if p < 0:
        return None
    rp, rq = math.isqrt(p), math.isqrt(q)
    if rp * rp == p and rq * rq == q:
        return tex_rational(Fraction(rp, rq))
    if _ndigits(p) + _ndigits(q) <= SQRT_SYMPY_DIGITS:
        import sympy
        return sympy.latex(sympy.sqrt(sympy.Rational(p, q)))
    (ml, el), (mh, eh) = sqrt_bounds(p, q)
    return rf"\in\left[{tex_decimal(ml, el, strip=False)},\ {tex_decimal(mh, eh, strip=False)}\right]"


_SQUARE_NAME = re.compile(r"(^|_)(sq|squared)($|_|\[)")


def is_square_name(name: str) -> bool:
    return bool(_SQUARE_NAME.search(name))


def _root_parts(name: str, v) -> tuple[str, str]:
    """(math appended to the value, math on its own line) for a value recorded as a square."""
    if not is_square_name(name):
        return "", ""
    root = tex_sqrt(v)
    if root is None:
        return "", ""
    if root.startswith(r"\in"):
        return "", rf"\sqrt{{\cdot}} {root}"
    if root in (tex_rational(v), "0", "1"):
        return "", ""
    return rf" = \Bigl({root}\Bigr)^{{2}}", ""


def tex_value(name: str, v) -> str:
    """A value of a certificate in math mode, with its root when the value is recorded as a square."""
    inline, own = _root_parts(name, v)
    body = tex_rational(v, note=True) + inline
    return body + (rf",\quad {own}" if own else "")


def value_cell(name: str, v) -> str:
    """A value of a certificate as a table cell (text mode): value, root, and notes on their own lines."""
    inline, own = _root_parts(name, v)
    n = rational_note(v)
    math = tex_rational(v) + inline
    cell = rf"{_strut(math)}$\displaystyle {math}$"
    if n is not None:
        cell += rf"\newline{{\footnotesize ({n})}}"
    if own:
        cell += rf"\newline $\displaystyle {own}$"
    return cell


def _is_rat(x) -> bool:
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool) or (
        isinstance(x, str) and is_fmt(x))


def is_matrix(x) -> bool:
    return (isinstance(x, list) and len(x) > 0 and all(isinstance(r, list) and r for r in x)
            and len({len(r) for r in x}) == 1 and all(_is_rat(e) for r in x for e in r))


def is_vector(x) -> bool:
    return isinstance(x, list) and len(x) > 0 and all(_is_rat(e) for e in x)


def tex_matrix(rows, env: str = "bmatrix") -> str:
    r"""A matrix (list of rows of rationals) as ``bmatrix``: exact fractions when every entry is short,
    else every entry truncated to :data:`MATRIX_SIG` significant digits with ``\ldots``; larger than
    :data:`MATRIX_MAX` in either direction: only the size."""
    r, c = len(rows), len(rows[0])
    if r > MATRIX_MAX or c > MATRIX_MAX:
        return rf"\text{{({r}\,$\times$\,{c} matrix, in the certificate)}}"
    ents = [[parse_fmt(e) for e in row] for row in rows]
    short = all(not is_long(p, q, MATRIX_EXACT_DIGITS) for row in ents for p, q in row)
    cell = (lambda pq: tex_frac(*pq)) if short else (lambda pq: tex_truncated(*pq, sig=MATRIX_SIG))
    body = r" \\ ".join(" & ".join(cell(pq) for pq in row) for row in ents)
    return rf"\begin{{{env}}} {body} \end{{{env}}}"


def tex_vector(v) -> str:
    """A vector as a column when short, else a row (both ``bmatrix``)."""
    return tex_matrix([[e] for e in v]) if len(v) <= 4 else tex_matrix([list(v)])


# -------------------------------------------------------------------------------------- certificates

VERDICT_TEX = {"proved": r"\textbf{proved}", "refuted": r"\textbf{refuted}",
               "hypotheses-fail": r"\textbf{hypotheses-fail}", "undecided": r"\textbf{undecided}"}


def tex_verdict(v: str) -> str:
    return VERDICT_TEX.get(v, tex_text(v))


def reading_provenance(cert, name: str) -> str:
    """Provenance shown next to a reading: the reading's own tag if it records one, else the tags of the values
    it records, else the tags of every value of the certificate ("exact" when it records none)."""
    r = cert.readings[name]
    if "provenance" in r:
        return str(r["provenance"])
    keys = list(r.get("values", {})) or list(cert.provenance)
    tags = {cert.provenance.get(k, "exact") for k in keys} or {"exact"}
    return ", ".join(t for t in ("exact", "enclosure", "sampled") if t in tags) or ", ".join(sorted(tags))


def witness_items(w, path: str = "", out=None, limit: int = WITNESS_ITEMS):
    """Flatten a witness into (path, table cell) display items: scalars, vectors and matrices; lists are
    indexed from 1; the caller shows at most ``limit`` items and says how many were left out."""
    if out is None:
        out = []
    if _is_rat(w):
        out.append((path, rational_cell(w)))
    elif is_matrix(w) and not path.endswith("biases"):      # biases: a list of vectors, one per layer
        out.append((path, rf"$\displaystyle {tex_matrix(w)}$"))
    elif is_vector(w):
        out.append((path, rf"$\displaystyle {tex_vector(w)}$"))
    elif isinstance(w, dict):
        for k, v in w.items():
            witness_items(v, f"{path}.{k}" if path else str(k), out, limit)
    elif isinstance(w, list):
        for i, v in enumerate(w, 1):
            witness_items(v, f"{path}[{i}]", out, limit)
    elif w is None:
        out.append((path, r"\emph{none} (JSON \texttt{null})"))
    elif isinstance(w, bool):
        out.append((path, "yes" if w else "no"))
    else:
        out.append((path, tex_text(w, max_len=80, breakable=True)))
    return out


def tex_witness(witness: dict, limit: int = WITNESS_ITEMS) -> str:
    items = witness_items(witness)
    if not items:
        return r"\noindent\emph{The certificate records no witness data.}" + "\n"
    out = [r"{\renewcommand{\arraystretch}{1.25}",
           r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{0.3\linewidth}"
           r">{\raggedright\arraybackslash}p{0.66\linewidth}@{}}",
           r"\toprule witness entry & value\\\midrule\endhead"]
    for path, tex in items[:limit]:
        out.append(rf"\texttt{{{tex_path(path)}}} & {tex}\\[3pt]")
    out.append(r"\bottomrule")
    out.append(r"\end{longtable}}")
    if len(items) > limit:
        out.append(rf"\noindent{{\footnotesize {len(items) - limit} further witness entries are in the "
                   r"certificate.}")
    return "\n".join(out) + "\n"


def readings_table(claim, cert) -> str:
    meaning = dict(claim.readings)
    out = [r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{0.2\linewidth}"
           r">{\raggedright\arraybackslash}p{0.15\linewidth}>{\raggedright\arraybackslash}p{0.12\linewidth}"
           r">{\raggedright\arraybackslash}p{0.45\linewidth}@{}}",
           r"\toprule reading & verdict & provenance & reason\\\midrule\endhead"]
    for name, r in cert.readings.items():
        why = tex_prose(r.get("reason", ""), max_len=400, breakable=True)
        if name in meaning:
            why = rf"{why}\newline{{\footnotesize\emph{{reading: {tex_prose(meaning[name], max_len=300)}}}}}"
        out.append(rf"\texttt{{{tex_name(name)}}} & {tex_verdict(r['verdict'])} & "
                   rf"{tex_text(reading_provenance(cert, name))} & {why}\\")
    out.append(r"\bottomrule")
    out.append(r"\end{longtable}")
    return "\n".join(out) + "\n"


def values_table(cert) -> str:
    if not cert.values and not cert.enclosures:
        return ""
    out = [r"{\renewcommand{\arraystretch}{1.25}",
           r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{0.3\linewidth}"
           r">{\raggedright\arraybackslash}p{0.53\linewidth}>{\raggedright\arraybackslash}p{0.11\linewidth}@{}}",
           r"\toprule value & & provenance\\\midrule\endhead"]
    for k, v in cert.values.items():
        out.append(rf"\texttt{{{tex_name(k)}}} & {value_cell(k, v)} & "
                   rf"{tex_text(cert.provenance.get(k, 'exact'))}\\[3pt]")
    for k, e in cert.enclosures.items():
        out.append(rf"\texttt{{{tex_name(k)}}} & {STRUT}$\displaystyle \in {tex_enclosure(e['lo'], e['hi'])}$ & "
                   r"enclosure\\[3pt]")
    out.append(r"\bottomrule")
    out.append(r"\end{longtable}}")
    if cert.enclosures:
        out.append(r"\noindent{\footnotesize Enclosures are certified intervals; their decimal endpoints are "
                   r"rounded outward (lower end down, upper end up).}")
    return "\n".join(out) + "\n"


def _plain(text: str) -> str:
    from .plain import readable
    return readable(text)


def option_text(v) -> str:
    """An option's value as a reader wants it: ``default`` for an unset option (None, ""), ``none`` for an empty
    list, lists joined by commas, booleans as yes/no; never a Python repr."""
    if v is None or v == "":
        return "default"
    if v == [] or v == ():
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return ", ".join(option_text(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {option_text(x)}" for k, x in v.items())
    return str(v)


def claim_body(claim, cert, witness: bool = True, witness_ref: str | None = None) -> str:
    """Statement, hypotheses, verdict per reading, values and (for a refutation) the witness."""
    out = [rf"\noindent\textbf{{Claim}} \texttt{{{tex_name(claim.id)}}}: {tex_prose(claim.title)} "
           rf"({tex_text(claim.ref)}). \textbf{{Verdict:}} {tex_verdict(cert.verdict)}.",
           r"\begin{quote}\raggedright $\displaystyle " + tex_statement(claim.statement) + r"$\end{quote}"]
    if claim.hypotheses:
        out.append(r"\noindent{\small Hypotheses: " + "; ".join(tex_prose(h) for h in claim.hypotheses) + ".}")
    if cert.parameters:
        ps = ", ".join(f"{tex_text(k)} = {tex_prose(option_text(v), max_len=60)}" for k, v in cert.parameters.items())
        out.append(r"\noindent{\small Options: " + ps + ".}")
    out.append(readings_table(claim, cert))
    for n in getattr(cert, "notes", ()):
        out.append(rf"\noindent\textbf{{{tex_text(n['kind'].capitalize())}}} (reading \texttt{{{tex_name(n['reading'])}}}): "
                   + tex_prose(_plain(n["text"]), max_len=400) + ".")
    vt = values_table(cert)
    if vt:
        out.append(vt)
    if cert.verdict == "refuted":
        if witness:
            out.append(r"\noindent\textbf{Witness} (the counterexample data recorded in the certificate; "
                       r"the kernel replays it):")
            out.append(tex_witness(cert.witness))
        elif witness_ref:
            out.append(rf"\noindent The witness of the refutation is listed in {witness_ref}.")
    return "\n".join(out) + "\n"


def fragment(claims, certs, inst) -> str:
    r"""The \input-able fragment written by ``exactmin check --latex``: one paragraph per claim."""
    head = (f"% exactmin results on instance {tex_comment(inst.name)} (sha256 {inst.sha256})" if inst is not None
            else "% exactmin results (instance-free claims)")
    out = [PREAMBLE_COMMENT, head]
    for c, cert in zip(claims, certs):
        out.append(f"% claim {tex_comment(c.id)}: {tex_comment(cert.verdict)}")
        out.append(rf"\par\medskip\noindent{{\large\texttt{{{tex_name(c.id)}}}}}\par\smallskip")
        out.append(claim_body(c, cert))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------ Jupyter displays
# The _repr_latex_/_repr_html_ methods of Instance, Certificate and Verdict call these.  LaTeX is text mode
# with inline math (what nbconvert's LaTeX export embeds); HTML escapes every input string (html.escape).

_HTML_COLOUR = {"proved": "#1a7f37", "refuted": "#cf222e", "hypotheses-fail": "#9a6700", "undecided": "#6e7781"}


def html_verdict(v: str, reason: str = "") -> str:
    import html
    title = f' title="{html.escape(reason)}"' if reason else ""
    colour = _HTML_COLOUR.get(str(v), "#000")
    return f'<span style="color:{colour};font-weight:bold"{title}>{html.escape(str(v))}</span>'


def latex_verdict(v: str, reason: str = "") -> str:
    return tex_verdict(str(v)) + (f" ({tex_text(reason, max_len=200)})" if reason else "")


def _html_number(v) -> str:
    import html
    p, q = parse_fmt(v)
    if not is_long(p, q):
        return html.escape(f"{p}" if q == 1 else f"{p}/{q}")
    m, e = round_sig(p, q, TRUNC_SIG, "trunc")
    mant, ex = decimal_str(m, e)
    return html.escape(mant + "…" + (f"e{ex}" if ex is not None else "") + f" (truncated; {_ndigits(p)}/"
                       f"{_ndigits(q)}-digit fraction)")


def html_instance(inst) -> str:
    import html
    rows = [("name", html.escape(inst.name)), ("SHA-256", f"<code>{inst.sha256}</code>"), ("Q", inst.Q),
            ("N", inst.N), ("dimension M", inst.M), ("class sizes", ", ".join(map(str, inst.sizes))),
            ("label dimension", inst.out_dim)]
    body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>"
                   for k, v in rows)
    return f"<table><caption>exactmin Instance</caption>{body}</table>"


def latex_instance(inst) -> str:
    def rows(m):
        return [[f"{int(m[i, j].p)}/{int(m[i, j].q)}" for j in range(m.ncols())] for i in range(m.nrows())]
    sizes = ", ".join(map(str, inst.sizes))
    return (rf"Instance \texttt{{{tex_name(inst.name[:120])}}}: $Q = {inst.Q}$, $N = {inst.N}$, $M = {inst.M}$, "
            rf"class sizes {sizes}; $X_0^{{red}} = {tex_matrix(rows(inst.means))}$, $Y = {tex_matrix(rows(inst.Y))}$; "
            rf"SHA-256 \texttt{{{inst.sha256}}}.")


def html_certificate(cert) -> str:
    import html
    head = (f"<p><b>{html.escape(cert.claim)}</b>: {html_verdict(cert.verdict)}"
            + (f" on <code>{html.escape(cert.instance_name)}</code>" if cert.instance_name else "") + "</p>")
    rd = "".join(f"<tr><td><code>{html.escape(n)}</code></td><td>{html_verdict(r['verdict'])}</td>"
                 f"<td style='text-align:left'>{html.escape(str(r.get('reason', ''))[:400])}</td></tr>"
                 for n, r in cert.readings.items())
    vals = "".join(f"<tr><td><code>{html.escape(k)}</code></td><td style='text-align:left'>{_html_number(v)}</td>"
                   f"<td>{html.escape(cert.provenance.get(k, 'exact'))}</td></tr>" for k, v in cert.values.items())
    vals += "".join(f"<tr><td><code>{html.escape(k)}</code></td><td style='text-align:left'>"
                    f"{html.escape(_enclosure_plain(e['lo'], e['hi']))}</td><td>enclosure</td></tr>"
                    for k, e in cert.enclosures.items())
    out = head + f"<table><tr><th>reading</th><th>verdict</th><th>reason</th></tr>{rd}</table>"
    if vals:
        out += f"<table><tr><th>value</th><th></th><th>provenance</th></tr>{vals}</table>"
    return out


def _enclosure_plain(lo, hi) -> str:
    (ml, el), (mh, eh) = outward(lo, hi)

    def one(m, e):
        mant, ex = decimal_str(m, e, strip=False)
        return mant if ex is None else f"{mant}e{ex}"
    return f"[{one(ml, el)}, {one(mh, eh)}]"


def latex_certificate(cert) -> str:
    rd = "; ".join(rf"\texttt{{{tex_name(n)}}}: {tex_verdict(r['verdict'])}" for n, r in cert.readings.items())
    vals = ", ".join(rf"\texttt{{{tex_name(k)}}} $= {tex_rational(v)}$" for k, v in list(cert.values.items())[:12])
    more = len(cert.values) - 12
    return (rf"\texttt{{{tex_name(cert.claim)}}}: {tex_verdict(cert.verdict)} ({rd})"
            + (f". Values: {vals}" if vals else "") + (f", and {more} more" if more > 0 else "") + ".")
