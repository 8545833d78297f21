"""deep.prop2.2, Proposition 2.2 of arXiv:2309.10639v4 ((2.39)-(2.45)): hidden layers are cumulative truncation maps.

Hypotheses: M = Q.  Premises (witness): the network has L >= 1 hidden layers and every hidden W_l is invertible,
so tau_{W,b}(x) = W^{-1}(sigma(W x + b) - b) (Definition 2.1, (2.37)) is defined.
default, for the witness network and every data point x (the proposition holds for every network and every input;
the certificate checks it on the instance's points): with the cumulative maps (2.43) W^(l) = W_l W^(l-1),
b^(l) = W_l b^(l-1) + b_l,
  (2.45) W_l = W^(l) (W^(l-1))^{-1} and b_l = b^(l) - W_l b^(l-1) (W^(0) = 1, b^(0) = 0), the inverse witnessed by
         an ``Inverse`` judgment;
  (2.44) x^(l) = W^(l) tau^(l)(x) + b^(l), tau^(l) = tau_{W^(l),b^(l)} o tau^(l-1) (2.42), at every hidden layer;
  sigma(x^(l)) = x^(l) (the right side is >= 0);
  the output x^(L+1) = W^(L+1) tau^(L)(x) + b^(L+1).
Refuted by the first entry where an identity fails (a nonzero difference).
every-x: the same identities for EVERY input x in R^Q, proved by induction on l from one obligation per layer,
  W^(l) V_l = I (``Inverse``; (2.45) as in default).  For any y, W^(l) tau_{W^(l),b^(l)}(y) + b^(l) =
  W^(l) V_l (sigma(W^(l) y + b^(l)) - b^(l)) + b^(l) = sigma(W^(l) y + b^(l)).  Take y = tau^(l-1)(x): by (2.43)
  W^(l) y + b^(l) = W_l (W^(l-1) y + b^(l-1)) + b_l = W_l x^(l-1) + b_l (induction; x^(0) = x, W^(0) = 1), whose
  sigma is x^(l) >= 0, so sigma(x^(l)) = x^(l); the output is W_(L+1) x^(L) + b_(L+1) = W^(L+1) tau^(L)(x) +
  b^(L+1) by (2.43).  No refutation: the obligations hold whenever the premises do.
"""
from fractions import Fraction as F

from ..interp import det, eye, forward_all, ints, mm, mv
from ..linalg import inv
from ..obligations import Eq, Inverse, NonNeg, NonZero, Pos

CLAIM, READINGS = "deep.prop2.2", ("default", "every-x")
SCHEMA = {"network": ("net", "Q", "M", "K")}


def hypotheses(I):
    yield Eq("M=Q", I.M, I.Q)


def premises(I, w, reading):
    Ws = w["network"][0]
    yield Pos("L >= 1 hidden layers", F(len(Ws) - 1))
    yield from (NonZero(f"det W_{l + 1}", det(W)) for l, W in enumerate(Ws[:-1]))


def cumulative(net):
    """(2.43): W^(l) = W_l W^(l-1), b^(l) = W_l b^(l-1) + b_l."""
    Ws, bs = net
    Cw, Cb = [Ws[0]], [bs[0]]
    for W, b in zip(Ws[1:], bs[1:]):
        Cw.append(mm(W, Cw[-1]))
        Cb.append(tuple(x + y for x, y in zip(mv(W, Cb[-1]), b)))
    return Cw, Cb


def affine(W, b, P, relu=False):
    """W x + b (sigma applied when ``relu``) at every point of P = (integer rows, d), over one denominator."""
    X, d = forward_all([W], [b], P)
    return ([tuple(max(z, 0) for z in x) for x in X] if relu else X), d


def same(P, R):
    """P == R as rational matrices: cross-multiplied integer rows."""
    (X, d), (Y, e) = P, R
    return tuple(tuple(x * e for x in r) for r in X), tuple(tuple(y * d for y in r) for r in Y)


def layers(I, w):
    """Per hidden layer l: (x^(l) of the network, W^(l) tau^(l)(x) + b^(l)); and (output, W^(L+1) tau^(L) + b^(L+1))."""
    (Ws, bs), Cw, Cb = w["network"], *cumulative(w["network"])
    L, P = len(Ws) - 1, ints([p for c in I.classes for p in c])
    H, T, out = P, P, []
    for l in range(L):
        Wi = inv(Cw[l])
        H = affine(Ws[l], bs[l], H, relu=True)
        T = affine(Wi, tuple(-x for x in mv(Wi, Cb[l])), affine(Cw[l], Cb[l], T, relu=True))    # tau, (2.37)
        out.append((H, affine(Cw[l], Cb[l], T)))
    return out, (affine(Ws[L], bs[L], H), affine(Cw[L], Cb[L], T)), Cw, Cb


def identities_245(w, Cw, Cb):
    """(2.45): W_l = W^(l) (W^(l-1))^{-1}, b_l = b^(l) - W_l b^(l-1), the inverse witnessed."""
    (Ws, bs), prevW, prevb = w["network"], eye(len(Cw[0][0])), (F(0),) * len(Cw[0][0])
    for l in range(len(Ws)):
        Vi = inv(prevW)
        yield Inverse(f"W^({l}) inverse", prevW, Vi)
        Wl = mm(Cw[l], Vi)
        yield Eq(f"(2.45) W_{l + 1}", Wl, Ws[l])
        yield Eq(f"(2.45) b_{l + 1}", tuple(a - c for a, c in zip(Cb[l], mv(Wl, prevb))), bs[l])
        prevW, prevb = Cw[l], Cb[l]


def identities(I, w):
    hidden, output, Cw, Cb = layers(I, w)
    yield from identities_245(w, Cw, Cb)
    for l, (H, R) in enumerate(hidden):
        yield Eq(f"(2.44) layer {l + 1}", *same(H, R))
        yield NonNeg(f"sigma(x^({l + 1})) = x^({l + 1})", tuple(R[0]))
    yield Eq("output x^(L+1) = W^(L+1) tau^(L)(x) + b^(L+1)", *same(*output))


def every_x(w):
    """(2.45) and W^(l) V_l = I for every cumulative hidden W^(l): the induction in the docstring needs nothing else."""
    Cw, Cb = cumulative(w["network"])
    yield from identities_245(w, Cw, Cb)
    yield from (Inverse(f"W^({l + 1}) V_{l + 1} = I", W, inv(W)) for l, W in enumerate(Cw[:-1]))


def conclusion(I, w, reading):
    yield from identities(I, w) if reading == "default" else every_x(w)


def refutation(I, w, reading):
    """The first identity that fails, as a nonzero difference (or a negative entry for sigma(x) = x)."""
    if reading != "default":       # every-x has no refutation (module docstring)
        return
    for ob in identities(I, w):
        if isinstance(ob, Eq) and ob.a != ob.b:
            a, b = ob.a, ob.b
            while isinstance(a, tuple):
                k = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
                a, b = a[k], b[k]
            yield NonZero(ob.name + " differs", F(a) - F(b))
            return
        if isinstance(ob, NonNeg) and any(z < 0 for r in ob.e for z in r):
            yield Pos(ob.name + ": a negative entry", -F(min(z for r in ob.e for z in r)))
            return
    yield Pos("a counterexample exists", F(0))
