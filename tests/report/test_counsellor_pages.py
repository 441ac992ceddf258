"""Each counsellor's page and workbook, as a counsellor (and whoever they forward the page to) reads them."""

from __future__ import annotations

import html
import re

import openpyxl
import pandas as pd
import pytest

from imilo_audit.people.counsellors import ACCOUNTS, NOBODY, Directory
from imilo_audit.report.counsellor_pages import PAGE_ROWS, write_counsellor_outputs
from imilo_audit.report.offline import external_requests

SCRIPT = "<script>alert(1)</script>"
KEYS = {"key", "nom", "personne", "page", "classeur", "erreur", "alerte", "info", "total", "dossiers", "nouveaux",
        "persistants", "corriges", "depuis"}
CATALOGUE = [
    {"rule_id": "ADR-01", "theme": "adresses", "theme_titre": "Adresses", "gravite": "erreur", "table": "jeunes",
     "titre": "Adresse non normalisée", "correction": "Cliquez sur « Normaliser »."},
    {"rule_id": "ADR-03", "theme": "adresses", "theme_titre": "Adresses", "gravite": "alerte", "table": "jeunes",
     "titre": "Convention SDF non respectée", "correction": "Cochez « NPAI »."},
    {"rule_id": "EML-03", "theme": "emails", "theme_titre": "Emails", "gravite": "alerte", "table": "jeunes",
     "titre": "Email fantaisiste", "correction": "Saisissez l'adresse réelle."},
    {"rule_id": "DAT-02", "theme": "donnees", "theme_titre": "Données illisibles", "gravite": "erreur",
     "table": "jeunes", "titre": "Identifiant en double", "correction": "Vérifiez le doublon."},
    {"rule_id": "USR-05", "theme": "utilisateurs", "theme_titre": "Utilisateurs", "gravite": "erreur",
     "table": "utilisateurs", "titre": "Compte sans email", "correction": "Saisissez l'email."},
]
GRAVITE = {rule["rule_id"]: rule["gravite"] for rule in CATALOGUE}
THEME = {rule["rule_id"]: rule["theme"] for rule in CATALOGUE}
RUN = {"month": "2026-10", "structure": "Mission Locale Rhône Est", "date_reference": "2026-10-31"}


def finding(rule_id: str, id_jeune: str, conseiller: str, first: str = "2026-10", **extra: str) -> dict:
    return {"rule_id": rule_id, "gravite": GRAVITE[rule_id], "table": "jeunes", "id_enregistrement": id_jeune,
            "id_jeune": id_jeune, "conseiller": conseiller, "lieu": "Antenne Bron", "champ": "adresse_normalisee",
            "valeur": "", "message": "À corriger dans i-milo.", "theme": THEME[rule_id],
            "premiere_detection": first, "suivi": "nouveau" if first == "2026-10" else "persistant", **extra}


@pytest.fixture
def findings() -> pd.DataFrame:
    return pd.DataFrame([
        finding("ADR-03", "J01", "HOARAU Christophe", first="2026-07"),
        finding("ADR-01", "J02", "Christophe HOARAU"),
        finding("ADR-01", "J03", "HOARAU Christophe", first="2026-08"),
        finding("EML-03", "J04", "Christophe HOARAU", champ="email", valeur="jeune.secret@example.org",
                message="L'email « jeune.secret@example.org » est une adresse de remplissage."),
        finding("DAT-02", "J05", "HOARAU Christophe", champ="id_jeune", valeur="J05"),
        finding("DAT-02", "J05", "HOARAU Christophe", champ="id_jeune", valeur="J05"),  # the other line of the pair
        finding("ADR-01", "J06", "scordier"),
        finding("ADR-03", "J07", "Sophie CORDIER"),
        finding("ADR-01", "J08", ""),
        finding("USR-05", "", "", table="utilisateurs", id_enregistrement="mhoarau", champ="email"),
    ])


@pytest.fixture
def directory(findings) -> Directory:
    users = pd.DataFrame({"login": ["scordier", "mhoarau"], "prenom": ["Sophie", "Marc"], "nom": ["Cordier", "Hoarau"]})
    return Directory(findings["conseiller"], users)


def run(tmp_path, findings, directory, fixed=None, **extra) -> list[dict]:
    fixed = pd.DataFrame() if fixed is None else fixed
    return write_counsellor_outputs(tmp_path / "par_conseiller", findings, fixed, CATALOGUE, directory,
                                    **{**RUN, **extra})


def page(tmp_path, entry: dict) -> str:
    return (tmp_path / entry["page"]).read_text(encoding="utf-8")


def test_one_page_and_one_workbook_per_person_in_the_order_of_the_report(tmp_path, findings, directory):
    lists = run(tmp_path, findings, directory)
    assert all(set(entry) == KEYS for entry in lists)
    assert [entry["nom"] for entry in lists] == ["HOARAU Christophe", "Sophie CORDIER", "Sans conseiller référent",
                                                 "Comptes utilisateurs (administration i-milo)"]
    assert [entry["key"] for entry in lists][2:] == [NOBODY, ACCOUNTS]
    assert [entry["personne"] for entry in lists] == [True, True, False, False]
    hoarau, cordier = lists[0], lists[1]
    assert hoarau["page"] == "par_conseiller/hoarau_christophe.html"
    assert hoarau["classeur"] == "par_conseiller/hoarau_christophe_2026-10_mission_locale_rhone_est.xlsx"
    # the most used spelling names the person; the DAT-02 pair counts once, as the list shows it
    assert {k: hoarau[k] for k in ("erreur", "alerte", "info", "total", "dossiers", "nouveaux", "persistants")} == {
        "erreur": 3, "alerte": 2, "info": 0, "total": 5, "dossiers": 5, "nouveaux": 3, "persistants": 2}
    assert hoarau["depuis"] == "2026-07" and hoarau["corriges"] == 0
    assert cordier["classeur"] == "par_conseiller/sophie_cordier_2026-10_mission_locale_rhone_est.xlsx"
    assert cordier["total"] == 2  # the login « scordier » and « Sophie CORDIER » are one person
    files = sorted(path.name for path in (tmp_path / "par_conseiller").iterdir())
    assert files == sorted(name.split("/")[1] for entry in lists for name in (entry["page"], entry["classeur"]))


def test_a_page_is_french_self_contained_and_links_back(tmp_path, findings, directory):
    hoarau = run(tmp_path, findings, directory)[0]
    text = page(tmp_path, hoarau)
    assert '<html lang="fr">' in text and external_requests(text) == []
    assert "<link" not in text and ":root" in text  # the report's stylesheet, inline
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert "HOARAU Christophe" in title and "Mission Locale Rhône Est" in title and "octobre 2026" in title
    assert 'href="../index.html"' in text
    assert 'href="hoarau_christophe_2026-10_mission_locale_rhone_est.xlsx"' in text
    assert "Adresse normalisée" in text and "adresse_normalisee" not in text  # the field's French label
    assert "persistant depuis juillet 2026" in text
    assert "(s)" not in text and " :" not in re.sub(r"<style>.*?</style>", "", text, flags=re.S)


def test_errors_first_then_the_oldest(tmp_path, findings, directory):
    text = page(tmp_path, run(tmp_path, findings, directory)[0])
    order = [match for match in re.findall(r"<td><b>(J0\d)</b>", text)]
    assert order == ["J03", "J02", "J01", "J04", "J05"]  # per theme: errors first, oldest first
    assert text.count("<td><b>J05</b>") == 1  # the DAT-02 pair once


def test_the_page_shows_no_personal_value_and_no_youth_name(tmp_path, findings, directory):
    hoarau = run(tmp_path, findings, directory, youth_names={"J04": "Inès DURAND", "J02": SCRIPT})[0]
    text = page(tmp_path, hoarau)
    assert "jeune.secret@example.org" not in text and "Inès DURAND" not in text
    book = openpyxl.load_workbook(tmp_path / hoarau["classeur"])
    cells = [cell for name in book.sheetnames for row in book[name].iter_rows(values_only=True) for cell in row]
    assert "Inès DURAND" in cells and SCRIPT in cells and "jeune.secret@example.org" in cells  # their own list


def test_everything_from_the_export_is_escaped(tmp_path):
    findings = pd.DataFrame([finding("ADR-01", "<b>J1</b>", SCRIPT, message=f"Message {SCRIPT}")])
    (entry, *_rest) = run(tmp_path, findings, Directory(findings["conseiller"]), structure=f"ML {SCRIPT}")
    text = page(tmp_path, entry)
    assert SCRIPT not in text and "<b>J1</b>" not in text
    assert html.escape(SCRIPT, quote=False) in text.replace("&#39;", "'")
    assert entry["page"] == "par_conseiller/script_alert_1_script.html"


def test_fixed_findings_are_counted_for_their_person_whatever_the_spelling(tmp_path, findings, directory):
    fixed = pd.DataFrame([finding("ADR-01", "J20", "christophe hoarau", suivi="corrige"),
                          finding("ADR-01", "J21", "Quelqu'un Parti", suivi="corrige"),  # no longer in the export
                          finding("USR-05", "", "", table="utilisateurs", id_enregistrement="x", suivi="corrige")])
    lists = {entry["key"]: entry for entry in run(tmp_path, findings, directory, fixed=fixed)}
    assert lists["nom:christophe hoarau"]["corriges"] == 1 and lists[ACCOUNTS]["corriges"] == 1
    assert lists[NOBODY]["corriges"] == 0
    text = page(tmp_path, lists["nom:christophe hoarau"])
    assert "Corrigés depuis l'audit précédent" in text and "J20" in text


def test_a_person_with_only_fixed_findings_gets_a_page(tmp_path, findings):
    fixed = pd.DataFrame([finding("ADR-01", "J30", "Zoé ROUX", suivi="corrige")])
    directory = Directory([*findings["conseiller"], *fixed["conseiller"]])
    lists = {entry["nom"]: entry for entry in run(tmp_path, findings, directory, fixed=fixed)}
    zoe = lists["Zoé ROUX"]
    assert (zoe["total"], zoe["corriges"], zoe["depuis"]) == (0, 1, "")
    assert "Aucune anomalie à corriger ce mois-ci" in page(tmp_path, zoe)


def test_nothing_to_say_nothing_written(tmp_path):
    empty = pd.DataFrame(columns=list(finding("ADR-01", "J", "")))
    progress: list[tuple[int, int]] = []
    assert write_counsellor_outputs(tmp_path / "par_conseiller", empty, pd.DataFrame(), CATALOGUE,
                                    Directory([]), progress=lambda *done: progress.append(done), **RUN) == []
    assert progress == []


def test_progress_is_told_after_each_list(tmp_path, findings, directory):
    progress: list[tuple[int, int]] = []
    run(tmp_path, findings, directory, progress=lambda *done: progress.append(done))
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_long_list_shows_what_a_person_can_act_on_and_sends_the_rest_to_the_workbook(tmp_path):
    """Past PAGE_ROWS rows the page stops, errors and oldest first, and says how many more the workbook holds."""
    alerts = [finding("ADR-03", f"A{n:04d}", "Léa MARTIN", first="2026-09") for n in range(PAGE_ROWS)]
    old_errors = [finding("ADR-01", f"E{n:02d}", "Léa MARTIN", first="2025-01") for n in range(40)]
    new_alerts = [finding("EML-03", f"N{n:02d}", "Léa MARTIN", champ="email") for n in range(25)]
    findings = pd.DataFrame(alerts + new_alerts + old_errors)  # the errors last in the file
    (lea, *_rest) = run(tmp_path, findings, Directory(findings["conseiller"]))
    assert lea["total"] == PAGE_ROWS + 65
    text = page(tmp_path, lea)
    shown = re.findall(r'<td><b>([AEN]\d+)</b>', text)
    assert len(shown) == PAGE_ROWS
    assert {name for name in shown if name.startswith("E")} == {f"E{n:02d}" for n in range(40)}  # every error
    assert not any(name.startswith("N") for name in shown)  # the newest alerts are the ones left out
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ").replace("\u202f", " ")
    assert f"Cette page montre les {PAGE_ROWS} premières lignes à corriger, sur {PAGE_ROWS + 65}" in plain
    assert "Les 65 autres sont dans le classeur Excel de cette liste" in plain
    assert "… et 25 autres lignes de ce thème dans le classeur Excel" in plain  # emails: none shown
    assert "… et 40 autres lignes" in plain  # adresses: 300 of 340 shown
    book = openpyxl.load_workbook(tmp_path / lea["classeur"], read_only=True)
    rows = sum(book[name].max_row - 1 for name in book.sheetnames if name != "Synthèse")
    assert rows == PAGE_ROWS + 65  # the workbook keeps every row


def test_a_short_list_is_shown_whole(tmp_path, findings, directory):
    text = page(tmp_path, run(tmp_path, findings, directory)[0])
    assert "premières lignes à corriger" not in text and "autres lignes" not in text
