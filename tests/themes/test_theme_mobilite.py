"""Mobility and France Travail (MOB, FT), from rules.md's words: each case a youth flagged or not."""

from conftest import LONG_AGO, flagged, youth


def mobile(id_jeune: str, **values: str) -> dict[str, str]:
    """A clean active youth with filled mobility and France Travail fields; keywords override them."""
    fields = {
        "moyen_locomotion": "Transports en commun",
        "permis": "B",
        "date_obtention_permis": "12/06/2024",
        "inscrit_france_travail": "Oui",
        "identifiant_france_travail": "1234567A",
    }
    fields.update(values)
    return youth(id_jeune, **fields)


def test_autres_or_autre_as_locomotion_is_flagged_mob01(audit):
    result = audit(
        "mobilite",
        {
            "jeunes": [
                mobile("J1", moyen_locomotion="Autres"),
                mobile("J2", moyen_locomotion="Autre"),
                mobile("J3", moyen_locomotion="  AUTRES "),  # same text
                mobile("J4", moyen_locomotion="Vélo"),
                mobile("J5", moyen_locomotion="Aucun"),  # on foot: the charter's choice
                mobile("J6", moyen_locomotion=""),
                mobile("J7", moyen_locomotion="Autres transports"),  # not the value « Autres »
            ]
        },
    )
    assert flagged(result, "MOB-01") == {"J1", "J2", "J3"}
    row = result.findings.set_index("id_enregistrement").loc["J2"]
    assert (row["gravite"], row["champ"], row["valeur"], row["conseiller"], row["lieu"]) == (
        "info",
        "moyen_locomotion",
        "Autre",
        "Sylvie DEBOUT",
        "Antenne Nord",
    )
    assert "«\xa0Autre\xa0»" in row["message"]


def test_licence_held_without_date_is_flagged_mob02(audit):
    result = audit(
        "mobilite",
        {
            "jeunes": [
                mobile("J1", permis="B", date_obtention_permis=""),
                mobile("J2", permis="C", date_obtention_permis="NULL"),  # rules.md: NULL is empty
                mobile("J3", permis="AM", date_obtention_permis=" - "),
                mobile("J4", permis="B", date_obtention_permis="01/01/2026"),  # « 1er janvier » convention
                mobile("J5", permis="Aucun", date_obtention_permis=""),
                mobile("J6", permis="En cours", date_obtention_permis=""),
                mobile("J7", permis="Code", date_obtention_permis=""),
                mobile("J8", permis="EN  COURS", date_obtention_permis=""),  # same text
                mobile("J9", permis="code", date_obtention_permis=""),
                mobile("J10", permis="aucun", date_obtention_permis=""),
                mobile("J11", permis="", date_obtention_permis=""),  # no licence said
                mobile("J12", permis="N/A", date_obtention_permis=""),  # empty, not a licence
            ]
        },
    )
    assert flagged(result, "MOB-02") == {"J1", "J2", "J3"}
    findings = result.findings[result.findings["rule_id"] == "MOB-02"].set_index("id_enregistrement")
    assert set(findings["champ"]) == {"date_obtention_permis"}
    assert findings.loc["J1", "valeur"] == ""
    assert findings.loc["J2", "valeur"] == "NULL"  # the value as read
    assert "«\xa0C\xa0»" in findings.loc["J2", "message"]


def test_unreadable_licence_date_is_not_an_absence_mob02(audit):
    result = audit("mobilite", {"jeunes": [mobile("J1", permis="B", date_obtention_permis="31/02/2024")]})
    assert flagged(result, "MOB-02") == set()  # a DAT-01, not a missing date


def test_registered_at_france_travail_without_id_is_flagged_ft01(audit):
    result = audit(
        "mobilite",
        {
            "jeunes": [
                mobile("J1", identifiant_france_travail=""),
                mobile("J2", inscrit_france_travail="O", identifiant_france_travail="NULL"),
                mobile("J3", inscrit_france_travail="Vrai", identifiant_france_travail="?"),
                mobile("J4", identifiant_france_travail="1234567A"),
                mobile("J5", inscrit_france_travail="Non", identifiant_france_travail=""),
                mobile("J6", inscrit_france_travail="", identifiant_france_travail=""),
                mobile("J7", inscrit_france_travail="peut-être", identifiant_france_travail=""),  # unreadable: DAT-01
            ]
        },
    )
    assert flagged(result, "FT-01") == {"J1", "J2", "J3"}
    row = result.findings.set_index("id_enregistrement").loc["J1"]
    assert (row["gravite"], row["champ"], row["valeur"]) == ("alerte", "identifiant_france_travail", "")


def test_inactive_dossier_is_not_judged(audit):
    defects = {
        "moyen_locomotion": "Autres",
        "permis": "B",
        "date_obtention_permis": "",
        "identifiant_france_travail": "",
    }
    result = audit(
        "mobilite",
        {"jeunes": [mobile("J1", date_dernier_contact=LONG_AGO, **defects), mobile("J2", **defects)]},
    )
    for rule in ("MOB-01", "MOB-02", "FT-01"):
        assert flagged(result, rule) == {"J2"}, rule
    assert flagged(
        audit("mobilite", {"jeunes": [mobile("J1", date_dernier_contact=LONG_AGO, **defects)]}, perimetre_mois=0),
        "FT-01",
    ) == {"J1"}


def test_missing_column_disables_only_its_rule(audit):
    def without(name: str) -> list[dict[str, str]]:
        row = mobile(
            "J1", moyen_locomotion="Autres", permis="B", date_obtention_permis="", identifiant_france_travail=""
        )
        return [{k: v for k, v in row.items() if k != name}]

    cases = {
        "moyen_locomotion": "MOB-01",
        "permis": "MOB-02",
        "date_obtention_permis": "MOB-02",
        "inscrit_france_travail": "FT-01",
        "identifiant_france_travail": "FT-01",
    }
    for column, rule in cases.items():
        result = audit("mobilite", {"jeunes": without(column)})
        assert [d["rule_id"] for d in result.regles_desactivees] == [rule], column
        assert {r["rule_id"] for r in result.regles} == {"MOB-01", "MOB-02", "FT-01"} - {rule}, column
        assert set(result.findings["rule_id"]) == {"MOB-01", "MOB-02", "FT-01"} - {rule}, column
    reason = audit("mobilite", {"jeunes": without("date_obtention_permis")}).regles_desactivees[0]["raison"]
    assert "Date d'obtention du permis" in reason
