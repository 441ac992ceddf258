"""Running the expectation suites of ``expectations/`` with Great Expectations 1.x on pandas.

A suite file holds one theme. Each expectation's ``meta`` carries the rule (``rule_id``, severity,
French title, why, fix, message) and ``cible``, the derived frame it validates. Thresholds reach
the suites as expectation parameters (``{"$PARAMETER": name}``), never by editing the JSON.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SuiteError
from ..exports import TABLES
from ..folders import ROOT
from ..text import counted
from ..themes.context import AuditContext

RESULT_FORMAT = "COMPLETE"
COLUMN_KWARGS = ("column", "column_A", "column_B")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
META_KEYS = ("rule_id", "gravite", "cible", "titre", "pourquoi", "correction", "source", "message")


def suites_dir() -> Path:
    """Where the suites live: ``expectations/`` beside the package (override: IMILO_AUDIT_EXPECTATIONS)."""
    override = os.environ.get("IMILO_AUDIT_EXPECTATIONS")
    return Path(override) if override else ROOT / "expectations"


@cache
def load_suite(theme: str) -> dict[str, Any]:
    """The JSON of a theme's suite, checked: every expectation carries the meta of a rule."""
    path = suites_dir() / f"{theme}.json"
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteError(f"La suite d'attentes « {path} » est illisible : {exc}") from None
    for number, expectation in enumerate(suite.get("expectations", []), start=1):
        missing = [k for k in META_KEYS if k not in expectation.get("meta", {})]
        if missing:
            raise SuiteError(f"L'attente n° {number} de « {path.name} » n'a pas {', '.join(missing)} dans meta.")
    return suite


@dataclass
class RuleOutcome:
    """What GX said of one rule: how many records it looked at and which ones fail."""

    meta: dict[str, Any]
    success: bool
    controles: int
    positions: list[Any] = field(default_factory=list)

    @property
    def rule_id(self) -> str:
        return self.meta["rule_id"]


@dataclass
class SuiteRun:
    """The outcomes of a theme's suite, and GX's own results (for ``validations/``)."""

    outcomes: list[RuleOutcome]
    gx_results: dict[str, dict[str, Any]]
    disabled: list[dict[str, str]]


def disabled_rules(suite: dict[str, Any], ctx: AuditContext) -> list[dict[str, str]]:
    """Rules whose table or column is absent from the export, with the reason in French.

    rules.md: "a missing optional column disables a rule only when the rule cannot be decided
    without it". A rule's ``meta.colonnes`` lists the columns it cannot do without (``table`` or
    ``table.champ``); ``meta.colonnes_optionnelles`` the ones it reads when the file has them and
    does without otherwise (USR-03 reads the creation date of never-connected accounts): those never
    disable it. A derivation reads any column through ``AuditContext.column``, which gives an empty
    column when the file lacks it, so a missing optional column leaves its records undecided.
    """
    disabled = []
    for expectation in suite["expectations"]:
        meta = expectation["meta"]
        reason = _missing_input(meta.get("colonnes", []), ctx)
        if reason and meta["rule_id"] not in {d["rule_id"] for d in disabled}:
            disabled.append({"rule_id": meta["rule_id"], "raison": reason})
    return disabled


def _missing_input(columns: list[str], ctx: AuditContext) -> str | None:
    """Why a rule cannot run: its first absent table or column (``table.a|b``: a, else b, will do)."""
    for qualified in columns:
        table, _, names = qualified.partition(".")
        if not ctx.has(table):
            return f"table « {table} » absente de l'export"
        alternatives = [name for name in names.split("|") if name]
        if alternatives and not any(ctx.has(table, name) for name in alternatives):
            headers = [f"colonne « {TABLES[table].fields[name].header} »" for name in alternatives]
            if len(headers) == 1:
                return f"{headers[0]} absente du fichier {ctx.table(table).fichier}"
            return f"ni {' ni '.join(headers)} dans le fichier {ctx.table(table).fichier}"
    return None


def run_suite(theme: str, frames: dict[str, pd.DataFrame], ctx: AuditContext, parameters: dict[str, Any]) -> SuiteRun:
    """Validate each derived frame against the expectations that target it."""
    suite = load_suite(theme)
    disabled = disabled_rules(suite, ctx)
    off = {d["rule_id"] for d in disabled}
    outcomes: list[RuleOutcome] = []
    gx_results: dict[str, dict[str, Any]] = {}
    by_target = itertools.groupby(
        sorted(
            (e for e in suite["expectations"] if e["meta"]["rule_id"] not in off),
            key=lambda e: e["meta"]["cible"],
        ),
        key=lambda e: e["meta"]["cible"],
    )
    for target, expectations in by_target:
        expectations = list(expectations)
        if target not in frames:
            raise SuiteError(f"La suite « {theme} » vise le tableau « {target} », que le thème ne produit pas.")
        name = f"{suite['name']}.{target}"
        result = _validate(name, suite.get("meta", {}), expectations, frames[target], parameters)
        gx_results[name] = validation_record(result)
        outcomes.extend(_outcome(r) for r in result.results)
    order = {e["meta"]["rule_id"]: i for i, e in enumerate(suite["expectations"])}
    outcomes.sort(key=lambda o: order[o.rule_id])
    return SuiteRun(outcomes, gx_results, disabled)


def _validate(name, meta, expectations, frame, parameters):
    import great_expectations as gx

    ctx = _gx_context()
    try:
        suite = gx.ExpectationSuite(name=name, meta=meta, expectations=expectations)
    except Exception as exc:  # a misspelt kwarg raises here
        raise SuiteError(f"La suite « {name} » ne peut pas être construite : {exc}") from None
    if len(suite.expectations) != len(expectations):  # GX drops a misspelt type silently
        built = {e.meta.get("rule_id") for e in suite.expectations}
        lost = [e["meta"]["rule_id"] for e in expectations if e["meta"]["rule_id"] not in built]
        missing = counted(len(expectations) - len(suite.expectations), "attente", "attentes")
        raise SuiteError(
            f"La suite « {name} » a perdu {missing} au chargement (type d'attente mal écrit ?) : "
            f"{', '.join(lost) or 'inconnue'}."
        )
    asset = ctx.data_sources.get("imilo").add_dataframe_asset(f"{name}.{next(_counter)}")
    data = frame[columns_read(expectations, frame)]
    batch = asset.add_batch_definition_whole_dataframe("tout").get_batch(batch_parameters={"dataframe": data})
    return batch.validate(suite, result_format=RESULT_FORMAT, expectation_parameters=parameters)


# What validations/ keeps of each expectation's result: counts and shares, then the flagged rows'
# numbers; never a value read (those are in findings.csv once, not copied a second time).
KEPT_COUNTS = ("element_count", "missing_count", "missing_percent", "unexpected_count", "unexpected_percent",
               "unexpected_percent_total", "unexpected_percent_nonmissing")


def validation_record(result) -> dict[str, Any]:
    """A GX suite result as ``validations/`` keeps it, built without GX's deep copy of every flagged row.

    GX's own shape (``success``, ``statistics``, ``suite_name``, ``meta``, ``results``); per
    expectation its configuration (type, kwargs, meta), success, exception, the counts of
    :data:`KEPT_COUNTS` and ``unexpected_index_list`` reduced to the row numbers (``{"ligne": n}``).
    """
    from great_expectations.util import convert_to_json_serializable

    def one(outcome) -> dict[str, Any]:
        found = outcome.result or {}
        kept: dict[str, Any] = {key: found[key] for key in KEPT_COUNTS if key in found}
        if "unexpected_index_list" in found:
            kept["unexpected_index_list"] = [{"ligne": row["ligne"]} if isinstance(row, dict) else row
                                             for row in found["unexpected_index_list"] or []]
        config = outcome.expectation_config
        return {
            "expectation_config": {"type": config.type, "kwargs": dict(config.kwargs), "meta": dict(config.meta)},
            "success": bool(outcome.success),
            "result": kept,
            "exception_info": dict(outcome.exception_info or {}),
        }

    return convert_to_json_serializable({
        "success": bool(result.success),
        "suite_name": result.suite_name,
        "statistics": dict(result.statistics),
        "meta": dict(result.meta),
        "results": [one(outcome) for outcome in result.results],
    })


def columns_read(expectations: list[dict[str, Any]], frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` the expectations read (their column kwargs and row conditions).

    GX fingerprints every batch by hashing the whole frame, twice per validation: handing it only
    what it checks (not the routing and value columns the findings need) keeps that cost small.
    """
    wanted: set[str] = set()
    for expectation in expectations:
        kwargs = expectation["kwargs"]
        wanted.update(kwargs[k] for k in COLUMN_KWARGS if k in kwargs)
        wanted.update(kwargs.get("column_list", []))
        wanted.update(_NAME.findall(kwargs.get("row_condition") or ""))
    return [c for c in frame.columns if c in wanted]


def _outcome(result) -> RuleOutcome:
    meta = dict(result.expectation_config.meta)
    crash = _crash_message(result.exception_info or {})
    if crash is not None:
        raise SuiteError(f"La règle {meta['rule_id']} n'a pas pu être évaluée par Great Expectations : {crash}")
    stats = result.result
    controles = int(stats.get("element_count") or 0) - int(stats.get("missing_count") or 0)
    positions = [row["ligne"] for row in stats.get("unexpected_index_list") or []]
    return RuleOutcome(meta, bool(result.success), controles, positions)


def _crash_message(info: dict[str, Any]) -> str | None:
    """The message of an expectation that raised (GX nests it per metric), without its traceback."""
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "erreur inconnue")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "erreur inconnue")
    return None


_counter = itertools.count()


@cache
def _gx_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.data_sources.add_pandas("imilo")
    return ctx


@cache
def warm_up() -> None:
    """Build the GX context and run one tiny validation, so that a run's first rule pays nothing.

    Then the objects alive so far (GX's and pandas' modules: about 240 000, and the few Python objects
    of an export already read: its data is in Arrow) leave the garbage collector's watch
    (``gc.freeze``): they live as long as the kernel, and every later collection, automatic or the one
    after each notebook, would walk them all again (0.16 s each). A frozen table dropped later is
    still freed (measured: the synthesis's slimmed export gives back the same memory).
    """
    frame = pd.DataFrame({"valeur": [1]}, index=pd.Index(["x"], name="ligne"))
    expectation = {"type": "expect_column_values_to_be_between", "kwargs": {"column": "valeur", "max_value": 1},
                   "meta": {"rule_id": "ECHAUFFEMENT"}}
    _validate("echauffement", {}, [expectation], frame, {})
    gc.collect()
    gc.freeze()
