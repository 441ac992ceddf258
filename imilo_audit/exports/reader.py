"""Reading an export folder into typed tables (spec/exports.md, docs/conventions.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..progress import report
from .columns import check_aliases, map_columns
from .delimited import read_delimited
from .discovery import find_table_files
from .excel import read_workbook
from .model import Export, Table
from .schema import TABLES, TableSchema
from .sheet import RawSheet, keep_rows, row_runs, text_series
from .values import parse


def read_export(folder: str | Path, aliases: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> Export:
    """Read every table found in ``folder``; ``aliases`` adds header names per table and field.

    Never writes to ``folder``. Raises an InputError subclass, with a French message, when the
    folder or one of its files cannot be used.
    """
    check_aliases(aliases)
    files = find_table_files(folder)
    aliases = aliases or {}
    tables = {}
    for number, (name, path) in enumerate(files.items()):
        report("avance", "lecture", f"Lecture de l'export : {path.name}", done=number, total=len(files))
        tables[name] = read_table(path, TABLES[name], aliases.get(name))
    report("avance", "lecture", "Lecture de l'export : toutes les tables lues", done=len(files), total=len(files))
    return Export(
        dossier=str(folder),
        tables=tables,
        tables_absentes=[name for name in TABLES if name not in tables],
    )


def read_sheet(path: str | Path, table: str) -> RawSheet:
    """Headers and records of a file, whatever its format."""
    path = Path(path)
    if path.suffix.casefold() == ".xlsx":
        return read_workbook(path, table)
    return read_delimited(path)


def read_table(
    path: str | Path, schema: TableSchema, extra_aliases: Mapping[str, Sequence[str]] | None = None
) -> Table:
    """One table from its file."""
    path = Path(path)
    sheet = read_sheet(path, schema.name)
    columns = map_columns(sheet.headers, schema, str(path), extra_aliases)
    body = sheet.body
    count = len(body)

    identifiers = [body[columns.positions[f]] for f in schema.identifier_fields if f in columns.positions]
    ignored = pd.concat(identifiers, axis=1).isna().all(axis=1).to_numpy(dtype=bool)
    kept = ~ignored

    data: dict[str, pd.Series] = {}
    brut: dict[str, pd.Series] = {}
    for name, spec in schema.fields.items():
        if name in columns.positions:
            text = body[columns.positions[name]]
            data[name] = parse(spec.kind, text)
            if spec.typed:
                brut[name] = text
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
        lignes_ignorees=int(ignored.sum()),
        colonnes_absentes=list(columns.absent),
        entetes=dict(columns.headers),
        colonnes_inconnues=list(columns.unknown),
    )


def _frame(columns: dict[str, pd.Series], kept: np.ndarray, index: pd.RangeIndex) -> pd.DataFrame:
    runs = row_runs(kept)
    return pd.DataFrame({name: keep_rows(values, kept, runs) for name, values in columns.items()}, index=index)
