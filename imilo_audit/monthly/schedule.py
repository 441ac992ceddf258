"""``imilo-audit planifier``: the monthly run set up the way the machine does it.

- Linux with systemd: a user timer (``~/.config/systemd/user/imilo-audit.timer`` and its service),
  ``Persistent=true`` so that a run missed while the machine was off happens at the next start;
- elsewhere with cron: one line of the user's crontab, marked ``# imilo-audit``;
- Windows: the Task Scheduler command to run (``schtasks``), printed.

The scheduled command is ``imilo-audit mensuel --depot DEPOT``: the newest export folder of the drop
folder the quality officer fills, audited for the month before the run's day.
``imilo-audit planifier --retirer`` removes what was set up.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import ConfigError

UNIT = "imilo-audit"
MARK = "# imilo-audit"
CRONTAB_ENV = "IMILO_AUDIT_CRONTAB"  # a file used instead of the user's crontab (tests, no crontab command)


def monthly_command(depot: Path, out: Path, config: Path | None) -> list[str]:
    """The command the schedule runs, with absolute paths (the schedule has no working directory)."""
    command = [sys.executable, "-m", "imilo_audit.cli", "mensuel", "--depot", str(depot.resolve()),
               "--out", str(out.resolve())]
    if config is not None:
        command += ["--config", str(config.resolve())]
    return command


def pick_method(requested: str) -> str:
    """``systemd``, ``cron`` or ``windows``: the one asked, else what this machine has."""
    if requested != "auto":
        return requested
    if os.name == "nt":
        return "windows"
    if shutil.which("systemctl") and Path("/run/systemd/system").is_dir():
        return "systemd"
    if shutil.which("crontab") or os.environ.get(CRONTAB_ENV):
        return "cron"
    raise ConfigError(
        "Ni systemd ni cron ne sont disponibles sur cette machine : installez cron (sudo apt install cron) "
        "ou lancez chaque mois « imilo-audit mensuel --depot DOSSIER » depuis le planificateur de votre choix."
    )


def units_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def systemd_units(command: list[str], day: int, time: str) -> dict[str, str]:
    """The service and timer files: the run on ``day`` of each month at ``time``."""
    service = (
        "[Unit]\nDescription=Audit mensuel de la qualité des données i-milo\n\n"
        "[Service]\nType=oneshot\n"
        f"ExecStart={shlex.join(command)}\n"
    )
    timer = (
        "[Unit]\nDescription=Audit mensuel i-milo, chaque mois\n\n"
        f"[Timer]\nOnCalendar=*-*-{day:02d} {time}:00\nPersistent=true\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def install(method: str, command: list[str], day: int, hour: int, minute: int) -> list[str]:
    """Set the schedule up (on ``day`` of each month at ``hour``:``minute``); the French lines to print."""
    time = f"{hour:02d}:{minute:02d}"
    if method == "windows":
        task = subprocess.list2cmdline(command)
        return [
            "Sous Windows, créez la tâche mensuelle avec cette commande (invite de commandes) :",
            f'  schtasks /Create /TN "{UNIT}" /SC MONTHLY /D {day} /ST {time} /TR "{task}"',
            f'Pour la retirer : schtasks /Delete /TN "{UNIT}" /F',
        ]
    if method == "systemd":
        folder = units_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in systemd_units(command, day, time).items():
            (folder / name).write_text(text, encoding="utf-8")
        lines = [f"Minuteur systemd écrit : {folder / (UNIT + '.timer')} (le {day} de chaque mois à {time})."]
        if _systemctl("daemon-reload") and _systemctl("enable", "--now", f"{UNIT}.timer"):
            lines.append(f"Il est activé : « systemctl --user list-timers {UNIT}.timer » montre la prochaine date.")
        else:
            lines.append(
                "systemd n'a pas pu l'activer depuis ici : dans votre session, lancez "
                f"« systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer »."
            )
        return lines
    entry = f"{minute} {hour} {day} * * {shlex.join(command)} {MARK}"
    lines = [line for line in _read_crontab() if MARK not in line]
    _write_crontab([*lines, entry])
    return [f"Ligne ajoutée à la crontab (le {day} de chaque mois à {time}) :", f"  {entry}"]


def remove(method: str) -> list[str]:
    """Remove what :func:`install` set up; the French lines to print."""
    if method == "windows":
        return [f'Sous Windows : schtasks /Delete /TN "{UNIT}" /F']
    if method == "systemd":
        folder = units_dir()
        _systemctl("disable", "--now", f"{UNIT}.timer")
        removed = [name for name in (f"{UNIT}.timer", f"{UNIT}.service") if (folder / name).exists()]
        for name in removed:
            (folder / name).unlink()
        _systemctl("daemon-reload")
        return ["Minuteur systemd retiré." if removed else "Aucun minuteur imilo-audit n'était installé."]
    lines = _read_crontab()
    kept = [line for line in lines if MARK not in line]
    _write_crontab(kept)
    return ["Ligne imilo-audit retirée de la crontab." if len(kept) < len(lines) else
            "Aucune ligne imilo-audit dans la crontab."]


def _systemctl(*args: str) -> bool:
    if not shutil.which("systemctl"):
        return False
    try:
        done = subprocess.run(["systemctl", "--user", *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _read_crontab() -> list[str]:
    if os.environ.get(CRONTAB_ENV):
        path = Path(os.environ[CRONTAB_ENV])
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    return done.stdout.splitlines() if done.returncode == 0 else []  # "no crontab for user": empty


def _write_crontab(lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    if os.environ.get(CRONTAB_ENV):
        Path(os.environ[CRONTAB_ENV]).write_text(text, encoding="utf-8")
        return
    done = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        raise ConfigError(f"La crontab n'a pas pu être écrite ({done.stderr.strip() or 'crontab a échoué'}).")


def newest_export(depot: Path) -> Path:
    """The newest export folder of the drop folder (the folder itself when it holds the files directly)."""
    if not depot.is_dir():
        raise ConfigError(f"Le dossier de dépôt « {depot} » n'existe pas : créez-le et déposez-y l'export du mois.")
    entries = [p for p in depot.iterdir() if not p.name.startswith(".")]
    folders = [p for p in entries if p.is_dir()]
    if not folders:
        if any(p.is_file() for p in entries):
            return depot
        raise ConfigError(
            f"Le dossier de dépôt « {depot} » est vide : déposez-y l'export du mois (un dossier par mois)."
        )
    return max(folders, key=lambda p: (p.stat().st_mtime, p.name))
