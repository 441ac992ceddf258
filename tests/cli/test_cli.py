"""The real command on bad input: a French message, exit code 2, no traceback, nothing touched."""

from __future__ import annotations

from conftest import fingerprint, imilo_audit, write_table, youth


def test_jeunes_without_id_column_exits_2_naming_file_column_and_aliases(tmp_path):
    export = tmp_path / "export"
    rows = [{k: v for k, v in youth(f"J{i}").items() if k != "id_jeune"} for i in range(3)]
    write_table(export, "jeunes", rows)
    before = fingerprint(export)
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for expected in ("jeunes.csv", "Identifiant jeune", "ID jeune", "N° dossier", "Numéro de dossier", "alias"):
        assert expected in result.stderr
    assert fingerprint(export) == before
    assert not (tmp_path / "audits" / "2026-10").exists()
    assert [p.name for p in (tmp_path / "audits").iterdir()] == ["journal.txt"]  # nothing else: no staged copy
    assert "refusé (entrée à corriger), code 2" in (tmp_path / "audits" / "journal.txt").read_text(encoding="utf-8")


def test_missing_export_folder_and_bad_options_exit_2_in_french(tmp_path):
    missing = imilo_audit("run", tmp_path / "nulle-part", "--out", tmp_path / "audits")
    assert missing.returncode == 2 and "n'existe pas" in missing.stderr
    bad_month = imilo_audit("run", tmp_path, "--out", tmp_path / "audits", "--month", "octobre")
    assert bad_month.returncode == 2 and "AAAA-MM" in bad_month.stderr
    config = tmp_path / "config.toml"
    config.write_text('[seuils]\nseuil_demarche_personnelle = "beaucoup"\n', encoding="utf-8")
    bad_config = imilo_audit("run", tmp_path, "--out", tmp_path / "audits", "--config", config)
    assert bad_config.returncode == 2 and "seuil_demarche_personnelle" in bad_config.stderr
    assert "Traceback" not in bad_config.stderr + bad_month.stderr + missing.stderr


def test_empty_jeunes_file_exits_2(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "jeunes.csv").write_bytes(b"")
    result = imilo_audit("run", export, "--out", tmp_path / "audits", "--month", "2026-10", "--quiet")
    assert result.returncode == 2
    assert "jeunes.csv" in result.stderr and "Traceback" not in result.stderr


def test_verifier_suggests_the_command_as_typed_and_run_help_says_what_no_month_means(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from conftest import SAMPLE

    typed = str(Path(sys.executable).parent / "imilo-audit")  # as the README types it: .venv/bin/imilo-audit
    checked = subprocess.run([typed, "verifier", str(SAMPLE)], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0
    assert checked.stdout.splitlines()[-1] == (
        f"Aucun audit n'a été lancé : pour l'audit, {typed} run {SAMPLE} --month AAAA-MM.")
    helped = imilo_audit("run", "--help")
    assert "le mois en cours, pas encore fini" in " ".join(helped.stdout.split())
