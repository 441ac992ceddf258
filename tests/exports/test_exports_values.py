"""Typing of dates, booleans and amounts: every spelling of the contract, unreadable ones as NA."""

import pandas as pd
import pytest

from imilo_audit.exports import parse_amounts, parse_booleans, parse_dates


def text(*values):
    return pd.Series(list(values), dtype="string")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01/02/2000", "2000-02-01"),
        ("1/2/2000", "2000-02-01"),
        ("01/02/2000 10:30", "2000-02-01"),  # rules.md "dates": the calendar day, whatever the time
        ("01/02/2000 10:30:15", "2000-02-01"),
        ("2000-02-01", "2000-02-01"),
        ("2000-02-01 10:30:15", "2000-02-01"),
        ("01-02-2000", "2000-02-01"),  # exports.md: jj-mm-aaaa
        ("2000-02-01T10:30:15", "2000-02-01"),  # ISO date-times, as APIs and BI extracts write them
        ("2000-02-01T10:30", "2000-02-01"),
        ("01/02/1900 23:59", "1900-02-01"),  # before 1970 too
    ],
)
def test_dates_every_spelling(value, expected):
    parsed = parse_dates(text(value))
    assert parsed.dtype == "datetime64[us]"
    assert parsed.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize("value", ["31/02/2000", "2000-13-01", "01/02/00", "demain", "01-13-2000", "01/02/2000 25:00"])
def test_unreadable_dates_are_unknown(value):
    assert pd.isna(parse_dates(text(value)).iloc[0])


def test_dates_keep_index_and_missing():
    values = pd.Series(["01/01/2020", None, "x"], index=[5, 7, 9], dtype="string")
    parsed = parse_dates(values)
    assert list(parsed.index) == [5, 7, 9]
    assert parsed.isna().tolist() == [False, True, True]


def test_dates_of_an_empty_column():
    parsed = parse_dates(pd.Series([None, None], dtype="string"))
    assert parsed.dtype == "datetime64[us]" and parsed.isna().all()


def test_booleans_every_spelling_any_case():
    values = text("Oui", "NON", "o", "N", "Vrai", "FAUX", "1", "0", "true", "False", "X", "x", None, "peut-être")
    assert parse_booleans(values).dtype == "boolean"
    assert parse_booleans(values).tolist() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        True,
        pd.NA,
        pd.NA,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.56", 1234.56),
        ("1234,56", 1234.56),
        ("1 234,56", 1234.56),
        ("1 234,56 €", 1234.56),
        ("1\u202f234,56\u00a0€", 1234.56),
        ("1\u00a0234,56", 1234.56),
        ("-15", -15.0),
        ("0", 0.0),
        ("€ 12", 12.0),
    ],
)
def test_amounts_every_spelling(value, expected):
    parsed = parse_amounts(text(value))
    assert parsed.dtype == "Float64"
    assert parsed.iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("value", ["abc", "12,34,56", "1.234,56", "€", "12 euros par mois"])
def test_unreadable_amounts_are_unknown(value):
    assert pd.isna(parse_amounts(text(value)).iloc[0])


def test_empty_series_keep_their_types():
    empty = pd.Series([], dtype="string")
    assert parse_dates(empty).dtype == "datetime64[us]"
    assert parse_booleans(empty).dtype == "boolean"
    assert parse_amounts(empty).dtype == "Float64"
