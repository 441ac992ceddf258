"""``imilo-audit run``: audit one month of one or more export folders and publish it."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, TooManyFilesError
from ..folders import check_audits_dir, check_export_folder
from .arguments import FrenchArgumentParser, say

if TYPE_CHECKING:
    from ..run.runner import RunResult


def add_command(commands: argparse._SubParsersAction) -> None:
    """The ``run`` subcommand, with French help."""
    run = commands.add_parser("run", help="auditer un dossier d'export et publier l'audit du mois")
    run.add_argument(
        "export_dir", metavar="EXPORT_DIR", nargs="+",
        help="dossier des fichiers exportés d'i-milo (plusieurs dossiers : un audit commun qui compare les structures)",
    )
    run.add_argument("--out", default="audits", metavar="AUDITS_DIR", help="dossier des audits (défaut : audits/)")
    when = run.add_mutually_exclusive_group()
    when.add_argument(
        "--month", metavar="AAAA-MM",
        help="mois audité (date de référence : son dernier jour) ; sans --month ni --date-reference, la date de "
        "référence est aujourd'hui : le mois en cours, pas encore fini (imilo-audit mensuel audite le mois "
        "précédent)")
    when.add_argument("--date-reference", metavar="AAAA-MM-JJ", help="date de référence de l'audit")
    run.add_argument(
        "--config", metavar="FICHIER", help="fichier de configuration TOML (seuils, alias, clé de pseudonymisation)"
    )
    run.add_argument("--engine", choices=["pandas", "spark"], default="pandas", help="moteur de validation")
    run.add_argument(
        "--pseudonymise",
        action="store_true",
        help="audit à partager hors de la structure\u00a0: ni nom, ni email, ni téléphone, ni NIR, ni date de "
        "naissance, ni adresse ; conseillers et comptes sous pseudonyme stable (clé secrète à mettre dans "
        "la section [pseudonymisation] du fichier --config)",
    )
    run.add_argument("--quiet", action="store_true", help="n'afficher que le résultat")


def run_arguments(argv: list[str]) -> argparse.Namespace:
    """``argv`` (``run`` and its options) parsed as the command line parses it (for ``mensuel``)."""
    parser = FrenchArgumentParser(prog="imilo-audit")
    add_command(parser.add_subparsers(dest="command", required=True, metavar="COMMANDE"))
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> tuple[RunResult, int]:
    """The audit of ``run``: its result and its anomaly total (for the journal and the email)."""
    from ..config import load_config, reference_date
    from ..run.runner import run_audit

    if args.engine == "spark":
        raise ConfigError("Le moteur Spark n'est pas encore disponible : lancez l'audit sans --engine spark.")
    for folder in args.export_dir:
        check_export_folder(folder)
    check_audits_dir(Path(args.out))
    config = load_config(args.config)
    if args.pseudonymise:
        config = config.pseudonymised()
    reference = reference_date(args.month, args.date_reference)
    enough_open_files()
    display = None if args.quiet else _display()
    try:
        result = run_audit(args.export_dir, args.out, reference, config, progress=display)
    finally:
        if display is not None:
            display.close()
    found = sum(int(rule.get("anomalies") or 0) for rule in result.summary.get("regles") or [])
    if not args.quiet:
        from ..french.formatting import fr_int
        from ..run.terminal import seconds_fr

        print(
            f"Audit au {reference:%d/%m/%Y} terminé en {seconds_fr(result.seconds)} : "
            f"{fr_int(found)} anomalie{'s' if found > 1 else ''}. Rapport :",
            file=sys.stderr,
        )
    say(Path(result.folder, "index.html"))
    return result, found


def _display():
    from ..run.terminal import TerminalProgress

    return TerminalProgress()


OPEN_FILES_NEEDED = 256  # kernels, their sockets, the export's files and the outputs, with room to spare


def enough_open_files() -> None:
    """Raise the limit of open files up to what a run needs when the system allows it; else stop now, before
    anything is written, with the French message of a too-low « ulimit -n »."""
    try:
        import resource
    except ImportError:  # not on Unix: no such limit to check
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= OPEN_FILES_NEEDED:
        return
    wanted = OPEN_FILES_NEEDED if hard == resource.RLIM_INFINITY else min(hard, OPEN_FILES_NEEDED)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < OPEN_FILES_NEEDED:
        raise TooManyFilesError()
