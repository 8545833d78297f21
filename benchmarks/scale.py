"""Scale benchmark: certified deep.thm2.3 and exact last-layer least squares against float64 NumPy.

Usage:  python benchmarks/scale.py                  # Q = 8, N = 10^4, 10^5, 10^6 (several minutes)
        python benchmarks/scale.py --quick          # N = 2000, 10^4; kernel at 2000
        python benchmarks/scale.py --n 100000 --kernel-n 100000 --skip-parse
        python benchmarks/scale.py --e2e --n 10000 100000 --reps 3   # every claim end to end (issue 18)
        python benchmarks/scale.py --text --n 100000 --reps 1       # deep.thm2.3 on CSV / JSON files (issue 18)

Instances are generated (``generate_deep``, coordinates with denominator 2^20, Q classes of N/Q points).
For each N it prints
  (a) float64 NumPy forward pass + weighted cost of the same L = Q network (uncertified baseline, best of 3);
  (b) exactmin's certified ``deep.thm2.3`` check (all three readings, exact cost 0) with the ratio (b)/(a),
      split into phases: instance hash (canonical form, computed once per instance and cached; reported
      apart), hypotheses, the sign pass (exact row extremes per cluster and layer) and the rest;
      tracemalloc peak of the check (bytes allocated by Python/NumPy during the check) and the float-filter
      counters (entries filtered, entries recomputed exactly, block size);
  (c) exact weighted last-layer least squares (``last_layer_lsq``, integer sufficient statistics) against
      ``numpy.linalg.lstsq`` on the same data (hidden layer = the data);
  (d) ``exactmin verify`` of the certificate (obligation kernel, stdlib only; NPZ read, hash, every reading) as a
      process at ``--kernel-n``, wall time and peak RSS;
  (e) parse rates of the instance written as JSON, CSV and NPZ (numbers per second).

``--e2e`` instead measures each claim as a user runs it: ``exactmin check CLAIM --instance FILE.npz --certificate
c.json`` as a whole process against the float64 pipeline on the same file (``FLOAT_PIPELINE``: numpy.load, a ReLU
forward pass with the weighted cost, numpy.linalg.lstsq for the least-squares claims), paired runs, medians,
peak memory of each process tree (its own peak RSS, or the summed PSS of the process and its helpers where that is larger), OPENBLAS_NUM_THREADS=1 for both.  Deep claims use ``generate_deep``
(denominator 2^20), shallow ones ``generate_shallow`` (M = Q, or M = 2Q for upper-bound and thm3.3).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from fractions import Fraction

import numpy as np

from exactmin.claims import base
from exactmin.claims import deep as deep_claims
from exactmin.data.generate import generate_deep
from exactmin.data.instance import Instance
from exactmin.data.io import MAX_NUMBERS, load_instance, write_instance
from exactmin.exact.canon import canonical_bytes
from exactmin.exact.certsign import FilterStats
from exactmin.exact.intmat import IntMat
from exactmin.nets import cluster_pass as cp
from exactmin.nets import construct_deep as cd
from exactmin.nets.cost import last_layer_lsq


def _f(q) -> float:
    q = Fraction(str(q))
    return q.numerator / q.denominator


def _forward_cost(Ws, bs, X, Y, sizes, chunk=None) -> float:
    cost, start = 0.0, 0
    for j, n in enumerate(sizes):
        step = chunk or n
        for s0 in range(start, start + n, step):
            H = X[:, s0:min(s0 + step, start + n)]
            for W, b in zip(Ws[:-1], bs[:-1]):
                H = W @ H
                H += b
                np.maximum(H, 0.0, out=H)
            d = Ws[-1] @ H + bs[-1] - Y[:, j:j + 1]
            cost += float(np.einsum("ij,ij->", d, d)) / n
        start += n
    return cost


def float_pass(net_json: dict, X: np.ndarray, Y: np.ndarray, sizes) -> float:
    """Seconds of the faster of two float64 forward passes + weighted cost (2.36) of the network: whole
    classes at once, or blocks of 4096 columns (small BLAS calls; faster on a loaded machine)."""
    Ws = [np.array([[_f(v) for v in row] for row in W]) for W in net_json["weights"]]
    bs = [np.array([_f(v) for v in b]).reshape(-1, 1) for b in net_json["biases"]]
    best = None
    for chunk in (None, 4096):
        t0 = time.perf_counter()
        _forward_cost(Ws, bs, X, Y, sizes, chunk)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def phases(inst) -> dict:
    """Time the parts of the certified check separately (same code paths as check_thm23)."""
    out = {}
    t = time.perf_counter()
    h = deep_claims.hypotheses(inst)
    out["hypotheses"] = time.perf_counter() - t
    g = cd.Geometry.of(inst, h["values"]["delta_squared"])
    par = cd.choose_parameters(g)
    con = cd.build(inst, g, inst.Q, par.lam, par.mu, cd.TOLERANCES[0])
    X = IntMat(inst.X0_num, inst.X0_den)
    t = time.perf_counter()
    ce = cp.cluster_extremes(con.Wc[:inst.Q], con.bc[:inst.Q], X, inst.sizes)
    out["sign pass"] = time.perf_counter() - t
    out["stats"] = ce.stats
    return out


def bench_thm23(Q: int, N: int, den: int, seed: int) -> tuple:
    t = time.perf_counter()
    inst = generate_deep(Q, N // Q, seed=seed, denominator=den)
    t_gen = time.perf_counter() - t
    inst = Instance(inst.name, inst.X0_num, inst.X0_den, inst.sizes, inst.Y)    # cold caches (means, δ, ...)
    t = time.perf_counter()
    _ = inst.sha256
    t_hash = time.perf_counter() - t
    check = base.get("deep.thm2.3").check
    t = time.perf_counter()
    cert = check(inst)
    t_exact = time.perf_counter() - t
    X = inst.X0_num.astype(float) / inst.X0_den
    Y = np.array([[_f(inst.Y[i, j]) for j in range(inst.Q)] for i in range(inst.Y.nrows())])
    t_float = min(float_pass(cert.witness["networks"]["L=Q"], X, Y, inst.sizes) for _ in range(3))
    ph = phases(Instance(inst.name, inst.X0_num, inst.X0_den, inst.sizes, inst.Y))
    tracemalloc.start()
    check(inst)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    verdicts = {k: v["verdict"] for k, v in cert.readings.items()}
    row = dict(Q=Q, N=inst.N, gen=t_gen, hash=t_hash, float=t_float, exact=t_exact, ratio=t_exact / t_float,
               hyp=ph["hypotheses"], sign=ph["sign pass"], rest=t_exact - ph["hypotheses"] - ph["sign pass"],
               peak_mb=peak / 2**20, data_mb=inst.X0_num.nbytes / 2**20, stats=ph["stats"], verdicts=verdicts,
               cost=cert.values.get("cost_squared"))
    return inst, cert, row


def bench_lsq(inst) -> tuple[float, float]:
    """(exact seconds, numpy seconds) of the weighted last-layer least squares on H = X_0, labels Y."""
    H = IntMat(inst.X0_num, inst.X0_den)
    t = time.perf_counter()
    last_layer_lsq(H, inst.Y, inst.sizes)
    t_exact = time.perf_counter() - t
    X = inst.X0_num.astype(float) / inst.X0_den
    w = np.repeat(1.0 / np.sqrt(np.array(inst.sizes, dtype=float)), inst.sizes)
    Yf = np.array([[_f(inst.Y[i, j]) for j in range(inst.Q)] for i in range(inst.Y.nrows())])
    T = np.repeat(Yf.T, inst.sizes, axis=0)
    best = None
    for _ in range(3):
        t = time.perf_counter()
        A = np.hstack([X.T, np.ones((inst.N, 1))]) * w[:, None]
        np.linalg.lstsq(A, T * w[:, None], rcond=None)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return t_exact, best


def bench_kernel(inst, cert, tmp: str) -> tuple[float, float]:
    """``exactmin verify`` of the deep.thm2.3 certificate as a whole process (the obligation kernel, standard
    library only: NPZ read, canonical hash, every reading): (wall seconds, peak RSS MB)."""
    from exactmin.certify.write_v2 import to_v2
    path, cpath = os.path.join(tmp, "k.npz"), os.path.join(tmp, "k_cert.json")
    write_instance(inst, path)
    with open(cpath, "w") as fh:
        json.dump(to_v2(cert), fh)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else ""))
    return _timed([sys.executable, "-m", "exactmin", "verify", cpath, "--instance", path], env)


def bench_parse(inst, tmp: str) -> list[tuple[str, float, float]]:
    out = []
    nums = inst.N * inst.M
    for ext in ("json", "csv", "npz"):
        path = os.path.join(tmp, f"p.{ext}")
        write_instance(inst, path, indent=None)
        t = time.perf_counter()
        back = load_instance(path)
        dt = time.perf_counter() - t
        assert back.same_data(inst)
        out.append((ext, dt, nums / dt))
    return out


# ---------------------------------------------------------------------------------------------- end to end (issue 18)

E2E_CLAIMS = ("deep.thm2.3", "deep.thm2.4", "deep.eq2.61", "shallow.thm3.2", "shallow.upper-bound", "shallow.relative-error",
              "shallow.thm3.3")
#: every other instance claim (``--claims all``): the deep paper's remaining claims
E2E_MORE = ("deep.hypotheses", "deep.prop2.2", "deep.eq2.66", "deep.lemma4.1", "deep.lemma5.1", "deep.eq4.30", "deep.eq2.68",
            "deep.thm2.5", "deep.eq2.38", "deep.thm2.3-bound", "deep.eq4.11", "deep.eq4.13", "deep.eq4.23", "deep.eq4.43")

#: the float64 pipeline a user would run instead, on the same NPZ file, as its own process: numpy.load, a ReLU
#: forward pass (Q layers for deep.*, one hidden layer of width M for shallow.*) with the weighted cost (2.36),
#: and for the least-squares claims numpy.linalg.lstsq of the weighted output layer (free bias)
#: the ReLU forward pass (``layers`` layers) and the weighted cost (2.36) of X (M x N), cls, Y: shared by the pipelines
_FLOAT_FORWARD = r"""
Q = Y.shape[1]
sizes = np.bincount(cls, minlength=Q)
rng = np.random.default_rng(0)
H = X
for _ in range(layers):
    W = np.eye(H.shape[0]) + 0.1 * rng.standard_normal((H.shape[0], H.shape[0]))
    H = W @ H + 1.0
    np.maximum(H, 0.0, out=H)
A = rng.standard_normal((Y.shape[0], H.shape[0]))
w = 1.0 / sizes[cls]
R = A @ H - Y[:, cls]
cost = float((R * R).sum(axis=0) @ w)
"""

FLOAT_PIPELINE = r"""
import sys, numpy as np
path, layers, lsq = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
z = np.load(path)
X = z["num"].T / float(z["den"]); cls = z["cls"]; Y = z["labels_num"] / float(z["labels_den"])
""" + _FLOAT_FORWARD + r"""
if lsq:
    sw = np.sqrt(w)[:, None]
    D = np.hstack([H.T, np.ones((H.shape[1], 1))]) * sw
    np.linalg.lstsq(D, Y[:, cls].T * sw, rcond=None)
print(cost)
"""


def _instance_for(cid: str, Q: int, N: int, seed: int):
    from exactmin.data.generate_shallow import generate_shallow
    if cid.startswith("deep."):
        return generate_deep(Q, N // Q, seed=seed, denominator=2**20)
    M = 2 * Q if cid in ("shallow.upper-bound", "shallow.thm3.3") else Q
    N = min(N, MAX_NUMBERS // M // Q * Q)       # the input limit of 10^7 numbers: 6.25·10^5 points at M = 16
    return generate_shallow(Q, M, N // Q, seed=seed)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except (OSError, ValueError):
        return []


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size (MB) of process ``pid`` and its descendants, from /proc (Linux; 0 where unreadable):
    pages a forked helper shares with its parent are counted once.  0 while ``pid`` has no children: reading
    smaps_rollup walks the page tables and slows the process measured, and its own peak RSS is exact anyway."""
    todo = _children(pid)
    if not todo:
        return 0.0
    total, todo = 0, todo + [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next((int(ln.split()[1]) for ln in fh if ln.startswith("Pss:")), 0)
        except (OSError, ValueError):
            pass
        if p != pid:
            todo += _children(p)
    return total / 1024


def _timed(cmd, env) -> tuple[float, float]:
    """(wall seconds, peak memory MB) of one child process: the larger of its own peak RSS (os.wait4) and the peak
    of its process tree's summed PSS, sampled every 0.1 s (exactmin's helper processes for the second core, and the
    kernel's hash copy, count with the pages they do not share)."""
    import subprocess
    import threading
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done = [0.0], threading.Event()

    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_pss_mb(p.pid))
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, ru = os.wait4(p.pid, 0)
    done.set()
    th.join()
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode()
    p.stderr.close()
    if p.returncode not in (0, 1):       # exit 1: some reading refuted (a result, not an error)
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err[-400:]}")
    return dt, max(ru.ru_maxrss / 1024, peak[0])


def bench_e2e(claims, Q: int, ns, reps: int, seed: int) -> list[dict]:
    """Paired end-to-end runs: ``exactmin check CLAIM --instance FILE.npz --certificate c.json`` against the float
    pipeline on the same file, each a fresh process; ratio of the medians, peak RSS of each process."""
    import statistics
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in ns:
            made = {}
            for cid in claims:
                key = "deep" if cid.startswith("deep.") else ("wide" if cid in ("shallow.upper-bound",
                                                                               "shallow.thm3.3") else "square")
                if key not in made:
                    inst = _instance_for(cid, Q, n, seed)
                    path = os.path.join(tmp, f"{key}_{n}.npz")
                    write_instance(inst, path)
                    made[key] = (path, inst.M, inst.N)
                path, M, n_pts = made[key]
                layers = Q if cid.startswith("deep.") else 1
                lsq = "0" if cid == "deep.thm2.3" else "1"
                fcmd = [sys.executable, "-c", FLOAT_PIPELINE, path, str(layers), lsq]
                ecmd = [sys.executable, "-m", "exactmin", "check", cid, "--instance", path, "--certificate",
                        os.path.join(tmp, "c.json"), "--quiet"]
                tf, te, mf, me = [], [], [], []
                for _ in range(reps):
                    a, ma = _timed(fcmd, env)
                    b, mb = _timed(ecmd, env)
                    tf.append(a), te.append(b), mf.append(ma), me.append(mb)
                r = dict(claim=cid, N=n_pts, M=M, float=statistics.median(tf), exact=statistics.median(te),
                         float_mb=max(mf), exact_mb=max(me))
                r["ratio"] = r["exact"] / r["float"]
                rows.append(r)
                print(f"{cid:<24} {n_pts:>8} {M:>3} {r['float']:>8.2f} {r['exact']:>8.2f} {r['ratio']:>6.1f}x "
                      f"{r['float_mb']:>8.0f} {r['exact_mb']:>8.0f}", flush=True)
    return rows


#: the float64 pipeline on a CSV / JSON file (issue 18, text input): pandas.read_csv or json.load + numpy.asarray,
#: then the same ReLU forward pass (Q layers) and weighted cost as FLOAT_PIPELINE
FLOAT_TEXT_PIPELINE = r"""
import sys, json, numpy as np
path, layers = sys.argv[1], int(sys.argv[2])
if path.endswith(".csv"):
    import pandas as pd
    A = pd.read_csv(path).to_numpy()
    X = A[:, :-1].astype(np.float64).T; cls = A[:, -1].astype(np.int64)
    Y = np.eye(int(cls.max()) + 1)
else:
    with open(path) as fh:
        d = json.load(fh)
    parts = [np.asarray(c["points"], dtype=np.float64) for c in d["classes"]]
    X = np.concatenate(parts).T; cls = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
    Y = np.asarray(d["labels"], dtype=np.float64) if "labels" in d else np.eye(len(parts))
""" + _FLOAT_FORWARD + r"""
print(cost)
"""


def write_float_export(inst, path: str) -> None:
    """``inst`` as a user exports floats: repr(float) of every coordinate (CSV with a header row, or JSON lists)."""
    X = (inst.X0_num.astype(float) / inst.X0_den).T.tolist()
    cls = np.repeat(np.arange(inst.Q), inst.sizes).tolist()
    if path.endswith(".csv"):
        with open(path, "w") as fh:
            fh.write(",".join(f"x{k}" for k in range(inst.M)) + ",class\n")
            fh.writelines(",".join(map(repr, row)) + f",{c}\n" for row, c in zip(X, cls))
    else:
        pts = [[] for _ in range(inst.Q)]
        for row, c in zip(X, cls):
            pts[c].append(row)
        with open(path, "w") as fh:
            json.dump({"format": "exactmin-instance/1", "classes": [{"points": p} for p in pts]}, fh)


def bench_text(Q: int, ns, reps: int, seed: int) -> None:
    """``exactmin check deep.thm2.3 --instance FILE`` on CSV / JSON files as whole processes: exactmin's own files
    (write_instance: fractions k/2^20) and the same instance exported with repr(float); the float pipeline
    (FLOAT_TEXT_PIPELINE) on the float export; medians of paired runs, peak RSS per process; then one `exactmin
    verify` of the certificate with the same file (the kernel's reader)."""
    import statistics
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    print(f"{'file':<22} {'N':>8} {'float':>8} {'exactmin':>8} {'ratio':>7} {'float MB':>8} {'exact MB':>8} "
          f"{'verify':>8} {'verif MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in ns:
            inst = generate_deep(Q, n // Q, seed=seed, denominator=2**20)
            for ext in ("csv", "json"):
                own, flt = os.path.join(tmp, f"own.{ext}"), os.path.join(tmp, f"float.{ext}")
                write_instance(inst, own, indent=None)
                write_float_export(inst, flt)
                fcmd = [sys.executable, "-c", FLOAT_TEXT_PIPELINE, flt, str(Q)]
                for label, path in ((f"{ext}, write_instance", own), (f"{ext}, repr(float)", flt)):
                    ecmd = [sys.executable, "-m", "exactmin", "check", "deep.thm2.3", "--instance", path,
                            "--certificate", os.path.join(tmp, "c.json"), "--quiet"]
                    tf, te, mf, me = [], [], [], []
                    for _ in range(reps):
                        a, ma = _timed(fcmd, env)
                        b, mb = _timed(ecmd, env)
                        tf.append(a), te.append(b), mf.append(ma), me.append(mb)
                    f, e = statistics.median(tf), statistics.median(te)
                    v, mv = _timed([sys.executable, "-m", "exactmin", "verify", os.path.join(tmp, "c.json"),
                                    "--instance", path], env)          # the kernel on the same file, one run
                    print(f"{label:<22} {inst.N:>8} {f:>8.2f} {e:>8.2f} {e / f:>6.1f}x {max(mf):>8.0f} "
                          f"{max(me):>8.0f} {v:>8.2f} {mv:>8.0f}", flush=True)


def _compile_sources() -> None:
    """Byte-compile exactmin and its kernel once, as `pip install` does: otherwise, with PYTHONDONTWRITEBYTECODE set
    (as on the CI machine) every measured process would compile ~110 modules first (about 0.5 s), a cost no
    installed copy pays and the float pipeline (installed NumPy / pandas) does not pay either."""
    import compileall
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for pkg in ("exactmin", "exactmin_kernel"):
        compileall.compile_dir(os.path.join(root, pkg), quiet=1)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--q", type=int, default=8)
    ap.add_argument("--n", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    ap.add_argument("--den", type=int, default=2**20, help="coordinate denominator (default 2^20)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kernel-n", type=int, default=10**6, help="N of the kernel re-check (0: skip)")
    ap.add_argument("--skip-lsq", action="store_true")
    ap.add_argument("--skip-parse", action="store_true")
    ap.add_argument("--quick", action="store_true", help="N = 2000, 10^4; kernel at 2000")
    ap.add_argument("--e2e", action="store_true",
                    help="end to end (issue 18): `exactmin check` processes against the float pipeline, per claim")
    ap.add_argument("--claims", nargs="+", default=list(E2E_CLAIMS), help="claim ids, or 'all' (every instance claim)")
    ap.add_argument("--reps", type=int, default=3, help="paired runs per claim and N (--e2e)")
    ap.add_argument("--text", action="store_true",
                    help="deep.thm2.3 on CSV / JSON files as whole processes against the float pipeline (issue 18)")
    a = ap.parse_args(argv)
    if a.text or a.e2e:
        _compile_sources()
    if a.text:
        print(f"deep.thm2.3 on text files, Q = M = {a.q}; median of {a.reps} paired runs; seconds, peak RSS (MB)")
        bench_text(a.q, a.n, a.reps, a.seed)
        return
    if a.e2e:
        print(f"end to end, Q = {a.q}, NPZ; median of {a.reps} paired runs; seconds and peak RSS (MB) per process")
        print(f"{'claim':<24} {'N':>8} {'M':>3} {'float':>8} {'exactmin':>8} {'ratio':>7} {'float MB':>8} "
              f"{'exact MB':>8}")
        bench_e2e(list(E2E_CLAIMS + E2E_MORE) if a.claims == ["all"] else a.claims, a.q, a.n, a.reps, a.seed)
        return
    if a.quick:
        a.n, a.kernel_n = [2000, 10**4], 2000
    print(f"deep.thm2.3, Q = {a.q}, coordinates over {a.den}; times in seconds; python {sys.version.split()[0]}, "
          f"numpy {np.__version__}")
    hdr = (f"{'N':>8} {'float64':>8} {'certified':>9} {'ratio':>6} | {'hyp':>6} {'signs':>6} {'rest':>6} | "
           f"{'hash':>6} {'gen':>6} | {'peak MB':>7} {'data MB':>7} {'exact/filtered':>16} {'block':>6}  verdicts")
    print(hdr)
    kept = {}
    for n in a.n:
        inst, cert, r = bench_thm23(a.q, n, a.den, a.seed)
        kept[inst.N] = (inst, cert)
        st: FilterStats = r["stats"]
        v = "/".join(sorted(set(r["verdicts"].values())))
        print(f"{r['N']:>8} {r['float']:>8.3f} {r['exact']:>9.3f} {r['ratio']:>6.2f} | {r['hyp']:>6.3f} "
              f"{r['sign']:>6.3f} {r['rest']:>6.3f} | {r['hash']:>6.2f} {r['gen']:>6.2f} | {r['peak_mb']:>7.1f} "
              f"{r['data_mb']:>7.1f} {st.exact:>7}/{st.entries:<8} {st.max_block_cols:>6}  {v} (cost^2 {r['cost']})",
              flush=True)
    if not a.skip_lsq:
        print(f"\nexact last-layer least squares vs numpy.linalg.lstsq (weighted, bias free, Q = {a.q})")
        print(f"{'N':>8} {'numpy':>8} {'exact':>8} {'ratio':>6}")
        for n, (inst, _) in kept.items():
            te, tn = bench_lsq(inst)
            print(f"{n:>8} {tn:>8.3f} {te:>8.3f} {te / tn:>6.2f}", flush=True)
    inst = Instance(*(lambda i: (i.name, i.X0_num, i.X0_den, i.sizes, i.Y))(kept[max(kept)][0]))
    t = time.perf_counter()
    fast = canonical_bytes(inst)
    t_fast = time.perf_counter() - t
    t = time.perf_counter()
    same = fast == inst.canonical_bytes()
    t_ref = time.perf_counter() - t
    print(f"\ninstance hash (canonical form + sha256) at N = {inst.N}: Instance.canonical_bytes {t_ref:.2f} s, "
          f"vectorised exactmin.exact.canon {t_fast:.2f} s (same bytes: {same})")
    with tempfile.TemporaryDirectory() as tmp:
        if a.kernel_n:
            inst, cert = kept.get(a.kernel_n) or bench_thm23(a.q, a.kernel_n, a.den, a.seed)[:2]
            dt, mb = bench_kernel(inst, cert, tmp)
            print(f"\nexactmin verify (obligation kernel, stdlib only: NPZ read + hash + every reading) of deep.thm2.3 "
                  f"at N = {inst.N}: {dt:.1f} s, peak RSS {mb:.0f} MB (target < 30 s and < 1 GB at 10^6)", flush=True)
        if not a.skip_parse:
            inst = kept[max(kept)][0]
            print(f"\nparse rates at N = {inst.N} ({inst.N * inst.M} numbers)")
            for ext, dt, rate in bench_parse(inst, tmp):
                print(f"  {ext:>4}: {dt:7.2f} s  {rate / 1e6:7.2f} M numbers/s", flush=True)


if __name__ == "__main__":
    main()
