"""`tutor say`: speak one sentence the way a lesson would, or write it as a WAV file.

A mentor uses it to hear a voice profile (or a neighbour's recording) before a session, and
to check that a machine can speak at all; tests use `--to` to get real audio to measure.
"""

import shutil
import sys
from pathlib import Path

from tutor.content.paths import voices_dir
from tutor.content.strings import Catalog
from tutor.content.voices import VoiceProfile, load_profiles
from tutor.speech.pronounce import speakable
from tutor.speech.recordings import VoicePack, VoicePackError, open_voice_pack
from tutor.speech.speaker import TtsSpeaker, clamp_rate
from tutor.speech.spoken import all_strings
from tutor.speech.synth import SpeechUnavailable, SynthesisFailed, Synthesizer

# Never wait longer than this for a sentence to be said: engine start-up plus speaking time.
_BASE_WAIT_SECONDS = 30.0
_WAIT_SECONDS_PER_CHARACTER = 0.5


def _fail(catalog: Catalog, key: str, **values: object) -> int:
    print(catalog.text(key, **values), file=sys.stderr)
    return 1


def default_profile(profiles: dict[str, VoiceProfile], language: str) -> str | None:
    """The profile named after the language, else the first of that language."""
    if language in profiles:
        return language
    return next((p.id for p in profiles.values() if p.language == language), None)


def run_say(
    text: str | None,
    voice: str | None,
    rate: int | None,
    to: Path | None,
    string_id: str | None,
    recordings: str | None,
    catalog: Catalog,
) -> int:
    """Say `text` (or the sentence `string_id` names) and wait; exit 1 when it was not said."""
    profiles, _ = load_profiles(voices_dir())
    profile_id = voice or default_profile(profiles, catalog.language)
    profile = profiles.get(profile_id or "")
    if profile is None:
        return _fail(catalog, "say.unknown_voice", voice=profile_id)
    if string_id and not text:
        text = all_strings(profile.language).get(string_id)
        if text is None:
            return _fail(catalog, "say.unknown_id", id=string_id)
    if not text or not text.strip():
        return _fail(catalog, "say.no_text")
    pack = None
    if recordings:
        try:
            pack = open_voice_pack(recordings)
        except VoicePackError as err:
            return _fail(catalog, "recordings.pack_error", reason=err)
        if not pack.suits(profile):
            return _fail(catalog, "recordings.wrong_pack", pack=pack.manifest.id, voice=profile.id)
    rate = clamp_rate(rate or profile.tts_rate)
    if to is not None:
        recording = pack.find(string_id, text) if pack and string_id else None
        if recording is not None:
            shutil.copyfile(recording, to)
            return 0
        return _write(text, profile, rate, to, catalog)
    return _speak(text, string_id, profile, rate, pack, catalog)


def _write(text: str, profile: VoiceProfile, rate: int, to: Path, catalog: Catalog) -> int:
    """Into a file beside `to`, renamed over it only when whole: a failed synthesis leaves
    an existing file as it was."""
    partial = to.with_name(f".{to.name}.partial.wav")
    synthesizer = Synthesizer(profile.tts_voice)
    try:
        synthesizer.synthesize(speakable(text, profile.language, profile.tts_voice), rate, partial)
        partial.replace(to)
    except (SpeechUnavailable, SynthesisFailed) as err:
        return _fail(catalog, "say.failed", reason=err)
    finally:
        synthesizer.close()
        partial.unlink(missing_ok=True)
    return 0


def _speak(
    text: str,
    string_id: str | None,
    profile: VoiceProfile,
    rate: int,
    pack: VoicePack | None,
    catalog: Catalog,
) -> int:
    speaker = TtsSpeaker(profile, catalog, voice_pack=pack)
    try:
        speaker.set_rate(rate)
        speaker.say(text, string_id)
        speaker.wait(_BASE_WAIT_SECONDS + len(text) * _WAIT_SECONDS_PER_CHARACTER)
    finally:
        speaker.close()
    return 1 if speaker.failed else 0
