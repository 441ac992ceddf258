"""All themes' results -> findings.csv, summary.json, index.html and counsellor workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import AuditConfig
from ..exports import Export
from ..folders import earlier_audit_folders
from ..people.counsellors import directory_of
from ..people.pseudonyms import pseudonymise_earlier, users_of_export
from ..people.sharing import shareable
from ..progress import measured, report
from ..rules.audit import ThemeResult, export_summary, ignored_files_summary
from ..rules.catalogue import catalogue
from ..rules.findings import COLUMNS, empty_findings
from ..themes import THEMES
from .csv_safety import neutralised
from .followup import FIXED, FOLLOW_COLUMNS, counts_by_rule, earlier_audits, follow_up, skip_earlier, unreadable
from .gone import OUT_OF_SCOPE, VANISHED, present_records, why_gone
from .lanes import in_two_lanes
from .rules_page import RULES_PAGE, write_rules_page

INDEX_WEIGHT = 2000  # the report (charts, tables) weighs about 2 000 rows of the counsellors' lists, plus its findings
_NOT_COUNTED = ("l'évolution sur les mois ne le compte pas. Supprimez ce fichier ou remplacez-le par l'original "
                "pour le retrouver.")


def all_findings(results: list[ThemeResult]) -> pd.DataFrame:
    frames = [r.findings for r in results if len(r.findings)]
    return pd.concat(frames, ignore_index=True) if frames else empty_findings()


def build_summary(
    results: list[ThemeResult], export: Export, config: AuditConfig, date_reference: dt.date
) -> dict[str, Any]:
    """summary.json: outputs.md's keys, plus themes, parameters and structure for the report."""
    themes = [{"theme": r.theme, "titre": r.titre, "statut": r.statut, "raison": r.raison} for r in results]
    return {
        "date_reference": date_reference.isoformat(),
        "genere_le": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "structure": export.structure,
        "exports": export_summary(export),
        "tables_absentes": list(export.tables_absentes),
        "fichiers_ignores": ignored_files_summary(export),
        "themes": themes,
        "regles": [rule for r in results for rule in r.regles],
        "regles_desactivees": [d for r in results for d in r.regles_desactivees],
        "parametres": asdict(config.thresholds),
        "parametres_modifies": config.thresholds.changed(),
        "pseudonymise": config.pseudonymise,  # --pseudonymise (pseudonyms.py): the report says so
    }


def structures_summary(findings: pd.DataFrame, export: Export) -> list[dict[str, Any]]:
    """summary.json's ``structures``: per structure of a multi-structure export, its youths and rule counts.

    A finding belongs to the structure of its youth (``id_jeune``); findings with no youth (user
    accounts) belong to none. Empty when the export holds one structure or none.
    """
    youths = export.tables["jeunes"].data
    if "structure" not in youths.columns:
        return []
    of_youth = youths["structure"].astype("string").str.strip()
    names = sorted(of_youth.dropna().loc[lambda s: s != ""].unique().tolist())
    if len(names) < 2:
        return []
    ids = youths["id_jeune"].astype("string").str.strip() if "id_jeune" in youths.columns else youths.index.astype(str)
    structure_of = pd.Series(of_youth.to_numpy(), index=ids.to_numpy())
    structure_of = structure_of[~structure_of.index.duplicated()]
    placed = findings.assign(_structure=findings["id_jeune"].astype("string").map(structure_of)) if len(findings) \
        else findings.assign(_structure=pd.Series(dtype="string"))
    result = []
    for name in names:
        mine = placed[placed["_structure"] == name]
        counts = mine.groupby(["rule_id", "gravite"]).size() if len(mine) else pd.Series(dtype=int)
        rules = [{"rule_id": rule, "gravite": severity, "anomalies": int(count)}
                 for (rule, severity), count in counts.items()]
        result.append({
            "structure": name,
            "jeunes": int((of_youth == name).sum()),
            "anomalies": len(mine),
            "erreurs": int((mine["gravite"] == "erreur").sum()) if len(mine) else 0,
            "regles": rules,
        })
    return result


def write_findings_csv(findings: pd.DataFrame, path: Path) -> None:
    """findings.csv (or corriges.csv) per outputs.md: UTF-8 with BOM, ``;``, ``"`` quoting, one header.

    The follow-up columns come after ``message`` when the findings carry them. A text value that
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so
    that a spreadsheet cannot run it as a formula (OWASP, CSV injection); a plain negative number
    (``-5``, ``-12,50``, ``-1 234.5``) is not a formula and is written as it is. The rows go
    through the standard library's C writer, column lists zipped into rows (pandas' ``to_csv`` is
    slower by a half, with the same bytes).
    """
    columns = COLUMNS + [c for c in FOLLOW_COLUMNS if c in findings.columns]
    frame = findings.reindex(columns=columns, fill_value="")
    cells = [[_cell(value) for value in neutralised(frame[column]).tolist()] for column in columns]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(zip(*cells, strict=True))


def _cell(value: object) -> object:
    """"" for a missing value (None, NA, NaN), as pandas writes it."""
    return "" if value is None or value is pd.NA or value != value else value


def add_follow_up(summary: dict[str, Any], findings: pd.DataFrame, fixed: pd.DataFrame) -> None:
    """Each rule of summary.json gets its ``nouveaux``, ``persistants`` and ``corriges`` counts."""
    counts = counts_by_rule(findings, fixed)
    for rule in summary["regles"]:
        mine = counts.get(rule["rule_id"], {})
        rule.update({key: mine.get(key, 0) for key in ("nouveaux", "persistants", "corriges")})


def load_history(audits_dir: str | Path | None, date_reference: dt.date) -> list[dict[str, Any]]:
    """summary.json of the months before this one found in the audits folder, oldest first.

    A summary.json that cannot be read or is not shaped like one (hand-edited, truncated, from
    another tool) is skipped with a French warning naming it: the audit of this month goes on.
    """
    history = []
    month = date_reference.isoformat()[:7]
    for folder in earlier_audit_folders(audits_dir, month):
        path = folder / "summary.json"
        if not path.is_file():
            continue
        try:
            summary = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            skip_earlier(path, unreadable(exc), _NOT_COUNTED)
            continue
        except (json.JSONDecodeError, RecursionError):
            skip_earlier(path, "ce n'est pas du JSON valide (fichier tronqué ou modifié à la main ?)", _NOT_COUNTED)
            continue
        problem = summary_problem(summary)
        if problem:
            skip_earlier(path, problem, _NOT_COUNTED)
            continue
        if summary["date_reference"][:7] < month:
            history.append(summary)
    return history


def summary_problem(summary: object) -> str | None:
    """What makes an earlier summary.json unusable for the report's history, in French (None: usable)."""
    if not isinstance(summary, dict):
        return "il ne contient pas un objet JSON { … } comme ceux qu'écrit imilo-audit"
    if not _is_iso_date(summary.get("date_reference")):
        return "son champ « date_reference » n'est pas une date AAAA-MM-JJ"
    if not isinstance(summary.get("genere_le", ""), str):
        return "son champ « genere_le » n'est pas un texte"
    rules = summary.get("regles", [])
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        return "son champ « regles » n'est pas une liste de règles"
    for rule in rules:
        if not isinstance(rule.get("rule_id", ""), str) or not isinstance(rule.get("table", ""), str):
            return "une règle de son champ « regles » a un identifiant ou une table qui n'est pas un texte"
        for count in ("anomalies", "controles"):
            value = rule.get(count)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or value != value or abs(value) == float("inf")):
                return f"une règle de son champ « regles » a un nombre « {count} » illisible"
    themes = summary.get("themes", [])
    if not isinstance(themes, list) or not all(isinstance(t, dict) and isinstance(t.get("theme"), str) for t in themes):
        return "son champ « themes » n'est pas une liste de thèmes"
    for theme in themes:
        score = theme.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            return "un thème de son champ « themes » a un « score » qui n'est pas un nombre"
    return None


def _is_iso_date(value: object) -> bool:
    try:
        dt.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


def write_outputs(
    run_dir: str | Path,
    results: list[ThemeResult],
    export: Export,
    config: AuditConfig,
    date_reference: dt.date,
    audits_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Write every shared output of the run folder; return the summary."""
    from . import write_index
    from .counsellor_pages import CounsellorOutputs
    from .html import rule_parameters

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    with measured("rapport"):
        report("avance", "synthese", "Synthèse : rapport de l'audit")
        month = date_reference.strftime("%Y-%m")
        earlier = earlier_audits(audits_dir, month)
        users = users_of_export(export)
        if config.pseudonymise:  # --pseudonymise (pseudonyms.py): earlier months under the same pseudonyms
            earlier = pseudonymise_earlier(earlier, users, config.cle_pseudonymisation)
        findings, gone = follow_up(all_findings(results), month, earlier)
        key = config.cle_pseudonymisation if config.pseudonymise else ""
        # which records are still in the export (every table's identifiers): asked only when some are gone
        gone["suivi"] = why_gone(gone, results, present_records(export, key)) if len(gone) else []
        fixed = gone[gone["suivi"] == FIXED]  # the fixes: every count of « corrigées » reads these only
        summary = build_summary(results, export, config, date_reference)
        add_follow_up(summary, findings, fixed)
        structures = structures_summary(findings, export)
        if structures:
            summary["structures"] = structures
        (run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        pages = [
            {"theme": t.id, "titre": t.titre, "fichier": t.notebook.replace(".ipynb", ".html")}
            for t in THEMES.values()
            if any(r.theme == t.id and r.statut == "audite" for r in results)
        ]
        rules = catalogue()
        history = load_history(audits_dir, date_reference)
        directory = directory_of(pd.concat([findings, fixed], ignore_index=True), users)
    with measured("classeurs"):
        lists = CounsellorOutputs(run_dir / "par_conseiller", findings, fixed, rules, directory, month=month,
                                  structure=summary["structure"], date_reference=summary["date_reference"],
                                  youth_names=None if summary.get("pseudonymise") else youth_names(export, findings),
                                  follow_up=bool(history))
        index = partial(write_index, run_dir / "index.html", summary, shareable(findings), rules, history, pages,
                        fixed=shareable(fixed), counsellors=lists.entries, directory=directory,
                        not_fixed={reason: int((gone["suivi"] == reason).sum()) for reason in (OUT_OF_SCOPE, VANISHED)})
        in_two_lanes([
            (INDEX_WEIGHT + len(findings) / 6, index),
            (len(findings) / 10, partial(write_findings_csv, findings, run_dir / "findings.csv")),
            (len(gone) / 10, partial(write_findings_csv, gone, run_dir / "corriges.csv")),
            (50, partial(write_rules_page, run_dir / RULES_PAGE, rules, summary["structure"], summary["date_reference"],
                         rule_parameters(summary))),
            *lists.tasks(),
        ], _lists_done)
    return summary


def youth_names(export: Export, findings: pd.DataFrame | None = None) -> dict[str, str]:
    """« Prénom NOM » of each youth (usual name, else birth name), for the counsellor's own workbook:
    of every youth, or of the youths ``findings`` name (a million youths: only those a list shows)."""
    youths = export.tables["jeunes"].data
    if "id_jeune" not in youths.columns:
        return {}
    if findings is not None and "id_jeune" in findings.columns:
        named = pd.Index(findings["id_jeune"].astype("string").dropna().unique())
        youths = youths[youths["id_jeune"].astype("string").str.strip().isin(named)]
    def column(name: str) -> pd.Series:
        if name in youths.columns:
            return youths[name].astype("string").fillna("").str.strip()
        return pd.Series("", index=youths.index, dtype="string")
    last = column("nom_usage").where(column("nom_usage") != "", column("nom_naissance")).str.upper()
    names = (column("prenom") + " " + last).str.strip()
    ids = youths["id_jeune"].astype("string").fillna("").str.strip()
    keep = (ids != "") & (names != "") & ~ids.duplicated()
    return dict(zip(ids[keep].tolist(), names[keep].tolist(), strict=True))


def _lists_done(done: int, total: int) -> None:
    if done == total or done % max(1, total // 40) == 0:  # about forty steps of the bar
        report("avance", "synthese", "Synthèse : rapport, pages et classeurs par conseiller", done=done, total=total)
