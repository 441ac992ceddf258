"""Trainings: FOR-01…07.

Look-alikes: an early leaver with an interruption reason, a training ended on its planned end
with no reason, « Professionnalisation » (the objective to use), a training whose counsellor is
empty (routing falls back to the youth's referent).
"""

from __future__ import annotations

from . import vocabulary as voc
from .dates import add_months, days
from .model import Row, Sample
from .records import training


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference

    def ago(n: int):
        return days(ref, -n)

    def put(y: Row, row: Row) -> Row:
        s.formations[y["_index"]] = [row]
        return row

    def ongoing(y: Row, **cells) -> Row:
        start = ago(rng.randint(30, 120))
        return training(s, y, start, add_months(start, rng.randint(6, 9)), None, **cells)

    for k in range(s.count(3)):  # FOR-01
        y = s.take("actif", "formations")
        row = put(y, ongoing(y, objectif="", conseiller="" if k == 0 else None))
        s.expect("FOR-01", "formations", row)

    for _ in range(s.count(3)):  # FOR-02
        y = s.take("actif", "formations")
        row = put(y, training(s, y, ago(rng.randint(30, 200)), None, None))
        s.expect("FOR-02", "formations", row)

    for k in range(s.count(3)):  # FOR-03
        y = s.take("actif", "formations")
        row = put(y, ongoing(y, objectif=voc.OBJECTIF_INTERDIT[k % 2]))
        s.expect("FOR-03", "formations", row)

    for _ in range(s.count(3)):  # FOR-04
        y = s.take("actif", "formations")
        row = put(y, ongoing(y, validation=voc.VALIDATION_INTERDITE))
        s.expect("FOR-04", "formations", row)

    for k in range(s.count(3)):  # FOR-05: a reason although the training was not left early
        y = s.take("actif", "formations")
        motif = rng.choice(voc.MOTIFS_INTERRUPTION)
        case = k % 3
        if case == 0:  # still in training
            row = ongoing(y, motif=motif)
        else:
            start = ago(rng.randint(250, 400))
            planned = add_months(start, rng.randint(3, 6))
            real = planned if case == 1 else days(planned, rng.randint(5, 20))
            row = training(s, y, start, planned, real, motif)
        put(y, row)
        s.expect("FOR-05", "formations", row)

    for _ in range(s.count(3)):  # FOR-06: left early without a reason
        y = s.take("actif", "formations")
        start = ago(rng.randint(200, 300))
        planned = add_months(start, rng.randint(5, 9))
        row = put(y, training(s, y, start, planned, days(start, rng.randint(20, 60))))
        s.expect("FOR-06", "formations", row)

    for _ in range(s.count(3)):  # FOR-07: planned end before the start
        y = s.take("actif", "formations")
        start = ago(rng.randint(20, 120))
        row = put(y, training(s, y, start, days(start, -rng.randint(10, 300)), None))
        s.expect("FOR-07", "formations", row)

    # --- look-alikes -------------------------------------------------------------------------
    y = s.take("actif", "formations")
    start = ago(300)
    row = put(y, training(s, y, start, add_months(start, 6), days(start, 50), "Accès à l'emploi"))
    s.lookalike("Sortie anticipée avec motif d'interruption", "formations", row["id_situation"], ("FOR-05", "FOR-06"))

    y = s.take("actif", "formations")
    start = ago(320)
    planned = add_months(start, 4)
    row = put(y, training(s, y, start, planned, planned))
    s.lookalike(
        "Formation terminée à sa fin prévue, sans motif", "formations", row["id_situation"], ("FOR-05", "FOR-06")
    )

    y = s.take("actif", "formations")
    row = put(y, ongoing(y, objectif="Professionnalisation", conseiller=""))
    s.lookalike(
        "Objectif « Professionnalisation », conseiller vide", "formations", row["id_situation"], ("FOR-01", "FOR-03")
    )
