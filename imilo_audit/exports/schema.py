"""The six tables of an i-milo export, as spec/exports.md declares them.

Declaration only: fields, canonical headers, aliases, types, required flags and identifiers.
Reading and typing live in the other modules of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "boolean", "amount"]
KINDS: tuple[str, ...] = ("text", "date", "boolean", "amount")


@dataclass(frozen=True)
class FieldSpec:
    """One column of a table: ``name`` is what the code uses, ``header`` what the export shows."""

    name: str
    header: str
    aliases: tuple[str, ...] = ()
    kind: Kind = "text"
    required: bool = False

    @property
    def typed(self) -> bool:
        """True for dates, booleans and amounts (their text as read is kept in ``Table.brut``)."""
        return self.kind != "text"


@dataclass(frozen=True)
class TableSchema:
    """One table: its fields in canonical order, its id field and its identifier fields."""

    name: str
    fields: dict[str, FieldSpec]
    id_field: str
    identifier_fields: tuple[str, ...]
    line_id: bool = False  # the id is optional: when its column is absent, records get "L<n>"

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]


def _f(name: str, header: str, *aliases: str, kind: Kind = "text", required: bool = False) -> FieldSpec:
    return FieldSpec(name, header, tuple(aliases), kind, required)


def _table(
    name: str, id_field: str, identifiers: tuple[str, ...], *fields: FieldSpec, line_id: bool = False
) -> TableSchema:
    return TableSchema(name, {f.name: f for f in fields}, id_field, identifiers, line_id)


_ID_JEUNE = _f(
    "id_jeune", "Identifiant jeune", "ID jeune", "N° dossier", "Identifiant i-milo", "N° i-milo", "Id dossier",
    required=True,
)

JEUNES = _table(
    "jeunes",
    "id_jeune",
    ("id_jeune",),
    _f(
        "id_jeune",
        "Identifiant jeune",
        "ID jeune",
        "Identifiant",
        "N° dossier",
        "Numéro de dossier",
        "Identifiant i-milo",
        "N° i-milo",
        "Id dossier",
        "Numéro dossier jeune",
        required=True,
    ),
    _f("nom_usage", "Nom d'usage", "Nom"),
    _f("nom_naissance", "Nom de naissance"),
    _f("prenom", "Prénom"),
    _f("date_naissance", "Date de naissance", kind="date"),
    _f("nir", "NIR", "N° de sécurité sociale", "Numéro de sécurité sociale"),
    _f("sans_nir", "Pas de NIR", kind="boolean"),
    _f("situation_familiale", "Situation familiale"),
    _f("adresse_numero", "N° de voie", "Numéro de voie"),
    _f("adresse_voie", "Voie", "Libellé de la voie", "Nom de la voie", "Adresse"),
    _f("adresse_complement", "Complément d'adresse", "Complément"),
    _f("code_postal", "Code postal", "CP"),
    _f("commune", "Commune", "Ville"),
    _f("adresse_normalisee", "Adresse normalisée", "Normalisée", kind="boolean"),
    _f("qpv", "QPV", "Quartier prioritaire"),
    _f("zrr", "ZRR", kind="boolean"),
    _f("npai", "NPAI", kind="boolean"),
    _f("email", "Email", "E-mail", "Courriel", "Mail", "Mél", "Adresse email", "Adresse mail"),
    _f("telephone_portable", "Téléphone portable", "Portable", "Tél. portable"),
    _f("telephone_fixe", "Téléphone fixe", "Tél. fixe"),
    _f("origine_venue", "Origine de la venue", "Origine"),
    _f("conseiller_referent", "Conseiller référent", "Référent", "Conseiller"),
    _f("lieu_rattachement", "Lieu de rattachement", "Site", "Antenne", "Lieu d'accueil"),
    _f("structure", "Structure", "Mission locale"),
    _f(
        "date_inscription",
        "Date de première inscription",
        "Date d'inscription",
        "Date 1ère inscription",
        "Date de 1er accueil",
        "Date de premier accueil",
        "Date 1er accueil",
        kind="date",
    ),
    _f(
        "date_dernier_contact",
        "Date du dernier contact",
        "Dernier contact",
        "Date dernier événement",
        kind="date",
    ),
    _f("savoirs_base", "Savoirs de base"),
    _f("rsa", "RSA", "Bénéficiaire RSA"),
    _f("inscrit_france_travail", "Inscrit France Travail", "Inscrit Pôle emploi", kind="boolean"),
    _f(
        "identifiant_france_travail",
        "Identifiant France Travail",
        "Identifiant Pôle emploi",
        "N° Pôle emploi",
        "IDE",
        "Identifiant demandeur d'emploi",
        "N° DE",
    ),
    _f("moyen_locomotion", "Moyen de locomotion principal", "Moyen de locomotion"),
    _f("permis", "Permis de conduire", "Permis"),
    _f("date_obtention_permis", "Date d'obtention du permis", kind="date"),
)

RESSOURCES = _table(
    "ressources",
    "id_ressource",
    ("id_ressource", "id_jeune"),
    _f("id_ressource", "Identifiant ressource", "ID ressource"),
    _ID_JEUNE,
    _f("type_ressource", "Type de ressource", "Ressource", "Type", required=True),
    _f("montant", "Montant", "Montant mensuel", kind="amount"),
    _f("date_debut", "Date de début", "Début", kind="date"),
    _f("date_fin", "Date de fin", "Fin", kind="date"),
    line_id=True,
)

FORMATIONS = _table(
    "formations",
    "id_situation",
    ("id_situation", "id_jeune"),
    _f("id_situation", "Identifiant situation", "ID situation", "Identifiant formation", required=True),
    _ID_JEUNE,
    _f("intitule", "Intitulé de la formation", "Intitulé", "Formation"),
    _f("organisme", "Organisme", "Organisme de formation"),
    _f("date_debut", "Date de début", "Début", kind="date"),
    _f("date_fin_prevue", "Date de fin prévue", "Date de fin", kind="date"),
    _f("date_fin_reelle", "Date de fin réelle", "Fin réelle", kind="date"),
    _f("objectif", "Objectif général formation", "Objectif général de formation", "Objectif"),
    _f("validation_preparee", "Validation préparée"),
    _f("niveau", "Niveau"),
    _f("formacode", "Formacode"),
    _f("nsf", "Code NSF", "NSF"),
    _f("motif_interruption", "Motif d'interruption"),
    _f("origine_saisie", "Origine de la saisie", "Source"),
    _f("conseiller", "Conseiller", "Conseiller référent"),
)

UTILISATEURS = _table(
    "utilisateurs",
    "login",
    ("login",),
    _f("login", "Identifiant", "Login", "Identifiant de connexion", required=True),
    _f("nom", "Nom"),
    _f("prenom", "Prénom"),
    _f("date_naissance", "Date de naissance", kind="date"),
    _f("email", "Email", "E-mail", "Courriel", "Mail"),
    _f("profil", "Profil"),
    _f("fonctions", "Fonctions", "Fonction"),
    _f("etat", "État", "Etat du compte", "Statut", required=True),
    _f("date_creation", "Date de création", kind="date"),
    _f("date_desactivation", "Date de désactivation", kind="date"),
    _f("date_derniere_connexion", "Date de dernière connexion", "Dernière connexion", kind="date"),
)

DISPOSITIFS = _table(
    "dispositifs",
    "id_dispositif",
    ("id_dispositif", "id_jeune"),
    _f("id_dispositif", "Identifiant dispositif", "ID dispositif"),
    _ID_JEUNE,
    _f("dispositif", "Dispositif", "Type de dispositif", required=True),
    _f("date_initialisation", "Date d'initialisation", kind="date"),
    _f("date_entree", "Date d'entrée", kind="date"),
    _f("date_fin_prevue", "Date de fin prévue", kind="date"),
    _f("date_sortie", "Date de sortie", kind="date"),
    _f("motif_sortie", "Motif de sortie"),
    _f("conseiller", "Conseiller", "Référent", "Conseiller référent", "Référent du dispositif"),
    _f("prescripteur", "Prescripteur"),  # another role than the counsellor: kept, used by no rule
    line_id=True,
)

EVENEMENTS = _table(
    "evenements",
    "id_evenement",
    ("id_evenement", "id_jeune"),
    _f("id_evenement", "Identifiant événement", "ID événement"),
    _ID_JEUNE,
    _f("date", "Date", "Date de l'événement", "Date de l'entretien", "Date du contact", kind="date", required=True),
    _f("type", "Type", "Type d'événement", "Nature", "Type de contact", "Mode de contact"),
    _f("conseiller", "Conseiller"),
    line_id=True,
)

TABLES: dict[str, TableSchema] = {
    t.name: t for t in (JEUNES, RESSOURCES, FORMATIONS, UTILISATEURS, DISPOSITIFS, EVENEMENTS)
}
"""The six tables in the order of the contract; ``jeunes`` is the only required one."""

REQUIRED_TABLES: tuple[str, ...] = ("jeunes",)

LINE_BREAK_FIELDS: dict[str, frozenset[str]] = {
    "jeunes": frozenset({"adresse_voie", "adresse_complement"}),
    "formations": frozenset({"intitule", "organisme", "objectif", "validation_preparee", "motif_interruption"}),
    "dispositifs": frozenset({"motif_sortie"}),
}
"""Fields whose quoted values may hold a line break (free text typed in i-milo). Columns of no field
(comments, observations) may hold them too; anywhere else a value spanning lines is a stray quote."""
