"""From audio to a decision: grammar pass, free pass, and the check between them.

Vosk maps speech that is not in the grammar onto grammar words, often with confidence 1.0,
so a grammar result alone is never acted on. It is accepted only when it is one whole phrase
of the prompt and the free-recognition pass, understood on its own, points at the same
answer. Otherwise the learner is asked back ("did you mean...?") when the grammar pass was
sure of a whole phrase, when the two passes sound alike, or when the grammar's N-best holds
exactly one whole phrase under a result that is none; and the options are repeated when not.
Two commands heard at once ("뒤로 그만") are what vosk makes of noise: never asked about.
"""

from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from tutor.speech.grammar import UNKNOWN_TOKENS, build_grammar
from tutor.speech.listener import Heard
from tutor.speech.vosk_engine import Pass, VoskEngine
from tutor.understand.engine import Decision, Understander
from tutor.understand.expectation import Expectation

SURE_WORDS = 0.5
"""Lowest word confidence of a grammar pass that may be asked back without the free pass."""

SURE_PARTS = 0.9
"""Lowest word confidence at which a grammar pass that is not one whole phrase (junk words
around an answer) may still be asked back."""

ALIKE = 0.5
"""Sound similarity of the two passes above which they count as hearing the same thing."""

ALTERNATIVES = 5
"""N-best grammar results kept: a whole phrase just below the best may be what was said."""


def recognize(
    engine: VoskEngine,
    pcm: bytes,
    expectation: Expectation,
    understander: Understander,
    constrained: Pass | None = None,
    free: Pass | None = None,
) -> Heard:
    """Both passes over `pcm`, unless a live listener already decoded them while the
    learner spoke; the grammar's N-best always comes from a pass over the whole audio."""
    grammar = build_grammar(expectation, understander.lexicon, engine.known, engine.unknown_token)
    constrained = constrained or engine.recognize(pcm, grammar)
    ranked = engine.recognize(pcm, grammar, alternatives=ALTERNATIVES)
    free = free or engine.recognize(pcm, None)
    words = [w for w, _ in constrained.words if w not in UNKNOWN_TOKENS]
    text = " ".join(words)
    had_unknown = any(w in UNKNOWN_TOKENS for w, _ in constrained.words)
    return Heard(
        text=text,
        confidence=constrained.confidence,
        source="voice",
        alternatives=tuple(
            (" ".join(w for w in text.split() if w not in UNKNOWN_TOKENS), score)
            for text, score in ((ranked.text, 0.0), *ranked.alternatives)
            if grammar.is_whole_phrase(text)
        ),
        free_text=free.text,
        complete_phrase=bool(text) and not had_unknown and grammar.is_whole_phrase(text),
        ended_at=len(pcm) / 2 / engine.sample_rate,
        word_confidences=tuple(c for _, c in constrained.words),
    )


def decide(heard: Heard, expectation: Expectation, understander: Understander) -> Decision:
    """Accept only what both passes agree on; ask back what one pass is sure of."""
    free = understander.understand(heard.free_text or "", expectation)
    if heard.text:
        constrained = understander.understand(heard.text, expectation)
        if constrained.decision != "reject":
            agree = free.decision != "reject" and _target(free) == _target(constrained)
            if constrained.decision == "accept" and heard.complete_phrase and agree:
                return constrained
            sure_of_parts = heard.confidence >= SURE_PARTS and _one_meaning(
                heard, expectation, understander
            )
            if (
                agree
                or _alike(heard, constrained, understander)
                or (heard.complete_phrase and heard.confidence >= SURE_WORDS)
                or sure_of_parts
            ):
                return replace(constrained, decision="confirm")
    runner_up = _runner_up(heard, expectation, understander)
    if runner_up is not None:
        return runner_up
    if not heard.text:
        return _at_most_confirm(free)
    return Decision("reject", None, None, 0.0)


def _runner_up(
    heard: Heard, expectation: Expectation, understander: Understander
) -> Decision | None:
    """A whole phrase among the grammar's N-best, asked back when the free pass sounds like
    it, or when the best reading was no phrase at all and this is the only one that is: the
    grammar decoder's one valid reading of the audio (두 번째 under "뒤로 번째")."""
    whole = {text for text, _ in heard.alternatives if text}
    only_reading = not heard.complete_phrase and len(whole) == 1
    for text, _ in heard.alternatives:
        if not text or text == heard.text:
            continue
        decision = understander.understand(text, expectation)
        if decision.decision != "reject" and (
            only_reading or _alike(replace(heard, text=text), decision, understander)
        ):
            return replace(decision, decision="confirm")
    return None


def _one_meaning(heard: Heard, expectation: Expectation, understander: Understander) -> bool:
    """The grammar pass's words do not name two different answers ("뒤로 그만" is what
    vosk makes of noise: back and quit at once)."""
    named = set()
    for word in heard.text.split():
        decision = understander.understand(word, expectation)
        if decision.decision != "reject":
            named.add(_target(decision))
    return len(named) <= 1


def _target(decision: Decision) -> tuple[str | None, str | None]:
    return decision.intent, decision.key


def _at_most_confirm(decision: Decision) -> Decision:
    if decision.decision == "accept":
        return replace(decision, decision="confirm")
    return decision


def _alike(heard: Heard, decision: Decision, understander: Understander) -> bool:
    """The free pass sounds like what the grammar pass heard, or like the phrase that the
    understanding layer matched in it (러시 for 다시)."""
    sounds = understander.matcher.sounds
    free = sounds.key((heard.free_text or "").replace(" ", "")).loose
    if not free:
        return False
    heard_as = [heard.text] + [e.phrase for e in decision.evidence[:1]]
    return any(
        Levenshtein.normalized_similarity(free, sounds.key(t.replace(" ", "")).loose) >= ALIKE
        for t in heard_as
        if t
    )
