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
    slips: tuple[tuple[str, str], ...]
    spellings: tuple[tuple[str, str], ...]
    synonyms: tuple[tuple[str, str], ...]
    fillers: tuple[str, ...]
    endings: tuple[str, ...]
    particles: tuple[str, ...]
    intents: dict[str, tuple[str, ...]]
    number_words: dict[int, tuple[str, ...]]
    ordinal_words: dict[int, tuple[str, ...]]
    number_patterns: tuple[str, ...]
    last_words: tuple[str, ...]
    from_end_patterns: tuple[str, ...]
    middle_words: tuple[str, ...]
    chain: tuple[str, ...] = field(default=())


def load_profiles(folder: Path) -> tuple[dict[str, VoiceProfile], list[Problem]]:
    """Every valid, fully merged profile in `folder`, and every problem found on the way.

    Bases are merged before their dialects, and a dialect of a broken base is skipped: the
    base's problem is reported once, in the base's file, not again in every dialect.
    """
    raw, files, problems, unreadable = _read_all(folder)
    reported = {p.file for p in problems}
    chains: dict[str, list[str]] = {}
    for pid in sorted(raw):
        chain, chain_problems = _chain(pid, raw, files, unreadable, reported)
        problems += chain_problems
        if chain is not None:
            chains[pid] = chain
    resolved: dict[str, VoiceProfile] = {}
    for pid in sorted(chains, key=lambda p: (len(chains[p]), p)):
        chain = chains[pid]
        if any(base not in resolved for base in chain[:-1]):
            continue
        profile, merge_problems = _merge([raw[c] for c in chain], files[pid])
        problems += merge_problems
        if profile is not None:
            resolved[pid] = profile
    return dict(sorted(resolved.items())), sorted(set(problems))


def _read_all(
    folder: Path,
) -> tuple[dict[str, Profile], dict[str, str], list[Problem], dict[str, str]]:
    """Profiles by id, their files, problems, and {id: file} of files that could not be used."""
    raw: dict[str, Profile] = {}
    files: dict[str, str] = {}
    problems: list[Problem] = []
    unreadable: dict[str, str] = {}
    paths = [folder] if folder.is_file() else sorted(folder.glob("*.toml"))
    if not paths:
        problems.append(Problem(display_path(folder), "", "no voice profiles (*.toml) found"))
    for path in paths:
        name = display_path(path)
        data, read_problems = read_toml(path)
        problems += read_problems
        if data is None:
            unreadable[path.stem] = name
            continue
        try:
            profile = Profile.model_validate(data)
        except ValidationError as err:
            problems += validation_problems(name, err, _KNOWN_KEYS, frozenset())
            unreadable[path.stem] = name
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
        siblings, sibling_files, _, sibling_unreadable = _read_all(folder.parent)
        for pid, profile in siblings.items():
            raw.setdefault(pid, profile)
            files.setdefault(pid, sibling_files[pid])
        for pid, name in sibling_unreadable.items():
            unreadable.setdefault(pid, name)
    return raw, files, problems, unreadable


def _chain(
    pid: str,
    raw: dict[str, Profile],
    files: dict[str, str],
    unreadable: dict[str, str],
    reported: set[str],
) -> tuple[list[str] | None, list[Problem]]:
    """Base first: ['zh', 'zh-southwest'], or None when `pid` cannot be merged.

    Each broken link is reported once, in the file that holds it: a circle at its first
    profile by id, a missing or mismatched base at the profile that extends it.
    """
    walk = [pid]
    while (parent := raw[walk[-1]].extends) is not None:
        child = walk[-1]
        if parent in walk:
            if parent != pid or pid != min(walk):
                return None, []
            return None, [Problem(files[pid], "extends", f"circular: {' -> '.join([*walk, pid])}")]
        if parent not in raw:
            return None, _missing_base(files[child], parent, unreadable, reported)
        if raw[parent].language != raw[child].language:
            message = (
                f"'{raw[child].language}' differs from base profile '{parent}' "
                f"(language '{raw[parent].language}')"
            )
            return None, [Problem(files[child], "language", message)]
        walk.append(parent)
    return walk[::-1], []


def _missing_base(
    file: str, parent: str, unreadable: dict[str, str], reported: set[str]
) -> list[Problem]:
    """A base that exists but is broken has its own problem; say so only if it was not said."""
    if parent not in unreadable:
        return [Problem(file, "extends", f"no voice profile '{parent}'")]
    if unreadable[parent] in reported:
        return []
    return [Problem(file, "extends", f"base profile '{parent}' has errors ({unreadable[parent]})")]


def _merge(chain: list[Profile], file: str) -> tuple[VoiceProfile | None, list[Problem]]:
    top = chain[-1]
    problems: list[Problem] = []
    tts = next((p.tts for p in reversed(chain) if p.tts), None)
    asr = next((p.asr for p in reversed(chain) if p.asr), None)
    intents: dict[str, list[str]] = {intent: [] for intent in INTENTS}
    numbers: dict[int, list[str]] = {}
    ordinals: dict[int, list[str]] = {}
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
        for key, words in profile.numbers.ordinals.items():
            ordinals.setdefault(int(key), []).extend(words)
            numbers.setdefault(int(key), []).extend(words)
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
    problems += _ambiguities(file, chain)
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
        slips=tuple(tuple(pair) for p in chain for pair in p.slips),
        spellings=tuple(tuple(pair) for p in chain for pair in p.spellings),
        synonyms=tuple(tuple(pair) for p in chain for pair in p.synonyms),
        fillers=tuple(w for p in chain for w in p.fillers),
        endings=tuple(w for p in chain for w in p.endings),
        particles=tuple(w for p in chain for w in p.particles),
        intents={k: tuple(dict.fromkeys(v)) for k, v in intents.items()},
        number_words={k: tuple(dict.fromkeys(v)) for k, v in sorted(numbers.items())},
        ordinal_words={k: tuple(dict.fromkeys(v)) for k, v in sorted(ordinals.items())},
        number_patterns=tuple(dict.fromkeys(x for p in chain for x in p.numbers.patterns)),
        last_words=tuple(dict.fromkeys(w for p in chain for w in p.numbers.last)),
        from_end_patterns=tuple(dict.fromkeys(x for p in chain for x in p.numbers.from_end)),
        middle_words=tuple(dict.fromkeys(w for p in chain for w in p.numbers.middle)),
        chain=tuple(p.id for p in chain),
    )
    return profile, problems


def _ambiguities(file: str, chain: list[Profile]) -> list[Problem]:
    """A word that means two things can never be accepted without asking, so forbid it.

    Only the words of the profile being merged are reported, at their place in its file:
    its base's words were checked with the base, which is merged first.
    """
    owner: dict[str, str] = {}
    problems = []
    for depth, profile in enumerate(chain):
        entries = [
            (f"intents.{k}", i, w) for k, ws in profile.intents.items() for i, w in enumerate(ws)
        ]
        entries += [
            (f"numbers.words.{k}", i, w)
            for k, ws in profile.numbers.words.items()
            for i, w in enumerate(ws)
        ]
        for where, i, word in entries:
            key = fold(word)
            if key in owner and owner[key] != where and depth == len(chain) - 1:
                message = f"'{word}' also means {owner[key]}"
                problems.append(Problem(file, f"{where}[{i + 1}]", message))
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
