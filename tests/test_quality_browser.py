"""The quality site in a real browser: headless Chromium (Debian `chromium`) driven by
Playwright for Python through executable_path, on the site built from the seeds and
served by a local http.server. Skipped outside CI when Chromium or Playwright is
missing; in CI (env CI set) a missing one fails."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading

import pytest

from pipeline.cli import main

from .conftest import SEED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _require():
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        problems.append("chromium is not installed (apt-get install chromium)")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not fonts.strip():
        problems.append("no CJK font (apt-get install fonts-noto-cjk)")
    if problems:
        if os.environ.get("CI"):
            pytest.fail("; ".join(problems))
        pytest.skip("; ".join(problems))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _require()
    tmp = tmp_path_factory.mktemp("browser")
    shutil.copytree(SEED["qindu"].parent, tmp / "raw")
    db = tmp / "w.duckdb"
    main(["ingest", str(tmp / "raw"), "--db", str(db), "-q", "--jobs", "1"])
    assert main(["validate", "--db", str(db)]) == 0
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(tmp / "quality"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


# Two different ideographs drawn in the page's font: real glyphs differ, tofu boxes are alike.
NO_TOFU = """() => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const draw = (ch) => { const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = '48px ' + font; g.fillText(ch, 4, 52);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(','); };
  const blank = draw(' ');
  return {font, differ: draw('政') !== draw('府'), inked: draw('政') !== blank,
          loaded: document.fonts.check('48px "Noto Sans CJK SC"', '政府')};
}"""


def test_overview_renders_chinese_glyphs(site, page):
    page.goto(site + "index.html")
    assert "数据质量" in page.title()
    assert "陕西省" in page.inner_text("#provinces")
    probe = page.evaluate(NO_TOFU)
    assert probe["font"].startswith('"Noto Sans CJK SC"') and probe["differ"] and probe["inked"], probe
    assert page.errors == []


def test_a_click_on_the_plausibility_finding_reaches_the_highlighted_cells(site, page):
    page.goto(site + "index.html")
    page.click("text=陕西省")
    page.wait_for_load_state()
    page.click("a[data-check='plausibility.cases_vs_handled']")
    page.wait_for_load_state()
    assert "秦都区" in page.title()
    assert page.url.endswith("#f-plausibility.cases_vs_handled")
    finding = page.locator("li[id='f-plausibility.cases_vs_handled']")
    assert finding.is_visible() and "案件多于申请" in finding.inner_text()
    for cell in ("t2.total_handled.total", "t3.review.total", "t3.litigation_direct.total",
                 "t3.litigation_after_review.total"):
        td = page.locator(f"td[data-cell='{cell}']")
        assert td.is_visible() and "covered" in td.get_attribute("class")
        assert td.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 243, 176)"
    assert page.locator("td.covered").count() == 4
    assert page.errors == []


def test_filters_change_what_is_shown(site, page):
    page.goto(site + "index.html")
    shaanxi = page.locator("#provinces tr", has_text="陕西省")
    guangdong = page.locator("#provinces tr", has_text="广东省")
    assert shaanxi.is_visible() and guangdong.is_visible()
    page.select_option("#f-suite", "narrative")
    assert not shaanxi.is_visible() and guangdong.is_visible()
    assert guangdong.locator("[data-count='all']").inner_text() == "1"
    page.select_option("#f-suite", "plausibility")
    assert shaanxi.is_visible() and not guangdong.is_visible()
    page.select_option("#f-suite", "")
    page.select_option("#f-status", "acknowledged")
    assert not shaanxi.is_visible() and not guangdong.is_visible()
    page.select_option("#f-status", "open")
    page.select_option("#f-year", "2024")
    assert shaanxi.is_visible()
    page.goto(site + page.locator("#provinces a", has_text="陕西省").get_attribute("href"))
    report_row = page.locator("#reports tr[data-year]")
    assert report_row.count() == 1 and report_row.is_visible()
    page.select_option("#f-severity", "error")
    assert not report_row.is_visible()
    page.select_option("#f-severity", "warning")
    assert report_row.is_visible() and report_row.locator("[data-count='plausibility']").inner_text() == "1"
    assert page.errors == []
