"""Why each of last month's findings is gone (outputs.md): fixed, out of the rule's scope, or gone with its record.

Only one reason is a fix a counsellor made: ``corrige``, the record is still in the export, the rule
still runs and still looks at it, and no longer flags it. ``hors_perimetre``: the record is there
but the rule no longer looks at it (the dossier left the active perimeter, the rule is disabled
this month, the value became unreadable). ``disparu``: the record is no longer in the export.
"""

from __future__ import annotations

import pandas as pd

from ..exports import Export
from ..exports.schema import TABLES
from ..rules.audit import ThemeResult
from .followup import FIXED

OUT_OF_SCOPE, VANISHED = "hors_perimetre", "disparu"
REASONS = (FIXED, OUT_OF_SCOPE, VANISHED)


def present_records(export: Export, pseudonymise_key: str = "") -> dict[str, set[str]]:
    """The identifiers of each table of the export, as findings write them (user accounts pseudonymised if asked)."""
    present: dict[str, set[str]] = {}
    for name in export.tables:
        schema = TABLES.get(name)
        data = export.tables[name].data
        if schema is None or schema.id_field not in data.columns:
            continue
        ids = data[schema.id_field].astype("string").str.strip().dropna()
        present[name] = set(ids.tolist())
        if name == "utilisateurs" and pseudonymise_key:
            from ..people.pseudonyms import account_pseudonym

            present[name] = {account_pseudonym(login, pseudonymise_key) for login in present[name]}
    return present


def why_gone(gone: pd.DataFrame, results: list[ThemeResult], present: dict[str, set[str]]) -> list[str]:
    """Why each of last month's findings not found now is gone: ``corrige``, ``hors_perimetre``, ``disparu``."""
    if not len(gone):
        return []
    ran = {rule["rule_id"] for result in results for rule in result.regles}
    rules, tables = gone["rule_id"].astype(str).tolist(), gone["table"].astype(str).tolist()
    records = gone["id_enregistrement"].fillna("").astype(str).str.strip().tolist()
    looked_at = _scopes({rule for rule in rules if rule in ran}, results)
    reasons = []
    for rule, table, record in zip(rules, tables, records, strict=True):
        if not record:  # a group finding (ORI-01): the group is under the threshold now, if the rule ran
            reasons.append(FIXED if rule in ran else OUT_OF_SCOPE)
        elif record not in present.get(table, ()):
            reasons.append(VANISHED)
        elif rule not in ran or (rule in looked_at and f"{table}\x1f{record}" not in looked_at[rule]):
            reasons.append(OUT_OF_SCOPE)
        else:
            reasons.append(FIXED)
    return reasons


def _scopes(rules: set[str], results: list[ThemeResult]) -> dict[str, set[str]]:
    """For each of ``rules`` whose scope is known: the records (``table\\x1fid``) it looked at this month."""
    scopes: dict[str, set[str]] = {}
    for result in results:
        portee = result.portee
        if portee is None:
            continue
        keys = None
        for rule in rules & set(portee.columns):
            if keys is None:
                keys = (portee["_table"].astype(str) + "\x1f" + portee["_id"].astype(str).str.strip()).to_numpy()
            scopes.setdefault(rule, set()).update(keys[portee[rule].to_numpy(dtype=bool)].tolist())
    return scopes
