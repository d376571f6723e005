"""Every string the tutor may say aloud, by its stable string id.

A string id names one sentence independently of its language, so a recording made for it
can be found again (voices/README.md, "Recorded voice packs"):

- a UI string: its catalog key, `app.welcome`;
- a lesson string: `<pack>/<lesson>/<key path>`, the key path as `tutor lessons check`
  prints it, except that a step with an `id` is named by that id instead of `step[N]`, so
  recordings survive steps being inserted or reordered: `starter/photos/light.choice[1].text`,
  `starter/pricing/step[4].text` for a step without an id;
- a pack's own strings: `<pack>/<key path>`, `starter/title`, `starter/skill[2].name`.

Word lists (`aliases`, `keywords`) are what learners say, not what the tutor says, and are
left out.
"""

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tutor.content.packs import Pack, find_packs, read_pack
from tutor.content.paths import lessons_dir, strings_dir
from tutor.content.problems import has_errors

# Catalog sections that are never spoken. Most are printed only by mentors' commands in a
# terminal (command-line help, checker reports, JSON tool errors, recording sessions,
# `tutor listen` and model installs): they
# name commands and formats (`tutor lessons check`, JSON) that no voice can say. `speech.` is
# shown exactly when no sound can be made. None of them needs a recording, and they are
# exempt from the "no English" pronunciation test. Every other section may be spoken to a
# learner.
UNSPOKEN = (
    "cli.",
    "check.",
    "understand.",
    "lessons.",
    "voices.",
    "say.",
    "recordings.",
    "speech.",
    "listen.",
    "audio.",
    "models.",
    "learn.",
    "drills.",
    "sync.",
    "datahome.",
    "screen.",
    "hub.",
    "report.",
    # The mentor's console and the group screen's keys, tally and sheet are read, never said;
    # only the mentor's reply (mentor.reply_*) and the room's prompts are spoken.
    "mentor.title",
    "mentor.county",
    "mentor.keys",
    "mentor.cli.",
    "mentor.status.",
    "mentor.tab.",
    "mentor.help.",
    "mentor.session.",
    "mentor.roster.",
    "mentor.form.",
    "classroom.keys.",
    "classroom.hands_",
    "classroom.tally.",
    "classroom.sheet.",
)
_META_KEYS = ("language", "review")
_WORD_LISTS = ("aliases", "keywords")


def is_spoken_key(key: str) -> bool:
    """Whether a catalog key may be said aloud to a learner (see UNSPOKEN)."""
    return not key.startswith(UNSPOKEN)


def ui_strings(language: str, folder: Path | None = None) -> dict[str, str]:
    """Spoken catalog strings of `language` by key, as written (placeholders unfilled)."""
    path = (folder or strings_dir()) / f"{language}.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    flat = _flatten({k: v for k, v in data.items() if k not in _META_KEYS})
    return {key: text for key, text in flat.items() if is_spoken_key(key)}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, str):
            flat[f"{prefix}{key}"] = value
    return flat


def lesson_strings(pack: Pack, language: str) -> dict[str, str]:
    """Every sentence of `pack` written in `language`, by string id, in teaching order."""
    found: dict[str, str] = {}
    pack_id = pack.manifest.id
    _collect(f"{pack_id}/", "", pack.manifest, language, found)
    for item_id in [*pack.manifest.lessons, *pack.manifest.drills]:
        item = pack.lessons.get(item_id) or pack.drills.get(item_id)
        if item is not None:
            _collect(f"{pack_id}/{item_id}/", "", item, language, found)
    return found


def _collect(prefix: str, path: str, value: Any, language: str, found: dict[str, str]) -> None:
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            if key in _WORD_LISTS or key == "review":
                continue
            child = getattr(value, key)
            if key == "step":
                for i, step in enumerate(child):
                    _collect(prefix, step.id or f"step[{i + 1}]", step, language, found)
            else:
                _collect(prefix, f"{path}.{key}" if path else key, child, language, found)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            _collect(prefix, f"{path}[{i + 1}]", child, language, found)
    elif isinstance(value, dict) and isinstance(value.get(language), str):
        found[prefix + path] = value[language]


def all_strings(language: str) -> dict[str, str]:
    """Every sentence that can be recorded, by string id: spoken UI strings and the sentences
    of the shipped lesson packs.

    A UI string with a placeholder ("{count} 句") changes with every use, so it is always
    synthesised and left out. A pack with errors is skipped: `tutor lessons check` reports
    it, and its sentences are not worth recording until it is fixed.
    """
    found = {key: text for key, text in ui_strings(language).items() if "{" not in text}
    for root in find_packs(lessons_dir()):
        pack, problems = read_pack(root, {})
        if pack is not None and not has_errors(problems):
            found.update(lesson_strings(pack, language))
    return found
