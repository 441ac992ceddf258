"""The pages of a real run opened from disk in headless Chromium: no console error, no network request.

Playwright drives Debian's ``chromium`` (``make navigateur`` installs it; Playwright never downloads
a browser). Screenshots (``*_ecran.png``: the first 1280×900 screen; ``*_page.jpg``: the full page)
and the A4 PDF of ``index.html`` (``index.pdf``) are kept in the session's temporary folder
(``captures/``, printed at the end of the run) for a human to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import captures_dir
from playwright.sync_api import Browser, sync_playwright
from pypdf import PdfReader

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def _chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The path of the system Chromium (missing: a failure under CI, else a skip saying how to install it)."""
    path = _chromium()
    if path is None:
        message = "Chromium is missing: install it with `make navigateur` (Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; the browser test must run in CI (.ci/run installs it).", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[Browser]:
    """One headless Chromium for the whole module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> Path:
    folder = captures_dir(tmp_path_factory)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Visit:
    """What happened while a page was opened, captured and printed."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def foreign_requests(self) -> list[str]:
        """Requests other than the page itself and data: URIs."""
        return [url for url in self.requests if url != self.url and not url.startswith("data:")]


def visit(browser: Browser, path: Path, captures: Path, name: str, pdf: Path | None = None) -> Visit:
    """Open ``path`` from disk, save its screenshots (and its A4 PDF), record console errors and requests."""
    started = time.monotonic()
    seen = Visit(path.resolve().as_uri())
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.on("console", lambda message: message.type == "error" and seen.errors.append(message.text))
        page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
        page.on("request", lambda request: seen.requests.append(request.url))
        page.goto(seen.url, wait_until="load")
        page.screenshot(path=captures / f"{name}_ecran.png")
        # JPEG: the full report is ~26 000 px high, PNG would cost 3 s more to encode
        page.screenshot(path=captures / f"{name}_page.jpg", full_page=True, type="jpeg", quality=70)
        if pdf is not None:
            page.pdf(path=pdf, format="A4")
    finally:
        page.close()
    seen.seconds = time.monotonic() - started
    return seen


def assert_quiet(seen: Visit) -> None:
    assert seen.url in seen.requests
    assert seen.errors == [], f"console errors on {seen.url}: {seen.errors}"
    assert seen.foreign_requests() == [], f"network requests from {seen.url}: {seen.foreign_requests()[:5]}"


def squeezed(text: str) -> str:
    """Text without ligatures, soft hyphens or whitespace: a title broken over two lines still matches."""
    return re.sub(r"[\s\u00ad]+", "", unicodedata.normalize("NFKC", text)).casefold()


@pytest.fixture(scope="module")
def index_visit(browser, sample_run, captures) -> Visit:
    return visit(browser, sample_run / "index.html", captures, "index", pdf=captures / "index.pdf")


def test_index_opens_offline_without_console_error(index_visit):
    assert_quiet(index_visit)


def test_theme_page_opens_offline_without_console_error(browser, sample_run, captures):
    assert_quiet(visit(browser, sample_run / "10_adresses.html", captures, "theme_10_adresses"))


def test_counsellor_page_opens_offline_without_console_error(browser, sample_run, captures):
    pages = sorted((sample_run / "par_conseiller").glob("*.html"))
    if not pages:
        pytest.skip("no counsellor page par_conseiller/*.html in the audit folder yet")
    assert_quiet(visit(browser, pages[0], captures, "conseiller"))


def test_printed_report_holds_the_whole_theme_table_on_page_one(index_visit, sample_run, captures):
    summary = json.loads((sample_run / "summary.json").read_text(encoding="utf-8"))
    titles = [theme["titre"] for theme in summary["themes"] if theme["statut"] == "audite"]
    assert titles
    first_page = squeezed(PdfReader(captures / "index.pdf").pages[0].extract_text())
    missing = [title for title in titles if squeezed(title) not in first_page]
    assert missing == [], f"themes of the summary table not on the first printed A4 page: {missing}"


# A table wider than what holds it (cut on paper, hidden under its neighbour), or a cell whose text
# overflows it: [table's first header, pixels over, cells over] for each.
CUT_TABLES = """() => [...document.querySelectorAll('table')].filter(t => t.offsetParent).map(t => {
  const room = t.parentElement.getBoundingClientRect().right, right = t.getBoundingClientRect().right;
  const cells = [...t.querySelectorAll('td, th')].filter(c => c.offsetParent && c.scrollWidth > c.clientWidth + 1);
  return [(t.querySelector('th') || t).textContent.trim().slice(0, 30), Math.round(right - room), cells.length];
}).filter(([_name, over, cells]) => over > 1 || cells > 0)"""
A4_CONTENT_PX = 703  # 210 mm less the report's 12 mm margins, at 96 px per inch


@pytest.fixture(scope="module")
def second_month(sample_run, tmp_path_factory) -> Path:
    """The sample audited again a month later into the same audits folder: the report with its follow-up."""
    import subprocess
    import sys

    audits = tmp_path_factory.mktemp("deux_mois")
    shutil.copytree(sample_run, audits / sample_run.name)
    sample = Path(__file__).resolve().parents[2] / "data_samples"
    done = subprocess.run([sys.executable, "-m", "imilo_audit.cli", "run", str(sample), "--out", str(audits),
                           "--month", "2026-11", "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return audits / "2026-11"


@pytest.mark.parametrize("month", ["first", "second"])
def test_no_table_is_cut_at_1024_px_nor_on_a4(browser, sample_run, second_month, month):
    folder = sample_run if month == "first" else second_month
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    try:
        for name in ("index.html", "10_adresses.html", "regles.html"):
            page.emulate_media(media="screen")
            page.set_viewport_size({"width": 1024, "height": 900})
            page.goto((folder / name).as_uri(), wait_until="load")
            assert page.evaluate(CUT_TABLES) == [], f"{name} at 1024 px"
            page.emulate_media(media="print")
            page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
            assert page.evaluate(CUT_TABLES) == [], f"{name} printed on A4"
    finally:
        page.close()


def test_the_printed_report_gives_each_theme_at_most_two_pages(index_visit, sample_run, captures):
    summary = json.loads((sample_run / "summary.json").read_text(encoding="utf-8"))
    titles = [squeezed(theme["titre"]) for theme in summary["themes"] if theme["statut"] == "audite"]
    pages = [squeezed(page.extract_text()) for page in PdfReader(captures / "index.pdf").pages]
    starts = [next(number for number, text in enumerate(pages) if text.startswith(title)) for title in titles]
    ends = [*starts[1:], len(pages)]
    lengths = {title: end - start for title, start, end in zip(titles, starts, ends, strict=True)}
    assert all(1 <= length <= 2 for length in lengths.values()), lengths
    assert len(pages) <= 4 + 2 * len(titles) + 2  # the verdict, the counsellors, « À savoir », and the themes
