"""A synthetic i-milo export folder and the exact list of findings the rules must produce on it.

``generate_sample(out_dir, jeunes, seed, date_reference)`` writes the six tables (writers.py says
in which formats) and ``attendus.csv``. The same (jeunes, seed, date_reference) gives the same
bytes: one ``random.Random(seed)``, no clock, no iteration over sets. Every date is drawn relative
to the date de référence, away from the windows' boundaries unless a case below says otherwise.

**The bulk is clean** (people.py, records.py). Active dossiers (last contact in the 12 months,
75 %) have a referent who is an active user, named « Prénom NOM », « NOM Prénom » or by login, a
unique email at a real provider, a normalised complete address, an origin (8 % « Démarche
personnelle »), a valid NIR starting with 1 or 2 or « Pas de NIR » checked, resource lines closed
in turn with « Aucun » at 0. Inactive dossiers (last contact more than 12 months ago) have no
referent any more. Trainings have an objective and a planned end; diagnostics last under a month
and lead to a PACEA within the month; RSA youths have a « Convention B-RSA », a CER running past
the date de référence and a contact in the last 20 days; users are active, connected in the last
45 days, aged 25 to 60; the only « Direction » holders are planted.

**Planted findings**, a handful per rule (``Sample.count``: ×1 up to 3000 youths, then growing
with the square root of the size), each record made to trigger exactly the rules listed for it:

- ADR-01 (Non, N, empty), ADR-02 (each missing part in turn; `-` as street without complement),
  ADR-03 (SDF, DEMENAGEMENT, Déménagement without NPAI);
- EML-01; EML-02 (no dot after @, space, `..`, no @, one-letter TLD); EML-03 (placeholder local
  parts and domains; `pasdemail@gmial.com` is EML-03 and EML-04); EML-04 (gmial.com, gmail.con,
  hotmal.fr…); EML-05 (a pair written in two cases, a family of three);
- ORI-01: one counsellor of a big site, and the small site with its only counsellor (3 groups;
  the whole export and every other group stay under 0.21); ORI-02;
- RES-01…06 on resource lines (one RES-05 pair written newest first), RES-07 (lines removed);
- FOR-01…07 (FOR-05: reason while training, at the planned end, after it);
- USR-01 (two and three years ago, no date, last year once the report is closed), USR-02,
  USR-03 (idle, never connected), USR-04 (a deactivated counsellor still referent of 3 dossiers,
  an unsubscribed one named by login, one deactivated long ago named « NOM Prénom »), USR-05,
  USR-06 (word in nom, prénom or login), USR-07 (two active holders and a deactivated one),
  USR-08 (same birth date written the same, or as `aaaa-mm-jj`);
- IDN-01…06, MOB-01/02, FT-01; DSP-01 (alerte and erreur, open and closed, from the
  initialisation date when the entry is empty), DSP-02…06, CTC-01 (last event 45 days ago, or
  only an appointment after the date de référence), CTC-02;
- DAT-01 (`31/02/…`, `peut-être`, `abc`, `NC`, `aaaa-02-30`… where the unknown value triggers
  nothing else; one unreadable last contact on a new youth, active through its registration
  date, whose « Autres » locomotion is then a MOB-01), DAT-02 (a dossier exported twice, two
  trainings, dispositifs, events sharing an id, two people sharing a login), DAT-03 (a resource
  line, a training, a dispositif and events of unknown youths).

**Look-alikes, not findings** (``Sample.lookalikes``, with the rules each must escape): lieu-dit
with its name in the complement; SDF and DEMENAGEMENT with NPAI; `;` and a line break in quoted
complements; `gmail.com` exactly (the bulk), `hotmail.be` and `yahoo.de` (two edits), `live.com`;
`testard.julie…@gmail.com`; a placeholder on two active dossiers (EML-03, not EML-05); an address
shared with an inactive dossier; inactive dossiers with active-only defects (address, email,
identity, mobility, France Travail, origin, no resource); a NIR written with spaces; « Pas de
NIR » checked; « A vérifier » a month after registration; « Code » without date; « Aucun » at
`0,00 €`; « Aucun » open after a closed salary; a closed history of one type; a comment on two
lines; an early leaver with a reason; a training ended on its planned end without reason;
« Professionnalisation » with an empty counsellor; a diagnostic of 25 days; a PACEA closed the
day before the CEJ; a PACEA open for 23 months; a CER only initialised, and a closed CER, without
recent events; an account deactivated before the annual report of its year is closed; TESTARD;
an unsubscribed account without email aged 70; an active account aged 63; an account never
connected created two weeks ago; a last connection 75 days ago; a counsellor with 3 « Démarche
personnelle » out of 6 new youths (under ``effectif_minimum``) and one with 3 out of 12 (0.25 is
not over 0.25).

``attendus.csv``: the planted findings from the bookkeeping of plant_*.py (id, routing and value
read from the final rows), plus the group and cross-table rules computed from the generated rows
(oracle.py: ORI-01, EML-05, RES-07, USR-04, CTC-01, DAT-02, DAT-03), at the default thresholds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from ..errors import ConfigError
from . import (
    plant_adresses,
    plant_dispositifs,
    plant_donnees,
    plant_emails,
    plant_formations,
    plant_identite,
    plant_origine,
    plant_ressources,
    plant_utilisateurs,
)
from .model import RULE_IDS, TABLE_NAMES, Sample, SampleSummary
from .oracle import expected_findings
from .people import make_staff, make_youths
from .records import make_records
from .writers import footers, write_expected, write_export

MIN_JEUNES = 300
MAX_DEFECT_RATE = 1.0  # past one finding per youth the clean youths to plant on run out
PLANTERS = (  # plant_origine last: it reads the final referents and origins
    plant_identite,
    plant_adresses,
    plant_emails,
    plant_ressources,
    plant_formations,
    plant_dispositifs,
    plant_utilisateurs,
    plant_donnees,
    plant_origine,
)


def build_sample(
    jeunes: int = 3000, seed: int = 1, date_reference: dt.date = dt.date(2026, 10, 31),
    defect_rate: float | None = None, counsellors: int | None = None,
) -> Sample:
    """The sample in memory: clean population, then every plant (``defect_rate``: findings per youth)."""
    if jeunes < MIN_JEUNES:
        raise ConfigError(f"Un échantillon compte au moins {MIN_JEUNES} dossiers jeunes (demandé : {jeunes}).")
    if defect_rate is not None and not 0 < defect_rate <= MAX_DEFECT_RATE:
        raise ConfigError(f"--taux-anomalies est un nombre d'anomalies par jeune, entre 0 et {MAX_DEFECT_RATE} "
                          f"(demandé : {defect_rate}) ; par exemple 0.45.")
    if counsellors is not None and not 4 <= counsellors <= jeunes // 20:
        raise ConfigError(f"--conseillers : entre 4 et un conseiller pour 20 jeunes, soit {jeunes // 20} ici "
                          f"(demandé : {counsellors}).")
    sample = Sample(jeunes, seed, date_reference, defect_rate, counsellors)
    make_staff(sample)
    make_youths(sample)
    make_records(sample)
    sample.build_pools()
    for planter in PLANTERS:
        planter.plant(sample)
    return sample


def generate_sample(
    out_dir: str | Path,
    jeunes: int = 3000,
    seed: int = 1,
    date_reference: dt.date = dt.date(2026, 10, 31),
    defect_rate: float | None = None,
    counsellors: int | None = None,
) -> SampleSummary:
    """Write a sample export folder and its ``attendus.csv`` into ``out_dir`` (created if missing)."""
    sample = build_sample(jeunes, seed, date_reference, defect_rate, counsellors)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    findings = expected_findings(sample)
    files = write_export(sample, folder)
    files["attendus"] = folder / "attendus.csv"
    write_expected(files["attendus"], findings)
    per_rule = Counter(f[0] for f in findings)
    ignored = footers(sample)
    return SampleSummary(
        out_dir=folder,
        date_reference=date_reference,
        seed=seed,
        files=files,
        rows={table: sum(1 for _ in sample.rows(table)) for table in TABLE_NAMES},
        ignored={table: int(table in ignored) for table in TABLE_NAMES},
        findings={rule: per_rule.get(rule, 0) for rule in RULE_IDS},
    )
