"""User accounts: USR-01…08 (USR-04 computed in oracle.py from the referents planted here).

Look-alikes: an account deactivated before the annual report of its year is closed, a user named
TESTARD (« test » is not a word of it), an unsubscribed account without email and aged 70, an
active account aged 63, an account never connected but created two weeks ago, an account whose
last connection is under 3 months old.
"""

from __future__ import annotations

import datetime as dt

from . import vocabulary as voc
from .charter import closing_date
from .dates import add_months, between, days, fr, fr_time
from .model import Row, Sample
from .people import set_referent, slug, user


def plant(s: Sample) -> None:
    rng, ref = s.rng, s.reference
    names = s.names
    year = ref.year
    closed_last_year = ref >= closing_date(s.thresholds.cloture_bilan, year)

    def ago(n: int) -> dt.date:
        return days(ref, -n)

    def add(row: Row) -> Row:
        s.users.append(row)
        return row

    def counsellor(**cells) -> Row:
        return user(s, names, voc.FONCTION_CONSEILLER, "Conseiller", **cells)

    def deactivated(day: dt.date | None, **cells) -> dict:
        """Cells of an account deactivated on ``day`` (None: the date is missing)."""
        last = days(day or ago(400), -rng.randint(1, 15))
        spelling = rng.choice(("Désactivé", "desactivé", "DESACTIVE", "Désactivé"))
        return {
            "etat": spelling,
            "date_desactivation": fr(day),
            "date_derniere_connexion": fr_time(last, rng, True),
            "date_creation": fr(days(last, -rng.randint(400, 3000))),
            **cells,
        }

    def not_yet_due() -> dt.date:
        """A deactivation day whose activity year is not closed in the annual report yet."""
        if not closed_last_year:
            return dt.date(year - 1, 12, rng.randint(1, 20))
        return between(rng, dt.date(year, 1, 2), max(dt.date(year, 1, 2), ago(10)))

    for k in range(s.count_users(4)):  # USR-01
        case = k % 4
        if case in (0, 1):
            day = between(rng, dt.date(year - 3, 1, 5), dt.date(year - 2, 12, 20))
        elif case == 2:
            day = None
        else:
            day = dt.date(year - 1, rng.randint(4, 11), rng.randint(1, 28))
            if not closed_last_year:
                day = day.replace(year=year - 3)
        row = add(counsellor(**deactivated(day)))
        s.expect("USR-01", "utilisateurs", row)

    for k in range(s.count_users(2)):  # USR-02: 64 or older
        birth = days(add_months(ref, -(66 - k % 2) * 12), -rng.randint(20, 150))
        cells = {"date_naissance": fr(birth)}
        if k % 2:
            cells.update(deactivated(not_yet_due()))
        row = add(user(s, names, "Chargé(e) d'accueil", "Accueil", **cells))
        s.expect("USR-02", "utilisateurs", row)

    for k in range(s.count_users(3)):  # USR-03: active, idle for more than 3 months
        case = k % 3
        if case == 0:
            row = add(counsellor(date_derniere_connexion=fr_time(ago(rng.randint(140, 170)), rng, True)))
        elif case == 1:
            row = add(counsellor(date_derniere_connexion="", date_creation=fr(add_months(ref, -8))))
        else:
            row = add(
                user(
                    s,
                    names,
                    "Chargé(e) de projet",
                    "Chargé de projet",
                    date_derniere_connexion=fr_time(add_months(ago(5), -13), rng, True),
                )
            )
        s.expect("USR-03", "utilisateurs", row)

    for k in range(s.count_users(3)):  # USR-04 (computed): not active, still referent of dossiers
        case = k % 3
        if case == 0:  # deactivated this year, three dossiers not transferred
            row, style, dossiers = add(counsellor(**deactivated(not_yet_due()))), "prenom nom", 3
        elif case == 1:  # unsubscribed, one dossier named by login
            row = add(counsellor(**{**deactivated(ago(700)), "etat": "Désabonné"}))
            style, dossiers = "login", 1
        else:  # deactivated long ago (also USR-01), two dossiers named « NOM Prénom »
            row = add(counsellor(**deactivated(dt.date(year - 2, 6, 30))))
            s.expect("USR-01", "utilisateurs", row)
            style, dossiers = "nom prenom", 2
        row.update(_style=style, _site=s.sites[0])
        for _ in range(dossiers):
            set_referent(s.take("actif", "referent"), row)

    for _ in range(s.count_users(2)):  # USR-05
        row = add(counsellor(email=""))
        s.expect("USR-05", "utilisateurs", row)

    generic = (  # (nom, prenom, login, field at fault)
        ("ACCUEIL", "Villeurbanne", "accueil.villeurbanne", "nom"),
        ("Équipe emploi", "Bron", "equipe.bron", "nom"),
        ("FORMATION", "Test", "tformation", "prenom"),
        ("COLLIN", "Maëva", "stagiaire.rh", "login"),
        ("ADMIN", "i-milo", "admin.imilo", "nom"),
        ("SECRÉTARIAT", "Direction", "secretariat", "nom"),
    )
    for k in range(s.count_users(len(generic))):  # USR-06
        nom, prenom, login, champ = generic[k % len(generic)]
        rank = k // len(generic)
        login += str(rank + 1) if rank else ""
        names.claim(prenom, nom, login)
        row = add(
            user(
                s,
                names,
                "Chargé(e) d'accueil",
                "Accueil",
                nom=nom,
                prenom=prenom,
                login=login,
                email=f"{slug(login)}@{voc.STAFF_EMAIL_DOMAIN}",
                date_naissance=f"01/01/{1980 + rank}",
            )
        )
        s.expect("USR-06", "utilisateurs", row, champ)

    # USR-07: two active holders of « Direction », and the former director's account
    for row in (
        add(user(s, names, "Direction", "Direction")),
        add(user(s, names, "Direction, Responsable de secteur", "Encadrement")),
        add(user(s, names, "Direction", "Direction", **deactivated(not_yet_due()))),
    ):
        s.expect("USR-07", "utilisateurs", row)

    for k in range(s.count_users(2)):  # USR-08: the same person given a second account
        first = add(counsellor(date_creation=fr(days(add_months(ref, -98), k))))
        birth = first["date_naissance"]
        if k % 2:  # the same birth date, written another way
            birth = dt.datetime.strptime(birth, "%d/%m/%Y").date().isoformat()
        again = add(
            counsellor(
                date_creation=fr(days(add_months(ref, -20), k)),
                date_naissance=birth,
                nom=first["nom"].capitalize(),
                prenom=first["prenom"].lower(),
                login=names.free_login(first["login"]),
            )
        )
        s.expect("USR-08", "utilisateurs", again)

    # --- look-alikes -------------------------------------------------------------------------
    row = add(counsellor(**deactivated(not_yet_due())))
    s.lookalike("Compte désactivé avant la clôture du bilan de son année", "utilisateurs", row["login"], ("USR-01",))
    if not closed_last_year and ref >= dt.date(year, 1, 15):
        row = add(counsellor(**deactivated(between(rng, dt.date(year, 1, 2), ago(5)))))
        s.lookalike(
            "Compte désactivé avant la clôture du bilan de son année", "utilisateurs", row["login"], ("USR-01",)
        )

    names.claim("Julie", "TESTARD", "jtestard")
    row = add(
        counsellor(nom="TESTARD", prenom="Julie", login="jtestard", email=f"julie.testard@{voc.STAFF_EMAIL_DOMAIN}")
    )
    s.lookalike("Utilisateur nommé TESTARD", "utilisateurs", row["login"], ("USR-06",))

    row = add(
        counsellor(
            **{
                **deactivated(ago(900)),
                "etat": "Désabonné",
                "email": "",
                "date_naissance": fr(add_months(ref, -70 * 12 - 3)),
            }
        )
    )
    s.lookalike(
        "Compte désabonné sans email, âgé de 70 ans", "utilisateurs", row["login"], ("USR-01", "USR-02", "USR-05")
    )

    row = add(counsellor(date_naissance=fr(add_months(ref, -(63 * 12 + 6)))))
    s.lookalike("Compte actif âgé de 63 ans", "utilisateurs", row["login"], ("USR-02",))

    row = add(counsellor(date_derniere_connexion="", date_creation=fr(ago(14))))
    s.lookalike("Compte jamais connecté créé il y a deux semaines", "utilisateurs", row["login"], ("USR-03",))

    row = add(counsellor(date_derniere_connexion=fr_time(ago(75), rng, True)))
    s.lookalike("Dernière connexion il y a 75 jours", "utilisateurs", row["login"], ("USR-03",))
