"""The mentor's console under Textual's Pilot, against a real hub on loopback: enrol, rename,
merge and erase (each destructive change only after a yes), what a learner finished and
where they are, the session view, and a lesson started on a learner's device."""

import json
import time

import pytest
from conftest import run_tutor
from hub_helpers import HubProcess, log_lines, ok, tutor
from test_mentor_setup import (
    LEARNER_NAME,
    VILLAGE,
    LearnerProcess,
    enrol_device,
    enrol_learner,
)

from tutor.content.strings import load_catalog
from tutor.progress.hublink import load_link

# The starter "photos" lesson by keys, as tests/test_voice_only.py answers it.
PHOTOS = "下一个\n2\n1\n下一个\n下一个\n个头和颜色\n下一个\n"


@pytest.fixture
def hub(tmp_path):
    with HubProcess(tmp_path / "hub") as running:
        yield running


@pytest.fixture
def mentor_home(hub, tmp_path, monkeypatch):
    home = tmp_path / "mentor"
    enrol_device(hub, home)
    monkeypatch.setenv("TUTOR_HOME", str(home))
    return home


def _console(home):
    from tutor.mentor.app import MentorApp
    from tutor.mentor.desk import Desk

    return MentorApp(Desk(load_link(home), home), load_catalog("zh"), poll_s=0.2)


def _kinds(home):
    return [json.loads(line)["type"] for line in log_lines(home)]


def _names(app):
    table = app.query_one("#learners")
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def _until(pilot, check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the console never showed it"
        await pilot.pause(0.05)


@pytest.mark.asyncio
async def test_enrol_rename_and_erase_with_a_confirm(mentor_home, hub, tmp_path):
    app = _console(mentor_home)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f3")
        assert "还没有学员" in str(app.query_one("#detail-text").render())
        await pilot.click("#enrol")
        await pilot.press(*"李大爷")
        await pilot.press("enter")
        await _until(pilot, lambda: _names(app) == ["李大爷"])
        assert "learner_enrolled" in _kinds(mentor_home)

        await pilot.click("#rename")
        app.screen.query_one("#field-name").value = "李福贵"
        await pilot.press("enter")
        await _until(pilot, lambda: _names(app) == ["李福贵"])

        await pilot.click("#erase")
        assert "李福贵" in str(app.screen.query_one("#question").render())
        await pilot.press("n")  # no: nothing happens
        await pilot.pause(0.2)
        assert _names(app) == ["李福贵"] and "learner_erased" not in _kinds(mentor_home)
        await pilot.click("#erase")
        await pilot.click("#yes")
        await _until(pilot, lambda: _names(app) == [])
    assert _kinds(mentor_home)[-3:] == ["learner_enrolled", "learner_renamed", "learner_erased"]
    # The changes went to the hub: another device of the village pulls them.
    other = tmp_path / "other"
    enrol_device(hub, other)
    ok(tutor(other, "sync", "push"))
    ok(tutor(mentor_home, "sync", "push"))
    ok(tutor(other, "sync", "pull"))
    listed = ok(tutor(other, "progress", "list"))
    assert "李福贵" not in listed and "李大爷" not in listed


@pytest.mark.asyncio
async def test_merging_two_records_of_one_person_asks_first(mentor_home):
    for name in ("张秀英", "张秀英"):
        enrol_learner(mentor_home, name)
    app = _console(mentor_home)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f3")
        await _until(pilot, lambda: _names(app) == ["张秀英", "张秀英"])
        await pilot.click("#merge")
        await pilot.press("enter")  # the only other record
        assert "同一个人" in str(app.screen.query_one("#question").render())
        await pilot.click("#yes")
        await _until(pilot, lambda: _names(app) == ["张秀英"])
    assert "learner_merged" in _kinds(mentor_home)


@pytest.mark.asyncio
async def test_a_learners_finished_lesson_and_help_show_after_the_sync(mentor_home, hub, tmp_path):
    learner_home = tmp_path / "learner"
    enrol_device(hub, learner_home)
    learner = enrol_learner(learner_home)
    result = run_tutor("learn", "--voice-only", "--voice", "zh", "--learner", learner,
                       "--lesson", "starter/photos", env={"TUTOR_HOME": str(learner_home)},
                       stdin=PHOTOS)
    assert result.returncode == 0, result.stderr
    ok(tutor(learner_home, "sync", "push"))
    app = _console(mentor_home)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f3")
        await _until(pilot, lambda: _names(app) == [LEARNER_NAME])
        row = [str(cell) for cell in app.query_one("#learners").get_row_at(0)]
        assert row[1] == VILLAGE and row[2] == "1"
        detail = str(app.query_one("#detail-text").render())
        assert "学完的课：用手机拍好农产品" in detail


@pytest.mark.asyncio
async def test_the_session_view_shows_each_learners_step_and_a_lesson_can_be_started(
    mentor_home, hub, tmp_path
):
    from tutor.progress.helpline import Helpline

    learner_home = tmp_path / "learner"
    enrol_device(hub, learner_home)
    learner = enrol_learner(learner_home)
    device = LearnerProcess(learner_home, learner)
    app = _console(mentor_home)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            device.wait_for("买家看不到", timeout=30)
            await pilot.press("f2")
            await _until(pilot, lambda: app.query_one("#active").row_count == 1)
            row = [str(cell) for cell in app.query_one("#active").get_row_at(0)]
            assert row[0] == LEARNER_NAME and row[1] == "用手机拍好农产品"
            assert row[2] == "1/6" and "买家看不到" in row[3]
            device.type("下一个")
            await _until(pilot, lambda: str(app.query_one("#active").get_row_at(0)[2]) == "2/6")

            await pilot.click("#start")
            await pilot.press("down", "enter")  # the second lesson of the course
            await pilot.pause(0.5)
    finally:
        status, err = device.close()
    assert status == 0, err
    # The device that reports next takes the order (at its home screen).
    line = Helpline(load_link(learner_home).device, load_link(learner_home), lambda r: None,
                    learner_home, poll_s=0.1)
    try:
        line.where(learner)
        deadline = time.monotonic() + 5
        started = None
        while started is None and time.monotonic() < deadline:
            started = line.take_start(learner)
            time.sleep(0.05)
    finally:
        line.close()
    from tutor.progress.course import load_course

    assert started == list(load_course().lessons)[1]


def test_bad_command_lines_are_one_line_each(tmp_path):
    home = {"TUTOR_HOME": str(tmp_path / "home")}
    busy = HubProcess(tmp_path / "hub").start()
    try:
        for args, words in [
            ([], "tutor sync enrol"),
            (["--village", " "], "--village"),
            (["--village", VILLAGE, "--hub", "http://127.0.0.1:1"], "--hub"),
            (["--village", VILLAGE, "--db", "mysql://x"], "mysql://x"),
            (["--village", VILLAGE, "--host", "127.0.0.1", "--port", str(busy.port)], "没能开起来"),
        ]:
            result = run_tutor("mentor", *args, env=home)
            assert result.returncode == 1, result
            assert "Traceback" not in result.stderr
            assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, (
                result.stderr
            )
    finally:
        busy.stop()
