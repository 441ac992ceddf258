"""Finding the file of each table in an export folder: by the configuration, by name, by headers.

A file whose name starts with a table's name is that table's. A file named after no table (« Liste
des jeunes suivis au 31-10-2026.xlsx ») belongs to the table whose required columns its headers
hold and whose other columns it matches best. The ``[fichiers]`` section of the configuration
forces a file (name or pattern) to a table, or to ``ignorer``. Any other file is ignored and listed
with why: a read-me note, the query's parameters, a file of another format.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportFolderError, alias_block, os_error_fr, readable_name
from ..folders import check_export_folder
from ..text import header_key, strip_accents
from .columns import closest_header, header_index, names_tried
from .excel import WORKBOOK_SUFFIXES, workbook_fits
from .header import MIN_RECOGNISED, Aliases, Fit
from .schema import REQUIRED_TABLES, TABLES
from .text_lines import recognise, text_start

TEXT_SUFFIXES: tuple[str, ...] = (".csv", ".txt")
EXTENSIONS: tuple[str, ...] = (*TEXT_SUFFIXES, *WORKBOOK_SUFFIXES)
IGNORE = "ignorer"  # a [fichiers] value: the file is no table
BY_NAME, BY_HEADERS, BY_CONFIG = "nom", "en-têtes", "configuration"
RECOGNISED_BY = {BY_NAME: "son nom", BY_HEADERS: "ses en-têtes", BY_CONFIG: "la configuration"}


def recognised_by(how: str) -> str:
    """How a file was taken for its table, in French (« ses en-têtes »; several folders: each way, joined)."""
    return " + ".join(RECOGNISED_BY.get(part, part) for part in how.split(" + "))


@dataclass(frozen=True)
class TableFile:
    """The file of one table, and how it was recognised (``nom``, ``en-têtes``, ``configuration``)."""

    table: str
    path: Path
    how: str


@dataclass(frozen=True)
class IgnoredFile:
    """A file of the export folder that is no table, and why (French); ``alias``: the configuration lines
    that would make it its table's (a file like a table but for a required column's name)."""

    name: str
    why: str
    alias: str = ""


@dataclass
class FolderFiles:
    """What an export folder holds: the file of each table, the files ignored."""

    tables: dict[str, TableFile] = field(default_factory=dict)
    ignored: list[IgnoredFile] = field(default_factory=list)


def _name_key(name: str) -> str:
    return strip_accents(name).casefold()


def table_of(file_name: str) -> str | None:
    """The table a file name belongs to (its name starts with the table's), or None."""
    key = _name_key(file_name)
    for table in TABLES:
        if key.startswith(table):
            return table
    return None


def forced_table(file_name: str, files: Mapping[str, str] | None) -> str | None:
    """The table (or ``ignorer``) the ``[fichiers]`` section gives a file: its name or a pattern (``*``, ``?``)."""
    key = _name_key(file_name)
    for pattern, table in (files or {}).items():
        if fnmatch.fnmatchcase(key, _name_key(pattern)):
            return table
    return None


def find_table_files(folder: str | Path) -> dict[str, Path]:
    """The file of each table found in ``folder``, in the order of the schema (see :func:`folder_files`)."""
    return {name: found.path for name, found in folder_files(folder).tables.items()}


def folder_files(
    folder: str | Path, aliases: Aliases | None = None, files: Mapping[str, str] | None = None
) -> FolderFiles:
    """The file of each table in ``folder`` and the files ignored.

    Raises ExportFolderError when the folder is missing, holds no ``jeunes`` file, or holds two
    files for one table.
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

    found: dict[str, list[TableFile]] = {}
    result = FolderFiles()
    near: dict[str, Path] = {}  # a file like a table but for its required columns
    for path in entries:
        choice = _unusable(path, files) or _choose(path, aliases, files, near) if _is_file_like(path) else None
        if choice is None:
            continue  # a sub-folder of the export folder (archives…)
        if isinstance(choice, IgnoredFile):
            result.ignored.append(choice)
        else:
            found.setdefault(choice.table, []).append(choice)

    for table, choices in found.items():
        if len(choices) > 1:
            names = " et ".join(f"« {c.path.name} » (par {recognised_by(c.how)})" for c in choices)
            raise ExportFolderError(
                f"Le dossier d'export « {folder} » contient plusieurs fichiers pour la table « {table} » : {names}. "
                "Gardez-en un seul (déplacez les autres hors du dossier), ou dites lequel lire dans le fichier de "
                f"configuration : [fichiers] puis « \"{choices[1].path.name}\" = \"{IGNORE}\" »."
            )
    for table in REQUIRED_TABLES:
        if table not in found and table in near:  # its reading says which column is missing, and the alias to add
            path = near[table]
            found[table] = [TableFile(table, path, BY_HEADERS)]
            result.ignored = [item for item in result.ignored if item.name != path.name]
        if table not in found:
            raise ExportFolderError(_no_table_file(folder, table, result.ignored))
    result.tables = {table: found[table][0] for table in TABLES if table in found}
    return result


def _is_file_like(path: Path) -> bool:
    """A file, or an entry named like a table's file that cannot be one (a folder « Ressources.csv », a broken link)."""
    if path.is_file():
        return True
    named = table_of(path.name) is not None and path.suffix.casefold() in EXTENSIONS
    return path.is_symlink() or (named and path.is_dir())


def _unusable(path: Path, files: Mapping[str, str] | None) -> IgnoredFile | None:
    """Why an entry named like a table's file cannot be read (said in the verdict and by verifier), or None."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        why = "son nom n'est pas en UTF-8 (fichier venu d'un partage en Latin-1 ?) : renommez-le"
        return IgnoredFile(readable_name(path.name), why)
    if forced_table(path.name, files) == IGNORE:
        return None
    if path.is_symlink() and not path.exists():
        why = "c'est un lien vers un fichier introuvable (partage réseau non monté, fichier déplacé ?)"
    elif path.is_dir():
        why = "c'est un dossier, pas un fichier"
    elif not os.access(path, os.R_OK):
        why = "il ne peut pas être lu : l'audit n'a pas le droit de le lire"
    else:
        return None
    return IgnoredFile(path.name, why)


def unusable_file_of(table: str, ignored: list[dict[str, str]]) -> dict[str, str] | None:
    """The ignored entry named after ``table`` (a format not read, a folder, a broken link), if any."""
    return next((item for item in ignored if table_of(str(item["fichier"]).rsplit("/", 1)[-1]) == table), None)


def _choose(
    path: Path, aliases: Aliases | None, files: Mapping[str, str] | None, near: dict[str, Path]
) -> TableFile | IgnoredFile:
    """The table of one file, or why it is ignored."""
    suffix = path.suffix.casefold()
    forced = forced_table(path.name, files)
    if forced == IGNORE:
        return IgnoredFile(path.name, "écarté par la section [fichiers] de la configuration")
    if forced is not None:
        return TableFile(forced, path, BY_CONFIG)
    if path.name.startswith((".", "~$")):
        return IgnoredFile(path.name, "fichier caché ou temporaire (un tableur l'a ouvert)")
    named = table_of(path.name)
    if suffix not in EXTENSIONS:
        what = f"un fichier {suffix}" if suffix else "un fichier sans extension"
        hint = f" ; pour la table « {named} », enregistrez-le en .csv, .xlsx, .xls ou .ods" if named else ""
        return IgnoredFile(path.name, f"{what} n'est pas lu (formats lus : .csv, .txt, .xlsx, .xls, .ods){hint}")
    if named is not None:
        return TableFile(named, path, BY_NAME)
    fits = _fits(path, suffix, aliases)
    candidates = [fit for fit in fits if fit.recognisable]
    if candidates:
        best = candidates[0]
        rivals = [fit.table for fit in candidates[1:] if fit.fields == best.fields and fit.table != best.table]
        if not rivals:
            return TableFile(best.table, path, BY_HEADERS)
        tables = " ou ".join(f"« {t} »" for t in [best.table, *rivals])
        return IgnoredFile(
            path.name,
            f"ses en-têtes conviennent aussi bien à la table {tables} : dites laquelle dans la section [fichiers] "
            "de la configuration",
        )
    partial = next((fit for fit in fits if fit.missing and fit.fields >= MIN_RECOGNISED), None)
    if partial is not None:
        near.setdefault(partial.table, path)
        missing = ", ".join(f"« {TABLES[partial.table].fields[name].header} »" for name in partial.missing)
        return IgnoredFile(
            path.name,
            f"ses en-têtes ressemblent à la table « {partial.table} » ({partial.fields} colonnes reconnues), mais il "
            f"lui manque la colonne obligatoire {missing} : si elle a un autre nom dans ce fichier, ajoutez-le dans "
            f"la section [alias.{partial.table}] de la configuration (imilo-audit verifier propose les lignes)",
            _alias_lines(partial, aliases),
        )
    seen = next((fit for fit in fits if fit.holds_required), None)
    if seen is not None:
        return IgnoredFile(
            path.name,
            f"seules {seen.fields} de ses {seen.headers} colonnes sont celles de la table « {seen.table} » : "
            "ce n'est pas une table de l'export (sinon, indiquez-la dans la section [fichiers] de la configuration)",
        )
    return IgnoredFile(path.name, "aucune de ses 30 premières lignes ne porte les en-têtes d'une table de l'export")


def _alias_lines(fit: Fit, aliases: Aliases | None) -> str:
    """The [alias.<table>] lines naming, for each missing required field, the closest header of the file."""
    schema = TABLES[fit.table]
    extra = (aliases or {}).get(fit.table)
    index = header_index(schema, extra)
    unused = [cell for cell in fit.cells if header_key(cell) not in index]
    lines = []
    for name in fit.missing:
        closest = closest_header([schema.fields[name].header, *names_tried(schema, name, extra)], unused)
        lines.append(alias_block(fit.table, name, closest or "nom de la colonne dans votre export"))
    return "".join(lines)


def _fits(path: Path, suffix: str, aliases: Aliases | None) -> list[Fit]:
    if suffix in TEXT_SUFFIXES:
        try:
            return recognise(text_start(path), aliases)
        except OSError:
            return []
    return [fit for _sheet, fit in workbook_fits(path, aliases)]


def _no_table_file(folder: Path, table: str, ignored: list[IgnoredFile]) -> str:
    message = (
        f"Le dossier d'export « {folder} » ne contient pas de fichier « {table} » : ni un fichier dont le nom "
        f"commence par « {table} » (au format .csv, .txt, .xlsx, .xls ou .ods), ni un fichier dont les en-têtes "
        f"sont ceux de la table « {table} »."
    )
    if ignored:
        listed = " ; ".join(f"« {item.name} » : {item.why}" for item in ignored[:8])
        message += f" Fichiers ignorés : {listed}."
    return message
