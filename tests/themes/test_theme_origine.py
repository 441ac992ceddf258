"""Origin of arrival: overuse of « Démarche personnelle » per group, and missing origin."""

from conftest import LONG_AGO, youth

DP = "Démarche personnelle"


def newcomers(prefix: str, personal: int, total: int, **values: str) -> list[dict[str, str]]:
    """``total`` youths registered this year, ``personal`` of them by « Démarche personnelle »."""
    return [
        youth(
            f"{prefix}{i}",
            origine_venue=DP if i < personal else "Prescripteur",
            date_inscription="01/06/2026",
            **values,
        )
        for i in range(total)
    ]


def groups(result) -> dict[tuple[str, str], str]:
    findings = result.findings[result.findings["rule_id"] == "ORI-01"]
    return {(r.conseiller, r.lieu): r.valeur for r in findings.itertuples()}


def test_groups_over_the_threshold_are_flagged_with_their_share(audit):
    rows = newcomers("A", 5, 10, conseiller_referent="Paul DURAND", lieu_rattachement="Site A") + newcomers(
        "B", 1, 10, conseiller_referent="Léa ROUX", lieu_rattachement="Site B"
    )
    result = audit("origine", {"jeunes": rows})
    # whole export 6/20 = 0.30 > 0.25; Paul DURAND and Site A 5/10 = 0.50; Léa ROUX 0.10 is fine
    assert groups(result) == {("", ""): "0.30", ("Paul DURAND", ""): "0.50", ("", "Site A"): "0.50"}
    assert all(result.findings.loc[result.findings["rule_id"] == "ORI-01", "id_enregistrement"] == "")


def test_spelling_of_the_reference_value_does_not_matter(audit):
    rows = newcomers("A", 0, 10)
    for row in rows[:4]:
        row["origine_venue"] = "  DEMARCHE   personnelle "
    assert ("", "") in groups(audit("origine", {"jeunes": rows}))


def test_small_groups_and_old_registrations_are_not_judged(audit):
    rows = newcomers("A", 5, 9) + [youth("OLD", origine_venue=DP, date_inscription="01/01/2024")]
    assert groups(audit("origine", {"jeunes": rows})) == {}  # 9 nouveaux inscrits < effectif_minimum


def test_threshold_from_the_configuration_changes_the_findings(audit):
    rows = newcomers("A", 3, 10)  # 0.30
    assert ("", "") in groups(audit("origine", {"jeunes": rows}))
    assert groups(audit("origine", {"jeunes": rows}, seuil_demarche_personnelle=0.3)) == {}
    assert groups(audit("origine", {"jeunes": rows}, effectif_minimum=11)) == {}


def test_missing_origin_of_an_active_youth_is_flagged_ori02(audit):
    result = audit(
        "origine",
        {"jeunes": [youth("J1", origine_venue=""), youth("J2", origine_venue="", date_dernier_contact=LONG_AGO)]},
    )
    assert set(result.findings.loc[result.findings["rule_id"] == "ORI-02", "id_enregistrement"]) == {"J1"}


def test_notebook_table_shows_every_judged_group_and_which_are_over(audit):
    from imilo_audit.notebook import origine_parts_figure, origine_parts_table

    rows = newcomers("A", 5, 10, conseiller_referent="Paul DURAND") + newcomers(
        "B", 0, 10, conseiller_referent="Léa ROUX"
    )
    result = audit("origine", {"jeunes": rows})
    table = origine_parts_table(result)
    assert table.loc["conseiller Paul DURAND", "Au-delà du seuil"] == "oui"
    assert table.loc["conseiller Léa ROUX", "Au-delà du seuil"] == ""
    assert table.loc["toute la structure", "Nouveaux inscrits"] == 20
    assert len(origine_parts_figure(result).axes[0].patches) == len(table)
