"""Drive the learner app in Textual's headless Pilot, with fakes only at the hardware edge.

Speakers keep what they were given (`RecordingSpeaker`); voice comes from a script that
"unplugs the microphone" when it runs out, as a recording queue does; everything between
(menus, runner, understanding, the log) is the real thing on a temporary TUTOR_HOME.
"""

import io
import time
from collections import deque
from collections.abc import Callable, Iterable

from textual.pilot import Pilot

from tutor.progress.home import LOG_SUFFIX, logs_dir
from tutor.progress.snapshot import load_progress
from tutor.progress.store import read_events
from tutor.speech.available import FallbackListener
from tutor.speech.capture import MicrophoneUnavailable
from tutor.speech.listener import Heard, KeyboardListener, PartialCallback
from tutor.speech.speaker import RecordingSpeaker
from tutor.ui.app import TutorApp
from tutor.ui.context import LearnerContext
from tutor.understand.expectation import Expectation

# The starter "photos" lesson: say, choose, say, say, practice, recap; then the summary.
PHOTOS_BY_KEYS = ["space", "1", "space", "space", "space", "space"]


class ScriptedVoice:
    """The microphone, saying each text in turn (with a partial first), then unplugged.

    Until `ready(expectation)` it hears only silence, so a script can wait for a prompt.
    """

    def __init__(self, texts: Iterable[str], ready: Callable[[Expectation], bool] | None = None):
        self.texts = deque(texts)
        self.ready = ready or (lambda expectation: True)
        self.partials: list[tuple[str, float]] = []

    def listen(self, expectation: Expectation, on_partial: PartialCallback | None = None):
        if not self.ready(expectation):
            time.sleep(0.05)
            return None
        if not self.texts:
            raise MicrophoneUnavailable("the script is over")
        text = self.texts.popleft()
        if on_partial is not None:
            on_partial(text[:1], 0.6)
            self.partials.append((text[:1], 0.6))
        return Heard(text, source="script")


class Fakes:
    """Speakers and listeners for one app, kept so a test can look at what happened."""

    def __init__(self, ctx: LearnerContext, voice: ScriptedVoice | None = None):
        self.ctx = ctx
        self.speakers: dict[str, RecordingSpeaker] = {}
        self.voice = voice
        self.notices: list[str] = []

    def speaker(self, voice: str) -> RecordingSpeaker:
        self.speakers[voice] = RecordingSpeaker(self.ctx.profiles[voice])
        return self.speakers[voice]

    def listener(self, voice: str, notify: Callable[[str], None]):
        if self.voice is None:
            return None
        return FallbackListener(self.voice, KeyboardListener(io.StringIO()), notify, "")

    def said(self, voice: str | None = None) -> list[str]:
        voices = [voice] if voice else list(self.speakers)
        return [u.text for v in voices for u in self.speakers.get(v, RecordingSpeaker).said]


def make_app(
    ctx: LearnerContext | None = None,
    voice_script: Iterable[str] | ScriptedVoice | None = None,
    debounce: float = 0.0,
    contrast: bool = False,
    **requested: str,
) -> tuple[TutorApp, Fakes]:
    ctx = ctx or LearnerContext()
    if voice_script is not None and not isinstance(voice_script, ScriptedVoice):
        voice_script = ScriptedVoice(voice_script)
    fakes = Fakes(ctx, voice_script)
    app = TutorApp(
        ctx,
        requested.get("voice"),
        requested.get("learner"),
        requested.get("lesson"),
        speakers=fakes.speaker,
        listeners=fakes.listener,
        contrast=contrast,
        debounce=debounce,
    )
    return app, fakes


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until `condition` holds (its flow and workers are asynchronous)."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting; screen is {type(pilot.app.screen).__name__}")


def on_screen(app: TutorApp, name: str, kind: str | None = None) -> Callable[[], bool]:
    def showing() -> bool:
        screen = app.screen
        prompt = getattr(screen, "prompt", None)
        return type(screen).__name__ == name and (kind is None or (prompt and prompt.kind == kind))

    return showing


async def press(pilot: Pilot, *keys: str) -> None:
    """Keys one at a time, each handled before the next, as a person presses them."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def events_of(learner: str, kind: str | None = None) -> list[dict]:
    """The learner's events from every log on this device, in order (`kind`: one type)."""
    found = [e for log in sorted(logs_dir().glob(f"*{LOG_SUFFIX}")) for e in read_events(log)]
    found.sort(key=lambda e: (e["at"], e["seq"]))
    return [e for e in found if e["learner"] == learner and kind in (None, e["type"])]


def only_learner() -> str:
    [learner] = [s.id for s in load_progress().learners.values()]
    return learner
