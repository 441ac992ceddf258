"""Unattended monthly runs: ``planifier`` sets the schedule up, the scheduled command audits the newest
export of the drop folder, the journal tells what happened, and the quality officer gets one email.

The SMTP server is a real one (aiosmtpd) listening on the loopback address; the schedule is written
where the machine keeps it (systemd user units under XDG_CONFIG_HOME, or a crontab file), read back,
and its command run once, as the timer would.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import write_table, youth


class Inbox:
    """An SMTP handler keeping every message received."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on the loopback address
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def imilo_audit(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imilo_audit.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def config_file(folder: Path, port: int) -> Path:
    path = folder / "config.toml"
    path.write_text(
        "[notification]\n"
        'serveur = "127.0.0.1"\n'
        f"port = {port}\n"
        'expediteur = "audit@ml-test.fr"\n'
        'destinataires = ["qualite@ml-test.fr"]\n',
        encoding="utf-8",
    )
    return path


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_systemd_timer_runs_the_newest_export_journals_it_and_mails_the_verdict(tmp_path, smtp):
    inbox, port = smtp
    depot, audits, units = tmp_path / "depot", tmp_path / "audits", tmp_path / "xdg"
    write_table(depot / "export-2026-09", "jeunes", [youth("OLD1", email="")])
    write_table(depot / "export-2026-10", "jeunes", [youth("J1"), youth("J2", email="")])
    os.utime(depot / "export-2026-09", (1_700_000_000, 1_700_000_000))  # the older drop
    config = config_file(tmp_path, port)

    done = imilo_audit("planifier", "--methode", "systemd", "--depot", depot, "--out", audits, "--config", config,
                       "--jour", "5", "--heure", "06:30", env={"XDG_CONFIG_HOME": str(units)})
    assert done.returncode == 0, done.stderr
    timer = (units / "systemd/user/imilo-audit.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-05 06:30:00" in timer and "Persistent=true" in timer
    service = (units / "systemd/user/imilo-audit.service").read_text(encoding="utf-8")
    command = shlex.split(next(line for line in service.splitlines() if line.startswith("ExecStart=")).split("=", 1)[1])
    assert "mensuel" in command and str(depot.resolve()) in command

    run = subprocess.run([*command, "--month", "2026-10"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    findings = (audits / "2026-10" / "findings.csv").read_text(encoding="utf-8-sig")
    assert ";J2;" in findings and "OLD1" not in findings  # the newest drop was audited

    journal = (audits / "journal.txt").read_text(encoding="utf-8")
    assert "début    mensuel : audit de 2026-10" in journal and "export-2026-10" in journal
    assert "terminé, code 0" in journal and "rapport" in journal
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "qualite@ml-test.fr"
    assert "Audit i-milo octobre 2026" in subject(mail) and "anomalie" in subject(mail)
    body = mail.get_payload(decode=True).decode("utf-8")
    assert "erreurs à corriger en priorité" in body and str(audits.resolve() / "2026-10" / "index.html") in body
    assert "email    envoyé à qualite@ml-test.fr" in (audits / "journal.txt").read_text(encoding="utf-8")


def test_a_failed_scheduled_run_is_journaled_and_mailed_in_french(tmp_path, smtp):
    inbox, port = smtp
    depot, audits = tmp_path / "depot", tmp_path / "audits"
    depot.mkdir()  # nothing dropped this month
    done = imilo_audit("mensuel", "--depot", depot, "--out", audits, "--config", config_file(tmp_path, port))
    assert done.returncode == 2
    assert "est vide" in done.stderr and "Traceback" not in done.stderr
    journal = (audits / "journal.txt").read_text(encoding="utf-8")
    assert "refusé (entrée à corriger), code 2" in journal and "est vide" in journal
    assert len(inbox.messages) == 1 and "échec" in subject(inbox.messages[0])


def test_cron_line_is_written_once_and_removed(tmp_path):
    crontab = tmp_path / "crontab"
    crontab.write_text("0 1 * * * /usr/bin/sauvegarde\n", encoding="utf-8")
    depot = tmp_path / "depot"
    depot.mkdir()
    env = {"IMILO_AUDIT_CRONTAB": str(crontab)}
    for _ in range(2):  # planning twice keeps one line
        done = imilo_audit("planifier", "--methode", "cron", "--depot", depot, "--out", tmp_path / "audits", env=env)
        assert done.returncode == 0, done.stderr
    lines = crontab.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "0 1 * * * /usr/bin/sauvegarde"
    ours = [line for line in lines if line.endswith("# imilo-audit")]
    assert len(ours) == 1 and ours[0].startswith("0 6 5 * * ") and " mensuel --depot " in ours[0]
    done = imilo_audit("planifier", "--methode", "cron", "--retirer", env=env)
    assert done.returncode == 0 and "retirée" in done.stdout
    assert crontab.read_text(encoding="utf-8").splitlines() == ["0 1 * * * /usr/bin/sauvegarde"]


def test_windows_gets_the_task_scheduler_command(tmp_path):
    depot = tmp_path / "depot"
    depot.mkdir()
    done = imilo_audit("planifier", "--methode", "windows", "--depot", depot, "--out", tmp_path / "audits")
    assert done.returncode == 0, done.stderr
    assert "schtasks /Create" in done.stdout and "/SC MONTHLY /D 5 /ST 06:00" in done.stdout


def test_planifier_refuses_a_missing_drop_folder_in_french(tmp_path):
    done = imilo_audit("planifier", "--methode", "cron", "--depot", tmp_path / "absent", "--out", tmp_path / "a",
                       env={"IMILO_AUDIT_CRONTAB": str(tmp_path / "crontab")})
    assert done.returncode == 2 and "n'existe pas" in done.stderr and "Traceback" not in done.stderr


def test_verifier_says_what_will_run_without_auditing(tmp_path):
    export = tmp_path / "export"
    write_table(export, "jeunes", [youth("J1"), youth("J2", email="")])
    done = imilo_audit("verifier", export)
    assert done.returncode == 0, done.stderr
    assert "jeunes ← « jeunes.csv » (reconnu par son nom), en-tête ligne 1\n  2 lignes lues" in done.stdout
    assert "Tables absentes : ressources" in done.stdout
    assert "table « ressources » absente de l'export" in done.stdout  # a disabled rule and why
    assert "Aucun audit n'a été lancé" in done.stdout
    assert not (tmp_path / "audits").exists()


def test_verifier_on_a_missing_folder_exits_2_in_french(tmp_path):
    done = imilo_audit("verifier", tmp_path / "absent")
    assert done.returncode == 2 and "n'existe pas" in done.stderr and "Traceback" not in done.stderr


def test_mensuel_and_planifier_refuse_an_out_that_is_a_file_in_french(tmp_path):
    depot, taken = tmp_path / "depot", tmp_path / "audits.txt"
    depot.mkdir()
    taken.write_text("pas un dossier", encoding="utf-8")
    monthly = imilo_audit("mensuel", "--depot", depot, "--out", taken)
    plan = imilo_audit("planifier", "--methode", "cron", "--depot", depot, "--out", taken,
                       env={"IMILO_AUDIT_CRONTAB": str(tmp_path / "crontab")})
    for done in (monthly, plan):
        assert done.returncode == 2, done.stderr
        assert f"« {taken} » (--out) est un fichier, pas un dossier" in done.stderr
        assert "Traceback" not in done.stderr and "inattendu" not in done.stderr
    assert taken.read_text(encoding="utf-8") == "pas un dossier" and not (tmp_path / "crontab").exists()
