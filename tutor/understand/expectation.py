"""What the current prompt accepts: its choices and which global intents apply.

The session runner builds one per prompt; `tutor understand` reads one from JSON. It is
frozen and hashable so the phrases derived from it can be cached across utterances.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tutor.content.languages import FALLBACK_LANGUAGE, INTENTS


@dataclass(frozen=True)
class Option:
    key: str
    text: tuple[tuple[str, str], ...]
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def text_in(self, language: str) -> str:
        texts = dict(self.text)
        return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")

    def aliases_in(self, language: str) -> tuple[str, ...]:
        return dict(self.aliases).get(language, ())


@dataclass(frozen=True)
class Expectation:
    choices: tuple[Option, ...] = ()
    intents: tuple[str, ...] = INTENTS

    @classmethod
    def from_json(cls, data: Any, language: str = FALLBACK_LANGUAGE) -> "Expectation":
        """Accept `text` and `aliases` as plain values (in `language`) or language tables."""
        if not isinstance(data, Mapping):
            raise ValueError("expect must be an object")
        choices = []
        raw_choices = data.get("choices", []) or []
        if not isinstance(raw_choices, list):
            raise ValueError("expect.choices must be a list")
        for i, raw in enumerate(raw_choices):
            if not isinstance(raw, Mapping) or "text" not in raw:
                raise ValueError(f"expect.choices[{i + 1}] needs a text")
            key = raw.get("key", i + 1)
            if isinstance(key, bool) or not isinstance(key, str | int) or not str(key).strip():
                raise ValueError(f"expect.choices[{i + 1}].key must be text or a number")
            key = str(key)
            if any(c.key == key for c in choices):
                raise ValueError(f"expect.choices[{i + 1}].key '{key}' is used twice")
            choices.append(
                Option(
                    key,
                    _table(raw["text"], language, str),
                    _word_table(raw.get("aliases"), language),
                )
            )
        intents = data.get("intents", list(INTENTS))
        if not isinstance(intents, list) or any(i not in INTENTS for i in intents):
            raise ValueError(f"expect.intents must be a list of: {', '.join(INTENTS)}")
        return cls(tuple(choices), tuple(intents))


def _table(value: Any, language: str, kind: type) -> tuple[tuple[str, Any], ...]:
    if isinstance(value, Mapping):
        return tuple((str(k), v) for k, v in value.items() if isinstance(v, kind))
    if isinstance(value, kind):
        return ((language, value),)
    raise ValueError("expected text or a table of languages")


def _word_table(value: Any, language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return ((language, _words(value)),)
    if isinstance(value, Mapping):
        return tuple((str(k), _words(v)) for k, v in value.items())
    raise ValueError("aliases must be a list or a table of lists")


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValueError("aliases must be lists of text")
    return tuple(value)
