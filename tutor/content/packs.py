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
_WORD_TABLES = ("aliases", "keywords")


@dataclass
class Pack:
    root: Path
    manifest: PackManifest
    lessons: dict[str, Lesson] = field(default_factory=dict)
    drills: dict[str, Drill] = field(default_factory=dict)


class PackError(Exception):
    """A pack that cannot be used; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.line() for p in problems))
        self.problems = problems


def find_packs(path: Path) -> list[Path]:
    """The pack folders at or under `path`: a pack, a folder of packs, or a file in a pack."""
    if path.is_file():
        for parent in path.parents:
            if (parent / MANIFEST).is_file():
                return [parent]
        return [path.parent]
    if (path / MANIFEST).is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_pack(root: Path) -> Pack:
    """The pack at `root`, or PackError when it has any error (warnings are allowed)."""
    pack, problems = read_pack(root, {})
    if pack is None or has_errors(problems):
        raise PackError([p for p in problems if p.severity is Severity.ERROR])
    return pack


def read_pack(root: Path, profiles: dict[str, VoiceProfile]) -> tuple[Pack | None, list[Problem]]:
    """Load and check one pack; `profiles` lets aliases be checked against intent words."""
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        return None, [Problem(display_path(root), "", f"no {MANIFEST} in this pack folder")]
    manifest, problems = _validate(manifest_path, PackManifest.model_validate)
    if manifest is None:
        return None, problems
    pack = Pack(root, manifest)
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*.toml")):
        if path == manifest_path:
            continue
        item, item_problems = _validate(path, PACK_ITEM.validate_python)
        problems += item_problems
        if item is None:
            continue
        name = display_path(path)
        if item.id != path.stem:
            problems.append(Problem(name, "id", f"'{item.id}' differs from file name '{path.stem}'"))
        if item.id in files:
            problems.append(Problem(name, "id", f"duplicate id '{item.id}', also in {files[item.id]}"))
            continue
        files[item.id] = name
        target = pack.lessons if isinstance(item, Lesson) else pack.drills
        target[item.id] = item
        problems += _check_item(name, item, manifest, profiles)
    problems += _check_manifest(display_path(manifest_path), pack, files)
    return pack, sorted(set(problems))


def _validate(path: Path, validate: Any) -> tuple[Any, list[Problem]]:
    data, problems = read_toml(path)
    if data is None:
        return None, problems
    try:
        return validate(data), []
    except ValidationError as err:
        return None, validation_problems(display_path(path), err, _KNOWN_KEYS, _TAGS)


def _check_manifest(name: str, pack: Pack, files: dict[str, str]) -> list[Problem]:
    m = pack.manifest
    problems = []
    if FALLBACK_LANGUAGE not in m.languages:
        problems.append(Problem(name, "languages", f"must include '{FALLBACK_LANGUAGE}'"))
    for lang in m.languages:
        if lang not in m.review:
            problems.append(Problem(name, "review", f"missing review status for '{lang}'"))
    problems += _duplicates(name, "skill", [s.id for s in m.skill])
    for listed, items, kind in ((m.lessons, pack.lessons, "lesson"), (m.drills, pack.drills, "drill")):
        plural = kind + "s"
        problems += _duplicates(name, plural, listed)
        for i, item_id in enumerate(listed):
            if item_id not in items:
                problems.append(
                    Problem(name, f"{plural}[{i + 1}]", f"no {kind} file with id '{item_id}'")
                )
        for item_id in items:
            if item_id not in listed:
                problems.append(
                    Problem(files[item_id], "id", f"{kind} '{item_id}' is not listed in {name} {plural}")
                )
    declared = {s.id for s in m.skill}
    taught = {s for item in [*pack.lessons.values(), *pack.drills.values()] for s in item.skills}
    for i, skill in enumerate(m.skill):
        if skill.id not in taught:
            problems.append(
                Problem(name, f"skill[{i + 1}]", f"skill '{skill.id}' is taught by no lesson",
                        Severity.WARNING)
            )
    for item in [*pack.lessons.values(), *pack.drills.values()]:
        for i, skill_id in enumerate(item.skills):
            if skill_id not in declared:
                problems.append(
                    Problem(files[item.id], f"skills[{i + 1}]", f"unknown skill '{skill_id}'")
                )
    problems += _translations(name, "", m, m.languages, m.review)
    return problems


def _duplicates(name: str, where: str, ids: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(Problem(name, f"{where}[{i + 1}]", f"duplicate id '{item_id}'"))
        seen.add(item_id)
    return problems


def _check_item(
    name: str, item: Lesson | Drill, m: PackManifest, profiles: dict[str, VoiceProfile]
) -> list[Problem]:
    problems = _translations(name, "", item, m.languages, m.review)
    if isinstance(item, Drill):
        return problems
    problems += _duplicates(name, "step", [s.id for s in item.step if s.id])
    for i, step in enumerate(item.step):
        where = f"step[{i + 1}]"
        if isinstance(step, ChooseStep):
            problems += _check_choose(name, where, step, m.languages, profiles)
        elif isinstance(step, PracticeStep):
            for lang, groups in step.keywords.items():
                if step.need > len(groups):
                    problems.append(
                        Problem(name, f"{where}.need",
                                f"needs {step.need} keyword groups but '{lang}' has {len(groups)}")
                    )
    return problems


def _check_choose(
    name: str, where: str, step: ChooseStep, languages: list[str],
    profiles: dict[str, VoiceProfile],
) -> list[Problem]:
    problems = []
    keys = [c.key for c in step.choice]
    if keys != [str(n) for n in range(1, len(keys) + 1)]:
        problems.append(
            Problem(name, f"{where}.choice", f"keys must be 1, 2, 3... in order, found {keys}")
        )
    if step.graded and not any(c.correct for c in step.choice):
        problems.append(
            Problem(name, where,
                    "no correct answer: mark a choice correct = true, or set graded = false")
        )
    for lang in languages:
        intents = intent_words(profiles, lang)
        owner: dict[str, int] = {}
        for ci, choice in enumerate(step.choice):
            phrases = [("text", choice.text.get(lang))]
            phrases += [(f"aliases.{lang}[{ai + 1}]", a) for ai, a in enumerate(choice.aliases.get(lang, []))]
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
                        Problem(name, at,
                                f"'{phrase}' is the '{intent}' word in voice profile {profile_id}")
                    )
    return problems


def _translations(
    name: str, prefix: str, model: BaseModel, languages: list[str], review: dict[str, str]
) -> list[Problem]:
    """Every language table must have Mandarin; other pack languages are warned about."""
    problems = []
    for path, table, is_words in _language_tables(prefix, model):
        if is_words and not table:
            continue
        for lang in languages:
            if lang in table:
                continue
            noun = "words" if is_words else "translation"
            if lang == FALLBACK_LANGUAGE and not is_words:
                problems.append(Problem(name, path, f"missing '{lang}'"))
            else:
                status = review.get(lang, "unknown")
                problems.append(
                    Problem(name, path, f"missing '{lang}' {noun} (review status: {status})",
                            Severity.WARNING)
                )
        for lang in table:
            if lang not in languages:
                problems.append(
                    Problem(name, f"{path}.{lang}", f"language '{lang}' is not in pack languages",
                            Severity.WARNING)
                )
    return problems


def _language_tables(prefix: str, value: Any) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(key path, table, is-word-list) for every language table inside a model."""
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            child = getattr(value, key)
            yield from _language_tables(f"{prefix}.{key}" if prefix else key, child)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _language_tables(f"{prefix}[{i + 1}]", child)
    elif isinstance(value, dict) and prefix.rsplit(".", 1)[-1] != "review":
        yield prefix, value, prefix.rsplit(".", 1)[-1] in _WORD_TABLES
