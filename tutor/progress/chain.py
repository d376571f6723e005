"""Checking stored lines: one line against its own hash, and a whole log as a chain.

A line is good when it is exactly the canonical bytes of an event whose hash is right; a log
is good when its lines are good and each one follows the last (same device, `seq` one more,
`prev` the last hash). Any changed, inserted, removed or reordered byte breaks one of these.
Cutting events off the end is the one change a lone log cannot show: a signed sync manifest,
which states how many events a device had, is what catches that.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tutor.progress.events import FIELDS, Event, canonical, event_hash

# Reasons a line is bad, named for the catalog (cli.progress.verify.<reason>).
TORN = "torn"
NOT_JSON = "not_json"
FIELDS_WRONG = "fields"
NOT_CANONICAL = "not_canonical"
HASH_WRONG = "hash"
DEVICE_WRONG = "device"
SEQ_WRONG = "seq"
PREV_WRONG = "prev"


@dataclass(frozen=True)
class BadLine:
    """The first line of a log that breaks the chain, and why."""

    line: int
    reason: str
    event_id: str | None


def read_line(raw: bytes) -> tuple[Event | None, str | None]:
    """The event on one line (without its newline), or why there is none."""
    try:
        event = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, NOT_JSON
    if not isinstance(event, dict) or set(event) != set(FIELDS):
        return None, FIELDS_WRONG
    if canonical(event) != raw:
        return event, NOT_CANONICAL
    if event_hash(event) != event["hash"]:
        return event, HASH_WRONG
    return event, None


def good_event(raw: bytes, device: str) -> Event | None:
    """The event on a line that is sound by itself and from `device`, else None."""
    event, problem = read_line(raw)
    if problem is None and event is not None and event["device"] == device:
        return event
    return None


def check_chain(
    lines: Iterable[bytes], device: str, seq: int = 0, prev: str | None = None
) -> tuple[int, BadLine | None]:
    """The last seq that holds, and the first line (counted from 1) that breaks `device`'s
    chain; a slice of a log (a sync bundle) starts after `seq` with hash `prev`.

    `lines` keep their newline: a last line without one is a write a power cut cut short.
    """
    for number, raw in enumerate(lines, 1):
        bad = _line_in_chain(number, raw, device, seq, prev)
        if isinstance(bad, BadLine):
            return number - 1, bad
        seq, prev = bad
    return seq, None


def _line_in_chain(
    number: int, raw: bytes, device: str, seq: int, prev: str | None
) -> BadLine | tuple[int, str]:
    if not raw.endswith(b"\n"):
        return BadLine(number, TORN, None)
    event, problem = read_line(raw[:-1])
    event_id = str(event["id"]) if event is not None else None
    if problem is not None or event is None:
        return BadLine(number, problem or NOT_JSON, event_id)
    if event["device"] != device:
        return BadLine(number, DEVICE_WRONG, event_id)
    if event["seq"] != seq + 1:
        return BadLine(number, SEQ_WRONG, event_id)
    if event["prev"] != prev:
        return BadLine(number, PREV_WRONG, event_id)
    return event["seq"], event["hash"]


def parse_lines(lines: Iterable[bytes]) -> Iterator[Event]:
    """Events for folding: every complete line that parses. Checking is `verify`'s job; a
    reader never stops on a bad line, so one damaged event cannot hide a learner's record."""
    loads = json.loads
    for raw in lines:
        if not raw.endswith(b"\n"):
            continue
        try:
            event = loads(raw)
        except ValueError:
            continue
        if _foldable(event):
            yield event


def _foldable(event: object) -> bool:
    """Shaped well enough to sort and fold without failing."""
    return (
        isinstance(event, dict)
        and isinstance(event.get("at"), str)
        and isinstance(event.get("device"), str)
        and type(event.get("seq")) is int
        and isinstance(event.get("learner"), str)
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event.get("id"), str)
    )
