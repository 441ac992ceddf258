"""Pseudonymisation for sharing an audit beyond the structure (outputs.md, ``--pseudonymise``).

With ``--pseudonymise``, no name, email, phone number, NIR, birth date or street address appears
anywhere in the audit folder. Counsellors and user accounts appear as stable pseudonyms
(« Conseiller 7KQ2 », « Compte 7KQ2 »): an HMAC-SHA256, keyed by the secret of the configuration
file (``[pseudonymisation] cle``), of the person's identity as :class:`~imilo_audit.people.counsellors.Directory`
gives it (« login:<login> » when the ``utilisateurs`` table knows the person, else « nom:<words> »),
so that two spellings of one person get one pseudonym, the same every month with the same key.
A person's account and their counsellor list share the code. Dossier identifiers, sites and the
structure stay: the structure itself can find each dossier in i-milo.

A theme's findings and its detail frame are pseudonymised in the kernel, right after they are
built (``audit.audit_theme``): nothing personal reaches the notebooks, the run folder or the
synthesis. Its Great Expectations results need nothing more: every audit keeps them without any
value read (``rules.validation.validation_record``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..text import same_text_key
from .counsellors import NOBODY, Directory, name_words
from .sharing import MASKED, PERSONAL_FIELDS, shared_messages

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U to misread
CODE_LENGTH = 4  # 32**4 codes: two people of one structure share one with a chance of about 1 in 10**6 per pair
COUNSELLOR, ACCOUNT = "Conseiller", "Compte"
PSEUDONYM = re.compile(rf"(?:{COUNSELLOR}|{ACCOUNT}) [{ALPHABET}]{{{CODE_LENGTH}}}")

# Fields whose value never leaves the kernel of a pseudonymised audit: the shared pages' personal
# fields, names, logins (they carry names), the rest of the address and the France Travail number.
PSEUDONYMISED_FIELDS = PERSONAL_FIELDS | {
    "nom_usage",
    "nom_naissance",
    "prenom",
    "nom",
    "login",
    "code_postal",
    "commune",
    "identifiant_france_travail",
    "age_ans",
}
COUNSELLOR_FIELDS = frozenset({"conseiller_referent", "conseiller"})
_DETAIL_COUNSELLORS = ("_conseiller", "conseiller")  # columns of a detail frame that name a counsellor
# A personal value a message might still quote (a safety net: rules give a shared wording).
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
_PHONE = re.compile(r"(?<!\d)(?:\+33[ .]?|0)[1-9](?:[ .-]?\d{2}){4}(?!\d)")
_NIR = re.compile(
    r"(?<![0-9A-Za-z])[12378]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?![0-9A-Za-z])"
)


def code(identity: str, key: str) -> str:
    """The short code of an identity: HMAC-SHA256 keyed by ``key``, in base 32."""
    digest = hmac.new(key.encode("utf-8"), identity.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def is_pseudonym(text: object) -> bool:
    return isinstance(text, str) and PSEUDONYM.fullmatch(text) is not None


def counsellor_pseudonym(identity: str, key: str) -> str:
    """« Conseiller 7KQ2 » for a directory identity; empty for no counsellor."""
    return f"{COUNSELLOR} {code(identity, key)}" if identity else ""


def account_pseudonym(login: object, key: str) -> str:
    """« Compte 7KQ2 » for a login (the code of the person's counsellor list, when they have one)."""
    if login is None or pd.isna(login) or not str(login).strip():
        return ""
    if is_pseudonym(login):
        return str(login)
    return f"{ACCOUNT} {code('login:' + (same_text_key(login) or ''), key)}"


def _identity(directory: Directory, spelling: str) -> str:
    """The directory's identity of a spelling; one it does not know is grouped by its words."""
    identity = directory.key_of(spelling)
    if identity == NOBODY and spelling:
        identity = "nom:" + (name_words(spelling) or spelling)
    return identity


def spelling_pseudonyms(spellings: Iterable[object], directory: Directory, key: str) -> dict[str, str]:
    """Each counsellor spelling -> its pseudonym (a pseudonym already, or empty: unchanged)."""
    table: dict[str, str] = {}
    for raw in spellings:
        text = "" if raw is None or pd.isna(raw) else str(raw).strip()
        if text in table:
            continue
        table[text] = text if not text or is_pseudonym(text) else counsellor_pseudonym(_identity(directory, text), key)
    return table


def mask_contacts(text: str) -> str:
    """A text without email addresses, phone numbers or NIR (the last safety net)."""
    if not text:
        return text
    for pattern in (_EMAIL, _NIR, _PHONE):
        text = pattern.sub(MASKED, text)
    return text


def _replace_names(text: str, names: dict[str, str]) -> str:
    """Each known spelling in ``text`` by its pseudonym (« conseiller X » as a whole)."""
    for raw, pseudonym in names.items():
        if raw and raw != pseudonym and raw in text:
            text = text.replace(f"conseiller {raw}", pseudonym).replace(raw, pseudonym)
    return text


def pseudonymise_findings(findings: pd.DataFrame, directory: Directory, key: str) -> pd.DataFrame:
    """Findings fit for a pseudonymised audit (idempotent: pseudonymised findings stay as they are).

    ``conseiller`` becomes the counsellor's pseudonym, a user account's ``id_enregistrement`` (its
    login) the account's; the value of a personal field is emptied, each message takes the rule's
    shared wording (``message_partage``) and any name, login or personal value left in it is
    replaced by a pseudonym or « (masqué) ».
    """
    frame = findings.copy()
    if frame.empty:
        return frame
    text = frame.astype("string").fillna("")
    spellings = text["conseiller"].str.strip()
    names = spelling_pseudonyms(spellings.unique(), directory, key)
    accounts = text["table"].eq("utilisateurs").to_numpy()
    records = text["id_enregistrement"].tolist()
    logins = {
        record: account_pseudonym(record, key) for record, account in zip(records, accounts, strict=True) if account
    }
    named = text["valeur"][text["champ"].isin(COUNSELLOR_FIELDS) & (text["valeur"] != "")]
    value_names = spelling_pseudonyms(named.unique(), directory, key)  # a counsellor quoted as a value
    messages, worded = shared_messages(text)  # a rule's shared wording is free of the value
    new_values, new_messages = [], []
    for message, value, field, spelling, record, account, shared in zip(
        messages, text["valeur"], text["champ"], spellings, records, accounts, worded, strict=True
    ):
        own = {spelling: names[spelling]}
        if account and record:
            own[record] = logins[record]
        if field in COUNSELLOR_FIELDS and value:
            own[value.strip()] = value_names[value.strip()]
        if account and value == record:
            shown = logins[record]
        elif field in COUNSELLOR_FIELDS:
            shown = own.get(value, "")
        elif field in PSEUDONYMISED_FIELDS:
            shown = ""
        elif field.startswith("id_"):  # a dossier's identifier stays, whatever its digits
            shown = value
        else:
            shown = mask_contacts(value)
        if value and not shown and not shared and value in message and not is_pseudonym(value):
            message = message.replace(value, MASKED)
        new_values.append(shown)
        new_messages.append(mask_contacts(_replace_names(message, own)))
    frame["conseiller"] = spellings.map(names).astype(frame["conseiller"].dtype)
    frame["id_enregistrement"] = [logins.get(r, r) if a else r for r, a in zip(records, accounts, strict=True)]
    frame["valeur"] = new_values
    frame["message"] = new_messages
    if "message_partage" in frame.columns:
        frame["message_partage"] = new_messages
    return frame.astype(findings.dtypes.to_dict())


def pseudonymise_detail(detail: pd.DataFrame | None, directory: Directory, key: str) -> pd.DataFrame | None:
    """A theme's detail frame without personal columns, counsellors named by their pseudonyms."""
    if detail is None:
        return None
    personal = [c for c in detail.columns if str(c).removeprefix("valeur__") in PSEUDONYMISED_FIELDS]
    frame = detail.drop(columns=personal)
    names = spelling_pseudonyms(_detail_spellings(frame), directory, key)
    for column in frame.columns:
        if column in _DETAIL_COUNSELLORS:
            frame[column] = frame[column].map(lambda v: v if v is None or pd.isna(v) else names[str(v).strip()])
        elif pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda v: mask_contacts(_replace_names(v, names)) if isinstance(v, str) else v
            )
    return frame


def _detail_spellings(detail: pd.DataFrame) -> set[str]:
    """The counsellor spellings a detail frame names."""
    spellings: set[str] = set()
    for column in _DETAIL_COUNSELLORS:
        if column in detail.columns:
            spellings.update(detail[column].dropna().astype(str).str.strip())
    return spellings


def users_of_export(export: Any) -> pd.DataFrame | None:
    """The ``utilisateurs`` table of an export, if it has one."""
    table = export.tables.get("utilisateurs")
    return table.data if table is not None else None


def pseudonymise_theme(
    findings: pd.DataFrame,
    detail: pd.DataFrame | None,
    users: pd.DataFrame | None,
    key: str,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A theme's findings and detail frame as a pseudonymised audit keeps them."""
    spellings = set(findings["conseiller"].astype("string").fillna("").unique()) if len(findings) else set()
    if detail is not None:
        spellings |= _detail_spellings(detail)
    directory = Directory(sorted(spellings), users)
    return pseudonymise_findings(findings, directory, key), pseudonymise_detail(detail, directory, key)


def pseudonymise_scopes(scopes: pd.DataFrame | None, key: str) -> pd.DataFrame | None:
    """A theme's rule scopes (scope.rule_scopes) under the findings' pseudonyms: user accounts by theirs."""
    if scopes is None or not len(scopes):
        return scopes
    scopes = scopes.copy()
    accounts = (scopes["_table"] == "utilisateurs").fillna(False).to_numpy(dtype=bool)
    if accounts.any():
        scopes.loc[accounts, "_id"] = [account_pseudonym(login, key) for login in scopes.loc[accounts, "_id"].tolist()]
    return scopes


def pseudonymise_earlier(
    earlier: list[tuple[str, pd.DataFrame]], users: pd.DataFrame | None, key: str
) -> list[tuple[str, pd.DataFrame]]:
    """Earlier months' findings under this month's pseudonyms (follow-up and ``corriges.csv``).

    Findings of a pseudonymised month stay as they are; those of a normal month are pseudonymised,
    so that they match and that ``corriges.csv`` names nobody.
    """
    result = []
    for month, frame in earlier:
        spellings = frame["conseiller"].astype("string").fillna("").unique() if len(frame) else []
        result.append((month, pseudonymise_findings(frame, Directory(spellings, users), key)))
    return result
