"""Notebooks run alone, as a quality officer runs them: default parameters, any working folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_theme_notebook_runs_alone_from_another_folder(tmp_path, monkeypatch):
    import papermill

    monkeypatch.chdir(tmp_path)  # like `papermill notebooks/30_origine.ipynb out.ipynb` from anywhere
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "30_origine.ipynb"), str(output), progress_bar=False)
    text = output.read_text(encoding="utf-8")
    assert "Audit «\u00a0Origine de la venue\u00a0»\u00a0: 7 anomalies" in text and "Traceback" not in text


def test_the_run_executes_one_notebook_per_theme():
    from imilo_audit.run.runner import theme_notebooks
    from imilo_audit.themes import THEMES

    assert theme_notebooks() == sorted(theme.notebook for theme in THEMES.values())
