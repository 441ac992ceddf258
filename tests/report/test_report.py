"""The report: index.html, charts, notebook pages and counsellor workbooks, from a findings table."""

from __future__ import annotations

import re

import nbformat
import openpyxl
import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from imilo_audit.report import (
    ExternalRequestError,
    external_requests,
    notebook_to_html,
    theme_figure,
    theme_overview,
    write_counsellor_workbooks,
    write_index,
)
from imilo_audit.report.workbooks import slug

NB = "\u202f"  # the narrow no-break space of French numbers (« 12 873 », « 25 % »)
SCRIPT = "<script>alert(1)</script>"

CATALOGUE = [
    {"rule_id": "ADR-01", "theme": "adresses", "theme_titre": "Adresses", "gravite": "erreur", "table": "jeunes",
     "titre": "Adresse non normalisée", "pourquoi": "Une adresse non normalisée ne permet pas les envois postaux.",
     "correction": "Onglet Coordonnées, cliquer sur le bouton « Normaliser ».",
     "source": "Toute adresse, sauf cas exceptionnel, doit être normalisée"},
    {"rule_id": "ADR-03", "theme": "adresses", "theme_titre": "Adresses", "gravite": "alerte", "table": "jeunes",
     "titre": "Convention SDF / déménagement non respectée", "pourquoi": "Le courrier revient.",
     "correction": "Cocher « NPAI ».", "source": "Situation de l'adresse / Procédure"},
    {"rule_id": "EML-01", "theme": "emails", "theme_titre": "Emails", "gravite": "erreur", "table": "jeunes",
     "titre": "Email manquant", "pourquoi": "L'email est le moyen de contact principal.",
     "correction": "Demander l'email au jeune et le saisir.", "source": "Email : n'oubliez pas d'indiquer cette zone"},
    {"rule_id": "EML-03", "theme": "emails", "theme_titre": "Emails", "gravite": "alerte", "table": "jeunes",
     "titre": "Email fantaisiste", "pourquoi": "« pasdemail@gmail.com » n'est pas une adresse.",
     "correction": "Effacer l'email fantaisiste et demander la vraie adresse.", "source": "email fantaisiste"},
    {"rule_id": "FOR-01", "theme": "formations", "theme_titre": "Formations", "gravite": "erreur",
     "table": "formations", "titre": "Formation sans objectif", "pourquoi": "Alerte de saisie n° 43.",
     "correction": "Renseigner l'objectif.", "source": "L'alerte de saisie n° 43"},
    {"rule_id": "USR-05", "theme": "utilisateurs", "theme_titre": "Utilisateurs", "gravite": "erreur",
     "table": "utilisateurs", "titre": "Compte sans email", "pourquoi": "Tout utilisateur doit avoir un email.",
     "correction": "Saisir l'email de l'utilisateur.", "source": "Tout utilisateur doit avoir un email"},
]


def finding(rule_id, gravite, id_jeune, conseiller, valeur="", champ="email", theme=None, table="jeunes",
            lieu="Antenne de Quimper", message="À corriger dans i-milo."):
    theme = theme or {"ADR": "adresses", "EML": "emails", "USR": "utilisateurs"}[rule_id[:3]]
    return {"rule_id": rule_id, "gravite": gravite, "table": table, "id_enregistrement": id_jeune,
            "id_jeune": id_jeune if table == "jeunes" else "", "conseiller": conseiller, "lieu": lieu,
            "champ": champ, "valeur": valeur, "message": message, "theme": theme}


@pytest.fixture
def findings() -> pd.DataFrame:
    return pd.DataFrame([
        finding("ADR-01", "erreur", "J000001", "Marie-Hélène Dupré", champ="adresse_normalisee", valeur="non"),
        finding("ADR-01", "erreur", "J000002", "Karim Benali", champ="adresse_normalisee", valeur=""),
        finding("ADR-03", "alerte", "J000002", "Karim Benali", champ="adresse_complement", valeur="SDF"),
        finding("EML-01", "erreur", "J000003", "Marie-Hélène Dupré", lieu="Siège - Brest"),
        finding("EML-03", "alerte", "J000004", "Karim Benali", valeur=SCRIPT),
        finding("EML-03", "alerte", "J000005", "", valeur='=HYPERLINK("x")', lieu=""),
        finding("USR-05", "erreur", "accueil.quimper", "", table="utilisateurs", lieu="", champ="email"),
    ])


def summary(date_reference="2026-10-31", emails=(2, 20), adresses=(3, 30), **extra) -> dict:
    """summary.json of a run: (anomalies, contrôles) of the emails and adresses rules."""
    def rule(rule_id, theme, gravite, counts):
        anomalies, controles = counts
        return {"rule_id": rule_id, "theme": theme, "gravite": gravite, "table": "jeunes",
                "controles": controles, "anomalies": anomalies, "taux": anomalies / controles,
                "statut": "echec" if anomalies else "ok"}
    return {
        "date_reference": date_reference,
        "genere_le": "2026-11-01T06:00:12+01:00",
        "structure": "Mission Locale du Pays de Cornouaille",
        "exports": {"jeunes": {"fichier": "jeunes.csv", "lignes": 12873, "lignes_ignorees": 1},
                    "utilisateurs": {"fichier": "utilisateurs.csv", "lignes": 180, "lignes_ignorees": 0}},
        "regles": [
            rule("ADR-01", "adresses", "erreur", (adresses[0] - 1, adresses[1])),
            rule("ADR-03", "adresses", "alerte", (1, adresses[1])),
            rule("EML-01", "emails", "erreur", (emails[0] // 2, emails[1] // 2)),
            rule("EML-03", "emails", "alerte", (emails[0] - emails[0] // 2, emails[1] - emails[1] // 2)),
            {"rule_id": "USR-05", "theme": "utilisateurs", "gravite": "erreur", "table": "utilisateurs",
             "controles": 4, "anomalies": 1, "taux": 0.25, "statut": "echec"},
        ],
        "regles_desactivees": [{"rule_id": "USR-03", "raison": "colonne « Date de dernière connexion » absente"}],
        "themes": [
            {"theme": "adresses", "titre": "Adresses", "statut": "audite", "raison": ""},
            {"theme": "emails", "titre": "Emails", "statut": "audite", "raison": ""},
            {"theme": "formations", "titre": "Formations", "statut": "ignore",
             "raison": "La table « formations » est absente de l'export."},
            {"theme": "utilisateurs", "titre": "Utilisateurs", "statut": "audite", "raison": ""},
        ],
        "parametres": {"perimetre_mois": 12, "seuil_demarche_personnelle": 0.3, "inactivite_mois": 3},
        "parametres_modifies": {"seuil_demarche_personnelle": 0.3},
        **extra,
    }


PAGES = [{"theme": "adresses", "titre": "Adresses", "fichier": "10_adresses.html"},
         {"theme": "emails", "titre": "Emails", "fichier": "20_emails.html"}]


def plain(html: str) -> str:
    """The page with French no-break spaces (typography, tested apart) read as ordinary spaces."""
    return html.replace("\u00a0", " ")


def remote_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"' >]*""", html, re.IGNORECASE)


def test_index_is_a_french_self_contained_page(tmp_path, findings):
    path = write_index(tmp_path / "index.html", summary(), findings, CATALOGUE, [], PAGES)
    html = path.read_text(encoding="utf-8")
    assert path.name == "index.html"
    assert '<html lang="fr">' in html
    assert "31/10/2026" in html and "Mission Locale du Pays de Cornouaille" in html
    for title in ("Adresses", "Emails", "Utilisateurs", "Formations"):
        assert title in html
    assert remote_urls(html) == []
    assert "<script" not in html.lower()
    assert external_requests(html) == []
    assert 'href="10_adresses.html"' in html and 'href="findings.csv"' in html


def test_index_shows_data_as_text(tmp_path, findings):
    html = write_index(tmp_path, summary(), findings, CATALOGUE).read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_index_says_what_was_not_audited_and_with_which_thresholds(tmp_path, findings):
    html = plain(write_index(tmp_path, summary(), findings, CATALOGUE).read_text(encoding="utf-8"))
    first_screen = html[: html.index('id="synthese"')]  # the verdict says there are notes, and where
    assert "1 thème non audité" in first_screen and "1 règle désactivée" in first_screen
    assert 'href="#a-savoir"' in first_screen
    head = html[: html.index('<section class="theme"')]  # the notes follow the per-theme table
    assert html.index('id="synthese"') < html.index('id="a-savoir"')
    assert "Thème non audité : Formations" in head
    assert "La table « formations » est absente de l&#39;export." in head
    assert "USR-03" in head and "colonne « Date de dernière connexion » absente" in head
    assert "Part maximale de « Démarche personnelle »" in head
    assert f"0,3 (30{NB}%)" in head and f"par défaut : 0,25 (25{NB}%)" in head
    assert "Lignes ignorées" in head


def test_first_audit_has_no_comparison(tmp_path, findings):
    html = plain(write_index(tmp_path, summary(), findings, CATALOGUE, history=[]).read_text(encoding="utf-8"))
    assert "premier audit : pas de comparaison" in html
    assert "Évolution sur" not in html  # no trend chart without earlier months


def test_index_compares_with_the_previous_month(tmp_path, findings):
    history = [summary("2026-09-30", emails=(5, 20)), summary("2026-08-31", emails=(8, 20))]
    page = write_index(tmp_path, summary(emails=(2, 20)), findings, CATALOGUE, history)
    html = plain(page.read_text(encoding="utf-8"))
    # emails: 5 findings (25 % of the checks) in September, 3 findings now (10 % of the checks)
    assert "▼ −2</strong> (en baisse)" in html
    assert f"5 au 30/09/2026{NB}; taux : 25{NB}% → 10{NB}%" in html
    assert "Évolution sur 3 mois" in html and "data:image/svg+xml;base64," in html
    assert re.findall(r'data-valeur="(\d*)"', html.split('<tr data-theme="emails"><th scope="row">Emails</th>')[1]
                      .split("</tr>")[0]) == ["8", "5", "2"]  # the trend's figures: findings per month
    assert "premier audit" not in html


def test_overview_counts_records_and_score(findings):
    rows = {row["theme"]: row for row in theme_overview(summary(), findings, CATALOGUE)}
    # adresses: 30 dossiers checked, 2 with a finding (J000001, J000002): 28 conform
    assert rows["adresses"]["controles"] == 30
    assert (rows["adresses"]["erreur"], rows["adresses"]["alerte"]) == (2, 1)
    assert rows["adresses"]["a_corriger"] == 2
    assert rows["adresses"]["score"] == pytest.approx(28 / 30)
    # emails: an alert is a record to fix too: never « 100 % » with findings
    assert rows["emails"]["a_corriger"] == 3
    assert rows["formations"]["statut"] == "ignore"
    assert rows["emails"]["precedent"] is None


def test_index_stays_small_with_many_findings(tmp_path):
    many = pd.DataFrame([
        finding("EML-01", "erreur", f"J{n:06d}", f"Conseiller {n % 40}", message=f"Message numéro {n}.")
        for n in range(5000)
    ])
    html = write_index(tmp_path, summary(emails=(5000, 9000)), many, CATALOGUE).read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) < 1_500_000
    assert len(re.findall(r"Message numéro \d+\.", html)) == 20
    assert "findings.csv" in html and "… et 25 autres" in html


def test_index_with_a_bare_summary(tmp_path):
    page = write_index(tmp_path, {"date_reference": "2026-10-31"}, pd.DataFrame(), CATALOGUE)
    html = plain(page.read_text(encoding="utf-8"))
    assert "31/10/2026" in html and "premier audit : pas de comparaison" in html


def test_one_workbook_per_counsellor_with_a_sheet_per_theme(tmp_path, findings):
    paths = write_counsellor_workbooks(tmp_path / "par_conseiller", findings, CATALOGUE, month="2026-10",
                                       structure="Mission Locale du Pays de Cornouaille",
                                       date_reference="2026-10-31")
    suffix = "_2026-10_mission_locale_du_pays_de_cornouaille.xlsx"
    assert [p.name for p in paths] == [f"{stem}{suffix}" for stem in (
        "comptes_utilisateurs", "karim_benali", "marie-helene_dupre", "sans_conseiller")]

    book = openpyxl.load_workbook(tmp_path / "par_conseiller" / f"karim_benali{suffix}")
    assert book.sheetnames == ["Synthèse", "Adresses", "Emails"]
    sheet = book["Adresses"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["Gravité", "Règle", "Dossier", "Élément", "Champ", "Valeur", "Message", "Comment corriger",
                      "Suivi"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I3"
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ["erreur", "alerte"]  # erreur first
    assert sheet["B2"].value == "ADR-01 – Adresse non normalisée"
    assert sheet["C2"].value == "J000002" and sheet["E2"].value == "Adresse normalisée"
    assert sheet["H2"].value == "Onglet Coordonnées, cliquer sur le bouton «\u00a0Normaliser\u00a0»."  # French spaces
    assert book["Emails"]["F2"].value == SCRIPT

    nobody = openpyxl.load_workbook(tmp_path / "par_conseiller" / f"sans_conseiller{suffix}")
    assert nobody.sheetnames == ["Synthèse", "Emails"]
    cell = nobody["Emails"]["F2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"  # text, never a formula
    assert cell.quotePrefix  # and stays text when edited in Excel
    accounts = openpyxl.load_workbook(tmp_path / "par_conseiller" / f"comptes_utilisateurs{suffix}")
    assert accounts.sheetnames == ["Synthèse", "Utilisateurs"]  # user accounts: the administrator's list


def test_file_names_of_counsellors(tmp_path):
    assert slug("Marie-Hélène DUPRÉ") == "marie-helene_dupre"
    assert slug("../../etc/passwd") == "etc_passwd"
    assert slug("***") == "conseiller"
    findings = pd.DataFrame([finding("EML-01", "erreur", "J1", "Jean Dupont"),
                             finding("EML-01", "erreur", "J2", "jean  dupont"),  # same person
                             finding("EML-01", "erreur", "J3", "Jean_Dupont"),  # another person, same file name
                             finding("EML-01", "erreur", "J4", "Sans conseiller")])
    names = [p.name for p in write_counsellor_workbooks(tmp_path, findings, CATALOGUE)]
    assert sorted(names) == ["jean_dupont.xlsx", "jean_dupont_2.xlsx", "sans_conseiller_2.xlsx"]


def test_theme_figure_for_notebooks(findings):
    fig = theme_figure(findings, CATALOGUE, "emails")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig._repr_png_().startswith(b"\x89PNG")


def test_notebook_page_hides_code_and_keeps_outputs(tmp_path):
    notebook = new_notebook(cells=[
        new_markdown_cell("# Adresses\n\nContrôle des adresses des dossiers actifs."),
        new_code_cell("anomalies_trouvees = 40 + 2\nprint(anomalies_trouvees)", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="42 anomalies\n")]),
        new_code_cell("import pandas", execution_count=2,
                      outputs=[new_output("execute_result", execution_count=2,
                                          data={"text/html": "<table><tr><td>ADR-01</td></tr></table>",
                                                "text/plain": "ADR-01"})]),
    ])
    source = tmp_path / "10_adresses.ipynb"
    nbformat.write(notebook, source)
    html = notebook_to_html(source, tmp_path / "10_adresses.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "anomalies_trouvees" not in html and "import pandas" not in html
    assert "42 anomalies" in html and "<td>ADR-01</td>" in html
    assert "Contrôle des adresses des dossiers actifs." in html
    assert "<title>Adresses</title>" in html
    assert remote_urls(html) == [] and "<script src" not in html and external_requests(html) == []


def test_remote_resources_are_detected():
    assert external_requests('<script src="https://cdn.example.org/require.js"></script>')
    assert external_requests("<link rel='stylesheet' href='//fonts.example.org/x.css'>")
    assert external_requests("<style>@import url(https://fonts.example.org/f.css);</style>")
    assert external_requests('<a href="https://www.example.org">un lien</a><img src="data:image/png;base64,AA">') == []
    assert "requête" in str(ExternalRequestError("index.html", ["<script src=https://x"]))
