"""Vectorised exact parsing of separated number tokens (the fast path of CSV / JSON instance loading, issue 18).

:func:`parse_fields` reads every field of an ASCII byte buffer in which fields are delimited by separator bytes
and returns, per field, a flag ``ok`` and the exact value as a reduced pair ``(p, q)`` of int64 (q > 0,
gcd(p, q) = 1).  Everything is NumPy array work; there is no per-number Python object.

Grammar subset accepted (a strict subset of docs/instance-format.md, section 2; whitespace = space, \\t, \\n,
\\r, \\f, \\v unless a separator)::

    ws* [+-]? ( D+ ( . D* )? | . D+ ) ( [eE] [+-]? D+ )? ws*      decimal
    ws* [+-]? D+ / D+ ws*                                         fraction

with these limits: at most 64 bytes in the field, at most 8 non-digit characters after a whitespace run is
shortened to its first and last character, integer and fraction digit runs of at most 19 digits whose mantissa
(integer part . fraction part, read as one integer) is at most 10**18, at most 8 exponent digits with value at
most 1000, a decimal exponent e - len(fraction) in -36..18, |p| < 2**62 after scaling and a reduced denominator
2**a * 5**b below 2**62; numerator and denominator of a fraction of at most 18 digits each, denominator non-zero.

How it works.  The non-digit bytes of the buffer are the *events* (one ``flatnonzero`` over the bytes); digits
are never touched one by one.  A field's *signature* is the sequence of its events' classes (sign, '.', e/E, '/',
whitespace, anything else), each with a bit saying whether a digit run precedes it, and a final bit for the run
before the closing separator.  Whether a field matches the grammar depends only on its signature (the grammar
sees a digit run only as "empty or not"), so each distinct signature is decided once, by running the library's
scalar parser :func:`~exactmin.exact.numbers.parse_rational` on a representative string ('1' for every run);
the same walk gives the rank of the events that delimit the parts (sign, point, exponent, slash).  Digit runs
are then read 8 digits at a time: an unaligned little-endian uint64 load ending at the run's end, the bytes
before the run replaced by '0', and the standard SWAR reduction of 8 ASCII digits to an integer.

Why the result is exact and identical to the scalar path.  A field is ``ok`` only if its signature is accepted
by the scalar parser's grammar, every bound above holds, and the value is computed with integer arithmetic that
provably does not overflow (each bound is checked before the operation it protects); its value is then the
exact rational the grammar defines, reduced.  Every other field (too long, too many digits, a huge exponent, a
malformed token, a zero denominator) is reported ``ok = False`` and the caller reads it with the scalar parser --
which either returns the same exact value or raises the one-line error of today.

The loaders.  :func:`load_csv` (CSV, docs/instance-format.md section 4) takes ASCII files without quote characters:
records and fields are cut at the bytes ``\n``, ``\r`` and ``,`` exactly as ``csv.reader`` cuts such a file; blank
rows, the field count, the header rule (``looks_numeric`` on the first non-blank row), integer class tokens (value
order, one spelling per integer) and first-appearance class order follow the specification.  :func:`json_points`
reads the coordinate texts of a JSON document that Python's ``json`` has parsed (joined into one buffer; a JSON
string holding a comma changes the field count and is detected).  Both return None -- and the scalar loader in
exactmin/data/io.py then reads the whole file -- on anything else: a field the scalar parser rejects, a class label
problem, a common denominator beyond the bound, a field longer than the csv module's limit.  So every error message
(with its line and column) is the scalar loader's.  The common denominator is the lcm of the reduced denominators,
as in :func:`~exactmin.data.instance.assemble_common_denominator`; tests/test_fastparse.py compares both paths on
random files (hypothesis).
"""
from __future__ import annotations

import numpy as np

from exactmin import cores
from exactmin.errors import InputError
from exactmin.exact.limbs import Limbs

__all__ = ["parse_fields", "PAD", "Parsed"]

#: bytes of padding the caller puts before and after the data (SWAR loads read up to 24 bytes before a run)
PAD = 32
MAX_FIELD = 64
_K = 8                      # most events kept per field
_DIGIT, _SIGN, _DOT, _EXP, _SLASH, _WS, _OTHER, _SEP = 0, 1, 2, 3, 4, 5, 6, 7
_CHAR = {_SIGN: "+", _DOT: ".", _EXP: "e", _SLASH: "/", _WS: " ", _OTHER: "x"}
_U = np.uint64
_ZEROS = _U(0x3030303030303030)
_P10U = np.array([10**k for k in range(20)], dtype=np.uint64)
_P10I = np.array([10**k for k in range(19)], dtype=np.int64)
_P5I = np.array([5**k for k in range(27)], dtype=np.int64)
_BL5 = np.array([(5**k).bit_length() for k in range(27)], dtype=np.int64)
_LIM62 = (1 << 62) - 1
_MANT_MAX = 10**18
# keep mask of the top n bytes of a little-endian word (the last n bytes of the run), n = 0..8
_M2, _C1, _C2 = _U(0x000000FF000000FF), _U(100 + (1000000 << 32)), _U(1 + (10000 << 32))
_KEEP = np.array([0] + [((1 << (8 * n)) - 1) << (8 * (8 - n)) for n in range(1, 9)], dtype=np.uint64)


_ZKEEP = _KEEP & _ZEROS


def _lut(seps: bytes) -> np.ndarray:
    t = np.full(256, _OTHER, dtype=np.uint8)
    t[ord("0"):ord("9") + 1] = _DIGIT
    t[[ord("+"), ord("-")]] = _SIGN
    t[ord(".")] = _DOT
    t[[ord("e"), ord("E")]] = _EXP
    t[ord("/")] = _SLASH
    t[[ord(c) for c in " \t\n\r\f\v"]] = _WS
    t[list(seps)] = _SEP
    return t


class _Desc:
    """What a signature means: accepted or not, kind, and the ranks of the delimiting events (-1: absent)."""
    __slots__ = ("ok", "frac", "int_token", "lead", "trail", "sign", "dot", "exp", "esign", "slash", "blank")


def _describe(codes: list[int], final_gap: bool) -> _Desc:
    from exactmin.exact.numbers import parse_rational
    d = _Desc()
    rep = "".join(("1" if c & 1 else "") + _CHAR[c >> 1] for c in codes) + ("1" if final_gap else "")
    try:
        parse_rational(rep)
        d.ok = True
    except InputError:
        d.ok = False
    cls = [c >> 1 for c in codes]
    gap = [bool(c & 1) for c in codes]
    d.lead = d.trail = d.sign = d.dot = d.exp = d.esign = d.slash = -1
    i = 0
    while i < len(cls) and cls[i] == _WS and not gap[i]:
        d.lead = i
        i += 1
    j = len(cls) - 1
    while j >= i and cls[j] == _WS and not (j + 1 < len(cls) and gap[j + 1]) and not (j == len(cls) - 1 and final_gap):
        d.trail = j
        j -= 1
    for r in range(i, j + 1):
        c = cls[r]
        if c == _SIGN:
            if d.exp >= 0:
                d.esign = r
            else:
                d.sign = r
        elif c == _DOT:
            d.dot = r
        elif c == _EXP:
            d.exp = r
        elif c == _SLASH:
            d.slash = r
    d.frac = d.slash >= 0
    d.blank = all(c == _WS << 1 for c in codes) and not final_gap
    d.int_token = d.ok and d.dot < 0 and d.exp < 0 and d.slash < 0
    return d


_DESCS: dict[int, _Desc] = {}


def _unpack(sig: int) -> tuple[list[int], bool]:
    n = sig & 15
    final = bool((sig >> 4) & 1)
    return [(sig >> (5 + 4 * r)) & 15 for r in range(n)], final


class Parsed:
    """Per field: ok, p, q (int64, reduced, valid where ok), int_token (an integer token [+-]?D+), core start and
    end (the field without surrounding whitespace; valid where ok)."""
    __slots__ = ("ok", "p", "q", "int_token", "cs", "ce", "signc", "fs", "fe", "term", "blank")


def _eight(W: np.ndarray, end: np.ndarray, n: np.ndarray) -> np.ndarray:
    """uint64 value of the n <= 8 ASCII digits ending at byte ``end`` (exclusive): the little-endian word of the 8
    bytes before ``end``, the bytes before the run zeroed, then 8 digits -> integer in three SWAR steps."""
    x = W[end - 8]
    x &= _KEEP[n]
    x -= _ZKEEP[n]
    t = x >> _U(8)
    x *= _U(10)
    x += t
    t = x >> _U(16)
    t &= _M2
    t *= _C2
    x &= _M2
    x *= _C1
    x += t
    x >>= _U(32)
    x &= _U(0xFFFFFFFF)
    return x


def _run(W: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """uint64 value of the digit runs [p, q) of at most 19 digits (callers check the length).  The words of digits
    8..15 and 16..19 from the end are read for every run when at least a quarter need them (a run shorter than
    that reads 0 digits there: the keep mask of 0 bytes is 0), else only for those runs."""
    L = q - p
    v = _eight(W, q, np.minimum(L, 8))
    big = np.flatnonzero(L > 8)
    if 4 * big.size >= L.size:
        v += _eight(W, q - 8, np.clip(L - 8, 0, 8)) * _U(10**8)
        if bool((L > 16).any()):
            v += _eight(W, q - 16, np.clip(L - 16, 0, 8)) * _U(10**16)
    elif big.size:
        Lb, qb = L[big], q[big]
        v[big] += _eight(W, qb - 8, np.minimum(Lb - 8, 8)) * _U(10**8)
        huge = np.flatnonzero(Lb > 16)
        if huge.size:
            v[big[huge]] += _eight(W, qb[huge] - 16, Lb[huge] - 16) * _U(10**16)
    return v


#: 5^s, its inverse modulo 2^64 and floor((2^64 - 1) / 5^s), s = 0..27: m (uint64) is divisible by the odd 5^s iff
#: m * inverse mod 2^64 <= that floor, and the product is then the quotient (Granlund & Montgomery 1994, sec. 9)
_INV5 = np.array([pow(5**s, -1, 1 << 64) for s in range(28)], dtype=np.uint64)
_LIM5 = np.array([((1 << 64) - 1) // 5**s for s in range(28)], dtype=np.uint64)


def _v5(m: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(t, m / 5^t) with t = min(5-adic valuation of m, k) for 0 < m <= 10**18 (so the valuation is < 32), 0 <= k
    <= 18: greedy binary digits 16, 8, 4, 2, 1 (take 5**s while it divides what is left and the total stays <= k),
    each divisibility test and exact quotient one multiplication modulo 2^64 (:data:`_INV5`)."""
    v = np.zeros(m.shape, dtype=np.int64)
    m = m.astype(np.uint64)
    for s in (16, 8, 4, 2, 1):
        qu = m * _INV5[s]
        c = (qu <= _LIM5[s]) & (v + s <= k)
        np.copyto(m, qu, where=c)
        v += c * s
    return v, m.astype(np.int64)


def _tz(x: np.ndarray) -> np.ndarray:
    """Number of trailing zero bits of int64 x > 0."""
    low = x & -x
    if hasattr(np, "bitwise_count"):
        low -= 1
        return np.bitwise_count(low).astype(np.int64)
    return (np.frexp(low.astype(np.float64))[1] - 1).astype(np.int64)


CHUNK = 1 << 21


def parse_fields(data: bytes, seps: bytes, chunk: int | None = None) -> Parsed:
    """Parse every field of ``data`` (ASCII bytes); fields are the gaps between separator bytes (any byte of
    ``seps``): ``data.count(sep) + 1`` fields.  Positions ``cs``/``ce`` are offsets in ``data``.  The work goes in
    regions of about ``chunk`` (default :data:`CHUNK`) bytes cut at separators (bounded memory), on both cores
    for large data (:mod:`exactmin.cores`: a helper process reads the second half of the regions)."""
    chunk = chunk or CHUNK
    sep0 = seps[:1]
    pad = b"0" * (PAD - 1)
    b = np.frombuffer(pad + sep0 + data + sep0 + pad, dtype=np.uint8)
    lut = _lut(seps)
    n = len(data)
    cuts = [PAD - 1]
    while cuts[-1] < PAD + n:
        t = cuts[-1] - PAD + 1 + chunk          # data offset of the next cut target
        if t >= n:
            cuts.append(PAD + n)
            break
        nxt = -1
        for w in (256, 1 << 16, n):
            hits = [i for i in (data.find(bytes([c]), t, t + w) for c in seps) if i >= 0]
            if hits:
                nxt = min(hits)
                break
        if nxt < 0:
            cuts.append(PAD + n)
            break
        cuts.append(PAD + nxt)
    # fields per region: the separators strictly inside it, plus one
    ks = [sum(data.count(bytes([c]), lo - PAD + 1, hi - PAD) for c in seps) + 1 for lo, hi in zip(cuts[:-1], cuts[1:])]
    at = [0]
    for k in ks:
        at.append(at[-1] + k)
    nf = at[-1]
    pos_t = np.int32 if n < 2**31 - 2 * PAD else np.int64
    both = cores.parallel(n)                    # the regions on both cores, written into shared arrays
    out = Parsed()
    for name, dt in (("ok", bool), ("p", np.int64), ("q", np.int64), ("int_token", bool), ("cs", pos_t),
                     ("ce", pos_t), ("signc", np.uint8), ("fs", pos_t), ("fe", pos_t), ("term", np.uint8),
                     ("blank", bool)):
        setattr(out, name, cores.shared_empty(nf, dt, both))

    def region(i):
        part = _parse_region(b, lut, cuts[i], cuts[i + 1])
        assert part.ok.size == ks[i]
        for name in Parsed.__slots__:
            getattr(out, name)[at[i]:at[i + 1]] = getattr(part, name)

    cores.run_blocks(len(ks), region, both)
    for name in ("cs", "ce", "fs", "fe"):
        getattr(out, name).__isub__(PAD)
    return out


def _parse_region(b: np.ndarray, lut: np.ndarray, lo: int, hi: int) -> Parsed:
    """The fields between the separators b[lo] and b[hi] (b has PAD bytes before lo and after hi)."""
    ev = np.flatnonzero((b[lo:hi + 1] - np.uint8(48)) > 9)
    ev += lo
    cls = lut[b[ev]]
    is_sep = cls == _SEP
    gap = np.empty(ev.shape, dtype=bool)
    gap[0] = False
    np.greater(ev[1:] - ev[:-1], 1, out=gap[1:])
    sep_idx = np.flatnonzero(is_sep)
    sep_pos = ev[sep_idx]
    nf = sep_idx.size - 1
    fs = sep_pos[:-1] + 1
    fe = sep_pos[1:]
    final_gap = gap[sep_idx[1:]]
    # whitespace runs: keep the first and the last character of a run
    ws = cls == _WS
    cont = ws & ~gap
    cont[1:] &= ws[:-1]
    cont[0] = False
    mid = cont.copy()
    mid[:-1] &= cont[1:]
    mid[-1] = False
    keep = ~is_sep & ~mid
    fid = np.cumsum(is_sep) - 1
    kidx = np.flatnonzero(keep)
    kfid = fid[kidx]
    kpos = ev[kidx]
    kcode = (cls[kidx].astype(np.uint64) << _U(1)) | gap[kidx].astype(np.uint64)
    counts = np.bincount(kfid, minlength=nf)[:nf]
    first = np.cumsum(counts) - counts
    rank = np.arange(kidx.size, dtype=np.int64) - first[kfid]
    shift = (_U(5) + _U(4) * np.minimum(rank, _K).astype(np.uint64))
    contrib = np.where(rank < _K, kcode << shift, _U(0))
    sig = np.zeros(nf, dtype=np.uint64)
    nz = np.flatnonzero(counts)
    if nz.size:
        sig[nz] = np.bitwise_or.reduceat(contrib, first[nz])
    sig |= np.minimum(counts, 15).astype(np.uint64) | (final_gap.astype(np.uint64) << _U(4))
    flen = fe - fs
    good = (counts <= _K) & (flen >= 1) & (flen <= MAX_FIELD)
    sig[~good] = 0
    W = np.ndarray((b.size - 7,), dtype="<u8", buffer=b.data, offset=0, strides=(1,))
    out = Parsed()
    out.ok = np.zeros(nf, dtype=bool)
    out.int_token = np.zeros(nf, dtype=bool)
    out.p = np.zeros(nf, dtype=np.int64)
    out.q = np.ones(nf, dtype=np.int64)
    out.cs = fs.copy()
    out.ce = fe.copy()
    out.signc = np.zeros(nf, dtype=np.uint8)
    out.fs, out.fe = fs, fe
    out.term = b[fe]
    out.blank = flen == 0
    for s, idx in _groups(sig):
        if s == 0:
            continue
        d = _DESCS.get(s)
        if d is None:
            codes, fin = _unpack(s)
            d = _describe(codes, fin)
            if len(_DESCS) < 100000:
                _DESCS[s] = d
        if d.blank:
            out.blank[idx] = True
        if not d.ok:
            continue
        base = first[idx]

        def pos(r):
            return kpos[base + r] if r >= 0 else None

        cs = pos(d.lead) + 1 if d.lead >= 0 else fs[idx]
        ce = pos(d.trail) if d.trail >= 0 else fe[idx]
        if d.sign >= 0:
            sc = b[pos(d.sign)]
            neg = sc == ord("-")
            ms = cs + 1
            out.signc[idx] = sc
        else:
            neg = None
            ms = cs
        if d.frac:
            fine, pv, qv = _fraction(W, ms, pos(d.slash), ce)
        else:
            es = pos(d.esign)
            eneg = None if es is None else b[es] == ord("-")
            fine, pv, qv = _decimal(W, ms, pos(d.dot), pos(d.exp), es, eneg, ce)
        if neg is not None:
            pv = np.where(neg, -pv, pv)
        out.ok[idx] = fine
        out.p[idx] = pv
        out.q[idx] = qv
        out.cs[idx] = cs
        out.ce[idx] = ce
        if d.int_token:
            out.int_token[idx] = fine
    return out


def _groups(sig: np.ndarray):
    """(signature, indices) for each distinct signature: peel the most common ones, np.unique for a long tail."""
    rest = None
    for _ in range(12):
        if rest is None:
            s = sig[0] if sig.size else None
            if s is None:
                return
            m = sig == s
            yield int(s), np.flatnonzero(m)
            rest = np.flatnonzero(~m)
        else:
            if not rest.size:
                return
            sub = sig[rest]
            s = sub[0]
            m = sub == s
            yield int(s), rest[m]
            rest = rest[~m]
    if rest is not None and rest.size:
        u, inv = np.unique(sig[rest], return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.cumsum(np.bincount(inv, minlength=u.size))
        lo = 0
        for s, hi in zip(u.tolist(), bounds.tolist()):
            yield s, rest[order[lo:hi]]
            lo = hi


def _decimal(W, ms, dot, ex, es, eneg, ce):
    """(fine, p, q) of decimal tokens: mantissa from ms, point at dot (or None), exponent letter at ex (or None),
    exponent sign at es (or None), end ce; p >= 0 (the caller applies the sign)."""
    mend = ex if ex is not None else ce
    iend = dot if dot is not None else mend
    fstart = dot + 1 if dot is not None else mend
    Li = iend - ms
    Lf = mend - fstart
    fine = (Li <= 19) & (Lf <= 19)
    I = _run(W, ms, np.where(fine, iend, ms))
    F = _run(W, fstart, np.where(fine, mend, fstart)) if dot is not None else np.zeros(ms.shape, dtype=np.uint64)
    if ex is not None:
        estart = es + 1 if es is not None else ex + 1
        fine &= (ce - estart) <= 8
        E = _run(W, estart, np.where(fine, ce, estart)).astype(np.int64)
        fine &= E <= 1000
        if eneg is not None:
            E = np.where(eneg, -E, E)
    else:
        E = 0
    Lfc = np.minimum(Lf, 19)
    fine &= F <= _U(_MANT_MAX)
    fine &= I <= (_U(_MANT_MAX) - np.minimum(F, _U(_MANT_MAX))) // _P10U[Lfc]
    mant = np.where(fine, I * _P10U[Lfc] + F, _U(0)).astype(np.int64)
    e2 = E - Lf
    nzm = mant != 0
    fine &= ~nzm | ((e2 >= -36) & (e2 <= 18))
    e2c = np.clip(e2, -36, 18)
    up = fine & nzm & (e2c > 0)
    fine &= ~up | (mant <= _LIM62 // _P10I[np.maximum(e2c, 0)])
    up &= fine
    down = fine & nzm & (e2c < 0)
    pv = np.where(fine, mant, 0)
    qv = np.ones(ms.shape, dtype=np.int64)
    u = np.flatnonzero(up)
    if u.size:
        pv[u] = mant[u] * _P10I[e2c[u]]
    dn = np.flatnonzero(down)
    if dn.size:
        m, k = mant[dn], -e2c[dn]
        t2 = np.minimum(_tz(m), k)
        t5, m5 = _v5(m, k)
        a, c = k - t2, k - t5                           # q = 2**a * 5**c must stay below 2**62
        fits = (c <= 26) & (a + _BL5[np.minimum(c, 26)] <= 62)
        c = np.where(fits, c, 0)
        pv[dn] = m5 >> t2                               # (m / 5^t5) / 2^t2: 2^t2 divides m, so exact
        qv[dn] = np.where(fits, (np.int64(1) << np.where(fits, a, 0)) * _P5I[c], 1)
        fine[dn] &= fits
    return fine, pv, qv


def _fraction(W, ms, sl, ce):
    """(fine, p, q) of fraction tokens p/q: numerator from ms to the slash sl, denominator to ce; p >= 0."""
    Ln, Ld = sl - ms, ce - sl - 1
    fine = (Ln <= 18) & (Ld <= 18)
    N = _run(W, ms, np.where(fine, sl, ms)).astype(np.int64)
    D = _run(W, sl + 1, np.where(fine, ce, sl + 1)).astype(np.int64)
    fine &= D > 0
    D = np.where(fine, D, 1)
    N = np.where(fine, N, 0)
    zero = N == 0
    g2 = np.where(zero, 0, np.minimum(_tz(np.where(zero, 1, N)), _tz(D)))
    N2, D2 = N >> g2, D >> g2
    odd = D2 >> _tz(D2)
    hard = np.flatnonzero((odd > 1) & ~zero)
    if hard.size:
        g = np.gcd(N2[hard], D2[hard])
        N2[hard] //= g
        D2[hard] //= g
    D2[zero] = 1
    return fine, N2, D2


# ---------------------------------------------------------------------------------------------- assembling
def _distinct(a: np.ndarray) -> list[int]:
    """The distinct values of the int64 array ``a`` (peel the first value while there are few; np.unique else)."""
    out = []
    rest = a
    for _ in range(32):
        if not rest.size:
            return out
        v = rest[0]
        out.append(int(v))
        rest = rest[rest != v]
    return out + np.unique(rest).tolist()


def _index(q: np.ndarray, tz: np.ndarray, oq: np.ndarray, odd: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(uq, inv): the sorted distinct values of q and q == uq[inv], given q = oq·2^tz and the distinct odd parts.
    With few odd parts (decimals: 5^k) each q is the small key 64·(index of its odd part) + tz, so one pass per odd
    part and a bincount replace sorting or searching 10^7 denominators."""
    if len(odd) > 64 or not q.size:
        uq = np.array(sorted(_distinct(q)), dtype=np.int64)
        return uq, np.searchsorted(uq, q)
    key = tz.astype(np.int64)
    for t, v in enumerate(odd[1:], 1):
        key[oq == v] += 64 * t
    keys = np.flatnonzero(np.bincount(key, minlength=64 * len(odd)))
    vals = [odd[k >> 6] << (k & 63) for k in keys.tolist()]
    order = sorted(range(len(vals)), key=vals.__getitem__)
    lut = np.zeros(64 * len(odd), dtype=np.int64)
    lut[keys[order]] = np.arange(len(order))
    return np.array([vals[i] for i in order], dtype=np.int64), lut[key]


#: numerators in [2^62, 2^93) are kept in two int64 limbs (tests switch it off to compare with Python ints)
WIDE = True


def assemble(p: np.ndarray, q: np.ndarray, big: dict, count: int, wide: bool | None = None):
    """Numerators over the common denominator of the reduced pairs (p[i], q[i]) -- or ``big[i]`` = (num, den) of
    Python ints where given -- as ``assemble_common_denominator`` builds them: ``(flat array, L)`` with an int64
    array when every |numerator| < 2**62, else (``wide``) :class:`~exactmin.exact.limbs.Limbs` when every
    |numerator| < 2**93, else dtype object.  ``None`` when L exceeds the common-denominator bound (the caller's
    scalar path then raises the one-line error)."""
    from math import gcd
    from exactmin.exact.limbs import BOUND
    from exactmin.data.instance import MAX_TOTAL_BITS, _INT64_BOUND
    wide = WIDE if wide is None else wide
    max_bits = max(64, MAX_TOTAL_BITS // max(count, 1))
    tz = _tz(q)
    A = int(tz.max()) if tz.size else 0
    L = 1 << A
    oq = q >> tz
    odd = _distinct(oq)
    for o in odd:
        L = L * o // gcd(L, o)
        if L.bit_length() > max_bits:
            return None
    for _, d in big.values():
        L = L * d // gcd(L, d)
        if L.bit_length() > max_bits:
            return None
    if L.bit_length() > max_bits:
        return None
    nums = {i: n * (L // d) for i, (n, d) in big.items()}         # the rescued tokens' numerators over L, once
    top = max(map(abs, nums.values()), default=0)
    X = None
    if L < _INT64_BOUND:
        f = np.int64(L) // q
        lim = np.int64(_INT64_BOUND - 1) // f
        if bool((np.abs(p) <= lim).all()):
            X = p * f
    if X is None:                       # the factor L // q once per distinct q; int64 iff max |p| L / q < 2**62
        uq, inv = _index(q, tz, oq, odd)
        amax = np.zeros(uq.size, dtype=np.int64)
        np.maximum.at(amax, inv, np.abs(p))
        am = amax.tolist()
        F = [L // d if a else 0 for d, a in zip(uq.tolist(), am)]               # a = 0: every p is 0 there
        if all(a * f < _INT64_BOUND for a, f in zip(am, F)):
            X = p * np.array(F, dtype=np.int64)[inv]
        elif wide and all(a * f < BOUND for a, f in zip(am, F)) and top < BOUND:
            return Limbs.from_product(p, F, inv).put(nums), L         # two int64 limbs, no Python int per entry
        else:                           # Python ints, made in blocks: one temporary block of objects, not 2 N
            X = np.empty(p.size, dtype=object)
            Fo = np.array(F, dtype=object)
            for a, b in ((a, a + (1 << 18)) for a in range(0, p.size, 1 << 18)):
                X[a:b] = p[a:b].astype(object) * Fo[inv[a:b]]
    if nums:
        if X.dtype != object and top >= _INT64_BOUND:
            if wide and top < BOUND:
                return Limbs.of_int64(X).put(nums), L
            X = X.astype(object)
        for i, v in nums.items():
            X[i] = v
    return X, L                         # object only when some |numerator| >= 2**62


def rescue(texts: list, bad: np.ndarray) -> dict | None:
    """Read the fields the fast path did not take with the scalar parser: {bad[t]: (num, den) of texts[t]}; None if
    one of them is not a number (the caller's scalar path then raises the exact error)."""
    from exactmin.exact.numbers import parse_rational
    try:
        return dict(zip(bad.tolist(), map(parse_rational, texts)))
    except InputError:
        return None


# ---------------------------------------------------------------------------------------------- CSV
def load_csv(text: str | bytes, name: str, where: str):
    """The Instance of a CSV text (str, or ASCII bytes without NUL; docs/instance-format.md, section 4), or None
    when the fast path does not take the file (not ASCII, quotes, a malformed or odd row or field, ...): the caller
    then runs the scalar loader, which reads the same Instance or raises the exact error."""
    from exactmin.data.instance import Instance
    from exactmin.data.io import MAX_CLASSES, MAX_NUMBERS
    from exactmin.exact.numbers import looks_numeric, WHITESPACE
    if not text.isascii() or ('"' if isinstance(text, str) else b'"') in text:
        return None
    data = text.encode("ascii") if isinstance(text, str) else text
    P = parse_fields(data, b"\n,\r")
    import csv
    if P.fs.size and int((P.fe - P.fs).max()) >= csv.field_size_limit():
        return None                                     # csv.Error in the scalar path
    ends = np.flatnonzero(P.term != ord(","))          # last field of every line
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    nfld = ends - starts + 1
    # a line is blank iff every field is blank: count blank fields per line
    cb = np.cumsum(P.blank)
    nblank = cb[ends] - np.where(starts > 0, cb[starts - 1], 0)
    lines = np.flatnonzero(nblank < nfld)
    if not lines.size:
        return None
    F = int(nfld[lines[0]])
    if F < 2 or bool((nfld[lines] != F).any()):
        return None
    M = F - 1
    first = lines[0]
    row = data[P.fs[starts[first]]:P.fe[ends[first]]].decode("ascii").split(",")
    if not any(looks_numeric(f) for f in row[:-1]):
        lines = lines[1:]
    N = lines.size
    if N == 0 or N * M > MAX_NUMBERS:
        return None
    base = starts[lines]
    fidx = (base[:, None] + np.arange(M)).reshape(-1)
    ok = P.ok[fidx]
    p, q, big = _rescued(P.p[fidx], P.q[fidx], ok, lambda bad: [
        data[a:b].decode("ascii") for a, b in zip(P.fs[fidx[bad]].tolist(), P.fe[fidx[bad]].tolist())])
    if big is None:
        return None
    # classes
    ci = base + M
    if bool(P.int_token[ci].all()):
        vals = P.p[ci]
        order, cls = np.unique(vals, return_inverse=True)
        spell = P.signc[ci].astype(np.int64) * 4096 + (P.ce[ci] - P.cs[ci])
        lo = np.full(order.size, np.iinfo(np.int64).max)
        hi = np.full(order.size, -1)
        np.minimum.at(lo, cls, spell)
        np.maximum.at(hi, cls, spell)
        if bool((lo != hi).any()):
            return None                                 # two spellings of one integer: the scalar path says which
        Q = order.size
    else:
        toks = [data[a:b].decode("ascii").strip(WHITESPACE) for a, b in zip(P.fs[ci].tolist(), P.fe[ci].tolist())]
        if any(not t or len(t) > 200 for t in toks):
            return None
        import re
        if all(re.fullmatch(r"[+-]?[0-9]+", t, re.ASCII) for t in toks):
            return None                                 # long integer labels: the scalar path orders them
        index = {}
        for t in toks:
            if t not in index:
                index[t] = len(index)
        cls = np.fromiter((index[t] for t in toks), dtype=np.int64, count=len(toks))
        Q = len(index)
    if Q > MAX_CLASSES:
        return None
    del P, data, fidx, ok                               # the parse's arrays: peak memory is the next step
    got = assemble(p, q, big, N * M)
    if got is None:
        return None
    X, L = got
    cls = cls.astype(np.int64)
    perm = None if bool((cls[1:] >= cls[:-1]).all()) else np.argsort(cls, kind="stable")   # None: in class order
    sizes = np.bincount(cls, minlength=Q).tolist()

    def arrange(a):                                     # (M, N) in class order: a view, or one C-ordered copy
        a = a.reshape(N, M).T
        return a if perm is None else a.take(perm, axis=1)

    X = X.map(arrange) if isinstance(X, Limbs) else arrange(X)
    inst = Instance(name, X, L, sizes, _lowest=True)
    del X
    pairs = wide_pairs(p, q, big)
    del p, q
    if pairs is not None:
        pairs = list(pairs)
        for k, a in enumerate(pairs):                   # in class order, one array at a time (peak memory)
            pairs[k] = None if a is None else arrange(a)
            del a
        attach_canonical(inst, *pairs)
    return inst


#: a rescued token keeps the canonical-pairs hash when its reduced numerator fits int64 and its denominator is
#: below 10**36 (two int64 parts of 18 digits): decimals of floats below 0.01 written with 17 digits, long decimals.
_WIDE = 10**18


def wide_pairs(p: np.ndarray, q: np.ndarray, big: dict):
    """(P, D, Dhi): the lowest-terms pairs of every token, the rescued ones (``big``) included, with denominator
    Dhi * 10**18 + D (Dhi None when no token needs it); None when a rescued token is too large for int64 parts.
    ``p``, ``q`` are the fast path's arrays (their rescued slots are overwritten: they are the copies
    :func:`_rescued` made)."""
    if not big:
        return p, q, None
    from exactmin.data.instance import _INT64_BOUND
    if any(abs(n) >= _INT64_BOUND or d >= _WIDE * _WIDE for n, d in big.values()):
        return None
    idx = np.fromiter(big.keys(), dtype=np.int64, count=len(big))
    p[idx] = [n for n, _ in big.values()]
    hi = [d // _WIDE for _, d in big.values()]
    if not any(hi):
        q[idx] = [d for _, d in big.values()]
        return p, q, None
    Dhi = q // _WIDE                                    # the fast path's denominators reach 2**62 > 10**18
    q -= Dhi * _WIDE
    q[idx] = [d % _WIDE for _, d in big.values()]
    Dhi[idx] = hi
    return p, q, Dhi


def attach_canonical(inst, P: np.ndarray, D: np.ndarray, Dhi: np.ndarray | None = None) -> None:
    """Cache the sha256 of the canonical bytes of ``inst``, computed (streamed, the text is not kept) from its
    lowest-terms int64 pairs P / D (M x N, instance order; denominators Dhi * 10**18 + D where Dhi is given) when its
    numerators over the common denominator are big (dtype object): the general path would format every coordinate
    in Python.  (int64 instances have their own vectorised path.)"""
    if (inst.wide is not None or inst.X0_num.dtype == object) and inst.N >= 1:
        from exactmin.exact.canon import canonical_sha256
        inst._cache["sha256"] = canonical_sha256(inst, P, D, Dhi)      # any memory layout: read by column blocks


def _rescued(p, q, ok, texts_of):
    """(p, q, big): the fields the fast path did not take (ok False) read by :func:`rescue` from their texts
    ``texts_of(indices)`` into ``big`` (None: give up), their slots in p, q set to 0/1 (in place: the callers'
    arrays are their own)."""
    if bool(ok.all()):
        return p, q, {}
    bad = np.flatnonzero(~ok)
    big = rescue(texts_of(bad), bad)
    if big is None:
        return p, q, None
    p[bad], q[bad] = 0, 1
    return p, q, big


# ---------------------------------------------------------------------------------------------- JSON
def json_points(values: list, count: int, where: str):
    """(flat numerator array, L) of the JSON number texts ``values`` (in file order: number literals as bytes, JSON
    strings as str), or None when the fast path does not take them (the caller's scalar loop raises the error)."""
    from exactmin.data.io import _as_text
    try:
        data = b",".join(values)                        # number literals only (data written from floats)
    except TypeError:
        try:                                            # JSON strings ("p/q"), perhaps with some literals
            text = ",".join(values)
        except TypeError:
            try:
                text = ",".join(map(_as_text, values))
            except TypeError:
                return None
        if not text.isascii():
            return None
        data = text.encode("ascii")
        del text
    else:
        if not data.isascii():
            return None
    P = parse_fields(data, b",")
    del data
    if P.ok.size != len(values):
        return None                                     # a JSON string held a comma
    p, q, big = _rescued(P.p, P.q, P.ok, lambda bad: [_as_text(values[i]) for i in bad.tolist()])
    del P                                               # the parse's arrays: peak memory is the next step
    if big is None:
        return None
    got = assemble(p, q, big, count)
    if got is None:
        return None
    return got[0], got[1], wide_pairs(p, q, big)
