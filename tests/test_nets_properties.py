"""Property tests for exactmin.exact.intmat, exactmin.nets.network and exactmin.nets.truncation.

References (deep paper §2): (T1) σ(WX+B) = W τ(X) + B, (T4) closed form, (T5) idempotence, (2.66) positive
scaling, (T6) noise reduction, (T7) D·P symmetries, Proposition 2.2 / (2.43) / (2.45) cumulative parameters.
Every property compares two independently computed sides; the reference side is computed with plain
flint fmpq_mat arithmetic (never through IntMat / affine).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from flint import fmpq, fmpq_mat
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _strategies import mats, pack, rationals
from exactmin.exact.intmat import IntMat, affine
from exactmin.exact.orthogonal import cayley
from exactmin.nets.network import Network, from_cumulative, to_cumulative
from exactmin.nets.truncation import tau, tau_closed_form, tau_cumulative

FAST = settings(max_examples=150, deadline=None, derandomize=True)
SLOW = settings(max_examples=60, deadline=None, derandomize=True)

# ----------------------------------------------------------------------------------------------------------
# strategies



def pos_rationals(maxp: int = 20, maxq: int = 12):
    return st.builds(fmpq, st.integers(1, maxp), st.integers(1, maxq))



def invertible(q: int):
    return mats(q, q).filter(lambda M: M.det() != 0)



@st.composite
def intmats(draw, m: int, n: int | None = None, big: bool = True):
    """Random data IntMat: small numerators, sometimes huge ones (object dtype), random positive denominator."""
    if n is None:
        n = draw(st.integers(1, 6))
    small = st.integers(-60, 60)
    if big and draw(st.booleans()):
        elem = st.one_of(small, st.integers(-(2**70), 2**70), st.integers(2**62, 2**64))
    else:
        elem = small
    entries = draw(st.lists(elem, min_size=m * n, max_size=m * n))
    den = draw(st.one_of(st.integers(1, 30), st.integers(1, 10**9)))
    return pack(entries, m, n, den)


def col(X: IntMat, k: int) -> fmpq_mat:
    c = X.column(k)
    return fmpq_mat(len(c), 1, c)


@st.composite
def mixed_bias(draw, W: fmpq_mat, X: IntMat):
    """b = −W x_k + offset (pre-activations of mixed sign), sometimes a plain random bias."""
    q = W.nrows()
    if draw(st.integers(0, 4)) == 0:
        return draw(mats(q, 1))
    k = draw(st.integers(0, X.shape[1] - 1))
    offset = draw(mats(q, 1, maxp=3, maxq=4))
    return -(W * col(X, k)) + offset


@st.composite
def layer_case(draw, big: bool = True):
    """(W invertible Q×Q, b, X) with Q in 1..4."""
    q = draw(st.integers(1, 4))
    W = draw(invertible(q))
    X = draw(intmats(q, big=big))
    b = draw(mixed_bias(W, X))
    return W, b, X


# ----------------------------------------------------------------------------------------------------------
# independent flint references


def F(X: IntMat) -> fmpq_mat:
    return X.to_fmpq_mat()


def bcast(b: fmpq_mat, n: int) -> fmpq_mat:
    return fmpq_mat(b.nrows(), n, [b[i, 0] for i in range(b.nrows()) for _ in range(n)])


def relu_f(M: fmpq_mat) -> fmpq_mat:
    m, n = M.nrows(), M.ncols()
    return fmpq_mat(m, n, [max(M[i, j], fmpq(0)) for i in range(m) for j in range(n)])


def affine_f(W: fmpq_mat, b: fmpq_mat, Xf: fmpq_mat) -> fmpq_mat:
    return W * Xf + bcast(b, Xf.ncols())


def tau_f(W: fmpq_mat, b: fmpq_mat, Xf: fmpq_mat) -> fmpq_mat:
    """Definition 2.1 directly in flint."""
    B = bcast(b, Xf.ncols())
    return W.inv() * (relu_f(W * Xf + B) - B)


def forward_f(net: Network, Xf: fmpq_mat) -> fmpq_mat:
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        Xf = relu_f(affine_f(W, b, Xf))
    return affine_f(net.weights[-1], net.biases[-1], Xf)


def permute_cols(M: fmpq_mat, perm) -> fmpq_mat:
    """Column i of the result is column perm[i] of M."""
    m = M.nrows()
    return fmpq_mat(m, len(perm), [M[i, perm[j]] for i in range(m) for j in range(len(perm))])


def sqnorm_col(M: fmpq_mat, j: int) -> fmpq:
    return sum((M[i, j] ** 2 for i in range(M.nrows())), fmpq(0))


def perm_matrix(perm) -> fmpq_mat:
    n = len(perm)
    P = fmpq_mat(n, n)
    for i, p in enumerate(perm):
        P[i, p] = 1
    return P


def diag(ds) -> fmpq_mat:
    D = fmpq_mat(len(ds), len(ds))
    for i, d in enumerate(ds):
        D[i, i] = d
    return D


# ----------------------------------------------------------------------------------------------------------
# 1–5: truncation identities


@FAST
@given(layer_case())
def test_T1_layer_is_truncation_then_affine(case):
    W, b, X = case
    lhs = relu_f(affine_f(W, b, F(X)))
    rhs = affine_f(W, b, F(tau(W, b, X)))
    assert lhs == rhs


@FAST
@given(layer_case())
def test_tau_matches_definition_in_flint(case):
    W, b, X = case
    assert F(tau(W, b, X)) == tau_f(W, b, F(X))


@FAST
@given(layer_case())
def test_T4_closed_form(case):
    W, b, X = case
    assert F(tau(W, b, X)) == F(tau_closed_form(W, b, X))


@FAST
@given(layer_case())
def test_T5_idempotent(case):
    W, b, X = case
    T = tau(W, b, X)
    assert F(tau(W, b, T)) == F(T)
    assert F(tau_closed_form(W, b, T)) == F(T)


@FAST
@given(layer_case(), pos_rationals())
def test_266_positive_scaling_invariance(case, lam):
    W, b, X = case
    assert F(tau(lam * W, lam * b, X)) == F(tau(W, b, X))


@FAST
@given(layer_case(), pos_rationals())
def test_negative_scaling_identity(case, lam):
    """σ(−z) = σ(z) − z gives τ_{−λW,−λb}(x) = x − τ_{W,b}(x) − W^{-1} b for λ > 0 (so (2.66) needs λ > 0)."""
    W, b, X = case
    lhs = F(tau(-lam * W, -lam * b, X))
    rhs = F(X) - F(tau(W, b, X)) - bcast(W.inv() * b, X.shape[1])
    assert lhs == rhs


def test_266_negative_lambda_fails_hand_example():
    # Q = 1, W = 1, b = 0, x = 1:  τ_{1,0}(1) = σ(1) = 1,  τ_{−1,0}(1) = (−1)^{-1}(σ(−1) − 0) = 0.
    W, b = fmpq_mat(1, 1, [1]), fmpq_mat(1, 1, [0])
    X = IntMat(np.array([[1]], dtype=np.int64), 1)
    pos = F(tau(W, b, X))
    neg = F(tau(-1 * W, -1 * b, X))
    assert pos == fmpq_mat(1, 1, [1])
    assert neg == fmpq_mat(1, 1, [0])
    assert pos != neg
    # and with b ≠ 0, λ = −2: W = 1, b = −1/2, x = 1/4: τ_{W,b} = 1/2 ... hand-computed both sides
    W, b = fmpq_mat(1, 1, [1]), fmpq_mat(1, 1, [fmpq(-1, 2)])
    X = IntMat(np.array([[1]], dtype=np.int64), 4)
    # τ_{1,−1/2}(1/4) = σ(−1/4) + 1/2 = 1/2 ;  τ_{−2,1}(1/4) = (−1/2)(σ(1/2) − 1) = 1/4
    assert F(tau(W, b, X)) == fmpq_mat(1, 1, [fmpq(1, 2)])
    assert F(tau(-2 * W, -2 * b, X)) == fmpq_mat(1, 1, [fmpq(1, 4)])


def test_tau_hand_example_2d():
    # W = [[1, 1], [0, 2]], b = (−1, 1), x = (0, −1):  z = Wx + b = (−2, −1), σ(z) = 0,
    # τ = W^{-1}(0 − b) = W^{-1}(1, −1) = (3/2, −1/2).
    W = fmpq_mat(2, 2, [1, 1, 0, 2])
    b = fmpq_mat(2, 1, [-1, 1])
    X = IntMat(np.array([[0], [-1]], dtype=np.int64), 1)
    expect = fmpq_mat(2, 1, [fmpq(3, 2), fmpq(-1, 2)])
    assert F(tau(W, b, X)) == expect
    assert F(tau_closed_form(W, b, X)) == expect


@FAST
@given(st.data())
def test_T7_diagonal_permutation_symmetry(data):
    W, b, X = data.draw(layer_case())
    q = W.nrows()
    D = diag(data.draw(st.lists(pos_rationals(), min_size=q, max_size=q)))
    P = perm_matrix(data.draw(st.permutations(range(q))))
    DP = D * P
    assert F(tau(DP * W, DP * b, X)) == F(tau(W, b, X))


# ----------------------------------------------------------------------------------------------------------
# 6: Proposition 2.2 and cumulative parameters


@st.composite
def networks(draw, square: bool = True, max_L: int = 4, big: bool = False):
    """(net, X): L hidden layers (invertible Q×Q if square, else random widths), biases chosen from the
    previous layer's activations so that pre-activations have mixed signs; output layer out×width."""
    L = draw(st.integers(1, max_L))
    q0 = draw(st.integers(1, 4 if square else 3))
    X = draw(intmats(q0, big=big))
    Xf = F(X)
    weights, biases = [], []
    width = q0
    for _ in range(L):
        if square:
            W = draw(invertible(width))
        else:
            W = draw(mats(draw(st.integers(1, 4)), width, maxp=9, maxq=6))
        k = draw(st.integers(0, Xf.ncols() - 1))
        if draw(st.integers(0, 4)) == 0:
            b = draw(mats(W.nrows(), 1))
        else:
            xk = fmpq_mat(width, 1, [Xf[i, k] for i in range(width)])
            b = -(W * xk) + draw(mats(W.nrows(), 1, maxp=3, maxq=4))
        weights.append(W)
        biases.append(b)
        Xf = relu_f(affine_f(W, b, Xf))
        width = W.nrows()
    out = draw(st.integers(1, 3))
    weights.append(draw(mats(out, width)))
    biases.append(draw(mats(out, 1)))
    return Network(tuple(weights), tuple(biases)), X


@SLOW
@given(networks(square=True, big=True))
def test_forward_matches_flint_reference(case):
    net, X = case
    hidden = net.forward_hidden(X)
    assert len(hidden) == net.L
    Xf = F(X)
    for W, b, H in zip(net.weights, net.biases, hidden):
        Xf = relu_f(affine_f(W, b, Xf))
        assert F(H) == Xf
    assert F(net.forward(X)) == forward_f(net, F(X))


@SLOW
@given(networks(square=True, big=True))
def test_proposition_2_2(case):
    net, X = case
    L = net.L
    Wc, bc = to_cumulative(net)
    assert len(Wc) == len(bc) == L + 1
    taus = tau_cumulative(Wc[:L], bc[:L], X)
    hidden = net.forward_hidden(X)
    assert len(taus) == L
    for ell in range(L):
        assert F(hidden[ell]) == affine_f(Wc[ell], bc[ell], F(taus[ell]))
    assert F(net.forward(X)) == affine_f(Wc[L], bc[L], F(taus[L - 1]))
    # the truncations are themselves a chain of τ's, checked against Definition 2.1 in flint
    T = F(X)
    for ell in range(L):
        T = tau_f(Wc[ell], bc[ell], T)
        assert F(taus[ell]) == T


@SLOW
@given(networks(square=True))
def test_cumulative_is_composition_of_affine_maps(case):
    """(2.43): W^{(ℓ)} x + b^{(ℓ)} is the composition of the affine maps of layers 1..ℓ (no ReLU)."""
    net, X = case
    Wc, bc = to_cumulative(net)
    Xf = F(X)
    for ell, (W, b) in enumerate(zip(net.weights, net.biases)):
        Xf = affine_f(W, b, Xf)
        assert Xf == affine_f(Wc[ell], bc[ell], F(X))


@SLOW
@given(networks(square=True))
def test_cumulative_roundtrip(case):
    net, _ = case
    back = from_cumulative(*to_cumulative(net))
    assert back == net
    assert len(back.weights) == len(net.weights)
    for A, B in zip(back.weights + back.biases, net.weights + net.biases):
        assert A == B


@SLOW
@given(st.data())
def test_from_cumulative_then_to_cumulative(data):
    q = data.draw(st.integers(1, 4))
    L = data.draw(st.integers(1, 4))
    out = data.draw(st.integers(1, 3))
    Wc = [data.draw(invertible(q)) for _ in range(L)] + [data.draw(mats(out, q))]
    bc = [data.draw(mats(q, 1)) for _ in range(L)] + [data.draw(mats(out, 1))]
    net = from_cumulative(Wc, bc)
    Wc2, bc2 = to_cumulative(net)
    assert Wc2 == Wc and bc2 == bc


# ----------------------------------------------------------------------------------------------------------
# 7: metamorphic properties of the forward pass


@SLOW
@given(networks(square=False, big=True), st.data())
def test_forward_equivariant_under_column_permutation(case, data):
    net, X = case
    n = X.shape[1]
    perm = data.draw(st.permutations(range(n)))
    Xp = IntMat(X.num[:, perm], X.den)
    assert F(net.forward(Xp)) == permute_cols(F(net.forward(X)), perm)
    for Hp, H in zip(net.forward_hidden(Xp), net.forward_hidden(X)):
        assert F(Hp) == permute_cols(F(H), perm)


@SLOW
@given(networks(square=False), st.data())
def test_forward_invariant_under_positive_unit_rescaling(case, data):
    net, X = case
    ell = data.draw(st.integers(0, net.L - 1))
    W, b, Wn = (fmpq_mat(M) for M in (net.weights[ell], net.biases[ell], net.weights[ell + 1]))
    k = data.draw(st.integers(0, W.nrows() - 1))
    c = data.draw(pos_rationals())
    assume(c != 1)
    for j in range(W.ncols()):
        W[k, j] *= c
    b[k, 0] *= c
    for i in range(Wn.nrows()):
        Wn[i, k] /= c
    weights = list(net.weights)
    biases = list(net.biases)
    weights[ell], biases[ell], weights[ell + 1] = W, b, Wn
    net2 = Network(tuple(weights), tuple(biases))

    assert F(net2.forward(X)) == F(net.forward(X))


@SLOW
@given(networks(square=False), st.data())
def test_forward_invariant_under_hidden_unit_permutation(case, data):
    net, X = case
    ell = data.draw(st.integers(0, net.L - 1))
    width = net.weights[ell].nrows()
    P = perm_matrix(data.draw(st.permutations(range(width))))
    weights = list(net.weights)
    biases = list(net.biases)
    weights[ell] = P * net.weights[ell]
    biases[ell] = P * net.biases[ell]
    weights[ell + 1] = net.weights[ell + 1] * P.transpose()
    net2 = Network(tuple(weights), tuple(biases))
    assert F(net2.forward(X)) == F(net.forward(X))
    # the permuted layer's activations are the permuted activations
    assert F(net2.forward_hidden(X)[ell]) == P * F(net.forward_hidden(X)[ell])


def test_metamorphic_negative_control():
    # rescaling a hidden unit by c < 0 is NOT a symmetry: W1 = 1, b1 = 0, W2 = 1, b2 = 0, x = 1 → output 1;
    # with c = −1: σ(−1) = 0 → output 0.
    X = IntMat(np.array([[1]], dtype=np.int64), 1)
    one, zero = fmpq_mat(1, 1, [1]), fmpq_mat(1, 1, [0])
    net = Network((one, one), (zero, zero))
    flipped = Network((-1 * one, -1 * one), (zero, zero))
    assert F(net.forward(X)) == fmpq_mat(1, 1, [1])
    assert F(flipped.forward(X)) == fmpq_mat(1, 1, [0])


# ----------------------------------------------------------------------------------------------------------
# 8: IntMat


def as_object(X: IntMat) -> IntMat:
    return IntMat(X.num.astype(object), X.den)


@FAST
@given(st.data())
def test_intmat_int64_and_object_paths_agree(data):
    m = data.draw(st.integers(1, 4))
    q = data.draw(st.integers(1, 4))
    X = data.draw(intmats(m))
    W = data.draw(mats(q, m))
    b = data.draw(st.one_of(st.none(), mats(q, 1)))
    Xo = as_object(X)
    assert Xo.num.dtype == object
    assert F(Xo) == F(X)
    assert F(affine(W, b, Xo)) == F(affine(W, b, X))
    assert F(Xo.relu()) == F(X.relu())
    assert F(Xo.reduced()) == F(X.reduced())
    assert np.array_equal(Xo.sign(), X.sign())


@FAST
@given(st.data())
def test_intmat_reduced_preserves_value(data):
    m = data.draw(st.integers(1, 4))
    X = data.draw(intmats(m))
    g = data.draw(st.one_of(st.integers(1, 50), st.integers(1, 2**40)))
    # scale numerators and denominator by g: same value, non-reduced representation
    Xs = IntMat(X.num.astype(object) * g, X.den * g)
    for Y in (X, Xs, as_object(Xs)):
        R = Y.reduced()
        assert F(R) == F(Y)
        assert R.den > 0 and Y.den % R.den == 0
        # fully reduced: gcd of den and all numerators is 1
        assert math.gcd(R.den, *[int(v) for v in R.num.reshape(-1)]) == 1


@FAST
@given(st.data())
def test_affine_matches_flint(data):
    m = data.draw(st.integers(1, 4))
    q = data.draw(st.integers(1, 4))
    X = data.draw(intmats(m))
    W = data.draw(mats(q, m))
    b = data.draw(mats(q, 1))
    Z = affine(W, b, X)
    assert Z.shape == (q, X.shape[1])
    assert Z.den > 0
    assert F(Z) == affine_f(W, b, F(X))
    assert F(affine(W, None, X)) == W * F(X)
    # int64 results never hold entries at or beyond the documented headroom bound
    if Z.num.dtype != object:
        assert all(abs(int(v)) < 2**63 for v in Z.num.reshape(-1))


@FAST
@given(st.data())
def test_intmat_relu_sign_roundtrip(data):
    m = data.draw(st.integers(1, 4))
    X = data.draw(intmats(m))
    Xf = F(X)
    assert F(X.relu()) == relu_f(Xf)
    s = X.sign()
    for i in range(Xf.nrows()):
        for j in range(Xf.ncols()):
            v = Xf[i, j]
            assert s[i, j] == (1 if v > 0 else -1 if v < 0 else 0)
    assert F(IntMat.from_fmpq_mat(Xf)) == Xf
    for k in range(Xf.ncols()):
        assert X.equals_columns([Xf[i, k] for i in range(Xf.nrows())], slice(k, k + 1))


def test_intmat_rejects_nonpositive_denominator():
    with pytest.raises(ValueError):
        IntMat(np.zeros((1, 1), dtype=np.int64), 0)
    with pytest.raises(ValueError):
        IntMat(np.zeros((1, 1), dtype=np.int64), -3)


# Regression: affine's int64 fast path used to multiply int64 arrays by the Python ints db and dW·dX without
# bounding them (max|bn| = 0 or max|Xn| = 0 made the bound vacuous) → OverflowError for denominators ≥ 2^63.
@pytest.mark.parametrize(
    "W, b, X",
    [
        (fmpq_mat(1, 1, [1]), None, IntMat(np.array([[3]], dtype=np.int64), 2**70)),
        (fmpq_mat(1, 1, [1]), fmpq_mat(1, 1, [0]), IntMat(np.array([[3]], dtype=np.int64), 2**70)),
        (fmpq_mat(1, 1, [1]), fmpq_mat(1, 1, [fmpq(1, 2**70)]), IntMat(np.array([[0]], dtype=np.int64), 1)),
    ],
)
def test_affine_huge_scalar_denominators(W, b, X):
    expect = affine_f(W, b if b is not None else fmpq_mat(1, 1), F(X))
    assert F(affine(W, b, X)) == expect


def test_tau_zero_bias_huge_denominator():
    W, b = fmpq_mat(1, 1, [2]), fmpq_mat(1, 1, [0])
    X = IntMat(np.array([[-3]], dtype=np.int64), 2**63 + 1)
    # τ_{2,0}(x) = σ(x) for x = −3/(2^63+1) < 0: τ = 0
    assert F(tau(W, b, X)) == fmpq_mat(1, 1, [0])


# Regression: IntMat.reduced() on an all-zero int64 array with den ≥ 2^63 computed int64_array // den
# (g = gcd(den, 0) = den) → OverflowError; reached from affine whenever a whole output is 0 over a huge den.
@pytest.mark.parametrize("den", [2**62, 2**63, 2**70])
def test_reduced_all_zero_huge_denominator(den):
    X = IntMat(np.zeros((2, 3), dtype=np.int64), den)
    R = X.reduced()
    assert F(R) == fmpq_mat(2, 3) and R.den == 1


def test_affine_zero_data_huge_denominator():
    X = IntMat(np.zeros((1, 2), dtype=np.int64), 2**63 + 5)
    W = fmpq_mat(1, 1, [3])
    assert F(affine(W, None, X)) == fmpq_mat(1, 2)


# Regression: affine's overflow bound max|Wn|·db·max|Xn|·k + extra is 0 when X is all zero, so the int64 path
# ran ``Wn.astype(np.int64)`` with a weight numerator ≥ 2^63 → OverflowError (dead hidden layer, large weights).
@pytest.mark.parametrize("b", [None, fmpq_mat(1, 1, [1])])
def test_affine_huge_weights_zero_data(b):
    W = fmpq_mat(1, 1, [2**70])
    X = IntMat(np.zeros((1, 1), dtype=np.int64), 1)
    expect = affine_f(W, b if b is not None else fmpq_mat(1, 1), F(X))
    assert F(affine(W, b, X)) == expect


def test_forward_dead_layer_then_huge_weights():
    # layer 1: σ(−x − 1) = 0 for x = 1 (dead); output layer weight 2^70, bias 1 → output 1.
    net = Network(
        (fmpq_mat(1, 1, [-1]), fmpq_mat(1, 1, [2**70])),
        (fmpq_mat(1, 1, [-1]), fmpq_mat(1, 1, [1])),
    )
    X = IntMat(np.array([[1]], dtype=np.int64), 1)
    assert F(net.forward(X)) == fmpq_mat(1, 1, [1])


# ----------------------------------------------------------------------------------------------------------
# 9: (T6) noise reduction


@st.composite
def skew(draw, q: int):
    K = fmpq_mat(q, q)
    for i in range(q):
        for j in range(i + 1, q):
            v = draw(rationals(9, 6))
            K[i, j] = v
            K[j, i] = -v
    return K


@FAST
@given(st.data())
def test_T6_noise_reduction_orthogonal(data):
    q = data.draw(st.integers(1, 4))
    W = cayley(data.draw(skew(q)))
    X = data.draw(intmats(q, n=data.draw(st.integers(2, 6))))
    b = data.draw(mixed_bias(W, X))
    Xf, Tf = F(X), F(tau(W, b, X))
    n = Xf.ncols()
    for i in range(n):
        for j in range(i + 1, n):
            dT = fmpq_mat(q, 1, [Tf[r, i] - Tf[r, j] for r in range(q)])
            dX = fmpq_mat(q, 1, [Xf[r, i] - Xf[r, j] for r in range(q)])
            assert sqnorm_col(dT, 0) <= sqnorm_col(dX, 0)


@FAST
@given(layer_case())
def test_T6_noise_reduction_general_W(case):
    """|W(τx − τx')| ≤ |W(x − x')| for any invertible W."""
    W, b, X = case
    WX, WT = W * F(X), W * F(tau(W, b, X))
    n = WX.ncols()
    q = W.nrows()
    for i in range(n):
        for j in range(i + 1, n):
            dT = sum(((WT[r, i] - WT[r, j]) ** 2 for r in range(q)), fmpq(0))
            dX = sum(((WX[r, i] - WX[r, j]) ** 2 for r in range(q)), fmpq(0))
            assert dT <= dX
