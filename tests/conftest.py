"""Shared fixtures: tiny export folders written by the tests, audited with the real package."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from imilo_audit.config import Thresholds
from imilo_audit.exports import TABLES, read_export
from imilo_audit.rules.audit import audit_theme
from imilo_audit.themes import AuditContext

REFERENCE = dt.date(2026, 10, 31)
RECENT = "15/10/2026"  # a last contact that makes a dossier active
LONG_AGO = "15/01/2024"  # a last contact that makes it inactive


def write_table(folder: Path, table: str, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    """Write ``rows`` (canonical field names) as a ``;`` CSV with the canonical headers."""
    folder.mkdir(parents=True, exist_ok=True)
    fields = list(dict.fromkeys(name for row in rows for name in row))
    headers = [TABLES[table].fields[name].header for name in fields]
    path = folder / f"{table}.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(name, "") for name in fields])
    return path


def youth(id_jeune: str, **values: str) -> dict[str, str]:
    """A clean, active youth dossier; keyword arguments override fields."""
    row = {
        "id_jeune": id_jeune,
        "nom_usage": "MARTIN",
        "prenom": "Léa",
        "adresse_numero": "12",
        "adresse_voie": "Rue des Lilas",
        "adresse_complement": "",
        "code_postal": "33000",
        "commune": "Bordeaux",
        "adresse_normalisee": "Oui",
        "npai": "",
        "email": f"{id_jeune.lower()}.martin@gmail.com",
        "origine_venue": "Prescripteur",
        "conseiller_referent": "Sylvie DEBOUT",
        "lieu_rattachement": "Antenne Nord",
        "date_inscription": "02/03/2025",
        "date_dernier_contact": RECENT,
    }
    row.update(values)
    return row


@pytest.fixture
def audit(tmp_path):
    """Audit one theme of an export made of the given tables; returns its findings."""

    def run(theme: str, tables: dict[str, list[dict[str, str]]], **thresholds):
        folder = tmp_path / "export"
        for table, rows in tables.items():
            write_table(folder, table, rows)
        ctx = AuditContext(read_export(folder), REFERENCE, Thresholds(**thresholds))
        return audit_theme(theme, ctx)

    return run


def flagged(result, rule_id: str) -> set[str]:
    """Record ids a rule flagged."""
    findings = result.findings
    return set(findings.loc[findings["rule_id"] == rule_id, "id_enregistrement"])


# Files that run the real command first: with the tests spread over the cores by file, the long
# ones start together and the short ones fill in around them.
SLOW_FILES = ("test_interrupts.py", "test_end_to_end.py", "test_disk_full.py", "test_report_followup.py",
              "test_whole_charter.py", "test_terminal.py", "test_hostile_inputs.py", "test_bench.py",
              "test_pseudonymise.py", "test_schedule.py", "test_spellings.py", "test_notebooks.py", "test_runner.py",
              "test_browser.py", "test_theme_pages.py", "test_csv_safety.py", "test_typography.py",
              "test_bi_exports.py", "test_lab.py")


def pytest_collection_modifyitems(items):
    def weight(item) -> int:
        name = item.path.name
        return SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)

    items.sort(key=weight)


SAMPLE = Path(__file__).resolve().parents[1] / "data_samples"
CAPTURES = "captures"  # screenshots and PDF of the browser test, in the session's temporary folder


def captures_dir(tmp_path_factory) -> Path:
    """Where the browser test keeps its screenshots and PDF: the session's temporary folder, all workers alike."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    return root / CAPTURES


@contextmanager
def _file_lock(path: Path):
    """An exclusive lock on ``path`` shared by the pytest-xdist workers (no lock where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # not on Linux: each worker may run its own copy
        yield
        return
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class SharedRun:
    """A real command run once per session for all workers: its audit folder and what it printed."""

    folder: Path
    stdout: str
    stderr: str


def _shared_run(tmp_path_factory, name: str, export: Path | None, *options: str) -> SharedRun:
    """Run ``imilo-audit run`` once for the whole session (the first worker to ask runs it)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this session
    audits = root / name
    folder = audits / "2026-10"
    with _file_lock(root / f"{name}.lock"):
        if not (folder / "index.html").is_file():  # written last, only by a run that succeeded
            if export is None:
                export = audits.parent / f"{name}-export"
                write_hostile_export(export)
            result = subprocess.run(
                [sys.executable, "-m", "imilo_audit.cli", "run", str(export), "--out", str(audits),
                 "--month", "2026-10", *options],
                capture_output=True, text=True, timeout=600,
            )
            assert result.returncode == 0, result.stderr
            (audits / "sortie.txt").write_text(result.stdout, encoding="utf-8")
            (audits / "erreurs.txt").write_text(result.stderr, encoding="utf-8")
    return SharedRun(folder, (audits / "sortie.txt").read_text(encoding="utf-8"),
                     (audits / "erreurs.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> Path:
    """The audit folder of the real command run on data_samples/, as a user starts it (no --quiet)."""
    return _shared_run(tmp_path_factory, "sample_run", SAMPLE).folder


@pytest.fixture(scope="session")
def sample_run_output(tmp_path_factory) -> SharedRun:
    """The same run with what it printed on the terminal."""
    return _shared_run(tmp_path_factory, "sample_run", SAMPLE)


SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
PHONE = "+33 6 12 34 56 78"
SUM = "@SUM(1)"


def write_hostile_export(export: Path) -> None:
    """A tiny export whose values look like formulas and markup."""
    write_table(export, "jeunes", [
        youth("J1", email=FORMULA, lieu_rattachement="-Antenne Sud"),
        youth("J2", email="pas un email", conseiller_referent=SUM),
        youth("J3", email=PHONE),
        youth("J4", email="", nom_usage=SCRIPT, prenom=SCRIPT, conseiller_referent=SCRIPT),
        youth("J5"),
    ])
    write_table(export, "ressources", [
        {"id_ressource": "R1", "id_jeune": "J5", "type_ressource": "Aucun", "montant": "-12,50",
         "date_debut": "01/01/2026", "date_fin": ""},
    ])


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory) -> SharedRun:
    """The real command, with --quiet, on the tiny export of values that look like formulas and markup."""
    return _shared_run(tmp_path_factory, "hostile_run", None, "--quiet")


def pytest_terminal_summary(terminalreporter, config):
    """Say where the browser test left its screenshots and PDF, when it wrote some in this session."""
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None:
        return
    folder = factory.getbasetemp() / CAPTURES
    if folder.is_dir() and any(p.suffix in (".png", ".jpg", ".pdf") for p in folder.iterdir()):
        terminalreporter.write_line(f"Captures du navigateur (captures d'écran, PDF) : {folder}")


@pytest.fixture(autouse=True)
def _in_the_test_folder(tmp_path, monkeypatch):
    """Each test runs in its own temporary folder: a command that writes where it runs (``audits/``
    by default, ``journal.txt``) writes there, never into the repository."""
    monkeypatch.chdir(tmp_path)


# --- the real command and an export folder's fingerprint (before/after a run)
def imilo_audit(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "imilo_audit.cli", *map(str, args)], capture_output=True, text=True, timeout=600
    )


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- rows of the tables, as the theme tests write them
def account(login: str, **values: str) -> dict[str, str]:
    row = {
        "login": login,
        "nom": login.split(".")[-1].upper(),
        "prenom": "Claire",
        "date_naissance": "12/05/1985",
        "email": f"{login}@ml-exemple.fr",
        "fonctions": "Conseiller référent",
        "etat": "Actif",
        "date_creation": "01/01/2020",
        "date_desactivation": "",
        "date_derniere_connexion": "20/10/2026",
    }
    row.update(values)
    return row


def training(sid: str, **values: str) -> dict[str, str]:
    row = {
        "id_situation": sid,
        "id_jeune": "J1",
        "objectif": "Certification",
        "validation_preparee": "CAP",
        "date_debut": "01/09/2025",
        "date_fin_prevue": "30/06/2026",
        "date_fin_reelle": "",
        "motif_interruption": "",
        "conseiller": "",
    }
    row.update(values)
    return row


def line(youth_id: str, kind: str, amount: str = "0", start: str = "01/01/2026", end: str = "") -> dict[str, str]:
    return {"id_jeune": youth_id, "type_ressource": kind, "montant": amount, "date_debut": start, "date_fin": end}


# --- comparing findings with attendus.csv
KEY = ["rule_id", "gravite", "table", "id_enregistrement", "id_jeune", "conseiller", "lieu", "champ", "valeur"]


def difference(found: Counter, expected: Counter) -> str:
    extra, missing = found - expected, expected - found
    lines = [f"en trop : {r}" for r in list(extra)[:10]] + [f"manquant : {r}" for r in list(missing)[:10]]
    return f"{sum(extra.values())} en trop, {sum(missing.values())} manquants\n" + "\n".join(lines)
