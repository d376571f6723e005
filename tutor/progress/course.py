"""What the learner model needs to know about the lessons: titles, skills, graded steps.

Events name lessons by pack and id; the model keeps raw records by those names and only
meets the lesson packs here, when a question (mastery, what to review, what to say) needs
them. A lesson or skill that a later pack version dropped keeps its records; it is simply
not reported on.
"""

from dataclasses import dataclass, field
from pathlib import Path

from tutor.content.languages import FALLBACK_LANGUAGE
from tutor.content.packs import Pack, find_packs, newest_packs, read_pack
from tutor.content.paths import pack_search_path
from tutor.content.problems import has_errors
from tutor.content.schema import ChooseStep, PracticeStep

Titles = dict[str, str]


@dataclass(frozen=True)
class LessonInfo:
    key: str
    title: Titles
    skills: tuple[str, ...]
    steps: int
    graded: tuple[int, ...]


@dataclass(frozen=True)
class Course:
    """Lessons in teaching order, keyed `pack/lesson`; skills and drills keyed `pack/id`."""

    lessons: dict[str, LessonInfo] = field(default_factory=dict)
    skills: dict[str, Titles] = field(default_factory=dict)
    drills: dict[str, Titles] = field(default_factory=dict)
    drill_skills: dict[str, tuple[str, ...]] = field(default_factory=dict)
    packs: dict[str, Titles] = field(default_factory=dict)

    def lessons_of_skill(self, skill: str) -> list[str]:
        return [key for key, info in self.lessons.items() if skill in info.skills]

    def drills_of_skill(self, skill: str) -> list[str]:
        return [key for key, skills in self.drill_skills.items() if skill in skills]


def title(titles: Titles | None, language: str, fallback: str) -> str:
    """The title in `language`, else in Mandarin, else the id it belongs to."""
    if not titles:
        return fallback
    return titles.get(language) or titles.get(FALLBACK_LANGUAGE) or fallback


def course_from_packs(packs: list[Pack]) -> Course:
    course = Course()
    for pack in packs:
        pack_id = pack.manifest.id
        course.packs[pack_id] = dict(pack.manifest.title)
        for skill in pack.manifest.skill:
            course.skills[f"{pack_id}/{skill.id}"] = dict(skill.name)
        for lesson_id in pack.manifest.lessons:
            lesson = pack.lessons.get(lesson_id)
            if lesson is None:
                continue
            graded = tuple(
                i
                for i, step in enumerate(lesson.step)
                if isinstance(step, PracticeStep) or (isinstance(step, ChooseStep) and step.graded)
            )
            course.lessons[f"{pack_id}/{lesson_id}"] = LessonInfo(
                key=f"{pack_id}/{lesson_id}",
                title=dict(lesson.title),
                skills=tuple(f"{pack_id}/{skill}" for skill in lesson.skills),
                steps=len(lesson.step),
                graded=graded,
            )
        for drill_id in pack.manifest.drills:
            drill = pack.drills.get(drill_id)
            if drill is not None:
                course.drills[f"{pack_id}/{drill_id}"] = dict(drill.title)
                course.drill_skills[f"{pack_id}/{drill_id}"] = tuple(
                    f"{pack_id}/{skill}" for skill in drill.skills
                )
    return course


def usable_packs(root: Path | None = None) -> list[Pack]:
    """The packs under `root` that load without errors; by default the shipped lessons and
    those a village bundle installed, each pack in its newest version."""
    packs = []
    for pack_root in find_packs(root) if root else newest_packs(pack_search_path()):
        pack, problems = read_pack(pack_root, {})
        if pack is not None and not has_errors(problems):
            packs.append(pack)
    return sorted(packs, key=lambda pack: (pack.manifest.order, pack.manifest.id))


def load_course(root: Path | None = None) -> Course:
    return course_from_packs(usable_packs(root))
