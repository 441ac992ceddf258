"""argparse in French: usage, headings, help option and error messages (exit code 2, no traceback)."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from pathlib import Path

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


def say(text: object = "") -> None:
    """Print a line of the command's result; a reader gone (``| head``, a closed pipe) stops nothing.

    The work is done when its result is printed: a closed standard output only means nobody reads it.
    """
    try:
        print(text, flush=True)
    except BrokenPipeError:
        _drop_stdout()


def _drop_stdout() -> None:
    """Send what is left of standard output nowhere (Python would otherwise complain at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def readable_terminal() -> None:
    """Names that are not UTF-8 (a Latin-1 share) are printed with escapes instead of failing the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def invoked_as() -> str:
    """The command as the user typed it (``.venv/bin/imilo-audit``), for a suggestion they can paste."""
    typed = sys.argv[0] if sys.argv else ""
    return typed if Path(typed).name == "imilo-audit" else "imilo-audit"
