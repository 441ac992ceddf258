"""Emails: EML-01 missing, EML-02 invalid, EML-03 placeholder, EML-04 misspelt provider, EML-05 shared.

EML-05 findings are computed from the generated dossiers (oracle.py); here the sharing is planted.
Look-alikes: a placeholder on two active dossiers (EML-03 only), an address shared by an active
and an inactive dossier, domains two or three edits away from a provider (`hotmail.be`,
`yahoo.de`, `live.com`), local parts that merely contain a placeholder word, an inactive dossier
with a missing and another with an invalid email.
"""

from __future__ import annotations

from . import vocabulary as voc
from .model import Row, Sample, key
from .people import slug

PROVIDERS = tuple(d for d, _ in voc.PROVIDERS)
INVALID = (  # local part and domain patterns; none is within one edit of a provider
    "{p}.{n}@gmail",
    "{p} {n}@hotmail.fr",
    "{p}..{n}@orange.fr",
    "{p}.{n}gmail.com",
    "{p}.{n}@lycee-monnet.f",
)
PLACEHOLDERS = (
    "pasdemail@gmail.com",
    "pas.de.mail@orange.fr",
    "aucun@hotmail.fr",
    "xxx@gmail.com",
    "aaaa@free.fr",
    "{p}.{n}@example.com",
    "contact@aaa.fr",
    "neant@yahoo.fr",
    "no-email@nomail.com",
)
MISSPELT = ("gmial.com", "gmail.con", "hotmal.fr", "yahoo.ft", "outlok.fr", "wandoo.fr", "orange.fe")
FAR_DOMAINS = ("hotmail.be", "yahoo.de", "live.com")  # 2 or 3 edits away: not EML-04


def osa(a: str, b: str) -> int:
    """Edit distance where a swap of two adjacent letters counts as one edit."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def distance_to_providers(domain: str) -> int:
    return min(osa(domain, p) for p in PROVIDERS)


def _fill(pattern: str, y: Row) -> str:
    return pattern.format(p=slug(y["prenom"]), n=slug(y["nom_usage"]))


def _excluded(s: Sample, address: str) -> str:
    """Remember an invalid or placeholder address: it never counts as shared (EML-05)."""
    s.invalid_or_placeholder_emails.add(key(address))
    return address


def plant(s: Sample) -> None:
    rng = s.rng
    for _ in range(s.count(4)):  # EML-01
        y = s.take("actif", "jeunes")
        y["email"] = ""
        s.expect("EML-01", "jeunes", y)

    for k in range(s.count(len(INVALID))):  # EML-02
        y = s.take("actif", "jeunes")
        y["email"] = _excluded(s, _fill(INVALID[k % len(INVALID)], y))
        s.expect("EML-02", "jeunes", y)

    for k in range(s.count(len(PLACEHOLDERS))):  # EML-03
        y = s.take("actif", "jeunes")
        y["email"] = _excluded(s, _fill(PLACEHOLDERS[k % len(PLACEHOLDERS)], y))
        s.expect("EML-03", "jeunes", y)

    for k in range(s.count(5)):  # EML-04
        y = s.take("actif", "jeunes")
        domain = MISSPELT[k % len(MISSPELT)]
        assert domain not in PROVIDERS and distance_to_providers(domain) == 1, domain
        y["email"] = s.emails.new(y["prenom"], y["nom_usage"], y["_naissance"]).split("@")[0] + "@" + domain
        s.expect("EML-04", "jeunes", y)

    for _ in range(s.mult):  # EML-05: a pair (written in two cases) and a family of three
        first, second = s.take("actif", "jeunes"), s.take("actif", "jeunes")
        address = s.emails.new(first["prenom"], first["nom_usage"], first["_naissance"])
        first["email"] = address
        local, _, domain = address.partition("@")
        second["email"] = f"{local.capitalize()}@{domain}"
        family = s.emails.new("famille", first["nom_usage"], first["_naissance"])
        for _ in range(3):
            s.take("actif", "jeunes")["email"] = family

    y = s.take("actif", "jeunes")  # a placeholder at a misspelt provider: both rules
    y["email"] = _excluded(s, "pasdemail@gmial.com")
    s.expect("EML-03", "jeunes", y)
    s.expect("EML-04", "jeunes", y)

    # --- look-alikes -------------------------------------------------------------------------
    pair = [s.take("actif", "jeunes"), s.take("actif", "jeunes")]
    pair[0]["email"], pair[1]["email"] = _excluded(s, "pasdemail@gmail.com"), _excluded(s, "PasDeMail@gmail.com")
    for y in pair:
        s.expect("EML-03", "jeunes", y)
    s.lookalike(
        "Adresse fictive sur deux dossiers actifs (EML-03 seulement)", "jeunes", pair[0]["id_jeune"], ("EML-05",)
    )

    active, inactive = s.take("actif", "jeunes"), s.take("inactif", "jeunes")
    inactive["email"] = active["email"]
    s.lookalike(
        "Adresse partagée entre un dossier actif et un dossier inactif", "jeunes", active["id_jeune"], ("EML-05",)
    )

    for domain in FAR_DOMAINS:
        assert distance_to_providers(domain) >= 2, domain
        y = s.take("actif", "jeunes")
        y["email"] = s.emails.new(y["prenom"], y["nom_usage"], y["_naissance"]).split("@")[0] + "@" + domain
        s.lookalike(
            f"Domaine à {distance_to_providers(domain)} modifications d'un fournisseur",
            "jeunes",
            y["id_jeune"],
            ("EML-02", "EML-03", "EML-04"),
        )

    for local in ("testard.julie", "noemie.nonnenmacher"):
        y = s.take("actif", "jeunes")
        y["email"] = f"{local}{rng.randint(10, 99)}@gmail.com"
        s.emails.claim(y["email"])
        s.lookalike("Partie locale contenant un mot d'adresse fictive", "jeunes", y["id_jeune"], ("EML-03",))

    y = s.take("inactif", "jeunes")
    y["email"] = ""
    s.lookalike("Dossier inactif sans email", "jeunes", y["id_jeune"], ("EML-01",))
    y = s.take("inactif", "jeunes")
    y["email"] = _excluded(s, _fill("{p}.{n}@gmail", y))
    s.lookalike("Dossier inactif à l'email invalide", "jeunes", y["id_jeune"], ("EML-02",))
