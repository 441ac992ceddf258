"""Check that a page opens offline: no script, style, font or image fetched from elsewhere."""

from __future__ import annotations

import re

from ..errors import AuditError
from ..text import counted

_REMOTE = r"""\s*=\s*["']?\s*(?:https?:)?//"""
_PATTERNS = (
    re.compile(r"<script\b[^>]*\bsrc" + _REMOTE, re.IGNORECASE),
    re.compile(r"<link\b[^>]*\bhref" + _REMOTE, re.IGNORECASE),
    re.compile(r"<(?:img|iframe|embed|source|video|audio|track|input)\b[^>]*\bsrc" + _REMOTE, re.IGNORECASE),
    re.compile(r"<object\b[^>]*\bdata" + _REMOTE, re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""@import\s+["']?\s*(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
)


class ExternalRequestError(AuditError):
    """A page of the audit would fetch something from the network (a bug of its template)."""

    def __init__(self, path: str, requests: list[str]) -> None:
        self.path = path
        self.requests = list(requests)
        shown = " ; ".join(self.requests[:3])
        super().__init__(
            f"La page « {path} » ferait {counted(len(self.requests), 'requête', 'requêtes')} vers Internet ({shown}) : "
            "elle doit s'ouvrir sans connexion."
        )

    def __reduce__(self):
        return (ExternalRequestError, (self.path, self.requests))


def external_requests(html: str) -> list[str]:
    """The start of every tag or CSS rule of ``html`` that would fetch a remote resource."""
    found = []
    for pattern in _PATTERNS:
        found += [match.group(0)[:120] for match in pattern.finditer(html)]
    return found


def check_offline(html: str, path: str) -> None:
    """Raise :class:`ExternalRequestError` when ``html`` would make a network request."""
    requests = external_requests(html)
    if requests:
        raise ExternalRequestError(path, requests)
