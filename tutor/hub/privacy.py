"""Who may see whom in a report: the one place where a learner becomes a shown name.

A mentor sees only the learners of their own village, by name: they enrolled them and run
their sessions. A coordinator sees every village, but a learner's name only when the learner
agreed to it at enrolment (`name_consent`); everyone else is a pseudonym made from the
learner id, the same in every run and on every machine, so a coordinator can follow
"学员-3fa2c1" from one month's report to the next without knowing who it is. An erased
learner has no name and no village in the model any more (model.py forgets them), so they
are a pseudonym for everyone and belong to no village: a mentor never sees them, and a
coordinator sees them in a group of their own.
"""

import hashlib
from dataclasses import dataclass

from tutor.content.strings import Catalog
from tutor.progress.model import LearnerState

COORDINATOR, MENTOR = "coordinator", "mentor"
ROLES = (COORDINATOR, MENTOR)
PSEUDONYM_DIGITS = 6


@dataclass(frozen=True)
class Audience:
    """Who reads the report: a coordinator (all villages, or one) or one village's mentor."""

    role: str = COORDINATOR
    village: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role: {self.role!r} is not one of {', '.join(ROLES)}")
        if self.role == MENTOR and not self.village:
            raise ValueError("a mentor's report needs their village")


def village_of(state: LearnerState) -> str | None:
    """The learner's village as enrolled or corrected; None once erased or never enrolled."""
    village = state.personal("village")
    return village.strip() if isinstance(village, str) and village.strip() else None


def sees(audience: Audience, state: LearnerState) -> bool:
    """Whether the learner is in the report at all (a village filter hides the rest)."""
    if audience.village is None:
        return True
    return village_of(state) == audience.village.strip()


def consented(state: LearnerState) -> bool:
    stamped = state.profile.get("name_consent")
    return bool(stamped and stamped[1] is True)


def pseudonym_code(learner: str) -> str:
    return hashlib.sha256(learner.encode()).hexdigest()[:PSEUDONYM_DIGITS]


def pseudonym(learner: str, catalog: Catalog) -> str:
    return catalog.text("report.pseudonym", code=pseudonym_code(learner))


def shown_name(audience: Audience, state: LearnerState, catalog: Catalog) -> str:
    """The learner's name when this audience may see it, else their pseudonym."""
    name = state.personal("name")
    if not isinstance(name, str) or not name.strip():
        return pseudonym(state.id, catalog)
    if audience.role == MENTOR or consented(state):
        return name
    return pseudonym(state.id, catalog)
