"""Data the audit cannot read: one finding per unreadable cell, duplicate ids, orphans."""

from conftest import youth


def test_unreadable_cells_duplicates_and_orphans(audit):
    result = audit(
        "donnees",
        {
            "jeunes": [
                youth("J1", date_inscription="31/02/2026", adresse_normalisee="peut-être"),
                youth("J2"),
                youth("J2"),
            ],
            "ressources": [
                {"id_jeune": "J1", "type_ressource": "Salaire", "montant": "abc", "date_debut": "01/01/2026"},
                {"id_jeune": "J404", "type_ressource": "Aucun", "montant": "0", "date_debut": "01/01/2026"},
            ],
        },
    )
    findings = result.findings
    unreadable = findings[findings["rule_id"] == "DAT-01"]
    assert set(unreadable[["table", "id_enregistrement", "champ", "valeur"]].itertuples(index=False, name=None)) == {
        ("jeunes", "J1", "date_inscription", "31/02/2026"),
        ("jeunes", "J1", "adresse_normalisee", "peut-être"),
        ("ressources", "L1", "montant", "abc"),
    }
    assert "Date de première inscription" in unreadable.set_index("champ").loc["date_inscription", "message"]
    duplicates = findings[findings["rule_id"] == "DAT-02"]
    assert list(duplicates["id_enregistrement"]) == ["J2", "J2"]
    orphans = findings[findings["rule_id"] == "DAT-03"]
    assert list(orphans[["table", "id_enregistrement", "valeur"]].itertuples(index=False, name=None)) == [
        ("ressources", "L2", "J404")
    ]
