"""``--pseudonymise``: an audit fit for sharing beyond the structure (outputs.md).

No name, email, phone number, NIR, birth date or street of the export appears in any file of the
audit folder; counsellors and user accounts appear under stable pseudonyms (same key, same
pseudonym, every month); dossier identifiers stay. The personal values searched for are read from
the sample's files with plain pandas, independently of the project's reader.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
import unicodedata
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE

from imilo_audit.cli import main
from imilo_audit.people.counsellors import Directory
from imilo_audit.people.pseudonyms import PSEUDONYM, pseudonymise_earlier, pseudonymise_findings
from imilo_audit.rules.findings import empty_findings

ROOT = Path(__file__).resolve().parents[2]
KEY = "clé de test : une phrase secrète assez longue"
OTHER_KEY = "une autre clé, tout aussi secrète"
THEME_PAGES = sorted(path.with_suffix(".html").name for path in (ROOT / "notebooks").glob("[1-9][0-9]_*.ipynb")
                     if not path.name.startswith("99"))  # every theme page, new themes included


# --- the sample's personal values, read without the code under test -----------------------------


def plain(text: str) -> str:
    """Case-folded, without accents: « PRÉVOST » and the file name « prevost » are the same word."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def words(text: str) -> set[str]:
    return set(re.findall(r"[0-9a-z]+", plain(text)))


def _values(*columns: pd.Series) -> set[str]:
    return {str(v).strip() for column in columns for v in column.dropna() if str(v).strip()}


def _iso(date: str) -> str:
    day = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", date)
    return f"{day[3]}-{day[2]}-{day[1]}" if day else date


def _french(date: str) -> str:
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    return f"{day[3]}/{day[2]}/{day[1]}" if day else date


def sample_tables() -> dict[str, pd.DataFrame]:
    """The sample's tables as written (every cell as text), by their own headers."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        youths = pd.read_csv(SAMPLE / "jeunes_2026-10.csv", sep=";", encoding="cp1252", dtype=str)
        tables = {
            "jeunes": youths[youths["N° dossier"].notna()],  # not the « Total » line
            "utilisateurs": pd.read_csv(SAMPLE / "utilisateurs.txt", sep="\t", dtype=str),
            "formations": pd.read_excel(SAMPLE / "formations.xlsx", sheet_name="formations", dtype=str),
            "evenements": pd.read_csv(SAMPLE / "événements.csv", sep=";", dtype=str),
            "dispositifs": pd.read_csv(SAMPLE / "dispositifs.csv", sep="|", encoding="cp1252", dtype=str),
            "ressources": pd.read_csv(SAMPLE / "Ressources.csv", dtype=str, encoding="utf-8-sig"),
        }
    return tables


PERSONAL_HEADERS = {"Nom d'usage", "Nom de naissance", "Prénom", "Nom", "Référent", "Conseiller", "Prescripteur",
                    "Identifiant", "Courriel", "E-mail", "Téléphone portable", "NIR", "Date de naissance", "Voie"}


def vocabulary(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Words an audit writes whoever is in the export: the project's fixed texts (docs/, the suites'
    titles, messages and charter quotes) and the sample's non-personal columns (sites, communes,
    structure, profiles, functions, trainings)."""
    found: set[str] = set()
    for path in [*(ROOT / "docs").glob("*.md"), *(ROOT / "expectations").glob("*.json")]:
        found |= words(path.read_text(encoding="utf-8"))
    for frame in tables.values():
        for column in frame.columns:
            if column not in PERSONAL_HEADERS:
                found |= words(" ".join(frame[column].dropna().astype(str).unique()))
    return found


@pytest.fixture(scope="module")
def personal() -> dict[str, set[str]]:
    """Every personal value of the sample, by kind, in the form the scan compares."""
    t = sample_tables()
    j, u = t["jeunes"], t["utilisateurs"]
    names = _values(j["Nom d'usage"], j["Nom de naissance"], j["Prénom"], u["Nom"], u["Prénom"])
    counsellors = _values(j["Référent"], t["formations"]["Conseiller"], t["evenements"]["Conseiller"],
                          t["dispositifs"]["Référent"])
    name_words = {w for value in names | counsellors for w in words(value) if len(w) >= 3 and not w.isdigit()}
    # Whole words of 3 letters or more only (« Li », « Ba » would match anything). A name word that is
    # also a word of the fixed texts or of a non-personal column is no evidence of a leak: « Bron » is
    # a site and a generic account's first name (« Équipe emploi Bron »), « Formation », « Direction »,
    # « Accueil », « i-milo » are generic accounts' names and words of the rules, « Blanc » (a youth's
    # name) is in the charter's « laisser à blanc », « Saint », « Pierre » are in communes. Each
    # counsellor's whole spelling (« Valérie CARRE ») is still searched below, whatever its words.
    excluded = name_words & vocabulary(t)
    assert len(excluded) < 0.1 * len(name_words), sorted(excluded)
    births = _values(j["Date de naissance"], u["Date de naissance"])
    logins = {plain(v) for v in _values(u["Identifiant"])}
    return {
        "nom": name_words - excluded,
        "conseiller": {plain(v) for v in counsellors},
        # Logins carry names (« scordier »); generic ones made of vocabulary words are left out.
        "identifiant": {v for v in logins if len(v) >= 5 and not set(re.split(r"[^0-9a-z]+", v)) <= excluded},
        "email": {plain(v) for v in _values(j["Courriel"], u["E-mail"])},
        "telephone": {re.sub(r"\D", "", v) for v in _values(j["Téléphone portable"])},
        "nir": {plain(v) for v in _values(j["NIR"])},
        "naissance": births | {_iso(v) for v in births} | {_french(v) for v in births},
        # Streets of 5 characters or more: « - » is the charter's convention for a lieu-dit.
        "voie": {plain(v) for v in _values(j["Voie"]) if len(v) >= 5},
    }


# --- the audit folder, as text -----------------------------------------------------------------

# Base64 of the charts (PNG in notebooks, data URIs): its random letters hold short words (« eva »).
# Charts are drawn from the (pseudonymised) findings, like the tables beside them.
_BASE64 = re.compile(r"[A-Za-z0-9+/=]{100,}")


def folder_texts(folder: Path) -> list[tuple[str, str]]:
    """(where, text) for every file of the folder: its path, its content (workbooks unzipped),
    HTML entities and XML escapes resolved, chart data left out; plain() applied."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        texts.append((name + " (nom du fichier)", plain(name)))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                parts = [(f"{name}!{part}", book.read(part).decode("utf-8", "replace")) for part in book.namelist()]
        else:
            parts = [(name, path.read_text(encoding="utf-8", errors="replace"))]
        for where, text in parts:
            text = html.unescape(_BASE64.sub(" ", text))
            if path.suffix in (".ipynb", ".json"):
                text = text.replace("\\n", "\n").replace('\\"', '"')
            texts.append((where, plain(text)))
    return texts


_PHONE = re.compile(r"(?<![0-9])(?:\+33 ?|0)[1-9](?:[ .\-\u00a0]?[0-9]{2}){4}(?![0-9])")
_LOGIN = re.compile(r"(?<![0-9a-z._-])[0-9a-z][0-9a-z._-]*[0-9a-z]")
_DATE = re.compile(r"(?<![0-9])(?:[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


def _whole(value: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9a-z]){re.escape(value)}(?![0-9a-z])")


def leaks(folder: Path, personal: dict[str, set[str]], kinds: tuple[str, ...] | None = None) -> list[str]:
    """Each personal value of the sample found in a file of the folder: « file: kind value »."""
    kinds = kinds or tuple(personal)
    found = []
    for where, text in folder_texts(folder):
        hits: dict[str, set[str]] = {
            "nom": set(re.findall(r"[0-9a-z]+", text)) & personal["nom"],
            "identifiant": set(_LOGIN.findall(text)) & personal["identifiant"],
            "email": {m.rstrip(".") for m in re.findall(r"(?<![\w.%+-])[\w.%+-]+@[\w.-]+", text)} & personal["email"],
            "telephone": {"0" + re.sub(r"\D", "", m)[2:] if m.startswith("+") else re.sub(r"\D", "", m)
                          for m in _PHONE.findall(text)} & personal["telephone"],
            "nir": set(re.findall(r"(?<![0-9a-z])[0-9][0-9ab]{11,20}(?![0-9a-z])", text)) & personal["nir"],
            "naissance": set(_DATE.findall(text)) & personal["naissance"],
        }
        spaced = re.sub(r"[\s_]+", " ", text)  # « valerie_carre.xlsx », a non-breaking space
        for kind in ("conseiller", "voie"):  # several words: searched as a whole, between word bounds
            hits[kind] = {v for v in personal[kind] if v in spaced and _whole(v).search(spaced)}
        found += [f"{where}: {kind} {value}" for kind in kinds for value in sorted(hits[kind])]
    return found


# --- runs ---------------------------------------------------------------------------------------


def write_config(folder: Path, key: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(f'[pseudonymisation]\ncle = "{key}"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory) -> Path:
    """The audit folder of the real command run with --pseudonymise on data_samples/."""
    root = tmp_path_factory.mktemp("pseudonymise")
    config = write_config(root / "config", KEY)
    result = subprocess.run(
        [sys.executable, "-m", "imilo_audit.cli", "run", str(SAMPLE), "--out", str(root / "audits"),
         "--month", "2026-10", "--config", str(config), "--pseudonymise", "--quiet"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return root / "audits" / "2026-10"


def read_findings(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


# --- tests --------------------------------------------------------------------------------------


def test_no_personal_value_in_any_file_of_a_pseudonymised_audit(pseudonymised, personal):
    files = {p.relative_to(pseudonymised).parts[0] for p in pseudonymised.rglob("*")}
    assert {"index.html", "findings.csv", "corriges.csv", "summary.json", "notebooks", "validations",
            "par_conseiller", "10_adresses.html"} <= files
    assert list((pseudonymised / "par_conseiller").glob("*.xlsx"))
    found = leaks(pseudonymised, personal)
    assert not found, "\n".join(found[:40])
    # Nor the key: with it, anyone could compute the pseudonym of each name.
    assert not [w for w, text in folder_texts(pseudonymised) if plain(KEY) in text]


def test_the_scan_finds_the_personal_values_of_a_normal_audit(sample_run, personal, tmp_path):
    """The scan above would see a leak: a normal audit keeps them in findings.csv and the workbooks;
    and each kind of value is seen in HTML (escaped), in a workbook and in a file name."""
    found = {line.split(": ", 1)[1].split(" ", 1)[0] for line in leaks(sample_run, personal)}
    assert {"nom", "conseiller", "email", "naissance", "identifiant"} <= found
    youth = sample_tables()["jeunes"].iloc[0]
    entities = youth["Prénom"].encode("ascii", "xmlcharrefreplace").decode()  # « Chlo&#233; »
    page = f"<td>{entities}</td><td>{youth['Courriel'].replace('@', '&#64;')}</td><td>{youth['NIR']}</td>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "classeur.xlsx", "w") as book:
        book.writestr("xl/sharedStrings.xml", f"<t>{youth['Téléphone portable']}</t><t>{youth['Voie']}</t>"
                                              f"<t>{_iso(youth['Date de naissance'])}</t>")
    (tmp_path / "valerie_carre.csv").write_text("", encoding="utf-8")
    kinds = {line.split(": ", 1)[1].split(" ", 1)[0] for line in leaks(tmp_path, personal)}
    assert kinds == {"nom", "conseiller", "email", "nir", "telephone", "voie", "naissance"}


def test_counsellors_and_accounts_appear_under_pseudonyms_and_dossiers_keep_their_numbers(pseudonymised):
    findings = read_findings(pseudonymised / "findings.csv")
    named = findings.loc[findings["conseiller"] != "", "conseiller"]
    assert len(named) and named.map(lambda v: bool(re.fullmatch(r"Conseiller [0-9A-Z]{4}", v))).all()
    accounts = findings[findings["table"] == "utilisateurs"]
    assert len(accounts) and accounts["id_enregistrement"].str.fullmatch(r"Compte [0-9A-Z]{4}").all()
    youths = findings[findings["table"] == "jeunes"]
    assert youths.loc[youths["id_enregistrement"] != "", "id_enregistrement"].str.fullmatch(r"\d{7}").all()
    sites = set(sample_tables()["jeunes"]["Site"].dropna())
    assert set(youths["lieu"]) - {""} <= sites and len(set(youths["lieu"]) & sites) >= 3  # sites stay
    # Two spellings of one person (« BOURDON Stéphane », login sbourdon) make one pseudonym: as many
    # pseudonyms as people, no more.
    assert named.nunique() <= 21
    summary = json.loads((pseudonymised / "summary.json").read_text(encoding="utf-8"))
    assert summary["pseudonymise"] is True
    assert "pseudonymisé" in (pseudonymised / "index.html").read_text(encoding="utf-8")


def test_validation_results_keep_counts_and_row_numbers_but_no_value(pseudonymised):
    for path in (pseudonymised / "validations").glob("*.json"):
        for outcome in json.loads(path.read_text(encoding="utf-8"))["results"]:
            result = outcome["result"]
            assert not {"unexpected_list", "partial_unexpected_list", "partial_unexpected_counts",
                        "observed_value", "details"} & set(result), path.name
            for row in result.get("unexpected_index_list", []):
                assert set(row) == {"ligne"}, path.name


def test_same_key_same_pseudonym_every_month_another_key_another(pseudonymised):
    """November audited in-process with the same key names the same dossiers' counsellors the same way."""
    from imilo_audit.exports import read_export
    from imilo_audit.rules.audit import audit_theme
    from imilo_audit.themes import AuditContext

    october = read_findings(pseudonymised / "findings.csv")
    october = october[(october["table"] == "jeunes") & (october["id_jeune"] != "")]
    october = dict(zip(october["id_jeune"], october["conseiller"], strict=True))
    ctx = AuditContext(read_export(SAMPLE), dt.date(2026, 11, 30))

    def november(key: str) -> dict[str, str]:
        findings = pd.concat([audit_theme(theme, ctx, key).findings for theme in ("adresses", "emails")])
        findings = findings[(findings["table"] == "jeunes") & (findings["conseiller"] != "")]
        return dict(zip(findings["id_jeune"], findings["conseiller"], strict=True))

    same, other = november(KEY), november(OTHER_KEY)
    common = sorted(set(october) & set(same))
    assert len(common) >= 10 and len({october[d] for d in common}) >= 5
    assert all(same[d] == october[d] for d in common)
    assert all(other[d] != october[d] for d in common)


def test_two_spellings_and_the_login_of_one_person_get_one_pseudonym():
    users = pd.DataFrame(
        {"login": ["choarau", "vcarre"], "nom": ["HOARAU", "CARRE"], "prenom": ["Christophe", "Valérie"]}
    )
    spellings = [
        "HOARAU Christophe", "Christophe HOARAU", "choarau", "Valérie CARRE", "Lucie NOUVELLE", "NOUVELLE Lucie"
    ]
    findings = empty_findings().reindex(range(len(spellings))).fillna("")
    findings = findings.assign(rule_id="ADR-01", table="jeunes", id_enregistrement=[f"100000{i}" for i in range(6)],
                               conseiller=spellings)
    pseudonyms = pseudonymise_findings(findings, Directory(spellings, users), KEY)["conseiller"].tolist()
    assert all(PSEUDONYM.fullmatch(p) for p in pseudonyms)
    assert len(set(pseudonyms[:3])) == 1  # one person, with an account
    assert pseudonyms[4] == pseudonyms[5] != pseudonyms[0] != pseudonyms[3]  # no account: same words
    again = pseudonymise_findings(findings.iloc[[2, 5]], Directory(spellings[2:6:3], users), KEY)
    assert again["conseiller"].tolist() == [pseudonyms[2], pseudonyms[5]]  # not depending on who else is there


def test_a_normal_earlier_month_is_compared_and_fixed_under_the_same_pseudonyms(sample_run, pseudonymised, personal):
    """The follow-up of a pseudonymised month reads the earlier audits under its pseudonyms: a normal
    October equals the pseudonymised October finding for finding, and names nobody in corriges.csv."""
    normal = read_findings(sample_run / "findings.csv")
    users = sample_tables()["utilisateurs"].rename(columns={"Identifiant": "login", "Nom": "nom", "Prénom": "prenom"})
    [(_, earlier)] = pseudonymise_earlier([("2026-10", normal)], users, KEY)
    pseudonymised_findings = read_findings(pseudonymised / "findings.csv")
    columns = ["rule_id", "table", "id_enregistrement", "champ", "conseiller", "lieu", "valeur"]

    def rows(frame: pd.DataFrame) -> Counter:
        return Counter(frame[columns].itertuples(index=False, name=None))

    assert rows(earlier) == rows(pseudonymised_findings)
    text = plain(earlier.to_csv(sep=";"))
    assert not set(re.findall(r"[0-9a-z]+", text)) & personal["nom"]
    assert not {v for v in personal["email"] if v in text}


def test_without_a_key_the_command_says_what_to_add_and_exits_2(tmp_path, capsys):
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "audits"), "--pseudonymise"]) == 2
    message = capsys.readouterr().err
    assert "[pseudonymisation]" in message and "cle = " in message and "--config" in message
    assert "clé secrète" in message
    short = tmp_path / "courte.toml"
    short.write_text('[pseudonymisation]\ncle = "abc"\n', encoding="utf-8")
    assert main(["run", str(SAMPLE), "--out", str(tmp_path / "audits"), "--config", str(short), "--pseudonymise"]) == 2
    assert "au moins 16 caractères" in capsys.readouterr().err
    assert not (tmp_path / "audits" / "2026-10").exists()


def test_shared_pages_of_a_normal_audit_show_no_email_phone_nir_or_birth_date(sample_run, personal, tmp_path):
    """outputs.md, « What the shared pages show »: the index and the theme pages travel."""
    shared = tmp_path / "pages_partagees"
    shared.mkdir()
    for name in ["index.html", *THEME_PAGES]:
        if (sample_run / name).is_file():
            (shared / name).write_bytes((sample_run / name).read_bytes())
    assert (shared / "index.html").is_file() and (shared / "20_emails.html").is_file()
    found = leaks(shared, personal, ("email", "telephone", "nir", "naissance"))
    assert not found, "\n".join(found[:40])
