"""French typography: no-break spaces before « : ; ! ? % » » and after « « », in text and in pages."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from imilo_audit.french.typography import NARROW_NBSP, NBSP, french_spaces, french_spaces_html
from imilo_audit.report.templating import render_page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Adresse : voie manquante", f"Adresse{NBSP}: voie manquante"),
        ("Taux : 10 %", f"Taux{NBSP}: 10{NARROW_NBSP}%"),
        ("« Démarche personnelle »", f"«{NBSP}Démarche personnelle{NBSP}»"),
        ("Pourquoi ? Car ! Voilà ; fin", f"Pourquoi{NARROW_NBSP}? Car{NARROW_NBSP}! Voilà{NARROW_NBSP}; fin"),
        ("deux  espaces  :", f"deux  espaces{NBSP}:"),
        ("file:///tmp/a.html à 10:00, 10%", "file:///tmp/a.html à 10:00, 10%"),  # nothing inserted
        (f"déjà{NBSP}: rien", f"déjà{NBSP}: rien"),
        ("", ""),
    ],
)
def test_plain_text(text, expected):
    assert french_spaces(text) == expected


def test_plain_text_twice_is_the_same():
    once = french_spaces("« a » : 5 % ; b ? c !")
    assert french_spaces(once) == once
    assert french_spaces_html(f"<p>{once}</p>") == f"<p>{once}</p>"


def test_html_changes_text_nodes_only():
    page = (
        '<!DOCTYPE html><html><head><title>Audit : octobre</title>'
        '<style>a { color : red ; }</style><script>var x = a ? b : c;</script></head>'
        '<body><p title="Note : attribut" data-x="a > b : c">Note : texte <b>10</b> % « cité »</p>'
        "<!-- commentaire : gardé --><pre>code : gardé</pre><p><code>x : y</code> puis :</p>"
        '<a href="file:///tmp/x.html">lien</a> à 10:00\n   : suite</body></html>'
    )
    result = french_spaces_html(page)
    assert f"<title>Audit{NBSP}: octobre</title>" in result
    assert "<style>a { color : red ; }</style><script>var x = a ? b : c;</script>" in result
    assert 'title="Note : attribut" data-x="a > b : c"' in result
    assert f">Note{NBSP}: texte <b>10</b>{NARROW_NBSP}% «{NBSP}cité{NBSP}»</p>" in result
    assert "<!-- commentaire : gardé --><pre>code : gardé</pre>" in result
    assert f"<code>x : y</code> puis{NBSP}:</p>" in result
    assert f'<a href="file:///tmp/x.html">lien</a> à 10:00{NBSP}: suite' in result


def test_html_survives_unclosed_markup_quickly():
    page = "<p>a < b : c " + '<a title="x' * 2000 + " : fin"
    started = time.monotonic()
    result = french_spaces_html(page)
    assert time.monotonic() - started < 2
    assert result.startswith(f"<p>a < b{NBSP}: c ") and result.endswith(f"x{NBSP}: fin")


def test_render_page_applies_the_typography(tmp_path, monkeypatch):
    import jinja2

    from imilo_audit.report import templating

    def tiny_environment() -> jinja2.Environment:
        templates = jinja2.DictLoader({"t.html": "<p>{{ label }} : {{ n }} %</p>"})
        return jinja2.Environment(loader=templates, autoescape=True)

    monkeypatch.setattr(templating, "environment", tiny_environment)
    assert render_page("t.html", label="<Taux>", n=5) == f"<p>&lt;Taux&gt;{NBSP}: 5{NARROW_NBSP}%</p>"


class TextNodes(HTMLParser):
    """The text nodes of a page, outside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag, attrs):
        self._raw += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._raw -= tag in ("style", "script") and self._raw > 0

    def handle_data(self, data):
        if not self._raw:
            self.texts.append(data)


def breakable_spaces(html: str) -> list[str]:
    """Text around every ordinary space before « : % » » or after « « » in the page's text nodes."""
    parser = TextNodes()
    parser.feed(html)
    found = []
    for text in parser.texts:
        for bad in (" :", " %", " »", "« "):
            start = text.find(bad)
            while start >= 0:
                found.append(text[max(0, start - 30):start + 10])
                start = text.find(bad, start + 1)
    return found


def test_real_report_has_no_breakable_space_before_french_punctuation(sample_run):
    found = breakable_spaces((sample_run / "index.html").read_text(encoding="utf-8"))
    assert found == [], f"{len(found)} ordinary spaces to make non-breaking in index.html, e.g. {found[:8]}"


def test_real_theme_page_has_no_breakable_space_before_french_punctuation(sample_run):
    found = breakable_spaces((sample_run / "10_adresses.html").read_text(encoding="utf-8"))
    assert found == [], f"{len(found)} ordinary spaces to make non-breaking in 10_adresses.html, e.g. {found[:8]}"
