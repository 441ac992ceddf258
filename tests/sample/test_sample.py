"""The sample generator: deterministic files in the formats of real exports, and an attendus.csv
that lists every rule of rules.md and none of the look-alikes.

These tests read the files with the standard library and openpyxl only, never with
imilo_audit.exports: the sample is the oracle of the reader's tests, not the other way round.
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from imilo_audit.cli import main
from imilo_audit.sample import build_sample, generate_sample

SIZE = 300
REFERENCE = dt.date(2026, 10, 31)
RULES_MD = (  # every rule id of spec/rules.md
    "ADR-01", "ADR-02", "ADR-03", "EML-01", "EML-02", "EML-03", "EML-04", "EML-05", "ORI-01", "ORI-02",
    "RES-01", "RES-02", "RES-03", "RES-04", "RES-05", "RES-06", "RES-07",
    "FOR-01", "FOR-02", "FOR-03", "FOR-04", "FOR-05", "FOR-06", "FOR-07",
    "USR-01", "USR-02", "USR-03", "USR-04", "USR-05", "USR-06", "USR-07", "USR-08",
    "IDN-01", "IDN-02", "IDN-03", "IDN-04", "IDN-05", "IDN-06",
    "DSP-01", "DSP-02", "DSP-03", "DSP-04", "DSP-05", "DSP-06", "CTC-01", "CTC-02",
    "MOB-01", "MOB-02", "FT-01", "DAT-01", "DAT-02", "DAT-03",
)  # fmt: skip
YOUTH_TABLES = ("ressources", "formations", "dispositifs", "evenements")
RESOURCE_HEADERS = {
    "montant": "Montant mensuel",
    "date_debut": "Date de début",
    "date_fin": "Date de fin",
    "type_ressource": "Type de ressource",
    "id_jeune": "Identifiant jeune",
}
HEADER = "rule_id;gravite;table;id_enregistrement;id_jeune;conseiller;lieu;champ;valeur"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    summary = generate_sample(folder, jeunes=SIZE, seed=1, date_reference=REFERENCE)
    return folder, summary


@pytest.fixture(scope="module")
def expected(sample) -> list[dict[str, str]]:
    folder, _ = sample
    with (folder / "attendus.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def rows_of(path: Path, encoding: str, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter=delimiter) if any(row.values())]


def flagged(expected, rule_id: str, **where: str) -> list[dict[str, str]]:
    return [f for f in expected if f["rule_id"] == rule_id and all(f[k] == v for k, v in where.items())]


# --- determinism -------------------------------------------------------------------------------
def test_same_seed_gives_the_same_bytes(sample, tmp_path):
    folder, summary = sample
    again = generate_sample(tmp_path / "again", jeunes=SIZE, seed=1, date_reference=REFERENCE)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in again.out_dir.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(folder, again.out_dir, names, shallow=False)
    assert mismatch == [] and errors == []
    assert again.findings == summary.findings


def test_another_seed_gives_other_files(sample, tmp_path):
    folder, summary = sample
    other = generate_sample(tmp_path / "other", jeunes=SIZE, seed=2, date_reference=REFERENCE)
    for table in ("jeunes", "ressources", "utilisateurs", "evenements"):
        assert summary.files[table].read_bytes() != other.files[table].read_bytes()


def test_out_dir_is_created_and_summary_names_the_files(sample):
    folder, summary = sample
    assert summary.out_dir == folder
    assert set(summary.files) == {
        "jeunes", "ressources", "formations", "utilisateurs", "dispositifs", "evenements", "attendus"
    }  # fmt: skip
    assert all(path.parent == folder and path.exists() for path in summary.files.values())
    assert summary.files["jeunes"].name == "jeunes_2026-10.csv"
    assert summary.rows["jeunes"] >= SIZE and summary.ignored["jeunes"] == 1
    assert summary.total_findings == sum(summary.findings.values())


# --- file formats (read from the bytes) --------------------------------------------------------
def test_jeunes_is_windows_1252_with_semicolons_aliases_and_a_total_line(sample):
    folder, summary = sample
    data = summary.files["jeunes"].read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    header = text.split("\r\n", 1)[0].split(";")
    assert {"N° dossier", "Courriel", "CP", "Référent", "Site", "Nom d'usage", "Date du dernier contact"} <= set(header)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[-1][0] == "" and rows[-1][1] == "Total"  # the BI footer, ignored by the reader
    records = rows[1:-1]
    assert len(records) == summary.rows["jeunes"]
    assert all(len(r) == len(header) for r in records)
    cells = [c for r in records for c in r]
    assert any(";" in c for c in cells) and any("\n" in c for c in cells)  # quoted fields
    assert any("'" in c for c in cells) and any("ë" in c for c in cells)
    dates = [r[header.index("Date de première inscription")] for r in records]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in dates)
    assert {r[header.index("Pas de NIR")] for r in records} >= {"X", ""}
    assert {r[header.index("Adresse normalisée")] for r in records} >= {"Oui", "Non"}
    assert any(re.fullmatch(r"0\d{4}", r[header.index("CP")]) for r in records)  # leading zero kept


def test_ressources_is_utf8_with_bom_commas_amounts_and_no_id_column(sample):
    _, summary = sample
    data = summary.files["ressources"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.split(",")[:3] == ["Identifiant jeune", "Type de ressource", "Montant mensuel"]
    assert "Identifiant ressource" not in header
    assert "\r\n\r\n" in text  # a blank line, which does not count in L<n>
    amounts = {r["Montant mensuel"] for r in rows_of(summary.files["ressources"], "utf-8-sig", ",")}
    assert "0" in amounts and any(re.fullmatch(r"\d[ \u202f]\d{3},\d\d[ \u00a0]€", a) for a in amounts)


def test_formations_workbook_has_another_sheet_first_and_both_kinds_of_dates(sample):
    _, summary = sample
    book = load_workbook(summary.files["formations"])
    assert book.sheetnames[0] != "formations" and "formations" in book.sheetnames
    sheet = book["formations"]
    header = [c.value for c in sheet[1]]
    column = header.index("Date de début")
    values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(v, dt.datetime) for v in values)
    assert any(isinstance(v, str) and re.fullmatch(r"\d\d/\d\d/\d{4}", v) for v in values)


def test_other_files_encodings_and_separators(sample):
    _, summary = sample
    users = summary.files["utilisateurs"].read_bytes()
    assert not users.startswith(b"\xef\xbb\xbf") and users.decode("utf-8").split("\n", 1)[0].count("\t") >= 10
    dispositifs = summary.files["dispositifs"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        dispositifs.decode("utf-8")
    assert dispositifs.decode("cp1252").split("\r\n", 1)[0].count("|") >= 8
    events = summary.files["evenements"]
    assert events.name == "événements.csv"
    data = events.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8").split("\n", 1)[0].count(";") == 4


def test_attendus_format_and_order(sample, expected):
    folder, _ = sample
    data = (folder / "attendus.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    keys = [(f["rule_id"], f["table"], f["id_enregistrement"], f["champ"]) for f in expected]
    assert keys == sorted(keys)
    assert {f["gravite"] for f in expected} <= {"erreur", "alerte", "info"}


# --- what attendus.csv lists --------------------------------------------------------------------
def test_every_rule_of_rules_md_is_expected_at_least_once(sample, expected):
    _, summary = sample
    found = {f["rule_id"] for f in expected}
    assert set(RULES_MD) <= found
    assert found <= set(RULES_MD)
    assert all(summary.findings[rule] >= 1 for rule in RULES_MD)


def test_lookalikes_are_not_flagged_by_the_rules_they_resemble(expected):
    sample = build_sample(SIZE, seed=1, date_reference=REFERENCE)  # the same sample, in memory
    assert len(sample.lookalikes) >= 40
    for look in sample.lookalikes:
        hits = [
            f for f in expected
            if f["rule_id"] in look.rules and f["table"] == look.table and f[look.column] == look.value
        ]  # fmt: skip
        assert hits == [], look.what


def test_spot_checks_on_the_written_files(sample, expected):
    folder, summary = sample
    jeunes = rows_of(summary.files["jeunes"], "cp1252", ";")
    by_id = {j["N° dossier"]: j for j in jeunes if j["N° dossier"]}
    lieu_dit = [j for j in jeunes if j["Voie"] == "-" and j["Complément d'adresse"]]
    assert lieu_dit and not any(flagged(expected, "ADR-02", id_enregistrement=j["N° dossier"]) for j in lieu_dit)
    sdf_npai = [j for j in jeunes if j["Complément d'adresse"] == "SDF" and j["NPAI"] == "X"]
    assert sdf_npai and not flagged(expected, "ADR-03", id_enregistrement=sdf_npai[0]["N° dossier"])
    for email in ("hotmail.be", "yahoo.de", "live.com"):
        owner = next(j for j in jeunes if j["Courriel"].endswith("@" + email))
        assert not flagged(expected, "EML-04", id_enregistrement=owner["N° dossier"])
    assert all(f["valeur"].rsplit("@", 1)[1] != "gmail.com" for f in flagged(expected, "EML-04"))
    spaced = [j for j in jeunes if re.fullmatch(r"1 \d\d \d\d .*|2 \d\d \d\d .*", j["NIR"])]
    assert spaced and not flagged(expected, "IDN-02", id_enregistrement=spaced[0]["N° dossier"])
    for finding in flagged(expected, "ADR-01") + flagged(expected, "EML-01"):
        assert by_id[finding["id_enregistrement"]]["Référent"] == finding["conseiller"]
    users = rows_of(summary.files["utilisateurs"], "utf-8", "\t")
    testard = next(u for u in users if u["Nom"] == "TESTARD")
    assert not flagged(expected, "USR-06", id_enregistrement=testard["Identifiant"])
    assert flagged(expected, "USR-06", champ="login")  # « stagiaire.rh »: a word of the login


def test_resource_line_numbers_follow_the_convention(sample, expected):
    _, summary = sample
    lines = rows_of(summary.files["ressources"], "utf-8-sig", ",")  # blank line skipped, quoted line breaks kept
    assert any("\n" in line["Commentaire"] for line in lines)
    for finding in (f for f in expected if f["table"] == "ressources"):
        number = int(finding["id_enregistrement"].removeprefix("L"))
        line = lines[number - 1]
        assert line["Identifiant jeune"] == finding["id_jeune"]
        if finding["champ"]:
            assert line[RESOURCE_HEADERS[finding["champ"]]].strip() == finding["valeur"]


def test_group_and_cross_table_findings(sample, expected):
    _, summary = sample
    groups = flagged(expected, "ORI-01")
    assert len(groups) == 3 and all(re.fullmatch(r"0\.\d\d", g["valeur"]) and float(g["valeur"]) > 0.25 for g in groups)
    assert all(g["id_enregistrement"] == "" and bool(g["conseiller"]) != bool(g["lieu"]) for g in groups)
    for table in ("jeunes", "formations", "utilisateurs", "dispositifs", "evenements"):
        ids = [f["id_enregistrement"] for f in flagged(expected, "DAT-02", table=table)]
        assert ids and all(ids.count(i) >= 2 for i in ids)
    assert {f["table"] for f in flagged(expected, "DAT-03")} == set(YOUTH_TABLES)
    orphan = flagged(expected, "DAT-03", table="formations")[0]
    assert orphan["conseiller"] == orphan["lieu"] == ""  # unknown youth, empty training counsellor
    assert {f["gravite"] for f in flagged(expected, "DSP-01")} == {"alerte", "erreur"}
    users = rows_of(summary.files["utilisateurs"], "utf-8", "\t")
    referents = [
        j["Référent"] for j in rows_of(summary.files["jeunes"], "cp1252", ";") if j["N° dossier"]
    ]  # fmt: skip
    for finding in flagged(expected, "USR-04"):
        user = next(u for u in users if u["Identifiant"] == finding["id_enregistrement"])
        names = {user["Identifiant"], f"{user['Prénom']} {user['Nom']}", f"{user['Nom']} {user['Prénom']}"}
        assert any(r in names for r in referents)


def test_deactivation_before_the_annual_report_is_closed(tmp_path):
    """Date de référence in February: an account deactivated last December is not to unsubscribe."""
    reference = dt.date(2027, 2, 15)
    summary = generate_sample(tmp_path, jeunes=SIZE, seed=3, date_reference=reference)
    with summary.files["attendus"].open(encoding="utf-8-sig", newline="") as handle:
        expected = list(csv.DictReader(handle, delimiter=";"))
    users = rows_of(summary.files["utilisateurs"], "utf-8", "\t")
    december = [u for u in users if u["Date de désactivation"].endswith("/12/2026")]
    assert december
    assert not any(flagged(expected, "USR-01", id_enregistrement=u["Identifiant"]) for u in december)
    for finding in flagged(expected, "USR-01"):
        assert finding["valeur"] == "" or int(finding["valeur"][-4:]) <= 2025
    assert summary.files["jeunes"].name == "jeunes_2027-02.csv"


# --- size -----------------------------------------------------------------------------------
def test_size_scales_with_jeunes(sample, tmp_path):
    _, small = sample
    large = generate_sample(tmp_path, jeunes=3 * SIZE, seed=1, date_reference=REFERENCE)
    for table in ("jeunes", "ressources", "formations", "dispositifs", "evenements"):
        assert 2.2 < large.rows[table] / small.rows[table] < 3.8, table
    assert large.rows["utilisateurs"] >= small.rows["utilisateurs"]
    assert 1.2 < small.rows["ressources"] / SIZE < 1.8 and 3 < small.rows["evenements"] / SIZE < 5


def test_command_line_writes_a_sample_and_refuses_a_tiny_one(tmp_path, capsys):
    assert main(["sample", str(tmp_path / "cli"), "--jeunes", str(SIZE), "--seed", "5"]) == 0
    assert (tmp_path / "cli" / "attendus.csv").exists()
    assert main(["sample", str(tmp_path / "tiny"), "--jeunes", "20"]) == 2
    assert "dossiers" in capsys.readouterr().err


def test_a_defect_rate_and_a_staff_size_shape_a_real_first_audit(tmp_path, capsys):
    """--taux-anomalies: about that many findings per youth; --conseillers: that many counsellors with dossiers."""
    summary = generate_sample(tmp_path / "charge", jeunes=1200, seed=2, date_reference=REFERENCE, defect_rate=0.6)
    assert 0.45 * 1200 <= summary.total_findings <= 0.75 * 1200
    staffed = build_sample(1200, seed=2, date_reference=REFERENCE, counsellors=40)
    assert len(staffed.counsellors) == 41  # and the one alone on the small site
    assert len({youth["_counsellor"]["login"] for youth in staffed.youths if youth.get("_counsellor")}) > 30
    assert main(["sample", str(tmp_path / "trop"), "--jeunes", "600", "--taux-anomalies", "3"]) == 2
    assert "--taux-anomalies" in capsys.readouterr().err
    assert main(["sample", str(tmp_path / "seul"), "--jeunes", "600", "--conseillers", "2"]) == 2
    assert "--conseillers" in capsys.readouterr().err
    assert not (tmp_path / "trop").exists() and not (tmp_path / "seul").exists()
