"""The audit themes, in report order. Each has a suite ``expectations/<id>.json``."""

from __future__ import annotations

from . import adresses, donnees, emails, formations, origine, ressources, utilisateurs
from .base import Theme
from .context import AuditContext

THEMES: dict[str, Theme] = {
    t.id: t
    for t in (
        adresses.THEME,
        emails.THEME,
        origine.THEME,
        ressources.THEME,
        formations.THEME,
        utilisateurs.THEME,
        donnees.THEME,
    )
}

__all__ = ["THEMES", "AuditContext", "Theme"]
