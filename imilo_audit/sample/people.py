"""Clean people: the structure's user accounts (counsellors, staff) and the youths' dossiers.

Everything made here triggers no rule: active youths have a unique email at a real provider, a
normalised complete address, an origin, a valid NIR starting with 1 or 2 (or « Pas de NIR »)…
Inactive dossiers (last contact more than 12 months ago) have no referent any more.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata

from stdnum.fr import nir as nir_lib

from . import vocabulary as voc
from .dates import add_months, age, between, days, fr, fr_time, pick, rint, weighted
from .model import Row, Sample, key

ACTIVE_SHARE = 0.75
NEW_SHARE = 0.45  # of active dossiers: registered in the last 12 months
DEMARCHE_SHARE = 0.08
YOUTHS_PER_COUNSELLOR = 150


ALL_PRENOMS = voc.STAFF_PRENOMS + voc.PRENOMS_F + voc.PRENOMS_M
ALL_NOMS = voc.STAFF_NOMS + voc.NOMS


# --- user accounts ---------------------------------------------------------------------------
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only (logins, email local parts)."""
    letters = unicodedata.normalize("NFKD", text).lower()
    return "".join(ch for ch in letters if ch.isalnum() and not unicodedata.combining(ch))


class UserNames:
    """Unique staff identities: no two accounts share a login, « Prénom Nom » or « Nom Prénom »."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def free(self, prenom: str, nom: str, login: str) -> bool:
        keys = {key(f"{prenom} {nom}"), key(f"{nom} {prenom}"), key(login)}
        return not keys & self.keys

    def claim(self, prenom: str, nom: str, login: str) -> None:
        self.keys |= {key(f"{prenom} {nom}"), key(f"{nom} {prenom}"), key(login)}

    def free_login(self, base: str) -> str:
        """``base``, or ``base2``, ``base3``… the first login nobody has; it is claimed."""
        for n in itertools.count(1):
            login = base if n == 1 else f"{base}{n}"
            if key(login) not in self.keys:
                self.keys.add(key(login))
                return login
        raise AssertionError  # unreachable

    def new(self, sample: Sample) -> tuple[str, str, str]:
        """A fresh (prénom, NOM, login)."""
        rng = sample.rng
        for attempt in range(100_000):
            if attempt < 50:
                prenom, nom = pick(rng, voc.STAFF_PRENOMS), pick(rng, voc.STAFF_NOMS)
            else:  # large structures: more names, then compound first names
                prenom, nom = pick(rng, ALL_PRENOMS), pick(rng, ALL_NOMS)
                if attempt >= 1000:
                    prenom = f"{prenom}-{pick(rng, ALL_PRENOMS)}"
            base = login = slug(prenom)[0] + slug(nom)
            for n in itertools.count(2):
                if key(login) not in self.keys:
                    break
                login = f"{base}{n}"
            if self.free(prenom, nom, login):
                self.claim(prenom, nom, login)
                return prenom, nom, login
        raise RuntimeError("Plus de noms d'utilisateurs disponibles.")


def user(sample: Sample, names: UserNames, fonctions: str, profil: str, **cells: str) -> Row:
    """A clean active account (recent connection, email, aged 25 to 60); ``cells`` override."""
    rng, ref = sample.rng, sample.reference
    prenom, nom, login = names.new(sample)
    created = between(rng, add_months(ref, -14 * 12), days(ref, -90))
    row: Row = {
        "login": login,
        "nom": nom,
        "prenom": prenom,
        "date_naissance": fr(between(rng, add_months(ref, -60 * 12), add_months(ref, -25 * 12))),
        "email": f"{slug(prenom)}.{slug(nom)}@{voc.STAFF_EMAIL_DOMAIN}",
        "profil": profil,
        "fonctions": fonctions,
        "etat": pick(rng, ("Actif", "Actif", "Actif", "actif")),
        "date_creation": fr(created),
        "date_desactivation": "",
        "date_derniere_connexion": fr_time(between(rng, days(ref, -45), days(ref, -1)), rng, seconds=True),
    }
    row.update(cells)
    return row


def display(counsellor: Row) -> str:
    """How `jeunes.conseiller_referent` names a counsellor: « Prénom NOM », « NOM Prénom » or login."""
    style = counsellor["_style"]
    if style == "login":
        return counsellor["login"]
    if style == "nom prenom":
        return f"{counsellor['nom']} {counsellor['prenom']}"
    return f"{counsellor['prenom']} {counsellor['nom']}"


def make_staff(sample: Sample) -> UserNames:
    """Sites, counsellors (one alone on the small site), other staff, old unsubscribed accounts."""
    rng = sample.rng
    names = sample.names = UserNames()
    n_counsellors = sample.counsellors_wanted or max(4, round(sample.size * ACTIVE_SHARE / YOUTHS_PER_COUNSELLOR))
    n_sites = min(len(voc.SITES), max(2, n_counsellors // 3))
    sample.sites = list(voc.SITES[:n_sites])
    for k in range(n_counsellors + 1):
        site = voc.SMALL_SITE if k == n_counsellors else sample.sites[k % n_sites]
        row = user(sample, names, voc.FONCTION_CONSEILLER, "Conseiller")
        style = rng.choices(("prenom nom", "nom prenom", "login"), (70, 20, 10))[0]
        weight = 0.5 if site == voc.SMALL_SITE else pick(rng, (0.6, 1.0, 1.0, 1.2))  # part-timers, busy ones
        row.update(_site=site, _style="prenom nom" if site == voc.SMALL_SITE else style, _weight=weight)
        sample.users.append(row)
        sample.counsellors.append(row)
    for k in range(max(3, round(n_counsellors * 0.2))):
        profil, fonctions = voc.STAFF_ROLES[k % len(voc.STAFF_ROLES)]
        sample.users.append(user(sample, names, fonctions, profil))
    for k in range(max(2, round(n_counsellors * 0.12))):  # left long ago, properly unsubscribed
        left = between(rng, add_months(sample.reference, -8 * 12), add_months(sample.reference, -3 * 12))
        sample.users.append(
            user(
                sample,
                names,
                voc.FONCTION_CONSEILLER,
                "Conseiller",
                etat=("Désabonné", "desabonné", "DESABONNE")[k % 3],
                email="" if k % 2 else f"ancien.compte{k}@{voc.STAFF_EMAIL_DOMAIN}",
                date_creation=fr(between(rng, add_months(left, -12 * 12), days(left, -400))),
                date_desactivation=fr(left),
                date_derniere_connexion=fr_time(days(left, -rint(rng, 1, 20)), rng, seconds=True),
            )
        )
    return names


# --- youths ----------------------------------------------------------------------------------
class Emails:
    """Unique youth email addresses (same text), at the providers of EML-04."""

    def __init__(self, sample: Sample) -> None:
        self.used: set[str] = set()
        self.rng = sample.rng
        self.domains = [d for d, _ in voc.PROVIDERS]
        self.weights = list(itertools.accumulate(w for _, w in voc.PROVIDERS))

    def claim(self, address: str) -> None:
        self.used.add(key(address))

    def new(self, prenom: str, nom: str, birth: dt.date) -> str:
        rng = self.rng
        p, n = slug(prenom), slug(nom)
        domain = weighted(rng, self.domains, self.weights)
        local = pick(rng, (f"{p}.{n}", f"{p}{n}", f"{p}.{n}{birth.year % 100:02d}", f"{p[0]}{n}", f"{n}.{p}"))
        address = f"{local}@{domain}"
        while key(address) in self.used:
            address = f"{local}{rint(rng, 1, 9999)}@{domain}"
        self.used.add(key(address))
        return address


def nir_of(sample: Sample, sexe: str, birth: dt.date, first: str | None = None) -> str:
    """A valid NIR (key computed by python-stdnum); ``first`` forces the first digit (7, 8)."""
    rng = sample.rng
    place = rng.random()
    commune = f"{rint(rng, 1, 299):03d}"
    if place < 0.78:
        department = "69"
    elif place < 0.9:
        department = pick(rng, ("01", "38", "42", "75", "13", "93"))
    elif place < 0.92:
        department = pick(rng, ("2A", "2B"))
    else:  # born abroad: 99 and the country's code
        department, commune = "99", pick(rng, ("350", "352", "351", "341", "139", "134"))
    body = f"{first or ('2' if sexe == 'F' else '1')}{birth.year % 100:02d}{birth.month:02d}{department}{commune}"
    body += f"{rint(rng, 1, 999):03d}"
    return body + nir_lib.calc_check_digits(body)


def amount_text(sample: Sample, value: float) -> str:
    """An amount in one of the spellings of real exports (thousands with narrow/no-break spaces)."""
    rng = sample.rng
    euros, cents = int(value), round((value - int(value)) * 100)
    style = rng.random()
    if style < 0.35:
        grouped = f"{euros:,}".replace(",", " ")
        return f"{grouped},{cents:02d} €"
    if style < 0.5:
        grouped = f"{euros:,}".replace(",", "\u202f")
        return f"{grouped},{cents:02d}\u00a0€"
    if style < 0.75:
        return f"{euros},{cents:02d}"
    if style < 0.9:
        return f"{euros}.{cents:02d}"
    return str(euros)


def make_youths(sample: Sample) -> None:
    """The dossiers, in file order; active ones with a counsellor and a site, inactive ones without."""
    rng, ref = sample.rng, sample.reference
    emails = sample.emails = Emails(sample)
    counsellor_weights = list(itertools.accumulate(c["_weight"] for c in sample.counsellors))
    origines, origine_weights = zip(*voc.ORIGINES, strict=True)
    origine_cum = list(itertools.accumulate(origine_weights))
    situations, situation_weights = zip(*voc.SITUATIONS_FAMILIALES, strict=True)
    situation_cum = list(itertools.accumulate(situation_weights))
    locomotion, locomotion_weights = zip(*voc.LOCOMOTION, strict=True)
    locomotion_cum = list(itertools.accumulate(locomotion_weights))
    twelve_months = add_months(ref, -12)
    next_id = 1_000_000
    for index in range(sample.size):
        next_id += rint(rng, 1, 3)
        actif = rng.random() < ACTIVE_SHARE
        nouveau = actif and rng.random() < NEW_SHARE
        if nouveau:
            registered = days(ref, -rint(rng, 5, 340))
        elif actif:
            registered = between(rng, add_months(ref, -72), days(twelve_months, -35))
        else:
            registered = between(rng, add_months(ref, -84), days(twelve_months, -60))
        if actif:
            contact = between(rng, max(registered, days(ref, -330)), days(ref, -1))
        else:
            contact = between(rng, registered, days(twelve_months, -35))
        sexe = pick(rng, "FH")
        prenom = pick(rng, voc.PRENOMS_F if sexe == "F" else voc.PRENOMS_M)
        nom = pick(rng, voc.NOMS)
        birth = between(rng, days(add_months(registered, -26 * 12), 1), add_months(registered, -16 * 12))
        if actif:
            counsellor = weighted(rng, sample.counsellors, counsellor_weights)
            referent = display(counsellor)
            site = counsellor["_site"]
            if site != voc.SMALL_SITE and rng.random() < 0.1:
                site = pick(rng, sample.sites)
        else:
            counsellor, referent, site = None, "", pick(rng, sample.sites)
        commune, postcode = pick(rng, voc.COMMUNES)
        sans_nir = rng.random() < 0.1
        held = rng.random()
        permis, obtenu = "Aucun", ""
        if held < 0.25 and age(birth, ref) >= 19:
            permis, obtenu = "B", fr(between(rng, add_months(birth, 18 * 12), min(ref, add_months(birth, 25 * 12))))
        elif held < 0.29:
            permis, obtenu = "AM", fr(add_months(birth, 14 * 12 + rint(rng, 0, 20)))
        elif held < 0.41:
            permis = "En cours"
        elif held < 0.49:
            permis = "Code"
        elif held < 0.55:
            permis = ""
        inscrit_ft = rng.random() < 0.4
        origine = (
            pick(rng, voc.DEMARCHE_PERSONNELLE)
            if rng.random() < DEMARCHE_SHARE
            else weighted(rng, origines, origine_cum)
        )
        recent = registered >= days(ref, -60)
        row: Row = {
            "id_jeune": str(next_id),
            "nom_usage": nom,
            "nom_naissance": nom if rng.random() < 0.9 else "",
            "prenom": prenom,
            "sexe": sexe,
            "date_naissance": fr(birth),
            "nir": "" if sans_nir else nir_of(sample, sexe, birth),
            "sans_nir": "X" if sans_nir else "",
            "situation_familiale": weighted(rng, situations, situation_cum),
            "adresse_numero": str(rint(rng, 1, 180)) + (" bis" if rng.random() < 0.03 else ""),
            "adresse_voie": pick(rng, voc.VOIES),
            "adresse_complement": pick(rng, voc.COMPLEMENTS) if rng.random() < 0.15 else "",
            "code_postal": postcode,
            "commune": commune,
            "adresse_normalisee": pick(rng, ("Oui", "Oui", "Oui", "Oui", "oui", "O")),
            "qpv": pick(rng, voc.QPV) if rng.random() < 0.2 else "",
            "zrr": "Non",
            "npai": "",
            "email": emails.new(prenom, nom, birth),
            "telephone_portable": f"0{pick(rng, '67')} {rint(rng, 0, 99):02d} {rint(rng, 0, 99):02d} "
            f"{rint(rng, 0, 99):02d} {rint(rng, 0, 99):02d}",
            "origine_venue": origine,
            "conseiller_referent": referent,
            "lieu_rattachement": site,
            "structure": voc.STRUCTURE,
            "date_inscription": fr(registered),
            "date_dernier_contact": fr(contact),
            "savoirs_base": (
                "A vérifier" if recent and rng.random() < 0.3 else ("Acquis" if rng.random() < 0.88 else "Non acquis")
            ),
            "rsa": "Non",
            "inscrit_france_travail": "Oui" if inscrit_ft else "Non",
            "identifiant_france_travail": f"{rint(rng, 1000000, 9999999)}{pick(rng, 'ABCDEFGHJKLMNPRSTUVWXYZ')}"
            if inscrit_ft
            else "",
            "moyen_locomotion": weighted(rng, locomotion, locomotion_cum),
            "permis": permis,
            "date_obtention_permis": obtenu,
            "_index": index,
            "_actif": actif,
            "_nouveau": nouveau,
            "_inscription": registered,
            "_contact": contact,
            "_naissance": birth,
            "_counsellor": counsellor,
        }
        sample.youths.append(row)


def set_contact(youth: Row, day: dt.date) -> None:
    """Move a dossier's last contact (kept consistent with its events by the caller)."""
    youth["_contact"] = day
    youth["date_dernier_contact"] = fr(day)


def set_referent(youth: Row, counsellor: Row) -> None:
    youth["_counsellor"] = counsellor
    youth["conseiller_referent"] = display(counsellor)
