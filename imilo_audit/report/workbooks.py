"""One Excel workbook per counsellor: the dossiers they must fix, a summary sheet, one sheet per theme.

File name: ``par_conseiller/<person>_<YYYY-MM>_<structure>.xlsx`` (e.g.
``christophe_hoarau_2026-10_mission_locale_rhone_est.xlsx``): the person's file stem from
:class:`~imilo_audit.people.counsellors.Directory` (one per person, whatever the spelling of the export),
the audit's month, then the structure as a slug (left out when the export names none), so that
the workbooks of two months or two structures never overwrite each other in a mailbox or a shared
drive. Without a month (older callers), ``<person>.xlsx``.

The first sheet, « Synthèse », names the structure, the month, the date de référence and the
person, and counts their findings per theme (errors, alerts, new, persistent, fixed since the
previous audit). Each theme sheet lists the findings in words a counsellor reads: the field's French
header, the dossier number, the youth's name (when given), the rule's title and fix, and the
follow-up (« persistant depuis août 2026 »); errors first, then the oldest first. Two identical
rows (same rule, record, field and value, e.g. both lines of a DAT-02 pair) appear once.

Every cell taken from the export is written as text: a value such as ``=HYPERLINK("…")`` stays the
characters it was and never becomes a formula (no spreadsheet injection); one that Excel would read
as a formula once edited gets a quote prefix. Written by :mod:`.xlsx` (xlsxwriter's structure, ten
times faster for these two sheet shapes), the findings prepared and grouped once for all workbooks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..exports.schema import TABLES
from ..french.formatting import fr_date, fr_month, fr_pct
from ..french.typography import NBSP, french_spaces
from ..people.counsellors import NOBODY, NOBODY_FILE, Counsellor, Directory, directory_of, slug
from .csv_safety import FORMULA_START
from .formatting import SEVERITIES, SEVERITY_RANK
from .stats import prepare_findings, rules_by_id, theme_list
from .xlsx import Sheet, Style, Workbook

NO_COUNSELLOR_FILE = NOBODY_FILE  # the unrouted list's workbook stem, under the name the tests know
SUMMARY_SHEET = "Synthèse"


@dataclass(frozen=True)
class Column:
    """A column of a theme sheet: its header, the prepared findings column, its width."""

    header: str
    key: str
    width: float
    wrap: bool = False


COLUMNS = (
    Column("Gravité", "gravite", 9),
    Column("Règle", "regle", 34, wrap=True),
    Column("Dossier", "dossier", 13),
    Column("Jeune", "jeune", 24),  # only when the youths' names are given
    Column("Élément", "element", 24, wrap=True),
    Column("Champ", "champ_libelle", 24, wrap=True),
    Column("Valeur", "valeur", 28, wrap=True),
    Column("Message", "message", 60, wrap=True),
    Column("Comment corriger", "correction", 60, wrap=True),
    Column("Suivi", "suivi_libelle", 24, wrap=True),
)
ITEMS = {  # what a record of a table is, for a counsellor
    "ressources": "Ressource",
    "formations": "Formation",
    "dispositifs": "Dispositif",
    "evenements": "Événement",
}
_LINE_ID = re.compile(r"L(\d+)")
_FORMULA = re.compile(FORMULA_START)  # a start a spreadsheet may read as a formula (as findings.csv guards it)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL = 32767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")  # control characters XML forbids
_SHARE = re.compile(r"0(?:\.\d+)?|1(?:\.0+)?")
_ISO_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")


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


def workbook_name(stem: str, month: str = "", structure: str = "") -> str:
    """``christophe_hoarau_2026-10_mission_locale_rhone_est.xlsx``: person, month, structure."""
    parts = [stem]
    if month:
        parts.append(re.sub(r"[^0-9-]", "", month)[:7])
    if structure.strip():
        parts.append(slug(structure, 40))
    return "_".join(part for part in parts if part) + ".xlsx"


def field_label(table: str, champ: str) -> str:
    """The French header of a field, as the export shows it: ``adresse_normalisee`` -> « Adresse normalisée »."""
    if not champ:
        return ""
    schema = TABLES.get(table)
    if schema is not None and champ in schema.fields:
        return schema.fields[champ].header
    for other in TABLES.values():
        if champ in other.fields:
            return other.fields[champ].header
    return champ.replace("_", " ").strip().capitalize()


def line_number(record: str) -> str | None:
    """The line of a record named by its line (``L2443`` -> ``2443``: its table has no identifier column), else None."""
    match = _LINE_ID.fullmatch(record)
    return match.group(1) if match else None


def line_label(record: str, table: str = "") -> str:
    """``L2443`` -> « ligne 2443 du fichier » (« … du fichier ressources »); other identifiers as given."""
    number = line_number(record)
    if number is None:
        return record
    return f"ligne {number} du fichier" + (f" {table}" if table else "")


def element_label(table: str, record: str, conseiller: str = "", lieu: str = "") -> str:
    """What the finding is about inside the dossier: « Ressource, ligne 1733 du fichier », « Formation 4002449 »."""
    if not record:  # a group finding (ORI-01)
        if conseiller:
            return "Ensemble des dossiers du conseiller"
        return f"Ensemble des dossiers du lieu {lieu}" if lieu else "Ensemble des dossiers de l'export"
    item = ITEMS.get(table, "")
    if not item:  # a youth's dossier or a user account: the identifier says it all
        return ""
    if line_number(record) is not None:
        return f"{item}, {line_label(record)}"
    return f"{item} {record}"


def follow_label(suivi: str, first: str) -> str:
    """« nouveau », « persistant depuis août 2026 », « corrigé »."""
    if suivi == "persistant":
        return f"persistant depuis {fr_month(first + '-01')}" if first else "persistant"
    if suivi == "corrige":
        return "corrigé"
    return suivi


def value_label(value: str, record: str) -> str:
    """A value as people read it: a group finding's share (``0.42``) as « 42 % », an ISO date
    (``2026-07-23``, with its time if any) as « 23/07/2026 »; other values as read (findings.csv keeps them so)."""
    if not record and _SHARE.fullmatch(value):
        return fr_pct(float(value), 0)
    iso = _ISO_DAY.fullmatch(value)
    if iso:
        try:
            day = dt.date.fromisoformat(iso.group(1))
        except ValueError:  # « 2026-02-30 »: unreadable, shown as written
            return value
        return f"{day:%d/%m/%Y}" + (f" {iso.group(2)}" if iso.group(2) else "")
    return value


def counsellor_rows(
    findings: pd.DataFrame,
    catalogue: list[dict],
    directory: Directory,
    youth_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The findings as the counsellors' lists show them, each row once, in the order to fix them.

    Adds ``cle`` (the person's identity), ``regle``, ``titre``, ``correction``, ``dossier``,
    ``jeune``, ``element``, ``champ_libelle``, ``suivi_libelle`` to the findings' columns. Rows are
    sorted by severity, first detection (oldest first), the catalogue's rule order, then as found;
    two rows with the same person, rule, record, field and value are kept once.
    """
    frame = prepare_findings(findings, catalogue)
    for column in ("premiere_detection", "suivi"):
        frame[column] = frame[column].fillna("").astype(str).str.strip() if column in frame.columns else ""
    if frame.empty:
        return frame.assign(**{name: pd.Series(dtype=object) for name in (
            "cle", "regle", "titre", "correction", "dossier", "jeune", "element", "champ_libelle",
            "suivi_libelle")})
    frame["cle"] = identities(frame, directory)
    record_or_group = frame["id_enregistrement"].where(
        frame["id_enregistrement"] != "", "groupe\x1f" + frame["conseiller"] + "\x1f" + frame["lieu"])
    frame = frame.assign(_record=record_or_group).drop_duplicates(
        ["cle", "rule_id", "table", "_record", "champ", "valeur"]).drop(columns="_record")
    order = {rule["rule_id"]: position for position, rule in enumerate(catalogue)}
    keys = pd.DataFrame({
        "severity": frame["gravite"].map(SEVERITY_RANK).fillna(len(SEVERITIES)),
        "first": frame["premiere_detection"].where(frame["premiere_detection"] != "", "9999-99"),
        "rule": frame["rule_id"].map(order).fillna(len(order)),
        "position": range(len(frame)),
    }, index=frame.index)
    frame = frame.loc[keys.sort_values(["severity", "first", "rule", "position"]).index].reset_index(drop=True)

    rules = rules_by_id(catalogue)
    def column(name: str) -> list:  # a list iterates much faster than an Arrow-backed column
        return frame[name].tolist()

    rule_ids = set(column("rule_id"))  # each rule's wording spaced once, not once per row
    frame["titre"] = frame["rule_id"].map({r: french_spaces(rules.get(r, {}).get("titre", "")) for r in rule_ids})
    frame["correction"] = frame["rule_id"].map(
        {r: french_spaces(rules.get(r, {}).get("correction", "")) for r in rule_ids})
    messages = column("message")
    spaced = {message: french_spaces(message) for message in set(messages)}
    frame["message"] = [spaced[message] for message in messages]
    frame["regle"] = [f"{rule_id} – {title}" if title else rule_id
                      for rule_id, title in zip(column("rule_id"), column("titre"), strict=True)]
    records = list(zip(column("table"), column("id_enregistrement"), column("id_jeune"), column("conseiller"),
                       column("lieu"), strict=True))
    frame["dossier"] = [youth or (line_label(record, table) if record else "")
                        for table, record, youth, _c, _l in records]
    frame["element"] = [element_label(table, record, conseiller, lieu) if table != "jeunes" or not record else ""
                        for table, record, _y, conseiller, lieu in records]
    labels = {pair: field_label(*pair) for pair in set(zip(column("table"), column("champ"), strict=True))}
    frame["champ_libelle"] = [labels[pair] for pair in zip(column("table"), column("champ"), strict=True)]
    frame["valeur"] = [value_label(value, record) for value, record in
                       zip(column("valeur"), column("id_enregistrement"), strict=True)]
    frame["suivi_libelle"] = [follow_label(suivi, first) for suivi, first in
                              zip(column("suivi"), column("premiere_detection"), strict=True)]
    names = youth_names or {}
    frame["jeune"] = [names.get(youth, "") if youth else "" for youth in column("id_jeune")]
    return frame


def identities(frame: pd.DataFrame, directory: Directory) -> list[str]:
    """The person of each finding, from its ``conseiller`` and ``table`` (each spelling resolved once).

    A spelling the directory does not know is matched by login or name words
    (:meth:`Directory.resolve`), else goes to the unrouted list.
    """
    return [key or NOBODY for key in fixed_identities(frame, directory)]


def fixed_identities(frame: pd.DataFrame, directory: Directory) -> list[str | None]:
    """The person of each finding; None for a spelling nobody of the directory matches."""
    pairs = list(zip(frame["conseiller"].astype(str).tolist(), frame["table"].astype(str).tolist(), strict=True))
    known = {pair: directory.resolve(*pair) for pair in set(pairs)}
    return [known[pair] for pair in pairs]


def fixed_counts(fixed: pd.DataFrame | None, catalogue: list[dict], directory: Directory) -> dict[str, dict[str, int]]:
    """Findings of the previous audit now gone, per person identity and theme."""
    if fixed is None or fixed.empty or "rule_id" not in fixed.columns:
        return {}
    frame = prepare_findings(fixed, catalogue)
    counts: dict[str, dict[str, int]] = {}
    for key, theme in zip(fixed_identities(frame, directory), frame["theme"], strict=True):
        if key is None:
            continue  # a person the directory does not know (no longer in the export)
        mine = counts.setdefault(key, {})
        mine[theme] = mine.get(theme, 0) + 1
    return counts


def group_rows(rows: pd.DataFrame) -> dict[str, dict[str, list[int]]]:
    """One pass over the prepared rows: each person's row positions per theme, in sorted order."""
    groups: dict[str, dict[str, list[int]]] = {}
    for position, (key, theme) in enumerate(zip(rows["cle"].tolist(), rows["theme"].tolist(), strict=True)):
        groups.setdefault(key, {}).setdefault(theme, []).append(position)
    return groups


def _text(sheet: Sheet, row: int, column: int, value: str, style: int = Style.DEFAULT, wrap: bool = False) -> None:
    """A text cell: illegal characters removed, capped at Excel's length, a risky start quote-prefixed.

    "" (empty or NA in the findings) stays an empty cell.
    """
    if not value:
        return
    value = _ILLEGAL.sub("", value)[:_MAX_CELL]
    if not value:
        return
    if _FORMULA.match(value):  # quote prefix: Excel keeps it text when edited
        style = _quoted(wrap)
    sheet.text(row, column, value, style)


def _quoted(wrap: bool) -> Style:
    """The style of a text cell that starts like a formula: quote prefix, wrapped like its column."""
    return Style.AS_TEXT_WRAPPED if wrap else Style.AS_TEXT


def sheet_columns(with_names: bool, follow_up: bool = True) -> list[Column]:
    """The columns of a theme sheet (« Jeune » only when the youths' names are given, « Suivi » only when an
    earlier audit is there to compare with: on a first audit every row would say « nouveau »)."""
    return [column for column in COLUMNS
            if (with_names or column.key != "jeune") and (follow_up or column.key != "suivi_libelle")]


def _theme_sheet(sheet: Sheet, columns: list[Column], rows: list[tuple[tuple[str, ...], tuple[int, ...]]]) -> None:
    """Header, widths, frozen first row, autofilter, then ``rows`` (:func:`sheet_cells`) as text cells."""
    for number, (column, style) in enumerate(zip(columns, column_styles(columns), strict=True)):
        sheet.set_columns(number, number, column.width, style)
        sheet.text(0, number, column.header, Style.HEADER)
    sheet.frozen_rows = 1
    sheet.filter = (len(rows), len(columns) - 1)
    sheet.table(1, rows)


def sheet_cells(rows: pd.DataFrame, columns: list[Column]) -> tuple[list[tuple[str, ...]], dict[int, tuple[int, ...]]]:
    """Each prepared row's cells as a theme sheet writes them, cleaned once for every workbook.

    Illegal characters removed and each value capped at Excel's length (column by column, in Arrow);
    the second result gives the cell styles of the rows where a value starts like a formula (quote
    prefix); every other row takes its columns' styles (:func:`column_styles`).
    """
    if not len(rows):
        return [], {}
    plain = column_styles(columns)
    texts, risky = [], []
    for column in columns:
        text = (rows[column.key].astype("string").fillna("")
                .str.replace(_ILLEGAL.pattern, "", regex=True).str.slice(0, _MAX_CELL))
        texts.append(text.tolist())
        risky.append(text.str.match(FORMULA_START).fillna(False).to_numpy(dtype=bool))
    quoted = {}
    for position in np.flatnonzero(np.logical_or.reduce(risky)).tolist():
        quoted[position] = tuple(_quoted(column.wrap) if risky[number][position] else plain[number]
                                 for number, column in enumerate(columns))
    return list(zip(*texts, strict=True)), quoted


def column_styles(columns: list[Column]) -> tuple[int, ...]:
    """The style of each column's cells: wrapped or not, aligned to the top."""
    return tuple(Style.WRAPPED if column.wrap else Style.TOP for column in columns)


_SUMMARY_COLUMNS = ("Thème", "Erreurs", "Alertes", "Infos", "Total", "Nouveaux", "Persistants",
                    "Corrigés depuis l'audit précédent")
_HOW_TO = (f"Comment utiliser ce classeur{NBSP}: une feuille par thème, une ligne par dossier à corriger dans "
           f"i-milo, les erreurs d'abord puis les plus anciennes{NBSP}; la colonne «{NBSP}Comment corriger{NBSP}» "
           "dit quoi faire, et le prochain audit comptera la correction.")


def _summary_sheet(sheet: Sheet, person: Counsellor, context: dict[str, str], counts: list[dict],
                   follow_up: bool = True) -> None:
    """The « Synthèse » sheet: who, when, then the counts per theme (new, persistent, fixed: with an earlier audit)."""
    keys = ("erreur", "alerte", "info", "total", "nouveaux", "persistants", "corriges")[:7 if follow_up else 4]
    headers = _SUMMARY_COLUMNS[:len(keys) + 1]
    sheet.set_columns(0, 0, 34)
    sheet.set_columns(1, len(headers) - 1, 13)
    title = "Dossiers à corriger" if person.personne else "Anomalies à corriger"
    _text(sheet, 0, 0, f"{title} – {person.nom}", Style.TITLE)
    _text(sheet, 1, 0, "Audit de la qualité des données i-milo")
    pairs = [
        ("Structure", context["structure"] or "—"),
        ("Mois de l'audit", fr_month(context["month"] + "-01") if context["month"] else "—"),
        ("Date de référence", fr_date(context["date_reference"]) or "—"),
        ("Conseiller" if person.personne else "Liste", person.nom),
    ]
    if person.login:
        pairs.append(("Identifiant i-milo", person.login))
    row = 3
    for label, value in pairs:
        _text(sheet, row, 0, label, Style.BOLD)
        _text(sheet, row, 1, value)
        row += 1
    row += 1
    _text(sheet, row, 0, _HOW_TO)
    row += 2
    for number, header in enumerate(headers):
        sheet.text(row, number, header, Style.HEADER)
    sheet.heights[row] = 30
    first = row + 1
    for item in counts:
        row += 1
        _text(sheet, row, 0, item["titre"])
        for number, key in enumerate(keys, start=1):
            sheet.number(row, number, item[key], Style.NUMBER)
    row += 1
    _text(sheet, row, 0, "Total", Style.TOTAL)
    for number, key in enumerate(keys, start=1):
        sheet.number(row, number, sum(item[key] for item in counts), Style.TOTAL)
    if row == first:  # nothing at all
        _text(sheet, row + 2, 0, "Aucune anomalie dans vos dossiers ce mois-ci.")


def theme_counts(levels: tuple[list[str], list[str]], mine: dict[str, list[int]],
                 fixed: dict[str, int], themes: list[dict]) -> list[dict]:
    """Counts per theme of one person (themes with something to say only), in report order.

    ``levels``: the prepared rows' ``gravite`` and ``suivi`` columns as lists (fast in a loop).
    """
    gravite, suivi = levels
    result = []
    for theme in themes:
        positions = mine.get(theme["theme"], [])
        done = fixed.get(theme["theme"], 0)
        if not positions and not done:
            continue
        severities = Counter(gravite[i] for i in positions)
        follow = Counter(suivi[i] for i in positions)
        result.append({
            "theme": theme["theme"],
            "titre": theme["titre"] or "Autres règles",
            **{severity: int(severities.get(severity, 0)) for severity in SEVERITIES},
            "total": len(positions),
            "nouveaux": int(follow.get("nouveau", 0)),
            "persistants": int(follow.get("persistant", 0)),
            "corriges": done,
        })
    return result


def write_workbook(
    path: Path,
    person: Counsellor,
    records: tuple[list[tuple[str, ...]], dict[int, tuple[int, ...]]],
    mine: dict[str, list[int]],
    counts: list[dict],
    themes: list[dict],
    context: dict[str, str],
    with_names: bool,
    follow_up: bool = True,
) -> Path:
    """Write one person's workbook: « Synthèse », then a sheet per theme with findings.

    ``records``: every prepared row's cells (:func:`sheet_cells`); ``mine``: the person's row positions per theme.
    """
    columns = sheet_columns(with_names, follow_up)
    values, quoted = records
    plain = column_styles(columns)
    workbook = Workbook()
    taken = {SUMMARY_SHEET.casefold()}
    _summary_sheet(workbook.add_sheet(SUMMARY_SHEET), person, context, counts, follow_up)
    for theme in themes:
        positions = mine.get(theme["theme"])
        if positions:
            sheet = workbook.add_sheet(sheet_title(theme["titre"] or "Autres règles", taken))
            _theme_sheet(sheet, columns, [(values[i], quoted.get(i, plain)) for i in positions])
    workbook.save(path)
    return path


@dataclass(frozen=True)
class Lists:
    """The findings prepared once for every person's list (workbook, and page): see :func:`prepare_lists`."""

    rows: pd.DataFrame  # counsellor_rows
    groups: dict[str, dict[str, list[int]]]  # person -> theme -> row positions
    done: dict[str, dict[str, int]]  # person -> theme -> findings fixed since the previous audit
    people: list[str]  # the persons with a list (findings, or fixed ones), in the directory's order
    themes: list[dict]
    records: tuple[list[tuple[str, ...]], dict[int, tuple[int, ...]]]  # each row's workbook cells (sheet_cells)
    levels: tuple[list[str], list[str]]  # each row's gravite and suivi
    context: dict[str, str]  # month, structure, date_reference
    with_names: bool
    follow_up: bool = True  # an earlier audit to compare with (else no new / persistent / fixed columns)

    def counts(self, key: str) -> list[dict]:
        """The person's counts per theme (:func:`theme_counts`)."""
        return theme_counts(self.levels, self.groups.get(key, {}), self.done.get(key, {}), self.themes)

    def workbook_name(self, person: Counsellor) -> str:
        """The person's workbook file name (:func:`workbook_name`)."""
        return workbook_name(person.fichier, self.context["month"], self.context["structure"])

    def write_workbook(self, out_dir: Path, person: Counsellor, counts: list[dict]) -> str:
        """Write the person's workbook into ``out_dir``; return its file name."""
        name = self.workbook_name(person)
        write_workbook(out_dir / name, person, self.records, self.groups.get(person.key, {}), counts, self.themes,
                       self.context, self.with_names, self.follow_up)
        return name


def prepare_lists(
    findings: pd.DataFrame,
    catalogue: list[dict],
    directory: Directory,
    fixed: pd.DataFrame | None,
    *,
    month: str,
    structure: str,
    date_reference: str,
    youth_names: dict[str, str] | None,
    follow_up: bool = True,
) -> Lists:
    """One pass over the findings for all the lists: rows, each person's groups and fixed counts, cells."""
    rows = counsellor_rows(findings, catalogue, directory, youth_names)
    groups = group_rows(rows)
    done = fixed_counts(fixed, catalogue, directory)
    with_names = youth_names is not None
    return Lists(
        rows=rows,
        groups=groups,
        done=done,
        people=[key for key in directory.people if key in groups or key in done],
        themes=theme_list({}, catalogue, rows),
        records=sheet_cells(rows, sheet_columns(with_names, follow_up)),
        levels=(rows["gravite"].tolist(), rows["suivi"].tolist()),
        context={"month": month, "structure": structure, "date_reference": date_reference},
        with_names=with_names,
        follow_up=follow_up,
    )


def write_counsellor_workbooks(
    out_dir: str | Path,
    findings: pd.DataFrame,
    catalogue: list[dict],
    progress: Callable[[int, int], None] | None = None,
    *,
    fixed: pd.DataFrame | None = None,
    directory: Directory | None = None,
    month: str = "",
    structure: str = "",
    date_reference: str = "",
    youth_names: dict[str, str] | None = None,
) -> list[Path]:
    """Write one workbook per person of ``directory`` with findings (or fixed ones); return them, sorted.

    Without a ``directory``, one is built from the findings' spellings (no users table).
    ``progress`` is told (workbooks written, workbooks in all) after each workbook.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    directory = directory or directory_of(findings)
    lists = prepare_lists(findings, catalogue, directory, fixed, month=month, structure=structure,
                          date_reference=date_reference, youth_names=youth_names)
    written = []
    for key in lists.people:
        person = directory.people[key]
        written.append(out_dir / lists.write_workbook(out_dir, person, lists.counts(key)))
        if progress is not None:
            progress(len(written), len(lists.people))
    return sorted(written)
