"""Trainings: objective (alerte n° 43), planned end, forbidden values, interruption consistency."""

from conftest import flagged, training, youth


def run(audit, rows):
    return audit("formations", {"jeunes": [youth("J1")], "formations": rows})


def test_training_without_objective_or_planned_end_is_flagged(audit):
    result = run(audit, [training("F1", objectif=""), training("F2", date_fin_prevue=""), training("F3")])
    assert flagged(result, "FOR-01") == {"F1"}
    assert flagged(result, "FOR-02") == {"F2"}


def test_forbidden_objective_and_validation_in_any_spelling(audit):
    result = run(
        audit,
        [
            training("F1", objectif="Perfectionnement, élargissement des compétences"),
            training("F2", objectif="PERFECTIONNEMENT,  ELARGISSEMENT DES COMPETENCES"),
            training("F3", validation_preparee="une attestation de qualification et aptitude"),
            training("F4", objectif="Professionnalisation"),
        ],
    )
    assert flagged(result, "FOR-03") == {"F1", "F2"}
    assert flagged(result, "FOR-04") == {"F3"}


def test_interruption_reason_only_when_left_early(audit):
    result = run(
        audit,
        [
            training("F1", motif_interruption="Abandon"),  # no real end: not left early
            training("F2", date_fin_reelle="30/06/2026", motif_interruption="Abandon"),  # ended on time
            training("F3", date_fin_reelle="15/01/2026", motif_interruption="Abandon"),  # early leaver with reason
            training("F4", date_fin_reelle="15/01/2026"),  # early leaver without reason
            training("F5", date_fin_reelle="30/06/2026"),  # ended on its planned end, no reason: fine
        ],
    )
    assert flagged(result, "FOR-05") == {"F1", "F2"}
    assert flagged(result, "FOR-06") == {"F4"}


def test_planned_end_before_start_is_flagged_for07(audit):
    result = run(audit, [training("F1", date_fin_prevue="01/08/2025"), training("F2")])
    assert flagged(result, "FOR-07") == {"F1"}


def test_routing_uses_the_training_counsellor_else_the_referent(audit):
    result = run(audit, [training("F1", objectif="", conseiller="Paul DURAND"), training("F2", objectif="")])
    routed = result.findings.set_index("id_enregistrement")["conseiller"].to_dict()
    assert routed == {"F1": "Paul DURAND", "F2": "Sylvie DEBOUT"}
