"""A theme: a table set, a derivation producing validation frames, and a suite of the same name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .context import AuditContext

Derive = Callable[[AuditContext], dict[str, pd.DataFrame]]
Parameters = Callable[[AuditContext], dict[str, Any]]
Resolve = Callable[[AuditContext, str, pd.DataFrame], pd.DataFrame]


def no_parameters(ctx: AuditContext) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Theme:
    """One audit theme, its notebook and its suite (``expectations/<id>.json``)."""

    id: str
    titre: str
    notebook: str
    tables: tuple[str, ...]  # the theme is skipped when one of them is absent
    derive: Derive
    parameters: Parameters = field(default=no_parameters)
    detail: str | None = None  # a derived frame worth showing as it is in the notebook (e.g. ORI-01 groups)
    # For frames too large to carry routing and values (one row per cell): completes the rows GX
    # flagged, given the frame's name and those rows. None: the frames carry them already.
    resolve: Resolve | None = None
