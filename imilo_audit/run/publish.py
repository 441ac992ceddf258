"""The file-system side of a run: its staging folder, the publication that cannot lose an audit, recovery.

Folders of ``AUDITS_DIR`` for a month ``M`` (all hidden but the audit itself):

- ``M/``: the published audit;
- ``.M.en-cours-<pid>/``: the staging folder of the run of process ``pid`` (typed copies of the
  export in ``_travail/``: personal data);
- ``.M.ancien/``: the previous audit, set aside for the instant of a publication without atomic
  exchange;
- ``.M.echec/``: the notebooks of the last failed run, for diagnosis (without copies of the export).

Publication swaps the staging folder and ``M/`` in one atomic exchange where the system has one
(Linux ``renameat2``): ``M/`` is at every instant the previous complete audit or the new one.
Elsewhere, it renames ``M/`` to ``.M.ancien/``, the staging folder to ``M/``, then removes
``.M.ancien/``; a run killed between the two renames leaves ``.M.ancien/``, which :func:`recover`
(called by every run under the month's lock, before anything else) renames back.

Every operation is followed by :func:`checkpoint`, where tests inject a fault.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from ..folders import WORK

STAGING = ".en-cours"
PREVIOUS = ".ancien"
FAILED = ".echec"
FAULT_ENV = "IMILO_AUDIT_PANNE"  # tests only: the run kills itself (SIGKILL) at this checkpoint
_LEFTOVER = re.compile(r"^\.(\d{4}-\d{2})\.(en-cours(-\d+)?|ancien)$")

fault_hook: Callable[[str], None] | None = None  # tests only: called at every checkpoint
use_exchange = True  # tests switch the atomic exchange off to exercise the two renames


def checkpoint(step: str) -> None:
    """A point between two steps of a run where tests inject a fault (exception or kill)."""
    if fault_hook is not None:
        fault_hook(step)
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def staging_folder(audits_dir: Path, month: str) -> Path:
    """This process's staging folder for ``month``."""
    return audits_dir / f".{month}{STAGING}-{os.getpid()}"


def failed_folder(audits_dir: Path, month: str) -> Path:
    return audits_dir / f".{month}{FAILED}"


def previous_folder(target: Path) -> Path:
    return target.with_name(f".{target.name}{PREVIOUS}")


def publish(staging: Path, target: Path) -> None:
    """Make the complete audit of ``staging`` the audit ``target``, which is never lost on the way.

    The staged files and folders are flushed to the disk before the swap, and the audits folder after
    it: a power cut leaves the previous audit or the new one, complete, never a month half-written.
    """
    previous = previous_folder(target)
    restore(target)
    flush_tree(staging)
    if not target.exists():
        staging.rename(target)
        _flush_folder(target.parent)
        checkpoint("publication:nouveau")
        return
    if use_exchange and _exchange(staging, target):
        _flush_folder(target.parent)
        checkpoint("publication:echange")
        _remove(staging)  # now the previous audit
        checkpoint("publication:ancien-supprime")
        return
    target.rename(previous)
    checkpoint("publication:ancien-de-cote")
    staging.rename(target)
    _flush_folder(target.parent)
    checkpoint("publication:nouveau")
    _remove(previous)
    checkpoint("publication:ancien-supprime")


def flush_tree(folder: Path) -> None:
    """fsync every file of ``folder`` and the folders themselves (where the system allows it)."""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            _flush(os.path.join(root, name), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        _flush_folder(Path(root))


def _flush_folder(folder: Path) -> None:
    """fsync a folder's entries (its renames); not possible on every system (Windows): skipped there."""
    _flush(str(folder), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def _flush(path: str, flags: int) -> None:
    """fsync one file or folder; one that cannot be opened (a link, gone) holds nothing of ours to flush."""
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(audits_dir: Path, month: str) -> None:
    """Undo what a dead run of ``month`` left: restore its audit, remove its staging folders.

    Call it holding the month's lock (no other run of the month is alive then).
    """
    restore(audits_dir / month)
    for stale in sorted(audits_dir.glob(f".{month}{STAGING}*")):
        from .kernels import kill_orphans

        kill_orphans(stale)  # a killed run's kernels may still write their tables there
        checkpoint("reprise:avant-suppression")
        _remove(stale)
        checkpoint("reprise:en-cours-supprime")


def recover_other_months(audits_dir: Path, month: str) -> None:
    """:func:`recover` every other month that a dead run left behind and that no live run holds."""
    from .lock import MonthLock

    months = {m.group(1) for p in audits_dir.iterdir() if (m := _LEFTOVER.match(p.name))} - {month}
    for other in sorted(months):
        lock = MonthLock(audits_dir, other)
        if lock.attempt():
            try:
                recover(audits_dir, other)
            finally:
                lock.release()


def keep_for_diagnosis(staging: Path, failed: Path) -> None:
    """Keep a failed run's notebooks as ``failed``, without the copies of the export (personal data)."""
    strip_copies(staging)
    if staging.exists():
        _remove(failed)
        staging.rename(failed)
        checkpoint("echec:conserve")


def strip_copies(folder: Path) -> None:
    """Remove the typed copies of the export and the theme results (Parquet) and the connection files."""
    work = folder / WORK
    for name in ("tables", "themes"):
        _remove(work / name)
    if work.is_dir():
        for path in [*work.rglob("*.parquet"), *work.glob("noyau-*.json")]:
            path.unlink(missing_ok=True)


def discard(folder: Path) -> None:
    """Remove a run's folder and everything in it."""
    _remove(folder)


def restore(target: Path) -> None:
    """Put back the audit a publication set aside, or remove it if the new one is in place."""
    previous = previous_folder(target)
    if not previous.exists():
        return
    if target.exists():
        _remove(previous)  # a publication that ended before removing the previous audit
        checkpoint("reprise:ancien-supprime")
    else:
        previous.rename(target)  # a publication killed between its two renames
        checkpoint("reprise:ancien-restaure")


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():  # a file written meanwhile by a thread still stopping
        shutil.rmtree(folder, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic operation; ``False`` where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(a))
