"""``imilo-audit planifier``: the monthly run set up the way the machine does it.

- Linux with systemd: a user timer (``~/.config/systemd/user/imilo-audit.timer`` and its service),
  ``Persistent=true`` so that a run missed while the machine was off happens at the next start;
- elsewhere with cron: one line of the user's crontab, marked ``# imilo-audit``;
- Windows: the Task Scheduler command to run (``schtasks``), printed.

The scheduled command is ``imilo-audit mensuel --depot DEPOT``: the export folder of the drop folder
named for the month before the run's day (:func:`export_for_month`). Paths are written into the
crontab line or the unit exactly (quoted, ``%`` and ``$`` escaped) or refused (:func:`schedulable`).
``imilo-audit planifier --retirer`` removes what was set up.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import ConfigError
from ..text import strip_accents

UNIT = "imilo-audit"
MARK = "# imilo-audit"
CRONTAB_ENV = "IMILO_AUDIT_CRONTAB"  # a file used instead of the user's crontab (tests, no crontab command)


def monthly_command(depot: Path, out: Path, config: Path | None) -> list[str]:
    """The command the schedule runs, with absolute paths (the schedule has no working directory).

    A path a crontab line or a systemd unit cannot carry (a line break or another control character,
    bytes that are not UTF-8) is refused with a French message naming the option and the character.
    """
    paths = [("--depot", depot.resolve()), ("--out", out.resolve())]
    if config is not None:
        paths.append(("--config", config.resolve()))
    command = [sys.executable, "-m", "imilo_audit.cli", "mensuel"]
    for option, path in paths:
        command += [option, schedulable(str(path), option)]
    return command


_CHARACTER_NAMES = {"\n": "un retour à la ligne", "\r": "un retour chariot", "\t": "une tabulation"}


def schedulable(text: str, option: str) -> str:
    """``text`` if a schedule can carry it exactly, else a French ConfigError saying which character."""
    for character in text:
        code = ord(character)
        if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or code in (0x2028, 0x2029):
            name = _CHARACTER_NAMES.get(character, f"un caractère de contrôle (U+{code:04X})")
        elif 0xDC80 <= code <= 0xDCFF:
            name = "un octet qui n'est pas de l'UTF-8 (nom venu d'un partage en Latin-1 ?)"
        else:
            continue
        raise ConfigError(
            f"Le chemin donné à {option} contient {name} : une tâche planifiée ne peut pas le porter sans "
            "risque (il couperait la commande en deux). Renommez ce dossier, ou choisissez-en un autre, puis "
            "relancez imilo-audit planifier."
        )
    return text


def cron_command(command: list[str]) -> str:
    """The command as a crontab line carries it: quoted for sh, ``%`` escaped (cron makes it a line break)."""
    return shlex.join(command).replace("%", "\\%")


def systemd_command(command: list[str]) -> str:
    """The command as ``ExecStart=`` carries it: each word in double quotes with C escapes, ``%`` and ``$``
    doubled (systemd.service(5): specifiers and environment variables are expanded in ExecStart=)."""
    def word(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
        return f'"{escaped}"'

    return " ".join(word(part) for part in command)


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
        f"ExecStart={systemd_command(command)}\n"
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
    entry = f"{minute} {hour} {day} * * {cron_command(command)} {MARK}"
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


_MONTHS_FR = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
              "novembre", "decembre")


def months_named(name: str) -> set[str]:
    """The months (``AAAA-MM``) a drop folder's name gives: « export-2026-10 », « 2026_10 », « 10-2026 »,
    « 202610 », « octobre 2026 »."""
    key = strip_accents(name).casefold()
    found = set()
    for year, month in re.findall(r"(?<!\d)(20\d\d)[-_. ]?(0[1-9]|1[0-2])(?!\d)", key):
        found.add(f"{year}-{month}")
    for month, year in re.findall(r"(?<!\d)(0[1-9]|1[0-2])[-_. ](20\d\d)(?!\d)", key):
        found.add(f"{year}-{month}")
    for number, word in enumerate(_MONTHS_FR, start=1):
        for year in re.findall(rf"{word}[-_. ]*(20\d\d)(?!\d)", key):
            found.add(f"{year}-{number:02d}")
    return found


def export_for_month(depot: Path, month: str) -> Path:
    """The drop folder's export of ``month`` (``AAAA-MM``): the sub-folder whose name gives that month.

    Never the most recently modified one: opening a file in a spreadsheet touches its folder. The
    drop folder itself when it holds the files directly; its only sub-folder when no sub-folder's
    name gives a month. Two sub-folders for the month, or several that name no month, are refused.
    """
    if not depot.is_dir():
        raise ConfigError(f"Le dossier de dépôt « {depot} » n'existe pas : créez-le et déposez-y l'export du mois.")
    entries = [p for p in depot.iterdir() if not p.name.startswith(".")]
    folders = sorted((p for p in entries if p.is_dir()), key=lambda p: p.name)
    if not folders:
        if any(p.is_file() for p in entries):
            return depot
        raise ConfigError(
            f"Le dossier de dépôt « {depot} » est vide : déposez-y l'export du mois (un dossier par mois)."
        )
    named = {folder: months_named(folder.name) for folder in folders}
    matching = [folder for folder, months in named.items() if month in months]
    if len(matching) == 1:
        return matching[0]
    if len(matching) > 1:
        names = " et ".join(f"« {folder.name} »" for folder in matching)
        raise ConfigError(
            f"Le dossier de dépôt « {depot} » contient plusieurs exports pour {month} : {names}. Gardez-en un seul "
            "(déplacez l'autre hors du dossier de dépôt), puis relancez."
        )
    if len(folders) == 1 and not named[folders[0]]:
        return folders[0]
    listed = ", ".join(f"« {folder.name} »" for folder in folders[:6])
    raise ConfigError(
        f"Le dossier de dépôt « {depot} » ne contient pas d'export pour {month} : aucun de ses dossiers ({listed}) "
        f"ne porte ce mois dans son nom. Déposez l'export du mois dans un dossier nommé par exemple « export-{month} »."
    )
