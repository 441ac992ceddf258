"""Month-to-month follow-up of each finding (outputs.md): new, still there since when, fixed.

A finding is the same as an earlier one when ``rule_id``, ``table``, ``id_enregistrement`` and
``champ`` are equal; for group findings (ORI-01, no record), ``rule_id``, ``conseiller`` and
``lieu``. ``premiere_detection`` is the earliest audit of the audits folder from which the finding
was present in every audit up to this one; the findings of the previous audit that are gone are
the fixed ones (``corriges.csv``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ..errors import os_error_fr
from ..folders import earlier_audit_folders
from ..progress import report
from .csv_safety import restored

FOLLOW_COLUMNS = ["premiere_detection", "suivi"]
IDENTITY_COLUMNS = ("rule_id", "table", "id_enregistrement", "champ", "conseiller", "lieu")
NEW, PERSISTENT, FIXED = "nouveau", "persistant", "corrige"
_SEP = "\x1f"  # never in a value read from an export cell key
_NOT_COUNTED = ("le suivi des anomalies (nouvelles, persistantes, corrigées) ne le compte pas. Supprimez ce fichier "
                "ou remplacez-le par l'original.")


def finding_keys(findings: pd.DataFrame) -> pd.Series:
    """The identity of each finding, as one string (outputs.md's rule of sameness)."""
    text = findings.astype("string").fillna("")
    record = text["rule_id"] + _SEP + text["table"] + _SEP + text["id_enregistrement"] + _SEP + text["champ"]
    group = text["rule_id"] + _SEP + "groupe" + _SEP + text["conseiller"] + _SEP + text["lieu"]
    return record.where(text["id_enregistrement"] != "", group)


def earlier_audits(audits_dir: str | Path | None, month: str) -> list[tuple[str, pd.DataFrame]]:
    """``(month, findings)`` of the audits before ``month`` in the audits folder, newest first.

    An audit whose findings.csv cannot be read, or lacks the columns of a finding's identity, is
    left out with a French warning naming it (its month then breaks no chain: the chain runs over
    the audits that can be read).
    """
    found = []
    for folder in reversed(earlier_audit_folders(audits_dir, month)):
        path = folder / "findings.csv"
        if not path.is_file():
            continue
        try:
            frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            skip_earlier(path, unreadable(exc), _NOT_COUNTED)
            continue
        except (ValueError, pd.errors.ParserError, csv.Error, MemoryError):
            skip_earlier(path, "ce n'est pas un findings.csv lisible (fichier tronqué ou modifié ?)", _NOT_COUNTED)
            continue
        missing = [c for c in IDENTITY_COLUMNS if c not in frame.columns]
        if missing:
            skip_earlier(path, f"il n'a pas la colonne « {missing[0]} »", _NOT_COUNTED)
            continue
        found.append((folder.name, frame.apply(restored)))  # the values, not their spreadsheet protection
    return found


def unreadable(exc: OSError | UnicodeDecodeError) -> str:
    """Why an earlier audit's file cannot be read, in French (for :func:`skip_earlier`)."""
    if isinstance(exc, UnicodeDecodeError):
        return "il n'est pas en UTF-8"
    return f"il ne peut pas être lu : {os_error_fr(exc)}"


def skip_earlier(path: Path, problem: str, consequence: str) -> None:
    """Warn, in French, that an earlier audit's file is left out: why, and what then misses it."""
    report("info", "synthese", f"Attention : l'audit précédent « {path} » est ignoré ({problem}) : {consequence}")


def follow_up(
    findings: pd.DataFrame, month: str, earlier: list[tuple[str, pd.DataFrame]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This month's findings with ``premiere_detection`` and ``suivi``, and last audit's fixed ones."""
    findings = findings.copy()
    keys = finding_keys(findings) if len(findings) else pd.Series([], dtype="string")
    first = pd.Series(month, index=findings.index, dtype="string")
    present = set(keys.tolist())
    alive = set(present)
    for earlier_month, previous in earlier:  # newest first: a finding's chain stops at its first gap
        alive &= set(finding_keys(previous).tolist())
        if not alive:
            break
        first[keys.isin(alive).to_numpy()] = earlier_month
    findings["premiere_detection"] = first
    findings["suivi"] = pd.Series(NEW, index=findings.index, dtype="string").where(first == month, PERSISTENT)
    return findings, _fixed(earlier, present)


def _fixed(earlier: list[tuple[str, pd.DataFrame]], present: set[str]) -> pd.DataFrame:
    """The previous audit's findings that are not found any more."""
    if not earlier:
        return pd.DataFrame(columns=FOLLOW_COLUMNS)
    previous_month, previous = earlier[0]
    gone = previous[~finding_keys(previous).isin(present).to_numpy()].copy()
    if "premiere_detection" not in gone.columns:
        gone["premiere_detection"] = previous_month
    gone["premiere_detection"] = gone["premiere_detection"].replace("", previous_month)
    gone["suivi"] = FIXED
    return gone


def counts_by_rule(findings: pd.DataFrame, fixed: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``nouveaux``, ``persistants`` and ``corriges`` per rule id."""
    counts: dict[str, dict[str, int]] = {}
    for frame, column, status in ((findings, "nouveaux", NEW), (findings, "persistants", PERSISTENT),
                                  (fixed, "corriges", FIXED)):
        if len(frame):
            for rule, count in frame.loc[frame["suivi"] == status, "rule_id"].value_counts().items():
                counts.setdefault(str(rule), {})[column] = int(count)
    return counts
