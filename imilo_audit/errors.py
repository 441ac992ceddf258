"""Errors the audit raises: each carries its data and builds its French message from it.

``InputError`` and its subclasses mean "the input cannot be used" (exit code 2); any other
``AuditError`` is an internal failure (exit code 1). Only ``cli.py`` turns them into exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence


class AuditError(Exception):
    """Base of every error of imilo-audit."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self):  # errors cross process boundaries (papermill kernels)
        return (AuditError, (self.message,))

    def __str__(self) -> str:
        return self.message


class InputError(AuditError):
    """Unusable input: the message names the file and says what to do (exit code 2)."""

    def __reduce__(self):
        return (InputError, (self.message,))


class ExportFolderError(InputError):
    """The export folder is missing, empty of the required table, or ambiguous."""

    def __reduce__(self):
        return (ExportFolderError, (self.message,))


class UnreadableFileError(InputError):
    """A file cannot be read (empty, corrupt, undecodable)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Le fichier « {path} » ne peut pas être lu : {reason}")

    def __reduce__(self):
        return (UnreadableFileError, (self.path, self.reason))


class MissingColumnError(InputError):
    """A required column is absent from a table's file."""

    def __init__(self, path: str, field: str, header: str, aliases: Sequence[str], closest: str | None) -> None:
        self.path = path
        self.field = field
        self.header = header
        self.aliases = list(aliases)
        self.closest = closest
        tried = ", ".join(f"« {a} »" for a in [header, *self.aliases])
        hint = f" L'en-tête le plus proche trouvé est « {closest} »." if closest else ""
        super().__init__(
            f"Le fichier « {path} » n'a pas la colonne obligatoire « {header} » ({field}). "
            f"Noms essayés : {tried}.{hint} Renommez la colonne dans l'export, ou ajoutez son nom "
            f"comme alias de « {field} » dans le fichier de configuration (section [alias])."
        )

    def __reduce__(self):
        return (MissingColumnError, (self.path, self.field, self.header, self.aliases, self.closest))


class DuplicateColumnError(InputError):
    """Two columns of one file map to the same field."""

    def __init__(self, path: str, field: str, headers: Sequence[str]) -> None:
        self.path = path
        self.field = field
        self.headers = list(headers)
        names = " et ".join(f"« {h} »" for h in self.headers)
        super().__init__(
            f"Le fichier « {path} » a deux colonnes pour le même champ « {field} » : {names}. "
            "Supprimez ou renommez l'une d'elles dans l'export."
        )

    def __reduce__(self):
        return (DuplicateColumnError, (self.path, self.field, self.headers))


class ConfigError(InputError):
    """The configuration file or a command-line option is invalid."""

    def __reduce__(self):
        return (ConfigError, (self.message,))


class SuiteError(AuditError):
    """An expectation suite of expectations/ is broken (internal failure, exit code 1)."""

    def __reduce__(self):
        return (SuiteError, (self.message,))
