"""Shared pages (index.html, theme pages) show no youth's or colleague's personal value."""

from __future__ import annotations

import pandas as pd

from imilo_audit.people.sharing import shareable


def finding(rule: str, champ: str, valeur: str, message: str, partage: str = "") -> dict[str, str]:
    return {"rule_id": rule, "gravite": "erreur", "table": "jeunes", "id_enregistrement": "J1", "id_jeune": "J1",
            "conseiller": "Sylvie DEBOUT", "lieu": "Nord", "champ": champ, "valeur": valeur, "message": message,
            "theme": "", "message_partage": partage or message}


def test_an_invalid_email_is_named_by_its_dossier_not_by_the_address():
    shared = shareable(pd.DataFrame([finding(
        "EML-02", "email", "jean.dupont@gmial", "L'email « jean.dupont@gmial » n'est pas une adresse valide.",
        "L'email n'est pas une adresse valide.")]))
    row = shared.iloc[0]
    assert row["valeur"] == "" and row["message"] == "L'email n'est pas une adresse valide."
    assert row["id_enregistrement"] == "J1" and row["conseiller"] == "Sylvie DEBOUT"


def test_an_unreadable_birth_date_is_masked_even_without_a_shared_wording():
    message = "Valeur « 31/02/2004 » illisible dans la colonne « Date de naissance »."
    shared = shareable(pd.DataFrame([finding("DAT-01", "date_naissance", "31/02/2004", message, message)]))
    assert shared.iloc[0]["valeur"] == "" and "31/02/2004" not in shared.iloc[0]["message"]


def test_values_that_are_not_personal_stay():
    row = finding("FOR-03", "objectif", "Perfectionnement", "Objectif « Perfectionnement » à ne pas utiliser.")
    shared = shareable(pd.DataFrame([row])).iloc[0]
    assert shared["valeur"] == "Perfectionnement" and shared["message"] == row["message"]


def test_a_shared_wording_is_never_masked_in_the_middle_of_its_sentence():
    """ADR-03's shared wording names the convention (« un SDF »), not the youth's value « SDF »."""
    wording = "Le complément d'adresse signale un SDF ou un déménagement mais NPAI n'est pas coché."
    row = finding("ADR-03", "adresse_complement", "SDF", "Le complément d'adresse indique « SDF » mais NPAI n'est "
                  "pas coché.", wording)
    shared = shareable(pd.DataFrame([row])).iloc[0]
    assert shared["message"] == wording and shared["valeur"] == ""
