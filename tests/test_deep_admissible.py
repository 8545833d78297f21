"""deep.thm2.3: the per-cluster admissible mu-interval is exact (sharp at both ends) and wider than I_0 here."""
from __future__ import annotations

from flint import fmpq, fmpq_mat

from exactmin.claims.common import data_matrix
from exactmin.claims.deep import _collapse_ok, admissible_intervals, hypotheses
from exactmin.data.bundled import bundled
from exactmin.data.io import load_instance
from exactmin.nets import construct_deep as cd


def _setup(name):
    inst = load_instance(bundled(name))
    g = cd.Geometry.of(inst, hypotheses(inst)["values"]["delta_squared"])
    par = cd.choose_parameters(g)
    X = data_matrix(inst)
    tol = fmpq(1, 2**20)
    con = cd.build(inst, g, inst.Q, par.lam, par.mu, tol)
    return inst, g, par, X, tol, con


def _collapses(inst, g, par, X, tol, mus):
    zero = (fmpq_mat(inst.Y.nrows(), inst.Q), fmpq_mat(inst.Y.nrows(), 1))
    c = cd.build(inst, g, inst.Q, par.lam, mus, tol, output=zero)
    return _collapse_ok(c, inst, X, inst.Q)[0]


def test_interval_ends_are_sharp():
    inst, g, par, X, tol, con = _setup("deep_q3")
    eps = fmpq(1, 10**6)
    for j, (lo, hi) in enumerate(admissible_intervals(con, inst, X)):
        assert lo is not None and hi is not None and lo < par.mu < hi
        for mu_j, ok in ((lo + eps, True), (hi - eps, True), (lo - eps, False), (hi + eps, False)):
            mus = [par.mu] * inst.Q
            mus[j] = mu_j
            assert _collapses(inst, g, par, X, tol, mus) == ok, (j, mu_j)


def test_admissible_range_is_wider_than_the_papers_I0_on_deep_q3():
    inst, g, par, X, tol, con = _setup("deep_q3")
    # -2 delta sqrt(Q) < hi  (by squares: hi >= 0 or hi^2 < 4 delta^2 Q), and lo < -D (D's enclosure)
    for lo, hi in admissible_intervals(con, inst, X):
        assert hi >= 0 or hi * hi < 4 * g.delta_sq * inst.Q
        assert lo < -par.D.hi
