"""The fast reading paths (pyarrow CSV, python-calamine, vectorised typing) give what the slow ones gave."""

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from imilo_audit.errors import UnreadableFileError
from imilo_audit.exports import TABLES, parse_amounts, parse_dates, read_table
from imilo_audit.exports import delimited as delimited_module
from imilo_audit.exports import sheet as sheet_module
from imilo_audit.exports.delimited import read_delimited
from imilo_audit.exports.excel import NA_TEXTS, read_workbook
from imilo_audit.exports.sheet import strip_text
from imilo_audit.exports.values import DATE_FORMATS

SPACES = [chr(c) for c in (*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B))] + [
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
]
TRICKY_FILES = {
    "quotes": 'Identifiant jeune;Voie;Complément\r\n1;"3; rue ""Lilas""";"Bât. A\r\nEscalier 2"\r\n2;Rue Haute;\r\n',
    "blank and spaced": "\n Identifiant jeune ; Nom \n\n  1 ;  Dupont  \n   \n;;\n2;Durand\n\n",
    "trailing separators": "Identifiant jeune;Nom\n1;Dupont;\n2;Durand;;\n3\n",
    "old Mac line ends": "Identifiant jeune;Nom;Prénom\r\r;Dupont;Jean\r2;;Léa\r",
    "quote inside a value": 'Identifiant jeune;Nom\n1;O"Neil\n2;"Du"pont\n',
    "no quote at all": "Identifiant jeune|Nom\n1|Dupont\n2| Durand\u00a0\n",
    "empty quoted values": 'Identifiant jeune,Nom\n"1",""\n"2"," "\n',
    "one column": "Identifiant jeune\n\n1\n  \n2",
}


def write(tmp_path, content, name="jeunes.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_with_pandas_only(path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(delimited_module, "_read_grid_arrow", lambda payload, sep: None)
        return read_delimited(path)


def assert_same_sheet(left, right):
    assert left.headers == right.headers
    pd.testing.assert_frame_equal(left.body, right.body)


@pytest.mark.parametrize("name", list(TRICKY_FILES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_pyarrow_and_pandas_parsers_agree(tmp_path, monkeypatch, name, encoding):
    path = write(tmp_path, TRICKY_FILES[name], encoding=encoding)
    assert_same_sheet(read_delimited(path), read_with_pandas_only(path, monkeypatch))


def test_unclosed_quote_at_the_end_is_still_refused(tmp_path):
    # pyarrow would read the rest of the file as the last value; pandas refuses it.
    with pytest.raises(UnreadableFileError, match="guillemet"):
        read_delimited(write(tmp_path, 'Identifiant jeune;Nom\n1;Dupont\n2;"Durand\n'))


@pytest.mark.parametrize("shift", range(6))
def test_quoted_crlf_across_a_block_boundary_keeps_its_lf(tmp_path, monkeypatch, shift):
    # pyarrow drops the LF of a quoted CRLF split between two blocks: block sizes avoid it.
    monkeypatch.setattr(delimited_module, "_ARROW_BLOCK", 64)
    values = [f"Bât. {'x' * ((i + shift) % 7)}\r\nEscalier {i}" for i in range(40)]
    rows = ["Identifiant jeune;Complément"] + [f'{i};"{value}"' for i, value in enumerate(values)]
    sheet = read_delimited(write(tmp_path, "\r\n".join(rows) + "\r\n"))
    assert sheet.body[1].tolist() == values


def test_a_lost_lf_sends_the_file_to_pandas(tmp_path, monkeypatch):
    content = 'Identifiant jeune;Complément\r\n1;"A\r\nB"\r\n'.encode()
    cut = content.index(b"\n", content.index(b'"'))  # the block ends between CR and LF
    monkeypatch.setattr(delimited_module, "_block_size", lambda payload: cut)
    sheet = read_delimited(write(tmp_path, content))
    assert sheet.body[1].tolist() == ["A\r\nB"]


@pytest.mark.parametrize("space", SPACES)
def test_trim_check_sees_every_space(space):
    for text in (space + "é", "é" + space, space, "Zoé" + space + space, space + "€"):
        values = pa.array(["abc", text, None], type=pa.large_string())
        assert sheet_module._may_need_trim(values)
        stripped = strip_text(pd.Series(values.to_pylist(), dtype="string")).iloc[1]
        assert stripped == text.strip() if text.strip() else pd.isna(stripped)


def test_trim_check_skips_clean_text():
    clean = ["Zoé", "à", "ï", "Œuvre", "l’", "x…", "12 €", "1 234,56", "", None, "a\u200bb", "\ufeff"]
    assert not sheet_module._may_need_trim(pa.array(clean, type=pa.large_string()))


def test_strip_text_as_pandas_strips():
    values = ["  a ", "\u00a0b\u202f", " ", "", None, "c\u3000", "\u2028d", "é", "\u200bzero-width\u200b"]
    expected = pd.Series(values, dtype="string").str.strip()
    expected = expected.mask(expected == "")
    for series in (pd.Series(values, dtype="string"), pd.Series(values, dtype=object)):
        pd.testing.assert_series_equal(strip_text(series), expected)


def workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Jeunes"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_excel_missing_value_texts_stay_missing(tmp_path):
    """The texts pandas.read_excel read as missing values still are (text cells only, before stripping)."""
    rows = [["Identifiant jeune", "Note"]] + [[str(i), text] for i, text in enumerate(NA_TEXTS)] + [["x", " NA "]]
    sheet = read_workbook(workbook(tmp_path / "jeunes.xlsx", rows), "jeunes")
    notes = sheet.body[1].astype(object).where(sheet.body[1].notna(), None).tolist()
    assert notes == [None] * len(NA_TEXTS) + ["NA"]


def test_excel_equal_values_of_other_types_render_apart(tmp_path):
    rows = [["Identifiant jeune", "Valeur"], ["a", True], ["b", 1], ["c", 1.0], ["d", "1"], ["e", dt.date(2026, 1, 2)]]
    sheet = read_workbook(workbook(tmp_path / "jeunes.xlsx", rows), "jeunes")
    assert sheet.body[1].tolist() == ["VRAI", "1", "1", "1", "02/01/2026"]


def reference_dates(values):
    """The days of the dates as pandas parses them, one format at a time (the reader before its fixed-width path)."""
    text = pd.Series(values, dtype="string")
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    colons = text.str.count(":")
    for (sep, n_colons), formats in DATE_FORMATS.items():
        for fmt in formats:  # the first format that reads a text wins
            candidates = (text.str.contains(sep, regex=False) & (colons == n_colons)).fillna(False).astype(bool)
            candidates &= result.isna()
            if candidates.any():
                parsed = pd.to_datetime(text[candidates], format=fmt, errors="coerce").astype("datetime64[us]")
                result[candidates] = parsed
    return result.dt.floor("D")  # rules.md "dates": the calendar day, whatever the time


def test_fixed_width_dates_as_pandas_reads_them():
    values = [
        "01/02/2000",
        "29/02/2000",
        "29/02/1900",
        "31/04/2026",
        "00/01/2026",
        "01/13/2026",
        "01/01/0000",
        "01/01/1500",
        "31/12/9999",
        "01/02/2000 23:59",
        "01/02/2000 24:00",
        "01/02/2000 10:60",
        "01/02/2000 10:30:59",
        "01/02/2000 10:30:60",
        "2000-02-29",
        "2001-02-29",
        "0000-01-01",
        "2000-02-01 10:30:61",
        "2000-02-01T10:30:00",
        "1/2/2000",
        "01/02/2000 1:2",
        "0a/02/2000",
        "01-02-2000",
        "01/02-2000",
        None,
    ]
    pd.testing.assert_series_equal(parse_dates(pd.Series(values, dtype="string")), reference_dates(values))


def test_random_fixed_width_dates_as_pandas_reads_them():
    rng = np.random.default_rng(7)
    days, months = rng.integers(0, 33, 3000), rng.integers(0, 14, 3000)
    years, hours = rng.integers(1590, 2410, 3000), rng.integers(0, 26, 3000)
    values = [
        f"{d:02d}/{m:02d}/{y:04d}" + (f" {h:02d}:{d:02d}" if h % 2 else "") if y % 2 else f"{y:04d}-{m:02d}-{d:02d}"
        for d, m, y, h in zip(days, months, years, hours, strict=True)
    ]
    pd.testing.assert_series_equal(parse_dates(pd.Series(values, dtype="string")), reference_dates(values))


def test_amounts_repeat_and_keep_their_index():
    text = pd.Series(["1 234,56 €", None, "1 234,56 €", "x", "12"], index=[3, 1, 4, 1, 5], dtype="string")
    parsed = parse_amounts(text)
    assert list(parsed.index) == [3, 1, 4, 1, 5]
    assert parsed.astype(object).where(parsed.notna(), None).tolist() == [1234.56, None, 1234.56, None, 12.0]


@pytest.mark.parametrize("ignored_every", [2, 1000])
def test_ignored_rows_many_or_few(tmp_path, ignored_every):
    lines = ["ID jeune;Type de ressource;Montant"]
    lines += [f"{'' if i % ignored_every == 0 else i};Salaire;{i},5" for i in range(1, 2001)]
    table = read_table(write(tmp_path, "\n".join(lines) + "\n", name="ressources.csv"), TABLES["ressources"])
    kept = [i for i in range(1, 2001) if i % ignored_every]
    assert table.lignes_ignorees == 2000 - len(kept)
    assert table.data["id_jeune"].tolist() == [str(i) for i in kept]
    assert table.data["id_ressource"].tolist() == [f"L{i}" for i in kept]
    assert table.data["montant"].tolist() == [i + 0.5 for i in kept]
    assert table.brut["montant"].tolist() == [f"{i},5" for i in kept]
    assert table.data.index.equals(pd.RangeIndex(len(kept))) and table.brut.index.equals(table.data.index)
    assert table.data["id_jeune"].dtype == "string" and table.brut["montant"].dtype == "string"
