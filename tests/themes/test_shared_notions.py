"""rules.md's shared notions, inherited by every rule: written from its words, audited for real.

Each test writes a tiny export, audits it with the package, and says which record each rule flags:
dates compared by calendar day, empty cells (``NULL``, ``-``…), same text (letters folded, never
dropped), ASCII digits, and rules disabled only when they cannot be decided.
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import REFERENCE, account, flagged, line, training, write_table, youth

from imilo_audit.config import AuditConfig
from imilo_audit.exports import read_export
from imilo_audit.exports.values import empty_cells
from imilo_audit.report.synthesis import build_summary
from imilo_audit.rules.audit import audit_theme
from imilo_audit.sample import charter
from imilo_audit.text import same_text_key, same_text_series
from imilo_audit.themes import AuditContext


def findings_of(result, rule_id: str) -> pd.DataFrame:
    return result.findings[result.findings["rule_id"] == rule_id]


# --- dates: by calendar day, whatever the time ----------------------------------------------------
def test_a_contact_on_the_reference_day_at_ten_is_active_a_year_before_is_not(audit):
    youths = [
        youth("J1", email="", date_dernier_contact="31/10/2026 10:00"),  # the reference day
        youth("J2", email="", date_dernier_contact="31/10/2025 10:00"),  # 12 months before: out
        youth("J3", email="", date_dernier_contact="01/11/2025 00:00"),  # the first day in
    ]
    assert flagged(audit("emails", {"jeunes": youths}), "EML-01") == {"J1", "J3"}


def test_a_resource_started_on_the_reference_day_in_the_morning_is_open_res06(audit):
    lines = [
        line("J1", "Aucun", start="01/01/2026"),
        line("J1", "Salaire", "1 200", start="31/10/2026 08:00"),  # open on the reference day
        line("J2", "Aucun", start="01/01/2026", end="31/10/2026 07:00"),  # ends that day: still open
        line("J2", "Salaire", "1 200", start="31/10/2026 08:00"),
    ]
    result = audit("ressources", {"jeunes": [youth("J1"), youth("J2")], "ressources": lines})
    assert flagged(result, "RES-06") == {"L1", "L3"}
    assert set(findings_of(result, "RES-06")["valeur"]) == {"Aucun"}


def test_a_training_ending_on_its_planned_day_at_any_hour_is_not_left_early_for05_for06_for07(audit):
    rows = [
        training("F1", date_fin_prevue="15/10/2026 17:00", date_fin_reelle="15/10/2026"),  # no FOR-06
        training("F2", date_fin_prevue="15/10/2026", date_fin_reelle="15/10/2026 09:00",
                 motif_interruption="Abandon"),  # not left early: the reason is the anomaly (FOR-05)
        training("F3", date_debut="15/10/2026 14:00", date_fin_prevue="15/10/2026"),  # no FOR-07
        training("F4", date_fin_prevue="15/10/2026 17:00", date_fin_reelle="14/10/2026 18:00"),  # left early
    ]
    result = audit("formations", {"jeunes": [youth("J1")], "formations": rows})
    assert flagged(result, "FOR-06") == {"F4"}
    assert flagged(result, "FOR-05") == {"F2"}
    assert flagged(result, "FOR-07") == set()
    # The value as read keeps its time: the officer finds the cell as the export wrote it.
    assert findings_of(result, "FOR-06")["id_enregistrement"].tolist() == ["F4"]


def test_dates_keep_their_time_as_read_but_rules_see_the_day(tmp_path):
    write_table(tmp_path, "jeunes", [youth("J1", date_dernier_contact="31/10/2026 10:00")])
    table = read_export(tmp_path).tables["jeunes"]
    assert table.data["date_dernier_contact"].iloc[0] == pd.Timestamp("2026-10-31")
    assert table.brut["date_dernier_contact"].iloc[0] == "31/10/2026 10:00"


# --- email and postcode: any script, ASCII digits --------------------------------------------------
def test_an_address_at_a_cyrillic_top_level_domain_is_valid_eml02(audit):
    youths = [
        youth("J1", email="jean@пример.рф"),
        youth("J2", email="jean@xn--e1afmkfd.xn--p1ai"),  # the same domain, punycode
        youth("J3", email="jean@exemple.r"),  # a one-letter TLD
        youth("J4", email="jean@exemple.f1"),
    ]
    assert flagged(audit("emails", {"jeunes": youths}), "EML-02") == {"J3", "J4"}


def test_full_width_digits_are_not_a_postcode_adr02(audit):
    youths = [youth("J1", code_postal="０１０００"), youth("J2", code_postal="01000"), youth("J3", code_postal="1000")]
    result = audit("adresses", {"jeunes": youths})
    assert flagged(result, "ADR-02") == {"J1", "J3"}
    assert findings_of(result, "ADR-02").set_index("id_enregistrement").loc["J1", "valeur"] == "０１０００"


def test_unicode_digits_are_no_amount(tmp_path):
    write_table(tmp_path, "jeunes", [youth("J1")])
    write_table(tmp_path, "ressources", [line("J1", "Salaire", "１２００"), line("J1", "Salaire", "1200")])
    ctx = AuditContext(read_export(tmp_path), REFERENCE)
    assert ctx.column("ressources", "montant").isna().tolist() == [True, False]
    assert flagged(audit_theme("donnees", ctx), "DAT-01") == {"L1"}


# --- same text: letters folded, never dropped ------------------------------------------------------
def test_an_address_differing_by_oe_is_not_the_same_eml05(audit):
    youths = [youth("J1", email="zoe.cœur@free.fr"), youth("J2", email="zoe.cur@free.fr")]
    assert flagged(audit("emails", {"jeunes": youths}), "EML-05") == set()


def test_an_address_with_accents_and_ligatures_is_the_same_as_its_folded_spelling_eml05(audit):
    youths = [
        youth("J1", email="Zoé.Cœur@free.fr"),
        youth("J2", email="zoe.coeur@free.fr"),
        youth("J3", email="strasse@free.fr"),
        youth("J4", email="STRAßE@free.fr"),
        youth("J5", email="жанна@free.fr"),  # another script: its letters are kept, not dropped
        youth("J6", email="жан@free.fr"),
    ]
    assert flagged(audit("emails", {"jeunes": youths}), "EML-05") == {"J1", "J2", "J3", "J4"}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Zoé   CŒUR ", "zoe coeur"),
        ("Æsa", "aesa"),
        ("Straße", "strasse"),
        ("Démarche  personnelle", "demarche personnelle"),
        ("zoe.cur", "zoe.cur"),
        ("Жанна", "жанна"),
        ("", None),
        ("   ", None),
    ],
)
def test_same_text_folds_letters_and_keeps_other_scripts(text, key):
    assert same_text_key(text) == key
    assert same_text_series(pd.Series([text], dtype="string")).iloc[0] == key


def test_same_text_of_a_column_is_the_same_text_of_each_value():
    values = ["Zoé.Cœur@free.fr", "zoe.cur", "ΣΟΦΊΑ", "σοφία", "Й", "ÉLODIE  Ø", "İstanbul", "ﬁn", None, "a\u00a0b"]
    keys = same_text_series(pd.Series(values, dtype="string")).tolist()
    assert keys == [same_text_key(v) for v in values]
    assert keys[2] == keys[3] and keys[4] != "и"  # Greek case folded; Cyrillic й is not и


# --- empty cells: blank, NULL, N/A, NA, -, ., ? ------------------------------------------------------
def test_null_in_a_date_is_empty_and_falls_back_as_empty_does(tmp_path):
    youths = [
        youth("J1", email="", date_dernier_contact="NULL", date_inscription="02/03/2026"),  # active: registration
        youth("J2", email="", date_dernier_contact="null", date_inscription="02/03/2020"),  # inactive
        youth("J3", email="", date_dernier_contact="", date_inscription="N/A"),  # neither date: inactive
        youth("J4", date_dernier_contact="demain"),  # unreadable: DAT-01
    ]
    write_table(tmp_path, "jeunes", youths)
    ctx = AuditContext(read_export(tmp_path), REFERENCE)
    assert flagged(audit_theme("emails", ctx), "EML-01") == {"J1"}
    assert flagged(audit_theme("donnees", ctx), "DAT-01") == {"J4"}
    assert ctx.table("jeunes").brut["date_dernier_contact"].tolist()[:2] == ["NULL", "null"]  # as read


def test_empty_words_in_typed_columns_are_empty_not_unreadable(tmp_path):
    write_table(tmp_path, "jeunes", [youth("J1", adresse_normalisee="NULL"), youth("J2", adresse_normalisee="?")])
    write_table(tmp_path, "ressources", [line("J1", "Salaire", "1 200", start="NULL"), line("J1", "Aucun", amount="-")])
    ctx = AuditContext(read_export(tmp_path), REFERENCE)
    assert flagged(audit_theme("donnees", ctx), "DAT-01") == set()
    assert flagged(audit_theme("adresses", ctx), "ADR-01") == {"J1", "J2"}  # not true: empty
    resources = audit_theme("ressources", ctx)
    assert flagged(resources, "RES-01") == {"L1"}
    assert flagged(resources, "RES-02") == {"L2"}
    # findings show the value as read
    assert findings_of(resources, "RES-01")["valeur"].tolist() == ["NULL"]


@pytest.mark.parametrize("empty", ["-", "NULL", "n/a", " NA ", ".", "?"])
def test_an_empty_word_as_origin_is_missing_ori02(audit, empty):
    youths = [youth("J1", origine_venue=empty), youth("J2", origine_venue="Démarche personnelle")]
    assert flagged(audit("origine", {"jeunes": youths}), "ORI-02") == {"J1"}


@pytest.mark.parametrize("empty", ["-", "NULL", "N/A"])
def test_an_empty_word_as_objective_is_missing_for01(audit, empty):
    rows = [training("F1", objectif=empty), training("F2")]
    result = audit("formations", {"jeunes": [youth("J1")], "formations": rows})
    assert flagged(result, "FOR-01") == {"F1"}


def test_a_dash_street_keeps_its_lieu_dit_meaning_adr02(audit):
    youths = [
        youth("J1", adresse_voie="-", adresse_complement="Lieu-dit Les Granges"),  # complete
        youth("J2", adresse_voie="-", adresse_complement=""),  # lieu-dit without its name
        youth("J3", adresse_voie="-", adresse_complement="NULL"),  # idem: the name is empty
        youth("J4", adresse_voie="NULL"),  # no street
        youth("J5", commune="-"),  # no commune
    ]
    result = audit("adresses", {"jeunes": youths})
    fields = findings_of(result, "ADR-02").set_index("id_enregistrement")["champ"].to_dict()
    assert fields == {"J2": "adresse_complement", "J3": "adresse_complement", "J4": "adresse_voie", "J5": "commune"}


def test_empty_cells_are_blank_or_an_empty_word_in_any_spelling():
    text = pd.Series(["NULL", "Null", "n/a", "NA", "na", "-", ".", "?", "NÀ", None, "Nanterre", "--", "N / A", "0"],
                     dtype="string")
    assert empty_cells(text).tolist() == [True] * 10 + [False] * 4
    assert empty_cells(pd.Series(["-", "NULL"], dtype="string"), "adresse_voie").tolist() == [False, True]


def test_an_identifier_that_says_null_is_an_ignored_line(tmp_path):
    write_table(tmp_path, "jeunes", [youth("J1"), youth("NULL")])
    table = read_export(tmp_path).tables["jeunes"]
    assert table.lignes == 1 and table.lignes_ignorees == 1


# --- a rule needs only the columns it reads --------------------------------------------------------
def test_usr03_without_creation_dates_judges_accounts_by_their_last_connection(tmp_path):
    accounts = [
        account("c.idle", date_derniere_connexion="15/01/2020 09:30"),
        account("c.never", date_derniere_connexion=""),  # neither date: not judged
        account("c.recent", date_derniere_connexion="30/10/2026 18:00"),
    ]
    write_table(tmp_path, "jeunes", [youth("J1")])
    write_table(tmp_path, "utilisateurs", [{k: v for k, v in a.items() if k != "date_creation"} for a in accounts])
    export = read_export(tmp_path)
    result = audit_theme("utilisateurs", AuditContext(export, REFERENCE))
    assert flagged(result, "USR-03") == {"c.idle"}
    summary = build_summary([result], export, AuditConfig(), dt.date(2026, 10, 31))
    assert "USR-03" not in {d["rule_id"] for d in summary["regles_desactivees"]}
    assert "USR-03" in {r["rule_id"] for r in summary["regles"]}


# --- the sample's oracle checks the charter, not the package ---------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [("  Zoé   CŒUR ", "zoe coeur"), ("Æsa", "aesa"), ("Straße", "strasse"), ("zoe.cur", "zoe.cur"), ("", None)],
)
def test_the_sample_folds_letters_with_its_own_same_text(text, key):
    assert charter.same_text(text) == key
    assert charter.same_text("Й") != charter.same_text("И")  # other scripts stay as they are


def test_the_sample_closes_the_annual_report_on_its_own_day():
    assert charter.closing_date("03-31", 2026) == dt.date(2026, 3, 31)
    assert charter.closing_date("02-29", 2027) == dt.date(2027, 2, 28)


def test_the_sample_shares_no_code_with_the_rules_it_checks():
    sample = Path(charter.__file__).parent
    for module in sample.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "from ..text import" not in source and "closing_date(s.thresholds," not in source, module.name
        assert "from ..themes" not in source and "from ..exports" not in source, module.name
