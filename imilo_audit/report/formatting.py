"""The report's own wording: severities and their colours, the labels of missing groups, page headings."""

from __future__ import annotations

import re

from ..french.formatting import fr_date, fr_decimal, fr_int, fr_month, fr_pct, parse_date

SEVERITIES = ("erreur", "alerte", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
SEVERITY_PLURAL = {"erreur": "Erreurs", "alerte": "Alertes", "info": "Infos"}
# Dark red, amber, blue: distinct in lightness as well as hue, so they survive colour blindness
# and grey printing; the word is always written next to the colour.
SEVERITY_COLOURS = {"erreur": "#b2182b", "alerte": "#e8a800", "info": "#2166ac"}
SEVERITY_TEXT_COLOURS = {"erreur": "#ffffff", "alerte": "#1a1a1a", "info": "#ffffff"}

NO_COUNSELLOR = "(sans conseiller)"
NO_SITE = "(sans lieu)"


def fr_param(name: str, value: object) -> str:
    """A threshold value as a reader expects it: 0.25 -> « 0,25 (25 %) », « 03-31 » -> « 31/03 »."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if name == "cloture_bilan" and isinstance(value, str) and re.fullmatch(r"\d{2}-\d{2}", value):
        month, day = value.split("-")
        return f"{day}/{month}"
    if isinstance(value, float):
        if 0 <= value <= 1 and name.startswith(("seuil", "part")):
            return f"{fr_decimal(value, 3)} ({fr_pct(value)})"
        return fr_decimal(value, 3)
    if isinstance(value, int):
        return fr_int(value)
    return str(value)


# --- theme pages ---------------------------------------------------------------------------------
# Key of a notebook output's metadata that tells the page renderer (another process) what the
# page's header shows: ``titre``, ``structure``, ``date_reference``. Written by imilo_audit.notebook.
PAGE_METADATA = "imilo_audit_page"


def page_heading(titre: str, structure: str = "", date_reference: object = None) -> str:
    """The ``<title>`` of a theme page: theme, structure, date de référence and month.

    « Audit « Ressources » – Mission Locale Rhône Est – situation au 31/10/2026 (octobre 2026) »:
    two months' printouts differ.
    """
    parts = [titre, structure.strip()]
    if parse_date(date_reference) is not None:
        parts.append(f"situation au {fr_date(date_reference)} ({fr_month(date_reference)})")
    return " – ".join(part for part in parts if part)


def severity_count(rule: dict, severity: str) -> int:
    """A rule's findings of ``severity`` in summary.json, also for a rule whose severity varies per finding (DSP-01)."""
    by_severity = rule.get("anomalies_par_gravite")
    if by_severity:
        return int(by_severity.get(severity, 0))
    return int(rule.get("anomalies") or 0) if rule.get("gravite") == severity else 0
