"""`tutor listen`, `tutor voices models` and `tutor voices install`: speech input wiring."""

import json
import sys
from pathlib import Path

from tutor.commands.understand import lexicon_of, load_subwords
from tutor.content.paths import voices_dir
from tutor.content.strings import Catalog
from tutor.content.voices import load_profiles


def _fail(catalog: Catalog, key: str, **values: object) -> int:
    print(catalog.text(key, **values), file=sys.stderr)
    return 1


def run_listen(
    voice: str, wav: Path | None, expect: Path | None, use_mic: bool, catalog: Catalog
) -> int:
    """One recognized answer as the JSON of `tutor understand`, plus what was heard."""
    from tutor.speech.audio_in import AudioProblem
    from tutor.speech.capture import MicrophoneUnavailable
    from tutor.speech.hearing import decide
    from tutor.speech.mic import DeviceSource, MicrophoneListener, WavListener
    from tutor.speech.models import find_model
    from tutor.speech.vosk_engine import ModelNotReady, VoskEngine
    from tutor.understand.engine import Understander
    from tutor.understand.expectation import Expectation

    profiles, _ = load_profiles(voices_dir())
    if voice not in profiles:
        return _fail(catalog, "listen.unknown_voice", voice=voice)
    profile = profiles[voice]
    try:
        raw = json.loads(expect.read_text(encoding="utf-8")) if expect else {}
        expectation = Expectation.from_json(raw, profile.language)
    except (OSError, ValueError, RecursionError) as err:
        return _fail(catalog, "listen.bad_expect", path=expect, reason=type(err).__name__)
    model = find_model(profile.asr_model, profile.language)
    if model is None:
        return _fail(catalog, "listen.no_model", voice=voice)
    engine = VoskEngine(model.path)
    understander = Understander(lexicon_of(profile), load_subwords())
    try:
        if use_mic:
            listener = MicrophoneListener(engine, understander, DeviceSource())
        else:
            listener = WavListener(engine, understander, wav)
        heard = listener.listen(expectation)
    except AudioProblem as err:
        return _fail(catalog, err.key, **err.values)
    except MicrophoneUnavailable:
        return _fail(catalog, "listen.no_microphone")
    except ModelNotReady:
        return _fail(catalog, "models.damaged", path=model.path)
    if heard is None:
        return _fail(catalog, "listen.nothing_heard")
    decision = decide(heard, expectation, understander)
    out = {
        **decision.to_json(),
        "heard": heard.text,
        "free": heard.free_text,
        "confidence": round(heard.confidence, 3),
    }
    print(json.dumps(out, ensure_ascii=False))
    return 0


def run_models(catalog: Catalog) -> int:
    from tutor.speech.models import find_model, installed_models, models_dir

    profiles, _ = load_profiles(voices_dir())
    models = installed_models()
    if not models:
        print(catalog.text("models.none", folder=models_dir()))
        return 0
    for model in models:
        users = [
            p.id
            for p in profiles.values()
            if (found := find_model(p.asr_model, p.language)) and found.path == model.path
        ]
        print(
            f"{model.name}  {model.path}  ({catalog.text('models.source_' + model.source)})"
            + (f"  {', '.join(users)}" if users else "")
        )
    return 0


def run_install(source: Path, catalog: Catalog) -> int:
    from tutor.speech.models import ModelProblem, install

    print(catalog.text("models.checking", path=source), file=sys.stderr)
    try:
        model = install(source)
    except ModelProblem as err:
        return _fail(catalog, err.key, **err.values)
    print(catalog.text("models.installed", name=model.name, path=model.path))
    return 0
