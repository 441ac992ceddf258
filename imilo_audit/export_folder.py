"""The one check of an export folder given by a person: present, readable, a folder (no heavy imports)."""

from __future__ import annotations

from pathlib import Path

from .errors import ExportFolderError, os_error_fr


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
