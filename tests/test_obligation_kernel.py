"""The obligation kernel (exactmin_kernel): stdlib-only, strict reading, and adversarial certificates.

Forgeries are made the way an attacker would: change the witness, rebuild every dependent witness field with the
statement's own formulas (so nothing is inconsistent), claim ``proved``.  Each must be rejected by a NAMED
obligation, the truth being decided independently of the kernel (exact facts from the library).  The
"drop" tests remove that one obligation from the statement and show the same forgery is then accepted: every
obligation is needed.
"""
import ast
import json
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactmin_kernel as K
from exactmin.certify import kernel as old
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.generate import generate_deep
from exactmin.data.io import load_instance
from exactmin_kernel import driver
from exactmin_kernel.interp import det, holds, mm, mv, sqrt_sign, tr
from exactmin_kernel.statements import deep_thm2_3 as T
from exactmin_kernel.statements import deep_thm2_3_family as Fam

ROOT = Path(__file__).resolve().parents[1]
STD = {"__future__", "array", "collections", "csv", "fractions", "functools", "hashlib", "io", "itertools", "json",
       "math", "re", "operator", "sys", "typing", "zipfile"}
_CACHE = {}


def _lib(name, **opts):
    """(library certificate, v2 document, kernel Instance) of deep.thm2.3 on a bundled instance."""
    key = (name, tuple(sorted(opts.items())))
    if key not in _CACHE:
        c = base.get("deep.thm2.3").check(load_instance(bundled(name)), **opts)
        _CACHE[key] = (c, json.dumps(to_v2(c)), K.load(bundled(name)))
    c, doc, inst = _CACHE[key]
    return c, json.loads(doc), inst


def _inv(A):
    n = len(A)
    M = [list(r) + [F(int(i == j)) for j in range(n)] for i, r in enumerate(A)]
    for k in range(n):
        p = next(i for i in range(k, n) if M[i][k])
        M[k], M[p] = M[p], M[k]
        M[k] = [x / M[k][k] for x in M[k]]
        for i in range(n):
            if i != k and M[i][k]:
                M[i] = [a - M[i][k] * b for a, b in zip(M[i], M[k])]
    return tuple(tuple(r[n:]) for r in M)


def rebuild(I, w, layers=None):
    """The networks of (4.24)-(4.58) from the witness (lambda, mu, f~, R), per layer (2.45), as the kernel states
    them: the forger's consistent refill after changing the witness."""
    Q, lam, mu = I.Q, F(w["lambda"]), F(w["mu"])
    f = [tuple(map(F, x)) for x in w["f_tilde"]]
    R = [tuple(tuple(map(F, r)) for r in M) for M in w["R"]]
    Ws = tuple(tuple((1 - lam) / Q + lam * (i == j) for j in range(Q)) for i in range(Q))
    c = [tuple(m - mu * x for m, x in zip(I.means[l], f[l])) for l in range(Q)]
    out = {}
    for name, L in (("L=Q", Q), ("L>Q", layers or Q + 1)):
        Wc = [mm(Ws, R[min(l, Q - 1)]) for l in range(L)] + [mm(I.Y, _inv(tr(c)))]
        bc = [tuple(-x for x in mv(Wc[l], c[min(l, Q - 1)])) for l in range(L)] + [(F(0),) * I.K]
        Wl, bl = [Wc[0]], [bc[0]]
        for l in range(1, L + 1):
            Wl.append(mm(Wc[l], _inv(Wc[l - 1])))
            bl.append(tuple(a - b for a, b in zip(bc[l], mv(Wl[-1], bc[l - 1]))))
        out[name] = {"weights": [[[str(x) for x in r] for r in W] for W in Wl], "biases": [[str(x) for x in b] for b in bl]}
    return out


def forge(doc, I, **changes):
    """Change witness fields, rebuild the networks consistently, claim every reading proved."""
    d = json.loads(json.dumps(doc))
    d["witness"].update({k: v for k, v in changes.items()})
    if "networks" not in changes:
        d["witness"]["networks"] = rebuild(I, d["witness"])
    for k in PAPER_FIELDS:                  # the readings on all of I_0^Q without their witness: undecided
        d["witness"].pop(k, None)
    d["readings"] = {r: "proved" if r in T.READINGS[:5] else "undecided" for r in T.READINGS}
    d["verdict"] = "undecided"
    return d


PAPER_FIELDS = ("mu_I0", "pair", "box_s", "gl_s", "merge_s", "merge_set")


def rejected_by(doc, I, name):
    with pytest.raises(driver.Invalid) as e:
        K.check(doc, I)
    assert name in str(e.value), str(e.value)


def accepted(doc, I):
    claim, _, got = K.check(doc, I)
    return {r: v for r, (v, _) in got.items()}


@pytest.fixture
def drop(monkeypatch):
    """Remove every obligation whose name contains ``part`` from the thm2.3 statement (conclusions and premises)."""
    def _drop(part):
        for fn in ("conclusion", "premises"):
            orig = getattr(T, fn)
            monkeypatch.setattr(T, fn, lambda I, w, r, orig=orig: (ob for ob in orig(I, w, r) if part not in ob.name))
    return _drop


# ------------------------------------------------------------------------------------------ packaging and caps

def test_kernel_package_is_stdlib_only():
    for f in sorted((ROOT / "exactmin_kernel").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                assert {a.name.split(".")[0] for a in node.names} <= STD, f
            elif isinstance(node, ast.ImportFrom) and not node.level:
                assert node.module.split(".")[0] in STD, (f, node.module)


def test_kernel_imports_and_verifies_with_numpy_flint_sympy_exactmin_blocked(tmp_path):
    _, doc, _ = _lib("deep_q3")
    p = tmp_path / "c.json"
    p.write_text(json.dumps(doc))
    code = ("import sys\nfor m in ('numpy', 'flint', 'sympy', 'mpmath', 'exactmin'): sys.modules[m] = None\n"
            "import exactmin_kernel as K\n"
            f"ok, why = K.verify(K.load_json(open({str(p)!r}).read()), {str(bundled('deep_q3'))!r})\n"
            "assert ok, why\nassert 'exactmin' not in sys.modules or sys.modules['exactmin'] is None\nprint(why)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert "deep.thm2.3 on instance sha256" in r.stdout and "L=Q: proved" in r.stdout


def test_trusted_base_line_count():
    """Issue 15: interpreter + driver + the thm2.3 statement under 350 non-blank lines (docs/kernel.md has the
    table).  The readings mu-box/collapse-only (deep_thm2_3_family) and the paper's network (deep_thm2_3_paper) and
    the matrix judgments (matrix.py) are files of their own, which the L=Q and L>Q verdicts do not run
    (test_thm23_main_readings_run_only_the_main_file)."""
    files = ["obligations.py", "interp.py", "driver.py", "statements/deep_thm2_3.py"]     # the forward-pass route
    n = sum(sum(1 for ln in (ROOT / "exactmin_kernel" / f).read_text().splitlines() if ln.strip()) for f in files)
    assert n < 350, n


def test_thm23_main_readings_run_only_the_main_file(monkeypatch):
    """The L=Q and L>Q verdicts need no code outside the trusted base counted above: with the other reading files
    and the matrix judgments replaced by code that raises, they are re-derived unchanged (and the other readings
    then fail loudly, so the replacement is in force)."""
    from exactmin_kernel import interp, obligations as ob
    from exactmin_kernel.statements import deep_thm2_3_paper as Pap
    _, doc, I = _lib("deep_q3")
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    want = {r: driver.reading(T, I, w, r)[0] for r in ("L=Q", "L>Q")}

    def boom(*a, **k):
        raise RuntimeError("outside the trusted base")
    for mod in (Fam, Pap):
        for fn in ("conclusion", "refutation"):
            monkeypatch.setattr(mod, fn, boom)
    for kind in (ob.PSD, ob.PosDef, ob.Rank, ob.Inverse):
        monkeypatch.setitem(interp.DECIDE, kind, boom)
    assert {r: driver.reading(T, I, w, r)[0] for r in ("L=Q", "L>Q")} == want == {"L=Q": "proved", "L>Q": "proved"}
    with pytest.raises(RuntimeError):
        driver.reading(T, I, w, "mu-box")
    monkeypatch.setattr(Fam, "route", lambda *a: None)          # without the (2.59) route: the forward pass alone
    assert {r: driver.reading(T, I, w, r)[0] for r in ("L=Q", "L>Q")} == want


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"])
def test_thm23_route_agrees_with_the_forward_pass(name, monkeypatch):
    """The (2.59) route (row extremes, packed integers) and the core's exact forward pass give the same L=Q / L>Q
    verdicts, and the route is taken where the construction collapses (so the comparison is not vacuous)."""
    _, doc, I = _lib(name)
    if doc["readings"]["L=Q"] == "hypotheses-fail":
        return
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    fast = {r: driver.reading(T, I, w, r) for r in ("L=Q", "L>Q")}
    taken = []
    real = Fam.route
    monkeypatch.setattr(Fam, "route", lambda *a: taken.append(real(*a) is not None))
    slow = {r: driver.reading(T, I, w, r) for r in ("L=Q", "L>Q")}
    assert {r: v for r, (v, _) in fast.items()} == {r: v for r, (v, _) in slow.items()}
    assert all(taken) == (fast["L=Q"][0] == "proved")


def test_strict_json():
    with pytest.raises(driver.Invalid, match="duplicate"):
        driver.load_json('{"a": "1", "a": "2"}')
    with pytest.raises(driver.Invalid, match="bare JSON number"):
        driver.load_json('{"a": 1}')
    with pytest.raises(driver.Invalid, match="bare JSON number"):
        driver.load_json('{"a": NaN}')


def test_witness_schema_rejects_unknown_missing_and_malformed_fields():
    _, doc, I = _lib("deep_q2")
    for mutate, msg in ((lambda w: w.update(extra="1"), "unknown field"), (lambda w: w.pop("tol"), "missing field"),
                        (lambda w: w.update(mu="2/4"), "canonical"), (lambda w: w.update(mu="0.5"), "canonical"),
                        (lambda w: w["f_tilde"].pop(), "witness.f_tilde"),
                        (lambda w: w["networks"]["L=Q"]["weights"][0].pop(), r"weights\[0\]")):
        d = json.loads(json.dumps(doc))
        mutate(d["witness"])
        with pytest.raises(driver.Invalid, match=msg):
            K.check(d, I)


def test_metadata_fields_and_hash_are_checked():
    _, doc, I = _lib("deep_q2")
    for extra in ({"provenance": {}}, {"values": {}}, {"parameters": {}}):
        with pytest.raises(driver.Invalid, match="exactly the fields"):
            K.check({**doc, **extra}, I)
    with pytest.raises(driver.Invalid, match="instance hash"):
        K.check(doc, K.load(bundled("deep_q3")))


def test_numbers_beyond_4300_digits_parse_and_caps_hold():
    """int() refuses > 4300 digits by default (the old kernel fails there); the driver raises the limit to a cap."""
    _, doc, I = _lib("deep_q2")
    d = json.loads(json.dumps(doc))
    d["witness"]["tol"] = str(F(1, 10**5000) + F(1, 3))                     # 5000-digit denominator, tol < sqrt 2
    assert accepted({**d, "readings": {**d["readings"], "L=Q": "proved"}}, I)["L=Q"] == "proved"
    d["witness"]["tol"] = "1/1" + "0" * 30000
    with pytest.raises(driver.Invalid, match="canonical"):
        K.check(d, I)


def test_sqrt_sign_is_exact():
    assert sqrt_sign([(F(1), F(2)), (F(1), F(3)), (F(-1), F(10))]) == -1     # 3.146 < 3.162
    assert sqrt_sign([(F(1), F(2)), (F(1), F(8)), (F(-1), F(18))]) == 0      # sqrt 2 + 2 sqrt 2 = 3 sqrt 2
    assert sqrt_sign([(F(1), F(2)), (F(1), F(3)), (F(-1), F(5)), (F(-1), F(F(1, 10**40)))]) == 1
    assert det(((F(1), F(2)), (F(3), F(4)))) == -2 and det(((F(0), F(1)), (F(1), F(0)))) == -1


# ------------------------------------------------------------------------------------------ forgeries of thm2.3

def test_genuine_certificates_verify():
    for name in ("deep_q2", "deep_q3", "deep_q4", "deep_q2_violates_2_14"):
        c, doc, I = _lib(name)
        assert accepted(doc, I) == {r: c.readings[r]["verdict"] for r in T.READINGS}


def test_forged_mu_outside_I0_above(drop):
    """mu = -3/10 on deep_q3: the data still collapse (the admissible interval is wider than I_0), but
    mu^2 < 4 delta^2 Q, so mu is not in I_0 (independent: the library's exact delta^2)."""
    c, doc, I = _lib("deep_q3")
    mu = F(-3, 10)
    assert mu * mu < 4 * F(c.values["delta_squared"]) * 3
    bad = forge(doc, I, mu=str(mu))
    rejected_by(bad, I, "mu=-3/10 < -2 delta sqrt Q")
    drop("< -2 delta sqrt Q")
    assert accepted(bad, I)["L=Q"] == "proved"


def test_forged_mu_below_minus_D(drop):
    """mu = -1001/1000 on deep_q4: below -D (the library's enclosure of D), yet the data still collapse."""
    c, doc, I = _lib("deep_q4")
    mu = F(-1001, 1000)
    assert -mu > F(c.enclosures["D"]["hi"])
    bad = forge(doc, I, mu=str(mu))
    rejected_by(bad, I, "mu=-1001/1000 > -D")
    drop("> -D")
    assert accepted(bad, I)["L=Q"] == "proved"


def test_forged_mu_box_reaching_outside_I0(drop):
    c, doc, I = _lib("deep_q3")
    bad = forge(doc, I, mu_box=[doc["witness"]["mu_box"][0], "-3/10"])
    rejected_by(bad, I, "mu=-3/10 < -2 delta sqrt Q")
    drop("< -2 delta sqrt Q")
    assert accepted(bad, I)["mu-box"] == "proved"


def test_forged_network_not_the_construction(drop):
    """Positive homogeneity: (2 W_1, 2 b_1, W_2 / 2) has the same outputs (cost 0) but is not (4.32)-(4.34)."""
    _, doc, I = _lib("deep_q3")
    d = json.loads(json.dumps(doc))
    net = d["witness"]["networks"]["L=Q"]
    net["weights"][0] = [[str(2 * F(x)) for x in r] for r in net["weights"][0]]
    net["biases"][0] = [str(2 * F(x)) for x in net["biases"][0]]
    net["weights"][1] = [[str(F(x) / 2) for x in r] for r in net["weights"][1]]
    rejected_by(d, I, "W^(1), b^(1) as (4.56)-(4.58)")
    drop("W^(1), b^(1)")
    assert accepted(d, I)["L=Q"] == "proved"


def test_forged_output_layer_is_caught_by_the_outputs():
    _, doc, I = _lib("deep_q2")
    d = json.loads(json.dumps(doc))
    W = d["witness"]["networks"]["L=Q"]["weights"]
    W[-1][0][0] = str(F(W[-1][0][0]) + F(1, 7))
    rejected_by(d, I, "W^(L+1) X0red[mu] = Y")


def test_forged_vacuous_tol(drop):
    """tol = 3/2 > sqrt 2 makes the closeness test of f~ vacuous."""
    _, doc, I = _lib("deep_q3")
    bad = forge(doc, I, tol="3/2")
    rejected_by(bad, I, "0 < tol < sqrt 2")
    drop("0 < tol < sqrt 2")
    assert accepted(bad, I)["L=Q"] == "proved"


def test_forged_lambda_above_one(drop):
    """lambda = 101/100: W_* stretches the complement of u; (4.29) needs lambda <= 1."""
    _, doc, I = _lib("deep_q2")
    bad = forge(doc, I, **{"lambda": "101/100"})
    rejected_by(bad, I, "lambda <= 1")
    drop("lambda <= 1")
    assert accepted(bad, I)["L=Q"] == "proved"


def test_forged_reflection_instead_of_rotation(drop):
    """R_1 -> H R_1 with H the reflection fixing u~: orthogonal, maps f~_1 to u~, but det = -1."""
    _, doc, I = _lib("deep_q2")
    w = doc["witness"]
    u = tuple(map(F, w["u_tilde"]))
    n = tuple(F(int(i == 0)) - u[0] * x for i, x in enumerate(u))          # n orthogonal to u~
    H = tuple(tuple(F(int(i == j)) - 2 * n[i] * n[j] / sum(x * x for x in n) for j in range(2)) for i in range(2))
    R1 = mm(H, tuple(tuple(map(F, r)) for r in w["R"][0]))
    bad = forge(doc, I, R=[[[str(x) for x in r] for r in R1]] + w["R"][1:])
    rejected_by(bad, I, "det R_1 = 1")


def test_hypotheses_fail_cannot_be_claimed_or_hidden():
    _, doc, I = _lib("deep_q2_violates_2_14")
    _, good, _ = _lib("deep_q2")
    bad = {**doc, "readings": {r: "proved" for r in T.READINGS}, "verdict": "proved"}
    rejected_by(bad, I, "hypothesis 2.14 is false")
    rejected_by({**bad, "witness": good["witness"]}, I, "hypotheses do not hold")
    _, doc2, I2 = _lib("deep_q2")
    rejected_by({**doc2, "readings": {r: "hypotheses-fail" for r in T.READINGS}, "verdict": "hypotheses-fail"},
                I2, "kernel proved")


def test_overall_verdict_must_aggregate():
    _, doc, I = _lib("deep_q2")
    rejected_by({**doc, "verdict": "undecided"}, I, "overall verdict")


# ------------------------------------------------------------------------------------------ self-acceptance, differential

@pytest.mark.parametrize("Q,seed", [(2, 4711), (3, 90210), (4, 31337)])
def test_self_acceptance_and_agreement_with_the_old_kernel_on_generic_data(tmp_path, Q, seed):
    """Generated asymmetric instances: the library's v2 certificate verifies, and the old kernel accepts the v1
    record of the same run, so both kernels derive the library's verdicts."""
    p = tmp_path / "g.json"
    p.write_text(json.dumps(generate_deep(Q, [3 + j for j in range(Q)], seed).to_json_dict()))
    c = base.get("deep.thm2.3").check(load_instance(p))
    got = accepted(json.loads(json.dumps(to_v2(c))), K.load(p))
    assert got == {r: c.readings[r]["verdict"] for r in T.READINGS}
    assert old.verify(json.loads(json.dumps(c.to_json())), p)[0]


def test_user_mu_outside_I0_agrees_with_the_old_kernel():
    """A user mu exactly outside I_0 for every theta_0: hypotheses-fail (the theorem's mu in I_0 is false), in the
    library and both kernels."""
    c, doc, I = _lib("deep_q3", mu="-3/10")
    assert c.readings["L=Q"]["verdict"] == "hypotheses-fail"
    assert "hypothesis mu=-3/10 < -2 delta sqrt Q is false" in K.verify(doc, bundled("deep_q3"))[1]
    assert accepted(doc, I) == {r: c.readings[r]["verdict"] for r in T.READINGS}
    assert old.verify(json.loads(json.dumps(c.to_json())), bundled("deep_q3"))[0]


# ------------------------------------------------------------------------------------------ Lemmas 4.1 / 5.1

def _lemma(cid, name="deep_q3"):
    c = base.get(cid).check(load_instance(bundled(name)))
    return c, json.loads(json.dumps(to_v2(c))), K.load(bundled(name))


@pytest.mark.parametrize("cid,sign", [("deep.lemma4.1", -1), ("deep.lemma5.1", 1)])
def test_lemma_genuine_and_square_hypothesis(cid, sign):
    c, doc, I = _lemma(cid)
    assert accepted(doc, I) == {"ball": "proved", "points": "proved", "symbolic": "proved"}
    c, doc, I = _lemma(cid, "shallow_q2_m3")                                     # M != Q
    assert accepted(doc, I) == {"ball": "hypotheses-fail", "points": "hypotheses-fail", "symbolic": "hypotheses-fail"}


@pytest.mark.parametrize("cid,sign", [("deep.lemma4.1", -1), ("deep.lemma5.1", 1)])
def test_lemma_refuted_with_mu_violating_the_hypothesis(cid, sign, monkeypatch):
    """Issue 15: a true lemma 'refuted' by a mu with |mu| < 2 delta ||W|| (tiny mu: some deviation breaks the
    conclusion).  Independent truth: |mu| = 10^-6 is far below 2 delta ||W|| >= 2 delta max|row|."""
    from exactmin_kernel.statements import deep_lemma4_1, deep_lemma5_1
    st = deep_lemma4_1 if sign < 0 else deep_lemma5_1
    _, doc, I = _lemma(cid)
    mu = F(sign, 10**6)
    dsq = max(sum((a - b) ** 2 for a, b in zip(p, m)) for cl, m in zip(I.classes, I.means) for p in cl)
    assert mu * mu < 4 * dsq * max(sum(F(x) ** 2 for x in r) for r in doc["witness"]["W"])
    bad = {**doc, "witness": {**doc["witness"], "mu": str(mu)}, "readings": {"ball": "proved", "points": "refuted",
                                                                                    "symbolic": "proved"},
           "verdict": "refuted"}
    rejected_by(bad, I, "hypothesis mu^2 > 4 delta^2 ||W||^2 is false")
    orig = st.premises
    monkeypatch.setattr(st, "premises", lambda I, w, r: (o for o in orig(I, w, r) if "||W||" not in o.name))
    with pytest.raises(driver.Invalid, match="ball: certificate 'proved', kernel undecided"):
        K.check(bad, I)                                    # the ball is not proved either without the premise
    assert accepted({**bad, "readings": {"ball": "undecided", "points": "refuted", "symbolic": "undecided"}},
                    I)["points"] == "refuted"


def test_lemma_refutation_names_an_exact_counterexample_and_needs_it(monkeypatch):
    """With the premise dropped, 'points' is refuted only through the named counterexample obligation."""
    from exactmin_kernel.statements import deep_lemma4_1 as st
    _, doc, I = _lemma("deep.lemma4.1")
    w = driver.read_witness(st.SCHEMA, {**doc["witness"], "mu": "-1/1000000"}, I)
    obs = list(st.refutation(I, w, "points"))
    assert obs[0].name.startswith("counterexample x_") and obs[0].e > 0
    assert [ob.name for ob in st.refutation(I, driver.read_witness(st.SCHEMA, doc["witness"], I), "points")] == \
        ["a counterexample exists"]


# ------------------------------------------------------------------------------------------ shallow.thm3.2

def _thm32(name="shallow_q2_m2"):
    c = base.get("shallow.thm3.2").check(load_instance(bundled(name)))
    return c, json.loads(json.dumps(to_v2(c))), K.load(bundled(name))


def test_thm32_genuine_and_verdict_mix():
    c, doc, I = _thm32()
    assert accepted(doc, I) == {r: c.readings[r]["verdict"] for r in c.readings}
    assert "refuted" in doc["readings"].values() and "proved" in doc["readings"].values()
    c, doc, I = _thm32("shallow_q2_m3")                                           # M != Q
    assert set(accepted(doc, I).values()) == {"hypotheses-fail"}


def test_thm32_dead_units_cannot_prove_local_minimality(monkeypatch):
    """Issue 15: a network whose hidden units are all dead (W_1 = I, b_1 = -beta u with every pre-activation < 0),
    still realising A* with zero cumulative output bias, claimed a local minimum.  Independent truth: every
    pre-activation is negative (plain arithmetic below)."""
    from exactmin_kernel.statements import shallow_thm3_2 as st
    c, doc, I = _thm32()
    net = doc["witness"]["network"]
    beta = 1 + max(abs(x) for cl in I.classes for p in cl for x in p)
    A = [[F(x) for x in r] for r in doc["witness"]["A_star"]]
    b1 = [-beta] * I.Q
    assert all(x + b < 0 for cl in I.classes for p in cl for x, b in zip(p, b1))
    net["biases"][0] = [str(b) for b in b1]
    net["biases"][1] = [str(-sum(a * b for a, b in zip(r, b1))) for r in A]
    refill = {r: v for r, (v, _) in driver.derive(st, I, doc["witness"]).items()}      # the kernel's own words
    assert refill["zero-output-bias/local-min"] == "undecided"
    bad = {**doc, "readings": {**refill, "zero-output-bias/local-min": "proved"}}
    bad["verdict"] = next(v for v in driver.ORDER if v in bad["readings"].values())
    rejected_by(bad, I, "network: every pre-activation > 0")
    orig = st.conclusion
    monkeypatch.setattr(st, "conclusion", lambda I, w, r: (o for o in orig(I, w, r) if "pre-activation" not in o.name))
    assert accepted(bad, I)["zero-output-bias/local-min"] == "proved"


def test_thm32_descent_must_move_only_along_the_gradient(monkeypatch):
    """A 'descent point' that is not b_2 - t g (here: a different output bias) cannot refute local minimality."""
    from exactmin_kernel.statements import shallow_thm3_2 as st
    c, doc, I = _thm32()
    assert doc["readings"]["free-output-bias/local-min"] == "refuted"
    d = json.loads(json.dumps(doc))
    d["witness"]["descent"]["b2"] = [str(F(x) + F(1, 3)) for x in d["witness"]["descent"]["b2"]]
    rejected_by(d, I, "kernel undecided")
    assert "free-output-bias/local-min: certificate 'refuted'" in pytest.raises(driver.Invalid, K.check, d, I).value.args[0]
    orig = st.refutation
    monkeypatch.setattr(st, "refutation", lambda I, w, r: (o for o in orig(I, w, r) if "b_2' = b_2 - t g" not in o.name))
    assert accepted(d, I)["free-output-bias/local-min"] == "refuted"


def test_thm32_second_network_must_differ():
    """degenerate: a 'second' network equal to the first proves nothing about an open set of minimisers."""
    c, doc, I = _thm32()
    d = json.loads(json.dumps(doc))
    d["witness"]["second_network"] = d["witness"]["network"]
    rejected_by(d, I, "second W_1 differs")


@pytest.mark.parametrize("Q,seed", [(2, 8123), (3, 5521), (4, 2718)])
def test_thm32_self_acceptance_and_old_kernel_agreement(tmp_path, Q, seed):
    p = tmp_path / "g.json"
    p.write_text(json.dumps(generate_deep(Q, [2 + 2 * j for j in range(Q)], seed).to_json_dict()))
    c = base.get("shallow.thm3.2").check(load_instance(p), seed=seed)
    assert accepted(json.loads(json.dumps(to_v2(c))), K.load(p)) == {r: c.readings[r]["verdict"] for r in c.readings}
    assert old.verify(json.loads(json.dumps(c.to_json())), p)[0]


# ------------------------------------------------------------------------------------------ shallow.upper-bound

def _ub(name="shallow_q3_m5"):
    c = base.get("shallow.upper-bound").check(load_instance(bundled(name)))
    return c, json.loads(json.dumps(to_v2(c))), K.load(bundled(name))


def test_upper_bound_genuine():
    for name in ("shallow_q3_m5", "shallow_q2_m2", "deep_q3"):
        c, doc, I = _ub(name)
        assert accepted(doc, I) == {r: c.readings[r]["verdict"] for r in c.readings} == {"construction": "proved",
                                                                                          "bound": "proved"}


def test_upper_bound_uncertified_lambda_bar(monkeypatch):
    """lambda_bar below ||Y||_op^2 (here 0; Y != 0): the constant C = Q lambda_bar is not certified."""
    from exactmin_kernel.statements import shallow_upper_bound as st
    c, doc, I = _ub()
    bad = {**doc, "witness": {**doc["witness"], "Y_gram_lambda_max_upper": "0"}}
    rejected_by(bad, I, "lambda_bar I - Y^T Y")
    orig = st.conclusion
    monkeypatch.setattr(st, "conclusion", lambda I, w, r: (o for o in orig(I, w, r) if "Y^T Y" not in o.name
                                                           and "<=" not in o.name))
    assert accepted(bad, I)["bound"] == "proved"           # without the certificate a 0 constant would 'prove' it


def test_upper_bound_network_must_be_the_construction(monkeypatch):
    """Noise rows not orthogonal to the class means: K X != 0 (the shifts refilled so the ReLU pattern still holds
    is not enough; the network would not compute Y P x off the data's span)."""
    from exactmin_kernel.statements import shallow_upper_bound as st
    c, doc, I = _ub()
    d = json.loads(json.dumps(doc))
    W = d["witness"]["network"]["weights"][0]
    W[I.Q] = [str(F(x) + F(1, 1000)) for x in W[I.Q]]
    rejected_by(d, I, "K X = 0")


# ------------------------------------------------------------------------------------------ shallow.relative-error

@pytest.mark.parametrize("field,value,name", [("lambda_max_upper", "0", "l_max I - Delta_2"),
                                              ("lambda_min_lower", "1000", "Delta_2 - l_min I"),
                                              ("lambda_min_lower", "-1", "l_min >= 0")])
def test_relative_error_uncertified_eigenvalue_bounds(field, value, name):
    """A prover-chosen eigenvalue bound must be certified (the vacuous-constant class of issue 15)."""
    c = base.get("shallow.relative-error").check(load_instance(bundled("shallow_q2_m2")))
    doc, I = json.loads(json.dumps(to_v2(c))), K.load(bundled("shallow_q2_m2"))
    assert accepted(doc, I) == {"gap-identity": "proved", "upper": "proved", "lower": "proved"}
    rejected_by({**doc, "witness": {**doc["witness"], field: value}}, I, name)


def test_thm23_refuted_only_through_a_named_violation_at_a_certified_mu(drop):
    """deep_q2 at mu = -11/10 (in I_0; docs/claims/deep_statements.md (2.58)): layer 2 sends c_1 onto c_2, so the
    realisation refutes (2.58) there.  The same claim at mu = -1001/1000 on deep_q4 (below -D, not certified)
    cannot be refuted even though the network is rebuilt consistently."""
    c, doc, I = _lib("deep_q2", mu="-11/10")
    assert accepted(doc, I) == {"L=Q": "refuted", "L>Q": "refuted", "mu-box": "refuted", "collapse-only": "proved",
                                "D>2delta-sqrtQ": "proved",
                                "Xred-mu-GL-on-I0": "refuted", "I0-box": "refuted", "L>Q/arbitrary": "proved"}
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    assert list(T.refutation(I, w, "L=Q"))[-1].name == "violated: outputs of class 1 = y_1"   # c_1 merged into c_2
    assert [ob.name for ob in Fam.conclusion(I, w, "mu-box") if "box: " in ob.name and holds(ob) is False][:1] == \
        ["box: earlier apexes pass layer 2"]                                                   # (2.59) fails there
    _, doc4, I4 = _lib("deep_q4")
    bad = forge(doc4, I4, mu="-1001/1000")
    bad["readings"] = {"L=Q": "refuted", "L>Q": "refuted", "mu-box": "proved"}
    bad["verdict"] = "refuted"
    rejected_by(bad, I4, "kernel undecided (obligation mu=-1001/1000 > -D")


@pytest.mark.parametrize("cid", ["deep.lemma4.1", "deep.lemma5.1"])
def test_lemma_with_zero_deviation_keeps_the_strict_hypothesis(tmp_path, cid):
    """Campaign find: with delta = 0 the library chose mu = 0, which violates |mu| > 2 delta ||W|| = 0 (the kernel
    said hypotheses-fail, the library undecided/proved).  The library now picks mu = sign; all three agree."""
    p = tmp_path / "z.json"
    p.write_text(json.dumps({"format": "exactmin-instance/1", "classes": [{"points": [["1", "2"]] * 3},
                                                                          {"points": [["3", "1"]] * 2}]}))
    c = base.get(cid).check(load_instance(p), seed=344626)
    assert accepted(json.loads(json.dumps(to_v2(c))), K.load(p)) == {"ball": "proved", "points": "proved",
                                                                      "symbolic": "proved"}
    assert old.verify(json.loads(json.dumps(c.to_json())), p)[0]


def _minors_oracle(M):
    """(PSD, PD) of the symmetric M from its principal / leading minors (python-flint determinants, independent of
    the kernel's elimination): PSD iff every principal minor >= 0, PD iff every leading minor > 0."""
    from itertools import combinations

    from flint import fmpq, fmpq_mat
    n = len(M)

    def dt(idx):
        return fmpq_mat(len(idx), len(idx), [fmpq(M[i][j].numerator, M[i][j].denominator) for i in idx for j in idx]).det()
    psd = all(dt(s) >= 0 for k in range(1, n + 1) for s in combinations(range(n), k))
    return psd, all(dt(tuple(range(k))) > 0 for k in range(1, n + 1))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(0, 6), st.lists(st.integers(-4, 4), min_size=36, max_size=36),
       st.fractions(min_value=-3, max_value=3, max_denominator=7), st.integers(0, 5), st.sampled_from([1, 10 ** 40, F(1, 10 ** 30)]))
def test_psd_and_posdef_judgments_agree_with_minors(n, r, entries, shift, k, scale):
    """M = scale (B^T B - shift e_k e_k^T) with B r x n of small integers: PSD, singular PSD (r < n, shift 0), PD and
    indefinite matrices all occur, also at magnitudes 10^+-40.  Both judgments are decided both ways and agree with the
    minors; a nonsymmetric matrix is neither."""
    from exactmin_kernel.obligations import PSD, PosDef
    B = [[F(entries[i * 6 + j]) for j in range(n)] for i in range(r)]
    M = tuple(tuple(scale * (sum((B[t][i] * B[t][j] for t in range(r)), F(0)) - shift * (i == j == k % n)) for j in range(n))
              for i in range(n))
    psd, pd = _minors_oracle(M)
    assert holds(PSD("M", M)) is psd and holds(PosDef("M", M)) is pd
    if n > 1 and M[0][1] != -1:
        N = tuple(tuple(x + (i == 0 and j == 1) for j, x in enumerate(row)) for i, row in enumerate(M))
        assert holds(PSD("N", N)) is False and holds(PosDef("N", N)) is False


def test_psd_judgment_of_a_large_gram_at_1e260_is_fast_and_exact():
    """The CI campaign's flow timeout (kind=collinear, magnitude style): sigma_0^2 I <= D_0 D_0^T for a 21 x 21 Gram
    with entries ~1e520 took minutes as an LDL^T product check.  The elimination decides it (both ways, at sigma_0
    just below and just above a certified eigenvalue bound) in seconds, agreeing with python-flint."""
    import random
    import time

    from exactmin.exact.norms import is_psd
    from exactmin_kernel.obligations import PSD
    from flint import fmpq, fmpq_mat
    rng = random.Random(20261206)
    D = [[F(rng.randint(-999, 999) * 10 ** 130, rng.randint(1, 99)) for _ in range(40)] for _ in range(21)]
    G = tuple(tuple(sum((a * b for a, b in zip(r, s)), F(0)) for s in D) for r in D)
    tr_ = sum(G[i][i] for i in range(21))
    for s2 in (F(0), tr_ / 10 ** 6, tr_):                       # PSD, (probably) not, certainly not
        M = tuple(tuple(x - s2 * (i == j) for j, x in enumerate(r)) for i, r in enumerate(G))
        t = time.perf_counter()
        got = holds(PSD("M", M))
        assert time.perf_counter() - t < 20
        want = is_psd(fmpq_mat(21, 21, [fmpq(x.numerator, x.denominator) for r in M for x in r]))[0]
        assert got is want
    assert holds(PSD("M", G)) is True and holds(PSD("M", M)) is False
