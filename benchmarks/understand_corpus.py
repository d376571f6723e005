"""The understanding corpus (tests/data/understand/) and how a decider is scored on it.

Shared by `benchmarks/understand.py` (tables) and the test suite (targets as assertions), so
both measure the same thing the same way.
"""

import json
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "understand"
PROFILES = ("zh", "zh-southwest", "zh-northeast", "ko-yanbian", "ug")

# What a decider returns: (decision, intent, key).
Verdict = tuple[str, str | None, str | None]
Decider = Callable[[str, str, dict[str, Any]], Verdict]


@dataclass(frozen=True)
class Case:
    profile: str
    prompt: str
    text: str
    want: str
    kind: str

    @property
    def is_noise(self) -> bool:
        return self.want == "reject"


def load_prompts(corpus: Path = CORPUS) -> dict[str, dict[str, Any]]:
    """Prompt id -> the `expect` object of `tutor understand`, with language tables."""
    data = tomllib.loads((corpus / "prompts.toml").read_text(encoding="utf-8"))
    prompts = {}
    for prompt in data["prompt"]:
        expect: dict[str, Any] = {
            "choices": [
                {"key": c["key"], "text": c["text"], "aliases": c.get("aliases", {})}
                for c in prompt.get("choice", [])
            ]
        }
        if "intents" in prompt:
            expect["intents"] = prompt["intents"]
        prompts[prompt["id"]] = expect
    return prompts


def load_cases(corpus: Path = CORPUS) -> list[Case]:
    cases = []
    for profile in PROFILES:
        path = corpus / f"{profile}.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                cases.append(Case(profile, row["prompt"], row["text"], row["want"], row["kind"]))
    return cases


def verdict_target(verdict: Verdict) -> str:
    decision, intent, key = verdict
    if decision == "reject" or intent is None:
        return "reject"
    return f"choice:{key}" if intent == "choice" else intent


@dataclass
class Score:
    cases: int = 0
    targets: int = 0
    noise: int = 0
    correct_accept: int = 0
    correct_confirm: int = 0
    accepts: int = 0
    wrong_accept: int = 0
    noise_rejected: int = 0

    def add(self, case: Case, verdict: Verdict) -> None:
        got = verdict_target(verdict)
        decision = verdict[0]
        self.cases += 1
        if decision == "accept":
            self.accepts += 1
            if got != case.want:
                self.wrong_accept += 1
        if case.is_noise:
            self.noise += 1
            self.noise_rejected += decision == "reject"
            return
        self.targets += 1
        if got == case.want:
            self.correct_accept += decision == "accept"
            self.correct_confirm += decision == "confirm"

    def row(self) -> dict[str, Any]:
        def pct(n: int, d: int) -> float:
            return round(100.0 * n / d, 1) if d else 0.0

        return {
            "cases": self.cases,
            "accept_accuracy_%": pct(self.correct_accept, self.accepts),
            "correct_accept_%": pct(self.correct_accept, self.targets),
            "confirm_%": pct(self.correct_confirm, self.targets),
            "correct_accept_or_confirm_%": pct(
                self.correct_accept + self.correct_confirm, self.targets
            ),
            "wrong_accept_%": pct(self.wrong_accept, self.cases),
            "noise_rejected_%": pct(self.noise_rejected, self.noise),
        }


def evaluate(
    cases: list[Case], decide: Decider, prompts: dict[str, dict[str, Any]]
) -> tuple[dict[str, Score], list[tuple[Case, Verdict]]]:
    """Per-profile scores (plus 'all'), and every case the decider got wrong or only confirmed."""
    scores: dict[str, Score] = defaultdict(Score)
    misses = []
    for case in cases:
        verdict = decide(case.profile, case.text, prompts[case.prompt])
        scores[case.profile].add(case, verdict)
        scores["all"].add(case, verdict)
        if verdict_target(verdict) != case.want or verdict[0] != (
            "reject" if case.is_noise else "accept"
        ):
            misses.append((case, verdict))
    return dict(scores), misses


def kind_counts(cases: list[Case]) -> Counter:
    return Counter((c.profile, c.kind) for c in cases)


def tutor_decider() -> Decider:
    """The real understanding layer, wired as `tutor understand` wires it."""
    from tutor.commands.understand import lexicon_of, load_subwords
    from tutor.content.paths import voices_dir
    from tutor.content.voices import load_profiles
    from tutor.understand.engine import Understander
    from tutor.understand.expectation import Expectation

    profiles, _ = load_profiles(voices_dir())
    subwords = load_subwords()
    engines = {pid: Understander(lexicon_of(p), subwords) for pid, p in profiles.items()}
    expectations: dict[tuple[str, int], Expectation] = {}

    def decide(profile: str, text: str, expect: dict[str, Any]) -> Verdict:
        cache_key = (profiles[profile].language, id(expect))
        if cache_key not in expectations:
            expectations[cache_key] = Expectation.from_json(expect, profiles[profile].language)
        d = engines[profile].understand(text, expectations[cache_key])
        return d.decision, d.intent, d.key

    return decide


def _candidate_phrases(profile: Any, expect: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(intent, key, phrase) for every choice text, alias, intent word and bare number word."""
    lang = profile.language
    phrases = []
    for intent in expect.get("intents", list(profile.intents)):
        phrases += [(intent, None, w) for w in profile.intents.get(intent, ())]
    for n, choice in enumerate(expect["choices"], 1):
        text = choice["text"]
        phrases.append(("choice", choice["key"], text.get(lang) or text["zh"]))
        phrases += [("choice", choice["key"], a) for a in choice.get("aliases", {}).get(lang, [])]
        phrases += [
            ("choice", choice["key"], w) for w in (str(n), *profile.number_words.get(n, ()))
        ]
    return phrases


def _plain(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def exact_grammar_decider() -> Decider:
    """Rhasspy-style template matching: act only on an exact phrase, else nothing."""
    from tutor.content.paths import voices_dir
    from tutor.content.voices import load_profiles

    profiles, _ = load_profiles(voices_dir())

    def decide(profile: str, text: str, expect: dict[str, Any]) -> Verdict:
        heard = _plain(text)
        hits = {
            (i, k)
            for i, k, p in _candidate_phrases(profiles[profile], expect)
            if _plain(p) == heard
        }
        if len(hits) == 1:
            intent, key = hits.pop()
            return "accept", intent, key
        return "reject", None, None

    return decide


def rapidfuzz_decider(accept_at: float = 85, confirm_at: float = 65) -> Decider:
    """Plain rapidfuzz ratio over the same phrases, best match wins."""
    from rapidfuzz import fuzz

    from tutor.content.paths import voices_dir
    from tutor.content.voices import load_profiles

    profiles, _ = load_profiles(voices_dir())

    def decide(profile: str, text: str, expect: dict[str, Any]) -> Verdict:
        heard = _plain(text)
        best = max(
            (
                (fuzz.ratio(heard, _plain(p)), i, k)
                for i, k, p in _candidate_phrases(profiles[profile], expect)
            ),
            default=(0, None, None),
        )
        score, intent, key = best
        if score >= accept_at:
            return "accept", intent, key
        if score >= confirm_at:
            return "confirm", intent, key
        return "reject", None, None

    return decide
