"""The folders a person gives on the command line, checked with a French message (no heavy imports)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import ConfigError, ExportFolderError, os_error_fr


def check_export_folder(folder: str | Path) -> None:
    """Raise ExportFolderError, in French, when ``folder`` is missing, unreadable or is a file."""
    folder = Path(folder)
    try:
        exists, is_dir = folder.exists(), folder.is_dir()
    except OSError as exc:
        raise ExportFolderError(f"Le dossier d'export « {folder} » ne peut pas être lu : {os_error_fr(exc)}") from None
    if not exists:
        raise ExportFolderError(
            f"Le dossier d'export « {folder} » n'existe pas. Vérifiez le chemin : c'est le dossier qui contient les "
            "fichiers exportés d'i-milo."
        )
    if not is_dir:
        raise ExportFolderError(
            f"« {folder} » n'est pas un dossier, c'est un fichier : donnez le dossier qui contient l'export "
            f"(« {folder.parent} » ?), pas un de ses fichiers."
        )


def check_audits_dir(out: Path) -> None:
    """A French message when the audits folder (--out) cannot hold an audit: a file, under a file, read-only."""
    existing = next((p for p in (out, *out.parents) if p.exists() or p.is_symlink()), None)
    if existing is not None and not existing.is_dir():
        if existing == out:
            raise ConfigError(
                f"« {out} » (--out) est un fichier, pas un dossier : donnez à --out le dossier où ranger les audits "
                "(il est créé s'il n'existe pas)."
            )
        raise ConfigError(
            f"Le dossier des audits « {out} » (--out) ne peut pas être créé : « {existing} » est un fichier, pas un "
            "dossier. Choisissez un autre chemin pour --out."
        )
    where = existing if existing is not None else Path.cwd()
    try:
        handle, probe = tempfile.mkstemp(prefix=".imilo-audit-essai-", dir=where)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(
            f"Le dossier des audits « {out} » (--out) n'est pas accessible en écriture"
            f"{'' if where == out else f' (dans « {where} »)'} : {os_error_fr(exc)} Choisissez un autre dossier "
            "pour --out, ou donnez-vous le droit d'y écrire."
        ) from None
