"""Addresses: ADR-01 (not normalised), ADR-02 (incomplete), ADR-03 (SDF / déménagement without NPAI).

Look-alikes: a lieu-dit (`-` in the street, its name in the complement), SDF and DEMENAGEMENT
with NPAI checked, an inactive dossier with an incomplete address, a complement holding `;` and
another holding a line break (quoted fields of the CSV).
"""

from __future__ import annotations

from . import vocabulary as voc
from .model import Row, Sample


def _at_structure(y: Row) -> None:
    """SDF convention: the structure's address."""
    y["adresse_numero"], y["adresse_voie"], y["code_postal"], y["commune"] = voc.STRUCTURE_ADDRESS


def plant(s: Sample) -> None:
    for k in range(s.count(4)):  # ADR-01 alone
        y = s.take("actif", "jeunes")
        y["adresse_normalisee"] = ("Non", "", "non", "N")[k % 4]
        s.expect("ADR-01", "jeunes", y)

    incomplete = (  # (field at fault, changes)
        ("code_postal", {"code_postal": ""}),
        ("code_postal", {"code_postal": "6910"}),
        ("commune", {"commune": ""}),
        ("adresse_voie", {"adresse_voie": "", "adresse_numero": ""}),
        ("adresse_complement", {"adresse_voie": "-", "adresse_numero": "", "adresse_complement": ""}),
    )
    for k in range(s.count(len(incomplete))):  # ADR-02, the first one also not normalised (ADR-01)
        champ, changes = incomplete[k % len(incomplete)]
        y = s.take("actif", "jeunes")
        y.update(changes)
        s.expect("ADR-02", "jeunes", y, champ)
        if k == 0:
            y["adresse_normalisee"] = "Non"
            s.expect("ADR-01", "jeunes", y)

    for k in range(s.count(3)):  # ADR-03
        y = s.take("actif", "jeunes")
        case = k % 3
        if case == 0:
            _at_structure(y)
            y["adresse_complement"], y["npai"] = "SDF", ""
        elif case == 1:
            y["adresse_complement"], y["npai"] = "DEMENAGEMENT hors zone (Grenoble)", ""
        else:
            y["adresse_complement"], y["npai"] = "Déménagement", "Non"
        s.expect("ADR-03", "jeunes", y)

    # --- look-alikes -------------------------------------------------------------------------
    y = s.take("actif", "jeunes")
    y["adresse_numero"], y["adresse_voie"] = "", "-"
    y["commune"], y["code_postal"], y["adresse_complement"] = voc.LIEU_DIT
    s.lookalike("Lieu-dit : tiret dans la voie, nom du lieu-dit en complément", "jeunes", y["id_jeune"], ("ADR-02",))

    y = s.take("actif", "jeunes")
    _at_structure(y)
    y["adresse_complement"], y["npai"] = "SDF", "X"
    s.lookalike("SDF avec NPAI coché", "jeunes", y["id_jeune"], ("ADR-03",))

    y = s.take("actif", "jeunes")
    y["adresse_complement"], y["npai"] = "DEMENAGEMENT - parti à Marseille", "X"
    s.lookalike("DEMENAGEMENT avec NPAI coché", "jeunes", y["id_jeune"], ("ADR-03",))

    y = s.take("actif", "jeunes")
    y["adresse_complement"] = "Bât. C; 2e étage"
    s.lookalike("Complément d'adresse contenant « ; »", "jeunes", y["id_jeune"], ("ADR-02", "ADR-03"))

    y = s.take("actif", "jeunes")
    y["adresse_complement"] = "Résidence Les Tilleuls\nBâtiment 4"
    s.lookalike("Complément d'adresse sur deux lignes", "jeunes", y["id_jeune"], ("ADR-02", "ADR-03"))

    y = s.take("inactif", "jeunes")
    y["adresse_normalisee"], y["code_postal"] = "Non", ""
    y["adresse_complement"], y["npai"] = "SDF", ""
    s.lookalike(
        "Dossier inactif à l'adresse incomplète, SDF sans NPAI", "jeunes", y["id_jeune"], ("ADR-01", "ADR-02", "ADR-03")
    )
