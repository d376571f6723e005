"""Drive the real lesson runner with typed or spoken-as-text answers, as a front end does."""

from functools import lru_cache

from understand_helpers import understander

from tutor.content.packs import read_pack
from tutor.content.paths import lessons_dir
from tutor.content.strings import load_catalog
from tutor.session.runner import LessonRunner
from tutor.session.turns import Turn

VOICE_OF = {"zh": "zh", "ko": "ko-yanbian", "ug": "ug"}


@lru_cache(maxsize=1)
def starter():
    pack, problems = read_pack(lessons_dir() / "starter", {})
    assert pack is not None, problems
    return pack


def runner(lesson: str = "photos", language: str = "zh", start_step: int = 0) -> LessonRunner:
    pack = starter()
    text = load_catalog(language).text
    return LessonRunner(pack.lessons[lesson], pack.manifest.id, language, text, start_step)


def answer(run: LessonRunner, turn: Turn, said: str, via: str = "voice") -> Turn:
    """Understand `said` against what `turn` asked, and give the decision to the runner."""
    decision = understander(VOICE_OF[run.language]).understand(said, turn.prompt.expect)
    return run.hear(decision, said=said, via=via, seconds=1.5)
