"""Reading a delimited text file (.csv, .txt): encoding, separator, quoted fields."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pandas as pd

from ..errors import UnreadableFileError
from .sheet import RawSheet, sheet_from_grid

SEPARATORS: tuple[str, ...] = (";", ",", "\t", "|")
_SNIFF_CHARS = 32_000
_HEADER_CHARS = 1_000_000  # far beyond any header record
_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}


def read_delimited(path: str | Path) -> RawSheet:
    """The header and records of a delimited text file (UTF-8 with or without BOM, or Windows-1252)."""
    path = Path(path)
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(label, f"il ne peut pas être ouvert ({exc.strerror or exc}).") from None
    text = decode(data, label)
    if not text.strip():
        raise UnreadableFileError(label, "le fichier est vide (aucune ligne d'en-tête).")
    sep = detect_separator(text)
    grid = _read_grid(text, sep, label)
    return sheet_from_grid(grid, label, header_width=_header_width(text, sep))


def decode(data: bytes, label: str) -> str:
    """Text of a file: UTF-8 (BOM or not), else Windows-1252; anything else is unreadable."""
    if not data:
        raise UnreadableFileError(label, "le fichier est vide (0 octet).")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise UnreadableFileError(
            label,
            "il n'est ni en UTF-8 ni en Windows-1252 (UTF-16 ou fichier binaire ?). "
            "Réenregistrez-le au format « CSV UTF-8 » ou en .xlsx.",
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            start = exc.start + len(codecs.BOM_UTF8)
            raise UnreadableFileError(label, _bad_bytes(data, start, "UTF-8")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(label, _bad_bytes(data, exc.start, "UTF-8 ni en Windows-1252")) from None


def _bad_bytes(data: bytes, position: int, encodings: str) -> str:
    line = data.count(b"\n", 0, position) + 1
    return (
        f"l'octet 0x{data[position]:02X} (ligne {line}, position {position}) n'est pas lisible en "
        f"{encodings}. Réenregistrez le fichier au format « CSV UTF-8 »."
    )


def detect_separator(text: str) -> str:
    """The separator among ``;`` ``,`` tab ``|``: csv.Sniffer, checked against the header line."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the first in SEPARATORS
    return best if counts[best] > 0 else ";"


def _read_grid(text: str, sep: str, label: str) -> pd.DataFrame:
    options = dict(
        sep=sep,
        header=None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=True,
        quotechar='"',
        doublequote=True,
        engine="c",
    )
    try:
        try:
            return pd.read_csv(io.StringIO(text), **options)
        except pd.errors.ParserError:
            # Some record is wider than the first one: read again as wide as the widest.
            width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=0)
            return pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    except pd.errors.EmptyDataError:
        raise UnreadableFileError(label, "le fichier est vide (aucune ligne d'en-tête).") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise UnreadableFileError(
            label,
            f"sa structure est illisible avec le séparateur {_SEPARATOR_NAMES[sep]} "
            f"(guillemet jamais refermé ?). Détail : {exc}",
        ) from None


def _header_width(text: str, sep: str) -> int | None:
    """Number of fields of the first non-blank record (the header); None if csv cannot tell."""
    try:
        for row in csv.reader(io.StringIO(text[:_HEADER_CHARS]), delimiter=sep):
            if any(cell.strip() for cell in row):
                return len(row)
    except csv.Error:
        pass
    return None
