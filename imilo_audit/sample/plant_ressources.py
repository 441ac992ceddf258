"""Resources: RES-01…06 on resource lines, RES-07 (active youth without any line).

RES-07 findings are computed from the generated tables (oracle.py); here the lines are removed.
Look-alikes: « Aucun » at 0 (written `0`, `0,00 €`), « Aucun » open after a resource that ended
before the date de référence, a closed history of the same type, an inactive youth without lines,
a comment on two lines (quoted field; the record still counts for one `L<n>`).
"""

from __future__ import annotations

from . import vocabulary as voc
from .dates import days
from .model import Row, Sample
from .records import paid, resource, zero


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference

    def ago(n: int):
        return days(ref, -n)

    def only(line: Row, y: Row) -> None:
        s.ressources[y["_index"]] = [line]

    for _ in range(s.count(3)):  # RES-01
        y = s.take("actif", "ressources")
        line = resource(s, y, voc.SALAIRE, paid(s, voc.SALAIRE), None, None)
        only(line, y)
        s.expect("RES-01", "ressources", line)

    for _ in range(s.count(3)):  # RES-02
        y = s.take("actif", "ressources")
        line = resource(s, y, voc.CHOMAGE, "", ago(rng.randint(40, 300)), None)
        only(line, y)
        s.expect("RES-02", "ressources", line)

    for k in range(s.count(3)):  # RES-03
        y = s.take("actif", "ressources")
        line = resource(
            s, y, voc.AUCUN_SPELLINGS[k % 4], ("150", "1 234,56 €", "45,00")[k % 3], ago(rng.randint(40, 300)), None
        )
        only(line, y)
        s.expect("RES-03", "ressources", line)

    for _ in range(s.count(3)):  # RES-04
        y = s.take("actif", "ressources")
        start = ago(rng.randint(60, 200))
        line = resource(s, y, voc.SALAIRE, paid(s, voc.SALAIRE), start, days(start, -rng.randint(3, 40)))
        only(line, y)
        s.expect("RES-04", "ressources", line)

    for k in range(s.count(3)):  # RES-05: the older open line of a type is the finding
        y = s.take("actif", "ressources")
        kind = (voc.SALAIRE, voc.CHOMAGE)[k % 2]
        older_start = ago(rng.randint(250, 400))
        older = resource(s, y, kind, paid(s, kind), older_start, None)
        newer = resource(s, y, kind, paid(s, kind), ago(rng.randint(20, 200)), None)
        s.ressources[y["_index"]] = [newer, older] if k % 3 == 2 else [older, newer]
        s.expect("RES-05", "ressources", older)

    for k in range(s.count(3)):  # RES-06: « Aucun » still open beside a salary
        y = s.take("actif", "ressources")
        aucun = resource(s, y, voc.AUCUN_SPELLINGS[k % 4], zero(s), ago(rng.randint(200, 300)), None)
        salary = resource(s, y, voc.SALAIRE, paid(s, voc.SALAIRE), ago(rng.randint(20, 150)), None)
        s.ressources[y["_index"]] = [aucun, salary]
        s.expect("RES-06", "ressources", aucun)

    for _ in range(s.count(4)):  # RES-07 (computed from the tables)
        y = s.take("actif", "ressources")
        s.ressources[y["_index"]] = []

    # --- look-alikes -------------------------------------------------------------------------
    y = s.take("actif", "ressources")
    only(resource(s, y, "Aucun", "0,00 €", ago(100), None), y)
    s.lookalike(
        "« Aucun » à 0,00 € seul ouvert", "ressources", y["id_jeune"], ("RES-02", "RES-03", "RES-06"), column="id_jeune"
    )

    y = s.take("actif", "ressources")
    switch = ago(rng.randint(30, 90))
    s.ressources[y["_index"]] = [
        resource(s, y, voc.SALAIRE, paid(s, voc.SALAIRE), ago(400), switch),
        resource(s, y, "aucun", "0", days(switch, 1), None),
    ]
    s.lookalike(
        "« Aucun » ouvert après un salaire clos", "ressources", y["id_jeune"], ("RES-05", "RES-06"), column="id_jeune"
    )

    y = s.take("actif", "ressources")
    first_end = ago(rng.randint(100, 200))
    s.ressources[y["_index"]] = [
        resource(s, y, voc.CHOMAGE, paid(s, voc.CHOMAGE), ago(500), first_end),
        resource(s, y, voc.CHOMAGE, paid(s, voc.CHOMAGE), days(first_end, 1), None),
    ]
    s.lookalike(
        "Historique du même type correctement clos", "ressources", y["id_jeune"], ("RES-05",), column="id_jeune"
    )

    y = s.take("inactif", "ressources")
    s.ressources[y["_index"]] = []
    s.lookalike("Dossier inactif sans ressource", "jeunes", y["id_jeune"], ("RES-07",))

    y = s.take("actif", "ressources")
    line = resource(s, y, voc.AUTRE, "0", ago(120), None, comment="Hébergé chez ses parents\nnourri, logé, blanchi")
    only(line, y)
    s.lookalike(
        "Commentaire sur deux lignes (un seul enregistrement)",
        "ressources",
        y["id_jeune"],
        ("RES-01", "RES-02", "RES-03", "RES-04", "RES-05", "RES-06"),
        column="id_jeune",
    )
