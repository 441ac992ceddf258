"""A second hostile corpus, as a careful attacker and an unlucky quality officer would try it (issue 21,
cases 6 to 14): the real command, its exit code, a French message without traceback, the input
untouched, the previous audit intact, nothing written outside --out."""

from __future__ import annotations

import csv
import hashlib
import html
import os
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, write_table, youth

ENGLISH = ("Traceback", "Error", "Errno", "errno", "Exception")


def imilo_audit(*args, cwd=None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "imilo_audit.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=600, cwd=cwd, preexec_fn=preexec_fn)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}


def only(folder: Path, *names: str) -> None:
    """Nothing was written outside --out: the test's folder holds what it made and the audits folder only."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def french_only(text: str) -> None:
    assert not [word for word in ENGLISH if word in text], text


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_identifiers_that_look_like_formulas_are_followed_from_month_to_month(tmp_path):
    export, audits = tmp_path / "export", tmp_path / "audits"
    write_table(export, "jeunes", [youth(i, email="") for i in ("@J1", "=J2", "+J3", "-J4", "J5")])
    before = fingerprint(export)
    for month in ("2026-10", "2026-11"):
        done = imilo_audit("run", export, "--out", audits, "--month", month, "--quiet")
        assert done.returncode == 0, done.stderr
    assert fingerprint(export) == before
    only(tmp_path, "export", "audits")
    november = [r for r in rows(audits / "2026-11" / "findings.csv") if r["rule_id"] == "EML-01"]
    assert len(november) == 5 and {r["suivi"] for r in november} == {"persistant"}
    assert {r["id_jeune"] for r in november} == {"'@J1", "'=J2", "'+J3", "'-J4", "J5"}  # still protected in the file
    assert not [r for r in rows(audits / "2026-11" / "corriges.csv") if r["rule_id"] == "EML-01"]


def test_two_export_folders_with_the_same_name_stay_two_structures(tmp_path):
    nord, sud = tmp_path / "nord" / "2026-10", tmp_path / "sud" / "2026-10"
    for folder, ids in ((nord, ("N1", "N2")), (sud, ("S1", "S2"))):
        write_table(folder, "jeunes", [youth(i) for i in ids])
        write_table(folder, "ressources", [{"id_jeune": i, "type_ressource": "Aucun", "montant": "0",
                                            "date_debut": "01/01/2026"} for i in ids])
    done = imilo_audit("run", nord, sud, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert done.returncode == 0, done.stderr
    only(tmp_path, "nord", "sud", "audits")
    findings = rows(tmp_path / "audits" / "2026-10" / "findings.csv")
    assert not [r for r in findings if r["rule_id"] == "DAT-02"]  # « nord/2026-10/L1 » is not « sud/2026-10/L1 »
    report = (tmp_path / "audits" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert "nord/2026-10" in report and "sud/2026-10" in report  # the structures are compared


@pytest.mark.parametrize("kind", ["folder", "broken-link", "format-not-read"])
def test_a_table_file_that_cannot_be_read_is_named_with_why(tmp_path, kind):
    export, audits = tmp_path / "export", tmp_path / "audits"
    write_table(export, "jeunes", [youth("J1")])
    if kind == "folder":
        (export / "Ressources.csv").mkdir()
        why = "c'est un dossier"
    elif kind == "format-not-read":
        (export / "Ressources.xlsb").write_bytes(b"PK\x03\x04 binary workbook")
        why = "un fichier .xlsb n'est pas lu"
    else:
        (export / "Ressources.csv").symlink_to(tmp_path / "partage-non-monte" / "Ressources.csv")
        why = "lien vers un fichier introuvable"
    before = fingerprint(export) if kind != "broken-link" else {}
    verify = imilo_audit("verifier", export)
    name = "Ressources.xlsb" if kind == "format-not-read" else "Ressources.csv"
    named = next(line for line in verify.stdout.splitlines() if line.startswith(f"  « {name} » :"))
    assert verify.returncode == 0 and why in named
    done = imilo_audit("run", export, "--out", audits, "--month", "2026-10", "--quiet")
    assert done.returncode == 0, done.stderr
    report = html.unescape((audits / "2026-10" / "index.html").read_text(encoding="utf-8"))
    report = report.replace("\u00a0", " ").replace("\u202f", " ")
    assert f"le fichier « {name} » est écarté" in report and why in report  # in the verdict
    assert (fingerprint(export) if kind != "broken-link" else {}) == before
    only(tmp_path, "export", "audits")


def test_a_closed_pipe_after_publishing_is_no_failure(tmp_path):
    export, audits = tmp_path / "export", tmp_path / "audits"
    write_table(export, "jeunes", [youth("J1")])
    command = [sys.executable, "-m", "imilo_audit.cli", "run", str(export), "--out", str(audits), "--month", "2026-10"]
    done = subprocess.run(["bash", "-c", 'read -r _ < /dev/null; "$@" | true; echo "code=${PIPESTATUS[0]}"', "_",
                           *command], capture_output=True, text=True, timeout=600)
    assert "code=0" in done.stdout, done.stderr
    french_only(done.stderr)
    journal = (audits / "journal.txt").read_text(encoding="utf-8")
    assert "terminé, code 0" in journal and "Traceback" not in journal
    verify = subprocess.run(["bash", "-c", '"$@" | head -1; echo "code=${PIPESTATUS[0]}"', "_", sys.executable, "-m",
                             "imilo_audit.cli", "verifier", str(SAMPLE)], capture_output=True, text=True, timeout=600)
    assert "code=0" in verify.stdout and "BrokenPipe" not in verify.stderr and "Traceback" not in verify.stderr


def test_paths_that_are_not_utf8_are_refused_in_french(tmp_path):
    export = Path(os.fsdecode(bytes(tmp_path) + b"/Export_D\xe9cembre"))
    write_table(export, "jeunes", [youth("J1")])
    out = Path(os.fsdecode(bytes(tmp_path) + b"/audits_\xe9t\xe9"))
    command = [sys.executable, "-m", "imilo_audit.cli", "run", os.fsencode(export), "--out", os.fsencode(out)]
    done = subprocess.run([*command, "--month", "2026-10"], capture_output=True, timeout=600)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "pas en UTF-8" in stderr and "EXPORT_DIR" in stderr
    french_only(stderr)
    assert not out.exists()  # no lock, no journal, nothing
    assert [p.name for p in export.iterdir()] == ["jeunes.csv"]


def test_the_working_folder_deleted_under_a_run_with_relative_paths(tmp_path):
    write_table(tmp_path / "export", "jeunes", [youth("J1")])
    work = tmp_path / "ici"
    work.mkdir()

    def remove_soon() -> None:
        time.sleep(1.5)
        shutil.rmtree(work)

    remover = threading.Thread(target=remove_soon)
    remover.start()
    done = imilo_audit("run", "../export", "--out", "../audits", "--month", "2026-10", "--quiet", cwd=work)
    remover.join()
    assert done.returncode == 0, done.stderr  # the paths were taken whole at the start
    assert (tmp_path / "audits" / "2026-10" / "index.html").is_file()
    gone = subprocess.run(["bash", "-c", f'cd "{tmp_path}" && mkdir parti && cd parti && rmdir ../parti && '
                           f'"{sys.executable}" -m imilo_audit.cli run ../export --month 2026-10 --quiet'],
                          capture_output=True, text=True, timeout=600)
    assert gone.returncode == 2 and "dossier courant n'existe plus" in gone.stderr
    french_only(gone.stderr)


def test_too_few_file_descriptors_says_what_to_do_and_keeps_the_audit(tmp_path):
    export, audits = tmp_path / "export", tmp_path / "audits"
    write_table(export, "jeunes", [youth("J1")])
    assert imilo_audit("run", export, "--out", audits, "--month", "2026-10", "--quiet").returncode == 0
    before = fingerprint(audits / "2026-10")

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    done = imilo_audit("run", export, "--out", audits, "--month", "2026-10", "--quiet", preexec_fn=few_files)
    assert done.returncode == 1 and "ulimit -n" in done.stderr
    french_only(done.stderr)
    assert fingerprint(audits / "2026-10") == before  # the previous audit is intact
    assert sorted(p.name for p in audits.iterdir()) == ["2026-10", "journal.txt"]  # no staging, no lock left
    only(tmp_path, "export", "audits")


def test_a_mail_server_that_is_down_is_said_in_french(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "config.toml"
    config.write_text(f'[notification]\nserveur = "127.0.0.1"\nport = {port}\nexpediteur = "a@ml.fr"\n'
                      'destinataires = ["q@ml.fr"]\n', encoding="utf-8")
    write_table(tmp_path / "export", "jeunes", [youth("J1")])
    done = imilo_audit("run", tmp_path / "export", "--out", tmp_path / "audits", "--month", "2026-10", "--config",
                       config, "--quiet")
    assert done.returncode == 0 and "ne répond pas" in done.stderr
    french_only(done.stderr)
    only(tmp_path, "config.toml", "export", "audits")
    assert "ConnectionRefusedError" in (tmp_path / "audits" / "journal.txt").read_text(encoding="utf-8")


def test_the_example_key_is_refused(tmp_path):
    example = (Path(__file__).resolve().parents[2] / "imilo-audit.exemple.toml").read_text(encoding="utf-8")
    line = next(line.lstrip("# ") for line in example.splitlines() if line.lstrip("# ").startswith("cle ="))
    config = tmp_path / "config.toml"
    config.write_text(f"[pseudonymisation]\n{line}\n", encoding="utf-8")
    write_table(tmp_path / "export", "jeunes", [youth("J1")])
    audits = tmp_path / "audits"
    assert imilo_audit("run", tmp_path / "export", "--out", audits, "--month", "2026-10", "--quiet").returncode == 0
    before = fingerprint(audits / "2026-10")
    done = imilo_audit("run", tmp_path / "export", "--out", audits, "--month", "2026-10", "--config",
                       config, "--pseudonymise", "--quiet")
    assert done.returncode == 2 and "celle de l'exemple" in done.stderr
    french_only(done.stderr)
    assert fingerprint(audits / "2026-10") == before  # the previous audit is intact
    only(tmp_path, "config.toml", "export", "audits")
