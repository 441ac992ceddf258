"""The workbooks' own writer: what a spreadsheet reads back is what was written."""

import openpyxl
from python_calamine import CalamineWorkbook

from imilo_audit.report.xlsx import Style, Workbook

TEXTS = ["a & b < c > d", "  espaces gardés  ", "ligne 1\nligne 2", "_x000D_ littéral", "retour\rchariot",
         "Données « illisibles »", "=1+1"]


def test_texts_numbers_and_sheets_read_back_as_written(tmp_path):
    book = Workbook()
    summary = book.add_sheet("Synthèse")
    summary.text(0, 0, "Titre", Style.TITLE)
    summary.number(1, 1, 42, Style.NUMBER)
    sheet = book.add_sheet("Données d'un thème")
    sheet.text(0, 0, "Valeur", Style.HEADER)
    sheet.frozen_rows, sheet.filter = 1, (len(TEXTS), 0)
    sheet.table(1, [((text,), (Style.AS_TEXT if text.startswith("=") else Style.TOP,)) for text in TEXTS])
    book.save(tmp_path / "c.xlsx")

    calamine = CalamineWorkbook.from_path(str(tmp_path / "c.xlsx"))
    assert calamine.sheet_names == ["Synthèse", "Données d'un thème"]
    assert [row[0] for row in calamine.get_sheet_by_index(1).to_python()] == ["Valeur", *TEXTS]
    assert calamine.get_sheet_by_index(0).to_python()[1][1] == 42
    opened = openpyxl.load_workbook(tmp_path / "c.xlsx")
    themed = opened["Données d'un thème"]
    read = [themed.cell(row, 1).value for row in range(2, len(TEXTS) + 2)]
    plain = [i for i, text in enumerate(TEXTS) if "\r" not in text and "_x" not in text]  # openpyxl keeps _xHHHH_
    assert [read[i] for i in plain] == [TEXTS[i] for i in plain]
    assert themed.cell(len(TEXTS) + 1, 1).quotePrefix and not themed.cell(2, 1).quotePrefix
    assert themed.freeze_panes == "A2" and themed.auto_filter.ref == f"A1:A{len(TEXTS) + 1}"
    assert opened["Synthèse"].cell(1, 1).font.bold
