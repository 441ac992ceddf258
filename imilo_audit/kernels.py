"""Warm kernels for a run: started once, each executes several notebooks through papermill.

A kernel costs seconds of imports (pandas, Great Expectations, matplotlib): a run starts one per
core, warms it while the export is being read, and has papermill execute every notebook in one
of them. Kernel output (logs, warnings, the "KeyboardInterrupt caught in kernel" of a shutdown)
goes to a log file of the run, never to the user's terminal; connection files live in the run's
work folder, so nothing of the run is left elsewhere.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

ENGINE = "imilo-noyau-chaud"
# What every notebook of a run imports: loaded while the export is being read.
WARM_UP = "import imilo_audit.notebook, imilo_audit.report, imilo_audit.validation\nimilo_audit.validation.warm_up()"


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
            try:
                return client.execute()
            finally:
                if client.kc is not None:  # papermill keeps the client of a kernel it does not own
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmKernelEngine)


class KernelPool:
    """``size`` Python kernels started in ``work_dir``, with ``env`` added to their environment."""

    def __init__(self, size: int, work_dir: Path, env: dict[str, str]) -> None:
        from jupyter_client import KernelManager

        self.work_dir = work_dir
        self.log_path = work_dir / "noyaux.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in shutdown()
        self.managers = []
        for number in range(1, size + 1):
            manager = KernelManager(kernel_name="python3")
            manager.connection_file = str(work_dir / f"noyau-{number}.json")
            self.managers.append(manager)
        self._env = {**os.environ, **env, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self._warming: threading.Thread | None = None

    def start(self, warm: list[int]) -> None:
        """Start every kernel; those numbered in ``warm`` import the audit's stack at once.

        The warm-up runs in the background: the first kernel can read the export meanwhile.
        """
        for manager in self.managers:
            manager.start_kernel(
                env=self._env,
                cwd=str(self.work_dir),
                stdout=self._log,
                stderr=self._log,
                extra_arguments=["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"],
            )
        self._warming = threading.Thread(target=self._warm_up, args=(warm,), name="rechauffage", daemon=True)
        self._warming.start()

    def _warm_up(self, numbers: list[int]) -> None:
        for number in numbers:
            client = self.managers[number].client()
            try:
                client.start_channels()
                client.wait_for_ready(timeout=120)
                client.execute(WARM_UP, silent=True, store_history=False)
            except Exception:  # noqa: BLE001 - a kernel that cannot warm up fails its first notebook, clearly
                pass
            finally:
                client.stop_channels()

    def execute(self, number: int, notebook: Path, output: Path, parameters: dict[str, Any]) -> None:
        """Execute ``notebook`` with ``parameters`` in kernel ``number``; papermill writes ``output``."""
        import papermill

        _register_engine()
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
        for number in range(len(self.managers)):
            self.stop(number)
        self._log.close()


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


