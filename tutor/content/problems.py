"""One problem found in a content file, printed as one line a mentor can act on."""

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    key_path: str
    message: str
    severity: Severity = Severity.ERROR

    def line(self) -> str:
        """`file: key.path: message`; a warning says so at the end so `grep -v` can drop it."""
        parts = [self.file]
        if self.key_path:
            parts.append(self.key_path)
        suffix = " (warning)" if self.severity is Severity.WARNING else ""
        return ": ".join(parts) + ": " + self.message + suffix


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
