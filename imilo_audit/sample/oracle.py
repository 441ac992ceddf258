"""The expected findings (`attendus.csv`): the planted ones, given their final routing and values,
and those of group and cross-table rules, computed from the generated tables themselves.

Computed here: ORI-01 (shares of « Démarche personnelle »), EML-05 (shared addresses), RES-07
(active youths without resource line), USR-04 (inactive accounts still referents), CTC-01 (open
CER without recent event), DAT-02 (duplicate identifiers), DAT-03 (unknown youths).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ..config import Thresholds
from .dates import days
from .model import CHAMPS, GRAVITES, ID_FIELDS, Row, Sample, key

COLUMNS = ("rule_id", "gravite", "table", "id_enregistrement", "id_jeune", "conseiller", "lieu", "champ", "valeur")
Finding = tuple[str, str, str, str, str, str, str, str, str]
YOUTH_TABLES = ("ressources", "formations", "dispositifs", "evenements")


def text(value: object) -> str:
    """A cell as the audit reads it: its text, surrounding spaces stripped (native dates: jj/mm/aaaa)."""
    return "" if value is None else str(value).strip()


def is_demarche(youth: Row) -> bool:
    return key(youth["origine_venue"]) == "demarche personnelle"


@dataclass(frozen=True)
class Group:
    """New youths of a group of ORI-01: the whole export (both names empty), a counsellor, a site."""

    conseiller: str
    lieu: str
    effectif: int
    demarche: int

    @property
    def share(self) -> float:
        return self.demarche / self.effectif if self.effectif else 0.0

    @property
    def tie(self) -> bool:
        """The share is exactly halfway between two hundredths (rounding rules would disagree)."""
        scaled = self.demarche * 200
        return self.effectif > 0 and scaled % self.effectif == 0 and (scaled // self.effectif) % 2 == 1

    def flagged(self, thresholds: Thresholds) -> bool:
        return self.effectif >= thresholds.effectif_minimum and self.share > thresholds.seuil_demarche_personnelle


def ori_groups(s: Sample) -> list[Group]:
    """Groups as written (stripped text); a dossier without referent or site is only in the whole."""
    news = [y for y in s.rows("jeunes") if y["_nouveau"]]
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for y in news:
        for group in (("", ""), (text(y["conseiller_referent"]), ""), ("", text(y["lieu_rattachement"]))):
            if group != ("", "") and not any(group):
                continue
            counts[group][0] += 1
            counts[group][1] += is_demarche(y)
    counts.setdefault(("", ""), [0, 0])
    return [Group(c, lieu, n, dp) for (c, lieu), (n, dp) in sorted(counts.items())]


def expected_findings(s: Sample) -> list[Finding]:
    """Every finding the rules must produce, sorted by rule, table, record, field."""
    oracle = _Oracle(s)
    findings = [*oracle.planted(), *oracle.computed()]
    return sorted(findings, key=lambda f: (f[0], f[2], f[3], f[7], f))


class _Oracle:
    def __init__(self, s: Sample) -> None:
        self.s = s
        self.jeunes = list(s.rows("jeunes"))
        self.first: dict[str, Row] = {}
        for y in self.jeunes:
            self.first.setdefault(text(y["id_jeune"]), y)
        self.line_ids = {id(row): f"L{n}" for n, row in enumerate(s.rows("ressources"), start=1)}

    # --- one finding -----------------------------------------------------------------------------
    def record_id(self, table: str, row: Row) -> str:
        if table == "ressources":
            return self.line_ids[id(row)]
        return text(row[ID_FIELDS[table]])

    def finding(self, rule_id: str, table: str, row: Row, champ: str, gravite: str = "") -> Finding:
        if table == "utilisateurs":
            youth_id, conseiller, lieu = "", "", ""
        elif table == "jeunes":
            youth_id = text(row["id_jeune"])
            conseiller, lieu = text(row["conseiller_referent"]), text(row["lieu_rattachement"])
        else:
            youth_id = text(row["id_jeune"])
            youth = self.first.get(youth_id)
            conseiller = text(row.get("conseiller")) or (text(youth["conseiller_referent"]) if youth else "")
            lieu = text(youth["lieu_rattachement"]) if youth else ""
        valeur = text(row.get(champ)) if champ else ""
        return (
            rule_id,
            gravite or GRAVITES[rule_id],
            table,
            self.record_id(table, row),
            youth_id,
            conseiller,
            lieu,
            champ,
            valeur,
        )

    def planted(self) -> Iterator[Finding]:
        for e in self.s.expected:
            yield self.finding(e.rule_id, e.table, e.row, e.champ, e.gravite)

    # --- computed rules ----------------------------------------------------------------------
    def computed(self) -> Iterator[Finding]:
        yield from self.ori_01()
        yield from self.eml_05()
        yield from self.res_07()
        yield from self.usr_04()
        yield from self.ctc_01()
        yield from self.dat_02()
        yield from self.dat_03()

    def ori_01(self) -> Iterator[Finding]:
        for g in ori_groups(self.s):
            if g.flagged(self.s.thresholds):
                champ, share = CHAMPS["ORI-01"], f"{g.share:.2f}"
                yield ("ORI-01", GRAVITES["ORI-01"], "jeunes", "", "", g.conseiller, g.lieu, champ, share)

    def eml_05(self) -> Iterator[Finding]:
        excluded = self.s.invalid_or_placeholder_emails
        shared: dict[str, list[Row]] = defaultdict(list)
        for y in self.jeunes:
            address = key(y["email"])
            if y["_actif"] and address and address not in excluded:
                shared[address].append(y)
        for rows in shared.values():
            if len(rows) > 1:
                for y in rows:
                    yield self.finding("EML-05", "jeunes", y, CHAMPS["EML-05"])

    def res_07(self) -> Iterator[Finding]:
        with_lines = {text(r["id_jeune"]) for r in self.s.rows("ressources")}
        for y in self.jeunes:
            if y["_actif"] and text(y["id_jeune"]) not in with_lines:
                yield self.finding("RES-07", "jeunes", y, CHAMPS["RES-07"])

    def usr_04(self) -> Iterator[Finding]:
        referents = Counter(key(y["conseiller_referent"]) for y in self.jeunes)
        referents.pop(None, None)
        for u in self.s.users:
            if key(u["etat"]) == "actif":
                continue
            keys = {key(u["login"]), key(f"{u['prenom']} {u['nom']}"), key(f"{u['nom']} {u['prenom']}")}
            if sum(referents.get(k, 0) for k in keys):
                yield self.finding("USR-04", "utilisateurs", u, CHAMPS["USR-04"])

    def ctc_01(self) -> Iterator[Finding]:
        ref = self.s.reference
        open_cer = set()
        for d in self.s.rows("dispositifs"):
            entree = _iso(d["date_entree"])
            if key(d["dispositif"]) == "cer" and not text(d["date_sortie"]) and entree and entree <= ref:
                open_cer.add(text(d["id_jeune"]))
        start = days(ref, -30)
        contacted = {text(e["id_jeune"]) for e in self.s.rows("evenements") if e["_date"] and start < e["_date"] <= ref}
        for y in self.jeunes:
            youth_id = text(y["id_jeune"])
            if youth_id in open_cer and youth_id not in contacted:
                yield self.finding("CTC-01", "jeunes", y, CHAMPS["CTC-01"])

    def dat_02(self) -> Iterator[Finding]:
        for table in ("jeunes", "formations", "utilisateurs", "dispositifs", "evenements"):
            field = ID_FIELDS[table]
            rows = list(self.s.rows(table))
            counts = Counter(text(r[field]) for r in rows)
            for r in rows:
                if counts[text(r[field])] > 1:
                    yield self.finding("DAT-02", table, r, field)

    def dat_03(self) -> Iterator[Finding]:
        for table in YOUTH_TABLES:
            for r in self.s.rows(table):
                youth_id = text(r["id_jeune"])
                if youth_id and youth_id not in self.first:
                    yield self.finding("DAT-03", table, r, CHAMPS["DAT-03"])


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
