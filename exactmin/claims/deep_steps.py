"""Small false (or corrected) steps of the proof of Theorem 2.3, arXiv:2309.10639v4: (4.11) (with (5.4), (4.55)),
(4.13)–(4.15), (4.23), (4.43).

Conventions as in :mod:`exactmin.claims.deep_geometry` (cones C_θ[h] = {x : ∠(x, h) ≤ θ/2}, f_j = v_j/|v_j|,
v_j = x̄ − x̄_{0,j}, δ² = max_{j,i} |Δx_{0,j,i}|²).  Every verdict is decided exactly (rationals, signed sums of
square roots); the kernel statements exactmin_kernel/statements/deep_eq4_11.py, deep_eq4_13.py, deep_eq4_23.py,
deep_eq4_43.py re-derive each one from the witness.  The four are steps of Theorem 2.3's proof: under its hypotheses only.
"""
from __future__ import annotations

from flint import arb, fmpq, fmpq_mat

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, UNDECIDED
from ..exact import orthogonal
from ..exact.enclosure import from_arb, sqrt_enclosure, working_precision
from ..exact.sign import sign_sqrt_sum
from ..nets import construct_deep as cd
from .base import claim
from .common import mat_json, new_certificate, s
from .deep import _hyp_fail_reason, hypotheses, lemma_parameters, lemma_mu
from .deep_geometry import _all_positive, _col, _construction_witness, _dot, _tau_vec, choose_parameters

PAPER = "deep"


def _fail(cert, names, inst, h):
    """The shared hypotheses of deep.thm2.3 (Q >= 2 included): every reading hypotheses-fail, no witness."""
    why = _hyp_fail_reason(h) or (None if inst.Q >= 2 else "Q = 1: the construction needs Q >= 2")
    for n in names if why else ():
        cert.add_reading(n, HYPOTHESES_FAIL, why)
    return why is not None


def _classes(inst) -> list[list[list[fmpq]]]:
    """The data points, per class, as lists of fmpq."""
    out, start = [], 0
    for n in inst.sizes:
        out.append([[fmpq(int(inst.X0_num[r, i]), inst.X0_den) for r in range(inst.M)] for i in range(start, start + n)])
        start += n
    return out


def _sign(terms) -> int | None:
    return sign_sqrt_sum(terms)[0]


# ---------------------------------------------------------------------------------------------------------
# (4.13)–(4.15)
# ---------------------------------------------------------------------------------------------------------

def _norm_scalar(W) -> fmpq:
    """c for W = cH with H orthogonal (W^T W = c² I): the first column's norm, exact (c = 2^k)."""
    return orthogonal.rational_sqrt((W.transpose() * W)[0, 0])


def _eye(Q: int, c=1) -> fmpq_mat:
    return fmpq_mat(Q, Q, [c if i == j else 0 for i in range(Q) for j in range(Q)])


def printed_counterexample(W, mu, g: cd.Geometry, classes):
    """(j, i, tau) of the first data point whose tau_{W,b_j}-image with the printed bias b_j = −x̄_{0,j} + µu differs
    from the claimed W^{-1}(x̄_{0,j} − µu), or None (exact)."""
    Q, Wi = g.Q, W.inv()
    for j, (m, pts) in enumerate(zip(g.means, classes)):
        b = fmpq_mat(Q, 1, [mu - x for x in m])
        claimed = _col(Wi * fmpq_mat(Q, 1, [x - mu for x in m]))
        for i, x in enumerate(pts):
            t = _tau_vec(W, Wi, b, x)
            if t != claimed:
                return j, i, t
    return None


def printed_witness(g: cd.Geometry, classes):
    """A witness (W, µ) refuting the printed (4.13)–(4.15), with its counterexample, or (2I, µ, None).

    First the recipe W-C: W = cI, c = ±2^{±k}, µ = :func:`lemma_mu` (‖cI‖ = |c|).  A positive pre-activation
    c x_r − x̄_{0,j,r} + µ needs a negative mean coordinate (c small) or a point coordinate |x_r| > 2δ·17/16 (c large).
    Else W = cH with H a rational rotation taking a longest data point x near e_1 (‖cH‖ = c) and µ = −2δ̄c(1 + 2^-32):
    (Wx)_1 ≈ c|x| beats −µ once |x| > 2δ(1 + 2^-32), and some point has |x| ≥ max_j |x̄_{0,j}| > 2δ by (2.14)."""
    Q = g.Q
    for k in range(1, 41):
        for c in (fmpq(2) ** k, fmpq(1, 2 ** k), -fmpq(2) ** k, -fmpq(1, 2 ** k)):
            W, mu = _eye(Q, c), lemma_mu(g.delta_sq, abs(c), -1)
            bad = printed_counterexample(W, mu, g, classes)
            if bad is not None:
                return W, mu, bad
    return rotation_witness(g, classes) or (_eye(Q, 2), lemma_mu(g.delta_sq, fmpq(2), -1), None)


def rotation_witness(g: cd.Geometry, classes):
    """The second half of :func:`printed_witness`: W = cH, or None."""
    Q, d_hi = g.Q, sqrt_enclosure(g.delta_sq, 128).hi
    e1 = [fmpq(int(r == 0)) for r in range(Q)]
    for x in sorted((p for c in classes for p in c), key=lambda p: -_dot(p, p))[:3]:
        if _dot(x, x) == 0:
            break
        H = orthogonal.rotation_to(orthogonal.rational_unit_vector(x, fmpq(1, 2 ** 40)), e1)
        for k in range(1, 81):
            c = fmpq(2) ** k
            W, mu = H * c, -2 * d_hi * c * (1 + fmpq(1, 2 ** 32))
            bad = printed_counterexample(W, mu, g, classes)
            if bad is not None:
                return W, mu, bad
    return None


@claim(id="deep.eq4.13", paper=PAPER, ref="(4.13)–(4.15)",
       title="A strongly negative bias collapses a cluster under the truncation map",
       statement=r"b=-\bar x_{0,j}+\mu u_Q,\ \mu<-2\delta\|W\|\ \Rightarrow\ \tau_{W,b}(X_{0,j})"
                 r"=W^{-1}(\bar x_{0,j}-\mu u_Q)u^T",
       hypotheses=("deep.hypotheses", "W invertible, mu < 0, mu^2 I - 4 delta^2 W^T W positive definite"),
       readings=(("as-printed", ("b_j = -xbar_0,j + mu u_Q: tau_{W,b_j}(X_0,j) = W^-1(xbar_0,j - mu u_Q) u^T at every data "
                                 "point (exact); refuted by a point whose image differs (W-C recipe: W = cI, c != 1)")),
                 ("corrected", ("b_j = -W xbar_0,j + mu u_Q: tau_{W,b_j}(x) = xbar_0,j - mu W^-1 u_Q for EVERY x in the closed "
                                "ball B_delta(xbar_0,j): mu^2 >= delta^2 |row_r W|^2 per row (as deep.lemma4.1 ball)"))),
       values=(("c_printed", "c with W = c I (recipe W-C) or W = c H, H a rational rotation, of the as-printed witness"), ("mu_printed", "its mu < -2 delta |c|"),
               ("opnorm_upper", "rational omega >= ||W||_op of the corrected witness (deep.lemma4.1's W)"),
               ("mu", "its mu < -2 delta omega"), ("delta_squared", "delta^2")),
       options=(("seed", 0, "seed of the random W of the corrected reading (as deep.lemma4.1)"),))
def check_eq413(inst, seed=0, **_):
    cert = new_certificate("deep.eq4.13", inst)
    h = hypotheses(inst)
    if _fail(cert, ("as-printed", "corrected"), inst, h):
        return cert
    g, classes = cd.Geometry.of(inst, h["values"]["delta_squared"]), _classes(inst)
    Wp, mup, bad = printed_witness(g, classes)
    c = Wp[0, 0] if Wp == _eye(inst.Q, Wp[0, 0]) else None
    wname = f"W = {c} I" if c is not None else f"W = c H (H a rational rotation, ||W|| = {_norm_scalar(Wp)})"
    if bad is None:
        cert.add_reading("as-printed", PROVED, f"{wname}, mu = {mup}: every data point is mapped to the claimed column "
                         "(this witness only; the recipe W-C found no counterexample)")
    else:
        j, i, t = bad
        cert.add_reading("as-printed", REFUTED,
                         f"{wname}, mu = {mup} < -2 delta ||W||: point {i + 1} of class {j + 1} has tau = "
                         f"({', '.join(map(str, t))}), not W^-1(xbar_0,{j + 1} - mu u): the printed bias lacks the factor W, so "
                         "the pre-activation W x - xbar_0,j + mu u is not W Delta x + mu u (W-C)")
    W, omega, dsq, mu = lemma_parameters(inst, -1, seed)
    rows = all(mu * mu >= dsq * _dot(_col(W.transpose(), r), _col(W.transpose(), r)) for r in range(inst.Q))
    cert.add_reading("corrected", PROVED if rows else UNDECIDED,
                     "for every x in the closed ball B_delta(xbar_0,j): W x + b_j = W(x - xbar_0,j) + mu u <= 0 since mu^2 >= "
                     "delta^2 |row_r W|^2 for every row (mu < -2 delta omega, omega >= ||W|| certified), so tau(x) = -W^-1 b_j "
                     "= xbar_0,j - mu W^-1 u_Q" if rows else "row bound did not close")
    cert.set_value("c_printed", c if c is not None else _norm_scalar(Wp)), cert.set_value("mu_printed", mup), cert.set_value("opnorm_upper", omega)
    cert.set_value("mu", mu), cert.set_value("delta_squared", dsq)
    cert.witness = {"W": mat_json(W), "mu": s(mu), "W_printed": mat_json(Wp), "mu_printed": s(mup)}
    cert.parameters = {"seed": seed}
    return cert


# ---------------------------------------------------------------------------------------------------------
# (4.23)
# ---------------------------------------------------------------------------------------------------------

def cone_terms(a, v, r_sq, kappa, t_sq=fmpq(0)):
    """:func:`cd.cone_ball_terms` with the apex moved by t = √t_sq ≥ 0 along f (t may be irrational, e.g. 2δ)."""
    terms = cd.cone_ball_terms(a, v, r_sq, kappa)
    return terms + [(-1, t_sq * _dot(v, v) * (1 - kappa))] if t_sq else terms


def _half_angle(a, v, r_sq, t_sq, prec=160):
    """arb of ∠(a − t f, f) + arcsin(r/|a − t f|): the smallest half-aperture with B_r(a) ⊂ t f + C[f]."""
    with working_precision(prec):
        vv = arb(_dot(v, v))
        h = arb(_dot(a, v)) / vv.sqrt() - arb(t_sq).sqrt()
        rho = arb((_dot(a, a) * _dot(v, v) - _dot(a, v) ** 2) / _dot(v, v)).sqrt()
        return arb.atan2(rho, h) + (arb(r_sq) / (h * h + rho * rho)).sqrt().asin()


def separated(g: cd.Geometry, j, k, kappa, sign) -> bool:
    """The kernel's refutation of `equivalent`, re-decided: at theta_s (cos² = kappa) every ball of the smaller
    angle's family is strictly inside and ball k of the other lies outside."""
    d2 = g.delta_sq
    fam = {1: (4 * d2, 4 * d2), -1: (16 * d2, fmpq(0))}          # (r², t²): (4.23) and (2.51)
    inside, outside = fam[sign], fam[-sign]
    a = [[x - y for x, y in zip(m, g.means[j])] for m in g.means]
    ok = all(_sign(cone_terms(a[m], g.v[j], inside[0], kappa, inside[1])) == 1 for m in range(g.Q) if m != j)
    return ok and _sign(cone_terms(a[k], g.v[j], outside[0], kappa, outside[1])) == -1


@claim(id="deep.eq4.23", paper=PAPER, ref="(4.23)",
       title="(2.51) and the aperture of (4.23): not equivalent, but (2.51) implies (4.23)",
       statement=r"\theta_{*,j}=\min\{\theta:\ \bar x_{0,j}+2\delta f_j+C_\theta[f_j]\supset\textstyle\bigcup_{j'\neq j}"
                 r"B_{2\delta}(\bar x_{0,j'})\}",
       hypotheses=("deep.hypotheses",),
       readings=(("equivalent", ("(2.51) 'is equivalent with' (4.23): the smallest angles of the two containments agree "
                                 "for every j; refuted by a rational separating angle (W-A: sin^2 1/100 vs 1/361)")),
                 ("implied", ("the (4.23) containment holds at theta_*,j of (2.51): B_2delta(xbar_k) - 2 delta f_j lies in "
                              "B_4delta(xbar_k) (by squares)"))),
       values=(("j", "class where the angles separate"), ("kappa_sep", "cos^2(theta_s/2) of the separating angle"),
               ("sin_sq_half_theta_2_51", "enclosure of sin^2(theta_*,j/2) of (2.51) at that j"),
               ("sin_sq_half_theta_4_23", "enclosure of sin^2 of the (4.23) half-angle at that j")),
       options=())
def check_eq423(inst, **_):
    cert = new_certificate("deep.eq4.23", inst)
    h = hypotheses(inst)
    if _fail(cert, ("equivalent", "implied"), inst, h):
        return cert
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    d2, Q = g.delta_sq, g.Q
    wit, encl = (1, 2 if Q > 1 else 1, fmpq(1, 2), 1), None
    for j in range(Q):
        ks = [k for k in range(Q) if k != j]
        a = [[x - y for x, y in zip(m, g.means[j])] for m in g.means]
        p51 = [_half_angle(a[k], g.v[j], 16 * d2, fmpq(0)) for k in ks]
        p23 = [_half_angle(a[k], g.v[j], 4 * d2, 4 * d2) for k in ks]
        m51, m23 = max(p51, key=lambda x: x.mid()), max(p23, key=lambda x: x.mid())
        if not (m51 > m23 or m23 > m51):
            continue
        sign = 1 if m51 > m23 else -1
        k = ks[(p51 if sign == 1 else p23).index(m51 if sign == 1 else m23)]
        with working_precision(160):
            kap = from_arb(((m51 + m23) / 2).cos() ** 2)
        mid = (kap.lo + kap.hi) / 2
        kappa = next((c for c in (fmpq(int(mid * 2 ** b), 2 ** b) for b in range(8, 168, 8))   # short rationals first
                      if 0 < c < 1 and separated(g, j, k, c, sign)), None)
        if kappa is not None:
            wit = (j + 1, k + 1, kappa, sign)
            with working_precision(160):
                encl = [from_arb(x.sin() ** 2) for x in (m51, m23)]
            break
    j, k, kappa, sign = wit
    if encl is not None:
        bigger, smaller = ("(2.51)", "(4.23)") if sign == 1 else ("(4.23)", "(2.51)")
        cert.add_reading("equivalent", REFUTED,
                         f"class {j}: at theta_s with cos^2(theta_s/2) = {kappa} every {smaller} ball is strictly inside "
                         f"its cone and the {bigger} ball of class {k} is not, so the two smallest angles differ (exact "
                         "signed square roots)")
        cert.set_value("j", j), cert.set_value("kappa_sep", kappa)
        cert.set_enclosure("sin_sq_half_theta_2_51", encl[0].lo, encl[0].hi)
        cert.set_enclosure("sin_sq_half_theta_4_23", encl[1].lo, encl[1].hi)
    else:
        cert.add_reading("equivalent", UNDECIDED, "no class where the enclosures of the two smallest angles separate")
    cert.add_reading("implied", PROVED,
                     "for every j != k and y in B_2delta(xbar_0,k): |y - 2 delta f_j - xbar_0,k| <= 4 delta, so y - 2 delta f_j "
                     "lies in B_4delta(xbar_0,k), inside xbar_0,j + C_theta*,j[f_j] by (2.51); hence B_2delta(xbar_0,k) lies in "
                     "xbar_0,j + 2 delta f_j + C_theta*,j[f_j]")
    cert.witness = {"j": s(j), "k": s(k), "kappa_sep": s(kappa), "sep_sign": s(sign)}
    return cert


# ---------------------------------------------------------------------------------------------------------
# (4.43)
# ---------------------------------------------------------------------------------------------------------

def ball_terms(g: cd.Geometry, lam, j, mu, k=0):
    """Terms of |v_k| (distance of µu/|u| + W_*R_1(x̄_{0,j} − x̄_{0,k}) to ∂C_{θ_Q}[u] − δ), class k at layer 1,
    for every R_1 with R_1 f_k = u/√Q (axial µ + ⟨a, f_k⟩, radial λ|a − ⟨a, f_k⟩f_k|; sin² = 1/Q, cos² = (Q − 1)/Q)."""
    Q, v = g.Q, g.v[k]
    a = [x - y for x, y in zip(g.means[j], g.means[k])]
    av, aa, vv = _dot(a, v), _dot(a, a), _dot(v, v)
    return [((av > 0) - (av < 0), av * av / Q), ((mu > 0) - (mu < 0), mu * mu * vv / Q),
            (-1, lam * lam * fmpq(Q - 1, Q) * (aa * vv - av * av)), (-1, g.delta_sq * vv)]


def centre_distance(g: cd.Geometry, lam, j, mu, k=0):
    """arb enclosure (rational endpoints) of the distance of the (4.43) centre of class j to ∂C_{θ_Q}[u], class k
    at layer 1."""
    with working_precision(160):
        v, Q = g.v[k], g.Q
        a = [x - y for x, y in zip(g.means[j], g.means[k])]
        vv = arb(_dot(v, v))
        h = arb(_dot(a, v)) / vv.sqrt() + arb(mu)
        rho = arb((_dot(a, a) * _dot(v, v) - _dot(a, v) ** 2) / _dot(v, v)).sqrt() * arb(lam)
        return from_arb(h / arb(Q).sqrt() - rho * (arb(Q - 1) / Q).sqrt())


def _in_I0(g, mu, kappa):
    """The kernel's T.in_I0, three-valued."""
    if not (mu < 0 and mu * mu > 4 * g.delta_sq * g.Q):
        return False
    return _all_positive(cd.mu_lower_terms(g, kappa, mu))


@claim(id="deep.eq4.43", paper=PAPER, ref="(4.43)",
       title="Layer 1 keeps the other clusters' delta-balls in the orthant",
       statement=r"\tfrac{\mu_1u_Q}{|u_Q|}+B_\delta(W_*R_1(\bar x_{0,j}-\bar x_{0,1}))\subset C_{\theta_Q}[u_Q]"
                 r"\quad(-D\le\mu_1\le-2\delta|u_Q|)",
       hypotheses=("deep.hypotheses", "lambda admissible (theta_* > max_j theta_*,j)", "data: mu_1 in I_0"),
       readings=(("ball-as-printed", ("the paper's network (every R_1 with R_1 f_1 = u/sqrt Q): the round delta-ball around "
                                      "the centre lies in C_theta_Q[u] for all mu_1 in [-D, -2 delta sqrt Q]; refuted at a "
                                      "certified mu_1 near -D by a centre closer than delta to the boundary (W-G)")),
                 ("data", ("the rational realisation of deep.thm2.3 (its tol) at mu_1: every data point of a class j >= 2 has "
                           "layer-1 pre-activations >= 0 ((4.40), exact)"))),
       values=(("lambda", "shrink factor (as deep.thm2.3)"), ("mu_1", "certified mu_1 in I_0 near -D"),
               ("mu_lo", "rational mu_lo <= -D"), ("D", "certified enclosure of D (4.26)"), ("tol", "of the realisation"),
               ("delta_squared", "delta^2"), ("centre_distance", "enclosure of the distance of the centre of class j "
                                                                  "to the boundary of C_theta_Q[u] at mu_1")),
       options=())
def check_eq443(inst, **_):
    cert = new_certificate("deep.eq4.43", inst)
    names = ("ball-as-printed", "data")
    h = hypotheses(inst)
    if _fail(cert, names, inst, h):
        return cert
    g, lam, kappa, _mu, _problems, _status, _par = choose_parameters(inst, h)
    Q = g.Q
    D = cd.certified_D(g, kappa)
    mu1, mu_lo = -D.lo, -D.hi
    fails = next((key for key, t in cd.mu_lower_terms(g, kappa, mu_lo) if _sign(t) is not None and _sign(t) <= 0), (0, 1))
    tol = cd.TOLERANCES[1]
    con = cd.build(inst, g, Q, lam, mu1, tol)
    theta_ok = _all_positive(cd.theta_star_margin_terms(g, kappa))
    net_p = f"the paper's network (lambda = {lam}, every R_1 with R_1 f_1 = u/sqrt Q)"
    net_r = f"the rational realisation (lambda = {lam}, tol = {tol})"
    k_bad, j_bad = 1, 2
    if theta_ok is not True:
        v = HYPOTHESES_FAIL if theta_ok is False else UNDECIDED
        for n in names:
            cert.add_reading(n, v, f"theta_* > max_j theta_*,j {'fails' if v == HYPOTHESES_FAIL else 'not certified'}")
    else:
        # the labelling is arbitrary: (4.43) is read for every class k taken as the class collapsed at layer 1
        out = [(k, j) for k in range(Q) for j in range(Q) if j != k and _sign(ball_terms(g, lam, j, mu1, k)) == -1]
        if out and _in_I0(g, mu1, kappa) is True:
            k_bad, j_bad = out[0][0] + 1, out[0][1] + 1
            dist = centre_distance(g, lam, out[0][1], mu1, out[0][0])
            cert.set_enclosure("centre_distance", dist.lo, dist.hi)
            cert.add_reading("ball-as-printed", REFUTED,
                             f"{net_p}, class {k_bad} at layer 1: at mu_1 = {mu1} in I_0 (> -D, certified) the centre of "
                             f"class {j_bad} is at distance < delta = sqrt({g.delta_sq}) from the boundary of C_theta_Q[u] "
                             "(exact signed square roots): the round ball sticks out; (4.26) only puts the ellipsoid "
                             "W_* R_1 B_delta inside")
        elif all(_sign(ball_terms(g, lam, j, mu_lo, k)) in (0, 1) for k in range(Q) for j in range(Q) if j != k) and \
                _sign(cone_terms([x - y for x, y in zip(g.means[fails[1]], g.means[fails[0]])], g.v[fails[0]],
                                 g.delta_sq, kappa, mu_lo * mu_lo)) in (-1, 0) and mu_lo < 0:
            cert.add_reading("ball-as-printed", PROVED,
                             f"{net_p}: mu_lo = {mu_lo} <= -D (certified by the (4.26) ball of pair {fails[0] + 1},{fails[1] + 1}) "
                             "and, whichever class k is collapsed at layer 1, every centre is at distance >= delta from the "
                             "boundary of C_theta_Q[u] at mu_lo, hence at every mu_1 >= mu_lo (the distance increases with mu_1)")
        else:
            cert.add_reading("ball-as-printed", UNDECIDED, f"{net_p}: neither the proof at mu_lo nor a refutation at mu_1 closed")
        in0 = _in_I0(g, mu1, kappa)
        if in0 is not True:
            cert.add_reading("data", HYPOTHESES_FAIL if in0 is False else UNDECIDED,
                             f"mu_1 = {mu1} in I_0 {'fails' if in0 is False else 'not certified'}")
        else:
            W1, b1, cls = con.Wc[0], con.bc[0], _classes(inst)
            neg = [(j, i) for j in range(1, Q) for i, x in enumerate(cls[j])
                   if any(z < 0 for z in _col(W1 * fmpq_mat(Q, 1, x) + b1))]
            cert.add_reading("data", PROVED if not neg else REFUTED,
                             f"{net_r} at mu_1 = {mu1}: every data point of classes 2..Q has W^(1) x + b^(1) >= 0 (exact)"
                             if not neg else f"{net_r} at mu_1 = {mu1}: point {neg[0][1] + 1} of class {neg[0][0] + 1} has "
                             "a negative layer-1 pre-activation")
    cert.set_value("lambda", lam), cert.set_value("mu_1", mu1), cert.set_value("mu_lo", mu_lo)
    cert.set_value("tol", tol), cert.set_value("delta_squared", g.delta_sq)
    cert.set_enclosure("D", D.lo, D.hi)
    wc = _construction_witness(con)
    cert.witness = {"lambda": s(lam), "mu_1": s(mu1), "k": s(k_bad), "j": s(j_bad), "mu_lo": s(mu_lo),
                    "pair": [s(fails[0] + 1), s(fails[1] + 1)], "tol": wc["tol"], "u_tilde": wc["u_tilde"],
                    "f_tilde": wc["f_tilde"], "R": wc["R"]}
    return cert


# ---------------------------------------------------------------------------------------------------------
# (4.11), (5.4), (4.55)
# ---------------------------------------------------------------------------------------------------------

def witness_deviation_sq(inst, j: int, i: int):
    """|Δx_{0,j,i}|² of point i of class j (0-based), from the point and its class mean (exact), or None."""
    if not (0 <= j < inst.Q and 0 <= i < inst.sizes[j]):
        return None
    d = [x - m for x, m in zip(_classes(inst)[j][i], inst.mean(j))]
    return _dot(d, d)


@claim(id="deep.eq4.11", paper=PAPER, ref="(4.11), (5.4), (4.55)",
       title="The deviations lie in the ball B_delta(0)",
       statement=r"\Delta x_{0,j,i}\in B_\delta(0)\ \ \forall j,i\quad(\delta=\max_{j,i}|\Delta x_{0,j,i}|)",
       hypotheses=("deep.hypotheses",),
       readings=(("open-ball", ("(4.11), (5.4) as printed, B_delta(0) open (Lemma 4.1): |Delta x_0,j,i| < delta for all j, i; "
                                "refuted by the maximising deviation, |Delta x_0,j,i|^2 = delta^2 (exact)")),
                 ("closed-ball", "|Delta x_0,j,i| <= delta for all j, i (by definition of delta, (2.14); exact squares)"),
                 ("sup<delta", ("(4.55) as printed (l = 1): sup_j,i |Delta x_0,j,i| < delta; refuted by the same "
                                "maximising deviation")),
                 ("sup-all/equal", ("(4.55)'s '=' at every induction step l = 2..Q with the sup over ALL classes, given "
                                    "(4.51)/(4.53) (classes j < l collapsed), for every order of the classes: "
                                    "max_(j >= l) delta_j = delta, i.e. every class reaches delta; refuted by a class "
                                    "that does not (collapsed last)")),
                 ("sup-from-l/less", ("(4.55)'s '< delta' at every l = 2..Q with the sup over the classes j >= l, for "
                                      "every order: max_(j >= l) delta_j < delta, i.e. no class reaches delta; refuted "
                                      "by a maximising class (placed second)"))),
       values=(("delta_squared", "delta^2 = max_j,i |Delta x_0,j,i|^2 (2.14)"),
               ("deviation_squared", "|Delta x_0,j,i|^2 of the witness point (j, i), recomputed from the point and its "
                                     "class mean")),
       options=())
def check_eq411(inst, **_):
    """(4.11)/(5.4)/(4.55) of arXiv:2309.10639v4: about the data only (no network); δ and its arg-max from
    :func:`exactmin.data.stats.delta_sq` ((2.14)), the witness deviation recomputed from the point."""
    from ..data import stats
    cert = new_certificate("deep.eq4.11", inst)
    names = ("open-ball", "closed-ball", "sup<delta", "sup-all/equal", "sup-from-l/less")
    h = hypotheses(inst)
    if _fail(cert, names, inst, h):
        return cert
    dsq, (j, i) = stats.delta_sq(inst)
    dev = witness_deviation_sq(inst, j, i)
    top = stats.deviations_sq(inst)
    at = f"point {i + 1} of class {j + 1} has |Delta x_0,{j + 1},{i + 1}|^2 = {dev}"
    def attained(n):
        if dev == dsq:
            cert.add_reading(n, REFUTED, f"{at} = delta^2: delta is a max over finitely many points (2.14), so the "
                             "maximising deviation lies on the sphere |y| = delta, not in the open ball B_delta(0)"
                             if n == "open-ball" else f"{at} = delta^2: the sup is attained, sup |Delta x| = delta")
        else:
            cert.add_reading(n, PROVED if max(top) < dsq else UNDECIDED, "every |Delta x_0,j,i|^2 < delta^2"
                             if max(top) < dsq else "the maximising deviation was not found")
    attained("open-ball")
    cert.add_reading("closed-ball", PROVED if all(t <= dsq for t in top) else UNDECIDED,
                     "every class's largest |Delta x_0,j,i|^2 is <= delta^2 = their max (exact)")
    attained("sup<delta")
    cert.set_value("delta_squared", dsq), cert.set_value("deviation_squared", dev)    # (j, i): witness only
    cert.witness = {"j": s(j + 1), "i": s(i + 1)}
    words, ks = eq455(top, dsq)
    for name in ("sup-all/equal", "sup-from-l/less"):
        k = ks[name]
        if k is None:
            cert.add_reading(name, words[name], "every class reaches delta: whichever is collapsed last, the classes "
                             "still to collapse reach delta" if name == "sup-all/equal" else "no class reaches delta")
            continue
        cert.witness["k_equal" if name == "sup-all/equal" else "k_less"] = s(k)
        cert.add_reading(name, words[name], f"class {k} has delta_{k}^2 = {top[k - 1]} "
                         + (f"< delta^2 = {dsq}: with it collapsed last (l = Q), the sup over all classes is delta_{k} "
                            "< delta, given (4.51)/(4.53)" if name == "sup-all/equal" else
                            f"= delta^2: with it second (l = 2), the sup over j >= 2 is delta, not < delta"))
    return cert


def eq455(top, dsq):
    """(words, witness classes, 1-based) of the (4.55) readings for every order of the classes, from the per-class
    largest squared deviations ``top``: sup-all/equal fails at the first class below delta^2, sup-from-l/less at the
    first class at delta^2 (there always is one)."""
    eq = next((k + 1 for k, t in enumerate(top) if t < dsq), None)
    less = next((k + 1 for k, t in enumerate(top) if t == dsq), None)
    return ({"sup-all/equal": REFUTED if eq else PROVED, "sup-from-l/less": REFUTED if less else PROVED},
            {"sup-all/equal": eq, "sup-from-l/less": less})


def words_eq411(inst, j, i) -> dict:
    """deep.eq4.11's words at the witness (j, i) (1-based rationals), the shared hypotheses holding."""
    from ..data import stats
    dsq = stats.delta_sq(inst)[0]
    dev = witness_deviation_sq(inst, int(j) - 1, int(i) - 1) if j.q == 1 and i.q == 1 else None
    ref = REFUTED if dev == dsq else PROVED if max(stats.deviations_sq(inst)) < dsq else UNDECIDED
    return {"open-ball": ref, "closed-ball": PROVED, "sup<delta": ref}


def words_eq455(inst, k_equal, k_less) -> dict:
    """The (4.55) readings' words at the witness classes k_equal, k_less (1-based rationals or None)."""
    from ..data import stats
    top, dsq = stats.deviations_sq(inst), stats.delta_sq(inst)[0]
    ok = (lambda k: k is not None and k.q == 1 and 1 <= k <= len(top))       # noqa: E731
    words = eq455(top, dsq)[0]
    return {"sup-all/equal": REFUTED if ok(k_equal) and top[int(k_equal) - 1] < dsq else
            PROVED if words["sup-all/equal"] == PROVED else UNDECIDED,
            "sup-from-l/less": REFUTED if ok(k_less) and top[int(k_less) - 1] == dsq else
            PROVED if words["sup-from-l/less"] == PROVED else UNDECIDED}


__all__ = ["check_eq411", "check_eq413", "check_eq423", "check_eq443"]


# ---------------------------------------------------------------------------------------------------------
# the reading words at a given witness, decided by the library (flint, exact): used by the mutation gate to
# explain a kernel-accepted mutant independently of the kernel (scripts/mutate_certificates.py)
# ---------------------------------------------------------------------------------------------------------

def _pd(S) -> bool:
    n = S.nrows()
    return S == S.transpose() and all(fmpq_mat([[S[i, j] for j in range(k)] for i in range(k)]).det() > 0
                                      for k in range(1, n + 1))


def words_eq413(inst, W, mu, Wp, mup) -> dict:
    """{reading: verdict} of deep.eq4.13 at the witness (corrected W, mu; printed Wp, mup), shared hypotheses holding."""
    g, out = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"]), {}
    for name, A, m in (("as-printed", Wp, mup), ("corrected", W, mu)):
        if not (m < 0 and A.det() != 0 and _pd(_eye(g.Q, m * m) - A.transpose() * A * (4 * g.delta_sq))):
            out[name] = HYPOTHESES_FAIL
        elif name == "as-printed":
            out[name] = PROVED if printed_counterexample(A, m, g, _classes(inst)) is None else REFUTED
        else:
            rows = all(m * m >= g.delta_sq * _dot(_col(A.transpose(), r), _col(A.transpose(), r)) for r in range(g.Q))
            out[name] = PROVED if rows else UNDECIDED
    return out


def words_eq423(inst, j, k, kappa, sign) -> dict:
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    Q = g.Q
    ok = all(x.q == 1 and 1 <= x <= Q for x in (j, k)) and j != k and sign in (1, -1) and 0 < kappa < 1
    return {"equivalent": REFUTED if ok and separated(g, int(j) - 1, int(k) - 1, kappa, int(sign)) else UNDECIDED,
            "implied": PROVED}


def words_eq443(inst, lam, mu1, j, mu_lo, pair, f1, R1, k=fmpq(1)) -> dict:
    """deep.eq4.43's words at (lambda, mu_1, k, j, mu_lo, pair) and the realisation's f~_1, R_1 (taken as valid: the
    caller checks that the realisation's fields are those of a certificate the kernel accepted)."""
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    Q = g.Q
    if not 0 < lam <= 1:
        return {"ball-as-printed": HYPOTHESES_FAIL, "data": HYPOTHESES_FAIL}
    kappa = cd.kappa_of_lambda(lam, Q)
    th = _all_positive(cd.theta_star_margin_terms(g, kappa))
    if th is not True:
        w = HYPOTHESES_FAIL if th is False else UNDECIDED
        return {"ball-as-printed": w, "data": w}
    idx = [int(x) - 1 if x.q == 1 and 1 <= x <= Q else None for x in pair]
    proved = mu_lo < 0 and None not in idx and idx[0] != idx[1] and \
        _sign(cone_terms([x - y for x, y in zip(g.means[idx[1]], g.means[idx[0]])], g.v[idx[0]], g.delta_sq, kappa,
                         mu_lo * mu_lo)) in (-1, 0) and \
        all(_sign(ball_terms(g, lam, i, mu_lo, kk)) in (0, 1) for kk in range(Q) for i in range(Q) if i != kk)
    in0 = _in_I0(g, mu1, kappa)
    ref = j.q == 1 and k.q == 1 and 1 <= j <= Q and 1 <= k <= Q and j != k and in0 is True and \
        _sign(ball_terms(g, lam, int(j) - 1, mu1, int(k) - 1)) == -1
    if in0 is not True:
        data = HYPOTHESES_FAIL if in0 is False else UNDECIDED
    else:
        W1 = cd.w_star(lam, Q) * R1
        c1 = fmpq_mat(Q, 1, [m - mu1 * f for m, f in zip(g.means[0], f1)])
        neg = any(z < 0 for cls in _classes(inst)[1:] for x in cls for z in _col(W1 * (fmpq_mat(Q, 1, x) - c1)))
        data = REFUTED if neg else PROVED
    return {"ball-as-printed": PROVED if proved else REFUTED if ref else UNDECIDED, "data": data}
