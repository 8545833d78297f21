"""Kernel checkers for the symmetry paper (arXiv:2105.12221): sym.split, sym.zero-type (format 1).
sym.count-T, sym.count-G, sym.dominance and sym.connect are checked by the obligation kernel
(exactmin_kernel/statements/sym_count_T.py, sym_count_G.py, sym_dominance.py, sym_connect.py; format 2).

Standard library plus the kernel core only (relative imports).  Each checker returns
(readings: {name: verdict}, values: {name: Fraction}) re-derived from the certificate's witness; all sym claims
are instance-free (inst is None).  The code is the kernel's own, deliberately different from the library's:

* networks: a plain forward pass and the gradient of L = 1/2 sum_n (f(x_n) - y_n)^2 written out per neuron;
  deep networks (sym.split with a "depth" witness): its own per-point forward pass and reverse pass, its own split,
  and the digest's identities written out as the expected split gradient;
"""
from __future__ import annotations

from fractions import Fraction as F

from .core import Reject, matrix_rank, q, qmat, qvec


def _int(s, lo, hi, what):
    v = q(s)
    if v.denominator != 1 or not lo <= v <= hi:
        raise Reject(f"{what} must be an integer in {lo}..{hi}")
    return int(v)


def _ok(b):
    return "proved" if b else "refuted"


# ------------------------------------------------------------------------------------------------ numbers

# ------------------------------------------------------------------------------------------------ networks

def _net(w, d=None):
    if not isinstance(w, dict) or set(w) != {"W", "c", "a"}:
        raise Reject("bad network in witness")
    W = qmat(w["W"], None, d)
    a = qvec(w["a"], len(W))
    c = None if w["c"] is None else qvec(w["c"], len(W))
    return W, c, a


def _z(W, c, j, x):
    s = sum((u * v for u, v in zip(W[j], x)), F(0))
    return s + c[j] if c is not None else s


def _outs(net, X):
    W, c, a = net
    out = []
    for x in X:
        zs = [_z(W, c, j, x) for j in range(len(W))]
        out.append(sum((a[j] * zs[j] for j in range(len(W)) if zs[j] > 0), F(0)))
    return out


def _loss_grad(net, X, Y):
    """(L, [per-neuron (dL/dw_j, dL/dc_j, dL/da_j)]) or None if some pre-activation is exactly 0."""
    W, c, a = net
    res = [f - y for f, y in zip(_outs(net, X), Y)]
    L = sum((e * e for e in res), F(0)) / 2
    grads = []
    for j in range(len(W)):
        gw, gc, ga = [F(0)] * len(W[j]), F(0), F(0)
        for x, e in zip(X, res):
            z = _z(W, c, j, x)
            if z == 0:
                return None
            if z > 0:
                ga += e * z
                gw = [g + e * a[j] * v for g, v in zip(gw, x)]
                gc += e * a[j]
        grads.append((gw, gc if c is not None else None, ga))
    return L, grads


def _is_zero(grads):
    return all(ga == 0 and (gc is None or gc == 0) and not any(gw) for gw, gc, ga in grads)


def _split(net, j, betas):
    W, c, a = net
    W2, a2 = [list(r) for r in W], list(a)
    c2 = None if c is None else list(c)
    a2[j] = betas[0] * a[j]
    for b in betas[1:]:
        W2.append(list(W[j]))
        a2.append(b * a[j])
        if c2 is not None:
            c2.append(c[j])
    return W2, c2, a2


def _add(net, w, avals, bias=F(0)):
    W, c, a = net
    return (W + [list(w) for _ in avals], None if c is None else c + [bias] * len(avals), a + list(avals))


def _data(w, d):
    X = qmat(w.get("X"), None, d)
    return X


def _betas(w):
    betas = [qvec(b) for b in w.get("betas", [])] if isinstance(w.get("betas"), list) else []
    if not betas or len({len(b) for b in betas}) != 1 or len(betas[0]) < 2:
        raise Reject("betas must be a non-empty list of equally long vectors with >= 2 entries")
    if any(sum(b) != 1 for b in betas):
        raise Reject("every beta must sum to 1")
    return betas


# ------------------------------------------------------------------------------------------------ deep split
# A deep network is (Ws, bs): Ws[ly] is the weight matrix of layer ly+1 (ly 0-based) (hidden layers 1..L, then the linear output
# layer, one output), bs is None or one bias vector per layer.  z_l = W_l h_{l-1} + b_l, h_l = max(z_l, 0),
# f = W_{L+1} h_L + b_{L+1}.

MAX_DEEP_L, MAX_DEEP_PARAMS, MAX_DEEP_N = 4, 200, 400


def _deep_net(w, depth):
    if not isinstance(w, dict) or set(w) != {"weights", "biases"} or not isinstance(w["weights"], list):
        raise Reject("bad deep network in witness")
    if len(w["weights"]) != depth + 1:
        raise Reject("the deep network must have depth + 1 weight matrices")
    Ws, prev = [], None
    for i, M in enumerate(w["weights"]):
        W = qmat(M, 1 if i == depth else None, prev)
        if not W or not W[0]:
            raise Reject("empty weight matrix")
        Ws.append(W)
        prev = len(W)
    bs = w["biases"]
    if bs is not None:
        if not isinstance(bs, list) or len(bs) != depth + 1:
            raise Reject("biases: none, or one vector per layer")
        bs = [qvec(b, len(W)) for b, W in zip(bs, Ws)]
    if sum(len(W) * (len(W[0]) + (bs is not None)) for W in Ws) > MAX_DEEP_PARAMS:
        raise Reject("deep network too large for the kernel")
    return Ws, bs


def _deep_pass(net, x):
    """[h_0, ..., h_L], [z_1, ..., z_L] and the scalar output at x; None if some z entry is exactly 0."""
    Ws, bs = net
    h, hs, zs = x, [x], []
    for ly, W in enumerate(Ws):
        z = [sum((a * v for a, v in zip(row, h) if v), F(0)) + (bs[ly][i] if bs is not None else 0)
             for i, row in enumerate(W)]
        if ly == len(Ws) - 1:
            return hs, zs, z[0]
        if any(v == 0 for v in z):
            return None
        zs.append(z)
        h = [v if v > 0 else F(0) for v in z]
        hs.append(h)


def _deep_eval(net, X, Ys):
    """(outputs, [(L, gW, gb) per target list]) with gW[ly][i][k] = dL/dW_{ly+1}[i][k], gb[ly][i] = dL/db_{ly+1}[i]
    (None without biases); one forward pass per point, then one reverse pass per point and target list."""
    Ws, bs = net
    passes = []
    for x in X:
        got = _deep_pass(net, x)
        if got is None:
            raise Reject("a pre-activation is exactly 0 on the data: L is not differentiable there")
        passes.append(got)
    res = []
    for Y in Ys:
        gW = [[[F(0)] * len(W[0]) for _ in W] for W in Ws]
        gb = None if bs is None else [[F(0)] * len(W) for W in Ws]
        L = F(0)
        for (hs, zs, f), y in zip(passes, Y):
            e = f - y
            L += e * e / 2
            cot = [e]                                   # dL/dz of the current layer, from the output down
            for ly in range(len(Ws) - 1, -1, -1):
                for i, ci in enumerate(cot):
                    if ci:
                        for k, hk in enumerate(hs[ly]):
                            gW[ly][i][k] += ci * hk
                        if gb is not None:
                            gb[ly][i] += ci
                if ly:
                    cot = [sum((Ws[ly][i][k] * ci for i, ci in enumerate(cot) if ci), F(0)) if zs[ly - 1][k] > 0
                           else F(0) for k in range(len(Ws[ly][0]))]
        res.append((L, gW, gb))
    return [p[2] for p in passes], res


def _deep_split(net, ly, j, b):
    """Neuron j of hidden layer ly (0-based: the rows of Ws[ly]) into len(b) copies: rows (and biases) repeated,
    column j of Ws[ly+1] replaced by b[0] times itself, columns b[c] times it appended."""
    Ws, bs = net
    W2 = [[list(r) for r in W] for W in Ws]
    W2[ly] += [list(Ws[ly][j]) for _ in b[1:]]
    for row in W2[ly + 1]:
        col = row[j]
        row[j] = b[0] * col
        row.extend(bc * col for bc in b[1:])
    b2 = None
    if bs is not None:
        b2 = [list(v) for v in bs]
        b2[ly] += [bs[ly][j]] * (len(b) - 1)
    return W2, b2


def _deep_expected(gW, gb, ly, j, b):
    """What the digest's identities predict for the split gradient: copy c of neuron j gets b[c] times its incoming
    gradient (row j of layer ly, bias j) and the same outgoing gradient (column j of layer ly+1); nothing else moves."""
    eW = [[list(r) for r in G] for G in gW]
    eW[ly][j] = [b[0] * v for v in gW[ly][j]]
    eW[ly] += [[bc * v for v in gW[ly][j]] for bc in b[1:]]
    for row in eW[ly + 1]:
        row.extend([row[j]] * (len(b) - 1))
    eb = None
    if gb is not None:
        eb = [list(v) for v in gb]
        eb[ly][j] = b[0] * gb[ly][j]
        eb[ly] += [bc * gb[ly][j] for bc in b[1:]]
    return eW, eb


def _deep_zero(gW, gb):
    return all(v == 0 for G in gW for r in G for v in r) and (gb is None or all(v == 0 for r in gb for v in r))


def _chk_split_deep(w):
    depth = _int(w.get("depth"), 2, MAX_DEEP_L, "depth")
    net = _deep_net(w.get("network"), depth)
    Ws = net[0]
    widths = [len(W) for W in Ws[:-1]]
    if len(set(widths)) != 1:
        raise Reject("the hidden layers must have equal widths")
    d = len(Ws[0][0])
    X = _data(w, d)
    N = len(X)
    if not 1 <= N <= MAX_DEEP_N:
        raise Reject("bad number of data points")
    Yr, Yc = qvec(w.get("Y_random"), N), qvec(w.get("Y_critical"), N)
    betas = _betas(w)
    k = len(betas[0])
    f0, ((Lr, gWr, gbr), (Lc, gWc, gbc)) = _deep_eval(net, X, [Yr, Yc])
    fn = gi = zl = cp = True
    splits = 0
    for ly in range(depth):
        for j in range(widths[ly]):
            for b in betas:
                s = _deep_split(net, ly, j, b)
                splits += 1
                f2, ((L2, gW2, gb2), (Lt, gWt, gbt), (Lc2, gWc2, gbc2)) = _deep_eval(s, X, [Yr, f0, Yc])
                fn = fn and f2 == f0
                gi = gi and L2 == Lr and (gW2, gb2) == _deep_expected(gWr, gbr, ly, j, b)
                zl = zl and Lt == 0 and _deep_zero(gWt, gbt)
                cp = cp and Lc2 == Lc and _deep_zero(gWc2, gbc2)
    beta_rank = matrix_rank(betas)
    readings = _split_readings(fn, gi, zl, cp, Lc > 0 and _deep_zero(gWc, gbc), beta_rank == k)
    params = sum(len(W) * (len(W[0]) + (net[1] is not None)) for W in Ws)
    values = {"width": F(widths[0]), "copies": F(k), "points": F(N), "splits": F(splits), "beta_rank": F(beta_rank),
              "loss_random": Lr, "loss_critical": Lc, "depth": F(depth), "params": F(params)}
    return readings, values


def _split_readings(fn, gi, zl, cp, critical_with_loss, full_beta_rank) -> dict:
    """The four sym.split readings; the positive-loss one needs a critical point with L > 0 and betas spanning
    the whole subspace."""
    if not critical_with_loss:
        crit = "hypotheses-fail"
    elif not cp:
        crit = "refuted"
    else:
        crit = "proved" if full_beta_rank else "undecided"
    return {"function": _ok(fn), "gradient-identities": _ok(gi), "critical-zero-loss": _ok(zl),
            "critical-positive-loss": crit}


def chk_split(inst, cert):
    w = cert["witness"]
    if "depth" in w:
        return _chk_split_deep(w)
    net = _net(w.get("network"))
    W = net[0]
    r, d = len(W), len(W[0])
    X = _data(w, d)
    N = len(X)
    Yr, Yc = qvec(w.get("Y_random"), N), qvec(w.get("Y_critical"), N)
    betas = _betas(w)
    k = len(betas[0])
    f0 = _outs(net, X)
    base_r, base_c = _loss_grad(net, X, Yr), _loss_grad(net, X, Yc)
    if base_r is None or base_c is None:
        raise Reject("a pre-activation is exactly 0 on the data: L is not differentiable there")
    Lr, gr = base_r
    Lc, gc0 = base_c
    fn = gi = zl = cp = True
    for j in range(r):
        idx = [j] + list(range(r, r + k - 1))
        for b in betas:
            s = _split(net, j, b)
            fn = fn and _outs(s, X) == f0
            got = _loss_grad(s, X, Yr)
            if got is None:
                raise Reject("split has a kink")
            L2, g2 = got
            ok = L2 == Lr and all(g2[i] == gr[i] for i in range(r) if i != j)
            for bc, i2 in zip(b, idx):
                gw, gcc, ga = gr[j]
                ok = ok and g2[i2] == ([bc * v for v in gw], None if gcc is None else bc * gcc, ga)
            gi = gi and ok
            Lt, gt = _loss_grad(s, X, f0)
            zl = zl and Lt == 0 and _is_zero(gt)
            Lc2, gc2 = _loss_grad(s, X, Yc)
            cp = cp and Lc2 == Lc and _is_zero(gc2)
    beta_rank = matrix_rank(betas)
    readings = _split_readings(fn, gi, zl, cp, Lc > 0 and _is_zero(gc0), beta_rank == k)
    values = {"width": F(r), "copies": F(k), "points": F(N), "splits": F(r * len(betas)), "beta_rank": F(beta_rank),
              "loss_random": Lr, "loss_critical": Lc}
    return readings, values


def chk_zero_type(inst, cert):
    w = cert["witness"]
    net = _net(w.get("network"))
    W, c = net[0], net[1]
    r, d = len(W), len(W[0])
    X = _data(w, d)
    N = len(X)
    Yc = qvec(w.get("Y_critical"), N)
    zw, dw = qvec(w.get("zero_w"), d), qvec(w.get("dead_w"), d)
    ga_ = qvec(w.get("group_a"))
    da = q(w.get("dead_a"))
    if len(ga_) < 2 or sum(ga_) != 0:
        raise Reject("a zero group needs >= 2 outgoing weights summing to 0")
    if "zero_c" not in w:
        raise Reject("zero_c missing (null when the network has no biases)")
    zc = w["zero_c"]
    if (zc is None) != (c is None):
        raise Reject("zero_c must be given exactly when the network has biases")
    zc = F(0) if zc is None else q(zc)
    single, group = _add(net, zw, [F(0)], zc), _add(net, zw, ga_, zc)
    dead0, dead1 = _add(net, dw, [F(0)]), _add(net, dw, [da])
    f0 = _outs(net, X)
    fn = all(_outs(t, X) == f0 for t in (single, group, dead0, dead1))
    zl = True
    for t in (single, group):
        got = _loss_grad(t, X, f0)
        zl = zl and got is not None and got[0] == 0 and _is_zero(got[1])
    base = _loss_grad(net, X, Yc)
    if base is None:
        raise Reject("a pre-activation is exactly 0 on the data")
    Lc = base[0]
    gs, gg = _loss_grad(single, X, Yc), _loss_grad(group, X, Yc)
    if gs is None or gg is None:
        raise Reject("the zero-type witness has a kink on the data")
    margin = max(sum((u * v for u, v in zip(dw, x)), F(0)) for x in X)    # the dead neuron has bias 0
    readings = {"function": _ok(fn), "zero-loss": _ok(zl)}
    if not (Lc > 0 and _is_zero(base[1])):
        for name in ("positive-loss-general", "positive-loss-every-w", "positive-loss-generic-w", "relu-dead-any-a"):
            readings[name] = "hypotheses-fail"
    else:
        readings["positive-loss-general"] = "refuted" if not _is_zero(gs[1]) and not _is_zero(gg[1]) else "undecided"
        g0 = _loss_grad(dead0, X, Yc)
        dead_crit = g0 is not None and _is_zero(g0[1])
        readings["positive-loss-every-w"] = "refuted" if dead_crit else "undecided"
        readings["positive-loss-generic-w"] = "refuted" if dead_crit and margin < 0 else "undecided"
        g1 = _loss_grad(dead1, X, Yc)
        if da == 0 or g1 is None:
            readings["relu-dead-any-a"] = "undecided"
        else:
            readings["relu-dead-any-a"] = _ok(_is_zero(g1[1]) and _outs(dead1, X) == f0)
    values = {"width": F(r), "points": F(N), "loss_critical": Lc, "grad_a_single": gs[1][-1][2],
              "grad_a_group": gg[1][-1][2], "dead_a": da, "dead_margin": margin}
    return readings, values


# ------------------------------------------------------------------------------------------------ connectivity

CHECKERS = {"sym.split": chk_split, "sym.zero-type": chk_zero_type}
ENCLOSURES: dict = {}
INSTANCE_FREE: set = set(CHECKERS)
