"""A mentor's session tools: a lesson played on one big screen for the room, and the sheet.

The group screen runs in Textual's Pilot with the real lesson runner, catalog and log; only
the speaker is a fake (it keeps what the room would have heard). The sheet is written by
the real command in a child process and opened in headless Chromium.
"""

import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from app_helpers import press, until
from conftest import ROOT, run_tutor
from png_pixels import read_png
from textual.widgets import Digits, Input

from tutor.classroom.group import GroupScreen, make_app
from tutor.classroom.room import room_id
from tutor.classroom.tally import TallyLine
from tutor.content.strings import load_catalog
from tutor.hub.privacy import pseudonym
from tutor.progress import events as ev
from tutor.progress.events import timestamp
from tutor.progress.home import LOG_SUFFIX, logs_dir
from tutor.progress.records import all_events
from tutor.progress.snapshot import load_progress
from tutor.progress.store import EventLog, read_events
from tutor.speech.speaker import RecordingSpeaker
from tutor.ui.context import LearnerContext
from tutor.ui.widgets.choices import ChoiceBlock
from tutor.ui.widgets.learner_text import LearnerText

ZH = load_catalog("zh").text
UG = load_catalog("ug").text
LESSON = "course/photos"  # four say steps, two questions, a practice step and a recap
SPOTS, SIZE = 4, 5  # the two questions (0-based steps); the right answer to both is 1
SPOTS_TEXT = "你家的刺梨有几个长了小黑点，不影响吃。照片怎么拍？"
SIZE_TEXT = "怎么让买家知道你的核桃有多大？"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TUTOR_LANG", raising=False)
    return tmp_path / "home"


class Room:
    """The group app on this TUTOR_HOME, with the speaker the room would hear."""

    def __init__(self, voice: str = "zh"):
        self.ctx = LearnerContext()
        self.speakers: list[RecordingSpeaker] = []
        self.app = make_app(self.ctx, LESSON, voice, speaker=self._speaker)

    def _speaker(self, voice: str) -> RecordingSpeaker:
        self.speakers.append(RecordingSpeaker(self.ctx.profiles[voice]))
        return self.speakers[-1]

    def said(self) -> list[str]:
        return [u.text for s in self.speakers for u in s.said]

    def text(self, widget: str) -> str:
        return self.app.screen.query_one(f"#{widget}", LearnerText).text

    @property
    def screen(self) -> GroupScreen:
        screen = self.app.screen
        assert isinstance(screen, GroupScreen)
        return screen

    def phase(self, phase: str, step: int | None = None):
        def there() -> bool:
            screen = self.app.screen
            if not isinstance(screen, GroupScreen) or screen.phase != phase:
                return False
            result = screen.session.result
            at = result.step if phase == "result" and result else screen.session.runner.at
            return step is None or at == step

        return there

    def tally(self) -> list[tuple[str, str | None, str]]:
        """(number, count, label) of each tally row, as drawn."""
        rows = []
        for line in self.app.screen.query(TallyLine):
            digits = [d.value for d in line.query(Digits)]
            label = line.query_one(".label", LearnerText).text
            rows.append((digits[0], digits[1] if len(digits) > 1 else None, label))
        return rows


def group_events(kind: str | None = None) -> list[dict]:
    found = [e for log in sorted(logs_dir().glob(f"*{LOG_SUFFIX}")) for e in read_events(log)]
    return [e for e in found if kind in (None, e["type"])]


async def count_hands(pilot, typed: str) -> None:
    await press(pilot, "c")
    for character in typed:
        await press(pilot, "space" if character == " " else character)
    await press(pilot, "enter")


@pytest.mark.asyncio
async def test_a_room_plays_a_lesson_by_show_of_hands_to_the_room_summary():
    room = Room()
    async with room.app.run_test(size=(110, 44)) as pilot:
        await until(pilot, room.phase("opening"))
        assert LESSON in room.text("body") and LESSON in room.text("banner")
        assert room.said() == [ZH("classroom.opening_said", title="用手机拍出东西真实的样子")]
        await press(pilot, "space", "space", "space", "space", "space")
        await until(pilot, room.phase("question", SPOTS))
        assert room.text("body") == SPOTS_TEXT
        assert [b.key for b in room.app.screen.query(ChoiceBlock)] == ["1", "2", "3"]
        assert SPOTS_TEXT in room.said()  # the room hears the question

        # Hands counted by keys: 12 for the right answer, 3 and 1 for the others.
        await count_hands(pilot, "12 3 1")
        await until(pilot, room.phase("result", SPOTS))
        assert [(n, c) for n, c, _ in room.tally()] == [("1", "12"), ("2", "3"), ("3", "1")]
        assert ZH("classroom.tally.right") in room.tally()[0][2]
        assert ZH("classroom.tally.picked") in room.tally()[0][2]
        feedback = room.text("said")
        assert feedback and feedback in room.said()  # the feedback, said to the whole room
        assert room.said()[-2].startswith(ZH("classroom.room_chose", number="1", answer="")[:5])
        # A wrong choice some hands went up for says why it is wrong, for the mentor to explain.
        assert len(room.app.screen.query(".why")) == 2

        await press(pilot, "space")
        await until(pilot, room.phase("question", SIZE))
        await count_hands(pilot, "4 9 2")  # most hands on a wrong answer
        await until(pilot, room.phase("result", SIZE))
        assert ZH("session.try_again") in room.text("said")
        await press(pilot, "space")
        await until(pilot, room.phase("question", SIZE))  # the room's second try
        await press(pilot, "1")
        await until(pilot, room.phase("result", SIZE))
        assert [c for _, c, _ in room.tally()] == [None, None, None]  # pressed, not counted
        await press(pilot, "space")
        await until(pilot, room.phase("question", SIZE + 1))  # practice: said out loud
        await press(pilot, "space")
        await until(pilot, room.phase("question", SIZE + 2))
        assert room.text("said").startswith(ZH("session.for_example", example="")[:4])
        await press(pilot, "space")
        await until(pilot, room.phase("summary"))

        summary = room.text("body")
        assert ZH("classroom.summary.share", hands=16, right=12) in summary
        assert ZH("classroom.summary.share", hands=15, right=4) in summary
        hard_line = ZH("classroom.summary.hard", items=SIZE_TEXT)
        assert hard_line in summary and summary.count(ZH("classroom.summary.hard_mark")) == 1
        assert room.said()[-1] == hard_line
        await press(pilot, "space")
        await until(pilot, lambda: not room.app.is_running)

    answers = group_events(ev.GROUP_ANSWERED)
    assert [(a["data"]["step"], a["data"]["choice"], a["data"]["correct"]) for a in answers] == [
        (SPOTS, "1", True),
        (SIZE, "2", False),
        (SIZE, "1", True),
    ]
    assert answers[0]["data"]["hands"] == {"1": 12, "2": 3, "3": 1}
    assert "hands" not in answers[2]["data"] and answers[2]["data"]["attempts"] == 2
    assert len({a["data"]["session"] for a in answers}) == 1
    room_of_device = room_id(answers[0]["device"])
    assert {a["learner"] for a in answers} == {room_of_device}
    # The room is nobody: no learner's record, no learner's answers.
    assert {e["type"] for e in group_events()} == {ev.GROUP_ANSWERED}
    assert room.ctx.learners() == []
    assert room_of_device not in load_progress().learners  # the fold leaves it out


@pytest.mark.asyncio
async def test_a_wrong_number_is_taken_back_and_never_written():
    room = Room()
    async with room.app.run_test(size=(110, 44)) as pilot:
        await press(pilot, "space", "space", "space", "space", "space")
        await until(pilot, room.phase("question", SPOTS))
        await press(pilot, "3")
        await until(pilot, room.phase("result", SPOTS))
        await press(pilot, "b")
        await until(pilot, room.phase("question", SPOTS))
        assert group_events() == []
        await press(pilot, "1")
        await until(pilot, room.phase("result", SPOTS))
        await press(pilot, "q")  # a stray q only warns
        assert room.text("notice") == ZH("classroom.quit_again")
        assert room.screen.phase == "result"
        await press(pilot, "q")
        await until(pilot, lambda: not room.app.is_running)
    # The answer on screen when the mentor ended the session stands.
    [answer] = group_events(ev.GROUP_ANSWERED)
    assert answer["data"]["choice"] == "1" and answer["data"]["attempts"] == 1


@pytest.mark.asyncio
async def test_a_miscount_is_one_line_and_a_tie_waits_for_the_mentors_number():
    room = Room()
    async with room.app.run_test(size=(110, 44)) as pilot:
        await press(pilot, "space", "space", "space", "space", "space")
        await until(pilot, room.phase("question", SPOTS))
        await count_hands(pilot, "1 2 3 4")
        assert room.text("notice") == ZH("classroom.hands_too_many", count=3)
        hands = room.app.screen.query_one("#hands", Input)
        assert hands.display and room.screen.phase == "question"
        hands.value = ""
        for character in "5 5":
            await press(pilot, "space" if character == " " else character)
        await press(pilot, "enter")
        assert room.text("notice") == ZH("classroom.hands_tie")
        assert not hands.display and room.screen.phase == "question"
        await press(pilot, "2")
        await until(pilot, room.phase("result", SPOTS))
        assert [c for _, c, _ in room.tally()] == ["5", "5", "0"]
        await press(pilot, "space", "q", "q")
        await until(pilot, lambda: not room.app.is_running)
    [answer] = group_events(ev.GROUP_ANSWERED)
    assert answer["data"]["hands"] == {"1": 5, "2": 5, "3": 0}
    assert answer["data"]["choice"] == "2" and answer["data"]["correct"] is False


@pytest.mark.asyncio
async def test_a_uyghur_room_hears_and_reads_the_lesson_in_uyghur():
    room = Room("ug")
    async with room.app.run_test(size=(110, 44)) as pilot:
        await until(pilot, room.phase("opening"))
        assert room.text("keys") == UG("classroom.keys.opening")
        await press(pilot, "space", "space", "space", "space", "space")
        await until(pilot, room.phase("question", SPOTS))
        question = room.text("body")
        assert question.startswith("\u0626\u0627\u0644\u0645\u0649")  # the Uyghur question
        assert question in room.said()
        await press(pilot, "2")
        await until(pilot, room.phase("result", SPOTS))
        assert UG("session.try_again") in room.text("said")
        assert room.said()[-1] == UG("session.try_again")
        await press(pilot, "space", "q", "q")
        await until(pilot, lambda: not room.app.is_running)


# The sheet -------------------------------------------------------------------------------

VILLAGE, OTHER_VILLAGE = "青山村", "河口村"
AGREED, NOT_AGREED, ELSEWHERE, YESTERDAY = "王秀英", "李建国", "张桂兰", "陈老汉"
IDS = {
    AGREED: "2c3d4e5f-0000-4000-8000-00000000000a",
    NOT_AGREED: "2c3d4e5f-0000-4000-8000-00000000000b",
    ELSEWHERE: "2c3d4e5f-0000-4000-8000-00000000000c",
    YESTERDAY: "2c3d4e5f-0000-4000-8000-00000000000d",
}
DEVICE = "d1d1d1d1-5555-4555-8555-000000000005"


def write_session(home) -> None:
    """A village session today: two learners of the village came (one agreed to show her
    name), one of another village practised here too, one came only yesterday; the room
    played course/photos on the big screen and found the second question hard."""
    now = datetime.now(UTC)
    earlier, yesterday = timestamp(now), timestamp(now - timedelta(days=1))
    with EventLog(logs_dir(home) / f"{DEVICE}{LOG_SUFFIX}", DEVICE) as log:
        for name, village, at in (  # a log's times never go back: yesterday first
            (YESTERDAY, VILLAGE, yesterday),
            (AGREED, VILLAGE, earlier),
            (NOT_AGREED, VILLAGE, earlier),
            (ELSEWHERE, OTHER_VILLAGE, earlier),
        ):
            data = {"name": name, "village": village, "language": "zh"}
            if name == AGREED:
                data["name_consent"] = True
            log.append(IDS[name], ev.LEARNER_ENROLLED, data, at=at)
        lesson = {"pack": "starter", "lesson": "photos"}
        log.append(IDS[AGREED], ev.LESSON_STARTED, {**lesson, "step": 0}, at=earlier)
        answer = {"step": 1, "choice": "1", "decision": "accept", "correct": True}
        answer |= {"attempts": 1, "seconds": 3.0, "via": "key"}
        log.append(IDS[AGREED], ev.STEP_ANSWERED, {**lesson, **answer}, at=earlier)
        log.append(IDS[AGREED], ev.LESSON_COMPLETED, lesson, at=earlier)
        session = str(uuid.uuid4())
        room = room_id(DEVICE)
        for step, choice, hands in ((SPOTS, "1", {"1": 12, "2": 2}), (SIZE, "2", {"1": 5, "2": 9})):
            data = {"session": session, "pack": "course", "lesson": "photos", "step": step}
            data |= {"step_id": None, "choice": choice, "right": "1", "correct": choice == "1"}
            log.append(room, ev.GROUP_ANSWERED, {**data, "attempts": 1, "hands": hands})


def write_sheet(home, tmp_path, *args: str, lang: str = "zh") -> tuple[str, str]:
    out = tmp_path / f"sheet-{lang}.html"
    result = run_tutor(
        "sheet", "--to", str(out), *args, env={"TUTOR_HOME": str(home), "TUTOR_LANG": lang}
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    return str(out), out.read_text(encoding="utf-8")


def test_the_sheet_lists_todays_learners_of_the_village_named_only_with_consent(home, tmp_path):
    write_session(home)
    _, page = write_sheet(home, tmp_path, "--village", VILLAGE)
    catalog = load_catalog("zh")
    assert AGREED in page  # agreed at enrolment
    assert NOT_AGREED not in page and pseudonym(IDS[NOT_AGREED], catalog) in page
    for absent in (
        ELSEWHERE,
        YESTERDAY,
        *(pseudonym(IDS[n], catalog) for n in (ELSEWHERE, YESTERDAY)),
    ):
        assert absent not in page, absent
    assert page.index(AGREED) < page.index(pseudonym(IDS[NOT_AGREED], catalog))
    assert ZH("classroom.sheet.village", village=VILLAGE) in page
    assert ZH("classroom.sheet.date", date=datetime.now().astimezone().date().isoformat()) in page
    # 王秀英 finished the starter photos lesson and goes on with the next one.
    assert ZH("classroom.sheet.done_count", count=1) in page and "用手机拍好农产品" in page
    assert ZH("classroom.sheet.signature") in page
    # The room's lesson on the big screen, and the question it found hard (only that one).
    assert ZH("classroom.sheet.group_lesson", title="用手机拍出东西真实的样子") in page
    assert SIZE_TEXT in page and ZH("classroom.summary.share", hands=14, right=5) in page
    assert SPOTS_TEXT not in page
    assert "@page { size: A4" in page and "@media print" in page
    for banned in ("<script", "<link", "<img", "src=", "href=", "url("):
        assert banned not in page.lower(), banned


def test_the_sheet_takes_the_mentors_list_and_refuses_a_mistyped_id(home, tmp_path):
    write_session(home)
    catalog = load_catalog("zh")
    _, page = write_sheet(home, tmp_path, "--learner", IDS[YESTERDAY], IDS[ELSEWHERE])
    assert pseudonym(IDS[YESTERDAY], catalog) in page and pseudonym(IDS[ELSEWHERE], catalog) in page
    assert pseudonym(IDS[NOT_AGREED], catalog) not in page
    env = {"TUTOR_HOME": str(home), "TUTOR_LANG": "zh"}
    out = tmp_path / "x.html"
    unknown = run_tutor("sheet", "--to", str(out), "--learner", "ffff0000", env=env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == ZH("cli.classroom.unknown_learner", learner="ffff0000")
    several = run_tutor("sheet", "--to", str(out), "--learner", IDS[AGREED][:8], env=env)
    assert several.returncode == 2
    assert several.stderr.strip() == ZH("cli.classroom.ambiguous_learner", learner=IDS[AGREED][:8])
    assert not out.exists()


def test_a_uyghur_sheet_reads_right_to_left(home, tmp_path):
    write_session(home)
    _, page = write_sheet(home, tmp_path, "--village", VILLAGE, lang="ug")
    assert 'dir="rtl"' in page and UG("classroom.sheet.title") in page


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (bash packaging/bootstrap test)")
def test_chromium_prints_the_sheet(home, tmp_path):
    write_session(home)
    path, _ = write_sheet(home, tmp_path, "--village", VILLAGE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "classroom-sheet.png"
    shot.unlink(missing_ok=True)
    command = [
        CHROMIUM,
        "--headless",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--screenshot={shot}",
        "--window-size=900,1270",  # A4 at 96 dpi, less the margins
        f"file://{path}",
    ]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert shot.is_file() and shot.stat().st_size > 10_000, "no screenshot"
    pixels = read_png(shot)[..., :3]
    assert pixels.shape == (1270, 900, 3)
    rgb = pixels.reshape(-1, 3)
    ink = np.any(rgb < 160, axis=1).mean()
    assert 0.01 < ink < 0.5, f"{ink:.1%} of the page is ink"
    # The header row of the table is tinted, so the table was drawn, not just text.
    assert (0xE8, 0xEE, 0xF8) in {tuple(c) for c in np.unique(rgb, axis=0)}


# The commands ------------------------------------------------------------------------------


def test_group_refuses_an_unknown_lesson_and_a_missing_screen_in_one_line(home):
    env = {"TUTOR_HOME": str(home), "TUTOR_LANG": "zh"}
    unknown = run_tutor("group", "nosuch", env=env)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    assert unknown.stderr.startswith(
        ZH("cli.classroom.unknown_lesson", lesson="nosuch", known="")[:8]
    )
    piped = run_tutor("group", "photos", "--voice", "zh", env=env)  # photos is in two packs
    assert piped.returncode == 2
    no_screen = run_tutor("group", LESSON, env=env, stdin="")
    assert no_screen.returncode == 2
    assert no_screen.stderr.strip() == ZH("cli.classroom.needs_screen")
    assert "Traceback" not in unknown.stderr + piped.stderr + no_screen.stderr
    assert list(all_events()) == []


def test_the_commands_load_no_screen_toolkit_until_the_group_screen_runs():
    code = (
        "import sys, tutor.cli, tutor.commands.classroom, tutor.classroom.sheet, "
        "tutor.classroom.sheet_html, tutor.classroom.room; "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr
    helped = run_tutor("--help")
    assert "group" in helped.stdout and "sheet" in helped.stdout
