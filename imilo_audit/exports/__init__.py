"""Reading an i-milo export folder into typed tables (spec/exports.md).

Front door: ``read_exports(folders, aliases, files)`` gives an :class:`Export`; ``save_export`` /
``load_export`` hand it between processes; ``TABLES`` declares the six tables and their fields.
Inside: :mod:`.discovery` finds each table's file (``[fichiers]``, name, headers), :mod:`.header`
and :mod:`.text_lines` find the header below title lines, :mod:`.delimited` and :mod:`.excel` read
text files and workbooks, :mod:`.columns` maps headers to fields, :mod:`.values` types the cells,
and :mod:`.mapping` says in French how a table was read (``imilo-audit verifier``).
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
