"""exactmin_kernel: the obligation kernel, standard library only (importable without numpy, flint, sympy or
exactmin).  A certificate carries witness data; the claim's statement (:mod:`.statements`) turns (instance,
witness) into exact obligations; :mod:`.interp` discharges them; :mod:`.driver` decides each reading's verdict.
Usage: ``verify(doc, instance_path_or_Instance) -> (ok, text)``; ``python3 -m exactmin_kernel CERT INSTANCE``.
"""
from __future__ import annotations

from .driver import FORMAT, Invalid, check, load_json  # noqa: F401
from .instance import Instance, InstanceError, load  # noqa: F401
from .statements import BY_CLAIM  # noqa: F401


def verify(doc, instance) -> tuple[bool, str]:
    """(True, what was verified) or (False, reason) for one certificate or an ``exactmin-bundle/1``."""
    inst = instance if instance is None or isinstance(instance, Instance) else load(instance)
    certs = doc.get("certificates") if isinstance(doc, dict) and doc.get("format") == "exactmin-bundle/1" else [doc]
    if not isinstance(certs, list) or not certs:
        return False, "empty bundle"
    out = []
    for c in certs:
        try:
            out.append(summary(*check(c, inst)))
        except Invalid as e:
            return False, f"{c.get('claim', '?') if isinstance(c, dict) else '?'}: {e}"
    return True, "\n".join(out)


def summary(claim, sha, got):
    """What was verified: the claim, the instance hash and every reading's re-derived verdict."""
    return f"{claim} {'(instance-free)' if sha is None else 'on instance sha256 ' + sha}:\n" + "\n".join(f"  {r}: {v} ({n})" for r, (v, n) in got.items())
