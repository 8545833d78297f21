"""Figures (exactmin.report.figures, `exactmin plot`): files, panels, bad input, and that what is drawn is the
exact construction of deep.thm2.3 (collapsed points, layer images) and the exact orbit of flow.exp-rate."""
from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from exactmin.claims import base  # noqa: E402
from exactmin.cli import main  # noqa: E402
from exactmin.data.bundled import bundled  # noqa: E402
from exactmin.data.io import load_instance  # noqa: E402
from exactmin.errors import InputError  # noqa: E402
from exactmin.report import figures as F  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DPI = 40


def _inst(name):
    return load_instance(bundled(name))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    d = tmp_path_factory.mktemp("figs")
    return {n: F.instance_figures(_inst(n), d / n, dpi=DPI) for n in ("deep_q2", "deep_q3", "flow_n3")}


@pytest.mark.parametrize("name,panels", [("deep_q2", ["clusters", "layer1", "layer2"]),
                                         ("deep_q3", ["clusters", "layer1", "layer2", "layer3"]),
                                         ("flow_n3", ["flow"])])
def test_files_written_pdfs_first(written, name, panels):
    paths = written[name]
    stems = [f"{name}_{p}" for p in panels]
    assert [p.name for p in paths] == [s + ".pdf" for s in stems] + [s + ".png" for s in stems]
    for p in paths:
        data = p.read_bytes()
        assert data.startswith(b"%PDF-" if p.suffix == ".pdf" else PNG_MAGIC), p
        assert len(data) > 8_000, (p, len(data))
        assert not list(p.parent.glob(".*.tmp")), "temporary files left behind"


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3"])
def test_one_layer_panel_per_class(written, name):
    Q = _inst(name).Q
    layers = [p for p in written[name] if p.suffix == ".png" and "_layer" in p.name]
    assert len(layers) == Q


@pytest.mark.parametrize("name", ["deep_q4", "iris"])
def test_input_error_outside_q2_q3(tmp_path, name):
    with pytest.raises(InputError, match="plots need Q = 2 or 3"):
        F.instance_figures(_inst(name), tmp_path / "x")
    assert not list(tmp_path.iterdir()), "nothing may be written on bad input"


def test_flow_kind_mismatch_is_input_error(tmp_path):
    with pytest.raises(InputError, match="one training point per class"):
        F.instance_figures(_inst("deep_q2"), tmp_path / "x", kind="flow")
    with pytest.raises(InputError, match="not a clustered"):
        F.instance_figures(_inst("flow_n3"), tmp_path / "x", kind="layers")
    with pytest.raises(InputError, match="no construction"):
        F.instance_figures(_inst("deep_q2_violates_2_14"), tmp_path / "x", kind="layers")


# ------------------------------------------------------------------------------------------------ no drift

def _exact_collapsed_points(inst):
    """x̄_{0,j}[µ_j] = x̄_{0,j} − µ f̃_j from deep.thm2.3's certificate (Fractions), and — independently — the
    exact image of class j after hidden layer j of the certificate's witness network; both must agree."""
    from exactmin.data.stats import data_matrix
    from exactmin.nets.network import Network, to_cumulative
    from exactmin.nets.truncation import tau_cumulative
    cert = base.get("deep.thm2.3").check(inst)
    assert cert.readings["L=Q"]["verdict"] == "proved"
    Q = inst.Q
    mu = Fraction(cert.values["mu"])
    f = [[Fraction(x) for x in row] for row in cert.witness["f_tilde"]]
    means = [[Fraction(int(inst.means[r, j].p), int(inst.means[r, j].q)) for r in range(Q)] for j in range(Q)]
    apex = [[means[j][r] - mu * f[j][r] for r in range(Q)] for j in range(Q)]
    w = cert.witness["networks"]["L=Q"]
    net = Network(tuple(_mat(W) for W in w["weights"]), tuple(_mat([[b] for b in bb]) for bb in w["biases"]))
    Wc, bc = to_cumulative(net)
    taus = tau_cumulative(Wc[:Q], bc[:Q], data_matrix(inst))
    for j in range(Q):
        T = taus[j]
        sl = inst.class_slice(j)
        for col in range(sl.start, sl.stop):
            assert [Fraction(int(T.num[r, col]), int(T.den)) for r in range(Q)] == apex[j]
    return apex


def _mat(rows):
    from flint import fmpq, fmpq_mat
    return fmpq_mat([[fmpq(Fraction(x).numerator, Fraction(x).denominator) for x in row] for row in rows])


def _offsets(fig, gid):
    hits = [c for ax in fig.axes for c in ax.collections if c.get_gid() == gid]
    assert len(hits) == 1, gid
    return np.asarray(hits[0].get_offsets(), dtype=float)


def _check_scene_draws_exact_points(inst):
    apex = _exact_collapsed_points(inst)
    sc = F.deep_scene(inst)
    want = sc.project(np.array([[float(x) for x in a] for a in apex]))
    drawn = _offsets(F.clusters_figure(sc), "collapsed-points")
    assert np.allclose(drawn, want, rtol=1e-12, atol=1e-12)
    for ell in range(1, inst.Q + 1):
        fig = F.layer_figure(sc, ell)
        for j in range(inst.Q):
            pts = _offsets(fig, f"layer{ell}-class{j + 1}")
            if j < ell:                      # collapsed: every point of class j at its exact apex
                assert np.allclose(pts, np.repeat(want[j:j + 1], len(pts), axis=0), rtol=1e-12, atol=1e-12)
            else:                            # untouched: the input data
                assert np.allclose(pts, sc.project(sc.points[sc.cls == j]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3"])
def test_drawn_collapsed_points_are_the_exact_ones(name):
    _check_scene_draws_exact_points(_inst(name))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=st.sampled_from([2, 3]), seed=st.integers(0, 10_000))
def test_drawn_collapsed_points_generated(q, seed):
    from exactmin.data.generate import generate_deep
    _check_scene_draws_exact_points(generate_deep(q, 5, seed))


def test_flow_figure_draws_the_exact_checkpoints():
    sc = F.flow_scene(_inst("flow_n3"))
    assert sc.readings == {"region": "proved", "rank": "proved", "rate": "proved"}
    fig = F.flow_figure(sc)
    line = next(ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "checkpoints")
    want = [int(c.p) / int(c.q) for c in sc.orbit.costs]
    assert len(want) == len(sc.orbit.checkpoints) > 10
    assert np.array_equal(np.asarray(line.get_ydata(), dtype=float), np.asarray(want))


# ------------------------------------------------------------------------------------------------ CLI

def test_cli_plot_writes_and_lists(tmp_path):
    out = tmp_path / "fig.png"
    r = subprocess.run([sys.executable, "-m", "exactmin.cli", "plot", "--instance", "deep_q2", "-o", str(out),
                        "--kind", "clusters", "--dpi", str(DPI)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    listed = r.stdout.split()
    assert sorted(listed) == sorted([str(tmp_path / "fig.pdf"), str(out)])
    assert out.read_bytes().startswith(PNG_MAGIC) and (tmp_path / "fig.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("argv", [["--instance", "iris"], ["--instance", "deep_q4"],
                                  ["--instance", "deep_q2", "--kind", "flow"],
                                  ["--instance", "flow_n3", "--option", "nosuch=1"],
                                  ["--instance", "no_such_instance"]])
def test_cli_plot_bad_input_exit_2(tmp_path, capsys, argv):
    rc = main(["plot", "-o", str(tmp_path / "f.png"), *argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("exactmin: error:") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("out", ["f.svg", "missing_dir/f.png"])
def test_cli_plot_bad_output_exit_2(tmp_path, capsys, out):
    assert main(["plot", "--instance", "deep_q2", "-o", str(tmp_path / out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["deep_q2", "deep_q3", "flow_o1"])
def test_caption_never_overprints_the_axis_labels(name):
    """The wrapped caption at the bottom clears every axes' tick and axis labels (it used to overprint the x label
    of the layer panels); the axes keep their size in inches."""
    for panel, fig in F.panels(load_instance(bundled(name))):
        if not hasattr(fig.canvas, "get_renderer"):
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            FigureCanvasAgg(fig)
        r = fig.canvas.get_renderer()
        caps = [t for t in fig.texts if t.get_position()[1] < 0.1]
        assert caps, f"{name}/{panel}: no caption"
        top = max(t.get_window_extent(r).y1 for t in caps)
        low = min(ax.get_tightbbox(r).y0 for ax in fig.axes)
        assert top < low, f"{name}/{panel}: caption top {top:.1f} px above axes labels at {low:.1f} px"
