"""Where things are: the project's folders and the layout of a run folder (no heavy imports)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLE_DIR = ROOT / "data_samples"  # the generated sample: what a notebook opened alone audits
WORK = "_travail"  # inside a run folder: typed tables and per-theme results, removed at publication
