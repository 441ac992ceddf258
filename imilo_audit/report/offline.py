"""Check that a page opens offline: no script, style, font or image fetched from elsewhere."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ..errors import AuditError
from ..text import counted

_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.IGNORECASE)  # //host, https://host, ftp://host
# Every remote address holds two slashes, written as such or as character references: a page with
# neither cannot fetch anything, and is not parsed (hundreds of counsellor pages per audit).
_MAYBE_REMOTE = re.compile(r"//|&#0*47(?!\d)|&#x0*2f(?![0-9a-f])|&sol", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_REQUESTS = (
    re.compile(r"""url\(\s*["']?\s*(?:[a-z][a-z0-9+.\-]*:)?//""", re.IGNORECASE),
    re.compile(r"""@import\s+["']\s*(?:[a-z][a-z0-9+.\-]*:)?//""", re.IGNORECASE),
)
# Attributes whose URL the browser fetches as the page loads (not <a href>: a link is followed on a click).
_LOADING_ATTRIBUTES = {
    "src": None,  # img, script, iframe, embed, source, video, audio, track, input
    "href": {"link", "image", "use", "feimage", "script"},
    "xlink:href": None,
    "{http://www.w3.org/1999/xlink}href": None,
    "data": {"object"},
    "poster": {"video"},
    "background": None,
    "srcset": None,
    "imagesrcset": {"link"},
    "codebase": {"object", "applet"},
    "manifest": {"html"},
}

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
    """The start of every tag or CSS rule of ``html`` that would fetch a remote resource.

    The page is parsed: only what the browser loads counts (loading attributes such as ``src``,
    ``href`` of ``<link>``, ``srcset``, CSS in ``<style>`` blocks and ``style`` attributes, a
    refresh to another address); text shown on the page, escaped (a youth's comment holding
    ``url(//…)``), never does.
    """
    if not _MAYBE_REMOTE.search(html):
        return []
    parser = lxml_html.HTMLParser(huge_tree=True, encoding="utf-8")
    root = lxml_html.document_fromstring(html.encode("utf-8"), parser=parser)
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        tag = element.tag.rsplit("}", 1)[-1].casefold()
        for name, value in element.attrib.items():
            key = name.casefold()
            tags = _LOADING_ATTRIBUTES.get(key, ())
            if tags != () and (tags is None or tag in tags) and _loads_remote(key, value):
                found.append(_describe(element)[:120])
            elif key == "style":
                found += _css_requests(value)
        if tag == "style":
            found += _css_requests(element.text or "")
        if tag == "meta" and (element.get("http-equiv") or "").casefold() == "refresh":
            content = element.get("content") or ""
            target = content.partition("=")[2] if "url" in content.casefold() else ""
            if _REMOTE_URL.match(target.strip("'\" ")):
                found.append(_describe(element)[:120])
    return found


def _loads_remote(attribute: str, value: str) -> bool:
    if attribute in ("srcset", "imagesrcset"):
        return any(_REMOTE_URL.match(candidate) for candidate in value.split(","))
    return bool(_REMOTE_URL.match(value))


def _css_requests(css: str) -> list[str]:
    css = _CSS_COMMENT.sub("", css)
    return [css[match.start() : match.start() + 120] for pattern in _CSS_REQUESTS for match in pattern.finditer(css)]


def _describe(element: etree._Element) -> str:
    attributes = " ".join(f'{name}="{value}"' for name, value in element.attrib.items())
    return f"<{element.tag} {attributes}>"


def check_offline(html: str, path: str) -> None:
    """Raise :class:`ExternalRequestError` when ``html`` would make a network request."""
    requests = external_requests(html)
    if requests:
        raise ExternalRequestError(path, requests)
