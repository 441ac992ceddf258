"""One theme's audit (derive -> GX -> findings), and the gathering of all themes into the outputs.

Notebooks call these functions; they hold no logic of their own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .config import AuditConfig
from .exports import Export, load_export, read_exports
from .findings import empty_findings, findings_of, rule_stats
from .layout import WORK
from .progress import measured, report
from .themes import THEMES, AuditContext, Theme
from .validation import SuiteRun, load_suite, run_suite

if TYPE_CHECKING:
    from .counsellors import Directory


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
    contexte: AuditContext | None = None  # the audit it comes from, for the notebook's display (not saved)

    def phrase(self) -> str:
        """One French sentence of result, for the top of the theme's notebook."""
        from .report.formatting import NBSP, fr_counted, fr_quote

        theme = f"Audit {fr_quote(self.titre)}{NBSP}:"
        if self.statut != "audite":
            return f"Audit {fr_quote(self.titre)} non réalisé{NBSP}: {self.raison}."
        if not self.regles:
            return f"{theme} aucune règle n'a pu être vérifiée ({self.raison})."
        count = len(self.findings)
        if count == 0:
            return f"{theme} aucune anomalie, toutes les règles sont respectées."
        errors = int((self.findings["gravite"] == "erreur").sum())
        records = self.findings.loc[self.findings["id_enregistrement"] != "", ["table", "id_enregistrement"]]
        dossiers = len(records.drop_duplicates())
        return (
            f"{theme} {fr_counted(count, 'anomalie', 'anomalies')}, dont {fr_counted(errors, 'erreur', 'erreurs')}, "
            f"sur {fr_counted(dossiers, 'enregistrement', 'enregistrements')} à corriger."
        )

    def par_regle(self) -> pd.DataFrame:
        """Rules of the theme with their counts, French headers, rates as percentages."""
        from .report.formatting import fr_pct  # the report package is heavy: load it when shown

        frame = pd.DataFrame(self.regles, columns=["rule_id", "gravite", "titre", "controles", "anomalies", "taux"])
        frame["taux"] = frame["taux"].map(fr_pct)
        for column in ("controles", "anomalies"):
            frame[column] = pd.array(pd.to_numeric(frame[column]), dtype="Int64")
        frame.columns = ["Règle", "Gravité", "Titre", "Contrôlés", "Anomalies", "Taux"]
        return frame

    @cached_property
    def _directory(self) -> Directory:
        """The counsellors of the findings (with the ``utilisateurs`` table when the audit has it), built once."""
        from .counsellors import directory_of
        from .pseudonyms import users_of_export

        return directory_of(self.findings, None if self.contexte is None else users_of_export(self.contexte.export))

    def noms_conseillers(self, findings: pd.DataFrame | None = None) -> pd.Series:
        """Each finding's counsellor as the report names them: one identity whatever the spelling.

        Spellings are grouped with :class:`~imilo_audit.counsellors.Directory` (the ``utilisateurs``
        table when the audit has it), so the theme page counts like ``index.html``; no counsellor and
        the user accounts get one label each.
        """
        return self._directory.names(self.findings if findings is None else findings)

    def par_groupe(self, column: str) -> pd.DataFrame:
        """Findings per counsellor (``conseiller``) or site (``lieu``), by severity, most first.

        Counted by :func:`~imilo_audit.report.stats.breakdown`, as ``index.html`` counts them: group
        findings (ORI-01) included, a counsellor's spellings together.
        """
        from .counsellors import NOBODY_LABEL
        from .report.stats import breakdown, prepare_findings

        findings = prepare_findings(self.findings, [])
        if column == "conseiller":
            findings["conseiller_nom"] = self.noms_conseillers(findings)
            data = breakdown(findings, "conseiller_nom", max(len(findings), 1), empty_label=NOBODY_LABEL)
        else:
            data = breakdown(findings, column, max(len(findings), 1))
        label = "Conseiller" if column == "conseiller" else "Lieu"
        rows = [
            {label: row["nom"], "Erreurs": row["erreur"], "Alertes": row["alerte"], "Infos": row["info"],
             "Total": row["total"]}
            for row in data["rows"]
        ]
        empty = "Aucune anomalie."
        if column == "lieu" and data["vide"] and len(findings):  # the table would only say « (sans lieu) »
            rows, empty = [], "Aucune de ces anomalies n'est rattachée à un lieu."
        frame = pd.DataFrame(rows, columns=[label, "Erreurs", "Alertes", "Infos", "Total"])
        frame.attrs["vide"] = empty
        return frame

    def a_corriger(self, rows: int = 20) -> pd.DataFrame:
        """The first records to fix, in the report's order, as a shared page may show them.

        Each finding names its youth's dossier and its own record (« ligne 960 » for an ``L960``);
        no personal value (full list: findings.csv and the counsellors' workbooks).
        """
        from .counsellors import ACCOUNTS_LABEL
        from .report.stats import prepare_findings, sort_findings
        from .report.workbooks import field_label, value_label
        from .sharing import shareable  # the theme page travels: no personal value on it

        findings = shareable(prepare_findings(self.findings, []))
        first = sort_findings(findings, catalogue(), interleave=True).head(rows)
        shown = pd.DataFrame(
            {
                "Gravité": first["gravite"],
                "Règle": first["rule_id"],
                "Dossier": first["id_jeune"].where(first["id_jeune"] != "", "—"),
                "Enregistrement": [
                    _record_label(record, youth)
                    for record, youth in zip(first["id_enregistrement"], first["id_jeune"], strict=True)
                ],
                "Table": first["table"],
                "Conseiller": self.noms_conseillers(first),
                "Lieu": first["lieu"],
                "Champ": list(map(field_label, first["table"], first["champ"])),
                "Valeur": list(map(value_label, first["valeur"], first["id_enregistrement"])),
                "Message": first["message"],
            }
        )
        # Columns that would say the same on every row: one table, dossiers only, user accounts (no youth, no site).
        table = first["table"].iloc[0] if len(first) else ""
        same = {"Dossier": "—", "Enregistrement": "—", "Lieu": "", "Conseiller": ACCOUNTS_LABEL, "Table": table}
        useless = [name for name, value in same.items() if (shown[name] == value).all()]
        shown = shown.drop(columns=useless).reset_index(drop=True)
        shown.attrs["vide"] = "Aucune anomalie."
        return shown


def _record_label(record: str, youth: str) -> str:
    """A record as a reader names it: « ligne 960 » for ``L960``, « — » when it is the dossier itself."""
    if not record or record == youth:
        return "—"
    if record[0] == "L" and record[1:].isdigit():
        return f"ligne {record[1:]}"
    return record


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
        return AuditContext(read_exports(dossier_export, config.aliases), date_reference, config.thresholds)
    export = _prepared_export(dossier_tables)
    key = (id(export), date_reference, config.thresholds)
    if key not in _CONTEXTS:
        _CONTEXTS.clear()
        _CONTEXTS[key] = AuditContext(export, date_reference, config.thresholds)
    return _CONTEXTS[key]


def audit_theme(theme_id: str, ctx: AuditContext, cle_pseudonymisation: str = "") -> ThemeResult:
    """Derive the theme's columns, validate them with its GX suite, and turn failures into findings.

    With a pseudonymisation key (``--pseudonymise``), the findings, the detail frame and the GX
    results are pseudonymised as soon as they are built (pseudonyms.py): nothing personal leaves.
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
    gx_results, key = run.gx_results, cle_pseudonymisation
    if key:
        from .pseudonyms import pseudonymise_theme, users_of_export

        users = users_of_export(ctx.export)
        findings, detail, gx_results = pseudonymise_theme(findings, detail, gx_results, users, key)
    return ThemeResult(theme.id, theme.titre, "audite", "", findings, stats, run.disabled, gx_results, detail)


def missing_table(theme: Theme, ctx: AuditContext) -> str:
    """Why a theme cannot run: « table « … » absente de l'export » for its first missing table ("" if none)."""
    absent = [table for table in theme.tables if not ctx.has(table)]
    return f"table « {absent[0]} » absente de l'export" if absent else ""


def suite_rules(suite: dict[str, Any]) -> list[dict[str, Any]]:
    """The meta of each rule of a suite, once per ``rule_id`` (its first expectation), in suite order."""
    metas: dict[str, dict[str, Any]] = {}
    for expectation in suite["expectations"]:
        metas.setdefault(expectation["meta"]["rule_id"], expectation["meta"])
    return list(metas.values())


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
            results.append(ThemeResult(findings=findings, **state))
    return results


def audit_all(ctx: AuditContext, cle_pseudonymisation: str = "") -> list[ThemeResult]:
    """Every theme in-process (used when the synthesis notebook runs alone)."""
    return [audit_theme(theme_id, ctx, cle_pseudonymisation) for theme_id in THEMES]


def catalogue() -> list[dict[str, Any]]:
    """Every rule of every theme, from the suites' meta: the one place rules are described."""
    rules = []
    for theme in THEMES.values():
        for expectation in load_suite(theme.id)["expectations"]:
            meta = expectation["meta"]
            rules.append(
                {
                    "rule_id": meta["rule_id"],
                    "theme": theme.id,
                    "theme_titre": theme.titre,
                    "gravite": meta["gravite"],
                    "titre": meta["titre"],
                    "pourquoi": meta["pourquoi"],
                    "correction": meta["correction"],
                    "source": meta["source"],
                    "table": meta.get("table", meta["cible"]),
                }
            )
    return rules


def export_summary(export: Export) -> dict[str, Any]:
    """summary.json's ``exports`` entry."""
    return {
        name: {"fichier": table.fichier, "lignes": table.lignes, "lignes_ignorees": table.lignes_ignorees}
        for name, table in export.tables.items()
    }
