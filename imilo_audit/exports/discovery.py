"""Finding the file of each table in an export folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportFolderError, os_error_fr
from ..folders import check_export_folder
from ..text import strip_accents
from .schema import REQUIRED_TABLES, TABLES

EXTENSIONS: tuple[str, ...] = (".csv", ".txt", ".xlsx")


def _name_key(name: str) -> str:
    return strip_accents(name).casefold()


def table_of(file_name: str) -> str | None:
    """The table a file name belongs to (its name starts with the table's), or None."""
    key = _name_key(file_name)
    for table in TABLES:
        if key.startswith(table):
            return table
    return None


def find_table_files(folder: str | Path) -> dict[str, Path]:
    """The file of each table found in ``folder``, in the order of the schema.

    Raises ExportFolderError when the folder is missing, holds no ``jeunes`` file, or holds
    two files for one table.
    """
    folder = Path(folder)
    check_export_folder(folder)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise ExportFolderError(
            f"Le dossier d'export « {folder} » ne peut pas être lu : {os_error_fr(exc)} "
            "Donnez à l'audit le droit de lire ce dossier."
        ) from None

    found: dict[str, list[Path]] = {}
    unsupported: list[str] = []
    for path in entries:
        table = table_of(path.name)
        if table is None or not path.is_file():
            continue
        if path.suffix.casefold() in EXTENSIONS:
            found.setdefault(table, []).append(path)
        else:
            unsupported.append(path.name)

    for table, paths in found.items():
        if len(paths) > 1:
            names = " et ".join(f"« {p.name} »" for p in paths)
            raise ExportFolderError(
                f"Le dossier d'export « {folder} » contient plusieurs fichiers pour la table "
                f"« {table} » : {names}. Gardez-en un seul (déplacez les autres hors du dossier)."
            )
    for table in REQUIRED_TABLES:
        if table not in found:
            hint = ""
            if unsupported:
                hint = (
                    " Fichiers d'un format non pris en charge : "
                    + ", ".join(f"« {n} »" for n in unsupported)
                    + " (enregistrez-les en .csv ou .xlsx)."
                )
            raise ExportFolderError(
                f"Le dossier d'export « {folder} » ne contient pas de fichier « {table} » "
                f"(un fichier dont le nom commence par « {table} », au format .csv, .txt ou .xlsx)." + hint
            )
    return {table: found[table][0] for table in TABLES if table in found}
