"""A full disk during a run: exit 1, a French message, the previous audit intact, nothing staged left.

Where the machine allows it (root, tmpfs), the audits folder is a real small tmpfs filled up; the
fault is also injected in-process (``OSError(ENOSPC)`` at the end of the synthesis) everywhere.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import imilo_audit, write_table, youth

from imilo_audit.errors import DiskFullError
from imilo_audit.run import publish
from imilo_audit.run.runner import run_audit


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(audits: Path) -> list[str]:
    return sorted(p.name for p in audits.iterdir() if p.name.startswith(".") and not p.name.endswith(".verrou"))


@pytest.fixture
def export(tmp_path) -> Path:
    folder = tmp_path / "export"
    write_table(folder, "jeunes", [youth("J1"), youth("J2", email="")])
    return folder


def test_injected_full_disk_keeps_the_previous_audit(export, tmp_path, monkeypatch, hostile_run):
    audits = tmp_path / "audits"
    shutil.copytree(hostile_run.folder, audits / "2026-10")  # the previous audit of the month
    before = hashes(audits / "2026-10")

    def full_disk(step: str) -> None:
        if step == "synthese":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish, "fault_hook", full_disk)
    with pytest.raises(DiskFullError) as raised:
        run_audit(export, audits, dt.date(2026, 10, 31))
    assert "est plein" in raised.value.message and "Libérez de la place" in raised.value.message
    assert hashes(audits / "2026-10") == before
    assert leftovers(audits) == []


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_a_real_full_disk_gives_exit_1_in_french(export, tmp_path, hostile_run):
    audits = tmp_path / "petit-disque"
    if not _mount_tmpfs(audits, "16m"):
        pytest.skip("this machine cannot mount a small tmpfs (not root, or no mount permission)")
    try:
        shutil.copytree(hostile_run.folder, audits / "2026-10")  # the previous audit of the month
        before = hashes(audits / "2026-10")
        free = shutil.disk_usage(audits).free
        (audits / "remplissage").write_bytes(b"\0" * max(free - 64 * 1024, 0))  # leave 64 KB
        second = imilo_audit("run", export, "--out", audits, "--month", "2026-10", "--quiet")
        assert second.returncode == 1, second.stderr
        assert "est plein" in second.stderr and "Traceback" not in second.stderr
        (audits / "remplissage").unlink()
        assert hashes(audits / "2026-10") == before
        assert leftovers(audits) == []
    finally:
        subprocess.run(["umount", "-l", str(audits)], capture_output=True)
