"""All themes' results -> findings.csv, summary.json, index.html and counsellor workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from .audit import ThemeResult, catalogue, export_summary
from .config import AuditConfig
from .exports import Export
from .findings import COLUMNS, empty_findings
from .followup import FOLLOW_COLUMNS, counts_by_rule, earlier_audits, follow_up
from .layout import earlier_audit_folders
from .progress import measured, report
from .sharing import shareable
from .themes import THEMES


def all_findings(results: list[ThemeResult]) -> pd.DataFrame:
    frames = [r.findings for r in results if len(r.findings)]
    return pd.concat(frames, ignore_index=True) if frames else empty_findings()


def build_summary(
    results: list[ThemeResult], export: Export, config: AuditConfig, date_reference: dt.date
) -> dict[str, Any]:
    """summary.json: outputs.md's keys, plus themes, parameters and structure for the report."""
    structure = ""
    if "structure" in export.tables["jeunes"].data.columns:
        names = export.tables["jeunes"].data["structure"].dropna().unique()
        structure = ", ".join(sorted(str(n) for n in names))
    themes = [{"theme": r.theme, "titre": r.titre, "statut": r.statut, "raison": r.raison} for r in results]
    return {
        "date_reference": date_reference.isoformat(),
        "genere_le": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "structure": structure,
        "exports": export_summary(export),
        "tables_absentes": list(export.tables_absentes),
        "themes": themes,
        "regles": [rule for r in results for rule in r.regles],
        "regles_desactivees": [d for r in results for d in r.regles_desactivees],
        "parametres": asdict(config.thresholds),
        "parametres_modifies": config.thresholds.changed(),
    }


def write_findings_csv(findings: pd.DataFrame, path: Path) -> None:
    """findings.csv (or corriges.csv) per outputs.md: UTF-8 with BOM, ``;``, ``"`` quoting, one header.

    The follow-up columns come after ``message`` when the findings carry them.
    """
    columns = COLUMNS + [c for c in FOLLOW_COLUMNS if c in findings.columns]
    findings.reindex(columns=columns, fill_value="").to_csv(
        path, sep=";", index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
    )


def add_follow_up(summary: dict[str, Any], findings: pd.DataFrame, fixed: pd.DataFrame) -> None:
    """Each rule of summary.json gets its ``nouveaux``, ``persistants`` and ``corriges`` counts."""
    counts = counts_by_rule(findings, fixed)
    for rule in summary["regles"]:
        mine = counts.get(rule["rule_id"], {})
        rule.update({key: mine.get(key, 0) for key in ("nouveaux", "persistants", "corriges")})


def load_history(audits_dir: str | Path | None, date_reference: dt.date) -> list[dict[str, Any]]:
    """summary.json of the months before this one found in the audits folder, oldest first."""
    history = []
    for folder in earlier_audit_folders(audits_dir, date_reference.isoformat()[:7]):
        path = folder / "summary.json"
        if not path.is_file():
            continue
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if summary.get("date_reference", "") < date_reference.isoformat()[:7]:
            history.append(summary)
    return history


def write_outputs(
    run_dir: str | Path,
    results: list[ThemeResult],
    export: Export,
    config: AuditConfig,
    date_reference: dt.date,
    audits_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Write every shared output of the run folder; return the summary."""
    from .report import write_counsellor_workbooks, write_index

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    with measured("rapport"):
        report("avance", "synthese", "Synthèse : findings.csv, summary.json et rapport index.html")
        month = date_reference.strftime("%Y-%m")
        findings, fixed = follow_up(all_findings(results), month, earlier_audits(audits_dir, month))
        summary = build_summary(results, export, config, date_reference)
        add_follow_up(summary, findings, fixed)
        write_findings_csv(findings, run_dir / "findings.csv")
        write_findings_csv(fixed, run_dir / "corriges.csv")
        (run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        pages = [
            {"theme": t.id, "titre": t.titre, "fichier": t.notebook.replace(".ipynb", ".html")}
            for t in THEMES.values()
            if any(r.theme == t.id and r.statut == "audite" for r in results)
        ]
        rules = catalogue()
        history = load_history(audits_dir, date_reference)
        write_index(run_dir / "index.html", summary, shareable(findings), rules, history, pages)
    with measured("classeurs"):
        write_counsellor_workbooks(run_dir / "par_conseiller", findings, rules, _workbooks_done)
    return summary


def _workbooks_done(done: int, total: int) -> None:
    if done == total or done % max(1, total // 40) == 0:  # about forty steps of the bar
        report("avance", "synthese", "Synthèse : classeurs par conseiller", done=done, total=total)
