"""One Excel workbook per counsellor: the dossiers they must fix, one sheet per theme.

Every cell is written as text: a value read from the export such as ``=HYPERLINK("…")`` stays the
characters it was and never becomes a formula (no spreadsheet injection).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .stats import prepare_findings, rules_by_id, sort_findings, theme_list

NO_COUNSELLOR_FILE = "sans_conseiller"
COLUMNS = (
    # header, findings column (or catalogue key), width
    ("Règle", "rule_id", 10),
    ("Gravité", "gravite", 9),
    ("Titre", "titre", 42),
    ("Dossier", "id_jeune", 14),
    ("Enregistrement", "id_enregistrement", 16),
    ("Table", "table", 13),
    ("Champ", "champ", 22),
    ("Valeur", "valeur", 30),
    ("Message", "message", 70),
    ("Comment corriger", "correction", 70),
)
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL = 32767


def slug(name: str, limit: int = 60) -> str:
    """A file name from a counsellor's name: « Marie-Hélène DUPRÉ » -> « marie-helene_dupre »."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9-]+", "_", text)
    text = re.sub(r"_+", "_", text).strip("_-")[:limit].strip("_-")
    if not text:
        text = "conseiller"
    if text in _RESERVED:
        text += "_"
    return text


def sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name: no ``[]:*?/\\``, at most 31 characters, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("-", title).strip().strip("'") or "Thème"
    candidate, number = base[:31], 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def file_names(counsellors: list[str]) -> dict[str, str]:
    """A distinct file stem per counsellor ("" -> ``sans_conseiller``), numbered on collision."""
    taken = {NO_COUNSELLOR_FILE}
    names = {}
    for counsellor in sorted(counsellors, key=lambda c: (slug(c) if c else "", c)):
        if not counsellor:
            names[counsellor] = NO_COUNSELLOR_FILE
            continue
        stem, number = slug(counsellor), 1
        candidate = stem
        while candidate in taken:
            number += 1
            candidate = f"{stem}_{number}"
        taken.add(candidate)
        names[counsellor] = candidate
    return names


def _text_cell(sheet, value: str):
    """A value as a text cell; a WriteOnlyCell typed as text when it could pass for a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_CELL]
    if not value.startswith(_RISKY_START):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=…" as a formula; text is never evaluated
    cell.quotePrefix = True  # and Excel keeps it as text when the cell is edited
    return cell


def _write_sheet(workbook: Workbook, title: str, rows: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title)
    for number, (_header, _key, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EC")
    header = []
    for name, _key, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)
    keys = [key for _header, key, _width in COLUMNS]
    for values in rows[keys].itertuples(index=False, name=None):
        sheet.append([_text_cell(sheet, value) for value in values])


def write_counsellor_workbooks(out_dir: str | Path, findings: pd.DataFrame, catalogue: list[dict]) -> list[Path]:
    """Write ``out_dir/<counsellor>.xlsx`` (``sans_conseiller.xlsx`` for unrouted findings).

    One sheet per theme with findings, titled by the theme; returns the files written, sorted.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    findings = prepare_findings(findings, catalogue)
    if findings.empty:
        return []
    rules = rules_by_id(catalogue)
    findings["titre"] = findings["rule_id"].map(lambda r: rules.get(r, {}).get("titre", ""))
    findings["correction"] = findings["rule_id"].map(lambda r: rules.get(r, {}).get("correction", ""))
    themes = theme_list({}, catalogue, findings)
    findings = sort_findings(findings, catalogue)
    written = []
    for counsellor, stem in file_names(findings["conseiller"].unique().tolist()).items():
        mine = findings[findings["conseiller"] == counsellor]
        workbook = Workbook(write_only=True)
        taken: set[str] = set()
        for theme in themes:
            rows = mine[mine["theme"] == theme["theme"]]
            if len(rows):
                _write_sheet(workbook, sheet_title(theme["titre"] or "Autres", taken), rows)
        path = out_dir / f"{stem}.xlsx"
        workbook.save(path)
        written.append(path)
    return sorted(written)
