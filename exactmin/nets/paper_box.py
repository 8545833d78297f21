"""Theorem 2.3 on the whole box I_0^Q for the PAPER's network (exact f_j), arXiv:2309.10639v4 (2.58), (4.26),
remark after (2.62), (4.59).

The paper's collapse point c_j = x̄_{0,j} − µ_j f_j with f_j = v_j/|v_j| (v_j = x̄ − x̄_{0,j}) is irrational for a
rational µ_j.  Parametrised by µ_j = −s_j|v_j| it is rational: c_j = x̄_{0,j} + s_j v_j, and t_j = −µ_j has the
rational square s_j²|v_j|².  So every test below is exact (signed sums of square roots, decided by squares):

* µ_j ∈ I_0 ⟺ s_j > 0, s_j²|v_j|² > 4δ²Q and the containment (4.26) is strict at t_j (every pair);
* b_j|v_j| ≥ D ⟸ the containment is not strict at t = b_j|v_j| for some pair (it is monotone in t);
* c_j − c_ℓ ∈ ±C_{θ_*}[f_ℓ] ⟺ ±⟨c_j − c_ℓ, v_ℓ⟩ ≥ √κ |c_j − c_ℓ||v_ℓ|.

The functions find the witnesses of the readings ``D>2delta-sqrtQ``, ``Xred-mu-GL-on-I0`` and ``I0-box`` of
``deep.thm2.3``; the obligation kernel (exactmin_kernel/statements/deep_thm2_3.py) re-derives every verdict.
"""
from __future__ import annotations

from itertools import product

from flint import fmpq, fmpq_mat

from ..exact.enclosure import sqrt_enclosure
from ..exact.orthogonal import dot
from ..exact.sign import sign_sqrt_sum
from .construct_deep import Geometry, cone_ball_terms

MAX_Q = 8                      # 2^Q vertices


def _sgn(x) -> int:
    return (x > 0) - (x < 0)


def dhat_pair(g: Geometry):
    """(j, j') with ⟨x̄_{0,j'} − x̄_{0,j}, f_j⟩ − δ ≤ 2δ√Q (then D ≤ that < or = 2δ√Q for every θ_0: I_0 = ∅), or None.
    With g = v_j, v = x̄_{0,j'} − x̄_{0,j}: ⟨v, g⟩ − 2√Q δ|g| − δ|g| ≤ 0, three square roots."""
    for j, k, a in g.pairs():
        av, vv = dot(a, g.v[j]), dot(g.v[j], g.v[j])
        sg, _ = sign_sqrt_sum([(_sgn(av), av * av), (-1, 4 * g.Q * g.delta_sq * vv), (-1, g.delta_sq * vv)])
        if sg is not None and sg <= 0:
            return j, k
    return None


def _strict(g: Geometry, kappa, t2):
    """True / False / None: the containment (4.26) is strict at t = √t2 for every pair (t < D)."""
    for j, _, a in g.pairs():
        vv = dot(g.v[j], g.v[j])
        sg, _ = sign_sqrt_sum(cone_ball_terms(a, g.v[j], g.delta_sq, kappa) + [(-1, t2 * vv * (1 - kappa))])
        if sg is None:
            return None
        if sg <= 0:
            return False
    return True


def _s_ok(g, kappa, j, s):
    """µ_j = −s|v_j| ∈ I_0, exactly."""
    vv = dot(g.v[j], g.v[j])
    return s > 0 and s * s * vv > 4 * g.delta_sq * g.Q and _strict(g, kappa, s * s * vv) is True


def apexes(g: Geometry, s):
    """c_j = x̄_{0,j} + s_j v_j (the paper's network at µ_j = −s_j|v_j|)."""
    return [[m + sj * x for m, x in zip(g.means[j], g.v[j])] for j, sj in enumerate(s)]


def det_at(g: Geometry, s):
    c = apexes(g, s)
    Q = g.Q
    return fmpq_mat(Q, Q, [c[j][r] for r in range(Q) for j in range(Q)]).det()


def in_cone(x, v, kappa, side, strict=False) -> bool:
    """x ∈ side·C_{θ_*}[v] (closed; its interior if ``strict``), exactly: side⟨x, v⟩ − √κ|x||v| ≥ 0 (> 0)."""
    xv = side * dot(x, v)
    sg, _ = sign_sqrt_sum([(_sgn(xv), xv * xv), (-1, kappa * dot(x, x) * dot(v, v))])
    return sg is not None and (sg > 0 if strict else sg >= 0)


def _sub(x, y):
    return [p - q for p, q in zip(x, y)]


def _bits(q: fmpq) -> int:
    return 40 + max(int(q.q).bit_length(), 1)


def _short(q: fmpq, up: bool) -> fmpq:
    """q > 0 rounded to 32 significant bits (up or down), relative to its own magnitude: short witnesses."""
    if q <= 0:
        return q
    e = int(q.p).bit_length() - int(q.q).bit_length() - 32
    step = fmpq(2) ** e if e >= 0 else fmpq(1, 2 ** -e)
    n = int((q / step).floor())
    return step * (n + 1 if up and n * step != q else n)


def covering_box(g: Geometry, kappa, D_hi):
    """[a_j, b_j] (in s_j) with a_j|v_j| ≤ 2δ√Q and b_j|v_j| ≥ D, certified exactly; None if not found."""
    out = []
    for j in range(g.Q):
        vv = dot(g.v[j], g.v[j])
        q = 4 * g.delta_sq * g.Q / vv
        a = _short(sqrt_enclosure(q, _bits(q)).lo, False)
        b = _short(sqrt_enclosure(D_hi * D_hi / vv, _bits(D_hi * D_hi / vv)).hi, True) if D_hi > 0 else fmpq(0)
        for _ in range(64):
            if _strict(g, kappa, b * b * vv) is False:
                break
            b = b * 2 if b > 0 else fmpq(1)
        else:
            return None
        if not (a >= 0 and a * a * vv <= q * vv and a < b):
            return None
        out.append((a, b))
    return out


def inner_box(g: Geometry, kappa, D_lo):
    """[a'_j, b'_j] (in s_j), both ends certified in I_0; None if not found."""
    out = []
    for j in range(g.Q):
        vv = dot(g.v[j], g.v[j])
        q = 4 * g.delta_sq * g.Q / vv
        a = _short(sqrt_enclosure(q, _bits(q)).hi * (1 + fmpq(1, 2**30)), True)
        if not D_lo > 0:
            return None
        b = _short(sqrt_enclosure(D_lo * D_lo / vv, _bits(D_lo * D_lo / vv)).lo, False)
        for _ in range(64):
            if _s_ok(g, kappa, j, b):
                break
            b = _short(a + (b - a) * fmpq(15, 16), False)
        else:
            return None
        if not (_s_ok(g, kappa, j, a) and a < b):
            return None
        out.append((a, b))
    return out


def _det_sign(g, B):
    """The one strict sign of det X_0^red[µ] at the 2^Q vertices of B, else None."""
    signs = {_sgn(det_at(g, v)) for v in product(*B)}
    return signs.pop() if len(signs) == 1 and 0 not in signs else None


def corners(B, j, ell, kind):
    """The (s_j, s_ℓ) at which the pass condition of apex c_j (µ_j ∈ I_0) at layer ℓ is checked: kind 0 (µ_ℓ ∈ I_0)
    the 4 corners of B; kind 1 (µ_ℓ ∈ I_1, deep.thm2.5) s_j ∈ B[j] and s_ℓ = −a_ℓ, i.e. µ_ℓ = a_ℓ|v_ℓ| ≤ 2δ√Q.
    Kind 1 covers all µ_ℓ ≥ a_ℓ|v_ℓ| ⊃ I_1: c_j − p_ℓ(µ_ℓ) = c_j − p_ℓ(a_ℓ|v_ℓ|) + (µ_ℓ − a_ℓ|v_ℓ|) f_ℓ, and the cone is
    closed under adding f_ℓ."""
    return list(product(B[j], B[ell])) if kind == 0 else [(sj, -B[ell][0]) for sj in B[j]]


def failing_pairs(g: Geometry, kappa, B, kinds=(0,)):
    """Pairs (j, ℓ), j < ℓ, whose pass condition c_j − p_ℓ ∈ C_{θ_*}[f_ℓ] fails at a corner of B (p_ℓ = c_ℓ for kind 0,
    the I_1 apex for kind 1, :func:`corners`): [(j, ℓ)] for kinds (0,), else [(j, ℓ, kind)]."""
    bad = []
    for ell in range(g.Q):
        for j in range(ell):
            for kind in kinds:
                for sj, sl in corners(B, j, ell, kind):
                    c = apexes(g, [sj if i == j else sl for i in range(g.Q)])
                    if not in_cone([x - y for x, y in zip(c[j], c[ell])], g.v[ell], kappa, 1):
                        bad.append((j + 1, ell + 1) if kinds == (0,) else (j + 1, ell + 1, kind))
                        break
    return bad


def ibox_merge(g: Geometry, kappa, inner):
    """deep.thm2.5 reading I-box refuted: (σ, (j, ℓ)) with σ_i > 0 (µ_i = −σ_i|v_i| ∈ I_0, s_i = 0) or σ_i < 0 (µ_i ∈ I_1,
    s_i = 1), σ_j, σ_ℓ > 0, c_j ≠ c_ℓ, c_j passing every layer j < k < ℓ (c_j − p_k ∈ C_{θ_*}[f_k], p_k = x̄_{0,k} + σ_k v_k
    for either bit) and layer ℓ sending c_j onto c_ℓ (c_j − c_ℓ ∈ −C_{θ_*}[f_ℓ]).  Classes j and ℓ then end at one
    point for every admissible R, while (2.84) puts them at c_j ≠ c_ℓ.  At the vertices of the inner box (σ of I_0)
    with each intermediate bit 0 or, failing that, 1 (σ_k = −a'_k, certified in I_1); None if not found."""
    d = _sub
    verts = [tuple(b for _, b in inner), tuple(a for a, _ in inner)]
    if g.Q <= MAX_Q:
        verts += [v for v in product(*inner) if v not in verts]
    for v in verts[:66]:
        c = apexes(g, v)
        for ell in range(g.Q):
            for j in range(ell):
                if c[j] == c[ell] or not in_cone(d(c[j], c[ell]), g.v[ell], kappa, -1):
                    continue
                sig = list(v)
                for k in range(j + 1, ell):
                    if not in_cone(d(c[j], c[k]), g.v[k], kappa, 1):
                        sig[k] = -inner[k][0]
                        if not in_cone(d(c[j], apexes(g, sig)[k]), g.v[k], kappa, 1):
                            break
                else:
                    return tuple(sig), (j, ell)
    return None


def ibox_analyse(g: Geometry, kappa, D, certified: bool):
    """deep.thm2.5 reading I-box (the paper's network, (2.84) for every s and every µ ∈ ∏ I_{s_j}): {"box", "bad",
    "merge"}: the covering box, the failing (j, ℓ, kind) on it (proved when []), a refuting (σ, (j, ℓ))."""
    out = {"box": None, "bad": None, "merge": None}
    if not certified or g.Q > MAX_Q:
        return out
    B = covering_box(g, kappa, D.hi)
    if B is not None:
        out["box"], out["bad"] = B, failing_pairs(g, kappa, B, kinds=(0, 1))
        if out["bad"] == []:
            return out
    inner = inner_box(g, kappa, D.lo)
    if inner is not None:
        out["merge"] = ibox_merge(g, kappa, inner)
    return out


def _s_ok_any(g, kappa, j, s):
    """µ_j = −s|v_j| ∈ I_0 (s > 0) or ∈ I_1 (s < 0), exactly."""
    return _s_ok(g, kappa, j, s) if s > 0 else s < 0 and s * s * dot(g.v[j], g.v[j]) > 4 * g.delta_sq * g.Q


def ibox_rederive(g: Geometry, kappa, theta_ok: bool, w: dict) -> str:
    """The word of deep.thm2.5's I-box from a witness (fmpq fields mu_I0, box_s, ibox_s, ibox_pair; None when absent),
    with the library's arithmetic: the mutation gate's independent re-check of the kernel statement."""
    Q, dsq, m, B = g.Q, g.delta_sq, w.get("mu_I0"), w.get("box_s")
    ok = theta_ok and m is not None and m < 0 and m * m > 4 * dsq * Q and _strict(g, kappa, m * m) is True and \
        B is not None and Q <= MAX_Q
    for j, (a, b) in enumerate(B if ok else []):
        vv = dot(g.v[j], g.v[j])
        ok = ok and a >= 0 and a < b and a * a * vv <= 4 * dsq * Q and _strict(g, kappa, b * b * vv) is False
    if ok and failing_pairs(g, kappa, B, kinds=(0, 1)) == []:
        return "proved"
    sig, P = w.get("ibox_s"), w.get("ibox_pair")
    if not (theta_ok and sig is not None and P is not None and all(x.q == 1 and 1 <= x <= Q for x in P) and P[0] < P[1]
            and all(_s_ok_any(g, kappa, i, x) for i, x in enumerate(sig))):
        return "undecided"
    j, ell = int(P[0]) - 1, int(P[1]) - 1
    c = apexes(g, sig)
    d = _sub
    merge = sig[j] > 0 and sig[ell] > 0 and c[j] != c[ell] and in_cone(d(c[j], c[ell]), g.v[ell], kappa, -1) and \
        all(in_cone(d(c[j], c[k]), g.v[k], kappa, 1) for k in range(j + 1, ell))
    return "refuted" if merge else "undecided"


def merge_witness(g: Geometry, kappa, s):
    """The longest chain j_1 < j_2 < … at s (a point of I_0^Q) such that c_{j_i} passes the layers strictly between
    j_i and j_{i+1} and layer j_{i+1} sends it onto c_{j_{i+1}}: those classes end at one point.  None if no pair."""
    c = apexes(g, s)
    d = _sub
    best = None
    for start in range(g.Q):
        chain = [start]
        for ell in range(start + 1, g.Q):
            j = chain[-1]
            if in_cone(d(c[j], c[ell]), g.v[ell], kappa, -1) and \
                    all(in_cone(d(c[j], c[k]), g.v[k], kappa, 1) for k in range(j + 1, ell)):
                chain.append(ell)
        if len(chain) >= 2 and (best is None or len(chain) > len(best)):
            best = chain
    return best


def analyse(g: Geometry, kappa, D, certified: bool):
    """The three readings' verdict data: {"pair", "box", "gl", "merge", "gl_sign", "bad_pairs"} (None = not found).

    ``D`` is the certified enclosure of D (4.26) for this θ_*; ``certified``: the construction's µ is certified
    in I_0 (θ_* and both ends), so I_0 ≠ ∅."""
    out = {"pair": dhat_pair(g), "box": None, "gl": None, "merge": None, "gl_sign": None, "bad_pairs": None}
    if not certified:
        return out
    Q = g.Q
    if Q <= MAX_Q:
        B = covering_box(g, kappa, D.hi)
        if B is not None:
            out["box"], out["gl_sign"] = B, _det_sign(g, B)
            out["bad_pairs"] = failing_pairs(g, kappa, B)
    inner = inner_box(g, kappa, D.lo)
    if inner is None:
        return out
    verts = [tuple(b for _, b in inner), tuple(a for a, _ in inner)]
    if Q <= MAX_Q:
        verts += [v for v in product(*inner) if v not in verts]
    if out["gl_sign"] is None:
        dets = [(det_at(g, v), v) for v in verts] if Q <= MAX_Q else []
        if dets:
            lo, hi = min(dets, key=lambda x: x[0]), max(dets, key=lambda x: x[0])
            if lo[0] * hi[0] <= 0:
                out["gl"] = (lo[1], hi[1])
    if not (out["gl_sign"] is not None and out["bad_pairs"] == []):
        for v in verts[:66]:
            m = merge_witness(g, kappa, v)
            if m is not None:
                out["merge"] = (v, m)
                break
    return out


def _nonempty(g: Geometry, kappa, theta_ok: bool, w: dict) -> bool:
    """The witness mu_I0 certified in I_0 (kernel: deep_thm2_3_paper.nonempty)."""
    m = w.get("mu_I0")
    return theta_ok and m is not None and m < 0 and m * m > 4 * g.delta_sq * g.Q and _strict(g, kappa, m * m) is True


def _covers(g: Geometry, kappa, nonempty: bool, B) -> bool:
    """The witness box_s covers I_0^Q (kernel: deep_thm2_3_paper.cover)."""
    ok = nonempty and B is not None and g.Q <= MAX_Q
    for j, (a, b) in enumerate(B if ok else []):
        vv = dot(g.v[j], g.v[j])
        ok = ok and a >= 0 and a < b and a * a * vv <= 4 * g.delta_sq * g.Q and _strict(g, kappa, b * b * vv) is False
    return ok


def _merges(g: Geometry, kappa, theta_ok: bool, w: dict):
    """The merging members (kernel: deep_thm2_3_paper.merge) of the witness merge_s, merge_set, or None."""
    s, S, Q = w.get("merge_s"), w.get("merge_set"), g.Q
    if not (theta_ok and s is not None and S is not None and all(x in (0, 1) for x in S) and sum(S) >= 2 and
            all(_s_ok(g, kappa, j, x) for j, x in enumerate(s))):
        return None
    c, idx = apexes(g, s), [j for j in range(Q) if S[j]]
    ok = all(in_cone(_sub(c[j], c[ell]), g.v[ell], kappa, -1) and
             all(in_cone(_sub(c[j], c[k]), g.v[k], kappa, 1) for k in range(j + 1, ell)) for j, ell in zip(idx, idx[1:]))
    return idx if ok else None


def rederive(g: Geometry, kappa, theta_ok: bool, w: dict) -> dict:
    """The words of the three readings from a witness (fmpq fields, None when absent), re-derived with the library's
    own arithmetic (flint, :func:`sign_sqrt_sum`): an independent re-check of the kernel's statement, used by the
    mutation gate (scripts/mutate_certificates.py) to tell a valid moved witness from a kernel bug."""
    Q, dsq = g.Q, g.delta_sq
    nonempty = _nonempty(g, kappa, theta_ok, w)
    out = {}
    p = w.get("pair")
    pair_ok = False
    if p is not None and p[0] != p[1] and all(x.q == 1 and 1 <= x <= Q for x in p):
        j, k = int(p[0]) - 1, int(p[1]) - 1
        a = [x - y for x, y in zip(g.means[k], g.means[j])]
        av, vv = dot(a, g.v[j]), dot(g.v[j], g.v[j])
        sg, _ = sign_sqrt_sum([(_sgn(av), av * av), (-1, 4 * Q * dsq * vv), (-1, dsq * vv)])
        pair_ok = sg is not None and sg <= 0
    out["D>2delta-sqrtQ"] = "proved" if nonempty else "refuted" if pair_ok else "undecided"
    B = w.get("box_s")
    gl = _covers(g, kappa, nonempty, B) and _det_sign(g, B) is not None
    P = w.get("gl_s")
    gl_ref = theta_ok and P is not None and all(_s_ok(g, kappa, j, x) for pt in P for j, x in enumerate(pt)) and \
        det_at(g, P[0]) * det_at(g, P[1]) <= 0
    out["Xred-mu-GL-on-I0"] = "proved" if gl else "refuted" if gl_ref else "undecided"
    merge = _merges(g, kappa, theta_ok, w) is not None
    out["I0-box"] = "proved" if gl and failing_pairs(g, kappa, B) == [] else "refuted" if merge else "undecided"
    return out


def rederive_eq268(g: Geometry, kappa, theta_ok: bool, lam, w: dict) -> dict:
    """deep.eq2.68's paper-network/* words from a witness (fmpq fields; lam the witness's lambda), as
    :func:`rederive` (kernel: statements/deep_eq2_68.paper, paper_refutation)."""
    theta_ok = theta_ok and 0 < lam <= 1
    nonempty = _nonempty(g, kappa, theta_ok, w)
    B, idx = w.get("box_s"), _merges(g, kappa, theta_ok, w)
    passes = nonempty and _covers(g, kappa, nonempty, B) and failing_pairs(g, kappa, B) == []
    c = idx and apexes(g, w["merge_s"])
    merge = "refuted" if idx and c[idx[0]] != c[idx[1]] else "undecided"
    lemma = nonempty and (lam * lam * (g.Q - 1) + 1) / g.Q <= 4
    return {"paper-network/collapse-at-layer": "proved" if lemma else "undecided",
            "paper-network/identity-before": "proved" if nonempty else "undecided",
            "paper-network/apex-fixed-after": "proved" if passes else merge,
            "paper-network/cumulative": "proved" if passes and lemma else merge}


def _ball_in_cone(a, v, r_sq, kappa) -> bool:
    """The closed ball B_r(a) strictly inside C_{θ_*}[v] (construct_deep.cone_ball_terms at the apex)."""
    sg, _ = sign_sqrt_sum(cone_ball_terms(a, v, r_sq, kappa))
    return sg is not None and sg > 0


def descent_ok(g: Geometry, kappa, s, e) -> bool:
    """The strict pattern of configuration s of the paper's network, for every admissible R, with the apexes e
    (p_ℓ = e_ℓ; e_j the collapsed image of cluster j), by sufficient conditions that hold for every R: at each
    collapsed layer ℓ its own cluster lies in e_ℓ − int C[f_ℓ] (B_δ(x̄_ℓ − e_ℓ) ⊂ −C), every other cluster in
    e_ℓ + int C[f_ℓ] (B_δ(x̄_k − e_ℓ) ⊂ C); at every layer ℓ each earlier collapsed image e_j passes strictly
    (e_j − e_ℓ ∈ int C[f_ℓ]).  Identity layers (s_ℓ = 1, apex in I_1, unmoved) pass the data by the norm and ray
    arguments (deep_thm2_5_paper).  Each condition is convex in the apexes, so both ends of a segment suffice."""
    d = _sub
    for ell in range(g.Q):
        if s[ell] == 0:
            if not _ball_in_cone(d(g.means[ell], e[ell]), [-x for x in g.v[ell]], g.delta_sq, kappa):
                return False
            if not all(_ball_in_cone(d(g.means[k], e[ell]), g.v[ell], g.delta_sq, kappa) for k in range(g.Q) if k != ell):
                return False
        if not all(in_cone(d(e[j], e[ell]), g.v[ell], kappa, 1, strict=True) for j in range(ell) if s[j] == 0):
            return False
    return True
