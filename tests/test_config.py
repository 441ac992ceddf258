"""The configuration file: thresholds change the findings, and the report states the values used."""

import datetime as dt
import html
import re

import pytest
from conftest import REFERENCE, account, write_table, youth

from imilo_audit.config import AuditConfig, load_config
from imilo_audit.errors import ConfigError
from imilo_audit.exports import read_export
from imilo_audit.report import render_index
from imilo_audit.report.synthesis import all_findings, build_summary
from imilo_audit.rules.audit import audit_theme
from imilo_audit.rules.catalogue import catalogue
from imilo_audit.themes import AuditContext


@pytest.fixture
def export(tmp_path):
    """3 of 10 newcomers by « Démarche personnelle » (0.30); an account idle for 4 months."""
    rows = [
        youth(f"J{i}", origine_venue="Démarche personnelle" if i < 3 else "Presse", date_inscription="01/06/2026")
        for i in range(10)
    ]
    write_table(tmp_path / "export", "jeunes", rows)
    write_table(tmp_path / "export", "utilisateurs", [account("c.idle", date_derniere_connexion="20/06/2026")])
    return read_export(tmp_path / "export")


def audit_with(export, config: AuditConfig):
    ctx = AuditContext(export, REFERENCE, config.thresholds)
    results = [audit_theme(theme, ctx) for theme in ("origine", "utilisateurs")]
    findings = all_findings(results)
    return set(findings["rule_id"]), build_summary(results, export, config, dt.date(2026, 10, 31)), findings


def test_changed_thresholds_change_ori01_and_usr03_and_the_report_says_so(export, tmp_path):
    rules, _, _ = audit_with(export, AuditConfig())
    assert {"ORI-01", "USR-03"} <= rules
    path = tmp_path / "ma-config.toml"
    path.write_text("[seuils]\nseuil_demarche_personnelle = 0.35\ninactivite_mois = 6\n", encoding="utf-8")
    config = load_config(path)
    rules, summary, findings = audit_with(export, config)
    assert "ORI-01" not in rules and "USR-03" not in rules
    assert summary["parametres_modifies"] == {"seuil_demarche_personnelle": 0.35, "inactivite_mois": 6}
    text = html.unescape(render_index(summary, findings, catalogue(), [], []))
    assert "0,35 (35" in text
    row = re.search(r"Inactivité d'un compte actif \(mois sans connexion\).{0,400}", text, re.S).group(0)
    assert re.search(r">\s*6\s*<", row)


def test_lower_threshold_flags_more(export, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[seuils]\nseuil_demarche_personnelle = 0.2\ninactivite_mois = 2\n", encoding="utf-8")
    rules, _, findings = audit_with(export, load_config(path))
    assert {"ORI-01", "USR-03"} <= rules
    assert "20%" in findings.set_index("rule_id").loc["ORI-01", "message"].iloc[0].replace("\u202f", "")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[seuils]\nseuil_demarche_personnelle = 2\n", "entre 0 et 1"),
        ('[seuils]\nage_retraite = "soixante"\n', "nombre entier"),
        ("[seuils]\ninconnu = 1\n", "Seuil inconnu"),
        ('[seuils]\ncloture_bilan = "31/03"\n', "MM-JJ"),
        ("[autre]\nx = 1\n", "section inconnue"),
        ("seuils = [\n", "mal écrit"),
    ],
)
def test_bad_configuration_gets_a_french_message(tmp_path, content, expected):
    path = tmp_path / "c.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_example_configuration_is_valid_and_equals_the_defaults():
    from pathlib import Path

    config = load_config(Path(__file__).resolve().parents[1] / "imilo-audit.exemple.toml")
    assert config.thresholds.changed() == {}


def test_configured_alias_reads_a_column_named_otherwise(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[alias.jeunes]\nemail = ["Mél"]\n', encoding="utf-8")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "jeunes.csv").write_text("Identifiant jeune;Mél\nJ1;lea@gmail.com\n", encoding="utf-8")
    export = read_export(folder, load_config(path).aliases)
    assert list(export.tables["jeunes"].data["email"]) == ["lea@gmail.com"]
