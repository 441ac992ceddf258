"""Two monthly audits into one folder: the second report's follow-up equals the two findings.csv files.

The expected figures are computed here from the CSV files alone, with outputs.md's rule of
sameness (rule_id, table, id_enregistrement, champ; for group findings rule_id, conseiller, lieu),
never with the package's follow-up code.
"""

from __future__ import annotations

import csv
import html as html_lib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import write_table, youth

NORTH, SOUTH = "Mission Locale Nord", "Mission Locale Sud"
STRUCTURE_OF = {"J1": NORTH, "J2": NORTH, "J3": NORTH, "J4": SOUTH, "J5": SOUTH, "J6": SOUTH}
THEME_OF_PREFIX = {"ADR": "adresses", "EML": "emails", "ORI": "origine", "RES": "ressources",
                   "FOR": "formations", "USR": "utilisateurs", "DAT": "donnees", "IDN": "identite",
                   "DSP": "dispositifs", "CTC": "dispositifs", "MOB": "mobilite", "FT": "mobilite"}


def run(exports: list[Path], audits: Path, month: str) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "imilo_audit.cli", "run", *map(str, exports), "--out", str(audits), "--month", month,
         "--quiet"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return audits / month


def read_findings(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def key(row: dict[str, str]) -> tuple:
    if row["id_enregistrement"]:
        return (row["rule_id"], row["table"], row["id_enregistrement"], row["champ"])
    return (row["rule_id"], "groupe", row["conseiller"], row["lieu"])


@pytest.fixture(scope="module")
def two_months(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("suivi")
    october = base / "export-octobre"
    write_table(october, "jeunes", [
        youth("J1", email=""),                                  # EML-01, fixed in November
        youth("J2", adresse_normalisee="Non"),                  # ADR-01, still there in November
        youth("J3", email="j3@gmial.com"),                      # EML-04, still there
        youth("J4"),                                            # clean, then a new ADR-02 in November
        youth("J5", conseiller_referent="MARTIN Paul", email="pasdemail@gmail.com"),  # EML-03, then emptied
    ])
    # November comes as two export folders, one per structure: the north one names its structure by its
    # folder (no structure column), the south one by its column
    north, south = base / NORTH, base / "export-sud"
    write_table(north, "jeunes", [
        youth("J1"),
        youth("J2", adresse_normalisee="Non"),
        youth("J3", email="j3@gmial.com"),
    ])
    write_table(south, "jeunes", [
        youth("J4", code_postal="330", structure=SOUTH),
        youth("J5", conseiller_referent="Paul MARTIN", email="", structure=SOUTH),  # EML-01: new, same counsellor
        youth("J6", email="", structure=SOUTH),                 # a new dossier with a new EML-01
    ])
    audits = base / "audits"
    return run([october], audits, "2026-10"), run([north, south], audits, "2026-11")


def test_second_report_follow_up_equals_the_two_findings_files(two_months):
    first, second = two_months
    before, now = read_findings(first / "findings.csv"), read_findings(second / "findings.csv")
    assert before and now
    before_keys = {key(row) for row in before}
    now_keys = {key(row) for row in now}
    expected = {theme: Counter() for theme in THEME_OF_PREFIX.values()}
    for row in now:
        status = "persistants" if key(row) in before_keys else "nouveaux"
        expected[THEME_OF_PREFIX[row["rule_id"].split("-")[0]]][status] += 1
    # outputs.md: only a record still in its rule's scope is fixed. J1 got its email (EML-01: corrige); J5's
    # placeholder was emptied: EML-03 looks at syntactically valid addresses only (hors_perimetre), EML-01 flags it
    reasons = {("EML-01", "J1"): "corrige", ("EML-03", "J5"): "hors_perimetre"}
    gone = [row for row in before if key(row) not in now_keys]
    assert {(row["rule_id"], row["id_enregistrement"]) for row in gone} == set(reasons)
    for row in gone:
        if reasons[row["rule_id"], row["id_enregistrement"]] == "corrige":
            expected[THEME_OF_PREFIX[row["rule_id"].split("-")[0]]]["corriges"] += 1

    page = (second / "index.html").read_text(encoding="utf-8")
    shown = {
        theme: {"nouveaux": int(new), "persistants": int(old), "corriges": int(fixed)}
        for theme, new, old, fixed in re.findall(
            r'<tr data-theme="([a-z]+)" data-anomalies="\d+" data-nouveaux="(\d+)" data-persistants="(\d+)" '
            r'data-corriges="(\d+)">', page)
    }
    assert shown
    for theme, figures in shown.items():
        assert figures == {k: expected[theme][k] for k in ("nouveaux", "persistants", "corriges")}, theme

    fixed_file = read_findings(second / "corriges.csv")
    assert {key(row) for row in fixed_file} == before_keys - now_keys
    assert {(row["rule_id"], row["id_enregistrement"]): row["suivi"] for row in fixed_file} == reasons


def test_second_report_trend_equals_the_two_findings_files(two_months):
    first, second = two_months
    per_month = {
        month: Counter(THEME_OF_PREFIX[row["rule_id"].split("-")[0]] for row in read_findings(folder / "findings.csv"))
        for month, folder in (("2026-10", first), ("2026-11", second))
    }
    page = (second / "index.html").read_text(encoding="utf-8")
    trend = page[page.index('class="trend-data"'):]
    trend = trend[: trend.index("</table>")]
    months = re.findall(r'data-mois="(\d{4}-\d{2})"', trend)
    assert months == ["2026-10", "2026-11"]
    rows = re.findall(r'<tr data-theme="([a-z]+)">(.*?)</tr>', trend)
    assert rows
    for theme, cells in rows:
        # "" is a month where the theme's rules could not run (their columns are absent): no finding then
        values = [int(v) if v else 0 for v in re.findall(r'data-valeur="(\d*)"', cells)]
        assert values == [per_month[m][theme] for m in months], theme


def test_one_counsellor_in_two_spellings_is_one_row(two_months):
    _first, second = two_months
    text = html_lib.unescape((second / "index.html").read_text(encoding="utf-8"))
    table = text[text.index('id="conseillers"'):]
    table = table[: table.index("</table>")]
    assert table.count("MARTIN") == 1  # « MARTIN Paul » in October, « Paul MARTIN » in November


def test_several_structures_are_compared(two_months):
    """November's two export folders are audited as one export that compares its two structures."""
    _first, second = two_months
    findings = read_findings(second / "findings.csv")
    summary = json.loads((second / "summary.json").read_text(encoding="utf-8"))
    by_structure = {item["structure"]: item for item in summary["structures"]}
    assert set(by_structure) == {NORTH, SOUTH}
    for name, item in by_structure.items():
        expected = Counter(row["rule_id"] for row in findings if STRUCTURE_OF.get(row["id_jeune"]) == name)
        assert {rule["rule_id"]: rule["anomalies"] for rule in item["regles"]} == dict(expected), name
        assert item["jeunes"] == 3
    page = html_lib.unescape((second / "index.html").read_text(encoding="utf-8"))
    assert "Comparaison des structures" in page
    assert f'data-structure="{NORTH}"' in page and f'data-structure="{SOUTH}"' in page
