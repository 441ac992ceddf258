"""The calls notebooks make: one per notebook, so that notebooks hold no logic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from .audit import (
    ThemeResult,
    audit_all,
    audit_theme,
    load_theme_results,
    open_context,
    remember_export,
    save_theme_result,
)
from .config import AuditConfig
from .exports import Export, read_export, save_export
from .layout import SAMPLE_DIR
from .progress import measured
from .validation import warm_up


def _config(seuils: dict | None, alias: dict | None) -> AuditConfig:
    return AuditConfig.from_parameters(seuils or {}, alias or {})


def prepare(dossier_export: str, dossier_tables: str = "", alias: dict | None = None) -> Export:
    """Read the export once; store the typed tables for the theme notebooks if asked.

    An empty ``dossier_export`` is the project's sample (``data_samples/``), whatever the working
    directory: a notebook opened alone runs on it.
    """
    with measured("lecture"):
        export = read_export(dossier_export or SAMPLE_DIR, _config(None, alias).aliases)
    if dossier_tables:
        with measured("lecture"):
            save_export(export, dossier_tables)
        remember_export(export, dossier_tables)
    _release_memory()
    return export


def export_overview(export: Export) -> pd.DataFrame:
    """Tables read, rows, ignored rows and absent columns, in French."""
    rows = [
        {
            "Table": name,
            "Fichier": table.fichier,
            "Lignes": table.lignes,
            "Lignes ignorées": table.lignes_ignorees,
            "Colonnes absentes": ", ".join(table.colonnes_absentes) or "—",
        }
        for name, table in export.tables.items()
    ]
    rows += [{"Table": name, "Fichier": "absent : audit correspondant ignoré"} for name in export.tables_absentes]
    return pd.DataFrame(rows).set_index("Table").fillna("")


def run_theme(
    theme: str,
    dossier_export: str,
    date_reference: str,
    dossier_tables: str = "",
    dossier_sortie: str = "",
    seuils: dict | None = None,
    alias: dict | None = None,
) -> ThemeResult:
    """Audit one theme; save its results in the run folder when one is given."""
    with measured("demarrage"):  # a kernel's first theme imports Great Expectations: not a rule's cost
        warm_up()
    ctx = open_context(dossier_export or SAMPLE_DIR, date_reference, _config(seuils, alias), dossier_tables or None)
    result = audit_theme(theme, ctx)
    if dossier_sortie:
        save_theme_result(result, dossier_sortie)
    _release_memory()
    return result


def _release_memory() -> None:
    """Give back what a step freed: a kernel runs several notebooks, and the run's memory is the sum."""
    import gc

    import pyarrow

    gc.collect()
    pyarrow.default_memory_pool().release_unused()


def synthesize(
    dossier_export: str,
    date_reference: str,
    dossier_tables: str = "",
    dossier_sortie: str = "",
    dossier_audits: str = "",
    seuils: dict | None = None,
    alias: dict | None = None,
) -> tuple[dict[str, Any], list[ThemeResult]]:
    """Gather the themes (saved by their notebooks, or computed now) and write the outputs."""
    from .synthesis import build_summary, write_outputs

    config = _config(seuils, alias)
    ctx = open_context(dossier_export or SAMPLE_DIR, date_reference, config, dossier_tables or None)
    results = load_theme_results(dossier_sortie) if dossier_sortie else []
    if not results:
        results = audit_all(ctx)
    reference = dt.date.fromisoformat(date_reference)
    if dossier_sortie:
        summary = write_outputs(Path(dossier_sortie), results, ctx.export, config, reference, dossier_audits or None)
    else:
        summary = build_summary(results, ctx.export, config, reference)
    return summary, results


def tableau(frame: pd.DataFrame):
    """A table as the theme pages show it (French numbers, whole texts, one header row)."""
    from .report.tables import french_table

    return french_table(frame)


def themes_overview(summary: dict[str, Any]) -> pd.DataFrame:
    """One line per theme: audited or skipped, records checked, findings by severity."""
    rows = []
    for theme in summary["themes"]:
        rules = [r for r in summary["regles"] if r["theme"] == theme["theme"]]
        row = {"Thème": theme["titre"], "Statut": "audité" if theme["statut"] == "audite" else theme["raison"]}
        for severity in ("erreur", "alerte", "info"):
            row[severity.capitalize() + "s"] = sum(r["anomalies"] for r in rules if r["gravite"] == severity)
        rows.append(row)
    return pd.DataFrame(rows).set_index("Thème")


def origine_parts_figure(resultat: ThemeResult, seuils: dict | None = None):
    """ORI-01 chart: share of « Démarche personnelle » per group against the threshold."""
    from .report import shares_figure

    return shares_figure(_groups(resultat), _config(seuils, None).thresholds.seuil_demarche_personnelle)


def origine_parts_table(resultat: ThemeResult, seuils: dict | None = None) -> pd.DataFrame:
    """ORI-01 table: every group judged, its nouveaux inscrits, its share, and whether it is over."""
    groups = _groups(resultat)
    threshold = _config(seuils, None).thresholds.seuil_demarche_personnelle
    table = pd.DataFrame(
        {
            "Groupe": groups["groupe"],
            "Nouveaux inscrits": groups["effectif"],
            "Part « Démarche personnelle »": groups["part"],
            "Au-delà du seuil": (groups["part_demarche_personnelle"] > threshold).map({True: "oui", False: ""}),
        }
    )
    return table.set_index("Groupe")


def _groups(resultat: ThemeResult) -> pd.DataFrame:
    if resultat.detail is None:
        return pd.DataFrame(columns=["groupe", "effectif", "part", "part_demarche_personnelle"])
    return resultat.detail
