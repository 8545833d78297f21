"""shallow.thm3.2, Theorem 3.2 of arXiv:2309.10370 (M = Q; via arXiv:2309.10639 (2.71), (5.12)-(5.15)).

Hypotheses: M = Q, det X_0^red != 0, Y is Q x Q with det Y != 0, every class has a point off its mean.
Notation: X = X_0^red (columns xbar_j), Delta_1 = X^-1 (x - xbar_j), Delta_2 = sum_j N_j^-1 sum_i Delta_1 Delta_1^T,
value V = Tr(Y Delta_2 (1 + Delta_2)^-1 Y^T); F(A, c) = sum_j N_j^-1 sum_i |A x + c - y_j|^2; G = sum_j N_j^-1
sum_i x x^T, R = Y X^T (so grad_A F(A, 0) = 2(A G - R)); g = grad_c F(A*, 0) = 2 sum_j (A* xbar_j - y_j).
Witness: A* (normal equations A* G = R with G positive definite make it the minimiser of F(., 0)), the network
(W_1 = I, b_1 = mu u, W_2, b_2), a second network, optionally a descent point (t, b_2').  "live": every
pre-activation on the data is > 0 (strictly: dead or zero units do not count), so near the network the output on
the data is x -> W_2 W_1 x + (W_2 b_1 + b_2) = A x + c.
zero-output-bias: V = F(A*, 0) = Tr(Y Y^T) - Tr(A* R^T) (projection) = cost of the network, which realises A*
with c = 0; refuted iff A* is the minimiser and V != F(A*, 0).
free-output-bias: V = min_{A,c} F, the minimiser (A_f, c_f) solving the normal equations in (x; 1); refuted
iff that minimum (attained by the live network with output layer (A_f, c_f - A_f mu u)) is < V.
zero-output-bias/local-min: live, realises A*, A* G = R: the cost is >= min F(., 0) near it.  Refuted iff live,
realises A* and A* G != R.  free-output-bias/local-min: also g = 0; refuted iff live, realises A* and the descent
point b_2' = b_2 - t g, t > 0, satisfies F at s = t, 2t equal to F - s|g|^2 + Q s^2 |g|^2 with g != 0 (F is
quadratic in the output bias, so three values fix it: F(s) < F(0) for 0 < s < 1/Q).
degenerate: the second network has another invertible W_1, is live, realises A* with c = 0, and has the same cost.
"""
from fractions import Fraction as F

from ..interp import det, dot, eye, mm, mv, sub, tr
from ..linalg import inv, solve
from ..ondata import affine_cost, lows, network_cost, stats
from ..obligations import Eq, NonZero, Pos, PosDef

CLAIM = "shallow.thm3.2"
READINGS = ("zero-output-bias", "free-output-bias", "zero-output-bias/local-min", "free-output-bias/local-min",
            "degenerate")
NET = ("net", "Q", "M", "K")
SCHEMA = {"A_star": ("mat", "K", "Q"), "network": NET, "second_network": NET,
          "descent?": ("record", {"t": "rat", "b2": ("vec", "K")})}


def hypotheses(I):
    yield Eq("M=Q", I.M, I.Q)                        # generated lazily: the determinants need it
    yield NonZero("det X0red", det(tr(I.means)))
    yield Eq("Y is QxQ", I.K, I.Q)
    yield NonZero("det Y", det(I.Y))
    yield Pos("nonzero deviation", tuple(F(int(any(x != X[0] for x in X))) for X, _ in I.P))   # not all equal


def moments(I):
    """G = sum_j N_j^-1 sum_i x x^T, R = Y X^T, Gz, Rz (the same with z = (x; 1)) and C = sum_j N_j^-1 sum_i
    (x - m_j)(x - m_j)^T, all from the class statistics: sum_i y_j x^T = N_j y_j m_j^T, sum_i (x - m)(x - m)^T =
    S_j - N_j m_j m_j^T."""
    st, Q = stats(I), I.Q
    madd = (lambda A, B: tuple(tuple(a + b for a, b in zip(r, t)) for r, t in zip(A, B)))       # noqa: E731
    outer = (lambda u, v: tuple(tuple(a * b for b in v) for a in u))                              # noqa: E731
    G = C = R = None
    for j, (n, m, S) in enumerate(st):
        yr = outer(I.y(j), m)
        G, R = (S, yr) if G is None else (madd(G, S), madd(R, yr))
        Cj = madd(S, outer(m, tuple(-x for x in m)))
        C = Cj if C is None else madd(C, Cj)
    sm = tuple(sum(col, F(0)) for col in zip(*(m for _, m, _ in st)))
    sy = tuple(sum(col, F(0)) for col in zip(*(I.y(j) for j in range(Q))))
    Gz = tuple(r + (x,) for r, x in zip(G, sm)) + (sm + (F(Q),),)
    Rz = tuple(r + (x,) for r, x in zip(R, sy))
    return G, R, Gz, Rz, C


def facts(I, w):
    if getattr(I, "facts", (None,))[0] is not w:
        Q, A = I.Q, w["A_star"]
        Xi = inv(tr(I.means))
        G, R, Gz, Rz, C = moments(I)
        D2 = mm(mm(Xi, C), tr(Xi))                  # sum_j N_j^-1 sum_i Delta_1 Delta_1^T, Delta_1 = Xi (x - m_j)
        YD = mm(mm(I.Y, D2), inv(tuple(tuple(a + e for a, e in zip(r, s)) for r, s in zip(D2, eye(Q)))))
        Af = tr(solve(Gz, tr(Rz)))
        I.facts = (w, dict(A=A, V=sum((dot(r, s) for r, s in zip(YD, I.Y)), F(0)), G=G, R=R, Gz=Gz, Rz=Rz, Af=Af,
                           lsz=affine_cost(I, A, (F(0),) * len(A)),
                           lsf=affine_cost(I, tuple(r[:-1] for r in Af), tuple(r[-1] for r in Af)),
                           proj=sum(dot(r, r) for r in I.Y) - sum(dot(a, r) for a, r in zip(A, R)),
                           g=tuple(2 * sum(col) for col in zip(*(sub(mv(A, m), I.y(j)) for j, m in enumerate(I.means))))))
    return I.facts[1]


def net_facts(I, A, net, name):
    """(live, realises A* with c = 0, cost) of a one-hidden-layer network."""
    (W1, W2), (b1, b2) = net
    live = Pos(f"{name}: every pre-activation > 0", lows(I, net))
    real = (Eq(f"{name}: W_2 W_1 = A*", mm(W2, W1), A),
            Eq(f"{name}: W_2 b_1 + b_2 = 0", tuple(x + y for x, y in zip(mv(W2, b1), b2)), (F(0),) * I.K))
    return live, real, network_cost(I, net)


def conclusion(I, w, reading):
    f, main = facts(I, w), w["network"]
    live, real, c0 = net_facts(I, f["A"], main, "network")
    if reading == "zero-output-bias":
        yield from (Eq("A* G = R", mm(f["A"], f["G"]), f["R"]), PosDef("G", f["G"]), Eq("V = F(A*, 0)", f["V"], f["lsz"]),
                    Eq("F(A*, 0) = projection", f["lsz"], f["proj"]), *real, Eq("W_1 = I", main[0][0], eye(I.Q)),
                    Eq("b_1 = mu u", main[1][0], (main[1][0][0],) * I.Q), Eq("cost(network) = V", c0, f["V"]))
    elif reading == "free-output-bias":
        yield from (Eq("A_f Gz = Rz", mm(f["Af"], f["Gz"]), f["Rz"]), Eq("min F = V", f["lsf"], f["V"]))
    elif reading == "degenerate":
        W1b = w["second_network"][0][0]
        live2, real2, c2 = net_facts(I, f["A"], w["second_network"], "second network")
        yield from (Pos("second W_1 differs", F(int(W1b != main[0][0]))), NonZero("det second W_1", det(W1b)), live,
                    live2, *real2, Eq("same cost", c2, c0))
    else:
        yield from (live, *real, Eq("A* G = R", mm(f["A"], f["G"]), f["R"]))
        if reading == "free-output-bias/local-min":
            yield Eq("g = 0", f["g"], (F(0),) * I.K)


def refutation(I, w, reading):
    f, main = facts(I, w), w["network"]
    live, real, c0 = net_facts(I, f["A"], main, "network")
    g2, d = dot(f["g"], f["g"]), w["descent"]
    if reading == "zero-output-bias":
        yield from (Eq("A* G = R", mm(f["A"], f["G"]), f["R"]), PosDef("G", f["G"]), NonZero("V != F(A*, 0)", f["V"] - f["lsz"]))
    elif reading == "free-output-bias":
        yield from (Eq("A_f Gz = Rz", mm(f["Af"], f["Gz"]), f["Rz"]), live, Pos("min F < V", f["V"] - f["lsf"]))
    elif reading == "zero-output-bias/local-min":
        yield from (live, *real, Pos("A* G != R", sum(dot(sub(a, r), sub(a, r)) for a, r in zip(mm(f["A"], f["G"]), f["R"]))))
    elif reading == "free-output-bias/local-min":
        yield from (Pos("g != 0", g2), Pos("descent given", F(int(d is not None))))
        Fs = [network_cost(I, (main[0], (main[1][0], tuple(b - s * x for b, x in zip(main[1][1], f["g"])))))
              for s in (d["t"], 2 * d["t"])]
        yield from (Pos("t > 0", d["t"]), Eq("b_2' = b_2 - t g", d["b2"], tuple(b - d["t"] * x for b, x in zip(main[1][1], f["g"]))),
                    Eq("F(t) quadratic", Fs[0], c0 - d["t"] * g2 + I.Q * d["t"] ** 2 * g2),
                    Eq("F(2t) quadratic", Fs[1], c0 - 2 * d["t"] * g2 + 4 * I.Q * d["t"] ** 2 * g2))
    else:
        yield Pos("no refutation", F(0))
