"""Finding the file of each table in an export folder."""

import pytest

from imilo_audit.errors import ExportFolderError, InputError
from imilo_audit.exports import find_table_files
from imilo_audit.exports.discovery import table_of


def touch(folder, *names):
    for name in names:
        (folder / name).write_text("Identifiant jeune\n1\n", encoding="utf-8")


def test_names_start_with_the_table_case_and_accents_ignored(tmp_path):
    touch(
        tmp_path,
        "JEUNES_2026-10.csv",
        "Ressources.xlsx",
        "événements.txt",
        "Evénements_notes.pdf",
        "lisez-moi.txt",
        "dispositifs.CSV",
    )
    (tmp_path / "formations").mkdir()  # a sub-folder is not a file
    files = find_table_files(tmp_path)
    assert {t: p.name for t, p in files.items()} == {
        "jeunes": "JEUNES_2026-10.csv",
        "ressources": "Ressources.xlsx",
        "dispositifs": "dispositifs.CSV",
        "evenements": "événements.txt",
    }
    assert list(files) == ["jeunes", "ressources", "dispositifs", "evenements"]  # schema order


def test_decomposed_accents_match_too():
    assert table_of("e\u0301ve\u0301nements.csv") == "evenements"
    assert table_of("jeune.csv") is None


def test_two_files_for_one_table_names_both(tmp_path):
    touch(tmp_path, "jeunes.csv", "ressources_a.csv", "Ressources_b.xlsx")
    with pytest.raises(ExportFolderError) as err:
        find_table_files(tmp_path)
    assert "ressources_a.csv" in str(err.value) and "Ressources_b.xlsx" in str(err.value)
    assert isinstance(err.value, InputError)


def test_missing_folder(tmp_path):
    with pytest.raises(ExportFolderError, match="n'existe pas"):
        find_table_files(tmp_path / "absent")


def test_a_file_is_not_a_folder(tmp_path):
    touch(tmp_path, "jeunes.csv")
    with pytest.raises(ExportFolderError, match="n'est pas un dossier"):
        find_table_files(tmp_path / "jeunes.csv")


def test_no_jeunes_file(tmp_path):
    touch(tmp_path, "ressources.csv", "jeunes.pdf")
    with pytest.raises(ExportFolderError) as err:
        find_table_files(tmp_path)
    message = str(err.value)
    assert "« jeunes »" in message
    assert "jeunes.pdf" in message and ".xls" in message  # the unsupported file is pointed out, with what is read
