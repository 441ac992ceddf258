"""Reading an i-milo export folder into typed tables (spec/exports.md).

``read_export(folder, aliases)`` gives an :class:`Export`; ``save_export`` / ``load_export`` hand
it between processes. ``TABLES`` declares the six tables and their fields.
"""

from .columns import check_aliases, header_index, map_columns
from .discovery import find_table_files
from .model import Export, Table
from .reader import merge_exports, read_export, read_exports, read_table
from .schema import TABLES, FieldSpec, TableSchema
from .store import load_export, save_export
from .values import parse_amounts, parse_booleans, parse_dates

__all__ = [
    "TABLES",
    "Export",
    "FieldSpec",
    "Table",
    "TableSchema",
    "check_aliases",
    "find_table_files",
    "header_index",
    "load_export",
    "map_columns",
    "parse_amounts",
    "parse_booleans",
    "parse_dates",
    "merge_exports",
    "read_export",
    "read_exports",
    "read_table",
    "save_export",
]
