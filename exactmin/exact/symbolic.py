"""SymPy proofs, for generic symbolic entries, of identities the deep paper (arXiv:2309.10639v4) uses for all
inputs (issue 16 item 5): the claims' ``.../symbolic`` readings cite them, next to the exact instance checks.

Each proof is a polynomial identity over QQ in generic symbols (SymPy's sparse ``PolyRing``: expanded and compared
with 0), one per dimension d = 1..:data:`BOUNDS` (per proof).  Where a step needs a hypothesis (an inverse exists),
the identity is an *ideal-membership certificate*: the difference of the two sides is written out as an explicit
combination of the hypothesis polynomials (B A - I, Z C - I, ...), and SymPy checks that combination term by term.
Nothing is sampled.

Sums over the points of a class (or over all points, weighted by 1/N_j) are handled by the *sum rule*
:func:`_sum_rule`: a polynomial of degree <= 2 in the variables of one generic point p_i, with coefficients that do
not depend on i, is summed by linearity into the class moments (n = N_j, s = sum_i p_i, m = sum_i p_i p_i^T; or the
weighted second moments of the whole measure).  So the class sizes N_j are a *symbol* (every N_j >= 1) and the
number of points is arbitrary; the bound is on the dimension d (Q, and K = rows of Y) only.  A proof for d rows
of Y covers fewer rows too (set the extra rows to 0 in the polynomial identity).

Proved (each returns True when the identity expands to 0; the ``wrong`` variants exist so the tests can see a
false identity rejected):

* :func:`cost_norm` (2.36): per class, sum_i |x_i - y|^2 = Tr((X_j - y u^T)(X_j - y u^T)^T) = sum_i |x_i|^2 - 2 y.s
  + n |y|^2; divided by N_j and summed over j this is C_N^2 = |X^(L+1) - Y^ext|^2_{L^2_N} with N = diag(N_j 1) in
  the moment form nets/cost.py's least squares uses.
* :func:`projector` (2.53): P = N^-1 X^T B X with B A = A B = I, A = X N^-1 X^T: P^2 = P, P N^-1 = N^-1 P^T,
  P^T X^T = X^T (so range P^T = rowspace X, as range P^T lies in it by its form), (UP, V) = (U, VP) with
  (U, V) = Tr(U N^-1 V^T).
* :func:`projection_formula` (2.54) line 2 with P from tau(X_0) (2.55): |Y^ext P^perp|^2_N = Tr(Y D2 (1+D2)^-1 Y^T)
  with C = [tbar_j], S = sum_j N_j^-1 sum_i (t - tbar_j)(t - tbar_j)^T, D2 = C^-1 S C^-T.
* :func:`cauchy_schwarz` (Lemma 4.1 (4.6), Lemma 5.1 (5.1)): Lagrange's identity |w|^2 |x|^2 - (w.x)^2 =
  sum_{a<b} (w_a x_b - w_b x_a)^2 for w, x in R^d; with |row_r W| <= ||W||_op (a diagonal entry of the PSD
  ||W||^2 I - W W^T) it gives |(Wx)_r| <= ||W||_op |x| <= ||W||_op delta < |mu| / 2 on the closed ball.
* :func:`ramp` : sigma(z) = max(z, 0) is 0 for z <= 0 and z for z >= 0, and sigma(lam z) = lam sigma(z) for lam > 0,
  by the two cases z > 0, z <= 0 (SymPy's Max with sign-assumed symbols).

SymPy is imported inside the functions (never at import of this module), results are cached per dimension.
"""
from __future__ import annotations

import time
from functools import lru_cache

# each proof is run for every dimension d = 1..BOUNDS[name] (Q, or K = rows of Y); chosen so that each claim's
# proofs take about 2 s or less (P-from-tau at d = 4 would take minutes)
BOUNDS = {"cost-norm": 6, "P-projector": 4, "P-from-tau": 3, "cauchy-schwarz": 6}


# ------------------------------------------------------------------------------------------------ polynomial algebra

class _Alg:
    """A polynomial ring over QQ with named generators and list-of-rows matrices of its elements."""

    def __init__(self, names):
        from sympy import QQ
        from sympy.polys.rings import ring
        self.R, *gens = ring(",".join(names), QQ)
        self.g = dict(zip(names, gens))
        self.index = {n: k for k, n in enumerate(names)}

    def vec(self, name, d):
        return [self.g[f"{name}{a}"] for a in range(d)]

    def mat(self, name, r, c, sym=False):
        return [[self.g[f"{name}{min(a, b)}_{max(a, b)}" if sym else f"{name}{a}_{b}"] for b in range(c)] for a in range(r)]

    def eye(self, d):
        return [[self.R.one if a == b else self.R.zero for b in range(d)] for a in range(d)]


def _names_vec(name, d):
    return [f"{name}{a}" for a in range(d)]


def _names_mat(name, r, c, sym=False):
    return [f"{name}{a}_{b}" for a in range(r) for b in range(c) if not sym or a <= b]


def mm(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), 0 * A[0][0]) for j in range(len(B[0]))] for i in range(len(A))]


def madd(*Ms):
    return [[sum(xs[1:], xs[0]) for xs in zip(*rows)] for rows in zip(*Ms)]


def msub(A, B):
    return [[a - b for a, b in zip(r, s)] for r, s in zip(A, B)]


def tr(A):
    return [list(c) for c in zip(*A)]


def trace(A):
    return sum((A[i][i] for i in range(len(A))), 0 * A[0][0])


def col(v):
    return [[x] for x in v]


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), 0 * u[0])


def _zero(M) -> bool:
    return all(e == 0 for r in M for e in r) if isinstance(M, list) else M == 0


def _sum_rule(alg, f, point, moments):
    """sum_i f(p_i) by linearity: ``point`` are the generator names of the generic point p_i, ``moments`` maps an
    exponent pattern of those generators (a tuple of names, sorted, length 0..2) to the ring element it sums to
    (n, s_a, m_ab, ...).  f must have degree <= 2 in the point's variables (ValueError otherwise)."""
    pos = [alg.index[n] for n in point]
    out = alg.R.zero
    for mon, c in f.terms():
        key = tuple(sorted(n for n, k in zip(point, pos) for _ in range(mon[k])))
        if key not in moments:
            raise ValueError(f"sum rule: no moment for {key}")
        rest = list(mon)
        for k in pos:
            rest[k] = 0
        out += alg.R({tuple(rest): c}) * moments[key]
    return out


# ---------------------------------------------------------------------------------------------------- the proofs

@lru_cache(maxsize=None)
def cost_norm(d: int, wrong: bool = False) -> bool:
    """(2.36) for points in R^d, any N_j (symbol n): per class sum_i |x_i - y|^2 equals the trace form
    Tr(A A^T), A = [x_i - y]_i, and the moment form sum_i |x_i|^2 - 2 y.s + n |y|^2.  ``wrong``: 2 n |y|^2."""
    names = _names_vec("x", d) + _names_vec("y", d) + _names_vec("s", d) + [f"m{a}" for a in range(d)] + ["n"]
    al = _Alg(names)
    x, y, s, n = al.vec("x", d), al.vec("y", d), al.vec("s", d), al.g["n"]
    mom = {(): n, **{(f"x{a}",): s[a] for a in range(d)}, **{(f"x{a}", f"x{a}"): al.g[f"m{a}"] for a in range(d)}}
    pts = [f"x{a}" for a in range(d)]
    a = [xi - yi for xi, yi in zip(x, y)]
    direct = _sum_rule(al, dot(a, a), pts, mom)                       # sum_i |x_i - y|^2
    trace_form = _sum_rule(al, trace(mm(col(a), tr(col(a)))), pts, mom)   # Tr(sum_i a_i a_i^T) = Tr(A A^T)
    moment = sum((al.g[f"m{k}"] for k in range(d)), al.R.zero) - 2 * dot(y, s) + (2 if wrong else 1) * n * dot(y, y)
    return direct - trace_form == 0 and direct - moment == 0


def _measure(d, extra=()):
    """Names of the generic points p (x), q, r (each with the vectors ``extra``) and of the weighted second moments
    of the measure sum_l w_l (.)(.)^T over the variables of one point (symmetric in the pair)."""
    groups = ["x"] + list(extra)
    var = [f"{g}{a}" for g in groups for a in range(d)]
    mom = {}
    for i, u in enumerate(var):
        for v in var[i:]:
            mom[tuple(sorted((u, v)))] = "M" + "_".join(sorted((u, v)))
    return var, mom


@lru_cache(maxsize=None)
def projector(d: int, wrong: bool = False) -> bool:
    """(2.53) for X with d rows and any number of points and weights w_l = 1/N_j (moments A = sum w x x^T):
    P^2 = P, P N^-1 = N^-1 P^T, P^T X^T = X^T and (UP, V) = (U, VP), given B A = A B = I.  ``wrong``: P^2 = 2P."""
    var, mom = _measure(d, ("u", "v"))
    pts = {t: [f"{t}{g}{a}" for g in "xuv" for a in range(d)] for t in "ikl"}   # points i, k and the summed l
    names = sorted(set(mom.values())) + _names_mat("B", d, d) + [v for t in "ikl" for v in pts[t]]
    al = _Alg(names)
    B, I = al.mat("B", d, d), al.eye(d)
    M = (lambda u, v: [[al.g[mom[tuple(sorted((f"{u}{a}", f"{v}{b}")))]] for b in range(d)] for a in range(d)])  # noqa: E731
    A = M("x", "x")
    pt = (lambda t, g: al.vec(f"{t}{g}", d))                         # noqa: E731
    xi, xk, xl = pt("i", "x"), pt("k", "x"), pt("l", "x")
    Bv = (lambda u, v: dot(u, [dot(r, v) for r in B]))               # u^T B v   # noqa: E731
    ml = {tuple(sorted((f"l{u}", f"l{v}"))): al.g[m] for (u, v), m in mom.items()}
    S = (lambda f: _sum_rule(al, f, pts["l"], ml))                   # sum_l w_l f(p_l)   # noqa: E731
    BA_I, AB_I = msub(mm(B, A), I), msub(mm(A, B), I)
    skew = madd(mm(tr(B), msub(I, mm(A, B))), mm(tr(AB_I), B))       # = B^T - B when A = A^T; in the ideal
    # P_il = w_i x_i^T B x_l; P^2 - P entry (i, k) over w_i: sum_l (x_i^T B x_l)(w_l x_l^T B x_k) - x_i^T B x_k
    sq = S(Bv(xi, xl) * Bv(xl, xk)) - (2 if wrong else 1) * Bv(xi, xk) - dot(xi, [dot(r, xk) for r in mm(BA_I, B)])
    # P N^-1 - N^-1 P^T entry (i, k) over w_i w_k: x_i^T B x_k - x_k^T B x_i = x_i^T (B - B^T) x_k = -x_i^T skew x_k
    sym = Bv(xi, xk) - Bv(xk, xi) + dot(xi, [dot(r, xk) for r in skew])
    # (P^T X^T) row i: sum_l P_li x_l^T = sum_l w_l (x_l^T B x_i) x_l^T = (A B x_i)^T; minus x_i^T is ((AB - I) x_i)^T
    rng = [S(Bv(xl, xi) * xl[a]) - xi[a] - dot(AB_I[a], xi) for a in range(d)]
    # (UP, V) = sum_i w_i v_i^T sum_k w_k u_k (x_k^T B x_i); (U, VP) = sum_k w_k u_k^T sum_i w_i v_i (x_i^T B x_k)
    Mux, Mvx = M("u", "x"), M("v", "x")
    up = _sum_rule(al, dot(pt("i", "v"), [dot(r, [dot(b, xi) for b in B]) for r in Mux]), pts["i"],
                   {tuple(sorted((f"i{u}", f"i{v}"))): al.g[m] for (u, v), m in mom.items()})
    vp = _sum_rule(al, dot(pt("k", "u"), [dot(r, [dot(b, xk) for b in B]) for r in Mvx]), pts["k"],
                   {tuple(sorted((f"k{u}", f"k{v}"))): al.g[m] for (u, v), m in mom.items()})
    pair = up - vp + trace(mm(mm(Mux, skew), tr(Mvx)))               # up - vp = Tr(Mux (B - B^T) Mvx^T), skew = B^T - B
    return sq == 0 and sym == 0 and all(e == 0 for e in rng) and pair == 0


@lru_cache(maxsize=None)
def projection_formula(d: int, k: int | None = None, wrong: bool = False) -> bool:
    """(2.54) line 2 with P from T = tau(X_0) (up to W^(L), which cancels), Q = d classes, Y: k x d (k = d when None),
    any N_j: |Y^ext P^perp|^2_N = Tr(Y D2 (1 + D2)^-1 Y^T), given Z C = C Z = I (Z = C^-1), G B = B G = I
    (B = (T N^-1 T^T)^-1) and E D = D E = I (E = (1 + D2)^-1, D = 1 + D2).  ``wrong``: D2 = Z S (no C^-T)."""
    k = d if k is None else k
    names = (["n"] + _names_vec("t", d) + _names_vec("s", d) + _names_mat("m", d, d, sym=True)
             + [f"c{j}_{a}" for j in range(d) for a in range(d)] + [f"S{j}_{a}_{b}" for j in range(d) for a in range(d)
                                                                    for b in range(a, d)]
             + _names_mat("Z", d, d) + _names_mat("B", d, d) + _names_mat("E", d, d) + _names_mat("Y", k, d) + _names_vec("q", d)
             + _names_mat("U", d, d, sym=True))
    al = _Alg(names)
    I = al.eye(d)
    # class level (any N_j = n): sum_i (t_i - c)(t_i - c)^T = m - n c c^T once s = n c, i.e. m / n = c c^T + S_j
    n, t, c0 = al.g["n"], al.vec("t", d), al.vec("c0_", d)
    mom = {(): n, **{(f"t{a}",): n * c0[a] for a in range(d)},
           **{tuple(sorted((f"t{a}", f"t{b}"))): al.g[f"m{min(a, b)}_{max(a, b)}"] for a in range(d) for b in range(d)}}
    pts = [f"t{a}" for a in range(d)]
    dev = [ti - ci for ti, ci in zip(t, c0)]
    cov = [[_sum_rule(al, dev[a] * dev[b], pts, mom) for b in range(d)] for a in range(d)]
    ok_class = _zero(msub(cov, [[al.g[f"m{min(a, b)}_{max(a, b)}"] - n * c0[a] * c0[b] for b in range(d)] for a in range(d)]))
    # the whole measure: class j has mean c_j and covariance S_j (m_j / N_j = c_j c_j^T + S_j, shown above)
    cs = [[al.g[f"c{j}_{a}"] for a in range(d)] for j in range(d)]
    Sj = [[[al.g[f"S{j}_{min(a, b)}_{max(a, b)}"] for b in range(d)] for a in range(d)] for j in range(d)]
    C = tr(cs)                                                        # columns c_j
    G = madd(*(madd(mm(col(c), tr(col(c))), Sj[j]) for j, c in enumerate(cs)))   # T N^-1 T^T = sum_j m_j / N_j
    Y, Z, B, E = al.mat("Y", k, d), al.mat("Z", d, d), al.mat("B", d, d), al.mat("E", d, d)
    ys = tr(Y)                                                        # y_j = column j of Y
    R = madd(*(mm(col(y), tr(col(c))) for y, c in zip(ys, cs)))      # Y^ext N^-1 T^T = sum_j y_j c_j^T
    # |Y^ext (1 - P)|^2_N: column i of Y^ext P is R B t_i, so per class j (sum rule, point q, mean c_j, cov S_j):
    # N_j^-1 sum_i |y_j - R B t_i|^2 = |y_j|^2 - 2 y_j^T R B c_j + Tr(R B (c_j c_j^T + S_j) B^T R^T)
    q = al.vec("q", d)
    RB = mm(R, B)
    norm = al.R.zero
    for y, c, Sc in zip(ys, cs, Sj):
        r = [yi - e for yi, e in zip(y, [dot(row, q) for row in RB])]
        mq = {(): al.R.one, **{(f"q{a}",): c[a] for a in range(d)},
              **{tuple(sorted((f"q{a}", f"q{b}"))): c[a] * c[b] + Sc[a][b] for a in range(d) for b in range(d)}}
        norm += _sum_rule(al, dot(r, r), [f"q{a}" for a in range(d)], mq)
    # (i) the regrouping (no hypothesis): norm = Tr(Y (I - 2 C^T B C + C^T B G B^T C) Y^T)
    CT = tr(C)
    K0 = madd(I, [[-2 * e for e in r] for r in mm(mm(CT, B), C)], mm(mm(mm(mm(CT, B), G), tr(B)), C))
    ok_sum = norm - trace(mm(mm(Y, K0), tr(Y))) == 0
    # (ii) K0 - D2 E is in the ideal (generic C, symmetric S, G = C C^T + S (= sum_j (c_j c_j^T + S_j)), Z, B, E), so
    # norm - Tr(Y D2 E Y^T) = Tr(Y (K0 - D2 E) Y^T) = 0.  The certificate: K0 - D2 E equals
    #   C^T[(BG - I)B^T + B^T(I - GB) + ((GB)^T - I)B]C + (I - DE) - (I - ED)C^T B C
    #   - E[(I - ZC) D C^T - Z((I - CZ)S + CZ S (I - CZ)^T)] B C - E Z (GB - I) C - E (ZC - I)
    S = al.mat("U", d, d, sym=True)                                  # generic symmetric S; G = C C^T + S
    G = madd(mm(C, CT), S)
    K0 = madd(I, [[-2 * e for e in r] for r in mm(mm(CT, B), C)], mm(mm(mm(mm(CT, B), G), tr(B)), C))
    D2 = mm(Z, S) if wrong else mm(mm(Z, S), tr(Z))
    D = madd(I, D2)
    neg = (lambda M: [[-e for e in r] for r in M])                   # noqa: E731
    BG_I, GB_I, ZC_I = msub(mm(B, G), I), msub(mm(G, B), I), msub(mm(Z, C), I)
    cert = madd(mm(mm(CT, madd(mm(BG_I, tr(B)), mm(tr(B), neg(GB_I)), mm(tr(GB_I), B))), C),
                msub(I, mm(D, E)), neg(mm(mm(mm(msub(I, mm(E, D)), CT), B), C)),
                neg(mm(mm(mm(E, msub(mm(neg(ZC_I), mm(D, CT)),
                                     mm(Z, madd(mm(msub(I, mm(C, Z)), S), mm(mm(mm(C, Z), S), msub(I, tr(mm(C, Z)))))))), B), C)),
                neg(mm(mm(mm(E, Z), GB_I), C)), neg(mm(E, ZC_I)))
    return ok_class and ok_sum and _zero(msub(msub(K0, mm(D2, E)), cert))


@lru_cache(maxsize=None)
def cauchy_schwarz(d: int, wrong: bool = False) -> bool:
    """Lagrange's identity in R^d: |w|^2 |x|^2 - (w.x)^2 = sum_{a<b} (w_a x_b - w_b x_a)^2 (a sum of squares, so
    |w.x| <= |w| |x|).  ``wrong``: (w_a x_b + w_b x_a)^2 (false for d >= 2)."""
    al = _Alg(_names_vec("w", d) + _names_vec("x", d))
    w, x = al.vec("w", d), al.vec("x", d)
    sg = 1 if wrong else -1
    sos = sum(((w[a] * x[b] + sg * w[b] * x[a]) ** 2 for a in range(d) for b in range(a + 1, d)), al.R.zero)
    return dot(w, w) * dot(x, x) - dot(w, x) ** 2 - sos == 0


@lru_cache(maxsize=None)
def ramp(wrong: bool = False) -> bool:
    """sigma = max(., 0): sigma(z) = 0 for z <= 0, sigma(z) = z for z >= 0, and sigma(lam z) = lam sigma(z) for
    lam > 0, in both cases z > 0 and z <= 0.  ``wrong``: lam only nonzero (fails for lam < 0)."""
    import sympy as sp
    lam = sp.Symbol("lam", nonzero=True, real=True) if wrong else sp.Symbol("lam", positive=True)
    p, nn = sp.Symbol("p", positive=True), sp.Symbol("nn", nonnegative=True)
    sig = (lambda e: sp.Max(e, 0))                                   # noqa: E731
    cases = [sig(-nn), sig(nn) - nn] + [sig(lam * z) - lam * sig(z) for z in (p, -nn)]
    return all(sp.simplify(e) == 0 for e in cases)


# -------------------------------------------------------------------------------------------- readings' use

PROOFS = {"cost-norm": ("(2.36)", cost_norm), "P-projector": ("(2.53)", projector),
          "P-from-tau": ("(2.54)-(2.55)", projection_formula), "cauchy-schwarz": ("Lemma 4.1/5.1", cauchy_schwarz)}


@lru_cache(maxsize=None)
def proved_up_to(name: str) -> tuple[int, float]:
    """(largest d <= BOUNDS[name] such that the proof ``name`` holds for every dimension 1..d, seconds taken)."""
    t0, f, top = time.perf_counter(), PROOFS[name][1], 0
    for d in range(1, BOUNDS[name] + 1):
        if not f(d):
            break
        top = d
    if name == "cauchy-schwarz" and not ramp():
        top = 0
    return top, time.perf_counter() - t0


def symbolic_verdict(name: str, dim: int, label: str, what: str):
    """(verdict word, reason) of a ``symbolic`` reading at dimension ``dim``, named ``label`` ("Q", "max(Q, K)")."""
    top, _ = proved_up_to(name)
    ref, nj = PROOFS[name][0], "" if name == "cauchy-schwarz" else " and every N_j"
    if dim <= top:
        return "proved", (f"{what}: SymPy identity for generic symbolic entries, every {label} <= {top}{nj} "
                          f"(here {label} = {dim}; exactmin/exact/symbolic.py, {ref}); exact instance re-check beside it")
    return "undecided", (f"{label} beyond the symbolic bound: the SymPy proof of {ref} covers {label} <= {top}{nj}; "
                         f"here {label} = {dim}")
