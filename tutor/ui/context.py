"""Everything a front end needs to run lessons, loaded once: the wiring, not the logic.

The large-print app and the voice-only mode both start here, so they teach the same course,
write the same log and hear and speak the same way. Slow parts (the speech model, the
speech engine) start only when asked for, and the model loads in the background.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tutor.content.packs import Pack
from tutor.content.paths import voices_dir
from tutor.content.strings import Catalog, load_catalog
from tutor.content.voices import VoiceProfile, load_profiles
from tutor.progress import events as ev
from tutor.progress.course import Course, course_from_packs, usable_packs
from tutor.progress.identity import device_identity
from tutor.progress.model import LearnerState, Progress
from tutor.progress.snapshot import load_progress
from tutor.progress.store import EventLog, open_log
from tutor.session.menus import VoiceChoice
from tutor.session.runner import LessonRunner
from tutor.ui.journal import Journal
from tutor.understand.engine import Understander

if TYPE_CHECKING:  # the scene machinery loads when a drill opens
    from tutor.session.drill import DrillRunner

Notify = Callable[[str], None]


@dataclass
class LearnerContext:
    lessons_root: Path | None = None
    _catalogs: dict[str, Catalog] = field(default_factory=dict)
    _understanders: dict[str, Understander] = field(default_factory=dict)
    _log: EventLog | None = None

    # Content --------------------------------------------------------------------------

    @cached_property
    def profiles(self) -> dict[str, VoiceProfile]:
        return load_profiles(voices_dir())[0]

    @cached_property
    def packs(self) -> dict[str, Pack]:
        return {pack.manifest.id: pack for pack in usable_packs(self.lessons_root)}

    @cached_property
    def course(self) -> Course:
        return course_from_packs(list(self.packs.values()))

    def catalog(self, language: str) -> Catalog:
        if language not in self._catalogs:
            self._catalogs[language] = load_catalog(language)
        return self._catalogs[language]

    def voice_choices(self) -> list[VoiceChoice]:
        """The profiles a learner can pick on first run, base languages first."""
        ordered = sorted(self.profiles.values(), key=lambda p: (len(p.chain), p.id))
        return [VoiceChoice(p.id, p.language, p.name) for p in ordered]

    def runner(
        self, lesson_key: str, language: str, step: int = 0, mode: str = "learn"
    ) -> LessonRunner:
        pack_id, lesson_id = lesson_key.split("/", 1)
        lesson = self.packs[pack_id].lessons[lesson_id]
        return LessonRunner(lesson, pack_id, language, self.catalog(language).text, step, mode)

    def lesson_to_review(self, learner: str) -> str | None:
        """The lesson whose skill is fading most, for the home screen's "review". The
        scheduler loads here, at the home screen, not at start-up."""
        from tutor.progress.review import lesson_to_review

        return lesson_to_review(self.learner(learner), self.course, datetime.now(UTC))

    def drill_runner(self, drill_key: str, language: str, seed: int | None = None) -> "DrillRunner":
        """A `DrillRunner` for `pack/drill`. The scene machinery loads here, when a learner
        opens a drill, never at start-up."""
        from tutor.session.drill import DrillRunner

        pack_id, drill_id = drill_key.split("/", 1)
        drill = self.packs[pack_id].drills[drill_id]
        return DrillRunner(drill, pack_id, language, self.catalog(language).text, seed)

    # Progress -------------------------------------------------------------------------

    def progress(self) -> Progress:
        return load_progress()

    def learners(self) -> list[tuple[str, str]]:
        """(id, name) of everyone who may learn on this device, oldest enrolment first."""
        progress = self.progress()
        states = [s for s in progress.learners.values() if not s.erased and s.enrolled_at]
        states = [s for s in states if progress.resolve(s.id) == s.id]
        states.sort(key=lambda s: s.enrolled_at or "")
        return [(s.id, str(s.personal("name") or s.id[:8])) for s in states]

    def learner(self, learner: str) -> LearnerState | None:
        return self.progress().learner(learner)

    @property
    def log(self) -> EventLog:
        if self._log is None:
            self._log = open_log(device_identity().id)
        return self._log

    def enrol(self, name: str, language: str, voice: str) -> str:
        """A learner for a device's first run; a mentor renames them later."""
        learner = str(uuid.uuid4())
        self.log.append(
            learner, ev.LEARNER_ENROLLED, {"name": name, "village": "", "language": language}
        )
        self.log.append(learner, ev.SETTINGS_CHANGED, {"voice": voice})
        return learner

    def journal(self, learner: str) -> Journal:
        return Journal(self.log, learner)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    # Hearing and speaking -------------------------------------------------------------

    def understander(self, voice: str) -> Understander:
        if voice not in self._understanders:
            from tutor.commands.understand import lexicon_of, load_subwords
            from tutor.speech.readings import prime_for

            prime_for(self.profiles[voice].language)  # the course's pinyin, not pypinyin's
            lexicon = lexicon_of(self.profiles[voice])
            self._understanders[voice] = Understander(lexicon, load_subwords())
        return self._understanders[voice]

    def listener(self, voice: str, keys: TextIO, notify: Notify, wav_inputs: list[Path]):
        """Voice when a model and a microphone exist (or WAV files stand in for the
        microphone), the keyboard otherwise, said once."""
        from tutor.speech.available import FallbackListener, open_listener
        from tutor.speech.capture import MicrophoneUnavailable
        from tutor.speech.listener import KeyboardListener

        profile, catalog = self.profiles[voice], self.catalog(self.profiles[voice].language)
        if not wav_inputs:
            return open_listener(profile, self.understander(voice), catalog, keys, notify)
        from tutor.speech.files import WavQueueListener

        keyboard = KeyboardListener(keys)
        try:
            played = WavQueueListener(profile, self.understander(voice), wav_inputs)
        except MicrophoneUnavailable:
            notify(catalog.text("voice.no_model"))
            return FallbackListener(None, keyboard, notify, "")
        return FallbackListener(played, keyboard, notify, catalog.text("voice.microphone_lost"))

    def speaker(self, voice: str, show: Notify):
        from tutor.speech.speaker import TtsSpeaker

        profile = self.profiles[voice]
        return TtsSpeaker(profile, self.catalog(profile.language), show=show)
