"""What the learner model says about a record written to a real log on disk.

Lesson status and where to resume, the mastery rule, FSRS review dates replayed from the
record, merges, erasure reaching every view and the cache, milestones, the spoken summary
and the certificate in each language, the device identity, and the schema refusing events.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ROOT

from tutor.content.strings import load_catalog
from tutor.progress import events as ev
from tutor.progress.certificate import certificate_html, certificate_text
from tutor.progress.course import load_course
from tutor.progress.events import EventError, timestamp
from tutor.progress.export import export_csv, export_json
from tutor.progress.identity import device_identity, signing_key
from tutor.progress.mastery import LEARNING, MASTERED, NEW, PRACTISED, mastery
from tutor.progress.records import all_events
from tutor.progress.review import card, card_id, fading
from tutor.progress.snapshot import fold_logs, load_progress, to_plain
from tutor.progress.store import Draft, open_log
from tutor.progress.summary import milestones, new_milestones, say_milestone, summary
from tutor.progress.view import COMPLETED, IN_PROGRESS, NOT_STARTED, learner_view, lesson_views
from tutor.progress.xapi import statements

COURSE = load_course()
WANG = "aaaaaaaa-0000-4000-8000-000000000001"
LI = "bbbbbbbb-0000-4000-8000-000000000002"
DAY = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
# pricing: steps 0-3 say, 4 choose (key 1 right), 5 recap
PRICING = {"pack": "starter", "lesson": "pricing"}


class Diary:
    """Writes a learner's days into a real log under a temporary TUTOR_HOME."""

    def __init__(self, home):
        self.home = home
        self.log = open_log(device_identity(home).id, home)
        self.clock = DAY

    def write(self, learner, kind, data, minutes=1):
        self.clock += timedelta(minutes=minutes)
        return self.log.append_batch([Draft(learner, kind, data, timestamp(self.clock))])[0]

    def enrol(self, learner, name="王秀英", village="上坝村", language="zh"):
        data = {"name": name, "village": village, "language": language}
        return self.write(learner, ev.LEARNER_ENROLLED, data)

    def answer(self, learner, step, right, attempts=1, lesson=PRICING, choice="1"):
        data = {
            **lesson,
            "step": step,
            "choice": choice,
            "decision": "accept",
            "correct": right,
            "attempts": attempts,
            "seconds": 4.0,
            "via": "key",
        }
        return self.write(learner, ev.STEP_ANSWERED, data)

    def lesson(self, learner, right=True, lesson=PRICING):
        self.write(learner, ev.LESSON_STARTED, {**lesson, "step": 0})
        self.answer(learner, 4, right, lesson=lesson)
        self.write(learner, ev.LESSON_COMPLETED, {**lesson, "seconds": 300})

    def next_day(self):
        self.clock += timedelta(days=1)

    def progress(self):
        return load_progress(self.home)


@pytest.fixture
def diary(tmp_path):
    book = Diary(tmp_path / "home")
    yield book
    book.log.close()


def _lesson(progress, learner, key="starter/pricing"):
    state = progress.learner(learner)
    return next(v for v in lesson_views(state, COURSE) if v.lesson == key)


def test_a_lesson_left_halfway_resumes_after_the_last_answer(diary):
    diary.enrol(WANG)
    assert _lesson(diary.progress(), WANG).status == NOT_STARTED
    diary.write(WANG, ev.LESSON_STARTED, {**PRICING, "step": 0})
    diary.answer(WANG, 4, False)
    view = _lesson(diary.progress(), WANG)
    assert (view.status, view.resume_step) == (IN_PROGRESS, 5)
    diary.write(WANG, ev.LESSON_STARTED, {**PRICING, "step": 5})
    diary.write(WANG, ev.LESSON_COMPLETED, PRICING)
    view = _lesson(diary.progress(), WANG)
    assert (view.status, view.runs) == (COMPLETED, 1)  # resuming went on with the same run


def test_an_answer_taken_back_does_not_count_and_the_lesson_goes_back_to_it(diary):
    diary.enrol(WANG)
    diary.write(WANG, ev.LESSON_STARTED, {**PRICING, "step": 0})
    wrong = diary.answer(WANG, 4, False, choice="2")
    diary.write(WANG, ev.ANSWER_UNDONE, {**PRICING, "step": 4, "answer": wrong["id"]})
    progress = diary.progress()
    assert _lesson(progress, WANG).resume_step == 4
    assert progress.learner(WANG).answers("starter/pricing") == []
    diary.answer(WANG, 4, True)
    assert mastery(diary.progress().learner(WANG), COURSE, "starter/pricing").right == 1


def test_mastery_needs_four_of_the_last_five_first_tries_on_two_days(diary):
    diary.enrol(WANG)
    state = lambda: diary.progress().learner(WANG)  # noqa: E731
    assert mastery(state(), COURSE, "starter/pricing").level == NEW
    diary.answer(WANG, 4, False)
    diary.answer(WANG, 4, True, attempts=2)  # right only on the second try: not counted
    assert mastery(state(), COURSE, "starter/pricing").level == LEARNING
    for _ in range(4):
        diary.answer(WANG, 4, True)
    same_day = mastery(state(), COURSE, "starter/pricing")
    assert (same_day.level, same_day.right, same_day.days) == (PRACTISED, 4, 1)
    diary.next_day()
    diary.answer(WANG, 4, True)
    assert mastery(state(), COURSE, "starter/pricing").level == MASTERED


def test_review_dates_are_replayed_from_the_record_with_stable_card_ids(diary):
    assert card_id(WANG, "starter/pricing") == card_id(WANG, "starter/pricing")
    assert card_id(WANG, "starter/pricing") != card_id(LI, "starter/pricing")
    assert card_id(WANG, "starter/pricing") != card_id(WANG, "starter/honest-listing")
    diary.enrol(WANG)
    diary.lesson(WANG, right=True)
    state = diary.progress().learner(WANG)
    good = card(state, COURSE, "starter/pricing")
    assert good is not None and good.card_id == card_id(WANG, "starter/pricing")
    assert timedelta(days=1) <= good.due - diary.clock <= timedelta(days=5)
    assert fading(state, COURSE, diary.clock) == []
    assert [d.skill for d in fading(state, COURSE, diary.clock + timedelta(days=10))] == [
        "starter/pricing"
    ]
    # Replaying gives the same card on every call: nothing stored, nothing random.
    assert card(diary.progress().learner(WANG), COURSE, "starter/pricing").due == good.due

    diary.enrol(LI, name="李", village="下坝村")
    diary.lesson(LI, right=False)
    weak = card(diary.progress().learner(LI), COURSE, "starter/pricing")
    assert weak.due - diary.clock < good.due - DAY  # a wrong run comes back sooner


def test_a_merged_record_brings_its_lessons_and_its_later_events_along(diary):
    diary.enrol(WANG)
    diary.enrol(LI, name="王秀英", village="上坝")
    diary.lesson(LI, lesson={"pack": "starter", "lesson": "photos"})
    diary.write(LI, ev.LEARNER_MERGED, {"into": WANG})
    diary.lesson(LI)  # the shared device still knew her by the old id
    progress = diary.progress()
    assert set(progress.learners) == {WANG}
    assert progress.learner(LI) is progress.learner(WANG)
    done = {v.lesson for v in lesson_views(progress.learner(WANG), COURSE) if v.first_completed}
    assert done == {"starter/photos", "starter/pricing"}
    assert progress.learner(WANG).merged == [LI]
    assert {
        s["actor"]["account"]["name"]
        for s in statements(all_events(diary.home), progress, COURSE, WANG)
    } == {WANG}


def test_an_erasure_reaches_every_view_export_and_the_cache(diary):
    diary.enrol(WANG, name="王秀英", village="上坝村")
    diary.write(WANG, ev.HELP_REQUESTED, {**PRICING, "note": "王秀英听不清"})
    diary.lesson(WANG)
    diary.write(WANG, ev.LEARNER_ERASED, {})
    diary.write(WANG, ev.LEARNER_RENAMED, {"name": "王秀英"})  # a late rename stays hidden
    progress = diary.progress()
    state = progress.learner(WANG)
    view = learner_view(state, COURSE, diary.clock)
    assert (view["name"], view["village"], view["erased"]) == (None, None, True)
    events = list(all_events(diary.home))
    for exported in (
        export_json(events, progress, COURSE, None, diary.clock),
        export_csv(events, progress, None),
        json.dumps(statements(events, progress, COURSE, None), ensure_ascii=False),
        certificate_text(state, COURSE, load_catalog("zh"), diary.clock.date()),
        json.dumps(to_plain(progress), ensure_ascii=False),
        (diary.home / "progress" / "cache" / "progress.json").read_text(encoding="utf-8"),
    ):
        assert "王秀英" not in exported and "上坝村" not in exported
    assert "redacted" in export_json(events, progress, COURSE, None, diary.clock)
    # The learning itself is still there, under the opaque id.
    assert _lesson(progress, WANG).status == COMPLETED
    # The log keeps every event as written: the chain must not break.
    assert "王秀英" in next(iter(diary.log.path.open(encoding="utf-8")))


def test_milestones_come_from_the_record_and_are_said_once(diary):
    diary.enrol(WANG)
    before = milestones(diary.progress().learner(WANG), COURSE)
    assert before == []
    diary.lesson(WANG)
    after = milestones(diary.progress().learner(WANG), COURSE)
    new = new_milestones(before, after)
    assert [m.key for m in new] == ["progress.milestone.first_lesson"]
    assert say_milestone(new[0], COURSE, load_catalog("zh")) == "你学完了第一课，真不错！"
    for lesson in ("photos", "honest-title"):
        diary.lesson(WANG, lesson={"pack": "starter", "lesson": lesson})
    reached = milestones(diary.progress().learner(WANG), COURSE)
    packs = [m for m in reached if m.key == "progress.milestone.pack"]
    assert [say_milestone(m, COURSE, load_catalog("ko")) for m in packs] == [
        "「인터넷으로 농산물 팔기: 첫걸음」의 과를 모두 배웠어요. 대단해요!"
    ]
    assert new_milestones(reached, reached) == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", "你已经学完了1课：网上卖多少钱合适。"),
        ("ko", "지금까지 1개 과를 다 배웠어요: 인터넷 판매 가격 정하기."),
        ("ug", "سىز 1 دەرسنى تۈگەتتىڭىز: توردا قانچە پۇلغا سېتىش مۇۋاپىق."),
    ],
)
def test_the_summary_is_said_in_the_learners_language(diary, language, expected):
    diary.enrol(WANG, language=language)
    diary.lesson(WANG)
    diary.write(WANG, ev.LESSON_STARTED, {"pack": "starter", "lesson": "photos", "step": 0})
    diary.answer(WANG, 1, True, lesson={"pack": "starter", "lesson": "photos"})
    lines = summary(diary.progress().learner(WANG), COURSE, load_catalog(language), diary.clock)
    assert lines[0] == expected
    assert len(lines) == 2 and "3" in lines[1]  # photos: answered step 2 of 6, on to 3


def test_the_certificate_lists_finished_lessons_in_text_and_escaped_html(diary):
    diary.enrol(WANG, name="<王秀英>", language="ug")
    diary.lesson(WANG)
    state = diary.progress().learner(WANG)
    catalog = load_catalog("ug")
    text = certificate_text(state, COURSE, catalog, DAY.date())
    assert "تاماملاش گۇۋاھنامىسى" in text and "توردا قانچە پۇلغا سېتىش مۇۋاپىق" in text
    page = certificate_html(state, COURSE, catalog, DAY.date())
    assert '<html lang="ug" dir="rtl">' in page
    assert "&lt;王秀英&gt;" in page and "<王秀英>" not in page


def test_the_device_identity_is_made_once_with_a_private_key_only_its_owner_reads(tmp_path):
    home = tmp_path / "home"
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from tutor.progress.identity import device_identity\n"
        "print(device_identity(Path(sys.argv[1])).id)\n"
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(home)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    ids = {child.communicate(timeout=60)[0].strip() for child in children}
    device = device_identity(home)
    assert ids == {device.id}
    key_file = device.folder / "device.key"
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    key = signing_key(device)
    signature = key.sign(b"manifest")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(bytes.fromhex(device.public_key)).verify(
        signature, b"manifest"
    )
    assert sorted(p.name for p in device.folder.parent.iterdir()) == ["device"]


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("lesson_finished", {}, "type"),
        (ev.LESSON_STARTED, {"pack": "starter"}, "data.lesson"),
        (ev.STEP_ANSWERED, {"pack": "s", "lesson": "l", "step": True}, "data.step"),
        (ev.SETTINGS_CHANGED, {"rate": 150, "volume": 3}, "data.volume"),
        (ev.STEP_ANSWERED, {"pack": "s", "lesson": "l", "step": 1, "choice": "1",
                            "decision": "guess", "correct": True, "attempts": 1,
                            "seconds": 1, "via": "key"}, "data.decision"),
        (ev.LEARNER_ENROLLED, {"name": "王", "village": "村", "language": "zh",
                               "spoken_name": "wang.wav"}, "data.spoken_name"),
        (ev.LEARNER_MERGED, {"into": "someone"}, "data.into"),
    ],
)  # fmt: skip
def test_the_schema_refuses_an_event_before_it_is_written(diary, kind, data, field):
    with pytest.raises(EventError, match=f"^{field}"):
        diary.write(WANG, kind, data)
    assert diary.log.seq == 0


def test_the_cache_is_only_a_cache(diary):
    diary.enrol(WANG)
    diary.lesson(WANG)
    cached = to_plain(diary.progress())
    assert cached == to_plain(fold_logs([diary.log.path]))
    diary.lesson(WANG, lesson={"pack": "starter", "lesson": "photos"})  # the log grew
    assert to_plain(diary.progress()) == to_plain(fold_logs([diary.log.path]))
    cache = diary.home / "progress" / "cache" / "progress.json"
    cache.write_text('{"format": 1, "logs": {}, "progress": {"learners": 5}}')
    assert to_plain(diary.progress()) == to_plain(fold_logs([diary.log.path]))
    cache.unlink()
    assert to_plain(diary.progress()) == to_plain(fold_logs([diary.log.path]))
