"""deep.eq4.11, (4.11) p.12 of arXiv:2309.10639v4 (also (5.4) p.20 and (4.55) p.17): Delta x_{0,j,i} in B_delta(0).

About the data only (no network).  Delta x_{0,j,i} = x_{0,j,i} - xbar_{0,j}, delta^2 = max_{j,i} |Delta x_{0,j,i}|^2
((2.14); deep_thm2_3.geometry).  Hypotheses: those of deep.thm2.3 (a step of its proof).  Witness (j, i), 1-based:
the maximising deviation.  Here every |Delta x_{0,j,i}|^2 = |n_j x - S_j|^2 / (n_j d_j)^2 is recomputed in
integers from the class rows (x = row / d_j, S_j the column sums, n_j the class size).
open-ball ((4.11), (5.4) as printed; B_delta(0) open as in Lemma 4.1): |Delta x_{0,j,i}| < delta for all j, i;
refuted by the witness point, |Delta x_{0,j,i}|^2 = delta^2 (exact).
closed-ball: |Delta x_{0,j,i}| <= delta for all j, i (proved; no refutation).
sup<delta ((4.55) as printed, l = 1): sup_{j,i} |Delta x_{0,j,i}| < delta; refuted by the same witness.
(4.55) in the induction step l = 2..Q, given its premises (4.51), (4.53) (classes j < l collapsed, Delta = 0; the
others untouched), so sup_{j,i} |Delta tau^(l-1)(x_{0,j,i})|^2 = max_{j >= l} delta_j^2 (delta_j: class j's largest
deviation).  The construction may collapse the classes in any order (the labels are arbitrary), so each reading is
for every order:
sup-all/equal: the sup over ALL classes, "=": max_{j >= l} delta_j = delta for every order and l >= 2, i.e. every
  class reaches delta (any class can be collapsed last); refuted by the witness class k_equal with delta_k < delta.
sup-from-l/less: the sup over the classes j >= l (the context of (4.53)), "< delta", for every order and l >= 2, i.e.
  no class reaches delta (any class can be second); refuted by the witness class k_less with delta_k = delta.
"""
from fractions import Fraction as F

from ..obligations import Eq, NonNeg, Pos
from . import deep_thm2_3 as T
from .deep_eq4_23 import index

CLAIM, READINGS = "deep.eq4.11", ("open-ball", "closed-ball", "sup<delta", "sup-all/equal", "sup-from-l/less")
SCHEMA = {"j": "rat", "i": "rat", "k_equal?": "rat", "k_less?": "rat"}
TAG = {"sup-all/equal": "sup over all j: ", "sup-from-l/less": "sup over j >= l: "}


def hypotheses(I):
    yield from T.hypotheses(I)


def deviations(I, j):
    """|Delta x_{0,j,i}|^2 for every point i of class j (exact, from the integer rows)."""
    X, d = I.P[j]
    n = len(X)
    S = [sum(col) for col in zip(*X)]
    return [F(sum((n * x - s) ** 2 for x, s in zip(row, S)), (n * d) ** 2) for row in X]


def conclusion(I, w, reading):
    d2 = max(T.geometry(I)[0])
    top = [max(deviations(I, j)) for j in range(I.Q)]
    if reading in ("sup-all/equal", "sup-from-l/less"):
        ob = Eq if reading == "sup-all/equal" else Pos
        yield from (ob(f"{TAG[reading]}class {j + 1}: delta_{j + 1}^2 {'=' if ob is Eq else '<'} delta^2",
                       *((t, d2) if ob is Eq else (d2 - t,))) for j, t in enumerate(top))
        return
    if reading == "sup<delta":
        yield Pos("sup_{j,i} |Delta x_0,j,i|^2 < delta^2", d2 - max(top))
        return
    ob = Pos if reading == "open-ball" else NonNeg
    yield from (ob(f"class {j + 1}: every |Delta x_0,{j + 1},i|^2 {'<' if ob is Pos else '<='} delta^2", d2 - t)
                for j, t in enumerate(top))


def refutation(I, w, reading):
    if reading in ("sup-all/equal", "sup-from-l/less"):
        x = w["k_equal" if reading == "sup-all/equal" else "k_less"]
        k = index(x, I.Q) if x is not None else None
        yield Pos("witness class k, 1 <= k <= Q", F(int(k is not None)))
        t, d2 = max(deviations(I, k)), max(T.geometry(I)[0])
        yield (Pos(f"{TAG[reading]}class {k + 1} collapsed last: delta_{k + 1}^2 < delta^2", d2 - t)
               if reading == "sup-all/equal" else Eq(f"{TAG[reading]}class {k + 1} second: delta_{k + 1}^2 = delta^2", t, d2))
        return
    if reading == "closed-ball":
        yield Pos("no refutation", F(0))
        return
    j = index(w["j"], I.Q)
    i = index(w["i"], len(I.P[j][0])) if j is not None else None
    yield Pos("witness (j, i) a data point", F(int(i is not None)))
    yield Eq(f"|Delta x_0,{j + 1},{i + 1}|^2 = delta^2 (the maximising deviation is not in the open ball)",
             deviations(I, j)[i], max(T.geometry(I)[0]))
