"""Both cores for the synthesis: the tasks shared with a forked child, results in order, failures raised."""

from __future__ import annotations

import os
import time
from functools import partial

import pytest

from imilo_audit.report.lanes import MIN_WEIGHT, balanced, cores, in_two_lanes

needs_two_cores = pytest.mark.skipif(cores() < 2, reason="one core: everything runs in this process")


def where(number: int) -> tuple[int, int]:
    time.sleep(0.01)
    return number, os.getpid()


def fails(path) -> None:
    raise OSError(28, "No space left on device", str(path))


@needs_two_cores
def test_heavy_work_goes_to_two_processes_and_comes_back_in_order():
    tasks = [(MIN_WEIGHT, partial(where, number)) for number in range(12)]
    told: list[tuple[int, int]] = []
    results = in_two_lanes(tasks, lambda done, total: told.append((done, total)))
    assert [number for number, _ in results] == list(range(12))
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2
    assert told[-1] == (12, 12) and all(total == 12 for _, total in told)
    assert [done for done, _ in told] == sorted(done for done, _ in told)


def test_little_work_stays_here():
    results = in_two_lanes([(1, partial(where, number)) for number in range(3)])
    assert {pid for _, pid in results} == {os.getpid()}


@needs_two_cores
def test_a_failure_in_the_child_is_raised_here(tmp_path):
    tasks = [(MIN_WEIGHT * 10, partial(where, 0))] + [(MIN_WEIGHT, partial(where, n)) for n in range(1, 4)]
    tasks.append((MIN_WEIGHT * 20, partial(fails, tmp_path / "classeur.xlsx")))  # the heaviest: the child's
    assert 4 in balanced(tasks)[1]
    with pytest.raises(OSError) as raised:
        in_two_lanes(tasks)
    assert raised.value.errno == 28 and raised.value.filename == str(tmp_path / "classeur.xlsx")


def test_lanes_are_about_even_and_the_first_task_stays_here():
    weights = [5, 9, 1, 1, 8, 3, 3, 2]
    mine, theirs = balanced([(weight, None) for weight in weights])
    assert 0 in mine and sorted(mine + theirs) == list(range(len(weights)))
    assert abs(sum(weights[i] for i in mine) - sum(weights[i] for i in theirs)) <= 2
