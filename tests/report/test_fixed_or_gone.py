"""Only real fixes count as « corrigées » (outputs.md): a finding gone because its dossier left the rule's
scope is ``hors_perimetre``, one whose record left the export ``disparu``; corriges.csv says which."""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import write_table, youth

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def audit(export: Path, audits: Path, month: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "imilo_audit.cli", "run", str(export), "--out", str(audits),
                           "--month", month, "--quiet"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return audits / month


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_twenty_fixed_twenty_out_of_the_active_perimeter_three_gone(tmp_path):
    fixed = [f"F{n}" for n in range(1, 21)]  # the counsellor typed the email
    unreadable = [f"P{n}" for n in range(1, 11)]  # last contact now unreadable: active by registration (2025), no more
    stale = [f"P{n}" for n in range(11, 21)]  # last contact now older than 12 months: no longer active
    deleted = ["D1", "D2", "D3"]  # no longer in the export
    october = [youth(i, email="") for i in fixed + unreadable + stale + deleted]
    october += [youth(f"C{n}") for n in range(1, 8)]
    write_table(tmp_path / "octobre", "jeunes", october)
    november = [youth(i, email=f"{i.lower()}.durand@gmail.com") for i in fixed]
    november += [youth(i, email="", date_dernier_contact="31/02/2026") for i in unreadable]
    november += [youth(i, email="", date_dernier_contact="15/01/2024") for i in stale]
    november += [youth(f"C{n}", date_dernier_contact="15/11/2026") for n in range(1, 8)]
    write_table(tmp_path / "novembre", "jeunes", november)

    first = audit(tmp_path / "octobre", tmp_path / "audits", "2026-10")
    assert Counter(r["rule_id"] for r in rows(first / "findings.csv"))["EML-01"] == 43
    second = audit(tmp_path / "novembre", tmp_path / "audits", "2026-11")

    gone = rows(second / "corriges.csv")
    reasons = {row["id_enregistrement"]: row["suivi"] for row in gone if row["rule_id"] == "EML-01"}
    assert reasons == {**dict.fromkeys(fixed, "corrige"), **dict.fromkeys(unreadable + stale, "hors_perimetre"),
                       **dict.fromkeys(deleted, "disparu")}
    summary = json.loads((second / "summary.json").read_text(encoding="utf-8"))
    assert next(r for r in summary["regles"] if r["rule_id"] == "EML-01")["corriges"] == 20

    index = html.unescape((second / "index.html").read_text(encoding="utf-8")).translate(SPACES)
    assert re.search(r"<strong>20</strong> corrigées depuis le dernier audit", index)
    emails = re.search(r'<tr data-theme="emails"[^>]*data-corriges="(\d+)"', index)
    assert emails.group(1) == "20"
    note = re.sub(r"\s+", " ", index[index.index('id="non-corrigees"'):].split("</p>", 1)[0])
    assert "20 anomalies dont l'enregistrement est sorti du champ de sa règle" in note
    assert "3 dont l'enregistrement n'est plus dans l'export" in note
