"""Which records each rule looked at this month: what tells a fix from a record that left a rule's scope.

outputs.md: a finding of last month that is gone is ``corrige`` only when its record is still in the
rule's scope; ``hors_perimetre`` when the record is there but the rule no longer looks at it (the
dossier is no longer active, the value became unreadable); ``disparu`` when the record left the
export. A rule's scope is what GX counted for it (``controles``): the rows of its row condition
(pandas' ``query``, the parser the suites name), less those whose column is empty, except for the
expectations about emptiness itself. One boolean column per rule, on the frame's records.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

ABOUT_EMPTINESS = frozenset({"expect_column_values_to_not_be_null", "expect_column_values_to_be_null"})
SCOPE_COLUMNS = ["_table", "_id"]


def in_scope(expectation: dict[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Rows of ``frame`` the expectation judges (True), as GX counts them in ``element_count - missing_count``."""
    kwargs = expectation["kwargs"]
    mask = np.ones(len(frame), dtype=bool)
    condition = kwargs.get("row_condition")
    if condition:
        mask &= frame.index.isin(frame.query(condition, parser="pandas", engine="python").index)
    column = kwargs.get("column")
    if column in frame.columns and expectation["type"] not in ABOUT_EMPTINESS:
        mask &= frame[column].notna().to_numpy(dtype=bool)
    pair = [kwargs.get("column_A"), kwargs.get("column_B")]
    if all(name in frame.columns for name in pair):
        empty = [frame[name].isna().to_numpy(dtype=bool) for name in pair]
        either = kwargs.get("ignore_row_if") == "either_value_is_missing"
        mask &= ~(empty[0] | empty[1]) if either else ~(empty[0] & empty[1])
    return mask


def rule_scopes(expectations: list[dict[str, Any]], frames: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """``_table``, ``_id`` and one boolean column per rule (in scope or not), for the frames that name records.

    Frames routed only for their flagged rows (no ``_id`` for every row, as « Données illisibles »)
    and group frames (no record) have no scope here: their findings gone are taken as fixed.
    """
    parts = []
    for target, frame in frames.items():
        if not set(SCOPE_COLUMNS) <= set(frame.columns) or frame["_id"].isna().all():
            continue
        rules = [e for e in expectations if e["meta"]["cible"] == target]
        if not rules:
            continue
        part = pd.DataFrame({column: frame[column].astype("string").to_numpy() for column in SCOPE_COLUMNS})
        for expectation in rules:
            part[expectation["meta"]["rule_id"]] = in_scope(expectation, frame)
        parts.append(part[part["_id"].notna().to_numpy()])
    if not parts:
        return None
    scopes = pd.concat(parts, ignore_index=True)
    rules = [c for c in scopes.columns if c not in SCOPE_COLUMNS]
    scopes[rules] = scopes[rules].fillna(False).astype(bool)  # a rule of another frame does not look at the row
    return scopes
