"""Part of `tutor lessons check`: every choice can be said, and no two choices sound alike.

Each choice's text and spoken aliases are put through the real understanding layer of every
shipped voice profile of the choice's language, against the prompt they belong to. A phrase
that lands on another choice (or on a command word) would make a learner's right answer
into a wrong one: an error. A phrase the layer cannot place at all is a warning.
"""

from tutor.content.packs import Pack
from tutor.content.problems import Problem, Severity
from tutor.content.reading import display_path
from tutor.content.schema import ChooseStep
from tutor.content.voices import VoiceProfile
from tutor.understand.engine import Understander
from tutor.understand.expectation import Expectation, Option
from tutor.understand.subwords import Subwords

STEP_INTENTS = ("next", "back", "repeat", "help", "home", "pause", "slower", "quit", "yes", "no")


def check_voice_fit(
    pack: Pack, profiles: dict[str, VoiceProfile], subwords: Subwords
) -> list[Problem]:
    from tutor.commands.understand import lexicon_of

    ears = {pid: Understander(lexicon_of(p), subwords) for pid, p in profiles.items()}
    problems = []
    for lesson_id, lesson in pack.lessons.items():
        name = display_path(pack.root / f"{lesson_id}.toml")
        for i, step in enumerate(lesson.step):
            if isinstance(step, ChooseStep):
                problems += _step(name, f"step[{i + 1}]", step, profiles, ears)
    return problems


def _step(
    name: str,
    where: str,
    step: ChooseStep,
    profiles: dict[str, VoiceProfile],
    ears: dict[str, Understander],
) -> list[Problem]:
    options = tuple(
        Option(c.key, tuple(c.text.items()), tuple((k, tuple(v)) for k, v in c.aliases.items()))
        for c in step.choice
    )
    expectation = Expectation(options, STEP_INTENTS)
    problems = []
    reported: set[tuple[str, str]] = set()
    for pid, profile in profiles.items():
        lang = profile.language
        problems += _same_sounds(name, where, step, pid, lang, ears[pid])
        for j, choice in enumerate(step.choice):
            phrases = [choice.text.get(lang), *choice.aliases.get(lang, [])]
            for phrase in filter(None, phrases):
                decision = ears[pid].understand(phrase, expectation)
                landed = decision.key if decision.intent == "choice" else decision.intent
                if landed == choice.key or (phrase, lang) in reported:
                    continue
                reported.add((phrase, lang))
                at = f"{where}.choice[{j + 1}]"
                if decision.decision == "reject":
                    message = f"'{phrase}' is not understood as this choice by {pid}"
                    problems.append(Problem(name, at, message, Severity.WARNING))
                else:
                    message = f"'{phrase}' sounds like '{landed}' to {pid}, not this choice"
                    problems.append(Problem(name, at, message))
    return problems


def _same_sounds(
    name: str, where: str, step: ChooseStep, pid: str, lang: str, ears: Understander
) -> list[Problem]:
    """Two choices with a phrase each that this profile's speakers say the same way (to a
    Sichuan ear 留着 and 牛着 are one sound): a misheard right answer lands on the wrong one."""
    from tutor.understand.matcher import utterance

    owner: dict[str, tuple[str, str]] = {}
    problems = []
    for j, choice in enumerate(step.choice):
        for phrase in filter(None, [choice.text.get(lang), *choice.aliases.get(lang, [])]):
            norm = utterance(phrase, ears.lexicon).norm
            if not norm:
                continue
            key = ears.matcher.sounds.key(norm).strict
            other = owner.setdefault(key, (choice.key, phrase))
            if other[0] != choice.key:
                message = f"'{phrase}' sounds like '{other[1]}' of choice {other[0]} to {pid}"
                problems.append(Problem(name, f"{where}.choice[{j + 1}]", message))
    return problems
