"""A monthly run: papermill executes the notebooks into a staging folder, published atomically.

00_preparation reads the export once (typed tables in Parquet), the theme notebooks run in
parallel on those tables, 99_synthese writes the shared outputs; each executed notebook is then
rendered to HTML in-process. Only a fully successful run replaces ``AUDITS_DIR/YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import errors
from .audit import WORK
from .config import AuditConfig
from .errors import AuditError, InputError
from .themes import THEMES

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
PREPARATION = "00_preparation.ipynb"
SYNTHESIS = "99_synthese.ipynb"

Progress = Callable[[str], None]


class NotebookFailure(AuditError):
    """A notebook failed for an internal reason; its executed copy is kept for diagnosis."""

    def __init__(self, notebook: str, kept_at: str, detail: str) -> None:
        self.notebook = notebook
        self.kept_at = kept_at
        self.detail = detail
        super().__init__(
            f"Le notebook « {notebook} » a échoué ({detail}). Le notebook exécuté est conservé pour "
            f"diagnostic : {kept_at}. L'audit précédent de ce mois n'a pas été modifié."
        )

    def __reduce__(self):
        return (NotebookFailure, (self.notebook, self.kept_at, self.detail))


@dataclass
class RunResult:
    folder: Path
    summary: dict[str, Any]
    seconds: float


def run_audit(
    export_dir: str | Path,
    audits_dir: str | Path,
    date_reference: dt.date,
    config: AuditConfig | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run every notebook on ``export_dir`` and publish ``audits_dir/YYYY-MM`` atomically."""
    started = time.monotonic()
    config = config or AuditConfig()
    say = progress or (lambda _message: None)
    export_dir = Path(export_dir).resolve()
    if not export_dir.is_dir():
        raise errors.ExportFolderError(f"Le dossier d'export « {export_dir} » n'existe pas.")
    audits_dir = Path(audits_dir).resolve()
    audits_dir.mkdir(parents=True, exist_ok=True)
    month = date_reference.strftime("%Y-%m")
    target, staging, failed = (audits_dir / month, audits_dir / f".{month}.en-cours", audits_dir / f".{month}.echec")
    for leftover in (staging, failed):
        shutil.rmtree(leftover, ignore_errors=True)
    (staging / "notebooks").mkdir(parents=True)
    parameters = {
        "dossier_export": str(export_dir),
        "date_reference": date_reference.isoformat(),
        "dossier_tables": str(staging / WORK / "tables"),
        "dossier_sortie": str(staging),
        "dossier_audits": str(audits_dir),
        **config.to_parameters(),
    }
    try:
        say(f"Préparation : lecture de l'export {export_dir.name} …")
        _execute(PREPARATION, staging, parameters, say)
        _report_rows(staging / WORK / "tables", say)
        themes = [t.notebook for t in THEMES.values()]
        say(f"Audits : {len(themes)} notebooks de thème ({_workers()} en parallèle) …")
        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            for future in [pool.submit(_execute, nb, staging, parameters, say) for nb in themes]:
                future.result()
        say("Synthèse : findings.csv, summary.json, rapport et classeurs …")
        _execute(SYNTHESIS, staging, parameters, say)
        say("Rendu HTML des notebooks …")
        _render_pages(staging, [PREPARATION, *themes, SYNTHESIS])
    except InputError:
        shutil.rmtree(staging, ignore_errors=True)  # nothing to diagnose: the message says it all
        raise
    except NotebookFailure as exc:
        staging.rename(failed)
        raise NotebookFailure(exc.notebook, str(failed / "notebooks" / exc.notebook), exc.detail) from None
    except BaseException:
        if staging.exists():
            staging.rename(failed)
        raise
    shutil.rmtree(staging / WORK, ignore_errors=True)  # typed copies of the export: personal data
    _publish(staging, target)
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    return RunResult(target, summary, time.monotonic() - started)


def _workers() -> int:
    return max(1, min(len(THEMES), os.cpu_count() or 1, 4))


def _execute(notebook: str, staging: Path, parameters: dict[str, Any], say: Progress) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = staging / "notebooks" / notebook
    started = time.monotonic()
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / notebook),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(NOTEBOOKS_DIR),
            progress_bar=False,
            log_output=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no kernel chatter on the terminal
        )
    except PapermillExecutionError as exc:
        input_error = _input_error_names()
        if exc.ename in input_error:
            raise InputError(exc.evalue) from None
        raise NotebookFailure(notebook, str(output), f"{exc.ename} : {exc.evalue}") from None
    say(f"  ✓ {notebook} ({time.monotonic() - started:.1f} s)")


def _report_rows(tables_dir: Path, say: Progress) -> None:
    """Rows read per table, from the metadata the preparation notebook stored."""
    from .report.formatting import fr_int

    metadata = json.loads((tables_dir / "export.json").read_text(encoding="utf-8"))
    for name, table in metadata["tables"].items():
        ignored = f", {table['lignes_ignorees']} ignorée(s)" if table["lignes_ignorees"] else ""
        say(f"    {name} : {fr_int(table['lignes'])} lignes{ignored} ({table['fichier']})")
    for name in metadata["tables_absentes"]:
        say(f"    {name} : absente de l'export")


def _input_error_names() -> set[str]:
    names, todo = set(), [InputError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _render_pages(staging: Path, notebooks: list[str]) -> None:
    from .report import notebook_to_html

    for notebook in notebooks:
        source = staging / "notebooks" / notebook
        notebook_to_html(source, staging / notebook.replace(".ipynb", ".html"))


def _publish(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` as a whole: two renames, the old folder removed last."""
    previous = target.with_name(f".{target.name}.ancien")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
