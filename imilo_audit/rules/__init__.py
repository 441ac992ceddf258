"""Running the charter's rules: one theme's audit (derive -> Great Expectations -> findings).

Front door: :mod:`.audit` (``audit_theme``, ``ThemeResult``, ``open_context``, saving and loading a
theme's result in a run folder). Beside it: :mod:`.validation` runs a suite of ``expectations/``,
:mod:`.findings` turns its results into the findings table (spec/outputs.md), :mod:`.catalogue`
lists every rule from the suites' ``meta``, :mod:`.verify` says which rules an export can run, and
:mod:`.docs` writes docs/regles.md and docs/export.md. Reads ``exports`` and ``themes``; never
imports the report or the run.
"""
