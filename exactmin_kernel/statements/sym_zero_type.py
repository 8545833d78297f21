"""sym.zero-type (symmetry paper, arXiv:2105.12221; docs/claims/sym.md): zero-type neurons (a single neuron with
a = 0, or a group sharing w with sum a = 0) keep f; they keep criticality at L = 0, not in general at L > 0.

Instance-free.  Witness: a two-layer ReLU network theta = ``network`` (W, optional c, a), data X, targets
Y_critical, the zero-type incoming vector zero_w (and its bias zero_c, present iff theta has biases), the group's
outgoing weights group_a, a dead incoming vector dead_w (bias 0) and its outgoing weight dead_a.  The kernel adds the
neurons itself: single = theta + (zero_w, zero_c, a = 0); group = theta + one neuron (zero_w, zero_c, a) per a in
group_a; dead_0 = theta + (dead_w, 0, a = 0); dead_1 = theta + (dead_w, 0, dead_a).  Loss, passes and gradient are
those of sym_split (theta as a two-layer network, sigma'(z) = [z > 0]); Y = f(theta) are the zero-loss targets.
Premises: group_a sums to 0 (function, zero-loss, positive-loss-general); no pre-activation of theta is 0 on the
data (every reading but function); L(theta; Y_critical) > 0 and grad L(theta; Y_critical) = 0 (the positive-loss
readings and relu-dead-any-a).
* function: f(single) = f(group) = f(dead_0) = f(theta) on the data.
* zero-loss: zero_w has no pre-activation 0 on the data; single and group have L = 0, grad L = 0 at Y = f(theta);
  refuted if zero_w has none and one of these fails.
* positive-loss-general ("zero-type neurons keep criticality at any loss"), positive-loss-every-w ("at L > 0 every
  zero single breaks criticality"), positive-loss-generic-w ("... almost every w"): statements about every neuron,
  never proved by one witness (undecided).  Refuted: general by grad L(single) != 0 and grad L(group) != 0 (zero_w
  with no pre-activation 0); every-w by grad L(dead_0) = 0 (dead_w with no pre-activation 0); generic-w by
  dead_w x_n < 0 for every n (an open set of w around dead_w, all with the same zero gradient) and grad L(dead_0) = 0.
* relu-dead-any-a (a ReLU fact, not the paper's): dead_a != 0, dead_w x_n < 0 for every n, f(dead_1) = f(theta) and
  grad L(dead_1; Y_critical) = 0; refuted if the first two hold and one of the others fails.
"""
from fractions import Fraction as F
from operator import mul

from ..interp import CapError
from ..obligations import Eq, NonZero, Pos
from .sym_split import N_, TWO, W_, check_net, flat, kinks, loss_grad, passes, refute, two_layer, zero

CLAIM, INSTANCE_FREE = "sym.zero-type", True
READINGS = ("function", "zero-loss", "positive-loss-general", "positive-loss-every-w", "positive-loss-generic-w",
            "relu-dead-any-a")
SCHEMA = {"network": TWO, "X": ("mat", N_, W_), "Y_critical": ("vec", N_), "zero_w": ("vec", W_), "zero_c?": "rat",
          "group_a": ("vec", (2, 8)), "dead_w": ("vec", W_), "dead_a": "rat"}
NEVER = "one witness does not prove a statement about every zero-type neuron"
_CACHE = {}


def add(theta, w, c, a):
    """theta with one neuron (w, bias c, outgoing weight) appended per entry of a."""
    (W, b), ((A,), _) = theta
    return ((W + (w,) * len(a), None if b is None else b + (c,) * len(a)), ((A + tuple(a),), None))


def data(w):
    """{name: (network, passes)} for theta, single, group, dead_0, dead_1, and f(theta); cached per witness."""
    if _CACHE.get("w") is not w:
        theta, X = two_layer(w["network"]), w["X"]
        check_net(theta, X)
        if (w["zero_c"] is None) != (theta[0][1] is None) or len(w["Y_critical"]) != len(X) \
                or len(w["zero_w"]) != len(X[0]) or len(w["dead_w"]) != len(X[0]):
            raise CapError("zero_c iff theta has biases; one target per point; zero_w, dead_w of the input size")
        nets = {"theta": theta, "single": add(theta, w["zero_w"], w["zero_c"], (F(0),)),
                "group": add(theta, w["zero_w"], w["zero_c"], w["group_a"]),
                "dead_0": add(theta, w["dead_w"], F(0), (F(0),)), "dead_1": add(theta, w["dead_w"], F(0), (w["dead_a"],))}
        P = {k: (n, passes(n, X)) for k, n in nets.items()}
        _CACHE.update(w=w, d=(P, [f for *_, f in P["theta"][1]], {}))
    return _CACHE["d"]


def grad(w, name, Y="critical"):
    P, f0, memo = data(w)
    if (name, Y) not in memo:
        memo[(name, Y)] = loss_grad(*P[name], f0 if Y == "zero" else w["Y_critical"])
    return memo[(name, Y)]


def critical(w, name, Y="critical"):
    L, g = grad(w, name, Y)
    return Eq(f"grad L({name}; Y_{Y}) = 0", g, zero(g))


def nonzero_grad(w, name):
    return Pos(f"entries of grad L({name}; Y_critical) != 0", sum(x != 0 for x in flat(grad(w, name)[1])))


def new_kinks(w, name):
    P = data(w)[0]
    return Eq(f"pre-activations of the {name} neuron exactly 0 on the data", kinks(P[name][1]) - kinks(P["theta"][1]), 0)


def dead(w):
    return Pos("dead_w x_n < 0 for every data point n", tuple(-sum(map(mul, w["dead_w"], x), F(0)) for x in w["X"]))


def needs(w, reading):
    """What must hold before the zero-loss or relu-dead-any-a claims decide anything (also before a refutation)."""
    return {"zero-loss": [new_kinks(w, "single"), new_kinks(w, "group")],
            "relu-dead-any-a": [NonZero("dead_a != 0", w["dead_a"]), dead(w)]}.get(reading, [])


def premises(I, w, reading):
    if reading in ("function", "zero-loss", "positive-loss-general"):
        yield Eq("group_a sums to 0", sum(w["group_a"]), 0)
    if reading != "function":
        yield Eq("pre-activations of theta exactly 0 on the data", kinks(data(w)[0]["theta"][1]), 0)
    if reading not in ("function", "zero-loss"):
        yield Pos("L(theta; Y_critical) > 0", grad(w, "theta")[0])
        yield critical(w, "theta")


def hypotheses(I):
    return iter(())


def claims(w, reading):
    P, f0, _ = data(w)
    if reading == "function":
        yield from (Eq(f"f({k}) = f(theta) on the data", [f for *_, f in P[k][1]], f0) for k in ("single", "group", "dead_0"))
    elif reading == "zero-loss":
        for k in ("single", "group"):
            yield Eq(f"L({k}; Y = f(theta)) = 0", grad(w, k, "zero")[0], 0)
            yield critical(w, k, "zero")
    elif reading == "relu-dead-any-a":
        yield Eq("f(dead_1) = f(theta) on the data", [f for *_, f in P["dead_1"][1]], f0)
        yield critical(w, "dead_1")


def conclusion(I, w, reading):
    if reading.startswith("positive-loss"):
        yield Pos(NEVER, F(0))
    else:
        yield from needs(w, reading)
        yield from claims(w, reading)


def refutation(I, w, reading):
    if reading == "positive-loss-general":
        yield from (new_kinks(w, "single"), nonzero_grad(w, "single"), nonzero_grad(w, "group"))
    elif reading in ("positive-loss-every-w", "positive-loss-generic-w"):
        yield dead(w) if reading.endswith("generic-w") else new_kinks(w, "dead_0")
        yield critical(w, "dead_0")
    else:
        yield from refute(needs(w, reading), claims(w, reading))
