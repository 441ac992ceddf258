"""The documents generated from the code (rule catalogue, export format) are up to date."""

from __future__ import annotations

import pytest

from imilo_audit.rules.docs import DOCS_DIR, GENERATED


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_document_is_up_to_date(name):
    committed = (DOCS_DIR / name).read_text(encoding="utf-8")
    assert committed == GENERATED[name](), f"docs/{name} is out of date: run `make docs`"


def test_the_catalogue_describes_every_rule_and_the_export_every_column():
    catalogue, export = GENERATED["regles.md"](), GENERATED["export.md"]()
    assert "### ADR-01 — Adresse non normalisée (erreur)" in catalogue and "### DAT-03" in catalogue
    assert "| `email` | Email | E-mail, Courriel, Mail, Mél, Adresse email, Adresse mail | texte |" in export
