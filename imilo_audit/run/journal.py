"""The journal of the runs, ``AUDITS_DIR/journal.txt``: one block per run, readable by a person.

Each run appends its start (month, exports, configuration), then its end: exit code, findings,
duration and report, or the French message of its failure. An internal failure's technical detail
(traceback) goes here, never to the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

JOURNAL = "journal.txt"
# What would start a new line of the journal, or hide one: line breaks of every kind and other control characters.
_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """``text`` on one line: a line break or control character written as its escape (``\\n``…), so that
    no value from outside (a folder's name, a message) can start a line of the journal."""
    return _BREAKS.sub(lambda match: _SHOWN.get(match[0], _escape(ord(match[0]))), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def journal_path(audits_dir: str | Path) -> Path:
    """The journal of an audits folder."""
    return Path(audits_dir) / JOURNAL


def append(audits_dir: str | Path, *lines: str) -> None:
    """Append time-stamped lines; a journal that cannot be written never stops or fails a run.

    The audits folder is never created here: when it is missing (or a file), nothing is written.
    """
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    text = "".join(f"{now}  {one_line(line)}\n" if number == 0 else f"{' ' * len(now)}  {one_line(line)}\n"
                   for number, line in enumerate(lines))
    try:  # a name that is not UTF-8 (a Latin-1 share) is written with escapes, never fails the journal
        with journal_path(audits_dir).open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError:
        return


def started(audits_dir: str | Path, command: str, month: str, exports: list[str], config: str | None) -> None:
    append(
        audits_dir,
        f"début    {command} : audit de {month}",
        f"exports  {' + '.join(exports)}",
        f"config   {config or 'valeurs par défaut'}",
    )


def finished(audits_dir: str | Path, code: int, seconds: float, detail: str) -> None:
    """The end of a run: its exit code, its duration, and the result or the message."""
    word = {0: "terminé", 2: "refusé (entrée à corriger)"}.get(code, "échec")
    lines = [f"fin      {word}, code {code}, {seconds:.1f} s".replace(".", ",")]
    lines += [f"         {line}" for line in detail.strip().splitlines() if line.strip()]
    append(audits_dir, *lines)
