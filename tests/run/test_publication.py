"""Publication cannot lose an audit: a fault between any two file-system operations, then recovery.

These tests use small stand-in audit folders (the file system does not care what they hold); the
real command killed at its steps is in test_interrupts.py.
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imilo_audit.folders import WORK
from imilo_audit.run import publish
from imilo_audit.run.lock import MonthLock

MONTH = "2026-10"


def write_audit(folder: Path, label: str) -> dict[str, str]:
    """A stand-in complete audit; returns its hashes."""
    for name in ("index.html", "findings.csv", "summary.json", "notebooks/10_adresses.ipynb",
                 "par_conseiller/Sylvie_DEBOUT_2026-10.xlsx", "validations/adresses.json"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{label} : {name}", encoding="utf-8")
    return hashes(folder)


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class Fault(Exception):
    pass


def steps_of(audits: Path, exchange: bool, monkeypatch) -> list[str]:
    """The checkpoints one publication goes through (each follows one file-system operation)."""
    seen: list[str] = []
    monkeypatch.setattr(publish, "use_exchange", exchange)
    monkeypatch.setattr(publish, "fault_hook", seen.append)
    write_audit(audits / MONTH, "ancien")
    staging = publish.staging_folder(audits, MONTH)
    write_audit(staging, "nouveau")
    publish.publish(staging, audits / MONTH)
    monkeypatch.setattr(publish, "fault_hook", None)
    return seen


def test_publication_goes_through_its_steps_with_and_without_atomic_exchange(tmp_path, monkeypatch):
    assert steps_of(tmp_path / "a", False, monkeypatch) == [
        "publication:ancien-de-cote", "publication:nouveau", "publication:ancien-supprime"]
    exchanged = steps_of(tmp_path / "b", True, monkeypatch)
    assert exchanged in (["publication:echange", "publication:ancien-supprime"],  # Linux, local file system
                         ["publication:ancien-de-cote", "publication:nouveau", "publication:ancien-supprime"])
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [MONTH]


@pytest.mark.parametrize("exchange", [True, False], ids=["echange", "deux-renommages"])
@pytest.mark.parametrize("first", [False, True], ids=["audit-precedent", "premier-audit"])
def test_a_fault_between_any_two_operations_never_loses_the_audit(tmp_path, monkeypatch, exchange, first):
    monkeypatch.setattr(publish, "use_exchange", exchange)
    audits = tmp_path / "audits"
    target, staging = audits / MONTH, publish.staging_folder(audits, MONTH)
    count = 0
    while True:  # fault after the 1st operation, then the 2nd…, until a publication goes through
        count += 1
        for folder in audits.glob("*") if audits.exists() else []:
            publish.discard(folder)
        old = None if first else write_audit(target, "ancien")
        new = write_audit(staging, "nouveau")
        calls: list[str] = []

        def fault(step: str, calls=calls, count=count) -> None:
            calls.append(step)
            if len(calls) == count:
                raise Fault(step)

        monkeypatch.setattr(publish, "fault_hook", fault)
        try:
            publish.publish(staging, target)
        except Fault as raised:
            step = str(raised)
        else:
            break
        monkeypatch.setattr(publish, "fault_hook", None)
        if target.exists():
            assert hashes(target) in (old, new), step
        else:
            assert old is not None and hashes(publish.previous_folder(target)) == old, step
        publish.recover(audits, MONTH)  # what the next run does first
        assert hashes(target) in ([new] if first else [old, new]), step
        assert sorted(p.name for p in audits.iterdir()) == [MONTH], step
    assert hashes(target) == new and sorted(p.name for p in audits.iterdir()) == [MONTH]
    assert count >= 2


KILLED = """
import sys
from pathlib import Path
from imilo_audit.run import publish
publish.use_exchange = sys.argv[2] == "echange"
audits = Path(sys.argv[1])
publish.publish(audits / ".2026-10.en-cours-1", audits / "2026-10")
"""


@pytest.mark.parametrize(("exchange", "step"), [
    ("deux-renommages", "publication:ancien-de-cote"),
    ("deux-renommages", "publication:nouveau"),
    ("echange", "publication:echange"),
])
def test_a_process_killed_inside_the_publication_leaves_an_audit_the_next_start_restores(tmp_path, exchange, step):
    audits = tmp_path / "audits"
    old = write_audit(audits / MONTH, "ancien")
    new = write_audit(audits / ".2026-10.en-cours-1", "nouveau")
    killed = subprocess.run([sys.executable, "-c", KILLED, str(audits), exchange],
                            env={**os.environ, publish.FAULT_ENV: step})
    assert killed.returncode == -9
    if exchange == "echange" and not (audits / ".2026-10.en-cours-1").exists():
        pytest.skip("pas d'échange atomique sur ce système de fichiers")
    with MonthLock(audits, MONTH):
        publish.recover(audits, MONTH)
    assert hashes(audits / MONTH) in (old, new)
    assert sorted(p.name for p in audits.iterdir()) == [MONTH]


def test_recovery_faults_are_recovered_by_the_next_start(tmp_path, monkeypatch):
    audits = tmp_path / "audits"
    old = write_audit(publish.previous_folder(audits / MONTH), "ancien")
    write_audit(audits / ".2026-10.en-cours-12", "travail d'un run tué")

    def fault(step: str) -> None:
        raise Fault(step)

    monkeypatch.setattr(publish, "fault_hook", fault)
    with pytest.raises(Fault):
        publish.recover(audits, MONTH)
    monkeypatch.setattr(publish, "fault_hook", None)
    assert hashes(audits / MONTH) == old
    publish.recover(audits, MONTH)
    assert hashes(audits / MONTH) == old and sorted(p.name for p in audits.iterdir()) == [MONTH]


def test_other_months_left_by_dead_runs_are_recovered_unless_a_run_holds_them(tmp_path):
    audits = tmp_path / "audits"
    september = write_audit(audits / ".2026-09.ancien", "septembre")
    write_audit(audits / ".2026-09.en-cours-7", "copies de l'export")
    write_audit(audits / ".2026-08.en-cours-8", "run d'août vivant")
    with MonthLock(audits, "2026-08"):
        publish.recover_other_months(audits, MONTH)
    assert hashes(audits / "2026-09") == september
    assert sorted(p.name for p in audits.iterdir()) == [".2026-08.en-cours-8", "2026-09"]


def test_a_failed_run_keeps_its_notebooks_without_copies_of_the_export(tmp_path):
    staging, failed = tmp_path / ".2026-10.en-cours-5", tmp_path / ".2026-10.echec"
    for name in ("notebooks/20_emails.ipynb", f"{WORK}/tables/jeunes.parquet", f"{WORK}/tables/export.json",
                 f"{WORK}/themes/emails.parquet", f"{WORK}/noyau-1.json", f"{WORK}/noyaux.log", "20_emails.html"):
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text("x", encoding="utf-8")
    publish.keep_for_diagnosis(staging, failed)
    assert not staging.exists()
    assert sorted(hashes(failed)) == ["20_emails.html", f"{WORK}/noyaux.log", "notebooks/20_emails.ipynb"]


def test_kernels_a_dead_run_left_on_its_folder_are_killed(tmp_path):
    folder = tmp_path / ".2026-10.en-cours-9"
    (folder / WORK).mkdir(parents=True)
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    orphan = subprocess.Popen([*sleep, str(folder / WORK / "noyau-1.json")])
    bystander = subprocess.Popen([*sleep, str(tmp_path / "autre")])
    try:
        time.sleep(0.2)
        publish.recover(tmp_path, MONTH)
        assert orphan.wait(timeout=5) == -9
        assert bystander.poll() is None
    finally:
        for process in (orphan, bystander):
            process.kill()
            process.wait()
