"""Lesson packs: load a pack folder into validated models and check what pydantic cannot.

A pack is `pack.toml` plus one TOML file per lesson or drill anywhere below it. The checks
here are the ones that need more than one value at a time: references between files,
duplicates, translations against the pack's languages, and spoken aliases that would make a
learner's answer ambiguous.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tutor.content.errors import field_names, validation_problems
from tutor.content.languages import FALLBACK_LANGUAGE
from tutor.content.problems import Problem, Severity, has_errors
from tutor.content.reading import display_path, read_toml
from tutor.content.schema import (
    PACK_ITEM,
    STEP_KINDS,
    ChooseStep,
    Drill,
    Lesson,
    PackManifest,
    PracticeStep,
)
from tutor.content.text import fold
from tutor.content.voices import VoiceProfile, intent_words

MANIFEST = "pack.toml"
_KNOWN_KEYS = field_names(PackManifest, Lesson, Drill)
_TAGS = frozenset(STEP_KINDS) | {"lesson", "drill"}
# What `kind` may be, by the key holding it ('' is the file itself), to list when it is missing.
_KINDS = {"": "'lesson', 'drill'", "step": ", ".join(f"'{k}'" for k in STEP_KINDS)}
_WORD_TABLES = ("aliases", "keywords")


@dataclass
class Pack:
    root: Path
    manifest: PackManifest
    lessons: dict[str, Lesson] = field(default_factory=dict)
    drills: dict[str, Drill] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    """Lesson or drill id -> the file it came from, as problems name it."""


class PackError(Exception):
    """A pack that cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.line() for p in problems))
        self.problems = problems


def find_packs(path: Path) -> list[Path]:
    """The pack folders at or under `path`: a pack, a folder of packs, or a file in a pack.

    A folder without `pack.toml` is a folder of packs, unless it has no sub-folders, or holds
    TOML files while none of its sub-folders is a pack: then it is a pack that lost its
    manifest, and checking it says so instead of passing with nothing checked.
    """
    if path.is_file():
        for parent in path.parents:
            if (parent / MANIFEST).is_file():
                return [parent]
        return [path.parent]
    if (path / MANIFEST).exists():
        return [path]
    folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    has_packs = any((folder / MANIFEST).exists() for folder in folders)
    if not folders or (any(path.glob("*.toml")) and not has_packs):
        return [path]
    return folders


def newest_packs(roots: list[Path]) -> list[Path]:
    """The pack folders under every root in turn, one per pack id: the highest version wins,
    the earlier root on a tie, so a pack installed later replaces a shipped one only when it
    is newer. A folder whose manifest gives no id and version is kept, so its problem is
    still reported wherever packs are listed."""
    chosen: dict[str, tuple[tuple[int, ...], Path]] = {}
    for root in roots:
        if not root.is_dir():
            continue
        folders = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        # An empty root (no pack installed yet) holds no pack, not a pack without manifest.
        if not folders and not (root / MANIFEST).exists():
            continue
        for folder in find_packs(root):
            found = pack_identity(folder)
            key, version = found if found else (str(folder), ())
            if key not in chosen or version > chosen[key][0]:
                chosen[key] = (version, folder)
    return [folder for _, folder in chosen.values()]


def pack_identity(root: Path) -> tuple[str, tuple[int, ...]] | None:
    """(id, version as numbers) from a pack folder's manifest; None when it has none."""
    data, _ = read_toml(root / MANIFEST) if (root / MANIFEST).is_file() else (None, [])
    pack_id, version = (data or {}).get("id"), (data or {}).get("version")
    if not isinstance(pack_id, str) or not isinstance(version, str):
        return None
    try:
        return pack_id, tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def load_pack(root: Path) -> Pack:
    """The pack at `root`, or PackError when it has any error (warnings are allowed)."""
    pack, problems = read_pack(root, {})
    if pack is None or has_errors(problems):
        raise PackError([p for p in problems if p.severity is Severity.ERROR])
    return pack


def read_pack(root: Path, profiles: dict[str, VoiceProfile]) -> tuple[Pack | None, list[Problem]]:
    """Load and check one pack; `profiles` lets aliases be checked against intent words."""
    manifest_path = root / MANIFEST
    if not manifest_path.exists():
        return None, [Problem(display_path(root), "", f"no {MANIFEST} in this pack folder")]
    manifest, problems = _validate(manifest_path, PackManifest.model_validate)
    if manifest is None:
        return None, problems
    pack = Pack(root, manifest)
    files: dict[str, str] = {}
    # Stems of files that could not be read or validated: their problem is already reported,
    # so pack.toml must not report them again as missing.
    unreadable: set[str] = set()
    for path in sorted(root.rglob("*.toml")):
        if path == manifest_path:
            continue
        item, item_problems = _validate(path, PACK_ITEM.validate_python)
        problems += item_problems
        if item is None:
            unreadable.add(path.stem)
            continue
        problems += _add_item(pack, files, path, item, profiles)
    problems += _check_manifest(display_path(manifest_path), pack, files, unreadable)
    return pack, sorted(set(problems))


def _add_item(
    pack: Pack,
    files: dict[str, str],
    path: Path,
    item: Lesson | Drill,
    profiles: dict[str, VoiceProfile],
) -> list[Problem]:
    """Register a lesson or drill under the id pack.toml knows it by, then check it.

    When the id inside differs from the file name, whichever of the two pack.toml lists is
    used, so the mismatch is one problem and not also "no lesson file" and "not listed".
    """
    name = display_path(path)
    problems = []
    item_id = item.id
    if item.id != path.stem:
        problems.append(Problem(name, "id", f"'{item.id}' differs from file name '{path.stem}'"))
        if item.id not in {*pack.manifest.lessons, *pack.manifest.drills}:
            item_id = path.stem
    if item_id in files:
        problems.append(Problem(name, "id", f"duplicate id '{item_id}', also in {files[item_id]}"))
        return problems
    files[item_id] = name
    pack.sources[item_id] = name
    target = pack.lessons if isinstance(item, Lesson) else pack.drills
    target[item_id] = item
    return problems + _check_item(name, item, pack.manifest, profiles)


def _validate(path: Path, validate: Any) -> tuple[Any, list[Problem]]:
    data, problems = read_toml(path)
    if data is None:
        return None, problems
    try:
        return validate(data), []
    except ValidationError as err:
        return None, validation_problems(display_path(path), err, _KNOWN_KEYS, _TAGS, _KINDS)


def _check_manifest(
    name: str, pack: Pack, files: dict[str, str], unreadable: set[str]
) -> list[Problem]:
    m = pack.manifest
    problems = []
    if FALLBACK_LANGUAGE not in m.languages:
        problems.append(Problem(name, "languages", f"must include '{FALLBACK_LANGUAGE}'"))
    for lang in m.languages:
        if lang not in m.review:
            problems.append(Problem(name, "review", f"missing review status for '{lang}'"))
    problems += _duplicates(name, [(f"skill[{i + 1}].id", s.id) for i, s in enumerate(m.skill)])
    problems += _check_listing(name, pack, files, unreadable)
    problems += _check_skills(name, pack, files, unreadable)
    problems += _translations(name, "", m, m.languages, m.review)
    return problems


def _check_listing(
    name: str, pack: Pack, files: dict[str, str], unreadable: set[str]
) -> list[Problem]:
    """Every listed id has a file and every file is listed, under the right kind."""
    m = pack.manifest
    problems = []
    groups = (
        ("lesson", m.lessons, pack.lessons, pack.drills),
        ("drill", m.drills, pack.drills, pack.lessons),
    )
    for kind, listed, items, others in groups:
        plural = kind + "s"
        problems += _duplicates(name, [(f"{plural}[{i + 1}]", x) for i, x in enumerate(listed)])
        for i, item_id in enumerate(listed):
            if item_id in items or item_id in unreadable:
                continue
            other = "drill" if kind == "lesson" else "lesson"
            message = (
                f"'{item_id}' is a {other}: list it under {other}s"
                if item_id in others
                else f"no {kind} file with id '{item_id}'"
            )
            problems.append(Problem(name, f"{plural}[{i + 1}]", message))
        for item_id in items:
            if item_id not in m.lessons and item_id not in m.drills:
                problems.append(
                    Problem(
                        files[item_id],
                        "id",
                        f"{kind} '{item_id}' is not listed in {MANIFEST} {plural}",
                    )
                )
    return problems


def _check_skills(
    name: str, pack: Pack, files: dict[str, str], unreadable: set[str]
) -> list[Problem]:
    m = pack.manifest
    declared = {s.id for s in m.skill}
    items: dict[str, Lesson | Drill] = {**pack.lessons, **pack.drills}
    problems = []
    for item_id, item in items.items():
        for i, skill_id in enumerate(item.skills):
            if skill_id not in declared:
                problems.append(
                    Problem(
                        files[item_id],
                        f"skills[{i + 1}]",
                        f"unknown skill '{skill_id}' (not in {MANIFEST})",
                    )
                )
    if unreadable:
        # The lesson that teaches a skill may be one that could not be read.
        return problems
    taught = {s for item in items.values() for s in item.skills}
    for i, skill in enumerate(m.skill):
        if skill.id not in taught:
            problems.append(
                Problem(
                    name,
                    f"skill[{i + 1}]",
                    f"skill '{skill.id}' is taught by no lesson",
                    Severity.WARNING,
                )
            )
    return problems


def _duplicates(name: str, entries: list[tuple[str, str]]) -> list[Problem]:
    """(key path, id) pairs: every id seen before is reported at its own key path."""
    seen: set[str] = set()
    problems = []
    for where, item_id in entries:
        if item_id in seen:
            problems.append(Problem(name, where, f"duplicate id '{item_id}'"))
        seen.add(item_id)
    return problems


def _check_item(
    name: str, item: Lesson | Drill, m: PackManifest, profiles: dict[str, VoiceProfile]
) -> list[Problem]:
    problems = _translations(name, "", item, m.languages, m.review)
    if isinstance(item, Drill):
        from tutor.content.drill_checks import check_structure

        return problems + check_structure(name, item)
    problems += _duplicates(
        name, [(f"step[{i + 1}].id", s.id) for i, s in enumerate(item.step) if s.id]
    )
    for i, step in enumerate(item.step):
        where = f"step[{i + 1}]"
        if isinstance(step, ChooseStep):
            problems += _check_choose(name, where, step, m.languages, profiles)
        elif isinstance(step, PracticeStep):
            problems += _check_practice(name, where, step)
    return problems


def _check_practice(name: str, where: str, step: PracticeStep) -> list[Problem]:
    """One line for a `need` too large, however many languages fall short of it."""
    short = {lang: len(groups) for lang, groups in step.keywords.items() if step.need > len(groups)}
    if not short:
        return []
    counts = ", ".join(f"'{lang}' has {n}" for lang, n in short.items())
    return [Problem(name, f"{where}.need", f"needs {step.need} keyword groups but {counts}")]


def _check_choose(
    name: str,
    where: str,
    step: ChooseStep,
    languages: list[str],
    profiles: dict[str, VoiceProfile],
) -> list[Problem]:
    problems = []
    for i, choice in enumerate(step.choice):
        if choice.key != str(i + 1):
            problems.append(
                Problem(
                    name,
                    f"{where}.choice[{i + 1}].key",
                    f"expected '{i + 1}', found '{choice.key}' (keys go 1, 2, 3... in order)",
                )
            )
            break
    if step.graded and not any(c.correct for c in step.choice):
        problems.append(
            Problem(
                name,
                where,
                "no correct answer: mark a choice correct = true, or set graded = false",
            )
        )
    for lang in languages:
        problems += _check_phrases(name, where, step, lang, intent_words(profiles, lang))
    return problems


def _check_phrases(
    name: str, where: str, step: ChooseStep, lang: str, intents: dict[str, tuple[str, str]]
) -> list[Problem]:
    """A spoken answer must name one choice, and must not be heard as a global command."""
    problems = []
    owner: dict[str, int] = {}
    for ci, choice in enumerate(step.choice):
        aliases = choice.aliases.get(lang, [])
        phrases = [("text", choice.text.get(lang))]
        phrases += [(f"aliases.{lang}[{ai + 1}]", a) for ai, a in enumerate(aliases)]
        for key_suffix, phrase in phrases:
            if not phrase:
                continue
            at = f"{where}.choice[{ci + 1}].{key_suffix}"
            folded = fold(phrase)
            if folded in owner and owner[folded] != ci:
                problems.append(
                    Problem(name, at, f"'{phrase}' also names choice {owner[folded] + 1}")
                )
            owner.setdefault(folded, ci)
            if folded in intents:
                profile_id, intent = intents[folded]
                problems.append(
                    Problem(
                        name, at, f"'{phrase}' is the '{intent}' word in voice profile {profile_id}"
                    )
                )
    return problems


def _translations(
    name: str, prefix: str, model: BaseModel, languages: list[str], review: dict[str, str]
) -> list[Problem]:
    """Every language table must have Mandarin; other pack languages are warned about.

    Mandarin is always expected and never "not in pack languages": when a pack forgets to
    list it, that is one error on `languages`, not a warning on every table.
    """
    problems = []
    wanted = [FALLBACK_LANGUAGE, *(lang for lang in languages if lang != FALLBACK_LANGUAGE)]
    for path, table, is_words in _language_tables(prefix, model):
        if is_words and not table:
            continue
        for lang in wanted:
            if lang in table:
                continue
            noun = "words" if is_words else "translation"
            if lang == FALLBACK_LANGUAGE and not is_words:
                problems.append(Problem(name, path, f"missing '{lang}'"))
            else:
                status = review.get(lang, "unknown")
                problems.append(
                    Problem(
                        name,
                        path,
                        f"missing '{lang}' {noun} (review status: {status})",
                        Severity.WARNING,
                    )
                )
        for lang in table:
            if lang not in wanted:
                problems.append(
                    Problem(
                        name,
                        f"{path}.{lang}",
                        f"language '{lang}' is not in pack languages",
                        Severity.WARNING,
                    )
                )
    return problems


# Tables keyed by something other than a language: review status per language, and a drill
# choice's moves of the state and points on the rubric.
_NOT_LANGUAGE_TABLES = ("review", "effects", "score")


def _language_tables(prefix: str, value: Any) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(key path, table, is-word-list) for every language table inside a model."""
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            child = getattr(value, key)
            yield from _language_tables(f"{prefix}.{key}" if prefix else key, child)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _language_tables(f"{prefix}[{i + 1}]", child)
    elif isinstance(value, dict) and prefix.rsplit(".", 1)[-1] not in _NOT_LANGUAGE_TABLES:
        yield prefix, value, prefix.rsplit(".", 1)[-1] in _WORD_TABLES
