"""How a table was read, in French lines: file, sheet, header line, lines left out, each field and its
header, the headers not used with the closest field, and the spellings of dates and booleans met.

What ``imilo-audit verifier`` prints for each table: a quality officer checks it once per new
export shape, and copies the alias lines it proposes into the configuration file.
"""

from __future__ import annotations

import difflib
import re

from ..french.formatting import fr_counted, fr_int
from ..text import header_key
from .discovery import recognised_by
from .model import Table
from .schema import TABLES, TableSchema

_SHAPES: tuple[tuple[str, str], ...] = (
    (r"\d{2}/\d{2}/\d{4}", "jj/mm/aaaa"),
    (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "jj/mm/aaaa hh:mm"),
    (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", "jj/mm/aaaa hh:mm:ss"),
    (r"\d{2}-\d{2}-\d{4}", "jj-mm-aaaa"),
    (r"\d{4}-\d{2}-\d{2}", "aaaa-mm-jj"),
    (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "aaaa-mm-jj hh:mm[:ss]"),
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?", "aaaa-mm-jjThh:mm[:ss]"),
)


def describe_table(name: str, table: Table) -> list[str]:
    """The verifier's lines for one table read."""
    schema = TABLES[name]
    where = f", feuille « {table.feuille} »" if table.feuille else ""
    lines = [
        f"{name} ← « {table.fichier} » (reconnu par {recognised_by(table.origine)}){where}, "
        f"en-tête ligne {fr_int(table.ligne_entete)}"
    ]
    if table.lignes_avant:
        shown = " · ".join(f"« {text[:60]} »" for text in table.lignes_avant[:5])
        more = " …" if len(table.lignes_avant) > 5 else ""
        above = fr_counted(len(table.lignes_avant), "ligne ignorée", "lignes ignorées")
        lines.append(f"  au-dessus de l'en-tête, {above} : {shown}{more}")
    ignored = table.lignes_ignorees - table.lignes_pied
    parts = [f"{fr_int(ignored)} sans identifiant"] if ignored else []
    if table.lignes_pied:
        parts.append(f"{fr_counted(table.lignes_pied, 'ligne', 'lignes')} de pied de tableau")
    lines.append(f"  {fr_counted(table.lignes, 'ligne lue', 'lignes lues')}"
                 + (f" ; ignorées : {', '.join(parts)}" if parts else ""))
    lines += [f"  {field} ← « {header} »" for field, header in table.entetes.items()]
    for header in table.colonnes_inconnues:
        field = closest_field(header, schema)
        used = table.entetes.get(field) if field else None
        near = f"proche de {field}" + (f", lu dans « {used} »" if used else "") if field else "aucun champ proche"
        lines.append(f"  colonne non utilisée : « {header} » ({near})")
    if table.colonnes_absentes:
        absent = ", ".join(f"« {schema.fields[field].header} »" for field in table.colonnes_absentes)
        lines.append(f"  colonnes absentes : {absent}")
    dates = date_spellings(table, schema)
    if dates:
        lines.append(f"  dates lues : {dates}")
    booleans = boolean_spellings(table, schema)
    if booleans:
        lines.append(f"  oui/non lus : {booleans}")
    return lines


def closest_field(header: str, schema: TableSchema) -> str | None:
    """The field whose canonical header or alias is closest to ``header`` (None below 0.6 of likeness)."""
    key = header_key(header)
    best: tuple[float, str] | None = None
    for spec in schema.fields.values():
        for name in (spec.header, *spec.aliases):
            ratio = difflib.SequenceMatcher(None, key, header_key(name)).ratio()
            if ratio >= 0.6 and (best is None or ratio > best[0]):
                best = (ratio, spec.name)
    return best[1] if best else None


def _spellings(table: Table, schema: TableSchema, kind: str) -> dict[str, int]:
    """Each text read in the columns of ``kind`` (dates, booleans), with how many cells hold it."""
    counts: dict[str, int] = {}
    for field, spec in schema.fields.items():
        if spec.kind == kind and field in table.brut.columns:
            for text, count in table.brut[field].dropna().astype("string").value_counts(sort=False).items():
                counts[str(text)] = counts.get(str(text), 0) + int(count)
    return counts


def date_spellings(table: Table, schema: TableSchema) -> str:
    """The shapes of the dates read (« jj/mm/aaaa 12 034 · aaaa-mm-jjThh:mm:ss 3 000 »), unreadable ones last."""
    shapes: dict[str, int] = {}
    odd: list[str] = []
    for text, count in _spellings(table, schema, "date").items():
        shape = next((label for pattern, label in _SHAPES if re.fullmatch(pattern, text)), None)
        if shape is None:
            odd.append(text)
            shape = "autres formes"
        shapes[shape] = shapes.get(shape, 0) + count
    text = " · ".join(f"{shape} {fr_int(count)}" for shape, count in sorted(shapes.items(), key=lambda i: -i[1]))
    if odd:
        text += f" (ex. : {', '.join(f'« {value} »' for value in sorted(odd)[:3])})"
    return text


def boolean_spellings(table: Table, schema: TableSchema) -> str:
    """The spellings of the yes/no columns read (« Oui » 2 300 · « Non » 600 · « X » 5)."""
    ordered = sorted(_spellings(table, schema, "boolean").items(), key=lambda item: -item[1])
    return " · ".join(f"« {text} » {fr_int(count)}" for text, count in ordered[:12])
