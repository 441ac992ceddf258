"""``imilo-audit``: parse, call one function of the package, turn our errors into exit codes.

Exit codes: 0 the audit ran (whatever it found); 2 unusable input (French message on stderr);
1 internal failure (the failed notebook is kept and its path printed).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_monthly import COMMANDS as MONTHLY_COMMANDS
from .cli_monthly import add_commands as add_monthly_commands
from .cli_monthly import dispatch as dispatch_monthly
from .cli_monthly import journaled
from .errors import ConfigError, failure
from .folders import check_audits_dir, check_export_folder

if TYPE_CHECKING:
    from .runner import RunResult

# argparse's messages (English) and their French wording; the groups are argparse's values.
_ARGPARSE_FR: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", "il manque {0} dans la commande."),
    (r"argument (\S+): not allowed with argument (\S+)",
     "{0} et {1} ne vont pas ensemble : donnez l'un ou l'autre."),
    (r"unrecognized arguments: (.+)", "argument inconnu : {0}."),
    (r"argument (\S+): expected one argument", "{0} attend une valeur."),
    (r"argument (\S+): expected at least one argument", "{0} attend au moins une valeur."),
    (r"argument (\S+): expected (\S+) arguments?", "{0} attend {1} valeurs."),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)",
     "« {1} » n'est pas possible pour {0} : choisissez parmi {2}."),
    (r"argument (\S+): invalid int value: '(.*)'", "{0} attend un nombre entier (lu : « {1} »)."),
    (r"argument (\S+): invalid float value: '(.*)'", "{0} attend un nombre (lu : « {1} »)."),
    (r"argument (\S+): invalid \S+ value: '(.*)'", "la valeur « {1} » de {0} n'est pas valable."),
    (r"argument (\S+): ignored explicit argument '(.*)'", "{0} ne prend pas de valeur (lu : « {1} »)."),
    (r"ambiguous option: (\S+) could match (.+)", "l'option {0} est ambiguë : elle peut désigner {1}."),
    (r"one of the arguments (.+) is required", "donnez l'une des options {0}."),
)


def argparse_message_fr(message: str) -> str:
    """argparse's English error message in French (a generic French sentence when unknown)."""
    for pattern, french in _ARGPARSE_FR:
        match = re.fullmatch(pattern, message.strip())
        if match:
            return french.format(*(group.replace("'", "") for group in match.groups()))
    return "la ligne de commande n'est pas valide."


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "Utilisation : " if prefix is None else prefix)


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with French usage, headings, help option and error messages (exit code 2, no traceback)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _FrenchFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="afficher cette aide")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : {argparse_message_fr(message)} Aide : {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="imilo-audit", description="Audit de la qualité des données d'un export i-milo."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    run = commands.add_parser("run", help="auditer un dossier d'export et publier l'audit du mois")
    run.add_argument(
        "export_dir", metavar="EXPORT_DIR", nargs="+",
        help="dossier des fichiers exportés d'i-milo (plusieurs dossiers : un audit commun qui compare les structures)",
    )
    run.add_argument("--out", default="audits", metavar="AUDITS_DIR", help="dossier des audits (défaut : audits/)")
    when = run.add_mutually_exclusive_group()
    when.add_argument("--month", metavar="AAAA-MM", help="mois audité (date de référence : son dernier jour)")
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

    add_monthly_commands(commands)

    sample = commands.add_parser("sample", help="écrire un export synthétique avec ses anomalies attendues")
    sample.add_argument("out_dir", metavar="OUT_DIR")
    sample.add_argument("--jeunes", type=int, default=3000, help="nombre de dossiers jeunes (défaut : 3000)")
    sample.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
    sample.add_argument("--date-reference", default="2026-10-31", metavar="AAAA-MM-JJ")

    bench = commands.add_parser("bench", help="mesurer la durée et la mémoire d'un audit complet")
    bench.add_argument("--jeunes", type=int, nargs="*", default=[100_000], metavar="N",
                       help="tailles des exports générés (défaut : 100000)")
    bench.add_argument("--echantillon", action="store_true", help="mesurer aussi l'audit de data_samples/")
    bench.add_argument("--repetitions", type=int, default=3, help="audits par taille ; la médiane est retenue")
    bench.add_argument("--dossier", default=".bench", metavar="DOSSIER",
                       help="où garder les exports générés et les audits (défaut : .bench/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _silence_libraries()
    try:
        if args.command == "run":
            return journaled(args, _run)
        if args.command in MONTHLY_COMMANDS:
            return dispatch_monthly(args, _run)
        if args.command == "bench":
            from .bench import run_bench

            return run_bench(args.jeunes, args.echantillon, args.repetitions, Path(args.dossier))
        return _sample(args)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - never a traceback on the user's terminal
        failed = failure(exc)
        print(failed.terminal, file=sys.stderr)
        return failed.code


def _run(args: argparse.Namespace) -> tuple[RunResult, int]:
    """The audit of ``run``: its result and its anomaly total (for the journal and the email)."""
    from .config import load_config, reference_date
    from .runner import run_audit

    if args.engine == "spark":
        raise ConfigError("Le moteur Spark n'est pas encore disponible : lancez l'audit sans --engine spark.")
    for folder in args.export_dir:
        check_export_folder(folder)
    check_audits_dir(Path(args.out))
    config = load_config(args.config)
    if args.pseudonymise:
        config = config.pseudonymised()
    reference = reference_date(args.month, args.date_reference)
    display = None if args.quiet else _display()
    try:
        result = run_audit(args.export_dir, args.out, reference, config, progress=display)
    finally:
        if display is not None:
            display.close()
    found = sum(int(rule.get("anomalies") or 0) for rule in result.summary.get("regles") or [])
    if not args.quiet:
        from .report.formatting import fr_int
        from .terminal import seconds_fr

        print(
            f"Audit au {reference:%d/%m/%Y} terminé en {seconds_fr(result.seconds)} : "
            f"{fr_int(found)} anomalie{'s' if found > 1 else ''}. Rapport :",
            file=sys.stderr,
        )
    print(Path(result.folder, "index.html"))
    return result, found


def _display():
    from .terminal import TerminalProgress

    return TerminalProgress()


def _silence_libraries() -> None:
    """Library logs and warnings are English and technical: they never reach the user's terminal."""
    logging.getLogger().addHandler(logging.NullHandler())
    logging.captureWarnings(True)
    warnings.simplefilter("ignore")


def _sample(args: argparse.Namespace) -> int:
    import datetime as dt

    from .sample import generate_sample

    try:
        reference = dt.date.fromisoformat(args.date_reference)
    except ValueError:
        raise ConfigError(f"La date « {args.date_reference} » doit s'écrire AAAA-MM-JJ.") from None
    if args.jeunes < 1:
        raise ConfigError("--jeunes doit être un nombre positif de dossiers.")
    generate_sample(args.out_dir, jeunes=args.jeunes, seed=args.seed, date_reference=reference)
    print(Path(args.out_dir).resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
