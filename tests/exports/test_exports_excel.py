"""Reading .xlsx workbooks: sheet choice, cells "as read", unreadable workbooks."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from imilo_audit.errors import UnreadableFileError
from imilo_audit.exports.excel import read_workbook, render_cell


def workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def records(sheet):
    return sheet.body.astype(object).where(sheet.body.notna(), None).values.tolist()


def test_sheet_named_like_the_table_among_others(tmp_path):
    path = workbook(
        tmp_path / "export.xlsx",
        {
            "Lisez-moi": [["Export du 31/10/2026"]],
            "Événements": [["Identifiant jeune", "Date"], ["1", "01/10/2026"]],
            "Jeunes": [["Identifiant jeune"], ["9"]],
        },
    )
    assert read_workbook(path, "evenements").headers == ["Identifiant jeune", "Date"]
    assert records(read_workbook(path, "jeunes")) == [["9"]]


def test_first_sheet_otherwise(tmp_path):
    path = workbook(tmp_path / "jeunes.xlsx", {"Feuil1": [["Identifiant jeune"], [" A1 "]], "Feuil2": [["x"]]})
    sheet = read_workbook(path, "jeunes")
    assert sheet.headers == ["Identifiant jeune"]
    assert records(sheet) == [["A1"]]


def test_cells_are_rendered_as_read(tmp_path):
    path = workbook(
        tmp_path / "jeunes.xlsx",
        {
            "Jeunes": [
                ["Identifiant jeune", "Date", "Montant", "Pas de NIR", "CP"],
                [12345, dt.datetime(2000, 2, 1), 1234.5, True, "01000"],
                [None, None, None, None, None],
                ["A2", dt.datetime(2000, 2, 1, 10, 30), 3.0, False, 1000],
                ["A3", "01/02/2000", 0.1, "Oui", None],
            ]
        },
    )
    sheet = read_workbook(path, "jeunes")
    assert records(sheet) == [
        ["12345", "01/02/2000", "1234.5", "VRAI", "01000"],
        ["A2", "01/02/2000 10:30:00", "3", "FAUX", "1000"],
        ["A3", "01/02/2000", "0.1", "Oui", None],
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (float("nan"), None),
        (7, "7"),
        (7.0, "7"),
        (1e-07, "0.0000001"),
        (1.5e20, "150000000000000000000"),
        (dt.datetime(2026, 10, 31), "31/10/2026"),
        (dt.datetime(2026, 10, 31, 8, 5, 9), "31/10/2026 08:05:09"),
        (dt.datetime(2026, 10, 31, 8, 5, 9, 999_999), "31/10/2026 08:05:10"),
        (dt.date(2026, 1, 2), "02/01/2026"),
        (dt.time(9, 30), "09:30:00"),
        (True, "VRAI"),
    ],
)
def test_render_cell(value, text):
    assert render_cell(value) == text


def test_empty_sheet(tmp_path):
    path = workbook(tmp_path / "jeunes.xlsx", {"Jeunes": []})
    with pytest.raises(UnreadableFileError, match="vide"):
        read_workbook(path, "jeunes")


def truncated(tmp_path):
    path = workbook(tmp_path / "source.xlsx", {"Jeunes": [["Identifiant jeune"], ["1"]]})
    data = path.read_bytes()
    return data[: len(data) // 2]


def missing_sheet_part(tmp_path):
    path = workbook(tmp_path / "source.xlsx", {"Jeunes": [["Identifiant jeune"], ["1"]]})
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if "worksheets" not in item.filename:
                dst.writestr(item, src.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: b"", "0 octet"),
        (lambda tmp: b"Identifiant jeune;Nom\n1;Dupont\n", "n'est pas un classeur Excel"),
        (lambda tmp: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024), "mot de passe"),
        (truncated, "endommagé ou incomplet"),
        (missing_sheet_part, "endommagé"),
    ],
)
def test_unreadable_workbooks_get_a_french_message(tmp_path, make, fragment):
    path = tmp_path / "jeunes.xlsx"
    path.write_bytes(make(tmp_path))
    with pytest.raises(UnreadableFileError) as err:
        read_workbook(path, "jeunes")
    assert fragment in str(err.value)
    assert str(path) in str(err.value)
