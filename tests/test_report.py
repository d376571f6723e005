"""`tutor report` as a coordinator and a mentor read it, on a county's worth of records.

The records (tests/report_helpers.py) are 12 simulated learners over 30 days plus
hand-written stories in two villages: names given or not given consent, an erased learner,
a stalled lesson, a question answered wrong again and again, help nobody answered, drill
runs and a device silent for 40 days. The tests check what each reader would notice, and
what each must never see.
"""

import functools
import hashlib
import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import run_tutor
from report_helpers import (
    CHEN,
    DEVICE_SILENT,
    IDS,
    LI,
    MINI,
    VILLAGE_A,
    VILLAGE_B,
    WANG,
    ZHANG,
    ZHAO,
    build_county,
)

from tutor.content.packs import load_pack
from tutor.content.strings import load_catalog
from tutor.hub import stuck as rules
from tutor.hub.mistakes import Mistake, run_mistakes
from tutor.hub.privacy import MENTOR, Audience, pseudonym_code, shown_name, village_of
from tutor.hub.report import build_report, drills_in
from tutor.progress import events as ev
from tutor.progress.course import course_from_packs, usable_packs
from tutor.progress.model import LearnerState, fold
from tutor.progress.records import all_events


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_county(tmp_path_factory.mktemp("county"))


class _Remembered:
    """The county, with each distinct report command run once per module (each takes a
    second or two: packs are loaded and checked, every log is read)."""

    def __init__(self, county):
        self._county = county
        self._seen: dict[tuple, object] = {}

    def __getattr__(self, name):
        return getattr(self._county, name)

    def report(self, *args: str, lang: str = "zh"):
        key = (args, lang)
        if key not in self._seen:
            self._seen[key] = self._county.report(*args, lang=lang)
        return self._seen[key]


@pytest.fixture(scope="module")
def county(built):
    return _Remembered(built)


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def pseudonym(name: str) -> str:
    return "学员-" + hashlib.sha256(IDS[name].encode()).hexdigest()[:6]


def simulated_people(county) -> dict[str, str]:
    """Name -> village of the simulated learners (the ones not written by hand)."""
    progress = fold(all_events(county.home))
    return {
        state.personal("name"): village_of(state)
        for key, state in progress.learners.items()
        if key not in IDS.values()
    }


@functools.cache
def packs_in(folder):
    return usable_packs(folder)


def in_process(county, audience=None, since=None):
    """The report built from events the way the hub will: an iterable and a fold."""
    events = list(all_events(county.home))
    packs = packs_in(county.lessons)
    return build_report(
        fold(events),
        events,
        course_from_packs(packs),
        drills_in(packs),
        audience or Audience(),
        load_catalog("zh"),
        datetime.now(UTC),
        since,
    )


# ---- what a coordinator sees --------------------------------------------------------------


def test_coordinator_sees_names_only_with_consent(county):
    out = ok(county.report())
    assert "县协调员看的报告：所有村" in out
    assert WANG in out and ZHANG in out  # both agreed at enrolment
    assert LI not in out and CHEN not in out  # neither did
    assert pseudonym(LI) in out
    for name in simulated_people(county):
        assert name not in out, name


def test_every_village_is_counted(county):
    out = ok(county.report())
    for village in {*simulated_people(county).values(), VILLAGE_A, VILLAGE_B}:
        assert village in out, village
    assert "（已删除个人信息）" in out  # the erased learner's own group


def test_who_is_stuck(county):
    report = in_process(county)
    stuck = {(s.name, s.what) for s in report.stuck}
    info = course_from_packs(packs_in(county.lessons)).lessons[county.stalled_lesson]
    lesson = f"《{info.title['zh']}》"
    li = [what for name, what in stuck if name == pseudonym(LI)]
    assert any("开始12天了还没学完" in what and lesson in what for what in li), li
    assert any(f"第{county.wrong_step + 1}步连着答错3次" in what for what in li), li
    assert any("要了帮助，还没有人回答" in what for name, what in stuck if name == ZHANG)
    assert any("开始10天了还没学完" in what for name, what in stuck if name == pseudonym(ZHAO))
    # The simulation may have strugglers of its own: they show as pseudonyms, never by name.
    written = {pseudonym(LI), ZHANG, pseudonym(ZHAO)}
    assert written <= {name for name, _ in stuck}
    assert all(name.startswith("学员-") for name, _ in stuck if name not in written)
    villages = {line.village: line.stuck for line in report.villages}
    assert villages[VILLAGE_A] == 1 and villages[VILLAGE_B] == 1


def test_a_device_silent_for_40_days(county):
    report = in_process(county)
    assert [(d.device, d.villages, d.days) for d in report.devices] == [
        (DEVICE_SILENT[:8], (VILLAGE_B,), 40)
    ]
    assert report.device_count == 4
    out = ok(county.report())
    assert DEVICE_SILENT[:8] in out and "30天以上没有消息的设备" in out


def test_drill_scores_and_the_mistakes_made_most(county):
    report = in_process(county)
    runs = {(d.village, d.runs) for d in report.drills}
    assert runs == {(VILLAGE_A, 2), (VILLAGE_B, 1), ("（已删除个人信息）", 2)}
    a = next(d for d in report.drills if d.village == VILLAGE_A)
    # 王秀英: the worst path (-2 of 5 points) then the best one (5 of 5).
    assert (a.mean_percent, a.best_percent) == (pytest.approx(30), pytest.approx(100))
    assert [name for name, _, _ in a.dimensions] == ["诚实", "冷静"]
    assert sum(report.histogram) == 5
    top = {(m.chose, m.better, m.count) for m in report.mistakes}
    assert ("骂他是来捣乱的", "拿出检测报告念给大家听", 2) in top
    assert ("说这是全国最好的蜂蜜", "说清楚产地和采蜜时间", 2) in top
    out = ok(county.report())
    assert "演练里最常见的错" in out and "骂他是来捣乱的" in out


def test_since_counts_only_the_last_days(county):
    everything = in_process(county)
    recent = in_process(county, since=3)
    assert sum(d.runs for d in everything.drills) == 5
    assert sum(d.runs for d in recent.drills) == 2  # 王秀英 yesterday, 张桂兰 2 days ago
    # Who is stuck is about now, whatever the window.
    assert recent.stuck == everything.stuck
    out = ok(county.report("--since", "3"))
    assert "只算最近 3 天" in out


# ---- privacy --------------------------------------------------------------------------------


def test_the_erased_learner_is_named_nowhere(county):
    outputs = [
        ok(county.report()),
        ok(county.report("--village", VILLAGE_B)),
        ok(county.report("--role", "mentor", "--village", VILLAGE_B)),
        ok(county.report("--since", "30")),
    ]
    for out in outputs:
        assert ZHAO not in out
    # He agreed to show his name before he was erased: erasure wins.
    assert pseudonym(ZHAO) in outputs[0]


def test_a_mentor_sees_only_their_village(county):
    out = ok(county.report("--role", "mentor", "--village", VILLAGE_A))
    assert f"导师看的报告：{VILLAGE_A}" in out
    assert WANG in out and LI in out  # a mentor knows their own learners by name
    for hidden in (ZHANG, ZHAO, CHEN, VILLAGE_B, pseudonym(ZHAO), DEVICE_SILENT[:8]):
        assert hidden not in out, hidden
    for name in simulated_people(county):
        assert name not in out, name
    assert "（已删除个人信息）" not in out


def test_a_mentor_of_a_simulated_village(county):
    people = simulated_people(county)
    village = max(set(people.values()), key=lambda v: list(people.values()).count(v))
    out = ok(county.report("--role", "mentor", "--village", village))
    for name, theirs in people.items():
        shown = re.search(re.escape(name) + r"(?!\d)", out) is not None  # 学员1, not 学员10
        assert shown == (theirs == village), (name, theirs)


def test_the_mentor_of_village_b_sees_its_silent_device(county):
    out = ok(county.report("--role", "mentor", "--village", VILLAGE_B))
    assert DEVICE_SILENT[:8] in out and CHEN in out and ZHANG in out
    assert WANG not in out and VILLAGE_A not in out


def test_pseudonyms_are_the_same_in_every_run(built):
    first, second = ok(built.report()), ok(built.report())
    assert first.splitlines()[2:] == second.splitlines()[2:]  # all but the time it was made
    assert pseudonym(LI) in first
    assert pseudonym_code(IDS[LI]) == pseudonym(LI).split("-")[1]


def test_a_mentor_must_say_their_village(county):
    result = county.report("--role", "mentor")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "导师的报告只看自己的村：请加上 --village 村名"


def test_reports_in_korean_and_uyghur(county):
    ko = ok(county.report(lang="ko"))
    assert "학습 현황 보고서" in ko and "학습자-" in ko
    ug = ok(county.report("--role", "mentor", "--village", VILLAGE_A, lang="ug"))
    assert "ئۆگىنىش ئەھۋالى دوكلاتى" in ug and LI in ug


def test_no_records_is_one_line(tmp_path):
    out = ok(run_tutor("report", env={"TUTOR_HOME": str(tmp_path), "TUTOR_LANG": "zh"}))
    assert "没有可以报告的学员。" in out


# ---- built from events, as the hub will -----------------------------------------------------


def test_events_repeated_and_shuffled_give_the_same_report(county):
    events = list(all_events(county.home))
    packs = packs_in(county.lessons)
    course, drills = course_from_packs(packs), drills_in(packs)
    now, catalog = datetime.now(UTC), load_catalog("zh")
    once = build_report(fold(events), events, course, drills, Audience(), catalog, now)
    again = [*events, *events[: len(events) // 2]]
    random.Random(1).shuffle(again)
    twice = build_report(fold(again), again, course, drills, Audience(), catalog, now)
    assert once == twice


def test_a_mistake_is_a_choice_worth_less_than_the_best_at_its_node():
    honey = load_pack(MINI).drills["honey"]
    assert run_mistakes(honey, "mini/honey", ("1", "2"), 3) == []
    assert run_mistakes(honey, "mini/honey", ("2", "2"), 3) == [
        Mistake("mini/honey", "open", "2", "1"),
        Mistake("mini/honey", "fight", "2", "1"),
    ]
    # A path that no longer fits the drill (it was edited since) is left out, not guessed at.
    assert run_mistakes(honey, "mini/honey", ("9",), 3) == []


def _answers(state: LearnerState, *rows) -> None:
    from tutor.progress.model import LessonRecord, Run

    run = Run(start="2025-01-01T08:00:00.000Z")
    run.answers = [[f"a{i}", at, step, correct, 1] for i, (at, step, correct) in enumerate(rows)]
    state.lessons["p/l"] = LessonRecord(runs=[run])


def test_wrong_again_counts_wrong_answers_since_the_last_right_one():
    state = LearnerState("1b2f6a3e-0000-4000-8000-0000000000ff")
    day = "2025-01-0{}T08:00:00.000Z"
    _answers(
        state,
        (day.format(1), 2, False),
        (day.format(2), 2, False),
        (day.format(3), 2, True),
        (day.format(4), 2, False),
        (day.format(5), 2, False),
    )
    assert rules.wrong_again(state) == []
    _answers(state, (day.format(1), 2, False), (day.format(2), 2, False), (day.format(3), 2, False))
    assert [(s.step, s.count) for s in rules.wrong_again(state)] == [(2, 3)]
    state.undone.add("a2")  # taken back with "back": not an answer
    assert rules.wrong_again(state) == []


def test_an_open_lesson_is_stalled_after_a_week():
    state = LearnerState("1b2f6a3e-0000-4000-8000-0000000000ff")
    _answers(state)
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    assert rules.stalled(state, start + timedelta(days=6)) == []
    assert [s.kind for s in rules.stalled(state, start + timedelta(days=7))] == [rules.STALLED]


def test_erasure_wins_over_consent_and_roles():
    catalog = load_catalog("zh")
    progress = fold([])
    state = LearnerState(IDS[ZHAO])
    state.profile = {
        "name": ["2025-01-01T08:00:00.000Z", ZHAO],
        "village": ["2025-01-01T08:00:00.000Z", VILLAGE_B],
        "name_consent": ["2025-01-01T08:00:00.000Z", True],
    }
    assert shown_name(Audience(), state, catalog) == ZHAO
    state.erased = True
    state.forget_personal()
    for audience in (Audience(), Audience(MENTOR, VILLAGE_B)):
        assert shown_name(audience, state, catalog) == pseudonym(ZHAO)
    assert village_of(state) is None and progress.learners == {}
    with pytest.raises(ValueError):
        Audience(MENTOR)


def test_name_consent_is_part_of_the_enrolment_schema():
    ev.check(
        IDS[WANG],
        "2025-01-01T08:00:00.000Z",
        ev.LEARNER_ENROLLED,
        {"name": WANG, "village": VILLAGE_A, "language": "zh", "name_consent": True},
    )
    with pytest.raises(ev.EventError):
        ev.check(
            IDS[WANG],
            "2025-01-01T08:00:00.000Z",
            ev.LEARNER_ENROLLED,
            {"name": WANG, "village": VILLAGE_A, "language": "zh", "name_consent": "yes"},
        )


def test_a_name_shows_to_the_coordinator_only_with_consent_at_enrolment(tmp_path):
    from conftest import run_tutor

    env = {"TUTOR_HOME": str(tmp_path)}
    assert run_tutor("progress", "enrol", "--name", "王芳", "--village", "石门村",
                     "--name-consent", env=env).returncode == 0
    assert run_tutor("progress", "enrol", "--name", "李强", "--village", "石门村",
                     env=env).returncode == 0
    out = run_tutor("report", env=env).stdout
    assert "王芳" in out and "李强" not in out
