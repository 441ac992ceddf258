"""Follow-up of each finding from one month to the next: new, still there since when, fixed."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pandas as pd
from conftest import write_table, youth

from imilo_audit.notebook import synthesize
from imilo_audit.report.followup import follow_up

COLUMNS = ["rule_id", "gravite", "table", "id_enregistrement", "id_jeune", "conseiller", "lieu", "champ", "valeur",
           "message"]


def finding(rule: str, record: str, champ: str = "email", conseiller: str = "Sylvie DEBOUT", lieu: str = "Nord"):
    return {"rule_id": rule, "gravite": "erreur", "table": "jeunes" if record else "jeunes",
            "id_enregistrement": record, "id_jeune": record, "conseiller": conseiller, "lieu": lieu,
            "champ": champ, "valeur": "", "message": "…"}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS).astype("string")


def status(findings: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {f"{r.rule_id} {r.id_enregistrement or r.conseiller}": (r.suivi, r.premiere_detection)
            for r in findings.itertuples()}


def test_a_finding_still_there_is_persistent_since_its_first_month_and_a_gone_one_is_fixed():
    september = frame(finding("EML-01", "J1"), finding("EML-01", "J2"), finding("ORI-01", "", "origine_venue"))
    october = frame(finding("EML-01", "J2"), finding("EML-01", "J3"), finding("ORI-01", "", "origine_venue"))
    followed, fixed = follow_up(october, "2026-10", [("2026-09", september)])
    assert status(followed) == {
        "EML-01 J2": ("persistant", "2026-09"),
        "EML-01 J3": ("nouveau", "2026-10"),
        "ORI-01 Sylvie DEBOUT": ("persistant", "2026-09"),  # a group finding is the same group
    }
    assert list(fixed["id_enregistrement"]) == ["J1"] and list(fixed["suivi"]) == ["corrige"]


def test_the_same_record_with_another_field_or_group_is_another_finding():
    september = frame(finding("ADR-02", "J1", "code_postal"), finding("ORI-01", "", "origine_venue", lieu="Nord"))
    october = frame(finding("ADR-02", "J1", "commune"), finding("ORI-01", "", "origine_venue", lieu="Sud"))
    followed, fixed = follow_up(october, "2026-10", [("2026-09", september)])
    assert set(followed["suivi"]) == {"nouveau"} and len(fixed) == 2


def test_first_detection_goes_back_while_every_audit_has_the_finding():
    had, lacked = frame(finding("EML-01", "J1")), frame(finding("EML-01", "J9"))
    since_august, _ = follow_up(frame(finding("EML-01", "J1")), "2026-10", [("2026-09", had), ("2026-08", had)])
    assert status(since_august) == {"EML-01 J1": ("persistant", "2026-08")}
    back_again, _ = follow_up(frame(finding("EML-01", "J1")), "2026-10", [("2026-09", lacked), ("2026-08", had)])
    assert status(back_again) == {"EML-01 J1": ("nouveau", "2026-10")}  # fixed in September, back in October


def read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_two_audits_in_one_folder_count_new_persistent_and_fixed_from_the_two_findings_files(tmp_path):
    export, audits = tmp_path / "export", tmp_path / "audits"
    seen = {"date_dernier_contact": "15/09/2026"}  # active at both dates de référence
    write_table(export, "jeunes", [youth("J1", email="", **seen), youth("J2", email="", **seen), youth("J3", **seen)])
    synthesize(str(export), "2026-09-30", dossier_sortie=str(audits / "2026-09"), dossier_audits=str(audits))
    write_table(export, "jeunes", [youth("J1", **seen), youth("J2", email="", **seen), youth("J3", email="", **seen)])
    synthesize(str(export), "2026-10-31", dossier_sortie=str(audits / "2026-10"), dossier_audits=str(audits))

    before, after = read(audits / "2026-09" / "findings.csv"), read(audits / "2026-10" / "findings.csv")
    key = ("rule_id", "table", "id_enregistrement", "champ")
    known = {tuple(r[k] for k in key) for r in before}
    expected = Counter()
    for row in after:
        expected[(row["rule_id"], "persistants" if tuple(row[k] for k in key) in known else "nouveaux")] += 1
        assert row["suivi"] == ("persistant" if tuple(row[k] for k in key) in known else "nouveau")
        assert row["premiere_detection"] == ("2026-09" if row["suivi"] == "persistant" else "2026-10")
    now = {tuple(r[k] for k in key) for r in after}
    fixed = [r for r in before if tuple(r[k] for k in key) not in now]
    for row in fixed:
        expected[(row["rule_id"], "corriges")] += 1
    assert [(r["id_enregistrement"], r["suivi"]) for r in read(audits / "2026-10" / "corriges.csv")] == [
        (r["id_enregistrement"], "corrige") for r in fixed
    ]
    assert ("EML-01", "corriges") in expected and ("EML-01", "nouveaux") in expected  # the case is exercised

    summary = json.loads((audits / "2026-10" / "summary.json").read_text(encoding="utf-8"))
    found = Counter()
    for rule in summary["regles"]:
        for column in ("nouveaux", "persistants", "corriges"):
            if rule[column]:
                found[(rule["rule_id"], column)] = rule[column]
    assert found == expected
