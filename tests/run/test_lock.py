"""One run per audits folder and month: a second one is told who runs, a dead one's lock is taken over."""

import datetime as dt
import json
import os
import pickle
import socket
import subprocess
import sys

import pytest

from imilo_audit.errors import AuditRunningError, InputError
from imilo_audit.run import lock as lock_module
from imilo_audit.run.lock import MonthLock


def holder(**values) -> str:
    data = {"pid": 999_999_999, "machine": socket.gethostname(), "commande": "imilo-audit run export",
            "debut": dt.datetime.now().astimezone().isoformat(timespec="seconds"), **values}
    return json.dumps(data)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_second_run_of_the_month_is_told_since_when_and_which_process_runs(tmp_path):
    with MonthLock(tmp_path, "2026-10"):
        with pytest.raises(AuditRunningError) as refused:
            MonthLock(tmp_path, "2026-10").acquire()
        with MonthLock(tmp_path, "2026-11"):  # another month is another lock
            pass
    message = refused.value.message
    for part in ("2026-10", "déjà en cours", f"processus {os.getpid()}", socket.gethostname(), "depuis le",
                 f"{dt.date.today():%d/%m/%Y}", "Attendez qu'il se termine"):
        assert part in message
    assert "supprimez" not in message  # a flock on this machine: the process is alive for sure
    assert isinstance(refused.value, InputError)  # exit code 2
    assert pickle.loads(pickle.dumps(refused.value)).message == message


def test_the_lock_file_is_removed_at_the_end_and_the_month_can_run_again(tmp_path):
    with MonthLock(tmp_path, "2026-10") as taken:
        assert json.loads(taken.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not taken.path.exists()
    with MonthLock(tmp_path, "2026-10"):
        pass


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path):
    script = (
        "import os, signal, sys; from imilo_audit.run.lock import MonthLock; "
        "MonthLock(sys.argv[1], '2026-10').acquire(); os.kill(os.getpid(), signal.SIGKILL)"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(tmp_path)])
    assert killed.returncode == -9
    left = json.loads((tmp_path / ".2026-10.verrou").read_text(encoding="utf-8"))
    assert left["pid"] != os.getpid()
    with MonthLock(tmp_path, "2026-10") as taken:
        assert json.loads(taken.path.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_another_machines_lock_is_believed_for_a_day(tmp_path):
    path = tmp_path / ".2026-10.verrou"
    path.write_text(holder(machine="poste-qualite", pid=4242), encoding="utf-8")
    with pytest.raises(AuditRunningError) as refused:
        MonthLock(tmp_path, "2026-10").acquire()
    assert "poste-qualite" in refused.value.message and "processus 4242" in refused.value.message
    assert f"supprimez le fichier « {path} »" in refused.value.message

    two_days_ago = dt.datetime.now().astimezone() - dt.timedelta(days=2)
    path.write_text(holder(machine="poste-qualite", debut=two_days_ago.isoformat()), encoding="utf-8")
    with MonthLock(tmp_path, "2026-10"):
        pass


@pytest.fixture
def without_flock(monkeypatch):
    """A file system (or a system) without flock: the lock is a file created exclusively."""
    monkeypatch.setattr(MonthLock, "_open_locked", lambda self: None)


def test_without_flock_a_live_holder_is_refused_and_a_dead_one_taken_over(tmp_path, without_flock):
    with MonthLock(tmp_path, "2026-10"), pytest.raises(AuditRunningError):
        MonthLock(tmp_path, "2026-10").acquire()
    path = tmp_path / ".2026-10.verrou"
    path.write_text(holder(pid=dead_pid()), encoding="utf-8")
    with MonthLock(tmp_path, "2026-10") as taken:
        assert json.loads(taken.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not path.exists()


def test_an_audits_folder_that_cannot_be_written_is_said_in_french(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lock_module.os, "open", refuse)
    with pytest.raises(InputError) as refused:
        MonthLock(tmp_path, "2026-10").acquire()
    assert "n'est pas modifiable" in refused.value.message and "--out" in refused.value.message
    assert "Permission denied" not in refused.value.message
