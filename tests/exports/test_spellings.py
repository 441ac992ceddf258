"""The rules hold on exports written differently from the sample.

The sample export is rewritten with other header aliases, encodings, separators and formats
(`.xlsx` with dates typed as text), other spellings of dates, booleans, amounts and reference
values; the same records must be flagged by the same rules (values as read naturally differ).
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from imilo_audit.exports import TABLES, read_export
from imilo_audit.report.synthesis import all_findings
from imilo_audit.rules.audit import audit_all
from imilo_audit.text import same_text_key
from imilo_audit.themes import AuditContext

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"
KEY = ["rule_id", "table", "id_enregistrement", "champ"]
# Text fields compared with reference values (« same text »): respelled in case and spaces.
REFERENCE_VALUES = {"origine_venue", "type_ressource", "etat", "objectif", "validation_preparee", "savoirs_base"}
REFERENCE_VALUES |= {"moyen_locomotion", "permis"}
BOOLEANS = {"oui": ["O", "VRAI", "1", "true", "x"], "non": ["N", "FAUX", "0", "false"]}


def respell_date(text: str, rng: random.Random) -> str:
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    if not match:
        return text
    day, month, year = match.groups()
    return rng.choice([f"{year}-{month}-{day}", f"{day}/{month}/{year} 00:00", f"{day}/{month}/{year} 00:00:00"])


def respell_amount(text: str, rng: random.Random) -> str:
    try:
        value = float(
            text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace(",", ".")
        )
    except ValueError:
        return text
    whole = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return rng.choice([f"{value:.2f}", f"{value:.2f}".replace(".", ","), whole, f"{whole} €"])


def respell_boolean(text: str, rng: random.Random) -> str:
    key = same_text_key(text)
    if key in ("oui", "o", "vrai", "1", "true", "x"):
        return rng.choice(BOOLEANS["oui"])
    if key in ("non", "n", "faux", "0", "false"):
        return rng.choice(BOOLEANS["non"])
    return text


def respell_reference(text: str, rng: random.Random) -> str:
    return rng.choice([text.upper(), text.lower(), "  " + text.replace(" ", "   ") + " ", same_text_key(text) or text])


def rewritten_rows(table, rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """Headers (an alias when the field has one) and cells, respelled per the export contract."""
    schema = TABLES[table.name]
    fields = list(table.data.columns)  # line ids L<n> become an explicit id column: same record ids
    headers = [schema.fields[f].aliases[-1] if schema.fields[f].aliases else schema.fields[f].header for f in fields]
    rows = []
    for i in range(len(table.data)):
        cells = []
        for name in fields:
            spec = schema.fields[name]
            source = table.brut if name in table.brut.columns else table.data
            value = source[name].iloc[i]
            text = "" if pd.isna(value) else str(value)
            if text and spec.kind == "date":
                text = respell_date(text, rng)
            elif text and spec.kind == "amount":
                text = respell_amount(text, rng)
            elif text and spec.kind == "boolean":
                text = respell_boolean(text, rng)
            elif text and name in REFERENCE_VALUES:
                text = respell_reference(text, rng)
            cells.append(text)
        rows.append(cells)
    return headers, rows


def write_variant(export, folder: Path) -> None:
    rng = random.Random(11)
    styles = {  # table -> (file name, encoding, separator) ; None: .xlsx with every value typed as text
        "jeunes": ("Jeunes export.xlsx", None, None),
        "ressources": ("RESSOURCES_2026.txt", "cp1252", "|"),
        "formations": ("formations.csv", "utf-8-sig", "\t"),
        "utilisateurs": ("Utilisateurs.csv", "cp1252", ","),
        "dispositifs": ("dispositifs.csv", "utf-8", ";"),
        "evenements": ("evenements.csv", "utf-8", ";"),
    }
    for name, table in export.tables.items():
        headers, rows = rewritten_rows(table, rng)
        file_name, encoding, separator = styles[name]
        if encoding is None:
            book = Workbook()
            book.active.title = "Notes"
            sheet = book.create_sheet(name)
            sheet.append(headers)
            for row in rows:
                sheet.append(row)
            book.save(folder / file_name)
            continue
        if encoding == "cp1252":  # no narrow no-break space in Windows-1252: the no-break space instead
            rows = [[cell.replace("\u202f", "\xa0") for cell in row] for row in rows]
        with (folder / file_name).open("w", encoding=encoding, newline="", errors="strict") as handle:
            writer = csv.writer(handle, delimiter=separator)
            writer.writerow(headers)
            writer.writerows(rows)


def keys(frame: pd.DataFrame) -> Counter:
    return Counter(tuple(r) for r in frame[KEY].itertuples(index=False, name=None))


@pytest.mark.skipif(not (SAMPLE / "attendus.csv").exists(), reason="no generated sample")
def test_rewritten_export_gives_the_same_findings(tmp_path):
    original = read_export(SAMPLE)
    write_variant(original, tmp_path)
    variant = read_export(tmp_path)
    assert variant.tables["jeunes"].fichier == "Jeunes export.xlsx"
    for name, table in original.tables.items():
        assert variant.tables[name].lignes == table.lignes, name
    expected = keys(
        pd.read_csv(SAMPLE / "attendus.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    )
    found = keys(all_findings(audit_all(AuditContext(variant, __import__("datetime").date(2026, 10, 31)))))
    assert found == expected, (list((found - expected).items())[:10], list((expected - found).items())[:10])
