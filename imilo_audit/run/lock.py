"""One run per audits folder and month: ``AUDITS_DIR/.YYYY-MM.verrou``, held for the whole run.

The lock is an ``flock`` on the open lock file: the system releases it the moment the process
ends, however it ends (a kill included), so a lock left by a dead process on this machine is
simply taken over. The file names its holder (pid, machine, start, command) for the message of a
second run, and is removed when the run ends. Where ``flock`` does not reach (a folder shared
between machines whose file system keeps locks local, Windows), the holder written in the file
decides: on this machine, a holder whose process is gone is dead; another machine's holder is
believed for a day.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shlex
import socket
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import AuditRunningError, ConfigError

SUFFIX = ".verrou"
OTHER_HOST_TRUSTED = dt.timedelta(days=1)  # another machine's lock older than that is taken over
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: written into the lock file."""

    pid: int
    machine: str
    debut: str  # ISO time of the start
    commande: str

    @classmethod
    def me(cls) -> Holder:
        argv = list(sys.argv) or [""]
        argv[0] = Path(argv[0]).name
        if argv[0].endswith(".py") or not argv[0]:  # python -m imilo_audit.cli
            argv[0] = "imilo-audit"
        command = shlex.join(argv)
        return cls(os.getpid(), socket.gethostname(), dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                   command[:300])

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["machine"]), str(data["debut"]), str(data["commande"]))
        except (ValueError, KeyError, TypeError):
            return None

    def since(self) -> str:
        """The start, in French (``12/11/2026 à 06:00:03``)."""
        try:
            return f"{dt.datetime.fromisoformat(self.debut):%d/%m/%Y à %H:%M:%S}"
        except ValueError:
            return self.debut

    def age(self) -> dt.timedelta:
        try:
            return dt.datetime.now().astimezone() - dt.datetime.fromisoformat(self.debut)
        except (ValueError, TypeError):
            return OTHER_HOST_TRUSTED  # unreadable start: not believed

    def here(self) -> bool:
        return self.machine == socket.gethostname()

    def alive(self) -> bool:
        """Whether this holder may still be running (without a working flock to tell)."""
        if not self.here() or os.name != "posix":  # no pid to probe here: believe a recent lock
            return self.age() < OTHER_HOST_TRUSTED
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class MonthLock:
    """The lock of one month in one audits folder: ``with MonthLock(audits, "2026-10"): ...``."""

    def __init__(self, audits_dir: str | Path, month: str) -> None:
        self.path = Path(audits_dir) / f".{month}{SUFFIX}"
        self.month = month
        self._fd: int | None = None

    def __enter__(self) -> MonthLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, or raise :class:`AuditRunningError` naming the run that holds it."""
        holder = self._take()
        if holder is not None:
            raise AuditRunningError(
                str(self.path), self.month, holder.pid or None, holder.machine, holder.since(), holder.commande,
                other_host=bool(holder.machine) and not holder.here(),
            )

    def attempt(self) -> bool:
        """Take the lock if nobody holds it; ``False`` otherwise (never raises for a held lock)."""
        return self._take() is None

    def release(self) -> None:
        """Remove the lock file, then let the lock go (in that order: see :meth:`_open_locked`)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            os.close(self._fd)
            self._fd = None

    def _take(self) -> Holder | None:
        """Take the lock and return ``None``, or return the live holder."""
        try:
            fd = self._open_locked()
            if fd is None:
                return self._take_without_flock()
        except _Held as held:
            return held.holder
        except OSError as exc:
            if exc.errno in _NOT_WRITABLE:
                raise ConfigError(
                    f"Le dossier des audits « {self.path.parent} » n'est pas modifiable : donnez-vous le droit d'y "
                    "écrire, ou choisissez-en un autre avec --out."
                ) from None
            raise
        previous = Holder.parse(_read(fd))
        if previous is not None and previous.machine and not previous.here() and previous.alive():
            os.close(fd)  # another machine's run, which a flock on a shared folder may not see
            return previous
        self._write_me(fd)
        return None

    def _open_locked(self) -> int | None:
        """The lock file open and flocked, or ``None`` where there is no flock.

        A holder removes the file before letting the lock go: whoever locked a file that is no longer
        at the lock's path locked a dead file, and tries again.
        """
        try:
            import fcntl
        except ImportError:
            return None
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _wait_for_holder(fd)
                os.close(fd)
                raise _Held(holder) from None
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    return None
                raise
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)
        raise OSError(errno.EAGAIN, "verrou instable", str(self.path))

    def _take_without_flock(self) -> Holder | None:
        """The lock as a file created exclusively; a dead holder's file is removed and created again."""
        for _ in range(5):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
            except FileExistsError:
                try:
                    holder = Holder.parse(self.path.read_text(encoding="utf-8", errors="replace"))
                    young = time.time() - self.path.stat().st_mtime < 10
                except FileNotFoundError:
                    continue
                if holder is None and young:  # being written by a run that has just started
                    return Holder(0, "", "", "")
                if holder is not None and holder.alive():
                    return holder
                self.path.unlink(missing_ok=True)
                continue
            self._write_me(fd)
            return None
        raise OSError(errno.EAGAIN, "verrou instable", str(self.path))

    def _write_me(self, fd: int) -> None:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(asdict(Holder.me())).encode("ascii"))  # any path, UTF-8 or not, as JSON escapes
        self._fd = fd


class _Held(Exception):
    def __init__(self, holder: Holder) -> None:
        self.holder = holder


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def _wait_for_holder(fd: int) -> Holder:
    """The holder of a held lock; a run that has just taken it writes its name within moments."""
    for _ in range(10):
        holder = Holder.parse(_read(fd))
        if holder is not None:
            return holder
        time.sleep(0.05)
    return Holder(0, "", "", "")
