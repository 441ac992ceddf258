"""Tables of the theme pages: French numbers, whole texts, one header row, data shown as text."""

from __future__ import annotations

import pandas as pd

from imilo_audit.report.tables import french_table


def test_counts_are_french_texts_whole_and_the_index_is_a_column():
    message = "Aucun email sur ce dossier actif : demandez-le au jeune et saisissez-le dans les coordonnées."
    frame = pd.DataFrame({"Contrôlés": [2251], "Part": [0.3125], "Message": [message]},
                         index=pd.Index(["EML-01"], name="Règle"))
    html = french_table(frame).to_html()
    assert "2\u202f251" in html and "0,31" in html and message in html
    assert html.count("<tr>") == 2  # one header row, one data row
    assert ">Règle<" in html and ">EML-01<" in html


def test_values_from_the_export_are_escaped():
    frame = pd.DataFrame({"Total": [1]}, index=pd.Index(["<script>alert(1)</script>"], name="Conseiller"))
    html = french_table(frame).to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
