"""Writing French: numbers, percentages, dates and months, guillemets, agreement, and the no-break
spaces of French typography.

:mod:`.formatting` (``fr_int``, ``fr_pct``, ``fr_date``, ``fr_counted``…) and :mod:`.typography`
(``french_spaces``). A leaf: every stage that words something for a person uses it.
"""
