"""Several export folders audited as one export: each youth keeps its structure, each line its file."""

from __future__ import annotations

import pytest
from conftest import imilo_audit, write_table, youth

from imilo_audit.exports import read_exports
from imilo_audit.report.synthesis import structures_summary


@pytest.fixture
def two_folders(tmp_path):
    north, south = tmp_path / "ML Nord", tmp_path / "export-sud"
    write_table(north, "jeunes", [youth("N1"), youth("N2", email="")])
    write_table(north, "ressources", [{"id_jeune": "N1", "type_ressource": "Aucun", "montant": "10",
                                       "date_debut": "01/01/2026"}])
    write_table(south, "jeunes", [youth("S1", structure="Mission Locale Sud"), youth("S2", structure="")])
    write_table(south, "ressources", [{"id_jeune": "S1", "type_ressource": "Salaire", "montant": "900",
                                       "date_debut": "01/02/2026"}])
    return north, south


def test_each_youth_keeps_the_structure_of_its_folder(two_folders):
    export = read_exports(list(two_folders))
    youths = export.tables["jeunes"].data.set_index("id_jeune")["structure"].to_dict()
    # no structure column: the folder's name; a column: its value; an empty cell: the folder's structure
    assert youths == {"N1": "ML Nord", "N2": "ML Nord", "S1": "Mission Locale Sud", "S2": "Mission Locale Sud"}
    assert export.tables["jeunes"].fichier == "ML Nord/jeunes.csv + export-sud/jeunes.csv"
    assert export.structure == "ML Nord, Mission Locale Sud"


def test_line_numbers_still_name_one_line_of_one_file(two_folders):
    export = read_exports(list(two_folders))
    ids = export.tables["ressources"].data["id_ressource"].tolist()
    assert ids == ["ML Nord/L1", "export-sud/L1"]


def test_one_folder_is_read_as_before(two_folders):
    north, _south = two_folders
    export = read_exports([north])
    assert export.tables["ressources"].data["id_ressource"].tolist() == ["L1"]
    assert "structure" not in export.tables["jeunes"].data.columns


def test_summary_has_the_figures_of_each_structure(two_folders):
    import pandas as pd

    export = read_exports(list(two_folders))
    findings = pd.DataFrame([{"rule_id": "EML-01", "gravite": "erreur", "id_jeune": "N2"}])
    structures = {item["structure"]: item for item in structures_summary(findings, export)}
    assert structures["ML Nord"]["regles"] == [{"rule_id": "EML-01", "gravite": "erreur", "anomalies": 1}]
    assert structures["Mission Locale Sud"]["anomalies"] == 0 and structures["Mission Locale Sud"]["jeunes"] == 2


def test_a_missing_second_folder_is_named_and_exits_2(two_folders, tmp_path):
    north, _south = two_folders
    result = imilo_audit("run", north, tmp_path / "absent", "--out", tmp_path / "audits", "--month", "2026-10")
    assert result.returncode == 2
    assert "absent" in result.stderr and "n'existe pas" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "audits" / "2026-10").exists()
