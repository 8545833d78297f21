"""Certified operator-norm (spectral norm) bounds for rational matrices.

Floats and mpmath are used only to *propose* candidates (floats of W·2^-e, exponent-aware, so any magnitude
works); every returned bound is certified exactly:
upper bounds omega by an exact PSD test of omega^2 I - W^T W, lower bounds by an exact Rayleigh
quotient |W v|^2 / |v|^2 of a rational vector v.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from flint import fmpq, fmpq_mat

from exactmin.exact import linalg
from exactmin.exact.enclosure import Enclosure, sqrt_enclosure
from exactmin.exact.fexp import max_exponent, scaled_float
from exactmin.exact.linalg import as_fmpq, identity

__all__ = ["psd", "is_psd", "certify_opnorm_upper", "opnorm_upper", "opnorm_enclosure", "gram"]


def is_psd(S):
    """Exact test that the symmetric rational matrix S is positive semidefinite.

    Symmetric Gaussian elimination (S = E^{-1} D E^{-T} with exact pivots, no pivoting). A negative
    pivot, or a zero pivot whose remaining row is not all zero, proves S is not PSD.
    Returns ``(True, pivots)`` (list of fmpq, the diagonal D; zero pivots included) or
    ``(False, cert)`` with ``cert = {"reason", "index", "pivot", "witness"}``, where ``witness`` is a
    rational vector z with z^T S z < 0 (checked exactly before returning).
    ``ValueError`` if S is not square and symmetric.
    """
    S = linalg._as_mat(S)
    n = S.nrows()
    if S.ncols() != n or S.transpose() != S:
        raise ValueError("is_psd needs a square symmetric matrix")
    ok, out = _eliminate(S, n, track=False)       # the transform E is needed only for a failure's witness
    return (ok, out) if ok else _eliminate(S, n, track=True)


def psd(S) -> bool:
    """Exact answer to "is the symmetric rational matrix S positive semidefinite?" (no witness).

    A ball-arithmetic filter first (:func:`_arb_pd`: the same elimination as :func:`is_psd` on arb balls that
    contain the exact entries; certainly positive pivots prove S positive definite, a certainly negative pivot
    after certainly positive ones proves it is not PSD); only an inconclusive filter runs the exact elimination.
    """
    S = linalg._as_mat(S)
    n = S.nrows()
    if S.ncols() != n or S.transpose() != S:
        raise ValueError("psd needs a square symmetric matrix")
    for prec in _filter_precs(S):
        got = _arb_pd(S, n, prec)
        if got is not None:
            return got
    return _eliminate(S, n, track=False)[0]


_FILTER_PRECS = (128, 512, 2048, 8192)    # bits; each pass costs O(n^3) ball operations


def _filter_precs(S) -> tuple:
    """The filter's precisions: :data:`_FILTER_PRECS`, and for entries of more than 4096 bits one more pass at a
    power of two above twice their size (capped at 2**17): entries of thousands of digits (data at 10^±300) are
    not even represented at 8192 bits, and the exact elimination then took seconds (the precision only decides
    how soon the filter answers, never what)."""
    bits = max((max(int(x.p).bit_length(), int(x.q).bit_length()) for x in S.entries()), default=0)
    if bits <= 4096:
        return _FILTER_PRECS
    return _FILTER_PRECS + (min(1 << 17, 1 << (2 * bits + 1024).bit_length()),)


def _arb_pd(S, n, prec):
    """True (S is PD), False (S is not PSD) or None (undecided at ``prec`` bits); every answer is certified."""
    from flint import arb

    from exactmin.exact.enclosure import working_precision
    with working_precision(prec):
        A = [[arb(S[i, j]) for j in range(n)] for i in range(n)]
        for k in range(n):
            p = A[k][k]
            if p < 0:
                return False      # pivots 0..k-1 are certainly > 0: the leading (k+1)-minor is < 0
            if not p > 0:
                return None
            rowk = A[k]
            for i in range(k + 1, n):
                f = rowk[i] / p
                Ai = A[i]
                for j in range(i, n):      # the upper triangle only, as in _eliminate
                    Ai[j] -= f * rowk[j]
    return True


def _eliminate(S, n, track):
    """The elimination of :func:`is_psd`; with ``track`` it accumulates E (E S E^T == A) for the witness."""
    A = linalg.rows(S)
    # E: accumulated row operations, E S E^T == A (on the processed part, A is diagonal)
    E = [[fmpq(1) if i == j else fmpq(0) for j in range(n)] for i in range(n)] if track else None
    pivots: list[fmpq] = []
    for k in range(n):
        p = A[k][k]
        if p < 0:
            y = [fmpq(0)] * n
            y[k] = fmpq(1)
            return False, (_fail(S, E, y, "negative pivot", k, p) if track else None)
        if p == 0:
            j = next((j for j in range(k + 1, n) if A[k][j] != 0), None)
            if j is not None:
                # on span(e_k, e_j): y = t e_k + e_j gives 2 t a + d < 0 for t = -(|d| + 1) / (2 a)
                a, d = A[k][j], A[j][j]
                y = [fmpq(0)] * n
                y[k] = -(abs(d) + 1) / (2 * a)
                y[j] = fmpq(1)
                return False, (_fail(S, E, y, "zero pivot with nonzero row", k, p) if track else None)
            pivots.append(p)
            continue
        pivots.append(p)
        rowk = list(A[k])  # copy: A[k][i] is zeroed inside the loop
        for i in range(k + 1, n):
            f = rowk[i] / p
            if f == 0:
                continue
            Ai = A[i]
            for j in range(i, n):      # the Schur complement is symmetric: only its upper triangle is read
                Ai[j] -= f * rowk[j]
            Ai[k] = fmpq(0)
            A[k][i] = fmpq(0)
            if track:
                Ei, Ek = E[i], E[k]
                for j in range(n):
                    Ei[j] -= f * Ek[j]
    return True, pivots


def _fail(S, E, y, reason, k, p):
    n = len(y)
    z = [sum((E[i][j] * y[i] for i in range(n)), fmpq(0)) for j in range(n)]
    zc = linalg.col(z)
    val = (zc.transpose() * S * zc)[0, 0]
    if not val < 0:
        raise ArithmeticError("is_psd: witness verification failed")  # not expected
    return {"reason": reason, "index": k, "pivot": p, "witness": z}


def gram(W) -> fmpq_mat:
    """W^T W or W W^T, whichever is smaller (same nonzero eigenvalues, so same largest one)."""
    W = linalg._as_mat(W)
    if W.nrows() < W.ncols():
        return W * W.transpose()
    return W.transpose() * W


def certify_opnorm_upper(W, omega) -> bool:
    """Exact check that omega >= ||W||_op: omega >= 0 and omega^2 I - G is PSD (G = :func:`gram`)."""
    omega = as_fmpq(omega)
    if omega < 0:
        return False
    G = gram(W)
    return psd(omega * omega * identity(G.nrows()) - G)


def _round_up(x: float, sig_bits: int = 30) -> fmpq:
    """A rational >= x (x finite, >= 0) with about sig_bits significant bits."""
    if x <= 0:
        return fmpq(0)
    e = math.frexp(x)[1]
    scale = sig_bits - e
    num = fmpq(*x.as_integer_ratio())  # exact value of the float
    if scale >= 0:
        return fmpq(int((num * (1 << scale)).ceil()), 1 << scale)
    return fmpq(int((num / (1 << -scale)).ceil()) << -scale)


def _pow2(e: int) -> fmpq:
    """2^e exactly, for any integer e."""
    return fmpq(1 << e) if e >= 0 else fmpq(1, 1 << -e)


def _frobenius_upper(W: fmpq_mat) -> fmpq:
    f2 = sum((x * x for x in W.entries()), fmpq(0))
    return sqrt_enclosure(f2, 32).hi


def opnorm_upper(W, tol=fmpq(1, 1000)) -> fmpq:
    """A rational omega >= ||W||_op (largest singular value), certified by :func:`certify_opnorm_upper`.

    The candidate is a float SVD estimate rounded up, times (1 + tol); it grows by (1 + tol) factors
    (doubling tol each time) until certified, and never exceeds a certified Frobenius bound. Typically
    omega <= ||W||_op (1 + tol) (1 + 1e-9).
    """
    W = linalg._as_mat(W)
    tol = as_fmpq(tol)
    if tol <= 0:
        raise ValueError("tol must be positive")
    if W.nrows() == 0 or W.ncols() == 0 or all(x == 0 for x in W.entries()):
        return fmpq(0)
    frob = _frobenius_upper(W)
    # the float SVD of W·2^-e (exponent-aware, issue 14: entries of 10^±400 neither overflow nor vanish)
    e = max_exponent(W.entries())
    Wf = np.array([[scaled_float(x, e) for x in r] for r in linalg.rows(W)], dtype=float)
    try:
        est = float(np.linalg.norm(Wf, 2))
    except np.linalg.LinAlgError:
        est = math.inf
    # an estimate that is not a positive finite float gives no candidate: use the Frobenius bound
    omega = _round_up(est) * _pow2(e) * (1 + tol) if math.isfinite(est) and est > 0 else frob
    step = tol
    while 0 < omega < frob:
        if certify_opnorm_upper(W, omega):
            return omega
        omega = omega * (1 + step)
        step = step * 2
    if not certify_opnorm_upper(W, frob):
        raise ArithmeticError("opnorm_upper: Frobenius bound not certified")  # impossible
    return frob


def opnorm_enclosure(W, prec: int = 128) -> Enclosure:
    """Enclosure [lo, hi] of ||W||_op with rational endpoints, both certified exactly.

    lo: sqrt lower bound of the Rayleigh quotient |W v|^2/|v|^2 <= ||W||^2 of a dyadic vector v (an
    mpmath top eigenvector of the Gram matrix at ``prec`` bits, used only as a hint). hi: the smallest
    omega = sqrt(rho (1 + 2^-k))-rounded-up (k = prec, prec/2, ...) certified by the PSD test, else
    :func:`opnorm_upper`. Width is typically about ||W|| 2^-prec for a simple top singular value.
    """
    W = linalg._as_mat(W)
    if W.nrows() == 0 or W.ncols() == 0 or all(x == 0 for x in W.entries()):
        return Enclosure.exact(0)
    G = gram(W)
    n = G.nrows()
    rho = fmpq(0)
    with mpmath.workprec(prec + 32):
        Gm = mpmath.matrix([[mpmath.mpf(int(x.p)) / int(x.q) for x in r] for r in linalg.rows(G)])
        evals, evecs = mpmath.eigsy(Gm)
        top = max(range(n), key=lambda i: evals[i])
        scale = mpmath.mpf(2) ** prec
        v = [fmpq(int(mpmath.floor(evecs[i, top] * scale)), 1 << prec) for i in range(n)]
    vc = linalg.col(v)
    nv2 = (vc.transpose() * vc)[0, 0]
    if nv2 != 0:
        rho = (vc.transpose() * G * vc)[0, 0] / nv2  # Rayleigh quotient of G: rho <= ||W||^2
    lo = sqrt_enclosure(rho, prec + 8).lo
    hi = None
    cand = sqrt_enclosure(rho, prec + 8).hi  # exact when rho is a rational square
    if rho > 0 and certify_opnorm_upper(W, cand):
        hi = cand
    k = prec
    while hi is None and k >= 4 and rho > 0:
        cand = sqrt_enclosure(rho * (1 + fmpq(1, 1 << k)), prec + 8).hi
        if certify_opnorm_upper(W, cand):
            hi = cand
            break
        k //= 2
    if hi is None:
        hi = opnorm_upper(W)
    return Enclosure(lo, hi)
