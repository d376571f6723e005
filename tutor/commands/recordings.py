"""`tutor voices record PACK` and `tutor voices coverage PACK`: fill a recorded voice pack.

A mentor records a neighbour sentence by sentence (hear it back, redo, skip), or imports WAV
files recorded elsewhere, and sees what is still missing. The format is in voices/README.md.
"""

import contextlib
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from tutor.content.strings import Catalog
from tutor.speech.capture import DeviceMicrophone, Microphone, MicrophoneUnavailable
from tutor.speech.playback import DevicePlayback, Playback, PlaybackUnavailable
from tutor.speech.recordings import (
    VoicePack,
    VoicePackError,
    check_recording,
    coverage,
    import_folder,
    open_voice_pack,
)
from tutor.speech.spoken import all_strings

Ask = Callable[[str], str]


def _fail(catalog: Catalog, key: str, **values: object) -> int:
    print(catalog.text(key, **values), file=sys.stderr)
    return 1


def _open(name: str, catalog: Catalog) -> VoicePack | int:
    try:
        return open_voice_pack(name)
    except VoicePackError as err:
        return _fail(catalog, "recordings.pack_error", reason=err)


def run_coverage(name: str, catalog: Catalog) -> int:
    """One line per sentence still to record (id and text), then a count; always exit 0."""
    pack = _open(name, catalog)
    if isinstance(pack, int):
        return pack
    texts = all_strings(pack.language)
    found = coverage(pack, texts)
    for string_id in found.missing:
        print(f"{string_id}\t{texts[string_id]}")
    for string_id in found.stale:
        print(f"{string_id}\t{texts[string_id]}\t({catalog.text('recordings.stale')})")
    summary = catalog.text(
        "recordings.coverage",
        done=len(found.done),
        total=found.total,
        percent=found.percent,
        missing=len(found.missing),
        stale=len(found.stale),
    )
    print(summary, file=sys.stderr)
    return 0


def run_record(
    name: str,
    import_dir: Path | None,
    catalog: Catalog,
    microphone: Microphone | None = None,
    playback: Playback | None = None,
    ask: Ask = input,
) -> int:
    """Record with the microphone, or import `import_dir`; exit 1 when nothing could be done."""
    pack = _open(name, catalog)
    if isinstance(pack, int):
        return pack
    if not pack.manifest.consent:
        return _fail(catalog, "recordings.no_consent")
    texts = all_strings(pack.language)
    if import_dir is not None:
        if not import_dir.is_dir():
            return _fail(catalog, "check.not_found")
        count, problems = import_folder(pack, import_dir, texts)
        for line in problems:
            print(line)
        print(catalog.text("recordings.imported", count=count, problems=len(problems)))
        return 1 if problems else 0
    microphone = microphone or DeviceMicrophone()
    try:
        microphone.open()
    except MicrophoneUnavailable:
        return _fail(catalog, "recordings.no_microphone")
    todo = {i: t for i, t in texts.items() if pack.find(i, t) is None}
    count = _session(pack, todo, catalog, microphone, playback or DevicePlayback(), ask)
    print(catalog.text("recordings.session_done", count=count))
    return 0


def _session(
    pack: VoicePack,
    todo: dict[str, str],
    catalog: Catalog,
    microphone: Microphone,
    playback: Playback,
    ask: Ask,
) -> int:
    """Sentence by sentence: record, hear it back, keep, redo or skip; q ends. Returns kept."""
    kept = 0
    with tempfile.TemporaryDirectory() as folder:
        take = Path(folder) / "take.wav"
        for index, (string_id, text) in enumerate(todo.items(), 1):
            print(catalog.text("recordings.sentence", index=index, total=len(todo), id=string_id))
            print(text)
            outcome = _record_one(take, catalog, microphone, playback, ask)
            if outcome == "q":
                break
            if outcome == "keep":
                pack.save(string_id, text, take)
                print(catalog.text("recordings.saved"))
                kept += 1
    return kept


def _record_one(
    take: Path, catalog: Catalog, microphone: Microphone, playback: Playback, ask: Ask
) -> str:
    """'keep', 's' (skip) or 'q' (quit) for one sentence, after as many redos as wanted."""
    while True:
        choice = _choice(ask, catalog.text("recordings.start"))
        if choice in ("s", "q"):
            return choice
        microphone.start()
        _choice(ask, catalog.text("recordings.stop"))
        microphone.stop(take)
        problem = check_recording(take)
        if problem is not None:
            print(catalog.text("recordings.unusable", reason=problem))
            continue
        # A microphone without speakers: the mentor keeps the take unheard.
        with contextlib.suppress(PlaybackUnavailable):
            playback.play(take, threading.Event())
        choice = _choice(ask, catalog.text("recordings.review"))
        if choice in ("s", "q"):
            return choice
        if choice != "r":
            return "keep"


def _choice(ask: Ask, prompt: str) -> str:
    """The mentor's answer, lower-cased; the end of input counts as 'q'."""
    try:
        return ask(prompt + " ").strip().lower()
    except EOFError:
        return "q"
