"""Schedule lines nobody can inject, and the right month every month (issue 21, cases 1 to 5).

Each schedule is read back with a parser written here from crontab(5) and systemd.service(5), not
with the code that wrote it: the scheduled command must be exactly one command with exactly the
paths given.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_table, youth

OURS = "# imilo-audit"


def imilo_audit(*args, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imilo_audit.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})}, cwd=cwd)


def expected_command(depot: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "imilo_audit.cli", "mensuel", "--depot", str(depot.resolve()),
            "--out", str(out.resolve())]


def cron_argv(line: str) -> list[str]:
    """crontab(5): five time fields, then the command; an unescaped « % » would end it, « \\% » is a « % »."""
    fields = line.split(None, 5)
    command = fields[5].removesuffix(OURS).rstrip()
    assert not re.search(r"(?<!\\)%", command), "an unescaped % cuts the command"
    return shlex.split(command.replace("\\%", "%"))


def exec_start_argv(service: str) -> list[str]:
    """systemd.service(5) ExecStart=: words in double quotes with C escapes; « %% » is « % », « $$ » is « $ »."""
    lines = [line for line in service.splitlines() if line.startswith("ExecStart")]
    assert len(lines) == 1 and not any(line.startswith("ExecStartPre") for line in service.splitlines())
    words, value = [], lines[0].split("=", 1)[1]
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\S+)', value):
        word = match.group(1) if match.group(1) is not None else match.group(2)
        word = re.sub(r"\\(.)", r"\1", word)
        words.append(word.replace("%%", "\0").replace("$$", "$").replace("\0", "%"))
        assert "%" not in word.replace("%%", ""), "a lone % is a systemd specifier"
        assert "$" not in word.replace("$$", ""), "a lone $ is an environment variable"
    return words


def test_a_newline_in_the_drop_folder_cannot_add_a_crontab_job(tmp_path):
    crontab = tmp_path / "crontab"
    crontab.write_text("0 1 * * * /usr/bin/sauvegarde\n", encoding="utf-8")
    depot = tmp_path / "d\n* * * * * touch INJECTE #"
    depot.mkdir(parents=True)
    done = imilo_audit("planifier", "--methode", "cron", "--depot", depot, "--out", tmp_path / "audits",
                       env={"IMILO_AUDIT_CRONTAB": str(crontab)})
    assert done.returncode == 2 and "retour à la ligne" in done.stderr and "--depot" in done.stderr
    assert "Traceback" not in done.stderr
    assert crontab.read_text(encoding="utf-8") == "0 1 * * * /usr/bin/sauvegarde\n"  # untouched
    assert not (tmp_path / "audits").exists()


def test_a_percent_sign_in_a_path_reaches_the_command_exactly(tmp_path):
    crontab = tmp_path / "crontab"
    depot, out = tmp_path / "exports 100% ML", tmp_path / "audits d'octobre $HOME"
    depot.mkdir()
    done = imilo_audit("planifier", "--methode", "cron", "--depot", depot, "--out", out,
                       env={"IMILO_AUDIT_CRONTAB": str(crontab)})
    assert done.returncode == 0, done.stderr
    ours = [line for line in crontab.read_text(encoding="utf-8").splitlines() if line.endswith(OURS)]
    assert len(ours) == 1 and cron_argv(ours[0]) == expected_command(depot, out)
    done = imilo_audit("planifier", "--methode", "cron", "--retirer", env={"IMILO_AUDIT_CRONTAB": str(crontab)})
    assert done.returncode == 0 and crontab.read_text(encoding="utf-8") == ""


def test_systemd_units_carry_specifiers_and_variables_literally(tmp_path):
    depot, out, units = tmp_path / "x 100%h ${HOME} \"q\" \\b", tmp_path / "audits", tmp_path / "xdg"
    depot.mkdir()
    done = imilo_audit("planifier", "--methode", "systemd", "--depot", depot, "--out", out,
                       env={"XDG_CONFIG_HOME": str(units)})
    assert done.returncode == 0, done.stderr
    service = units / "systemd/user/imilo-audit.service"
    assert exec_start_argv(service.read_text(encoding="utf-8")) == expected_command(depot, out)
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not on this machine: the unit is checked by the parser above only")
    verify = subprocess.run(["systemd-analyze", "verify", "--man=no", str(service)], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"})
    problems = [line for line in verify.stderr.splitlines() if "imilo-audit.service" in line]
    assert verify.returncode == 0 and not problems, verify.stderr


def test_a_newline_in_a_path_is_refused_for_systemd_too(tmp_path):
    depot, units = tmp_path / "x\nExecStartPre=/bin/touch /tmp/INJECTE", tmp_path / "xdg"
    depot.mkdir(parents=True)
    done = imilo_audit("planifier", "--methode", "systemd", "--depot", depot, "--out", tmp_path / "audits",
                       env={"XDG_CONFIG_HOME": str(units)})
    assert done.returncode == 2 and "retour à la ligne" in done.stderr and "Traceback" not in done.stderr
    assert not (units / "systemd/user/imilo-audit.service").exists()


def test_no_value_from_outside_starts_a_line_of_the_journal(tmp_path):
    export = tmp_path / "exp\n2026-11-05 06:00:00  fin      terminé, code 0, 1,0 s"
    write_table(export, "jeunes", [youth("J1")])
    audits = tmp_path / "audits"
    imilo_audit("run", export, "--out", audits, "--month", "2026-10", "--quiet")
    journal = (audits / "journal.txt").read_text(encoding="utf-8")
    assert not any(line.startswith("2026-11-05") for line in journal.splitlines())
    assert "exp\\n2026-11-05 06:00:00" in journal  # the name is there, on its own line's end


def drop(depot: Path, name: str, youth_id: str) -> Path:
    write_table(depot / name, "jeunes", [youth(youth_id, email="")])
    return depot / name


def test_mensuel_audits_the_drop_of_its_month_not_the_last_one_touched(tmp_path):
    depot, audits = tmp_path / "depot", tmp_path / "audits"
    drop(depot, "export-2026-10", "OCT1")
    september = drop(depot, "export-2026-09", "SEP1")
    (september / ".~lock.jeunes.csv#").write_text("x", encoding="utf-8")  # LibreOffice opened September's file
    (september / ".~lock.jeunes.csv#").unlink()
    done = imilo_audit("mensuel", "--depot", depot, "--out", audits, "--month", "2026-10")
    assert done.returncode == 0, done.stderr
    findings = (audits / "2026-10" / "findings.csv").read_text(encoding="utf-8-sig")
    assert ";OCT1;" in findings and "SEP1" not in findings


def test_two_drops_for_the_month_are_refused_naming_both(tmp_path):
    depot, audits = tmp_path / "depot", tmp_path / "audits"
    drop(depot, "export-2026-10", "A1")
    drop(depot, "octobre 2026 (corrigé)", "B1")
    done = imilo_audit("mensuel", "--depot", depot, "--out", audits, "--month", "2026-10")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "export-2026-10" in done.stderr and "octobre 2026 (corrigé)" in done.stderr
    assert not (audits / "2026-10").exists()
