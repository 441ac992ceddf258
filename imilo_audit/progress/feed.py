"""The runner's side of progress: the events of a progress file, read back and handed to a listener."""

from __future__ import annotations

import threading
from pathlib import Path

from .events import Event, Listener


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
        except OSError:  # news, not data: a file that cannot be read now is read at the next turn
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
