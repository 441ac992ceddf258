"""Notebooks run alone, as a quality officer runs them: default parameters, any working folder."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_theme_notebook_runs_alone_from_another_folder_at_the_end_of_last_month(tmp_path):
    """`papermill notebooks/30_origine.ipynb out.ipynb` from anywhere: the sample, audited at the last day
    of last month, said in the first output, and nothing in English from the kernel on the terminal."""
    output = tmp_path / "out.ipynb"
    notebook_path = ROOT / "notebooks" / "30_origine.ipynb"
    done = subprocess.run([sys.executable, "-m", "papermill", "--no-progress-bar", str(notebook_path), str(output)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    notebook = json.loads(output.read_text(encoding="utf-8"))
    first = next(cell["outputs"][0] for cell in notebook["cells"] if cell["cell_type"] == "code" and cell["outputs"])
    last_month_end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    sentence = "".join(first["data"]["text/markdown"])
    assert sentence.startswith(f"Audit «\u00a0Origine de la venue\u00a0» au {last_month_end:%d/%m/%Y}\u00a0:")
    assert "Traceback" not in output.read_text(encoding="utf-8")
    terminal = done.stdout + done.stderr
    for english in ("IPKernelApp", "WARNING", "ERROR", "KeyboardInterrupt", "without encryption"):
        assert english not in terminal


def test_the_run_executes_one_notebook_per_theme():
    from imilo_audit.run.runner import theme_notebooks
    from imilo_audit.themes import THEMES

    assert theme_notebooks() == sorted(theme.notebook for theme in THEMES.values())
