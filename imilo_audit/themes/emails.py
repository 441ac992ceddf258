"""Emails (EML): missing, invalid, placeholder, misspelt provider, shared between dossiers."""

from __future__ import annotations

import re
from functools import lru_cache

import email_validator
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA

from ..text import same_text_key, same_text_series
from .base import Theme
from .context import AuditContext

PLACEHOLDER_LOCALS = frozenset(
    {"pasdemail", "pasdadresse", "nomail", "noemail", "aucun", "aucunmail", "neant", "non", "inconnu", "test", "xxx"}
)
PLACEHOLDER_DOMAINS = frozenset(
    {"example.com", "example.fr", "exemple.fr", "exemple.com", "test.com", "test.fr", "nomail.com", "pasdemail.fr"}
)
PROVIDERS = (
    "gmail.com",
    "hotmail.fr",
    "hotmail.com",
    "yahoo.fr",
    "yahoo.com",
    "outlook.fr",
    "outlook.com",
    "live.fr",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "icloud.com",
)
_REPEATED_CHAR = re.compile(r"^(.)\1*$")
_REPEATED_LETTER_DOMAIN = re.compile(r"^([a-z])\1*\.[a-z]+$")

# Fast path of EML-02 (see ``fast_path``): plain ASCII dot-atom local part, LDH labels, alphabetic TLD.
_FAST_LOCAL = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
_FAST_DOMAIN = r"(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}"
_FAST_ADDRESS = f"^{_FAST_LOCAL}@{_FAST_DOMAIN}$"  # RE2 (pyarrow): ``$`` is the end of the text only
_MAX_ADDRESS, _MAX_LOCAL, _MAX_DOMAIN, _MAX_LABEL = 254, 64, 253, 63


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per youth: actif, valid syntax, placeholder, suggested provider, sharing count."""
    frame = ctx.frame("jeunes", ["email"])
    frame["actif"] = ctx.actif
    email = ctx.column("jeunes", "email")
    frame["email"] = email
    frame["email_present"] = email.notna()
    codes, uniques = pd.factorize(email.astype("string"))
    distinct = pd.Series(uniques, dtype="string")
    valid, fictif, suggestion = distinct_checks(distinct)
    rows = np.where(codes >= 0, codes, len(distinct))  # a missing address reads the sentinel appended below
    frame["email_syntaxe_valide"] = np.append(valid, False)[rows]
    frame["email_fictif"] = np.append(fictif, False)[rows]
    frame["domaine_suggere"] = pd.array(suggestion, dtype="string").take(codes, allow_fill=True)
    countable = (ctx.actif & frame["email_syntaxe_valide"] & ~frame["email_fictif"]).to_numpy(dtype=bool)
    frame["nb_dossiers_meme_email"] = _same_key_counts(distinct, codes, countable)
    return {"jeunes": frame}


def _same_key_counts(distinct: pd.Series, codes: np.ndarray, countable: np.ndarray) -> np.ndarray:
    """EML-05: per row, how many countable rows share its ``same_text_series`` key (0 if not countable).

    The key is computed once per distinct address; for a plain ASCII address without spaces it is
    its lower-case form (NFKD and ASCII encoding change nothing, ASCII case-folding is lower-casing).
    """
    text = _arrow(distinct)
    other = pc.invert(pc.match_substring_regex(text, r"^[!-~]+$").fill_null(False))
    keys = pc.replace_with_mask(
        pc.utf8_lower(text),
        other,
        pa.array(same_text_series(distinct[other.to_numpy(zero_copy_only=False)]), type=text.type),
    )
    distinct_key = pc.dictionary_encode(keys).indices.fill_null(-1).to_numpy(zero_copy_only=False)
    key_codes = np.append(distinct_key, -1)[np.where(codes >= 0, codes, len(text))]
    key_codes[~countable] = -1
    counts = np.bincount(key_codes[key_codes >= 0], minlength=len(text))
    return np.append(counts, 0)[key_codes]  # -1 (not countable) reads the trailing 0


def distinct_checks(addresses: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`email_checks` of non-missing addresses, as three arrays in their order (bool, bool, object).

    Vectorised on the :func:`fast_path`, Python per distinct lower-cased domain there; the other
    addresses go through :func:`email_checks` one by one, so pass distinct values.
    """
    text = _arrow(addresses)
    valid = np.zeros(len(text), dtype=bool)
    fictif = np.zeros(len(text), dtype=bool)
    suggestion = np.full(len(text), None, dtype=object)
    fast, local, domain_codes, domains = _fast_split(text)
    for i, address in zip(np.flatnonzero(~fast), text.filter(~fast).to_pylist(), strict=True):
        valid[i], fictif[i], suggestion[i] = email_checks(address)
    # EML-03 on ASCII: strip_accents(x).casefold() is x.lower(), and the local part has no space.
    key = pc.utf8_lower(pc.replace_substring_regex(local, "[._-]", ""))
    repeated = pc.and_(
        pc.greater(pc.utf8_length(key), 0),
        pc.equal(pc.utf8_slice_codeunits(key, 1), pc.utf8_slice_codeunits(key, 0, -1)),  # one character repeated
    )
    placeholder_local = pc.or_(pc.is_in(key, value_set=pa.array(sorted(PLACEHOLDER_LOCALS))), repeated)
    placeholder_domain = np.array([_placeholder_domain(d) for d in domains], dtype=bool)
    provider = np.array([suggested_provider(d) for d in domains], dtype=object)
    valid[fast] = True
    fictif[fast] = placeholder_local.to_numpy(zero_copy_only=False) | placeholder_domain[domain_codes]
    suggestion[fast] = provider[domain_codes]
    return valid, fictif, suggestion


def fast_path(addresses: pd.Series) -> pd.Series:
    """True for addresses that :func:`is_valid_email` certainly accepts (all plain ASCII).

    The fast path is a subset of what email-validator 2.4 accepts with ``check_deliverability=False``
    (read in its ``validate_email.py``, ``syntax.py``, ``rfc_constants.py``), because such an address:

    - is ASCII with exactly one ``@``, no quote, ``<``, space or control character: ``split_email``
      finds no display name, no quoted local part, and NFC normalisation changes nothing;
    - has a local part of dot-separated atoms of ``[A-Za-z0-9_+-]``, a subset of ``DOT_ATOM_TEXT``
      (checked first, so no Unicode check applies), of at most 64 characters (only checked in strict mode);
    - has a domain of labels ``[A-Za-z0-9]+(-[A-Za-z0-9]+)*``: no label starts or ends with a hyphen
      and none has ``--`` at all (so no R-LDH ``ab--`` label and no ``xn--`` one, which would go through
      IDNA decoding); UTS-46 remapping of such a domain only lower-cases it, ``DOT_ATOM_TEXT_HOSTNAME``
      matches, and ``ascii_domain`` is the lower-cased domain;
    - has labels of at most 63 characters, a domain of at most 253, an address of at most 254 (ASCII,
      so characters are octets, and normalisation keeps the length);
    - has a dot and an alphabetic top-level domain of 2 to 63 letters (``DOMAIN_NAME_REGEX`` and the
      project's own two-letter rule) which is not special-use (``SPECIAL_USE_DOMAIN_NAMES``, read when
      called: ``arpa``, ``invalid``, ``local``, ``localhost``, ``onion``, ``test``).

    Anything else (Unicode, quotes, literals, unusual characters, invalid) is left to the validator.
    """
    return pd.Series(_fast_split(_arrow(addresses))[0], index=addresses.index)


def _arrow(values: pd.Series) -> pa.Array:
    """A text Series as one pyarrow string array (nulls for missing values), chunks combined."""
    array = pa.array(values.astype("string[pyarrow]").array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _fast_split(text: pa.Array) -> tuple[np.ndarray, pa.Array, np.ndarray, list[str]]:
    """Fast-path mask, then for those rows: local parts, codes of lower-cased domains, and those domains."""
    candidate = pc.and_(
        pc.match_substring_regex(text, _FAST_ADDRESS), pc.less_equal(pc.utf8_length(text), _MAX_ADDRESS)
    )
    candidate = candidate.fill_null(False).to_numpy(zero_copy_only=False)
    parts = pc.split_pattern(text.filter(candidate), "@", max_splits=1)
    local = pc.list_element(parts, 0)
    domain = pc.dictionary_encode(pc.utf8_lower(pc.list_element(parts, 1)))
    codes, domains = domain.indices.to_numpy(zero_copy_only=False), domain.dictionary.to_pylist()
    domain_ok = np.array([_fast_domain_ok(d) for d in domains], dtype=bool)
    keep = domain_ok[codes] & (pc.utf8_length(local).to_numpy(zero_copy_only=False) <= _MAX_LOCAL)
    fast = candidate.copy()
    fast[candidate] = keep
    return fast, local.filter(keep), codes[keep], domains


def _fast_domain_ok(domain: str) -> bool:
    """A lower-cased fast-path domain within email-validator's lengths and not special-use."""
    return (
        len(domain) <= _MAX_DOMAIN
        and all(len(label) <= _MAX_LABEL for label in domain.split("."))
        and not any(domain == d or domain.endswith("." + d) for d in email_validator.SPECIAL_USE_DOMAIN_NAMES)
    )


def email_checks(address: str) -> tuple[bool, bool, str | None]:
    """(valid syntax, placeholder, suggested provider) of one address; the last two need the first."""
    if not is_valid_email(address):
        return False, False, None
    return True, is_placeholder(address), suggested_provider(address.rpartition("@")[2].lower())


def is_valid_email(address: str) -> bool:
    """Syntax per email-validator (no DNS), plus a top-level domain of two letters or more.

    The letters are of any script, so the test reads the domain in Unicode: ``рф``, written so or
    as ``xn--p1ai``, is a top-level domain of two letters.
    """
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    tld = result.domain.rsplit(".", 1)[-1]
    return len(tld) >= 2 and tld.isalpha()


def is_placeholder(address: str) -> bool:
    """EML-03: a local part or a domain that says "no email"."""
    local, _, domain = address.rpartition("@")
    local_key = re.sub(r"[._\-\s]", "", same_text_key(local) or "")
    return (
        local_key in PLACEHOLDER_LOCALS
        or bool(_REPEATED_CHAR.match(local_key))
        or _placeholder_domain(domain.casefold())
    )


def _placeholder_domain(domain: str) -> bool:
    """EML-03 on a case-folded domain."""
    return domain in PLACEHOLDER_DOMAINS or bool(_REPEATED_LETTER_DOMAIN.match(domain))


@lru_cache(maxsize=10_000)
def suggested_provider(domain: str) -> str | None:
    """EML-04: the provider one edit away (adjacent swap = one edit), unless the domain is one."""
    if domain in PROVIDERS:
        return None
    close = [p for p in PROVIDERS if OSA.distance(domain, p, score_cutoff=1) <= 1]
    return close[0] if close else None


THEME = Theme(id="emails", titre="Emails", notebook="20_emails.ipynb", tables=("jeunes",), derive=derive)
