"""Counsellor workbooks read back as a user opens them: their findings, one sheet per theme, text only."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest

from imilo_audit.report import write_counsellor_workbooks
from imilo_audit.report.workbooks import COLUMNS, NO_COUNSELLOR_FILE, sheet_title

CATALOGUE = [
    {"rule_id": "ADR-01", "theme": "adresses", "theme_titre": "Adresses", "gravite": "erreur", "table": "jeunes",
     "titre": "Adresse non normalisée", "correction": "Cliquer sur « Normaliser »."},
    {"rule_id": "ADR-03", "theme": "adresses", "theme_titre": "Adresses", "gravite": "alerte", "table": "jeunes",
     "titre": "Convention SDF non respectée", "correction": "Cocher « NPAI »."},
    {"rule_id": "EML-01", "theme": "emails", "theme_titre": "Emails", "gravite": "erreur", "table": "jeunes",
     "titre": "Email manquant", "correction": "Saisir l'email."},
    {"rule_id": "USR-05", "theme": "utilisateurs", "theme_titre": "Utilisateurs", "gravite": "erreur",
     "table": "utilisateurs", "titre": "Compte sans email", "correction": "Saisir l'email de l'utilisateur."},
]
THEME_OF = {"ADR": "adresses", "EML": "emails", "USR": "utilisateurs"}
GRAVITE = {rule["rule_id"]: rule["gravite"] for rule in CATALOGUE}


def finding(rule_id: str, id_jeune: str, conseiller: str, valeur: str = "", **extra: str) -> dict:
    return {"rule_id": rule_id, "gravite": GRAVITE.get(rule_id, "alerte"), "table": "jeunes",
            "id_enregistrement": id_jeune, "id_jeune": id_jeune, "conseiller": conseiller,
            "lieu": "Antenne", "champ": "email", "valeur": valeur, "message": "À corriger.",
            "theme": THEME_OF.get(rule_id[:3], ""), **extra}


def rows(sheet) -> list[list]:
    """Data rows (header left out) as cell values."""
    return [list(values) for values in sheet.iter_rows(min_row=2, values_only=True)]


def one_value(tmp_path, valeur) -> openpyxl.cell.Cell:
    """The « Valeur » cell of a workbook holding a single finding with ``valeur``."""
    write_counsellor_workbooks(tmp_path, pd.DataFrame([finding("EML-01", "J1", "Léa", valeur=valeur)]), CATALOGUE)
    return openpyxl.load_workbook(tmp_path / "lea.xlsx")["Emails"]["H2"]


@pytest.fixture
def many() -> pd.DataFrame:
    """Three counsellors and the unrouted, findings shuffled across themes."""
    return pd.DataFrame([
        finding("EML-01", "J01", "Karim Benali"),
        finding("ADR-03", "J02", "Karim Benali", valeur="SDF"),
        finding("ADR-01", "J03", "Léa Martin"),
        finding("ADR-01", "J04", "Karim Benali"),
        finding("USR-05", "", "Karim Benali", table="utilisateurs", id_enregistrement="u.karim"),
        finding("EML-01", "J05", ""),
        finding("ADR-03", "J06", "Karim Benali"),
        finding("ADR-01", "J07", "Karim Benali"),
        finding("EML-01", "J08", "Léa Martin"),
        finding("EML-01", "J09", "Zoé Roux"),
    ])


def test_each_counsellor_gets_exactly_their_findings(tmp_path, many):
    paths = write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    assert [p.name for p in paths] == ["karim_benali.xlsx", "lea_martin.xlsx", "sans_conseiller.xlsx",
                                       "zoe_roux.xlsx"]
    for path, counsellor in zip(paths, ["Karim Benali", "Léa Martin", "", "Zoé Roux"], strict=True):
        book = openpyxl.load_workbook(path)
        found = sorted((row[0], row[4]) for name in book.sheetnames for row in rows(book[name]))
        expected = many[many["conseiller"] == counsellor]
        assert found == sorted(zip(expected["rule_id"], expected["id_enregistrement"], strict=True))


def test_one_sheet_per_theme_in_theme_order_with_rows_to_fix_first(tmp_path, many):
    write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    book = openpyxl.load_workbook(tmp_path / "karim_benali.xlsx")
    assert book.sheetnames == ["Adresses", "Emails", "Utilisateurs"]
    # erreur before alerte, then as found
    assert [(row[0], row[3]) for row in rows(book["Adresses"])] == [
        ("ADR-01", "J04"), ("ADR-01", "J07"), ("ADR-03", "J02"), ("ADR-03", "J06")]
    assert rows(book["Utilisateurs"])[0][3] is None  # no dossier: an empty cell
    assert openpyxl.load_workbook(tmp_path / "zoe_roux.xlsx").sheetnames == ["Emails"]


def test_header_is_bold_filled_frozen_and_filters_every_row(tmp_path, many):
    write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    sheet = openpyxl.load_workbook(tmp_path / "karim_benali.xlsx")["Adresses"]
    assert [cell.value for cell in sheet[1]] == [header for header, _key, _width in COLUMNS]
    assert all(cell.font.bold and cell.fill.fgColor.rgb == "FFDDE4EC" for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J5" and sheet.max_row == 5
    widths = {number: dim.width for dim in sheet.column_dimensions.values()
              for number in range(dim.min, dim.max + 1)}  # a <col> may span equal columns
    for number, (_header, _key, width) in enumerate(COLUMNS, start=1):
        assert abs(widths[number] - width) < 1  # shown as `width` characters wide


def test_formula_like_values_stay_text_and_keep_a_quote_prefix(tmp_path):
    cell = one_value(tmp_path, '=HYPERLINK("http://x")')
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert cell.quotePrefix
    with zipfile.ZipFile(tmp_path / "lea.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("valeur", ["+33 6 12 34 56 78", "-1", "@SUM(A1)", "=1+1"])
def test_every_risky_start_gets_a_quote_prefix(tmp_path, valeur):
    cell = one_value(tmp_path, valeur)
    assert cell.value == valeur and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("valeur", ["0612345678", "1e5", "http://example.org", "jean@example.org"])
def test_numbers_and_links_stay_plain_text(tmp_path, valeur):
    cell = one_value(tmp_path, valeur)
    assert cell.value == valeur and cell.data_type == "s"
    assert not cell.quotePrefix and cell.hyperlink is None


def test_control_characters_are_removed_and_long_values_capped(tmp_path):
    assert one_value(tmp_path, "a\x00b\x08c\x0bd\x0ce\x1ff\tg\nh").value == "abcdef\tg\nh"
    assert one_value(tmp_path, "x" * 40000).value == "x" * 32767
    assert one_value(tmp_path, "\x01\x02").value is None  # nothing left: an empty cell
    cell = one_value(tmp_path, "\x01=1+1")  # risky once cleaned
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix


def test_empty_and_missing_values_are_empty_cells(tmp_path):
    findings = pd.DataFrame([finding("EML-01", "J1", "Léa", valeur=None, message=float("nan"))])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    row = rows(openpyxl.load_workbook(tmp_path / "lea.xlsx")["Emails"])[0]
    assert row[7] is None and row[8] is None and row[0] == "EML-01"


def test_no_findings_no_workbook(tmp_path):
    assert write_counsellor_workbooks(tmp_path / "out", pd.DataFrame([], columns=["rule_id"]), CATALOGUE) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_rule_missing_from_the_catalogue_goes_to_a_last_sheet(tmp_path):
    findings = pd.DataFrame([finding("XXX-01", "J1", "", theme=""), finding("EML-01", "J2", "")])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    book = openpyxl.load_workbook(tmp_path / f"{NO_COUNSELLOR_FILE}.xlsx")
    assert book.sheetnames == ["Emails", "Autres règles"]
    assert rows(book["Autres règles"])[0][:3] == ["XXX-01", "alerte", None]  # no catalogue title


def test_sheet_titles_excel_accepts(tmp_path):
    taken: set[str] = set()
    assert sheet_title("Adresses", taken) == "Adresses"
    assert sheet_title("ADRESSES", taken) == "ADRESSES (2)"
    assert sheet_title("Origine : [a/b]?", taken) == "Origine - -a-b--"
    assert sheet_title("History", taken) == "History (2)"  # reserved by Excel
    assert sheet_title("x" * 30 + "'y", taken) == "x" * 30  # never ends with an apostrophe
    assert sheet_title("'''", taken) == "Thème"
    long = sheet_title("😀" * 20, taken)  # 31 UTF-16 units at most, as Excel counts
    assert long == "😀" * 15

    catalogue = [{**CATALOGUE[2], "theme_titre": "Situation de l'adresse et du c'est"}]
    write_counsellor_workbooks(tmp_path, pd.DataFrame([finding("EML-01", "J1", "Léa")]), catalogue)
    assert openpyxl.load_workbook(tmp_path / "lea.xlsx").sheetnames == ["Situation de l'adresse et du c"]
