"""The machinery of one run: notebooks executed by papermill in warm kernels, under a lock, published
so that a month always holds a complete audit.

Front door: :func:`.runner.run_audit`. Beside it: :mod:`.kernels` (the warm kernel pool),
:mod:`.lock` (one run per audits folder and month), :mod:`.publish` (staging and the atomic swap),
:mod:`.journal` (``journal.txt`` of the audits folder), :mod:`.terminal` (progress on the terminal)
and :mod:`.bench` (the benchmark command). Errors are raised, never mapped to exit codes here.
"""
