"""The sample export as i-milo's BI hands it out: the real command reads it as it came.

The test rewrites `data_samples/` the way reporting tools do: files named after the report, title
and filter lines above the table, footers below it, a criteria sheet before the results, `.xls`
and `.ods` workbooks, Excel's `sep=;` line, ISO date-times, i-milo's own headers, a « Prescripteur »
column beside « Référent », and two files that hold no table. The audit must find exactly the
anomalies of `attendus.csv` (spec/exports.md, "Files" and "Above and below the table").
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt
from conftest import SAMPLE

# The sample's own files, read with the standard library: (file, encoding, separator).
SOURCES = {
    "jeunes": ("jeunes_2026-10.csv", "cp1252", ";"),
    "ressources": ("Ressources.csv", "utf-8-sig", ","),
    "utilisateurs": ("utilisateurs.txt", "utf-8", "\t"),
    "dispositifs": ("dispositifs.csv", "cp1252", "|"),
    "evenements": ("événements.csv", "utf-8", ";"),
}
JEUNES_FILE = "Liste des jeunes suivis au 31-10-2026.xlsx"
RESSOURCES_FILE = "Requête 12 - ressources des jeunes.csv"
FORMATIONS_FILE = "Situations formation.ods"
UTILISATEURS_FILE = "Comptes i-milo.xls"
DISPOSITIFS_FILE = "Export.csv"
NOT_TABLES = ("Lisez-moi.txt", "Paramètres de la requête.csv")
# i-milo's own headers for some columns of the youths (exports.md aliases)
IMILO_HEADERS = {"N° dossier": "Identifiant i-milo", "Date de première inscription": "Date de 1er accueil",
                 "Identifiant France Travail": "IDE", "Courriel": "Mél"}


def rows_of(table: str) -> list[list[str]]:
    name, encoding, separator = SOURCES[table]
    with (SAMPLE / name).open(encoding=encoding, newline="") as handle:
        return [list(row) for row in csv.reader(handle, delimiter=separator)]


def respell(rows: list[list[str]], header: str, convert) -> None:
    """Rewrite the valid dates of one column (a date that is a finding keeps its text)."""
    column = rows[0].index(header)
    for row in rows[1:]:
        if column < len(row):
            row[column] = convert(row[column])


def iso(time: str):
    """« jj/mm/aaaa » rewritten « aaaa-mm-jj » followed by ``time`` (« T09:30:00 », « 00:00:00 »)."""
    def convert(text: str) -> str:
        match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
        return f"{match[3]}-{match[2]}-{match[1]}{time}" if match else text

    return convert


def day_first_dashes(text: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    return f"{match[3]}-{match[2]}-{match[1]}" if match else text


def write_text_cells(sheet, rows: list[list[object]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value not in (None, ""):
                cell = sheet.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, never a formula


def write_bi_export(folder: Path, id_header: str = "Identifiant i-milo") -> None:
    """data_samples/ as a BI tool hands it out."""
    folder.mkdir(parents=True, exist_ok=True)

    # jeunes: an .xlsx named after the report, its criteria sheet first, three title lines and a footer
    jeunes = rows_of("jeunes")
    jeunes[0] = [IMILO_HEADERS.get(h, h) for h in jeunes[0]]
    jeunes[0][jeunes[0].index("Identifiant i-milo")] = id_header
    respell(jeunes, "Date de 1er accueil", iso("T09:30:00"))
    book = openpyxl.Workbook()
    book.active.title = "Critères"
    write_text_cells(book.active, [["Critères de la requête"], ["Structure", "Mission Locale Rhône Est"],
                                   ["Période", "du 01/10/2026 au 31/10/2026"]])
    results = book.create_sheet("Résultats")
    titles = [["Liste des jeunes suivis au 31-10-2026"], ["Mission Locale Rhône Est"], ["Extraction du 31/10/2026"], []]
    write_text_cells(results, titles + jeunes + [[], ["Nombre de lignes : 3001"]])
    book.save(folder / JEUNES_FILE)

    # ressources: Excel's « sep=; » line, a title and a filter line, ISO date-times, footers
    ressources = rows_of("ressources")
    respell(ressources, "Date de début", iso(" 00:00:00"))
    with (folder / RESSOURCES_FILE).open("w", encoding="utf-8", newline="") as handle:
        handle.write("sep=;\r\nRequête 12 - ressources des jeunes\r\nFiltre : ressources ouvertes depuis 2019\r\n\r\n")
        csv.writer(handle, delimiter=";").writerows(ressources)
        handle.write("Nombre de lignes : 4602\r\n")

    # formations: an .ods (dates as dates, as in the sample's .xlsx) below a title line
    source = openpyxl.load_workbook(SAMPLE / "formations.xlsx")["formations"]
    formations = [["Situations formation – octobre 2026"], [None]]
    formations += [list(row) for row in source.iter_rows(values_only=True)]
    with pd.ExcelWriter(folder / FORMATIONS_FILE, engine="odf") as writer:
        pd.DataFrame([["Période", "octobre 2026"]]).to_excel(writer, sheet_name="Paramètres", header=False, index=False)
        pd.DataFrame(formations).to_excel(writer, sheet_name="Résultat", header=False, index=False)

    # utilisateurs: an .xls (Excel 97-2003), criteria sheet first, title lines
    utilisateurs = rows_of("utilisateurs")
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("Critères").write(0, 0, "Tous les comptes")
    sheet = book.add_sheet("Comptes")
    for r, row in enumerate([["Comptes i-milo"], ["Extraction du 31/10/2026"], *utilisateurs]):
        for c, value in enumerate(row):
            if value:
                sheet.write(r, c, value)
    book.save(str(folder / UTILISATEURS_FILE))

    # dispositifs: a file named « Export », a « Prescripteur » column beside « Référent », jj-mm-aaaa dates
    dispositifs = rows_of("dispositifs")
    position = dispositifs[0].index("Référent") + 1
    for number, row in enumerate(dispositifs):
        row.insert(position, "Prescripteur" if number == 0 else ("Pôle social" if number % 3 else ""))
    respell(dispositifs, "Date d'initialisation", day_first_dashes)
    with (folder / DISPOSITIFS_FILE).open("w", encoding="cp1252", newline="") as handle:
        handle.write("Dispositifs des jeunes\r\nExtraction du 31/10/2026\r\n")
        csv.writer(handle, delimiter=";").writerows(dispositifs)

    # evenements: named after its table, a title line, a count without a line end after the data
    evenements = rows_of("evenements")
    with (folder / "événements.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("Événements et contacts\n\n")
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(evenements)
        handle.write(f"Nombre de lignes : {len(evenements) - 1}")

    # two files that hold no table
    (folder / NOT_TABLES[0]).write_text("Export du décisionnel i-milo du 31/10/2026.\nNe pas modifier.\n", "utf-8")
    (folder / NOT_TABLES[1]).write_text("Paramètre;Valeur\nStructure;Mission Locale Rhône Est\nPériode;oct. 2026\n",
                                        "utf-8")


def imilo_audit(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imilo_audit.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def findings_rows(path: Path, columns: list[str]) -> Counter:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return Counter(tuple(row[c] for c in columns) for row in csv.DictReader(handle, delimiter=";"))


def expected() -> tuple[list[str], Counter]:
    with (SAMPLE / "attendus.csv").open(encoding="utf-8-sig", newline="") as handle:
        columns = next(csv.reader(handle, delimiter=";"))
    return columns, findings_rows(SAMPLE / "attendus.csv", columns)


def difference(found: Counter, wanted: Counter) -> str:
    extra, missing = found - wanted, wanted - found
    return f"en trop : {list(extra)[:5]} ; manquantes : {list(missing)[:5]}"


@pytest.fixture(scope="module")
def bi_export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bi") / "export"
    write_bi_export(folder)
    return folder


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.skipif(not (SAMPLE / "attendus.csv").exists(), reason="no generated sample")
def test_an_export_as_the_bi_hands_it_out_gives_exactly_the_expected_findings(bi_export, tmp_path):
    before = fingerprint(bi_export)
    result = imilo_audit("run", bi_export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 0, result.stderr
    columns, wanted = expected()
    found = findings_rows(tmp_path / "audits" / "2026-10" / "findings.csv", columns)
    assert found == wanted, difference(found, wanted)
    assert fingerprint(bi_export) == before  # the export folder is never modified
    report = (tmp_path / "audits" / "2026-10" / "index.html").read_text(encoding="utf-8")
    for name in (JEUNES_FILE, FORMATIONS_FILE, UTILISATEURS_FILE, DISPOSITIFS_FILE, *NOT_TABLES):
        assert name in report  # « Comment l'export a été lu » and the files ignored


def test_the_verifier_names_each_file_its_table_and_the_files_ignored(bi_export):
    result = imilo_audit("verifier", bi_export)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"jeunes ← « {JEUNES_FILE} » (reconnu par ses en-têtes), feuille « Résultats », en-tête ligne 5" in out
    assert f"ressources ← « {RESSOURCES_FILE} » (reconnu par ses en-têtes), en-tête ligne 5" in out
    recognised = "(reconnu par ses en-têtes)"
    assert f"formations ← « {FORMATIONS_FILE} » {recognised}, feuille « Résultat », en-tête ligne 3" in out
    assert f"utilisateurs ← « {UTILISATEURS_FILE} » (reconnu par ses en-têtes), feuille « Comptes »" in out
    assert f"dispositifs ← « {DISPOSITIFS_FILE} » (reconnu par ses en-têtes), en-tête ligne 3" in out
    assert "evenements ← « événements.csv » (reconnu par son nom), en-tête ligne 3" in out
    titles = "« Liste des jeunes suivis au 31-10-2026 » · « Mission Locale Rhône Est » · « Extraction du 31/10/2026 »"
    assert f"au-dessus de l'en-tête, 3 lignes ignorées : {titles}" in out
    assert "id_jeune ← « Identifiant i-milo »" in out and "identifiant_france_travail ← « IDE »" in out
    assert "conseiller ← « Référent »" in out and "prescripteur ← « Prescripteur »" in out
    assert "aaaa-mm-jjThh:mm[:ss]" in out and "jj-mm-aaaa" in out  # the date spellings met
    assert "1 ligne de pied de tableau" in out  # « Nombre de lignes : … » after the events
    ignored = out[out.index("Fichiers ignorés"):]
    assert all(f"« {name} »" in ignored for name in NOT_TABLES)
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not (SAMPLE / "attendus.csv").exists(), reason="no generated sample")
def test_a_required_column_under_an_unknown_name_gets_the_alias_lines_to_paste(tmp_path):
    export = tmp_path / "export"
    write_bi_export(export, id_header="Num. jeune")
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "« Num. jeune »" in result.stderr and JEUNES_FILE in result.stderr
    block = result.stderr[result.stderr.index("[alias.jeunes]"):].strip()
    assert block == '[alias.jeunes]\nid_jeune = ["Num. jeune"]'
    assert not (tmp_path / "audits" / "2026-10").exists()

    config = tmp_path / "config.toml"
    config.write_text(block + "\n", encoding="utf-8")  # pasted as the message says
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--config", config,
                         "--quiet")
    assert result.returncode == 0, result.stderr
    columns, wanted = expected()
    found = findings_rows(tmp_path / "audits" / "2026-10" / "findings.csv", columns)
    assert found == wanted, difference(found, wanted)


def test_a_half_copied_jeunes_file_stops_the_run_naming_it(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    for name in ("Ressources.csv", "utilisateurs.txt"):
        shutil.copy(SAMPLE / name, export / name)
    data = (SAMPLE / "jeunes_2026-10.csv").read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 40  # in the middle of a record, as a copy still running leaves it
    (export / "jeunes_2026-10.csv").write_bytes(data[:cut])
    before = fingerprint(export)
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "jeunes_2026-10.csv" in result.stderr and "coupé" in result.stderr and "copie" in result.stderr
    assert not (tmp_path / "audits" / "2026-10").exists()  # nothing published
    assert fingerprint(export) == before
