"""The large-print app, whole flows in Textual's Pilot: first run, language, home, lessons by
keys and by voice, help, quit and resume, several learners, and the keys that change the
screen. Fakes stand only at the hardware edge (speakers, microphone); the log is real."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from app_helpers import (
    PHOTOS_BY_KEYS,
    ScriptedVoice,
    events_of,
    make_app,
    on_screen,
    only_learner,
    press,
    until,
)
from textual import events

from tutor.content.strings import load_catalog
from tutor.progress import events as ev
from tutor.progress.events import timestamp
from tutor.ui.context import LearnerContext
from tutor.ui.screens.prompt import PromptScreen
from tutor.ui.widgets.answer_box import AnswerBox
from tutor.ui.widgets.choices import ChoiceBlock, ChoiceGrid
from tutor.ui.widgets.gauges import Gauge
from tutor.ui.widgets.learner_text import LearnerText
from tutor.ui.widgets.listening import ListeningIndicator

pytestmark = pytest.mark.asyncio

ZH, KO = load_catalog("zh").text, load_catalog("ko").text
LANGUAGE_KEYS = {"ko-yanbian": "1", "ug": "2", "zh": "3"}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TUTOR_LANG", raising=False)
    monkeypatch.delenv("TUTOR_TERMINAL_BIDI", raising=False)
    return tmp_path / "home"


def text_of(app, widget_id: str) -> str:
    return app.screen.query_one(f"#{widget_id}", LearnerText).text


def enrol(ctx: LearnerContext, name: str, language: str, voice: str) -> str:
    return ctx.enrol(name, language, voice)


async def test_first_run_asks_the_language_in_each_language_then_enrols_and_goes_home():
    app, fakes = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LanguageScreen", "language"))
        await until(pilot, lambda: len(fakes.said()) >= 5)
        # Each option is said by a voice of its own language, in that language.
        assert fakes.said("ko-yanbian") == ["연변 조선말: 1번을 누르세요."]
        assert fakes.said("ug")[0].startswith("ئۇيغۇرچە")
        assert fakes.said("zh")[0] == "说普通话，请按3。"
        # Four blocks at most; the fifth choice is on the next page, its key works anyway.
        assert len(app.screen.query(ChoiceBlock)) == 4
        await press(pilot, "space")
        assert [b.key for b in app.screen.query(ChoiceBlock)] == ["5"]
        await press(pilot, "x", "f5", "escape", "9")  # keys that mean nothing here
        assert on_screen(app, "LanguageScreen")()
        await press(pilot, LANGUAGE_KEYS["zh"])
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert text_of(app, "body") == ZH("menu.home")
    learner = only_learner()
    [enrolled] = events_of(learner, ev.LEARNER_ENROLLED)
    assert enrolled["data"] == {"name": ZH("menu.new_learner"), "village": "", "language": "zh"}
    assert events_of(learner, ev.SETTINGS_CHANGED)[0]["data"] == {"voice": "zh"}


async def test_a_lesson_by_keys_ends_in_a_summary_said_and_shown_and_is_in_the_log():
    app, fakes = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LanguageScreen"))
        await press(pilot, LANGUAGE_KEYS["zh"])
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "1")
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, *PHOTOS_BY_KEYS)
        await until(pilot, on_screen(app, "LessonScreen", "summary"))
        title = "用手机拍好农产品"
        assert ZH("session.lesson_done", title=title) in text_of(app, "body")
        assert ZH("session.lesson_done", title=title) in fakes.said("zh")
        await press(pilot, "space")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        # Home now offers to go on with the next lesson first.
        assert app.screen.query(ChoiceBlock).first().label.startswith("接着学")
    learner = only_learner()
    types = [e["type"] for e in events_of(learner)]
    assert types.count(ev.LESSON_STARTED) == 1 and types[-1] == ev.LESSON_COMPLETED
    [answer] = events_of(learner, ev.STEP_ANSWERED)
    assert answer["data"]["choice"] == "1" and answer["data"]["via"] == "key"
    assert answer["data"]["correct"] is True


async def test_a_lesson_by_voice_from_the_home_menu_to_the_summary():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    script = ["第一个", "下一个", "第一个", "下一个", "下一个", "要拍出个头和颜色", "下一个"]
    script.append("下一个")  # from the summary back home
    app, fakes = make_app(ctx, voice_script=script)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not fakes.voice.texts and on_screen(app, "MenuScreen")())
        # The script is over: the microphone is "unplugged" and the keys take over.
        await until(pilot, lambda: not app.by_voice)
        assert fakes.voice.partials[0] == ("第", 0.6)
    answers = events_of(learner, ev.STEP_ANSWERED)
    assert [a["data"]["via"] for a in answers] == ["voice", "voice"]
    assert [a["data"]["correct"] for a in answers] == [True, True]
    assert events_of(learner, ev.LESSON_COMPLETED)


async def test_a_partial_transcript_and_the_input_level_show_while_listening():
    ctx = LearnerContext()
    enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx, voice_script=[])
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        indicator = app.screen.query_one(ListeningIndicator)
        from tutor.ui.voice_input import VoicePartial

        app.screen.post_message(VoicePartial("第一", 0.7))
        await until(pilot, lambda: indicator.partial == "第一")
        assert indicator.level == 0.7


async def test_two_answers_not_understood_lead_to_a_scan_that_any_key_answers():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    on_a_choice = ScriptedVoice(["嗯嗯嗯", "哎呀呀"], ready=lambda expect: bool(expect.choices))
    app, _ = make_app(ctx, voice_script=on_a_choice, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "LessonScreen", "scan"))
        assert len(app.screen.query(ChoiceBlock)) == 1
        await press(pilot, "x")  # any key is "yes"
        await until(pilot, on_screen(app, "LessonScreen", "say"))
    [answer] = events_of(learner, ev.STEP_ANSWERED)
    assert answer["data"]["choice"] == "1" and answer["data"]["decision"] == "confirm"


async def test_help_is_recorded_for_the_mentor_and_said():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, fakes = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space", "h")
        await until(pilot, lambda: ZH("session.help") in text_of(app, "said"))
        assert ZH("session.help") in fakes.said("zh")
        assert app.screen.prompt.kind == "choose"
    [helped] = events_of(learner, ev.HELP_REQUESTED)
    # The mentor's console gets what the learner was looking at (a key press is not "heard").
    assert helped["data"] == {
        "pack": "starter",
        "lesson": "photos",
        "step": 1,
        "prompt": "用手机拍好农产品 哪种光拍出来最真实？",
    }


async def test_quit_asks_first_and_continue_resumes_at_the_same_step():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, fakes = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "1", "space", "1")
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        assert app.screen.prompt.step == 2
        await press(pilot, "q")
        await until(pilot, on_screen(app, "LessonScreen", "quit"))
        await press(pilot, "2")  # no: nothing happens
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "q", "1")
        await until(pilot, lambda: not app.is_running)
    assert fakes.said("zh")[-1] == ZH("session.bye")

    app, _ = make_app(LearnerContext())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        first = app.screen.query(ChoiceBlock).first()
        assert first.label == ZH("menu.continue", title="用手机拍好农产品")
        await press(pilot, "1")
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        assert app.screen.prompt.step == 2
    assert [e["data"]["step"] for e in events_of(learner, ev.LESSON_STARTED)] == [0, 2]


async def test_quitting_from_home_asks_first():
    ctx = LearnerContext()
    enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "q")
        await until(pilot, on_screen(app, "ConfirmScreen", "quit"))
        await press(pilot, "2")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "q", "1")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_several_learners_pick_by_number_and_get_their_own_language():
    ctx = LearnerContext()
    enrol(ctx, "王大姐", "zh", "zh")
    kim = enrol(ctx, "김순자", "ko", "ko-yanbian")
    app, fakes = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "learner"))
        assert [b.label for b in app.screen.query(ChoiceBlock)] == ["王大姐", "김순자"]
        await press(pilot, "2")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert app.learner == kim and app.language == "ko"
        assert text_of(app, "body") == KO("menu.home")
        assert KO("menu.home") in fakes.said("ko-yanbian")


async def test_a_held_key_counts_once():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    # Longer than the app's 0.3 s, so a busy test machine cannot space the presses out.
    app, _ = make_app(ctx, lesson="starter/photos", debounce=2.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await pilot.press("space", "space", "space", "space")
        await pilot.pause()
        assert app.screen.prompt.step == 1
        await press(pilot, "1", "1", "1")
        assert app.screen.prompt.step == 2
    assert len(events_of(learner, ev.STEP_ANSWERED)) == 1


async def test_a_click_on_a_block_chooses_it_and_arrows_with_enter_do_too():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "LessonScreen", "choose"))
        await pilot.click(ChoiceBlock)  # the first block: "1"
        await until(pilot, lambda: app.screen.prompt.step == 2)
        await press(pilot, "b")
        await until(pilot, lambda: app.screen.prompt.kind == "choose")
        await press(pilot, "down", "right", "enter")  # highlight 1, then 2; pick 2
        await until(pilot, lambda: len(events_of(learner, ev.STEP_ANSWERED)) == 2)
        assert app.screen.query_one(ChoiceGrid).choices[1][0] == "2"
    first, second = events_of(learner, ev.STEP_ANSWERED)
    assert (first["data"]["choice"], second["data"]["choice"]) == ("1", "2")
    assert events_of(learner, ev.ANSWER_UNDONE)[0]["data"]["answer"] == first["id"]


async def test_text_size_and_slower_speech_are_saved_and_come_back_next_time():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, fakes = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        assert app.text_size == "large" and app.screen.has_class("-size-large")
        await press(pilot, "plus")
        assert app.text_size == "huge" and app.screen.has_class("-size-huge")
        await press(pilot, "plus", "minus", "minus", "minus")
        assert app.text_size == "normal"
        await press(pilot, "s")
        await until(pilot, lambda: fakes.speakers["zh"].rate < ctx.profiles["zh"].tts_rate)
    settings = [e["data"] for e in events_of(learner, ev.SETTINGS_CHANGED)]
    assert {"text_size": "huge"} in settings and settings[-2:][0] == {"text_size": "normal"}
    slower = settings[-1]["rate"]

    app, fakes = make_app(LearnerContext(), lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        assert app.text_size == "normal" and fakes.speakers["zh"].rate == slower


async def test_t_switches_to_high_contrast_and_back():
    ctx = LearnerContext()
    enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert app.theme == "tutor-normal"
        await press(pilot, "t")
        assert app.theme == "tutor-contrast" and app.has_class("-contrast")
        await press(pilot, "t")
        assert app.theme == "tutor-normal"


async def test_without_a_microphone_the_korean_learner_is_told_once_and_uses_keys():
    """The real listener: the Korean model is installed, this machine has no microphone."""
    ctx = LearnerContext()
    enrol(ctx, "김순자", "ko", "ko-yanbian")
    from tutor.speech.speaker import RecordingSpeaker
    from tutor.ui.app import TutorApp

    said: list[str] = []

    def speaker(voice: str) -> RecordingSpeaker:
        recording = RecordingSpeaker(ctx.profiles[voice])
        recording.said = said  # type: ignore[assignment]
        return recording

    app = TutorApp(ctx, speakers=speaker, debounce=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await until(pilot, lambda: bool(app.notice))
        assert app.notice == KO("voice.no_microphone")
        assert text_of(app, "notice") == KO("voice.no_microphone")
        assert not app.by_voice
        assert app.screen.query_one(ListeningIndicator).has_class("-keys")
        await press(pilot, "1")
        await until(pilot, on_screen(app, "LessonScreen"))
        assert [u.text for u in said].count(KO("voice.no_microphone")) == 1


async def test_every_prompt_screen_fits_80_by_24_without_losing_the_choices():
    ctx = LearnerContext()
    enrol(ctx, "Ayshem", "ug", "ug")
    app, _ = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "LessonScreen", "choose"))
        screen = app.screen
        assert isinstance(screen, PromptScreen)
        for block in screen.query(ChoiceBlock):
            region = block.region
            assert region.bottom <= 24 and region.right <= 80 and region.height >= 3


async def to_practice(pilot, app) -> None:
    """From the photos lesson's first step to its practice step, by keys."""
    await until(pilot, on_screen(app, "LessonScreen", "say"))
    await press(pilot, "space", "1", "space", "space")
    await until(pilot, on_screen(app, "LessonScreen", "practice"))


async def test_a_practice_answer_can_be_typed_and_enter_hands_it_in():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, fakes = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_practice(pilot, app)
        box = app.screen.query_one(AnswerBox)
        assert box.display and box.value == ""
        await press(pilot, "h")  # nothing typed yet: still the help key
        await until(pilot, lambda: ZH("session.help") in text_of(app, "said"))
        await press(pilot, *"个头x", "backspace", "enter")  # one idea of the two needed
        await until(pilot, lambda: ZH("session.try_again") in text_of(app, "said"))
        assert app.screen.prompt.kind == "practice" and box.value == "个头"  # kept to add to
        await press(pilot, *"和颜色 h", "backspace", "backspace", "enter")
        await until(pilot, on_screen(app, "LessonScreen", "recap"))
        assert not app.screen.query_one(AnswerBox).display
        assert "说得好。" in fakes.said("zh")
    first, second = [a["data"] for a in events_of(learner, ev.STEP_ANSWERED)][1:]
    assert (first["step"], first["correct"], first["via"]) == (4, False, "key")
    assert (second["step"], second["correct"], second["attempts"]) == (4, True, 2)
    assert events_of(learner, ev.HELP_REQUESTED)[0]["data"]["step"] == 4


async def test_a_korean_learner_types_a_practice_answer_and_a_voice_answer_still_counts():
    ctx = LearnerContext()
    learner = enrol(ctx, "김순자", "ko", "ko-yanbian")
    app, _ = make_app(ctx, lesson="starter/photos")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_practice(pilot, app)
        app.screen.post_message(events.Paste("크기와 색깔"))  # an input method's whole word
        await until(pilot, lambda: app.screen.query_one(AnswerBox).value == "크기와 색깔")
        await press(pilot, "enter")
        await until(pilot, on_screen(app, "LessonScreen", "recap"))
    [typed] = [a["data"] for a in events_of(learner, ev.STEP_ANSWERED) if a["data"]["step"] == 4]
    assert typed["correct"] is True and typed["via"] == "key"

    learner = enrol(ctx, "박영희", "ko", "ko-yanbian")
    shown = {}

    def on_practice(expectation) -> bool:
        return shown["app"].screen.prompt.kind == "practice"

    voice = ScriptedVoice(["크기랑 색깔을 보여 줘요"], ready=on_practice)
    app, _ = make_app(ctx, voice_script=voice, learner=learner, lesson="starter/photos")
    shown["app"] = app
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await until(pilot, lambda: app.by_voice)
        await press(pilot, "space", "1", "space", "space")
        await until(pilot, on_screen(app, "LessonScreen", "recap"))
    [spoken] = [a["data"] for a in events_of(learner, ev.STEP_ANSWERED) if a["data"]["step"] == 4]
    assert spoken["correct"] is True and spoken["via"] == "voice"


async def test_theme_and_text_size_picked_by_a_learner_come_back_next_start():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx, contrast=True)  # this device starts in high contrast
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert app.theme == "tutor-contrast"
        await press(pilot, "t", "plus")
        assert (app.theme, app.text_size) == ("tutor-normal", "huge")
        await press(pilot, "q", "1")
        await until(pilot, lambda: not app.is_running)
    settings = [e["data"] for e in events_of(learner, ev.SETTINGS_CHANGED)]
    assert settings[-2:] == [{"theme": "normal"}, {"text_size": "huge"}]

    app, _ = make_app(LearnerContext(), contrast=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert (app.theme, app.text_size) == ("tutor-normal", "huge")
        assert not app.has_class("-contrast") and app.screen.has_class("-size-huge")
        await press(pilot, "t")

    app, _ = make_app(LearnerContext())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert app.theme == "tutor-contrast" and app.has_class("-contrast")


async def test_two_learners_on_one_device_each_get_their_own_theme():
    ctx = LearnerContext()
    enrol(ctx, "王大姐", "zh", "zh")
    kim = enrol(ctx, "김순자", "ko", "ko-yanbian")
    ctx.log.append(kim, ev.SETTINGS_CHANGED, {"theme": "contrast"})
    app, _ = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "learner"))
        assert app.theme == "tutor-normal"
        await press(pilot, "2")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        assert app.theme == "tutor-contrast"


HONEY_BEST = ["1", "1", "1"]
"""The honey drill's best path with its own seed: apologise and show proof, every time."""


async def test_a_drill_from_home_by_keys_to_its_debrief_try_again_and_home():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, fakes = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await until(pilot, lambda: len(app.screen.query(ChoiceBlock)) == 4)
        assert app.screen.query(ChoiceBlock)[3].label == ZH("home.drills")
        await press(pilot, "4")
        await until(pilot, on_screen(app, "MenuScreen", "drills"))
        assert len(app.screen.query(ChoiceBlock)) == 4 and text_of(app, "more")  # two pages
        await press(pilot, "b")  # back home, nothing started
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "4")
        await until(pilot, on_screen(app, "MenuScreen", "drills"))
        await press(pilot, "1")
        await until(pilot, on_screen(app, "DrillScreen", "drill"))
        gauges = app.screen.query(Gauge)
        assert [g.reading[:2] for g in gauges][:2] == [("在线人数", 800), ("信任", 50)]
        await press(pilot, "space")  # five choices: the fifth is on the next page
        assert [b.key for b in app.screen.query(ChoiceBlock)] == ["5"]
        assert app.screen.prompt.kind == "drill" and not events_of(learner, ev.DRILL_FINISHED)
        await press(pilot, "question_mark")  # how many are watching? said and shown
        await until(pilot, lambda: "在线人数800" in text_of(app, "said"))
        await press(pilot, "h", "1", "b")  # help, a move, and the move taken back
        await until(pilot, lambda: ZH("session.went_back") in text_of(app, "said"))
        await press(pilot, *HONEY_BEST)
        await until(pilot, on_screen(app, "DrillScreen", "debrief"))
        assert ZH("drill.debrief") in text_of(app, "body")
        assert [b.key for b in app.screen.query(ChoiceBlock)] == ["1", "2", "3"]
        assert ZH("drill.debrief") in fakes.said("zh")
        await press(pilot, "1")  # the same story again
        await until(pilot, on_screen(app, "DrillScreen", "drill"))
        await press(pilot, *HONEY_BEST)
        await until(pilot, on_screen(app, "DrillScreen", "debrief"))
        await press(pilot, "3")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
    first, second = [e["data"] for e in events_of(learner, ev.DRILL_FINISHED)]
    assert first["path"] == second["path"] == HONEY_BEST and first["seed"] == second["seed"]
    from tutor.content.scene import total, walk

    honey = ctx.packs["starter"].drills["quality-honey"]
    assert first["drill"] == "quality-honey"
    assert first["score"] == max(total(scene) for scene in walk(honey, first["seed"]))
    assert set(first["scores"]) == {"honesty", "calm", "rules", "care"}
    [helped] = events_of(learner, ev.HELP_REQUESTED)
    asked = helped["data"]
    assert (asked["pack"], asked["lesson"], asked["step"]) == ("starter", "quality-honey", 0)
    assert "糖水兑的" in asked["prompt"]  # the mentor sees the moment the learner was in


async def test_the_app_logs_a_drill_exactly_as_tutor_drill_run_does(tmp_path, monkeypatch):
    from conftest import run_tutor

    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    app, _ = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "4")
        await until(pilot, on_screen(app, "MenuScreen", "drills"))
        await press(pilot, "1")
        await until(pilot, on_screen(app, "DrillScreen", "drill"))
        await press(pilot, "h", "2", "b", *HONEY_BEST)
        await until(pilot, on_screen(app, "DrillScreen", "debrief"))
        await press(pilot, "3")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
    in_app = [(e["type"], e["data"]) for e in events_of(learner)][2:]  # after the enrolment

    cli_home = tmp_path / "cli-home"
    monkeypatch.setenv("TUTOR_HOME", str(cli_home))
    cli_learner = enrol(LearnerContext(), "王大姐", "zh", "zh")
    # Typed at the command line, the commands are words (letters are keys only in the app);
    # the typed "help" is asked back, as a spoken one would be.
    help_words, yes = ZH("session.intent.help"), ZH("session.intent.yes")
    typed = [help_words, yes, "2", ZH("session.intent.back"), *HONEY_BEST, "3"]
    keys = "\n".join(typed) + "\n"
    result = run_tutor(
        "drill", "run", "starter/quality-honey", "--voice", "zh", stdin=keys,
        env={"TUTOR_HOME": str(cli_home)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    from_cli = [(e["type"], e["data"]) for e in events_of(cli_learner)][2:]
    assert [kind for kind, _ in in_app] == [kind for kind, _ in from_cli]
    assert [kind for kind, _ in in_app] == [ev.HELP_REQUESTED, ev.DRILL_FINISHED]
    # The same request, about the same moment (not the "did you mean help?" asked back on
    # the command line; only what was heard differs: a key here, words there), and the same
    # run: path, seed, scores, the numbers at the end.
    where = ("pack", "lesson", "step", "prompt")
    assert [in_app[0][1][k] for k in where] == [from_cli[0][1][k] for k in where]
    assert in_app[1][1] == from_cli[1][1]


async def test_a_drill_by_voice_from_the_home_screen():
    ctx = LearnerContext()
    learner = enrol(ctx, "王大姐", "zh", "zh")
    script = ["练一练", "第一个", "现在多少人在看", "第一个", "第一个", "第一个", "不练了"]
    app, fakes = make_app(ctx, voice_script=script)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not fakes.voice.texts and on_screen(app, "MenuScreen")())
        await until(pilot, lambda: not app.by_voice)
        assert app.screen.prompt.kind == "home"
    status = [line for line in fakes.said("zh") if line.startswith("现在：")]
    assert status and "在线人数800" in status[0]
    [finished] = [e["data"] for e in events_of(learner, ev.DRILL_FINISHED)]
    assert finished["path"] == HONEY_BEST


async def test_a_lesson_finished_a_month_ago_is_offered_for_review_and_replays_as_review():
    ctx = LearnerContext()
    month_ago = datetime.now(UTC) - timedelta(days=30)
    at = [timestamp(month_ago + timedelta(seconds=s)) for s in range(5)]
    learner = str(uuid.uuid4())
    lesson = {"pack": "starter", "lesson": "photos"}
    ctx.log.append(
        learner, ev.LEARNER_ENROLLED, {"name": "A", "village": "", "language": "zh"}, at[0]
    )
    ctx.log.append(learner, ev.SETTINGS_CHANGED, {"voice": "zh"}, at[1])
    ctx.log.append(learner, ev.LESSON_STARTED, {**lesson, "step": 0, "mode": "learn"}, at[2])
    ctx.log.append(learner, ev.LESSON_COMPLETED, lesson, at[3])
    app, _ = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        labels = [block.label for block in app.screen.query(ChoiceBlock)]
        assert ZH("menu.review", title="用手机拍好农产品") in labels
        await press(pilot, str(labels.index(ZH("menu.review", title="用手机拍好农产品")) + 1))
        await until(pilot, on_screen(app, "LessonScreen", "say"))
    [started] = events_of(learner, ev.LESSON_STARTED)[-1:]
    assert started["data"]["mode"] == "review" and started["data"]["lesson"] == "photos"


async def test_a_lesson_finished_today_is_not_offered_for_review():
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, on_screen(app, "LanguageScreen"))
        await press(pilot, LANGUAGE_KEYS["zh"])
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        await press(pilot, "1")
        await until(pilot, on_screen(app, "LessonScreen", "say"))
        await press(pilot, *PHOTOS_BY_KEYS)
        await until(pilot, on_screen(app, "LessonScreen", "summary"))
        await press(pilot, "space")
        await until(pilot, on_screen(app, "MenuScreen", "home"))
        labels = [block.label for block in app.screen.query(ChoiceBlock)]
        assert not any(label.startswith(ZH("menu.review", title="")) for label in labels)
