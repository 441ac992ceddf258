"""``imilo-audit``: parse, call one function of the package, turn our errors into exit codes.

Exit codes: 0 the audit ran (whatever it found); 2 unusable input (French message on stderr);
1 internal failure (the failed notebook is kept and its path printed).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import warnings
from pathlib import Path

from ..errors import ConfigError, readable_name
from . import audit_command, monthly_commands, tools
from .arguments import FrenchArgumentParser, argparse_message_fr, readable_terminal
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
    readable_terminal()
    args = _parser().parse_args(argv)
    _silence_libraries()
    try:
        _absolute_paths(args)
        if args.command == "run":
            return journaled(args, audit_command.run)
        if args.command in monthly_commands.COMMANDS:
            return monthly_commands.dispatch(args, audit_command.run)
        return tools.dispatch(args)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - never a traceback on the user's terminal
        failed = failure(exc)
        print(failed.terminal, file=sys.stderr)
        return failed.code


def _absolute_paths(args: argparse.Namespace) -> None:
    """The folders and files of the command as absolute paths, taken now: the working folder may vanish
    while the audit runs (a French message when it is already gone)."""
    try:
        os.getcwd()
    except OSError:
        raise ConfigError(
            "Le dossier courant n'existe plus (supprimé ou démonté pendant que le terminal s'y trouvait) : "
            "placez-vous dans un dossier qui existe (cd), ou donnez des chemins complets, puis relancez."
        ) from None
    for name in ("export_dir", "out", "config", "depot", "out_dir", "dossier"):
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, [_utf8_path(os.path.abspath(item), name) for item in value])
        elif isinstance(value, str) and value:
            setattr(args, name, _utf8_path(os.path.abspath(value), name))
    out = getattr(args, "out", None)
    if out:  # libraries (papermill) read the working folder: one that lives as long as the audits folder
        anchor = next((folder for folder in (Path(out), *Path(out).parents) if folder.is_dir()), None)
        if anchor is not None:
            os.chdir(anchor)


_OPTIONS = {"export_dir": "EXPORT_DIR", "out": "--out", "config": "--config", "depot": "--depot", "out_dir": "OUT_DIR",
            "dossier": "--dossier"}


def _utf8_path(path: str, name: str) -> str:
    """``path`` when its name is UTF-8 text; else a French error (the audit's files and notebooks are UTF-8)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigError(
            f"Le chemin donné à {_OPTIONS[name]} (« {readable_name(path)} ») contient un nom qui n'est pas en UTF-8 "
            "(dossier venu d'un partage en Latin-1 ?) : l'audit ne peut pas l'écrire dans ses fichiers. Renommez ce "
            "dossier (les accents seront alors bien écrits), ou copiez l'export dans un dossier au nom sans "
            "accent, puis relancez."
        ) from None
    return path


def _silence_libraries() -> None:
    """Library logs and warnings are English and technical: they never reach the user's terminal."""
    logging.getLogger().addHandler(logging.NullHandler())
    logging.captureWarnings(True)
    warnings.simplefilter("ignore")
    sys.unraisablehook = _ignore_unraisable  # « Exception ignored in … » while Python shuts down (no file left…)
    threading.excepthook = _ignore_unraisable  # a helper thread's failure: the run itself says what failed


def _ignore_unraisable(_unraisable: object) -> None:
    """An error Python could not raise (in a finaliser): the command's own message already says what failed."""
