"""Identity, mobility, France Travail: IDN-01…06, MOB-01/02, FT-01 on active dossiers.

Look-alikes: a NIR written with spaces (valid), NIR « Pas de NIR » checked, « A vérifier » on a
dossier registered a month ago, « Code » without date, the same defects on inactive dossiers.
"""

from __future__ import annotations

from . import vocabulary as voc
from .dates import add_months, days
from .model import Sample
from .people import nir_of


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference
    for k in range(s.count(3)):  # IDN-01
        y = s.take("actif", "jeunes")
        case = k % 3
        if case == 0:
            y["nom_usage"] = y["nom_naissance"] = rng.choice(voc.NOMS_MAL_SAISIS)
            s.expect("IDN-01", "jeunes", y, "nom_usage")
        elif case == 1:
            y["nom_usage"] = rng.choice(voc.NOMS_ACCENTUES)
            y["nom_naissance"] = ""
            s.expect("IDN-01", "jeunes", y, "nom_usage")
        else:
            y["nom_usage"] = "LEFEVRE"
            y["nom_naissance"] = "Lefèvre"
            s.expect("IDN-01", "jeunes", y, "nom_naissance")

    for k in range(s.count(3)):  # IDN-02
        y = s.take("actif", "jeunes")
        good = nir_of(s, y["sexe"], y["_naissance"])
        case = k % 3
        if case == 0:  # wrong key
            y["nir"] = good[:13] + f"{(int(good[13:]) + 11) % 97 or 1:02d}"
        elif case == 1:  # key forgotten
            y["nir"] = good[:13]
        else:  # letters typed
            y["nir"] = good[:7] + "XXX" + good[10:]
        y["sans_nir"] = ""
        s.expect("IDN-02", "jeunes", y)

    for k in range(s.count(2)):  # IDN-03: a temporary number, valid key
        y = s.take("actif", "jeunes")
        y["nir"] = nir_of(s, y["sexe"], y["_naissance"], first="78"[k % 2])
        y["sans_nir"] = ""
        s.expect("IDN-03", "jeunes", y)

    for _ in range(s.count(3)):  # IDN-04
        y = s.take("actif", "jeunes")
        y["nir"] = y["sans_nir"] = ""
        s.expect("IDN-04", "jeunes", y)

    for k in range(s.count(3)):  # IDN-05
        y = s.take("actif", "jeunes")
        y["situation_familiale"] = ("", "Non renseigné", "NON RENSEIGNE")[k % 3]
        s.expect("IDN-05", "jeunes", y)

    limit = add_months(ref, -4)
    for k in range(s.count(2)):  # IDN-06: « A vérifier » for more than 3 months
        if k % 2:
            y = s.take("nouveau", "jeunes", where=lambda row: row["_inscription"] < limit)
        else:
            y = s.take("ancien", "jeunes")
        y["savoirs_base"] = ("A vérifier", "a verifier")[k % 2]
        s.expect("IDN-06", "jeunes", y)

    for k in range(s.count(3)):  # MOB-01
        y = s.take("actif", "jeunes")
        y["moyen_locomotion"] = ("Autres", "Autre", "AUTRES")[k % 3]
        s.expect("MOB-01", "jeunes", y)

    for k in range(s.count(2)):  # MOB-02
        y = s.take("actif", "jeunes")
        y["permis"] = ("B", "C")[k % 2]
        y["date_obtention_permis"] = ""
        s.expect("MOB-02", "jeunes", y)

    for k in range(s.count(2)):  # FT-01
        y = s.take("actif", "jeunes")
        y["inscrit_france_travail"] = ("Oui", "O")[k % 2]
        y["identifiant_france_travail"] = ""
        s.expect("FT-01", "jeunes", y)

    # --- look-alikes -------------------------------------------------------------------------
    y = s.take("actif", "jeunes")  # a NIR as printed on the card: valid for python-stdnum
    nir = nir_of(s, y["sexe"], y["_naissance"])
    y["nir"] = " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))
    y["sans_nir"] = ""
    s.lookalike("NIR valide écrit avec des espaces", "jeunes", y["id_jeune"], ("IDN-02", "IDN-03", "IDN-04"))

    y = s.take("actif", "jeunes")
    y["nir"], y["sans_nir"] = "", "X"
    s.lookalike("NIR vide et « Pas de NIR » coché", "jeunes", y["id_jeune"], ("IDN-04",))

    y = s.take("nouveau", "jeunes", where=lambda row: row["_inscription"] > days(ref, -45))
    y["savoirs_base"] = "A vérifier"
    s.lookalike("« A vérifier » sur un dossier inscrit il y a moins de 3 mois", "jeunes", y["id_jeune"], ("IDN-06",))

    y = s.take("actif", "jeunes")
    y["permis"], y["date_obtention_permis"] = "Code", ""
    s.lookalike("Permis « Code » sans date d'obtention", "jeunes", y["id_jeune"], ("MOB-02",))

    y = s.take("actif", "jeunes")
    y["inscrit_france_travail"], y["identifiant_france_travail"] = "Non", ""
    s.lookalike("Non inscrit à France Travail, sans identifiant", "jeunes", y["id_jeune"], ("FT-01",))

    y = s.take("actif", "jeunes")
    y["nir"] = nir_of(s, y["sexe"], y["_naissance"], first="1" if y["sexe"] == "H" else "2")
    y["nom_usage"] = y["nom_naissance"] = "N'DIAYE"
    y["prenom"] = "Maëlys" if y["sexe"] == "F" else "Raphaël"
    s.lookalike(
        "NIR valide commençant par 1 ou 2, nom à apostrophe, prénom accentué",
        "jeunes",
        y["id_jeune"],
        ("IDN-01", "IDN-02", "IDN-03"),
    )

    y = s.take("inactif", "jeunes")  # inactive: active-only defects are not findings
    y["nom_usage"], y["nir"], y["sans_nir"] = "Dupont", "", ""
    y["situation_familiale"], y["moyen_locomotion"] = "Non renseigné", "Autres"
    y["permis"], y["date_obtention_permis"] = "B", ""
    y["inscrit_france_travail"], y["identifiant_france_travail"] = "Oui", ""
    y["savoirs_base"] = "A vérifier"
    s.lookalike(
        "Dossier inactif avec défauts d'identité, mobilité, France Travail",
        "jeunes",
        y["id_jeune"],
        ("IDN-01", "IDN-04", "IDN-05", "IDN-06", "MOB-01", "MOB-02", "FT-01"),
    )

    y = s.take("inactif", "jeunes")
    good = nir_of(s, y["sexe"], y["_naissance"])
    y["nir"], y["sans_nir"] = good[:13] + f"{(int(good[13:]) + 5) % 97 or 1:02d}", ""
    s.lookalike("Dossier inactif au NIR invalide", "jeunes", y["id_jeune"], ("IDN-02",))
