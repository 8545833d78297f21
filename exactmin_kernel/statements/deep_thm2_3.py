"""deep.thm2.3, Theorem 2.3 of arXiv:2309.10639v4 ((4.24)-(4.58)): L=Q and L>Q at one mu, one exact realisation
(mu-box, collapse-only, L>Q/arbitrary: deep_thm2_3_family; the paper's network on I_0^Q: deep_thm2_3_paper).
Hypotheses: Q >= 2, M = Q, Y is Q x Q, Q < N, (2.12) every class deviates, (2.14) 16 delta^2 < min |v_j|^2 with
v_j = xbar - xbar_j, (2.51) <xbar_k - xbar_j, v_j> > 4 delta |v_j|, det X_0^red != 0 (2.15), det Y != 0 (2.1).
Witness: lambda in (0,1] (kappa = cos^2(theta_*/2) = lambda^2(Q-1)/(1+lambda^2(Q-1)), (4.29)), theta_* > every
theta_*,j ((2.52)); mu; unit u~, f~_l within tol of u, v_l (|x - d/|d|| <= tol < sqrt 2); rotations R_l f~_l = u~.
L=Q, L>Q: a network with L hidden layers has cost 0: mu in I_0 = (-D, -2 delta sqrt Q) (mu > -D iff every
B_delta(xbar_k - xbar_j) is strictly inside -mu f_j + C_{theta_*}[f_j], (4.26)); cumulative maps (2.43) W^(l) =
W_* R_l, b^(l) = -W^(l) c_l, c_l = xbar_l - mu f~_l (layer Q repeated for l > Q), W^(L+1) X_0^red[mu] = Y, b^(L+1)
= 0; every output equals y_j: by the paper's route (2.59) where its sign conditions hold (deep_thm2_3_family.route),
else by the exact forward pass.  Refuted (``violated``): mu in I_0, the construction, an output != y_j of the forward
pass (or X_0^red[mu] singular: no W^(L+1) exists, Y being invertible).
"""
from fractions import Fraction as F
from operator import mul

from ..interp import _flat, det, dot, eye, forward_all, holds, ints, mm, mv, scale, sub, tr
from ..obligations import Eq, Le, NonNeg, NonZero, Pos, SqrtSumSign

CLAIM, READINGS = "deep.thm2.3", ("L=Q", "L>Q", "mu-box", "collapse-only", "L>Q/arbitrary", "D>2delta-sqrtQ", "Xred-mu-GL-on-I0", "I0-box")
NET = ("net", "Q", "M", "K")
SCHEMA = {"lambda": "rat", "mu": "rat", "tol": "rat", "u_tilde": ("vec", "Q"), "f_tilde": ("list", "Q", ("vec", "Q")),
          "R": ("list", "Q", ("mat", "Q", "Q")), "networks": ("record", {"L=Q": NET, "L>Q": NET})}  # + the other files' fields


def geometry(I):
    """(per-class delta^2, v_j, a[j][k] = xbar_k - xbar_j, pairs j != k), cached (I.P: classes as (integer rows, d))."""
    if not hasattr(I, "geo"):
        dev = [F(dm * max(dm * sum(map(mul, x, x)) - 2 * d * sum(map(mul, m, x)) for x in X) + d * d * sum(map(mul, m, m)),
                 (d * dm) ** 2) for (X, d), ((m,), dm) in zip(I.P, [ints([m]) for m in I.means])]   # |x/d - m/dm|^2 expanded
        I.geo = (tuple(dev), [sub(I.bary, m) for m in I.means], [[sub(mk, mj) for mk in I.means] for mj in I.means],
                 [(j, k) for j in range(I.Q) for k in range(I.Q) if j != k])
    return I.geo


def hypotheses(I):
    yield from (Pos("Q>=2", F(I.Q - 1)), Eq("M=Q", I.M, I.Q), Eq("Y is QxQ", I.K, I.Q), Pos("Q<N", F(I.N - I.Q)))
    dev, v, a, pairs = geometry(I)
    yield from (Pos("2.12", dev), Pos("2.14", min(dot(x, x) for x in v) - 16 * max(dev)))
    for j, k in pairs:
        s = dot(a[j][k], v[j])
        yield from (Pos(f"2.51({j + 1},{k + 1})", s), Pos(f"2.51({j + 1},{k + 1})^2", s * s - 16 * max(dev) * dot(v[j], v[j])))
    yield from (NonZero("det X0red", det(tr(I.means))), NonZero("det Y", det(I.Y)))


def cone(a, v, r2, kappa, t2=0):
    """|v| ((h - t) sin - rho cos - r) (theta/2 the half angle, t = sqrt t2): > 0 iff B_r(a) inside t v/|v| + C[v]."""
    av = dot(a, v)
    return ((F((av > 0) - (av < 0)), av * av * (1 - kappa)), (F(-1), (dot(a, a) * dot(v, v) - av * av) * kappa),
            (F(-1), r2 * dot(v, v)), (F(-1), t2 * dot(v, v) * (1 - kappa)))


def premises(I, w, reading):
    """mu in I_0 ((2.58)) is false for EVERY theta_0 if mu >= -2 delta sqrt Q or -mu > <xbar_k - xbar_j, f_j> - delta."""
    (dev, v, a, pairs), mu = geometry(I), w["mu"]
    yield from below(I, mu) if reading in READINGS[:5] else ()
    for j, k in pairs if reading in READINGS[:5] else ():
        av, vv = dot(a[j][k], v[j]), dot(v[j], v[j])
        yield SqrtSumSign(f"-mu <= <xbar_{k + 1} - xbar_{j + 1}, f_{j + 1}> - delta", ((F((av > 0) - (av < 0)), av * av),
                          (F(-1), mu * mu * vv), (F(-1), max(dev) * vv)), (0, 1))


def below(I, m):
    return Pos(f"mu={m} < 0", -m), Pos(f"mu={m} < -2 delta sqrt Q", m * m - 4 * max(geometry(I)[0]) * I.Q)


def in_I0(I, m, kappa):
    dev, v, a, pairs = geometry(I)
    yield from below(I, m)
    yield from (SqrtSumSign(f"mu={m} > -D ({j + 1},{k + 1})", cone(a[j][k], v[j], max(dev), kappa, m * m), 1) for j, k in pairs)


def theta(I, w):
    """lambda in (0, 1] and theta_* > max theta_*,j ((2.52), SqrtSumSign per pair); returns kappa = cos^2(theta_*/2)."""
    Q, lam, (dev, v, a, pairs) = I.Q, w["lambda"], geometry(I)
    kappa = lam * lam * (Q - 1) / (1 + lam * lam * (Q - 1))
    yield from (Pos("lambda > 0", lam), NonNeg("lambda <= 1", 1 - lam))
    yield from (SqrtSumSign(f"theta* ({j + 1},{k + 1})", cone(a[j][k], v[j], 16 * max(dev), kappa), 1) for j, k in pairs)
    return kappa


def construction(I, w):
    """u~, f~_l unit and within tol, R_l rotations with R_l f~_l = u~; returns (W^(l) = W_* R_l, c(l, mu))."""
    Q, lam, tol, f, R, u, v = I.Q, w["lambda"], w["tol"], w["f_tilde"], w["R"], w["u_tilde"], geometry(I)[1]
    yield Pos("0 < tol < sqrt 2", (tol, 2 - tol * tol))
    for name, x, d in [("u~", u, (F(1),) * Q)] + [(f"f~_{l + 1}", f[l], v[l]) for l in range(Q)]:
        yield from (Eq(f"|{name}| = 1", dot(x, x), 1), Pos(f"<{name}, dir> > 0", dot(x, d)),
                    NonNeg(f"{name} within tol", dot(x, d) ** 2 - (1 - tol * tol / 2) ** 2 * dot(d, d)))
    for l in range(Q):
        yield from (Eq(f"R_{l + 1} orthogonal", mm(tr(R[l]), R[l]), eye(Q)), Eq(f"det R_{l + 1} = 1", det(R[l]), 1),
                    Eq(f"R_{l + 1} f~_{l + 1} = u~", mv(R[l], f[l]), u))
    Wc = [mm(tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q)), r) for r in R]
    return Wc, (lambda k, m: sub(I.means[k], scale(m, f[k])))


def network(I, net, Wc, c, mu, deeper):
    """The network's cumulative maps (2.43) are the construction's (4.56)-(4.58) at mu (layer Q repeated)."""
    Wn, bn = net
    yield Pos("L > Q", F(len(Wn) - 1 - I.Q)) if deeper else Eq("L = Q", len(Wn) - 1, I.Q)
    Cw, Cb = [Wn[0]], [bn[0]]
    for l in range(1, len(Wn)):
        Cw, Cb = Cw + [mm(Wn[l], Cw[-1])], Cb + [tuple(x + y for x, y in zip(mv(Wn[l], Cb[-1]), bn[l]))]
    for l in range(len(Wn) - 1):
        k = min(l, I.Q - 1)
        yield Eq(f"W^({l + 1}), b^({l + 1}) as (4.56)-(4.58)", (Cw[l], Cb[l]), (Wc[k], scale(-1, mv(Wc[k], c(k, mu)))))
    return Cw, Cb


def conclusion(I, w, reading):
    if reading in OTHER:
        yield from OTHER[reading].conclusion(I, w, reading)
        return
    kappa, mu = (yield from theta(I, w)), w["mu"]
    Wc, c = yield from construction(I, w)
    yield from in_I0(I, mu, kappa)
    Cw, Cb = yield from network(I, w["networks"][reading], Wc, c, mu, reading == "L>Q")
    X = tr([c(j, mu) for j in range(I.Q)])          # singular: no W^(L+1) exists (Y invertible), a violation itself
    yield from (Eq(("outputs: " if det(X) == 0 else "") + "W^(L+1) X0red[mu] = Y", mm(Cw[-1], X), I.Y), Eq("b^(L+1) = 0", Cb[-1], (F(0),) * I.K))
    yield from _family.route(I, Wc, c, mu) or (Eq(f"outputs of class {j + 1} = y_{j + 1}", tuple(X), (tuple(int(v) if v.denominator == 1 else v for v in scale(d, I.y(j))),) * len(X))
                                               for j, (X, d) in enumerate(forward_all(*w["networks"][reading], P) for P in I.P))


def violated(obs):
    """Every obligation but the outputs; then the first output that fails, as a positive amount."""
    last = None
    for ob in obs:
        if ob.name.startswith("outputs"):
            last = last or (None if holds(ob) else ob)
            continue
        yield ob
    bad = last and [x - y for x, y in zip(_flat(last.a), _flat(last.b))]
    yield Pos(f"violated: {last.name}", max(bad) if type(last) is Le else sum(x * x for x in bad)) if last else \
        Pos("an output differs from y_j", F(0))


def refutation(I, w, reading):
    yield from OTHER[reading].refutation(I, w, reading) if reading in OTHER else violated(conclusion(I, w, reading))


from . import deep_thm2_3_family as _family, deep_thm2_3_paper as _paper  # noqa: E402  (they read this module)

SCHEMA.update(_family.SCHEMA, **_paper.SCHEMA)
OTHER = {**dict.fromkeys(("mu-box", "collapse-only", "L>Q/arbitrary"), _family), **dict.fromkeys(READINGS[5:], _paper)}
