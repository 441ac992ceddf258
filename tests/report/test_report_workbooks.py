"""Counsellor workbooks read back as a user opens them: their findings, a summary, one sheet per theme, text only."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest

from imilo_audit.people.counsellors import Directory
from imilo_audit.report import write_counsellor_workbooks
from imilo_audit.report.workbooks import COLUMNS, NO_COUNSELLOR_FILE, SUMMARY_SHEET, sheet_title

CATALOGUE = [
    {"rule_id": "ADR-01", "theme": "adresses", "theme_titre": "Adresses", "gravite": "erreur", "table": "jeunes",
     "titre": "Adresse non normalisée", "correction": "Cliquer sur « Normaliser »."},
    {"rule_id": "ADR-03", "theme": "adresses", "theme_titre": "Adresses", "gravite": "alerte", "table": "jeunes",
     "titre": "Convention SDF non respectée", "correction": "Cocher « NPAI »."},
    {"rule_id": "EML-01", "theme": "emails", "theme_titre": "Emails", "gravite": "erreur", "table": "jeunes",
     "titre": "Email manquant", "correction": "Saisir l'email."},
    {"rule_id": "RES-01", "theme": "ressources", "theme_titre": "Ressources", "gravite": "erreur",
     "table": "ressources", "titre": "Ressource sans date de début", "correction": "Indiquer la date de début."},
    {"rule_id": "DAT-02", "theme": "donnees", "theme_titre": "Données illisibles", "gravite": "erreur",
     "table": "jeunes", "titre": "Identifiant en double", "correction": "Vérifier le doublon."},
    {"rule_id": "USR-05", "theme": "utilisateurs", "theme_titre": "Utilisateurs", "gravite": "erreur",
     "table": "utilisateurs", "titre": "Compte sans email", "correction": "Saisir l'email de l'utilisateur."},
]
THEME_OF = {"ADR": "adresses", "EML": "emails", "RES": "ressources", "DAT": "donnees", "USR": "utilisateurs"}
GRAVITE = {rule["rule_id"]: rule["gravite"] for rule in CATALOGUE}
HEADERS = [column.header for column in COLUMNS if column.key != "jeune"]
VALUE = HEADERS.index("Valeur")
MONTH = {"month": "2026-10", "structure": "Mission Locale Rhône Est", "date_reference": "2026-10-31"}


def finding(rule_id: str, id_jeune: str, conseiller: str, valeur: str = "", **extra: str) -> dict:
    return {"rule_id": rule_id, "gravite": GRAVITE.get(rule_id, "alerte"), "table": "jeunes",
            "id_enregistrement": id_jeune, "id_jeune": id_jeune, "conseiller": conseiller,
            "lieu": "Antenne", "champ": "email", "valeur": valeur, "message": "À corriger.",
            "theme": THEME_OF.get(rule_id[:3], ""), **extra}


def rows(sheet) -> list[list]:
    """Data rows (header left out) as cell values."""
    return [list(values) for values in sheet.iter_rows(min_row=2, values_only=True)]


def records(sheet) -> list[dict]:
    """Data rows as {header: value}."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in rows(sheet)]


def one_value(tmp_path, valeur) -> openpyxl.cell.Cell:
    """The « Valeur » cell of a workbook holding a single finding with ``valeur``."""
    write_counsellor_workbooks(tmp_path, pd.DataFrame([finding("EML-01", "J1", "Léa", valeur=valeur)]), CATALOGUE)
    return openpyxl.load_workbook(tmp_path / "lea.xlsx")["Emails"].cell(2, VALUE + 1)


def summary_cells(sheet) -> dict:
    """The label -> value pairs of the « Synthèse » sheet's first column."""
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}


@pytest.fixture
def many() -> pd.DataFrame:
    """Three counsellors, the unrouted and a user account, findings shuffled across themes."""
    return pd.DataFrame([
        finding("EML-01", "J01", "Karim Benali"),
        finding("ADR-03", "J02", "Karim Benali", valeur="SDF"),
        finding("ADR-01", "J03", "Léa Martin"),
        finding("ADR-01", "J04", "Karim Benali"),
        finding("USR-05", "", "", table="utilisateurs", id_enregistrement="u.karim"),
        finding("EML-01", "J05", ""),
        finding("ADR-03", "J06", "Karim Benali"),
        finding("ADR-01", "J07", "Karim Benali"),
        finding("EML-01", "J08", "Léa Martin"),
        finding("EML-01", "J09", "Zoé Roux"),
    ])


def test_each_counsellor_gets_exactly_their_findings(tmp_path, many):
    paths = write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    assert [p.name for p in paths] == ["comptes_utilisateurs.xlsx", "karim_benali.xlsx", "lea_martin.xlsx",
                                       "sans_conseiller.xlsx", "zoe_roux.xlsx"]
    expected = {
        "comptes_utilisateurs.xlsx": [("USR-05", "u.karim")],
        "karim_benali.xlsx": [("ADR-01", "J04"), ("ADR-01", "J07"), ("ADR-03", "J02"), ("ADR-03", "J06"),
                              ("EML-01", "J01")],
        "lea_martin.xlsx": [("ADR-01", "J03"), ("EML-01", "J08")],
        "sans_conseiller.xlsx": [("EML-01", "J05")],
        "zoe_roux.xlsx": [("EML-01", "J09")],
    }
    for path in paths:
        book = openpyxl.load_workbook(path)
        found = sorted((row["Règle"].split(" ")[0], row["Dossier"])
                       for name in book.sheetnames[1:] for row in records(book[name]))
        assert found == expected[path.name]


def test_summary_sheet_then_one_sheet_per_theme_with_rows_to_fix_first(tmp_path, many):
    write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    book = openpyxl.load_workbook(tmp_path / "karim_benali.xlsx")
    assert book.sheetnames == [SUMMARY_SHEET, "Adresses", "Emails"]
    # erreur before alerte, then as found
    assert [(row["Règle"], row["Dossier"]) for row in records(book["Adresses"])] == [
        ("ADR-01 – Adresse non normalisée", "J04"), ("ADR-01 – Adresse non normalisée", "J07"),
        ("ADR-03 – Convention SDF non respectée", "J02"), ("ADR-03 – Convention SDF non respectée", "J06")]
    assert openpyxl.load_workbook(tmp_path / "zoe_roux.xlsx").sheetnames == [SUMMARY_SHEET, "Emails"]
    account = records(openpyxl.load_workbook(tmp_path / "comptes_utilisateurs.xlsx")["Utilisateurs"])[0]
    assert account["Dossier"] == "u.karim" and account["Élément"] is None  # a login names the account


def test_header_is_bold_filled_frozen_and_filters_every_row(tmp_path, many):
    write_counsellor_workbooks(tmp_path, many, CATALOGUE)
    sheet = openpyxl.load_workbook(tmp_path / "karim_benali.xlsx")["Adresses"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold and cell.fill.fgColor.rgb == "FFDDE4EC" for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I5" and sheet.max_row == 5
    widths = {number: dim.width for dim in sheet.column_dimensions.values()
              for number in range(dim.min, dim.max + 1)}  # a <col> may span equal columns
    for number, column in enumerate((c for c in COLUMNS if c.key != "jeune"), start=1):
        assert abs(widths[number] - column.width) < 1  # shown as `width` characters wide
    assert sheet.cell(2, HEADERS.index("Message") + 1).alignment.wrap_text


def test_formula_like_values_stay_text_and_keep_a_quote_prefix(tmp_path):
    cell = one_value(tmp_path, '=HYPERLINK("http://x")')
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert cell.quotePrefix
    with zipfile.ZipFile(tmp_path / "lea.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()


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


def test_a_counsellor_name_that_looks_like_a_formula_stays_text(tmp_path):
    write_counsellor_workbooks(tmp_path, pd.DataFrame([finding("EML-01", "J1", "=cmd|' /C calc'!A0")]),
                               CATALOGUE)
    (path,) = [p for p in tmp_path.iterdir() if p.name != f"{NO_COUNSELLOR_FILE}.xlsx"]
    sheet = openpyxl.load_workbook(path)[SUMMARY_SHEET]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0")
    assert cell.data_type == "s" and cell.quotePrefix


def test_empty_and_missing_values_are_empty_cells(tmp_path):
    findings = pd.DataFrame([finding("EML-01", "J1", "Léa", valeur=None, message=float("nan"))])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    row = records(openpyxl.load_workbook(tmp_path / "lea.xlsx")["Emails"])[0]
    assert row["Valeur"] is None and row["Message"] is None and row["Règle"] == "EML-01 – Email manquant"


def test_no_findings_no_workbook(tmp_path):
    assert write_counsellor_workbooks(tmp_path / "out", pd.DataFrame([], columns=["rule_id"]), CATALOGUE) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_rule_missing_from_the_catalogue_goes_to_a_last_sheet(tmp_path):
    findings = pd.DataFrame([finding("XXX-01", "J1", "", theme=""), finding("EML-01", "J2", "")])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    book = openpyxl.load_workbook(tmp_path / f"{NO_COUNSELLOR_FILE}.xlsx")
    assert book.sheetnames == [SUMMARY_SHEET, "Emails", "Autres règles"]
    row = records(book["Autres règles"])[0]
    assert (row["Gravité"], row["Règle"], row["Comment corriger"]) == ("alerte", "XXX-01", None)  # no catalogue


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
    assert openpyxl.load_workbook(tmp_path / "lea.xlsx").sheetnames == [
        SUMMARY_SHEET, "Situation de l'adresse et du c"]


def test_two_spellings_of_one_counsellor_make_one_workbook(tmp_path):
    findings = pd.DataFrame([finding("EML-01", "J1", "HOARAU Christophe"),
                             finding("EML-01", "J2", "Christophe HOARAU"),
                             finding("ADR-01", "J3", " christophe  hoarau ")])
    paths = write_counsellor_workbooks(tmp_path, findings, CATALOGUE, **MONTH)
    assert [p.name for p in paths] == ["christophe_hoarau_2026-10_mission_locale_rhone_est.xlsx"]
    book = openpyxl.load_workbook(paths[0])
    assert sorted(row["Dossier"] for name in book.sheetnames[1:] for row in records(book[name])) == [
        "J1", "J2", "J3"]


def test_a_login_and_a_name_resolve_to_the_account_of_the_users_table(tmp_path):
    users = pd.DataFrame({"login": ["scordier"], "prenom": ["Sophie"], "nom": ["Cordier"]})
    findings = pd.DataFrame([finding("EML-01", "J1", "scordier"), finding("EML-01", "J2", "CORDIER Sophie")])
    directory = Directory(findings["conseiller"], users)
    paths = write_counsellor_workbooks(tmp_path, findings, CATALOGUE, directory=directory, **MONTH)
    assert [p.name for p in paths] == ["sophie_cordier_2026-10_mission_locale_rhone_est.xlsx"]
    book = openpyxl.load_workbook(paths[0])
    cells = summary_cells(book[SUMMARY_SHEET])
    assert cells["Conseiller"] == "Sophie CORDIER" and cells["Identifiant i-milo"] == "scordier"
    assert [row["Dossier"] for row in records(book["Emails"])] == ["J1", "J2"]


def test_month_structure_and_counts_on_the_summary_sheet(tmp_path):
    findings = pd.DataFrame([
        finding("EML-01", "J1", "Léa Martin", premiere_detection="2026-10", suivi="nouveau"),
        finding("ADR-01", "J2", "Léa Martin", premiere_detection="2026-08", suivi="persistant"),
        finding("ADR-03", "J3", "Léa Martin", premiere_detection="2026-10", suivi="nouveau"),
    ])
    fixed = pd.DataFrame([finding("EML-01", "J9", "MARTIN Léa", suivi="corrige"),  # another spelling
                          finding("RES-01", "J8", "Léa Martin", suivi="corrige", table="ressources")])
    (path,) = write_counsellor_workbooks(tmp_path, findings, CATALOGUE, fixed=fixed, **MONTH)
    assert path.name == "lea_martin_2026-10_mission_locale_rhone_est.xlsx"
    sheet = openpyxl.load_workbook(path)[SUMMARY_SHEET]
    cells = summary_cells(sheet)
    assert cells["Structure"] == "Mission Locale Rhône Est"
    assert cells["Mois de l'audit"] == "octobre 2026"
    assert cells["Date de référence"] == "31/10/2026"
    assert cells["Conseiller"] == "Léa Martin"
    assert any(str(label).startswith("Comment utiliser ce classeur\u00a0:") for label in cells)
    table = [row for row in sheet.iter_rows(values_only=True) if row[0] in ("Thème", "Adresses", "Emails",
                                                                               "Ressources", "Total")]
    assert table == [
        ("Thème", "Erreurs", "Alertes", "Infos", "Total", "Nouveaux", "Persistants",
         "Corrigés depuis l'audit précédent"),
        ("Adresses", 1, 1, 0, 2, 1, 1, 0),
        ("Emails", 1, 0, 0, 1, 1, 0, 1),
        ("Ressources", 0, 0, 0, 0, 0, 0, 1),  # all fixed: counted, no sheet
        ("Total", 2, 1, 0, 3, 2, 1, 2),
    ]
    assert openpyxl.load_workbook(path).sheetnames == [SUMMARY_SHEET, "Adresses", "Emails"]


def test_columns_a_counsellor_understands(tmp_path):
    findings = pd.DataFrame([
        finding("ADR-01", "1002205", "Léa", champ="adresse_normalisee", valeur="non"),
        finding("RES-01", "1002205", "Léa", table="ressources", id_enregistrement="L1733", champ="date_debut"),
    ])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    book = openpyxl.load_workbook(tmp_path / "lea.xlsx")
    for name in book.sheetnames[1:]:
        header = [cell.value for cell in book[name][1]]
        assert "Table" not in header and "Enregistrement" not in header
    address = records(book["Adresses"])[0]
    assert (address["Dossier"], address["Champ"], address["Élément"]) == ("1002205", "Adresse normalisée", None)
    resource = records(book["Ressources"])[0]
    assert resource["Dossier"] == "1002205" and resource["Champ"] == "Date de début"
    assert resource["Élément"] == "Ressource, ligne 1733 du fichier"
    assert "L1733" not in str(resource.values())


def test_identical_rows_are_written_once(tmp_path):
    pair = finding("DAT-02", "1003778", "Léa", champ="id_jeune", valeur="1003778")
    write_counsellor_workbooks(tmp_path, pd.DataFrame([pair, pair, {**pair, "valeur": "autre"}]), CATALOGUE)
    sheet = openpyxl.load_workbook(tmp_path / "lea.xlsx")["Données illisibles"]
    assert [row["Valeur"] for row in records(sheet)] == ["1003778", "autre"]


def test_errors_first_then_the_oldest_with_their_follow_up(tmp_path):
    findings = pd.DataFrame([
        finding("ADR-03", "J1", "Léa", premiere_detection="2026-06", suivi="persistant"),
        finding("ADR-01", "J2", "Léa", premiere_detection="2026-10", suivi="nouveau"),
        finding("ADR-01", "J3", "Léa", premiere_detection="2026-08", suivi="persistant"),
        finding("ADR-03", "J4", "Léa", premiere_detection="2026-10", suivi="nouveau"),
    ])
    write_counsellor_workbooks(tmp_path, findings, CATALOGUE)
    found = [(row["Gravité"], row["Dossier"], row["Suivi"])
             for row in records(openpyxl.load_workbook(tmp_path / "lea.xlsx")["Adresses"])]
    assert found == [("erreur", "J3", "persistant depuis août 2026"), ("erreur", "J2", "nouveau"),
                     ("alerte", "J1", "persistant depuis juin 2026"), ("alerte", "J4", "nouveau")]


def test_youth_names_only_when_given(tmp_path):
    findings = pd.DataFrame([finding("EML-01", "J1", "Léa"), finding("EML-01", "J2", "Léa")])
    write_counsellor_workbooks(tmp_path / "a", findings, CATALOGUE, youth_names={"J1": "Inès DURAND"})
    rows_named = records(openpyxl.load_workbook(tmp_path / "a" / "lea.xlsx")["Emails"])
    assert [(row["Dossier"], row["Jeune"]) for row in rows_named] == [("J1", "Inès DURAND"), ("J2", None)]
    write_counsellor_workbooks(tmp_path / "b", findings, CATALOGUE)
    assert "Jeune" not in [cell.value for cell in openpyxl.load_workbook(tmp_path / "b" / "lea.xlsx")["Emails"][1]]
