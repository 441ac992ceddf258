"""The audit themes, in report order. Each has a suite ``expectations/<id>.json``."""

from __future__ import annotations

from . import adresses, dispositifs, donnees, emails, formations, identite, mobilite, origine, ressources, utilisateurs
from .base import Theme
from .context import AuditContext

THEMES: dict[str, Theme] = {
    t.id: t
    for t in (
        adresses.THEME,
        identite.THEME,
        emails.THEME,
        origine.THEME,
        ressources.THEME,
        formations.THEME,
        dispositifs.THEME,
        mobilite.THEME,
        utilisateurs.THEME,
        donnees.THEME,
    )
}

__all__ = ["THEMES", "AuditContext", "Theme"]
