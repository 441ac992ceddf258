"""The unattended side of the command line: ``verifier``, ``planifier``, ``mensuel``, and the run journal.

``cli.py`` parses and maps errors to exit codes; this module adds the commands a schedule and a
quality officer preparing it use, and wraps every audit run with its journal entry and, when the
configuration asks for it, the email to the quality officer.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import run_journal
from .errors import AuditError, ConfigError, InputError

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


def dispatch(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    """Run one of :data:`COMMANDS` (``run`` is cli's audit function, for ``mensuel``)."""
    if args.command == "verifier":
        return _verify(args)
    if args.command == "planifier":
        return _plan(args)
    return _monthly(args, run)


def journaled(args: argparse.Namespace, run: Callable[[argparse.Namespace], int], command: str = "run") -> int:
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
    run_journal.started(out if out.is_dir() else None, command, month, exports, args.config)
    started = time.monotonic()
    try:
        code = run(args)
    except BaseException as exc:
        code, message = _failure(exc)
        run_journal.finished(out if out.is_dir() else None, code, time.monotonic() - started, message)
        _notify_failure(args, month, message, code)
        raise
    summary = _summary(out / month)
    report = out.resolve() / month / "index.html"
    found = sum(int(rule.get("anomalies") or 0) for rule in summary.get("regles") or [])
    run_journal.finished(out, code, time.monotonic() - started, f"{found} anomalies ; rapport : {report}")
    _notify_success(args, summary, str(report), time.monotonic() - started)
    return code


def _failure(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, InputError):
        return 2, exc.message
    if isinstance(exc, AuditError):
        return 1, exc.message
    if isinstance(exc, KeyboardInterrupt):
        return 1, "interrompu (Ctrl-C ou arrêt demandé)"
    if isinstance(exc, SystemExit):
        return int(exc.code or 0), "arrêt"
    return 1, f"échec inattendu ({type(exc).__name__} : {exc})\n" + traceback.format_exc()


def _summary(folder: Path) -> dict:
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return summary if isinstance(summary, dict) else {}


def _notification(args: argparse.Namespace):
    from .config import load_config

    try:
        return load_config(args.config).notification if args.config else None
    except ConfigError:
        return None


def _notify_success(args: argparse.Namespace, summary: dict, report: str, seconds: float) -> None:
    from .notify import send, success_message

    settings = _notification(args)
    if settings is not None:
        _send(args, settings, *success_message(summary, report, seconds), send)


def _notify_failure(args: argparse.Namespace, month: str, message: str, code: int) -> None:
    from .notify import failure_message, send

    settings = _notification(args)
    if settings is not None:
        first = message.split("\nTraceback")[0].strip()
        _send(args, settings, *failure_message(month, first, code), send)


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

    folders = args.export_dir[0] if len(args.export_dir) == 1 else args.export_dir
    for line in verify(folders, load_config(args.config)):
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
        try:
            hour, minute = (int(part) for part in args.heure.split(":"))
            assert 0 <= hour < 24 and 0 <= minute < 60
        except (ValueError, AssertionError):
            raise ConfigError(f"--heure s'écrit HH:MM, par exemple 06:00 (lu : {args.heure}).") from None
        depot = Path(args.depot)
        if not depot.is_dir():
            raise ConfigError(f"Le dossier de dépôt « {depot} » n'existe pas : créez-le d'abord.")
        config = Path(args.config) if args.config else None
        if config is not None:
            from .config import load_config

            load_config(config)  # a wrong file is said now, not on the day of the run
        Path(args.out).mkdir(parents=True, exist_ok=True)
        command = monthly_command(depot, Path(args.out), config)
        lines = install(method, command, args.jour, f"{hour:02d}:{minute:02d}")
        lines.append(f"Chaque audit est noté dans {Path(args.out).resolve() / run_journal.JOURNAL}.")
    for line in lines:
        print(line)
    return 0


def _monthly(args: argparse.Namespace, run: Callable[[argparse.Namespace], int]) -> int:
    from .schedule import newest_export

    Path(args.out).mkdir(parents=True, exist_ok=True)
    if args.month is None:
        first = dt.date.today().replace(day=1)
        args.month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    try:
        export = newest_export(Path(args.depot))
    except InputError as exc:
        run_journal.started(args.out, "mensuel", args.month, [str(args.depot)], args.config)
        run_journal.finished(args.out, 2, 0.0, exc.message)
        _notify_failure(args, args.month, exc.message, 2)
        raise
    audit = argparse.Namespace(
        command="run", export_dir=[str(export)], out=args.out, month=args.month, date_reference=None,
        config=args.config, engine="pandas", pseudonymise=False, quiet=True,
    )
    return journaled(audit, run, command="mensuel")
