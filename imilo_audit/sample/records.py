"""Clean histories of each youth: resource lines, trainings, dispositifs, events.

Each builder returns rows that trigger no rule (resources started and closed in turn, « Aucun »
at 0 and never open beside another resource, trainings with an objective and a planned end,
diagnostics under a month followed by PACEA within the month, RSA youths with both a
« Convention B-RSA » and a CER and a contact in the last weeks…).
"""

from __future__ import annotations

import datetime as dt
import itertools

from . import vocabulary as voc
from .dates import add_months, between, days, fr, fr_time, iso, native, pick, rint, weighted
from .model import Row, Sample
from .people import amount_text, display, set_contact

# --- resources -------------------------------------------------------------------------------


def resource(
    sample: Sample, youth: Row, kind: str, amount: str, start: dt.date | None, end: dt.date | None, comment: str = ""
) -> Row:
    return {
        "id_jeune": youth["id_jeune"],
        "type_ressource": kind,
        "montant": amount,
        "date_debut": fr(start),
        "date_fin": fr(end),
        "commentaire": comment,
    }


def zero(sample: Sample) -> str:
    return pick(sample.rng, ("0", "0", "0,00 €", "0,00"))


def paid(sample: Sample, kind: str) -> str:
    low, high = {"Salaire": (350, 1900), "Bourse": (100, 600), "Allocation CEJ": (300, 545)}.get(kind, (200, 1200))
    return amount_text(sample, round(sample.rng.uniform(low, high), 2))


def clean_resources(sample: Sample, youth: Row) -> list[Row]:
    """Zero to four lines; every active youth has at least one; earlier lines are closed."""
    rng, ref = sample.rng, sample.reference
    start = youth["_inscription"]
    if not youth["_actif"] and rng.random() < 0.35:
        return []
    history = []
    if rng.random() < 0.3:  # a resource that ended before registration
        kind = pick(rng, voc.RESSOURCES_PAYEES)
        begin = between(rng, days(start, -900), days(start, -400))
        history.append(
            resource(sample, youth, kind, paid(sample, kind), begin, between(rng, days(begin, 60), days(start, -30)))
        )
    pattern = rng.random()
    aucun = pick(rng, voc.AUCUN_SPELLINGS)
    comment = "Attestation fournie" if rng.random() < 0.05 else ""
    if pattern < 0.3:  # nothing: « Aucun » at 0, open
        return [*history, resource(sample, youth, aucun, zero(sample), start, None, comment)]
    if pattern < 0.6 and start < days(ref, -45):  # « Aucun » closed, then paid resource
        switch = between(rng, days(start, 20), days(ref, -15))
        kind = pick(rng, voc.RESSOURCES_PAYEES)
        end = None if rng.random() < 0.8 else between(rng, days(switch, 30), days(ref, 300))
        end = end if end is None or end <= ref else None
        return [
            *history,
            resource(sample, youth, aucun, zero(sample), start, switch, comment),
            resource(sample, youth, kind, paid(sample, kind), days(switch, 1), end),
        ]
    if pattern < 0.7:  # daily needs covered by the family: « Autre » at 0
        return [*history, resource(sample, youth, voc.AUTRE, zero(sample), start, None, comment)]
    if pattern < 0.85:
        kind = pick(rng, voc.RESSOURCES_PAYEES)
        begin = between(rng, days(start, -300), start)
        return [*history, resource(sample, youth, kind, paid(sample, kind), begin, None)]
    first = between(rng, days(start, -300), days(start, -100))  # a job closed, then another one
    switch = between(rng, days(first, 60), days(ref, -40))
    return [
        resource(sample, youth, voc.SALAIRE, paid(sample, voc.SALAIRE), first, switch),
        resource(sample, youth, voc.SALAIRE, paid(sample, voc.SALAIRE), days(switch, rint(rng, 1, 30)), None),
    ]


# --- trainings -------------------------------------------------------------------------------


def training(
    sample: Sample,
    youth: Row,
    start: dt.date,
    planned: dt.date | None,
    real: dt.date | None,
    motif: str = "",
    objectif: str | None = None,
    validation: str | None = None,
    conseiller: str | None = None,
) -> Row:
    rng = sample.rng
    intitule, organisme, formacode, nsf = pick(rng, voc.FORMATIONS)
    chosen_validation, niveau = pick(rng, voc.VALIDATIONS)
    if conseiller is None:
        counsellor = youth["_counsellor"]
        if counsellor is None:
            counsellor = pick(rng, sample.counsellors) if rng.random() < 0.5 else None
        conseiller = display(counsellor) if counsellor is not None and rng.random() < 0.7 else ""
    return {
        "id_situation": sample.next_id("formations"),
        "id_jeune": youth["id_jeune"],
        "intitule": intitule,
        "organisme": organisme,
        "date_debut": excel_date(sample, start),
        "date_fin_prevue": excel_date(sample, planned),
        "date_fin_reelle": excel_date(sample, real),
        "objectif": pick(rng, voc.OBJECTIFS) if objectif is None else objectif,
        "validation_preparee": chosen_validation if validation is None else validation,
        "niveau": niveau,
        "formacode": formacode,
        "nsf": nsf,
        "motif_interruption": motif,
        "origine_saisie": pick(rng, voc.ORIGINES_SAISIE),
        "conseiller": conseiller,
    }


def excel_date(sample: Sample, day: dt.date | None):
    """Mostly a native Excel date; sometimes typed as text, as users do."""
    if day is None:
        return ""
    return fr(day) if sample.rng.random() < 0.15 else native(day)


def clean_trainings(sample: Sample, youth: Row) -> list[Row]:
    rng, ref = sample.rng, sample.reference
    draw = rng.random()
    if draw >= 0.3:
        return []
    first = youth["_inscription"]
    last = min(youth["_contact"], days(ref, -10))
    if last <= first:
        return []
    rows = []
    for _ in range(2 if draw < 0.03 else 1):
        start = between(rng, first, last)
        planned = add_months(start, rint(rng, 2, 10))
        if planned < days(ref, -5):
            ending = rng.random()
            if ending < 0.65:  # ended on its planned end, no reason
                rows.append(training(sample, youth, start, planned, planned))
            elif ending < 0.8:
                rows.append(training(sample, youth, start, planned, None))
            else:  # left early, with the reason
                left = between(rng, days(start, 5), days(planned, -5))
                rows.append(training(sample, youth, start, planned, left, pick(rng, voc.MOTIFS_INTERRUPTION)))
        elif rng.random() < 0.1 and start < days(ref, -10):
            left = between(rng, days(start, 3), min(days(ref, -2), days(planned, -3)))
            rows.append(training(sample, youth, start, planned, left, pick(rng, voc.MOTIFS_INTERRUPTION)))
        else:
            rows.append(training(sample, youth, start, planned, None))
    return rows


# --- dispositifs -----------------------------------------------------------------------------


def dispositif(
    sample: Sample,
    youth: Row,
    kind: str,
    init: dt.date | None,
    entree: dt.date | None,
    planned: dt.date | None = None,
    sortie: dt.date | None = None,
    motif: str = "",
    conseiller: str | None = None,
    id_dispositif: str | None = None,
) -> Row:
    rng = sample.rng
    if conseiller is None:
        counsellor = youth["_counsellor"] or (pick(rng, sample.counsellors) if rng.random() < 0.6 else None)
        conseiller = display(counsellor) if counsellor is not None and rng.random() < 0.9 else ""
    return {
        "id_dispositif": id_dispositif or sample.next_id("dispositifs"),
        "id_jeune": youth["id_jeune"],
        "dispositif": kind,
        "date_initialisation": iso(init),
        "date_entree": iso(entree),
        "date_fin_prevue": iso(planned),
        "date_sortie": iso(sortie),
        "motif_sortie": motif,
        "conseiller": conseiller,
    }


def diagnostic(sample: Sample, youth: Row, start: dt.date, end: dt.date | None, motif: str) -> Row:
    return dispositif(sample, youth, voc.DIAGNOSTIC, start, start, add_months(start, 1), end, motif if end else "")


def pacea_path(sample: Sample, youth: Row, start: dt.date, limit: dt.date, then_cej: bool) -> list[Row]:
    """Diagnostic of 5 to 25 days, PACEA 1 to 20 days later, maybe CEJ after the PACEA's exit.

    ``limit``: nothing happens after it (the day before the date de référence, or an inactive
    youth's last contact). An open PACEA is always younger than 22 months at the date de référence.
    """
    rng, ref = sample.rng, sample.reference
    end = days(start, rint(rng, 5, 25))
    if end >= limit:
        if days(ref, -20) <= start:
            return [diagnostic(sample, youth, start, None, "")]
        return [diagnostic(sample, youth, start, min(end, days(ref, -1)), "Orientation vers un autre accompagnement")]
    rows = [diagnostic(sample, youth, start, end, voc.PACEA)]
    entree = days(end, rint(rng, 1, 20))
    if entree >= limit:
        return rows
    planned = add_months(entree, 12)
    can_close = days(entree, 60) < days(ref, -2)
    must_close = entree < add_months(ref, -22) or not youth["_actif"]
    if can_close and (must_close or then_cej or rng.random() < 0.5):
        sortie = between(rng, days(entree, 60), min(days(add_months(entree, 24), -10), days(ref, -2)))
        if then_cej:
            rows.append(dispositif(sample, youth, voc.PACEA, entree, entree, planned, sortie, "Entrée en CEJ"))
            return rows + cej_line(sample, youth, min(days(sortie, rint(rng, 1, 25)), days(ref, -1)))
        motif = pick(rng, voc.MOTIFS_SORTIE_PACEA)
        return [*rows, dispositif(sample, youth, voc.PACEA, entree, entree, planned, sortie, motif)]
    rows.append(dispositif(sample, youth, voc.PACEA, entree, entree, planned))
    return rows


def cej_line(sample: Sample, youth: Row, entree: dt.date) -> list[Row]:
    rng, ref = sample.rng, sample.reference
    planned = add_months(entree, 12)
    sortie = None
    if add_months(entree, 6) < days(ref, -5) and rng.random() < 0.6:
        sortie = between(rng, add_months(entree, 6), min(planned, days(ref, -2)))
    motif = pick(rng, voc.MOTIFS_SORTIE_CEJ) if sortie else ""
    return [dispositif(sample, youth, voc.CEJ, days(entree, -rint(rng, 0, 7)), entree, planned, sortie, motif)]


def rsa_pair(sample: Sample, youth: Row, closed: bool) -> list[Row]:
    """« Convention B-RSA » and its CER; an open CER runs past the date de référence."""
    rng, ref = sample.rng, sample.reference
    if closed:
        start = between(rng, youth["_inscription"], max(youth["_inscription"], days(youth["_contact"], -200)))
        cer = days(start, rint(rng, 5, 30))
        end = add_months(cer, 6)
        if end >= days(ref, -2):
            return []
        return [
            dispositif(sample, youth, voc.BRSA, start, start, None, end, "Fin de droits RSA"),
            dispositif(sample, youth, voc.CER, days(cer, -rint(rng, 1, 20)), cer, end, end, "Fin de CER"),
        ]
    cer = between(rng, days(ref, -150), days(ref, -15))
    start = between(rng, min(youth["_inscription"], days(cer, -10)), days(cer, -10))
    rows = [dispositif(sample, youth, voc.BRSA, start, start)]
    if rng.random() < 0.4 and days(cer, -185) > start:  # a previous CER, renewed
        old = days(cer, -183)
        rows.append(
            dispositif(
                sample, youth, voc.CER, old, old, add_months(old, 6), days(cer, -1), "RSA-CER Renouvellement CER"
            )
        )
    rows.append(dispositif(sample, youth, voc.CER, days(cer, -rint(rng, 0, 20)), cer, add_months(cer, 6)))
    return rows


def clean_dispositifs(sample: Sample, youth: Row) -> list[Row]:
    rng, ref = sample.rng, sample.reference
    draw = rng.random()
    first = youth["_inscription"]
    if youth["_actif"]:
        limit = days(ref, -1)
        latest_start = days(ref, -3)
        if first > latest_start or draw < 0.40:
            return []
        start = between(rng, first, latest_start)
        if draw < 0.68:
            return pacea_path(sample, youth, start, limit, then_cej=False)
        if draw < 0.74:
            return pacea_path(sample, youth, start, limit, then_cej=True)
        if draw < 0.88:
            end = days(start, rint(rng, 5, 25))
            if end >= limit or days(end, 1) >= limit:
                return pacea_path(sample, youth, start, limit, then_cej=False)
            rows = [diagnostic(sample, youth, start, end, "Contrat d'Engagement Jeune")]
            return rows + cej_line(sample, youth, min(days(end, rint(rng, 1, 20)), limit))
        if draw < 0.94:
            return rsa_youth(sample, youth)
        return [other_dispositif(sample, youth, start)]
    limit = youth["_contact"]
    if draw < 0.5 or limit <= days(first, 40):
        return []
    start = between(rng, first, days(limit, -40))
    if draw < 0.8:
        return pacea_path(sample, youth, start, limit, then_cej=False)
    if draw < 0.95:
        return [other_dispositif(sample, youth, start, closed=True)]
    return rsa_pair(sample, youth, closed=True)


def rsa_youth(sample: Sample, youth: Row) -> list[Row]:
    """An RSA youth followed now: both dispositifs, a contact in the last 20 days."""
    youth["rsa"] = pick(sample.rng, ("Bénéficiaire", "Bénéficiaire", "Ayant droit"))
    set_contact(
        youth, between(sample.rng, max(youth["_inscription"], days(sample.reference, -20)), days(sample.reference, -2))
    )
    return rsa_pair(sample, youth, closed=False)


def other_dispositif(sample: Sample, youth: Row, start: dt.date, closed: bool | None = None) -> Row:
    rng, ref = sample.rng, sample.reference
    kind = pick(rng, voc.AUTRES_DISPOSITIFS)
    sortie = None
    if closed or (closed is None and rng.random() < 0.5):
        sortie = min(days(start, rint(rng, 60, 300)), days(ref, -1))
    motif = "Fin de parcours" if sortie else ""
    return dispositif(sample, youth, kind, start, start, add_months(start, 6), sortie, motif)


# --- events ----------------------------------------------------------------------------------


def event(sample: Sample, youth: Row, day: dt.date, kind: str | None = None, text: str | None = None) -> Row:
    rng = sample.rng
    counsellor = youth["_counsellor"]
    return {
        "id_evenement": sample.next_id("evenements"),
        "id_jeune": youth["id_jeune"],
        "date": text if text is not None else (fr_time(day, rng) if rng.random() < 0.3 else fr(day)),
        "type": kind or weighted(rng, EVENT_KINDS, EVENT_WEIGHTS),
        "conseiller": display(counsellor) if counsellor is not None and rng.random() < 0.9 else "",
        "_date": day,
    }


EVENT_KINDS = tuple(k for k, _ in voc.EVENT_TYPES)
EVENT_WEIGHTS = tuple(itertools.accumulate(w for _, w in voc.EVENT_TYPES))


def clean_events(sample: Sample, youth: Row) -> list[Row]:
    """Events from registration to the last contact, the last one on the last contact's day."""
    rng = sample.rng
    first, last = youth["_inscription"], youth["_contact"]
    n = rint(rng, 2, 7) if youth["_actif"] else rint(rng, 1, 5)
    dates = sorted(between(rng, first, last) for _ in range(n - 1))
    dates.append(last)
    return [event(sample, youth, d) for d in dates]


def make_records(sample: Sample) -> None:
    """Resources, trainings, dispositifs and events of every youth."""
    for youth in sample.youths:
        sample.ressources.append(clean_resources(sample, youth))
        sample.formations.append(clean_trainings(sample, youth))
        sample.dispositifs.append(clean_dispositifs(sample, youth))
        sample.evenements.append(clean_events(sample, youth))
