"""The calls notebooks make: one per notebook, so that notebooks hold no logic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from .config import AuditConfig, previous_month_end, reference_date
from .exports import Export, read_exports, save_export
from .exports.discovery import recognised_by
from .folders import SAMPLE_DIR, earlier_audit_folders
from .progress import measured
from .report.theme_page import ThemePage
from .rules.audit import (
    ThemeResult,
    audit_all,
    audit_theme,
    keep_for_synthesis,
    load_theme_results,
    open_context,
    remember_export,
    save_theme_result,
)
from .rules.catalogue import catalogue
from .rules.validation import warm_up


def _config(
    seuils: dict | None, alias: dict | None, pseudonymisation: str = "", fichiers: dict | None = None
) -> AuditConfig:
    return AuditConfig.from_parameters(seuils or {}, alias or {}, pseudonymisation, fichiers or {})


def prepare(
    dossier_export: str | list[str], dossier_tables: str = "", alias: dict | None = None, fichiers: dict | None = None
) -> Export:
    """Read the export once (several folders: one export, see read_exports); store the typed tables if asked.

    An empty ``dossier_export`` is the project's sample (``data_samples/``), whatever the working
    directory: a notebook opened alone runs on it.
    """
    with measured("lecture"):
        config = _config(None, alias, fichiers=fichiers)
        export = read_exports(dossier_export or SAMPLE_DIR, config.aliases, config.fichiers)
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
            "Fichier": table.fichier + (f" (feuille « {table.feuille} »)" if table.feuille else ""),
            "Reconnu par": recognised_by(table.origine),
            "Ligne d'en-tête": table.ligne_entete,
            "Lignes": table.lignes,
            "Lignes ignorées": table.lignes_ignorees,
            "Colonnes absentes": ", ".join(table.colonnes_absentes) or "—",
        }
        for name, table in export.tables.items()
    ]
    rows += [{"Table": name, "Fichier": "absent : audit correspondant ignoré"} for name in export.tables_absentes]
    for item in export.fichiers_ignores:
        rows.append({"Table": "—", "Fichier": f"{item['fichier']} : ignoré ({item['raison']})"})
    return pd.DataFrame(rows).set_index("Table").fillna("")


def reference_day(date_reference: str | dt.date) -> dt.date:
    """A notebook's ``date_reference``: the given day (AAAA-MM-JJ), or, left empty, the last day of last month.

    An audit run now looks at last month, as ``imilo-audit mensuel`` does; the notebook's first
    output says which day it audited.
    """
    if isinstance(date_reference, dt.date):
        return date_reference
    return reference_date(date_reference=date_reference) if date_reference.strip() else previous_month_end()


def run_theme(
    theme: str,
    dossier_export: str,
    date_reference: str,
    dossier_tables: str = "",
    dossier_sortie: str = "",
    seuils: dict | None = None,
    alias: dict | None = None,
    pseudonymisation: str = "",
    fichiers: dict | None = None,
    dossier_audits: str = "",
) -> ThemePage:
    """Audit one theme; save its results in the run folder when one is given; the page the notebook shows.

    ``pseudonymisation``: the configuration file holding the key of a pseudonymised audit (empty: none).
    ``dossier_audits``: the audits folder; with an earlier month in it, each rule's scope is kept for the
    follow-up (what tells a fix from a record that left the rule's scope).
    """
    with measured("demarrage"):  # a kernel's first theme imports Great Expectations: not a rule's cost
        warm_up()
    config = _config(seuils, alias, pseudonymisation, fichiers)
    reference = reference_day(date_reference)
    ctx = open_context(dossier_export or SAMPLE_DIR, reference, config, dossier_tables or None)
    followed = bool(earlier_audit_folders(dossier_audits or None, reference.strftime("%Y-%m")))
    result = audit_theme(theme, ctx, config.cle_pseudonymisation if config.pseudonymise else "",
                         with_scopes=followed)
    if dossier_sortie:
        save_theme_result(result, dossier_sortie)
    _unload_own_tables(ctx, theme)
    _release_memory()
    return ThemePage(result, ctx)  # the page groups counsellors with the audit's user accounts


# Tables that only one theme reads (besides « donnees », which runs where the whole export was read):
# a kernel that loaded them for that theme drops them afterwards. Memory is the sum over kernels.
OWN_TABLES = {"dispositifs": ("dispositifs", "evenements")}


def _unload_own_tables(ctx, theme: str) -> None:
    ctx.forget_texts()
    unload = getattr(ctx.export.tables, "unload", None)  # only tables loaded on demand can be dropped
    if unload is not None:
        for table in OWN_TABLES.get(theme, ()):
            unload(table)


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
    pseudonymisation: str = "",
    fichiers: dict | None = None,
) -> tuple[dict[str, Any], list[ThemeResult]]:
    """Gather the themes (saved by their notebooks, or computed now) and write the outputs."""
    from .report.synthesis import build_summary, write_outputs

    config = _config(seuils, alias, pseudonymisation, fichiers)
    reference = reference_day(date_reference)
    ctx = open_context(dossier_export or SAMPLE_DIR, reference, config, dossier_tables or None)
    results = load_theme_results(dossier_sortie) if dossier_sortie else []
    if not results:
        results = audit_all(ctx, config.cle_pseudonymisation if config.pseudonymise else "")
    elif dossier_tables:  # a run: the themes are done, their tables are no longer needed in this kernel
        keep_for_synthesis(ctx.export)
        _release_memory()
    if dossier_sortie:
        summary = write_outputs(Path(dossier_sortie), results, ctx.export, config, reference, dossier_audits or None)
    else:
        summary = build_summary(results, ctx.export, config, reference)
    return summary, results


class Entete:
    """A notebook's first sentence, which also tells its HTML page's header what to show.

    The page is rendered in another process from the executed notebook: the output's metadata
    (``PAGE_METADATA``) carries the title, the structure and the date de référence.
    """

    def __init__(self, texte: str, page: dict[str, str]) -> None:
        self.texte = texte
        self.page = page

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict[str, str], dict[str, Any]]:
        from .report.formatting import PAGE_METADATA

        # the Markdown keeps French no-break spaces for the page; the plain text, for consoles and
        # text searches, has ordinary ones
        plain = self.texte.replace("\u00a0", " ").replace("\u202f", " ")
        return {"text/markdown": self.texte, "text/plain": plain}, {PAGE_METADATA: self.page}

    def __repr__(self) -> str:
        return self.texte


def _page(titre: str, export: Export, date_reference: str | dt.date) -> dict[str, str]:
    return {"titre": titre, "structure": export.structure, "date_reference": str(date_reference)}


def entete(resultat: ThemePage) -> Entete:
    """The theme's sentence of result, with its page's header (theme, structure, date de référence)."""
    from .french.formatting import fr_quote

    ctx, titre = resultat.contexte, f"Audit {fr_quote(resultat.titre)}"
    page = _page(titre, ctx.export, ctx.date_reference.isoformat()) if ctx is not None else {"titre": titre}
    return Entete(resultat.phrase(ctx.date_reference if ctx is not None else None), page)


def entete_preparation(export: Export, date_reference: str) -> Entete:
    """What the export holds, in one sentence, with the preparation page's header."""
    from .french.formatting import NBSP, fr_counted

    youths = export.tables["jeunes"].lignes if "jeunes" in export.tables else 0
    texte = (
        f"Export lu{NBSP}: {fr_counted(len(export.tables), 'table', 'tables')} "
        f"({fr_counted(youths, 'ligne', 'lignes')} dans la table jeunes)."
    )
    return Entete(texte, _page(f"Préparation{NBSP}: lecture de l'export", export, reference_day(date_reference)))


def entete_synthese(synthese: dict[str, Any], resultats: list[ThemeResult]) -> Entete:
    """Each theme's sentence of result, with the synthesis page's header."""
    page = {
        "titre": "Synthèse de l'audit",
        "structure": str(synthese.get("structure") or ""),
        "date_reference": str(synthese.get("date_reference") or ""),
    }
    return Entete("\n\n".join(ThemePage(r).phrase() for r in resultats), page)


TOP_COUNSELLORS = 10


def graphique(resultat: ThemePage):
    """The theme's chart: findings per rule beside its counsellors, named and counted as in the tables."""
    from .people.counsellors import ACCOUNTS_LABEL
    from .report.bars import Panels, counsellor_bars, rule_bars
    from .report.stats import prepare_findings

    names = resultat.noms_conseillers()
    findings = resultat.findings.assign(conseiller=names.where(names != ACCOUNTS_LABEL, ""))  # not a counsellor
    findings = prepare_findings(findings, catalogue())
    return Panels([
        rule_bars(findings, catalogue(), resultat.theme),
        counsellor_bars(findings, resultat.theme, TOP_COUNSELLORS,
                        f"Conseillers les plus concernés ({TOP_COUNSELLORS} premiers)"),
    ])


def tableau(frame: pd.DataFrame):
    """A table as the theme pages show it (French numbers, whole texts, one header row)."""
    from .report.tables import french_table

    return french_table(frame)


def themes_overview(summary: dict[str, Any]) -> pd.DataFrame:
    """One line per theme: audited or skipped, records checked, findings by severity."""
    from .report.formatting import severity_count

    rows = []
    for theme in summary["themes"]:
        rules = [r for r in summary["regles"] if r["theme"] == theme["theme"]]
        row = {"Thème": theme["titre"], "Statut": "audité" if theme["statut"] == "audite" else theme["raison"]}
        for severity in ("erreur", "alerte", "info"):
            row[severity.capitalize() + "s"] = sum(severity_count(r, severity) for r in rules)
        rows.append(row)
    return pd.DataFrame(rows).set_index("Thème")


def origine_parts_figure(resultat: ThemePage, seuils: dict | None = None):
    """ORI-01 chart: share of « Démarche personnelle » per group against the threshold."""
    from .report import shares_figure

    return shares_figure(_groups(resultat), _config(seuils, None).thresholds.seuil_demarche_personnelle)


def origine_parts_table(resultat: ThemePage, seuils: dict | None = None) -> pd.DataFrame:
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


def _groups(resultat: ThemePage) -> pd.DataFrame:
    if resultat.detail is None:
        return pd.DataFrame(columns=["groupe", "effectif", "part", "part_demarche_personnelle"])
    return resultat.detail
