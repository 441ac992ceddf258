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
from ..exports import TABLES, read_exports
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
           date_reference: dt.date | None = None) -> list[str]:
    """The lines ``imilo-audit verifier`` prints (raises the audit's InputError when the export is unusable)."""
    from ..french.formatting import fr_counted

    config = config or AuditConfig()
    export = read_exports(folders, config.aliases)
    lines = [f"Export {export.dossier} : {counted(len(export.tables), 'table lue', 'tables lues')}."]
    for name, table in export.tables.items():
        detail = f"  {name} : {fr_counted(table.lignes, 'ligne', 'lignes')} ({table.fichier})"
        if table.lignes_ignorees:
            detail += f", {counted(table.lignes_ignorees, 'ligne ignorée', 'lignes ignorées')} (sans identifiant)"
        if table.colonnes_absentes:
            headers = [TABLES[name].fields[field].header for field in table.colonnes_absentes]
            detail += f" ; colonnes absentes : {', '.join(f'« {h} »' for h in headers)}"
        lines.append(detail)
    if export.tables_absentes:
        lines.append(f"  Tables absentes : {', '.join(export.tables_absentes)}.")
    rules = rule_readiness(export, config, date_reference or dt.date.today())
    off = [rule for rule in rules if rule.raison]
    lines.append(
        f"Règles : {len(rules) - len(off)} sur {len(rules)} s'appliqueront"
        + (f", {counted(len(off), 'désactivée', 'désactivées')} :" if off else ", aucune n'est désactivée.")
    )
    lines += [f"  {rule.rule_id} « {rule.titre} » ({rule.theme}) : {rule.raison}" for rule in off]
    lines.append("Aucun audit n'a été lancé : pour l'audit, imilo-audit run " + " ".join(
        str(f) for f in ([folders] if isinstance(folders, (str, Path)) else folders)) + " --month AAAA-MM.")
    return lines
