"""``imilo-audit verifier``: what an export holds and which rules will run, without auditing.

A dry run for the quality officer before the schedule fires: the export is read exactly as an
audit reads it (same messages when it cannot be), then each theme's suite says which of its rules
have the tables and columns they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..config import AuditConfig
from ..exports import read_exports
from ..exports.mapping import describe_table
from ..text import counted


@dataclass(frozen=True)
class RuleReadiness:
    rule_id: str
    titre: str
    theme: str
    raison: str  # "" when the rule will run


def rule_readiness(export, config: AuditConfig, date_reference: dt.date) -> list[RuleReadiness]:
    """Every rule of every theme, with why it will not run ("" when it will)."""
    from ..themes import THEMES, AuditContext
    from .audit import missing_table
    from .catalogue import suite_rules
    from .validation import disabled_rules, load_suite

    ctx = AuditContext(export, date_reference, config.thresholds)
    rules = []
    for theme in THEMES.values():
        suite = load_suite(theme.id)
        absent = missing_table(theme, ctx)
        reasons = {d["rule_id"]: d["raison"] for d in disabled_rules(suite, ctx)}
        for meta in suite_rules(suite):
            reason = absent or reasons.get(meta["rule_id"], "")
            rules.append(RuleReadiness(meta["rule_id"], meta["titre"], theme.titre, reason))
    return rules


def verify(folders: str | Path | list[str | Path], config: AuditConfig | None = None,
           date_reference: dt.date | None = None, program: str = "imilo-audit") -> list[str]:
    """The lines ``imilo-audit verifier`` prints (raises the audit's InputError when the export is unusable).

    ``program``: the command as the user typed it, repeated in the closing suggestion.
    """
    config = config or AuditConfig()
    export = read_exports(folders, config.aliases, config.fichiers)
    ignored = export.fichiers_ignores
    lines = [
        f"Export {export.dossier} : {counted(len(export.tables), 'table lue', 'tables lues')}"
        + (f", {counted(len(ignored), 'fichier ignoré', 'fichiers ignorés')}." if ignored else ".")
    ]
    for name, table in export.tables.items():
        lines += describe_table(name, table)
    if ignored:
        lines.append("Fichiers ignorés (ce ne sont pas des tables de l'export) :")
        for item in ignored:
            lines.append(f"  « {item['fichier']} » : {item['raison']}.")
            if item.get("alias"):
                lines.append("    Lignes à ajouter au fichier de configuration si c'est bien cette table :")
                lines += [f"      {line}" for line in item["alias"].splitlines()]
    if export.tables_absentes:
        lines.append(f"Tables absentes : {', '.join(export.tables_absentes)} (les audits qui en ont besoin seront "
                     "ignorés).")
    rules = rule_readiness(export, config, date_reference or dt.date.today())
    off = [rule for rule in rules if rule.raison]
    lines.append(
        f"Règles : {len(rules) - len(off)} sur {len(rules)} s'appliqueront"
        + (f", {counted(len(off), 'désactivée', 'désactivées')} :" if off else ", aucune n'est désactivée.")
    )
    lines += [f"  {rule.rule_id} « {rule.titre} » ({rule.theme}) : {rule.raison}" for rule in off]
    lines.append(f"Aucun audit n'a été lancé : pour l'audit, {program} run " + " ".join(
        str(f) for f in ([folders] if isinstance(folders, (str, Path)) else folders)) + " --month AAAA-MM.")
    return lines
