"""Learning records as xAPI 1.0.3 statements, for a county's Learning Record Store.

- The actor is an opaque account (`homePage` urn:tutor, `name` the learner's UUID): no name,
  village or device of the learner ever goes into a statement.
- A statement's id is a UUID5 of its event's id, so sending the same record twice stores it
  once (an LRS keeps the first statement with an id).
- Verbs are from the ADL vocabulary; an answer taken back with "back" becomes a `voided`
  statement pointing at the answer's statement, as the specification voids statements.
- Events that are not learning (enrolment, renames, merges, erasure, settings, a mentor's
  answer to a help request) have no statement.
"""

import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from tutor.progress import events as ev
from tutor.progress.course import Course
from tutor.progress.events import Event
from tutor.progress.export import selected
from tutor.progress.model import Progress

VERSION = "1.0.3"
HOME_PAGE = "urn:tutor"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tutor:xapi")
_ADL = "http://adlnet.gov/expapi/verbs/"
_LESSON = "http://adlnet.gov/expapi/activities/lesson"
_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
# xAPI language maps use RFC 5646 tags.
_TAGS = {"zh": "zh-CN", "ko": "ko-KR", "ug": "ug-CN"}


def statement_id(event_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, event_id))


def statements(
    events: Iterable[Event], progress: Progress, course: Course, learner: str | None
) -> list[dict[str, Any]]:
    """One statement per learning event of one person or of everyone, in fold order."""
    found = []
    for event in selected(events, progress, learner):
        statement = _statement(event, progress, course)
        if statement is not None:
            found.append(statement)
    return found


def _statement(event: Event, progress: Progress, course: Course) -> dict[str, Any] | None:
    kind, data = event["type"], event["data"]
    if kind == ev.ANSWER_UNDONE:
        answer = data.get("answer")
        if not isinstance(answer, str):
            return None
        verb, target, result = (
            "voided",
            {"objectType": "StatementRef", "id": statement_id(answer)},
            None,
        )
    elif kind == ev.LESSON_STARTED:
        verb = "resumed" if data.get("step") else "attempted"
        target, result = _lesson(data, course), None
    elif kind == ev.STEP_ANSWERED:
        verb, target, result = "answered", _step(data, course), _answer_result(data)
    elif kind == ev.LESSON_LEFT:
        verb, target, result = "suspended", _lesson(data, course), None
    elif kind == ev.LESSON_COMPLETED:
        verb, target = "completed", _lesson(data, course)
        result = {"completion": True, **_duration(data)}
    elif kind == ev.DRILL_FINISHED:
        verb, target, result = "completed", _drill(data, course), _drill_result(data)
    elif kind == ev.HELP_REQUESTED:
        verb = "asked"
        target = (
            _lesson(data, course) if data.get("lesson") else _activity("urn:tutor:help", None, None)
        )
        result = None
    else:
        return None
    statement: dict[str, Any] = {
        "id": statement_id(event["id"]),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": HOME_PAGE, "name": progress.resolve(event["learner"])},
        },
        "verb": {"id": _ADL + verb, "display": {"en-US": verb}},
        "object": target,
        "timestamp": event["at"],
        "version": VERSION,
        "context": _context(event, progress, with_platform=target["objectType"] == "Activity"),
    }
    if result:
        statement["result"] = result
    return statement


def _context(event: Event, progress: Progress, with_platform: bool) -> dict[str, Any]:
    context: dict[str, Any] = {
        "extensions": {"urn:tutor:device": event["device"], "urn:tutor:seq": event["seq"]}
    }
    state = progress.learner(event["learner"])
    language = state.language if state else None
    if language in _TAGS:
        context["language"] = _TAGS[language]
    if with_platform:
        context["platform"] = "tutor"
    return context


def _activity(iri: str, kind: str | None, names: dict[str, str] | None) -> dict[str, Any]:
    activity: dict[str, Any] = {"objectType": "Activity", "id": iri}
    definition: dict[str, Any] = {}
    if kind:
        definition["type"] = kind
    if names:
        definition["name"] = {_TAGS[lang]: text for lang, text in names.items() if lang in _TAGS}
    if definition:
        activity["definition"] = definition
    return activity


def _part(value: Any) -> str:
    """An id as it may stand in a URN: anything unusual percent-encoded."""
    return quote(str(value), safe="-._")


def _lesson(data: dict[str, Any], course: Course) -> dict[str, Any]:
    key = f"{data.get('pack')}/{data.get('lesson')}"
    info = course.lessons.get(key)
    iri = f"urn:tutor:lesson:{_part(data.get('pack'))}:{_part(data.get('lesson'))}"
    return _activity(iri, _LESSON, info.title if info else None)


def _step(data: dict[str, Any], course: Course) -> dict[str, Any]:
    lesson = _lesson(data, course)
    step = data.get("step_id") or (data.get("step", 0) + 1 if type(data.get("step")) is int else 0)
    activity = _activity(f"{lesson['id']}:step:{_part(step)}", _INTERACTION, None)
    interaction = "choice" if data.get("choice") is not None else "other"
    activity.setdefault("definition", {})["interactionType"] = interaction
    return activity


def _drill(data: dict[str, Any], course: Course) -> dict[str, Any]:
    key = f"{data.get('pack')}/{data.get('drill')}"
    iri = f"urn:tutor:drill:{_part(data.get('pack'))}:{_part(data.get('drill'))}"
    return _activity(iri, _SIMULATION, course.drills.get(key))


def _duration(data: dict[str, Any]) -> dict[str, Any]:
    seconds = data.get("seconds")
    if type(seconds) not in (int, float) or seconds < 0:
        return {}
    said = f"{seconds:.2f}".rstrip("0").rstrip(".")
    return {"duration": f"PT{said}S"}


def _answer_result(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {**_duration(data)}
    if isinstance(data.get("correct"), bool):
        result["success"] = data["correct"]
    if isinstance(data.get("choice"), str):
        result["response"] = data["choice"]
    extensions = {
        f"urn:tutor:{name}": data[name] for name in ("attempts", "via", "decision") if name in data
    }
    if extensions:
        result["extensions"] = extensions
    return result


def _drill_result(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"completion": True}
    score, top = data.get("score"), data.get("max")
    if type(score) in (int, float):
        result["score"] = {"raw": score}
        if type(top) in (int, float) and top > 0 and 0 <= score <= top:
            result["score"].update({"min": 0, "max": top, "scaled": round(score / top, 4)})
    path = data.get("path")
    if isinstance(path, list) and path:
        result["extensions"] = {"urn:tutor:path": path}
    return result
