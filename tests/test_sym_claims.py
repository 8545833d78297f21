"""sym.* claims end to end: registration, kernel acceptance, kernel rejection of altered certificates, the CLI, and
property tests of the kernel's own network code (splits keep the function, permutations keep the verdicts)."""
import copy
import json
from fractions import Fraction

import pytest
from _certs import mutated, numeric_leaves
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactmin import cli
import exactmin_kernel as K
from exactmin.certify import routing
from exactmin_kernel.statements import sym_connect as kconnect
from exactmin_kernel.statements import sym_split as ksplit
from exactmin.certify.write_v2 import document, has_statement
from exactmin.claims import base
from exactmin.sym import connect as cn
from exactmin.sym import counts as sc

SYM = ["sym.count-T", "sym.count-G", "sym.dominance", "sym.split", "sym.zero-type", "sym.connect"]
SET = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _doc(cid, **opts):
    """What `exactmin check --certificate` writes: format 2 (every sym.* claim has a statement file)."""
    return json.loads(json.dumps(document(base.get(cid).check(None, **opts))))


def _verify(doc):
    return routing.verify_document(doc)


def _word(doc, name):
    r = doc["readings"][name]
    return r if isinstance(r, str) else r["verdict"]


def _set_word(doc, name, v):
    if isinstance(doc["readings"][name], str):
        doc["readings"][name] = v
    else:
        doc["readings"][name]["verdict"] = v


def test_every_catalogue_id_is_registered_and_instance_free():
    reg = base.load_all()
    for cid in SYM:
        assert cid in reg and not reg[cid].needs_instance
        assert has_statement(cid) and routing.K.BY_CLAIM[cid].INSTANCE_FREE


@pytest.mark.parametrize("cid,opts", [
    ("sym.count-T", {}), ("sym.count-T", {"r": 3, "m": 7, "d": 5}), ("sym.count-G", {"r": 3, "m": 6}),
    ("sym.dominance", {"r": 6, "m": 9, "r_max": 12}), ("sym.split", {"bias": 1, "copies": 2}),
    ("sym.split", {"seed": 4, "width": 2, "d": 3}), ("sym.zero-type", {"bias": 1}), ("sym.zero-type", {"d": 1, "bias": 1}),
    ("sym.connect", {"r": 1}), ("sym.connect", {"r": 3}), ("sym.connect", {"r": 2, "m": 4})])
def test_genuine_certificates_are_valid(cid, opts):
    doc = _doc(cid, **opts)
    assert doc["instance_sha256"] is None
    ok, why = _verify(doc)
    assert ok, why


# witness fields where another number is another TRUE witness (the identities hold at every Y_random; any zero single
# with a nonzero gradient, any dead neuron, any nonzero dead_a): a change there may be accepted
FREE = {"sym.split": {"Y_random"}, "sym.zero-type": {"zero_w", "zero_c", "dead_w", "dead_a"}}


@pytest.mark.parametrize("cid,opts", [
    ("sym.count-T", {}), ("sym.count-G", {"r": 3, "m": 5}), ("sym.dominance", {"r_max": 8}),
    ("sym.split", {"width": 2, "copies": 2}), ("sym.zero-type", {"width": 2}), ("sym.connect", {"r": 2})])
def test_every_single_number_change_is_rejected(cid, opts):
    doc = _doc(cid, **opts)
    leaves = [p for p in numeric_leaves(doc) if p[1] not in FREE.get(cid, ())]
    assert len(leaves) >= 1                                # format 2: the witness only
    for leaf in leaves:
        ok, _ = _verify(mutated(doc, leaf, Fraction(1, 7)))
        assert not ok, f"kernel accepted {leaf} changed by 1/7"


@pytest.mark.parametrize("cid", SYM)
def test_changed_verdicts_are_rejected(cid):
    doc = _doc(cid, **({"r_max": 8} if cid == "sym.dominance" else {}))
    for name in doc["readings"]:
        for v in ("proved", "refuted", "undecided"):
            if v != _word(doc, name):
                bad = copy.deepcopy(doc)
                _set_word(bad, name, v)
                assert not _verify(bad)[0], (name, v)
    bad = copy.deepcopy(doc)
    bad["verdict"] = "undecided"
    assert not _verify(bad)[0]
    bad = copy.deepcopy(doc)
    bad["instance_sha256"] = "0" * 64
    assert not _verify(bad)[0]


def test_refutations_carry_exact_witnesses():
    c = base.get("sym.zero-type").check(None)
    assert c.readings["positive-loss-general"]["verdict"] == "refuted"
    assert Fraction(c.values["grad_a_single"]) != 0 and Fraction(c.values["loss_critical"]) > 0
    assert c.readings["positive-loss-every-w"]["verdict"] == "refuted"
    assert Fraction(c.values["dead_margin"]) < 0
    assert _word(_doc("sym.zero-type"), "positive-loss-general") == "refuted"
    dom = _doc("sym.dominance", r_max=10)
    assert _word(dom, "mild-all-r") == "refuted" and _word(dom, "mild") == "proved"


def test_kernel_connectivity_agrees_with_library_edge_by_edge():
    """The sym.connect statement's meet criterion (exactmin_kernel/statements/sym_connect.py) against the library's
    union-find plus rational rank test, edge by edge."""
    for r, m in [(1, 3), (2, 3), (2, 4), (3, 4)]:
        nodes, edges = cn.graph(r, m)
        knodes, adj, _ = kconnect.graph(r, m)
        assert len(knodes) == len(nodes) == sc.T(r, m)

        def key_lib(c):
            lab = {j: t for t, b in enumerate(c.labelled) for j in b}
            return tuple(sorted((tuple(b), lab.get(b[0], -1)) for b in list(c.labelled) + list(c.zero_blocks)))

        def key_k(c):
            blk, lab = c
            blocks = {}
            for j, b in enumerate(blk):
                blocks.setdefault(b, []).append(j)
            return tuple(sorted((tuple(v), lab[b]) for b, v in blocks.items()))
        idx = {key_k(c): i for i, c in enumerate(knodes)}
        lib = {frozenset((idx[key_lib(nodes[i])], idx[key_lib(nodes[k])])) for i, k in edges}
        ker = {frozenset((i, k)) for i in range(len(knodes)) for k in adj[i]}
        assert lib == ker, (r, m)


def test_kernel_path_is_the_library_path():
    for r in (1, 2, 3, 4):
        W, a = cn.teacher_for_path(r)
        pts, perm = cn.transposition_path(W, a, (Fraction(-2), Fraction(5, 7)))
        kpts, kperm = kconnect.path(r)
        assert kperm == perm and [(tuple(p[0]), tuple(p[1])) for p in pts] == kpts


rat = st.fractions(min_value=-4, max_value=4, max_denominator=7)


@SET
@given(st.lists(rat, min_size=1, max_size=4), st.data())
def test_kernel_split_with_random_betas_keeps_the_function(bs, data):
    betas = tuple(bs) + (1 - sum(bs, Fraction(0)),)
    w = _doc("sym.split", width=2, copies=2)["witness"]["network"]
    net = ksplit.two_layer({k: tuple(tuple(map(Fraction, r)) if isinstance(r, list) else Fraction(r) for r in w[k])
                            if k in w else None for k in ("W", "c", "a")})
    X = tuple(tuple(Fraction(v) for v in x) for x in _doc("sym.split", width=2, copies=2)["witness"]["X"])
    j = data.draw(st.integers(0, 1))
    f = [f for *_, f in ksplit.passes(ksplit.split(net, 0, j, betas), X)]
    assert f == [f for *_, f in ksplit.passes(net, X)]


_SPLIT = _doc("sym.split", width=3, copies=2)
_ZERO = _doc("sym.zero-type", width=3)


@SET
@given(st.permutations(range(3)))
def test_permuting_hidden_neurons_keeps_losses_and_verdicts(perm):
    for doc in (_SPLIT, _ZERO):
        d = copy.deepcopy(doc)
        net = d["witness"]["network"]
        for k in ("W", "a", "c"):
            if k in net:
                net[k] = [net[k][i] for i in perm]
        ok, why = K.verify(d, None)
        assert ok, why


# ---------------------------------------------------------------------------------------------------- CLI

def test_cli_check_and_verify_without_instance(tmp_path, capsys):
    c = tmp_path / "c.json"
    assert cli.main(["check", "sym.count-T", "--option", "r=3", "--option", "m=5", "--certificate", str(c)]) == 0
    doc = json.loads(c.read_text())
    assert doc["witness"] == {"r": "3", "m": "5", "d": "2"} and doc["instance_sha256"] is None
    assert cli.main(["verify", str(c)]) == 0
    assert "sym.count-T (instance-free)" in capsys.readouterr().out
    doc["witness"]["m"] = "9"                           # beyond the enumeration cap m <= 8
    c.write_text(json.dumps(doc))
    assert cli.main(["verify", str(c)]) == 1
    capsys.readouterr()


def test_cli_exit_codes(tmp_path, capsys):
    assert cli.main(["check", "sym.zero-type", "-q"]) == 1
    assert cli.main(["check", "sym.dominance", "--option", "r_max=1", "-q"]) == 3
    b = tmp_path / "b.json"
    assert cli.main(["check", "sym.count-*", "sym.connect", "--certificate", str(b), "-q"]) == 0
    assert json.loads(b.read_text())["format"] == "exactmin-bundle/1"
    assert cli.main(["verify", str(b)]) == 0
    capsys.readouterr()
    for argv in (["check", "sym.count-T", "--option", "m=99"], ["check", "sym.split", "--option", "width=x"],
                 ["check", "sym.connect", "--option", "r=4", "--option", "m=7"],
                 ["check", "sym.count-G", "--option", "r=5", "--option", "m=3"],
                 ["sym", "counts", "--r", "2", "--m", "999"]):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "error" in err, err


def test_cli_sym_counts_prints_closed_forms_and_enumeration(capsys):
    assert cli.main(["sym", "counts", "--r", "2", "--m", "4"]) == 0
    out = capsys.readouterr().out
    assert "62" in out and "enumeration 62" in out and "DISAGREE" not in out
