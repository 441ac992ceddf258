"""The real command on generated exports: findings.csv must equal attendus.csv, family by family."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import KEY, difference, fingerprint, imilo_audit

from imilo_audit.report import external_requests
from imilo_audit.sample import generate_sample

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data_samples"
FAMILIES = ["ADR", "EML", "ORI", "RES", "FOR", "USR", "DAT"]



def rows(path: Path, family: str) -> Counter:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return Counter(tuple(r[k] for k in KEY) for r in reader if r["rule_id"].startswith(family + "-"))





def run(export: Path, out: Path) -> Path:
    result = imilo_audit("run", export, "--out", out, "--month", "2026-10", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "2026-10" / "index.html")
    return out / "2026-10"


@pytest.fixture(scope="module")
def sample_audit(tmp_path_factory):
    before = fingerprint(SAMPLE)
    folder = run(SAMPLE, tmp_path_factory.mktemp("audits"))
    assert fingerprint(SAMPLE) == before, "the export folder must never be modified"
    return folder


@pytest.fixture(scope="module")
def second_sample(tmp_path_factory):
    export = tmp_path_factory.mktemp("export_seed7")
    generate_sample(export, jeunes=1200, seed=7)
    return export, run(export, tmp_path_factory.mktemp("audits"))


@pytest.mark.parametrize("family", FAMILIES)
def test_sample_findings_equal_expected(sample_audit, family):
    found, expected = rows(sample_audit / "findings.csv", family), rows(SAMPLE / "attendus.csv", family)
    assert expected, f"the sample plants no {family} finding"
    assert found == expected, difference(found, expected)


@pytest.mark.parametrize("family", FAMILIES)
def test_second_sample_findings_equal_expected(second_sample, family):
    export, folder = second_sample
    found, expected = rows(folder / "findings.csv", family), rows(export / "attendus.csv", family)
    assert expected
    assert found == expected, difference(found, expected)


def test_audit_folder_holds_every_output(sample_audit):
    names = {p.name for p in sample_audit.iterdir()}
    assert {"index.html", "findings.csv", "summary.json", "notebooks", "validations", "par_conseiller"} <= names
    assert {"10_adresses.html", "20_emails.html", "60_utilisateurs.html"} <= names
    assert "_travail" not in names  # typed copies of the export are not published
    assert sorted(p.name for p in (sample_audit / "validations").iterdir())
    assert list((sample_audit / "par_conseiller").glob("*.xlsx"))
    assert (sample_audit / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbfrule_id;gravite;table;")


def test_summary_counts_match_findings(sample_audit):
    summary = json.loads((sample_audit / "summary.json").read_text(encoding="utf-8"))
    assert summary["date_reference"] == "2026-10-31"
    with (sample_audit / "findings.csv").open(encoding="utf-8-sig") as handle:
        per_rule = Counter(r["rule_id"] for r in csv.DictReader(handle, delimiter=";"))
    assert {r["rule_id"]: r["anomalies"] for r in summary["regles"] if r["anomalies"]} == dict(per_rule)
    for rule in summary["regles"]:
        assert rule["statut"] == ("echec" if rule["anomalies"] else "ok")
        assert rule["controles"] >= rule["anomalies"]


def test_index_is_french_offline_and_says_what_was_found(sample_audit):
    html = (sample_audit / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html
    assert "31/10/2026" in html
    assert external_requests(html) == []
    for title in ("Adresses", "Emails", "Origine de la venue", "Ressources", "Formations", "Utilisateurs"):
        assert title in html
    summary = json.loads((sample_audit / "summary.json").read_text(encoding="utf-8"))
    total = sum(r["anomalies"] for r in summary["regles"])
    assert f"{total:,}".replace(",", "\u202f") in html or str(total) in html
    for page in ("10_adresses.html", "99_synthese.html"):
        page_html = (sample_audit / page).read_text(encoding="utf-8")
        assert external_requests(page_html) == [] and 'lang="fr"' in page_html
        assert "run_theme(" not in page_html and "synthesize(" not in page_html  # code cells hidden


@pytest.mark.parametrize("notebook", ["10_adresses.ipynb", "99_synthese.ipynb"])
def test_notebooks_run_alone_with_their_default_parameters(notebook, tmp_path):
    import papermill

    output = tmp_path / notebook
    papermill.execute_notebook(
        str(ROOT / "notebooks" / notebook), str(output), cwd=str(ROOT / "notebooks"), progress_bar=False
    )
    text = output.read_text(encoding="utf-8")
    assert "Audit « " in text and "Traceback" not in text
