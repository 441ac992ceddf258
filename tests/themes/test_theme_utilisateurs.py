"""User accounts: unsubscription after the annual report, retirement, idle billing, transfers…"""

import datetime as dt

from conftest import account, flagged, write_table, youth

from imilo_audit.config import Thresholds
from imilo_audit.exports import read_export
from imilo_audit.rules.audit import audit_theme
from imilo_audit.themes import AuditContext


def run(audit, accounts, youths=None, **thresholds):
    return audit("utilisateurs", {"jeunes": youths or [youth("J1")], "utilisateurs": accounts}, **thresholds)


def test_deactivated_account_is_to_unsubscribe_once_its_year_is_closed_usr01(audit):
    accounts = [
        account("c.ancien", etat="Désactivé", date_desactivation="15/06/2024"),  # N-2
        account("c.annee", etat="desactivé", date_desactivation="15/06/2025"),  # N-1, after 31 March N
        account("c.recent", etat="Désactivé", date_desactivation="15/06/2026"),  # year N: not yet
        account("c.sansdate", etat="Désactivé", date_desactivation=""),
    ]
    assert flagged(run(audit, accounts), "USR-01") == {"c.ancien", "c.annee", "c.sansdate"}


def test_before_the_annual_report_is_closed_last_year_is_not_due(tmp_path):
    folder = tmp_path / "export"
    write_table(folder, "jeunes", [youth("J1")])
    write_table(folder, "utilisateurs", [account("c.annee", etat="Désactivé", date_desactivation="15/06/2025")])
    export = read_export(folder)
    early = audit_theme("utilisateurs", AuditContext(export, dt.date(2026, 2, 28)))
    late = audit_theme("utilisateurs", AuditContext(export, dt.date(2026, 2, 28), Thresholds(cloture_bilan="02-15")))
    assert flagged(early, "USR-01") == set()
    assert flagged(late, "USR-01") == {"c.annee"}


def test_retirement_age_usr02(audit):
    accounts = [
        account("c.senior", date_naissance="01/10/1962"),  # 64 on 31/10/2026
        account("c.presque", date_naissance="15/11/1962"),  # 63
        account("c.parti", date_naissance="01/01/1950", etat="Désabonné"),
    ]
    assert flagged(run(audit, accounts), "USR-02") == {"c.senior"}


def test_idle_billed_account_and_configured_delay_usr03(audit):
    accounts = [
        account("c.idle", date_derniere_connexion="15/06/2026"),
        account("c.jamais", date_derniere_connexion="", date_creation="01/02/2026"),
        account("c.neuf", date_derniere_connexion="", date_creation="15/10/2026"),
        account("c.off", etat="Désactivé", date_desactivation="15/10/2026", date_derniere_connexion="01/01/2026"),
    ]
    assert flagged(run(audit, accounts), "USR-03") == {"c.idle", "c.jamais"}
    assert flagged(run(audit, accounts, inactivite_mois=6), "USR-03") == {"c.jamais"}


def test_inactive_account_still_referent_gives_the_count_usr04(audit):
    youths = [
        youth("J1", conseiller_referent="Claire MOREAU"),
        youth("J2", conseiller_referent="moreau claire"),
        youth("J3", conseiller_referent="c.moreau"),
        youth("J4", conseiller_referent="Paul DURAND"),
    ]
    accounts = [
        account("c.moreau", nom="MOREAU", etat="Désactivé", date_desactivation="15/10/2026"),
        account("p.durand", nom="DURAND", prenom="Paul"),  # active: fine
    ]
    result = run(audit, accounts, youths)
    assert flagged(result, "USR-04") == {"c.moreau"}
    assert "3 dossiers jeunes\u00a0:" in result.findings.set_index("rule_id").loc["USR-04", "message"]


def test_account_without_email_usr05_and_generic_accounts_usr06(audit):
    accounts = [
        account("c.vide", email=""),
        account("c.parti", email="", etat="Désabonné"),
        account("accueil.ml", nom="ACCUEIL"),
        account("equipe.emploi", nom="EMPLOI", prenom="Équipe"),
        account("p.testard", nom="TESTARD"),  # a surname, not the word "test"
    ]
    result = run(audit, accounts)
    assert flagged(result, "USR-05") == {"c.vide"}
    assert flagged(result, "USR-06") == {"accueil.ml", "equipe.emploi"}
    assert result.findings.set_index("id_enregistrement").loc["equipe.emploi", "champ"] == "prenom"


def test_a_digit_or_punctuation_separates_words_usr06(audit):
    """rules.md, USR-06: « digits, spaces and punctuation separate words (accueil2, standard_ml, equipe.emploi are
    generic, accueillant and testard are not) »."""
    accounts = [
        account(login, nom="MARTIN", prenom="Julie") for login in (
            "accueil2", "test1", "1test", "stagiaire2026", "standard_ml", "admin-ml", "accueillant", "testard",
            "j.martin2")
    ]
    result = run(audit, accounts)
    assert flagged(result, "USR-06") == {"accueil2", "test1", "1test", "stagiaire2026", "standard_ml", "admin-ml"}
    assert set(result.findings.loc[result.findings["rule_id"] == "USR-06", "champ"]) == {"login"}


def test_direction_on_an_inactive_account_or_on_several_usr07(audit):
    one_active = [account("d.chef", fonctions="Direction, Conseiller référent"), account("c.autre")]
    assert flagged(run(audit, one_active), "USR-07") == set()
    two = [account("d.chef", fonctions="Direction"), account("d.ancien", fonctions="direction / RH", etat="Désactivé")]
    assert flagged(run(audit, two), "USR-07") == {"d.chef", "d.ancien"}


def test_duplicate_account_keeps_the_oldest_usr08(audit):
    accounts = [
        account("s.debout", nom="DEBOUT", prenom="Sylvie", date_creation="01/01/2015"),
        account("sy.debout", nom="Debout", prenom="sylvie", date_creation="01/01/2021"),
        account("s.debout2", nom="DEBOUT", prenom="Sylvie", date_naissance="01/01/1990"),  # another person
    ]
    assert flagged(run(audit, accounts), "USR-08") == {"sy.debout"}
