"""Every shipped lesson plays start to finish in the voice-only runner, in every language.

The learner is scripted from the lesson itself: the profile's first word for "next" on
say and recap steps, the correct choice's number, and a practice answer made of the first
keyword of each idea. Answers are typed (the keyboard path); the speaker is the silent one
at the hardware edge. Each run must end with the lesson completed in the log.
"""

import io

import pytest
from session_helpers import VOICE_OF

from tutor.content.schema import ChooseStep, PracticeStep
from tutor.speech.speaker import SilentSpeaker
from tutor.ui.context import LearnerContext
from tutor.ui.voice_only import VoiceOnly, play

CTX = LearnerContext()
LESSONS = list(CTX.course.lessons)


def script(lesson, language: str, next_word: str) -> str:
    answers = []
    for step in lesson.step:
        if isinstance(step, ChooseStep):
            right = next((c for c in step.choice if c.correct), step.choice[0])
            answers.append(right.key)
        elif isinstance(step, PracticeStep):
            groups = step.keywords.get(language) or step.keywords["zh"]
            answers.append(" ".join(group[0] for group in groups))
        else:
            answers.append(next_word)
    return "\n".join(answers) + "\n"


@pytest.mark.parametrize("language", ["zh", "ko", "ug"])
@pytest.mark.parametrize("key", LESSONS)
def test_the_lesson_plays_to_the_end_by_scripted_answers(tmp_path, monkeypatch, key, language):
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    ctx = LearnerContext()
    voice = VOICE_OF[language]
    profile = ctx.profiles[voice]
    pack_id, lesson_id = key.split("/")
    lesson = ctx.packs[pack_id].lessons[lesson_id]
    keys = io.StringIO(script(lesson, language, profile.intents["next"][0]))
    shown: list[str] = []
    tutor = VoiceOnly(ctx, voice, keys, shown.append, [], speaker=SilentSpeaker(profile))
    learner = ctx.enrol("test", language, voice)
    outcome = play(ctx, tutor, learner, ctx.runner(key, language), ctx.journal(learner))
    ctx.close()
    assert outcome == "done", shown
    state = LearnerContext().learner(learner)
    assert state is not None and state.lessons[key].runs[-1].completed
