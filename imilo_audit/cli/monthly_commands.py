"""The unattended side of the command line: ``verifier``, ``planifier`` and ``mensuel``.

The commands a schedule and a quality officer preparing it use; ``mensuel`` audits the drop
folder's export of the month as ``run`` would, journaled and notified by :mod:`.outcome`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import previous_month_end
from ..errors import ConfigError, InputError
from ..folders import check_audits_dir
from ..run import journal as run_journal
from .arguments import invoked_as, say
from .audit_command import run_arguments
from .outcome import journaled, record_failure

if TYPE_CHECKING:
    from .outcome import Audit

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
        "mensuel", help="auditer l'export du mois du dossier de dépôt (lancé par le planificateur)"
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


def _verify(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..rules.verify import verify

    for line in verify(args.export_dir, load_config(args.config), program=invoked_as()):
        say(line)
    return 0


def _plan(args: argparse.Namespace) -> int:
    from ..monthly.schedule import install, monthly_command, pick_method, remove

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
            from ..config import load_config

            load_config(config)  # a wrong file is said now, not on the day of the run
        out = Path(args.out)
        check_audits_dir(out)
        command = monthly_command(depot, out, config)  # a path no schedule can carry is refused before anything
        out.mkdir(parents=True, exist_ok=True)
        lines = install(method, command, args.jour, hour, minute)
        lines.append(f"Chaque audit est noté dans {run_journal.journal_path(out.resolve())}.")
    for line in lines:
        say(line)
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
    from ..monthly.schedule import export_for_month

    check_audits_dir(Path(args.out))
    Path(args.out).mkdir(parents=True, exist_ok=True)
    if args.month is None:
        args.month = previous_month_end().strftime("%Y-%m")
    try:
        export = export_for_month(Path(args.depot), args.month)
    except InputError as exc:
        run_journal.started(args.out, "mensuel", args.month, [str(args.depot)], args.config)
        record_failure(args, args.month, exc, 0.0)
        raise
    options = [f"--out={args.out}", f"--month={args.month}", "--quiet"]
    if args.config is not None:
        options.append(f"--config={args.config}")
    audit = run_arguments(["run", *options, "--", str(export)])
    return journaled(audit, run, command="mensuel")
