"""One utterance and one prompt in, one decision out: accept, confirm or reject."""

from dataclasses import dataclass, field

from tutor.understand.expectation import Expectation
from tutor.understand.lexicon import Lexicon
from tutor.understand.matcher import NO_SUCH_CHOICE, Evidence, Matcher, Target
from tutor.understand.policy import decide
from tutor.understand.subwords import Subwords


@dataclass(frozen=True)
class Alternative:
    intent: str
    key: str | None
    score: float


@dataclass(frozen=True)
class Decision:
    decision: str
    intent: str | None
    key: str | None
    score: float
    alternatives: tuple[Alternative, ...] = ()
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    def to_json(self) -> dict:
        """The contract of DESIGN.md section 6."""
        return {
            "decision": self.decision,
            "intent": self.intent,
            "key": self.key,
            "score": round(self.score, 3),
            "alternatives": [
                {"intent": a.intent, "key": a.key, "score": round(a.score, 3)}
                for a in self.alternatives
            ],
        }


class Understander:
    def __init__(self, lexicon: Lexicon, subwords: Subwords | None = None):
        self.lexicon = lexicon
        self.matcher = Matcher(lexicon, subwords or Subwords(None))

    def understand(self, heard: str, expectation: Expectation) -> Decision:
        evidence = self.matcher.evidence(heard, expectation)
        best = _combine(evidence)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked:
            return Decision("reject", None, None, 0.0)
        (target, score), rest = ranked[0], ranked[1:]
        runner_up = rest[0][1] if rest else 0.0
        verdict = decide(score, runner_up)
        alternatives = tuple(Alternative(t[0], t[1], s) for t, s in rest[:3])
        ordered = tuple(sorted(evidence, key=lambda e: -e.score))
        if verdict == "reject" or target == NO_SUCH_CHOICE:
            return Decision("reject", None, None, score, alternatives, ordered)
        return Decision(verdict, target[0], target[1], score, alternatives, ordered)


SUPPORT_BONUS = 0.08
SUPPORT_CAP = 0.84


def _combine(evidence: list[Evidence]) -> dict[Target, float]:
    """A target's best evidence, raised a little by each other phrase of it that was heard.

    "我不晓得咋个整，帮我一哈嘛" names help three times; together they are surer than any one.
    Support alone stays below accept: only one strong match may act without asking.
    """
    best: dict[Target, float] = {}
    phrases: dict[Target, set[str]] = {}
    for e in evidence:
        best[e.target] = max(best.get(e.target, 0.0), e.score)
        if e.score >= 0.5:
            phrases.setdefault(e.target, set()).add(e.form or e.phrase)
    for target, heard in phrases.items():
        if len(heard) > 1 and best[target] < SUPPORT_CAP:
            raised = best[target] + SUPPORT_BONUS * (len(heard) - 1)
            best[target] = min(raised, SUPPORT_CAP)
    return best
