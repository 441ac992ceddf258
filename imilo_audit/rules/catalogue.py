"""The rule catalogue: every rule of the charter as its suite's ``meta`` describes it, the one place
rules are titled, explained and told how to fix."""

from __future__ import annotations

from typing import Any

from ..themes import THEMES
from .validation import load_suite


def catalogue() -> list[dict[str, Any]]:
    """Every rule of every theme, from the suites' meta: the one place rules are described."""
    rules = []
    for theme in THEMES.values():
        for expectation in load_suite(theme.id)["expectations"]:
            meta = expectation["meta"]
            rules.append(
                {
                    "rule_id": meta["rule_id"],
                    "theme": theme.id,
                    "theme_titre": theme.titre,
                    "gravite": meta["gravite"],
                    "titre": meta["titre"],
                    "pourquoi": meta["pourquoi"],
                    "correction": meta["correction"],
                    "source": meta["source"],
                    "table": meta.get("table", meta["cible"]),
                }
            )
    return rules


def suite_rules(suite: dict[str, Any]) -> list[dict[str, Any]]:
    """The meta of each rule of a suite, once per ``rule_id`` (its first expectation), in suite order."""
    metas: dict[str, dict[str, Any]] = {}
    for expectation in suite["expectations"]:
        metas.setdefault(expectation["meta"]["rule_id"], expectation["meta"])
    return list(metas.values())
