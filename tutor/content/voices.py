"""Voice profiles: load every `voices/*.toml`, merge dialects onto their base, check them."""

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tutor.content.errors import field_names, validation_problems
from tutor.content.languages import INTENTS
from tutor.content.problems import Problem, Severity
from tutor.content.reading import display_path, read_toml
from tutor.content.text import fold
from tutor.content.voice_schema import Profile

_KNOWN_KEYS = field_names(Profile)
REQUIRED_NUMBERS = tuple(str(n) for n in range(1, 7))


@dataclass(frozen=True)
class VoiceProfile:
    """A profile with its `extends` chain merged in: everything a listener or speaker needs."""

    id: str
    language: str
    name: str
    name_zh: str | None
    review: str
    tts_voice: str
    tts_rate: int
    asr_model: str | None
    sounds: tuple[tuple[str, str], ...]
    fillers: tuple[str, ...]
    intents: dict[str, tuple[str, ...]]
    number_words: dict[int, tuple[str, ...]]
    number_patterns: tuple[str, ...]
    last_words: tuple[str, ...]
    chain: tuple[str, ...] = field(default=())


def load_profiles(folder: Path) -> tuple[dict[str, VoiceProfile], list[Problem]]:
    """Every valid, fully merged profile in `folder`, and every problem found on the way."""
    raw, files, problems = _read_all(folder)
    resolved: dict[str, VoiceProfile] = {}
    for pid in sorted(raw):
        chain, chain_problems = _chain(pid, raw, files)
        problems += chain_problems
        if chain_problems:
            continue
        profile, merge_problems = _merge([raw[c] for c in chain], files[pid])
        problems += merge_problems
        if profile is not None:
            resolved[pid] = profile
    return resolved, sorted(set(problems))


def _read_all(folder: Path) -> tuple[dict[str, Profile], dict[str, str], list[Problem]]:
    raw: dict[str, Profile] = {}
    files: dict[str, str] = {}
    problems: list[Problem] = []
    paths = [folder] if folder.is_file() else sorted(folder.glob("*.toml"))
    if not paths:
        problems.append(Problem(display_path(folder), "", "no voice profiles (*.toml) found"))
    for path in paths:
        name = display_path(path)
        data, read_problems = read_toml(path)
        problems += read_problems
        if data is None:
            continue
        try:
            profile = Profile.model_validate(data)
        except ValidationError as err:
            problems += validation_problems(name, err, _KNOWN_KEYS, frozenset())
            continue
        if profile.id != path.stem:
            problems.append(Problem(name, "id", f"'{profile.id}' differs from file name"))
        if profile.id in raw:
            problems.append(Problem(name, "id", f"duplicate id, also in {files[profile.id]}"))
            continue
        raw[profile.id] = profile
        files[profile.id] = name
    if folder.is_file():
        # A single file may extend profiles that sit beside it.
        siblings, sibling_files, _ = _read_all(folder.parent)
        for pid, profile in siblings.items():
            raw.setdefault(pid, profile)
            files.setdefault(pid, sibling_files[pid])
    return raw, files, problems


def _chain(pid: str, raw: dict[str, Profile], files: dict[str, str]) -> tuple[list[str], list[Problem]]:
    """Base first: ['zh', 'zh-southwest']."""
    chain = [pid]
    while (parent := raw[chain[0]].extends) is not None:
        if parent in chain:
            return [], [Problem(files[pid], "extends", f"circular: {' -> '.join([*chain, parent])}")]
        if parent not in raw:
            return [], [Problem(files[chain[0]], "extends", f"no voice profile '{parent}'")]
        if raw[parent].language != raw[pid].language:
            return [], [
                Problem(files[pid], "language", f"'{raw[pid].language}' differs from '{parent}'")
            ]
        chain.insert(0, parent)
    return chain, []


def _merge(chain: list[Profile], file: str) -> tuple[VoiceProfile | None, list[Problem]]:
    top = chain[-1]
    problems: list[Problem] = []
    tts = next((p.tts for p in reversed(chain) if p.tts), None)
    asr = next((p.asr for p in reversed(chain) if p.asr), None)
    intents: dict[str, list[str]] = {intent: [] for intent in INTENTS}
    numbers: dict[int, list[str]] = {}
    for depth, profile in enumerate(chain):
        inherited = {fold(w) for words in intents.values() for w in words}
        for intent, words in profile.intents.items():
            for i, word in enumerate(words):
                if depth and fold(word) in inherited:
                    problems.append(
                        Problem(
                            file,
                            f"intents.{intent}[{i + 1}]",
                            f"'{word}' is already in '{chain[0].id}'",
                            Severity.WARNING,
                        )
                    )
                intents[intent].append(word)
        for key, words in profile.numbers.words.items():
            numbers.setdefault(int(key), []).extend(words)
    if len(chain) > 1 and not any(top.intents.values()):
        problems.append(Problem(file, "intents", "a dialect profile must add words of its own"))
    if tts is None:
        problems.append(Problem(file, "tts", "missing required key"))
    for intent, words in intents.items():
        if not words:
            problems.append(Problem(file, f"intents.{intent}", "no words for this intent"))
    for key in REQUIRED_NUMBERS:
        if int(key) not in numbers:
            problems.append(Problem(file, f"numbers.words.{key}", "no words for this number"))
    problems += _ambiguities(file, intents, numbers)
    if any(p.severity is Severity.ERROR for p in problems) or tts is None:
        return None, problems
    profile = VoiceProfile(
        id=top.id,
        language=top.language,
        name=top.name,
        name_zh=top.name_zh,
        review=top.review,
        tts_voice=tts.voice,
        tts_rate=tts.rate,
        asr_model=asr.model if asr else None,
        sounds=tuple(tuple(pair) for p in chain for pair in p.sounds),
        fillers=tuple(w for p in chain for w in p.fillers),
        intents={k: tuple(dict.fromkeys(v)) for k, v in intents.items()},
        number_words={k: tuple(dict.fromkeys(v)) for k, v in sorted(numbers.items())},
        number_patterns=tuple(dict.fromkeys(x for p in chain for x in p.numbers.patterns)),
        last_words=tuple(dict.fromkeys(w for p in chain for w in p.numbers.last)),
        chain=tuple(p.id for p in chain),
    )
    return profile, problems


def _ambiguities(
    file: str, intents: dict[str, list[str]], numbers: dict[int, list[str]]
) -> list[Problem]:
    """A word that means two things can never be accepted without asking, so forbid it."""
    owner: dict[str, str] = {}
    problems = []
    entries = [(f"intents.{k}", w) for k, ws in intents.items() for w in ws]
    entries += [(f"numbers.words.{k}", w) for k, ws in numbers.items() for w in ws]
    for where, word in entries:
        key = fold(word)
        if key in owner and owner[key] != where:
            problems.append(Problem(file, where, f"'{word}' also means {owner[key]}"))
        owner.setdefault(key, where)
    return problems


def intent_words(profiles: dict[str, VoiceProfile], language: str) -> dict[str, tuple[str, str]]:
    """Folded global-intent word -> (profile id, intent), over every profile of a language."""
    words: dict[str, tuple[str, str]] = {}
    for profile in profiles.values():
        if profile.language != language:
            continue
        for intent, ws in profile.intents.items():
            for w in ws:
                words.setdefault(fold(w), (profile.id, intent))
    return words
