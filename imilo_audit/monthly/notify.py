"""The email a run sends the quality officer: the month's verdict, or the French message of a failure.

Configured in the ``[notification]`` section of the configuration file::

    [notification]
    serveur = "smtp.mission-locale.fr"   # SMTP server
    port = 587                            # optional (587 with starttls, else 25)
    starttls = true                       # optional (default true when port is 587)
    utilisateur = "audit@mission-locale.fr"   # optional: login for the server
    mot_de_passe_env = "IMILO_AUDIT_SMTP"     # optional: environment variable holding the password
    expediteur = "audit@mission-locale.fr"
    destinataires = ["qualite@mission-locale.fr"]

The password is never written in the file: it is read from the environment variable named there.
Sent with the standard library (smtplib, email.message).
"""

from __future__ import annotations

import os
from typing import Any

from ..config import Notification


def success_message(summary: dict[str, Any], findings: int, report: str, seconds: float) -> tuple[str, str]:
    """Subject and body of a successful run's email: the verdict, the counts, where the report is.

    ``findings`` is the run's anomaly total (the caller has it already).
    """
    from ..french.formatting import fr_date, fr_int, fr_month
    from ..report.formatting import severity_count

    rules = summary.get("regles") or []
    errors = sum(severity_count(rule, "erreur") for rule in rules)
    new = sum(int(rule.get("nouveaux") or 0) for rule in rules)
    fixed = sum(int(rule.get("corriges") or 0) for rule in rules)
    month = fr_month(summary.get("date_reference"))
    structure = summary.get("structure") or "votre structure"
    subject = f"Audit i-milo {month} : {fr_int(findings)} anomalies, dont {fr_int(errors)} erreurs"
    lines = [
        "Bonjour,",
        "",
        f"L'audit de la qualité des données i-milo de {structure} au {fr_date(summary.get('date_reference'))} "
        f"est prêt ({round(seconds)} s).",
        "",
        f"- {fr_int(findings)} anomalies, dont {fr_int(errors)} erreurs à corriger en priorité ;",
        f"- depuis l'audit précédent : {fr_int(new)} nouvelles, {fr_int(fixed)} corrigées ;",
    ]
    disabled = summary.get("regles_desactivees") or []
    if disabled:
        lines.append(f"- {len(disabled)} règles n'ont pas pu être vérifiées (voir « À savoir » dans le rapport).")
    lines += ["", f"Le rapport : {report}", "", "Chaque conseiller y trouve sa page et son classeur.", ""]
    return subject, "\n".join(lines)


def failure_message(month: str, message: str, code: int) -> tuple[str, str]:
    """Subject and body of a failed run's email: the French message the terminal would have shown."""
    kind = "export ou configuration à corriger" if code == 2 else "échec interne"
    subject = f"Audit i-milo {month} : échec ({kind})"
    body = (
        "Bonjour,\n\nL'audit mensuel n'a pas pu être produit. Message :\n\n"
        f"{message}\n\nL'audit précédent de ce mois, s'il existe, n'a pas été modifié.\n"
    )
    return subject, body


def send(settings: Notification, subject: str, body: str, timeout: float = 30) -> None:
    """Send one email; raises OSError/smtplib.SMTPException on failure (the caller journals it)."""
    import smtplib  # here: loading the configuration (which checks [notification]) needs none of these
    import socket
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.expediteur
    message["To"] = ", ".join(settings.destinataires)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=socket.getfqdn() or "imilo-audit")
    message.set_content(body)
    with smtplib.SMTP(settings.serveur, settings.port, timeout=timeout) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.utilisateur:
            smtp.login(settings.utilisateur, os.environ.get(settings.mot_de_passe_env, ""))
        smtp.send_message(message)


def why_not_sent(settings: Notification, exc: BaseException) -> str:
    """Why the email could not be sent, in plain French (the exception itself goes to the journal)."""
    import smtplib
    import socket

    server = f"« {settings.serveur} » (port {settings.port})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"le serveur {server} a refusé l'identifiant ou le mot de passe (variable "
                f"{settings.mot_de_passe_env or 'du mot de passe'})")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"le serveur {server} a refusé les destinataires"
    if isinstance(exc, socket.gaierror):
        return f"le serveur {server} est introuvable (nom mal écrit, ou pas de réseau)"
    if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout, smtplib.SMTPServerDisconnected)):
        return f"le serveur {server} ne répond pas"
    if isinstance(exc, smtplib.SMTPException):
        return f"le serveur {server} a refusé l'envoi"
    return f"l'envoi vers le serveur {server} a échoué"
