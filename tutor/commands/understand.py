"""`tutor understand` and `tutor lessons subwords`: wire profiles, lessons and the subword
model into the understanding layer, which itself reads no files."""

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tutor.content.paths import lessons_dir, voices_dir
from tutor.content.strings import Catalog
from tutor.content.voices import VoiceProfile, load_profiles
from tutor.progress.home import write_atomically
from tutor.understand.engine import Understander
from tutor.understand.expectation import Expectation
from tutor.understand.lexicon import Lexicon
from tutor.understand.subwords import Subwords

MODEL_NAME = "subwords.model"
STAMP_NAME = "subwords.sha256"


def lexicon_of(profile: VoiceProfile) -> Lexicon:
    return Lexicon(
        profile=profile.id,
        language=profile.language,
        intents=profile.intents,
        number_words=profile.number_words,
        ordinal_words=profile.ordinal_words,
        number_patterns=profile.number_patterns,
        last_words=profile.last_words,
        from_end_patterns=profile.from_end_patterns,
        middle_words=profile.middle_words,
        fillers=profile.fillers,
        endings=profile.endings,
        particles=profile.particles,
        sounds=profile.sounds,
        slips=profile.slips,
        spellings=profile.spellings,
        synonyms=profile.synonyms,
    )


def training_sentences(root: Path, profiles: dict[str, VoiceProfile]) -> list[str]:
    """Every lesson string and lexicon word, normalized as the matcher will see them, with
    word boundaries kept so that pieces are learnt per word, not across words."""
    from tutor.content.packs import find_packs, read_pack
    from tutor.understand.normalize import spaced

    by_language = {p.language: lexicon_of(p) for p in profiles.values() if len(p.chain) == 1}
    sentences = []
    for pack_root in find_packs(root):
        pack, _ = read_pack(pack_root, {})
        if pack is None:
            continue
        items = [pack.manifest, *pack.lessons.values(), *pack.drills.values()]
        for lang, text in (pair for item in items for pair in _language_strings(item.model_dump())):
            if lang in by_language:
                sentences.append(spaced(text, by_language[lang]))
    for profile in profiles.values():
        lexicon = lexicon_of(profile)
        words = [w for ws in profile.intents.values() for w in ws]
        words += [w for ws in profile.number_words.values() for w in ws]
        sentences += [spaced(w, lexicon) for w in words]
    return sorted(set(filter(None, sentences)))


def _language_strings(value: Any, lang: str | None = None) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _language_strings(child, key if key in ("zh", "ko", "ug") else lang)
    elif isinstance(value, list):
        for child in value:
            yield from _language_strings(child, lang)
    elif isinstance(value, str) and lang:
        yield lang, value


def ensure_subwords(force: bool = False, root: Path | None = None) -> bool:
    """Retrain the subword model when lessons or lexicons changed; True if it was rebuilt."""
    import sentencepiece

    from tutor.understand.training import TRAINING, train_subwords

    root = root or lessons_dir()
    profiles, _ = load_profiles(voices_dir())
    sentences = training_sentences(root, profiles)
    digest = hashlib.sha256(
        "\n".join([sentencepiece.__version__, TRAINING, *sentences]).encode("utf-8")
    ).hexdigest()
    stamp, model = root / STAMP_NAME, root / MODEL_NAME
    if not force and _current(stamp, model, digest):
        return False
    from tutor.speech.readings import FILE_NAME, build

    write_atomically(model, train_subwords(sentences))
    write_atomically(stamp, (digest + "\n").encode())
    # The course's pinyin is worked out with the same content, so it is kept current here too.
    write_atomically(root / FILE_NAME, build(root).encode())
    return True


def _current(stamp: Path, model: Path, digest: str) -> bool:
    """The stamp matches and the model beside it is whole (a cut-off write is not)."""
    if not (stamp.is_file() and model.is_file()) or stamp.read_text().strip() != digest:
        return False
    return Subwords(model.read_bytes()).loaded


def load_subwords(root: Path | None = None) -> Subwords:
    path = (root or lessons_dir()) / MODEL_NAME
    return Subwords(path.read_bytes() if path.is_file() else None)


def run_understand(stdin: TextIO, stdout: TextIO, explain: bool, catalog: Catalog) -> int:
    """JSON lines in, one JSON line out for each; a bad line gets an `error` line, exit 1."""
    from tutor.speech.readings import prime_for

    profiles, _ = load_profiles(voices_dir())
    subwords = load_subwords()
    understanders: dict[str, Understander] = {}
    status = 0
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError(catalog.text("understand.not_object"))
            voice = request.get("voice", "zh")
            if voice not in profiles:
                raise ValueError(catalog.text("understand.unknown_voice", voice=voice))
            if voice not in understanders:
                prime_for(profiles[voice].language)
                understanders[voice] = Understander(lexicon_of(profiles[voice]), subwords)
            language = profiles[voice].language
            expectation = Expectation.from_json(request.get("expect", {}), language)
            text = request.get("text", "")
            if not isinstance(text, str):
                raise ValueError(catalog.text("understand.text_not_string"))
        except (ValueError, TypeError, RecursionError, UnicodeError) as err:
            reason = str(err).encode("utf-8", "replace").decode("utf-8")
            print(catalog.text("understand.bad_line", line=number, reason=reason), file=sys.stderr)
            stdout.write(json.dumps({"error": reason, "line": number}) + "\n")
            status = 1
            continue
        decision = understanders[voice].understand(text, expectation)
        out = decision.to_json()
        if explain:
            out["explain"] = [
                f"{e.matcher} {e.score:.2f} {e.target[0]}{'/' + e.target[1] if e.target[1] else ''}"
                f" heard '{e.heard}' ~ '{e.phrase}'"
                for e in decision.evidence[:6]
            ]
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return status
