"""`tutor report --html FILE`: one offline, printable page, checked in a real browser.

The page must open with no network (no script, nothing linked or fetched), name nobody it
may not name, and draw its three charts. Headless Chromium (Debian's `chromium`, installed
by `bash packaging/bootstrap test`) renders it at 1200x1600; the screenshot is kept in
tests/artifacts/ and checked to hold the page's ink and the charts' colours, not a blank.
"""

import os
import re
import shutil
import subprocess

import numpy as np
import pytest
from conftest import ROOT, run_tutor
from png_pixels import read_png
from report_helpers import CHEN, LI, VILLAGE_A, VILLAGE_B, WANG, ZHANG, ZHAO, build_county

from tutor.hub.report_html import LEVEL_STYLES
from tutor.hub.svg import BAR_COLOR
from tutor.progress import events as ev
from tutor.progress.home import logs_dir
from tutor.progress.mastery import MASTERED
from tutor.progress.store import EventLog

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build_county(tmp_path_factory.mktemp("county"))


def write_html(county, path, *args, lang="zh") -> str:
    result = county.report("--html", str(path), *args, lang=lang)
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def coordinator_page(county, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "county-report.html"
    return path, write_html(county, path)


def test_the_page_needs_no_network(coordinator_page):
    _, page = coordinator_page
    lowered = page.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="):
        assert banned not in lowered, banned
    # The only address is the SVG namespace, which names and fetches nothing.
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_the_page_has_its_three_charts_and_prints_on_a4(coordinator_page):
    _, page = coordinator_page
    assert page.count("<svg") == 3
    for heading in ("各村完成率", "学员掌握情况", "演练得分分布"):
        assert heading in page
    assert "@page { size: A4" in page and "@media print" in page
    assert 'lang="zh"' in page


def test_the_page_names_only_whom_it_may(coordinator_page):
    _, page = coordinator_page
    assert WANG in page and ZHANG in page  # agreed at enrolment
    for hidden in (LI, CHEN, ZHAO):
        assert hidden not in page, hidden


def test_a_mentors_page_holds_one_village(county, tmp_path):
    page = write_html(county, tmp_path / "mentor.html", "--role", "mentor", "--village", VILLAGE_A)
    assert WANG in page and LI in page
    for hidden in (ZHANG, ZHAO, CHEN, VILLAGE_B):
        assert hidden not in page, hidden


def test_names_are_escaped(county, tmp_path):
    """A name is text, never markup, whatever a mentor typed."""
    device = "d0d0d0d0-4444-4444-8444-000000000004"
    home = tmp_path / "home"
    shutil.copytree(county.home, home)
    with EventLog(logs_dir(home) / f"{device}.jsonl", device) as log:
        data = {"name": "<b>x</b>", "village": VILLAGE_A, "language": "zh", "name_consent": True}
        log.append("1b2f6a3e-0000-4000-8000-0000000000f1", ev.LEARNER_ENROLLED, data)
    out = tmp_path / "r.html"
    result = run_tutor(
        "report",
        "--lessons",
        str(county.lessons),
        "--html",
        str(out),
        env={"TUTOR_HOME": str(home), "TUTOR_LANG": "zh"},
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_uyghur_page_reads_right_to_left(county, tmp_path):
    page = write_html(county, tmp_path / "ug.html", lang="ug")
    assert 'dir="rtl"' in page and "ئۆگىنىش ئەھۋالى دوكلاتى" in page


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (bash packaging/bootstrap test)")
def test_chromium_renders_the_report(coordinator_page):
    path, _ = coordinator_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-coordinator.png"
    shot.unlink(missing_ok=True)
    command = [
        CHROMIUM,
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        path.as_uri(),
    ]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert shot.is_file() and shot.stat().st_size > 20_000, "no screenshot"
    pixels = read_png(shot)[..., :3]
    assert pixels.shape == (1600, 1200, 3)
    rgb = pixels.reshape(-1, 3)
    ink = np.any(rgb < 200, axis=1).mean()
    assert 0.01 < ink < 0.6, f"{ink:.1%} of the page is ink"
    colours = {tuple(c) for c in np.unique(rgb, axis=0)}
    assert _hex(BAR_COLOR) in colours  # the completion bars and the histogram
    assert _hex(LEVEL_STYLES[MASTERED][0]) in colours  # the mastery heatmap
