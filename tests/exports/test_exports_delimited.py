"""Reading delimited text: encodings, separators, quoting, blank lines, unreadable files."""

import codecs

import pytest

from imilo_audit.errors import InputError, UnreadableFileError
from imilo_audit.exports.delimited import detect_separator, read_delimited


def write(tmp_path, content, name="jeunes.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def records(sheet):
    return sheet.body.astype(object).where(sheet.body.notna(), None).values.tolist()


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("utf-8", b""), ("utf-8", codecs.BOM_UTF8)],
)
def test_encodings(tmp_path, encoding, prefix):
    content = "Identifiant jeune;Prénom;Commune\n1;Zoé;Saint-Étienne\n2;Noël;Besançon\n"
    sheet = read_delimited(write(tmp_path, prefix + content.encode(encoding)))
    assert sheet.headers == ["Identifiant jeune", "Prénom", "Commune"]
    assert records(sheet) == [["1", "Zoé", "Saint-Étienne"], ["2", "Noël", "Besançon"]]


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_separators(tmp_path, sep):
    rows = [["Identifiant jeune", "Nom", "Montant"], ["1", "Dupont", "12,5"], ["2", "Durand", "1 234,56"]]
    quoted = [[f'"{c}"' if sep == "," and "," in c else c for c in row] for row in rows]
    sheet = read_delimited(write(tmp_path, "\n".join(sep.join(r) for r in quoted) + "\n"))
    assert sheet.headers == rows[0]
    assert records(sheet) == rows[1:]


def test_comma_in_values_does_not_fool_the_semicolon(tmp_path):
    content = "Identifiant jeune;Montant;Commentaire\n" + "".join(f"{i};1,5;a, b, c\n" for i in range(30))
    assert detect_separator(content) == ";"
    assert read_delimited(write(tmp_path, content)).body.shape == (30, 3)


def test_single_column_file(tmp_path):
    sheet = read_delimited(write(tmp_path, "Identifiant jeune\n1\n2\n"))
    assert sheet.headers == ["Identifiant jeune"]
    assert records(sheet) == [["1"], ["2"]]


def test_quoted_separators_quotes_and_line_breaks(tmp_path):
    content = 'Identifiant jeune;Voie;Complément\r\n1;"3; rue ""des Lilas""";"Bât. A\r\nEscalier 2"\r\n2;Rue Haute;\r\n'
    sheet = read_delimited(write(tmp_path, content))
    assert records(sheet) == [["1", '3; rue "des Lilas"', "Bât. A\r\nEscalier 2"], ["2", "Rue Haute", None]]


def test_blank_lines_and_surrounding_spaces(tmp_path):
    content = "\n Identifiant jeune ; Nom \n\n  1 ;  Dupont  \n   \n;;\n2;Durand\n\n"
    sheet = read_delimited(write(tmp_path, content))
    assert sheet.headers == ["Identifiant jeune", "Nom"]
    assert records(sheet) == [["1", "Dupont"], ["2", "Durand"]]


def test_trailing_separators_are_tolerated(tmp_path):
    sheet = read_delimited(write(tmp_path, "Identifiant jeune;Nom\n1;Dupont;\n2;Durand;;\n3\n"))
    assert sheet.headers == ["Identifiant jeune", "Nom"]
    assert records(sheet) == [["1", "Dupont"], ["2", "Durand"], ["3", None]]


def test_misaligned_record_is_refused(tmp_path):
    path = write(tmp_path, "Identifiant jeune;Nom\n1;Dupont\n2;Du;rand\n")
    with pytest.raises(UnreadableFileError) as err:
        read_delimited(path)
    assert str(path) in str(err.value)
    assert "n° 2" in str(err.value) and "plus de champs que l'en-tête" in str(err.value)


def test_header_only_gives_zero_records(tmp_path):
    sheet = read_delimited(write(tmp_path, "Identifiant jeune;Nom\r\n"))
    assert sheet.headers == ["Identifiant jeune", "Nom"]
    assert sheet.body.shape == (0, 2)


@pytest.mark.parametrize(("content", "fragment"), [(b"", "0 octet"), (b"\r\n\n  \n", "vide")])
def test_empty_file(tmp_path, content, fragment):
    path = write(tmp_path, content)
    with pytest.raises(UnreadableFileError) as err:
        read_delimited(path)
    assert fragment in str(err.value)
    assert f"« {path} »" in str(err.value)
    assert isinstance(err.value, InputError)


def test_bytes_neither_utf8_nor_cp1252(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid alone in UTF-8.
    path = write(tmp_path, b"Identifiant jeune;Nom\n1;Dupont\n2;Dur\x81nd\n")
    with pytest.raises(UnreadableFileError) as err:
        read_delimited(path)
    assert "0x81" in str(err.value) and "ligne 3" in str(err.value)


def test_invalid_utf8_after_a_bom(tmp_path):
    with pytest.raises(UnreadableFileError, match="UTF-8"):
        read_delimited(write(tmp_path, codecs.BOM_UTF8 + b"Identifiant jeune\n\xe9\n"))


def test_utf16_is_refused_with_advice(tmp_path):
    path = write(tmp_path, "Identifiant jeune;Nom\n1;Dupont\n".encode("utf-16"))
    with pytest.raises(UnreadableFileError, match="UTF-16"):
        read_delimited(path)


def test_unclosed_quote(tmp_path):
    with pytest.raises(UnreadableFileError, match="guillemet"):
        read_delimited(write(tmp_path, 'Identifiant jeune;Nom\n1;"Dupont\n2;Durand\n'))
