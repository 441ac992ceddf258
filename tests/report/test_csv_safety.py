"""Values of the export are data, never code: no formula in findings.csv, no markup in index.html."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FORMULA, PHONE, SCRIPT, SUM


@pytest.fixture(scope="module")
def hostile_audit(hostile_run) -> Path:
    """The real command on a tiny export whose values look like formulas and markup (conftest)."""
    return hostile_run.folder


def findings(folder: Path) -> list[dict[str, str]]:
    with (folder / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def only(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    found = [row for row in rows if all(row[key] == value for key, value in match.items())]
    assert len(found) == 1, f"{match}: {found}"
    return found[0]


def test_formula_like_values_get_an_apostrophe_and_the_row_stays_whole(hostile_audit):
    rows = findings(hostile_audit)
    formula = only(rows, rule_id="EML-02", id_jeune="J1")
    assert formula["valeur"] == "'" + FORMULA
    assert formula["lieu"] == "'-Antenne Sud"
    assert (formula["table"], formula["id_enregistrement"], formula["champ"]) == ("jeunes", "J1", "email")
    assert formula["conseiller"] == "Sylvie DEBOUT" and formula["gravite"] == "erreur" and formula["message"]
    assert only(rows, rule_id="EML-02", id_jeune="J2")["conseiller"] == "'" + SUM
    assert only(rows, rule_id="EML-02", id_jeune="J3")["valeur"] == "'" + PHONE
    every_cell = [value for row in rows for value in row.values()]
    assert not [value for value in every_cell if value[:1] in ("=", "+", "@", "\t", "\r")]


def test_a_negative_amount_is_not_a_formula(hostile_audit):
    amount = only(findings(hostile_audit), rule_id="RES-03")
    assert amount["valeur"].lstrip("'") == amount["valeur"]
    assert amount["valeur"].startswith("-12")


class Texts(HTMLParser):
    """The text nodes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""

    def handle_data(self, data):
        self.text += data


def test_markup_in_the_export_shows_as_text_in_the_report(hostile_audit):
    html = (hostile_audit / "index.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "alert(1)" in html, "the counsellor named like a script is not in the report"
    page = Texts()
    page.feed(html)
    assert SCRIPT in page.text
