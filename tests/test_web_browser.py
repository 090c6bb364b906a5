"""`reportgen serve` in a real browser: Debian's Chromium, driven by Selenium through
chromedriver, against the server listening on a free port of this machine.

The walk of a finance officer: upload seed 003 with a damaged file and a form whose
project name is markup, see the 24 forms and the error, open one form and its
findings, download its PDF and the ZIP of all, open the department summary. Each page
is saved as a PNG: under tests/results/web/, or, with REPORTGEN_UPDATE_SNAPSHOTS=1,
under tests/snapshots/web/ for review.

Skipped, with the reason, only where no Chromium can be had (`make test` installs it
when run as root).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from reportgen.rules import load_rules

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="no Chromium here: `make test` installs Debian's chromium and chromium-driver when run as root")

SEED_003 = next((ROOT / "tests" / "data" / "seeds").glob("003_*.txt"))
SHOTS = ROOT / "tests" / ("snapshots" if os.environ.get("REPORTGEN_UPDATE_SNAPSHOTS") == "1" else "results") / "web"
HOSTILE = "<script>alert(1)</script>专项"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The app on a free port, in a thread of this process, until the module ends."""
    import uvicorn

    from reportgen.web.app import create_app

    port = free_port()
    app = create_app(load_rules(None))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def uploaded(server, browser, tmp_path_factory):
    """Seed 003, a damaged PDF and a form named with markup, uploaded through the page."""
    url, _ = server
    folder = tmp_path_factory.mktemp("uploads")
    damaged = folder / "损坏的文件.pdf"
    damaged.write_bytes(bytes(range(256)) * 64)
    hostile = folder / "hostile.yaml"
    sample = yaml.safe_load((ROOT / "samples" / "selfeval-xinjiang-zhiqing.yaml").read_text(encoding="utf-8"))
    sample["project"], sample["department"] = HOSTILE, "测试用部门"
    hostile.write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
    browser.get(url + "/")
    picker = browser.find_element("id", "files")
    picker.send_keys("\n".join(str(p) for p in (SEED_003, damaged, hostile)))
    wait_for(lambda: browser.find_elements("id", "form-count")
             and browser.find_element("id", "form-count").text == "25", browser, 60)
    return url


def wait_for(condition, browser, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # the page is reloading
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out; the page shows: {browser.find_element('tag name', 'body').text[:800]}")


def shot(browser, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(height, 900), 3000))
    path = SHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    browser.set_window_size(1400, 1000)
    assert path.read_bytes()[:4] == b"\x89PNG" and path.stat().st_size > 20_000  # a page, not a blank


def rows_of(browser) -> list[list[str]]:
    return [[td.text for td in tr.find_elements("tag name", "td")]
            for tr in browser.find_elements("css selector", "#forms tbody tr")]


def test_the_forms_of_seed_003_are_listed_with_the_damaged_file_reported(uploaded, browser):
    rows = rows_of(browser)
    seed_rows = [r for r in rows if r[0] == SEED_003.name]
    assert len(seed_rows) == 24
    assert {r[1] for r in seed_rows} == {"自评表"}
    assert "公车购置经费" in {r[2] for r in seed_rows}
    files = browser.find_element("id", "files-read").text
    assert "损坏的文件.pdf — 0 份表格" in files and "无法读取" in files
    assert f"{SEED_003.name} — 24 份表格" in files  # the other files are still there
    shot(browser, "1-forms")


def test_a_project_named_with_markup_shows_as_text(uploaded, browser):
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    cells = [r[2] for r in rows_of(browser)]
    assert HOSTILE in cells  # the text itself, shown
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0
    link = browser.find_element("link text", HOSTILE)
    link.click()
    wait_for(lambda: browser.find_element("id", "project").text == HOSTILE, browser)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    browser.switch_to.frame(browser.find_element("id", "preview"))
    wait_for(lambda: HOSTILE in browser.find_element("tag name", "body").text, browser)
    assert browser.execute_script("return document.querySelectorAll('script').length") == 0
    browser.switch_to.default_content()


def test_sorting_and_filtering_the_table(uploaded, browser):
    browser.get(uploaded + "/")
    score = browser.find_elements("css selector", "#forms thead th")[6]
    score.click()
    score.click()  # descending: the best score first
    first = rows_of(browser)[0]
    assert first[2] == "公车购置经费", first
    select = browser.find_element("css selector", "select[data-filter=department]")
    options = [o.get_attribute("value") for o in select.find_elements("tag name", "option")]
    department = next(o for o in options if o and "普陀" in o)
    select.find_element("css selector", f"option[value='{department}']").click()
    shown = [r for r in browser.find_elements("css selector", "#forms tbody tr") if r.is_displayed()]
    assert len(shown) == 24


def test_one_form_with_its_indicators_findings_and_pdf(uploaded, browser):
    browser.get(uploaded + "/")
    browser.find_element("link text", "公车购置经费").click()
    wait_for(lambda: browser.find_element("id", "project").text == "公车购置经费", browser)
    findings = browser.find_element("css selector", ".findings").text
    assert "没有发现问题" in findings  # as `reportgen check` finds none in it
    browser.switch_to.frame(browser.find_element("id", "preview"))
    wait_for(lambda: "三级指标" in browser.find_element("tag name", "body").text, browser)
    names = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-field$=\".name\"]')).map(e => e.textContent)")
    assert len(names) >= 5 and all(names)
    browser.switch_to.default_content()
    shot(browser, "2-form")
    link = browser.find_element("link text", "PDF")
    name = link.get_attribute("href").rsplit("/", 1)[-1]
    link.click()
    pdf = downloaded(browser, ".pdf")
    assert "公车购置经费" in name or "%E5%85%AC" in name
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "公车购置经费" in text and "财政项目支出绩效自评表" in text


def test_a_form_with_findings_has_them_listed_and_its_cells_marked(uploaded, browser):
    browser.get(uploaded + "/")
    browser.find_element("link text", "新疆支青稳定专项经费").click()
    wait_for(lambda: browser.find_element("id", "project").text == "新疆支青稳定专项经费", browser)
    items = browser.find_elements("css selector", "#findings li")
    assert any("预算执行率" in li.text and "indicators[0].score" in li.text for li in items)
    browser.switch_to.frame(browser.find_element("id", "preview"))
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('[data-field=\"indicators[0].score\"]')).backgroundColor")
    plain = browser.execute_script(
        "return getComputedStyle(document.querySelector('[data-field=\"indicators[1].name\"]')).backgroundColor")
    assert colour != plain and colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    browser.switch_to.default_content()
    shot(browser, "3-form-findings")


def test_all_forms_as_one_zip(uploaded, browser):
    browser.get(uploaded + "/")
    browser.find_element("css selector", "#zip button").click()
    archive = downloaded(browser, ".zip")
    names = zipfile.ZipFile(archive).namelist()
    assert len(names) == 25 * 3
    seed_names = [n for n in names if "script" not in n]
    assert len(seed_names) == 24 * 3
    assert "2024_自评表_公车购置经费.pdf" in names
    assert {n.rsplit(".", 1)[1] for n in names} == {"pdf", "docx", "xlsx"}


def test_the_department_summary_ranks_the_projects_with_its_charts(uploaded, browser):
    browser.get(uploaded + "/summary")
    frames = browser.find_elements("css selector", "iframe.summary-frame")
    assert frames
    headings = [h.text for h in browser.find_elements("css selector", "main h2")]
    index = next(i for i, h in enumerate(headings) if "普陀" in h)
    assert "24 个项目" in headings[index]
    browser.switch_to.frame(frames[index])
    wait_for(lambda: browser.execute_script(
        "return Array.from(document.images).length > 0 && Array.from(document.images).every(i => i.complete)"),
        browser)
    widths = browser.execute_script("return Array.from(document.images).map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths)
    first = browser.execute_script("""
        const table = Array.from(document.querySelectorAll('table'))
            .find(t => t.textContent.includes('排名'));
        const row = Array.from(table.querySelectorAll('tr')).find(r => r.querySelector('td'));
        return row.textContent;""")
    assert "公车购置经费" in first
    browser.switch_to.default_content()
    shot(browser, "4-summary")


def downloaded(browser, suffix: str, seconds: float = 60) -> Path:
    """The newest finished download with the suffix."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = sorted((p for p in browser.downloads.iterdir() if p.suffix == suffix),
                      key=lambda p: p.stat().st_mtime)
        if done and not any(p.suffix == ".crdownload" for p in browser.downloads.iterdir()):
            return done[-1]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded: {sorted(p.name for p in browser.downloads.iterdir())}")
