"""Turn pydantic's validation errors into one-line problems with TOML-shaped key paths."""

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from tutor.content.languages import LANGUAGES
from tutor.content.problems import Problem

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}
_TOML_TYPE_NAMES = {
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a table",
}


def key_path(loc: tuple[Any, ...], tags: frozenset[str] = frozenset()) -> str:
    """('step', 2, 'choose', 'choice', 0, 'text') -> 'step[3].choice[1].text'.

    Indices are shown from 1, as a mentor counts `[[step]]` blocks in the file. Discriminator
    tags that pydantic inserts into the location are dropped.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part == "[key]" or part in tags:
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def validation_problems(
    file: str,
    err: ValidationError,
    known_keys: set[str],
    tags: frozenset[str],
    kinds: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One line per mistake, at the key the mentor has to edit.

    A misspelt key is also a missing one (`txet` leaves `text` unset, `[[step.choise]]` leaves
    `choice` a block short); that is one mistake, so the missing or short key is not reported
    when an unknown key beside it is its likely spelling.
    `kinds` lists the allowed `kind` values by the key holding the union ('' for the file).
    """
    errors = err.errors()
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    guesses = {
        tuple(e["loc"]): _guess(tuple(e["loc"]), missing, known_keys)
        for e in errors
        if e["type"] == "extra_forbidden"
    }
    explained = {(*loc[:-1], guess) for loc, guess in guesses.items() if guess}
    problems = []
    for e in errors:
        loc = tuple(e["loc"])
        if loc in explained and e["type"] in ("missing", "too_short"):
            continue
        if e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            problems.append(
                Problem(
                    file, key_path((*loc, "kind"), tags), _kind_message(e, loc, tags, kinds or {})
                )
            )
            continue
        message = _message(e, guesses.get(loc))
        problems.append(Problem(file, key_path(loc, tags), message))
    return sorted(set(problems))


def _guess(loc: tuple[Any, ...], missing: set[tuple[Any, ...]], known_keys: set[str]) -> str | None:
    """The key an unknown one was meant to be: a missing sibling first, else any known key."""
    siblings = sorted(str(m[-1]) for m in missing if m[:-1] == loc[:-1])
    for candidates in (siblings, sorted(known_keys)):
        found = difflib.get_close_matches(str(loc[-1]), candidates, n=1)
        if found:
            return found[0]
    return None


def _kind_message(
    e: Any, loc: tuple[Any, ...], tags: frozenset[str], kinds: Mapping[str, str]
) -> str:
    owner = next((str(p) for p in reversed(loc) if isinstance(p, str) and p not in tags), "")
    expected = e.get("ctx", {}).get("expected_tags") or kinds.get(owner, "")
    choices = f" (one of {expected})" if expected else ""
    if e["type"] == "union_tag_not_found":
        return f"missing required key{choices}"
    return f"unknown kind '{e.get('ctx', {}).get('tag')}'{choices}"


def field_names(*models: type[BaseModel]) -> set[str]:
    """Every key the format knows, to suggest the right one for a typo."""
    seen: set[str] = set()
    todo = list(models)
    while todo:
        model = todo.pop()
        for name, field in model.model_fields.items():
            seen.add(name)
            todo.extend(_nested_models(field.annotation))
    return seen


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(arg))
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found.extend(_nested_models(meta))
    return found


def _message(e: Any, guess: str | None) -> str:
    kind = e["type"]
    loc = tuple(e["loc"])
    value = e.get("input")
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        hint = f" (did you mean '{guess}'?)" if guess else ""
        return f"unknown key '{loc[-1]}'{hint}"
    if kind == "literal_error":
        if (loc and loc[-1] == "[key]") or _is_language_key(loc, value):
            return f"unknown language '{value}' (one of {', '.join(LANGUAGES)})"
        return f"'{value}' is not allowed (one of {e.get('ctx', {}).get('expected', '')})"
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, found {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, value)
    if kind == "string_too_short":
        return "empty text"
    if kind == "string_too_long":
        return f"text too long ({len(value)} characters)"
    if kind == "too_short":
        n = e.get("ctx", {}).get("min_length")
        return f"needs at least {n} item{'s' if n != 1 else ''}, found {len(value)}"
    if kind == "too_long":
        n = e.get("ctx", {}).get("max_length")
        return f"at most {n} items allowed, found {e.get('ctx', {}).get('actual_length')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{value} is out of range ({e['msg'].lower()})"
    return e["msg"]


def _is_language_key(loc: tuple[Any, ...], value: Any) -> bool:
    """A language table's key (`text.kr`), or the value of `language` / `languages`."""
    if not isinstance(value, str):
        return False
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    return (len(loc) >= 2 and loc[-1] == value) or name in ("language", "languages")


def _pattern_message(loc: tuple[Any, ...], value: Any) -> str:
    name = next((p for p in reversed(loc) if isinstance(p, str) and p != "[key]"), "")
    if name == "version":
        return f"'{value}' is not a version like 1.0.0"
    if name == "key":
        return f"choice key '{value}' must be one digit, 1 to 9"
    if name == "patterns":
        return f"pattern '{value}' must contain {{n}}"
    return f"'{value}' is not a valid id (lowercase letters, digits and '-')"


def _describe(value: Any) -> str:
    for kind, name in _TOML_TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__
