"""The findings charts drawn as HTML: every rule named with its count, the longest bar the largest count."""

from __future__ import annotations

import re

import pandas as pd

from imilo_audit.report.bars import Panels, counsellor_bars, rule_bars

CATALOGUE = [
    {"rule_id": "EML-01", "theme": "emails", "titre": "Email manquant", "gravite": "erreur"},
    {"rule_id": "EML-02", "theme": "emails", "titre": "Email invalide", "gravite": "erreur"},
    {"rule_id": "EML-03", "theme": "emails", "titre": "Email fantaisiste", "gravite": "alerte"},
]


def findings(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"rule_id": r, "gravite": g, "conseiller": c, "theme": "emails"} for r, g, c in rows])


def widths(html: str) -> list[float]:
    return [float(w) for w in re.findall(r"height:14px;width:([\d.]+)%", html)]


def test_every_rule_of_the_theme_is_a_row_with_its_count_even_at_zero():
    frame = findings(*[("EML-03", "alerte", "Anne")] * 12, *[("EML-01", "erreur", "Paul")] * 4)
    html = str(rule_bars(frame, CATALOGUE, "emails").html())
    assert "EML-01 Email manquant" in html and "EML-02 Email invalide" in html and "EML-03 Email fantaisiste" in html
    assert widths(html) == [33.33, 0.0, 100.0]  # 4, 0 and 12 findings: the largest fills the track
    assert ">12<" in html and ">4<" in html
    assert "4 erreurs" in html and "12 alertes" in html  # what the colours say, in words
    assert "Infos" not in html  # no legend entry for a severity absent from the chart


def test_the_counsellors_chart_keeps_the_most_concerned_first_and_counts_severities_apart():
    frame = findings(("EML-01", "erreur", "Paul"), ("EML-03", "alerte", "Paul"), ("EML-03", "alerte", "Anne"),
                     ("EML-03", "alerte", ""))
    chart = counsellor_bars(frame, "emails", 10, "Conseillers les plus concernés")
    html = str(chart.html())
    assert html.index("Paul") < html.index("Anne")
    assert "1 erreur, 1 alerte" in html
    assert "(sans" not in html and widths(html) == [100.0, 50.0]  # a finding without counsellor is not a row


def test_a_theme_without_findings_says_so_in_the_notebook_and_in_plain_text():
    panels = Panels([rule_bars(findings()[:0].assign(rule_id="", gravite="", conseiller="", theme=""), [], "emails"),
                     counsellor_bars(findings()[:0].assign(rule_id="", gravite="", conseiller="", theme=""),
                                     "emails", 10, "Conseillers")])
    assert "Aucune anomalie." in panels._repr_html_()
    assert repr(panels) == ("Anomalies par règle : Aucune anomalie.\n\n"
                            "Conseillers : Aucune anomalie rattachée à un conseiller.")
