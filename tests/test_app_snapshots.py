"""Snapshots of the main screens at 80x24, in the normal and the high-contrast theme.

Update after a deliberate change with `pytest tests/test_app_snapshots.py --snapshot-update`
and look at the report pytest-textual-snapshot writes before committing the new SVGs.
"""

import pytest
from app_helpers import PHOTOS_BY_KEYS, make_app, on_screen, press, until

from tutor.ui.context import LearnerContext

THEMES = {"normal": False, "contrast": True}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TUTOR_LANG", raising=False)
    monkeypatch.delenv("TUTOR_TERMINAL_BIDI", raising=False)


def enrolled(language: str = "zh", voice: str = "zh") -> LearnerContext:
    ctx = LearnerContext()
    ctx.enrol("王大姐", language, voice)
    return ctx


@pytest.mark.parametrize("theme", THEMES)
def test_language_pick(snap_compare, theme):
    app, _ = make_app(contrast=THEMES[theme])

    async def first_run(pilot):
        await until(pilot, on_screen(app, "LanguageScreen", "language"))

    assert snap_compare(app, run_before=first_run)


@pytest.mark.parametrize("theme", THEMES)
def test_home(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme])

    async def at_home(pilot):
        await until(pilot, on_screen(app, "MenuScreen", "home"))

    assert snap_compare(app, run_before=at_home)


@pytest.mark.parametrize("theme", THEMES)
def test_choose_step(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme], lesson="starter/photos")

    async def at_choice(pilot):
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space", "2")  # a wrong answer: its feedback is shown too
        await until(pilot, on_screen(app, "LessonScreen", "choose"))

    assert snap_compare(app, run_before=at_choice)


@pytest.mark.parametrize("theme", THEMES)
def test_summary(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme], lesson="starter/photos")

    async def at_summary(pilot):
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, *PHOTOS_BY_KEYS)
        await until(pilot, on_screen(app, "LessonScreen", "summary"))

    assert snap_compare(app, run_before=at_summary)


@pytest.mark.parametrize("theme", THEMES)
def test_uyghur_choose_step(snap_compare, theme):
    app, _ = make_app(enrolled("ug", "ug"), contrast=THEMES[theme], lesson="starter/photos")

    async def at_choice(pilot):
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "LessonScreen", "choose"))

    assert snap_compare(app, run_before=at_choice)


async def open_honey_drill(pilot, app) -> None:
    """Home, the drills (the fourth block), the honey drill (the first)."""
    await until(pilot, on_screen(app, "MenuScreen", "home"))
    await press(pilot, "4")
    await until(pilot, on_screen(app, "MenuScreen", "drills"))
    await press(pilot, "1")
    await until(pilot, on_screen(app, "DrillScreen", "drill"))


@pytest.mark.parametrize("theme", THEMES)
def test_drill_scene(snap_compare, theme):
    """80x24: the gauges as bars, the text scrolls under choices that stay in view."""
    app, _ = make_app(enrolled(), contrast=THEMES[theme])

    async def after_one_move(pilot):
        await open_honey_drill(pilot, app)
        await press(pilot, "1")
        await until(pilot, lambda: bool(app.screen.query_one("#said").text))  # its feedback
        await pilot.pause(0.2)

    assert snap_compare(app, run_before=after_one_move)


@pytest.mark.parametrize("theme", THEMES)
def test_drill_scene_with_room_for_big_numbers(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme])

    async def at_the_start(pilot):
        await open_honey_drill(pilot, app)
        await pilot.pause(0.2)

    assert snap_compare(app, run_before=at_the_start, terminal_size=(100, 36))


@pytest.mark.parametrize("theme", THEMES)
def test_drill_debrief(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme])

    async def at_the_debrief(pilot):
        await open_honey_drill(pilot, app)
        await press(pilot, "2", "1", "1")
        await until(pilot, on_screen(app, "DrillScreen", "debrief"))
        await pilot.pause(0.2)

    assert snap_compare(app, run_before=at_the_debrief)


@pytest.mark.parametrize("theme", THEMES)
def test_practice_answer_typed(snap_compare, theme):
    app, _ = make_app(enrolled(), contrast=THEMES[theme], lesson="starter/photos")

    async def typing(pilot):
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space", "1", "space", "space")
        await until(pilot, on_screen(app, "LessonScreen", "practice"))
        await press(pilot, *"个头和颜色")

    assert snap_compare(app, run_before=typing)
