"""``imilo-audit bench`` on a small generated export: the figures a developer reads are printed."""

from __future__ import annotations

from conftest import imilo_audit


def test_bench_prints_time_memory_stages_and_outputs(tmp_path):
    result = imilo_audit("bench", "--jeunes", "300", "--repetitions", "1", "--dossier", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Audit d'un export généré de 300 jeunes" in out
    assert "essai 1 : durée " in out and "CPU " in out and "mémoire max " in out
    assert "étapes (s) : imports des noyaux" in out and "validation GX" in out and "classeurs" in out
    assert "sorties : index.html" in out and "findings.csv" in out
    assert (tmp_path / "export-300" / "attendus.csv").exists()  # kept for the next time
