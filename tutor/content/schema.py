"""The lesson-pack format, as pydantic models.

pydantic does the structural half of `tutor lessons check` (required keys, types, unknown keys,
closed vocabularies) and reports every error with its location, which `errors.py` turns into
`step[3].choice[2].text` paths. The semantic half (references, duplicates, collisions,
translations) lives in `packs.py`. TOML array-of-tables names are singular (`[[step]]`,
`[[step.choice]]`) so the key paths read the way the file is written.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from tutor.content.languages import Language, ReviewStatus

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
LangText = dict[Language, NonEmptyText]
LangWords = dict[Language, list[NonEmptyText]]
Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
ChoiceKey = Annotated[str, StringConstraints(pattern=r"^[1-9]$")]


class Strict(BaseModel):
    """Unknown keys are errors (they are nearly always typos) and nothing is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Skill(Strict):
    id: Id
    name: LangText
    description: LangText | None = None


class PackManifest(Strict):
    id: Id
    version: Version
    order: Annotated[int, Field(ge=0, le=1000)] = 100
    """Where the pack's lessons come on the learner's home screen, lowest first."""
    languages: Annotated[list[Language], Field(min_length=1)]
    title: LangText
    description: LangText | None = None
    review: dict[Language, ReviewStatus]
    lessons: Annotated[list[Id], Field(min_length=1)]
    drills: list[Id] = []
    skill: Annotated[list[Skill], Field(min_length=1)]


class Choice(Strict):
    key: ChoiceKey
    text: LangText
    correct: bool = False
    feedback: LangText | None = None
    aliases: LangWords = {}


class SayStep(Strict):
    kind: Literal["say"]
    id: Id | None = None
    text: LangText


class ChooseStep(Strict):
    kind: Literal["choose"]
    id: Id | None = None
    text: LangText
    graded: bool = True
    hint: LangText | None = None
    choice: Annotated[list[Choice], Field(min_length=2, max_length=6)]


class PracticeStep(Strict):
    """A free answer, checked by keyword groups: each group is one idea and its synonyms."""

    kind: Literal["practice"]
    id: Id | None = None
    text: LangText
    keywords: Annotated[
        dict[Language, list[Annotated[list[NonEmptyText], Field(min_length=1)]]],
        Field(min_length=1),
    ]
    need: Annotated[int, Field(ge=1)] = 1
    good: LangText
    missing: LangText
    example: LangText


class RecapStep(Strict):
    kind: Literal["recap"]
    id: Id | None = None
    text: LangText
    point: Annotated[list[LangText], Field(min_length=1)]


Step = Annotated[SayStep | ChooseStep | PracticeStep | RecapStep, Field(discriminator="kind")]
STEP_KINDS = ("say", "choose", "practice", "recap")


class Lesson(Strict):
    kind: Literal["lesson"]
    id: Id
    title: LangText
    summary: LangText | None = None
    skills: Annotated[list[Id], Field(min_length=1)]
    minutes: Annotated[int, Field(ge=1, le=60)] | None = None
    step: Annotated[list[Step], Field(min_length=1)]


StateName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,31}$")]
Effects = dict[StateName, int]


class StateVar(Strict):
    """A number the scene keeps (viewers, trust, sales, compliance, stress) and its range."""

    name: StateName
    label: LangText
    min: int
    max: int
    start: int
    unit: LangText | None = None


class Dimension(Strict):
    """One line of the rubric: what a good seller does, scored along the learner's path."""

    id: Id
    name: LangText
    good: LangText


class DrillChoice(Strict):
    key: ChoiceKey
    text: LangText
    next: Id
    feedback: LangText
    effects: Effects = {}
    score: dict[Id, int] = {}
    aliases: LangWords = {}


Seconds = Annotated[int, Field(ge=1, le=120)]


class Hesitation(Strict):
    """What waiting too long costs when the learner asked for timed pressure: a live stream
    does not wait for the seller. `why` is said when the time runs out, and again in the
    debrief."""

    effects: Annotated[Effects, Field(min_length=1)]
    why: LangText


class DrillNode(Strict):
    id: Id
    narration: LangText
    comment: LangText | None = None
    end: bool = False
    seconds: Seconds | None = None
    """This moment's time limit in timed mode, instead of the drill's."""
    hesitate: Hesitation | None = None
    """What waiting costs here, instead of the drill's."""
    choice: Annotated[list[DrillChoice], Field(max_length=6)] = []


class DrillEvent(Strict):
    """Something that may happen on arriving at a node, drawn from the run's seed."""

    id: Id
    chance: Annotated[float, Field(gt=0.0, le=1.0)]
    at: list[Id] = []
    narration: LangText
    comment: LangText | None = None
    effects: Effects = {}


class Ending(Strict):
    """When a state crosses a line (viewers below 50), the scene jumps to an end node."""

    state: StateName
    below: int | None = None
    above: int | None = None
    node: Id


class Drill(Strict):
    """A live-stream scene: nodes linked by choices, state that moves, and a rubric."""

    kind: Literal["drill"]
    id: Id
    title: LangText
    summary: LangText | None = None
    skills: Annotated[list[Id], Field(min_length=1)]
    variant: LangText | None = None
    seed: int = 1
    start: Id
    seconds: Seconds = 30
    """The time limit at each moment in timed mode (off unless the learner asks for it)."""
    hesitate: Hesitation | None = None
    """What waiting too long costs at a moment without its own; no timed moments without it."""
    state: Annotated[list[StateVar], Field(min_length=1)]
    rubric: Annotated[list[Dimension], Field(min_length=1)]
    node: Annotated[list[DrillNode], Field(min_length=2)]
    event: list[DrillEvent] = []
    ending: list[Ending] = []


PackItem = Annotated[Lesson | Drill, Field(discriminator="kind")]
PACK_ITEM = TypeAdapter(PackItem)
