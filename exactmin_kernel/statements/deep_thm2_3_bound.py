"""deep.thm2.3-bound, the first half of Theorem 2.3 of arXiv:2309.10639v4 ((2.53)-(2.56), (4.2)-(4.5)), for one
hidden network (the witness; its output layer is not used).

Hypothesis: M = Q.  Premises: every hidden W_l invertible; rank X^(L) = Q, i.e. det A != 0 with A = X N^-1 X^T =
sum_j N_j^-1 sum_i h h^T (X = X^(L), N = diag(N_j 1), (2.36): each class has total weight 1).  For the Delta
readings also rank tau(X_0) = Q (det A_tau != 0) and bar tau(X_0)^red in GL(Q) (det C != 0), the second half of
(2.38).  Notation (deep_eq2_38): b = b^(L), T = X - b u^T = W^(L) tau(X_0) (2.44), A_tau = T N^-1 T^T, C = [xbar^(L)_j
- b]_j = W^(L) bar tau(X_0)^red, R = Y^ext N^-1 X^T = Y [xbar^(L)_j]^T, S = sum_j N_j^-1 sum_i (h - xbar_j)(h - xbar_j)^T.
P = N^-1 X^T B X with B = A^-1 (2.53) (an N x N matrix is never formed).  For B = A^-1 and any G, R:
|Y^ext P^perp|^2_N = Tr(Y Y^T) - 2 Tr(R B R^T) + Tr(R B A B^T R^T) (the expansion of Tr(Y^ext (1-P) N^-1 (1-P)^T
Y^ext^T), no projector property used).  Delta_1 = bar tau^red^-1 Delta tau(X_0) = C^-1 (h - xbar_j) (W^(L) cancels),
Delta_2 = C^-1 S C^-T (2.55), V = Tr(Y Delta_2 (1 + Delta_2)^-1 Y^T), |Y Delta_1|^2_N = Tr(Y Delta_2 Y^T).
P-projector: Inverse(A, B), B = B^T and B A B = B; then P^2 = N^-1 X^T (B A B) X = P and P N^-1 = N^-1 X^T B X
N^-1 = N^-1 P^T.  P-range-X0 (4.2): range P^T = rowspace X^(L) equals rowspace X_0 iff the Gram of [X^(L); X_0]
and that of X_0 have rank Q.  min-output/zero-b_{L+1}: W* = R B satisfies the normal equations W* A = R of the
convex F(W) = Tr(W A W^T) - 2 Tr(W R^T) + Tr(Y Y^T) = |W X - Y^ext|^2_N (A is a Gram), and F(W*) = |Y^ext
P^perp|^2.  min-output/free-bias: the same with z = (h; 1), Gz, Rz, the minimiser (W | c) from the normal
equations (W | c) Gz = Rz ((2.54) line 1, pointwise as (4.3) uses it).  projection=formula/P-from-XL:
|Y^ext P^perp|^2 = V ((2.54) line 2); P-from-tau: the same with P built from T (the rowspace of tau(X_0)).
bound-C0=0: V <= |Y Delta_1|^2_N ((2.54) line 3 with C_0 = 0), an exact scalar inequality.  Each equality is
refuted iff its ingredients (inverses, normal equations) are certified and the exact values differ.
Symbolic readings (the universal part rests on SymPy, exactmin/exact/symbolic.py, which this kernel does not run):
P-projector/symbolic: Q <= 4, projection=formula/P-from-tau/symbolic: max(Q, K) <= 3 (SYMBOLIC_BOUND: the
dimensions of the library's SymPy proofs, which cover every N_j), then the obligations of P-projector / P-from-tau
on this instance, exactly.  cost-norm/symbolic ((2.36)): K <= 6, then C_N^2 = sum_j N_j^-1 sum_i |x^(L+1)_{j,i} - y_j|^2 at the
witness network's outputs (per point) equals the moment form sum_j N_j^-1 (Tr m_j - 2 y_j.s_j) + Tr(Y Y^T) (m_j, s_j:
class moments of the outputs), exactly.  Never refuted (beyond the bound, or if a re-check fails: undecided).
"""
from fractions import Fraction as F

from ..interp import det, eye, forward_all, mm, tr
from ..linalg import inv, rank_witness, solve
from ..obligations import Eq, Inverse, Le, NonNeg, NonZero, Pos, Rank
from .deep_eq2_38 import facts, hypotheses, invertible, madd, stats  # noqa: F401  (the same hypothesis M = Q)

CLAIM = "deep.thm2.3-bound"
READINGS = ("P-projector", "P-range-X0", "min-output/zero-b_{L+1}", "min-output/free-bias",
            "projection=formula/P-from-XL", "projection=formula/P-from-tau", "bound-C0=0",
            "P-projector/symbolic", "projection=formula/P-from-tau/symbolic", "cost-norm/symbolic")
SCHEMA = {"network": ("net", "Q", "M", "K")}
DELTA = ("projection=formula/P-from-XL", "projection=formula/P-from-tau", "bound-C0=0",
         "projection=formula/P-from-tau/symbolic")
# the dimensions of the library's SymPy proofs (= exactmin.exact.symbolic.BOUNDS; a test checks that they agree)
SYMBOLIC_BOUND = {"P-projector/symbolic": 4, "projection=formula/P-from-tau/symbolic": 3, "cost-norm/symbolic": 6}


def trace(A):
    return sum((A[i][i] for i in range(len(A))), F(0))


def premises(I, w, reading):
    x = facts(I, w["network"])
    yield from invertible(w["network"], "network")
    yield NonZero("rank X^(L) = Q (det X^(L) N^-1 X^(L)T != 0)", det(x["A"]))
    if reading in DELTA:
        yield from (NonZero("rank tau(X_0) = Q", det(x["tau"])), NonZero("bar tau(X_0)^red in GL(Q)", det(x["C"])))


def inverse(M, name):
    B = inv(M) or eye(len(M))                # a singular M: the Inverse judgment fails (not established)
    return B, Inverse(f"{name} inverse", M, B)


def projection(I, G, R, name):
    """(|Y^ext P^perp|^2 for P = N^-1 Z^T G^-1 Z, its Inverse judgment) with G = Z N^-1 Z^T, R = Y^ext N^-1 Z^T."""
    B, ob = inverse(G, name)
    RB = mm(R, B)
    return trace(mm(I.Y, tr(I.Y))) - 2 * trace(mm(RB, tr(R))) + trace(mm(mm(RB, G), tr(RB))), ob


def delta(I, x):
    """(V, |Y Delta_1|^2_N, the Inverse judgments): Delta_2 = C^-1 S C^-T (2.55)."""
    Ci, o1 = inverse(x["C"], "C = bar tau^red (up to W^(L))")
    D2 = mm(mm(Ci, x["Sc"]), tr(Ci))
    E, o2 = inverse(madd(eye(I.Q), D2), "1 + Delta_2")
    YD = mm(I.Y, D2)
    return trace(mm(mm(YD, E), tr(I.Y))), trace(mm(YD, tr(I.Y))), (o1, o2)


def values(I, w, reading):
    """(obligations the reading needs, lhs, rhs) of an equality reading."""
    x = facts(I, w["network"])
    R = mm(I.Y, tuple(x["hb"]))              # R = Y^ext N^-1 X^T = sum_j y_j xbar^(L)_j^T (rows of hb are xbar^(L)_j)
    proj, ob = projection(I, x["A"], R, "X^(L) N^-1 X^(L)T")
    if reading == "min-output/zero-b_{L+1}":
        Ws = mm(R, inverse(x["A"], "")[0])
        Fz = trace(mm(mm(Ws, x["A"]), tr(Ws))) - 2 * trace(mm(Ws, tr(R))) + trace(mm(I.Y, tr(I.Y)))
        return (ob, Eq("normal equations W* A = R", mm(Ws, x["A"]), R)), Fz, proj
    if reading == "min-output/free-bias":
        hs, Q = tuple(sum(c, F(0)) for c in zip(*x["hb"])), I.Q
        Gz = tuple(r + (h,) for r, h in zip(x["A"], hs)) + (hs + (F(Q),),)
        Rz = tuple(r + (sum(y, F(0)),) for r, y in zip(R, I.Y))
        Wz = solve(Gz, tr(Rz))
        Wz = tr(Wz) if Wz is not None else tuple((F(0),) * (Q + 1) for _ in I.Y)
        Ff = trace(mm(mm(Wz, Gz), tr(Wz))) - 2 * trace(mm(Wz, tr(Rz))) + trace(mm(I.Y, tr(I.Y)))
        return (ob, Eq("normal equations (W | c) Gz = Rz", mm(Wz, Gz), Rz)), Ff, proj
    V, _, obs = delta(I, x)
    if reading == "projection=formula/P-from-tau":
        proj, ob = projection(I, x["tau"], mm(I.Y, tr(x["C"])), "T N^-1 T^T")
    return (ob,) + obs, proj, V


def cost_forms(I, net):
    """(2.36) at the network's outputs: (per-point sum_j N_j^-1 sum_i |x - y_j|^2, the moment form)."""
    direct = moment = F(0)
    for j, P in enumerate(I.P):
        X, d = forward_all(net[0], net[1], P)
        y, n = I.y(j), len(X)
        direct += sum((sum(((F(v, d) - c) ** 2 for v, c in zip(x, y)), F(0)) for x in X), F(0)) / n
        s = [F(sum(c), d) for c in zip(*X)]
        moment += (F(sum(v * v for x in X for v in x), d * d) - 2 * sum(a * b for a, b in zip(y, s))) / n + sum(c * c for c in y)
    return direct, moment


def conclusion(I, w, reading):
    x = facts(I, w["network"])
    if reading.endswith("/symbolic"):
        dim = {"cost-norm/symbolic": I.K, "P-projector/symbolic": I.Q}.get(reading, max(I.Q, I.K))
        top = SYMBOLIC_BOUND[reading]
        yield Le(f"dimension {dim} <= {top}, the bound of the SymPy proof", F(dim), F(top))
        if reading == "cost-norm/symbolic":
            yield Eq("(2.36): per-point cost = moment form", *cost_forms(I, w["network"]))
            return
        reading = reading[:-len("/symbolic")]
    if reading == "P-projector":
        B, ob = inverse(x["A"], "X^(L) N^-1 X^(L)T")
        yield from (ob, Eq("B = B^T", B, tr(B)), Eq("B A B = B", mm(mm(B, x["A"]), B), B))
    elif reading == "P-range-X0":
        rs, r0, obs = ranges(I, w)
        yield from obs
        yield from (Eq("rank [X^(L); X_0] = Q", rs, I.Q), Eq("rank X_0 = Q", r0, I.Q))
    elif reading == "bound-C0=0":
        V, n, obs = delta(I, x)
        yield from (*obs, NonNeg("Tr(Y D2 (1+D2)^-1 Y^T) <= |Y Delta_1|^2_N", n - V))
    else:
        obs, a, b = values(I, w, reading)
        yield from (*obs, Eq(f"{reading}: values equal", a, b))


def ranges(I, w):
    """(rank of the Gram of [X^(L); X_0], rank X_0, their Rank judgments), one stacked row per point."""
    x = facts(I, w["network"])
    G = madd(*(S for _, _, S in stats([([h + p for h, p in zip((tuple(v * e for v in h) for h in H), (tuple(v * dh for v in p) for p in X))], dh * e)
                                       for (H, dh), (X, e) in zip(x["H"], I.P)])))
    (rs, ms, ks), (r0, m0, k0) = rank_witness(G), rank_witness(x["X0"])
    return rs, r0, (Rank(f"rank [X^(L); X_0] = {rs}", G, rs, ms, ks), Rank(f"rank X_0 = {r0}", x["X0"], r0, m0, k0))


def refutation(I, w, reading):
    if reading.endswith("/symbolic"):          # a symbolic reading is never refuted (undecided when not proved)
        return
    x = facts(I, w["network"])
    if reading == "P-projector":
        B, ob = inverse(x["A"], "X^(L) N^-1 X^(L)T")
        yield from (ob, Pos("B != B^T or B A B != B", F(int(B != tr(B) or mm(mm(B, x["A"]), B) != B))))
    elif reading == "P-range-X0":
        rs, r0, obs = ranges(I, w)
        yield from (*obs, Pos("the row spaces differ", F(abs(rs - I.Q) + abs(r0 - I.Q))))
    elif reading == "bound-C0=0":
        V, n, obs = delta(I, x)
        yield from (*obs, Pos("Tr(Y D2 (1+D2)^-1 Y^T) > |Y Delta_1|^2_N", V - n))
    else:
        obs, a, b = values(I, w, reading)
        yield from (*obs, NonZero(f"{reading}: values differ", a - b))
