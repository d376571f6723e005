"""The shapes of help across the room and of the live session view, for the OpenAPI spec.

Closed and bounded like the rest of the hub's models (models.py): a learner device sends what
the learner was doing and what they said, a mentor's console answers with a hint or "coming
over", and every device says now and then which step its learner is on.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tutor.hub.models import BIG, UUID

AT = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
LESSON = r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$"
_SHORT = 200
_TEXT = 2_000
_HINT = 500

Id = Annotated[str, Field(pattern=UUID)]
Short = Annotated[str, Field(max_length=_SHORT)]
Text = Annotated[str, Field(max_length=_TEXT)]
Step = Annotated[int, Field(ge=0, le=BIG)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class HelpRaise(_Closed):
    """A learner asked for help: the id is the help_requested event's own id in the log."""

    id: Id
    learner: Id
    at: str = Field(pattern=AT)
    name: Short | None = None
    pack: Short | None = None
    lesson: Short | None = None
    step: Step | None = None
    prompt: Text | None = Field(default=None, description="what the learner was shown")
    heard: Text | None = Field(default=None, description="what the learner said")


class HelpReply(_Closed):
    """The mentor's answer: a hint the device speaks aloud, or "coming over" (or both)."""

    hint: Annotated[str, Field(min_length=1, max_length=_HINT)] | None = None
    coming: bool = False


class HelpState(BaseModel):
    id: str
    device: str
    village: str | None
    learner: str
    name: str | None = Field(description="shown to the village's mentor only")
    at: str
    pack: str | None
    lesson: str | None
    step: int | None
    prompt: str | None
    heard: str | None
    live: bool = Field(description="came over the LAN at once (false: with a later sync)")
    answered_at: str | None
    hint: str | None
    coming: bool


class HelpList(BaseModel):
    calls: list[HelpState]


class Here(_Closed):
    """Where a device's learner is now (sent when a new prompt is shown, and every few s)."""

    learner: Id
    name: Short | None = None
    pack: Short | None = None
    lesson: Short | None = None
    step: Step | None = None
    steps: Step | None = None
    prompt: Text | None = None


class StartOrder(_Closed):
    """Start this lesson for this learner on this device when it is next at its home screen."""

    device: Id
    learner: Id
    lesson: str = Field(pattern=LESSON)


class HereAnswer(BaseModel):
    start: StartOrder | None = None


class HereInfo(BaseModel):
    device: str
    village: str | None
    learner: str
    name: str | None
    pack: str | None
    lesson: str | None
    step: int | None
    steps: int | None
    prompt: str | None
    at: str
    seconds_ago: float


class SessionList(BaseModel):
    learners: list[HereInfo]
