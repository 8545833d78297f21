"""deep.eq2.61, (2.61)-(2.63) of arXiv:2309.10639v4: classification by the nearest collapsed mean in the metric
d(x, x') = |Y (X_0^red[mu])^-1 (x - x')|.

Hypotheses: those of deep.thm2.3.  Premise (witness mu), every reading but metric: mu in I_0 (as deep.eq2.68).
Witness: the construction's lambda, mu, tol, u~, f~_l, R_l (deep.thm2.3) and sample points (any rational points;
the library draws them seeded).  The construction (4.56)-(4.58) as in deep.eq2.68: c_j = xbar_j - mu f~_j,
X_0^red[mu] = [c_1 ... c_Q], W^(l) = W_* R_l, b^(l) = -W^(l) c_l; A = W^(L+1) = Y (X_0^red[mu])^-1, b^(L+1) = 0;
the network's layers from these cumulative maps by (2.45): W_1 = W^(1), W_l = W^(l) (W^(l-1))^-1,
b_l = b^(l) - W_l b^(l-1); tau = tau_{W^(Q),b^(Q)} o ... o tau_{W^(1),b^(1)} (2.37), (2.42), every inverse checked.
metric: d is a metric: det X_0^red[mu] != 0 and det A != 0 (the f~_l certified within tol; no premise on mu);
  refuted iff det X_0^red[mu] = 0 (two collapsed means coincide: A and d do not exist).
The other readings need, else undecided: det X_0^red[mu] != 0 and the construction certified (lambda, theta_*,
mu in I_0, u~, f~_l, R_l: ``certified`` of deep.eq2.68).
labels-at-apexes: A c_j = y_j for every j; refuted by a j with A c_j != y_j.
agrees-on-data: A c_j = y_j and network(x) = A tau(x) at every data point, so |network(x) - y_j| = |A tau(x) - A c_j|
  = d(tau(x), c_j) for every j: the argmin sets of (2.61) and of the network's nearest label agree (ties
  included); refuted by a j with A c_j != y_j or a point with network(x) != A tau(x).
agrees-on-samples: the same at the witness's sample points.
paper-network/<reading>: the paper's own network (exact f_j), for EVERY mu in I_0^Q and every admissible R_l
(deep_thm2_3_paper; no witness mu premise):
  metric: det X_0^red[mu] != 0 on all of I_0^Q (Xred-mu-GL-on-I0: a box covering I_0^Q with one det sign at its
  vertices; det Y != 0 is a hypothesis), so A = Y X_0^red[mu]^-1 and d exist and d is a metric; refuted by two
  points of I_0^Q with det X_0^red[mu] of opposite signs or 0 (refute_gl).
  classifies-data: every data point's argmin set in (2.61) is exactly its own class: (2.68) for the paper's network
  on all of I_0^Q (deep_eq2_68.paper, cumulative: tau(x) = c_j on class j) and the metric reading, so
  d(tau(x), c_k) = |A (c_j - c_k)| is 0 at k = j only; refuted by deep.thm2.3's merge (a mu* in I_0^Q where the
  classes of a set S end at one point for every admissible R_l: their points have one argmin set, which cannot be
  {j} for two j in S, whatever the output layer).
"""
from fractions import Fraction as F

from ..interp import det, forward_all, holds, ints, mm, mv, scale, sub, tr
from ..linalg import inv
from ..obligations import Eq, Inverse, NonZero, Pos, SqrtSumSign
from . import deep_thm2_3 as T
from . import deep_thm2_3_paper as P
from .deep_eq2_68 import certified, construction, margin, paper as ball_paper
from .deep_prop2_2 import cumulative, same

CLAIM = "deep.eq2.61"
READINGS = ("metric", "labels-at-apexes", "agrees-on-data", "agrees-on-samples", "paper-network/metric",
            "paper-network/classifies-data")
SCHEMA = dict({k: T.SCHEMA[k] for k in ("lambda", "mu", "tol", "u_tilde", "f_tilde", "R")},
              samples=("list", "*", ("vec", "Q")),
              **{k: P.SCHEMA[k] for k in ("mu_I0?", "box_s?", "gl_s?", "merge_s?", "merge_set?")})
hypotheses = T.hypotheses


def premises(I, w, reading):
    if reading != "metric" and not reading.startswith("paper-network/"):
        yield from T.premises(I, w, "L=Q")


def paper(I, w, reading):
    """paper-network/metric, /classifies-data for every mu in I_0^Q (the module docstring)."""
    if reading == "paper-network/classifies-data":
        yield from ball_paper(I, w, "cumulative")
    kappa = yield from T.theta(I, w)
    yield from P.nonempty(I, w, kappa)
    yield from P.box(I, w["box_s"], kappa)


def paper_refutation(I, w, reading):
    if reading == "paper-network/metric":
        yield from P.refute_gl(I, w)
    else:
        yield from P.merge(I, w)


def metric_matrix(I, w):
    """(X_0^red[mu], its determinant, A = Y X_0^red[mu]^-1 or None)."""
    C = tr(construction(I, w)[2])
    d = det(C)
    return C, d, mm(I.Y, inv(C)) if d else None


def maps(I, w, A):
    """The network's layers (2.45) and the tau steps (W^(l), W^(l)^-1, b^(l)), with the Inverse judgments."""
    Wc, bc, _ = construction(I, w)
    Wc, bc, Wl, bl, steps = Wc + [A], bc + [(F(0),) * I.K], [Wc[0]], [bc[0]], []
    for l in range(1, I.Q + 1):
        Vi = inv(Wc[l - 1])
        yield Inverse(f"W^({l}) inverse", Wc[l - 1], Vi)
        Wl.append(mm(Wc[l], Vi))                                                   # (2.45)
        bl.append(sub(bc[l], mv(Wl[-1], bc[l - 1])))
        steps.append(((Wc[l - 1], Vi), (bc[l - 1], scale(-1, mv(Vi, bc[l - 1])))))  # tau_{W^(l),b^(l)} (2.37)
    return Wl, bl, steps


def both(I, Wl, bl, steps, A, P):
    """(network outputs, A tau(x)) at every point of P = (integer rows, d), exactly."""
    T_ = P
    for Ws, bs in steps:
        T_ = forward_all(Ws, bs, T_)
    return forward_all(Wl, bl, P), forward_all((A,), ((F(0),) * I.K,), T_)


def collapses(I, w, j):
    """B_delta(xbar_j), which holds class j, satisfies W^(l) x + b^(l) >= 0 for l < j and <= 0 at l = j (the margins
    of deep.eq2.68, exact): sigma is the identity before layer j and kills layer j, so tau^(j)(x) = c_j and the hidden
    x^(j) = 0 on the whole class: both sides are constant there."""
    Wc, bc, _ = construction(I, w)
    return all(holds(SqrtSumSign("", margin(I, Wc[l], bc[l], j, k, 1 if l < j else -1), (0, 1))) is True
               for l in range(j + 1) for k in range(I.Q))


def agree(I, w, A, data):
    """One Eq per class (data; a class that collapses is decided by one of its points) or for the samples."""
    Wl, bl, steps = yield from maps(I, w, A)
    Wc, bc = cumulative((Wl, bl))
    T.geometry(I)                                                   # I.P: the classes as (integer rows, d)
    yield Pos("at least one sample", F(int(data or len(w["samples"]) > 0)))
    for j, P in (enumerate(I.P) if data else [(None, ints(w["samples"]))]):
        if data and (Wc[:I.Q], bc[:I.Q]) == tuple(construction(I, w)[:2]) and collapses(I, w, j):
            P = ([P[0][0]], P[1])
        out, At = both(I, Wl, bl, steps, A, P)
        yield Eq(f"network(x) = A tau(x) at every {'point of class ' + str(j + 1) if data else 'sample point'}", *same(out, At))


def obligations(I, w, reading):
    """The reading's obligations after the common part; the last one is the reading's identity."""
    C, d, A = metric_matrix(I, w)
    yield NonZero("det X0red[mu] != 0", d)
    for j in range(I.Q):
        yield Eq(f"A c_{j + 1} = y_{j + 1}", mv(A, tr(C)[j]), I.y(j))
    if reading != "labels-at-apexes":
        yield from agree(I, w, A, reading == "agrees-on-data")


def conclusion(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper(I, w, reading)
        return
    if reading == "metric":
        yield from T.construction(I, w)
        C, d, A = metric_matrix(I, w)
        yield from (NonZero("det X0red[mu] != 0", d), NonZero("det Y X0red[mu]^-1 != 0", det(A) if A else F(0)))
        return
    yield from certified(I, w)
    yield from obligations(I, w, reading)


def refutation(I, w, reading):
    if reading.startswith("paper-network/"):
        yield from paper_refutation(I, w, reading)
        return
    if reading == "metric":
        yield from T.construction(I, w)
        yield Eq("det X0red[mu] = 0 (d undefined)", metric_matrix(I, w)[1], 0)
        return
    yield from certified(I, w)
    for ob in obligations(I, w, reading):
        if isinstance(ob, Eq) and ob.a != ob.b:
            i = next(i for i, (x, y) in enumerate(zip(ob.a, ob.b)) if x != y)
            a, b = (ob.a[i], ob.b[i]) if isinstance(ob.a[i], tuple) else ((ob.a[i],), (ob.b[i],))
            yield NonZero(f"{ob.name} fails (entry {i + 1})", F(sum((x - y) ** 2 for x, y in zip(a, b))))
            return
        yield ob
    yield NonZero("a difference exists", F(0))
