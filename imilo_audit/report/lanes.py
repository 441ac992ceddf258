"""Independent writes shared between this process and a forked copy of it, so that both cores work.

The synthesis writes hundreds of files that depend on nothing but data already in memory (each
person's page and workbook, the report): :func:`in_two_lanes` gives about half of the work, by
weight, to one child process forked from this one (it sees the prepared data without any copy or
pickling) and does the other half itself. Results come back in the tasks' order; an exception in
the child is raised here. On one core, or for a little work, everything runs here, in order.

The child is forked, not spawned: spawning would import pandas, GX's stack and the report again
(seconds), and pickle the prepared findings over. The fork is started from a Jupyter kernel, whose
threads the child does not need: it only computes and writes files, reports nothing, and ends with
``os._exit`` (multiprocessing's own ending), so the kernel's sockets are left alone. A child killed
with the kernel's process group (Ctrl-C, out of memory) breaks the pool: the synthesis fails.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
Task = tuple[float, Callable[[], Any]]  # (weight, work): the weight is any measure of its cost
MIN_WEIGHT = 400.0  # less work than this is done here: a fork and its wait cost more than they save

_forked_lane: tuple[list[Callable[[], Any]], Any] | None = None  # set just before the fork, read by the child


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def in_two_lanes(tasks: Sequence[Task], progress: Callable[[int, int], None] | None = None) -> list[Any]:
    """Run every task once and return their results in the tasks' order, on both cores when worth it.

    ``progress`` is told (tasks done, tasks in all) as they end, from this process only.
    """
    total = len(tasks)
    if total < 2 or cores() < 2 or sum(weight for weight, _ in tasks) < MIN_WEIGHT or not _can_fork():
        return _here(list(range(total)), tasks, progress, lambda: 0, total)
    mine, theirs = balanced(tasks)
    context = multiprocessing.get_context("fork")
    done_there = context.Value("i", 0, lock=False)
    global _forked_lane
    _forked_lane = ([tasks[i][1] for i in theirs], done_there)
    # the objects alive now leave the collector's watch while the child lives: a collection in the child
    # would write to every one of them and copy every page that holds one (Python's advice for fork);
    # given back after, unless the kernel had frozen its imports already (rules.validation.warm_up)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            future = pool.submit(_run_forked_lane)
            results = dict(zip(mine, _here(mine, tasks, progress, lambda: done_there.value, total), strict=True))
            while not wait([future], timeout=0.5).done:
                if progress is not None:
                    progress(len(mine) + done_there.value, total)
            results.update(zip(theirs, future.result(), strict=True))
    finally:
        _forked_lane = None
        if not frozen_before:
            gc.unfreeze()
    if progress is not None:
        progress(total, total)
    return [results[i] for i in range(total)]


def balanced(tasks: Sequence[Task]) -> tuple[list[int], list[int]]:
    """Two lists of task positions of about equal weight (heaviest first to the lighter lane), each in order.

    The first task opens this process's lane (the synthesis puts its heaviest single write there, the report).
    """
    lanes: tuple[list[int], list[int]] = ([0], [])
    loads = [tasks[0][0], 0.0]
    for position in sorted(range(1, len(tasks)), key=lambda i: -tasks[i][0]):
        lane = 0 if loads[0] <= loads[1] else 1
        lanes[lane].append(position)
        loads[lane] += tasks[position][0]
    return sorted(lanes[0]), sorted(lanes[1])


def _here(positions: list[int], tasks: Sequence[Task], progress: Callable[[int, int], None] | None,
          elsewhere: Callable[[], int], total: int) -> list[Any]:
    results = []
    for done, position in enumerate(positions, start=1):
        results.append(tasks[position][1]())
        if progress is not None:
            progress(min(total, done + elsewhere()), total)
    return results


def _run_forked_lane() -> list[Any]:
    """In the child: the tasks it was given at the fork, in order, counting them for the parent's progress."""
    assert _forked_lane is not None, "the forked lane runs in a child forked by in_two_lanes"
    work, done = _forked_lane
    results = []
    for task in work:
        results.append(task())
        done.value += 1
    return results


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
