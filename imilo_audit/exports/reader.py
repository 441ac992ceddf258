"""Reading an export folder into typed tables (spec/exports.md, docs/conventions.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import UnreadableFileError, os_error_fr
from ..progress import report
from ..text import header_key
from .columns import check_aliases, header_index, map_columns
from .delimited import LineBreaks, read_delimited
from .discovery import BY_NAME, folder_files
from .excel import WORKBOOK_SUFFIXES, read_workbook
from .model import Export, Table
from .schema import LINE_BREAK_FIELDS, TABLES, TableSchema
from .sheet import RawSheet, keep_rows, row_runs, text_series
from .text_lines import locate_header, text_start
from .values import blank_empty_cells, parse

Files = Mapping[str, str]  # the [fichiers] section: file name or pattern -> table (or « ignorer »)


def read_export(
    folder: str | Path, aliases: Mapping[str, Mapping[str, Sequence[str]]] | None = None, files: Files | None = None
) -> Export:
    """Read every table found in ``folder``; ``aliases`` adds header names per table and field, ``files``
    (the ``[fichiers]`` section) forces a file's table.

    Never writes to ``folder``. Raises an InputError subclass, with a French message, when the
    folder or one of its files cannot be used.
    """
    check_aliases(aliases)
    found = folder_files(folder, aliases, files)
    aliases = aliases or {}
    tables = {}
    for number, (name, choice) in enumerate(found.tables.items()):
        report("avance", "lecture", f"Lecture de l'export : {choice.path.name}", done=number, total=len(found.tables))
        tables[name] = read_table(choice.path, TABLES[name], aliases.get(name), choice.how)
    total = len(found.tables)
    report("avance", "lecture", "Lecture de l'export : toutes les tables lues", done=total, total=total)
    return Export(
        dossier=str(folder),
        tables=tables,
        tables_absentes=[name for name in TABLES if name not in tables],
        fichiers_ignores=[
            {"fichier": item.name, "raison": item.why, **({"alias": item.alias} if item.alias else {})}
            for item in found.ignored
        ],
    )


def read_exports(
    folders: str | Path | Sequence[str | Path],
    aliases: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    files: Files | None = None,
) -> Export:
    """One export folder, or several read as one export (a regional comparison of structures).

    With several folders, each table is the rows of every folder, in folder order, and each youth
    keeps the structure of its folder: the ``structure`` column when the export has one, else the
    folder's name. Ids made from line numbers are prefixed with the folder's name (« nord/L12 »), so
    that a record still names one line of one file.
    """
    if isinstance(folders, (str, Path)):
        return read_export(folders, aliases, files)
    folders = list(folders)
    if len(folders) == 1:
        return read_export(folders[0], aliases, files)
    return merge_exports([read_export(folder, aliases, files) for folder in folders])


def folder_labels(folders: Sequence[str | Path]) -> list[str]:
    """Each folder by the shortest end of its path that tells it apart from the others: « nord/2026-10 » and
    « sud/2026-10 » for two folders both named « 2026-10 »."""
    parts = [Path(folder).resolve().parts for folder in folders]
    depth = [1] * len(parts)
    while True:
        labels = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        clashes = {label for label in labels if labels.count(label) > 1}
        if not clashes:
            return labels
        grown = False
        for i, label in enumerate(labels):
            if label in clashes and depth[i] < len(parts[i]):
                depth[i] += 1
                grown = True
        if not grown:
            return labels


def merge_exports(exports: list[Export]) -> Export:
    """Several exports as one: tables stacked, youths tagged with their structure (see read_exports)."""
    labels = dict(zip(map(id, exports), folder_labels([export.dossier for export in exports]), strict=True))
    names = [name for name in TABLES if any(name in export.tables for export in exports)]
    tables = {}
    for name in names:
        schema = TABLES[name]
        parts = [(export, export.tables[name]) for export in exports if name in export.tables]
        data, brut = [], []
        as_read = {field for _export, table in parts for field in table.brut.columns}
        for export, table in parts:
            frame = table.data.copy()
            label = labels[id(export)]
            if name == "jeunes":
                named = frame["structure"].dropna().astype(str).str.strip().unique() if "structure" in frame else []
                own = named[0] if len(named) == 1 and named[0] else label  # for the youths without a structure
                structure = frame["structure"] if "structure" in frame.columns else pd.Series(
                    pd.NA, index=frame.index, dtype="string")
                frame["structure"] = structure.fillna(own).astype("string")
            if schema.line_id and schema.id_field not in table.entetes and schema.id_field in frame.columns:
                frame[schema.id_field] = (label + "/" + frame[schema.id_field].astype("string")).astype("string")
            data.append(frame)
            raw = table.brut.copy()
            for field in as_read - set(raw.columns):  # a text column with no empty word: its text is as read
                if field in table.data.columns:
                    raw[field] = table.data[field].astype("string")
            brut.append(raw)
        order = [field for field in schema.fields if any(field in frame.columns for frame in data)]
        merged = pd.concat(data, ignore_index=True)
        raw = pd.concat(brut, ignore_index=True)
        absent = set.intersection(*(set(table.colonnes_absentes) for _export, table in parts))
        tables[name] = Table(
            name=name,
            fichier=" + ".join(f"{labels[id(export)]}/{table.fichier}" for export, table in parts),
            data=merged[order],
            brut=raw[[field for field in order if field in raw.columns]],
            lignes_ignorees=sum(table.lignes_ignorees for _export, table in parts),
            colonnes_absentes=[field for field in parts[0][1].colonnes_absentes if field in absent],
            entetes={k: v for _export, table in parts for k, v in table.entetes.items()},
            colonnes_inconnues=list(dict.fromkeys(h for _export, table in parts for h in table.colonnes_inconnues)),
            origine=" + ".join(dict.fromkeys(table.origine for _export, table in parts)),
            lignes_pied=sum(table.lignes_pied for _export, table in parts),
        )
    return Export(
        dossier=" + ".join(export.dossier for export in exports),
        tables=tables,
        tables_absentes=[name for name in TABLES if name not in tables],
        fichiers_ignores=[
            {**item, "fichier": f"{labels[id(export)]}/{item['fichier']}"}
            for export in exports
            for item in export.fichiers_ignores
        ],
    )


def read_sheet(path: str | Path, table: str, extra_aliases: Mapping[str, Sequence[str]] | None = None) -> RawSheet:
    """Headers and records of a file, whatever its format, from the header found below any title lines."""
    path = Path(path)
    _check_readable(path)
    aliases = {table: extra_aliases} if extra_aliases else None
    if path.suffix.casefold() in WORKBOOK_SUFFIXES:
        return read_workbook(path, table, aliases)
    header = locate_header(text_start(path), table, aliases)
    sheet = read_delimited(path, line_breaks_of(TABLES[table], extra_aliases), header.line, header.separator)
    sheet.above = header.above
    return sheet


def line_breaks_of(schema: TableSchema, extra_aliases: Mapping[str, Sequence[str]] | None = None) -> LineBreaks:
    """Which columns of a table's file may hold line breaks: free-text fields and columns of no field."""
    index = header_index(schema, extra_aliases)
    allowed = LINE_BREAK_FIELDS.get(schema.name, frozenset())

    def may_break(header: str) -> bool:
        field = index.get(header_key(header))
        return field is None or field in allowed

    return may_break


def _check_readable(path: Path) -> None:
    """A clear French message when a table's file is no regular readable file."""
    label = str(path)
    try:
        with path.open("rb"):
            pass
    except IsADirectoryError:
        raise UnreadableFileError(
            label, "c'est un dossier, pas un fichier. Déplacez-le hors du dossier d'export, ou renommez-le."
        ) from None
    except OSError as exc:
        raise UnreadableFileError(
            label, f"il ne peut pas être ouvert : {os_error_fr(exc)} Donnez à l'audit le droit de le lire."
        ) from None


def read_table(
    path: str | Path,
    schema: TableSchema,
    extra_aliases: Mapping[str, Sequence[str]] | None = None,
    how: str = BY_NAME,
) -> Table:
    """One table from its file (``how``: how the file was taken for the table)."""
    path = Path(path)
    sheet = read_sheet(path, schema.name, extra_aliases)
    columns = map_columns(sheet.headers, schema, str(path), extra_aliases)
    body = sheet.body
    count = len(body)

    # rules.md "empty": a cell holding only NULL, N/A, -… holds nothing, whatever the column's type.
    # The typed value and the text of a text column say so; ``brut`` keeps the text as read.
    read = {name: body[position] for name, position in columns.positions.items()}
    cells = {name: blank_empty_cells(text, name) for name, text in read.items()}
    identifiers = [cells[f] for f in schema.identifier_fields if f in cells]
    ignored = pd.concat(identifiers, axis=1).isna().all(axis=1).to_numpy(dtype=bool)
    kept = ~ignored

    data: dict[str, pd.Series] = {}
    brut: dict[str, pd.Series] = {}
    for name, spec in schema.fields.items():
        if name in columns.positions:
            data[name] = parse(spec.kind, cells[name])
            if spec.typed or cells[name] is not read[name]:
                brut[name] = read[name]
        elif schema.line_id and name == schema.id_field:
            # Record rank in the file, ignored rows included (docs/conventions.md).
            numbers = pc.cast(pa.array(np.arange(1, count + 1, dtype=np.int64)), pa.large_string())
            prefix, sep = pa.scalar("L", pa.large_string()), pa.scalar("", pa.large_string())
            data[name] = text_series(pc.binary_join_element_wise(prefix, numbers, sep), index=body.index)

    index = pd.RangeIndex(int(kept.sum()))
    return Table(
        name=schema.name,
        fichier=path.name,
        data=_frame(data, kept, index),
        brut=_frame(brut, kept, index),
        lignes_ignorees=int(ignored.sum()) + sheet.footer,
        colonnes_absentes=list(columns.absent),
        entetes=dict(columns.headers),
        colonnes_inconnues=list(columns.unknown),
        origine=how,
        feuille=sheet.sheet,
        ligne_entete=sheet.header_line,
        lignes_avant=list(sheet.above),
        lignes_pied=sheet.footer,
    )


def _frame(columns: dict[str, pd.Series], kept: np.ndarray, index: pd.RangeIndex) -> pd.DataFrame:
    runs = row_runs(kept)
    return pd.DataFrame({name: keep_rows(values, kept, runs) for name, values in columns.items()}, index=index)
