"""``exactmin verify``: each certificate goes to the kernel that owns its claim.

Every claim has a statement file (``exactmin_kernel/statements``) and is checked by the obligation kernel
(:mod:`exactmin_kernel`, format ``exactmin-certificate/2``); a certificate naming no known claim goes to the old
per-claim kernel (:mod:`exactmin.certify.kernel`), which rejects it.  Both read the instance with the same reader
(``exactmin_kernel/instance.py``, docs/instance-format.md).  The output names, per certificate, the claim, the
instance hash and the verdict of every reading."""
from __future__ import annotations

import exactmin_kernel as K
from exactmin_kernel.driver import Invalid, load_json  # noqa: F401  (re-exported for the CLI)

from . import kernel as old


def load_instances(path):
    """(None, obligation-kernel Instance) from one read of the file (InstanceError if bad); the old kernel's
    Instance is built from it only for a certificate that goes there (:func:`verify_document`)."""
    return None, K.load(path)


def _old_summary(c: dict, inst) -> str:
    sha = c.get("instance_sha256") if inst is not None else None
    rd = c.get("readings", {})
    return f"{c['claim']} on instance sha256 {sha} (per-claim kernel):\n" + "\n".join(
        f"  {r}: {v['verdict'] if isinstance(v, dict) else v}" for r, v in rd.items())


def verify_document(doc, path=None, instances=None) -> tuple[bool, str]:
    """(True, what was verified) or (False, reason) for a certificate or an ``exactmin-bundle/1``."""
    inst_old, inst_new = instances if instances is not None else (load_instances(path) if path else (None, None))
    certs = doc.get("certificates") if isinstance(doc, dict) and doc.get("format") == "exactmin-bundle/1" else [doc]
    if not isinstance(certs, list) or not certs:
        return False, "empty bundle"
    out = []
    for c in certs:
        claim = c.get("claim") if isinstance(c, dict) else None
        if isinstance(claim, str) and claim in K.BY_CLAIM:
            try:
                out.append(K.summary(*K.check(c, inst_new)))
            except Invalid as e:
                return False, f"{claim}: {e}"
        else:
            if inst_old is None and inst_new is not None:
                inst_old = old.Instance([[list(p) for p in c] for c in inst_new.classes], [list(r) for r in inst_new.Y])
            ok, why = old.verify(c, inst_old)
            if not ok:
                return False, why
            out.append(_old_summary(c, inst_old))
    return True, f"{len(certs)} certificate(s) valid\n" + "\n".join(out)
