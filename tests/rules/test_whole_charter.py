"""The whole charter on generated exports: every rule of attendus.csv, one test per rule.

The sample (data_samples/) is audited by the real command (the session's ``sample_run``); the
second sample (1 200 youths, seed 7) in-process, as the synthesis notebook would, to save a run.
An export without ``dispositifs`` must say, in summary.json and in the report's « À savoir », that
the rules needing it were not run.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import KEY, difference

from imilo_audit.config import AuditConfig
from imilo_audit.exports import read_export
from imilo_audit.report.synthesis import all_findings, write_findings_csv, write_outputs
from imilo_audit.rules.audit import audit_all
from imilo_audit.sample import generate_sample
from imilo_audit.themes import AuditContext

SAMPLE = Path(__file__).resolve().parents[2] / "data_samples"
EXPECTED = SAMPLE / "attendus.csv"
REFERENCE = dt.date(2026, 10, 31)
# rules.md: the dispositifs' rules, and CTC-01 (an open CER is a line of ``dispositifs``).
NEEDS_DISPOSITIFS = {f"DSP-0{i}" for i in range(1, 7)} | {"CTC-01"}


def by_rule(path: Path) -> dict[str, Counter]:
    """The rows of a findings.csv-like file (KEY columns), per rule."""
    rules: dict[str, Counter] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            rules.setdefault(row["rule_id"], Counter())[tuple(row[k] for k in KEY)] += 1
    return rules


RULES = sorted(by_rule(EXPECTED)) if EXPECTED.exists() else []


@pytest.fixture(scope="module")
def sample_findings(sample_run) -> dict[str, Counter]:
    return by_rule(sample_run / "findings.csv")


@pytest.fixture(scope="module")
def second_sample(tmp_path_factory) -> tuple[dict[str, Counter], dict[str, Counter], list[dict[str, str]]]:
    """attendus.csv of the second sample, its findings (written as findings.csv is) and its disabled rules."""
    folder = tmp_path_factory.mktemp("echantillon_graine7")
    export = folder / "export"
    generate_sample(export, jeunes=1200, seed=7)
    results = audit_all(AuditContext(read_export(export), REFERENCE))
    write_findings_csv(all_findings(results), folder / "findings.csv")
    disabled = [d for result in results for d in result.regles_desactivees]
    return by_rule(export / "attendus.csv"), by_rule(folder / "findings.csv"), disabled


@pytest.mark.parametrize("rule_id", RULES)
def test_sample_findings_equal_expected(sample_findings, rule_id):
    expected = by_rule(EXPECTED)[rule_id]
    found = sample_findings.get(rule_id, Counter())
    assert found == expected, difference(found, expected)


def test_sample_finds_no_rule_outside_the_expected(sample_findings):
    assert set(sample_findings) <= set(RULES)


def test_sample_disables_no_rule(sample_run):
    summary = json.loads((sample_run / "summary.json").read_text(encoding="utf-8"))
    assert summary["regles_desactivees"] == []
    assert summary["tables_absentes"] == []
    assert set(RULES) <= {r["rule_id"] for r in summary["regles"]}


@pytest.mark.parametrize("rule_id", RULES)
def test_second_sample_findings_equal_expected(second_sample, rule_id):
    expected, found, _ = second_sample
    assert expected.get(rule_id), f"the second sample plants no {rule_id} finding"
    mine = found.get(rule_id, Counter())
    assert mine == expected[rule_id], difference(mine, expected[rule_id])


def test_second_sample_finds_no_rule_outside_the_expected_and_disables_none(second_sample):
    expected, found, disabled = second_sample
    assert set(found) <= set(expected)
    assert disabled == []


@pytest.mark.skipif(not EXPECTED.exists(), reason="no generated sample")
def test_export_without_dispositifs_says_which_rules_were_not_run(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    for path in SAMPLE.iterdir():
        if path.is_file() and path.name != "attendus.csv" and not path.name.startswith("dispositifs"):
            shutil.copy(path, export / path.name)
    data = read_export(export)
    assert "dispositifs" not in data.tables and "evenements" in data.tables
    summary = write_outputs(
        tmp_path / "2026-10", audit_all(AuditContext(data, REFERENCE)), data, AuditConfig(), REFERENCE
    )

    written = json.loads((tmp_path / "2026-10" / "summary.json").read_text(encoding="utf-8"))
    assert written["regles_desactivees"] == summary["regles_desactivees"]
    disabled = {d["rule_id"]: d["raison"] for d in written["regles_desactivees"]}
    assert set(disabled) == NEEDS_DISPOSITIFS
    assert all("dispositifs" in reason for reason in disabled.values()), disabled
    ran = {r["rule_id"] for r in written["regles"]}
    assert not ran & NEEDS_DISPOSITIFS and "CTC-02" in ran  # the theme still audits the dossiers

    page = (tmp_path / "2026-10" / "index.html").read_text(encoding="utf-8")
    start = page.index('id="a-savoir"')
    section = html.unescape(re.sub(r"<[^>]+>", " ", page[start : page.index("<h3", start)]))
    section = re.sub(r"\s+", " ", section.replace("\u00a0", " ").replace("\u202f", " "))
    listed = set(re.findall(r"Règle désactivée : ([A-Z]+-\d+)", section))
    assert listed == NEEDS_DISPOSITIFS, section
    assert "« dispositifs » absente" in section


@pytest.fixture(scope="module")
def heavy_sample(tmp_path_factory) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """A findings-heavy export (--taux-anomalies 0.45, like a real first audit): attendus.csv and the findings."""
    folder = tmp_path_factory.mktemp("echantillon_charge")
    export = folder / "export"
    generate_sample(export, jeunes=1500, seed=11, defect_rate=0.45)
    results = audit_all(AuditContext(read_export(export), REFERENCE))
    write_findings_csv(all_findings(results), folder / "findings.csv")
    return by_rule(export / "attendus.csv"), by_rule(folder / "findings.csv")


def test_a_findings_heavy_export_is_audited_exactly(heavy_sample):
    expected, found = heavy_sample
    planted = sum(sum(rule.values()) for rule in expected.values())
    assert 0.35 * 1500 <= planted <= 0.55 * 1500  # about 0.45 finding per youth, as asked
    assert set(found) == set(expected)
    for rule_id, rows in expected.items():
        assert found[rule_id] == rows, f"{rule_id} : " + difference(found[rule_id], rows)


def test_validations_keep_each_expectation_its_counts_and_flagged_rows_but_no_value(sample_run):
    """validations/: GX's shape for a GX user, the flagged rows by number; the values stay in findings.csv only."""
    found = by_rule(sample_run / "findings.csv")
    outcomes = {}
    for path in (sample_run / "validations").glob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        assert {"success", "statistics", "suite_name", "meta", "results"} <= set(result), path.name
        for outcome in result["results"]:
            outcomes[outcome["expectation_config"]["meta"]["rule_id"]] = outcome
    assert set(found) <= set(outcomes)
    emails = outcomes["EML-02"]
    assert emails["expectation_config"]["type"].startswith("expect_")
    kept = emails["result"]
    assert not {"unexpected_list", "partial_unexpected_list", "partial_unexpected_counts",
                "unexpected_index_query"} & set(kept)
    assert kept["unexpected_count"] == len(kept["unexpected_index_list"]) > 0
    assert all(set(row) == {"ligne"} for row in kept["unexpected_index_list"])
    assert "@" not in json.dumps(kept)  # not one email of the flagged rows
