"""The real command on an internal failure: exit 1, the failed notebook kept, last audit untouched."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import fingerprint, write_table, youth

from imilo_audit.rules.validation import suites_dir


def test_crashing_rule_exits_1_keeps_the_notebook_and_the_previous_audit(tmp_path):
    export = tmp_path / "export"
    write_table(export, "jeunes", [youth("J1"), youth("J2", email="")])
    previous = tmp_path / "audits" / "2026-10"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("<html lang='fr'>audit d'octobre</html>", encoding="utf-8")
    before = fingerprint(previous)

    broken = tmp_path / "expectations"
    shutil.copytree(suites_dir(), broken)
    suite = json.loads((broken / "emails.json").read_text(encoding="utf-8"))
    suite["expectations"][0]["kwargs"]["column"] = "colonne_inexistante"
    (broken / "emails.json").write_text(json.dumps(suite), encoding="utf-8")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "imilo_audit.cli",
            "run",
            str(export),
            "--out",
            str(tmp_path / "audits"),
            "--month",
            "2026-10",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "IMILO_AUDIT_EXPECTATIONS": str(broken)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "20_emails.ipynb" in result.stderr and "EML-01" in result.stderr
    kept = Path(result.stderr.split("diagnostic : ")[1].split(". ")[0])
    assert kept.exists() and kept.parent.parent.name == ".2026-10.echec"
    assert fingerprint(previous) == before
