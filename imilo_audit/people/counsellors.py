"""One counsellor, one identity, whatever the spelling of the export.

The export names a dossier's counsellor as « Prénom NOM », « NOM Prénom » or a login
(docs/export.md), and the same person often appears in two spellings. The notion of *referent*
says when two spellings are the same person: the user's login, or « Prénom Nom » / « Nom Prénom » of the user
(same text). A spelling that matches no account is grouped with the other spellings made of the
same words in any order. ``findings.csv`` keeps the spelling of the export (outputs.md); the
report, the counsellor pages and the workbooks group by the identity given here.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..text import same_text_key

NOBODY = ""  # identity of findings routed to no counsellor
ACCOUNTS = "comptes"  # identity of the user-account findings (table utilisateurs): the i-milo administrator
NOBODY_LABEL = "Sans conseiller référent"
ACCOUNTS_LABEL = "Comptes utilisateurs (administration i-milo)"
NOBODY_FILE = "sans_conseiller"  # file stem of the unrouted list's page and workbook
ACCOUNTS_FILE = "comptes_utilisateurs"  # file stem of the user-account list's page and workbook
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@dataclass(frozen=True)
class Counsellor:
    """A person findings are routed to."""

    key: str  # stable identity: "login:<login>", "nom:<words>", NOBODY or ACCOUNTS
    nom: str  # display name: « Prénom NOM » of the account when known, else the most used spelling
    login: str = ""  # the i-milo login, when the utilisateurs table knows the person
    fichier: str = ""  # file stem of the person's page and workbook, unique in the run

    @property
    def personne(self) -> bool:
        """False for the two collective lists (no counsellor, user accounts)."""
        return self.key not in (NOBODY, ACCOUNTS)


def name_words(text: object) -> str | None:
    """The words of a name in alphabetical order, same text: « HOARAU Christophe » == « Christophe Hoarau »."""
    key = same_text_key(text)
    return " ".join(sorted(key.split(" "))) if key else None


def slug(name: str, limit: int = 60) -> str:
    """A file name from a name: « Marie-Hélène DUPRÉ » -> « marie-helene_dupre »."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9-]+", "_", text)
    text = re.sub(r"_+", "_", text).strip("_-")[:limit].strip("_-") or "conseiller"
    return text + "_" if text in _RESERVED else text


class Directory:
    """The counsellors of a run: each spelling of the export mapped to one :class:`Counsellor`."""

    def __init__(self, spellings: Iterable[str], users: pd.DataFrame | None = None) -> None:
        spellings = [str(s).strip() for s in spellings]
        by_login, by_words, accounts, logins = _accounts(users)
        identity: dict[str, str] = {}
        for raw in set(spellings):
            if not raw:
                continue
            key = same_text_key(raw)
            words = name_words(raw)
            if key in by_login:
                identity[raw] = "login:" + key
            elif words in by_words:
                identity[raw] = "login:" + by_words[words]
            else:
                identity[raw] = "nom:" + (words or raw)
        used = Counter(spellings)
        spellings_of: dict[str, list[str]] = {}
        for raw, key in identity.items():
            spellings_of.setdefault(key, []).append(raw)
        people: dict[str, Counsellor] = {}
        for key in sorted(spellings_of):
            login = key.removeprefix("login:") if key.startswith("login:") else ""
            name = accounts[login] if login else min(spellings_of[key], key=lambda raw: (-used[raw], raw))
            people[key] = Counsellor(key, name, logins.get(login, login))
        people[NOBODY] = Counsellor(NOBODY, NOBODY_LABEL)
        people[ACCOUNTS] = Counsellor(ACCOUNTS, ACCOUNTS_LABEL)
        self._identity = identity
        self.people = _with_file_names(people)

    def key_of(self, spelling: object, table: str = "") -> str:
        """The identity of a finding's ``conseiller`` (``table`` = utilisateurs: the accounts list)."""
        if table == "utilisateurs":
            return ACCOUNTS
        raw = "" if spelling is None or pd.isna(spelling) else str(spelling).strip()
        return self._identity.get(raw, NOBODY) if raw else NOBODY

    def of(self, spelling: object, table: str = "") -> Counsellor:
        return self.people[self.key_of(spelling, table)]

    def keys(self, findings: pd.DataFrame) -> pd.Series:
        """The identity of each finding (same index), from its ``conseiller`` and ``table``."""
        if findings.empty:
            return pd.Series([], index=findings.index, dtype=object)
        pairs = findings[["conseiller", "table"]].astype("string").fillna("")
        return pd.Series(
            [self.key_of(name, table) for name, table in zip(pairs["conseiller"].tolist(), pairs["table"].tolist(),
                                                              strict=True)],
            index=findings.index, dtype=object,
        )

    def names(self, findings: pd.DataFrame) -> pd.Series:
        """The display name of each finding's person (same index): one name whatever the spelling."""
        return pd.Series([self.people[key].nom for key in self.keys(findings)], index=findings.index, dtype=object)

    def resolve(self, spelling: object, table: str = "") -> str | None:
        """The identity of a spelling this directory may not have been built with (last month's findings).

        A known spelling gives its identity; otherwise a known login, or the same words as a known
        person's spelling or account name. None when nobody matches.
        """
        if table == "utilisateurs":
            return ACCOUNTS
        raw = "" if spelling is None or pd.isna(spelling) else str(spelling).strip()
        if not raw:
            return NOBODY
        if raw in self._identity:
            return self._identity[raw]
        key, words = same_text_key(raw), name_words(raw)
        for candidate in ("login:" + (key or ""), "nom:" + (words or "")):
            if candidate in self.people:
                return candidate
        if not hasattr(self, "_by_words"):
            by_words: dict[str, str] = {}
            for known, identity in sorted(self._identity.items()):
                by_words.setdefault(name_words(known) or "", identity)
            for identity, person in sorted(self.people.items()):
                if person.personne:
                    by_words.setdefault(name_words(person.nom) or "", identity)
            self._by_words = by_words
        return self._by_words.get(words or "") if words else None


def directory_of(findings: pd.DataFrame, users: pd.DataFrame | None = None) -> Directory:
    """The directory of the counsellors named by ``findings``."""
    names = findings["conseiller"].astype("string").fillna("").unique().tolist() if len(findings) else []
    return Directory(names, users)


_Accounts = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]
_ACCOUNTS_OF: dict[int, tuple[weakref.ref, _Accounts]] = {}  # users table (by identity) -> its index, while alive


def _accounts(users: pd.DataFrame | None) -> _Accounts:
    """Users by same-text login and by name words (-> login key); display names and logins as written, by login key.

    Built once per users table: a kernel builds a directory for each theme page from the same table.
    The result is only read by :class:`Directory`.
    """
    if users is None:
        return _index_accounts(users)
    known = _ACCOUNTS_OF.get(id(users))
    if known is not None and known[0]() is users:
        return known[1]
    index = _index_accounts(users)
    _ACCOUNTS_OF.clear()  # one users table at a time: a run's
    _ACCOUNTS_OF[id(users)] = (weakref.ref(users), index)
    return index


def _index_accounts(users: pd.DataFrame | None) -> _Accounts:
    by_login: dict[str, str] = {}
    by_words: dict[str, str] = {}
    names: dict[str, str] = {}
    logins: dict[str, str] = {}
    if users is None or users.empty or "login" not in users.columns:
        return by_login, by_words, names, logins
    first = users["prenom"] if "prenom" in users.columns else pd.Series("", index=users.index)
    last = users["nom"] if "nom" in users.columns else pd.Series("", index=users.index)
    for login, prenom, nom in zip(users["login"], first, last, strict=True):
        key = same_text_key(login)
        if not key or key in by_login:
            continue
        prenom = "" if prenom is None or pd.isna(prenom) else str(prenom).strip()
        nom = "" if nom is None or pd.isna(nom) else str(nom).strip()
        by_login[key] = key
        names[key] = " ".join(part for part in (prenom, nom.upper()) if part) or str(login).strip()
        logins[key] = str(login).strip()
        words = name_words(f"{prenom} {nom}")
        if prenom and nom and words and words not in by_words:
            by_words[words] = key
    return by_login, by_words, names, logins


def _with_file_names(people: dict[str, Counsellor]) -> dict[str, Counsellor]:
    """Each person gets a distinct file stem, numbered on collision; the two lists get fixed ones."""
    fixed = {NOBODY: NOBODY_FILE, ACCOUNTS: ACCOUNTS_FILE}
    taken = set(fixed.values())
    named = {}
    for key, person in sorted(people.items(), key=lambda item: (slug(item[1].nom), item[0])):
        if key in fixed:
            stem = fixed[key]
        else:
            stem = candidate = slug(person.nom)
            number = 1
            while candidate in taken:
                number += 1
                candidate = f"{stem}_{number}"
            stem = candidate
            taken.add(stem)
        named[key] = Counsellor(person.key, person.nom, person.login, stem)
    return named
