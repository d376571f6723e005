"""Scenario drills: the checker, the scene, and the drill runner on a small test drill."""

import json
import os
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, run_tutor
from understand_helpers import understander

from tutor.content.packs import read_pack
from tutor.content.scene import WAITED, Scene, best_scores
from tutor.content.strings import load_catalog
from tutor.progress import events as ev
from tutor.session.drill import DrillRunner
from tutor.understand.engine import Decision

MINI = ROOT / "tests" / "data" / "drills" / "mini"


@pytest.fixture(scope="module")
def honey():
    pack, problems = read_pack(MINI, {})
    assert pack is not None and problems == []
    return pack.drills["honey"]


def runner(drill, seed=None) -> DrillRunner:
    return DrillRunner(drill, "mini", "zh", load_catalog("zh").text, seed)


def say(run: DrillRunner, turn, text: str):
    decision = understander("zh").understand(text, turn.prompt.expect)
    return run.hear(decision, said=text, via="voice")


def test_the_best_and_the_worst_path_score_as_the_rubric_says(honey):
    best = Scene.open(honey)
    for key in ("1", "2"):
        best.choose(key)
    worst = Scene.open(honey)
    for key in ("2", "2"):
        worst.choose(key)
    assert (best.node_id, best.scores) == ("end-good", {"honesty": 4, "calm": 1})
    assert (worst.node_id, worst.scores) == ("end-lost", {"honesty": 0, "calm": -2})
    assert best_scores(honey) == {"honesty": 4, "calm": 1}


def test_the_same_seed_tells_the_same_story(honey):
    a, b = Scene.open(honey, 11), Scene.open(honey, 11)
    a.choose("1")
    b.choose("1")
    assert a.happened == b.happened and a.state == b.state


def test_a_threshold_ends_the_scene(honey):
    scene = Scene.open(honey)
    scene.state["viewers"] = 350
    scene.choose("2")
    assert scene.node_id == "end-lost"


def test_a_drill_by_voice_ends_in_a_debrief_with_the_better_move(honey):
    run = runner(honey)
    turn = run.begin()
    assert turn.prompt.kind == "drill" and turn.prompt.gauges[0][:2] == ("在线人数", 800)
    turn = say(run, turn, "骂他是来捣乱的")
    turn = say(run, turn, "第二个")
    if turn.prompt.kind == "confirm":
        turn = say(run, turn, "对")
    assert turn.prompt.kind == "debrief"
    assert any("更好的做法" in line for line in turn.prompt.lines)
    (finished,) = turn.records
    assert finished.type == ev.DRILL_FINISHED
    assert finished.data["path"] == ["2", "2"] and finished.data["seed"] == honey.seed
    assert finished.data["scores"] == {"honesty": 0, "calm": -2}


def test_undo_help_and_status_work_mid_drill(honey):
    run = runner(honey)
    run.begin()
    run.hear(Decision("accept", "choice", "1", 1.0), via="key")
    assert run.scene.node_id == "report"
    helped = run.hear(Decision("accept", "help", None, 1.0))
    assert [r.type for r in helped.records] == [ev.HELP_REQUESTED]
    status = say(run, helped, "现在多少人在看？")
    assert any("在线人数" in line for line in status.prompt.lines)
    back = run.hear(Decision("accept", "back", None, 1.0))
    assert run.scene.node_id == "open" and run.scene.state["viewers"] == 800
    assert back.prompt.kind == "drill"


def test_try_again_keeps_the_seed_or_draws_a_new_one(honey):
    run = runner(honey, seed=5)
    run.begin()
    run.hear(Decision("accept", "choice", "2", 1.0))
    run.hear(Decision("accept", "choice", "2", 1.0))
    again = run.hear(Decision("accept", "choice", "1", 1.0))
    assert again.prompt.kind == "drill" and run.scene.seed == 5
    run.hear(Decision("accept", "choice", "2", 1.0))
    run.hear(Decision("accept", "choice", "2", 1.0))
    run.hear(Decision("accept", "choice", "2", 1.0))
    assert run.scene.seed == 6


BROKEN = {
    "loop": (
        'next = "end-good"\neffects = { trust = 10 }\nscore = { calm = 2',
        'next = "open"\neffects = { trust = 10 }\nscore = { calm = 2',
        "never ends",
    ),
    "range": ("effects = { trust = 20,", "effects = { trust = 90,", "leaves its range"),
    "dangling": ('next = "end-warned"', 'next = "nowhere"', "no node 'nowhere'"),
    "unreached": (
        'next = "end-lost"\nscore = { calm = -1 }',
        'next = "end-good"\nscore = { calm = -1 }',
        "never reached",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_the_checker_finds_what_would_break_a_drill(tmp_path, case):
    old, new, message = BROKEN[case]
    pack = tmp_path / "mini"
    shutil.copytree(MINI, pack)
    drill = pack / "drills" / "honey.toml"
    text = drill.read_text(encoding="utf-8")
    assert old in text
    drill.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_tutor("lessons", "check", str(pack))
    assert result.returncode == 1
    assert message in result.stdout + result.stderr


def test_two_answers_not_understood_turn_into_a_scan_that_yes_answers(honey):
    run = runner(honey)
    run.begin()
    run.hear(Decision("reject", None, None, 0.0))
    scan = run.hear(Decision("reject", None, None, 0.0))
    assert scan.prompt.kind == "scan" and scan.prompt.choices[0][0] == "1"
    run.hear(Decision("accept", "no", None, 1.0))
    taken = run.hear(Decision("accept", "yes", None, 1.0), via="key")
    assert run.scene.path == ["2"] and taken.prompt.kind == "drill"


# Timed mode --------------------------------------------------------------------------------

HESITATE = """seconds = 1
hesitate.effects = { viewers = -200, trust = -10 }
hesitate.why.zh = "你半天不说话，观众以为你心虚，走了两百人。"
"""
TEXT = load_catalog("zh").text


def timed_pack(tmp_path, hesitate: str = HESITATE):
    """The mini pack with a one-second limit and what waiting costs, as a mentor writes it."""
    pack = tmp_path / "mini"
    shutil.copytree(MINI, pack)
    drill = pack / "drills" / "honey.toml"
    text = drill.read_text(encoding="utf-8")
    drill.write_text(text.replace('start = "open"\n', f'start = "open"\n{hesitate}', 1), "utf-8")
    return pack


@pytest.fixture
def timed_honey(tmp_path):
    pack, problems = read_pack(timed_pack(tmp_path), {})
    assert pack is not None and problems == []
    return pack.drills["honey"]


def timed_runner(drill) -> DrillRunner:
    return DrillRunner(drill, "mini", "zh", TEXT, timed=True)


def test_untimed_by_default_no_deadline_and_silence_only_asks_again(timed_honey):
    run = runner(timed_honey)
    first = run.begin()
    assert first.prompt.seconds == 0
    quiet = run.silence(waited=600.0)
    assert quiet.prompt.seconds == 0 and quiet.prompt.lines[0] == TEXT("session.silence")
    assert run.scene.state["viewers"] == 800 and run.scene.path == []


def test_timed_time_running_out_costs_is_explained_and_the_drill_goes_on(timed_honey):
    run = timed_runner(timed_honey)
    first = run.begin()
    assert first.prompt.seconds == 1
    assert run.silence(waited=0.5).prompt.seconds == 1  # before the limit: only asked again
    late = run.silence(waited=1.2)
    assert run.scene.node_id == "open" and run.scene.path == [WAITED]
    assert (run.scene.state["viewers"], run.scene.state["trust"]) == (600, 50)
    assert late.prompt.kind == "drill" and late.prompt.seconds == 0  # no second deadline here
    lines = late.prompt.lines
    assert lines[0] == TEXT("drill.time_up") and "走了两百人" in lines[1]
    assert any("在线人数600" in line for line in lines)
    assert late.prompt.choices == first.prompt.choices
    on = run.hear(Decision("accept", "choice", "1", 1.0), via="key")
    assert run.scene.node_id == "report" and on.prompt.seconds == 1  # the next moment is timed
    end = run.hear(Decision("accept", "choice", "2", 1.0), via="key")
    assert end.prompt.kind == "debrief"
    assert any("等得太久" in line and "走了两百人" in line for line in end.prompt.lines)
    (finished,) = end.records
    assert finished.data["path"] == [WAITED, "1", "2"] and finished.data["timed"] is True


def test_back_after_a_timeout_takes_the_wait_back_and_the_clock_with_it(timed_honey):
    run = timed_runner(timed_honey)
    run.begin()
    run.silence(waited=5.0)
    back = run.hear(Decision("accept", "back", None, 1.0))
    assert run.scene.path == [] and run.scene.state["viewers"] == 800
    assert back.prompt.seconds == 1 and back.prompt.lines[0] == TEXT("session.went_back")
    run.hear(Decision("accept", "choice", "1", 1.0))
    run.hear(Decision("accept", "choice", "2", 1.0))
    debrief = run.hear(Decision("accept", "choice", "3", 1.0))
    assert debrief.outcome == "done"


def test_waiting_can_lose_the_audience_and_end_the_drill(timed_honey):
    run = timed_runner(timed_honey)
    run.begin()
    run.hear(Decision("accept", "choice", "2", 1.0))  # an argument: 500 watching
    run.silence(waited=1.0)  # 300
    assert run.scene.node_id == "fight"
    run.hear(Decision("accept", "back", None, 1.0))
    run.scene.state["viewers"] = 250
    lost = run.silence(waited=1.0)
    assert run.scene.node_id == "end-lost" and lost.prompt.kind == "debrief"
    (finished,) = lost.records
    assert finished.data["path"] == ["2", WAITED] and finished.data["timed"] is True


def test_an_untimed_run_logs_as_it_always_has(timed_honey):
    run = runner(timed_honey)
    run.begin()
    run.hear(Decision("accept", "choice", "1", 1.0))
    (finished,) = run.hear(Decision("accept", "choice", "2", 1.0)).records
    assert "timed" not in finished.data


def test_the_checker_walks_the_timed_paths(tmp_path):
    assert run_tutor("lessons", "check", str(timed_pack(tmp_path / "ok"))).returncode == 0
    deep = HESITATE.replace("trust = -10", "trust = -70")
    result = run_tutor("lessons", "check", str(timed_pack(tmp_path / "range", deep)))
    assert result.returncode == 1 and "open.wait: trust -10" in result.stdout + result.stderr
    lonely = timed_pack(tmp_path / "lonely", "")
    drill = lonely / "drills" / "honey.toml"
    text = drill.read_text(encoding="utf-8").replace(
        'id = "fight"\n', 'id = "fight"\nseconds = 10\n', 1
    )
    drill.write_text(text, encoding="utf-8")
    result = run_tutor("lessons", "check", str(lonely))
    assert result.returncode == 1
    assert "node[3].seconds: no hesitate" in result.stdout + result.stderr


def test_the_best_path_still_beats_waiting_everywhere(timed_honey):
    from tutor.content.scene import total, walk

    timed = list(walk(timed_honey, 3, timed=True))
    assert len(timed) > len(list(walk(timed_honey, 3)))
    assert any(WAITED in scene.path for scene in timed)
    assert all(not scene.out_of_range for scene in timed)
    assert max(map(total, timed)) > min(map(total, timed))


def test_drill_run_timed_from_the_command_line_waits_for_nobody(tmp_path, no_sound_output):
    """Nothing typed for the first question: after one second the stream moves on; the keys
    typed after that answer as usual, and the log says the run was timed."""
    pack, home = timed_pack(tmp_path), tmp_path / "home"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tutor",
            "drill",
            "run",
            "honey",
            "--timed",
            "--voice",
            "zh",
            "--lessons",
            str(pack),
        ],
        cwd=ROOT,
        env={**os.environ, "TUTOR_HOME": str(home), "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    moved_on = threading.Event()

    def read() -> None:
        for line in child.stdout:
            said.append(line)
            if TEXT("drill.time_up") in line:
                moved_on.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert moved_on.wait(60), "".join(said)
        child.stdin.write("1\n2\n3\n")
        child.stdin.close()
        assert child.wait(60) == 0, child.stderr.read()
    finally:
        child.kill()
    reader.join(10)
    assert any("等得太久" in line for line in said)
    out = run_tutor("progress", "export", "--format", "json", env={"TUTOR_HOME": str(home)})
    events = json.loads(out.stdout)
    events = events if isinstance(events, list) else events["events"]
    (finished,) = [e["data"] for e in events if e["type"] == "drill_finished"]
    assert finished["path"] == [WAITED, "1", "2"] and finished["timed"] is True


def test_drill_run_with_a_lessons_folder_that_is_not_there_says_so(tmp_path):
    result = run_tutor("drill", "run", "honey", "--lessons", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
