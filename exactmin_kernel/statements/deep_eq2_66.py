"""deep.eq2.66, (2.66) of arXiv:2309.10639v4: tau_{lambda W, lambda b} = tau_{W,b} for lambda > 0.

Hypotheses: M = Q.  Premises (witness): W (Q x Q) invertible, every lambda > 0.  tau_{W,b}(x) =
W^{-1}(sigma(W x + b) - b) (Definition 2.1, (2.37)), W^{-1} witnessed by an ``Inverse`` judgment.
default: tau_{lambda W, lambda b}(x) = tau_{W,b}(x) at every data point x, for each of the witness's four lambdas
(the identity holds for every x, by sigma(lambda z) = lambda sigma(z); the certificate checks the instance's
points).  Refuted by a nonzero difference.
every-x: the identity for EVERY x in R^Q and each of the four lambdas, from W V = I (``Inverse``) and lambda > 0:
  then (lambda W)(V / lambda) = I, and tau_{lambda W, lambda b}(x) = (V / lambda)(sigma(lambda (W x + b)) -
  lambda b) = (V / lambda)(lambda sigma(W x + b) - lambda b) = tau_{W,b}(x), by sigma(lambda z) = lambda sigma(z)
  for lambda > 0 (z > 0: both lambda z; z <= 0: both 0).  No refutation: the obligations hold whenever the
  premises do.
Witness: W, b, lambdas.
"""
from fractions import Fraction as F

from ..interp import det, ints, mv, scale
from ..linalg import inv
from ..obligations import Eq, Inverse, NonZero, Pos
from .deep_prop2_2 import affine, same

CLAIM, READINGS = "deep.eq2.66", ("default", "every-x")
SCHEMA = {"W": ("mat", "Q", "Q"), "b": ("vec", "Q"), "lambdas": ("vec", 4)}


def hypotheses(I):
    yield Eq("M=Q", I.M, I.Q)


def premises(I, w, reading):
    yield NonZero("det W", det(w["W"]))
    yield Pos("lambda > 0", w["lambdas"])


def tau(W, b, P):
    """(2.37) at every point of P, with W^{-1} checked."""
    Wi = inv(W)
    return Wi, affine(Wi, tuple(-x for x in mv(Wi, b)), affine(W, b, P, relu=True))


def obligations(I, w):
    P = ints([p for c in I.classes for p in c])
    W, b = w["W"], w["b"]
    Wi, base = tau(W, b, P)
    yield Inverse("W inverse", W, Wi)
    for lam in w["lambdas"]:
        lW, lb = tuple(tuple(lam * x for x in r) for r in W), tuple(lam * x for x in b)
        lWi, t = tau(lW, lb, P)
        yield Inverse(f"{lam} W inverse", lW, lWi)
        yield Eq(f"tau_(lambda W, lambda b) = tau_(W,b) at lambda = {lam}", *same(t, base))


def every_x(w):
    """W V = I and, per lambda (> 0 by the premises), (lambda W)(V / lambda) = I: the docstring's argument."""
    V = inv(w["W"])
    yield Inverse("W V = I", w["W"], V)
    yield from (Inverse(f"(lambda W)(V / lambda) = I at lambda = {lam}", scale(lam, w["W"]), scale(1 / lam, V))
                for lam in w["lambdas"])


def conclusion(I, w, reading):
    yield from obligations(I, w) if reading == "default" else every_x(w)


def refutation(I, w, reading):
    if reading != "default":       # every-x has no refutation (module docstring)
        return
    for ob in obligations(I, w):
        if isinstance(ob, Eq) and ob.a != ob.b:
            i, k = next((i, k) for i, (r, s) in enumerate(zip(ob.a, ob.b)) for k, (x, y) in enumerate(zip(r, s)) if x != y)
            yield NonZero(f"{ob.name}: point {i + 1}, coordinate {k + 1} differs", F(ob.a[i][k] - ob.b[i][k]))
            return
    yield Pos("a counterexample exists", F(0))
