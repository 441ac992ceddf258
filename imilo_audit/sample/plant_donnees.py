"""Data the audit cannot read: DAT-01 (unparsable cells), DAT-02 (duplicate identifiers), DAT-03
(records of an unknown youth). DAT-02 and DAT-03 are computed in oracle.py from the tables.

Every unparsable value sits where its being unknown triggers no other rule: a youth's birth date,
the ZRR flag, « Pas de NIR » beside a NIR, a salary's amount, a training's real end without an
interruption reason, a user's birth date, a PACEA's planned end, an event of a youth without CER.
One deliberate convention case: an unreadable last contact makes the dossier active through its
registration date (docs/conventions.md), so its « Autres » locomotion is a MOB-01 finding.
Duplicated rows are otherwise clean.
"""

from __future__ import annotations

import datetime as dt

from . import vocabulary as voc
from .dates import add_months, days, fr_time
from .model import Row, Sample
from .people import display, user
from .records import diagnostic, dispositif, event, resource, training, zero


def has_open_cer(s: Sample, y: Row) -> bool:
    return any(
        d["dispositif"] == voc.CER and d["date_entree"] and not d["date_sortie"] for d in s.dispositifs[y["_index"]]
    )


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference

    def ago(n: int) -> dt.date:
        return days(ref, -n)

    # --- jeunes ------------------------------------------------------------------------------
    y = s.take("actif", "jeunes")
    y["date_naissance"] = f"31/02/{y['_naissance'].year}"
    s.expect("DAT-01", "jeunes", y, "date_naissance")
    y = s.take("actif", "jeunes")
    y["zrr"] = "peut-être"
    s.expect("DAT-01", "jeunes", y, "zrr")
    y = s.take("actif", "jeunes", where=lambda r: bool(r["nir"]))
    y["sans_nir"] = "Peut-être"
    s.expect("DAT-01", "jeunes", y, "sans_nir")
    y = s.take("nouveau", "jeunes")
    y["date_dernier_contact"] = f"15/13/{ref.year}"
    y["moyen_locomotion"] = "Autres"
    s.expect("DAT-01", "jeunes", y, "date_dernier_contact")
    s.expect("MOB-01", "jeunes", y)

    for _ in range(s.mult):  # DAT-02: a dossier exported twice (the copy with a newer email)
        y = s.take("ancien", "jeunes", "referent", "ressources", "dispositifs", "evenements")
        copy = dict(y)
        copy["email"] = s.emails.new(y["prenom"], y["nom_usage"], y["_naissance"])
        s.duplicates.append(copy)

    # --- ressources --------------------------------------------------------------------------
    for text in ("abc", "NC"):
        y = s.take("actif", "ressources")
        line = resource(s, y, voc.SALAIRE, text, ago(rng.randint(30, 300)), None)
        s.ressources[y["_index"]] = [line]
        s.expect("DAT-01", "ressources", line, "montant")

    ghosts = [ghost(s, n) for n in range(3 + s.mult)]
    orphan(s, "ressources", resource(s, ghosts[0], voc.AUCUN, zero(s), ago(200), None))

    # --- formations --------------------------------------------------------------------------
    y = s.take("actif", "formations")
    start = ago(100)
    row = training(s, y, start, add_months(start, 8), None)
    row["date_fin_reelle"] = f"31/02/{ref.year}"
    s.formations[y["_index"]] = [row]
    s.expect("DAT-01", "formations", row, "date_fin_reelle")

    y = s.take("actif", "formations")
    row = training(s, y, ago(90), add_months(ago(90), 7), None)
    row["date_debut"] = f"32/01/{ref.year}"
    s.formations[y["_index"]] = [row]
    s.expect("DAT-01", "formations", row, "date_debut")

    for _ in range(s.mult):  # DAT-02
        first, second = s.take("actif", "formations"), s.take("actif", "formations")
        rows = [training(s, y, ago(150), add_months(ago(150), 9), None) for y in (first, second)]
        rows[1]["id_situation"] = rows[0]["id_situation"]
        s.formations[first["_index"]], s.formations[second["_index"]] = [rows[0]], [rows[1]]

    orphan(s, "formations", training(s, ghosts[1], ago(60), add_months(ago(60), 6), None, conseiller=""))

    # --- utilisateurs ------------------------------------------------------------------------
    row = user(s, s.names, voc.FONCTION_CONSEILLER, "Conseiller", date_naissance="31/02/1985")
    s.users.append(row)
    s.expect("DAT-01", "utilisateurs", row, "date_naissance")
    for _ in range(s.mult):  # DAT-02: two people given the same login
        first = user(s, s.names, voc.FONCTION_CONSEILLER, "Conseiller")
        second = user(s, s.names, "Chargé(e) d'accueil", "Accueil", login=first["login"])
        s.users.extend((first, second))

    # --- dispositifs -------------------------------------------------------------------------
    y = s.take("actif", "dispositifs", where=lambda r: r["_inscription"] < ago(420), stable="inscrit depuis 420 jours")
    start = ago(400)
    pacea = dispositif(s, y, voc.PACEA, days(start, 20), days(start, 20), None, ago(100), "Accès à l'autonomie")
    pacea["date_fin_prevue"] = f"{ref.year}-02-30"
    s.dispositifs[y["_index"]] = [diagnostic(s, y, start, days(start, 12), voc.PACEA), pacea]
    s.expect("DAT-01", "dispositifs", pacea, "date_fin_prevue")

    for _ in range(s.mult):  # DAT-02
        first, second = s.take("ancien", "dispositifs"), s.take("ancien", "dispositifs")
        lines = []
        for y in (first, second):
            begin = y["_inscription"]
            lines.append(
                dispositif(
                    s,
                    y,
                    "Garantie jeunes",
                    begin,
                    begin,
                    add_months(begin, 12),
                    add_months(begin, 11),
                    "Fin de parcours",
                )
            )
            s.dispositifs[y["_index"]].append(lines[-1])
        lines[1]["id_dispositif"] = lines[0]["id_dispositif"]

    orphan(
        s,
        "dispositifs",
        dispositif(
            s, ghosts[2], "Parrainage", ago(80), ago(80), add_months(ago(80), 6), conseiller=display(s.counsellors[0])
        ),
    )

    # --- evenements --------------------------------------------------------------------------
    def without_cer(r: Row) -> bool:
        return not has_open_cer(s, r)

    y = s.take("actif", "evenements", where=without_cer)
    bad = event(s, y, None, "Téléphone", text=f"31/11/{ref.year}")
    s.evenements[y["_index"]].insert(0, bad)
    s.expect("DAT-01", "evenements", bad, "date")

    for _ in range(s.mult):  # DAT-02
        first, second = (s.take("actif", "evenements", where=without_cer) for _ in range(2))
        s.evenements[second["_index"]][0]["id_evenement"] = s.evenements[first["_index"]][0]["id_evenement"]

    for n, g in enumerate(ghosts[3:]):
        row = event(s, g, ago(10 + n), "Entretien individuel", text=fr_time(ago(10 + n), rng))
        row["conseiller"] = display(s.counsellors[1]) if n % 2 == 0 else ""
        orphan(s, "evenements", row)


def ghost(s: Sample, n: int) -> Row:
    """A youth absent from `jeunes` (deleted, or of another structure) that other tables name."""
    return {"id_jeune": str(9_100_000 + 37 * n + s.rng.randint(0, 30)), "_counsellor": None, "_index": -1}


def orphan(s: Sample, table: str, row: Row) -> None:
    s.orphans.setdefault(table, []).append((s.rng.randrange(len(s.youths)), row))
