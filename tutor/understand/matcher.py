"""Score what was said against every phrase the prompt accepts, one matcher at a time.

Each matcher gives evidence (target, score, why); the engine combines them. The phrases of a
prompt are prepared once per expectation and reused for every utterance. Lengths are counted
in units that carry meaning: characters for Chinese, words for Korean and Uyghur.
"""

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from tutor.understand.expectation import Expectation
from tutor.understand.lexicon import Lexicon
from tutor.understand.normalize import words
from tutor.understand.numbers import from_end_phrases, number_phrases
from tutor.understand.sounds import SoundKeys
from tutor.understand.subwords import Subwords

Target = tuple[str, str | None]
"""("choice", "2") or (intent, None)."""

NO_SUCH_CHOICE: Target = ("none", None)

# A whole clause that is exactly a phrase (等哈儿，我去看一下锅头): clear enough to ask
# about, never enough to act on, since the rest of the sentence may take it back.
CLAUSE_SCORE = 0.78

# The answer names exactly the amount one choice names (卖五十 for 五十块一斤).
SAME_NUMBER_SCORE = 0.72

# A Chinese answer must be at least this much the choice's own characters to be asked about
# on them alone: 这鸡蛋是今儿早上才捡的 names eggs, not the egg tray.
CHARACTER_SHARE = 0.25

# One shared piece counts only when it is half the answer or more, in letters (사진이요 for
# 사진), not a scrap of a long sentence about something else ("how much are apricots" for
# "8 kuai", the "yol" of "the courier came" for "the courier broke it").
LONE_PIECE_SHARE = 0.5

MAX_NUMBER = 10
CONTENT = ("text", "alias")


@dataclass(frozen=True)
class Evidence:
    target: Target
    score: float
    matcher: str
    heard: str
    phrase: str
    form: str = ""
    """The phrase as compared (normalized): two spellings of one phrase are one phrase."""


@dataclass(frozen=True)
class Utterance:
    norm: str
    units: int
    substantial: bool
    tokens: tuple[str, ...]


def utterance(text: str, lexicon: Lexicon) -> Utterance:
    tokens = words(text, lexicon)
    norm = "".join(tokens)
    # Long enough to stand for a word on its own: two Chinese characters, two Hangul
    # syllables, or four Uyghur letters. Shorter fragments are half words or noise.
    minimum = {"zh": 2, "ko": 2}.get(lexicon.language, 4)
    if lexicon.language == "zh":
        units = len(norm)
    else:
        # A Korean or Uyghur word carries about what two Chinese characters do.
        units = sum(2 if len(token) >= minimum else 1 for token in tokens)
    spaced = tuple(tokens) if lexicon.language != "zh" else ()
    return Utterance(norm, units, len(norm) >= minimum, spaced)


@dataclass(frozen=True)
class Phrase:
    target: Target
    text: str
    norm: str
    units: int
    source: str
    substantial: bool
    tokens: tuple[str, ...]


class PromptPhrases:
    """Every phrase an expectation accepts, normalized, indexed and keyed by sound."""

    def __init__(
        self, expectation: Expectation, lexicon: Lexicon, sounds: SoundKeys, subwords: Subwords
    ):
        lang = lexicon.language
        raw: list[tuple[Target, str, str]] = []
        for intent in expectation.intents:
            raw += [((intent, None), w, "lexicon") for w in lexicon.intents.get(intent, ())]
        count = len(expectation.choices)
        numbers = number_phrases(lexicon, max(MAX_NUMBER, count))
        for n, option in enumerate(expectation.choices, 1):
            target: Target = ("choice", option.key)
            raw.append((target, option.text_in(lang), "text"))
            raw += [(target, a, "alias") for a in option.aliases_in(lang)]
            raw += [(target, form, "number") for form in numbers.get(n, [])]
        for n, forms in from_end_phrases(lexicon, count).items():
            target = ("choice", expectation.choices[n - 1].key)
            raw += [(target, form, "number") for form in forms]
        if count:
            last: Target = ("choice", expectation.choices[-1].key)
            raw += [(last, w, "number") for w in lexicon.last_words]
            if count % 2 == 1 and count > 1:
                middle: Target = ("choice", expectation.choices[count // 2].key)
                raw += [(middle, w, "number") for w in lexicon.middle_words]
            # A number the prompt does not offer ("the ninth" of three) is a clear "none of
            # these": it competes as its own target so it is rejected, not bent onto a choice.
            for n in range(count + 1, MAX_NUMBER + 1):
                raw += [(NO_SUCH_CHOICE, form, "number") for form in numbers.get(n, [])]
        self.phrases: list[Phrase] = []
        for target, text, source in raw:
            u = utterance(text, lexicon)
            if u.norm:
                self.phrases.append(
                    Phrase(target, text, u.norm, u.units, source, u.substantial, u.tokens)
                )
        self.exact: dict[str, list[Phrase]] = {}
        self.by_strict: dict[str, list[Phrase]] = {}
        self.by_loose: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            self.exact.setdefault(phrase.norm, []).append(phrase)
            key = sounds.key(phrase.norm)
            self.by_strict.setdefault(key.strict, []).append(phrase)
            self.by_loose.setdefault(key.loose, []).append(phrase)
        self.strict_keys = list(self.by_strict)
        self.loose_keys = list(self.by_loose)
        self.content = [p for p in self.phrases if p.source in CONTENT]
        self.digits = frozenset(
            ch for words in lexicon.number_words.values() for w in words for ch in w if len(w) == 1
        ) | frozenset("0123456789")
        self.weights = _piece_weights(self.content, subwords)


def _piece_weights(content: list[Phrase], subwords: Subwords) -> dict[str, float]:
    """A piece shared by every choice tells them apart not at all: weight by rarity."""
    owners: dict[str, set[Target]] = {}
    for phrase in content:
        for piece in subwords.pieces(" ".join(phrase.tokens) or phrase.norm):
            owners.setdefault(piece, set()).add(phrase.target)
    total = len({p.target for p in content})
    if total < 2:
        return {piece: 1.0 for piece in owners}
    return {piece: 1.0 - (len(who) - 1) / (total - 1) for piece, who in owners.items()}


def _inside(phrase: Phrase, coverage: float) -> float:
    """How much a phrase found inside a longer answer counts.

    A choice's own word inside a sentence is a real signal; a short command or number word
    is not, since everyday talk is full of them ("good", "no", "below" in Chinese are single
    characters). Longer command phrases sit between the two.
    """
    if phrase.source in CONTENT and phrase.substantial:
        return 0.55 + 0.35 * coverage
    if phrase.units >= 3 or (phrase.units >= 2 and phrase.source in CONTENT):
        return 0.45 + 0.45 * coverage
    if phrase.units == 2:
        return 0.30 + 0.50 * coverage
    return 0.30 + 0.60 * coverage if phrase.source != "lexicon" else 0.25 + 0.55 * coverage


def _whole_words(phrase: Phrase, said: Utterance) -> bool:
    """In Korean and Uyghur a command or number word must start and end on word boundaries
    of the answer (이 "two" is not inside 뭐이냐, but 다시 한번 is in 다시 한 번 말씀해);
    a choice's own words may carry suffixes."""
    if not said.tokens or phrase.source in CONTENT:
        return True
    bounds, at = {0}, 0
    for token in said.tokens:
        at += len(token)
        bounds.add(at)
    start = said.norm.find(phrase.norm)
    while start != -1:
        if start in bounds and start + len(phrase.norm) in bounds:
            return True
        start = said.norm.find(phrase.norm, start + 1)
    return False


def _occurrences(phrase: str, text: str) -> list[int]:
    """Where `phrase` stands in `text`, but never as part of a longer number: the 1 in 11 or
    in 100 is not the number one, nor is the 五 of 五十 the number five."""
    found, start = [], text.find(phrase)
    while start != -1:
        end = start + len(phrase)
        glued = (phrase[0].isnumeric() and start > 0 and text[start - 1].isnumeric()) or (
            phrase[-1].isnumeric() and end < len(text) and text[end].isnumeric()
        )
        if not glued:
            found.append(start)
        start = text.find(phrase, start + 1)
    return found


def _covered_share(norm: str, prompt: PromptPhrases) -> dict[Target, float]:
    """Per target, the share of the answer its phrases cover together, below one: "不对不对，
    那不对" is mostly the word for no, though no single phrase is most of it."""
    spans: dict[Target, set[int]] = {}
    for p in prompt.phrases:
        if p.norm == norm:
            continue
        for start in _occurrences(p.norm, norm):
            spans.setdefault(p.target, set()).update(range(start, start + len(p.norm)))
    return {target: min(len(span) / len(norm), 0.95) for target, span in spans.items()}


def _gapped_in(phrase: str, text: str, digits: frozenset[str], gap: int = 2) -> bool:
    """The phrase's characters in order inside `text`, with at most `gap` extra characters
    in between, as when a measure word or a particle is slipped into a word. A number in the
    gap changes the meaning (二十五块 is not 二十块), so it breaks the match."""
    start = text.find(phrase[0])
    while start != -1:
        position, extra = start, 0
        for ch in phrase[1:]:
            found = text.find(ch, position + 1, position + 2 + gap - extra)
            if found == -1 or digits & set(text[position + 1 : found]):
                break
            extra += found - position - 1
            position = found
        else:
            return True
        start = text.find(phrase[0], start + 1)
    return False


MAX_CLAUSE_TEXT = 200


def _clauses_of(text: str) -> list[str]:
    """Split at any punctuation of any script (，。、 , . ، ؟)."""
    marked = "".join("\n" if unicodedata.category(ch)[0] == "P" else ch for ch in text)
    return [c for c in marked.split("\n") if c.strip()]


@lru_cache(maxsize=1024)
def _amounts(norm: str, numerals: frozenset[str]) -> frozenset[str]:
    """The amounts a Chinese text names: runs of the profile's numerals of two or more
    characters, or a digit (一 alone is mostly "a", as in 一斤, 一下)."""
    runs, run = [], ""
    for ch in norm + " ":
        if ch in numerals:
            run += ch
            continue
        if len(run) >= 2 or run.isdigit():
            runs.append(run)
        run = ""
    return frozenset(runs)


def _same_number(numbers: frozenset[str], prompt: PromptPhrases) -> list[Evidence]:
    """Evidence for the one choice whose text names every amount the answer names."""
    if not numbers:
        return []
    owners = {p.target: p for p in prompt.content if numbers <= _amounts(p.norm, prompt.digits)}
    if len(owners) != 1:
        return []
    ((target, phrase),) = owners.items()
    named = "".join(sorted(numbers))
    return [Evidence(target, SAME_NUMBER_SCORE, "same-number", named, phrase.text, phrase.norm)]


class Matcher:
    def __init__(self, lexicon: Lexicon, subwords: Subwords):
        self.lexicon = lexicon
        subwords = subwords.for_language(lexicon.language)
        self.subwords = subwords
        self.sounds = SoundKeys(lexicon)
        self.prepare = lru_cache(maxsize=256)(
            lambda e: PromptPhrases(e, lexicon, self.sounds, subwords)
        )

    def evidence(self, heard: str, expectation: Expectation) -> list[Evidence]:
        said = utterance(heard, self.lexicon)
        if not said.norm:
            return []
        prompt = self.prepare(expectation)
        found = [
            Evidence(p.target, 1.0, p.source, said.norm, p.text, p.norm)
            for p in prompt.exact.get(said.norm, [])
        ]
        found += self._clauses(heard, prompt)
        found += self._contains(said, prompt)
        zh = self.lexicon.language == "zh"
        numbers = _amounts(said.norm, prompt.digits) if zh else frozenset()
        found += _same_number(numbers, prompt)
        said_as = self._amount_sounds(numbers)
        found += self._sounds(said, prompt, said_as)
        found += self._subwords(said, prompt, said_as)
        return found

    def _said_as_word(self, word: str, tokens: tuple[str, ...]) -> bool:
        """`word` is one of the answer's words, maybe with a case ending (짚을)."""
        suffixes = ("", *self.lexicon.particles, *self.lexicon.endings)
        return any(t.startswith(word) and t[len(word) :] in suffixes for t in tokens)

    def _names_amounts(self, p: Phrase, numbers: frozenset[str], prompt: PromptPhrases) -> bool:
        return not numbers or numbers <= self._amount_sounds(_amounts(p.norm, prompt.digits))

    def _amount_sounds(self, amounts: frozenset[str]) -> frozenset[str]:
        """Amounts as this profile's speakers say them: to a Sichuan ear 四二 is 十二, but
        二十五 is still not 二十."""
        return frozenset(self.sounds.key(amount).strict for amount in amounts)

    def _clauses(self, heard: str, prompt: PromptPhrases) -> list[Evidence]:
        """A clause of a typed answer (split at punctuation) that is exactly a phrase, when
        no other clause names something else ("要得，走下一个" is yes and next at once)."""
        clauses = _clauses_of(heard[:MAX_CLAUSE_TEXT])
        if len(clauses) < 2:
            return []
        found, named = [], set()
        for clause in clauses:
            norm = utterance(clause, self.lexicon).norm
            exact = prompt.exact.get(norm, [])
            found += [
                Evidence(p.target, CLAUSE_SCORE, "clause", norm, p.text, p.norm) for p in exact
            ]
            named |= {p.target for p in prompt.phrases if p.substantial and p.norm in norm}
        return found if len(named) == 1 and found else []

    def _contains(self, said: Utterance, prompt: PromptPhrases) -> list[Evidence]:
        """A phrase inside a longer answer, or an answer that is most of a phrase."""
        found = []
        norm = said.norm
        covered = _covered_share(norm, prompt)
        for p in prompt.phrases:
            if p.norm == norm:
                continue
            if p.norm in norm and _occurrences(p.norm, norm) and _whole_words(p, said):
                coverage = max(p.units / max(said.units, p.units + 1), covered.get(p.target, 0.0))
                if p.source in CONTENT and self._said_as_word(p.norm, said.tokens):
                    # A choice's own word said as a word of its own (짚 "straw" in 밑에 짚을
                    # 깔아): as telling as a longer phrase, however short.
                    p = replace(p, substantial=True)
                score = _inside(p, coverage)
                found.append(Evidence(p.target, score, "contains", norm, p.text, p.norm))
            elif p.source in CONTENT and p.units >= 2 and _gapped_in(p.norm, norm, prompt.digits):
                coverage = p.units / max(said.units, p.units + 1)
                score = 0.9 * _inside(p, coverage)
                found.append(Evidence(p.target, score, "gapped", norm, p.text, p.norm))
            elif said.substantial and norm in p.norm and p.source in CONTENT:
                coverage = len(norm) / len(p.norm)
                score = 0.40 + 0.40 * coverage
                found.append(Evidence(p.target, score, "part-of", norm, p.text, p.norm))
        return found

    def _sounds(
        self, said: Utterance, prompt: PromptPhrases, numbers: frozenset[str]
    ) -> list[Evidence]:
        """Sounds alike: never enough to act alone, always enough to ask back.

        Equal sound keys score at confirm level only (0.80-0.84 by length): two words that
        sound the same to a Sichuan ear may still be two different words. A different
        amount (二十五块 for 二十块) is a different answer, however alike it sounds.
        """
        # Imported here, not with the module: start-up reaches the first prompt sooner.
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import Levenshtein

        heard = self.sounds.key(said.norm)
        scores: dict[int, tuple[float, Phrase]] = {}

        def note(phrases: list[Phrase], score: float) -> None:
            for p in phrases:
                if p.norm != said.norm and score > scores.get(id(p), (0.0, p))[0]:
                    scores[id(p)] = (score, p)

        for p in prompt.by_strict.get(heard.strict, []):
            note([p], 0.80 + 0.01 * min(len(heard.strict), 4))
        for p in prompt.by_loose.get(heard.loose, []):
            note([p], 0.76 + 0.01 * min(len(heard.loose), 4))
        for keys, by_key, factor in (
            (prompt.strict_keys, prompt.by_strict, 1.0),
            (prompt.loose_keys, prompt.by_loose, 0.95),
        ):
            query = heard.strict if factor == 1.0 else heard.loose
            for key, similarity, _ in process.extract(
                query,
                keys,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=0.7,
                limit=None,
            ):
                if similarity < 1.0:
                    note(by_key[key], 0.9 * (factor * similarity) ** 1.5)
        if said.substantial:
            for p in prompt.content:
                key = self.sounds.key(p.norm).loose
                if len(key) >= 2 and len(key) < len(heard.loose):
                    partial = fuzz.partial_ratio(key, heard.loose) / 100
                    if partial >= 0.8:
                        coverage = p.units / max(said.units, p.units + 1)
                        note([p], (0.50 + 0.35 * coverage) * partial**2)
        return [
            Evidence(p.target, score, "sound", said.norm, p.text, p.norm)
            for score, p in scores.values()
            if score >= 0.45 and self._names_amounts(p, numbers, prompt)
        ]

    def _subwords(
        self, said: Utterance, prompt: PromptPhrases, numbers: frozenset[str]
    ) -> list[Evidence]:
        """Shared meaningful pieces between the answer and a choice's texts and aliases.

        An answer naming an amount no phrase names ("二十五块" for 二十块 or 五十块) is a
        different answer, however many characters it shares.
        """
        heard = self.subwords.pieces(" ".join(said.tokens) or said.norm)
        if not heard or not said.substantial:
            return []
        weight = prompt.weights
        best: dict[Target, tuple[float, Phrase]] = {}
        for p in prompt.content:
            if not self._names_amounts(p, numbers, prompt):
                continue
            pieces = self.subwords.pieces(" ".join(p.tokens) or p.norm)
            shared = heard & pieces
            if not shared:
                continue
            got = sum(weight.get(x, 0.0) for x in shared)
            recall = got / (sum(weight.get(x, 0.0) for x in pieces) or 1)
            precision = got / (sum(weight.get(x, 1.0) for x in heard) or 1)
            if recall + precision == 0 or (
                len(shared) == 1 and len(next(iter(shared))) < LONE_PIECE_SHARE * len(said.norm)
            ):
                continue
            f = 2 * recall * precision / (recall + precision)
            score = 0.30 + 0.50 * f
            if got >= 2 and self.lexicon.language == "zh":
                # Two or more of a choice's distinctive characters said together ("窗…边" of
                # 在窗边自然光下拍) are worth asking about, unless they are a small part of a
                # long sentence (counted in characters, not pieces, which overlap). In
                # Chinese a character is a word part; Korean and Uyghur pieces are not.
                chars = {ch for piece in shared if weight.get(piece, 0.0) > 0 for ch in piece}
                if len(chars) >= 2 and len(chars) >= CHARACTER_SHARE * len(said.norm):
                    score = max(score, 0.50 + 0.05 * min(got, 4))
            if p.target not in best or score > best[p.target][0]:
                best[p.target] = (score, p)
        return [
            Evidence(t, s, "subword", said.norm, p.text, p.norm)
            for t, (s, p) in best.items()
            if s >= 0.45
        ]
