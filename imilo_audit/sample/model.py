"""The sample being built: its tables as rows of cell texts, the planted findings, reservations.

A row is a ``dict`` from canonical field names (spec/exports.md) to the cell as written in the
file (text, or a :class:`~.dates.NativeDate` in the workbook). Keys starting with ``_`` are the
generator's own bookkeeping (dates as ``datetime.date``, active flag…) and are never written.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import Thresholds
from .charter import same_text

Row = dict[str, Any]


def key(text: str) -> str | None:
    """« Same text » key (the sample's own, ``charter.same_text``), fast for the ASCII bulk (emails, logins)."""
    if text.isascii():
        return " ".join(text.split()).casefold() or None
    return _accented_key(text)


_accented_key = lru_cache(maxsize=8192)(same_text)

TABLE_NAMES = ("jeunes", "ressources", "formations", "utilisateurs", "dispositifs", "evenements")
ID_FIELDS = {
    "jeunes": "id_jeune",
    "ressources": "id_ressource",  # absent from the file: records are L<n>
    "formations": "id_situation",
    "utilisateurs": "login",
    "dispositifs": "id_dispositif",
    "evenements": "id_evenement",
}

# fmt: off
GRAVITES = {
    "ADR-01": "erreur", "ADR-02": "erreur", "ADR-03": "alerte",
    "EML-01": "erreur", "EML-02": "erreur", "EML-03": "alerte", "EML-04": "alerte", "EML-05": "alerte",
    "ORI-01": "alerte", "ORI-02": "alerte",
    "RES-01": "erreur", "RES-02": "erreur", "RES-03": "erreur", "RES-04": "erreur", "RES-05": "alerte",
    "RES-06": "alerte", "RES-07": "alerte",
    "FOR-01": "erreur", "FOR-02": "erreur", "FOR-03": "alerte", "FOR-04": "erreur", "FOR-05": "alerte",
    "FOR-06": "alerte", "FOR-07": "erreur",
    "USR-01": "erreur", "USR-02": "alerte", "USR-03": "alerte", "USR-04": "erreur", "USR-05": "erreur",
    "USR-06": "erreur", "USR-07": "erreur", "USR-08": "alerte",
    "IDN-01": "alerte", "IDN-02": "erreur", "IDN-03": "alerte", "IDN-04": "alerte", "IDN-05": "alerte",
    "IDN-06": "info",
    "DSP-01": "alerte", "DSP-02": "alerte", "DSP-03": "erreur", "DSP-04": "erreur", "DSP-05": "erreur",
    "DSP-06": "alerte",
    "CTC-01": "alerte", "CTC-02": "info",
    "MOB-01": "info", "MOB-02": "alerte", "FT-01": "alerte",
    "DAT-01": "erreur", "DAT-02": "erreur", "DAT-03": "alerte",
}
# fmt: on
RULE_IDS = tuple(GRAVITES)
FINDINGS_PER_PLANT = 140  # findings on youths added each time every rule is planted its base number of times once more

# The field (`champ`) of each rule's findings, as docs/conventions.md sets it; rules whose field
# depends on the record (ADR-02, USR-06, IDN-01, DAT-01, DAT-02) are absent. The conventions do not
# list IDN, MOB, FT, DSP and CTC yet: ours follow their logic (the field to fix, read as written;
# empty for an absence; no field for a cross-table finding, like RES-07).
# fmt: off
CHAMPS = {
    "ADR-01": "adresse_normalisee", "ADR-03": "adresse_complement",
    "EML-01": "email", "EML-02": "email", "EML-03": "email", "EML-04": "email", "EML-05": "email",
    "ORI-01": "origine_venue", "ORI-02": "origine_venue",
    "RES-01": "date_debut", "RES-02": "montant", "RES-03": "montant", "RES-04": "date_fin", "RES-05": "date_fin",
    "RES-06": "type_ressource", "RES-07": "",
    "FOR-01": "objectif", "FOR-02": "date_fin_prevue", "FOR-03": "objectif", "FOR-04": "validation_preparee",
    "FOR-05": "motif_interruption", "FOR-06": "motif_interruption", "FOR-07": "date_fin_prevue",
    "USR-01": "date_desactivation", "USR-02": "date_naissance", "USR-03": "date_derniere_connexion",
    "USR-04": "etat", "USR-05": "email", "USR-07": "fonctions", "USR-08": "nom",
    "IDN-02": "nir", "IDN-03": "nir", "IDN-04": "nir", "IDN-05": "situation_familiale", "IDN-06": "savoirs_base",
    "DSP-01": "date_sortie", "DSP-02": "date_entree", "DSP-03": "date_sortie", "DSP-04": "date_sortie",
    "DSP-05": "dispositif", "DSP-06": "date_sortie",
    "CTC-01": "", "CTC-02": "date_dernier_contact",
    "MOB-01": "moyen_locomotion", "MOB-02": "date_obtention_permis",
    "FT-01": "identifiant_france_travail",
    "DAT-03": "id_jeune",
}
# fmt: on


@dataclass
class Expected:
    """A planted finding: its record, id, routing and value are read from the row's final cells."""

    rule_id: str
    table: str
    row: Row
    champ: str
    gravite: str = ""

    def __post_init__(self) -> None:
        self.gravite = self.gravite or GRAVITES[self.rule_id]


@dataclass(frozen=True)
class LookAlike:
    """A record made to resemble a defect that it is not: none of ``rules`` may flag it.

    It is found in attendus.csv by ``column`` (`id_enregistrement`, `id_jeune` for resource lines,
    `conseiller` for ORI-01 groups) equal to ``value``, in ``table``.
    """

    what: str
    table: str
    column: str
    value: str
    rules: tuple[str, ...]


@dataclass
class SampleSummary:
    """What :func:`generate_sample` wrote."""

    out_dir: Path
    date_reference: dt.date
    seed: int
    files: dict[str, Path]  # table name (and "attendus") -> file written
    rows: dict[str, int]  # table -> records written (ignored rows excluded)
    ignored: dict[str, int]  # table -> rows the reader must ignore (empty identifier)
    findings: dict[str, int] = field(default_factory=dict)  # rule_id -> expected findings

    @property
    def total_findings(self) -> int:
        return sum(self.findings.values())


class Sample:
    """The export under construction, with the bookkeeping of what was planted."""

    def __init__(self, jeunes: int, seed: int, reference: dt.date, defect_rate: float | None = None,
                 counsellors: int | None = None) -> None:
        self.size = jeunes
        self.counsellors_wanted = counsellors  # --conseillers: else one per 150 active youths
        self.seed = seed
        self.rng = random.Random(seed)
        self.reference = reference
        self.thresholds = Thresholds()
        self.mult = max(1, round(math.sqrt(jeunes / 3000)))  # plants grow mildly with size
        self.user_mult = self.mult  # the users table is sized by the staff, whatever the youths' defects
        if defect_rate is not None:  # --taux-anomalies: about that many findings per youth, like a real first audit
            self.mult = max(1, round(defect_rate * jeunes / FINDINGS_PER_PLANT))
        self.youths: list[Row] = []  # one dossier per youth, file order
        self.duplicates: list[Row] = []  # DAT-02 rows of `jeunes`, written after the dossiers
        self.ressources: list[list[Row]] = []  # per youth, file order
        self.formations: list[list[Row]] = []
        self.dispositifs: list[list[Row]] = []
        self.evenements: list[list[Row]] = []
        self.orphans: dict[str, list[tuple[int, Row]]] = {}  # table -> (after youth index, row)
        self.users: list[Row] = []
        self.counsellors: list[Row] = []  # users who are referents of dossiers
        self.sites: list[str] = []
        self.expected: list[Expected] = []
        self.lookalikes: list[LookAlike] = []
        self.invalid_or_placeholder_emails: set[str] = set()  # excluded from EML-05 (same text)
        self.emails: Any = None  # people.Emails: the addresses already used
        self.names: Any = None  # people.UserNames: the user identities already used
        self._ids: dict[str, int] = {"formations": 4_000_000, "dispositifs": 7_000_000, "evenements": 10_000_000}
        self._reserved: dict[str, set[int]] = {}
        self._pools: dict[str, list[int]] = {}
        self._jumps: dict[tuple[str, str, str], dict[int, int]] = {}  # per pool and domains: reserved positions skipped

    # --- sizes and identifiers ---------------------------------------------------------------
    def count(self, base: int) -> int:
        """How many records to plant for a rule planted ``base`` times at 3000 youths."""
        return base * self.mult

    def count_users(self, base: int) -> int:
        """How many user accounts to plant for a rule planted ``base`` times at 3000 youths."""
        return base * self.user_mult

    def next_id(self, table: str) -> str:
        self._ids[table] += 1 + int(self.rng.random() * 4)
        return str(self._ids[table])

    # --- choosing clean youths to plant on ----------------------------------------------------
    def build_pools(self) -> None:
        """Shuffled youth indices by kind: actif, nouveau (new and active), ancien (active), inactif."""
        kinds: dict[str, list[int]] = {"actif": [], "nouveau": [], "ancien": [], "inactif": []}
        for index, youth in enumerate(self.youths):
            if youth["_actif"]:
                kinds["actif"].append(index)
                kinds["nouveau" if youth["_nouveau"] else "ancien"].append(index)
            else:
                kinds["inactif"].append(index)
        for name, indices in kinds.items():
            self.rng.shuffle(indices)
            self._pools[name] = indices

    def take(self, kind: str, *domains: str, where: Callable[[Row], bool] | None = None, stable: str = "") -> Row:
        """A youth of ``kind`` not yet used in any of ``domains``; it is then reserved in all of them.

        Domains are what a plant changes: ``jeunes`` (the dossier's cells), ``referent``,
        ``ressources``, ``formations``, ``dispositifs``, ``evenements``. ``stable`` names a ``where``
        whose answer for a youth never changes (it reads what no plant rewrites, as the registration
        date): a youth it refused is then never asked again by the takes of that name.
        """
        pool = self._pools[kind]
        sets = [self._reserved.setdefault(d, set()) for d in domains]
        jumps = self._jumps.setdefault((kind, ",".join(domains), stable if where is not None else ""), {})
        position = _open(jumps, 0)
        while position < len(pool):
            index = pool[position]
            if any(index in s for s in sets):  # reserved for good (reservations are never undone): skip it next time
                jumps[position] = position + 1
            elif where is None or where(self.youths[index]):
                for s in sets:
                    s.add(index)
                jumps[position] = position + 1
                return self.youths[index]
            elif stable:  # refused for good by this predicate
                jumps[position] = position + 1
            position = _open(jumps, position + 1)
        raise RuntimeError(f"Échantillon trop petit : plus de dossier « {kind} » libre pour {domains}.")

    # --- bookkeeping -------------------------------------------------------------------------
    def expect(self, rule_id: str, table: str, row: Row, champ: str | None = None, gravite: str = "") -> None:
        """A planted finding; ``champ`` only for the rules whose field depends on the record."""
        assert (champ is None) == (rule_id in CHAMPS), rule_id
        self.expected.append(Expected(rule_id, table, row, CHAMPS[rule_id] if champ is None else champ, gravite))

    def lookalike(
        self, what: str, table: str, value: str, rules: tuple[str, ...], column: str = "id_enregistrement"
    ) -> None:
        self.lookalikes.append(LookAlike(what, table, column, value, rules))

    # --- the tables in file order ------------------------------------------------------------
    def rows(self, table: str) -> Iterator[Row]:
        """Records of a table in file order (without the ignored footer lines)."""
        if table == "jeunes":
            yield from self.youths
            yield from self.duplicates
            return
        if table == "utilisateurs":
            yield from self.users
            return
        per_youth: list[list[Row]] = getattr(self, table)
        orphans = sorted(self.orphans.get(table, []), key=lambda item: item[0])
        position = 0
        for index, rows in enumerate(per_youth):
            yield from rows
            while position < len(orphans) and orphans[position][0] == index:
                yield orphans[position][1]
                position += 1
        for _, row in orphans[position:]:
            yield row


def _open(jumps: dict[int, int], position: int) -> int:
    """The first position from ``position`` not known to be reserved (the skips are shortened as they are followed).

    :meth:`Sample.take` picks exactly the youth a scan from the start would pick; it only no longer walks
    again over the youths already reserved, which made large findings-heavy exports quadratic.
    """
    end = position
    while end in jumps:
        end = jumps[end]
    while position in jumps and jumps[position] != end:
        jumps[position], position = end, jumps[position]
    return end
