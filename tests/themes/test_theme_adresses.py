"""Addresses: the charter's examples, each a youth that is (or is not) flagged."""

from conftest import LONG_AGO, flagged, youth


def test_unnormalised_address_of_an_active_youth_is_flagged_adr01(audit):
    result = audit(
        "adresses",
        {
            "jeunes": [
                youth("J1", adresse_normalisee="Non"),
                youth("J2", adresse_normalisee=""),
                youth("J3", adresse_normalisee="oui"),
                youth("J4", adresse_normalisee="Non", date_dernier_contact=LONG_AGO),  # inactive: not audited
            ]
        },
    )
    assert flagged(result, "ADR-01") == {"J1", "J2"}
    row = result.findings.set_index("id_enregistrement").loc["J1"]
    assert (row["champ"], row["valeur"], row["conseiller"], row["lieu"]) == (
        "adresse_normalisee",
        "Non",
        "Sylvie DEBOUT",
        "Antenne Nord",
    )


def test_incomplete_address_names_the_missing_part_adr02(audit):
    result = audit(
        "adresses",
        {
            "jeunes": [
                youth("J1", code_postal="3300"),
                youth("J2", commune=""),
                youth("J3", adresse_voie=""),
                youth("J4", adresse_voie="-", adresse_complement=""),
                youth("J5", adresse_voie="-", adresse_complement="Lieu-dit Les Granges"),  # lieu-dit convention
                youth("J6", code_postal="01000", commune="Bourg-en-Bresse"),  # leading zero kept
            ]
        },
    )
    findings = result.findings[result.findings["rule_id"] == "ADR-02"].set_index("id_enregistrement")
    assert findings["champ"].to_dict() == {
        "J1": "code_postal",
        "J2": "commune",
        "J3": "adresse_voie",
        "J4": "adresse_complement",
    }
    assert findings.loc["J1", "valeur"] == "3300"
    assert "code postal" in findings.loc["J1", "message"]


def test_sdf_or_move_without_npai_is_flagged_adr03(audit):
    result = audit(
        "adresses",
        {
            "jeunes": [
                youth("J1", adresse_complement="SDF"),
                youth("J2", adresse_complement="Déménagement à Lyon"),
                youth("J3", adresse_complement="SDF", npai="X"),
                youth("J4", adresse_complement="DEMENAGEMENT", npai="Oui"),
                youth("J5", adresse_complement="Résidence Sdfx"),  # not the word SDF
            ]
        },
    )
    assert flagged(result, "ADR-03") == {"J1", "J2"}


def test_sdf_written_with_dots_or_in_full_is_the_word_sdf_adr03(audit):
    """rules.md, ADR-03: « contains the word SDF (also written S.D.F. or « sans domicile fixe ») … but npai is not
    true »."""
    result = audit(
        "adresses",
        {
            "jeunes": [
                youth("J1", adresse_complement="S.D.F."),
                youth("J2", adresse_complement="sans domicile fixe"),
                youth("J3", adresse_complement="Jeune SANS DOMICILE FIXE, hébergé au CHRS"),
                youth("J4", adresse_complement="S.D.F.", npai="X"),  # the convention kept
                youth("J5", adresse_complement="Sans domicile fixe", npai="Oui"),
                youth("J6", adresse_complement="Sans domicile depuis mars"),  # not the words of the convention
            ]
        },
    )
    assert flagged(result, "ADR-03") == {"J1", "J2", "J3"}


def test_perimetre_zero_audits_every_dossier(audit):
    rows = [youth("J1", adresse_normalisee="Non", date_dernier_contact=LONG_AGO)]
    assert flagged(audit("adresses", {"jeunes": rows}), "ADR-01") == set()
    assert flagged(audit("adresses", {"jeunes": rows}, perimetre_mois=0), "ADR-01") == {"J1"}


def test_youth_without_contact_date_is_active_by_registration(audit):
    result = audit(
        "adresses",
        {
            "jeunes": [
                youth("J1", adresse_normalisee="Non", date_dernier_contact="", date_inscription="01/09/2026"),
                youth("J2", adresse_normalisee="Non", date_dernier_contact="", date_inscription="01/09/2023"),
            ]
        },
    )
    assert flagged(result, "ADR-01") == {"J1"}


def test_missing_optional_column_disables_only_its_rule(audit):
    rows = [{k: v for k, v in youth("J1", adresse_complement="SDF").items() if k != "npai"}]
    result = audit("adresses", {"jeunes": rows})
    assert [d["rule_id"] for d in result.regles_desactivees] == ["ADR-03"]
    assert "NPAI" in result.regles_desactivees[0]["raison"]
    assert {r["rule_id"] for r in result.regles} == {"ADR-01", "ADR-02"}


def test_unreadable_checkbox_is_unknown_not_false(audit):
    result = audit(
        "adresses",
        {"jeunes": [youth("J1", adresse_normalisee="peut-être"), youth("J2", adresse_complement="SDF", npai="??")]},
    )
    assert flagged(result, "ADR-01") == set()  # the unreadable value is a DAT-01, not an ADR-01
    assert flagged(result, "ADR-03") == set()
