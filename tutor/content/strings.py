"""The UI string catalog: every menu, message and prompt the program shows or says.

One TOML file per language in `tutor/strings/`, nested tables flattened to dotted keys. Mandarin
is the reference: every other language must have exactly its keys and placeholders.
"""

import os
import string
from pathlib import Path
from typing import Any

from tutor.content.languages import FALLBACK_LANGUAGE, LANGUAGES, REVIEW_STATUSES
from tutor.content.paths import strings_dir
from tutor.content.problems import Problem, Severity
from tutor.content.reading import display_path, read_toml

_META_KEYS = ("language", "review")


class Catalog:
    """Strings for one language, falling back to Mandarin, then to the key itself."""

    def __init__(self, language: str, tables: dict[str, dict[str, str]]):
        self.language = language
        self._tables = tables

    def text(self, key: str, **values: Any) -> str:
        for lang in (self.language, FALLBACK_LANGUAGE):
            template = self._tables.get(lang, {}).get(key)
            if template is not None:
                try:
                    return template.format(**values)
                except (KeyError, IndexError, ValueError):
                    return template
        return key


def ui_language() -> str:
    """`TUTOR_LANG` (zh, ko, ug), else Mandarin; settings will refine this per learner."""
    lang = os.environ.get("TUTOR_LANG", "").split("-")[0].split("_")[0].lower()
    return lang if lang in LANGUAGES else FALLBACK_LANGUAGE


def load_catalog(language: str | None = None, folder: Path | None = None) -> Catalog:
    language = language or ui_language()
    folder = folder or strings_dir()
    tables = {}
    for lang in {language, FALLBACK_LANGUAGE}:
        data, _ = read_toml(folder / f"{lang}.toml")
        tables[lang] = _flatten(data or {})
    return Catalog(language, tables)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if not prefix and key in _META_KEYS:
            continue
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat


def _placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return {"<malformed>"}


def check_strings(folder: Path | None = None) -> list[Problem]:
    """Missing, extra, mistyped or placeholder-mismatched keys in every language's file."""
    folder = folder or strings_dir()
    problems: list[Problem] = []
    tables: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        path = folder / f"{lang}.toml"
        name = display_path(path)
        data, read_problems = read_toml(path)
        problems += read_problems
        if data is None:
            continue
        if data.get("language") != lang:
            problems.append(Problem(name, "language", f"must be '{lang}'"))
        if data.get("review") not in REVIEW_STATUSES:
            problems.append(Problem(name, "review", f"must be one of {', '.join(REVIEW_STATUSES)}"))
        tables[lang] = _flatten(data)
        for key, value in tables[lang].items():
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(name, key, "expected non-empty text"))
    reference = tables.get(FALLBACK_LANGUAGE, {})
    for lang, table in tables.items():
        name = display_path(folder / f"{lang}.toml")
        for key in sorted(set(reference) - set(table)):
            problems.append(Problem(name, key, f"missing (present in {FALLBACK_LANGUAGE})"))
        for key in sorted(set(table) - set(reference)):
            problems.append(
                Problem(name, key, f"not in {FALLBACK_LANGUAGE}.toml", Severity.WARNING)
            )
        for key in sorted(set(table) & set(reference)):
            ours, theirs = table[key], reference[key]
            if not (isinstance(ours, str) and isinstance(theirs, str)):
                continue
            if _placeholders(ours) != _placeholders(theirs):
                expected = sorted(_placeholders(theirs))
                message = f"placeholders differ from {FALLBACK_LANGUAGE}: {expected}"
                problems.append(Problem(name, key, message))
    return sorted(set(problems))
