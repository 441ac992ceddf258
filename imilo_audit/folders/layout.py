"""Where things are: the project's folders and the layout of a run folder (no heavy imports)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLE_DIR = ROOT / "data_samples"  # the generated sample: what a notebook opened alone audits
WORK = "_travail"  # inside a run folder: typed tables and per-theme results, removed at publication
_MONTH_FOLDER = re.compile(r"^\d{4}-\d{2}$")


def earlier_audit_folders(audits_dir: str | Path | None, month: str) -> list[Path]:
    """The audits (``YYYY-MM`` folders) of the months before ``month`` in ``audits_dir``, oldest first."""
    if not audits_dir or not Path(audits_dir).is_dir():
        return []
    folders = (p for p in Path(audits_dir).iterdir() if p.is_dir() and _MONTH_FOLDER.match(p.name))
    return sorted(p for p in folders if p.name < month)
