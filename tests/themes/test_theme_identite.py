"""Identity: the charter's examples, each a youth that is (or is not) flagged IDN-01…IDN-06."""

import random

import pandas as pd
from conftest import LONG_AGO, flagged, youth
from stdnum.fr import nir as stdnum_nir

from imilo_audit.people.sharing import shareable
from imilo_audit.themes.identite import nir_valid


def with_key(first13: str) -> str:
    """A NIR of 15 characters: the 13 first ones and their key, 97 − number mod 97 (2A as 19, 2B as 18)."""
    number = first13[:5] + {"2A": "19", "2B": "18"}.get(first13[5:7], first13[5:7]) + first13[7:]
    return f"{first13}{97 - int(number) % 97:02d}"


NIR_H = with_key("1850733123456")  # a man born in July 1985 in the Rhône
NIR_F = with_key("2951069216099")
NIR_CORSE_A = with_key("253072A073004")  # born in Corse-du-Sud
NIR_CORSE_B = with_key("253072B073004")  # born in Haute-Corse
NIR_TEMPORAIRE_7 = with_key("7850733123456")
NIR_TEMPORAIRE_8 = with_key("8850733123456")
WRONG_KEY = NIR_H[:13] + f"{(int(NIR_H[13:]) + 1) % 97:02d}"


def idn(**values: str) -> dict[str, str]:
    """Identity fields of a clean dossier: names in capitals, a valid NIR, a family situation."""
    clean = {
        "nom_usage": "MARTIN",
        "nom_naissance": "MARTIN",
        "nir": NIR_F,
        "sans_nir": "",
        "situation_familiale": "Célibataire",
        "savoirs_base": "Acquis",
    }
    return clean | values


def findings_of(result, rule_id: str) -> pd.DataFrame:
    return result.findings[result.findings["rule_id"] == rule_id].set_index("id_enregistrement")


# --- IDN-01 --------------------------------------------------------------------------------------
def test_names_not_in_unaccented_capitals_are_flagged_idn01(audit):
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(nom_usage="Lefèvre", nom_naissance="Lefèvre")),  # both: the first field
                youth("J2", **idn(nom_usage="LEFÈVRE")),  # accented capital
                youth("J3", **idn(nom_usage="LEFEVRE", nom_naissance="Lefevre")),  # lower case only
                youth("J4", **idn(nom_usage="FRANÇOIS")),  # a cedilla is an accent
                youth("J5", **idn(nom_usage="GROß")),  # ß is a lower-case letter
                youth("J6", **idn(nom_usage="LEFE\u0300VRE")),  # the accent as a combining character
                youth("J7", **idn(nom_usage="N'DIAYE", nom_naissance="DE LA FONTAINE-MARTIN")),
                youth("J8", **idn(nom_usage="CŒUR", nom_naissance="")),  # Œ is a capital, unaccented
                youth("J9", **idn(nom_usage="Dupont"), date_dernier_contact=LONG_AGO),  # inactive: not audited
            ]
        },
    )
    found = findings_of(result, "IDN-01")
    assert found["champ"].to_dict() == {
        "J1": "nom_usage",
        "J2": "nom_usage",
        "J3": "nom_naissance",
        "J4": "nom_usage",
        "J5": "nom_usage",
        "J6": "nom_usage",
    }
    assert found.loc["J3", "valeur"] == "Lefevre"
    assert found["gravite"].unique().tolist() == ["alerte"]
    assert "LEFEVRE" in found.loc["J1", "message"] and "majuscules non accentuées" in found.loc["J1", "message"]
    assert "des accents" in found.loc["J2", "message"] and "minuscules" not in found.loc["J2", "message"]
    shared = shareable(result.findings).set_index("id_enregistrement")
    assert not any(name in shared.loc["J1", "message"] for name in ("Lefèvre", "LEFEVRE"))


def test_idn01_judges_the_name_column_the_export_has(audit):
    rows = [youth("J1", **idn(nom_usage="Martin")), youth("J2", **idn(nom_usage="MARTIN"))]
    result = audit("identite", {"jeunes": rows})
    assert flagged(result, "IDN-01") == {"J1"}
    assert "IDN-01" not in {d["rule_id"] for d in result.regles_desactivees}
    birth_only = [{k: v for k, v in youth("J1", **idn(nom_naissance="Martin")).items() if k != "nom_usage"}]
    assert flagged(audit("identite", {"jeunes": birth_only}), "IDN-01") == {"J1"}
    no_name = [{k: v for k, v in youth("J1", **idn()).items() if k not in ("nom_usage", "nom_naissance")}]
    disabled = audit("identite", {"jeunes": no_name}).regles_desactivees
    assert [d["rule_id"] for d in disabled] == ["IDN-01"]
    assert "Nom d'usage" in disabled[0]["raison"] and "Nom de naissance" in disabled[0]["raison"]


# --- IDN-02, IDN-03 --------------------------------------------------------------------------------
def test_invalid_nir_is_flagged_idn02(audit):
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(nir=WRONG_KEY)),
                youth("J2", **idn(nir=NIR_H[:13])),  # key forgotten
                youth("J3", **idn(nir=NIR_H[:7] + "XXX" + NIR_H[10:])),
                youth(
                    "J4",
                    **idn(
                        nir=" ".join(
                            (NIR_H[0], NIR_H[1:3], NIR_H[3:5], NIR_H[5:7], NIR_H[7:10], NIR_H[10:13], NIR_H[13:])
                        )
                    ),
                ),  # spaces between the groups, as the card prints it: a valid NIR (libraries.md)
                youth("J5", **idn(nir="".join(chr(ord(c) + 0xFEE0) for c in NIR_H))),  # full-width digits
                youth("J11", **idn(nir=NIR_H[:5] + "/" + NIR_H[5:])),  # a slash is not a way of writing a NIR
                youth("J6", **idn(nir=NIR_CORSE_A[:13] + with_key("2530720073004")[13:])),  # 2A keyed as 20
                youth("J7", **idn(nir=NIR_H)),
                youth("J8", **idn(nir=NIR_CORSE_A)),
                youth("J9", **idn(nir=NIR_CORSE_B)),
                youth("J10", **idn(nir=WRONG_KEY), date_dernier_contact=LONG_AGO),  # inactive: not audited
            ]
        },
    )
    found = findings_of(result, "IDN-02")
    assert set(found.index) == {"J1", "J2", "J3", "J5", "J6", "J11"}  # J4: spaces between the groups are formatting
    assert found.loc["J1", "champ"] == "nir" and found.loc["J1", "valeur"] == WRONG_KEY
    assert "clé de contrôle" in found.loc["J1", "message"]
    assert "13 caractères au lieu de 15" in found.loc["J2", "message"]
    assert "séparateurs" in found.loc["J11", "message"]
    assert not any(nir in message for message in found["message"] for nir in (WRONG_KEY, NIR_H[:13]))
    shared = shareable(result.findings)
    assert (shared.loc[shared["champ"] == "nir", "valeur"] == "").all()
    assert flagged(result, "IDN-03") == set()


def groups(nir: str, separator: str) -> str:
    """The NIR written in its card's groups (1 85 05 78 006 084 91), with ``separator`` between them."""
    return separator.join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))


def test_spaces_dots_and_dashes_between_the_groups_are_formatting_and_2a_reads_as_2A_idn02(audit):
    """rules.md, IDN-02: « Spaces, dots or dashes between digit groups are formatting … and 2a/2b read as 2A/2B:
    the NIR is what is left once they are removed »."""
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(nir=groups(NIR_H, "."))),  # 1.85.05.78.006.084.91 with a right key
                youth("J2", **idn(nir=groups(NIR_H, "-"))),
                youth("J3", **idn(nir=groups(NIR_H, " "))),
                youth("J4", **idn(nir=NIR_CORSE_A.replace("2A", "2a"))),
                youth("J5", **idn(nir=groups(NIR_CORSE_B, ".").replace("2B", "2b"))),
                youth("J6", **idn(nir=groups(WRONG_KEY, "."))),  # formatted, but its key is wrong
                youth("J7", **idn(nir=groups(NIR_H, "/"))),  # a slash is not formatting
            ]
        },
    )
    found = findings_of(result, "IDN-02")
    assert set(found.index) == {"J6", "J7"}
    assert "clé de contrôle" in found.loc["J6", "message"]
    assert "séparateurs" in found.loc["J7", "message"]
    assert flagged(result, "IDN-03") == set()  # all of them begin with 1 or 2


def test_temporary_nir_cannot_be_certified_idn03(audit):
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(nir=NIR_TEMPORAIRE_7)),
                youth("J2", **idn(nir=NIR_TEMPORAIRE_8)),
                youth("J3", **idn(nir=NIR_H)),
                youth("J4", **idn(nir=NIR_F)),
                youth("J5", **idn(nir=NIR_TEMPORAIRE_7[:13] + "00")),  # invalid first: IDN-02, not IDN-03
                youth("J6", **idn(nir=NIR_TEMPORAIRE_8), date_dernier_contact=LONG_AGO),
            ]
        },
    )
    assert flagged(result, "IDN-03") == {"J1", "J2"}
    assert flagged(result, "IDN-02") == {"J5"}
    found = findings_of(result, "IDN-03")
    assert found.loc["J1", "valeur"] == NIR_TEMPORAIRE_7 and found.loc["J1", "gravite"] == "alerte"


def test_vectorised_nir_check_agrees_with_python_stdnum():
    rng = random.Random(13)
    values = []
    for _ in range(3000):
        department = rng.choice(("69", "75", "2A", "2B", "20"))
        nir = with_key(f"{rng.choice('1278')}{rng.randrange(10**4):04d}{department}{rng.randrange(10**6):06d}")
        draw = rng.random()
        if draw < 0.3:
            nir = nir[:13] + f"{rng.randrange(100):02d}"  # a key, right by chance or wrong
        elif draw < 0.35:
            nir = nir.lower()  # « 2a »: stdnum reads it as 2A
        elif draw < 0.4:
            nir = nir[:5] + "2C" + nir[7:]
        values.append(nir)
    series = pd.Series([*values, None, "", "1 85"], dtype="string")
    expected = [len(v) == 15 and stdnum_nir.is_valid(v) if isinstance(v, str) else False for v in series.tolist()]
    assert nir_valid(series).tolist() == expected
    assert sum(expected) > 1000


# --- IDN-04 ------------------------------------------------------------------------------------------
def test_missing_nir_without_pas_de_nir_is_flagged_idn04(audit):
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(nir="", sans_nir="")),
                youth("J2", **idn(nir="", sans_nir="Non")),
                youth("J3", **idn(nir="", sans_nir="X")),  # « [X] Pas de NIR » checked
                youth("J4", **idn(nir="", sans_nir="Oui")),
                youth("J5", **idn(nir="", sans_nir="peut-être")),  # unreadable: decides nothing
                youth("J6", **idn(nir="NULL", sans_nir="")),  # empty per rules.md
                youth("J7", **idn(nir=NIR_H, sans_nir="")),
                youth("J8", **idn(nir="", sans_nir=""), date_dernier_contact=LONG_AGO),
            ]
        },
    )
    assert flagged(result, "IDN-04") == {"J1", "J2", "J6"}
    assert flagged(result, "IDN-02") == set()
    found = findings_of(result, "IDN-04")
    assert (found.loc["J1", "champ"], found.loc["J1", "valeur"]) == ("nir", "")
    assert "Pas de NIR" in found.loc["J1", "message"]


def test_without_pas_de_nir_column_only_idn04_is_disabled(audit):
    rows = [{k: v for k, v in youth("J1", **idn(nir="", nom_usage="Martin")).items() if k != "sans_nir"}]
    result = audit("identite", {"jeunes": rows})
    assert [d["rule_id"] for d in result.regles_desactivees] == ["IDN-04"]
    assert "Pas de NIR" in result.regles_desactivees[0]["raison"]
    assert {r["rule_id"] for r in result.regles} == {"IDN-01", "IDN-02", "IDN-03", "IDN-05", "IDN-06"}
    assert flagged(result, "IDN-01") == {"J1"}


# --- IDN-05 ------------------------------------------------------------------------------------------
def test_family_situation_empty_or_non_renseigne_is_flagged_idn05(audit):
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(situation_familiale="")),
                youth("J2", **idn(situation_familiale="Non renseigné")),
                youth("J3", **idn(situation_familiale="NON RENSEIGNE")),
                youth("J4", **idn(situation_familiale="non  renseigné")),
                youth("J5", **idn(situation_familiale="Célibataire")),
                youth("J6", **idn(situation_familiale="Marié(e)")),
                youth("J7", **idn(situation_familiale="Non renseigné"), date_dernier_contact=LONG_AGO),
            ]
        },
    )
    found = findings_of(result, "IDN-05")
    assert set(found.index) == {"J1", "J2", "J3", "J4"}
    assert found.loc["J2", "valeur"] == "Non renseigné" and found.loc["J1", "valeur"] == ""
    assert (found["champ"] == "situation_familiale").all()


# --- IDN-06 ------------------------------------------------------------------------------------------
def test_a_verifier_more_than_three_months_after_registration_idn06(audit):
    # Date de référence 31/10/2026: three months before is 31/07/2026, compared by calendar day.
    result = audit(
        "identite",
        {
            "jeunes": [
                youth("J1", **idn(savoirs_base="A vérifier"), date_inscription="30/07/2026"),
                youth("J2", **idn(savoirs_base="A vérifier"), date_inscription="31/07/2026"),  # exactly 3 months
                youth("J3", **idn(savoirs_base="a verifier"), date_inscription="30/07/2026 23:59"),
                youth("J4", **idn(savoirs_base="A vérifier"), date_inscription="31/07/2026 08:00"),
                youth("J5", **idn(savoirs_base="A VERIFIER"), date_inscription="02/03/2025"),
                youth("J6", **idn(savoirs_base="Acquis"), date_inscription="02/03/2025"),
                youth("J7", **idn(savoirs_base="Non acquis"), date_inscription="02/03/2025"),
                youth("J8", **idn(savoirs_base="A vérifier"), date_inscription="15/10/2026"),
                youth("J9", **idn(savoirs_base="A vérifier"), date_inscription="bientôt"),  # unreadable: DAT-01
                youth(
                    "J10",
                    **idn(savoirs_base="A vérifier"),
                    date_inscription="02/03/2025",
                    date_dernier_contact=LONG_AGO,
                ),  # inactive: not audited
            ]
        },
    )
    found = findings_of(result, "IDN-06")
    assert set(found.index) == {"J1", "J3", "J5"}
    assert found.loc["J1", "gravite"] == "info"
    assert (found.loc["J3", "champ"], found.loc["J3", "valeur"]) == ("savoirs_base", "a verifier")
    assert "30/07/2026" in found.loc["J1", "message"]


def test_clean_dossiers_give_no_identity_finding(audit):
    result = audit("identite", {"jeunes": [youth("J1", **idn()), youth("J2", **idn(nir=NIR_CORSE_B))]})
    assert result.findings.empty
    assert [r["rule_id"] for r in result.regles] == [f"IDN-0{n}" for n in range(1, 7)]
    assert result.regles_desactivees == []
