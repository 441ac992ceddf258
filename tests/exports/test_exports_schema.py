"""The declared tables match the contract of spec/exports.md."""

from imilo_audit.exports import TABLES
from imilo_audit.text import header_key


def test_six_tables_in_contract_order():
    assert list(TABLES) == ["jeunes", "ressources", "formations", "utilisateurs", "dispositifs", "evenements"]


def test_required_fields_and_ids():
    required = {name: t.required_fields for name, t in TABLES.items()}
    assert required == {
        "jeunes": ["id_jeune"],
        "ressources": ["id_jeune", "type_ressource"],
        "formations": ["id_situation", "id_jeune"],
        "utilisateurs": ["login", "etat"],
        "dispositifs": ["id_jeune", "dispositif"],
        "evenements": ["id_jeune", "date"],
    }
    ids = {name: t.id_field for name, t in TABLES.items()}
    assert ids == {
        "jeunes": "id_jeune",
        "ressources": "id_ressource",
        "formations": "id_situation",
        "utilisateurs": "login",
        "dispositifs": "id_dispositif",
        "evenements": "id_evenement",
    }


def test_identifier_fields_follow_conventions():
    assert TABLES["jeunes"].identifier_fields == ("id_jeune",)
    assert TABLES["ressources"].identifier_fields == ("id_ressource", "id_jeune")
    assert TABLES["formations"].identifier_fields == ("id_situation", "id_jeune")
    assert TABLES["utilisateurs"].identifier_fields == ("login",)
    assert TABLES["dispositifs"].identifier_fields == ("id_dispositif", "id_jeune")
    assert TABLES["evenements"].identifier_fields == ("id_evenement", "id_jeune")
    assert [n for n, t in TABLES.items() if t.line_id] == ["ressources", "dispositifs", "evenements"]


def test_no_header_names_two_fields_of_one_table():
    for table in TABLES.values():
        owners: dict[str, str] = {}
        for spec in table.fields.values():
            for name in (spec.header, *spec.aliases):
                key = header_key(name)
                assert owners.setdefault(key, spec.name) == spec.name, (table.name, name)


def test_kinds_of_some_fields():
    jeunes = TABLES["jeunes"].fields
    assert jeunes["code_postal"].kind == "text"
    assert jeunes["date_naissance"].kind == "date"
    assert jeunes["npai"].kind == "boolean"
    assert TABLES["ressources"].fields["montant"].kind == "amount"
    assert jeunes["email"].header == "Email"
    assert "Courriel" in jeunes["email"].aliases
    assert len(jeunes) == 33
