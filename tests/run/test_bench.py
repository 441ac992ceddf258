"""``imilo-audit bench`` on a small generated export: the figures a developer reads are printed."""

from __future__ import annotations

import re

from conftest import imilo_audit


def test_bench_prints_time_memory_stages_and_outputs(tmp_path):
    result = imilo_audit("bench", "--jeunes", "300", "--repetitions", "1", "--dossier", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Audit d'un export généré de 300 jeunes" in out
    assert "essai 1 : durée " in out and "CPU " in out and "mémoire max " in out
    assert "étapes (s) : imports des noyaux" in out and "validation GX" in out and "classeurs" in out
    assert re.search(r"sorties : \d+ anomalies · index.html", out) and "findings.csv" in out
    assert (tmp_path / "export-300" / "attendus.csv").exists()  # kept for the next time


def test_bench_measures_a_findings_heavy_export_and_counts_its_findings(tmp_path):
    result = imilo_audit("bench", "--jeunes", "--charge", "600", "--taux-anomalies", "0.5", "--conseillers", "8",
                         "--repetitions", "1", "--dossier", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Audit d'un export chargé de 600 jeunes (0,5 anomalie par jeune, 8 conseillers)" in out
    findings = int(re.search(r"sorties : ([\d\u202f\u00a0 ]+) anomalies", out).group(1).replace("\u202f", "")
                   .replace("\u00a0", "").replace(" ", ""))
    assert findings >= 0.4 * 600
    assert "classeurs" in out and "dossier de l'audit" in out
