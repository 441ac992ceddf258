"""One theme's audit (derive -> GX -> findings), and the gathering of all themes into the outputs.

Notebooks call these functions; they hold no logic of their own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..config import AuditConfig
from ..exports import TABLES, Export, load_export, read_exports
from ..exports.discovery import unusable_file_of
from ..folders import WORK
from ..progress import measured, report
from ..themes import THEMES, AuditContext, Theme
from .catalogue import suite_rules
from .findings import empty_findings, findings_of, rule_stats
from .scope import rule_scopes
from .validation import SuiteRun, load_suite, run_suite

if TYPE_CHECKING:
    pass


@dataclass
class ThemeResult:
    """A theme's findings and rule counts, or why it was skipped."""

    theme: str
    titre: str
    statut: str  # "audite" or "ignore"
    raison: str = ""
    findings: pd.DataFrame = field(default_factory=empty_findings)
    regles: list[dict[str, Any]] = field(default_factory=list)
    regles_desactivees: list[dict[str, str]] = field(default_factory=list)
    gx_results: dict[str, dict[str, Any]] = field(default_factory=dict)
    detail: pd.DataFrame | None = None  # the theme's derived table worth showing (notebook only)
    portee: pd.DataFrame | None = None  # which records each rule looked at (scope.rule_scopes), for the follow-up


_PREPARED: dict[str, tuple[int, Export]] = {}  # tables folder -> (export.json's mtime, export): one run's
_CONTEXTS: dict[tuple, AuditContext] = {}  # a kernel keeps what it has loaded for the run's next notebooks


def _saved(dossier_tables: str | Path) -> tuple[str, int]:
    """A saved export's folder and the time its metadata was written: a new reading changes it."""
    key = str(Path(dossier_tables).resolve())
    return key, Path(key, "export.json").stat().st_mtime_ns


def remember_export(export: Export, dossier_tables: str | Path) -> None:
    """Keep an export just saved in ``dossier_tables``: this kernel's next notebooks reuse it."""
    key, stamp = _saved(dossier_tables)
    _PREPARED.clear()
    _PREPARED[key] = (stamp, export)


def _prepared_export(dossier_tables: str | Path) -> Export:
    key, stamp = _saved(dossier_tables)
    known = _PREPARED.get(key)
    if known is None or known[0] != stamp:
        _PREPARED.clear()
        _CONTEXTS.clear()
        known = _PREPARED[key] = (stamp, load_export(key))
    return known[1]


# What the synthesis reads of the export besides each table's identifier: the youths' names (the
# counsellor's own workbook) and structure; the user accounts whole (the counsellors' directory).
SYNTHESIS_FIELDS = {"jeunes": ("prenom", "nom_usage", "nom_naissance", "structure")}
WHOLE_FOR_SYNTHESIS = ("utilisateurs",)


def keep_for_synthesis(export: Export) -> None:
    """Drop from a run's prepared export what the synthesis does not read, and forget it as this kernel's.

    The kernel that read the export runs the synthesis last: at a million youths the export is 3 GB
    of its memory, and the synthesis forks a writer beside it. Only the export this kernel read for
    the run (:func:`remember_export`) is slimmed, in place (the preparation notebook's variable is
    the same object); a later notebook of this kernel loads the saved tables again.
    """
    if not isinstance(export.tables, dict) or not any(known is export for _stamp, known in _PREPARED.values()):
        return
    for name, table in export.tables.items():
        if name in WHOLE_FOR_SYNTHESIS:
            continue
        schema = TABLES.get(name)
        keep = {schema.id_field} if schema is not None else set()
        keep.update(SYNTHESIS_FIELDS.get(name, ()))
        table.data = table.data[[column for column in table.data.columns if column in keep]]
        table.brut = table.brut.iloc[:, :0]
    _PREPARED.clear()
    _CONTEXTS.clear()


def open_context(
    dossier_export: str | Path | list[str],
    date_reference: str | dt.date,
    config: AuditConfig | None = None,
    dossier_tables: str | Path | None = None,
) -> AuditContext:
    """The audit context of a notebook: prepared tables if given, else the export read now.

    Prepared tables are loaded once per kernel, and the context built on them (with its périmètre
    actif and routing) is shared by the notebooks of a run that execute in the same kernel.
    """
    config = config or AuditConfig()
    if isinstance(date_reference, str):
        date_reference = dt.date.fromisoformat(date_reference)
    if not (dossier_tables and Path(dossier_tables, "export.json").exists()):
        export = read_exports(dossier_export, config.aliases, config.fichiers)
        return AuditContext(export, date_reference, config.thresholds)
    export = _prepared_export(dossier_tables)
    key = (id(export), date_reference, config.thresholds)
    if key not in _CONTEXTS:
        _CONTEXTS.clear()
        _CONTEXTS[key] = AuditContext(export, date_reference, config.thresholds)
    return _CONTEXTS[key]


def audit_theme(
    theme_id: str, ctx: AuditContext, cle_pseudonymisation: str = "", with_scopes: bool = True
) -> ThemeResult:
    """Derive the theme's columns, validate them with its GX suite, and turn failures into findings.

    With a pseudonymisation key (``--pseudonymise``), the findings and the detail frame are
    pseudonymised as soon as they are built (pseudonyms.py); the GX results never keep a value read
    (:func:`~.validation.validation_record`): nothing personal leaves.
    """
    theme = THEMES[theme_id]
    reason = missing_table(theme, ctx)
    if reason:
        disabled = [{"rule_id": meta["rule_id"], "raison": reason} for meta in suite_rules(load_suite(theme.id))]
        return ThemeResult(theme.id, theme.titre, "ignore", reason, regles_desactivees=disabled)
    stem = theme.notebook.removesuffix(".ipynb")
    report("avance", "themes", f"{stem} : dérivation", worker=theme.notebook)
    with measured("derivation"):
        frames = {name: frame.rename_axis("ligne") for name, frame in theme.derive(ctx).items()}
        ctx.forget_texts()  # memory: the next theme of this kernel reads other columns
    report("avance", "themes", f"{stem} : validation Great Expectations", worker=theme.notebook)
    with measured("validation"):
        run = run_suite(theme.id, frames, ctx, theme.parameters(ctx))
    with measured("anomalies"):
        findings = findings_of(theme.id, run, _flagged_rows(theme, ctx, run, frames))
        detail = frames.get(theme.detail) if theme.detail else None
        stats = rule_stats(run, findings, theme.id)
        off = {item["rule_id"] for item in run.disabled}
        scopes = rule_scopes([e for e in load_suite(theme.id)["expectations"] if e["meta"]["rule_id"] not in off],
                             frames) if with_scopes else None  # only a month with an earlier audit needs them
    if cle_pseudonymisation:  # the GX results carry no value read (validation_record): they stay as they are
        from ..people.pseudonyms import pseudonymise_scopes, pseudonymise_theme, users_of_export

        users = users_of_export(ctx.export)
        findings, detail = pseudonymise_theme(findings, detail, users, cle_pseudonymisation)
        scopes = pseudonymise_scopes(scopes, cle_pseudonymisation)
    return ThemeResult(theme.id, theme.titre, "audite", "", findings, stats, run.disabled, run.gx_results, detail,
                       scopes)


def missing_table(theme: Theme, ctx: AuditContext) -> str:
    """Why a theme cannot run: « table « … » absente de l'export » for its first missing table ("" if none),
    with the file named after it that could not be read, and why."""
    absent = [table for table in theme.tables if not ctx.has(table)]
    if not absent:
        return ""
    unusable = unusable_file_of(absent[0], ctx.export.fichiers_ignores)
    if unusable is not None:
        return f"table « {absent[0]} » non lue : le fichier « {unusable['fichier']} » est écarté, {unusable['raison']}"
    return f"table « {absent[0]} » absente de l'export"


def _flagged_rows(theme: Theme, ctx: AuditContext, run: SuiteRun, frames: dict[str, pd.DataFrame]):
    """The frames findings read: as derived, or only their flagged rows completed by the theme."""
    if theme.resolve is None:
        return frames
    flagged: dict[str, list] = {}
    for outcome in run.outcomes:
        flagged.setdefault(outcome.meta["cible"], []).extend(outcome.positions)
    return {
        target: theme.resolve(ctx, target, frames[target].loc[sorted(set(positions))])
        for target, positions in flagged.items()
    }


def save_theme_result(result: ThemeResult, run_dir: str | Path) -> None:
    """Write a theme's findings and counts into the run folder, and GX results into validations/."""
    run_dir = Path(run_dir)
    work = run_dir / WORK / "themes"
    work.mkdir(parents=True, exist_ok=True)
    result.findings.to_parquet(work / f"{result.theme}.parquet", index=False)
    if result.portee is not None:
        result.portee.to_parquet(work / f"{result.theme}.portee.parquet", index=False)
    state = {k: getattr(result, k) for k in ("theme", "titre", "statut", "raison", "regles", "regles_desactivees")}
    (work / f"{result.theme}.json").write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    validations = run_dir / "validations"
    validations.mkdir(exist_ok=True)
    for name, gx_result in result.gx_results.items():
        (validations / f"{name}.json").write_text(
            json.dumps(gx_result, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )


def load_theme_results(run_dir: str | Path) -> list[ThemeResult]:
    """The theme results saved in a run folder, in report order."""
    work = Path(run_dir) / WORK / "themes"
    results = []
    for theme_id in THEMES:
        path = work / f"{theme_id}.json"
        if path.exists():
            state = json.loads(path.read_text(encoding="utf-8"))
            findings = pd.read_parquet(work / f"{theme_id}.parquet").astype("string").fillna("")
            scopes = work / f"{theme_id}.portee.parquet"
            portee = pd.read_parquet(scopes) if scopes.exists() else None
            results.append(ThemeResult(findings=findings, portee=portee, **state))
    return results


def audit_all(ctx: AuditContext, cle_pseudonymisation: str = "") -> list[ThemeResult]:
    """Every theme in-process (used when the synthesis notebook runs alone)."""
    return [audit_theme(theme_id, ctx, cle_pseudonymisation) for theme_id in THEMES]


def export_summary(export: Export) -> dict[str, Any]:
    """summary.json's ``exports`` entry: each table's file, its rows, and how it was read (the mapping).

    Lines above the header are counted, never copied: a filter line may name a person.
    """
    return {
        name: {
            "fichier": table.fichier,
            "lignes": table.lignes,
            "lignes_ignorees": table.lignes_ignorees,
            "reconnu_par": table.origine,
            "feuille": table.feuille,
            "ligne_entete": table.ligne_entete,
            "lignes_avant": len(table.lignes_avant),
            "lignes_pied": table.lignes_pied,
            "colonnes": dict(table.entetes),
            "colonnes_non_utilisees": list(table.colonnes_inconnues),
        }
        for name, table in export.tables.items()
    }


def ignored_files_summary(export: Export) -> list[dict[str, str]]:
    """summary.json's ``fichiers_ignores``: the files of the export folder that are no table, and why."""
    return [{"fichier": item["fichier"], "raison": item["raison"]} for item in export.fichiers_ignores]
