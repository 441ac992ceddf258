"""What a user sees on the terminal: French progress from the real command, nothing else.

No kernel chatter, no library log, no English: a successful run prints its steps, their details
and the result; ``--quiet`` prints the report's path only.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import write_table, youth
from test_cli import imilo_audit

ROOT = Path(__file__).resolve().parents[1]
# What a run may print on stderr: steps started (…), done (✓), details (indented), the result.
PROGRESS_LINE = re.compile(r"^(… |✓ |    \S|  … |Audit au \d\d/\d\d/\d{4} terminé en \d)")
NOT_OURS = ("Error", "Warning", "WARNING", "INFO", "DEBUG", "Kernel", "kernel", "Traceback", "IPKernelApp",
            "KeyboardInterrupt", "Executing", "papermill", "Exception", "http")


def test_a_run_of_the_sample_tells_its_progress_in_french_and_nothing_else(tmp_path):
    result = imilo_audit("run", ROOT / "data_samples", "--out", tmp_path, "--month", "2026-10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "2026-10" / "index.html")]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "    jeunes : 3\u202f001 lignes, 1 ignorée (jeunes_2026-10.csv)" in lines
    assert any(line.startswith("✓ Lecture de l'export") for line in lines)
    assert any(line.startswith("✓ Audits par thème : 7 notebooks") for line in lines)
    assert any(line.startswith("✓ Synthèse") for line in lines)
    assert lines[-1].startswith("Audit au 31/10/2026 terminé en ") and "146 anomalies" in lines[-1]
    for line in lines:
        assert PROGRESS_LINE.match(line), f"line not from the progress display: {line!r}"
        assert not any(word in line for word in NOT_OURS), f"English or technical line: {line!r}"


def test_quiet_prints_the_report_path_only(tmp_path):
    export = tmp_path / "export"
    write_table(export, "jeunes", [youth("J1"), youth("J2", email="")])
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == f"{tmp_path / 'audits' / '2026-10' / 'index.html'}\n"
