"""exactmin.cores: block work on both cores gives the result of one core, also when the helper process fails."""
import mmap
import os
import signal
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactmin import cores
from exactmin.data.fastparse import Parsed, parse_fields

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="exactmin.cores forks only on Linux")


@pytest.fixture
def two(monkeypatch):
    monkeypatch.setattr(cores, "JOBS", 2)
    monkeypatch.setattr(cores, "MIN_BYTES", 0)


def _blocks(n, fail=None):
    """run_blocks over n blocks writing i*i and the writer's pid; ``fail(i)`` runs in the helper only."""
    vals, pids = cores.shared_empty(n, np.int64), cores.shared_empty(n, np.int64)
    me = os.getpid()

    def work(i):
        if fail is not None and os.getpid() != me:
            fail(i)
        vals[i], pids[i] = i * i, os.getpid()
    cores.run_blocks(n, work, cores.parallel(n))
    return vals, pids, me


def test_helper_takes_the_second_half(two):
    vals, pids, me = _blocks(9)
    assert vals.tolist() == [i * i for i in range(9)]
    assert set(pids[:4].tolist()) == {me} and me not in set(pids[4:].tolist())


@pytest.mark.parametrize("how", ["raise", "kill", "exit"])
def test_a_failing_helper_is_redone_here(two, how):
    def fail(i):
        if i == 6:
            if how == "raise":
                raise ValueError("boom")
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(3)
    vals, pids, me = _blocks(9, fail)
    assert vals.tolist() == [i * i for i in range(9)]
    assert set(pids[4:].tolist()) == {me}          # the helper's blocks were computed again here


def test_an_error_here_is_raised_after_the_helper_ended(two):
    def work(i):
        if i == 1 and os.getpid() == me:
            raise KeyError("here")
    me = os.getpid()
    with pytest.raises(KeyError):
        cores.run_blocks(6, work, True)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)                  # no child left behind


def test_one_core_when_asked_or_threads_run(two, monkeypatch):
    assert cores.parallel(10)
    ev = threading.Event()
    t = threading.Thread(target=ev.wait)
    t.start()
    try:
        assert not cores.parallel(10)
        _, pids, me = _blocks(5)
        assert set(pids.tolist()) == {me}
    finally:
        ev.set()
        t.join()
    monkeypatch.setattr(cores, "JOBS", 1)
    assert not cores.parallel(10**9)
    monkeypatch.setattr(cores, "JOBS", None)
    monkeypatch.setenv("EXACTMIN_JOBS", "1")
    assert cores.jobs() == 1 and not cores.parallel(10**9)


TOK = st.one_of(st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr),
                st.fractions().map(str), st.text(alphabet="0123456789+-./eE x", max_size=12))


@settings(max_examples=60, deadline=None)
@given(st.lists(TOK, min_size=1, max_size=300), st.integers(3, 200), st.sampled_from([b",", b",\n\r"]))
def test_parse_fields_on_two_cores_equals_one(toks, chunk, seps):
    toks = [t for t in toks if not any(chr(c) in t for c in seps)]
    if not toks:
        return
    data = ",".join(toks).encode()
    old = cores.JOBS, cores.MIN_BYTES
    try:
        cores.JOBS, cores.MIN_BYTES = 1, 0
        one = parse_fields(data, seps, chunk=chunk)
        cores.JOBS = 2
        both = parse_fields(data, seps, chunk=chunk)
    finally:
        cores.JOBS, cores.MIN_BYTES = old
    assert isinstance(both.ok.base.obj, mmap.mmap)          # the shared arrays of the two-core path
    for name in Parsed.__slots__:
        a, b = getattr(one, name), getattr(both, name)
        ok = one.ok
        if name in ("p", "q", "int_token", "cs", "ce", "signc", "fs", "fe"):
            a, b = a[ok], b[ok]                 # defined where the field was read
        assert np.array_equal(a, b), name


@pytest.mark.parametrize("seed", [71216101, 71216102])
def test_a_file_loads_and_hashes_the_same_on_two_cores(monkeypatch, seed):
    """A CSV and a JSON file of floats (wide denominators: hash from per-token pairs) and of fractions (int64 path),
    read with small parse regions and hash chunks, so both processes take many blocks."""
    from exactmin.data import fastparse, io
    from exactmin.exact import canon
    monkeypatch.setattr(fastparse, "CHUNK", 997)
    monkeypatch.setattr(canon, "CHUNK_CELLS", 64)
    monkeypatch.setattr(cores, "MIN_BYTES", 0)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((700, 3)) * 10.0 ** rng.integers(-6, 3, (700, 3))
    cls = rng.integers(0, 5, 700)
    floats = "".join(",".join(repr(float(v)) for v in r) + f",{c}\n" for r, c in zip(X, cls))
    fracs = "".join(",".join(f"{int(v * 1000)}/{rng.integers(1, 99)}" for v in r) + f",{c}\n" for r, c in zip(X, cls))
    js = '{"classes": [' + ",".join('{"points": [' + ",".join("[" + ",".join(repr(float(v)) for v in r) + "]"
                                                              for r in X[cls == j]) + "]}" for j in range(5)) + "]}"
    for text, fmt in ((floats, "csv"), (fracs, "csv"), (js, "json")):
        got = []
        for j in (1, 2):
            monkeypatch.setattr(cores, "JOBS", j)
            inst = io.load_instance_text(text, fmt, "x")
            got.append((inst.X0_num.tolist(), int(inst.X0_den), inst.sizes, inst.sha256))
        assert got[0] == got[1]
