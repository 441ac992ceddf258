"""GX suites: every shipped suite builds whole; a dropped expectation or a crash is never silent."""

import json
import shutil

import pytest
from conftest import REFERENCE, write_table, youth

from imilo_audit.errors import SuiteError
from imilo_audit.exports import read_export
from imilo_audit.rules import validation
from imilo_audit.rules.audit import audit_theme
from imilo_audit.themes import THEMES, AuditContext


@pytest.fixture
def suites(tmp_path, monkeypatch):
    """A writable copy of expectations/ used instead of the real one."""
    copy = tmp_path / "expectations"
    shutil.copytree(validation.suites_dir(), copy)
    monkeypatch.setenv("IMILO_AUDIT_EXPECTATIONS", str(copy))
    validation.load_suite.cache_clear()
    yield copy
    validation.load_suite.cache_clear()


@pytest.fixture
def ctx(tmp_path):
    write_table(tmp_path / "export", "jeunes", [youth("J1", email="")])
    return AuditContext(read_export(tmp_path / "export"), REFERENCE)


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_shipped_suite_builds_with_all_its_expectations(theme):
    import great_expectations as gx

    suite = validation.load_suite(theme)
    rules = [e["meta"]["rule_id"] for e in suite["expectations"]]
    assert len(rules) == len(set(rules)), "one expectation per rule"
    built = gx.ExpectationSuite(name=theme, expectations=suite["expectations"])
    assert len(built.expectations) == len(rules)


def test_misspelt_expectation_type_stops_the_run_naming_the_rule(suites, ctx):
    path = suites / "emails.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["type"] = "expect_column_values_to_not_be_nul"
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match="EML-01"):
        audit_theme("emails", ctx)


def test_expectation_that_crashes_is_an_internal_failure_not_a_finding(suites, ctx):
    path = suites / "emails.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["kwargs"]["column"] = "colonne_inexistante"
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match="EML-01"):
        audit_theme("emails", ctx)


def test_expectation_without_rule_meta_is_refused(suites):
    path = suites / "adresses.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    del suite["expectations"][1]["meta"]["message"]
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match="n° 2"):
        validation.load_suite("adresses")


def test_more_than_200_faulty_values_are_all_reported(tmp_path):
    rows = [youth(f"J{i:04d}", email=f"mauvais{i}@gmail") for i in range(450)]
    write_table(tmp_path / "export", "jeunes", rows)
    result = audit_theme("emails", AuditContext(read_export(tmp_path / "export"), REFERENCE))
    eml02 = result.findings[result.findings["rule_id"] == "EML-02"]
    assert len(eml02) == 450  # GX's unexpected_list stops at 200; values come from the frame
    assert set(eml02["valeur"]) == {f"mauvais{i}@gmail" for i in range(450)}
