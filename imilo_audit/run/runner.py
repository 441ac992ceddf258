"""A monthly run: papermill executes the notebooks in warm kernels, into a staging folder published atomically.

The shape decides the speed more than any rule's code: a kernel costs seconds of imports, so a run
starts one kernel per core (two at most) and keeps them for all its notebooks. The first kernel
reads the export (00_preparation) while the second imports the audit's stack; the theme notebooks
then run on both, longest first, each kernel keeping the tables it has loaded; 99_synthese writes
the shared outputs. Each executed notebook is rendered to HTML in this process as soon as it is
done. Only a fully successful run replaces ``AUDITS_DIR/YYYY-MM``.

A run holds the lock of its month (:mod:`imilo_audit.run.lock`) from start to end; under it, it first
undoes what a dead run left (:func:`imilo_audit.run.publish.recover`), stages in its own folder
``.YYYY-MM.en-cours-<pid>`` and publishes with :func:`imilo_audit.run.publish.publish`. Notebooks run
in threads, so that the main thread is always free for Ctrl-C and SIGTERM: either stops the run
within a second or two (kernels killed, staging folder removed, previous audit untouched) and is
raised as :class:`~imilo_audit.errors.Interrupted`, a ``KeyboardInterrupt`` (exit code 1).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from ..config import AuditConfig
from ..errors import AuditError, InputError, Interrupted
from ..folders import NOTEBOOKS_DIR, WORK, check_export_folder
from ..progress import ENV, Event, FeedPump, Listener
from . import publish
from .lock import MonthLock

MEASURES_ENV = "IMILO_AUDIT_MESURES"  # set by ``imilo-audit bench``: where to write the stage times
PREPARATION = "00_preparation.ipynb"
SYNTHESIS = "99_synthese.ipynb"
SYNTHESIS_LABEL = "Synthèse : rapport, pages et classeurs des conseillers"
# Themes that read the most rows go first, so that the two kernels finish together.
LONGEST_FIRST = ("donnees", "dispositifs", "emails", "ressources", "identite", "adresses", "mobilite")
ALL_TABLES_THEME = "donnees"  # reads every table: for the kernel that read the export


class NotebookFailure(AuditError):
    """A notebook failed for an internal reason; its executed copy is kept for diagnosis."""

    def __init__(self, notebook: str, kept_at: str, detail: str) -> None:
        self.notebook = notebook
        self.kept_at = kept_at
        self.detail = detail
        super().__init__(
            f"Le notebook « {notebook} » a échoué ({detail}). Le notebook exécuté est conservé pour "
            f"diagnostic : {kept_at}. L'audit précédent de ce mois n'a pas été modifié."
        )

    def __reduce__(self):
        return (NotebookFailure, (self.notebook, self.kept_at, self.detail))

    @property
    def disk_full(self) -> bool:
        """The notebook failed because the disk is full (OSError ENOSPC inside the kernel)."""
        return "[Errno 28]" in self.detail or "No space left on device" in self.detail

    @property
    def too_many_files(self) -> bool:
        """The notebook failed because the process may open no more files (OSError EMFILE inside the kernel)."""
        return "[Errno 24]" in self.detail or "Too many open files" in self.detail


class KernelDied(NotebookFailure):
    """The kernel running a notebook died (memory, killed from outside) or twice failed to start."""

    def __init__(self, notebook: str, kept_at: str, detail: str = "en cours de route") -> None:
        self.notebook = notebook
        self.kept_at = kept_at
        self.detail = detail
        AuditError.__init__(
            self,
            f"Le noyau Python qui exécutait le notebook « {notebook} » s'est arrêté brutalement {detail} "
            "(mémoire insuffisante, ou processus arrêté de l'extérieur). Relancez l'audit ; si l'arrêt se répète, "
            "fermez d'autres applications pour libérer de la mémoire, ou lancez l'audit sur une machine qui en a "
            f"plus. Le notebook exécuté est conservé pour diagnostic : {kept_at}. L'audit précédent de ce mois "
            "n'a pas été modifié.",
        )

    def __reduce__(self):
        return (KernelDied, (self.notebook, self.kept_at, self.detail))


@dataclass
class RunResult:
    folder: Path
    summary: dict[str, Any]
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage (progress.STAGES)


class _Stages:
    """Adds up the time the kernels and this process report per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def run_audit(
    export_dir: str | Path | list[str | Path],
    audits_dir: str | Path,
    date_reference: dt.date,
    config: AuditConfig | None = None,
    progress: Listener | None = None,
    kernels: int | None = None,
) -> RunResult:
    """Run every notebook on ``export_dir`` and publish ``audits_dir/YYYY-MM`` atomically.

    Several export folders (a list) are audited as one export, each youth with its structure.

    ``progress`` receives :class:`~imilo_audit.progress.Event` news (from any thread). Raises
    :class:`~imilo_audit.errors.AuditRunningError` when a run of the same month holds the lock,
    :class:`~imilo_audit.errors.Interrupted` on Ctrl-C or SIGTERM.
    """
    started = time.monotonic()
    config = config or AuditConfig()
    stages = _Stages()
    lock = threading.Lock()

    def tell(event: Event) -> None:
        if event.kind == "mesure" and event.seconds is not None:
            stages.add(event.step, event.seconds)
        if progress is not None:
            with lock:
                progress(event)

    audits_dir = Path(audits_dir).resolve()
    audits_dir.mkdir(parents=True, exist_ok=True)
    month = date_reference.strftime("%Y-%m")
    with _Interrupts() as interrupts, MonthLock(audits_dir, month):
        publish.recover(audits_dir, month)  # before anything else: the audit a dead run set aside
        publish.recover_other_months(audits_dir, month)
        publish.checkpoint("verrou")
        folders = _export_folders(export_dir)
        target = audits_dir / month
        _run_notebooks(folders, audits_dir, month, date_reference, config, tell, stages, kernels, interrupts)
        summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    result = RunResult(target, summary, time.monotonic() - started, dict(stages.seconds))
    if os.environ.get(MEASURES_ENV):  # the benchmark asks for the stage times
        Path(os.environ[MEASURES_ENV]).write_text(
            json.dumps({"duree": result.seconds, "etapes": result.stages}), encoding="utf-8"
        )
    return result


def _export_folders(export_dir: str | Path | list[str | Path]) -> list[Path]:
    folders = [Path(p).resolve() for p in ([export_dir] if isinstance(export_dir, (str, Path)) else export_dir)]
    for folder in folders:
        check_export_folder(folder)
    if len(set(folders)) < len(folders):
        raise errors.ExportFolderError("Le même dossier d'export est donné deux fois : donnez chaque dossier une fois.")
    return folders


def _run_notebooks(
    folders: list[Path],
    audits_dir: Path,
    month: str,
    date_reference: dt.date,
    config: AuditConfig,
    tell: Listener,
    stages: _Stages,
    kernels: int | None,
    interrupts: _Interrupts,
) -> None:
    """Stage the run in its own folder, then publish it; on failure, the previous audit stays as it was."""
    from .kernels import KernelPool, default_size

    target, staging = audits_dir / month, publish.staging_folder(audits_dir, month)
    failed = publish.failed_folder(audits_dir, month)
    publish.discard(failed)
    work = staging / WORK
    (staging / "notebooks").mkdir(parents=True)
    work.mkdir()
    news = work / "progres.jsonl"
    parameters = {
        "dossier_export": str(folders[0]) if len(folders) == 1 else [str(f) for f in folders],
        "date_reference": date_reference.isoformat(),
        "dossier_tables": str(work / "tables"),
        "dossier_sortie": str(staging),
        "dossier_audits": str(audits_dir),
        **config.to_parameters(),
    }
    size = kernels or max(default_size(folder) for folder in folders)
    pool = pages = None
    try:
        pool = KernelPool(size, work, {ENV: str(news)})
        pages = _PageRenderer(staging, tell, stages)
        with FeedPump(news, tell):
            # a second kernel imports the audit's stack while the first reads; a kernel alone imports it at
            # once too, while this process is still starting up (its imports, papermill's), then reads
            pool.start(warm=list(range(1, size)) or [0])
            publish.checkpoint("noyaux")
            tell(Event("debut", "lecture", f"Lecture de l'export {' + '.join(f.name for f in folders)}"))
            step = time.monotonic()
            if size == 1:
                pool.wait_warm()  # its warm-up before its first notebook, not between two of them
            _in_thread(_execute, pool, 0, PREPARATION, staging, parameters, watch=_DeathWatch(pool, staging))
            _report_rows(work / "tables", tell)
            tell(Event("fin", "lecture", "Lecture de l'export", seconds=time.monotonic() - step))
            publish.checkpoint("lecture")
            pages.add(PREPARATION)
            _run_themes(pool, staging, parameters, tell, pages)
            publish.checkpoint("themes")
            tell(Event("debut", "synthese", SYNTHESIS_LABEL))
            step = time.monotonic()
            _in_thread(_execute, pool, 0, SYNTHESIS, staging, parameters, watch=_DeathWatch(pool, staging))
            tell(Event("fin", "synthese", SYNTHESIS_LABEL, seconds=time.monotonic() - step))
            publish.checkpoint("synthese")
            pages.add(SYNTHESIS)
            pages.finish()
        pool.shutdown()
        publish.discard(work)  # typed copies of the export: personal data
        publish.checkpoint("travail-supprime")
        with interrupts.deferred():  # a few renames: a signal now waits for them
            publish.publish(staging, target)
    except (InputError, KeyboardInterrupt):
        _abandon(pool, pages, staging)  # nothing to diagnose: the message says it all
        raise
    except BaseException as exc:
        exhausted = _out_of(exc, audits_dir)
        if exhausted is not None:
            _abandon(pool, pages, staging)  # a full disk, no file left: nothing is kept, the message says what to do
            publish.restore(target)
            raise exhausted from None
        _stop(pool, pages)
        publish.restore(target)
        publish.keep_for_diagnosis(staging, failed)
        if isinstance(exc, NotebookFailure):  # the kept notebook is now in the failed run's folder
            raise type(exc)(exc.notebook, str(failed / "notebooks" / exc.notebook), exc.detail) from None
        raise


def _out_of(exc: BaseException, audits_dir: Path) -> AuditError | None:
    """What the machine ran out of, when that is why the run failed (in this process or inside a kernel):
    disk space or open files; None for any other failure."""
    if isinstance(exc, NotebookFailure):
        full, no_file = exc.disk_full, exc.too_many_files
    else:
        code = exc.errno if isinstance(exc, OSError) else None
        full, no_file = code == errno.ENOSPC, code in (errno.EMFILE, errno.ENFILE)
    if full:
        return errors.DiskFullError(str(audits_dir))
    return errors.TooManyFilesError() if no_file else None


class _Interrupts:
    """Ctrl-C and SIGTERM during a run raise :class:`Interrupted` in the main thread, once.

    While the publication renames folders (:meth:`deferred`), a signal waits: the run then ends
    normally, its audit published. Outside the main thread (a run started by a thread), signals keep
    their handlers.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._deferred = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _handle(self, number: int, _frame: object) -> None:
        if self.received is not None:
            return  # already stopping: let the clean-up finish
        self.received = number
        if not self._deferred:
            raise Interrupted(number)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self._deferred = True
        try:
            yield
        finally:
            self._deferred = False


class _DeathWatch:
    """Notices a kernel gone while its notebook runs, in case nbclient never says so.

    nbclient reports a dead kernel itself, within a second; if it has not after a few seconds (a
    kernel killed at an unlucky moment), the main thread reports it and the run stops.
    """

    GRACE = 3.0  # seconds left to nbclient to report it first

    def __init__(self, pool, staging: Path) -> None:
        self.pool = pool
        self.staging = staging
        self._since: dict[int, float] = {}

    def check(self, number: int, notebook: str | None) -> None:
        if self.pool is None or notebook is None or not self.pool.dead(number):
            self._since.pop(number, None)
            return
        first = self._since.setdefault(number, time.monotonic())
        if time.monotonic() - first > self.GRACE:
            raise KernelDied(notebook, str(self.staging / "notebooks" / notebook))


def _in_thread(function: Callable[..., None], *args: Any, watch: _DeathWatch | None = None) -> None:
    """``function(*args)`` in a thread, waited for: the main thread stays free for signals.

    With ``watch``, the kernel of ``_execute(pool, number, notebook, …)`` is watched while it runs.
    """
    failures: list[BaseException] = []

    def run() -> None:
        try:
            function(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            failures.append(exc)

    thread = threading.Thread(target=run, name="noyau-1", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
        if watch is not None and not failures:
            watch.check(args[1], args[2])
    if failures:
        raise failures[0]


def _run_themes(pool, staging: Path, parameters: dict[str, Any], tell: Listener, pages: _PageRenderer) -> None:
    """Every theme notebook, on every kernel at once, longest first; the first failure stops the others.

    The first kernel, which read the export and holds every table, starts with the theme that reads
    them all (donnees); the others load only the tables of their themes, and stop as soon as no
    theme is left for them, which frees their memory for the synthesis.
    """
    order = sorted(theme_notebooks(), key=_longest_first)
    pinned = [n for n in order if _theme_of(n) == ALL_TABLES_THEME]
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for notebook in order:
        if notebook not in pinned:
            todo.put(notebook)
    total, done, failures = len(order), [0], []
    counter = threading.Lock()
    label = "Audits par thème"
    tell(Event("debut", "themes", label, done=0, total=total))
    step = time.monotonic()

    def next_notebook(number: int) -> str | None:
        if number == 0 and pinned:
            return pinned.pop()
        try:
            return todo.get_nowait()
        except queue.Empty:
            return None

    current: dict[int, str | None] = {}
    watch = _DeathWatch(pool, staging)

    def work(number: int) -> None:
        while not failures and not pool.closed and (notebook := next_notebook(number)) is not None:
            current[number] = notebook
            tell(Event("avance", "themes", f"{notebook.removesuffix('.ipynb')} : démarrage", worker=notebook))
            try:
                _execute(pool, number, notebook, staging, parameters)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                failures.append(exc)
                return
            current[number] = None
            with counter:
                done[0] += 1
                tell(Event("avance", "themes", label, done=done[0], total=total, worker=notebook))
            pages.add(notebook)
        if number > 0 and not failures and not pool.closed:
            pool.stop(number)

    workers = [
        threading.Thread(target=work, args=(n,), name=f"noyau-{n + 1}", daemon=True) for n in range(len(pool.managers))
    ]
    for worker in workers:
        worker.start()
    interrupted = False
    for worker in workers:
        while worker.is_alive():
            worker.join(0.2)
            if failures and not interrupted:
                pool.interrupt_all()  # the other kernel stops its notebook now, not when it ends
                interrupted = True
            if not failures:
                for number in range(len(workers)):
                    try:
                        watch.check(number, current.get(number))
                    except KernelDied as exc:
                        failures.append(exc)  # the worker, stuck on its dead kernel, is left behind
            if failures and any(isinstance(f, KernelDied) for f in failures):
                break
    if failures:
        raise _first_meaningful(failures)
    tell(Event("fin", "themes", f"{label} : {total} thèmes", seconds=time.monotonic() - step))


def theme_notebooks() -> list[str]:
    """The theme notebooks of ``notebooks/`` (``10_adresses.ipynb`` … ``70_donnees.ipynb``).

    Read from the folder, not from the themes' registry: this process never needs pandas (a test
    checks that both agree).
    """
    return sorted(p.name for p in NOTEBOOKS_DIR.glob("[1-9][0-9]_*.ipynb") if p.name != SYNTHESIS)


def _theme_of(notebook: str) -> str:
    return notebook.removesuffix(".ipynb").split("_", 1)[1]


def _longest_first(notebook: str) -> int:
    theme = _theme_of(notebook)
    return LONGEST_FIRST.index(theme) if theme in LONGEST_FIRST else len(LONGEST_FIRST)


def _first_meaningful(failures: list[BaseException]) -> BaseException:
    """The failure to report: an input error, a dead kernel or a notebook failure before an interrupted neighbour."""
    for kind in (InputError, KernelDied, NotebookFailure):
        for failure in failures:
            if isinstance(failure, kind):
                return failure
    return failures[0]


def _execute(pool, number: int, notebook: str, staging: Path, parameters: dict[str, Any]) -> None:
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from .kernels import died_at_start

    output = staging / "notebooks" / notebook
    try:
        pool.execute(number, NOTEBOOKS_DIR / notebook, output, parameters)
    except PapermillExecutionError as exc:
        if exc.ename in _input_error_names():
            raise InputError(exc.evalue) from None
        raise NotebookFailure(notebook, str(output), f"{exc.ename} : {exc.evalue}") from None
    except DeadKernelError:
        if pool.closed:
            raise  # the run is stopping: its kernels were killed on purpose
        raise KernelDied(notebook, str(output)) from None
    except RuntimeError as exc:
        if pool.closed or not died_at_start(exc):
            raise
        when = "en cours de route" if pool.used(number) else "au démarrage, deux fois de suite"
        raise KernelDied(notebook, str(output), when) from None


def _report_rows(tables_dir: Path, tell: Listener) -> None:
    """Rows read per table, and why rows were left out, from the metadata the preparation notebook stored."""
    from ..french.formatting import fr_counted, table_name

    metadata = json.loads((tables_dir / "export.json").read_text(encoding="utf-8"))
    for name, table in metadata["tables"].items():
        footer = int(table.get("lignes_pied") or 0)
        without_id = table["lignes_ignorees"] - footer
        reasons = [fr_counted(without_id, "ligne sans identifiant", "lignes sans identifiant")] if without_id else []
        reasons += [fr_counted(footer, "ligne de total ou de pied", "lignes de total ou de pied")] if footer else []
        ignored = f" ; non lues : {', '.join(reasons)}" if reasons else ""
        tell(Event("info", "lecture", f"{table_name(name)} : {fr_counted(table['lignes'], 'ligne', 'lignes')} lues "
                                      f"dans « {table['fichier']} »{ignored}"))
    for name in metadata["tables_absentes"]:
        tell(Event("info", "lecture", f"{table_name(name)} : absente de l'export, son audit est ignoré"))


def _input_error_names() -> set[str]:
    names, todo = set(), [InputError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


class _PageRenderer:
    """Renders executed notebooks to HTML pages in a thread of this process, as they come."""

    def __init__(self, staging: Path, tell: Listener, stages: _Stages) -> None:
        self.staging = staging
        self.tell = tell
        self.stages = stages
        self.failure: BaseException | None = None
        self._stopped = False
        self._todo: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="pages", daemon=True)
        self._thread.start()

    def add(self, notebook: str) -> None:
        self._todo.put(notebook)

    def finish(self) -> None:
        """Wait for the pages queued so far; raise what failed."""
        self.tell(Event("debut", "pages", "Pages de détail des thèmes"))
        step = time.monotonic()
        self._todo.put(None)
        self._thread.join()
        if self.failure is not None:
            raise self.failure
        self.tell(Event("fin", "pages", "Pages de détail des thèmes", seconds=time.monotonic() - step))

    def stop(self, timeout: float = 10.0) -> None:
        self._stopped = True  # the pages still queued are not rendered
        self._todo.put(None)
        self._thread.join(timeout=timeout)

    def alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        from ..report.notebook_html import notebook_to_html

        while (notebook := self._todo.get()) is not None:
            if self.failure is not None or self._stopped:
                continue
            started = time.perf_counter()
            try:
                source = self.staging / "notebooks" / notebook
                notebook_to_html(source, self.staging / notebook.replace(".ipynb", ".html"))
            except BaseException as exc:  # noqa: BLE001 - raised by finish() in the main thread
                self.failure = exc
            self.stages.add("pages", time.perf_counter() - started)


def _stop(pool, pages: _PageRenderer | None) -> None:
    if pages is not None:
        pages.stop()
    if pool is not None:
        pool.shutdown()


def _abandon(pool, pages: _PageRenderer | None, staging: Path) -> None:
    """Stop at once (kernels killed) and remove the staging folder, copies of the export included.

    A page being rendered would create the folder again: it is waited for (a second at most). A
    notebook whose kernel was just killed cannot write any more once the folder is gone.
    """
    from .kernels import kill_orphans

    if pool is not None:
        pool.close()
    kill_orphans(staging)  # a kernel being launched when the signal came, unknown to its manager yet
    if pages is not None:
        pages.stop(timeout=1.0)
    publish.discard(staging)
