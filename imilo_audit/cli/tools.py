"""``imilo-audit sample`` and ``imilo-audit bench``: the synthetic export and the benchmark."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ConfigError
from .arguments import say

COMMANDS = ("sample", "bench")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The two subcommands, with French help."""
    sample = commands.add_parser("sample", help="écrire un export synthétique avec ses anomalies attendues")
    sample.add_argument("out_dir", metavar="OUT_DIR")
    sample.add_argument("--jeunes", type=int, default=3000, help="nombre de dossiers jeunes (défaut : 3000)")
    sample.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
    sample.add_argument("--date-reference", default="2026-10-31", metavar="AAAA-MM-JJ")
    sample.add_argument("--taux-anomalies", type=float, default=None, metavar="TAUX",
                        help="anomalies par jeune, comme un premier audit réel (ex. 0.45 ; défaut : "
                             "quelques-unes par règle)")
    sample.add_argument("--conseillers", type=int, default=None, metavar="N",
                        help="nombre de conseillers (défaut : un pour 150 jeunes suivis)")

    bench = commands.add_parser("bench", help="mesurer la durée et la mémoire d'un audit complet")
    bench.add_argument("--jeunes", type=int, nargs="*", default=[100_000], metavar="N",
                       help="tailles des exports générés (défaut : 100000)")
    bench.add_argument("--charge", type=int, nargs="*", default=[], metavar="N",
                       help="tailles des exports chargés d'anomalies, comme un premier audit réel (défaut : aucun)")
    bench.add_argument("--taux-anomalies", type=float, default=0.45, metavar="TAUX",
                       help="anomalies par jeune des exports chargés (défaut : 0.45)")
    bench.add_argument("--conseillers", type=int, default=670, metavar="N",
                       help="conseillers des exports chargés (défaut : 670)")
    bench.add_argument("--echantillon", action="store_true", help="mesurer aussi l'audit de data_samples/")
    bench.add_argument("--repetitions", type=int, default=3, help="audits par taille ; la médiane est retenue")
    bench.add_argument("--dossier", default=".bench", metavar="DOSSIER",
                       help="où garder les exports générés et les audits (défaut : .bench/)")


def dispatch(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`."""
    if args.command == "bench":
        from ..run.bench import Heavy, run_bench

        return run_bench(args.jeunes, args.echantillon, args.repetitions, Path(args.dossier), args.charge,
                         Heavy(args.taux_anomalies, args.conseillers))
    return _sample(args)


def _sample(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..sample import generate_sample

    try:
        reference = dt.date.fromisoformat(args.date_reference)
    except ValueError:
        raise ConfigError(f"La date « {args.date_reference} » doit s'écrire AAAA-MM-JJ.") from None
    if args.jeunes < 1:
        raise ConfigError("--jeunes doit être un nombre positif de dossiers.")
    generate_sample(args.out_dir, jeunes=args.jeunes, seed=args.seed, date_reference=reference,
                    defect_rate=args.taux_anomalies, counsellors=args.conseillers)
    say(Path(args.out_dir).resolve())
    return 0
