"""``regles.html``: the rule catalogue as a page of the audit folder, for the people who receive the report.

They do not have the project's ``docs/regles.md``; the page says, theme by theme, what each rule
checks, why, where the charter says so and how to fix it in i-milo, with this audit's thresholds.
"""

from __future__ import annotations

from pathlib import Path

from .offline import check_offline
from .templating import render_page

RULES_PAGE = "regles.html"


def write_rules_page(path: str | Path, catalogue: list[dict], structure: str, date_reference: str,
                     parameters: list[dict]) -> Path:
    """Write the catalogue page; ``parameters`` as the index shows them (label, value, changed, default)."""
    themes: dict[str, dict] = {}
    for rule in catalogue:
        theme = themes.setdefault(rule["theme"], {"theme": rule["theme"], "titre": rule.get("theme_titre") or
                                                  rule["theme"], "regles": []})
        theme["regles"].append(rule)
    page = render_page("rules.html.j2", themes=list(themes.values()), structure=structure,
                       date_reference=date_reference, parametres=parameters)
    check_offline(page, str(path))
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
