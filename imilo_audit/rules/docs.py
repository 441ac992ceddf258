"""The rule catalogue and the export format as Markdown, generated so that they never drift.

``docs/regles.md`` comes from the suites' ``meta`` (expectations/*.json), ``docs/export.md`` from
the reader's column table (exports/schema.py). ``make docs`` writes them; a test checks that the
committed files are what the code says.
"""

from __future__ import annotations

from pathlib import Path

from ..config import LABELS, Thresholds
from ..exports import TABLES
from ..folders import ROOT
from .catalogue import catalogue

DOCS_DIR = ROOT / "docs"
KIND_LABELS = {"text": "texte", "date": "date", "boolean": "oui/non", "amount": "montant"}
SEVERITY_LABELS = {"erreur": "erreur", "alerte": "alerte", "info": "info"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """``docs/regles.md``: every rule the audit runs, by theme, with why and how to fix."""
    lines = [
        "# Les règles de l'audit",
        "",
        "Fichier généré par `make docs` à partir des suites d'attentes (`expectations/*.json`) : ne pas le",
        "modifier à la main. Chaque règle dit ce qui est vérifié, pourquoi c'est important (avec le passage de",
        "la charte de saisie) et comment corriger dans i-milo. Les seuils se règlent dans le fichier de",
        "configuration (voir `imilo-audit.exemple.toml`) ; valeurs par défaut :",
        "",
    ]
    defaults = Thresholds()
    lines += [f"- {LABELS[name]} (`{name}`) : {str(getattr(defaults, name)).replace('.', ',')}" for name in LABELS]
    theme = None
    for rule in catalogue():
        if rule["theme"] != theme:
            theme = rule["theme"]
            lines += ["", f"## {rule['theme_titre']}", ""]
        lines += [
            f"### {rule['rule_id']} — {rule['titre']} ({SEVERITY_LABELS.get(rule['gravite'], rule['gravite'])})",
            "",
            f"- **Table** : {rule['table']}",
            f"- **Pourquoi** : {rule['pourquoi']}",
            f"- **Comment corriger** : {rule['correction']}",
            f"- **Source** : {rule['source']}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def export_markdown() -> str:
    """``docs/export.md``: the tables of an export and the column names the reader accepts."""
    lines = [
        "# Le format de l'export",
        "",
        "Fichier généré par `make docs` à partir de la table des colonnes du lecteur",
        "(`imilo_audit/exports/schema.py`) : ne pas le modifier à la main.",
        "",
        "Un export est un dossier, un fichier par table, dont le nom commence par le nom de la table",
        "(`jeunes_2026-10.csv`, `Ressources.xlsx`, `événements.csv`). CSV ou texte (séparateur `;` `,`",
        "tabulation ou `|`, UTF-8 ou Windows-1252) ou Excel `.xlsx`. Les en-têtes sont reconnus sans tenir",
        "compte des majuscules, des accents ni de la ponctuation ; le fichier de configuration peut ajouter",
        "des noms (section `[alias.<table>]`). Seule la table `jeunes` est obligatoire ; une colonne",
        "« obligatoire » manquante arrête l'audit avec un message qui la nomme.",
    ]
    for table in TABLES.values():
        lines += ["", f"## `{table.name}`", "", "| champ | en-tête | autres noms acceptés | type |"]
        lines.append("| --- | --- | --- | --- |")
        for spec in table.fields.values():
            name = f"`{spec.name}`" + (" (obligatoire)" if spec.required else "")
            aliases = ", ".join(spec.aliases) or "—"
            lines.append(f"| {name} | {_cell(spec.header)} | {_cell(aliases)} | {KIND_LABELS[spec.kind]} |")
    return "\n".join(lines) + "\n"


GENERATED = {"regles.md": rules_markdown, "export.md": export_markdown}


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    """Write every generated document into ``directory``."""
    written = []
    for name, build in GENERATED.items():
        path = directory / name
        path.write_text(build(), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_docs():
        print(path)
