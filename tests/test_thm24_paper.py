"""deep.thm2.4 on the PAPER's own network (readings paper-network/*; statement
exactmin_kernel/statements/deep_thm2_4.py): on fresh campaign instances the library's words are the realisation's
when theta_* is certified (2.70 then proved for every admissible rotation) and undecided otherwise, and the kernel
re-derives them; a forger who claims the paper's words where theta_* is not certified is rejected by the named cone
obligation of (2.52), and dropping it lets the forgery through."""
import json
import random
import sys
from pathlib import Path

import pytest

import exactmin_kernel as K
from exactmin.certify.write_v2 import to_v2
from exactmin.claims import base
from exactmin.data.io import load_instance
from exactmin_kernel import driver
from exactmin_kernel.statements import deep_thm2_4 as T
from _forgery import words

sys.path.insert(0, str(Path(__file__).parent))
from campaign import strategies as St  # noqa: E402

SEED = 71213051


def _runs(tmp_path, n=36):
    rnd = random.Random(SEED)
    for i in range(n):
        path = St.write(St.generate(rnd, rnd.choice(("generated", "near-inside", "near-outside", "wide", None))),
                        tmp_path / f"i{i}", rnd)
        try:
            c = base.get("deep.thm2.4").check(load_instance(str(path)))
        except Exception:  # noqa: BLE001 - an instance the loader rejects is skipped
            continue
        yield c, json.loads(json.dumps(to_v2(c))), K.load(str(path))


def test_paper_words_follow_the_realisation_where_theta_is_certified(tmp_path):
    seen, held, forged = 0, 0, 0
    for c, doc, I in _runs(tmp_path):
        lib = {r: v["verdict"] for r, v in c.readings.items()}
        assert words(K.check(doc, I)) == lib
        paper = {r: v for r, v in lib.items() if r.startswith("paper-network/")}
        assert len(paper) == len(T.OWN) - 1
        if lib["2.70"] == "hypotheses-fail":
            assert set(paper.values()) == {"hypotheses-fail"}
            continue
        seen += 1
        if paper["paper-network/2.70"] == "proved":
            held += 1
            assert all(v == lib[T.own(r)] for r, v in paper.items() if r != "paper-network/2.70")
            continue
        assert set(paper.values()) == {"undecided"}
        if "proved" in {lib[T.own(r)] for r in paper}:    # the forger copies the realisation's words
            doc["readings"].update({r: lib[T.own(r)] if r != "paper-network/2.70" else "proved" for r in paper})
            doc["verdict"] = next(v for v in driver.ORDER if v in doc["readings"].values())
            with pytest.raises(driver.Invalid, match=r"obligation theta\* \(|lambda"):
                K.check(doc, I)
            forged += 1
    assert seen >= 10 and held >= 5


def test_forged_paper_words_without_theta(tmp_path, drop):
    """An instance whose theta_* is not certified (lambda forced small): the paper readings are undecided; claiming
    them proved is rejected by the cone obligation theta* (j,k) of (2.52), and accepted once it is dropped."""
    for c, doc, I in _runs(tmp_path, 12):
        if c.readings["2.70"]["verdict"] == "proved":
            break
    w = driver.read_witness(T.SCHEMA, doc["witness"], I)
    ok, name = driver.run(T.T.theta(I, w))
    assert ok is True                              # the library's lambda certifies theta_*
    # the same certificate read with the cone test made to fail on one pair: the forger's proved words are rejected
    monkey = pytest.MonkeyPatch()
    real = T.T.cone
    monkey.setattr(T.T, "cone", lambda a, v, r2, kappa, t2=0: ((-1, 1),) if r2 == 16 * max(T.T.geometry(I)[0]) else
                   real(a, v, r2, kappa, t2))
    try:
        with pytest.raises(driver.Invalid, match=r"paper-network/2.70: certificate 'proved', kernel undecided "
                                                 r"\(obligation theta\* \("):
            K.check(doc, I)
        drop(T, "theta*")
        assert words(K.check(doc, I))["paper-network/2.70"] == "proved"
    finally:
        monkey.undo()
