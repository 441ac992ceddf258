"""One Excel workbook per counsellor: the dossiers they must fix, one sheet per theme.

Every cell is written as text: a value read from the export such as ``=HYPERLINK("…")`` stays the
characters it was and never becomes a formula (no spreadsheet injection). Written with xlsxwriter,
the findings grouped once by counsellor and theme.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

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
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")  # control characters XML forbids
_WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                     "in_memory": True}
_HEADER_FORMAT = {"bold": True, "pattern": 1, "bg_color": "#DDE4EC"}


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


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units (Excel's count), never ending with an apostrophe."""
    text = text[:limit]
    while len(text.encode("utf-16-le")) > 2 * limit:
        text = text[:-1]
    return text.rstrip("'")


def sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name: no ``[]:*?/\\``, at most 31 characters, unique in the workbook.

    Never starts or ends with an apostrophe, and is never ``History`` (reserved by Excel).
    """
    base = _SHEET_FORBIDDEN.sub("-", title).strip().strip("'") or "Thème"
    candidate, number = _cut(base, 31), 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        number += 1
        suffix = f" ({number})"
        candidate = _cut(base, 31 - len(suffix)) + suffix
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


def _write_sheet(sheet: Worksheet, rows: list[tuple[str, ...]], header: Format, as_text: Format) -> None:
    """Header, widths, frozen first row, autofilter, then ``rows`` as text cells."""
    for number, (name, _key, width) in enumerate(COLUMNS):
        sheet.set_column(number, number, width)
        sheet.write_string(0, number, name, header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    write = sheet.write_string
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            if not value:
                continue  # "" (empty or NA in the findings) stays an empty cell
            value = _ILLEGAL.sub("", value)[:_MAX_CELL]
            if value.startswith(_RISKY_START):
                write(row, column, value, as_text)  # quote prefix: Excel keeps it text when edited
            elif value:
                write(row, column, value)


def write_counsellor_workbooks(
    out_dir: str | Path,
    findings: pd.DataFrame,
    catalogue: list[dict],
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write ``out_dir/<counsellor>.xlsx`` (``sans_conseiller.xlsx`` for unrouted findings).

    One sheet per theme with findings, titled by the theme; returns the files written, sorted.
    ``progress`` is told (workbooks written, workbooks in all) after each workbook.
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
    findings = sort_findings(findings, catalogue).reset_index(drop=True)
    records = list(findings[[key for _header, key, _width in COLUMNS]].itertuples(index=False, name=None))
    # one pass: row positions (in sorted order) of each counsellor's findings of each theme
    groups: dict[str, dict[str, list[int]]] = {}
    for position, (counsellor, theme) in enumerate(zip(findings["conseiller"], findings["theme"], strict=True)):
        groups.setdefault(counsellor, {}).setdefault(theme, []).append(position)
    written = []
    names = file_names(list(groups))
    for counsellor, stem in names.items():
        path = out_dir / f"{stem}.xlsx"
        with xlsxwriter.Workbook(str(path), _WORKBOOK_OPTIONS) as workbook:
            header, as_text = workbook.add_format(_HEADER_FORMAT), workbook.add_format({"quote_prefix": True})
            taken: set[str] = set()
            mine = groups[counsellor]
            for theme in themes:
                positions = mine.get(theme["theme"])
                if positions:
                    sheet = workbook.add_worksheet(sheet_title(theme["titre"] or "Autres", taken))
                    _write_sheet(sheet, [records[i] for i in positions], header, as_text)
        written.append(path)
        if progress is not None:
            progress(len(written), len(names))
    return sorted(written)
