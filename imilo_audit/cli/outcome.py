"""How a command ends: the exit code and French message of a failure, the run's journal entry and,
when the configuration asks for it, the email to the quality officer.

The only place where errors become exit codes: 0 the audit ran (whatever it found); 2 input the
user must correct; 1 any other failure (the traceback goes to the journal, never to the terminal).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import AuditError, ConfigError, InputError, TooManyFilesError
from ..run import journal as run_journal

if TYPE_CHECKING:
    from ..run.runner import RunResult

    Audit = Callable[[argparse.Namespace], tuple[RunResult, int]]  # the run command: its result and anomaly total


class Failure(NamedTuple):
    """How a failed command ends: exit code, terminal line, journal and email message, technical detail."""

    code: int
    terminal: str
    message: str
    detail: str = ""


def failure(exc: BaseException) -> Failure:
    """Exit code 2 for input the user must correct, 1 for any other failure; the traceback only when unexpected."""
    if isinstance(exc, InputError):
        return Failure(2, f"Erreur : {exc.message}", exc.message)
    if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):  # outside a run, which says it itself
        exc = TooManyFilesError()
    if isinstance(exc, AuditError):
        return Failure(1, f"Échec interne : {exc.message}", exc.message)
    if isinstance(exc, KeyboardInterrupt):
        return Failure(
            1, "Interrompu : l'audit précédent de ce mois n'a pas été modifié.", "interrompu (Ctrl-C ou arrêt demandé)"
        )
    what = f"{type(exc).__name__} : {exc}"
    return Failure(
        1,
        f"Échec interne inattendu ({what}). L'audit précédent de ce mois n'a pas été modifié ; relancez l'audit, "
        "et si l'échec se répète, transmettez ce message à l'équipe technique.",
        f"échec inattendu ({what})",
        "".join(traceback.format_exception(exc)),
    )


def journaled(args: argparse.Namespace, run: Audit, command: str = "run") -> int:
    """``run(args)`` with its journal entry in the audits folder and, if configured, the email.

    Exceptions go on to :func:`~imilo_audit.cli.main` (which prints the French message and picks the exit code); the
    journal gets the message, and the traceback for an unexpected failure.
    """
    from ..config import reference_date

    out = Path(args.out)
    try:
        month = reference_date(args.month, getattr(args, "date_reference", None)).strftime("%Y-%m")
    except ConfigError:
        month = args.month or "?"
    exports = [str(Path(p).resolve()) for p in args.export_dir]
    with contextlib.suppress(OSError):  # the run says what is wrong with --out; no journal then
        out.mkdir(parents=True, exist_ok=True)
    run_journal.started(out, command, month, exports, args.config)
    started = time.monotonic()
    try:
        result, found = run(args)
    except BaseException as exc:
        record_failure(args, month, exc, time.monotonic() - started)
        raise
    report = result.folder / "index.html"
    run_journal.finished(out, 0, time.monotonic() - started, f"{found} anomalies ; rapport : {report}")
    _notify_success(args, result.summary, found, str(report), time.monotonic() - started)
    return 0


def record_failure(args: argparse.Namespace, month: str, exc: BaseException, seconds: float) -> None:
    """Journal and mail the failure ``exc`` of a run (:func:`~imilo_audit.cli.main` then says it on the terminal)."""
    failed = failure(exc)
    run_journal.finished(args.out, failed.code, seconds, f"{failed.message}\n{failed.detail}")
    _notify_failure(args, month, failed.message, failed.code)


def _notification(args: argparse.Namespace):
    from ..config import load_config

    try:
        return load_config(args.config).notification if args.config else None
    except ConfigError:
        return None


def _notify_success(args: argparse.Namespace, summary: dict, found: int, report: str, seconds: float) -> None:
    from ..monthly.notify import send, success_message

    settings = _notification(args)
    if settings is not None:
        _send(args, settings, *success_message(summary, found, report, seconds), send)


def _notify_failure(args: argparse.Namespace, month: str, message: str, code: int) -> None:
    from ..monthly.notify import failure_message, send

    settings = _notification(args)
    if settings is not None:
        _send(args, settings, *failure_message(month, message.strip(), code), send)


def _send(args, settings, subject: str, body: str, send) -> None:
    try:
        send(settings, subject, body)
        run_journal.append(Path(args.out), f"email    envoyé à {', '.join(settings.destinataires)} : {subject}")
    except Exception as exc:  # noqa: BLE001 - a mail server down never fails the audit
        from ..monthly.notify import why_not_sent

        why = why_not_sent(settings, exc)
        run_journal.append(Path(args.out), f"email    non envoyé : {why} ({type(exc).__name__} : {exc})")
        print(f"Attention : l'email de notification n'a pas été envoyé : {why}. Le détail est dans le journal "
              f"({run_journal.journal_path(args.out)}).", file=sys.stderr)
