"""Vectorised canonical form of an instance (same bytes as :meth:`exactmin.data.instance.Instance.canonical_bytes`).

The canonical text is ``json.dumps({"classes": [[[c(x), ...], ...], ...], "format": FORMAT, "labels": [...]},
sort_keys=True, separators=(",", ":"))`` with c(x) = str(Fraction(num, den)) (module docstring of
:mod:`exactmin.data.instance`).  Every c(x) is ASCII made of digits, "-" and "/", so JSON writes it as
``"c(x)"`` without escapes, and the text of the classes is

    {"classes":[[[ cell cell ... cell ],"format":"exactmin-instance/1","labels":[[...],...]}

where a cell is ``"c(x)"`` followed by its separator: ``,`` inside a point, ``],[`` after the last coordinate of a
point that is not the last of its class, ``]],[[`` after the last point of a class that is not the last class, and
``]]`` after the very last point.

Fast path (int64 numerators, 0 < den < 2**62), per chunk of CHUNK_CELLS cells: the reduced pair (p, q) of every
cell comes from g = gcd(num, den) = gcd(num, 2**e) * gcd(num mod d, d) for den = 2**e * d, d odd (lowest set bit
of ``num | 2**e``; a gcd table over the residues mod d when d is small).  Every point is one row of a uint8 array
of M cells of W0 slots plus 4 trailing separator slots; a cell is: quote, "-", digits of |p| right-aligned, "/",
digits of q right-aligned, quote, separator (``,`` or ``]``).  A boolean array of the same shape marks the slots
that belong to the text (no leading zeros, "-" only when p < 0, "/q" only when q != 1), and ``buf[valid]`` is the
chunk's text.  The digits of |p| < 10**16 are written as one or two unaligned uint64 words (8 ASCII digits by
SWAR lane arithmetic, :func:`_swar8`), larger |p| digit by digit; for den = 2**e the "/q" field is looked up per
2-adic valuation of g as uint64 words.  Constant slots are written once per call.  Other instances (object
numerators, den >= 2**62) take the per-distinct-value path ``_canonical_bytes_unique``.  ``tests/test_perf_guard.py``
checks the bytes against the reference ``json.dumps`` (hypothesis: random instances and chunk sizes).
"""
from __future__ import annotations

import json

import numpy as np

from exactmin import cores

_INT64_SAFE = 2**62
#: cells per chunk (bounds the uint8 work array to about CHUNK_CELLS * W bytes)
CHUNK_CELLS = 1 << 17
_POW10 = [10**k for k in range(20)]

_QUOTE, _MINUS, _SLASH, _COMMA = ord('"'), ord("-"), ord("/"), ord(",")
_OPEN, _CLOSE = ord("["), ord("]")
# separator slots 1..4 after the last coordinate of a point, by point kind: 0 = inside a class, 1 = end of a class
# (not the last), 2 = the very last point; slot 0 is "," (not last coordinate) or "]" (last coordinate).
_SUF = np.array([[_COMMA, _OPEN, 0, 0], [_CLOSE, _COMMA, _OPEN, _OPEN], [_CLOSE, 0, 0, 0]], dtype=np.uint8)
_SUF_VALID = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]], dtype=bool)


def _canon(num: int, den: int) -> str:
    from exactmin.data.instance import _canon as ref
    return ref(num, den)


def _tail(inst) -> bytes:
    from exactmin.data.instance import FORMAT
    return (',"format":' + json.dumps(FORMAT) + ',"labels":'
            + json.dumps(inst._label_strings(), separators=(",", ":")) + "}").encode("utf-8")


def _canonical_bytes_unique(inst) -> bytes:
    """Per-distinct-numerator path (any dtype): format each distinct value once, join the points."""
    L = inst.X0_den
    X = inst.X0_num
    uniq, inv = np.unique(X, return_inverse=True)
    quoted = np.array(['"' + _canon(int(v), L) + '"' for v in uniq.tolist()], dtype=object)
    cells = quoted[inv.reshape(X.shape)].T.tolist()          # N rows of M quoted strings
    pts = ["[" + ",".join(row) + "]" for row in cells]
    parts, start = [], 0
    for n in inst.sizes:
        parts.append("[" + ",".join(pts[start:start + n]) + "]")
        start += n
    return ('{"classes":[' + ",".join(parts) + "]").encode("utf-8") + _tail(inst)


def _ndigits(n: int) -> int:
    return len(str(int(n)))


def _digits(buf: np.ndarray, valid: np.ndarray, a: np.ndarray, end: int, D: int, units_valid) -> None:
    """Write the D decimal digits (ASCII) of the nonnegative int64 array ``a`` right-aligned into slots end-D+1..end
    of the last axis.  Slot end-j (j >= 1) is valid iff a >= 10**j (no leading zeros); the units slot's validity is
    ``units_valid``."""
    for j in range(D):
        s = end - j
        valid[..., s] = units_valid if j == 0 else a > 0
        q = a // 10
        buf[..., s] = a - q * 10 + 48
        a = q


_WIDE_DIGITS = 18         # a wide denominator is q = hi * 10**18 + lo, 0 <= lo < 10**18 (canonical_sha256)


def _digits_wide(buf: np.ndarray, valid: np.ndarray, lo: np.ndarray, hi: np.ndarray, end: int, D: int,
                 units_valid) -> None:
    """:func:`_digits` for the value hi * 10**18 + lo (nonnegative int64 arrays, lo < 10**18): the low 18 slots
    from lo, valid where some higher digit is nonzero (lo's quotient or hi), the slots above from hi."""
    for j in range(D):
        s = end - j
        if j < _WIDE_DIGITS:
            valid[..., s] = units_valid if j == 0 else (lo > 0) | (hi > 0)
            q = lo // 10
            buf[..., s] = lo - q * 10 + 48
            lo = q
        else:
            valid[..., s] = hi > 0
            q = hi // 10
            buf[..., s] = hi - q * 10 + 48
            hi = q


_U = np.uint64
_LANE32, _LANE16 = _U(0x0000007F0000007F), _U(0x000F000F000F000F)
_ASCII0, _ONES, _HIGH7 = _U(0x3030303030303030), _U(0x0101010101010101), _U(0x7F7F7F7F7F7F7F7F)
_UNITS = _U(1 << 56)                                   # validity of the last byte (the units digit) of a word


def _swar8(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For uint64 a < 10**8: the 8 zero-padded ASCII digits of a as one little-endian word (most significant digit
    in the first byte) and a word whose byte i is 1 iff digit i is nonzero.

    Lane arithmetic: y // 100 == (y * 5243) >> 19 for y < 10**4 and z // 10 == (z * 103) >> 10 for z < 100
    (both checked exhaustively in tests/test_perf_guard.py); no lane product reaches the next lane.
    """
    hi = a // _U(10000)
    x = hi | ((a - hi * _U(10000)) << _U(32))          # two 32-bit lanes: a // 10**4, a % 10**4
    h = ((x * _U(5243)) >> _U(19)) & _LANE32
    x = h | ((x - h * _U(100)) << _U(16))              # four 16-bit lanes of two digits
    t = ((x * _U(103)) >> _U(10)) & _LANE16
    d = t | ((x - t * _U(10)) << _U(8))                # eight bytes of one digit each
    nz = ((d + _HIGH7) >> _U(7)) & _ONES               # 1 where the digit is nonzero (digits <= 9: no carry)
    return d + _ASCII0, nz


def _prefix_or(f: np.ndarray) -> np.ndarray:
    """Byte i of the result is 1 iff some byte j <= i of f is 1 (f has bytes 0/1): the digits after the first
    nonzero one."""
    f = f | (f << _U(8))
    f = f | (f << _U(16))
    return f | (f << _U(32))


def _word_digits(a: np.ndarray, nw: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """ASCII digits of uint64 a < 10**(8*nw) right-aligned in nw words, and their validity words (no leading
    zeros; the units digit always valid)."""
    parts = []
    for _ in range(nw - 1):
        q = a // _U(10**8)
        parts.append(a - q * _U(10**8))
        a = q
    parts.append(a)
    return _parts_digits(parts[::-1])


def _wide_parts(lo: np.ndarray, hi: np.ndarray, nw: int) -> list[np.ndarray]:
    """Base-10**8 parts (most significant first, nw of them, uint64) of hi * 10**18 + lo for int64 arrays
    0 <= lo < 10**18 and 0 <= hi < 10**14 (so that hi * 100 + lo // 10**16 < 10**16)."""
    lo = lo.astype(np.uint64)
    l0 = lo % _U(10**8)
    lo = lo // _U(10**8)
    l1 = lo % _U(10**8)
    top = hi.astype(np.uint64) * _U(100) + lo // _U(10**8)        # < 10**16: two more parts
    parts = [l0, l1, top % _U(10**8), top // _U(10**8)]
    return parts[:nw][::-1] if nw >= 2 else [parts[0]]


def _parts_digits(parts: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """SWAR digits and validity words of the number whose base-10**8 parts (uint64 < 10**8) are ``parts``, most
    significant first: a byte is valid after the first nonzero digit of the whole number, and the units digit
    always."""
    ds, vs = [], []
    higher = None
    for k, w in enumerate(parts):
        d, nz = _swar8(w)
        v = _prefix_or(nz)
        if higher is not None:
            v = v | (_ONES * higher.astype(np.uint64))
        if k == len(parts) - 1:
            v = v | _UNITS
        ds.append(d)
        vs.append(v)
        higher = (w != 0) if higher is None else (higher | (w != 0))
    return ds, vs


def _words(arr: np.ndarray, offset: int, shape, strides) -> np.ndarray:
    """Unaligned little-endian uint64 view of the bytes of the C-contiguous uint8/bool array ``arr``."""
    return np.ndarray(shape, dtype="<u8", buffer=arr.view(np.uint8), offset=offset, strides=strides)


def _layout(C: int, M: int, Dp: int, Dq: int):
    """Work arrays for C points: one row of M cells of W0 slots plus 4 trailing separator slots per point.

    Cell slots: 0 quote, 1 "-", 2..1+Dp digits of |p|, [2+Dp "/", 3+Dp..2+Dp+Dq digits of q,] quote, separator.
    The constant bytes (and the validity of the always-present ones) are written here once.
    """
    W0 = 2 + Dp + (1 + Dq if Dq else 0) + 2
    buf = np.zeros((C, M * W0 + 4), dtype=np.uint8)
    valid = np.zeros((C, M * W0 + 4), dtype=bool)
    cb = buf[:, :M * W0].reshape(C, M, W0)
    cv = valid[:, :M * W0].reshape(C, M, W0)
    cb[..., 0] = _QUOTE
    cv[..., 0] = True
    cb[..., 1] = _MINUS
    if Dq:
        cb[..., 2 + Dp] = _SLASH
    cb[..., W0 - 2] = _QUOTE
    cv[..., W0 - 2] = True
    cb[..., W0 - 1] = _COMMA
    cb[:, M - 1, W0 - 1] = _CLOSE
    cv[..., W0 - 1] = True
    buf[:, M * W0:] = _SUF[0]                               # the common case: a point inside its class
    valid[:, M * W0:] = _SUF_VALID[0]
    return buf, valid, W0


def _fast(inst, X: np.ndarray, L: int, pairs=None, sink=None) -> bytes | None:
    """The canonical bytes from int64 numerators X over L, or (``pairs`` = (P, D, Dhi)) from int64 cells already in
    lowest terms, P / (Dhi 10**18 + D) with Dhi None or >= 0 (X is then P; used by the loaders,
    exactmin/data/fastparse.py, through :func:`canonical_sha256`).
    With ``sink`` (e.g. a hashlib object) the pieces go to ``sink.update`` in order and nothing is returned: the
    instance's hash without holding its canonical text (about 30 bytes per coordinate) in memory."""
    M, N = X.shape
    if pairs is not None:
        L = 3                                           # any odd L != 1: no 2-adic table, the general q path
    e = (L & -L).bit_length() - 1
    Lo = L >> e
    two_e = np.int64(1 << e)
    Lo64 = np.int64(Lo)
    L64 = np.int64(L)
    table = None
    if Lo != 1 and Lo <= min(1 << 22, max(4096, X.size)):
        table = np.gcd(np.arange(Lo, dtype=np.int64), Lo64)     # gcd(r, Lo) for every residue r
    # digit counts bounding every cell: |p| <= max|num|, q <= L
    Dp = _ndigits(max(int(X.max()), -int(X.min())))
    Dq = _ndigits(L) if L != 1 else 0
    wide = pairs[2] if pairs is not None else None
    whi = int(wide.max()) if wide is not None else 0    # the largest high part of a wide denominator
    if pairs is not None:
        table = None
        Dq = _ndigits(int(pairs[1].max()))
        if whi:
            Dq = max(Dq, _WIDE_DIGITS + _ndigits(whi))
    pw = (Dp + 7) // 8 if Dp <= 19 else 0               # |p| digits as 1 to 3 SWAR words (any int64)
    if pw:
        Dp = 8 * pw
    qw = 0                                              # pairs: q digits as SWAR words (wide q: hi < 10**14)
    if pairs is not None and Dq and whi < 10**14:
        qw = (Dq + 7) // 8
        Dq = 8 * qw
    qtab = qval = None
    if Dq and Lo == 1:
        # den = 2**e: q = 2**(e-k) for the 2-adic valuation k of g.  The field "/" + digits of q is widened to
        # whole 8-byte words and looked up per k as uint64 words (bytes of the text and of the validity mask).
        nw = (1 + Dq + 7) // 8
        Dq = 8 * nw - 1
        rows = np.zeros((e + 1, 8 * nw), dtype=np.uint8)
        vrows = np.zeros((e + 1, 8 * nw), dtype=np.uint8)
        for k in range(e + 1):
            qs = str(1 << (e - k))
            if qs != "1":
                rows[k, 0] = _SLASH
                rows[k, 8 * nw - len(qs):] = np.frombuffer(qs.encode(), dtype=np.uint8)
                vrows[k, 0] = 1
                vrows[k, 8 * nw - len(qs):] = 1
        qtab, qval = rows.view("<u8"), vrows.view("<u8")        # (e + 1, nw)
    ends_all = np.cumsum(np.asarray(inst.sizes, dtype=np.int64)) - 1
    kind = np.zeros(N, dtype=np.intp)
    kind[ends_all] = 1
    kind[N - 1] = 2
    step = max(1, CHUNK_CELLS // M)
    buf0, valid0, W0 = _layout(min(step, N), M, Dp, Dq)
    C0, R = buf0.shape
    if qtab is not None:
        # unaligned uint64 views of the q field of every cell (slots 2+Dp .. 2+Dp+Dq)
        qbuf = _words(buf0, 2 + Dp, (C0, M, qtab.shape[1]), (R, W0, 8))
        qvalid = _words(valid0, 2 + Dp, (C0, M, qtab.shape[1]), (R, W0, 8))
    if qw:
        qbufw = [_words(buf0, 3 + Dp + 8 * i, (C0, M), (R, W0)) for i in range(qw)]
        qvalidw = [_words(valid0, 3 + Dp + 8 * i, (C0, M), (R, W0)) for i in range(qw)]
    if pw:
        pbuf = [_words(buf0, 2 + 8 * i, (C0, M), (R, W0)) for i in range(pw)]
        pvalid = [_words(valid0, 2 + 8 * i, (C0, M), (R, W0)) for i in range(pw)]
    out = []
    emit = out.append if sink is None else sink.update
    emit(b'{"classes":[[[')

    def chunk(i0) -> bytes:
        i1 = min(N, i0 + step)
        C = i1 - i0
        buf, valid = buf0[:C], valid0[:C]
        cb = buf[:, :M * W0].reshape(C, M, W0)
        cv = valid[:, :M * W0].reshape(C, M, W0)
        v = np.ascontiguousarray(X[:, i0:i1].T)                 # (C, M): cells in text order
        if pairs is not None:
            p = v
            q = np.ascontiguousarray(pairs[1][:, i0:i1].T)
            qh = None if wide is None else np.ascontiguousarray(wide[:, i0:i1].T)
            has_q = (q != 1) if qh is None else ((q != 1) | (qh != 0))
            cv[..., 2 + Dp] = has_q
            q = np.where(has_q, q, 0)
            if qw:
                ds, vs = _parts_digits(_wide_parts(q, qh, qw)) if qh is not None else \
                    _word_digits(q.astype(np.uint64), qw)
                vs[-1] = np.where(has_q, vs[-1], _U(0))
                for i in range(qw):
                    qbufw[i][:C] = ds[i]
                    qvalidw[i][:C] = vs[i]
            elif qh is None:
                _digits(cb, cv, q, 2 + Dp + Dq, Dq, has_q)
            else:
                _digits_wide(cb, cv, q, qh, 2 + Dp + Dq, Dq, has_q)
        else:
            t = v | two_e
            g = t & -t                                          # gcd(v, 2**e) = min(lowbit(v), 2**e)
            if Lo != 1:
                r = v % Lo64
                g = g * (table[r] if table is not None else np.gcd(r, Lo64))
        if pairs is not None:
            pass
        elif qtab is not None:
            # g is a power of two: exact shifts instead of divisions
            k = np.frexp(g.astype(np.float64))[1] - 1
            p = v >> k.astype(np.int64)
            qbuf[:C] = qtab[k]
            qvalid[:C] = qval[k]
        else:
            p = v // g
            if Dq:
                q = L64 // g
                has_q = q != 1
                cv[..., 2 + Dp] = has_q
                _digits(cb, cv, np.where(has_q, q, 0), 2 + Dp + Dq, Dq, has_q)
        cv[..., 1] = p < 0
        if pw:
            ds, vs = _word_digits(np.abs(p).astype(np.uint64), pw)
            for i in range(pw):
                pbuf[i][:C] = ds[i]
                pvalid[i][:C] = vs[i]
        else:
            _digits(cb, cv, np.abs(p), 1 + Dp, Dp, True)
        ends = ends_all[(ends_all >= i0) & (ends_all < i1)] - i0   # points closing a class in this chunk
        kd = kind[ends + i0]
        buf[ends, M * W0:] = _SUF[kd]
        valid[ends, M * W0:] = _SUF_VALID[kd]
        t = buf[valid].tobytes()
        buf[ends, M * W0:] = _SUF[0]
        valid[ends, M * W0:] = _SUF_VALID[0]
        return t

    starts = range(0, N, step)
    both = len(starts) >= 2 and cores.parallel(X.size * X.itemsize)
    if not both:
        for i0 in starts:
            emit(chunk(i0))
    else:
        # both cores: the helper writes the texts of the second half of the chunks, back to back, into shared
        # memory (reserved at the chunk texts' bound, touched only as written); this process emits the first half
        # as it goes, then the helper's texts in order.  The bytes do not depend on who wrote which chunk.
        nb, split = len(starts), len(starts) // 2
        store = cores.shared_empty((nb - split) * buf0.size, np.uint8)
        lens = cores.shared_empty(nb, np.int64)

        def work(i):
            t = chunk(starts[i])
            if i < split:
                emit(t)
            else:
                off = int(lens[split:i].sum())
                store[off:off + len(t)] = np.frombuffer(t, dtype=np.uint8)
                lens[i] = len(t)
        cores.run_blocks(nb, work, True, split)
        off = 0
        for k in lens[split:].tolist():
            emit(store[off:off + k].tobytes() if sink is None else store[off:off + k])
            off += k
    emit(b"]")
    emit(_tail(inst))
    return None if sink is not None else b"".join(out)


def _int64_ok(inst) -> bool:
    X, L = inst.X0_num, int(inst.X0_den)
    return bool(X.dtype == np.int64 and X.size and 0 < L < _INT64_SAFE
                and int(X.max()) < _INT64_SAFE and int(X.min()) > -_INT64_SAFE)


def canonical_bytes(inst) -> bytes:
    """The instance's canonical bytes (see the module docstring), without per-coordinate Python work."""
    if _int64_ok(inst):
        return _fast(inst, inst.X0_num, int(inst.X0_den))
    return _canonical_bytes_unique(inst)


def canonical_sha256(inst, P=None, D=None, Dhi=None) -> str:
    """hashlib.sha256 of :func:`canonical_bytes`, fed chunk by chunk: the same digest without the text in memory.

    Given P / D [/ Dhi] (M x N, instance order), the coordinates are those lowest-terms int64 pairs, P / D with
    D > 0, |P| and D below 2**62: the loaders' fast path keeps these per-token pairs, so an instance whose
    common-denominator numerators are big (dtype object) is still hashed without per-coordinate Python work.  With
    Dhi (0 <= Dhi < 10**18) the denominator of a cell is Dhi * 10**18 + D with D < 10**18: decimals written from
    floats (17 significant digits below 0.01) have reduced denominators up to about 10**22."""
    import hashlib
    h = hashlib.sha256()
    if P is not None:
        _fast(inst, P, 3, pairs=(P, D, Dhi), sink=h)
    elif _int64_ok(inst):
        _fast(inst, inst.X0_num, int(inst.X0_den), sink=h)
    else:
        h.update(_canonical_bytes_unique(inst))
    return h.hexdigest()
