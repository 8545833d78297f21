"""Rational enclosures: closed intervals [lo, hi] with exact ``fmpq`` endpoints.

An :class:`Enclosure` is the certified form of an irrational quantity: the claim it carries is
"the true value lies in [lo, hi]". Endpoints are exact rationals, so every comparison made with an
enclosure is an exact rational comparison; undecided comparisons return ``None`` (three-valued).

Enclosures are produced from integer square roots (:func:`sqrt_enclosure`) or from arb balls
(:func:`from_arb`, :func:`enclose`), whose midpoint and radius are exact dyadic numbers.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass

import flint
from flint import arb, fmpq

from exactmin.exact.linalg import as_fmpq

__all__ = [
    "Enclosure",
    "from_arb",
    "to_arb",
    "sqrt_enclosure",
    "enclose",
    "enclose_arccos",
    "enclose_angle",
    "enclose_arcsin_sqrt",
    "enclose_fn",
    "enclose_tan",
    "FUNCTIONS",
    "working_precision",
]


def _coerce(x):
    return x if isinstance(x, Enclosure) else Enclosure.exact(x)


@dataclass(frozen=True)
class Enclosure:
    """Closed interval [lo, hi] with exact rational endpoints, lo <= hi (checked on construction)."""

    lo: fmpq
    hi: fmpq

    def __post_init__(self):
        lo, hi = as_fmpq(self.lo), as_fmpq(self.hi)
        if lo > hi:
            raise ValueError(f"empty enclosure: lo={lo} > hi={hi}")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @classmethod
    def exact(cls, q) -> "Enclosure":
        """The degenerate enclosure [q, q] of a rational q."""
        q = as_fmpq(q)
        return cls(q, q)

    # -- predicates (exact; three-valued where undecidable from the interval)
    def contains(self, q) -> bool:
        """True iff lo <= q <= hi (exact; q rational, or an Enclosure contained in self)."""
        if isinstance(q, Enclosure):
            return self.lo <= q.lo and q.hi <= self.hi
        q = as_fmpq(q)
        return self.lo <= q <= self.hi

    def width(self) -> fmpq:
        """hi - lo (exact)."""
        return self.hi - self.lo

    def mid(self) -> fmpq:
        """(lo + hi) / 2 (exact)."""
        return (self.lo + self.hi) / 2

    def is_exact(self) -> bool:
        """True iff lo == hi."""
        return self.lo == self.hi

    def is_positive(self):
        """True if lo > 0, False if hi <= 0, else None (the value may or may not be positive)."""
        if self.lo > 0:
            return True
        if self.hi <= 0:
            return False
        return None

    def is_negative(self):
        """True if hi < 0, False if lo >= 0, else None."""
        if self.hi < 0:
            return True
        if self.lo >= 0:
            return False
        return None

    def is_nonneg(self):
        """True if lo >= 0, False if hi < 0, else None."""
        if self.lo >= 0:
            return True
        if self.hi < 0:
            return False
        return None

    def sign(self):
        """-1/0/1 when the interval decides the sign of every point in it, else None."""
        if self.lo > 0:
            return 1
        if self.hi < 0:
            return -1
        if self.lo == 0 and self.hi == 0:
            return 0
        return None

    # -- exact interval arithmetic (the result contains every x op y with x in self, y in other)
    def __add__(self, other):
        o = _coerce(other)
        return Enclosure(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self):
        return Enclosure(-self.hi, -self.lo)

    def __sub__(self, other):
        o = _coerce(other)
        return Enclosure(self.lo - o.hi, self.hi - o.lo)

    def __rsub__(self, other):
        return _coerce(other) - self

    def __mul__(self, other):
        o = _coerce(other)
        p = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Enclosure(min(p), max(p))

    __rmul__ = __mul__

    def hull(self, other) -> "Enclosure":
        """Smallest enclosure containing both."""
        o = _coerce(other)
        return Enclosure(min(self.lo, o.lo), max(self.hi, o.hi))

    # -- serialisation
    def to_json(self) -> dict:
        """{"lo": "p/q", "hi": "p/q"} (exact strings)."""
        return {"lo": str(self.lo), "hi": str(self.hi)}

    @classmethod
    def from_json(cls, d) -> "Enclosure":
        """Inverse of :meth:`to_json` (strings must be integers or p/q)."""
        return cls(as_fmpq(str(d["lo"])), as_fmpq(str(d["hi"])))

    def __str__(self):
        return f"[{self.lo}, {self.hi}]"


# --------------------------------------------------------------------------- arb interface


@contextlib.contextmanager
def working_precision(prec: int):
    """Temporarily set ``flint.ctx.prec`` (bits); always restored."""
    old = flint.ctx.prec
    flint.ctx.prec = int(prec)
    try:
        yield
    finally:
        flint.ctx.prec = old


def _dyadic(x: arb) -> fmpq:
    """Exact value of an exact (radius-0) arb such as ``a.mid()`` or ``a.rad()``: man * 2**exp."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    if exp >= 0:
        return fmpq(man * (1 << exp))
    return fmpq(man, 1 << (-exp))


def from_arb(a: arb) -> Enclosure:
    """Enclosure [mid - rad, mid + rad] of the arb ball ``a``, endpoints exact dyadic rationals.

    Guarantee: every real in the ball lies in the result. ``ValueError`` if the ball is not finite.
    """
    if not isinstance(a, arb):
        a = arb(a)
    if not a.is_finite():
        raise ValueError(f"arb ball is not finite: {a}")
    m = _dyadic(a.mid())
    r = _dyadic(a.rad())
    return Enclosure(m - r, m + r)


def to_arb(e: Enclosure) -> arb:
    """An arb ball containing [e.lo, e.hi] (checked exactly after construction)."""
    e = _coerce(e)
    m = e.mid()
    r = (e.hi - e.lo) / 2
    b = arb(m, r) if r != 0 else arb(m)
    back = from_arb(b)
    if not back.contains(e):  # never expected; fail closed
        raise ArithmeticError("arb ball does not contain the enclosure")
    return b


# --------------------------------------------------------------------------- square roots


def sqrt_enclosure(q, bits: int = 64) -> Enclosure:
    """Rigorous [lo, hi] with lo <= sqrt(q) <= hi and hi - lo <= 2**-bits / den(q), by integer isqrt.

    sqrt(n/d) = sqrt(n*d)/d; with s = isqrt(n*d*4**bits), s <= sqrt(n*d)*2**bits < s + 1.
    Exact (lo == hi) iff q is the square of a rational. ``ValueError`` if q < 0.
    """
    q = as_fmpq(q)
    if q < 0:
        raise ValueError(f"sqrt of negative rational {q}")
    n, d = int(q.p), int(q.q)
    nd = n * d
    r = math.isqrt(nd)
    if r * r == nd:
        v = fmpq(r, d)
        return Enclosure(v, v)
    bits = int(bits)
    s = math.isqrt(nd << (2 * bits))
    den = d << bits
    return Enclosure(fmpq(s, den), fmpq(s + 1, den))


# --------------------------------------------------------------------------- elementary functions


def _arb_fn(name):
    table = {
        "arccos": lambda x: x.acos(),
        "arcsin": lambda x: x.asin(),
        "atan": lambda x: x.atan(),
        "tan": lambda x: x.tan(),
        "cos": lambda x: x.cos(),
        "sin": lambda x: x.sin(),
        "exp": lambda x: x.exp(),
        "log": lambda x: x.log(),
        "sqrt": lambda x: x.sqrt(),
        "pi": lambda x: x * arb.pi(),
    }
    try:
        return table[name]
    except KeyError:
        raise ValueError(f"unknown function {name!r}; known: {sorted(table)}") from None


FUNCTIONS = ("sqrt", "arccos", "arcsin", "atan", "tan", "cos", "sin", "exp", "log", "pi")


def _check_domain(name, q: fmpq):
    if name in ("arccos", "arcsin") and not (-1 <= q <= 1):
        raise ValueError(f"{name} undefined at {q}")
    if name == "log" and not q > 0:
        raise ValueError(f"log undefined at {q}")
    if name == "sqrt" and q < 0:
        raise ValueError(f"sqrt undefined at {q}")


def enclose(fn_name: str, q=1, prec: int = 128) -> Enclosure:
    """Enclosure of fn(q) for a rational q, computed with arb at ``prec`` bits (ctx.prec restored).

    fn_name in :data:`FUNCTIONS`; ``"pi"`` encloses q*pi (q defaults to 1). ``"sqrt"`` uses exact integer
    square roots (:func:`sqrt_enclosure` with ``prec`` bits). Domain errors (e.g. arccos(2), log(0)) and
    non-finite results (tan at a pole) raise ``ValueError``.
    """
    fn = _arb_fn(fn_name)
    q = as_fmpq(q)
    _check_domain(fn_name, q)
    if fn_name == "sqrt":
        return sqrt_enclosure(q, prec)
    with working_precision(prec):
        x = arb(q)  # a ball containing q exactly (exact if q is dyadic)
        y = fn(x)
        if not y.is_finite() and fn_name in _UNIT_DOMAIN:
            return _enclose_unit_clamped(fn_name, x)
        return from_arb(y)


_UNIT_DOMAIN = ("arccos", "arcsin")


def _enclose_unit_clamped(fn_name: str, x: arb) -> Enclosure:
    """arccos/arcsin of a rational q with |q| <= 1 (checked exactly by the caller) whose arb ball ``x``
    straddles -1 or 1 (q non-dyadic within 2**-prec of +-1): the ball's exact endpoints are intersected with
    [-1, 1], which still contains q, and the monotone function is evaluated at the two dyadic (hence exact)
    clamped endpoints.  Precondition: ctx.prec is the working precision."""
    e = from_arb(x)
    lo, hi = max(e.lo, fmpq(-1)), min(e.hi, fmpq(1))
    fn = _arb_fn(fn_name)
    at_lo, at_hi = from_arb(fn(arb(lo))), from_arb(fn(arb(hi)))
    if fn_name == "arccos":  # decreasing
        return Enclosure(at_hi.lo, at_lo.hi)
    return Enclosure(at_lo.lo, at_hi.hi)


_INCREASING = ("arcsin", "atan", "exp", "log", "sqrt")
_DECREASING = ("arccos",)


def enclose_fn(fn_name: str, x: Enclosure, prec: int = 128) -> Enclosure:
    """Enclosure of {fn(t) : t in x} for an Enclosure x, via arb at ``prec`` bits.

    Guarantee: contains fn(t) for every t in [x.lo, x.hi]. Monotone functions are evaluated at the two
    endpoints (tan too, once an arb ball evaluation over the whole interval is finite, which proves
    the interval misses every pole); sin, cos and pi use ball arithmetic over the interval.
    ``ValueError`` if x leaves the domain or meets a pole of tan.
    """
    fn = _arb_fn(fn_name)
    x = _coerce(x)
    if fn_name in ("arccos", "arcsin") and not (-1 <= x.lo and x.hi <= 1):
        raise ValueError(f"{fn_name} undefined on {x}")
    if fn_name == "log" and not x.lo > 0:
        raise ValueError(f"log undefined on {x}")
    if fn_name == "sqrt" and x.lo < 0:
        raise ValueError(f"sqrt undefined on {x}")
    if fn_name in _INCREASING:
        return Enclosure(enclose(fn_name, x.lo, prec).lo, enclose(fn_name, x.hi, prec).hi)
    if fn_name in _DECREASING:
        return Enclosure(enclose(fn_name, x.hi, prec).lo, enclose(fn_name, x.lo, prec).hi)
    with working_precision(prec):
        ball = from_arb(fn(to_arb(x)))
    if fn_name == "tan":
        # finite ball => no pole in x => tan is continuous and increasing on x
        return Enclosure(enclose("tan", x.lo, prec).lo, enclose("tan", x.hi, prec).hi)
    return ball


def enclose_arccos(q, prec: int = 128) -> Enclosure:
    """Enclosure of arccos(q), q rational in [-1, 1]."""
    return enclose("arccos", q, prec)


def enclose_tan(x, prec: int = 128) -> Enclosure:
    """Enclosure of tan over a rational q or an Enclosure x (``ValueError`` if x meets a pole)."""
    if isinstance(x, Enclosure):
        return enclose_fn("tan", x, prec)
    return enclose("tan", x, prec)


def enclose_angle(ip, norms_sq, prec: int = 128) -> Enclosure:
    """Enclosure of the angle arccos(ip / sqrt(norms_sq)) in [0, pi] between two nonzero vectors x, y, given
    the exact rationals ip = <x, y> and norms_sq = |x|^2 |y|^2 > 0.

    The cosine is never enclosed by a ball that could leave [-1, 1]: Cauchy-Schwarz gives ip^2 <= norms_sq,
    and equality (x, y parallel) is decided exactly, giving the angle exactly 0 (ip > 0) or an enclosure of
    pi (ip < 0).  Otherwise |cos| = sqrt(ip^2 / norms_sq) < 1 is enclosed by integer square roots
    (:func:`sqrt_enclosure`), its upper end clamped to 1 (valid since |cos| <= 1), and arccos, decreasing,
    is evaluated at the two rational endpoints.  ``ValueError`` if norms_sq <= 0 or ip^2 > norms_sq.
    """
    ip, nn = as_fmpq(ip), as_fmpq(norms_sq)
    if nn <= 0:
        raise ValueError("angle with a zero vector is undefined")
    c2 = ip * ip / nn
    if c2 > 1:
        raise ValueError(f"inconsistent input: <x,y>^2 / (|x|^2 |y|^2) = {c2} > 1")
    if c2 == 1:
        return Enclosure.exact(0) if ip > 0 else enclose("pi", 1, prec)
    r = sqrt_enclosure(c2, prec)
    r = Enclosure(r.lo, min(r.hi, fmpq(1)))
    cos = r if ip >= 0 else -r
    return enclose_fn("arccos", cos, prec)


def enclose_arcsin_sqrt(q, prec: int = 128) -> Enclosure:
    """Enclosure of arcsin(sqrt(q)) for a rational 0 <= q <= 1 (e.g. the angular radius arcsin(r/|a|) of a
    ball seen from outside, q = r^2/|a|^2).  The ends are exact: 0 at q = 0 and pi/2 at q = 1 (decided on
    q, never on a ball); inside, sqrt(q) is enclosed by integer square roots clamped to [0, 1] and arcsin,
    increasing, is evaluated at the rational endpoints.  ``ValueError`` if q < 0 or q > 1."""
    q = as_fmpq(q)
    if not 0 <= q <= 1:
        raise ValueError(f"arcsin(sqrt(q)) undefined at q = {q}")
    if q == 0:
        return Enclosure.exact(0)
    if q == 1:
        return enclose("pi", fmpq(1, 2), prec)
    r = sqrt_enclosure(q, prec)
    return enclose_fn("arcsin", Enclosure(r.lo, min(r.hi, fmpq(1))), prec)
