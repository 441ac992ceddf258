"""``imilo-audit``: parse, call one function of the package, turn our errors into exit codes.

Exit codes: 0 the audit ran (whatever it found); 2 unusable input (French message on stderr);
1 internal failure (the failed notebook is kept and its path printed).
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings

from . import audit_command, monthly_commands, tools
from .arguments import FrenchArgumentParser, argparse_message_fr
from .outcome import failure, journaled

__all__ = ["argparse_message_fr", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="imilo-audit", description="Audit de la qualité des données d'un export i-milo."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    audit_command.add_command(commands)
    monthly_commands.add_commands(commands)
    tools.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _silence_libraries()
    try:
        if args.command == "run":
            return journaled(args, audit_command.run)
        if args.command in monthly_commands.COMMANDS:
            return monthly_commands.dispatch(args, audit_command.run)
        return tools.dispatch(args)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - never a traceback on the user's terminal
        failed = failure(exc)
        print(failed.terminal, file=sys.stderr)
        return failed.code


def _silence_libraries() -> None:
    """Library logs and warnings are English and technical: they never reach the user's terminal."""
    logging.getLogger().addHandler(logging.NullHandler())
    logging.captureWarnings(True)
    warnings.simplefilter("ignore")
