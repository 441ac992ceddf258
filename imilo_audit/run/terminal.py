"""What a run shows on the terminal: the step at work, a bar on long steps, in French.

On a terminal, a live block (rich) shows the current step with its bar, count and elapsed time,
and one line per notebook at work; finished steps stay printed above it. Elsewhere (a schedule
writing to a log file, a pipe), plain lines: each step when it starts and ends, and a line every
few seconds while a long step goes on, so that the log never stays silent long.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import IO

from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from ..progress import Event

HEARTBEAT = 5.0  # seconds without news before a plain-text line says the step goes on


def seconds_fr(seconds: float) -> str:
    """``12,3 s`` below a minute, ``2 min 05 s`` above."""
    if seconds < 60:
        return f"{seconds:.1f} s".replace(".", ",")
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class TerminalProgress:
    """A listener of run events that draws them on ``stream`` (stderr by default)."""

    def __init__(self, stream: IO[str] | None = None, live: bool | None = None) -> None:
        self.console = Console(file=stream or sys.stderr, highlight=False, soft_wrap=True, emoji=False)
        self.is_live = self.console.is_terminal if live is None else live
        self._lock = threading.RLock()
        self._step: Event | None = None
        self._started = time.monotonic()
        self._workers: dict[str, str] = {}
        self._said = time.monotonic()
        self._stop = threading.Event()
        self._live: Live | None = None
        if self.is_live:
            self._spinner = Spinner("dots", style="cyan")
            self._live = Live(console=self.console, get_renderable=self._render, refresh_per_second=8, transient=True)
            self._live.start()
        else:
            self._ticker = threading.Thread(target=self._heartbeat, name="battement", daemon=True)
            self._ticker.start()

    # --- events --------------------------------------------------------------------------------
    def __call__(self, event: Event) -> None:
        with self._lock:
            if event.kind == "debut":
                self._step, self._started = event, time.monotonic()
                self._workers.clear()
                if not self.is_live:
                    self._print(f"… {event.label}")
            elif event.kind == "avance":
                self._advance(event)
            elif event.kind == "info":
                self._print(f"    {event.label}")
            elif event.kind == "fin":
                self._step = None
                self._workers.clear()
                took = f" ({seconds_fr(event.seconds)})" if event.seconds is not None else ""
                self._print(f"✓ {event.label}{took}")

    def _advance(self, event: Event) -> None:
        step = self._step
        if step is None:
            return
        if event.done is not None:
            step.done, step.total = event.done, event.total
            if event.worker:
                self._workers.pop(event.worker, None)
            elif event.label:
                step.label = event.label
        elif event.worker:
            self._workers[event.worker] = event.label
        elif event.label:
            step.label = event.label
        if not self.is_live and time.monotonic() - self._said >= HEARTBEAT:
            self._print(self._plain_status())

    def close(self) -> None:
        """Stop drawing (the live block disappears; printed lines stay)."""
        self._stop.set()
        if self._live is not None:
            self._live.stop()

    # --- drawing -------------------------------------------------------------------------------
    def _print(self, line: str) -> None:
        self._said = time.monotonic()
        self.console.print(Text(line), highlight=False)

    def _plain_status(self) -> str:
        step = self._step
        assert step is not None
        count = f" : {step.done}/{step.total}" if step.total else ""
        doing = f" ({'; '.join(self._workers.values())})" if self._workers else ""
        return f"  … {step.label}{count}{doing}, depuis {seconds_fr(time.monotonic() - self._started)}"

    def _heartbeat(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                if self._step is not None and time.monotonic() - self._said >= HEARTBEAT:
                    self._print(self._plain_status())

    def _render(self):
        with self._lock:
            step = self._step
            if step is None:
                return Text("")
            line = Table.grid(padding=(0, 1))
            cells: list = [self._spinner, Text(step.label, style="bold")]
            if step.total:
                cells += [ProgressBar(total=step.total, completed=step.done or 0, width=30),
                          Text(f"{step.done or 0}/{step.total}")]
            cells.append(Text(seconds_fr(time.monotonic() - self._started), style="dim"))
            line.add_row(*cells)
            workers = [Text(f"    {label}", style="dim") for label in self._workers.values()]
            return Group(line, *workers)
