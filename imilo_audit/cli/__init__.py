"""The command line, thin: parse, call one function of the package, map errors to exit codes.

Front door: :func:`main` (the ``imilo-audit`` script; ``python -m imilo_audit.cli`` runs it too).
One module per command family: ``audit_command`` (run), ``monthly_commands`` (verifier,
planifier, mensuel), ``tools`` (sample, bench); ``arguments`` is argparse in French and
``outcome`` the only place where an error becomes an exit code, a journal line and an email.
"""

from .command_line import main

__all__ = ["main"]
