"""The audit's configuration: thresholds and dates of rules.md, and extra header aliases.

A quality officer changes them in a TOML file (see ``imilo-audit.exemple.toml``), never in code
or in the expectation suites. Every value has the default of rules.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, os_error_fr


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of rules.md, by their names there."""

    perimetre_mois: int = 12
    seuil_demarche_personnelle: float = 0.25
    effectif_minimum: int = 10
    cloture_bilan: str = "03-31"  # MM-JJ: day of year N when the annual report N-1 is closed
    age_retraite: int = 64
    inactivite_mois: int = 3

    def changed(self) -> dict[str, Any]:
        """Values that differ from the defaults (the report states them)."""
        default = Thresholds()
        return {k: v for k, v in asdict(self).items() if getattr(default, k) != v}


LABELS = {
    "perimetre_mois": "Périmètre actif (mois depuis le dernier contact)",
    "seuil_demarche_personnelle": "Part maximale de « Démarche personnelle »",
    "effectif_minimum": "Effectif minimum d'un groupe (nouveaux inscrits)",
    "cloture_bilan": "Clôture du bilan d'activité N-1 (jour-mois de l'année N)",
    "age_retraite": "Âge de départ à la retraite présumé",
    "inactivite_mois": "Inactivité d'un compte actif (mois sans connexion)",
}


@dataclass(frozen=True)
class AuditConfig:
    """Everything a run needs to know besides the export folder."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    aliases: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    source: str | None = None  # path of the file read, if any
    cle_pseudonymisation: str = field(default="", repr=False)  # [pseudonymisation] cle: a secret
    pseudonymise: bool = False  # --pseudonymise: counsellors and accounts under pseudonyms (pseudonyms.py)
    notification: Notification | None = field(default=None, repr=False)  # [notification]: the run's email
    fichiers: dict[str, str] = field(default_factory=dict)  # [fichiers]: file name or pattern -> table or « ignorer »

    def to_parameters(self) -> dict[str, Any]:
        """Plain values handed to notebooks as papermill parameters.

        The key of a pseudonymised audit is no parameter: papermill writes parameters into the
        executed notebooks, which travel with the audit. The notebooks get the configuration file's
        path and read the key there.
        """
        parameters: dict[str, Any] = {
            "seuils": asdict(self.thresholds), "alias": self.aliases, "pseudonymisation": "", "fichiers": self.fichiers
        }
        if self.pseudonymise:
            if not self.source:
                raise ConfigError(MISSING_KEY)
            parameters["pseudonymisation"] = str(Path(self.source).resolve())
        return parameters

    @classmethod
    def from_parameters(
        cls, seuils: dict[str, Any] | None, alias: dict | None, pseudonymisation: str = "", fichiers: dict | None = None
    ) -> AuditConfig:
        """Inverse of :meth:`to_parameters` (used inside notebooks).

        ``pseudonymisation``: the configuration file holding the key of a pseudonymised audit (empty:
        no pseudonymisation).
        """
        config = cls(
            thresholds=_thresholds(seuils or {}, "paramètres"),
            aliases=_aliases(alias or {}, ""),
            fichiers=_files(fichiers or {}, "paramètres"),
        )
        if not pseudonymisation:
            return config
        key = load_config(pseudonymisation).cle_pseudonymisation
        return replace(config, source=pseudonymisation, cle_pseudonymisation=key).pseudonymised()

    def pseudonymised(self) -> AuditConfig:
        """This configuration for a pseudonymised audit; a clear error when the file gives no key."""
        if not self.cle_pseudonymisation:
            raise ConfigError(MISSING_KEY)
        return replace(self, pseudonymise=True)


KEY_MIN_LENGTH = 16
EXAMPLE_KEY = "remplacez-moi par une phrase secrète bien à vous"  # the key line of imilo-audit.exemple.toml: refused
_NBSP = "\u00a0"
MISSING_KEY = (
    f"--pseudonymise demande une clé secrète dans le fichier de configuration. Ajoutez ces lignes à votre "
    f"fichier de configuration (modèle{_NBSP}: imilo-audit.exemple.toml){_NBSP}:\n\n[pseudonymisation]\n"
    f'cle = "une phrase secrète d\'au moins {KEY_MIN_LENGTH} caractères"\n\n'
    f"puis relancez avec --config ce-fichier --pseudonymise. Gardez la même clé chaque mois (les mêmes personnes "
    f"garderont les mêmes pseudonymes) et ne la transmettez jamais avec l'audit."
)


def load_config(path: str | Path | None) -> AuditConfig:
    """Read a TOML configuration file; None gives the defaults."""
    if path is None:
        return AuditConfig()
    path = Path(path)
    raw = _read_toml(path)
    unknown = set(raw) - {"seuils", "alias", "fichiers", "pseudonymisation", "notification"}
    if unknown:
        raise ConfigError(
            f"Le fichier de configuration « {path} » contient une section inconnue : "
            f"{', '.join(sorted(unknown))}. Sections possibles : [seuils], [alias.<table>], [fichiers], "
            "[pseudonymisation] et [notification]."
        )
    for section in ("seuils", "alias", "fichiers"):
        if not isinstance(raw.get(section, {}), dict):
            raise ConfigError(
                f"Dans le fichier de configuration « {path} », « {section} » doit être une section "
                f"([{section}] sur sa propre ligne, puis une valeur par ligne), pas une valeur "
                f"({section} = {raw[section]!r}). Comparez-le avec imilo-audit.exemple.toml."
            )
    return AuditConfig(
        thresholds=_thresholds(raw.get("seuils", {}), str(path)),
        aliases=_aliases(raw.get("alias", {}), str(path)),
        source=str(path),
        cle_pseudonymisation=_key(raw.get("pseudonymisation", {}), str(path)),
        notification=notification_settings(raw.get("notification"), str(path)),
        fichiers=_files(raw.get("fichiers", {}), str(path)),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML file's values; every problem said in French (the parser's messages are English)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"Le fichier de configuration « {path} » est introuvable. Vérifiez le chemin donné à --config."
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"« {path} » est un dossier, pas un fichier de configuration : donnez à --config le chemin d'un fichier "
            ".toml (modèle : imilo-audit.exemple.toml)."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Le fichier de configuration « {path} » ne peut pas être lu : {os_error_fr(exc)}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes().count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"Le fichier de configuration « {path} » n'est pas en UTF-8 (ligne {line}) : enregistrez-le en UTF-8 "
            "depuis votre éditeur de texte."
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f" à la ligne {where[1]}, colonne {where[2]}" if where else ""
        raise ConfigError(
            f"Le fichier de configuration « {path} » est mal écrit{at} (syntaxe TOML : une section [nom] par ligne, "
            'puis des lignes nom = valeur, les textes entre guillemets "…"). Comparez-le avec '
            "imilo-audit.exemple.toml."
        ) from None


def _key(values: Any, where: str) -> str:
    """The key of [pseudonymisation] (empty when the section is absent)."""
    if not isinstance(values, dict) or set(values) - {"cle"}:
        raise ConfigError(f'La section [pseudonymisation] de {where} ne contient qu\'une valeur{_NBSP}: cle = "…".')
    if not values:
        return ""
    key = values["cle"]
    if not isinstance(key, str) or len(key.strip()) < KEY_MIN_LENGTH:
        raise ConfigError(
            f"La clé de pseudonymisation («{_NBSP}cle{_NBSP}» de [pseudonymisation], {where}) doit être un texte "
            f"d'au moins {KEY_MIN_LENGTH} caractères{_NBSP}: une clé courte se devine, et avec elle les personnes "
            "derrière les pseudonymes."
        )
    if " ".join(key.split()).casefold() == EXAMPLE_KEY.casefold():
        raise ConfigError(
            f"La clé de pseudonymisation de {where} est celle de l'exemple (imilo-audit.exemple.toml), publique : "
            "qui a le projet recalculerait chaque pseudonyme. Remplacez-la par une phrase secrète bien à vous "
            f"(au moins {KEY_MIN_LENGTH} caractères), gardez-la chaque mois et ne la transmettez jamais."
        )
    return key


def _thresholds(values: dict[str, Any], where: str) -> Thresholds:
    if not isinstance(values, dict):
        raise ConfigError(f"La section [seuils] de {where} donne une valeur par ligne : perimetre_mois = 12.")
    known = {f.name: f.type for f in fields(Thresholds)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(
            f"Seuil inconnu dans {where} : {', '.join(sorted(unknown))}. Seuils possibles : {', '.join(known)}."
        )
    default = Thresholds()
    clean: dict[str, Any] = {}
    for name, value in values.items():
        expected = type(getattr(default, name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(
                f"Le seuil « {name} » de {where} doit être un {_type_fr(expected)} (valeur lue : {value!r})."
            )
        clean[name] = value
    thresholds = Thresholds(**clean)
    _check_ranges(thresholds, where)
    return thresholds


RANGES: dict[str, tuple[int, int]] = {
    "perimetre_mois": (0, 600),
    "effectif_minimum": (0, 1_000_000),
    "age_retraite": (0, 120),
    "inactivite_mois": (0, 600),
}
"""Accepted values of the whole-number thresholds (months over 50 years, ages over 120 make no sense)."""
_RANGE_UNITS = {"perimetre_mois": " mois (0 : tous les dossiers)", "inactivite_mois": " mois", "age_retraite": " ans"}


def _check_ranges(t: Thresholds, where: str) -> None:
    if not 0 <= t.seuil_demarche_personnelle <= 1:
        raise ConfigError(f"« seuil_demarche_personnelle » ({where}) est une part entre 0 et 1, ex. 0.25.")
    for name, (low, high) in RANGES.items():
        value = getattr(t, name)
        if not low <= value <= high:
            raise ConfigError(
                f"« {name} » ({where}) vaut {value} : les valeurs acceptées vont de {low} à {high}"
                f"{_RANGE_UNITS.get(name, '')}."
            )
    try:
        month, day = (int(p) for p in t.cloture_bilan.split("-"))
        dt.date(2024, month, day)
    except ValueError:
        raise ConfigError(
            f'« cloture_bilan » ({where}) s\'écrit MM-JJ, par exemple "03-31" pour le 31 mars '
            f"(valeur lue : {t.cloture_bilan!r})."
        ) from None


def _aliases(values: dict[str, Any], where: str) -> dict[str, dict[str, list[str]]]:
    clean: dict[str, dict[str, list[str]]] = {}
    if not isinstance(values, dict):
        raise ConfigError(f'La section [alias] de {where} se découpe par table : [alias.jeunes] puis email = ["Mél"].')
    for table, per_field in values.items():
        if not isinstance(per_field, dict):
            raise ConfigError(f'[alias.{table}] de {where} doit lister des champs : email = ["Mél"].')
        clean[table] = {}
        for name, names in per_field.items():
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ConfigError(f"L'alias « {table}.{name} » de {where} doit être un texte ou une liste.")
            clean[table][name] = list(names)
    return clean


TABLE_NAMES = ("jeunes", "ressources", "formations", "utilisateurs", "dispositifs", "evenements")
IGNORED_FILE = "ignorer"


def _files(values: dict[str, Any], where: str) -> dict[str, str]:
    """[fichiers]: a file name or pattern (``*``, ``?``) -> the table it holds, or « ignorer »."""
    clean: dict[str, str] = {}
    for pattern, table in values.items():
        if not isinstance(table, str) or table.strip().casefold() not in (*TABLE_NAMES, IGNORED_FILE):
            raise ConfigError(
                f"Dans [fichiers] de {where}, « {pattern} » doit désigner une table ({', '.join(TABLE_NAMES)}) "
                f'ou « {IGNORED_FILE} », par exemple : "Liste des jeunes*.xlsx" = "jeunes" (lu : {table!r}).'
            )
        clean[str(pattern)] = table.strip().casefold()
    return clean


def _type_fr(kind: type) -> str:
    return {int: "nombre entier", float: "nombre décimal", str: "texte"}.get(kind, kind.__name__)


def closing_date(thresholds: Thresholds, year: int) -> dt.date:
    """The day of ``year`` when the annual report of ``year - 1`` is closed."""
    month, day = (int(p) for p in thresholds.cloture_bilan.split("-"))
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


YEARS = (2000, 2100)
"""Years a date de référence may fall in: i-milo exports hold nothing before, nor far after."""


def reference_date(month: str | None = None, date_reference: str | None = None) -> dt.date:
    """The *date de référence*: last day of ``month`` (YYYY-MM), the given day, or today."""
    if month and date_reference:
        raise ConfigError("Donnez soit --month, soit --date-reference, pas les deux.")
    if date_reference:
        try:
            day = dt.date.fromisoformat(date_reference)
        except ValueError:
            raise ConfigError(
                f"La date de référence « {date_reference} » doit s'écrire AAAA-MM-JJ, ex. 2026-10-31."
            ) from None
        return _in_years(day, f"La date de référence « {date_reference} »")
    if month:
        try:
            year, mon = (int(p) for p in month.split("-"))
            day = dt.date(year, mon, calendar.monthrange(year, mon)[1])
        except ValueError:
            raise ConfigError(f"Le mois « {month} » doit s'écrire AAAA-MM, ex. 2026-10.") from None
        return _in_years(day, f"Le mois « {month} »")
    return dt.date.today()


def previous_month_end(today: dt.date | None = None) -> dt.date:
    """The last day of the month before ``today``'s: the date de référence of a month's audit run now."""
    return (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)


def _in_years(day: dt.date, what: str) -> dt.date:
    low, high = YEARS
    if not low <= day.year <= high:
        raise ConfigError(
            f"{what} est hors de la période acceptée (années {low} à {high}) : vérifiez l'année, ex. 2026."
        )
    return day


_NOTIFICATION_KEYS = {"serveur", "port", "starttls", "utilisateur", "mot_de_passe_env", "expediteur", "destinataires"}


@dataclass(frozen=True)
class Notification:
    """Where and how to send the run's email."""

    serveur: str
    expediteur: str
    destinataires: list[str] = field(default_factory=list)
    port: int = 25
    starttls: bool = False
    utilisateur: str = ""
    mot_de_passe_env: str = ""


def notification_settings(values: Any, where: str) -> Notification | None:
    """The ``[notification]`` section checked (None when absent); a French error naming what is wrong."""
    if values in (None, {}):
        return None
    if not isinstance(values, dict):
        raise ConfigError(f"[notification] de {where} doit être une section (serveur = …, destinataires = […]).")
    unknown = set(values) - _NOTIFICATION_KEYS
    if unknown:
        raise ConfigError(
            f"Clé inconnue dans [notification] de {where} : {', '.join(sorted(unknown))}. "
            f"Clés possibles : {', '.join(sorted(_NOTIFICATION_KEYS))}."
        )
    for key in ("serveur", "expediteur", "destinataires"):
        if not values.get(key):
            raise ConfigError(f"[notification] de {where} : « {key} » est obligatoire.")
    recipients = values["destinataires"]
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(isinstance(r, str) and "@" in r for r in recipients):
        raise ConfigError(f"[notification] de {where} : « destinataires » est une liste d'adresses email.")
    port = values.get("port", 25)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"[notification] de {where} : « port » est un numéro entre 1 et 65535 (lu : {port!r}).")
    return Notification(
        serveur=str(values["serveur"]),
        expediteur=str(values["expediteur"]),
        destinataires=list(recipients),
        port=port,
        starttls=bool(values.get("starttls", port == 587)),
        utilisateur=str(values.get("utilisateur", "")),
        mot_de_passe_env=str(values.get("mot_de_passe_env", "")),
    )
