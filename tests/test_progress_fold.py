"""The learner model is a fold that does not care how logs meet: property tests.

Two devices write their own chains of every kind of event (merges, erasures, answers taken
back and help answered included, at times that tie across devices). However their events
are interleaved, or shuffled outright, the fold gives the same state and the same views;
replaying a log again changes nothing; folding new events on top of a fold gives what a
fold from scratch gives; and the streaming fold over log files agrees with the in-memory one.
"""

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.progress import events as ev
from tutor.progress.course import load_course
from tutor.progress.events import canonical, seal, timestamp
from tutor.progress.model import fold
from tutor.progress.snapshot import fold_logs, to_plain
from tutor.progress.view import learner_view

LEARNERS = [
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
]
LESSONS = ["photos", "pricing"]
START = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
COURSE = load_course()
NOW = START + timedelta(days=40)

learner = st.sampled_from(LEARNERS)
lesson = st.sampled_from(LESSONS)
step = st.integers(0, 5)

actions = st.one_of(
    st.tuples(
        st.just(ev.LEARNER_ENROLLED),
        st.fixed_dictionaries(
            {
                "name": st.sampled_from(["王", "李", "김", "ئەلى"]),
                "village": st.sampled_from(["上坝", "下坝"]),
                "language": st.sampled_from(["zh", "ko", "ug"]),
            }
        ),
    ),
    st.tuples(st.just(ev.LEARNER_RENAMED), st.fixed_dictionaries({"name": st.just("赵")})),
    st.tuples(st.just(ev.LEARNER_MERGED), st.fixed_dictionaries({"into": learner})),
    st.tuples(st.just(ev.LEARNER_ERASED), st.just({})),
    st.tuples(
        st.just(ev.LESSON_STARTED),
        st.fixed_dictionaries({"pack": st.just("starter"), "lesson": lesson, "step": step}),
    ),
    st.tuples(
        st.just(ev.STEP_ANSWERED),
        st.fixed_dictionaries(
            {
                "pack": st.just("starter"),
                "lesson": lesson,
                "step": step,
                "choice": st.sampled_from(["1", "2", None]),
                "decision": st.sampled_from(["accept", "confirm"]),
                "correct": st.sampled_from([True, False, None]),
                "attempts": st.integers(1, 3),
                "seconds": st.floats(0, 60, allow_nan=False),
                "via": st.sampled_from(["voice", "key", "mentor"]),
            }
        ),
    ),
    st.tuples(st.just(ev.ANSWER_UNDONE), st.fixed_dictionaries({"step": step, "lesson": lesson})),
    st.tuples(
        st.just(ev.LESSON_COMPLETED),
        st.fixed_dictionaries({"pack": st.just("starter"), "lesson": lesson}),
    ),
    st.tuples(
        st.just(ev.DRILL_FINISHED),
        st.fixed_dictionaries(
            {
                "pack": st.just("starter"),
                "drill": st.just("market-day"),
                "path": st.just(["start", "end"]),
                "score": st.integers(0, 10),
                "max": st.just(10),
                "state": st.just({"trust": 3}),
            }
        ),
    ),
    st.tuples(st.just(ev.HELP_REQUESTED), st.just({"pack": "starter"})),
    st.tuples(st.just(ev.HELP_ANSWERED), st.just({})),
    st.tuples(
        st.just(ev.SETTINGS_CHANGED),
        st.fixed_dictionaries({"rate": st.sampled_from([120, 160])}),
    ),
)
# One device's history: who did what, and how many seconds after the previous event
# (0 makes ties, within a device and across devices).
histories = st.lists(st.tuples(learner, actions, st.integers(0, 2 * 86400)), max_size=40)


def chain(device: str, history) -> list[dict]:
    """A device's log as the store writes it: seq from 1, each event chained to the last."""
    events: list[dict] = []
    at = START
    for who, (kind, data), gap in history:
        at += timedelta(seconds=gap)
        data = dict(data)
        if kind == ev.ANSWER_UNDONE:
            answers = [e["id"] for e in events if e["type"] == ev.STEP_ANSWERED]
            data = {"pack": "starter", **data, "answer": answers[-1] if answers else "none"}
        if kind == ev.HELP_ANSWERED:
            asked = [e["id"] for e in events if e["type"] == ev.HELP_REQUESTED]
            data = {"request": asked[-1] if asked else "none"}
        prev = events[-1]["hash"] if events else None
        events.append(
            seal(
                device=device,
                seq=len(events) + 1,
                prev=prev,
                learner=who,
                at=timestamp(at),
                kind=kind,
                data=data,
            )
        )
    return events


def interleave(a: list, b: list, picks: list[bool]) -> list:
    """One interleaving of two logs that keeps each log's own order."""
    out, i, j = [], 0, 0
    for pick in picks:
        if pick and i < len(a):
            out.append(a[i])
            i += 1
        elif j < len(b):
            out.append(b[j])
            j += 1
    return out + a[i:] + b[j:]


def state(events) -> dict:
    progress = fold(events)
    views = {key: learner_view(s, COURSE, NOW) for key, s in progress.learners.items()}
    return {"model": to_plain(progress), "views": views}


@settings(max_examples=150, deadline=None)
@given(
    histories,
    histories,
    st.lists(st.booleans(), max_size=80),
    st.lists(st.booleans(), max_size=80),
    st.randoms(use_true_random=False),
)
def test_any_interleaving_of_two_devices_folds_to_the_same_state(a, b, picks1, picks2, rnd):
    log_a, log_b = chain("device-a", a), chain("device-b", b)
    first = interleave(log_a, log_b, picks1)
    second = interleave(log_a, log_b, picks2)
    shuffled = first[:]
    rnd.shuffle(shuffled)
    expected = state(log_a + log_b)
    assert state(first) == expected
    assert state(second) == expected
    assert state(shuffled) == expected


@settings(max_examples=100, deadline=None)
@given(histories, histories, st.integers(0, 40))
def test_replaying_a_log_twice_changes_nothing(a, b, cut):
    events = chain("device-a", a) + chain("device-b", b)
    once = to_plain(fold(events))
    assert to_plain(fold(events + events)) == once
    progress = fold(events)
    assert progress.apply(events) is True
    assert to_plain(progress) == once
    # Folding the rest on top of a fold of a part: the same as from scratch, or refused.
    part = fold(events[:cut])
    if part.apply(events[cut:]):
        assert to_plain(part) == once


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, histories)
def test_the_streaming_fold_over_files_agrees_with_the_fold_in_memory(a, b):
    log_a, log_b = chain("device-a", a), chain("device-b", b)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, log in (("device-a", log_a), ("device-b", log_b)):
            path = Path(folder) / f"{name}.jsonl"
            path.write_bytes(b"".join(canonical(e) + b"\n" for e in log))
            paths.append(path)
        assert to_plain(fold_logs(paths)) == to_plain(fold(log_a + log_b))


def test_a_log_out_of_time_order_is_still_folded_right(tmp_path):
    rng = random.Random(3)
    history = [(rng.choice(LEARNERS), (ev.LEARNER_ERASED, {}), 10) for _ in range(5)]
    log = chain("device-a", history)
    log[2], log[3] = log[3], log[2]  # a hand-edited log: at goes back once
    path = tmp_path / "device-a.jsonl"
    path.write_bytes(b"".join(canonical(e) + b"\n" for e in log))
    assert to_plain(fold_logs([path])) == to_plain(fold(log))
