"""When to act, when to ask back, when to say the options again. All thresholds live here.

A wrong accept is far worse than a confirm: acting on a misheard answer teaches the wrong
thing or moves an elder on before they are ready, while a confirm costs one "yes". So accept
needs a near-certain match (exact words, a number form, or sounds that this profile's speakers
cannot tell apart) and a clear lead over the runner-up; everything plausible but short of that
is confirmed; anything weaker is rejected and the options are said again.

The matcher scores are calibrated to these bands:
  1.00        exact words, an alias, a lexicon word or a number form
  0.90-0.95   the same sounds to this profile (strict sound key); near-complete containment
  0.55-0.85   slips, dropped syllables, paraphrases, phrases inside longer speech
  < 0.55      weak or partial resemblance: treated as not understood
"""

ACCEPT_AT = 0.85
"""A best score at or above this may be acted on without asking..."""

MARGIN = 0.12
"""...if it leads the runner-up (another intent or choice) by at least this much."""

CONFIRM_AT = 0.55
"""Below this nothing was understood: repeat the options slowly."""


def decide(best: float, runner_up: float) -> str:
    if best < CONFIRM_AT:
        return "reject"
    if best >= ACCEPT_AT and best - runner_up >= MARGIN:
        return "accept"
    return "confirm"
