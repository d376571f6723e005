"""Turn pydantic's validation errors into one-line problems with TOML-shaped key paths."""

import difflib
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
    file: str, err: ValidationError, known_keys: set[str], tags: frozenset[str]
) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = tuple(e["loc"])
        message = _message(e, known_keys)
        problems.append(Problem(file, key_path(loc, tags), message))
    return sorted(set(problems))


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


def _message(e: Any, known_keys: set[str]) -> str:
    kind = e["type"]
    loc = tuple(e["loc"])
    value = e.get("input")
    if kind == "missing":
        return "missing required key"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        guess = difflib.get_close_matches(name, sorted(known_keys), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown key '{name}'{hint}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = e.get("ctx", {}).get("expected_tags", "")
        if kind == "union_tag_not_found":
            return f"missing 'kind' (one of {expected})"
        return f"unknown kind '{e.get('ctx', {}).get('tag')}' (one of {expected})"
    if kind == "literal_error":
        if loc and loc[-1] == "[key]" or _is_language_key(loc, value):
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
    return isinstance(value, str) and len(loc) >= 2 and loc[-1] == value


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
