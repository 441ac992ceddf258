"""Writes the notebooks of notebooks/ (thin: parameters, one call into the package, what to look at).

Run it after adding a theme: `.venv/bin/python scripts/make_notebooks.py`.
"""

import hashlib
from pathlib import Path

import nbformat as nbf

from imilo_audit.themes import THEMES

PARAMS = """dossier_export: str = ""  # dossier de l'export i-milo à auditer (vide : l'échantillon data_samples/ du projet)
date_reference: str = "2026-10-31"  # date de référence de l'audit (AAAA-MM-JJ)
dossier_tables: str = ""  # tables préparées par 00_preparation (vide : lire l'export directement)
dossier_sortie: str = ""  # dossier du run où écrire les résultats (vide : ne rien écrire)
dossier_audits: str = ""  # dossier des audits précédents, pour la tendance (vide : aucun)
seuils: dict = {}  # seuils de la configuration (vide : valeurs par défaut, voir docs/regles.md)
alias: dict = {}  # noms de colonnes supplémentaires, par table et par champ
pseudonymisation: str = ""  # fichier de configuration qui contient la clé de pseudonymisation (vide : audit non pseudonymisé)
fichiers: dict = {}  # fichier (nom ou motif) -> table, section [fichiers] de la configuration (vide : reconnus par leur nom ou leurs en-têtes)"""


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    out = []
    for number, (kind, src, *tags) in enumerate(cells):
        cell = nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
        # ids from the content and place: regenerating changes only the notebooks whose cells change
        cell.id = hashlib.sha1(f"{number}\n{src}".encode()).hexdigest()[:8]
        if tags:
            cell.metadata["tags"] = tags
        out.append(cell)
    book.cells = out
    return book


def params():
    return ("code", PARAMS, "parameters")


EXTRAS = {
    "origine": [
        ("md", "## Part de « Démarche personnelle » parmi les nouveaux inscrits\n\nPour la structure, chaque conseiller et chaque lieu ayant au moins l'effectif minimum de nouveaux inscrits (12 derniers mois). En orange : au-delà du seuil."),
        ("code", "from imilo_audit.notebook import origine_parts_figure, origine_parts_table\n\norigine_parts_figure(resultat, seuils)"),
        ("code", "tableau(origine_parts_table(resultat, seuils))"),
    ],
}


def theme_nb(theme, titre, intro):
    return nb(
        [
            ("md", f"# Audit « {titre} »\n\n{intro}"),
            params(),
            (
                "code",
                f'from imilo_audit.notebook import entete, graphique, run_theme, tableau\n\nresultat = run_theme("{theme}", dossier_export, date_reference, dossier_tables, dossier_sortie, seuils, alias, pseudonymisation, fichiers)\nentete(resultat)',
                "remove_input",
            ),
            ("md", "## Anomalies par règle"),
            ("code", "graphique(resultat)"),
            ("code", "tableau(resultat.par_regle())"),
            *EXTRAS.get(theme, []),
            ("md", "## Par conseiller"),
            ("code", 'tableau(resultat.par_groupe("conseiller"))'),
            ("md", "## Par lieu de rattachement"),
            ("code", 'tableau(resultat.par_groupe("lieu"))'),
            (
                "md",
                "## Premiers dossiers à corriger\n\nLa liste complète est dans `findings.csv` et dans le classeur de chaque conseiller (`par_conseiller/`).",
            ),
            ("code", "tableau(resultat.a_corriger())"),
        ]
    )


ROOT = Path(__file__).resolve().parents[1] / "notebooks"
ROOT.mkdir(exist_ok=True)
nbf.write(
    nb(
        [
            (
                "md",
                "# Préparation : lecture de l'export\n\nLit une seule fois les fichiers de l'export (CSV ou Excel, tout encodage prévu) et range les tables typées pour les notebooks de thème.",
            ),
            params(),
            (
                "code",
                "from imilo_audit.notebook import entete_preparation, export_overview, prepare, tableau\n\nexport = prepare(dossier_export, dossier_tables, alias, fichiers)\nentete_preparation(export, date_reference)",
                "remove_input",
            ),
            ("code", "tableau(export_overview(export))"),
        ]
    ),
    ROOT / "00_preparation.ipynb",
)
INTROS = {
    "adresses": "Adresses normalisées, complètes, et convention SDF / déménagement (règles ADR-01 à ADR-03), sur les dossiers actifs.",
    "identite": "Noms en majuscules non accentuées, NIR valide et certifiable ou case « Pas de NIR », situation familiale renseignée, « A vérifier » temporaire en savoirs de base (règles IDN-01 à IDN-06), sur les dossiers actifs.",
    "emails": "Email présent, valide, réel, sans faute de fournisseur et propre à chaque jeune (règles EML-01 à EML-05), sur les dossiers actifs.",
    "origine": "Part de « Démarche personnelle » parmi les nouveaux inscrits, pour la structure, chaque conseiller et chaque lieu (ORI-01), et origine manquante (ORI-02).",
    "ressources": "Lignes de ressources incomplètes, contradictoires ou jamais clôturées, et jeunes sans aucune ressource (règles RES-01 à RES-07).",
    "formations": "Situations formation sans objectif (alerte n° 43), sans fin prévue, avec une valeur à ne pas utiliser ou une interruption incohérente (règles FOR-01 à FOR-07).",
    "dispositifs": "Diagnostic approfondi, entrée et sortie du PACEA, chevauchement avec le CEJ, suivi RSA (Convention B-RSA et CER, CER échu), jeunes en CER sans contact dans le mois et dossiers sans contact depuis un an dans un portefeuille (règles DSP-01 à DSP-06, CTC-01 et CTC-02).",
    "mobilite": "Moyen de locomotion « Autres », permis sans date d'obtention, inscription à France Travail sans identifiant (règles MOB-01, MOB-02 et FT-01), sur les dossiers actifs.",
    "utilisateurs": "Comptes à désabonner, à désactiver ou à corriger : retraite, inactivité facturée, dossiers à transférer, comptes génériques, Direction, doublons (règles USR-01 à USR-08).",
    "donnees": "Valeurs que l'audit ne sait pas lire, identifiants en double et lignes qui désignent un jeune absent de l'export (règles DAT-01 à DAT-03), dans toutes les tables.",
}
for theme in THEMES.values():
    nbf.write(theme_nb(theme.id, theme.titre, INTROS[theme.id]), ROOT / theme.notebook)
nbf.write(
    nb(
        [
            (
                "md",
                "# Synthèse de l'audit\n\nRassemble les thèmes, écrit `findings.csv`, `summary.json`, le rapport `index.html` et les classeurs par conseiller.",
            ),
            params(),
            (
                "code",
                "from imilo_audit.notebook import entete_synthese, synthesize, tableau, themes_overview\n\nsynthese, resultats = synthesize(dossier_export, date_reference, dossier_tables, dossier_sortie, dossier_audits, seuils, alias, pseudonymisation, fichiers)\nentete_synthese(synthese, resultats)",
                "remove_input",
            ),
            ("code", "tableau(themes_overview(synthese))"),
        ]
    ),
    ROOT / "99_synthese.ipynb",
)
print("ok")
