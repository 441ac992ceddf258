"""Above and below the table, and files named after no table (spec/exports.md)."""

from __future__ import annotations

import pytest

from imilo_audit.config import TABLE_NAMES
from imilo_audit.errors import ExportFolderError, MissingColumnError, UnreadableFileError
from imilo_audit.exports import TABLES, read_export


def write(folder, name: str, text: str, encoding: str = "utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder / name


def ids(table) -> list[str]:
    return table.data["id_jeune"].tolist()


def test_title_and_filter_lines_above_the_header_are_left_out_and_kept_for_the_verifier(tmp_path):
    titles = ["Liste des jeunes suivis", "Mission Locale Rhône Est", "Filtre : actifs ; antenne Nord"]
    rows = "Identifiant jeune;Nom;Email\nJ1;MARTIN;a@b.fr\nJ2;DUPONT;c@d.fr\n"
    write(tmp_path, "jeunes.csv", "\n".join(titles) + "\n\n" + rows)
    table = read_export(tmp_path).tables["jeunes"]
    assert ids(table) == ["J1", "J2"] and table.lignes_ignorees == 0
    assert table.ligne_entete == 5
    assert table.lignes_avant == titles


def test_excel_sep_line_gives_the_separator_and_is_no_data(tmp_path):
    write(tmp_path, "jeunes.csv", "sep=,\nIdentifiant jeune,Nom;d'usage\nJ1,MARTIN;X\n")
    table = read_export(tmp_path).tables["jeunes"]
    assert ids(table) == ["J1"] and table.ligne_entete == 2 and table.lignes_avant == []


def test_footer_lines_are_counted_but_an_identifier_alone_is_a_record(tmp_path):
    write(tmp_path, "ressources.csv", "Identifiant jeune;Type de ressource;Montant\nJ1;Salaire;10\nJ2;Aucun;0\n"
          "J3;;\n;Total;\nNombre de lignes : 3\nÉdité le 31/10/2026\n")
    write(tmp_path, "jeunes.csv", "Identifiant jeune\nJ1\nJ2\nJ3\n")
    ressources = read_export(tmp_path).tables["ressources"]
    assert ressources.data["id_jeune"].tolist() == ["J1", "J2", "J3"]  # « J3 » alone stays a record
    assert ressources.lignes_pied == 3 and ressources.lignes_ignorees == 3


def test_a_last_line_cut_in_the_middle_of_a_record_is_refused(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom;Email\nJ1;MARTIN;a@b.fr\nJ2;DUP")
    with pytest.raises(UnreadableFileError) as err:
        read_export(tmp_path)
    assert "jeunes.csv" in err.value.message and "coupé" in err.value.message and "ligne 3" in err.value.message


def test_a_complete_last_line_without_line_end_is_read(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom;Email\nJ1;MARTIN;a@b.fr\nJ2;DUPONT;")
    assert ids(read_export(tmp_path).tables["jeunes"]) == ["J1", "J2"]


def test_a_file_named_after_no_table_is_recognised_by_its_headers(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom\nJ1;MARTIN\n")
    header = "Identifiant jeune;Type de ressource;Montant;Date de début"
    write(tmp_path, "Requête 12.csv", f"Requête 12\n{header}\nJ1;Salaire;10;01/10/2026\n")
    write(tmp_path, "Lisez-moi.txt", "Ne pas modifier ces fichiers.\n")
    export = read_export(tmp_path)
    assert export.tables["ressources"].fichier == "Requête 12.csv" and export.tables["ressources"].origine == "en-têtes"
    assert [item["fichier"] for item in export.fichiers_ignores] == ["Lisez-moi.txt"]


def test_two_files_for_one_table_stop_the_run_naming_both(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom\nJ1;MARTIN\n")
    write(tmp_path, "Liste des jeunes.csv", "Identifiant jeune;Nom;Prénom;Email\nJ1;MARTIN;Léa;a@b.fr\n")
    with pytest.raises(ExportFolderError) as err:
        read_export(tmp_path)
    assert "« jeunes.csv » (par son nom)" in err.value.message
    assert "« Liste des jeunes.csv » (par ses en-têtes)" in err.value.message and "[fichiers]" in err.value.message


def test_the_configuration_forces_a_file_or_leaves_it_out(tmp_path):
    write(tmp_path, "jeunes.csv", "Identifiant jeune;Nom\nJ1;MARTIN\n")
    write(tmp_path, "Liste des jeunes.csv", "Identifiant jeune;Nom;Prénom;Email\nJ2;DUPONT;Léo;c@d.fr\n")
    export = read_export(tmp_path, files={"jeunes.csv": "ignorer"})
    assert ids(export.tables["jeunes"]) == ["J2"]
    # two columns of five are the events': too few to take the file for them
    write(tmp_path, "Tableau 3.csv", "Identifiant jeune;Date;Remarque;Statut;Service\nJ2;01/10/2026;a;b;c\n")
    assert "evenements" not in read_export(tmp_path, files={"jeunes.csv": "ignorer"}).tables
    export = read_export(tmp_path, files={"jeunes.csv": "ignorer", "tableau *.csv": "evenements"})
    assert export.tables["evenements"].origine == "configuration"


def test_a_near_jeunes_file_says_which_column_and_the_alias_to_add(tmp_path):
    header = "Num. jeune;Nom;Prénom;Email;Conseiller"
    write(tmp_path, "Liste des jeunes.csv", f"Liste au 31/10/2026\n{header}\nJ1;A;B;a@b.fr;X\n")
    with pytest.raises(MissingColumnError) as err:
        read_export(tmp_path)
    assert "« Num. jeune »" in err.value.message
    assert err.value.message.endswith('[alias.jeunes]\nid_jeune = ["Num. jeune"]\n')
    export = read_export(tmp_path, {"jeunes": {"id_jeune": ["Num. jeune"]}})
    assert ids(export.tables["jeunes"]) == ["J1"] and export.tables["jeunes"].ligne_entete == 2


def test_the_configuration_knows_the_tables_of_the_export():
    assert tuple(TABLES) == TABLE_NAMES
