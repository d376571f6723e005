"""Scenario drills: the checker, the scene, and the drill runner on a small test drill."""

import shutil

import pytest
from conftest import ROOT, run_tutor
from understand_helpers import understander

from tutor.content.packs import read_pack
from tutor.content.scene import Scene, best_scores
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
