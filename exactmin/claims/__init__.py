"""exactmin.claims: the claim declarations (one module per paper; the registry is :mod:`exactmin.claims.base`).

``exactmin.claims`` is also the API call ``exactmin.claims(pattern="*")`` (:func:`exactmin.api.claims`): once
this package is imported it is the attribute ``claims`` of ``exactmin``, so the module itself is callable."""
import sys as _sys
import types as _types


class _CallableModule(_types.ModuleType):
    def __call__(self, pattern: str = "*") -> list:
        """The claim declarations whose id matches the glob ``pattern`` (:func:`exactmin.api.claims`)."""
        from ..api import claims
        return claims(pattern)


_sys.modules[__name__].__class__ = _CallableModule
