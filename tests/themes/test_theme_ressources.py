"""Resources: the charter's « Aucun » at 0, dates, historised lines, youths without a line."""

from conftest import LONG_AGO, flagged, line, youth


def run(audit, lines, youths=None):
    youths = youths or [youth(f"J{i}") for i in range(1, 6)]
    return audit("ressources", {"jeunes": youths, "ressources": lines})


def test_lines_without_start_or_amount_are_flagged_res01_res02(audit):
    result = run(
        audit, [line("J1", "Salaire", "1 200,00 €", start=""), line("J2", "Salaire", amount=""), line("J3", "Aucun")]
    )
    assert flagged(result, "RES-01") == {"L1"}
    assert flagged(result, "RES-02") == {"L2"}


def test_aucun_must_be_at_zero_res03(audit):
    result = run(audit, [line("J1", "Aucun", "50"), line("J2", "AUCUN", "0,00"), line("J3", "aucun", "0")])
    assert flagged(result, "RES-03") == {"L1"}
    assert result.findings.set_index("id_enregistrement").loc["L1", "valeur"] == "50"


def test_end_before_start_is_flagged_res04(audit):
    result = run(
        audit,
        [
            line("J1", "Salaire", "900", "01/03/2026", "01/01/2026"),
            line("J2", "Salaire", "900", "01/03/2026", "01/03/2026"),
        ],
    )
    assert flagged(result, "RES-04") == {"L1"}


def test_older_line_never_closed_is_flagged_res05(audit):
    result = run(
        audit,
        [
            line("J1", "Salaire", "900", "01/01/2026"),  # replaced by the next line, never closed
            line("J1", "salaire", "950", "01/06/2026"),
            line("J2", "Salaire", "900", "01/01/2026", "31/05/2026"),  # closed: fine
            line("J2", "Salaire", "950", "01/06/2026"),
            line("J3", "RSA", "500", "01/01/2026"),
            line("J3", "Salaire", "950", "01/06/2026"),  # another type: fine
        ],
    )
    assert flagged(result, "RES-05") == {"L1"}


def test_open_aucun_beside_another_open_resource_is_flagged_res06(audit):
    result = run(
        audit,
        [
            line("J1", "Aucun", "0", "01/01/2026"),
            line("J1", "Salaire", "900", "01/06/2026"),
            line("J2", "Aucun", "0", "01/01/2026", "31/05/2026"),  # closed before the other started
            line("J2", "Salaire", "900", "01/06/2026"),
        ],
    )
    assert flagged(result, "RES-06") == {"L1"}
    message = result.findings.set_index("rule_id").loc["RES-06", "message"]
    assert "alors que le jeune a 1 autre ressource en cours" in message  # French agreement, no « (s) »


def test_active_youth_without_any_line_is_flagged_res07(audit):
    youths = [youth("J1"), youth("J2"), youth("J3", date_dernier_contact=LONG_AGO)]
    result = run(audit, [line("J1", "Aucun")], youths)
    assert flagged(result, "RES-07") == {"J2"}
    assert set(result.findings.loc[result.findings["rule_id"] == "RES-07", "table"]) == {"jeunes"}
