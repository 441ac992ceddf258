"""Theme pages (10_adresses.html …) look like the report: French numbers, whole messages, dossier numbers,
the structure and the date in the header, and the same counts as index.html."""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from conftest import write_table, youth

from imilo_audit.report.formatting import page_heading
from imilo_audit.report.notebook_html import notebook_to_html

ROOT = Path(__file__).resolve().parents[2]
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


class _Tables(HTMLParser):
    """Every table of a page: rows of cell texts (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.translate(SPACES))


def tables(page: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def table_after(page: str, heading: str, first_header: str) -> list[list[str]]:
    """The first table after ``heading`` whose first column is ``first_header``."""
    start = page.index(heading)
    return next(t for t in tables(page[start:]) if t and t[0] and t[0][0] == first_header)


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def findings_csv(folder: Path) -> list[dict[str, str]]:
    with (folder / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_numbers_and_rates_are_french(sample_run):
    page = read(sample_run, "40_ressources.html")
    rules = table_after(page, "Anomalies par règle", "Règle")
    header = rules[0]
    checked = [row[header.index("Contrôlés")] for row in rules[1:]]
    assert "4 602" in checked and all(re.fullmatch(r"\d{1,3}( \d{3})*", value) for value in checked)
    rates = [row[header.index("Taux")] for row in rules[1:]]
    assert all(re.fullmatch(r"[<>]? ?\d+(,\d+)? %", value) for value in rates), rates
    body = re.sub(r"<[^>]*>", "", page.split("</head>", 1)[1])  # the page's text
    assert re.search(r"\d[\u00a0\u202f]%", body) and not re.search(r"\d ?%", body)
    assert len(rules[0]) == len(rules[1])  # one header row, no index-name row


def test_messages_are_whole_never_cut(sample_run):
    page = read(sample_run, "40_ressources.html")
    first = table_after(page, "Premiers dossiers à corriger", "Gravité")
    shown = [row[first[0].index("Message")] for row in first[1:]]
    written = {" ".join(f["message"].translate(SPACES).split()) for f in findings_csv(sample_run)}
    assert len(shown) == 20 and max(len(m) for m in shown) > 80
    assert all(message in written for message in shown), set(shown) - written
    assert not any(message.endswith("...") for message in shown)


def test_title_and_header_name_the_structure_and_the_date(sample_run):
    page = read(sample_run, "30_origine.html")
    title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1)).translate(SPACES)
    assert title == "Audit « Origine de la venue » – Mission Locale Rhône Est – situation au 31/10/2026 (octobre 2026)"
    header = html.unescape(page[page.index("<header") : page.index("</header>")]).translate(SPACES)
    assert "Mission Locale Rhône Est" in header and "31/10/2026" in header and "octobre 2026" in header
    assert 'href="index.html"' in header
    assert page.count("<h1") == 1  # the notebook's own heading is not repeated under the header


def test_a_resource_finding_names_its_dossier_and_its_line(sample_run):
    page = read(sample_run, "40_ressources.html")
    first = table_after(page, "Premiers dossiers à corriger", "Gravité")
    header = first[0]
    rows = [dict(zip(header, row, strict=True)) for row in first[1:]]
    expected = {(f["id_jeune"], f"ligne {f['id_enregistrement'][1:]}")
                for f in findings_csv(sample_run) if f["table"] == "ressources" and f["id_enregistrement"][:1] == "L"}
    resources = [row for row in rows if row["Règle"].startswith("RES") and row["Règle"] != "RES-07"]
    assert resources and all((row["Dossier"], row["Enregistrement"]) in expected for row in resources)


def counsellor_counts(table: list[list[str]]) -> dict[str, tuple[str, ...]]:
    header = table[0]
    columns = [header.index(name) for name in ("Erreurs", "Alertes", "Infos", "Total")]
    return {row[0]: tuple(row[c] for c in columns) for row in table[1:]}


def test_counsellor_counts_on_the_origine_page_equal_the_index(sample_run):
    page = counsellor_counts(table_after(read(sample_run, "30_origine.html"), "Par conseiller", "Conseiller"))
    index = read(sample_run, "index.html")
    section = index[index.index('id="theme-origine"'):]
    report = counsellor_counts(table_after(section, "Par conseiller", "Conseiller"))
    assert page["Vincent BARRE"] == report["Vincent BARRE"] == ("0", "2", "0", "2")  # his ORI-01 group counts
    assert page == report


def test_every_theme_page_counts_counsellors_and_sites_like_the_index(sample_run):
    index = read(sample_run, "index.html")
    for path in sorted(sample_run.glob("[1-7]0_*.html")):
        theme = path.stem.split("_", 1)[1]
        section = index[index.index(f'id="theme-{theme}"'):]
        section = section[: section.find("<section", 1)]
        for heading, first in (("Par conseiller", "Conseiller"), ("Par lieu", "Lieu")):
            if f">{first}<" not in section:  # the index says in a sentence that no finding has one
                assert f">{first}<" not in path.read_text(encoding="utf-8").split(heading, 1)[1].split("<h2", 1)[0]
                continue
            page = counsellor_counts(table_after(path.read_text(encoding="utf-8"), heading, first))
            report = counsellor_counts(table_after(section, heading, first))
            assert report.items() <= page.items(), (theme, first)  # the index shows the first 15


def test_every_theme_page_and_the_index_give_the_same_records_to_fix(sample_run):
    """One figure, one function: « à corriger » of a theme is the same number on the index and on its page
    (an ORI-01 group is one thing to fix on both)."""
    index = html.unescape(read(sample_run, "index.html")).translate(SPACES)
    seen = {}
    for path in sorted(sample_run.glob("[1-7][0-9]_*.html")):
        theme = path.stem.split("_", 1)[1]
        section = index[index.index(f'id="theme-{theme}"'):]
        on_index = re.search(r'<span class="v">([\d ]+)</span><span class="l">enregistrements? à corriger', section)
        page = html.unescape(path.read_text(encoding="utf-8")).translate(SPACES)
        on_page = re.search(r"sur ([\d ]+) enregistrements? à corriger", page)
        seen[theme] = (on_index.group(1), on_page.group(1) if on_page else "0")
        assert seen[theme][0] == seen[theme][1], (theme, seen[theme])
    assert len(seen) == 10 and seen["origine"][0] != "0"


def test_one_label_for_no_counsellor(sample_run):
    for name in ("30_origine.html", "40_ressources.html", "60_utilisateurs.html"):
        page = html.unescape(read(sample_run, name))
        assert "(non renseigné)" not in page and "(sans conseiller)" not in page, name
    assert "Sans conseiller référent" in read(sample_run, "30_origine.html")
    accounts = table_after(read(sample_run, "60_utilisateurs.html"), "Par conseiller", "Conseiller")
    assert [row[0] for row in accounts[1:]] == ["Comptes utilisateurs (administration i-milo)"]


@pytest.fixture(scope="module")
def november_page(tmp_path_factory) -> str:
    """The resources notebook run by papermill on a tiny November export, rendered as the runner does."""
    import papermill

    folder = tmp_path_factory.mktemp("novembre")
    export = folder / "export"
    structure = {"structure": "Mission Locale des Tests"}
    write_table(export, "jeunes", [youth("J1", **structure), youth("J2", **structure)])
    long_type = "Allocation de retour à l'emploi versée par France Travail " * 2
    write_table(export, "ressources", [
        {"id_jeune": "J1", "type_ressource": long_type.strip(), "montant": "", "date_debut": "01/01/2026"},
        {"id_jeune": "J2", "type_ressource": "Aucun", "montant": "0", "date_debut": "01/01/2026"},
    ])
    executed = folder / "40_ressources.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "40_ressources.ipynb"), str(executed), progress_bar=False,
        parameters={"dossier_export": str(export), "date_reference": "2026-11-30"},
    )
    return notebook_to_html(executed, folder / "40_ressources.html").read_text(encoding="utf-8")


def test_a_november_page_differs_from_october_and_names_line_and_dossier(november_page):
    title = html.unescape(re.search(r"<title>(.*?)</title>", november_page).group(1)).translate(SPACES)
    assert title == "Audit « Ressources » – Mission Locale des Tests – situation au 30/11/2026 (novembre 2026)"
    assert "audit de novembre 2026" in html.unescape(november_page).translate(SPACES)
    first = table_after(november_page, "Premiers dossiers à corriger", "Gravité")
    rows = [dict(zip(first[0], row, strict=True)) for row in first[1:]]
    res02 = next(row for row in rows if row["Règle"] == "RES-02")
    assert (res02["Dossier"], res02["Enregistrement"]) == ("J1", "ligne 1")
    assert "Allocation de retour à l'emploi versée par France Travail Allocation" in res02["Message"]
    assert "..." not in res02["Message"]


def test_page_heading_says_theme_structure_date_and_month():
    october = page_heading("Audit « Emails »", "Mission Locale Rhône Est", "2026-10-31")
    november = page_heading("Audit « Emails »", "Mission Locale Rhône Est", "2026-11-30")
    assert october != november and "situation au 30/11/2026 (novembre 2026)" in november
    assert page_heading("Adresses") == "Adresses"


def test_a_counsellor_spelled_two_ways_is_one_row_and_nobody_has_one_label(tmp_path):
    from conftest import REFERENCE

    from imilo_audit.exports import read_export
    from imilo_audit.report.theme_page import ThemePage
    from imilo_audit.rules.audit import audit_theme
    from imilo_audit.themes import AuditContext

    write_table(tmp_path, "jeunes", [
        youth("J1", email="", conseiller_referent="Sylvie DEBOUT"),
        youth("J2", email="", conseiller_referent="DEBOUT Sylvie"),
        youth("J3", email="", conseiller_referent=""),
    ])
    ctx = AuditContext(read_export(tmp_path), REFERENCE)
    result = ThemePage(audit_theme("emails", ctx), ctx)
    counts = result.par_groupe("conseiller").set_index("Conseiller")["Total"].to_dict()
    name = next(iter(counts))
    assert name in ("Sylvie DEBOUT", "DEBOUT Sylvie") and counts == {name: 2, "Sans conseiller référent": 1}
    first = result.a_corriger()
    assert list(first["Dossier"]) == ["J1", "J2", "J3"] and "Enregistrement" not in first.columns  # the dossiers
    assert set(first["Conseiller"]) == {name, "Sans conseiller référent"}
    phrase = "Audit «\u00a0Emails\u00a0»\u00a0: 3 anomalies, dont 3 erreurs, sur 3 enregistrements à corriger."
    assert result.phrase() == phrase


def test_tables_are_styled_like_the_report_and_say_when_empty():
    import pandas as pd

    from imilo_audit.report.tables import french_table

    frame = pd.DataFrame({"Gravité": ["erreur"], "Règle": ["RES-01"], "Total": [2251], "Message": ["<b>Texte</b>"]})
    page = french_table(frame).to_html()
    assert '<span class="badge erreur">erreur</span>' in page and '<td class="num">2\u202f251</td>' in page
    assert '<td class="nowrap">RES-01</td>' in page and "&lt;b&gt;Texte&lt;/b&gt;" in page
    empty = pd.DataFrame(columns=["Lieu"])
    empty.attrs["vide"] = "Aucune de ces anomalies n'est rattachée à un lieu."
    assert html.unescape(french_table(empty).to_html()) == f"<p class=\"muted\">{empty.attrs['vide']}</p>"


def test_the_first_records_of_each_theme_are_named_as_people_read_them(sample_run):
    """Field headers, not column ids; French dates; « ligne 960 », not L960; « événements »; one name per person."""
    index = html.unescape(read(sample_run, "index.html")).translate(SPACES)
    rows = [row for table in tables(index) if table and table[0][:3] == ["Gravité", "Règle", "Enregistrement"]
            for row in table[1:]]
    assert len(rows) > 100
    fields, values, records = [row[4] for row in rows], [row[5] for row in rows], [row[2] for row in rows]
    assert not [f for f in fields if "_" in f], "a column id shown instead of its header"
    assert "Adresse normalisée" in fields and "Date de sortie" in fields
    readable = [v for v, row in zip(values, rows, strict=True) if row[1] != "DAT-01"]  # DAT-01: as written
    assert not [v for v in readable if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)], "an ISO date"
    assert "18/07/2026" in values  # the export wrote 2026-07-18
    assert not [r for r in records if re.match(r"L\d+\b", r)] and any(r.startswith("ligne ") for r in records)
    assert "table evenements" not in index
    names = {row[3] for row in rows}
    assert "Christophe HOARAU" in " ".join(names) and "HOARAU Christophe" not in " ".join(names)


def test_a_first_audit_shows_no_follow_up_and_counts_infos_where_it_counts_new_ones(sample_run):
    """The first month: « le suivi commencera le mois prochain », so no « Nouvelles » column anywhere; the
    counsellors' table shows the infos beside errors and alerts, so that its rows add up."""
    index = html.unescape(read(sample_run, "index.html")).translate(SPACES)
    assert "le suivi (nouvelles, toujours présentes, corrigées) commencera le mois prochain" in index
    headers = [cell for table in tables(index) if table for cell in table[0]]
    assert "Nouvelles" not in headers and "Toujours là" not in headers and "Corrigées" not in headers
    assert "nouvelles · toujours là · corrigées" not in index
    counsellors = next(table for table in tables(index) if table and table[0][0] == "Conseiller"
                       and table[0][-1] == "Sa liste")
    assert counsellors[0][:4] == ["Conseiller", "Erreurs", "Alertes", "Infos"]
    for page in sorted((sample_run / "par_conseiller").glob("*.html"))[:5]:  # each counsellor's page too
        text = html.unescape(page.read_text(encoding="utf-8")).translate(SPACES)
        assert "le suivi (nouveaux, persistants, corrigés) commencera le mois prochain" in text, page.name
        page_headers = [cell for table in tables(text) if table for cell in table[0]]
        assert not {"Nouveaux", "Persistants", "Corrigés", "Suivi"} & set(page_headers), page.name
        rest = text.split("<main>", 1)[1].replace("le suivi (nouveaux, persistants, corrigés)", "")
        assert "persistant" not in rest.casefold() and 'class="suivi-' not in rest, page.name
    for path in sorted((sample_run / "par_conseiller").glob("*.xlsx"))[:5]:  # and each workbook
        book = openpyxl.load_workbook(path, read_only=True)
        headers = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
        assert not {"Nouveaux", "Persistants", "Corrigés depuis l'audit précédent", "Suivi"} & headers, path.name
