"""What a user sees on the terminal: French progress from the real command, nothing else.

No kernel chatter, no library log, no English: a successful run prints its steps, their details
and the result; ``--quiet`` prints the report's path only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from imilo_audit.exports import TABLES, read_export

ROOT = Path(__file__).resolve().parents[2]
# What a run may print on stderr: steps started (…), done (✓), details (indented), the result.
PROGRESS_LINE = re.compile(r"^(… |✓ |    \S|  … |Audit au \d\d/\d\d/\d{4} terminé en \d)")
NOT_OURS = ("Error", "Warning", "WARNING", "INFO", "DEBUG", "Kernel", "kernel", "Traceback", "IPKernelApp",
            "KeyboardInterrupt", "Executing", "papermill", "Exception", "http")
# Words of the machinery, not of a quality officer: file formats and the contract's unaccented table ids.
JARGON = ("notebook", "findings.csv", "summary.json", "HTML", "evenements")


def test_a_run_of_the_sample_tells_its_progress_in_french_and_nothing_else(sample_run_output):
    result = sample_run_output
    assert result.stdout.splitlines() == [str(result.folder / "index.html")]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert ("    jeunes : 3\u202f001 lignes lues dans « jeunes_2026-10.csv » ; non lues : 1 ligne sans identifiant"
            in lines)
    assert "    événements : 12\u202f468 lignes lues dans « événements.csv »" in lines
    assert any(line.startswith("✓ Lecture de l'export") for line in lines)
    themes = len(list((ROOT / "notebooks").glob("[1-9][0-9]_*.ipynb"))) - 1  # 99_synthese is not a theme
    assert any(line.startswith(f"✓ Audits par thème : {themes} thèmes") for line in lines)
    assert any(line.startswith("✓ Synthèse") for line in lines)
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    total = sum(rule["anomalies"] for rule in summary["regles"])
    assert lines[-1].startswith("Audit au 31/10/2026 terminé en ") and f"{total} anomalies" in lines[-1]
    for line in lines:
        assert PROGRESS_LINE.match(line), f"line not from the progress display: {line!r}"
        assert not any(word in line for word in NOT_OURS), f"English or technical line: {line!r}"
        assert not any(word in line for word in JARGON), f"jargon: {line!r}"


def test_quiet_prints_the_report_path_only(hostile_run):
    assert hostile_run.stderr == ""
    assert hostile_run.stdout == f"{hostile_run.folder / 'index.html'}\n"


def personal_values() -> set[str]:
    """Emails, phones, NIR and birth dates of the sample (birth dates also used as another date left out)."""
    export = read_export(ROOT / "data_samples")
    values, other_dates = set(), set()
    for name, table in export.tables.items():
        for field, spec in TABLES[name].fields.items():
            if field not in table.data.columns:
                continue
            column = table.brut[field] if field in table.brut.columns else table.data[field]
            written = {str(v) for v in column.dropna() if len(str(v)) >= 6}
            if field in ("email", "telephone_portable", "telephone_fixe", "nir", "date_naissance"):
                values |= written
            elif spec.kind == "date":
                other_dates |= written
    return values - other_dates


def test_shared_pages_show_no_email_phone_nir_or_birth_date(sample_run):
    folder = sample_run
    secrets = personal_values()
    assert len(secrets) > 1000  # the sample's youths and users
    pages = [folder / "index.html", *sorted(folder.glob("[0-9][0-9]_*.html"))]
    assert len(pages) == 1 + len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        leaked = sorted(value for value in secrets if value in html)
        assert not leaked, f"{page.name} shows {leaked[:5]}"
