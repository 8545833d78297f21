"""Claims of the symmetry paper, Şimşek et al., arXiv:2105.12221 (ids ``sym.*`` in ../shared/CLAIMS.md).

The paper's full text was not recovered; the mathematics is the digest ../shared/papers/symmetry_paper.md, cited
by section ("digest §3.1").  Every claim here is instance-free (``needs_instance=False``): it builds its own exact
data from its options (``r``, ``m``, ``seed``, ``width``, ...), and an instance passed with ``--instance`` is
ignored (the certificate says ``instance_sha256: null``).  The obligation kernel (``exactmin_kernel/statements/sym_*.py``)
re-derives every verdict from the witness with its own code.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb, factorial

from ..certify.verdict import HYPOTHESES_FAIL, PROVED, REFUTED, UNDECIDED
from ..errors import InputError
from ..sym import build, deep, deep_build
from ..sym import connect as cn
from ..sym import counts as sc
from ..sym import twolayer as tl
from .base import claim
from .common import new_certificate

PAPER = "sym"
MAX_ENUM_M = 8          # brute-force enumerations: Bell(8) = 4140 partitions, T(4, 8) = 287784 configurations
MAX_GRAPH_NODES = 2000  # sym.connect: pairwise intersection tests


def _int(name: str, v, lo: int, hi: int) -> int:
    if isinstance(v, bool):
        raise InputError(f"option {name} must be an integer, got {v!r}")
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise InputError(f"option {name} must be an integer, got {v!r}") from None
    if not lo <= n <= hi:
        raise InputError(f"option {name} must lie in {lo}..{hi}, got {n}")
    return n


def _rm(r, m, what: str) -> tuple[int, int]:
    r = _int("r", r, 1, MAX_ENUM_M)
    m = _int("m", m, 1, MAX_ENUM_M)
    if m < r:
        raise InputError(f"{what}: need r <= m (got r={r}, m={m})")
    return r, m


def _s(x) -> str:
    return str(Fraction(x))


def _pv(v) -> list[str]:
    return [_s(x) for x in v]


def _net_json(th: tl.TwoLayer) -> dict:
    """The witness of a two-layer network (statement schema: W, a, and c only with biases)."""
    return {"W": [_pv(w) for w in th.W], "a": _pv(th.a)} | ({} if th.c is None else {"c": _pv(th.c)})


def _verdict(ok: bool) -> str:
    return PROVED if ok else REFUTED


# ---------------------------------------------------------------------------------------------------------------
# counts

@claim(id="sym.count-T", paper=PAPER, ref="abstract (text unavailable; reconstruction in docs/claims/sym.md)",
       title="Number T(r*, m) of affine subspaces of the global-minimum manifold",
       statement=r"T(r^*,m)=\sum_{k=r^*}^{m}S(m,k)\,(k)_{r^*}=\sum_{j=0}^{h}\binom{m}{j}r^*!\,S(m-j,r^*)B_j"
                 r"=m!\,[x^m](e^x-1)^{r^*}e^{e^x-1},\quad \dim A(C)=(m-k)+(k-r^*)d\ge h",
       hypotheses=("1 <= r* <= m <= 8 (brute-force enumeration)",),
       readings=(("closed-forms", "the three closed forms (T-i), (T-ii), (T-iii) agree"),
                 ("groups", "T equals the number of enumerated configurations, zero singles and zero groups allowed"),
                 ("singles", "r*! S(m+1, r*+1) equals the number of enumerated configurations with zero singles only"),
                 ("special-values", "T(r*,r*) = r*!, T(r*,r*+1) = (r*+2)!/2, T(1,m) = B_{m+1} - B_m at the given r*, m"),
                 ("dimension", "the enumerated dimensions (m-k) + (k-r*) d have the closed-form histogram and are >= h")),
       values=(("T", "T(r*, m), closed form (T-i)"), ("T_enumerated", "enumerated configurations (groups)"),
               ("T_single", "r*! S(m+1, r*+1)"), ("T_single_enumerated", "enumerated configurations (singles only)"),
               ("with_zero_group", "T - T_single: subspaces with a zero group of size >= 2"),
               ("dim_min", "smallest dimension of a subspace (= h = m - r*)"),
               ("dim_max", "largest dimension (= h d)"),
               ("n_dim_min", "subspaces of dimension h (no zero-type neuron, for d >= 2)"),
               ("n_dim_max", "subspaces of the largest dimension")),
       options=(("r", 2, "teacher width r*"), ("m", 4, "student width m (r* <= m <= 8)"),
                ("d", 2, "input dimension d (for the dimensions)")),
       needs_instance=False)
def check_count_T(inst=None, r=2, m=4, d=2, **_):
    r, m = _rm(r, m, "sym.count-T")
    d = _int("d", d, 1, 1000)
    cert = new_certificate("sym.count-T", None)
    t1, t2, t3 = sc.T_sum_blocks(r, m), sc.T_sum_zero_part(r, m), sc.T_egf(r, m)
    cert.add_reading("closed-forms", _verdict(t1 == t2 == t3), f"(T-i) {t1}, (T-ii) {t2}, (T-iii) {t3}")
    cfgs = list(sc.configurations(r, m, zero_type="groups"))
    te = len(cfgs)
    cert.add_reading("groups", _verdict(te == t1), f"closed form {t1}, enumeration {te}")
    ts, tse = sc.T_single_closed(r, m), sc.count_T_single_brute(r, m)
    cert.add_reading("singles", _verdict(ts == tse == sc.T_single_sum(r, m)), f"r*! S(m+1, r*+1) = {ts}, enumeration {tse}")
    sv = (sc.T(r, r) == factorial(r) and sc.T(r, r + 1) == factorial(r + 2) // 2
          and sc.T(1, m) == sc.bell(m + 1) - sc.bell(m))
    cert.add_reading("special-values", _verdict(sv), f"T({r},{r}) = {sc.T(r, r)}, T({r},{r + 1}) = {sc.T(r, r + 1)}, "
                     f"T(1,{m}) = {sc.T(1, m)}")
    closed = sc.dimension_counts(r, m, d)
    enum: dict = {}
    for c in cfgs:
        enum[c.dimension(d)] = enum.get(c.dimension(d), 0) + 1
    ok = dict(closed) == enum and min(enum) >= m - r
    cert.add_reading("dimension", _verdict(ok), f"dimensions {dict(sorted(enum.items()))}; h = {m - r}")
    for k, v in (("T", t1), ("T_enumerated", te), ("T_single", ts), ("T_single_enumerated", tse),
                 ("with_zero_group", t1 - ts), ("dim_min", min(closed)), ("dim_max", max(closed)),
                 ("n_dim_min", closed[min(closed)]), ("n_dim_max", closed[max(closed)])):
        cert.set_value(k, v)
    cert.witness = {"r": str(r), "m": str(m), "d": str(d)}
    cert.parameters = {"r": r, "m": m, "d": d}
    return cert


@claim(id="sym.count-G", paper=PAPER, ref="abstract (text unavailable; reconstruction in docs/claims/sym.md)",
       title="Number G(r, m) of symmetry-induced critical subspaces of one critical point of width r",
       statement=r"G(r,m)=r!\,S(m,r)=\sum_{i=0}^{r}(-1)^i\binom{r}{i}(r-i)^m,\quad \dim=m-r",
       hypotheses=("1 <= r <= m <= 8 (brute-force enumeration)",),
       readings=(("closed-forms", "r! S(m, r) equals the inclusion-exclusion sum"),
                 ("enumeration", "G equals the number of enumerated duplication-only configurations"),
                 ("special-values", "G(r, r) = r! and G(r, r+1) = r! C(r+1, 2) at the given r")),
       values=(("G", "G(r, m) = r! S(m, r)"), ("G_enumerated", "enumerated configurations, every block labelled"),
               ("S_unlabelled", "S(m, r): the count if the paper normalises without the r! labellings"),
               ("dim", "dimension m - r of each subspace (scalar output)")),
       options=(("r", 2, "width r of the critical point"), ("m", 4, "student width m (r <= m <= 8)")),
       needs_instance=False)
def check_count_G(inst=None, r=2, m=4, **_):
    r, m = _rm(r, m, "sym.count-G")
    cert = new_certificate("sym.count-G", None)
    g1, g2, ge = sc.G_closed(r, m), sc.G_inclusion_exclusion(r, m), sc.count_G_brute(r, m)
    cert.add_reading("closed-forms", _verdict(g1 == g2), f"r! S(m,r) = {g1}, inclusion-exclusion {g2}")
    cert.add_reading("enumeration", _verdict(g1 == ge), f"closed form {g1}, enumeration {ge}")
    sv = sc.G(r, r) == factorial(r) and sc.G(r, r + 1) == factorial(r) * comb(r + 1, 2)
    cert.add_reading("special-values", _verdict(sv), f"G({r},{r}) = {sc.G(r, r)}, G({r},{r + 1}) = {sc.G(r, r + 1)}")
    for k, v in (("G", g1), ("G_enumerated", ge), ("S_unlabelled", sc.stirling2(m, r)), ("dim", m - r)):
        cert.set_value(k, v)
    cert.witness = {"r": str(r), "m": str(m)}
    cert.parameters = {"r": r, "m": m}
    return cert


def persistence_h(r_star: int, h_from: int) -> int:
    """Smallest h >= h_from with T(r*, r*+h) > (r*-1)^(r*+h).  From there on T > G forever, because
    G(r*-1, m) <= (r*-1)^m (surjections are functions) and T(r*, m+1) >= (r*+1) T(r*, m) (each configuration on [m]
    extends in k+1 >= r*+1 distinct ways: m+1 joins one of its k blocks or is a new zero block)."""
    h = h_from
    while not sc.T(r_star, r_star + h) > (r_star - 1) ** (r_star + h):
        h += 1
    return h


@claim(id="sym.dominance", paper=PAPER, ref="abstract (text unavailable; reconstruction in docs/claims/sym.md)",
       title="G dominates T for small h, T dominates G for h >> r*: the crossover, exactly",
       statement=r"\frac{G(r^*-1,r^*+h)}{T(r^*,r^*+h)}>1\ (h<h_c(r^*)),\qquad T(r^*,r^*+h)>G(r^*-1,r^*+h)\ (h\ge h_c(r^*))",
       hypotheses=("counts as in sym.count-T and sym.count-G",),
       readings=(("mild", ("for 4 <= r* <= r_max: G(r*-1, r*+h) > T(r*, r*+h) for all 0 <= h < h_c(r*), with h_c >= 1 "
                          "and G/T = (r*-1)/2 at h = 0")),
                 ("mild-all-r", "strict reading: for every 2 <= r* <= r_max some h has G(r*-1, r*+h) > T(r*, r*+h)"),
                 ("vast", ("for every 1 <= r* <= r_max: T(r*, r*+h) > G(r*-1, r*+h) for ALL h >= h_c(r*) "
                          "(finite check up to the persistence index, then a proof)"))),
       values=(("ratio", "G(r-1, m) / T(r, m) at the options r, m"),
               ("crossover_h", "h_c(r): smallest h with T(r, r+h) > G(r-1, r+h)"),
               ("crossover_h_r_max", "h_c(r_max)"),
               ("persist_h_max", "max over r* <= r_max of the h from which T(r*, r*+h) > (r*-1)^(r*+h)"),
               ("r_max", "largest r* in the table")),
       options=(("r", 2, "r* for the ratio value"), ("m", 4, "m for the ratio value (r <= m <= 400)"),
                ("r_max", 50, "table of crossovers for r* = 1..r_max (r_max <= 80)")),
       needs_instance=False)
def check_dominance(inst=None, r=2, m=4, r_max=50, **_):
    r = _int("r", r, 1, 100)
    m = _int("m", m, 1, 400)
    if m < r:
        raise InputError(f"sym.dominance: need r <= m (got r={r}, m={m})")
    r_max = _int("r_max", r_max, 1, 80)
    cert = new_certificate("sym.dominance", None)
    table = sc.crossover_table(r_max)
    persist = {rs: persistence_h(rs, table[rs]) for rs in range(1, r_max + 1)}
    # mild: G > T strictly below the crossover, for r* >= 4
    bad = [rs for rs in range(4, r_max + 1)
           if table[rs] < 1 or sc.dominance_ratio(rs, rs) != Fraction(rs - 1, 2)
           or any(not sc.G(rs - 1, rs + h) > sc.T(rs, rs + h) for h in range(table[rs]))]
    cert.add_reading("mild", _verdict(not bad) if r_max >= 4 else HYPOTHESES_FAIL,
                     "G > T strictly for h < h_c(r*), every 4 <= r* <= r_max" if not bad
                     else f"fails for r* = {bad[:5]}" if r_max >= 4 else "needs r_max >= 4")
    never = [rs for rs in range(2, r_max + 1) if all(not sc.G(rs - 1, rs + h) > sc.T(rs, rs + h)
                                                     for h in range(table[rs]))]
    cert.add_reading("mild-all-r", _verdict(not never),
                     "every r* has an h with G > T" if not never else
                     f"no h with G > T for r* = {never}: G(1,2) = 1 < T(2,2) = 2; G(2,3) = 6 = T(3,3) = 6, "
                     "then T > G")
    bad_v = [rs for rs in range(1, r_max + 1)
             if any(not sc.T(rs, rs + h) > sc.G(rs - 1, rs + h) for h in range(table[rs], persist[rs] + 1))]
    cert.add_reading("vast", _verdict(not bad_v),
                     "T > G for h_c <= h <= persistence index, beyond by T(m+1) >= (r*+1) T(m) and G <= (r*-1)^m"
                     if not bad_v else f"fails for r* = {bad_v[:5]}")
    cert.set_value("ratio", sc.dominance_ratio(r, m))
    cert.set_value("crossover_h", sc.crossover(r))
    cert.set_value("crossover_h_r_max", table[r_max])
    cert.set_value("persist_h_max", max(persist.values()))
    cert.set_value("r_max", r_max)
    cert.witness = {"r": str(r), "m": str(m), "r_max": str(r_max),
                    "crossover": [str(table[rs]) for rs in range(1, r_max + 1)],
                    "persist": [str(persist[rs]) for rs in range(1, r_max + 1)]}
    cert.parameters = {"r": r, "m": m, "r_max": r_max}
    return cert


# ---------------------------------------------------------------------------------------------------------------
# splitting and zero-type neurons

def _setup_opts(seed, width, d, bias):
    return (_int("seed", seed, 0, 10**9), _int("width", width, 1, 6), _int("d", d, 1, 4),
            bool(_int("bias", bias, 0, 1)))


def _grad_identities(g: tl.Gradient, g2: tl.Gradient, m: int, j: int, b, copies) -> bool:
    for i in range(m):
        if i != j and (g2.W[i] != g.W[i] or g2.A[i] != g.A[i] or (g.c is not None and g2.c[i] != g.c[i])):
            return False
    for bc, idx in zip(b, copies):
        if g2.A[idx] != g.A[j] or g2.W[idx] != tuple(bc * v for v in g.W[j]):
            return False
        if g.c is not None and g2.c[idx] != bc * g.c[j]:
            return False
    return True


MAX_SPLIT_DEPTH = 4
MAX_DEEP_WIDTH = 4


def _deep_net_json(net: deep.Deep) -> dict:
    return {"weights": [[_pv(r) for r in W] for W in net.Ws]} | ({} if net.bs is None else
                                                                  {"biases": [_pv(b) for b in net.bs]})


def _check_split_deep(seed: int, width: int, d: int, k: int, bias: bool, depth: int):
    """sym.split in a network with ``depth`` >= 2 hidden layers of ``width`` neurons (exactmin.sym.deep): every
    neuron of every hidden layer is split with every beta of ``build.betas_for``; the identity checked is
    grad L(split theta) == deep.split_gradient(grad L(theta)) (module docstring of exactmin.sym.deep)."""
    cert = new_certificate("sym.split", None)
    S = deep_build.make_setup(seed, [width] * depth, d, bias)
    net, X = S.net, S.X
    betas = build.betas_for(k, seed)
    f0 = deep.outputs(net, X)
    g_rand = deep.gradient(net, X, S.Y_random)
    Lr = deep.loss(net, X, S.Y_random)
    Lc = deep.loss(net, X, S.Y_critical)
    crit0 = Lc > 0 and deep.is_critical(net, X, S.Y_critical)
    fn_ok = gi_ok = z_ok = c_ok = True
    n_splits = 0
    for layer in range(1, depth + 1):
        for i in range(width):
            for b in betas:
                s2 = deep.split(net, layer, i, b)
                n_splits += 1
                f2, ((Lr2, gr2), (Lt2, gt2), (Lc2, gc2)) = deep.evaluate(s2, X, [S.Y_random, S.Y_teacher,
                                                                                  S.Y_critical])
                fn_ok &= f2 == f0
                gi_ok &= Lr2 == Lr and gr2 == deep.split_gradient(g_rand, layer, i, b)
                z_ok &= Lt2 == 0 and gt2.is_zero()
                c_ok &= Lc2 == Lc and gc2.is_zero()
    where = f"depth {depth}, {n_splits} splits (every neuron of every hidden layer x {len(betas)} betas)"
    cert.add_reading("function", _verdict(fn_ok), f"outputs identical for every split; {where}" if fn_ok
                     else "outputs differ")
    cert.add_reading("gradient-identities", _verdict(gi_ok),
                     "grad L(split) = split_gradient(grad L): incoming rows beta_c x, outgoing columns equal, rest "
                     "unchanged" if gi_ok else "identity fails")
    cert.add_reading("critical-zero-loss", _verdict(z_ok), "L = 0 and grad L = 0 at every split" if z_ok else "fails")
    if not crit0:
        cert.add_reading("critical-positive-loss", HYPOTHESES_FAIL, "the designed point is not critical with L > 0")
    else:
        cert.add_reading("critical-positive-loss", _verdict(c_ok),
                         f"designed deep critical point (residual in the left null space of the Jacobian): L = {Lc} "
                         f"> 0 and grad L = 0 at every split; affine rank of betas {k}" if c_ok
                         else "a split of a critical point is not critical")
    for name, v in (("width", width), ("copies", k), ("points", len(X)), ("splits", n_splits), ("beta_rank", k),
                    ("loss_random", Lr), ("loss_critical", Lc), ("depth", depth),
                    ("params", net.n_params())):
        cert.set_value(name, v)
    cert.witness = {"deep": _deep_net_json(net), "X": [_pv(x) for x in X],
                    "Y_random": [_s(y[0]) for y in S.Y_random], "Y_critical": [_s(y[0]) for y in S.Y_critical],
                    "betas": [_pv(b) for b in betas]}
    cert.parameters = {"seed": seed, "width": width, "d": d, "copies": k, "bias": int(bias), "depth": depth}
    return cert


@claim(id="sym.split", paper=PAPER, ref="abstract: neuron splitting (Fukumizu–Amari, generalised; reconstruction in docs/claims/sym.md)",
       title="Neuron splitting keeps the function, the gradient identities hold, critical points map to critical subspaces",
       statement=r"\sum_c\beta_c=1:\ f(\cdot;\mathrm{split}_\beta\theta)=f(\cdot;\theta),\ "
                 r"\partial_{a_{i,c}}L_m=\partial_{a_i}L_r,\ \partial_{w_{i,c}}L_m=\beta_c\,\partial_{w_i}L_r;\ "
                 r"\nabla L_r(\theta)=0\Rightarrow\nabla L_m=0\ \text{on the whole }\beta\text{-subspace};\ "
                 r"\text{deep: }\partial_{W_\ell[(i,c),:]}L_m=\beta_c\,\partial_{W_\ell[i,:]}L_r,\ "
                 r"\partial_{W_{\ell+1}[:,(i,c)]}L_m=\partial_{W_{\ell+1}[:,i]}L_r",
       hypotheses=(("ReLU network with rational parameters (two-layer, or depth >= 2 hidden layers with a linear "
                    "output layer), squared loss L = (1/2) sum_n |f(x_n) - y_n|^2"),
                   "no pre-activation exactly 0 on the data (L differentiable)"),
       readings=(("function", ("every split (every neuron of every hidden layer, every beta) gives the same outputs; "
                               "Sum beta = 1 makes it an identity")),
                 ("gradient-identities", ("at a non-critical point (random targets) the split gradient satisfies the "
                                          "identities (deep: incoming rows/biases of copy c = beta_c x original, "
                                          "outgoing columns = original, all else unchanged)")),
                 ("critical-zero-loss", "at a teacher (zero loss) every split is critical with zero loss"),
                 ("critical-positive-loss", ("at a designed critical point with L > 0 every split is critical with the same L; "
                                            "the betas include `copies` affinely independent ones, so (the gradient being "
                                            "affine in beta) the whole (copies-1)-dimensional split subspace is critical"))),
       values=(("width", "width r of the network"), ("copies", "copies per split neuron"), ("points", "data points"),
               ("splits", "splits checked (neurons x betas)"), ("beta_rank", "affine rank of the betas (= copies)"),
               ("loss_random", "L at the random targets"), ("loss_critical", "L > 0 at the designed critical targets"),
               ("depth", "number of hidden layers (depth >= 2 only)"),
               ("params", "number of parameters of the unsplit network (depth >= 2 only)")),
       options=(("seed", 0, "seed of the network and data"), ("width", 3, "width r (<= 6)"),
                ("d", 2, "input dimension (<= 4)"), ("copies", 3, "copies per split (2..5)"),
                ("bias", 0, "1: neurons with biases"),
                ("depth", 1, "hidden layers (1..4); 1 = the two-layer network, >= 2 = deep, width <= 4 per layer")),
       needs_instance=False)
def check_split(inst=None, seed=0, width=3, d=2, copies=3, bias=0, depth=1, **_):
    seed, width, d, bias = _setup_opts(seed, width, d, bias)
    k = _int("copies", copies, 2, 5)
    depth = _int("depth", depth, 1, MAX_SPLIT_DEPTH)
    if depth >= 2:
        if width > MAX_DEEP_WIDTH:
            raise InputError(f"sym.split: width must be <= {MAX_DEEP_WIDTH} when depth >= 2 (got {width})")
        return _check_split_deep(seed, width, d, k, bias, depth)
    cert = new_certificate("sym.split", None)
    S = build.make_setup(seed, width, d, bias)
    th, X = S.theta, S.X
    betas = build.betas_for(k, seed)
    f0 = tl.outputs(th, X)
    g_rand = tl.gradient(th, X, S.Y_random)
    fn_ok = gi_ok = z_ok = c_ok = True
    Lc = tl.loss(th, X, S.Y_critical)
    crit0 = tl.is_critical(th, X, S.Y_critical) and Lc > 0
    for j in range(width):
        for b in betas:
            th2 = tl.split(th, j, b)
            copies_idx = [j] + list(range(width, th2.m))
            fn_ok &= tl.outputs(th2, X) == f0
            gi_ok &= _grad_identities(g_rand, tl.gradient(th2, X, S.Y_random), width, j, b, copies_idx)
            z_ok &= tl.loss(th2, X, S.Y_teacher) == 0 and tl.is_critical(th2, X, S.Y_teacher)
            c_ok &= tl.loss(th2, X, S.Y_critical) == Lc and tl.is_critical(th2, X, S.Y_critical)
    cert.add_reading("function", _verdict(fn_ok), "outputs identical for every split" if fn_ok else "outputs differ")
    cert.add_reading("gradient-identities", _verdict(gi_ok), "identities hold exactly" if gi_ok else "identity fails")
    cert.add_reading("critical-zero-loss", _verdict(z_ok), "L = 0 and grad L = 0 at every split" if z_ok else "fails")
    if not crit0:
        cert.add_reading("critical-positive-loss", HYPOTHESES_FAIL, "the designed point is not critical with L > 0")
    else:
        cert.add_reading("critical-positive-loss", _verdict(c_ok),
                         f"L = {Lc} > 0 and grad L = 0 at every split; affine rank of betas {k}" if c_ok
                         else "a split of a critical point is not critical")
    for name, v in (("width", width), ("copies", k), ("points", len(X)), ("splits", width * len(betas)),
                    ("beta_rank", k), ("loss_random", tl.loss(th, X, S.Y_random)), ("loss_critical", Lc)):
        cert.set_value(name, v)
    cert.witness = {"network": _net_json(th), "X": [_pv(x) for x in X], "Y_random": _pv(S.Y_random),
                    "Y_critical": _pv(S.Y_critical), "betas": [_pv(b) for b in betas]}
    cert.parameters = {"seed": seed, "width": width, "d": d, "copies": k, "bias": int(bias)}
    return cert


ZERO_GROUP_A = (Fraction(3, 2), Fraction(-1, 2), Fraction(-1))     # the zero group's outgoing weights (sum 0)
DEAD_A = Fraction(7, 3)                                           # outgoing weight of the dead neuron


def dead_w(d: int) -> list[Fraction]:
    """(-1, 0, ..., 0): inactive on all data (every point has x_1 > 0, exactmin.sym.build)."""
    return [Fraction(-1)] + [Fraction(0)] * (d - 1)


@claim(id="sym.zero-type", paper=PAPER, ref="abstract: zero-type neurons (text unavailable; reconstruction in docs/claims/sym.md)",
       title="Zero-type neurons keep the function; they keep criticality only at zero loss",
       statement=r"a_{new}=0\ \text{or}\ \textstyle\sum_{j\in B}a_j=0:\ f\ \text{unchanged};\ "
                 r"\nabla L=0\ \text{kept iff}\ L=0\ (\partial_{a_{new}}L=\sum_n r_n\sigma(w\cdot x_n))",
       hypotheses=("two-layer ReLU network with rational parameters, squared loss", "no pre-activation exactly 0"),
       readings=(("function", "a zero single (a = 0, any w) and a zero group (shared w, Sum a = 0) keep the outputs"),
                 ("zero-loss", "at a teacher (zero loss) the single and the group keep L = 0 and grad L = 0"),
                 ("positive-loss-general", "general statement: zero-type neurons keep criticality at any loss (also L > 0)"),
                 ("positive-loss-every-w", "strong 'only at zero loss': at L > 0 EVERY zero single breaks criticality"),
                 ("positive-loss-generic-w", "'generic w': at L > 0 zero singles with almost every w break criticality"),
                 ("relu-dead-any-a", ("ReLU fact (not the paper's): a neuron inactive on all data keeps outputs and "
                                     "criticality at L > 0 even with a nonzero outgoing weight"))),
       values=(("width", "width r of the network"), ("points", "data points"),
               ("loss_critical", "L > 0 at the designed critical point"),
               ("grad_a_single", "dL/da of the generic zero single: Sum_n r_n sigma(w x_n), nonzero"),
               ("grad_a_group", "dL/da of each member of the zero group (same value)"),
               ("dead_a", "outgoing weight of the dead neuron"),
               ("dead_margin", "max_n (w_dead x_n + c) < 0: the dead neuron is strictly inactive, so a whole open set of w is")),
       options=(("seed", 0, "seed of the network and data"), ("width", 3, "width r (<= 6)"),
                ("d", 2, "input dimension (<= 4)"), ("bias", 0, "1: neurons with biases")),
       needs_instance=False)
def check_zero_type(inst=None, seed=0, width=3, d=2, bias=0, **_):
    seed, width, d, bias = _setup_opts(seed, width, d, bias)
    cert = new_certificate("sym.zero-type", None)
    S = build.make_setup(seed, width, d, bias)
    th, X = S.theta, S.X
    w_gen, c_gen = build.generic_zero_w(th, X, S.e)
    group_a, w_dead, dead_a = list(ZERO_GROUP_A), dead_w(d), DEAD_A
    single = tl.add_zero_type(th, w_gen, bias=c_gen or 0)
    group = tl.add_zero_type(th, w_gen, group_a, bias=c_gen or 0, kind="group")
    dead0 = tl.add_zero_type(th, w_dead, [0], kind="dead", X=X)
    dead1 = tl.add_zero_type(th, w_dead, [dead_a], kind="dead", X=X)
    f0 = tl.outputs(th, X)
    fn = all(tl.outputs(t, X) == f0 for t in (single, group, dead0, dead1))
    cert.add_reading("function", _verdict(fn), "outputs identical" if fn else "outputs differ")
    zl = all(tl.loss(t, X, S.Y_teacher) == 0 and tl.is_critical(t, X, S.Y_teacher) for t in (single, group))
    cert.add_reading("zero-loss", _verdict(zl), "L = 0, grad L = 0" if zl else "fails")
    Lc = tl.loss(th, X, S.Y_critical)
    crit0 = Lc > 0 and tl.is_critical(th, X, S.Y_critical)
    gs, gg = tl.gradient(single, X, S.Y_critical), tl.gradient(group, X, S.Y_critical)
    if not crit0:
        for name in ("positive-loss-general", "positive-loss-every-w", "positive-loss-generic-w", "relu-dead-any-a"):
            cert.add_reading(name, HYPOTHESES_FAIL, "the designed point is not critical with L > 0")
    else:
        broken = not gs.is_zero() and not gg.is_zero()
        cert.add_reading("positive-loss-general", REFUTED if broken else UNDECIDED,
                         f"at L = {Lc} > 0 the zero single with w = {[str(v) for v in w_gen]} has dL/da = "
                         f"{gs.A[-1][0]} != 0 (the group too)" if broken else "the witness neuron stays critical")
        dead_crit = tl.is_critical(dead0, X, S.Y_critical)
        cert.add_reading("positive-loss-every-w", REFUTED if dead_crit else UNDECIDED,
                         f"the zero single with w = {[str(v) for v in w_dead]} (inactive on all data) stays critical"
                         if dead_crit else "the dead neuron breaks criticality")
        cert.add_reading("positive-loss-generic-w", REFUTED if dead_crit else UNDECIDED,
                         "the open set {w : w x_n + c < 0 for all n} (non-empty: it contains w_dead strictly) has "
                         "positive measure and every zero single with w in it stays critical (ReLU)"
                         if dead_crit else "the dead neuron breaks criticality")
        d1 = tl.is_critical(dead1, X, S.Y_critical)
        cert.add_reading("relu-dead-any-a", _verdict(d1), f"a dead neuron with a = {dead_a} keeps criticality at L > 0"
                         if d1 else "it breaks criticality")
    for name, v in (("width", width), ("points", len(X)), ("loss_critical", Lc), ("grad_a_single", gs.A[-1][0]),
                    ("grad_a_group", gg.A[-1][0]), ("dead_a", dead_a),
                    ("dead_margin", max(tl._pre(dead0, x, width) for x in X))):
        cert.set_value(name, v)
    cert.witness = {"network": _net_json(th), "X": [_pv(x) for x in X], "Y_critical": _pv(S.Y_critical),
                    "zero_w": _pv(w_gen), "group_a": _pv(group_a), "dead_w": _pv(w_dead), "dead_a": _s(dead_a)}
    if c_gen is not None:
        cert.witness["zero_c"] = _s(c_gen)
    cert.parameters = {"seed": seed, "width": width, "d": d, "bias": int(bias)}
    return cert


# ---------------------------------------------------------------------------------------------------------------
# connectivity

@claim(id="sym.connect", paper=PAPER, ref="abstract (text unavailable; reconstruction in docs/claims/sym.md)",
       title="At m = r*+1 the r*! isolated minima become one connected manifold; at m = r* they are isolated",
       statement=r"\Theta_{r^*\to r^*}=\{P_\pi\theta^*\}\ (r^*!\ \text{points}),\quad "
                 r"\Theta_{r^*\to m}=\bigcup_C A(C)\ \text{connected for } m\ge r^*+1",
       hypotheses=("teacher irreducible: distinct incoming vectors, nonzero generic outgoing weights",
                   "global minima = the T(r*, m) affine subspaces (not checked here)"),
       readings=(("isolated", "at m = r*: r*! subspaces (points), no two intersect"),
                 ("connected", "at the given m > r* (default r*+1): the intersection graph is connected"),
                 ("blue-green", ("at m = r*+1: the graph is bipartite between blue (one zero neuron) and green "
                                "(one duplicated neuron) subspaces, blue degree r*, green degree 2")),
                 ("path", ("an explicit polygonal path of parameter points from (theta*, buffer) to a permuted copy along "
                          "which f is identical on all of R^d (move / transfer segments) and L = 0 on the data"))),
       values=(("nodes_isolated", "subspaces at m = r*"), ("edges_isolated", "intersecting pairs at m = r*"),
               ("components_isolated", "components at m = r*"), ("nodes", "subspaces at the given m"),
               ("edges", "intersecting pairs at the given m"), ("components", "components at the given m"),
               ("path_segments", "segments of the explicit path")),
       options=(("r", 2, "teacher width r* (1..4)"), ("m", 0, "width for the connectivity graph (0: r*+1)")),
       needs_instance=False)
def check_connect(inst=None, r=2, m=0, **_):
    r = _int("r", r, 1, 4)
    m = _int("m", m, 0, MAX_ENUM_M)
    m = m or r + 1
    if m <= r:
        raise InputError(f"sym.connect: need m > r* (got r={r}, m={m}); m = r* is the 'isolated' reading")
    if sc.T(r, m) > MAX_GRAPH_NODES:
        raise InputError(f"sym.connect: T({r}, {m}) = {sc.T(r, m)} subspaces exceeds {MAX_GRAPH_NODES}; "
                         "use a smaller m")
    cert = new_certificate("sym.connect", None)
    g0 = cn.graph_summary(r, r)
    iso = g0["nodes"] == factorial(r) and g0["edges"] == 0
    cert.add_reading("isolated", _verdict(iso), f"{g0['nodes']} points, {g0['edges']} intersections")
    gm = cn.graph_summary(r, m)
    cert.add_reading("connected", _verdict(gm["components"] == 1),
                     f"m = {m}: {gm['nodes']} subspaces, {gm['edges']} intersections, {gm['components']} component(s)")
    g1 = gm if m == r + 1 else cn.graph_summary(r, r + 1)
    bg = g1["bipartite_blue_green"] and g1["blue_degrees"] == [r] and g1["green_degrees"] == [2]
    cert.add_reading("blue-green", _verdict(bg), f"blue {g1['blue']} (degrees {g1['blue_degrees']}), green "
                     f"{g1['green']} (degrees {g1['green_degrees']})")
    W, a = cn.teacher_for_path(r)
    buffer_w = (Fraction(-2), Fraction(5, 7))
    pts, perm = cn.transposition_path(W, a, buffer_w)
    kinds = [cn.segment_kind(p, q) for p, q in itertools.pairwise(pts)]
    X = [[Fraction(i - 3, 2), Fraction(5 - 2 * i, 3)] for i in range(7)]
    teacher = tl.make([list(w) for w in W], a)
    y = tl.outputs(teacher, X)
    zero = all(tl.outputs(tl.make([list(w) for w in P[0]], list(P[1])), X) == y for P in pts)
    ok = None not in kinds and cn.path_is_valid_endpoints(pts, perm) and zero
    cert.add_reading("path", _verdict(ok), f"{len(kinds)} segments {kinds}, permutation {perm}")
    for name, v in (("nodes_isolated", g0["nodes"]), ("edges_isolated", g0["edges"]),
                    ("components_isolated", g0["components"]), ("nodes", gm["nodes"]), ("edges", gm["edges"]),
                    ("components", gm["components"]), ("path_segments", len(kinds))):
        cert.set_value(name, v)
    cert.witness = {"r": str(r), "m": str(m), "permutation": [str(i) for i in perm],
                    "path": [{"W": [_pv(w) for w in P[0]], "a": _pv(P[1])} for P in pts]}
    cert.parameters = {"r": r, "m": m}
    return cert
