"""Matching headers to fields: canonical header, aliases, configuration aliases, failures."""

import pickle

import pytest

from imilo_audit.errors import ConfigError, DuplicateColumnError, InputError, MissingColumnError
from imilo_audit.exports import TABLES, check_aliases, map_columns

JEUNES = TABLES["jeunes"]


def test_headers_match_after_normalisation_and_aliases():
    headers = [
        "n° DOSSIER",
        "Nom  d'usage",
        "PRENOM",
        "CP",
        "Courriel",
        "Tél. portable",
        "Colonne maison",
        "",
    ]
    columns = map_columns(headers, JEUNES, "jeunes.csv")
    assert columns.positions == {
        "id_jeune": 0,
        "nom_usage": 1,
        "prenom": 2,
        "code_postal": 3,
        "email": 4,
        "telephone_portable": 5,
    }
    assert columns.headers["email"] == "Courriel"
    assert columns.unknown == ["Colonne maison"]
    assert "date_naissance" in columns.absent and "email" not in columns.absent
    assert "id_jeune" not in columns.absent


def test_configuration_alias_adds_a_header():
    headers = ["Identifiant", "Adresse électronique"]
    columns = map_columns(headers, JEUNES, "jeunes.csv", {"email": ["Adresse électronique"]})
    assert columns.positions["email"] == 1
    without = map_columns(headers, JEUNES, "jeunes.csv")
    assert "email" not in without.positions and without.unknown == ["Adresse électronique"]


def test_configuration_alias_wins_over_a_builtin_alias_of_another_field():
    columns = map_columns(["Identifiant", "Nom"], JEUNES, "jeunes.csv", {"nom_naissance": "Nom"})
    assert columns.positions == {"id_jeune": 0, "nom_naissance": 1}


def test_two_columns_for_one_field_that_are_the_same_header():
    with pytest.raises(DuplicateColumnError) as err:
        map_columns(["Identifiant jeune", "Courriel", "COURRIEL"], JEUNES, "export/jeunes.csv")
    message = str(err.value)
    assert "export/jeunes.csv" in message and "« Courriel »" in message and "« COURRIEL »" in message
    assert "email" in message
    assert isinstance(err.value, InputError)


def test_two_headers_of_one_field_the_canonical_then_the_first_listed_alias_wins():
    # exports.md: the canonical header wins over an alias, an alias listed earlier over a later one
    columns = map_columns(["Identifiant jeune", "Courriel", "Email", "Mail"], JEUNES, "jeunes.csv")
    assert columns.headers["email"] == "Email" and columns.unknown == ["Courriel", "Mail"]
    columns = map_columns(["Identifiant", "N° dossier", "ID jeune"], JEUNES, "jeunes.csv")
    assert columns.headers["id_jeune"] == "ID jeune" and columns.unknown == ["Identifiant", "N° dossier"]


def test_same_header_twice_is_a_duplicate():
    with pytest.raises(DuplicateColumnError, match="« NIR » et « NIR »"):
        map_columns(["Identifiant jeune", "NIR", "NIR"], JEUNES, "jeunes.csv")


def test_missing_required_column_says_file_column_aliases_and_closest_header():
    with pytest.raises(MissingColumnError) as err:
        map_columns(["Ident. jeunes", "Nom"], JEUNES, "export/jeunes.csv", {"id_jeune": ["Code dossier"]})
    error = err.value
    message = str(error)
    assert "export/jeunes.csv" in message
    assert "« Identifiant jeune »" in message and "(id_jeune)" in message
    for alias in ("Code dossier", "ID jeune", "Identifiant", "N° dossier", "Numéro de dossier"):
        assert f"« {alias} »" in message
    assert error.closest == "Ident. jeunes"
    assert "le plus proche trouvé est « Ident. jeunes »" in message
    assert "configuration" in message  # says how to add an alias
    assert pickle.loads(pickle.dumps(error)).message == message


def test_missing_required_column_without_any_close_header():
    with pytest.raises(MissingColumnError) as err:
        map_columns(["Identifiant jeune", "Montant"], TABLES["ressources"], "ressources.csv")
    assert err.value.field == "type_ressource"
    assert err.value.closest is None


def test_closest_header_ignores_headers_already_used():
    with pytest.raises(MissingColumnError) as err:
        map_columns(["ID jeune", "Type ressources"], TABLES["ressources"], "ressources.csv")
    assert err.value.closest == "Type ressources"


@pytest.mark.parametrize(
    ("aliases", "fragment"),
    [
        ({"jeune": {"email": ["Mél"]}}, "table inconnue « jeune »"),
        ({"jeunes": {"emel": ["Mél"]}}, "champ inconnu « emel »"),
        ({"jeunes": {"email": ["Nom d'usage"]}}, "désigne déjà le champ « nom_usage »"),
        ({"jeunes": {"email": ["  "]}}, "est vide"),
    ],
)
def test_bad_configuration_aliases(aliases, fragment):
    with pytest.raises(ConfigError, match=fragment):
        check_aliases(aliases)


def test_good_configuration_aliases():
    check_aliases({"jeunes": {"email": ["Mél", "Adresse électronique"]}, "utilisateurs": {"etat": "État compte"}})
    check_aliases(None)
