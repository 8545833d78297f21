"""deep.lemma4.1, Lemma 4.1 of arXiv:2309.10639v4 ((4.6)-(4.7)); with SIGN = +1 it is Lemma 5.1 ((5.1)-(5.2)).

Hypotheses: M = Q; the lemma's (premises, on the witness): SIGN mu > 0 and |mu| > 2 delta ||W||_op, i.e. mu^2 I - 4 delta^2 W^T W is
positive definite (exact both ways), delta^2 = max_{j,i} |Delta x_{0,j,i}|^2.
ball: for every x in the CLOSED ball |x| <= delta (stronger than the paper's open ball) SIGN (Wx + mu u)_r >= 0,
i.e. sigma(Wx + mu u) = 0 (4.1) or = Wx + mu u (5.1): sup_x -SIGN (Wx)_r = delta |row_r W| <= SIGN mu, that is
mu^2 >= delta^2 |row_r W|^2 for every row r.  Implied by the hypotheses; no refutation.
points: SIGN (W Delta x_{0,j,i} + mu u) >= 0 at every deviation of the instance ((4.7), (5.2)); refuted by an
exact counterexample (a deviation and a row where it fails) when the hypotheses hold.
symbolic: the universal part (every W, every x in the ball) rests on the library's SymPy proof (Lagrange's identity
for rows of length Q <= SYMBOLIC_BOUND, the ramp's cases; exactmin/exact/symbolic.py), which this kernel does not
run: here Q <= SYMBOLIC_BOUND and then the obligations of ``ball`` on this instance.  Never refuted.
Witness: W (Q x Q), mu.
"""
from fractions import Fraction as F

from ..interp import dot, eye, mm, mv, sub, tr
from ..obligations import Eq, Le, NonNeg, Pos, PosDef

CLAIM, READINGS, SIGN = "deep.lemma4.1", ("ball", "points", "symbolic"), -1
SYMBOLIC_BOUND = 6       # = exactmin.exact.symbolic.BOUNDS["cauchy-schwarz"] (a test checks that they agree)
SCHEMA = {"W": ("mat", "Q", "Q"), "mu": "rat"}


def statement(sign):
    """(hypotheses, premises, conclusion, refutation) of the lemma with bias sign ``sign``."""
    def delta_sq(I):                     # once per instance (it was recomputed per row and reading: minutes)
        if not hasattr(I, "delta_sq_41"):
            I.delta_sq_41 = max(dot(sub(p, m), sub(p, m)) for c, m in zip(I.classes, I.means) for p in c)
        return I.delta_sq_41

    def hypotheses(I):
        yield Eq("M=Q", I.M, I.Q)

    def premises(I, w, reading):
        W, mu = w["W"], w["mu"]
        yield Pos("sign of mu", sign * mu)
        yield PosDef("mu^2 > 4 delta^2 ||W||^2", tuple(tuple(mu * mu * e - 4 * delta_sq(I) * g for e, g in zip(r, s))
                                                       for r, s in zip(eye(I.Q), mm(tr(W), W))))

    def values(I, w):
        return [(f"x_{j + 1},{i + 1} row {r + 1}", sign * (z + w["mu"])) for j, (c, m) in enumerate(zip(I.classes, I.means))
                for i, p in enumerate(c) for r, z in enumerate(mv(w["W"], sub(p, m)))]

    def conclusion(I, w, reading):
        if reading == "symbolic":
            yield Le(f"Q = {I.Q} <= {SYMBOLIC_BOUND}, the bound of the SymPy proof", F(I.Q), F(SYMBOLIC_BOUND))
        if reading in ("ball", "symbolic"):
            yield from (NonNeg(f"closed ball, row {r + 1}", w["mu"] ** 2 - delta_sq(I) * dot(row, row))
                        for r, row in enumerate(w["W"]))
        else:
            yield NonNeg("every deviation", tuple(v for _, v in values(I, w)))

    def refutation(I, w, reading):
        bad = [(n, v) for n, v in values(I, w) if v < 0] if reading == "points" else []
        yield Pos(f"counterexample {bad[0][0]}", -bad[0][1]) if bad else Pos("a counterexample exists", F(0))

    return hypotheses, premises, conclusion, refutation


hypotheses, premises, conclusion, refutation = statement(SIGN)
