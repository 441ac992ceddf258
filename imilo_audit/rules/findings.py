"""Validation outcomes -> the findings table of outputs.md (the only thing reports read)."""

from __future__ import annotations

import string
from typing import Any

import pandas as pd

from ..french.formatting import table_name
from ..french.typography import french_spaces
from .validation import RuleOutcome, SuiteRun

COLUMNS = [
    "rule_id",
    "gravite",
    "table",
    "id_enregistrement",
    "id_jeune",
    "conseiller",
    "lieu",
    "champ",
    "valeur",
    "message",
]


# Internal columns after the contract's: the theme, and the message the shared pages show (without a
# personal value: outputs.md, "What the shared pages show"). findings.csv writes COLUMNS only.
INTERNAL = ["theme", "message_partage"]


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="string") for c in [*COLUMNS, *INTERNAL]})


def findings_of(theme: str, run: SuiteRun, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per unexpected record of every rule of a theme's suite run."""
    parts = [_rule_findings(o, frames[o.meta["cible"]]) for o in run.outcomes if o.positions]
    if not parts:
        return empty_findings()
    findings = pd.concat(parts, ignore_index=True)
    findings["theme"] = theme
    return findings[[*COLUMNS, *INTERNAL]].astype("string").fillna("")


def _rule_findings(outcome: RuleOutcome, frame: pd.DataFrame) -> pd.DataFrame:
    meta = outcome.meta
    rows = frame.loc[outcome.positions]
    out = pd.DataFrame(index=rows.index)
    out["rule_id"] = meta["rule_id"]
    # A rule whose severity depends on the record (DSP-01: alerte, erreur beyond 3 months) names the column.
    out["gravite"] = rows[meta["gravite_colonne"]].astype("string") if "gravite_colonne" in meta else meta["gravite"]
    out["table"] = rows["_table"]
    out["id_enregistrement"] = rows["_id"]
    out["id_jeune"] = rows["_id_jeune"]
    out["conseiller"] = rows["_conseiller"]
    out["lieu"] = rows["_lieu"]
    if "champ_colonne" in meta:
        out["champ"] = rows[meta["champ_colonne"]].astype("string")
    else:
        out["champ"] = meta.get("champ", "")
    if "valeur_colonne" in meta:
        out["valeur"] = rows[meta["valeur_colonne"]].astype("string")
    else:
        out["valeur"] = _values(rows, out["champ"])
    out["message"] = _messages(meta["message"], rows, out)
    shared = meta.get("message_partage")
    out["message_partage"] = _messages(shared, rows, out) if shared else out["message"]
    return out


def _values(rows: pd.DataFrame, champ: pd.Series) -> pd.Series:
    """The faulty value as read, taken from the frame (never from GX's truncated unexpected_list)."""
    values = pd.Series(pd.NA, index=rows.index, dtype="string")
    for name in champ.dropna().unique():
        column = f"valeur__{name}"
        if column in rows.columns:
            mask = champ == name
            values[mask] = rows.loc[mask, column].astype("string")
    return values


def _messages(template: str, rows: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """Fill ``{name}`` placeholders from the finding (champ, valeur…) or the frame's columns.

    The template's own spaces follow French typography (no-break space before « : », « » »…).
    """
    template = french_spaces(template)
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    if not names:
        return pd.Series(template, index=rows.index, dtype="string")
    columns: dict[str, pd.Series] = {}
    for name in names:
        source = out[name] if name in out.columns else rows[name]
        columns[name] = source.astype("string").fillna("")
        if name == "table":  # « la table événements », as people write it
            columns[name] = columns[name].map(table_name).astype("string")
    return pd.Series(
        [template.format(**dict(zip(columns, values, strict=True))) for values in zip(*columns.values(), strict=True)],
        index=rows.index,
        dtype="string",
    )


def rule_stats(run: SuiteRun, findings: pd.DataFrame, theme: str) -> list[dict[str, Any]]:
    """summary.json's ``regles`` entries for one theme."""
    counts = findings["rule_id"].value_counts().to_dict() if len(findings) else {}
    stats = []
    for outcome in run.outcomes:
        meta = outcome.meta
        anomalies = int(counts.get(outcome.rule_id, 0))
        controles = max(outcome.controles, anomalies)
        stats.append(
            {
                "rule_id": outcome.rule_id,
                "gravite": meta["gravite"],
                "table": meta.get("table", meta["cible"]),
                "theme": theme,
                "titre": meta["titre"],
                "controles": controles,
                "anomalies": anomalies,
                "taux": round(anomalies / controles, 4) if controles else 0.0,
                "statut": "ok" if anomalies == 0 else "echec",
            }
        )
        if "gravite_colonne" in meta:  # severity per record: what « gravite » alone would miscount
            severities = findings.loc[findings["rule_id"] == outcome.rule_id, "gravite"].value_counts()
            stats[-1]["anomalies_par_gravite"] = {str(k): int(v) for k, v in severities.items()}
    return stats
