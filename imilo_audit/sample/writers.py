"""Files of the sample export, each in the format a real i-milo export of that table may have.

- `jeunes_<AAAA-MM>.csv`: Windows-1252, `;`, CRLF, canonical headers for some columns and aliases
  for others, a BI footer line « Total » with an empty identifier;
- `Ressources.csv`: UTF-8 with BOM, `,`, no identifier column (records are `L<n>`), an empty line
  and a line of empty cells in the middle (neither is numbered), a « Total » footer;
- `formations.xlsx`: a « Lisez-moi » sheet first, then « formations »; native Excel dates and
  dates typed as text;
- `utilisateurs.txt`: UTF-8, tab-separated; `dispositifs.csv`: Windows-1252, `|`, ISO dates;
- `événements.csv`: UTF-8 without BOM, `;`;
- `attendus.csv`: the expected findings, in the format of findings.csv without `message`.

Every byte depends only on the sample (no clock, no machine): the workbook's timestamps are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from . import vocabulary as voc
from .dates import NativeDate, fr
from .model import Row, Sample
from .oracle import COLUMNS, Finding


@dataclass(frozen=True)
class Layout:
    """How one table is written: file name, (field, header) columns, encoding, separator."""

    file_name: str
    columns: tuple[tuple[str, str], ...]
    encoding: str = "utf-8"
    delimiter: str = ";"
    newline: str = "\n"


def layouts(reference: dt.date) -> dict[str, Layout]:
    return {
        "jeunes": Layout(
            f"jeunes_{reference:%Y-%m}.csv",
            (
                ("id_jeune", "N° dossier"),
                ("nom_usage", "Nom d'usage"),
                ("nom_naissance", "Nom de naissance"),
                ("prenom", "Prénom"),
                ("sexe", "Sexe"),
                ("date_naissance", "Date de naissance"),
                ("nir", "NIR"),
                ("sans_nir", "Pas de NIR"),
                ("situation_familiale", "Situation familiale"),
                ("adresse_numero", "N° de voie"),
                ("adresse_voie", "Voie"),
                ("adresse_complement", "Complément d'adresse"),
                ("code_postal", "CP"),
                ("commune", "Commune"),
                ("adresse_normalisee", "Adresse normalisée"),
                ("qpv", "QPV"),
                ("zrr", "ZRR"),
                ("npai", "NPAI"),
                ("email", "Courriel"),
                ("telephone_portable", "Téléphone portable"),
                ("origine_venue", "Origine de la venue"),
                ("conseiller_referent", "Référent"),
                ("lieu_rattachement", "Site"),
                ("structure", "Structure"),
                ("date_inscription", "Date de première inscription"),
                ("date_dernier_contact", "Date du dernier contact"),
                ("savoirs_base", "Savoirs de base"),
                ("rsa", "RSA"),
                ("inscrit_france_travail", "Inscrit France Travail"),
                ("identifiant_france_travail", "Identifiant France Travail"),
                ("moyen_locomotion", "Moyen de locomotion principal"),
                ("permis", "Permis de conduire"),
                ("date_obtention_permis", "Date d'obtention du permis"),
            ),
            encoding="cp1252",
            newline="\r\n",
        ),
        "ressources": Layout(
            "Ressources.csv",
            (
                ("id_jeune", "Identifiant jeune"),
                ("type_ressource", "Type de ressource"),
                ("montant", "Montant mensuel"),
                ("date_debut", "Date de début"),
                ("date_fin", "Date de fin"),
                ("commentaire", "Commentaire"),
            ),
            encoding="utf-8-sig",
            delimiter=",",
            newline="\r\n",
        ),
        "formations": Layout(
            "formations.xlsx",
            (
                ("id_situation", "Identifiant situation"),
                ("id_jeune", "ID jeune"),
                ("intitule", "Intitulé de la formation"),
                ("organisme", "Organisme de formation"),
                ("date_debut", "Date de début"),
                ("date_fin_prevue", "Date de fin prévue"),
                ("date_fin_reelle", "Fin réelle"),
                ("objectif", "Objectif général formation"),
                ("validation_preparee", "Validation préparée"),
                ("niveau", "Niveau"),
                ("formacode", "Formacode"),
                ("nsf", "Code NSF"),
                ("motif_interruption", "Motif d'interruption"),
                ("origine_saisie", "Origine de la saisie"),
                ("conseiller", "Conseiller"),
            ),
        ),
        "utilisateurs": Layout(
            "utilisateurs.txt",
            (
                ("login", "Identifiant"),
                ("nom", "Nom"),
                ("prenom", "Prénom"),
                ("date_naissance", "Date de naissance"),
                ("email", "E-mail"),
                ("profil", "Profil"),
                ("fonctions", "Fonctions"),
                ("etat", "État"),
                ("date_creation", "Date de création"),
                ("date_desactivation", "Date de désactivation"),
                ("date_derniere_connexion", "Dernière connexion"),
            ),
            delimiter="\t",
        ),
        "dispositifs": Layout(
            "dispositifs.csv",
            (
                ("id_dispositif", "ID dispositif"),
                ("id_jeune", "Identifiant jeune"),
                ("dispositif", "Dispositif"),
                ("date_initialisation", "Date d'initialisation"),
                ("date_entree", "Date d'entrée"),
                ("date_fin_prevue", "Date de fin prévue"),
                ("date_sortie", "Date de sortie"),
                ("motif_sortie", "Motif de sortie"),
                ("conseiller", "Référent"),
            ),
            encoding="cp1252",
            delimiter="|",
            newline="\r\n",
        ),
        "evenements": Layout(
            "événements.csv",
            (
                ("id_evenement", "Identifiant événement"),
                ("id_jeune", "N° dossier"),
                ("date", "Date de l'événement"),
                ("type", "Nature"),
                ("conseiller", "Conseiller"),
            ),
        ),
    }


def footers(s: Sample) -> dict[str, Row]:
    """BI footer lines: their identifier is empty, the reader ignores them."""
    return {
        "jeunes": {"nom_usage": "Total", "prenom": f"{len(s.youths) + len(s.duplicates)} dossiers"},
        "ressources": {"type_ressource": "Total", "montant": ""},
    }


def write_export(s: Sample, folder: Path) -> dict[str, Path]:
    """Write the six tables; returns table -> path."""
    paths = {}
    footer = footers(s)
    for table, layout in layouts(s.reference).items():
        path = folder / layout.file_name
        rows = s.rows(table)
        if path.suffix == ".xlsx":
            write_workbook(path, layout, rows, s.reference)
        else:
            gaps = (
                {len(s.youths) // 3: "", 2 * len(s.youths) // 3: layout.delimiter * 5} if table == "ressources" else {}
            )
            write_delimited(path, layout, rows, footer.get(table), gaps)
        paths[table] = path
    return paths


def _cells(layout: Layout, row: Row) -> list[str]:
    return [str(row.get(field, "")) for field, _ in layout.columns]


def write_delimited(
    path: Path, layout: Layout, rows: Iterable[Row], footer: Row | None = None, gaps: dict[int, str] | None = None
) -> None:
    """A delimited text file; ``gaps``: number of records -> an empty line written after them
    (nothing, or only separators: neither numbered nor ignored, docs/conventions.md)."""
    with path.open("w", encoding=layout.encoding, errors="strict", newline="") as handle:
        writer = csv.writer(handle, delimiter=layout.delimiter, lineterminator=layout.newline)
        writer.writerow([header for _, header in layout.columns])
        for n, row in enumerate(rows, start=1):
            writer.writerow(_cells(layout, row))
            if gaps and n in gaps:
                handle.write(gaps[n] + layout.newline)
        if footer is not None:
            writer.writerow(_cells(layout, footer))


def write_workbook(path: Path, layout: Layout, rows: Iterable[Row], reference: dt.date) -> None:
    """The trainings workbook: a first sheet of explanations, then the table."""
    book = Workbook(write_only=True)
    readme = book.create_sheet("Lisez-moi")
    readme.append(["Export i-milo : situations formation"])
    readme.append(["Structure", voc.STRUCTURE])
    readme.append(["Extraction au", fr(reference)])
    sheet = book.create_sheet("formations")
    sheet.append([header for _, header in layout.columns])
    for row in rows:
        sheet.append(list(_excel_cells(sheet, layout, row)))
    stamp = dt.datetime(reference.year, reference.month, reference.day)
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue(), stamp))


def _excel_cells(sheet, layout: Layout, row: Row) -> Iterator[object]:
    for field, _ in layout.columns:
        value = row.get(field, "")
        if isinstance(value, NativeDate):
            cell = WriteOnlyCell(sheet, value=dt.datetime(value.year, value.month, value.day))
            cell.number_format = "DD/MM/YYYY"
            yield cell
        elif value == "":
            yield None
        elif field == "formacode" and value.isdigit():
            yield int(value)  # a number cell, as Excel stores it
        else:
            yield value


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The workbook's zip rewritten with fixed entry dates and a fixed « modified » property."""
    moment = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + moment + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


def write_expected(path: Path, findings: list[Finding]) -> None:
    """`attendus.csv`: UTF-8 with BOM, `;`, quoted as needed, one header line."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(findings)
