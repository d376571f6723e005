"""The lesson runner: every global intent on every step kind, undo, resume, the scan fallback.

Answers go through the real understanding layer (typed text, as a key or a recognizer gives
it) except in the intent matrix, which hands the runner a clear decision for each intent.
"""

import pytest
from session_helpers import answer, runner

from tutor.progress import events as ev
from tutor.understand.engine import Decision

# The starter "photos" lesson: say, choose, say, say, practice, recap.
STEP_OF_KIND = {"say": 0, "choose": 1, "practice": 4, "recap": 5}


def intent(name: str) -> Decision:
    return Decision("accept", name, None, 1.0)


def reject() -> Decision:
    return Decision("reject", None, None, 0.0)


def types(turn) -> list[str]:
    return [r.type for r in turn.records]


@pytest.mark.parametrize("kind", list(STEP_OF_KIND))
@pytest.mark.parametrize(
    "name", ["next", "back", "repeat", "help", "home", "pause", "slower", "quit", "yes", "no"]
)
def test_every_global_intent_works_on_every_step_kind(kind, name):
    at = STEP_OF_KIND[kind]
    run = runner(start_step=at)
    first = run.begin()
    assert first.prompt.kind == kind
    turn = run.hear(intent(name), via="key")
    if name in ("next", "yes"):
        assert turn.prompt.step == at + 1 or turn.outcome == "done"
    elif name == "back":
        assert turn.prompt.step == at - 1 if at else turn.prompt.step == 0
    elif name in ("repeat", "no"):
        assert (turn.prompt.kind, turn.prompt.step) == (kind, at)
    elif name == "slower":
        assert turn.prompt.slow and turn.changes == {"slower": True}
    elif name == "help":
        assert types(turn) == [ev.HELP_REQUESTED]
        assert turn.prompt.step == at and "老师" in turn.prompt.lines[0]
    elif name == "home":
        assert turn.outcome == "home"
    elif name == "pause":
        assert turn.outcome == "paused"
        resumed = run.hear(reject())
        assert (resumed.prompt.kind, resumed.prompt.step) == (kind, at)
    elif name == "quit":
        assert turn.prompt.kind == "quit" and turn.outcome == "continue"
        assert run.hear(intent("no")).prompt.step == at
        run.hear(intent("quit"))
        assert run.hear(intent("yes")).outcome == "quit"


def test_repeat_is_slower_the_second_time():
    run = runner(start_step=1)
    run.begin()
    assert not run.hear(intent("repeat")).prompt.slow
    assert run.hear(intent("repeat")).prompt.slow


def test_a_whole_lesson_by_voice_records_start_answers_and_completion():
    run = runner()
    turn = run.begin()
    recorded = types(turn)
    for said in ["下一个", "第一个", "下一个", "下一个", "要拍出个头和颜色", "下一个"]:
        turn = answer(run, turn, said)
        recorded += types(turn)
    assert turn.outcome == "done" and turn.prompt.kind == "summary"
    assert recorded == [
        ev.LESSON_STARTED,
        ev.STEP_ANSWERED,
        ev.STEP_ANSWERED,
        ev.LESSON_COMPLETED,
    ]
    assert "都答对了" in turn.prompt.lines[-1]


def test_a_wrong_answer_gets_feedback_and_a_second_try_then_the_runner_moves_on():
    run = runner(start_step=1)
    turn = answer(run, run.begin(), "第二个")
    assert turn.prompt.step == 1 and "再选一次" in turn.prompt.lines[1]
    assert turn.records[0].data["correct"] is False
    turn = answer(run, turn, "2", via="key")
    assert turn.prompt.step == 2
    assert any("正确的答案是" in line for line in turn.prompt.lines)


def test_practice_names_what_is_missing_then_gives_an_example_and_moves_on():
    run = runner(start_step=4)
    turn = answer(run, run.begin(), "拍好看一点")
    assert turn.prompt.step == 4 and turn.records[0].data["correct"] is False
    turn = answer(run, turn, "我也不知道")
    assert turn.prompt.step == 5
    assert any("比如" in line for line in turn.prompt.lines)


def test_a_confirmed_answer_needs_a_yes_and_a_no_asks_again():
    run = runner(start_step=1)
    run.begin()
    asked = run.hear(Decision("confirm", "choice", "1", 0.7))
    assert asked.prompt.kind == "confirm" and "在窗边自然光下拍" in asked.prompt.lines[0]
    again = run.hear(intent("no"))
    assert (again.prompt.kind, again.prompt.step) == ("choose", 1)
    run.hear(Decision("confirm", "choice", "1", 0.7))
    taken = run.hear(intent("yes"))
    assert taken.records[0].data["decision"] == "confirm" and taken.prompt.step == 2


def test_two_answers_not_understood_turn_into_a_yes_no_scan_over_the_options():
    run = runner(start_step=1)
    run.begin()
    first = run.hear(reject())
    assert first.prompt.kind == "choose" and "没听清楚" in first.prompt.lines[0]
    scan = run.hear(reject())
    assert scan.prompt.kind == "scan" and scan.prompt.choices[0][0] == "1"
    second = run.hear(intent("no"))
    assert second.prompt.choices[0][0] == "2"
    chosen = run.hear(intent("yes"), via="key")
    assert chosen.records[0].data["choice"] == "2"


def test_a_scan_answered_no_to_every_option_asks_the_question_again():
    run = runner(start_step=1)
    run.begin()
    run.hear(reject())
    run.hear(reject())
    for _ in range(2):
        run.hear(intent("no"))
    turn = run.hear(intent("no"))
    assert turn.prompt.kind == "choose"


def test_silence_re_asks_gently_and_counts_nothing():
    run = runner(start_step=1)
    run.begin()
    for _ in range(3):
        turn = run.silence()
        assert turn.prompt.kind == "choose" and turn.records == ()
    assert run.hear(reject()).prompt.kind == "choose"


def test_back_undoes_the_answers_of_the_step_it_returns_to_even_across_steps():
    run = runner()
    turn = run.begin()
    for said in ["下一个", "第二个", "第一个", "下一个"]:
        turn = answer(run, turn, said)
    assert turn.prompt.step == 3
    back = run.hear(intent("back"))
    assert back.prompt.step == 2 and back.records == ()
    back = run.hear(intent("back"))
    assert back.prompt.step == 1
    assert [r.type for r in back.records] == [ev.ANSWER_UNDONE, ev.ANSWER_UNDONE]
    assert all(r.undoes is not None for r in back.records)


def test_resume_starts_where_the_learner_left_off():
    run = runner(start_step=4)
    turn = run.begin()
    assert turn.prompt.kind == "practice"
    assert turn.records[0].data["step"] == 4


@pytest.mark.parametrize("language", ["ko", "ug"])
def test_the_runner_speaks_the_learners_language(language):
    run = runner(language=language, start_step=1)
    turn = run.begin()
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in turn.prompt.lines)


def test_leaving_mid_lesson_records_the_step_to_resume_at():

    run = runner()
    turn = run.begin()
    for said in ["下一个", "第一个", "下一个"]:
        turn = answer(run, turn, said)
    left = run.hear(intent("home"))
    assert left.outcome == "home"
    assert [(r.type, r.data["step"]) for r in left.records] == [(ev.LESSON_LEFT, 3)]
