"""News of a run's progress, from the kernels that do the work to the terminal that shows it.

Kernels append events as JSON lines to the file named by ``IMILO_AUDIT_PROGRES`` (set by the
runner when it starts them); the runner reads them back with :class:`EventFeed` and hands them to
the command line, which alone prints. Without that variable (a notebook opened in JupyterLab),
reporting does nothing.

Event kinds: ``debut`` (a step starts, with ``total`` when its share done can be shown),
``avance`` (``done`` of ``total``), ``info`` (a line worth keeping on screen), ``fin`` (a step is
done, with its ``seconds``) and ``mesure`` (time spent in a stage, for the benchmark only).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ENV = "IMILO_AUDIT_PROGRES"
STAGES = ("demarrage", "lecture", "derivation", "validation", "anomalies", "rapport", "classeurs", "pages")


@dataclass
class Event:
    """One piece of news: what happens (``kind``), in which step, with a French ``label``."""

    kind: str
    step: str = ""
    label: str = ""
    done: int | None = None
    total: int | None = None
    seconds: float | None = None
    worker: str = ""  # the notebook at work, for steps that run in parallel

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, "")}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Event:
        return cls(**json.loads(line))


Listener = Callable[[Event], None]

_lock = threading.Lock()


def report(kind: str, step: str = "", label: str = "", **values: object) -> None:
    """Append an event to the run's progress file, if this process works for a run."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = Event(kind, step, label, **values).to_json()  # type: ignore[arg-type]
    with _lock, open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@contextmanager
def measured(stage: str) -> Iterator[None]:
    """Report the time spent in ``stage`` (one of STAGES) when the block ends."""
    started = time.perf_counter()
    try:
        yield
    finally:
        report("mesure", stage, seconds=round(time.perf_counter() - started, 3))


class EventFeed:
    """Reads the events appended to a progress file since the last call."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._offset = 0
        self._partial = ""

    def read(self) -> list[Event]:
        try:
            with self.path.open(encoding="utf-8") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
                self._offset = handle.tell()
        except FileNotFoundError:
            return []
        text = self._partial + chunk
        lines = text.split("\n")
        self._partial = lines.pop()  # an event still being written
        events = []
        for line in lines:
            if line.strip():
                try:
                    events.append(Event.from_json(line))
                except (ValueError, TypeError):
                    continue  # news, not data: a damaged line is skipped
        return events


class FeedPump:
    """A thread that forwards the events of a progress file to a listener until stopped."""

    def __init__(self, path: str | Path, listener: Listener, every: float = 0.1) -> None:
        self.feed = EventFeed(path)
        self.listener = listener
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progres", daemon=True)

    def __enter__(self) -> FeedPump:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.pump()

    def pump(self) -> None:
        for event in self.feed.read():
            self.listener(event)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.pump()
