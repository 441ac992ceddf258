"""The vectorised emails derivation agrees with the per-value definition (email_checks)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from conftest import LONG_AGO, REFERENCE, SAMPLE, write_table, youth

from imilo_audit.exports import read_export
from imilo_audit.text import same_text_series
from imilo_audit.themes import AuditContext
from imilo_audit.themes.emails import derive, distinct_checks, email_checks, fast_path, is_valid_email


def _domain(length: int, tld: str = "fr") -> str:
    """A domain of exactly ``length`` characters, labels of at most 63, ending with ``tld``."""
    left, labels = length - len(tld) - 1, []
    while left > 63:
        labels.append("d" * 62)
        left -= 63
    return ".".join([*labels, "d" * left, tld])


LOCALS = [
    "jean",
    "Jean.Dupont",
    "jean+tag",
    "j_d",
    "jean-dupont",
    "-",
    "_",
    "+",
    "a",
    "aaaa",
    "A.a",
    "Pas.De-Mail",
    "pasdemail",
    "xxx",
    "test",
    "123",
    ".jean",
    "jean.",
    "j..d",
    "jean dupont",
    "jean!",
    "o'neil",
    "j#d",
    "j/d",
    "j=d",
    "j?d",
    "j{d}",
    "j~d",
    "`jd`",
    '"jean"',
    '"jean dupont"',
    "chloé",
    "ÀÀÀ",
    "Straße",
    "jean\u200bdupont",
    "a" * 64,
    "a" * 65,
    "postmaster",
    "",
]
DOMAINS = [
    "gmail.com",
    "GMAIL.COM",
    "Gmail.Com",
    "gmial.com",
    "orange.fr",
    "sub.domain.orange.fr",
    "my-domain.fr",
    "a-b-c.fr",
    "a--b.fr",
    "ab--cd.fr",
    "xn--bcher-kva.de",
    "XN--BCHER-KVA.DE",
    "xn--gmal-6sa.com",
    "xn--zz.fr",
    "b.xn--p1ai",
    "-x.fr",
    "x-.fr",
    "x.-fr",
    "my_domain.fr",
    "x.fr.",
    ".x.fr",
    "x..fr",
    "gmail",
    "b.c",
    "b.C",
    "b.fr1",
    "b.1fr",
    "b.123",
    "1.2.3.fr",
    "123.com",
    "x.local",
    "x.LOCAL",
    "x.test",
    "test",
    "x.invalid",
    "x.localhost",
    "x.onion",
    "in-addr.arpa",
    "local.fr",
    "test.fr",
    "example.com",
    "EXEMPLE.FR",
    "xx.com",
    "x.com",
    "aaa.fr",
    "gmaïl.com",
    "bücher.de",
    "x。fr",
    "[192.168.0.1]",
    "[IPv6:::1]",
    "d" * 63 + ".fr",
    "d" * 64 + ".fr",
    "x." + "f" * 63,
    "x." + "f" * 64,
]
SPECIAL = [
    "a" * 64 + "@" + _domain(254 - 65),
    "a" * 64 + "@" + _domain(255 - 65),
    "a" * 60 + "@" + _domain(253 - 61),
    "a" * 10 + "@" + _domain(253),
    "a@b@c.fr",
    "jean",
    "@gmail.com",
    "jean@",
    "jean@gmail.com\n",
    " jean@gmail.com",
    "jean@gmail.com ",
    "jean\t@gmail.com",
    "jean＠gmail.com",
    "Jean Dupont <jean@gmail.com>",
    "<jean@gmail.com>",
    "jean@gmail.com.",
    "jean@[gmail.com]",
    '"a@b"@gmail.com',
    "jean@GMAIL.com",
    "JEAN@gmail.com",
]
TRICKY = [f"{local}@{domain}" for local in LOCALS for domain in DOMAINS] + SPECIAL


def _sample_addresses() -> list[str]:
    jeunes = read_export(SAMPLE).tables["jeunes"].data
    return jeunes["email"].dropna().unique().tolist()


@pytest.fixture(scope="module")
def sample_addresses() -> list[str]:
    return _sample_addresses()


def test_tricky_addresses_cover_the_edges():
    lengths = {len(address) for address in SPECIAL[:4]}
    assert {254, 255} <= lengths and len(TRICKY) > 500


@pytest.mark.parametrize("source", ["tricky", "sample"])
def test_fast_path_only_accepts_what_the_validator_accepts(source, sample_addresses):
    addresses = TRICKY if source == "tricky" else sample_addresses
    fast = fast_path(pd.Series(addresses, dtype="string"))
    valid = [is_valid_email(address) for address in addresses]
    assert [a for a, f, v in zip(addresses, fast, valid, strict=True) if f and not v] == []
    assert fast.sum() > (300 if source == "tricky" else 0.9 * sum(valid))  # the fast path is really taken


def test_fast_path_takes_the_plain_addresses_and_leaves_the_rest():
    addresses = {
        "Jean.Dupont+tag@Gmail.COM": True,
        "a" * 64 + "@gmail.com": True,
        "a" * 64 + "@" + _domain(254 - 65): True,
        "a" * 65 + "@gmail.com": False,  # valid, but for the validator to say
        "a@b.xn--p1ai": False,
        "a@x.test": False,
        "a@x.LOCAL": False,
        "chloé@gmail.com": False,
        "jean@gmail.com\n": False,
        "o'neil@gmail.com": False,
    }
    series = pd.Series(list(addresses), dtype="string", index=range(10, 10 + len(addresses)))
    result = fast_path(series)
    assert result.index.equals(series.index)
    assert result.tolist() == list(addresses.values())


def test_chunked_arrow_input():
    chunks = pa.chunked_array([pa.array(["a@b.fr", "x", None]), pa.array(["Chloé@gmail.com", "c@gmial.com"])])
    series = pd.Series(pd.arrays.ArrowStringArray(chunks.cast(pa.large_string())))
    assert fast_path(series).tolist() == [True, False, False, False, True]
    valid, fictif, suggestion = distinct_checks(series.dropna())
    assert valid.tolist() == [True, False, True, True] and suggestion.tolist() == [None, None, None, "gmail.com"]


@pytest.mark.parametrize("source", ["tricky", "sample"])
def test_distinct_checks_equal_email_checks(source, sample_addresses):
    addresses = list(dict.fromkeys(TRICKY if source == "tricky" else sample_addresses))
    valid, fictif, suggestion = distinct_checks(pd.Series(addresses, dtype="string"))
    got = list(zip(valid.tolist(), fictif.tolist(), suggestion.tolist(), strict=True))
    expected = [email_checks(address) for address in addresses]
    assert [(a, g, e) for a, g, e in zip(addresses, got, expected, strict=True) if g != e] == []


def reference_derive(ctx: AuditContext) -> pd.DataFrame:
    """The derivation as it was: email_checks once per distinct address."""
    frame = ctx.frame("jeunes", ["email"])
    frame["actif"] = ctx.actif
    email = ctx.column("jeunes", "email")
    frame["email"] = email
    frame["email_present"] = email.notna()
    checks = {address: email_checks(address) for address in email.dropna().unique()}
    table = pd.DataFrame.from_dict(
        checks, orient="index", columns=["email_syntaxe_valide", "email_fictif", "domaine_suggere"]
    ).reindex(email.to_numpy())
    frame["email_syntaxe_valide"] = table["email_syntaxe_valide"].fillna(False).astype(bool).to_numpy()
    frame["email_fictif"] = table["email_fictif"].fillna(False).astype(bool).to_numpy()
    frame["domaine_suggere"] = pd.array(table["domaine_suggere"].to_numpy(), dtype="string")
    countable = ctx.actif & frame["email_syntaxe_valide"] & ~frame["email_fictif"]
    key = same_text_series(email).where(countable)
    frame["nb_dossiers_meme_email"] = key.map(key.value_counts()).fillna(0).astype(int)
    return frame


def _assert_same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert got.dtypes.equals(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_derive_gives_the_reference_frame(tmp_path):
    emails = [
        "famille.roux@orange.fr",
        "Famille.Roux@ORANGE.fr",
        "famille.roux@orange.fr",
        "Chloé@gmail.com",
        "chloe@gmail.com",
        "CHLOÉ@GMAIL.COM",
        "pasdemail@gmail.com",
        "pasdemail@gmail.com",
        "aaaa@orange.fr",
        "ÀÀÀ@orange.fr",
        "jean@gmial.com",
        "jean@gmaïl.com",
        "jean@xn--bcher-kva.de",
        "jean@bücher.de",
        "j..d@orange.fr",
        "a@b.c",
        "jean dupont@gmail.com",
        "",
        "",
        '"jean"@gmail.com',
        "o'neil@free.fr",
        "O'Neil@free.fr",
        "a" * 65 + "@gmail.com",
        "jean@x.test",
    ]
    rows = [youth(f"J{i}", email=address) for i, address in enumerate(emails)]
    rows += [youth("JX", email="famille.roux@orange.fr", date_dernier_contact=LONG_AGO)]
    rows += [youth("JY", email="o'neil@free.fr", date_dernier_contact=LONG_AGO)]
    write_table(tmp_path / "export", "jeunes", rows)
    export = read_export(tmp_path / "export")
    got = derive(AuditContext(export, REFERENCE))["jeunes"]
    expected = reference_derive(AuditContext(export, REFERENCE))
    _assert_same_frame(got, expected)
    assert got["nb_dossiers_meme_email"].max() >= 3 and got["domaine_suggere"].notna().any()


def test_derive_gives_the_reference_frame_on_the_sample():
    export = read_export(SAMPLE)
    got = derive(AuditContext(export, REFERENCE))["jeunes"]
    _assert_same_frame(got, reference_derive(AuditContext(export, REFERENCE)))


def test_derive_without_any_email(tmp_path):
    write_table(tmp_path / "export", "jeunes", [youth("J1", email=""), youth("J2", email="")])
    export = read_export(tmp_path / "export")
    got = derive(AuditContext(export, REFERENCE))["jeunes"]
    _assert_same_frame(got, reference_derive(AuditContext(export, REFERENCE)))
