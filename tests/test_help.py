"""Help across the room, on loopback with a real hub: a learner's "帮帮我" reaches the mentor
within two seconds with what they were doing and what they said, the mentor's hint is
spoken on the learner's device, and with no LAN the request waits in the log for the sync."""

import json
import time

import pytest
from hub_helpers import HubProcess, log_lines, ok, tutor
from test_mentor_setup import (
    LEARNER_NAME,
    VILLAGE,
    LearnerProcess,
    enrol_device,
    enrol_learner,
)

from tutor.progress.helpline import CALLS, HELP, START, request
from tutor.progress.hublink import HubError, load_link

# The db_url and pg_admin fixtures (SQLite, and a throwaway PostgreSQL cluster).
pytest_plugins = ["hub_fixtures"]

HINT = "先按1选第一张照片"


def _events(home, kind):
    return [json.loads(line) for line in log_lines(home) if f'"type":"{kind}"' in line.decode()]


@pytest.fixture
def hub(tmp_path):
    with HubProcess(tmp_path / "hub") as running:
        yield running


@pytest.mark.asyncio
async def test_help_reaches_the_console_within_two_seconds_and_the_hint_is_spoken(
    hub, tmp_path, monkeypatch
):
    from tutor.content.strings import load_catalog
    from tutor.mentor.app import MentorApp
    from tutor.mentor.desk import Desk

    learner_home, mentor_home = tmp_path / "learner", tmp_path / "mentor"
    enrol_device(hub, learner_home)
    enrol_device(hub, mentor_home)
    learner = enrol_learner(learner_home)
    ok(tutor(learner_home, "sync", "push"))
    monkeypatch.setenv("TUTOR_HOME", str(mentor_home))
    app = MentorApp(Desk(load_link(mentor_home), mentor_home), load_catalog("zh"), poll_s=0.2)
    device = LearnerProcess(learner_home, learner)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            device.wait_for("买家看不到", timeout=30)  # the lesson's first sentence was said
            asked = time.monotonic()
            device.type("帮帮我")
            while not app.calls and time.monotonic() - asked < 5:
                await pilot.pause(0.02)
            shown = time.monotonic() - asked
            print(f"\nhelp raised -> on the mentor's console: {shown * 1000:.0f} ms")
            assert app.calls, "the request never reached the console"
            assert shown < 2.0
            (call,) = app.calls
            assert call.learner == learner and call.heard == "帮帮我"
            assert call.lesson == "starter/photos" and call.step == 0 and call.prompt
            table = app.query_one("#calls")
            cells = [str(c) for c in table.get_row_at(0)]
            assert LEARNER_NAME in cells[0] and "帮帮我" in cells[3]

            await pilot.click("#hint")
            await pilot.press(*HINT)
            answered = time.monotonic()
            await pilot.press("enter")
            while not any(HINT in said for said in device.spoken()):
                assert time.monotonic() - answered < 10, device.spoken()
                await pilot.pause(0.02)
            spoken = time.monotonic() - answered
            print(f"hint sent -> spoken on the learner's device: {spoken * 1000:.0f} ms")
            print(f"help round trip (raised -> shown, answered -> spoken): "
                  f"{(shown + time.monotonic() - answered) * 1000:.0f} ms")
            assert spoken < 3.0
            for _ in range(50):
                await pilot.pause(0.05)
                if not app.calls:
                    break
            assert not app.calls, "an answered request stays on the help list"
    finally:
        status, err = device.close()
    assert status == 0, err
    assert "Traceback" not in err
    (raised,) = _events(learner_home, "help_requested")
    assert raised["data"]["heard"] == "帮帮我" and raised["data"]["lesson"] == "photos"
    (answer,) = _events(learner_home, "help_answered")
    assert answer["data"] == {"request": raised["id"], "note": HINT}


def test_coming_over_is_said_and_a_mentor_sees_only_their_village(hub, tmp_path):
    learner_home = tmp_path / "learner"
    enrol_device(hub, learner_home)
    learner = enrol_learner(learner_home)
    mentor = load_link(_enrolled(hub, tmp_path / "mentor"))
    stranger = load_link(_enrolled(hub, tmp_path / "other", "银山村"))
    device = LearnerProcess(learner_home, learner)
    try:
        device.wait_for("买家看不到", timeout=30)
        device.type("不会")
        calls = _wait_calls(hub, mentor)
        assert [c["heard"] for c in calls] == ["不会"] and calls[0]["name"] == LEARNER_NAME
        assert request(hub.url, "GET", CALLS, stranger.credential)["calls"] == []
        with pytest.raises(HubError) as refused:
            request(hub.url, "POST", f"{HELP}/{calls[0]['id']}/answer", stranger.credential,
                    {"coming": True})
        assert refused.value.status == 404
        with pytest.raises(HubError) as empty:
            request(hub.url, "POST", f"{HELP}/{calls[0]['id']}/answer", mentor.credential,
                    {"coming": False})
        assert empty.value.status == 400
        request(hub.url, "POST", f"{HELP}/{calls[0]['id']}/answer", mentor.credential,
                {"coming": True})
        device.wait_for("老师马上就过来", timeout=10)
    finally:
        status, err = device.close()
    assert status == 0, err
    (answer,) = _events(learner_home, "help_answered")
    assert answer["data"]["coming"] is True


def test_with_no_lan_help_waits_in_the_log_and_shows_after_the_sync(tmp_path, db_url):
    """On SQLite and PostgreSQL: the request comes with the push, and a hub restarted
    finds it again in its database."""
    hub_home = tmp_path / "hub"
    learner_home = tmp_path / "learner"
    with HubProcess(hub_home, db_url) as hub:
        enrol_device(hub, learner_home)
        mentor = load_link(_enrolled(hub, tmp_path / "mentor"))
        port = hub.port
    learner = enrol_learner(learner_home)
    device = LearnerProcess(learner_home, learner)  # the hub is off: no LAN
    try:
        device.wait_for("买家看不到", timeout=30)
        device.type("帮帮我")
        deadline = time.monotonic() + 10
        while not _events(learner_home, "help_requested") and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        status, err = device.close()
    assert status == 0 and "Traceback" not in err, err
    assert _events(learner_home, "help_requested"), "help was not kept in the log"
    with HubProcess(hub_home, db_url, port=port) as hub:
        assert request(hub.url, "GET", CALLS, mentor.credential)["calls"] == []
        ok(tutor(learner_home, "sync", "push"))
        (call,) = request(hub.url, "GET", CALLS, mentor.credential)["calls"]
        assert call["live"] is False and call["heard"] == "帮帮我" and call["learner"] == learner
    with HubProcess(hub_home, db_url, port=port) as hub:
        (again,) = request(hub.url, "GET", CALLS, mentor.credential)["calls"]
        assert again["id"] == call["id"]


def _enrolled(hub, home, village=VILLAGE):
    enrol_device(hub, home, village)
    return home


def _wait_calls(hub, link, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = request(hub.url, "GET", CALLS, link.credential)["calls"]
        if calls:
            return calls
        time.sleep(0.05)
    raise AssertionError("no help request reached the hub")


def test_asking_with_the_hub_out_of_reach_never_makes_the_learner_wait(tmp_path):
    """A hub address that does not answer at all (packets dropped): the request is in the
    log at once and the learner goes on; the helpline keeps trying in the background."""
    from tutor.progress.helpline import Helpline
    from tutor.progress.hublink import Link
    from tutor.progress.identity import device_identity
    from tutor.progress.store import open_log

    me = device_identity(tmp_path)
    link = Link("http://10.255.255.1:8780", me.id, "x" * 43, VILLAGE, "mentor")
    line = Helpline(me.id, link, lambda reply: None, tmp_path)
    with open_log(me.id, tmp_path) as log:
        began = time.monotonic()
        event = line.ask(log, "6f1c1a52-4a3e-4f5e-9d0e-3c6f2a1b7d11", {}, "prompt", "heard")
        waited = time.monotonic() - began
    line.close()
    assert waited < 0.2
    assert [json.loads(raw)["id"] for raw in log_lines(tmp_path)] == [event["id"]]


class AppDevice:
    """The large-print app on a device enrolled with the hub, with its learner, and a
    mentor of the same village: what the app tests below share."""

    def __init__(self, hub, tmp_path, monkeypatch, **requested):
        from app_helpers import make_app

        from tutor.ui.context import LearnerContext

        self.home = tmp_path / "learner"
        self.device = enrol_device(hub, self.home)
        self.learner = enrol_learner(self.home)
        self.mentor = load_link(_enrolled(hub, tmp_path / "mentor"))
        monkeypatch.setenv("TUTOR_HOME", str(self.home))
        self.app, self.fakes = make_app(LearnerContext(), learner=self.learner, **requested)

    def start(self, hub, unit: str) -> None:
        """The mentor starts `unit` (a lesson or drill) on this learner's device."""
        order = {"device": self.device, "learner": self.learner, "lesson": unit}
        request(hub.url, "POST", START, self.mentor.credential, order)


@pytest.mark.asyncio
async def test_help_from_the_large_print_app_reaches_the_hub_and_the_hint_is_said(
    hub, tmp_path, monkeypatch
):
    from app_helpers import on_screen, press, until

    device = AppDevice(hub, tmp_path, monkeypatch, lesson="starter/photos")
    app = device.app
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "h")
        calls = _wait_calls(hub, device.mentor)
        assert [(c["learner"], c["lesson"], c["step"]) for c in calls] == [
            (device.learner, "photos", 0)
        ]
        assert calls[0]["prompt"] and calls[0]["name"] == LEARNER_NAME
        request(hub.url, "POST", f"{HELP}/{calls[0]['id']}/answer", device.mentor.credential,
                {"hint": HINT})
        await until(pilot, lambda: any(HINT in s for s in device.fakes.said()), seconds=10)
    (answer,) = _events(device.home, "help_answered")
    assert answer["data"]["note"] == HINT


@pytest.mark.asyncio
async def test_a_drill_the_mentor_starts_opens_on_the_learners_app_at_its_next_home(
    hub, tmp_path, monkeypatch
):
    from app_helpers import PHOTOS_BY_KEYS, on_screen, press, until

    device = AppDevice(hub, tmp_path, monkeypatch, lesson="starter/photos")
    app = device.app
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        device.start(hub, "starter/quality-honey")
        await pilot.pause(2.5)  # the device asks the hub about once a second
        await press(pilot, *PHOTOS_BY_KEYS)
        await until(pilot, on_screen(app, "LessonScreen", "summary"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "DrillScreen", "drill"))
        assert "蜂蜜" in app.screen.prompt.body


@pytest.mark.asyncio
async def test_a_learner_waiting_at_home_gets_what_the_mentor_started_without_a_key(
    hub, tmp_path, monkeypatch
):
    from app_helpers import on_screen, until

    device = AppDevice(hub, tmp_path, monkeypatch)
    app = device.app
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        device.start(hub, "starter/pricing")
        await until(pilot, on_screen(app, "LessonScreen"), seconds=10)
        assert app.screen.runner.lesson.id == "pricing"
