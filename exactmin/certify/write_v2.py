"""The certificate writer for claims with a statement in :mod:`exactmin_kernel.statements` (format
``exactmin-certificate/2``): the witness fields are exactly the statement's schema (``SCHEMA``), so the writer
and the kernel's reader share one field list; readings carry verdict words only (the kernel re-derives them).
Values, reasons, provenance and enclosures stay in the library's report; they are not part of the certificate."""
from __future__ import annotations

from exactmin_kernel import FORMAT, BY_CLAIM
from exactmin_kernel.driver import ORDER


def has_statement(claim: str) -> bool:
    return claim in BY_CLAIM


def _strings(x):
    """Integers of a library witness (the flow nets' dims) as the canonical strings format 2 reads."""
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    return [_strings(y) for y in x] if isinstance(x, list) else {k: _strings(v) for k, v in x.items()} if isinstance(x, dict) else x


def to_v2(cert) -> dict:
    """The v2 document of a library :class:`~exactmin.certify.certificate.Certificate`."""
    st = BY_CLAIM[cert.claim]
    hyp_fail = all(r["verdict"] == "hypotheses-fail" for r in cert.readings.values())
    witness = {}
    if cert.witness:          # the library writes no witness exactly when the instance hypotheses fail
        for key in st.SCHEMA:
            name = key.rstrip("?")
            extra = getattr(cert, "witness_v2", {})        # witness data only the statement reads (not in format 1)
            if name in cert.witness:
                witness[name] = _strings(cert.witness[name])
            elif name in extra:
                witness[name] = extra[name]
            elif name in cert.values:                   # a number the library reports as a value (lemma mu)
                witness[name] = cert.values[name]
            elif not key.endswith("?"):
                raise ValueError(f"{cert.claim}: the library wrote no witness field {name!r} (statement schema)")
    # a library certificate whose shared hypotheses fail may list one reading only: they all fail alike
    readings = {r: cert.readings[r]["verdict"] if r in cert.readings or not hyp_fail else "hypotheses-fail"
                for r in st.READINGS}
    return {"format": FORMAT, "claim": cert.claim, "instance_sha256": cert.instance_sha256,
            "verdict": next(v for v in ORDER if v in readings.values()), "readings": readings, "witness": witness}


def document(cert) -> dict:
    """The certificate file's content: v2 where the claim has a statement, else the library's v1 record."""
    return to_v2(cert) if has_statement(cert.claim) else cert.to_json()
