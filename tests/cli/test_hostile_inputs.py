"""A hostile corpus built from data_samples/: every bad input gets a French message, the right code, no guess.

Most cases are read in-process (``read_export`` raising the InputError whose message the command
prints); a few representative ones, and the command-line checks, go through the real command.
For each: the message names the file and says what to do, holds no English fragment, the export's
bytes are unchanged and no staged folder is left in the audits folder.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, write_table, youth

from imilo_audit.cli import command_line as cli
from imilo_audit.errors import ExportFolderError, InputError
from imilo_audit.exports import read_export
from imilo_audit.exports.discovery import check_export_folder
from imilo_audit.folders import checks as folders
from imilo_audit.report.offline import external_requests

JEUNES = "jeunes_2026-10.csv"  # Windows-1252, CRLF, ';', one quoted complement on two lines
# What must never reach the user: Python's or a library's English words, an exception's name.
ENGLISH = re.compile(
    r"Traceback|Error\b|Exception|usage:|\b(?:Cannot|cannot|denied|larger than|expected|invalid|not allowed|"
    r"No such file|Is a directory|unexpected|field limit|choose from)\b"
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_french(message: str, *names: str) -> None:
    assert not ENGLISH.search(message), message
    for name in names:
        assert name in message, (name, message)


@pytest.fixture
def export(tmp_path) -> Path:
    """A copy of data_samples/ (the tests damage the copy, never the sample)."""
    folder = tmp_path / "export"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("attendus.csv", "README.md"))
    return folder


def refused(folder: Path, *names: str) -> str:
    """The French message reading ``folder`` gives; the folder's bytes are unchanged."""
    before = fingerprint(folder) if folder.is_dir() else None
    with pytest.raises(InputError) as err:
        read_export(folder)
    message = str(err.value)
    assert_french(message, *names)
    if before is not None:
        assert fingerprint(folder) == before
    return message


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")  # one item per physical line (the CR stays at its end)


def quiet_lines(lines: list[bytes], start: int, count: int) -> int:
    """The first line index from ``start`` whose ``count`` following lines hold no quote."""
    return next(i for i in range(start, len(lines)) if all(b'"' not in line for line in lines[i : i + count]))


def open_quote(line: bytes, field: int) -> bytes:
    cells = line.split(b";")
    cells[field] = b'"' + cells[field]
    return b";".join(cells)


def close_quote(line: bytes, field: int) -> bytes:
    cells = line.split(b";")
    cells[field] = cells[field] + b'"'
    return b";".join(cells)


# --- reading that refuses to guess ----------------------------------------------------------------


def test_the_sample_is_read_with_its_multiline_values(export):
    tables = read_export(export).tables
    assert tables["jeunes"].lignes == 3001
    assert tables["jeunes"].data["adresse_complement"].str.contains("\n", regex=False).any()  # a free-text field


@pytest.mark.parametrize(("field", "column"), [(1, "Nom d'usage"), (3, "Prénom")])
def test_a_quote_closed_five_lines_later_is_refused_at_its_line(export, field, column):
    path = export / JEUNES
    lines = lines_of(path)
    i = quiet_lines(lines, 1000, 6)
    lines[i], lines[i + 5] = open_quote(lines[i], field), close_quote(lines[i + 5], 1)
    path.write_bytes(b"\n".join(lines))
    refused(export, JEUNES, f"ligne {i + 1}", f"ligne {i + 6}", column, "guillemet", "réexportez")


def test_a_quote_never_closed_is_refused_at_its_line(export):
    path = export / JEUNES
    lines = lines_of(path)
    i = quiet_lines(lines, len(lines) - 700, 1)
    lines[i] = open_quote(lines[i], 1)
    path.write_bytes(b"\n".join(lines))
    message = refused(export, JEUNES, f"ligne {i + 1}", "jamais refermé", "Nom d'usage")
    assert "Détail" not in message


def test_a_quote_never_closed_in_the_last_column_is_refused(export):
    path = export / JEUNES
    lines = lines_of(path)
    i = quiet_lines(lines, len(lines) - 20, 1)
    cells = lines[i].rstrip(b"\r").split(b";")
    cells[-1] = b'"' + cells[-1]
    lines[i] = b";".join(cells) + b"\r"
    path.write_bytes(b"\n".join(lines))
    refused(export, JEUNES, f"ligne {i + 1}", "jamais refermé")


def test_a_free_text_column_that_swallows_records_is_refused(export):
    # « Complément d'adresse » may hold a line break, not whole records.
    path = export / JEUNES
    lines = lines_of(path)
    i = quiet_lines(lines, 200, 4)
    lines[i], lines[i + 3] = open_quote(lines[i], 11), close_quote(lines[i + 3], 11)
    path.write_bytes(b"\n".join(lines))
    refused(export, JEUNES, f"ligne {i + 1}", "Complément d'adresse")


def test_a_line_break_where_the_export_never_has_one_is_refused(export):
    path = export / "Ressources.csv"  # UTF-8 with BOM, ',' separator, a « Commentaire » column
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\n")
    i = next(k for k in range(10, len(lines)) if '"' not in lines[k] and '"' not in lines[k + 1])
    cells = lines[i].split(",")
    cells[1] = '"' + cells[1]  # « Type de ressource »: closed on the next line, same column
    nxt = lines[i + 1].split(",")
    nxt[1] = nxt[1] + '"'
    lines[i], lines[i + 1] = ",".join(cells), ",".join(nxt)
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    refused(export, "Ressources.csv", f"ligne {i + 1}", "Type de ressource")


def test_a_comment_on_two_lines_is_kept(export):
    ressources = read_export(export).tables["ressources"]
    assert ressources.lignes == 4602  # the sample's « Commentaire » on two lines counts once


def test_old_mac_line_ends_with_a_stray_quote_are_refused(export):
    path = export / JEUNES
    lines = lines_of(path)
    i = quiet_lines(lines, 100, 6)
    lines[i], lines[i + 5] = open_quote(lines[i], 1), close_quote(lines[i + 5], 1)
    path.write_bytes(b"\r".join(line.rstrip(b"\r") for line in lines))
    refused(export, JEUNES, "guillemet", "Nom d'usage")


def test_a_utf8_file_with_one_windows_1252_line_is_refused(export):
    path = export / JEUNES
    text = path.read_bytes().decode("cp1252")
    lines = text.split("\n")
    i = next(k for k in range(1500, len(lines)) if "é" in lines[k])
    data = b"\n".join(line.encode("cp1252" if k == i else "utf-8") for k, line in enumerate(lines))
    path.write_bytes(data)
    refused(export, JEUNES, f"ligne {i + 1}", "encodages", "UTF-8", "Windows-1252", "Réexportez")


def test_a_windows_1252_file_with_a_pair_that_looks_like_utf8_is_read(export):
    path = export / JEUNES
    text = path.read_bytes().decode("cp1252").replace("LAURENT", "LAURÃ©NT", 1)  # « Ã© » typed as is
    path.write_bytes(text.encode("cp1252"))
    assert read_export(export).tables["jeunes"].lignes == 3001


# --- files that are not what their name says --------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "vide"),
        (b"\r\n  \n\n", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binaire"),
        ("Identifiant jeune;Nom\n1;Dupont\n".encode("utf-16"), "UTF-16"),
        (b"Identifiant jeune;Nom\n1;Dupont\n2;Dur\x81nd\n", "0x81"),
        (b"\xef\xbb\xbfIdentifiant jeune;Nom\n1;Dupont\n2;Dur\xe9\n", "UTF-8"),
        (b"Compte rendu de la reunion du 3 octobre\nRien a signaler\n", "Identifiant jeune"),
        (b"Identifiant jeune;Nom\n1;Dupont\n2;Du;rand\n", "plus de champs"),
        (b"ID jeune;Id jeune;Nom\n1;1;Dupont\n", "deux colonnes"),  # the same header twice (exports.md)
    ],
    ids=["empty", "blank", "binary", "utf16", "undecodable", "bad-utf8-after-bom", "not-a-table", "misaligned",
         "two-columns-one-field"],
)
def test_a_jeunes_file_that_cannot_be_used(export, content, expected):
    (export / JEUNES).write_bytes(content)
    refused(export, JEUNES, expected)


def test_a_file_with_headers_only_gives_zero_rows(export):
    path = export / "Ressources.csv"
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")
    assert read_export(export).tables["ressources"].lignes == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Identifiant situation;Identifiant jeune\nF1;1\n", "fichier texte"),
        (b"\x00\x01\x02garbage" * 100, "pas un classeur"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512, "mot de passe"),
        (b"", "vide"),
    ],
    ids=["csv-named-xlsx", "random", "encrypted", "empty"],
)
def test_an_xlsx_that_is_not_a_workbook(export, content, expected):
    (export / "formations.xlsx").write_bytes(content)
    message = refused(export, "formations.xlsx", expected)
    assert re.search("réexportez|renommez|ouvrez", message, re.IGNORECASE)


def test_a_truncated_or_foreign_zip_named_xlsx(export):
    path = export / "formations.xlsx"
    path.write_bytes(path.read_bytes()[:30_000])
    refused(export, "formations.xlsx", "endommagé")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("document.txt", "pas un classeur")
    refused(export, "formations.xlsx", "Réexportez")


def test_two_files_for_one_table(export):
    shutil.copy(export / "Ressources.csv", export / "ressources_bis.csv")
    refused(export, "Ressources.csv", "ressources_bis.csv", "plusieurs fichiers")


def test_no_jeunes_file(export):
    (export / JEUNES).rename(export / "jeunes.pdf")
    refused(export, "jeunes", "jeunes.pdf", ".csv")


def test_a_required_column_missing(export):
    path = export / "dispositifs.csv"
    text = path.read_bytes().decode("cp1252")
    header, rest = text.split("\n", 1)
    path.write_bytes((header.replace("Dispositif|", "Nature|", 1) + "\n" + rest).encode("cp1252"))
    refused(export, "dispositifs.csv", "Dispositif", "alias")


def test_a_file_that_cannot_be_opened(export, monkeypatch):
    target = export / JEUNES
    opened = Path.open

    def deny(self, *args, **kwargs):
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError) as err:
        read_export(export)
    assert_french(str(err.value), JEUNES, "accès refusé")


def test_an_export_path_that_is_a_file(export):
    with pytest.raises(ExportFolderError) as err:
        check_export_folder(export / JEUNES)
    assert_french(str(err.value), JEUNES, "n'est pas un dossier, c'est un fichier")
    refused(export / JEUNES, "c'est un fichier")


def test_duplicate_identifiers_are_findings_not_errors(export):
    path = export / JEUNES
    lines = lines_of(path)
    path.write_bytes(b"\n".join([*lines[:-1], lines[1] + b"\n"]))
    assert read_export(export).tables["jeunes"].lignes == 3002


# --- the real command ---------------------------------------------------------------------------


def command(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "imilo_audit.cli", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _out, err = process.communicate(timeout=600)
    return process.returncode, err


def assert_nothing_staged(audits: Path) -> None:
    if audits.is_dir():
        left = [p.name for p in audits.iterdir() if p.name.startswith(".") or p.name == "2026-10"]
        assert left == [], left


def test_bad_exports_through_the_real_command(tmp_path):
    """Three damaged copies of the sample, run at once: exit 2, the French message, nothing changed or left."""
    cases = {}
    for name in ("guillemet", "encodages", "classeur"):
        folder = tmp_path / name
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("attendus.csv", "README.md"))
        cases[name] = folder
    lines = lines_of(cases["guillemet"] / JEUNES)
    i = quiet_lines(lines, 1000, 6)
    lines[i], lines[i + 5] = open_quote(lines[i], 1), close_quote(lines[i + 5], 1)
    (cases["guillemet"] / JEUNES).write_bytes(b"\n".join(lines))
    text = (cases["encodages"] / JEUNES).read_bytes().decode("cp1252").split("\n")
    bad = next(k for k in range(2000, len(text)) if "é" in text[k])
    (cases["encodages"] / JEUNES).write_bytes(
        b"\n".join(line.encode("cp1252" if k == bad else "utf-8") for k, line in enumerate(text)))
    (cases["classeur"] / "formations.xlsx").write_bytes(b"Identifiant situation;Identifiant jeune\nF1;1\n")
    expected = {"guillemet": (JEUNES, f"ligne {i + 1}", "guillemet"),
                "encodages": (JEUNES, "encodages", f"ligne {bad + 1}"),
                "classeur": ("formations.xlsx", "fichier texte")}
    before = {name: fingerprint(folder) for name, folder in cases.items()}
    running = {name: command("run", folder, "--out", tmp_path / f"audits-{name}", "--month", "2026-10", "--quiet")
               for name, folder in cases.items()}
    for name, process in running.items():
        code, err = finished(process)
        assert code == 2, err
        assert err.startswith("Erreur : ")
        assert_french(err, *expected[name])
        assert fingerprint(cases[name]) == before[name]
        assert_nothing_staged(tmp_path / f"audits-{name}")


def test_command_line_problems_exit_2_in_french_before_any_kernel(tmp_path):
    export = tmp_path / "export"
    write_table(export, "jeunes", [youth("J1")])
    a_file = tmp_path / "un-fichier.txt"
    a_file.write_text("x", encoding="utf-8")
    configs = {
        "seuils": "seuils = 3\n",
        "perimetre": "[seuils]\nperimetre_mois = 100000000\n",
        "toml": "[seuils\nperimetre_mois = 12\n",
        "alias": "alias = 3\n",
    }
    for name, content in configs.items():
        (tmp_path / f"{name}.toml").write_text(content, encoding="utf-8")
    out = ["--out", tmp_path / "audits"]
    cases = [
        (["run", export, "--month", "2026-10", "--date-reference", "2026-10-15", *out],
         ("--month", "--date-reference", "ne vont pas ensemble")),
        (["run", export, "--month", "2026-10", "--bogus", *out], ("--bogus", "inconnu")),
        (["run", export, "--engine", "autre", *out], ("--engine", "pandas")),
        (["run", export, "--date-reference", "0001-01-15", *out], ("0001-01-15", "2000", "2100")),
        (["run", export, "--month", "2200-01", *out], ("2200-01", "2100")),
        (["run", export / "jeunes.csv", "--month", "2026-10", *out], ("jeunes.csv", "c'est un fichier")),
        (["run", tmp_path / "nulle-part", "--month", "2026-10", *out], ("nulle-part", "n'existe pas")),
        (["run", export, "--month", "2026-10", "--out", a_file], ("un-fichier.txt", "est un fichier")),
        (["run", export, "--month", "2026-10", "--out", a_file / "audits"], ("un-fichier.txt", "est un fichier")),
        (["run", export, "--month", "2026-10", "--config", tmp_path, *out], (str(tmp_path), "est un dossier")),
        (["run", export, "--month", "2026-10", "--config", tmp_path / "seuils.toml", *out],
         ("seuils.toml", "section")),
        (["run", export, "--month", "2026-10", "--config", tmp_path / "perimetre.toml", *out],
         ("perimetre.toml", "perimetre_mois", "de 0 à 600")),
        (["run", export, "--month", "2026-10", "--config", tmp_path / "toml.toml", *out], ("toml.toml", "ligne 1")),
        (["run", export, "--month", "2026-10", "--config", tmp_path / "alias.toml", *out], ("alias.toml", "section")),
    ]
    before = fingerprint(export)
    running = [(command(*args), expected) for args, expected in cases]
    for process, expected in running:
        code, err = finished(process)
        assert code == 2, (expected, err)
        assert_french(err, *expected)
    assert fingerprint(export) == before
    assert_nothing_staged(tmp_path / "audits")


def test_a_read_only_audits_folder_is_said_in_french(tmp_path, monkeypatch, capsys):
    export = tmp_path / "export"
    write_table(export, "jeunes", [youth("J1")])

    def read_only(*_args, **_kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(folders.tempfile, "mkstemp", read_only)
    with pytest.raises(InputError) as err:
        folders.check_audits_dir(tmp_path / "audits")
    assert_french(str(err.value), "audits", "lecture seule", "--out")


def test_argparse_messages_are_french():
    assert cli.argparse_message_fr("argument --month: not allowed with argument --date-reference") == (
        "--month et --date-reference ne vont pas ensemble : donnez l'un ou l'autre.")
    assert "anything" not in cli.argparse_message_fr("anything else")
    help_text = cli._parser().format_help()
    assert "Utilisation" in help_text and "usage" not in help_text and "show this help" not in help_text


def test_corrupt_earlier_audits_are_skipped_with_a_warning(tmp_path):
    """Earlier months' summary.json ([], not UTF-8, an odd field) and findings.csv (unreadable) are skipped.

    The same run holds a youth whose text reads ``url(//…)``: the page shows it, escaped, and the
    offline check does not mistake it for a request.
    """
    export = tmp_path / "export"
    hostile = "Antenne url(//evil.example.org/x.png) @import '//evil.example.org/y.css'"
    write_table(export, "jeunes", [youth("J1", lieu_rattachement=hostile, adresse_normalisee="Non"), youth("J2")])
    audits = tmp_path / "audits"
    earlier = {
        "2026-06": (b"[]", None),
        "2026-07": (b"\xff\xfe\x00{", None),
        "2026-08": (json.dumps({"date_reference": "2026-08-31", "regles": "beaucoup"}).encode(), b"\x00\x01\xff"),
        "2026-09": (json.dumps({"date_reference": 5}).encode(), b""),
    }
    for month, (summary, findings) in earlier.items():
        (audits / month).mkdir(parents=True)
        (audits / month / "summary.json").write_bytes(summary)
        if findings is not None:
            (audits / month / "findings.csv").write_bytes(findings)
    code, err = finished(command("run", export, "--out", audits, "--month", "2026-10"))
    assert code == 0, err
    assert "Traceback" not in err
    for month in earlier:
        assert f"{month}/summary.json" in err, err
    for month in ("2026-08", "2026-09"):
        assert f"{month}/findings.csv" in err, err
    index = (audits / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert "url(//evil.example.org/x.png)" in index and external_requests(index) == []
    assert_nothing_staged_but_the_audit(audits)


def assert_nothing_staged_but_the_audit(audits: Path) -> None:
    assert [p.name for p in audits.iterdir() if p.name.startswith(".")] == []


def test_offline_check_reads_what_the_page_loads():
    assert external_requests("<td>url(//x.org/a.png) &lt;img src=//x.org&gt; @import '//x.org/b.css'</td>") == []
    assert external_requests("<p title=\"url(//x.org)\">a</p>") == []
    assert external_requests('<div style="background: url(//x.org/a.png)">a</div>')
    assert external_requests('<img srcset="a.png 1x, https://x.org/b.png 2x">')
    assert external_requests("<style>@import '//x.org/b.css';</style>")
    assert external_requests('<svg><image href="https://x.org/a.png"/></svg>')
    assert external_requests("<style>/* url(//x.org) */ p { color: red }</style>") == []
