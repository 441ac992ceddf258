"""The unattended side of the command line: ``verifier``, ``planifier``, ``mensuel``, and the run journal.

``cli.py`` parses and maps errors to exit codes; this module adds the commands a schedule and a
quality officer preparing it use, and wraps every audit run with its journal entry and, when the
configuration asks for it, the email to the quality officer.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import run_journal
from .errors import ConfigError, InputError, failure
from .folders import check_audits_dir

if TYPE_CHECKING:
    from .runner import RunResult

    Audit = Callable[[argparse.Namespace], tuple[RunResult, int]]  # cli's audit: its result and anomaly total

COMMANDS = ("verifier", "planifier", "mensuel")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The three subcommands, with French help."""
    verify = commands.add_parser("verifier", help="lire un export et dire quelles règles s'appliqueront, sans auditer")
    verify.add_argument("export_dir", metavar="EXPORT_DIR", nargs="+", help="dossier(s) d'export")
    verify.add_argument("--config", metavar="FICHIER", help="fichier de configuration TOML")

    plan = commands.add_parser("planifier", help="programmer l'audit mensuel (systemd, cron ou Windows)")
    plan.add_argument("--depot", metavar="DOSSIER",
                      help="dossier où déposer chaque mois l'export (un sous-dossier par mois)")
    plan.add_argument("--out", default="audits", metavar="AUDITS_DIR", help="dossier des audits (défaut : audits/)")
    plan.add_argument("--config", metavar="FICHIER", help="fichier de configuration TOML")
    plan.add_argument("--jour", type=int, default=5, help="jour du mois de l'audit (défaut : 5)")
    plan.add_argument("--heure", default="06:00", metavar="HH:MM", help="heure de l'audit (défaut : 06:00)")
    plan.add_argument("--methode", choices=["auto", "systemd", "cron", "windows"], default="auto",
                      help="planificateur (défaut : celui de la machine)")
    plan.add_argument("--retirer", action="store_true", help="retirer l'audit programmé")

    monthly = commands.add_parser(
        "mensuel", help="auditer le dernier export du dossier de dépôt (lancé par le planificateur)"
    )
    monthly.add_argument("--depot", required=True, metavar="DOSSIER", help="dossier de dépôt des exports")
    monthly.add_argument("--out", default="audits", metavar="AUDITS_DIR", help="dossier des audits (défaut : audits/)")
    monthly.add_argument("--config", metavar="FICHIER", help="fichier de configuration TOML")
    monthly.add_argument("--month", metavar="AAAA-MM", help="mois audité (défaut : le mois précédent)")


def dispatch(args: argparse.Namespace, run: Audit) -> int:
    """Run one of :data:`COMMANDS` (``run`` is cli's audit function, for ``mensuel``)."""
    if args.command == "verifier":
        return _verify(args)
    if args.command == "planifier":
        return _plan(args)
    return _monthly(args, run)


def journaled(args: argparse.Namespace, run: Audit, command: str = "run") -> int:
    """``run(args)`` with its journal entry in the audits folder and, if configured, the email.

    Exceptions go on to cli.main (which prints the French message and picks the exit code); the
    journal gets the message, and the traceback for an unexpected failure.
    """
    from .config import reference_date

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
        _failed(args, month, exc, time.monotonic() - started)
        raise
    report = result.folder / "index.html"
    run_journal.finished(out, 0, time.monotonic() - started, f"{found} anomalies ; rapport : {report}")
    _notify_success(args, result.summary, found, str(report), time.monotonic() - started)
    return 0


def _failed(args: argparse.Namespace, month: str, exc: BaseException, seconds: float) -> None:
    """Journal and mail the failure ``exc`` of a run (cli.main then says it on the terminal)."""
    failed = failure(exc)
    run_journal.finished(args.out, failed.code, seconds, f"{failed.message}\n{failed.detail}")
    _notify_failure(args, month, failed.message, failed.code)


def _notification(args: argparse.Namespace):
    from .config import load_config

    try:
        return load_config(args.config).notification if args.config else None
    except ConfigError:
        return None


def _notify_success(args: argparse.Namespace, summary: dict, found: int, report: str, seconds: float) -> None:
    from .notify import send, success_message

    settings = _notification(args)
    if settings is not None:
        _send(args, settings, *success_message(summary, found, report, seconds), send)


def _notify_failure(args: argparse.Namespace, month: str, message: str, code: int) -> None:
    from .notify import failure_message, send

    settings = _notification(args)
    if settings is not None:
        _send(args, settings, *failure_message(month, message.strip(), code), send)


def _send(args, settings, subject: str, body: str, send) -> None:
    try:
        send(settings, subject, body)
        run_journal.append(Path(args.out), f"email    envoyé à {', '.join(settings.destinataires)} : {subject}")
    except Exception as exc:  # noqa: BLE001 - a mail server down never fails the audit
        run_journal.append(Path(args.out), f"email    non envoyé ({type(exc).__name__} : {exc})")
        print(f"Attention : l'email de notification n'a pas pu être envoyé ({exc}).", file=sys.stderr)


def _verify(args: argparse.Namespace) -> int:
    from .config import load_config
    from .verify import verify

    for line in verify(args.export_dir, load_config(args.config)):
        print(line)
    return 0


def _plan(args: argparse.Namespace) -> int:
    from .schedule import install, monthly_command, pick_method, remove

    method = pick_method(args.methode)
    if args.retirer:
        lines = remove(method)
    else:
        if not args.depot:
            raise ConfigError("Donnez le dossier de dépôt des exports : imilo-audit planifier --depot DOSSIER.")
        if not 1 <= args.jour <= 28:
            raise ConfigError("--jour est un jour entre 1 et 28 (présent dans tous les mois).")
        hour, minute = _time_of_day(args.heure)
        depot = Path(args.depot)
        if not depot.is_dir():
            raise ConfigError(f"Le dossier de dépôt « {depot} » n'existe pas : créez-le d'abord.")
        config = Path(args.config) if args.config else None
        if config is not None:
            from .config import load_config

            load_config(config)  # a wrong file is said now, not on the day of the run
        out = Path(args.out)
        check_audits_dir(out)
        out.mkdir(parents=True, exist_ok=True)
        command = monthly_command(depot, out, config)
        lines = install(method, command, args.jour, hour, minute)
        lines.append(f"Chaque audit est noté dans {run_journal.journal_path(out.resolve())}.")
    for line in lines:
        print(line)
    return 0


def _time_of_day(text: str) -> tuple[int, int]:
    """``--heure`` (HH:MM) as hour and minute; a French error when it is not a time of day."""
    try:
        hour, minute = (int(part) for part in text.split(":"))
    except ValueError:
        hour = minute = -1
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ConfigError(f"--heure s'écrit HH:MM, par exemple 06:00 (lu : {text}).")
    return hour, minute


def _monthly(args: argparse.Namespace, run: Audit) -> int:
    from .cli import _parser
    from .schedule import newest_export

    check_audits_dir(Path(args.out))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    if args.month is None:
        first = dt.date.today().replace(day=1)
        args.month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    try:
        export = newest_export(Path(args.depot))
    except InputError as exc:
        run_journal.started(args.out, "mensuel", args.month, [str(args.depot)], args.config)
        _failed(args, args.month, exc, 0.0)
        raise
    options = [f"--out={args.out}", f"--month={args.month}", "--quiet"]
    if args.config is not None:
        options.append(f"--config={args.config}")
    audit = _parser().parse_args(["run", *options, "--", str(export)])
    return journaled(audit, run, command="mensuel")
