"""The real command killed, interrupted, run twice at once, or losing a kernel: an audit is never lost.

Each run audits a tiny export (one kernel, a few seconds); the previous audit of the month is a
copy of the session's hostile run, compared by hashing every file.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import write_table, youth
from test_publication import hashes

from imilo_audit.run import publish
from imilo_audit.run.journal import JOURNAL
from imilo_audit.run.kernels import KernelPool

MONTH = "2026-10"
IN_THEMES = "notebooks/20_*.ipynb"  # the second theme notebook (one kernel: 70_donnees runs first)


@pytest.fixture
def export(tmp_path) -> Path:
    folder = tmp_path / "export"
    write_table(folder, "jeunes", [youth("J1"), youth("J2", email=""), youth("J3", email="pasdemail@gmail.com")])
    return folder


@pytest.fixture
def audits(tmp_path, hostile_run) -> Path:
    """An audits folder whose month already holds a complete audit."""
    folder = tmp_path / "audits"
    shutil.copytree(hostile_run.folder, folder / MONTH)
    return folder


def start(export: Path, audits: Path, **env: str) -> subprocess.Popen:
    command = ["run", str(export), "--out", str(audits), "--month", MONTH, "--quiet"]
    return subprocess.Popen(
        [sys.executable, "-m", "imilo_audit.cli", *command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **env},
    )


def staging_of(process: subprocess.Popen, audits: Path) -> Path:
    return audits / f".{MONTH}.en-cours-{process.pid}"


def wait_for(process: subprocess.Popen, folder: Path, pattern: str) -> None:
    """Wait until the run has written ``pattern`` in ``folder``."""
    deadline = time.monotonic() + 120
    while not list(folder.glob(pattern)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def kernels_on(folder: Path) -> list[int]:
    """Processes whose command line names a file of ``folder`` (the kernels of its run)."""
    needle = os.fsencode(f"{folder}{os.sep}")
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def leftovers(audits: Path) -> list[str]:
    return sorted(p.name for p in audits.iterdir())


def complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("index.html", "findings.csv", "summary.json",
                                                       "notebooks/99_synthese.ipynb"))


def exchange_works(folder: Path) -> bool:
    a, b = folder / ".essai-a", folder / ".essai-b"
    a.mkdir(), b.mkdir()
    try:
        return publish._exchange(a, b)
    finally:
        a.rmdir(), b.rmdir()


def test_two_runs_of_one_month_started_together_publish_one_audit(export, tmp_path):
    audits = tmp_path / "audits"
    runs = [start(export, audits), start(export, audits)]
    outcomes = [(run.pid, run.wait(timeout=300), run.communicate()[1]) for run in runs]
    (winner, code, _), (_, refused, message) = sorted(outcomes, key=lambda outcome: outcome[1])
    assert (code, refused) == (0, 2), outcomes
    assert "Traceback" not in message
    for part in (f"Un audit du mois {MONTH} est déjà en cours", f"processus {winner}", "depuis le", "Attendez"):
        assert part in message
    assert complete(audits / MONTH) and leftovers(audits) == [MONTH, JOURNAL]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_in_the_themes_stops_the_run_within_two_seconds(export, audits, number):
    previous = hashes(audits / MONTH)
    run = start(export, audits)
    staging = staging_of(run, audits)
    wait_for(run, staging, IN_THEMES)
    assert kernels_on(staging)
    sent = time.monotonic()
    run.send_signal(number)
    code = run.wait(timeout=30)
    elapsed = time.monotonic() - sent
    err = run.communicate()[1]
    print(f"{signal.Signals(number).name} -> sortie en {elapsed:.2f} s")
    assert elapsed < 2, elapsed
    assert code == 1 and "Interrompu" in err and "Traceback" not in err, err
    assert hashes(audits / MONTH) == previous
    assert leftovers(audits) == [MONTH, JOURNAL]  # no staged folder, no copy of the export, no lock
    assert kernels_on(staging) == []


def test_a_dead_kernel_is_reported_at_once_with_what_to_try(export, audits):
    previous = hashes(audits / MONTH)
    run = start(export, audits)
    staging = staging_of(run, audits)
    wait_for(run, staging, IN_THEMES)
    for pid in kernels_on(staging):
        os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    code = run.wait(timeout=60)
    elapsed = time.monotonic() - killed
    err = run.communicate()[1]
    print(f"noyau tué -> sortie en {elapsed:.2f} s")
    assert code == 1 and "Traceback" not in err, err
    assert elapsed < 5, elapsed
    for part in ("noyau Python", "s'est arrêté brutalement", "Relancez l'audit", "mémoire"):
        assert part in err
    kept = Path(err.split("diagnostic : ")[1].split(". ")[0])
    assert kept.is_file() and kept.parent.parent == audits / f".{MONTH}.echec"
    assert not list(kept.parent.parent.rglob("*.parquet"))  # the failed notebook, never the export's copies
    assert hashes(audits / MONTH) == previous
    assert leftovers(audits) == [f".{MONTH}.echec", MONTH, JOURNAL]


def test_a_kernel_that_dies_before_answering_is_started_again_once(tmp_path):
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("valeur = 1")
    parameters.metadata["tags"] = ["parameters"]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.cells = [parameters, nbformat.v4.new_code_cell("print(valeur * 2)")]
    source, output = tmp_path / "essai.ipynb", tmp_path / "sortie.ipynb"
    nbformat.write(notebook, source)
    pool = KernelPool(1, tmp_path, {})
    pool.start(warm=[])
    try:
        first = pool.managers[0].provisioner.process
        first.kill()  # the kernel dies before replying to kernel_info
        first.wait()
        pool.execute(0, source, output, {"valeur": 21})
        assert pool.restarts == 1
        assert "42" in output.read_text(encoding="utf-8")
    finally:
        pool.shutdown()
    assert not list(tmp_path.glob("noyau-*.json"))



def test_a_run_killed_at_each_step_then_a_plain_run_never_lose_the_audit(export, audits):
    """SIGKILL at every step of a run (the publication's own steps: test_publication), then a plain run."""
    previous = hashes(audits / MONTH)
    publication = "publication:echange" if exchange_works(audits) else "publication:ancien-de-cote"
    for step in ["verrou", "noyaux", "lecture", "dans les thèmes", "synthese", "travail-supprime", publication]:
        if step == "dans les thèmes":  # kernels at work, typed copies of the export on disk
            killed = start(export, audits)
            wait_for(killed, staging_of(killed, audits), IN_THEMES)
            killed.kill()
        else:
            killed = start(export, audits, **{publish.FAULT_ENV: step})
        assert killed.wait(timeout=300) == -signal.SIGKILL, step
        killed.communicate()
        if step == publication and not (audits / MONTH).exists():
            # between the two renames: the next start puts it back before anything else
            assert hashes(audits / f".{MONTH}.ancien") == previous
        elif step == publication:
            assert hashes(audits / MONTH) == previous or complete(audits / MONTH)
        else:
            assert hashes(audits / MONTH) == previous, step
        if step == "dans les thèmes":
            assert (staging_of(killed, audits) / "_travail" / "tables").is_dir()  # for the next start to remove

    plain = start(export, audits)
    _, err = plain.communicate(timeout=300)
    assert plain.returncode == 0, err
    assert complete(audits / MONTH) and hashes(audits / MONTH) != previous
    assert leftovers(audits) == [MONTH, JOURNAL]
    assert kernels_on(audits) == []
