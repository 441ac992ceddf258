"""Emails: missing, invalid, placeholder, misspelt provider, shared — on active dossiers."""

from conftest import LONG_AGO, flagged, youth


def test_missing_email_is_flagged_eml01(audit):
    result = audit("emails", {"jeunes": [youth("J1", email=""), youth("J2", email="", date_dernier_contact=LONG_AGO)]})
    assert flagged(result, "EML-01") == {"J1"}


def test_invalid_syntax_is_flagged_eml02(audit):
    result = audit(
        "emails",
        {
            "jeunes": [
                youth("J1", email="j..d@orange.fr"),
                youth("J2", email="jd@gmail"),
                youth("J3", email="jean dupont@gmail.com"),
                youth("J4", email="a@b.c"),  # one-letter TLD
                youth("J5", email="jean@@free.fr"),
                youth("J6", email="jean.dupont@free.fr"),
            ]
        },
    )
    assert flagged(result, "EML-02") == {"J1", "J2", "J3", "J4", "J5"}
    assert result.findings.set_index("id_enregistrement").loc["J1", "valeur"] == "j..d@orange.fr"


def test_placeholder_is_flagged_eml03(audit):
    result = audit(
        "emails",
        {
            "jeunes": [
                youth("J1", email="pasdemail@gmail.com"),
                youth("J2", email="Pas.De-Mail@gmail.com"),
                youth("J3", email="aaaa@orange.fr"),
                youth("J4", email="jean@example.com"),
                youth("J5", email="jean@xx.com"),
                youth("J6", email="testard.paul@gmail.com"),  # not a placeholder
            ]
        },
    )
    assert flagged(result, "EML-03") == {"J1", "J2", "J3", "J4", "J5"}


def test_misspelt_provider_is_flagged_with_the_right_domain_eml04(audit):
    result = audit(
        "emails",
        {
            "jeunes": [
                youth("J1", email="lea@gmial.com"),
                youth("J2", email="lea@gmail.con"),
                youth("J3", email="lea@hotmal.fr"),
                youth("J4", email="lea@gmail.com"),
                youth("J5", email="lea@gmx.fr"),  # far from every provider
            ]
        },
    )
    assert flagged(result, "EML-04") == {"J1", "J2", "J3"}
    messages = result.findings.set_index("id_enregistrement")["message"]
    assert "gmail.com" in messages["J1"] and "hotmail.fr" in messages["J3"]


def test_email_shared_by_active_dossiers_is_flagged_on_each_eml05(audit):
    result = audit(
        "emails",
        {
            "jeunes": [
                youth("J1", email="famille.roux@orange.fr"),
                youth("J2", email="Famille.Roux@orange.fr "),
                youth("J3", email="famille.roux@orange.fr", date_dernier_contact=LONG_AGO),  # inactive
                youth("J4", email="pasdemail@gmail.com"),
                youth("J5", email="pasdemail@gmail.com"),  # placeholders are EML-03, not EML-05
            ]
        },
    )
    assert flagged(result, "EML-05") == {"J1", "J2"}
    assert "2 dossiers" in result.findings.set_index("id_enregistrement").loc["J1", "message"]
