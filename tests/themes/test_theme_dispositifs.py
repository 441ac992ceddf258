"""Dispositifs and contact, from rules.md's words: diagnostic, PACEA, CEJ, RSA follow-up, contact (at 31/10/2026)."""

from conftest import flagged, youth

DSP_RULES = ["DSP-01", "DSP-02", "DSP-03", "DSP-04", "DSP-05", "DSP-06"]
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def line(
    id_dispositif: str,
    youth_id: str,
    kind: str,
    entree: str = "",
    sortie: str = "",
    init: str = "",
    fin: str = "",
    motif: str = "",
) -> dict[str, str]:
    return {
        "id_dispositif": id_dispositif,
        "id_jeune": youth_id,
        "dispositif": kind,
        "date_initialisation": init,
        "date_entree": entree,
        "date_fin_prevue": fin,
        "date_sortie": sortie,
        "motif_sortie": motif,
    }


def event(youth_id: str, date: str) -> dict[str, str]:
    return {"id_jeune": youth_id, "date": date, "type": "Entretien individuel"}


def run(audit, lines, youths=None, events=None):
    youths = youths or [youth(f"J{i}") for i in range(1, 10)]
    events = events if events is not None else [event("J1", "15/10/2026")]
    return audit("dispositifs", {"jeunes": youths, "dispositifs": lines, "evenements": events})


def of_rule(result, rule_id: str):
    """A rule's findings by record, messages with plain spaces (French typography puts no-break ones)."""
    findings = result.findings
    findings = findings[findings["rule_id"] == rule_id].set_index("id_enregistrement")
    return findings.assign(message=findings["message"].str.translate(SPACES))


def test_diagnostic_longer_than_a_month_is_an_alerte_beyond_three_months_an_erreur_dsp01(audit):
    diag = "Diagnostic approfondi"
    result = run(
        audit,
        [
            line("D1", "J1", diag, "01/03/2026", "01/04/2026"),  # exactly one month: fine
            line("D2", "J2", diag, "01/03/2026", "02/04/2026"),  # one month and a day
            line("D3", "J3", diag, "01/03/2026", "01/06/2026"),  # exactly three months: still an alerte
            line("D4", "J4", diag, "01/03/2026", "02/06/2026"),  # beyond three months
            line("D5", "J5", diag, "", "15/04/2026", init="01/03/2026"),  # no entry: from the initialisation
            line("D6", "J6", diag, "20/10/2026"),  # open for 11 days at the date de référence
            line("D7", "J7", diag, "15/09/2026"),  # open: up to the date de référence
            line("D8", "J8", diag, "15/06/2026"),
            line("D9", "J9", "PACEA", "01/03/2026", "01/09/2026"),  # not a diagnostic
        ],
    )
    findings = of_rule(result, "DSP-01")
    assert set(findings.index) == {"D2", "D3", "D4", "D5", "D7", "D8"}
    assert findings["gravite"].to_dict() == {
        "D2": "alerte",
        "D3": "alerte",
        "D4": "erreur",
        "D5": "alerte",
        "D7": "alerte",
        "D8": "erreur",
    }
    assert (findings["table"] == "dispositifs").all() and (findings["champ"] == "date_sortie").all()
    assert findings.loc["D2", "valeur"] == "02/04/2026" and findings.loc["D7", "valeur"] == ""
    assert findings.loc["D2", "message"].startswith("Diagnostic approfondi de 32 jours (du 01/03/2026 au 02/04/2026)")
    assert "ouvert depuis 46 jours" in findings.loc["D7", "message"]
    stats = {rule["rule_id"]: rule for rule in result.regles}["DSP-01"]
    assert (stats["gravite"], stats["anomalies_par_gravite"]) == ("alerte", {"alerte": 4, "erreur": 2})


def test_diagnostic_duration_counts_calendar_days_not_hours_dsp01(audit):
    # 08:00 to 18:00 a month later is one month by calendar day, not « one month and ten hours ».
    result = run(audit, [line("D1", "J1", "Diagnostic approfondi", "01/09/2026 08:00", "01/10/2026 18:00")])
    assert flagged(result, "DSP-01") == set()


def test_pacea_needs_a_diagnostic_closed_less_than_a_month_before_dsp02(audit):
    diag, pacea = "Diagnostic approfondi", "PACEA"
    result = run(
        audit,
        [
            line("D1", "J1", diag, "01/01/2026", "20/01/2026", motif="PACEA"),
            line("P1", "J1", pacea, "15/02/2026"),  # less than a month after: fine
            line("D2", "J2", diag, "01/01/2026", "20/01/2026", motif="PACEA"),
            line("P2", "J2", pacea, "21/02/2026"),  # more than a month after the diagnostic's end
            line("D3", "J3", diag, "01/01/2026", "20/01/2026", motif="PACEA"),
            line("P3", "J3", pacea, "20/02/2026"),  # exactly a month after: fine
            line("P4", "J4", pacea, "01/03/2026"),  # no diagnostic at all
            line("D5", "J5", diag, "01/04/2026", "10/04/2026", motif="PACEA"),
            line("P5", "J5", pacea, "01/03/2026"),  # the only diagnostic starts after the PACEA
            line("D6", "J6", diag, "01/01/2026", "20/01/2026", motif="Abandon"),
            line("P6", "J6", pacea, "01/06/2026"),  # a diagnostic before, none closed for PACEA: not judged late
            line("D7", "J7", diag, "01/12/2024", "20/01/2025", motif="PACEA"),
            line("D8", "J7", diag, "01/05/2026", "10/05/2026", motif="pacea"),  # same text
            line("P7", "J7", pacea, "01/06/2026"),  # the latest diagnostic closed for PACEA counts
        ],
    )
    findings = of_rule(result, "DSP-02")
    assert set(findings.index) == {"P2", "P4", "P5"}
    assert (findings["champ"] == "date_entree").all() and findings.loc["P2", "valeur"] == "21/02/2026"
    assert "plus d'un mois après la fin du diagnostic approfondi (clos le 20/01/2026" in findings.loc["P2", "message"]
    assert "sans diagnostic approfondi commencé avant" in findings.loc["P4", "message"]


def test_pacea_open_more_than_24_months_after_its_entry_dsp03(audit):
    result = run(
        audit,
        [
            line("P1", "J1", "PACEA", "30/10/2024"),  # 24 months and a day
            line("P2", "J2", "PACEA", "31/10/2024"),  # exactly 24 months: fine
            line("P3", "J3", "PACEA", "01/01/2024", "01/12/2025"),  # closed
            line("P4", "J4", "PACEA", "", init="01/01/2024"),  # never entered: not judged
        ],
    )
    assert flagged(result, "DSP-03") == {"P1"}
    assert of_rule(result, "DSP-03").loc["P1", ["gravite", "champ", "valeur"]].tolist() == ["erreur", "date_sortie", ""]


def test_pacea_exit_must_be_at_most_the_eve_of_the_cej_entry_dsp04(audit):
    pacea, cej = "PACEA", "CEJ"
    result = run(
        audit,
        [
            line("P1", "J1", pacea, "01/01/2026", "14/06/2026"),  # the eve of the CEJ: fine
            line("C1", "J1", cej, "15/06/2026"),
            line("P2", "J2", pacea, "01/01/2026", "15/06/2026"),  # the day of the CEJ entry
            line("C2", "J2", cej, "15/06/2026"),
            line("P3", "J3", pacea, "01/01/2026", "20/06/2026"),  # after it
            line("C3", "J3", "Contrat d'Engagement Jeune", "15/06/2026"),
            line("C4", "J4", cej, "01/12/2025"),  # a CEJ that started before the PACEA's entry
            line("P4", "J4", pacea, "01/01/2026", "01/03/2026"),
            line("P5", "J5", pacea, "01/01/2026", "15/06/2026 07:00"),  # same day, earlier hour: still the day
            line("C5", "J5", cej, "15/06/2026 09:00"),
            line("P6", "J6", pacea, "01/01/2026", "14/06/2026 23:00"),  # the eve, late: fine
            line("C6", "J6", cej, "15/06/2026 08:00"),
        ],
    )
    findings = of_rule(result, "DSP-04")
    assert set(findings.index) == {"P2", "P3", "P5"}
    assert "au plus tard le 14/06/2026, veille de l'entrée en CEJ" in findings.loc["P2", "message"]


def test_convention_brsa_and_cer_go_together_dsp05(audit):
    result = run(
        audit,
        [
            line("B1", "J1", "Convention B-RSA", "01/06/2026"),  # no CER
            line("R2", "J2", "CER", "01/06/2026"),  # no Convention B-RSA
            line("B3", "J3", "Convention B-RSA", "01/06/2026"),
            line("R3", "J3", "CER", "", init="10/06/2026"),  # initialised only: still its partner
            line("B4", "J4", "convention b-rsa", "01/06/2026"),  # same text
            line("R4", "J4", "Cer", "01/06/2026"),
        ],
    )
    findings = of_rule(result, "DSP-05")
    assert set(findings.index) == {"B1", "R2"}
    assert findings.loc["B1", ["champ", "valeur"]].tolist() == ["dispositif", "Convention B-RSA"]
    assert "créez le dispositif « CER »" in findings.loc["B1", "message"]


def test_cer_past_its_planned_end_and_still_open_dsp06(audit):
    result = run(
        audit,
        [
            line("R1", "J1", "CER", "01/05/2026", fin="30/10/2026"),  # past its planned end, open
            line("R2", "J2", "CER", "01/05/2026", fin="31/10/2026"),  # ends on the date de référence: not past
            line("R3", "J3", "CER", "01/03/2026", "01/09/2026", fin="01/09/2026"),  # closed
            line("R4", "J4", "CER", "01/05/2026"),  # no planned end: not judged
        ],
    )
    assert flagged(result, "DSP-06") == {"R1"}


def test_open_cer_without_an_event_in_the_30_days_up_to_the_reference_ctc01(audit):
    cers = [line(f"R{i}", f"J{i}", "CER", "01/06/2026", fin="01/12/2026") for i in range(1, 5)]
    cers += [
        line("R5", "J5", "CER", "01/06/2026", "15/09/2026"),  # closed: not followed any more
        line("R6", "J6", "CER", "01/11/2026"),  # entered after the date de référence
        line("R7", "J7", "CER", "", init="01/06/2026"),  # initialised only
    ]
    events = [
        event("J1", "02/10/2026 23:59"),  # 29 days before, late in the day: in the window
        event("J2", "01/10/2026 08:00"),  # 30 days before: out of it
        event("J3", "31/10/2026 10:00"),  # the reference day itself
        event("J4", "05/11/2026"),  # an appointment after the date de référence is not a contact
    ]
    result = run(audit, cers, events=events)
    findings = of_rule(result, "CTC-01")
    assert set(findings.index) == {"J2", "J4"}
    assert (findings["table"] == "jeunes").all() and (findings["champ"] == "").all()
    assert "dernier événement le 01/10/2026" in findings.loc["J2", "message"]
    assert "aucun événement enregistré" in findings.loc["J4", "message"]


def test_dossier_in_a_portfolio_without_contact_for_more_than_a_year_ctc02(audit):
    youths = [
        youth("J1", date_dernier_contact="30/10/2025"),  # 12 months and a day
        youth("J2", date_dernier_contact="31/10/2025 10:00"),  # exactly 12 months, by calendar day
        youth("J3", date_dernier_contact="15/01/2023", conseiller_referent=""),  # out of every portfolio
        youth("J4", date_dernier_contact=""),  # no last contact: not judged
        youth("J5"),
    ]
    result = run(audit, [line("P1", "J5", "PACEA", "01/10/2026")], youths=youths)
    findings = of_rule(result, "CTC-02")
    assert set(findings.index) == {"J1"}
    assert findings.loc["J1", ["gravite", "champ", "valeur"]].tolist() == ["info", "date_dernier_contact", "30/10/2025"]


def test_without_dispositifs_the_dsp_rules_and_ctc01_are_disabled_ctc02_still_judged(audit):
    youths = [youth("J1", date_dernier_contact="15/01/2024"), youth("J2")]
    result = audit("dispositifs", {"jeunes": youths, "evenements": [event("J2", "15/10/2026")]})
    assert result.statut == "audite"
    disabled = {d["rule_id"]: d["raison"] for d in result.regles_desactivees}
    assert set(disabled) == {*DSP_RULES, "CTC-01"}
    assert disabled["DSP-05"] == "table « dispositifs » absente de l'export"
    assert [r["rule_id"] for r in result.regles] == ["CTC-02"]
    assert flagged(result, "CTC-02") == {"J1"}


def test_without_evenements_only_ctc01_is_disabled(audit):
    tables = {"jeunes": [youth("J1")], "dispositifs": [line("B1", "J1", "Convention B-RSA", "01/06/2026")]}
    result = audit("dispositifs", tables)
    disabled = {d["rule_id"]: d["raison"] for d in result.regles_desactivees}
    assert disabled == {"CTC-01": "table « evenements » absente de l'export"}
    assert flagged(result, "DSP-05") == {"B1"}


def test_diagnostic_start_needs_the_entry_or_the_initialisation_column_dsp01(audit):
    # The initialisation date alone decides DSP-01; without both columns the rule cannot be decided.
    only_init = {
        "id_dispositif": "D1",
        "id_jeune": "J1",
        "dispositif": "Diagnostic approfondi",
        "date_initialisation": "01/03/2026",
        "date_sortie": "",
    }
    result = audit("dispositifs", {"jeunes": [youth("J1")], "dispositifs": [only_init]})
    assert flagged(result, "DSP-01") == {"D1"}
    neither = {k: v for k, v in only_init.items() if k != "date_initialisation"}
    result = audit("dispositifs", {"jeunes": [youth("J1")], "dispositifs": [neither]})
    reason = {d["rule_id"]: d["raison"] for d in result.regles_desactivees}["DSP-01"]
    assert reason == "ni colonne « Date d'entrée » ni colonne « Date d'initialisation » dans le fichier dispositifs.csv"


def test_unreadable_exit_date_decides_nothing_null_is_empty(audit):
    result = run(
        audit,
        [
            line("P1", "J1", "PACEA", "01/01/2024", "31/02/2026"),  # unreadable exit (DAT-01): not open
            line("R2", "J2", "CER", "01/03/2026", "bientôt", fin="01/09/2026"),
            line("R3", "J3", "CER", "01/03/2026", "NULL", fin="01/09/2026"),  # NULL is empty: still open
            line("D4", "J4", "Diagnostic approfondi", "01/03/2026", "31/02/2026"),  # end unknown: not judged
        ],
    )
    assert flagged(result, "DSP-03") == set()
    assert flagged(result, "DSP-06") == {"R3"}
    assert of_rule(result, "DSP-06").loc["R3", "valeur"] == "NULL"  # the value as read
    assert flagged(result, "DSP-01") == set()
