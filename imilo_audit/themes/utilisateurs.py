"""User accounts (USR): to unsubscribe, retired, idle, blocked by dossiers, generic, duplicates."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..config import closing_date
from ..text import contains_word, counted_each
from .base import Theme
from .context import AuditContext

GENERIC_WORDS = ("accueil", "equipe", "generique", "secretariat", "standard", "stagiaire", "test", "admin")
CHAMPS = [
    "date_desactivation",
    "date_naissance",
    "date_derniere_connexion",
    "etat",
    "nom",
    "prenom",
    "login",
    "fonctions",
]


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per account with the facts the USR rules look at."""
    frame = ctx.frame("utilisateurs", CHAMPS)
    state = ctx.same_text("utilisateurs", "etat")
    frame["etat_actif"] = (state == "actif").fillna(False).astype(bool)
    frame["etat_desactive"] = (state == "desactive").fillna(False).astype(bool)
    frame["etat_desabonne"] = (state == "desabonne").fillna(False).astype(bool)
    frame["desabonnement_du"] = unsubscription_due(ctx)
    frame["age"] = age(ctx.column("utilisateurs", "date_naissance"), ctx.reference)
    frame["age_ans"] = frame["age"].astype("Int64").astype("string")
    frame["inactivite_mois"] = str(ctx.thresholds.inactivite_mois)
    connection = ctx.column("utilisateurs", "date_derniere_connexion")
    never = ctx.text("utilisateurs", "date_derniere_connexion").isna()
    # Never connected: the creation date, when the file has it (an account with neither is not judged).
    frame["derniere_activite"] = connection.where(~never, ctx.column("utilisateurs", "date_creation"))
    frame["nb_dossiers_referent"] = referent_counts(ctx).to_numpy()
    frame["dossiers_referent_texte"] = counted_each(frame["nb_dossiers_referent"], "dossier jeune", "dossiers jeunes")
    frame["email"] = ctx.column("utilisateurs", "email")
    frame["champ_generique"] = generic_field(ctx)
    frame["anomalie_direction"] = direction_problem(ctx, frame["etat_actif"])
    frame["compte_en_double"] = duplicate_account(ctx)
    return {"utilisateurs": frame}


def unsubscription_due(ctx: AuditContext) -> pd.Series:
    """USR-01: the deactivation year is closed in the annual report (or the date is missing)."""
    text = ctx.text("utilisateurs", "date_desactivation")
    year = ctx.column("utilisateurs", "date_desactivation").dt.year
    n = ctx.date_reference.year
    closed_last_year = ctx.date_reference >= closing_date(ctx.thresholds, n)
    due = (year <= n - 2) | ((year == n - 1) & closed_last_year)
    return (due.fillna(False) | text.isna()).astype(bool)


def age(birth: pd.Series, reference: pd.Timestamp) -> pd.Series:
    """Age in whole years at the reference date (NaN where unknown)."""
    had_birthday = (birth.dt.month < reference.month) | (
        (birth.dt.month == reference.month) & (birth.dt.day <= reference.day)
    )
    return (reference.year - birth.dt.year - (~had_birthday).astype(int)).astype("float64")


def referent_counts(ctx: AuditContext) -> pd.Series:
    """USR-04: dossiers whose referent is the account's login, « Prénom Nom » or « Nom Prénom »."""
    referents = ctx.same_text("jeunes", "conseiller_referent").value_counts()
    login = ctx.same_text("utilisateurs", "login")
    first, last = ctx.same_text("utilisateurs", "prenom"), ctx.same_text("utilisateurs", "nom")
    first_last = (first + " " + last).where(first.notna() & last.notna())
    last_first = (last + " " + first).where(first.notna() & last.notna())
    counts = []
    for keys in zip(login, first_last, last_first, strict=True):
        counts.append(int(sum(referents.get(k, 0) for k in {k for k in keys if isinstance(k, str)})))
    return pd.Series(counts, index=login.index)


def generic_field(ctx: AuditContext) -> pd.Series:
    """USR-06: the first of nom, prénom, login holding a generic word, or NA."""
    result = pd.Series(pd.NA, index=ctx.table("utilisateurs").data.index, dtype="string")
    for name in reversed(("nom", "prenom", "login")):
        keys = ctx.same_text("utilisateurs", name)
        generic = keys.map(lambda k: any(contains_word(k, w) for w in GENERIC_WORDS)).astype(bool)
        result = result.mask(generic, name)
    return result


def direction_problem(ctx: AuditContext, active: pd.Series) -> pd.Series:
    """USR-07: a « Direction » holder that is not active, or one of several holders."""
    functions = ctx.same_text("utilisateurs", "fonctions")
    holder = functions.map(
        lambda k: isinstance(k, str) and "direction" in (part.strip() for part in re.split(r"[,;/]", k))
    ).astype(bool)
    return (holder & (~active | (holder.sum() > 1))).astype(bool)


def duplicate_account(ctx: AuditContext) -> pd.Series:
    """USR-08: same nom, prénom (same text) and birth date, except the oldest creation."""
    keys = pd.DataFrame(
        {
            "nom": ctx.same_text("utilisateurs", "nom"),
            "prenom": ctx.same_text("utilisateurs", "prenom"),
            "naissance": birth_key(ctx),
            "creation": ctx.column("utilisateurs", "date_creation"),
        }
    )
    complete = keys[["nom", "prenom", "naissance"]].notna().all(axis=1)
    ranked = keys[complete].sort_values("creation", kind="stable", na_position="last")
    first = ~ranked.duplicated(["nom", "prenom", "naissance"], keep="first")
    duplicate = pd.Series(False, index=keys.index)
    duplicate[ranked.index[~first]] = True
    return duplicate


def birth_key(ctx: AuditContext) -> pd.Series:
    """Birth dates compared as dates (01/02/1980 is 1980-02-01); unreadable ones as written."""
    parsed = ctx.column("utilisateurs", "date_naissance").dt.strftime("%Y-%m-%d").astype("string")
    return parsed.where(parsed.notna(), ctx.same_text("utilisateurs", "date_naissance").astype("string"))


def parameters(ctx: AuditContext) -> dict[str, Any]:
    return {
        "age_retraite": ctx.thresholds.age_retraite,
        "limite_inactivite": ctx.months_before(ctx.thresholds.inactivite_mois),
    }


THEME = Theme(
    id="utilisateurs",
    titre="Utilisateurs",
    notebook="60_utilisateurs.ipynb",
    tables=("utilisateurs",),
    derive=derive,
    parameters=parameters,
)
