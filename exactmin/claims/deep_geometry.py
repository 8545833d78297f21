"""Geometric claims of the deep paper, arXiv:2309.10639: (4.30), (2.61), (2.68).

Conventions: ../shared/CLAIMS.md (deep v4): µ < 0 in I_0 = (−D, −2δ√Q), collapsed point x̄_{0,j}[µ] =
x̄_{0,j} − µ f_j, cones C_θ[h] = {x : ∠(x, h) ≤ θ/2}.  The construction is the one of ``deep.thm2.3``
(:mod:`exactmin.nets.construct_deep`, same choices of λ, µ and tol as :func:`exactmin.claims.deep.check_thm23`).
Every verdict is decided in exact rational arithmetic (squares for irrational norms); the kernel
(the statements exactmin_kernel/statements/deep_eq2_68.py, deep_eq2_61.py) re-derives each of them from the witness.
"""
from __future__ import annotations

import random

from flint import arb, fmpq, fmpq_mat

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, UNDECIDED
from ..errors import InputError
from ..exact.enclosure import from_arb, sqrt_enclosure, working_precision
from ..exact.intmat import affine
from ..exact.linalg import checked_det, checked_inv
from ..exact.norms import is_psd
from ..exact.numbers import parse_rational
from ..exact.sign import sign_sqrt_sum
from ..nets import construct_deep as cd
from ..nets.truncation import tau_cumulative
from .base import claim
from .common import data_matrix, mat_json, new_certificate, s, vec_json
from .deep import _hyp_fail_reason, _positive_int, box_json, hypotheses, merge_json, paper_analysis

PAPER = "deep"
ENCLOSURE_PAD = fmpq(1, 2**48)   # enclosures of angles are padded so the kernel's own bounds fit inside


# ---------------------------------------------------------------------------------------------------------
# shared: λ, µ exactly as deep.thm2.3 chooses them
# ---------------------------------------------------------------------------------------------------------

def _all_positive(term_lists):
    """Three-valued "every signed-root sum is > 0", with the kernel's rule: False as soon as one pair is
    certainly not positive, else None if some pair is undecided, else True."""
    res = True
    for _, terms in term_lists:
        sg, _ = sign_sqrt_sum(terms)
        if sg is None:
            res = None
        elif sg <= 0:
            return False
    return res


def choose_parameters(inst, h, mu=None):
    """(g, λ, κ, µ, problems, status, par): λ, µ from construct_deep.choose_parameters (as deep.thm2.3), then θ_* and
    µ ∈ I_0 re-decided three-valued (the kernel's rule) to tell "fails" from "not certified".

    ``status``: True if θ_* > max_j θ_*,j and µ ∈ I_0 are certified; False only if µ ∈ I_0 is exactly false for
    every θ_0 (:func:`construct_deep.mu_outside_I0`: a hypothesis of (2.61)/(2.68) is false); None otherwise,
    including a θ_* or a µ that fails for OUR θ_0 only (then another θ_0 may admit it: not certified, as in
    ``deep.thm2.3``)."""
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    user_mu = fmpq(*parse_rational(mu)) if mu is not None else None
    par = cd.choose_parameters(g, user_mu)
    lam, kappa, mu_v, upper_ok = par.lam, par.kappa, par.mu, par.upper_ok
    theta_ok = _all_positive(cd.theta_star_margin_terms(g, kappa))
    lower_ok = _all_positive(cd.mu_lower_terms(g, kappa, mu_v))
    problems = []
    outside = cd.mu_outside_I0(g, mu_v)
    if outside is not None:
        problems.append(outside)
    else:
        if theta_ok is not True:
            problems.append(f"theta_* > max_j theta_*,j {'fails' if theta_ok is False else 'not certified'} "
                            f"for lambda = {lam}")
        if lower_ok is not True:
            problems.append(f"mu > -D {'fails' if lower_ok is False else 'not certified'} for this theta_*")
    status = False if outside is not None else (None if problems else True)
    return g, lam, kappa, mu_v, problems, status, par


def _apply_status(verdict: str, why: str, status, problems) -> tuple[str, str]:
    """µ ∈ I_0 is a hypothesis: exactly false for every θ_0 -> hypotheses-fail; not certified -> undecided (the
    same words as ``deep.thm2.3`` for the same situation)."""
    if status is True:
        return verdict, why
    if status is False:
        return HYPOTHESES_FAIL, "mu in I_0 fails: " + "; ".join(problems) + f" (on this construction: {verdict}, {why})"
    return UNDECIDED, "; ".join(problems) + f" (on this construction: {verdict}, {why})"


def _construction_witness(con: cd.DeepConstruction) -> dict:
    return {"lambda": s(con.lam), "mu": s(con.mu), "tol": s(con.tol), "u_tilde": vec_json(con.u_tilde),
            "f_tilde": [vec_json(f) for f in con.f_tilde], "R": [mat_json(R) for R in con.R]}


def _col(M: fmpq_mat, k: int = 0) -> list:
    return [M[i, k] for i in range(M.nrows())]


def _row(M: fmpq_mat, k: int) -> list:
    return [M[k, c] for c in range(M.ncols())]


def _dot(a, b):
    return sum((x * y for x, y in zip(a, b)), fmpq(0))


def _sgn(x) -> int:
    return (x > 0) - (x < 0)


def _angle_enclosure(tan_sq: fmpq) -> tuple[fmpq, fmpq]:
    """[lo, hi] ∋ 2 arctan(√tan_sq), from an arb ball padded by 2^-48 (rational endpoints)."""
    with working_precision(160):
        e = from_arb(2 * arb(tan_sq).sqrt().atan())
    return e.lo - ENCLOSURE_PAD, e.hi + ENCLOSURE_PAD


# ---------------------------------------------------------------------------------------------------------
# (4.30): W_*
# ---------------------------------------------------------------------------------------------------------

def _eye(n: int) -> fmpq_mat:
    M = fmpq_mat(n, n)
    for i in range(n):
        M[i, i] = 1
    return M


def _ones(n: int) -> fmpq_mat:
    return fmpq_mat(n, n, [1] * (n * n))


@claim(id="deep.eq4.30", paper=PAPER, ref="(4.27)–(4.31)",
       title="The shrink matrix W_* fixes u_Q, has norms 1 and 1/lambda, and maps C_{theta_*}[u_Q] onto C_{theta_Q}[u_Q]",
       statement=r"W_*=\lambda I+(1-\lambda)\tfrac{u_Qu_Q^T}{Q}:\ W_*u_Q=u_Q,\ \|W_*\|_{op}=1,\ "
                 r"\|W_*^{-1}\|_{op}=\lambda^{-1},\ W_*C_{\theta_*}[u_Q]=C_{\theta_Q}[u_Q]\subset\mathbb R^Q_+,\ "
                 r"\lambda=\tan(\theta_Q/2)/\tan(\theta_*/2)",
       hypotheses=("deep.hypotheses (for the instance's lambda)",),
       readings=(("fixes-u", "W_* u_Q = u_Q exactly"),
                 ("shrinks-complement", "W_* y = lambda y on the basis e_1 - e_k of u_Q^perp (so W_* = R~ diag(1, lambda, ..., lambda) R~^T)"),
                 ("opnorm", "||W_*||_op = 1: I - W_*^T W_* PSD and |W_* u| = |u|"),
                 ("inverse-opnorm", "||W_*^{-1}||_op = 1/lambda: I/lambda^2 - W_*^{-T} W_*^{-1} PSD and |W_*^{-1}(e_1 - e_2)| = |e_1 - e_2|/lambda"),
                 ("cone-map", ("W_*^T A_Q W_* = c A_* with c > 0 and W_*^T u = u, A_theta = u u^T - Q cos^2(theta/2) I: "
                              "x in C_{theta_*}[u] iff W_* x in C_{theta_Q}[u]")),
                 ("cone-in-orthant", "C_{theta_Q}[u] in R^Q_+ (PSD certificate per coordinate), touching every hyperplane x_k = 0 at u - e_k"),
                 ("aperture", ("max_j theta_{*,j} < theta_* < pi for theta_* = 2 arccos sqrt(kappa), and "
                              "lambda^2 = tan^2(theta_Q/2)/tan^2(theta_*/2) exactly")),
                 ("into-interior", ("the sentence after (4.31): W_* maps C_{theta_*}[u_Q] into the interior of "
                                    "C_{theta_Q}[u_Q]; refuted by x = W_*^{-1}(u - e_1), a boundary point mapped to the "
                                    "boundary (true only for W_* = I and theta_* < theta_Q)"))),
       values=(("lambda", "rational shrink factor (as deep.thm2.3 chooses it, or the option)"),
               ("kappa", "cos^2(theta_*/2) = lambda^2 (Q-1) / (1 + lambda^2 (Q-1))"),
               ("kappa_Q", "cos^2(theta_Q/2) = (Q-1)/Q"),
               ("tan_sq_half_theta_star", "tan^2(theta_*/2) = (1 - kappa)/kappa = 1/(lambda^2 (Q-1))"),
               ("tan_sq_half_theta_Q", "tan^2(theta_Q/2) = 1/(Q-1)"),
               ("opnorm", "||W_*||_op (= 1)"), ("inverse_opnorm", "||W_*^{-1}||_op (= 1/lambda)"),
               ("cone_form_factor", "c = (1 + lambda^2 (Q-1))/Q with W_*^T A_Q W_* = c A_*"),
               ("theta_star", "enclosure of theta_* = 2 arctan(1/(lambda sqrt(Q-1))) (radians)"),
               ("theta_Q", "enclosure of theta_Q = 2 arctan(1/sqrt(Q-1)) (radians)")),
       options=(("lambda", None, "rational lambda in (0, 1] to use (default: as deep.thm2.3 chooses it)"),))
def check_eq430(inst, **opts):
    cert = new_certificate("deep.eq4.30", inst)
    names = ("fixes-u", "shrinks-complement", "opnorm", "inverse-opnorm", "cone-map", "cone-in-orthant", "aperture",
             "into-interior")
    Q = inst.Q
    h = hypotheses(inst)
    fail = _hyp_fail_reason(h)
    lam_opt = opts.get("lambda")
    if lam_opt is not None:
        lam = fmpq(*parse_rational(lam_opt))
        if not 0 < lam <= 1:
            raise InputError(f"option lambda must lie in (0, 1], got {lam}")
    if fail is not None:                  # (4.27)-(4.31) are steps of Theorem 2.3's proof, under its hypotheses
        for n in names:
            cert.add_reading(n, HYPOTHESES_FAIL, fail)
        return cert
    if lam_opt is None:
        lam = choose_parameters(inst, h)[1]
    if Q < 2:
        for n in names:
            cert.add_reading(n, HYPOTHESES_FAIL, "Q = 1: u_Q^perp is trivial")
        return cert
    t = lam * lam * (Q - 1)
    kappa = t / (1 + t)
    kQ = fmpq(Q - 1, Q)
    I, U = _eye(Q), _ones(Q)
    W = cd.w_star(lam, Q)
    u = fmpq_mat(Q, 1, [1] * Q)
    # fixes-u, shrinks-complement
    ok = W * u == u
    cert.add_reading("fixes-u", PROVED if ok else REFUTED, "W_* u = u exactly" if ok else "W_* u != u")
    bad = [k for k in range(1, Q) if (W - I * lam) * fmpq_mat(Q, 1, [1 if i == 0 else (-1 if i == k else 0)
                                                                    for i in range(Q)]) != fmpq_mat(Q, 1)]
    cert.add_reading("shrinks-complement", PROVED if not bad else REFUTED,
                     "W_* (e_1 - e_k) = lambda (e_1 - e_k) for k = 2..Q exactly" if not bad
                     else f"fails for e_1 - e_{bad[0] + 1}")
    # opnorm = 1
    psd, _ = is_psd(I - W.transpose() * W)
    Wu = W * u
    att = _dot(_col(Wu), _col(Wu)) == Q
    cert.add_reading("opnorm", PROVED if psd and att else REFUTED,
                     "I - W_*^T W_* is PSD (exact LDL^T) and |W_* u|^2 = |u|^2 = Q" if psd and att
                     else f"I - W^T W PSD: {psd}; |W u| = |u|: {att}")
    # inverse opnorm = 1/lambda
    Wi = checked_inv(W)
    psd_i, _ = is_psd(I * (1 / (lam * lam)) - Wi.transpose() * Wi)
    e = fmpq_mat(Q, 1, [1, -1] + [0] * (Q - 2))
    We = Wi * e
    att_i = _dot(_col(We), _col(We)) * lam * lam == 2
    cert.add_reading("inverse-opnorm", PROVED if psd_i and att_i else REFUTED,
                     "I/lambda^2 - W_*^{-T} W_*^{-1} is PSD and |W_*^{-1}(e_1 - e_2)|^2 = 2/lambda^2" if psd_i and att_i
                     else f"PSD: {psd_i}; attained: {att_i}")
    # cone map: A_theta = u u^T - Q kappa I; x in C_theta[u] iff <u,x> >= 0 and x^T A_theta x >= 0 (theta < pi)
    A_star = U - I * (Q * kappa)
    A_Q = U - I * (Q * kQ)
    c = (1 + t) / Q
    cm = W.transpose() * A_Q * W == A_star * c and W.transpose() * u == u and c > 0
    cert.add_reading("cone-map", PROVED if cm else REFUTED,
                     f"W_*^T A_Q W_* = {c} A_* and W_*^T u = u exactly, so W_* C_theta*[u] = C_theta_Q[u]" if cm
                     else "quadratic-form identity fails")
    # cone in orthant: S_k = -(A_Q + Q e_k e_k^T - u e_k^T - e_k u^T) PSD  =>  x^T A_Q x <= 2<u,x> x_k - Q x_k^2
    orth_bad = []
    for k in range(Q):
        ek = fmpq_mat(Q, 1, [1 if i == k else 0 for i in range(Q)])
        S = -(A_Q + ek * ek.transpose() * Q - u * ek.transpose() - ek * u.transpose())
        touch = fmpq_mat(Q, 1, [0 if i == k else 1 for i in range(Q)])     # u - e_k: on the boundary, x_k = 0
        on_bd = (touch.transpose() * A_Q * touch)[0, 0] == 0 and (u.transpose() * touch)[0, 0] >= 0
        if not is_psd(S)[0] or not on_bd:
            orth_bad.append(k + 1)
    cert.add_reading("cone-in-orthant", PROVED if not orth_bad else REFUTED,
                     "for every k: x^T A_Q x <= 2<u,x> x_k - Q x_k^2 (PSD certificate), so <u,x> >= 0, x^T A_Q x >= 0 "
                     "force x_k >= 0; u - e_k lies on the cone's boundary with x_k = 0" if not orth_bad
                     else f"fails for coordinate(s) {orth_bad}")
    # aperture: theta_*(lambda) > max_j theta_*,j (the instance), theta_* < pi (kappa > 0), lambda identity
    tan_star, tan_Q = (1 - kappa) / kappa, fmpq(1, Q - 1)
    ident = lam * lam * tan_star == tan_Q and kappa > 0
    if fail is not None:
        cert.add_reading("aperture", HYPOTHESES_FAIL, fail)
    else:
        g = cd.Geometry.of(inst, h["values"]["delta_squared"])
        th_ok = _all_positive(cd.theta_star_margin_terms(g, kappa))
        if th_ok is True and ident:
            cert.add_reading("aperture", PROVED,
                             "every B_4delta(xbar_j') lies strictly inside xbar_j + C_theta*[f_j] (signed square roots), so "
                             "theta_0 = theta_* - max_j theta_*,j > 0; kappa > 0; lambda^2 tan^2(theta_*/2) = 1/(Q-1)")
        elif th_ok is False:
            cert.add_reading("aperture", HYPOTHESES_FAIL,
                             f"lambda = {lam} is not admissible: theta_*(lambda) <= max_j theta_*,j")
        elif not ident:
            cert.add_reading("aperture", REFUTED, "lambda identity fails")
        else:
            cert.add_reading("aperture", UNDECIDED, "cone containment of the B_4delta balls undecided")
    # into-interior (text after (4.31)): W_* maps C_theta*[u] into int C_theta_Q[u]?  x = W_*^{-1}(u - e_1) is in
    # C_theta*[u] and W_* x = u - e_1 has a zero coordinate: on the boundary of C_theta_Q[u] (its form is 0)
    if lam == 1 and kappa > kQ:
        cert.add_reading("into-interior", PROVED, "W_* = I and theta_* < theta_Q")
    else:
        y = fmpq_mat(Q, 1, [0] + [1] * (Q - 1))
        x = Wi * y
        xin = (u.transpose() * x)[0, 0] >= 0 and (x.transpose() * A_star * x)[0, 0] >= 0 and x != fmpq_mat(Q, 1)
        bd = (y.transpose() * A_Q * y)[0, 0] == 0 and W * x == y
        cert.add_reading("into-interior", REFUTED if xin and bd else UNDECIDED,
                         "x = W_*^{-1}(u - e_1) lies in C_theta*[u] and W_* x = u - e_1 has a zero coordinate: W_* maps "
                         "the boundary of C_theta*[u] onto the boundary of C_theta_Q[u], not into its interior"
                         if xin and bd else "boundary witness not established")
    cert.set_value("lambda", lam), cert.set_value("kappa", kappa), cert.set_value("kappa_Q", kQ)
    cert.set_value("tan_sq_half_theta_star", tan_star), cert.set_value("tan_sq_half_theta_Q", tan_Q)
    cert.set_value("opnorm", 1), cert.set_value("inverse_opnorm", 1 / lam), cert.set_value("cone_form_factor", c)
    cert.set_enclosure("theta_star", *_angle_enclosure(tan_star))
    cert.set_enclosure("theta_Q", *_angle_enclosure(tan_Q))
    cert.witness = {"lambda": s(lam)}
    cert.parameters = {"lambda": None if lam_opt is None else s(lam)}
    return cert


# ---------------------------------------------------------------------------------------------------------
# (2.68): the whole ball B_delta(xbar_0,j) collapses to xbar_0,j[mu]
# ---------------------------------------------------------------------------------------------------------

def _affine_vec(W: fmpq_mat, b: fmpq_mat, x) -> list:
    return _col(W * fmpq_mat(len(x), 1, list(x)) + b)


def _tau_vec(W, Wi, b, x):
    z = [v if v > 0 else fmpq(0) for v in _affine_vec(W, b, x)]
    return _col(Wi * (fmpq_mat(len(z), 1, z) - b))


def _composite(con, Winv, x, L):
    for ell in range(L):
        x = _tau_vec(con.Wc[ell], Winv[ell], con.bc[ell], x)
    return x


def _ball_point(center, row, n_sq, s_k, dsq, sign):
    """A rational x in the closed ball B_delta(center) with sign·(row·x + b) > 0, given
    row·center + b = s_k and sign·s_k < delta |row| (exists exactly then): x = center + sign t row, t ≥ 0."""
    if sign * s_k > 0:
        return list(center)
    t0 = -sign * s_k / n_sq                 # need t > t0 >= 0 and t^2 n_sq <= dsq
    bits = 64
    while True:
        r = sqrt_enclosure(dsq / n_sq, bits).lo
        if r > t0:
            t = (t0 + r) / 2
            assert t * t * n_sq <= dsq and sign * (s_k + sign * t * n_sq) > 0
            return [c + sign * t * x for c, x in zip(center, row)]
        bits *= 2


def _eq268_eval(inst, con, dsq):
    """Exact margins of (2.68) for the construction; returns a dict of readings data."""
    Q = inst.Q
    g_means = [[inst.means[r, j] for r in range(inst.M)] for j in range(Q)]
    Winv = [checked_inv(W) for W in con.Wc[:Q]]
    coll_min = ident_min = apex_min = None
    coll_bad = ident_bad = apex_bad = None
    for j in range(Q):
        xb = g_means[j]
        for ell in range(Q):
            W, b = con.Wc[ell], con.bc[ell]
            if ell > j:
                z = _affine_vec(W, b, con.apex[j])
                for k, v in enumerate(z):
                    if apex_min is None or v < apex_min:
                        apex_min = v
                    if v < 0 and apex_bad is None:
                        apex_bad = (j, ell, k, v)
                continue
            sign = -1 if ell == j else 1
            for k in range(Q):
                row = _row(W, k)
                n_sq = _dot(row, row)
                sk = _dot(row, xb) + b[k, 0]
                m = sign * _sgn(sk) * sk * sk / n_sq - dsq     # >= 0 iff sign*sk >= delta |row|
                if ell == j:
                    if coll_min is None or m < coll_min:
                        coll_min = m
                    if m < 0 and coll_bad is None:
                        coll_bad = (j, ell, k, _ball_point(xb, row, n_sq, sk, dsq, 1))
                else:
                    if ident_min is None or m < ident_min:
                        ident_min = m
                    if m < 0 and ident_bad is None:
                        ident_bad = (j, ell, k, _ball_point(xb, row, n_sq, sk, dsq, -1))
        # the apex of layer j is -W^{-1} b
        assert _col(Winv[j] * (-con.bc[j])) == list(con.apex[j])
    return {"Winv": Winv, "coll_min": coll_min, "ident_min": ident_min, "apex_min": apex_min, "coll_bad": coll_bad,
                "ident_bad": ident_bad, "apex_bad": apex_bad, "means": g_means}


def extra_layer_ok(apexes, j, b) -> bool:
    """(4.66)'s extra cumulative layer W = I, bias b is admissible (det [max(c_k, -b)]_k != 0) and moves c_j."""
    moved = [[max(x, -y) for x, y in zip(c, b)] for c in apexes]
    Q = len(apexes)
    return moved[j] != list(apexes[j]) and fmpq_mat(Q, Q, [moved[k][r] for r in range(Q) for k in range(Q)]).det() != 0


def extra_layer(con, Q):
    """A (4.66)-admissible extra cumulative layer W = I, b that moves one collapse point (the W-H recipe, made
    general): (b, j, r, eps).  tau(x) = max(x, p) componentwise with p = -b; for a coordinate r where one apex c_j is
    the strict minimum (gap g to the next), p_r = c_j,r + eps (eps = g/2^k < g) and p_i below every apex for i != r,
    so tau moves c_j only, by eps e_r; det [tau(c_1) ... tau(c_Q)] is affine in eps, so at most one k fails.  Scales
    and translates with the data.  None if no coordinate has a strict minimum (or Q < 2)."""
    c = [list(a) for a in con.apex]
    for r in range(Q if Q >= 2 else 0):
        col = sorted((x[r], k) for k, x in enumerate(c))
        gap = col[1][0] - col[0][0]
        if gap <= 0:
            continue
        j = col[0][1]
        low = [min(x[i] for x in c) - gap for i in range(Q)]
        for k in range(1, 41):
            eps = gap / 2 ** k
            b = [-(c[j][r] + eps) if i == r else -low[i] for i in range(Q)]
            if extra_layer_ok(c, j, b):
                return b, j, r, eps
    return None


def _pt(x) -> str:
    return "(" + ", ".join(str(v) for v in x) + ")"


@claim(id="deep.eq2.68", paper=PAPER, ref="(2.68), (4.59)–(4.65)",
       title="The truncation map collapses the whole ball B_delta(xbar_0,j) to xbar_0,j[mu_j]",
       statement=r"\tau^{(L)}\big(B_\delta(\bar x_{0,j})\big)=\{\bar x_{0,j}[\mu_j]\},\ "
                 r"\bar x_{0,j}[\mu_j]=\bar x_{0,j}-\mu_j f_j,\ \tau^{(L)}=\tau_{W^{(L)},b^{(L)}}\circ\cdots\circ\tau_{W^{(1)},b^{(1)}}",
       hypotheses=("deep.hypotheses", "mu in I_0"),
       readings=(("collapse-at-layer", ("tau_{W^(j),b^(j)} maps all of B_delta(xbar_0,j) to the apex c_j: "
                                       "row_k xbar_0,j + b_k + delta |row_k| <= 0 for every row (squares)")),
                 ("identity-before", ("for l < j, tau_{W^(l),b^(l)} is the identity on all of B_delta(xbar_0,j): "
                                     "row_k xbar_0,j + b_k - delta |row_k| >= 0")),
                 ("apex-fixed-after", "for l > j, tau_{W^(l),b^(l)} fixes the apex c_j: W^(l) c_j + b^(l) >= 0"),
                 ("cumulative", "the composite cumulative truncation tau^(L) (L >= Q) maps all of B_delta(xbar_0,j) to c_j"),
                 ("L>Q/arbitrary", ("for L > Q with the extra layers picked arbitrarily as (4.66) allows (W^(l) and the "
                                   "reduced image invertible): refuted by an admissible extra layer that moves a collapse "
                                   "point (W-H recipe), never proved")),
                 ("paper-network/collapse-at-layer", ("the paper's own network (exact f_j), every mu in I_0^Q, every "
                                                     "admissible R_l: collapse at layer j by Lemma 5.1's norm bound")),
                 ("paper-network/identity-before", ("the paper's network, every mu in I_0^Q: t_l < D puts every other "
                                                   "ball in c_l + C_theta*[f_l] ((4.26)), mapped into the orthant ((4.30))")),
                 ("paper-network/apex-fixed-after", ("the paper's network, every mu in I_0^Q: c_j - c_l in C_theta*[f_l] "
                                                    "for l > j (corners of a box covering I_0^Q)")),
                 ("paper-network/cumulative", "the paper's network, every mu in I_0^Q: the three readings above")),
       values=(("lambda", "lambda of the construction (as deep.thm2.3)"), ("mu", "mu of the construction"),
               ("tol", "rational bound on |f~_j - f_j|, |u~ - u/sqrt Q|"), ("delta_squared", "delta^2"),
               ("collapse_margin_sq", ("min_{j,k} of -sgn(s) s^2/|row_k|^2 - delta^2, s = row_k xbar_0,j + b_k at "
                                      "layer j: >= 0 iff collapse-at-layer")),
               ("identity_margin_sq", "min over l < j and k of sgn(s) s^2/|row_k|^2 - delta^2 at layer l: >= 0 iff identity-before"),
               ("apex_min_preactivation", "min over l > j and k of (W^(l) c_j + b^(l))_k: >= 0 iff apex-fixed-after")),
       options=(("mu", None, "mu to use (default: inside I_0, as deep.thm2.3)"),))
def check_eq268(inst, mu=None, **_):
    cert = new_certificate("deep.eq2.68", inst)
    names = ("collapse-at-layer", "identity-before", "apex-fixed-after", "cumulative")
    h = hypotheses(inst)
    Q = inst.Q
    if "delta_squared" in h["values"]:
        cert.set_value("delta_squared", h["values"]["delta_squared"])
    fail = _hyp_fail_reason(h)
    if fail is not None:
        for n in names + ("L>Q/arbitrary",) + tuple(f"paper-network/{n}" for n in names):
            cert.add_reading(n, HYPOTHESES_FAIL, fail)
        return cert
    dsq = h["values"]["delta_squared"]
    g, lam, _kappa, mu_v, problems, status, par = choose_parameters(inst, h, mu)
    for tol in cd.TOLERANCES:
        con = cd.build(inst, g, Q, lam, mu_v, tol)
        ev = _eq268_eval(inst, con, dsq)
        if ev["coll_bad"] is None and ev["ident_bad"] is None and ev["apex_bad"] is None:
            break
    rd = {}
    if ev["coll_bad"] is None:
        rd["collapse-at-layer"] = (PROVED, ("for every j and row k of W^(j): row_k xbar_0,j + b_k <= -delta |row_k| "
                                           "(exact squares), so W^(j) x + b^(j) <= 0 and tau(x) = c_j on B_delta(xbar_0,j)"))
    else:
        j, ell, k, x = ev["coll_bad"]
        rd["collapse-at-layer"] = (REFUTED, (f"class {j + 1}, row {k + 1}: the point x = {_pt(x)} of B_delta(xbar_0,{j + 1}) "
                                            f"has (W^({j + 1}) x + b^({j + 1}))_{k + 1} > 0, so tau(x) != c_{j + 1}"))
    if ev["ident_bad"] is None:
        rd["identity-before"] = (PROVED, ("for every l < j and row k of W^(l): row_k xbar_0,j + b_k >= delta |row_k| "
                                         "(exact squares): tau_{W^(l),b^(l)} is the identity on B_delta(xbar_0,j)"))
    else:
        j, ell, k, x = ev["ident_bad"]
        rd["identity-before"] = (REFUTED, (f"class {j + 1}, layer {ell + 1}, row {k + 1}: x = {_pt(x)} in "
                                          f"B_delta(xbar_0,{j + 1}) has a negative pre-activation, so layer {ell + 1} moves it"))
    if ev["apex_bad"] is None:
        rd["apex-fixed-after"] = (PROVED, "W^(l) c_j + b^(l) >= 0 exactly for every l > j")
    else:
        j, ell, k, v = ev["apex_bad"]
        rd["apex-fixed-after"] = (REFUTED, f"(W^({ell + 1}) c_{j + 1} + b^({ell + 1}))_{k + 1} = {v} < 0")
    counter = []
    if all(v == PROVED for v, _ in rd.values()):
        rd["cumulative"] = (PROVED, ("identity before layer j, collapse at layer j, apex fixed after: "
                                    "tau^(L)(B_delta(xbar_0,j)) = {c_j} for every j and every L >= Q "
                                    "(layers Q+1..L repeat layer Q)"))
    else:
        cands = []
        for key in ("coll_bad", "ident_bad"):
            if ev[key] is not None:
                cands.append((ev[key][0], ev[key][3]))
        if ev["apex_bad"] is not None:
            cands.append((ev["apex_bad"][0], ev["means"][ev["apex_bad"][0]]))
        for j, x in cands:
            if _composite(con, ev["Winv"], x, Q) != list(con.apex[j]):
                counter.append({"class": j + 1, "point": vec_json(x)})
                break
        if counter:
            rd["cumulative"] = (REFUTED, (f"tau^(Q)(x) != c_{counter[0]['class']} at x = ({', '.join(counter[0]['point'])}) "
                                         f"in B_delta(xbar_0,{counter[0]['class']})"))
        else:
            rd["cumulative"] = (UNDECIDED, "a layer condition fails but no point of a ball was found whose image differs")
    extra = extra_layer(con, Q) if rd["cumulative"][0] == PROVED else None
    rd["L>Q/arbitrary"] = (REFUTED, (f"extra cumulative layer W^(Q+1) = I, b^(Q+1) = -p: tau(x) = max(x, p) moves only "
                                     f"c_{extra[1] + 1}, by {extra[3]} e_{extra[2] + 1}, and det [tau(c_1) ... tau(c_Q)] != 0 "
                                     f"((4.66) admissible): tau^(Q+1)(B_delta(xbar_0,{extra[1] + 1})) != {{c_{extra[1] + 1}}}"
                                     )) if extra else \
        (UNDECIDED, "the layer conditions of (2.68) at L = Q are not all proved" if rd["cumulative"][0] != PROVED else
         "no coordinate where one apex is the strict minimum (the extra layer W = I, b = -p is built from one)")
    for n in names + ("L>Q/arbitrary",):
        cert.add_reading(n, *_apply_status(*rd[n], status, problems))
    cert.set_value("lambda", lam), cert.set_value("mu", mu_v), cert.set_value("tol", con.tol)
    cert.set_value("collapse_margin_sq", ev["coll_min"]), cert.set_value("identity_margin_sq", ev["ident_min"])
    cert.set_value("apex_min_preactivation", ev["apex_min"])
    cert.witness = _construction_witness(con)
    if counter:            # statement exactmin_kernel/statements/deep_eq2_68.py: one (class, point)
        cert.witness["counterexample"] = {"class": str(counter[0]["class"]), "point": counter[0]["point"]}
    if extra:
        cert.witness["extra_layer"] = {"class": str(extra[1] + 1), "b": vec_json(extra[0])}
    cert.parameters = {"mu": None if mu is None else s(mu_v), "problems": problems}
    _paper268(cert, g, par)
    return cert


_EVERY = "for every mu in I_0^Q and every admissible R_l (the paper's network, exact f_j)"


def _paper_start(cert, g, par, names):
    """deep.thm2.3's analysis of I_0^Q for the paper-network readings (deep.paper_analysis at a mu of I_0 chosen
    whatever the user's mu is): its data with the witness's mu_I0 written, or None after writing every reading
    ``paper-network/<name>`` undecided (I_0 not certified non-empty, or empty: the statement is vacuous)."""
    mu0, r = paper_analysis(g, par, False)
    if mu0 is not None:
        cert.witness["mu_I0"] = s(mu0)
        return r
    why = ("I_0 is empty (D <= 2 delta sqrt Q: deep.thm2.3 D>2delta-sqrtQ), the statement is vacuous"
           if r["pair"] is not None else "I_0 not certified non-empty (theta_* or no mu certified in I_0)")
    for n in names:
        cert.add_reading(f"paper-network/{n}", UNDECIDED, why)
    return None


def _paper268(cert, g, par):
    """The paper-network/* readings of (2.68): the paper's own network on all of I_0^Q (exact f_j, every admissible
    R_l), from deep.thm2.3's analysis of I_0^Q (paper_analysis, at a mu of I_0 chosen whatever the user's mu is;
    the statement exactmin_kernel/statements/deep_eq2_68.py has the arguments)."""
    from ..nets import paper_box as pb
    w, r = cert.witness, _paper_start(cert, g, par, ("collapse-at-layer", "identity-before", "apex-fixed-after",
                                                       "cumulative"))
    if r is None:
        return
    words = {"collapse-at-layer": (PROVED, f"{_EVERY}: W_* R_j (x - c_j) has entries <= delta |W_* e_k| + mu_j/sqrt Q "
                                           "< 0 on B_delta(xbar_0,j) (Lemma 5.1's norm bound, mu_j < -2 delta sqrt Q)"),
             "identity-before": (PROVED, f"{_EVERY}: t_l = -mu_l < D puts every other ball B_delta(xbar_0,j) in "
                                         "c_l + C_theta*[f_l] ((4.26)), which W_* R_l maps into the orthant ((4.30))")}
    merge = None
    if r["merge"] is not None:
        v, chain = r["merge"]
        c = pb.apexes(g, v)
        if c[chain[0]] != c[chain[1]]:
            merge = v, chain
    if r["box"] is not None and r["bad_pairs"] == []:
        w["box_s"] = box_json(r["box"])
        words["apex-fixed-after"] = (PROVED, f"{_EVERY}: c_j - c_l in C_theta*[f_l] for l > j at the corners of a box "
                                             "[a_j, b_j] (mu_j = -s_j |v_j|) covering I_0^Q (convex in (s_j, s_l))")
        words["cumulative"] = (PROVED, f"{_EVERY}: identity before layer j, collapse at layer j, apex fixed after: "
                                       "tau^(L)(B_delta(xbar_0,j)) = {c_j} for every L >= Q")
    elif merge is not None:
        v, chain = merge
        w.update(merge_json(v, chain, g.Q))
        j, ell = chain[0] + 1, chain[1] + 1
        at = f"at mu* = -s|v| in I_0^Q (s = {[str(x) for x in v]}), for every admissible R_l"
        words["apex-fixed-after"] = (REFUTED, f"{at}: layer {ell} sends c_{j} onto c_{ell} != c_{j} (c_{j} - c_{ell} in "
                                              f"-C_theta*[f_{ell}]), so W^({ell}) c_{j} + b^({ell}) <= 0, not 0")
        words["cumulative"] = (REFUTED, f"{at}: c_{j} passes the layers before {ell}, which sends it onto c_{ell} != "
                                        f"c_{j}: after layer {ell} the balls of classes {j} and {ell} are one point")
    else:
        why = (f"Q = {g.Q} > {pb.MAX_Q}" if g.Q > pb.MAX_Q else "no box covering I_0^Q found" if r["box"] is None else
               f"pass condition not certified on the covering box for pairs {r['bad_pairs']}") + ", and no merge found"
        words["apex-fixed-after"] = words["cumulative"] = (UNDECIDED, why)
    for n, (v, why) in words.items():
        cert.add_reading(f"paper-network/{n}", v, why)


# ---------------------------------------------------------------------------------------------------------
# (2.61): the classifier in the metric d
# ---------------------------------------------------------------------------------------------------------

def _samples(inst, rng: random.Random, n: int, dsq) -> list[list[fmpq]]:
    """Seeded rational sample points: half within ~3 delta of a random class mean (the balls where the
    truncation acts non-trivially), half in the data's bounding box widened by half its width."""
    Q, M = inst.Q, inst.M
    X = data_matrix(inst)
    W = inst.wide                                               # limbs: exact extremes without Python ints
    lo = [fmpq(int(X.num[r].min()) if W is None else W[r].extreme(False), X.den) for r in range(M)]
    hi = [fmpq(int(X.num[r].max()) if W is None else W[r].extreme(True), X.den) for r in range(M)]
    rad = cd.sqrt_upper(dsq)
    out = []
    for i in range(n):
        if i % 2 == 0:
            j = rng.randrange(Q)
            out.append([inst.means[r, j] + rad * fmpq(rng.randint(-3072, 3072), 1024) for r in range(M)])
        else:
            out.append([lo[r] + (hi[r] - lo[r]) * fmpq(rng.randint(-512, 2048 + 512), 2048) for r in range(M)])
    return out


def _collapsed_columns(con, inst, X, Q):
    """Per cluster j: (network output, tau(x) = c_j, A c_j) shared by all its points, when the collapse
    (2.59)/(4.65) holds on the data (exact row extremes, :mod:`exactmin.nets.cluster_pass`); else None."""
    from ..nets import cluster_pass as cp
    from ..nets import pattern
    if not pattern.ENABLED or con.red_singular:
        return None
    ce = cp.cluster_extremes(con.Wc[:Q], con.bc[:Q], X, inst.sizes)
    if not cp.collapse_holds(ce, con.apex):
        return None
    outs = cp.collapsed_outputs(con.net, ce)
    if outs is None:
        return None
    A = con.Wc[Q]
    res = []
    for j in range(Q):
        t = list(con.apex[j])
        at = A * fmpq_mat(Q, 1, t)
        res.append((outs[j], t, [at[r, 0] for r in range(at.nrows())]))
    return res


def _argmin(d2: list) -> frozenset:
    m = min(d2)
    return frozenset(i for i, v in enumerate(d2) if v == m)


def _sq(v) -> fmpq:
    return _dot(v, v)


@claim(id="deep.eq2.61", paper=PAPER, ref="(2.61)–(2.63)",
       title="Classification by the nearest collapsed mean in the metric d",
       statement=r"j(x)=\arg\min_j d(\tau(x),\bar x_{0,j}[\mu_j]),\ d(x,x')=|Y(X_0^{red}[\mu])^{-1}(x-x')|,\ "
                 r"\arg\min_j d(\tau(x),\bar x_{0,j}[\mu_j])=\arg\min_j|x^{(L+1)}(x)-y_j|",
       hypotheses=("deep.hypotheses", "mu in I_0"),
       readings=(("metric", "d is a metric: det Y (X_0^red[mu])^{-1} != 0 (exact)"),
                 ("labels-at-apexes", "Y (X_0^red[mu])^{-1} c_j = y_j exactly for every j"),
                 ("agrees-on-data", ("network(x) = Y (X_0^red[mu])^{-1} tau(x) and |network(x) - y_j|^2 = d(tau(x), c_j)^2 "
                                    "for every j at every instance point: the argmin sets (ties included) agree")),
                 ("agrees-on-samples", "the same on seeded random rational points (provenance sampled)"),
                 ("paper-network/metric", ("the paper's own network (exact f_j), every mu in I_0^Q: det X_0^red[mu] != 0 "
                                          "(a box covering I_0^Q, one det sign at its vertices), so d is a metric")),
                 ("paper-network/classifies-data", ("the paper's network, every mu in I_0^Q and admissible R_l: every "
                                                   "data point's argmin set is exactly its own class ((2.68) and metric)"))),
       values=(("lambda", "lambda of the construction"), ("mu", "mu of the construction"),
               ("tol", "rational bound on |f~_j - f_j|, |u~ - u/sqrt Q|"),
               ("det_metric_matrix", "det Y (X_0^red[mu])^{-1}"),
               ("points", "instance points checked"), ("samples", "random points checked"),
               ("accuracy", "fraction of instance points whose argmin set is exactly their own class"),
               ("sample_ties", "random points whose argmin set has more than one class")),
       options=(("seed", 0, "seed of the random points"), ("samples", 64, "number of random points"),
                ("mu", None, "mu to use (default: inside I_0, as deep.thm2.3)")))
def check_eq261(inst, seed=0, samples=64, mu=None, **_):
    cert = new_certificate("deep.eq2.61", inst)
    names = ("metric", "labels-at-apexes", "agrees-on-data", "agrees-on-samples")
    h = hypotheses(inst)
    Q = inst.Q
    fail = _hyp_fail_reason(h)
    if fail is not None:
        for n in names + ("paper-network/metric", "paper-network/classifies-data"):
            cert.add_reading(n, HYPOTHESES_FAIL, fail)
        return cert
    n_samples = _positive_int("samples", samples, 100000)
    g, lam, _kappa, mu_v, problems, status, par = choose_parameters(inst, h, mu)
    con = cd.build(inst, g, Q, lam, mu_v, cd.TOLERANCES[0])
    A = con.Wc[Q]
    detA = checked_det(A)
    rd = {"metric": (PROVED, f"det Y (X_0^red[mu])^(-1) = {detA} != 0: x -> |A x| is a norm, d a metric")
          if detA != 0 else (REFUTED, "X_0^red[mu] = [c_1 ... c_Q] is singular (two apexes coincide): "
                                      "Y (X_0^red[mu])^(-1) does not exist, d is undefined (remark after (2.62); "
                                      "A = 0 stands in)" if con.red_singular
                             else "Y (X_0^red[mu])^(-1) is singular: d is only a pseudometric")}
    ys = [_col(inst.Y, j) for j in range(Q)]
    bad = [j for j in range(Q) if _col(A * fmpq_mat(Q, 1, list(con.apex[j]))) != ys[j]]
    rd["labels-at-apexes"] = ((PROVED, "A c_j = y_j exactly for every j") if not bad
                              else (REFUTED, f"A c_{bad[0] + 1} != y_{bad[0] + 1}"))
    X = data_matrix(inst)
    sizes = inst.sizes
    own = [j for j, n in enumerate(sizes) for _ in range(n)]

    def compare(out_cols, tau_cols, atau_cols):
        mism, winners = [], []
        for i, (o, t, at) in enumerate(zip(out_cols, tau_cols, atau_cols)):
            d_net = [_sq([a - y for a, y in zip(o, ys[j])]) for j in range(Q)]
            d_met = [_sq(_col(A * fmpq_mat(Q, 1, [a - c for a, c in zip(t, con.apex[j])]))) for j in range(Q)]
            if o != at or d_net != d_met or _argmin(d_net) != _argmin(d_met):
                mism.append(i)
            winners.append(_argmin(d_met))
        return mism, winners

    per_cluster = _collapsed_columns(con, inst, X, Q)
    if per_cluster is not None:
        # every point of cluster j has tau(x) = c_j and the same output (exactmin.nets.cluster_pass): one comparison
        # per cluster decides all of its points
        mism, win, start = [], [], 0
        for (o, t, at), n in zip(per_cluster, sizes):
            m1, w1 = compare([o], [t], [at])
            mism += list(range(start, start + n)) if m1 else []
            win += w1 * n
            start += n
    else:                                      # reference path: every point through every layer exactly
        T = tau_cumulative(con.Wc[:Q], con.bc[:Q], X)[-1]
        O = con.net.forward(X)
        AT = affine(A, None, T)
        mism, win = compare([O.column(i) for i in range(inst.N)], [T.column(i) for i in range(inst.N)],
                            [AT.column(i) for i in range(inst.N)])
    acc = fmpq(sum(1 for w, j in zip(win, own) if w == frozenset([j])), inst.N)
    rd["agrees-on-data"] = ((PROVED, (f"network(x) = A tau(x) and the squared distances agree exactly at all {inst.N} "
                                     f"points (accuracy {acc})")) if not mism
                            else (REFUTED, f"disagreement at instance point {mism[0] + 1}"))
    pts = _samples(inst, random.Random(int(seed)), n_samples, h["values"]["delta_squared"])
    P = fmpq_mat(inst.M, n_samples, [pts[i][r] for r in range(inst.M) for i in range(n_samples)])
    from ..exact.intmat import IntMat
    PX = IntMat.from_fmpq_mat(P)
    Ts = tau_cumulative(con.Wc[:Q], con.bc[:Q], PX)[-1]
    Os = con.net.forward(PX)
    ATs = affine(A, None, Ts)
    mism_s, win_s = compare([Os.column(i) for i in range(n_samples)], [Ts.column(i) for i in range(n_samples)],
                            [ATs.column(i) for i in range(n_samples)])
    ties = sum(1 for w in win_s if len(w) > 1)
    rd["agrees-on-samples"] = ((PROVED, (f"exact agreement (argmin sets, ties included) at {n_samples} seeded random "
                                        f"rational points (seed {seed}; sampled evidence)")) if not mism_s
                               else (REFUTED, f"disagreement at sample point {_pt(pts[mism_s[0]])}"))
    if con.red_singular:      # the network and the metric of (2.61) do not exist at this mu: nothing to compare
        for n in names[1:]:
            rd[n] = (UNDECIDED, "X_0^red[mu] is singular: W_(L+1) = Y (X_0^red[mu])^(-1) and d of (2.61) do not "
                                "exist (see reading metric)")
    for n in names:
        cert.add_reading(n, *(rd[n] if n == "metric" else _apply_status(*rd[n], status, problems)))
    cert.set_value("lambda", lam), cert.set_value("mu", mu_v), cert.set_value("tol", con.tol)
    cert.set_value("det_metric_matrix", detA), cert.set_value("points", inst.N)
    cert.set_value("samples", n_samples, "sampled"), cert.set_value("accuracy", acc)
    cert.set_value("sample_ties", ties, "sampled")
    cert.witness = _construction_witness(con)
    cert.witness["samples"] = [vec_json(p) for p in pts]
    cert.parameters = {"seed": int(seed), "samples": n_samples, "mu": None if mu is None else s(mu_v),
                       "problems": problems}
    _paper261(cert, g, par)
    return cert


def _paper261(cert, g, par):
    """paper-network/metric and /classifies-data of (2.61): the paper's network on all of I_0^Q, from deep.thm2.3's
    analysis (paper_analysis): they are its Xred-mu-GL-on-I0 and I0-box with (2.61)'s consequences (statement
    exactmin_kernel/statements/deep_eq2_61.py)."""
    w, r = cert.witness, _paper_start(cert, g, par, ("metric", "classifies-data"))
    if r is None:
        return
    gl = r["box"] is not None and r["gl_sign"] is not None
    if r["box"] is not None:
        w["box_s"] = box_json(r["box"])
    if gl:
        metric = (PROVED, f"{_EVERY}: det X_0^red[mu] {'>' if r['gl_sign'] > 0 else '<'} 0 at the {2 ** g.Q} vertices of "
                          "a box covering I_0^Q (multi-affine in s): A = Y X_0^red[mu]^(-1) exists and d is a metric")
    elif r["gl"] is not None:
        p1, p2 = r["gl"]
        w["gl_s"] = [[s(x) for x in p1], [s(x) for x in p2]]
        metric = (REFUTED, "det X_0^red[mu] changes sign or vanishes between two points of I_0^Q: at some mu there "
                           "the metric matrix Y X_0^red[mu]^(-1) of (2.61) does not exist")
    else:
        metric = (UNDECIDED, "no covering box with one det sign and no sign change found")
    if gl and r["bad_pairs"] == []:
        classify = (PROVED, f"{_EVERY}: (2.68) holds (tau(x) = c_j on class j) and d is a metric, so d(tau(x), c_k) "
                            "= 0 only at k = j: every data point's argmin set is its own class")
    elif r["merge"] is not None:
        v, chain = r["merge"]
        w.update(merge_json(v, chain, g.Q))
        classify = (REFUTED, f"at mu* = -s|v| in I_0^Q (s = {[str(x) for x in v]}) classes {[i + 1 for i in chain]} "
                             "end at one point for every admissible R_l: their points share one argmin set, whatever "
                             "the output layer")
    else:
        classify = (UNDECIDED, "no covering box with one det sign" if not gl else
                    f"pass condition not certified on the covering box for pairs {r['bad_pairs']}, and no merge found")
    cert.add_reading("paper-network/metric", *metric)
    cert.add_reading("paper-network/classifies-data", *classify)


__all__ = ["check_eq261", "check_eq268", "check_eq430", "choose_parameters"]
