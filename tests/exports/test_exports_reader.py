"""Reading whole export folders: what the audit gets from a real-looking export."""

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest

from imilo_audit.errors import (
    ConfigError,
    DuplicateColumnError,
    ExportFolderError,
    InputError,
    MissingColumnError,
    UnreadableFileError,
)
from imilo_audit.exports import TABLES, read_export

JEUNES_CP1252 = (
    "N° dossier;Nom;Prénom;Date de naissance;CP;Commune;Courriel;Pas de NIR;Date d'inscription;"
    "Note interne\r\n"
    "00012;Lefèvre;Zoé;03/04/2005;01000;Bourg-en-Bresse; zoe@exemple.fr ;Non;2026-01-15;à voir\r\n"
    "\r\n"
    '00013;"Da Silva; dit ""Jo""";Noël;31/02/2004;07100;Annonay;;X;15/09/2026 14:05;\r\n'
    "00014;Martin;Léa;;75001;Paris;lea@exemple.fr;;;\r\n"
    ";Total;;;;;;;;3 dossiers\r\n"
)


def write(folder, name, content, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def values(series):
    return series.astype(object).where(series.notna(), None).tolist()


@pytest.fixture
def export_folder(tmp_path):
    folder = tmp_path / "export"
    write(folder, "jeunes_2026-10.csv", JEUNES_CP1252, encoding="cp1252")
    write(
        folder,
        "ressources.txt",
        (
            "ID jeune\tType de ressource\tMontant mensuel\tDébut\tFin\n"
            "00012\tSalaire\t1 234,56 €\t01/09/2026\t\n"
            "\n"
            "\tTotal\t1234,56\t\t\n"
            "00013\tRSA\tbeaucoup\t2026-13-01\t30/09/2026\n"
            "00014\tBourse\t450.5\t01/10/2026 08:00:00\t\n"
        ),
        encoding="utf-8-sig",
    )
    write(
        folder,
        "Événements.csv",
        (
            "Identifiant événement,ID jeune,Date de l'événement,Nature,Conseiller\n"
            'E1,00012,15/10/2026,"Entretien individuel",jdupont\n'
            'E2,00013,16/10/2026,"Atelier, collectif",\n'
        ),
    )
    return folder


def test_jeunes_as_the_audit_sees_them(export_folder):
    export = read_export(export_folder)
    jeunes = export.tables["jeunes"]
    assert jeunes.name == "jeunes" and jeunes.fichier == "jeunes_2026-10.csv"
    assert jeunes.lignes == 3 and jeunes.lignes_ignorees == 1  # the "Total" footer
    data = jeunes.data
    assert list(data.columns) == [
        "id_jeune",
        "nom_usage",
        "prenom",
        "date_naissance",
        "sans_nir",
        "code_postal",
        "commune",
        "email",
        "date_inscription",
    ]  # schema order; the unknown column "Note interne" is left out
    assert isinstance(data.index, pd.RangeIndex) and list(data.index) == [0, 1, 2]
    assert values(data["id_jeune"]) == ["00012", "00013", "00014"]
    assert values(data["code_postal"]) == ["01000", "07100", "75001"]  # leading zeros kept
    assert values(data["nom_usage"]) == ["Lefèvre", 'Da Silva; dit "Jo"', "Martin"]
    assert values(data["email"]) == ["zoe@exemple.fr", None, "lea@exemple.fr"]
    assert values(data["date_naissance"]) == [pd.Timestamp("2005-04-03"), None, None]
    assert values(data["sans_nir"]) == [False, True, None]
    assert values(data["date_inscription"]) == [
        pd.Timestamp("2026-01-15"),
        pd.Timestamp("2026-09-15"),  # the calendar day: the time of day is in brut only
        None,
    ]
    assert data.dtypes.to_dict() == {
        "id_jeune": "string",
        "nom_usage": "string",
        "prenom": "string",
        "date_naissance": "datetime64[us]",
        "code_postal": "string",
        "commune": "string",
        "email": "string",
        "sans_nir": "boolean",
        "date_inscription": "datetime64[us]",
    }
    # The text as read of typed fields: an unreadable date is not an empty date.
    assert list(jeunes.brut.columns) == ["date_naissance", "sans_nir", "date_inscription"]
    assert values(jeunes.brut["sans_nir"]) == ["Non", "X", None]
    assert values(jeunes.brut["date_naissance"]) == ["03/04/2005", "31/02/2004", None]
    assert (jeunes.brut.dtypes == "string").all()
    assert jeunes.brut.index.equals(data.index)
    assert jeunes.entetes["email"] == "Courriel"
    assert jeunes.colonnes_inconnues == ["Note interne"]
    assert "nir" in jeunes.colonnes_absentes and "email" not in jeunes.colonnes_absentes


def test_tables_found_and_absent(export_folder):
    export = read_export(export_folder)
    assert list(export.tables) == ["jeunes", "ressources", "evenements"]
    assert export.tables_absentes == ["formations", "utilisateurs", "dispositifs"]
    assert export.dossier == str(export_folder)


def test_line_numbers_stand_for_missing_ids(export_folder):
    ressources = read_export(export_folder).tables["ressources"]
    # The ignored "Total" row is the 2nd record: numbering counts it, blank lines do not.
    assert values(ressources.data["id_ressource"]) == ["L1", "L3", "L4"]
    assert ressources.lignes_ignorees == 1
    assert "id_ressource" in ressources.colonnes_absentes
    assert values(ressources.data["montant"]) == [1234.56, None, 450.5]
    assert values(ressources.brut["montant"]) == ["1 234,56 €", "beaucoup", "450.5"]
    assert values(ressources.data["date_debut"]) == [
        pd.Timestamp("2026-09-01"),
        None,
        pd.Timestamp("2026-10-01"),
    ]
    assert values(ressources.brut["date_fin"]) == [None, "30/09/2026", None]


def test_line_numbers_count_multiline_records_once(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune\n1\n")
    write(
        tmp_path,
        "dispositifs.csv",
        ('Identifiant jeune;Dispositif;Motif de sortie\n1;CEJ;"Emploi\nCDI"\n;;\n1;PACEA;\n'),
    )
    dispositifs = read_export(tmp_path).tables["dispositifs"]
    assert values(dispositifs.data["id_dispositif"]) == ["L1", "L2"]
    assert values(dispositifs.data["motif_sortie"]) == ["Emploi\nCDI", None]
    assert dispositifs.lignes_ignorees == 0  # ";;" is a blank line, not an ignored record


def test_a_row_with_one_identifier_is_kept(export_folder):
    evenements = read_export(export_folder).tables["evenements"]
    assert values(evenements.data["id_evenement"]) == ["E1", "E2"]
    assert values(evenements.data["type"]) == ["Entretien individuel", "Atelier, collectif"]
    assert values(evenements.data["conseiller"]) == ["jdupont", None]
    write(export_folder, "Événements.csv", "Identifiant événement;ID jeune;Date\nE1;;01/10/2026\n;;01/10/2026\n")
    evenements = read_export(export_folder).tables["evenements"]
    assert evenements.lignes == 1 and evenements.lignes_ignorees == 1
    assert values(evenements.data["id_jeune"]) == [None]


def test_duplicate_identifiers_are_not_an_error(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom\n1;A\n1;B\n")
    assert values(read_export(tmp_path).tables["jeunes"].data["nom_usage"]) == ["A", "B"]


def test_configuration_alias(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Adresse électronique\n1;a@b.fr\n")
    export = read_export(tmp_path, {"jeunes": {"email": ["Adresse électronique"]}})
    assert values(export.tables["jeunes"].data["email"]) == ["a@b.fr"]
    assert "email" in read_export(tmp_path).tables["jeunes"].colonnes_absentes
    with pytest.raises(ConfigError):
        read_export(tmp_path, {"jeunes": {"courriel": ["Adresse électronique"]}})


def test_excel_export(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Paramètres"
    book.active.append(["Extraction du 31/10/2026"])
    sheet = book.create_sheet("Ressources")
    for row in [
        ["N° dossier", "Type", "Montant", "Date de début", "Date de fin"],
        [12, "Salaire", 1234.56, dt.datetime(2026, 9, 1), "30/09/2026"],
        [None, "Total", 1234.56, None, None],
        ["0013", "RSA", 600, "2026-09-01", dt.datetime(2026, 9, 30, 17, 45)],
        ["0014", "Bourse", "1 000,50", "bientôt", None],
    ]:
        sheet.append(row)
    book.save(tmp_path / "ressources.xlsx")
    write(tmp_path, "jeunes.csv", "Identifiant jeune\n12\n")

    ressources = read_export(tmp_path).tables["ressources"]
    assert ressources.lignes == 3 and ressources.lignes_ignorees == 1
    data, brut = ressources.data, ressources.brut
    assert values(data["id_ressource"]) == ["L1", "L3", "L4"]
    assert values(data["id_jeune"]) == ["12", "0013", "0014"]
    assert values(data["montant"]) == [1234.56, 600.0, 1000.5]
    assert values(brut["montant"]) == ["1234.56", "600", "1 000,50"]
    assert values(data["date_debut"]) == [pd.Timestamp("2026-09-01"), pd.Timestamp("2026-09-01"), None]
    assert values(brut["date_debut"]) == ["01/09/2026", "2026-09-01", "bientôt"]
    assert values(data["date_fin"]) == [pd.Timestamp("2026-09-30"), pd.Timestamp("2026-09-30"), None]
    assert values(brut["date_fin"]) == ["30/09/2026", "30/09/2026 17:45:00", None]
    assert data.dtypes["montant"] == "Float64" and data.dtypes["date_debut"] == "datetime64[us]"


def test_header_only_file_gives_an_empty_typed_table(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Date de naissance;NPAI\n")
    jeunes = read_export(tmp_path).tables["jeunes"]
    assert jeunes.lignes == 0 and jeunes.lignes_ignorees == 0
    assert jeunes.data.dtypes.to_dict() == {
        "id_jeune": "string",
        "date_naissance": "datetime64[us]",
        "npai": "boolean",
    }
    assert list(jeunes.brut.columns) == ["date_naissance", "npai"]
    write(tmp_path, "evenements.csv", "ID jeune;Date\n")
    assert read_export(tmp_path).tables["evenements"].data.dtypes.to_dict() == {
        "id_evenement": "string",
        "id_jeune": "string",
        "date": "datetime64[us]",
    }


def test_every_table_reads_from_its_canonical_headers(tmp_path):
    for name, table in TABLES.items():
        headers = [spec.header for spec in table.fields.values()]
        write(tmp_path, f"{name}.csv", ";".join(headers) + "\n" + ";".join(["1"] * len(headers)) + "\n")
    export = read_export(tmp_path)
    assert export.tables_absentes == []
    for name, table in TABLES.items():
        assert list(export.tables[name].data.columns) == list(table.fields)
        assert export.tables[name].colonnes_absentes == []


@pytest.mark.parametrize(
    ("name", "content", "error", "fragments"),
    [
        ("jeunes.csv", b"", UnreadableFileError, ["jeunes.csv", "vide"]),
        ("formations.csv", b"", UnreadableFileError, ["formations.csv", "vide"]),
        (
            "jeunes.xlsx",
            b"PK\x03\x04 pas vraiment un classeur",
            UnreadableFileError,
            ["jeunes.xlsx", "endommagé"],
        ),
        (
            "jeunes.csv",
            b"Identifiant jeune;Nom\n1;Dupont\n2;Dur\x9dnd\n",
            UnreadableFileError,
            ["0x9D", "ligne 3"],
        ),
        (
            "jeunes.csv",
            b"Identifiant jeune;E-mail;E-MAIL\n1;a;b\n",
            DuplicateColumnError,
            ["jeunes.csv", "« E-mail » et « E-MAIL »", "email"],
        ),
        ("jeunes.csv", b"ID jeune;Id jeune\n1;1\n", DuplicateColumnError, ["id_jeune"]),
    ],
)
def test_bad_input_gets_a_french_message(tmp_path, name, content, error, fragments):
    if not name.startswith("jeunes"):
        write(tmp_path, "jeunes.csv", "Identifiant jeune\n1\n")
    write(tmp_path, name, content)
    with pytest.raises(error) as err:
        read_export(tmp_path)
    assert isinstance(err.value, InputError)
    for fragment in fragments:
        assert fragment in str(err.value)


def test_missing_required_column_message(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune\n1\n")
    path = write(tmp_path, "utilisateurs.csv", "Login;Nom;Etat du compte\nx;A;Actif\n")
    read_export(tmp_path)  # "Etat du compte" is an alias of etat
    path.write_text("Login;Nom;Etat compte\nx;A;Actif\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as err:
        read_export(tmp_path, {"utilisateurs": {"etat": ["Situation"]}})
    message = str(err.value)
    assert str(path) in message
    assert "« État » (etat)" in message
    assert "« Situation », « Etat du compte », « Statut »" in message
    assert "le plus proche trouvé est « Etat compte »" in message


def test_two_files_for_one_table(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune\n1\n")
    write(tmp_path, "jeunes_old.xlsx", b"")
    with pytest.raises(ExportFolderError, match="jeunes.csv.*jeunes_old.xlsx"):
        read_export(tmp_path)


def folder_state(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_reading_never_changes_the_folder_and_is_deterministic(export_folder):
    before = folder_state(export_folder)
    first, second = read_export(export_folder), read_export(export_folder)
    assert folder_state(export_folder) == before
    assert list(first.tables) == list(second.tables)
    for name, table in first.tables.items():
        pd.testing.assert_frame_equal(table.data, second.tables[name].data)
        pd.testing.assert_frame_equal(table.brut, second.tables[name].brut)
        assert table.lignes_ignorees == second.tables[name].lignes_ignorees


def test_cp1252_amounts_with_euro_sign_and_no_break_space(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune\n1\n")
    write(tmp_path, "ressources.csv", b"ID jeune;Type;Montant\n1;Salaire;1\xa0234,56\xa0\x80\n")
    ressources = read_export(tmp_path).tables["ressources"]
    assert values(ressources.data["montant"]) == [1234.56]
    assert values(ressources.brut["montant"]) == ["1\u00a0234,56\u00a0€"]
