"""The exact instance: classes of rational points in R^M and the label matrix Y.

Representation
--------------
Points are stored as integer numerators over one common denominator: ``X0_num`` has shape (M, N) (column = point,
points ordered class by class, N_1 points of class 0 first, ...), and point coordinate = ``X0_num[k, c] / X0_den``.
``X0_den`` is the least common multiple of the reduced denominators of all coordinates (equivalently
``gcd(X0_den, all numerators) == 1``); the constructor normalises to this, so two instances with the same points have
identical arrays. ``X0_num`` is ``int64`` when every |entry| < 2**62 and an ``object`` array of Python ints otherwise.
The arrays are read-only. A loader may keep numerators in [2**62, 2**93) in two int64 limbs (:attr:`Instance.wide`,
:mod:`exactmin.exact.limbs`: data written from floats); the object array is then made on first use of ``X0_num``. ``Y`` (``flint.fmpq_mat``, out_dim x Q) has column j = y_j (default: the Q x Q identity).

Canonical form and hash
-----------------------
``canonical_bytes()`` is the UTF-8 encoding of::

    json.dumps({"format": "exactmin-instance/1",
                "classes": [[[c(x) for x in point] for point in class_j] for class_j in classes],
                "labels": [[c(y) for y in row] for row in rows of Y]},
               sort_keys=True, separators=(",", ":"))

where ``c(x) == str(fractions.Fraction(num, den))`` is the canonical text of the exact value (``"p/q"`` in lowest
terms, sign on the numerator, or ``"p"`` when the denominator is 1), ``classes`` lists the classes in instance order
and each class its points in order, and ``labels`` is ALWAYS present: the rows of Y (out_dim rows of length Q),
with the default identity written out. The name is NOT part of the canonical form. ``sha256`` is
``hashlib.sha256(canonical_bytes()).hexdigest()``. The independent kernel recomputes this hash from an instance file
with the standard library alone (``json``, ``fractions.Fraction``, ``str(Fraction)``, ``hashlib``), so the canonical
string of every number must be exactly ``str(Fraction(num, den))`` -- which :func:`exactmin.exact.numbers.fmt`
guarantees.
"""

from __future__ import annotations

import hashlib
import json
import math

import flint
import numpy as np

from exactmin.errors import InputError
from exactmin.exact.numbers import _int_str, parse_rational

__all__ = ["Instance", "FORMAT", "assemble_common_denominator", "labels_matrix"]

FORMAT = "exactmin-instance/1"
_INT64_BOUND = 2**62
#: Upper bound on the bits of all numerators together (bounded memory for a common denominator that explodes).
MAX_TOTAL_BITS = 2**33


def _to_num_array(flat: list[int], shape: tuple[int, int]) -> np.ndarray:
    """NumPy array of Python ints: int64 when every |entry| < 2**62, else dtype object."""
    if flat:
        hi, lo = max(flat), min(flat)
    else:
        hi = lo = 0
    if -_INT64_BOUND < lo and hi < _INT64_BOUND:
        return np.array(flat, dtype=np.int64).reshape(shape)
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    return arr.reshape(shape)


def assemble_common_denominator(nums: list[int], dens: list[int], shape: tuple[int, int],
                                where: str = "instance") -> tuple[np.ndarray, int]:
    """Integer array of ``shape`` (row-major order of ``nums``) over the lcm of ``dens``; pairs must be reduced.

    Raises :class:`InputError` when the common denominator would make the numerators exceed the memory bound.
    """
    distinct = set(dens)
    distinct.discard(1)
    count = max(len(nums), 1)
    max_bits = max(64, MAX_TOTAL_BITS // count)
    L = 1
    for d in sorted(distinct):
        L = L * d // math.gcd(L, d)
        if L.bit_length() > max_bits:
            raise InputError(f"{where}: the common denominator of the coordinates exceeds {max_bits} bits "
                             f"({len(distinct)} distinct denominators over {len(nums)} numbers); too large to store")
    if L == 1:
        flat = nums
    else:
        factor = {d: L // d for d in distinct}
        factor[1] = L
        flat = [n * factor[d] for n, d in zip(nums, dens)]
    return _to_num_array(flat, shape), L


def _gcd_all(arr: np.ndarray, start: int) -> int:
    """gcd(start, all entries of arr), stopping early at 1."""
    g = start
    if g == 1 or arr.size == 0:
        return g
    if arr.dtype != object:
        g = math.gcd(g, int(np.gcd.reduce(np.abs(arr).ravel())))
        return g
    for v in arr.flat:
        g = math.gcd(g, v)
        if g == 1:
            break
    return g


def _fit_dtype(arr: np.ndarray) -> np.ndarray:
    """int64 when every |entry| < 2**62, else object array of Python ints."""
    if arr.dtype == np.int64:
        if arr.size and (int(arr.max()) >= _INT64_BOUND or int(arr.min()) <= -_INT64_BOUND):
            return arr.astype(object)
        return arr
    if arr.dtype == object:
        if arr.size == 0:
            return np.zeros(arr.shape, dtype=np.int64)
        objs = arr.ravel().tolist()
        if set(map(type, objs)) == {int}:       # Python ints only (the loaders' case): no per-entry conversion
            if -_INT64_BOUND < arr.min() and arr.max() < _INT64_BOUND:
                return arr.astype(np.int64)
            return arr.copy()                   # a private array (it is made read-only below)
        flat = []
        for v in arr.flat:
            if isinstance(v, bool) or not isinstance(v, (int, np.integer, flint.fmpz)):
                raise TypeError(f"numerators must be integers, got {type(v).__name__}")
            flat.append(int(v))
        return _to_num_array(flat, arr.shape)
    if np.issubdtype(arr.dtype, np.integer):
        if arr.dtype.kind == "u" and arr.dtype.itemsize == 8 and arr.size and int(arr.max()) >= _INT64_BOUND:   # any byte order
            return _to_num_array([int(v) for v in arr.flat], arr.shape)
        return _fit_dtype(arr.astype(np.int64))
    raise TypeError(f"numerators must be integers, got dtype {arr.dtype}")


def _canon(num: int, den: int) -> str:
    """str(Fraction(num, den)) for den > 0."""
    g = math.gcd(num, den)
    if g != 1:
        num //= g
        den //= g
    if den == 1:
        return _int_str(num)
    return f"{_int_str(num)}/{_int_str(den)}"


class Instance:
    """An exact instance (see the module docstring). Treat as immutable; derived data are cached."""

    __slots__ = ("name", "_X0", "X0_den", "sizes", "Y", "_cache", "_frozen")

    def __init__(self, name: str, X0_num, X0_den: int, sizes, Y: flint.fmpq_mat | None = None, *,
                 _lowest: bool = False):
        if not isinstance(name, str):
            raise TypeError("name must be a str")
        from exactmin.exact.limbs import Limbs
        wide = _lowest and isinstance(X0_num, Limbs)     # a loader's numerators in two int64 limbs
        arr = X0_num if wide else np.asarray(X0_num)
        if arr.ndim != 2:
            raise ValueError(f"X0_num must be 2-dimensional (M, N), got shape {arr.shape}")
        if not (wide or _lowest and arr.dtype in (np.int64, object)):    # a loader's int64 or Python ints >= 2**62
            arr = _fit_dtype(arr)
        den = int(X0_den)
        if den <= 0:
            raise ValueError("X0_den must be positive")
        sizes = tuple(int(s) for s in sizes)
        if not sizes or any(s <= 0 for s in sizes):
            raise ValueError(f"sizes must be a non-empty tuple of positive ints, got {sizes}")
        M, N = arr.shape
        if M == 0:
            raise ValueError("points must have at least one coordinate")
        if sum(sizes) != N:
            raise ValueError(f"sizes sum to {sum(sizes)} but X0_num has {N} columns")
        # _lowest: the caller (a loader: fastparse.assemble) built the numerators over the lcm of REDUCED
        # denominators, so the gcd is 1 already (for p^e || L some token's denominator holds p^e and its numerator
        # is prime to p), as int64 where every |entry| < 2**62 and else as a private array of Python ints
        g = 1 if _lowest else _gcd_all(arr, den)
        if g != 1:
            arr = arr // g
            den //= g
            arr = _fit_dtype(arr)
        if wide:
            arr = arr.contiguous()
        else:
            arr = np.ascontiguousarray(arr)
            arr.flags.writeable = False
        Q = len(sizes)
        if Y is None:
            Y = flint.fmpq_mat(Q, Q)
            for j in range(Q):
                Y[j, j] = 1
        else:
            if not isinstance(Y, flint.fmpq_mat):
                Y = flint.fmpq_mat(Y)
            if Y.ncols() != Q or Y.nrows() < 1:
                raise ValueError(f"Y must have Q={Q} columns and at least one row, got {Y.nrows()}x{Y.ncols()}")
            Y = flint.fmpq_mat(Y)  # private copy
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_X0", arr)
        object.__setattr__(self, "X0_den", den)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "Y", Y)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_frozen", True)

    def __setattr__(self, key, value):
        raise AttributeError("Instance is immutable")

    def __repr__(self) -> str:
        return (f"Instance(name={self.name!r}, Q={self.Q}, M={self.M}, N={self.N}, sizes={self.sizes}, "
                f"X0_den={self.X0_den}, out_dim={self.Y.nrows()})")

    def _repr_latex_(self) -> str:
        """Jupyter/nbconvert: name, Q, N, M, class sizes, X_0^red and Y (bmatrix), SHA-256 (escaped)."""
        from exactmin.report.latex import latex_instance
        return latex_instance(self)

    def _repr_html_(self) -> str:
        """Jupyter: a summary table; the name is HTML-escaped."""
        from exactmin.report.latex import html_instance
        return html_instance(self)

    # ------------------------------------------------------------------ numerators
    @property
    def X0_num(self) -> np.ndarray:
        """The numerators (M x N, over X0_den): int64, or dtype object of Python ints (made on first use when the
        loader kept them in two int64 limbs, :attr:`wide`)."""
        a = self._X0
        if type(a) is np.ndarray:
            return a
        c = self._cache.get("X0_num")
        if c is None:
            c = self._cache["X0_num"] = a.to_object()
            c.flags.writeable = False
        return c

    @property
    def wide(self):
        """The numerators as :class:`~exactmin.exact.limbs.Limbs` when a loader kept them so (|entries| in
        [2^62, 2^93): data written from floats), else None; the fast paths read these instead of :attr:`X0_num`."""
        a = self._X0
        return None if type(a) is np.ndarray else a

    # ------------------------------------------------------------------ shape
    @property
    def Q(self) -> int:
        """Number of classes."""
        return len(self.sizes)

    @property
    def M(self) -> int:
        """Input dimension."""
        return self._X0.shape[0]

    @property
    def N(self) -> int:
        """Number of points."""
        return self._X0.shape[1]

    @property
    def out_dim(self) -> int:
        """Number of rows of Y."""
        return self.Y.nrows()

    @property
    def offsets(self) -> tuple[int, ...]:
        """Start column of each class, and N at the end (length Q + 1)."""
        c = self._cache.get("offsets")
        if c is None:
            o = [0]
            for s in self.sizes:
                o.append(o[-1] + s)
            c = self._cache["offsets"] = tuple(o)
        return c

    def class_slice(self, j: int) -> slice:
        """Columns of class j (0-based) in X0_num / X0."""
        if not 0 <= j < self.Q:
            raise IndexError(f"class index {j} out of range 0..{self.Q - 1}")
        o = self.offsets
        return slice(o[j], o[j + 1])

    def class_num(self, j: int) -> np.ndarray:
        """Numerators (M x N_j, over X0_den) of the points of class j."""
        return self.X0_num[:, self.class_slice(j)]

    # ------------------------------------------------------------------ exact matrices
    @property
    def X0(self) -> flint.fmpq_mat:
        """The M x N data matrix as an fmpq_mat (built lazily, cached)."""
        c = self._cache.get("X0")
        if c is None:
            Z = flint.fmpz_mat(self.M, self.N, [int(v) for v in self.X0_num.flat])
            c = flint.fmpq_mat(Z)
            if self.X0_den != 1:
                c = c / self.X0_den
            self._cache["X0"] = c
        return c

    def point(self, j: int, i: int) -> list[flint.fmpq]:
        """Coordinates of point i (0-based) of class j (0-based)."""
        sl = self.class_slice(j)
        if not 0 <= i < self.sizes[j]:
            raise IndexError(f"point index {i} out of range 0..{self.sizes[j] - 1} of class {j}")
        col = self.X0_num[:, sl.start + i]
        return [flint.fmpq(int(v), self.X0_den) for v in col]

    def class_sums(self) -> list[list[int]]:
        """Per class, the exact integer column sums Σ_i X0_num[:, (j,i)] (over X0_den)."""
        c = self._cache.get("class_sums")
        if c is None and self.wide is not None:
            c = self._cache["class_sums"] = [self.wide[:, self.class_slice(j)].row_sums() for j in range(self.Q)]
        if c is None:
            c = []
            maxabs = self.max_abs_num()
            for j in range(self.Q):
                block = self.class_num(j)
                if block.dtype != object and maxabs * block.shape[1] < 2**63:
                    s = [int(v) for v in block.sum(axis=1)]
                else:
                    s = [int(v) for v in block.astype(object).sum(axis=1)]
                c.append(s)
            self._cache["class_sums"] = c
        return c

    def max_abs_num(self) -> int:
        """max |X0_num| (exact Python int)."""
        c = self._cache.get("max_abs")
        if c is None:
            if self.wide is not None:
                c = self.wide.max_abs()
            elif self.X0_num.size == 0:
                c = 0
            elif self.X0_num.dtype == object:
                c = max(self.X0_num.max(), -self.X0_num.min())     # Python-int comparisons, no abs() objects
            else:
                c = max(int(self.X0_num.max()), -int(self.X0_num.min()))
            self._cache["max_abs"] = c
        return c

    @property
    def means(self) -> flint.fmpq_mat:
        """X_0^red: M x Q fmpq_mat whose column j is the class mean x̄_{0,j} (exact, from integer sums)."""
        c = self._cache.get("means")
        if c is None:
            c = flint.fmpq_mat(self.M, self.Q)
            for j, s in enumerate(self.class_sums()):
                d = self.sizes[j] * self.X0_den
                for k in range(self.M):
                    c[k, j] = flint.fmpq(s[k], d)
            self._cache["means"] = c
        return flint.fmpq_mat(c)

    def mean(self, j: int) -> list[flint.fmpq]:
        """Class mean x̄_{0,j} as a list of fmpq."""
        self.class_slice(j)
        s = self.class_sums()[j]
        d = self.sizes[j] * self.X0_den
        return [flint.fmpq(v, d) for v in s]

    @property
    def barycenter(self) -> list[flint.fmpq]:
        """x̄ = (1/Q) Σ_j x̄_{0,j}: the mean of the class means (not of all points)."""
        c = self._cache.get("barycenter")
        if c is None:
            means = [self.mean(j) for j in range(self.Q)]
            c = [sum((m[k] for m in means), flint.fmpq(0)) / self.Q for k in range(self.M)]
            self._cache["barycenter"] = c
        return list(c)

    @property
    def Y_ext(self) -> flint.fmpq_mat:
        """out_dim x N: column (j, i) is y_j (y_j repeated N_j times)."""
        c = self._cache.get("Y_ext")
        if c is None:
            c = flint.fmpq_mat(self.out_dim, self.N)
            for j in range(self.Q):
                sl = self.class_slice(j)
                for r in range(self.out_dim):
                    y = self.Y[r, j]
                    if y != 0:
                        for col in range(sl.start, sl.stop):
                            c[r, col] = y
            self._cache["Y_ext"] = c
        return flint.fmpq_mat(c)

    # ------------------------------------------------------------------ canonical form
    def _coordinate_strings(self) -> list[list[list[str]]]:
        L = self.X0_den
        memo: dict[int, str] = {}
        T = self.X0_num.T.tolist()  # N lists of M Python ints
        classes = []
        for j in range(self.Q):
            sl = self.class_slice(j)
            pts = []
            for row in T[sl.start:sl.stop]:
                out = []
                for v in row:
                    s = memo.get(v)
                    if s is None:
                        s = memo[v] = _canon(v, L)
                    out.append(s)
                pts.append(out)
            classes.append(pts)
        return classes

    def _label_strings(self) -> list[list[str]]:
        rows = []
        for r in range(self.out_dim):
            rows.append([_canon(int(self.Y[r, j].p), int(self.Y[r, j].q)) for j in range(self.Q)])
        return rows

    def _vectorised_canon(self) -> bool:
        """Large int64 instances take exactmin.exact.canon: the same bytes, vectorised (tests/test_perf_guard.py)."""
        return self.N >= 4096 and self.wide is None and self.X0_num.dtype != object

    def canonical_bytes(self) -> bytes:
        """Canonical serialisation hashed by :attr:`sha256` (see the module docstring)."""
        c = self._cache.get("canonical")
        if c is None:
            if self._vectorised_canon():
                from ..exact.canon import canonical_bytes as fast
                c = fast(self)
            else:
                obj = {"format": FORMAT, "classes": self._coordinate_strings(), "labels": self._label_strings()}
                c = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")
            self._cache["canonical"] = c
        return c

    @property
    def sha256(self) -> str:
        """hashlib.sha256(canonical_bytes()).hexdigest(); independent of the name."""
        c = self._cache.get("sha256")
        if c is None:
            if "canonical" not in self._cache and self._vectorised_canon():
                from ..exact.canon import canonical_sha256
                c = canonical_sha256(self)          # the same bytes, fed to the hash chunk by chunk (not kept)
            else:
                c = hashlib.sha256(self.canonical_bytes()).hexdigest()
            self._cache["sha256"] = c
        return c

    def to_json_dict(self) -> dict:
        """The contract's instance JSON (numbers as canonical "p/q" / "p" strings, labels written out)."""
        return {
            "format": FORMAT,
            "name": self.name,
            "classes": [{"points": pts} for pts in self._coordinate_strings()],
            "labels": self._label_strings(),
        }

    def same_data(self, other: "Instance") -> bool:
        """Same points, classes and labels (the name is ignored)."""
        return (self.sizes == other.sizes and self.X0_den == other.X0_den
                and self.X0_num.shape == other.X0_num.shape
                and bool(np.array_equal(self.X0_num.astype(object), other.X0_num.astype(object)))
                and self.Y == other.Y)

    def with_name(self, name: str) -> "Instance":
        if self.wide is not None:
            return Instance(name, self.wide, self.X0_den, self.sizes, self.Y, _lowest=True)
        return Instance(name, self.X0_num, self.X0_den, self.sizes, self.Y)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_rationals(cls, name: str, classes, labels=None) -> "Instance":
        """Build from nested lists: ``classes[j][i][k]`` is coordinate k of point i of class j (int, Fraction, fmpq,
        or a string read by :func:`parse_rational`); ``labels`` are the rows of Y (column j = y_j), default identity.
        """
        if not classes:
            raise InputError(f"{name}: no classes")
        nums: list[int] = []
        dens: list[int] = []
        sizes = []
        M = None
        for j, pts in enumerate(classes):
            if not pts:
                raise InputError(f"{name}: class {j} has no points")
            sizes.append(len(pts))
            for i, p in enumerate(pts):
                if not isinstance(p, (list, tuple)):
                    raise InputError(f"{name}: class {j}, point {i} is not a list of coordinates")
                if M is None:
                    M = len(p)
                    if M == 0:
                        raise InputError(f"{name}: class {j}, point {i} has no coordinates")
                if len(p) != M:
                    raise InputError(f"{name}: class {j}, point {i} has {len(p)} coordinates, expected {M}")
                for k, v in enumerate(p):
                    try:
                        n, d = parse_rational(v)
                    except InputError as e:
                        raise InputError(f"{name}: class {j}, point {i}, coordinate {k}: {e}") from None
                    nums.append(n)
                    dens.append(d)
        N = sum(sizes)
        arr, L = assemble_common_denominator(nums, dens, (N, M), where=name)
        Y = None
        if labels is not None:
            Y = labels_matrix(labels, len(sizes), where=name)
        return cls(name, arr.T, L, sizes, Y)


def labels_matrix(rows, Q: int, where: str = "labels") -> flint.fmpq_mat:
    """fmpq_mat from a list of rows (each of length Q), validating the shape; numbers read by parse_rational."""
    if not isinstance(rows, (list, tuple)) or len(rows) == 0:
        raise InputError(f"{where}: labels must be a non-empty list of rows (each of length Q={Q})")
    Y = flint.fmpq_mat(len(rows), Q)
    for r, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            raise InputError(f"{where}: labels row {r} is not a list")
        if len(row) != Q:
            raise InputError(f"{where}: labels row {r} has length {len(row)}, expected Q={Q} "
                             f"(labels are the rows of Y; column j is y_j)")
        for j, v in enumerate(row):
            try:
                n, d = parse_rational(v)
            except InputError as e:
                raise InputError(f"{where}: labels row {r}, column {j}: {e}") from None
            Y[r, j] = flint.fmpq(n, d)
    return Y
