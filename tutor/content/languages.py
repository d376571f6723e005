"""The closed vocabularies every content file is checked against.

Kept in one place so the schema, the checker and the understanding layer agree on what a
language code, a global intent or a review status is.
"""

from typing import Literal, get_args

Language = Literal["zh", "ko", "ug"]
LANGUAGES: tuple[str, ...] = get_args(Language)

# Mandarin is the fallback for every missing translation, so it is the one language that
# may never be missing.
FALLBACK_LANGUAGE = "zh"

Intent = Literal["next", "back", "repeat", "help", "home", "yes", "no", "slower", "pause", "quit"]
INTENTS: tuple[str, ...] = get_args(Intent)

# How far a translation can be trusted, from best to worst. A pack says this per language so
# a mentor knows whether the Uyghur text was written by a native speaker or only drafted.
ReviewStatus = Literal["native", "reviewed", "draft", "machine"]
REVIEW_STATUSES: tuple[str, ...] = get_args(ReviewStatus)
