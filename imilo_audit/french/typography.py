"""French typography: no line break between a word and « : ; ! ? % » » or after « « ».

An ordinary space before ``:`` ``»`` (or after ``«``) becomes a no-break space (U+00A0); before
``;`` ``!`` ``?`` ``%`` a narrow no-break space (U+202F, as :func:`~.formatting.fr_pct` writes).
Only spaces already there are replaced: nothing is inserted, so ``file:``, ``10:00`` or ``10%`` are
left as they are. :func:`french_spaces` works on plain text (messages, workbook cells),
:func:`french_spaces_html` on the text nodes of a rendered page (never inside a tag, an attribute,
a comment, ``<script>``, ``<style>``, ``<pre>``, ``<code>`` or ``<textarea>``).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

_BEFORE = re.compile(r" +([:»;!?%])")
_AFTER = re.compile(r"« +")
# In a page, a line break or a tab in the source is a space too.
_BEFORE_HTML = re.compile(r"[ \t\r\n]+([:»;!?%])")
_AFTER_HTML = re.compile(r"«[ \t\r\n]+")
_SPACE_FOR = {":": NBSP, "»": NBSP, ";": NARROW_NBSP, "!": NARROW_NBSP, "?": NARROW_NBSP, "%": NARROW_NBSP}

# Markup that is not a text node: comments, declarations, raw text elements with their content, tags
# (attribute values in quotes may hold « > »). Possessive quantifiers: no backtracking on bad markup.
_MARKUP = re.compile(
    r"""<!--.*?-->
      | <!\[CDATA\[.*?\]\]>
      | <[!?][^>]*+>
      | <(?P<raw>script|style)\b(?:[^>"']++|"[^"]*+"|'[^']*+')*+>.*?</(?P=raw)\s*>
      | </?(?P<name>[a-zA-Z][^\s/>]*+)(?:[^>"']++|"[^"]*+"|'[^']*+')*+>""",
    re.DOTALL | re.IGNORECASE | re.VERBOSE,
)
_VERBATIM = {"pre", "code", "textarea", "kbd", "samp"}


def _space(match: re.Match[str]) -> str:
    return _SPACE_FOR[match.group(1)] + match.group(1)


def french_spaces(text: str) -> str:
    """``text`` with the ordinary spaces before ``: ; ! ? % »`` and after ``«`` made non-breaking."""
    if not any(mark in text for mark in ":;!?%«»"):
        return text
    return _AFTER.sub("«" + NBSP, _BEFORE.sub(_space, text))


def _french_spaces_in_text_node(text: str) -> str:
    return _AFTER_HTML.sub("«" + NBSP, _BEFORE_HTML.sub(_space, text))


def french_spaces_html(html: str) -> str:
    """``html`` with :func:`french_spaces` applied to its text nodes only (verbatim elements kept)."""
    parts: list[str] = []
    verbatim = 0  # depth inside <pre>, <code>…
    position = 0
    for match in _MARKUP.finditer(html):
        text = html[position:match.start()]
        parts.append(text if verbatim else _french_spaces_in_text_node(text))
        parts.append(match.group(0))
        position = match.end()
        name = (match.group("name") or "").lower()
        if name in _VERBATIM and not match.group(0).endswith("/>"):
            verbatim = max(0, verbatim - 1) if match.group(0).startswith("</") else verbatim + 1
    tail = html[position:]
    parts.append(tail if verbatim else _french_spaces_in_text_node(tail))
    return "".join(parts)
