"""Emails (EML): missing, invalid, placeholder, misspelt provider, shared between dossiers."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA

from ..text import same_text_series, strip_accents
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


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per youth: actif, valid syntax, placeholder, suggested provider, sharing count."""
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
    return {"jeunes": frame}


def email_checks(address: str) -> tuple[bool, bool, str | None]:
    """(valid syntax, placeholder, suggested provider) of one address; the last two need the first."""
    if not is_valid_email(address):
        return False, False, None
    return True, is_placeholder(address), suggested_provider(address.rpartition("@")[2].lower())


def is_valid_email(address: str) -> bool:
    """Syntax per email-validator (no DNS), plus a top-level domain of two letters or more."""
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    tld = result.ascii_domain.rsplit(".", 1)[-1]
    return len(tld) >= 2 and tld.isalpha()


def is_placeholder(address: str) -> bool:
    """EML-03: a local part or a domain that says "no email"."""
    local, _, domain = address.rpartition("@")
    local_key = re.sub(r"[._\-\s]", "", strip_accents(local).casefold())
    domain = domain.casefold()
    return (
        local_key in PLACEHOLDER_LOCALS
        or bool(_REPEATED_CHAR.match(local_key))
        or domain in PLACEHOLDER_DOMAINS
        or bool(_REPEATED_LETTER_DOMAIN.match(domain))
    )


@lru_cache(maxsize=10_000)
def suggested_provider(domain: str) -> str | None:
    """EML-04: the provider one edit away (adjacent swap = one edit), unless the domain is one."""
    if domain in PROVIDERS:
        return None
    close = [p for p in PROVIDERS if OSA.distance(domain, p, score_cutoff=1) <= 1]
    return close[0] if close else None


THEME = Theme(id="emails", titre="Emails", notebook="20_emails.ipynb", tables=("jeunes",), derive=derive)
