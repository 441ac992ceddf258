"""News of a run's progress, from the stages that do the work to the terminal that shows it.

Front door: ``report`` and ``measured`` for the stages (reading, themes, synthesis), which append
:class:`Event` lines to the run's progress file; :class:`FeedPump` for the runner, which reads them
back and hands them to the command line, the only one that prints. A leaf: it imports nothing of
the package, so that every stage may report without depending on the run's machinery.
"""

from .events import ENV, STAGES, Event, Listener, measured, report
from .feed import EventFeed, FeedPump

__all__ = ["ENV", "STAGES", "Event", "EventFeed", "FeedPump", "Listener", "measured", "report"]
