"""Saving a read export to a folder (Parquet per table, JSON metadata) and loading it back.

Notebooks run in separate kernels: the preparation notebook reads the export once and saves it;
the other kernel loads each table when a theme first needs it, with the same dtypes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ExportFolderError
from .model import Export, Table

METADATA = "export.json"
PROVENANCE = ("origine", "feuille", "ligne_entete", "lignes_avant", "lignes_pied")  # how each table was found
FORMAT_VERSION = 1


def save_export(export: Export, directory: str | Path) -> None:
    """Write ``export`` into ``directory`` (created if needed); never into the export folder itself."""
    directory = Path(directory)
    if directory.resolve() == Path(export.dossier).resolve():
        raise ExportFolderError(
            f"La lecture de l'export ne peut pas être enregistrée dans le dossier d'export lui-même "
            f"(« {directory} ») : choisissez un autre dossier."
        )
    directory.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name, table in export.tables.items():
        table.data.to_parquet(directory / f"{name}.parquet", index=False)
        table.brut.to_parquet(directory / f"{name}.brut.parquet", index=False)
        tables[name] = {
            "fichier": table.fichier,
            "lignes": table.lignes,
            "lignes_ignorees": table.lignes_ignorees,
            "colonnes_absentes": table.colonnes_absentes,
            "entetes": table.entetes,
            "colonnes_inconnues": table.colonnes_inconnues,
            **{key: getattr(table, key) for key in PROVENANCE},
        }
    metadata = {
        "format": FORMAT_VERSION,
        "dossier": export.dossier,
        "tables": tables,
        "tables_absentes": export.tables_absentes,
        "fichiers_ignores": export.fichiers_ignores,
    }
    (directory / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")


def load_export(directory: str | Path) -> Export:
    """The export saved by :func:`save_export` in ``directory``; each table is read on first use."""
    directory = Path(directory)
    try:
        metadata = json.loads((directory / METADATA).read_text(encoding="utf-8"))
        if metadata.get("format") != FORMAT_VERSION:
            raise ValueError(f"version {metadata.get('format')!r}")
        tables = _StoredTables(directory, metadata["tables"])
        ignored = list(metadata.get("fichiers_ignores", []))
        return Export(metadata["dossier"], tables, list(metadata["tables_absentes"]), ignored)  # type: ignore[arg-type]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _unusable(directory, exc) from None


def _unusable(directory: Path, exc: Exception) -> ExportFolderError:
    return ExportFolderError(
        f"Le dossier « {directory} » ne contient pas une lecture d'export enregistrée utilisable "
        f"({exc}). Relancez la lecture de l'export."
    )


class _StoredTables(Mapping[str, Table]):
    """The tables of a saved export, read from Parquet when first looked up, then kept."""

    def __init__(self, directory: Path, metadata: dict[str, dict[str, Any]]) -> None:
        self._directory = directory
        self._metadata = metadata
        self._loaded: dict[str, Table] = {}

    def __getitem__(self, name: str) -> Table:
        if name not in self._loaded:
            meta = self._metadata[name]
            try:
                self._loaded[name] = Table(
                    name=name,
                    fichier=meta["fichier"],
                    data=_load_frame(self._directory / f"{name}.parquet", meta["lignes"]),
                    brut=_load_frame(self._directory / f"{name}.brut.parquet", meta["lignes"]),
                    lignes_ignorees=meta["lignes_ignorees"],
                    colonnes_absentes=list(meta["colonnes_absentes"]),
                    entetes=dict(meta["entetes"]),
                    colonnes_inconnues=list(meta["colonnes_inconnues"]),
                    **{key: meta[key] for key in PROVENANCE if key in meta},
                )
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise _unusable(self._directory, exc) from None
        return self._loaded[name]

    def unload(self, name: str) -> None:
        """Forget a loaded table (it is read again from its Parquet file if asked for)."""
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._metadata)

    def __len__(self) -> int:
        return len(self._metadata)

    def __contains__(self, name: object) -> bool:
        return name in self._metadata


def _load_frame(path: Path, rows: int) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    if frame.shape[1] == 0:  # a frame without columns keeps no row count in Parquet
        return pd.DataFrame(index=pd.RangeIndex(rows))
    return frame.set_axis(pd.RangeIndex(len(frame)))
