"""A missing optional table or column disables exactly the rules that need it, with the reason."""

import datetime as dt

from conftest import REFERENCE, account, write_table, youth

from imilo_audit.config import AuditConfig
from imilo_audit.exports import read_export
from imilo_audit.report.synthesis import build_summary
from imilo_audit.rules.audit import audit_all
from imilo_audit.themes import AuditContext


def summary_of(folder):
    export = read_export(folder)
    results = audit_all(AuditContext(export, REFERENCE))
    return build_summary(results, export, AuditConfig(), dt.date(2026, 10, 31))


def test_absent_tables_disable_their_themes_rules(tmp_path):
    write_table(tmp_path, "jeunes", [youth("J1")])
    summary = summary_of(tmp_path)
    disabled = {d["rule_id"]: d["raison"] for d in summary["regles_desactivees"]}
    for_table = {rule for rule, reason in disabled.items() if reason.startswith("table ")}
    assert for_table == {f"RES-0{i}" for i in range(1, 8)} | {f"FOR-0{i}" for i in range(1, 8)} | {
        f"USR-0{i}" for i in range(1, 9)
    } | {f"DSP-0{i}" for i in range(1, 7)} | {"CTC-01"}
    assert "CTC-02" not in disabled  # it reads only jeunes
    assert disabled["FOR-01"] == "table « formations » absente de l'export"
    themes = {t["theme"]: t["statut"] for t in summary["themes"]}
    assert themes["formations"] == "ignore" and themes["adresses"] == "audite"
    ran = {r["rule_id"] for r in summary["regles"]}
    assert {"ADR-01", "EML-01", "ORI-01", "ORI-02", "DAT-01", "DAT-02", "DAT-03"} <= ran
    assert not ran & set(disabled)


def test_absent_column_disables_only_the_rules_that_read_it(tmp_path):
    write_table(tmp_path, "jeunes", [{k: v for k, v in youth("J1").items() if k != "email"}])
    accounts = [{k: v for k, v in account("c.moreau").items() if k != "date_derniere_connexion"}]
    write_table(tmp_path, "utilisateurs", accounts)
    summary = summary_of(tmp_path)
    disabled = {d["rule_id"]: d["raison"] for d in summary["regles_desactivees"]}
    assert {r for r in disabled if r.startswith(("EML", "USR"))} == {f"EML-0{i}" for i in range(1, 6)} | {"USR-03"}
    assert disabled["USR-03"] == "colonne « Date de dernière connexion » absente du fichier utilisateurs.csv"
    assert disabled["EML-01"] == "colonne « Email » absente du fichier jeunes.csv"
    ran = {r["rule_id"] for r in summary["regles"]}
    assert {"USR-01", "USR-02", "USR-04", "USR-05", "USR-06", "USR-07", "USR-08", "ADR-01"} <= ran
