"""Errors the audit raises: each carries its data and builds its French message from it.

``InputError`` and its subclasses mean "the input cannot be used" (exit code 2); any other
``AuditError`` is an internal failure (exit code 1). Only ``cli/`` turns them into exit codes.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Sequence

_OS_ERRORS_FR = {
    errno.EACCES: "accès refusé (droits insuffisants) : vérifiez les droits de lecture et d'écriture",
    errno.EPERM: "opération non permise (droits insuffisants)",
    errno.ENOENT: "introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.EEXIST: "il existe déjà",
    errno.ENAMETOOLONG: "le nom est trop long",
    errno.EIO: "erreur de lecture ou d'écriture du disque",
    errno.EBUSY: "il est utilisé par un autre programme",
    errno.ELOOP: "trop de liens symboliques",
}
if hasattr(errno, "EDQUOT"):
    _OS_ERRORS_FR[errno.EDQUOT] = "le quota de disque est dépassé"


def readable_name(name: str) -> str:
    """A file or folder name that is not UTF-8 (bytes kept as surrogates), shown with ``\\xNN`` escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def os_error_fr(exc: OSError) -> str:
    """The cause of a file-system error in French (the system's own text is English)."""
    known = _OS_ERRORS_FR.get(exc.errno or 0)
    if known:
        return known + "."
    return f"erreur du système n° {exc.errno}." if exc.errno else "erreur du système de fichiers."


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

    def __init__(
        self, path: str, field: str, header: str, aliases: Sequence[str], closest: str | None, table: str = ""
    ) -> None:
        self.path = path
        self.field = field
        self.header = header
        self.aliases = list(aliases)
        self.closest = closest
        self.table = table
        tried = ", ".join(f"« {a} »" for a in [header, *self.aliases])
        hint = f" L'en-tête le plus proche trouvé est « {closest} »." if closest else ""
        message = (
            f"Le fichier « {path} » n'a pas la colonne obligatoire « {header} » ({field}). "
            f"Noms essayés : {tried}.{hint} Renommez la colonne dans l'export, ou ajoutez son nom "
            f"comme alias de « {field} » dans le fichier de configuration (section [alias])"
        )
        if table:
            which = f"si c'est « {closest} », ajoutez" if closest else "ajoutez"
            message += f" : {which} ces lignes au fichier donné à --config, puis relancez.\n\n" + alias_block(
                table, field, closest or "nom de la colonne dans votre export"
            )
        else:
            message += "."
        super().__init__(message)

    def __reduce__(self):
        return (MissingColumnError, (self.path, self.field, self.header, self.aliases, self.closest, self.table))


def alias_block(table: str, field: str, *headers: str) -> str:
    """The lines of a configuration file that name ``headers`` as aliases of ``table.field``, ready to paste."""
    names = ", ".join(json.dumps(header, ensure_ascii=False) for header in headers)
    return f"[alias.{table}]\n{field} = [{names}]\n"


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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a run (``signal_number``): the command line exits with code 1."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


class AuditRunningError(InputError):
    """An audit of the same month is already running in the same audits folder (exit code 2)."""

    def __init__(
        self, lock_file: str, month: str, pid: int | None, host: str, since: str, command: str, other_host: bool = False
    ) -> None:
        self.lock_file = lock_file
        self.month = month
        self.pid = pid
        self.host = host
        self.since = since
        self.command = command
        self.other_host = other_host
        who = f"le processus {pid}" if pid else "un autre processus"
        where = f" sur la machine « {host} »" if host else ""
        when = f" depuis le {since}" if since else ""
        what = f" (commande : {command})" if command else ""
        hint = (
            f" Si ce processus n'existe plus, supprimez le fichier « {lock_file} » (il est ignoré 24 heures après "
            "son début)."
            if other_host
            else ""
        )
        super().__init__(
            f"Un audit du mois {month} est déjà en cours dans ce dossier des audits{when}, lancé par {who}{where}"
            f"{what}. Attendez qu'il se termine (ou arrêtez ce processus), puis relancez l'audit si besoin.{hint}"
        )

    def __reduce__(self):
        return (
            AuditRunningError,
            (self.lock_file, self.month, self.pid, self.host, self.since, self.command, self.other_host),
        )


class DiskFullError(AuditError):
    """The audits folder's disk filled up during the run (exit code 1): nothing staged is kept."""

    def __init__(self, audits_dir: str) -> None:
        self.audits_dir = audits_dir
        super().__init__(
            f"Le disque du dossier des audits « {audits_dir} » est plein : l'audit n'a pas pu être écrit. "
            "Libérez de la place (ou choisissez un autre dossier avec --out), puis relancez l'audit. "
            "L'audit précédent de ce mois n'a pas été modifié, et rien de cet essai n'a été gardé."
        )

    def __reduce__(self):
        return (DiskFullError, (self.audits_dir,))


class TooManyFilesError(AuditError):
    """The system refused to open one more file: the session's « ulimit -n » is too low (exit code 1)."""

    def __init__(self) -> None:
        super().__init__(
            "Le système a refusé d'ouvrir un fichier de plus : trop de fichiers ouverts à la fois (limite "
            "« ulimit -n » de la session trop basse). Relevez-la (par exemple « ulimit -n 4096 » avant la commande, "
            "ou LimitNOFILE=4096 dans le service planifié), puis relancez l'audit. L'audit précédent de ce mois "
            "n'a pas été modifié."
        )

    def __reduce__(self):
        return (TooManyFilesError, ())
