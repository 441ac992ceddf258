"""A theme's result as its notebook shows it: the sentence of result, the tables per rule, per
counsellor and per site, and the first records to fix.

:class:`ThemePage` wraps the :class:`~imilo_audit.rules.audit.ThemeResult` that the rules stage
produced (its attributes read through) with the audit context the counsellors are named from.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

import pandas as pd

from ..french.formatting import NBSP, fr_counted, fr_date, fr_pct, fr_quote
from ..people.counsellors import ACCOUNTS_LABEL, NOBODY_LABEL, Directory, directory_of
from ..people.pseudonyms import users_of_export
from ..people.sharing import shareable  # the theme page travels: no personal value on it
from ..rules.audit import ThemeResult
from ..rules.catalogue import catalogue
from ..themes import AuditContext
from .stats import records_to_fix


class ThemePage:
    """What a theme's notebook shows of its result; every other attribute is the result's."""

    def __init__(self, result: ThemeResult, contexte: AuditContext | None = None) -> None:
        self.result = result
        self.contexte = contexte  # the audit it comes from: counsellors are grouped with its user accounts

    def __getattr__(self, name: str) -> Any:
        if name == "result":  # not yet set (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.result, name)

    def phrase(self, reference: dt.date | None = None) -> str:
        """One French sentence of result, for the top of the theme's notebook (« au 31/10/2026 » if given)."""
        day = f" au {fr_date(reference)}" if reference is not None else ""
        theme = f"Audit {fr_quote(self.titre)}{day}{NBSP}:"
        if self.statut != "audite":
            return f"Audit {fr_quote(self.titre)} non réalisé{NBSP}: {self.raison}."
        if not self.regles:
            return f"{theme} aucune règle n'a pu être vérifiée ({self.raison})."
        count = len(self.findings)
        if count == 0:
            return f"{theme} aucune anomalie, toutes les règles sont respectées."
        errors = int((self.findings["gravite"] == "erreur").sum())
        dossiers = records_to_fix(self.findings)  # the index's figure (findings are text, "" when empty)
        return (
            f"{theme} {fr_counted(count, 'anomalie', 'anomalies')}, dont {fr_counted(errors, 'erreur', 'erreurs')}, "
            f"sur {fr_counted(dossiers, 'enregistrement', 'enregistrements')} à corriger."
        )

    def par_regle(self) -> pd.DataFrame:
        """Rules of the theme with their counts, French headers, rates as percentages."""
        frame = pd.DataFrame(self.regles, columns=["rule_id", "gravite", "titre", "controles", "anomalies", "taux"])
        frame["taux"] = frame["taux"].map(fr_pct)
        for column in ("controles", "anomalies"):
            frame[column] = pd.array(pd.to_numeric(frame[column]), dtype="Int64")
        frame.columns = ["Règle", "Gravité", "Titre", "Contrôlés", "Anomalies", "Taux"]
        return frame

    @cached_property
    def _directory(self) -> Directory:
        """The counsellors of the findings (with the ``utilisateurs`` table when the audit has it), built once."""
        return directory_of(self.findings, None if self.contexte is None else users_of_export(self.contexte.export))

    @cached_property
    def _names(self) -> pd.Series:
        return self._directory.names(self.findings)

    @cached_property
    def _prepared(self) -> pd.DataFrame:
        """The findings as the tables count them (:func:`~.stats.prepare_findings`), each with its counsellor's name."""
        from .stats import prepare_findings

        return prepare_findings(self.findings, []).assign(conseiller_nom=self._names.to_numpy())

    def noms_conseillers(self, findings: pd.DataFrame | None = None) -> pd.Series:
        """Each finding's counsellor as the report names them: one identity whatever the spelling.

        Spellings are grouped with :class:`~imilo_audit.people.counsellors.Directory` (the ``utilisateurs``
        table when the audit has it), so the theme page counts like ``index.html``; no counsellor and
        the user accounts get one label each. The page's three tables and its chart name them once.
        """
        if findings is None:
            return self._names.copy()
        return self._directory.names(findings)

    def par_groupe(self, column: str) -> pd.DataFrame:
        """Findings per counsellor (``conseiller``) or site (``lieu``), by severity, most first.

        Counted by :func:`~imilo_audit.report.stats.breakdown`, as ``index.html`` counts them: group
        findings (ORI-01) included, a counsellor's spellings together.
        """
        from .stats import breakdown

        findings = self._prepared
        if column == "conseiller":
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
        from .stats import sort_findings
        from .workbooks import field_label, value_label

        findings = shareable(self._prepared)
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
                "Conseiller": first["conseiller_nom"],
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
    from .workbooks import line_number

    if not record or record == youth:
        return "—"
    number = line_number(record)
    return f"ligne {number}" if number is not None else record
