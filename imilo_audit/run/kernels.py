"""Warm kernels for a run: started once, each executes several notebooks through papermill.

A kernel costs seconds of imports (pandas, Great Expectations, matplotlib): a run starts one per
core, warms it while the export is being read, and has papermill execute every notebook in one
of them. Kernel output (logs, warnings, the "KeyboardInterrupt caught in kernel" of a shutdown)
goes to a log file of the run, never to the user's terminal; connection files live in the run's
work folder, so nothing of the run is left elsewhere.

A kernel that dies before answering (``Kernel died before replying to kernel_info``) is started
again once. :meth:`KernelPool.close` stops a run at once: no kernel may start any more, every
kernel is killed with its process group, and its connection file removed.
"""

from __future__ import annotations

import os
import signal
import threading
from functools import cache
from pathlib import Path
from typing import Any

ENGINE = "imilo-noyau-chaud"
# What every notebook of a run imports: loaded while the export is being read.
WARM_UP = (
    "import imilo_audit.notebook, imilo_audit.report, imilo_audit.rules.validation\n"
    "imilo_audit.rules.validation.warm_up()"
)


@cache
def _register_engine() -> None:
    """papermill's nbclient engine on a kernel already running, which it leaves running.

    Registered on first use: importing papermill costs half a second that the kernels' start-up
    should not wait for.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, km=None, start_timeout=60, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, startup_timeout=start_timeout, timeout=None, log_output=False
            )
            # the pool's client of this kernel, connected once: a new one waits a fifth of a second for its
            # channels (jupyter_client's wait_for_ready) before every notebook
            client.kc = getattr(km, "pool_client", None)
            # papermill writes the whole notebook at the start and end of every cell (a tenth of the run's
            # own process time): it is written once, when it ends, by papermill's notebook_complete (which
            # runs after a failure too, so the executed copy kept for diagnosis has the error)
            output_path, nb_man.output_path = nb_man.output_path, None
            try:
                return client.execute()
            finally:
                nb_man.output_path = output_path
                if client.kc is not None and getattr(km, "pool_client", None) is None:
                    km.pool_client = client.kc  # kept for the kernel's next notebooks; closed by the pool

    papermill_engines.register(ENGINE, WarmKernelEngine)


class KernelClosed(RuntimeError):
    """The pool was closed (the run is stopping): no kernel starts any more."""


@cache
def _manager_class() -> type:
    """A KernelManager that refuses to start once its pool is closed.

    nbclient starts a kernel again when it finds none: a notebook starting while the run stops
    must not bring back a kernel that was just killed.
    """
    from jupyter_client import KernelManager

    class PoolKernelManager(KernelManager):
        pool: KernelPool | None = None  # set by the pool that owns this manager
        pool_client = None  # the client its notebooks share (channels open), once the first has connected

        def start_kernel(self, **kwargs: Any) -> None:
            if self.pool is not None and self.pool.closed:
                raise KernelClosed("arrêt en cours")
            super().start_kernel(**kwargs)

    return PoolKernelManager


class KernelPool:
    """``size`` Python kernels started in ``work_dir``, with ``env`` added to their environment."""

    def __init__(self, size: int, work_dir: Path, env: dict[str, str]) -> None:
        self.work_dir = work_dir
        self.log_path = work_dir / "noyaux.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in shutdown()
        self.closed = False
        self.managers = [self._manager(number) for number in range(size)]
        self._used = [False] * size  # whether a notebook has started in each kernel
        self._env = {**os.environ, **env, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self._warming: threading.Thread | None = None
        self.restarts = 0  # kernels started again after dying at start-up

    def start(self, warm: list[int]) -> None:
        """Start every kernel; those numbered in ``warm`` import the audit's stack at once.

        The warm-up runs in the background: the first kernel can read the export meanwhile.
        """
        for manager in self.managers:
            self._start(manager)
        self._warming = threading.Thread(target=self._warm_up, args=(warm,), name="rechauffage", daemon=True)
        self._warming.start()

    def _manager(self, number: int):
        manager = _manager_class()(kernel_name="python3")
        manager.pool = self
        manager.connection_file = str(self.work_dir / f"noyau-{number + 1}.json")
        return manager

    def used(self, number: int) -> bool:
        """Whether kernel ``number`` has run (part of) a notebook: it did start then."""
        return self._used[number]

    def _start(self, manager) -> None:
        manager.start_kernel(
            env=self._env,
            cwd=str(self.work_dir),
            stdout=self._log,
            stderr=self._log,
            # no log level here: the project's kernel (run/kernelspec.py) sets one, and a second is refused
            extra_arguments=["--HistoryManager.enabled=False"],
        )

    def _warm_up(self, numbers: list[int]) -> None:
        for number in numbers:
            client = self.managers[number].client()
            try:
                client.start_channels()
                client.wait_for_ready(timeout=120)
                sent = client.execute(WARM_UP, silent=True, store_history=False)
                # a kernel alone waits for its warm-up (wait_warm) before its first notebook; a kernel
                # whose first notebook may come meanwhile does not wait: its reply would not come here
                while len(self.managers) == 1 and client.get_shell_msg(timeout=300)["parent_header"].get(
                        "msg_id") != sent:
                    pass
            except Exception:  # noqa: BLE001 - a kernel that cannot warm up fails its first notebook, clearly
                pass
            finally:
                client.stop_channels()

    def wait_warm(self) -> None:
        """Until the kernels started warm have imported the audit's stack, or one of them is gone (its first
        notebook then says so)."""
        while self._warming is not None and self._warming.is_alive():
            self._warming.join(timeout=0.2)
            if not all(self._alive(number) for number in range(len(self.managers))):
                return

    def execute(self, number: int, notebook: Path, output: Path, parameters: dict[str, Any]) -> None:
        """Execute ``notebook`` with ``parameters`` in kernel ``number``; papermill writes ``output``.

        A new kernel that died before answering is started again, once, and the notebook run in it.
        """
        import papermill

        _register_engine()
        for attempt in (1, 2):
            if self.closed:
                raise KernelClosed("arrêt en cours")
            if self.dead(number):
                # a kernel that died between two notebooks: nbclient would quietly start another one,
                # and the run would go on without the tables this kernel held; say it at once instead
                from nbclient.exceptions import DeadKernelError

                raise DeadKernelError("Kernel died")
            try:
                papermill.execute_notebook(
                    str(notebook),
                    str(output),
                    parameters=parameters,
                    engine_name=ENGINE,
                    kernel_name="python3",
                    km=self.managers[number],
                    progress_bar=False,
                    log_output=False,
                    start_timeout=120,
                )
            except RuntimeError as exc:
                if attempt == 1 and not self.closed and not self._used[number] and died_at_start(exc):
                    self.restart(number)
                    continue
                self._used[number] = True
                raise
            except BaseException:
                self._used[number] = True
                raise
            self._used[number] = True
            return

    def dead(self, number: int) -> bool:
        """Whether kernel ``number`` has run a notebook and is gone (killed, out of memory)."""
        return self._used[number] and not self.closed and not self._alive(number)

    def _alive(self, number: int) -> bool:
        manager = self.managers[number]
        try:
            return bool(manager.has_kernel and manager.is_alive())
        except Exception:  # noqa: BLE001 - a manager that cannot tell has lost its kernel
            return False

    def restart(self, number: int) -> None:
        """Start kernel ``number`` again, in a new manager (nbclient closes a dead kernel's), without warm-up."""
        self.stop(number)
        self.restarts += 1
        self.managers[number] = self._manager(number)
        self._start(self.managers[number])

    def interrupt_all(self) -> None:
        """Interrupt what every kernel is running (another notebook failed: the run stops)."""
        for manager in self.managers:
            try:
                if manager.has_kernel:
                    manager.interrupt_kernel()
            except Exception:  # noqa: BLE001 - a kernel already gone is what we want
                pass

    def stop(self, number: int) -> None:
        """Stop kernel ``number`` at once (its notebooks are saved) and remove its connection file."""
        manager = self.managers[number]
        if manager.pool_client is not None:
            manager.pool_client.stop_channels()
            manager.pool_client = None
        try:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - a kernel already gone is what we want
            pass
        finally:
            manager.cleanup_resources()

    def shutdown(self) -> None:
        """Stop every kernel and close their log."""
        if self._warming is not None:
            self._warming.join(timeout=5)
        self.close()

    def close(self) -> None:
        """Stop the run's kernels at once: none starts any more, each is killed, connection files removed."""
        self.closed = True
        for number in range(len(self.managers)):
            self.stop(number)
        if not self._log.closed:
            self._log.close()


def died_at_start(exc: BaseException) -> bool:
    """Whether ``exc`` says a kernel died before answering its first request."""
    return isinstance(exc, RuntimeError) and "died before replying to kernel_info" in str(exc)


def kill_orphans(folder: Path) -> None:
    """Kill the kernels a dead run left running on ``folder`` (their command line names a file in it).

    Such kernels end by themselves within a second of their run's death; this makes sure none
    writes into ``folder`` after it is removed. Linux only (``/proc``); elsewhere, nothing to do.
    """
    proc = Path("/proc")
    if not proc.is_dir() or not hasattr(os, "getuid"):
        return
    needle = os.fsencode(str(folder) + os.sep)
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid == os.getuid() and needle in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


SMALL_EXPORT = 512 * 1024  # bytes: below that, a second kernel's imports cost more than it saves


def default_size(export_dir: Path) -> int:
    """One kernel per core, at most two: the work splits well in two and memory stays bounded.

    A small export (a few hundred youths) gets one kernel: the audit itself takes less than the
    seconds of imports a second kernel would cost.
    """
    files = [p for p in export_dir.iterdir() if p.is_file()]
    if sum(p.stat().st_size for p in files) < SMALL_EXPORT:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


