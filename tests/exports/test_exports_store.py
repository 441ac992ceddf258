"""Saving a read export and loading it back, identical (dtypes included)."""

import json

import pandas as pd
import pytest

from imilo_audit.errors import ExportFolderError
from imilo_audit.exports import load_export, read_export, save_export


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    write(
        folder,
        "jeunes.csv",
        (
            "Identifiant jeune;Nom;Date de naissance;NPAI;Colonne X\n"
            "001;Dupont;01/02/2000;Oui;a\n002;Durand;le 3 mars;;b\n;Total;;;\n"
        ),
    )
    write(folder, "ressources.csv", "ID jeune;Type;Montant\n001;Salaire;1 200,50\n002;RSA;?\n")
    write(folder, "utilisateurs.csv", "Login;État\n")  # header only, no typed field
    return read_export(folder)


def assert_same(a, b):
    assert a.dossier == b.dossier
    assert a.tables_absentes == b.tables_absentes
    assert list(a.tables) == list(b.tables)
    for name, table in a.tables.items():
        other = b.tables[name]
        pd.testing.assert_frame_equal(table.data, other.data, check_exact=True)
        pd.testing.assert_frame_equal(table.brut, other.brut, check_exact=True)
        assert table.data.dtypes.equals(other.data.dtypes)
        assert isinstance(other.data.index, pd.RangeIndex) and isinstance(other.brut.index, pd.RangeIndex)
        assert (table.name, table.fichier, table.lignes, table.lignes_ignorees, table.colonnes_absentes) == (
            other.name,
            other.fichier,
            other.lignes,
            other.lignes_ignorees,
            other.colonnes_absentes,
        )
        assert (table.entetes, table.colonnes_inconnues) == (other.entetes, other.colonnes_inconnues)


def test_round_trip(export, tmp_path):
    save_export(export, tmp_path / "lecture")
    loaded = load_export(tmp_path / "lecture")
    assert_same(export, loaded)
    assert loaded.tables["ressources"].data["id_ressource"].tolist() == ["L1", "L2"]
    assert loaded.tables["utilisateurs"].lignes == 0
    assert loaded.tables["ressources"].brut.shape == (2, 1)
    assert export.tables["utilisateurs"].brut.shape == (0, 0)


def test_round_trip_of_a_table_without_typed_fields_keeps_its_rows(tmp_path):
    write(tmp_path / "export", "jeunes.csv", "Identifiant jeune;Nom\n1;A\n2;B\n")
    export = read_export(tmp_path / "export")
    assert export.tables["jeunes"].brut.shape == (2, 0)
    save_export(export, tmp_path / "lecture")
    assert_same(export, load_export(tmp_path / "lecture"))


def test_metadata_is_readable_json(export, tmp_path):
    save_export(export, tmp_path / "lecture")
    metadata = json.loads((tmp_path / "lecture" / "export.json").read_text(encoding="utf-8"))
    assert metadata["tables"]["jeunes"]["lignes_ignorees"] == 1
    assert metadata["tables_absentes"] == ["formations", "dispositifs", "evenements"]


def test_never_saves_into_the_export_folder(export):
    with pytest.raises(ExportFolderError):
        save_export(export, export.dossier)


def test_loading_nothing_is_an_input_error(tmp_path):
    with pytest.raises(ExportFolderError, match="Relancez"):
        load_export(tmp_path / "rien")
