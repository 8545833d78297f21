"""Certificate mutation (scripts/mutate_certificates.py, quick sample) and regressions for the kernel gaps it found."""
import copy
from fractions import Fraction
from itertools import product
import sys
from pathlib import Path

import pytest

from exactmin.certify import kernel
from exactmin.claims import base
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import mutate_certificates as mc  # noqa: E402


def _cert(cid, name, **opts):
    return base.get(cid).check(load_instance(bundled(name)), **opts).to_json(), bundled(name)


def test_quick_mutation_sample_never_crashes_the_kernel():
    _, rows = mc.run(2, seed=7, jobs=1, only=["deep.hypotheses", "deep.thm2.3", "shallow.upper-bound", "sym.count-G"])
    assert len(rows) > 20
    assert not [r for r in rows if r[3] == "CRASH"]
    assert sum(r[3] == "rejected" for r in rows) > len(rows) // 2


def test_unread_witness_field_is_rejected():
    doc, path = _cert("deep.thm2.3", "deep_q2")
    bad = copy.deepcopy(doc)
    bad["witness"]["note"] = "1/2"
    ok, why = kernel.verify(bad, path)
    assert not ok and "not used" in why
    assert kernel.verify(doc, path)[0]


def test_extra_reading_field_is_rejected():
    doc, path = _cert("deep.hypotheses", "deep_q2")
    bad = copy.deepcopy(doc)
    bad["readings"]["2.14"]["margin"] = "1"
    assert not kernel.verify(bad, path)[0]


def _v2(cid, name, **opts):
    from exactmin.certify.write_v2 import to_v2
    import json
    return json.loads(json.dumps(to_v2(base.get(cid).check(load_instance(bundled(name)), **opts)))), bundled(name)


def _verify(doc, path):
    from exactmin.certify.routing import verify_document
    return verify_document(copy.deepcopy(doc), path)


def test_thm25_every_f_tilde_is_checked():
    """Found by mutation: f~_j of a cluster with s_j = 0 was never read, so it could be anything (format 2: every
    f~_j of both constructions is a unit vector within tol; the list has exactly Q entries)."""
    doc, path = _v2("deep.thm2.5", "deep_q2")
    for i in (0, 1):
        bad = copy.deepcopy(doc)
        bad["witness"]["constructions"][i]["f_tilde"][1][0] = "-2147483648/1257968153"
        ok, why = _verify(bad, path)
        assert not ok and f"mu_{i + 1}: " in why, why
        bad = copy.deepcopy(doc)
        fts = bad["witness"]["constructions"][i]["f_tilde"]
        fts.append(copy.deepcopy(fts[0]))
        assert not _verify(bad, path)[0]


def test_thm25_every_descent_is_checked():
    """Found by mutation: only the first configuration's descent was read; a broken later one was accepted.  Here
    the forger keeps the library's free descent and adds one at every other partial configuration whose apexes are
    the base ones (it does not lower the cost): rejected, whichever configuration comes first."""
    doc, path = _v2("deep.thm2.5", "deep_q2")
    confs = doc["witness"]["configurations"]
    assert sum("free_descent" in c for c in confs) == 1
    bad = copy.deepcopy(doc)
    w = bad["witness"]
    con, mu, mp = w["constructions"][0], Fraction(w["mu_collapse"]), Fraction(w["mu_identity"])
    inst = load_instance(path)
    means = [[Fraction(str(inst.means[r, j])) for r in range(inst.Q)] for j in range(inst.Q)]
    added = 0
    for s, c in zip([k for k in product((0, 1), repeat=inst.Q) if any(k)], w["configurations"]):
        if "free_descent" not in c and not all(s):
            c["free_descent"] = [[str(m - (mu if b == 0 else mp) * Fraction(f)) for m, f in zip(means[l], con["f_tilde"][l])]
                                 for l, b in enumerate(s)]
            added += 1
    assert added >= 1
    ok, why = _verify(bad, path)
    assert not ok and "free descent: lowers the cost" in why, why


@pytest.mark.slow
def test_full_mutation_run_has_no_crash():
    assert mc.main(["--per-cert", "20"]) == 0


# ============================================================================ loader and kernel fuzzing
# The instance loaders (exactmin.data.io) must return an Instance or raise InputError (an ExactminError) — never
# any other exception — in bounded time, whatever the bytes. The kernel's verify must answer (ok, reason) for
# any JSON tree as a certificate and any bytes as the instance file.
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from exactmin.data.instance import Instance  # noqa: E402
from exactmin.data.io import load_instance_text  # noqa: E402
from exactmin.errors import ExactminError  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIME_LIMIT = 5.0

_scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
            | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
            | st.sampled_from(["1/0", "nan", "-inf", "1e999999999", "0x10", "1/2", "-3/4", " 2 ", "1_000",
                               "", "points", "classes", "labels", "exactmin-instance/1"]))
json_trees = st.recursive(_scalars, lambda kids: st.lists(kids, max_size=4)
                          | st.dictionaries(st.sampled_from(["format", "name", "classes", "points", "labels",
                                                             "x", ""]) | st.text(max_size=5), kids, max_size=4),
                          max_leaves=25)


def _valid_json_doc(name="shallow_q2_m2"):
    return json.loads(Path(bundled(name)).read_text())


def _load_file(data: bytes, ext: str):
    fd, path = tempfile.mkstemp(suffix=ext)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        t = time.perf_counter()
        try:
            out = load_instance(path)
        except ExactminError as e:
            out = e
        assert time.perf_counter() - t < TIME_LIMIT
        return out, path
    finally:
        os.unlink(path)


def _check_loader_outcome(out):
    assert isinstance(out, (Instance, ExactminError)), type(out)
    if isinstance(out, ExactminError):
        msg = str(out)
        assert msg and "\n" not in msg and "Traceback" not in msg


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".json", ".csv", ".npz"]))
def test_loader_random_bytes(data, ext):
    _check_loader_outcome(_load_file(data, ext)[0])


@FUZZ
@given(json_trees)
def test_loader_random_json_trees(tree):
    text = json.dumps(tree, allow_nan=True)
    _check_loader_outcome(_load_file(text.encode(), ".json")[0])
    try:
        _check_loader_outcome(load_instance_text(text, "json"))
    except ExactminError as e:
        _check_loader_outcome(e)


def _paths(tree, prefix=()):
    yield prefix
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, prefix + (i,))


@FUZZ
@given(st.data(), st.sampled_from(["shallow_q2_m2", "deep_q2", "deep_q3"]))
def test_loader_mutated_valid_json(data, name):
    doc = _valid_json_doc(name)
    paths = [p for p in _paths(doc) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        p = data.draw(st.sampled_from(paths))
        parent = doc
        try:
            for k in p[:-1]:
                parent = parent[k]
            action = data.draw(st.sampled_from(["replace", "delete", "wrap"]))
            if action == "replace":
                parent[p[-1]] = data.draw(json_trees)
            elif action == "delete":
                del parent[p[-1]]
            else:
                parent[p[-1]] = [parent[p[-1]]]
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(doc, allow_nan=True)
    try:
        out = load_instance_text(text, "json")
    except ExactminError as e:
        out = e
    _check_loader_outcome(out)


@FUZZ
@given(st.data())
def test_loader_mutated_valid_csv(data):
    lines = Path(bundled("iris.csv")).read_text().splitlines()[:12]
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["cell", "drop", "dup", "insert", "truncate"]))
        cells = lines[i].split(",")
        if op == "cell":
            cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(
                st.text(max_size=8) | st.sampled_from(["nan", "inf", "1e999999999", "1/0", "", '"', "1/3"]))
            lines[i] = ",".join(cells)
        elif op == "drop":
            lines[i] = ",".join(cells[:-1])
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, data.draw(st.text(max_size=20)))
        else:
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
    text = "\n".join(lines)
    _check_loader_outcome(_load_file(text.encode("utf-8", "surrogatepass"), ".csv")[0])


@FUZZ
@given(json_trees)
def test_kernel_answers_any_json_certificate(tree):
    ok, why = kernel.verify(tree, bundled("deep_q2"))
    assert ok is False and isinstance(why, str) and why


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=200) | json_trees.map(lambda t: json.dumps(t).encode()), st.sampled_from([".json", ".csv"]))
def test_kernel_answers_any_instance_file(data, ext):
    doc, _ = _cert("deep.hypotheses", "deep_q2")
    fd, path = tempfile.mkstemp(suffix=ext)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        ok, why = kernel.verify(doc, path)
    finally:
        os.unlink(path)
    assert isinstance(ok, bool) and isinstance(why, str)


def test_deeply_nested_files_are_refused_by_the_kernel_and_verify(tmp_path, capsys):
    """Found by fuzzing: a 10^5-deep JSON instance made kernel.verify raise RecursionError (CLI exit 70), and a
    10^5-deep certificate crashed `exactmin verify`. Now: INVALID from kernel.verify, and exit 2 with one line
    from `exactmin verify` (an unreadable instance, docs/instance-format.md)."""
    from exactmin.cli import main
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    doc, _ = _cert("deep.hypotheses", "deep_q2")
    ok, why = kernel.verify(doc, deep)
    assert not ok and "RecursionError" in why
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(doc))
    for args, rc in ((["verify", str(cert), "--instance", str(deep)], 2),   # unreadable instance: exit 2
                     (["verify", str(deep), "--instance", "deep_q2"], 2)):
        assert main(args) == rc
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# ============================================================================ issue 9: mutants the kernel accepted
# Each test below is a kernel (or claim) fix prompted by scripts/mutate_certificates.py: the mutant used to verify.

def test_thm24_extra_network_is_rejected():
    """An extra entry in witness["networks"] was never read (the read tracker sees top-level keys only)."""
    doc, path = _v2("deep.thm2.4", "deep_q2")
    assert _verify(doc, path)[0]
    bad = copy.deepcopy(doc)
    bad["witness"]["networks"]["extra"] = copy.deepcopy(bad["witness"]["networks"]["zero"])
    ok, why = _verify(bad, path)
    assert not ok and "networks" in why


def _cert2(cid, name, **opts):
    """The format-2 certificate (flow.* is on the obligation kernel)."""
    from exactmin.certify.write_v2 import to_v2
    return json.loads(json.dumps(to_v2(base.get(cid).check(load_instance(bundled(name)), **opts)))), bundled(name)


def test_equilibria_full_rank_witness_has_exactly_dims_and_theta():
    """full_rank recorded an "omegas" list nothing checked (now not recorded); extra keys were ignored."""
    import exactmin_kernel as K
    doc, path = _cert2("flow.equilibria-rank-loss", "flow_n4", seed=9, widths="3")
    assert set(doc["witness"]["full_rank"]) == {"dims", "theta"} and K.verify(copy.deepcopy(doc), path)[0]
    for key, val in (("omegas", []), ("omegas", 0.5), ("extra", "1")):
        bad = copy.deepcopy(doc)
        bad["witness"]["full_rank"][key] = val
        assert not K.verify(bad, path)[0]


def test_ball_negative_radius_and_extra_witness_fields_are_rejected():
    """flow.exp-rate / flow.stopping-time carry a ball witness (no orbit): a negative radius, or any field beyond
    the statement's schema (e.g. an orbit's checkpoints), is rejected."""
    import exactmin_kernel as K
    doc, path = _cert2("flow.exp-rate", "flow_n3", seed=5, widths="3")
    assert K.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    bad["witness"]["radius"] = "-" + bad["witness"]["radius"]
    assert not K.verify(bad, path)[0]
    for extra in ("thetas", "omegas", "delta"):
        bad = copy.deepcopy(doc)
        bad["witness"][extra] = []
        assert not K.verify(bad, path)[0]
    doc, path = _cert2("flow.stopping-time", "flow_o1")
    assert K.verify(copy.deepcopy(doc), path)[0]
    bad = copy.deepcopy(doc)
    bad["witness"]["plain"] = {"T": "1"}
    assert not K.verify(bad, path)[0]


def test_zero_type_zero_c_must_be_present():
    """zero_c is given iff the network has biases (format 2: absent, not null, for a bias-free network); either other
    spelling is INVALID (it was once accepted: two spellings of one witness)."""
    import exactmin_kernel as K
    from exactmin.certify.write_v2 import document
    doc = json.loads(json.dumps(document(cbase_get("sym.zero-type").check(None))))
    assert "zero_c" not in doc["witness"] and K.verify(copy.deepcopy(doc), None)[0]
    extra = copy.deepcopy(doc)
    extra["witness"]["zero_c"] = "0"
    ok, why = K.verify(extra, None)
    assert not ok and "zero_c" in why
    biased = json.loads(json.dumps(document(cbase_get("sym.zero-type").check(None, bias=1))))
    del biased["witness"]["zero_c"]
    ok, why = K.verify(biased, None)
    assert not ok and "zero_c" in why


def cbase_get(cid):
    from exactmin.claims import base as cbase
    return cbase.get(cid)


# -- the script's re-derivation rules must tell true mutants from false ones -----------------------------------

def _moved(doc, path_, value):
    return mc._set(doc, path_, value)


def test_rule_enclosure_rederived():
    from fractions import Fraction
    doc, path = _cert("deep.eq4.30", "deep_q2")
    lo, hi = Fraction(doc["enclosures"]["theta_Q"]["lo"]), Fraction(doc["enclosures"]["theta_Q"]["hi"])
    inward = _moved(doc, ("enclosures", "theta_Q", "lo"), str(lo + (hi - lo) / 10**6))
    assert mc.benign_rule("deep.eq4.30", doc, inward, path) == "enclosure-rederived"
    wrong = _moved(doc, ("enclosures", "theta_Q", "lo"), str(hi - (hi - lo) / 10**9))    # lo above the value
    assert not mc._recheck_enclosure_value("deep.eq4.30", doc, wrong, path)
    doc, path = _cert("deep.lemma4.1", "deep_q2")
    enc = doc["enclosures"]["mu_sharp_ball"]
    lo, hi = Fraction(enc["lo"]), Fraction(enc["hi"])
    assert mc._recheck_enclosure_value("deep.lemma4.1", doc, _moved(doc, ("enclosures", "mu_sharp_ball", "hi"),
                                                                     str(lo + (hi - lo) / 10**9)), path) is False


def test_rule_lemma_rederived():
    from fractions import Fraction
    doc, path = _cert("deep.lemma5.1", "deep_q2")
    mu = Fraction(doc["values"]["mu"])
    nudged = _moved(doc, ("values", "mu"), str(mu * (1 + Fraction(1, 10**12))))
    assert kernel.verify(copy.deepcopy(nudged), path)[0]
    assert mc.benign_rule("deep.lemma5.1", doc, nudged, path) == "lemma-rederived"
    wrong = _moved(nudged, ("values", "mu_sharp_points"), str(Fraction(doc["values"]["mu_sharp_points"]) + 1))
    assert not mc._recheck_lemma("deep.lemma5.1", doc, wrong, path)
    tiny = _moved(doc, ("values", "mu"), "1/1000000")          # below the threshold: ball must be undecided
    assert not mc._recheck_lemma("deep.lemma5.1", doc, tiny, path)


def test_rule_sym_option_and_beta_list_permutation():
    from exactmin.certify.routing import verify_document
    from exactmin.certify.write_v2 import document
    doc = json.loads(json.dumps(document(base.get("sym.count-T").check(None, r=1, m=1))))       # format 2
    d1 = _moved(doc, ("witness", "d"), "3")
    assert verify_document(copy.deepcopy(d1))[0]
    assert mc.benign_rule("sym.count-T", doc, d1, None, {"r": 1, "m": 1}) == "v2-sym-options-rerun"
    d2 = _moved(doc, ("witness", "m"), "3")                  # accepted (a true instance), readings rerun agree
    assert mc.benign_rule("sym.count-T", doc, d2, None, {"r": 1, "m": 1}) == "v2-sym-options-rerun"
    d3 = _moved(doc, ("witness", "r"), "2")                  # r > m: INVALID for the kernel, no rule either
    assert not verify_document(copy.deepcopy(d3))[0]
    assert mc.benign_rule("sym.count-T", doc, d3, None, {"r": 1, "m": 1}) is None
    doc = json.loads(json.dumps(document(base.get("sym.split").check(None, width=2, copies=2))))     # format 2
    perm = _moved(doc, ("witness", "betas"), list(reversed(doc["witness"]["betas"])))
    assert verify_document(copy.deepcopy(perm))[0]
    assert mc.benign_rule("sym.split", doc, perm, None, {"width": 2, "copies": 2}) == "v2-sym-library-rerun"
    other = _moved(doc, ("witness", "betas"), doc["witness"]["betas"][:-1] + [["1/2", "1/2", "1/2"]])
    assert not verify_document(copy.deepcopy(other))[0]          # a beta summing to 3/2: hypotheses-fail
    assert mc.benign_rule("sym.split", doc, other, None, {"width": 2, "copies": 2}) is None


def test_rule_thm25_lambda_and_flow_orbit():
    from fractions import Fraction
    doc, path = _v2("deep.thm2.5", "deep_q2")
    lam = Fraction(doc["witness"]["lambda"])
    seen = set()
    for new in (lam * (1 - Fraction(1, 10**12)), Fraction(1, 10**6), -lam, lam + 1):   # -lam, lam + 1: not in (0, 1]
        mut = _moved(doc, ("witness", "lambda"), str(new))
        got = mc._recheck_thm25_lambda("deep.thm2.5", doc, mut, path)
        assert _verify(mut, path)[0] is got                             # kernel and rule agree
        seen.add(got)
    assert seen == {True, False}


def test_rule_split_targets():
    """Format 2: Y_random moved is another true witness (the identities hold at every target): the kernel accepts and
    the library, re-run on the mutant's witness, writes the same words (v2-sym-library-rerun).  Y_critical moved:
    the designed point is no longer critical (hypotheses-fail), INVALID, and the rule does not explain it."""
    from fractions import Fraction

    from exactmin.certify.routing import verify_document
    from exactmin.certify.write_v2 import document
    doc = json.loads(json.dumps(document(base.get("sym.split").check(None))))
    ys = doc["witness"]["Y_random"]
    mut = _moved(doc, ("witness", "Y_random", 0), str(Fraction(ys[0]) + 1))
    assert verify_document(copy.deepcopy(mut))[0]
    assert mc.benign_rule("sym.split", doc, mut, None, {}) == "v2-sym-library-rerun"
    yc = doc["witness"]["Y_critical"]
    bad = _moved(doc, ("witness", "Y_critical", 0), str(Fraction(yc[0]) + 1))
    assert not verify_document(copy.deepcopy(bad))[0]
    assert mc.benign_rule("sym.split", doc, bad, None, {}) is None


# -- format 2: the gate mutates what `exactmin check --certificate` writes and verifies as `exactmin verify` does ---

def _v2_base(label):
    claim = label.split("@")[0]
    return next(b for b in mc.base_certificates(only=[claim]) if b[0] == label)


def test_gate_builds_format2_for_ported_claims_and_routes_them():
    from exactmin_kernel import BY_CLAIM
    bases = mc.base_certificates(only=["deep.lemma5.1", "deep.hypotheses"])
    for label, claim, path, doc, _ in bases:
        insts = __import__("exactmin.certify.routing", fromlist=["x"]).load_instances(path)
        assert mc.is_v2(doc) == (claim in BY_CLAIM), label
        assert mc.verify_as_user(doc, insts)[0], label
        bad = copy.deepcopy(doc)
        bad["verdict"] = "refuted" if doc["verdict"] != "refuted" else "proved"
        assert not mc.verify_as_user(bad, insts)[0], label


def test_v2_rules_tell_true_mutants_from_false():
    from fractions import Fraction
    label, claim, path, doc, opt = _v2_base("deep.lemma5.1@deep_q2")
    W = doc["witness"]["W"]
    ok = _moved(doc, ("witness", "W", 0, 1), str(Fraction(W[0][1]) + Fraction(1, 10**12)))
    assert mc.benign_rule(claim, doc, ok, path, opt) == "v2-lemma-recomputed"
    huge = _moved(doc, ("witness", "W", 0, 1), "1000000")           # the premise fails: words must change
    assert mc.benign_rule(claim, doc, huge, path, opt) is None
    label, claim, path, doc, opt = _v2_base("shallow.relative-error@shallow_q3_m3")
    low = _moved(doc, ("witness", "lambda_max_upper"), "0")          # not an upper bound of lambda_max(Delta_2)
    assert not mc._v2_relative_error(claim, doc, low, path)
    up = _moved(doc, ("witness", "lambda_max_upper"), "1")
    assert mc._v2_relative_error(claim, doc, up, path)
    label, claim, path, doc, opt = _v2_base("deep.thm2.3@deep_q2")
    assert mc._v2_tol_widened(claim, doc, _moved(doc, ("witness", "tol"), "1"), path)
    assert not mc._v2_tol_widened(claim, doc, _moved(doc, ("witness", "tol"), "3/2"), path)      # tol^2 > 2
    assert not mc._v2_premise_fails(claim, doc, doc, path)                                        # mu is in I_0
    lo = Fraction(doc["witness"]["mu_box"][0])
    assert mc._v2_old_kernel(claim, doc, _moved(doc, ("witness", "mu_box", 0), str(lo * (1 + Fraction(1, 10**7)))),
                             path, opt)
    assert not mc._v2_old_kernel(claim, doc, _moved(doc, ("witness", "mu_box", 0), "-2"), path, opt)
    label, claim, path, doc, opt = _v2_base("deep.thm2.3@boundary_mu_end#6")
    assert {doc["readings"][r] for r in ("L=Q", "L>Q", "mu-box")} == {"hypotheses-fail"}
    assert mc._v2_premise_fails(claim, doc, _moved(doc, ("witness", "R", 0, 0, 0), "1"), path)


def test_v2_dead_unit_rule_requires_a_dead_zero_output_unit():
    label, claim, path, doc, opt = _v2_base("shallow.upper-bound@shallow_q2_m3")
    b = doc["witness"]["network"]["biases"][0]
    r = next(i for i, x in enumerate(b) if x.startswith("-") and
             all(row[i] == "0" for row in doc["witness"]["network"]["weights"][-1]))
    assert mc._v2_dead_unit_bias(claim, doc, _moved(doc, ("witness", "network", "biases", 0, r), b[r] + "1"), path)
    assert not mc._v2_dead_unit_bias(claim, doc, _moved(doc, ("witness", "network", "biases", 0, r), "1000000"), path)
