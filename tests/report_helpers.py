"""A county's records for report tests: simulated learners plus hand-written stories.

`tutor progress simulate` fills one village device with 12 scripted learners over 30 days
(names like 试用学员1 in villages 试点村1, 试点村2 and their ko/ug twins, none of whom agreed
to show their name). Beside it, three more devices are written event by event:

- 青山村 (village A): 王秀英 agreed to show her name and played the drill twice; 李建国 did
  not, opened a lesson 12 days ago and never finished it, and answered one question wrong
  three times running.
- 河口村 (village B): 张桂兰 agreed, asked for help two days ago and nobody answered;
  赵铁柱 agreed too, but was then erased (through `tutor progress erase`): his drills and
  his stalled lesson still count, his name must never show.
- a 河口村 device last heard from 40 days ago, where 陈老汉 finished one lesson.

Drill runs are played through the real scene (content/scene.py) of the test pack
tests/data/drills/mini, so path, seed, state and scores are what the drill runner writes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import ROOT, run_tutor

from tutor.content.packs import find_packs, load_pack
from tutor.content.scene import Scene, best_scores
from tutor.content.schema import ChooseStep
from tutor.progress import events as ev
from tutor.progress.events import timestamp
from tutor.progress.home import logs_dir
from tutor.progress.store import EventLog

MINI = ROOT / "tests" / "data" / "drills" / "mini"
VILLAGE_A, VILLAGE_B = "青山村", "河口村"
WANG, LI, ZHANG, ZHAO, CHEN = "王秀英", "李建国", "张桂兰", "赵铁柱", "陈老汉"
# Fixed ids so a failing test names the same learner every run.
IDS = {
    WANG: "1b2f6a3e-0000-4000-8000-00000000000a",
    LI: "1b2f6a3e-0000-4000-8000-00000000000b",
    ZHANG: "1b2f6a3e-0000-4000-8000-00000000000c",
    ZHAO: "1b2f6a3e-0000-4000-8000-00000000000d",
    CHEN: "1b2f6a3e-0000-4000-8000-00000000000e",
}
DEVICE_A = "a0a0a0a0-1111-4111-8111-000000000001"
DEVICE_B = "b0b0b0b0-2222-4222-8222-000000000002"
DEVICE_SILENT = "c0c0c0c0-3333-4333-8333-000000000003"


@dataclass(frozen=True)
class County:
    home: Path
    lessons: Path  # the shipped packs plus the mini drill pack
    stalled_lesson: str  # pack/lesson 李建国 left open
    wrong_step: int  # 0-based step he keeps getting wrong

    def env(self, lang: str = "zh") -> dict[str, str]:
        return {"TUTOR_HOME": str(self.home), "TUTOR_LANG": lang}

    def report(self, *args: str, lang: str = "zh"):
        return run_tutor("report", "--lessons", str(self.lessons), *args, env=self.env(lang))


def drill_data(path: tuple[str, ...], seed: int = 3) -> dict:
    """What the drill runner logs for a run of mini/honey along `path`."""
    drill = load_pack(MINI).drills["honey"]
    scene = Scene.open(drill, seed)
    for key in path:
        assert scene.choose(key) is not None, path
    return {
        "pack": "mini",
        "drill": "honey",
        "path": list(path),
        "score": sum(scene.scores.values()),
        "max": sum(best_scores(drill).values()),
        "state": dict(scene.state),
        "seed": scene.seed,
        "scores": dict(scene.scores),
    }


def _graded_step(lesson_root: Path) -> tuple[str, int, str, str]:
    """A starter lesson, a graded choose step in it, a wrong key and the right key."""
    pack = load_pack(lesson_root)
    for lesson_id in pack.manifest.lessons:
        for index, step in enumerate(pack.lessons[lesson_id].step):
            if isinstance(step, ChooseStep) and step.graded:
                right = next(c.key for c in step.choice if c.correct)
                wrong = next(c.key for c in step.choice if not c.correct)
                return lesson_id, index, wrong, right
    raise AssertionError("no graded question in the starter pack")


def _answer(lesson: str, step: int, choice: str, correct: bool, attempts: int) -> dict:
    return {
        "pack": "starter",
        "lesson": lesson,
        "step": step,
        "step_id": None,
        "choice": choice,
        "decision": "accept",
        "correct": correct,
        "attempts": attempts,
        "seconds": 4.5,
        "via": "key",
    }


def _lessons_folder(root: Path) -> Path:
    """Every shipped pack and the mini drill pack side by side, as links."""
    folder = root / "lessons"
    folder.mkdir()
    for pack in [*find_packs(ROOT / "lessons"), MINI]:
        (folder / pack.name).symlink_to(pack, target_is_directory=True)
    return folder


def build_county(root: Path) -> County:
    home = root / "home"
    simulated = run_tutor(
        "progress",
        "simulate",
        "--learners",
        "12",
        "--days",
        "30",
        "--seed",
        "3",
        env={"TUTOR_HOME": str(home), "TUTOR_LANG": "zh"},
    )
    assert simulated.returncode == 0, simulated.stderr
    now = datetime.now(UTC)

    def ago(days: float) -> str:
        return timestamp(now - timedelta(days=days))

    lesson, step, wrong, right = _graded_step(ROOT / "lessons" / "starter")
    logs = logs_dir(home)

    with EventLog(logs / f"{DEVICE_A}.jsonl", DEVICE_A) as log:
        enrol = {"village": VILLAGE_A, "language": "zh"}
        log.append(
            IDS[WANG],
            ev.LEARNER_ENROLLED,
            {**enrol, "name": WANG, "name_consent": True},
            at=ago(20),
        )
        log.append(IDS[LI], ev.LEARNER_ENROLLED, {**enrol, "name": LI}, at=ago(20))
        started = {"pack": "starter", "lesson": lesson, "step": 0, "mode": "learn"}
        log.append(IDS[LI], ev.LESSON_STARTED, started, at=ago(12))
        log.append(IDS[LI], ev.STEP_ANSWERED, _answer(lesson, step, wrong, False, 1), at=ago(12))
        log.append(IDS[LI], ev.STEP_ANSWERED, _answer(lesson, step, wrong, False, 2), at=ago(12))
        log.append(IDS[LI], ev.LESSON_STARTED, {**started, "step": step}, at=ago(11))
        log.append(IDS[LI], ev.STEP_ANSWERED, _answer(lesson, step, wrong, False, 1), at=ago(11))
        log.append(IDS[WANG], ev.LESSON_STARTED, started, at=ago(6))
        log.append(IDS[WANG], ev.STEP_ANSWERED, _answer(lesson, step, right, True, 1), at=ago(6))
        log.append(IDS[WANG], ev.LESSON_COMPLETED, {"pack": "starter", "lesson": lesson}, at=ago(6))
        log.append(IDS[WANG], ev.DRILL_FINISHED, drill_data(("2", "2")), at=ago(5))
        log.append(IDS[WANG], ev.DRILL_FINISHED, drill_data(("1", "2")), at=ago(1))

    with EventLog(logs / f"{DEVICE_B}.jsonl", DEVICE_B) as log:
        enrol = {"village": VILLAGE_B, "language": "zh", "name_consent": True}
        log.append(IDS[ZHANG], ev.LEARNER_ENROLLED, {**enrol, "name": ZHANG}, at=ago(20))
        log.append(IDS[ZHAO], ev.LEARNER_ENROLLED, {**enrol, "name": ZHAO}, at=ago(20))
        started = {"pack": "starter", "lesson": lesson, "step": 0, "mode": "learn"}
        log.append(IDS[ZHAO], ev.LESSON_STARTED, started, at=ago(10))
        log.append(IDS[ZHAO], ev.DRILL_FINISHED, drill_data(("2", "1")), at=ago(9))
        log.append(IDS[ZHAO], ev.DRILL_FINISHED, drill_data(("1", "1")), at=ago(8))
        log.append(IDS[ZHANG], ev.LESSON_STARTED, started, at=ago(2))
        help_data = {"pack": "starter", "lesson": lesson, "step": step}
        log.append(IDS[ZHANG], ev.HELP_REQUESTED, help_data, at=ago(2))
        log.append(IDS[ZHANG], ev.DRILL_FINISHED, drill_data(("1", "1")), at=ago(2))

    with EventLog(logs / f"{DEVICE_SILENT}.jsonl", DEVICE_SILENT) as log:
        enrol = {"village": VILLAGE_B, "language": "zh", "name": CHEN}
        log.append(IDS[CHEN], ev.LEARNER_ENROLLED, enrol, at=ago(50))
        started = {"pack": "starter", "lesson": lesson, "step": 0, "mode": "learn"}
        log.append(IDS[CHEN], ev.LESSON_STARTED, started, at=ago(40.2))
        log.append(
            IDS[CHEN], ev.LESSON_COMPLETED, {"pack": "starter", "lesson": lesson}, at=ago(40.1)
        )

    erased = run_tutor(
        "progress",
        "erase",
        "--learner",
        IDS[ZHAO],
        "--yes",
        env={"TUTOR_HOME": str(home), "TUTOR_LANG": "zh"},
    )
    assert erased.returncode == 0, erased.stderr
    return County(home, _lessons_folder(root), f"starter/{lesson}", step)
