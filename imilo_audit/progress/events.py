"""What a stage reports: events appended as JSON lines to the run's progress file.

Kernels append events to the file named by ``IMILO_AUDIT_PROGRES`` (set by the runner when it
starts them). Without that variable (a notebook opened in JupyterLab), reporting does nothing.

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
