"""The hub's HTTP API (FastAPI): enrol, push, pull, and who is who; the spec at /openapi.json.

FastAPI because the county's IT helper (or schemathesis, in the tests) gets a complete
OpenAPI spec from the same pydantic models that check every request, with no second
description to keep in step; the handlers are plain functions run in a thread pool, since
the databases are reached through blocking drivers.

Every refusal is JSON `{reason, detail, seq}` with a fitting status: 401 without a known
credential, 403 for a revoked device, a key that is not the pinned one or a batch that is
not the caller's, 409 for a gap (`seq` says where to start), 400 for a batch that fails its
checks, 429 after too many wrong enrolment codes, 404 for a help request the caller may not
see or the hub does not know.

Help across the room (helpdesk.py) rides on the same device credentials: a learner device
raises help and polls for the answer; a mentor's console (a device enrolled for the village)
lists the village's open requests, answers them and sees who is on which step.
"""

import threading
import time
from collections import deque
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from tutor import __version__
from tutor.hub import enrolment, intake, outlet
from tutor.hub.help_models import (
    HelpList,
    HelpRaise,
    HelpReply,
    HelpState,
    Here,
    HereAnswer,
    HereInfo,
    SessionList,
    StartOrder,
)
from tutor.hub.helpdesk import Call, HelpDesk, Order, Seen, may_see
from tutor.hub.models import (
    UUID,
    DeviceInfo,
    DeviceList,
    EnrolAnswer,
    EnrolRequest,
    Health,
    MeAnswer,
    Problem,
    PullAnswer,
    PullRequest,
    PushAnswer,
    PushRequest,
)
from tutor.hub.storage import devices
from tutor.hub.storage import events as rows
from tutor.hub.storage.db import Database, database_errors
from tutor.hub.storage.devices import DeviceRow
from tutor.progress.helpline import CALLS, HELP, HERE, SESSION, START
from tutor.progress.hublink import DEVICES, ENROL, HEALTH, ME, PULL, PUSH

# Wrong enrolment codes the hub takes in a quarter of an hour before it stops listening for
# a while: a million codes cannot be tried in the time one is valid.
MOST_WRONG_CODES = 30
_WINDOW_S = 15 * 60
MAX_BODY = 64 * 1024 * 1024


class HubProblem(Exception):
    def __init__(self, status: int, reason: str, detail: str = "", seq: int | None = None):
        super().__init__(reason)
        self.status, self.reason, self.detail, self.seq = status, reason, detail, seq


def _answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem} for status in statuses}


class _WrongCodes:
    """Recent failed enrolments, to slow down anyone guessing codes."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        while self._times and self._times[0] < now - _WINDOW_S:
            self._times.popleft()

    def too_many(self) -> bool:
        with self._lock:
            self._trim(time.monotonic())
            return len(self._times) >= MOST_WRONG_CODES

    def add(self) -> None:
        with self._lock:
            self._times.append(time.monotonic())


def create_app(db: Database, desk: HelpDesk | None = None) -> FastAPI:
    app = FastAPI(
        title="tutor hub",
        version=__version__,
        description="County hub for the offline tutor: devices enrol with a one-time code, "
        "push their signed event logs in batches and pull their village's (or county's).",
    )
    bearer = HTTPBearer(auto_error=False, description="the credential given at enrolment")
    wrong_codes = _WrongCodes()
    if desk is None:
        desk = HelpDesk()
        desk.load(db)

    def caller(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> DeviceRow:
        if credentials is None:
            raise HubProblem(401, "no_credential")
        with db.transaction() as tx:
            row = devices.by_credential(tx, enrolment.credential_hash(credentials.credentials))
        if row is None:
            raise HubProblem(401, "unknown_credential")
        if row.revoked:
            raise HubProblem(403, "revoked", row.id, row.revoked_after_seq)
        return row

    Caller = Annotated[DeviceRow, Depends(caller)]

    @app.exception_handler(HubProblem)
    def _problem(request: Request, err: HubProblem) -> JSONResponse:
        body = Problem(reason=err.reason, detail=err.detail, seq=err.seq)
        return JSONResponse(body.model_dump(), status_code=err.status)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        # A body that is not JSON, a wrong method: the same one-line shape as our own.
        reason = "bad_request" if err.status_code == 400 else f"http_{err.status_code}"
        body = Problem(reason=reason, detail=str(err.detail))
        return JSONResponse(body.model_dump(), status_code=err.status_code, headers=err.headers)

    def _database(request: Request, err: Exception) -> JSONResponse:
        text = str(err).strip()
        detail = text.splitlines()[0] if text else type(err).__name__
        return JSONResponse({"reason": "database", "detail": detail}, status_code=503)

    for kind in database_errors():
        app.add_exception_handler(kind, _database)
    app.add_middleware(_BodyLimit)

    @app.get(HEALTH, response_model=Health, tags=["hub"])
    def health() -> Health:
        """Whether the hub is up (no credential needed)."""
        return Health(status="ok", version=__version__)

    @app.post(ENROL, response_model=EnrolAnswer, tags=["devices"],
              responses=_answers(400, 403, 409, 413, 429))
    def enrol(request: EnrolRequest) -> EnrolAnswer:
        """Trade a one-time code for this device's credential."""
        if wrong_codes.too_many():
            raise HubProblem(429, "too_many_tries")
        try:
            done = enrolment.enrol(db, request.code, request.device, request.public_key)
        except enrolment.Refused as err:
            if err.reason.startswith("code_"):
                wrong_codes.add()
            raise HubProblem(err.status, err.reason, err.detail) from None
        return EnrolAnswer(
            device=done.device, credential=done.credential, village=done.village,
            role=done.role,  # type: ignore[arg-type]
        )

    @app.get(ME, response_model=MeAnswer, tags=["devices"], responses=_answers(401, 403))
    def me(device: Caller) -> MeAnswer:
        """This device as the hub knows it, and the highest seq the hub holds of it."""
        with db.transaction() as tx:
            seq, head = rows.head(tx, device.id)
        return MeAnswer(
            device=device.id, village=device.village, role=device.role,  # type: ignore[arg-type]
            seq=seq, head=head,
        )

    @app.post(PUSH, response_model=PushAnswer, tags=["records"],
              responses=_answers(400, 401, 403, 409, 413))
    def push(request: PushRequest, device: Caller) -> PushAnswer:
        """Store one signed batch of this device's events (idempotent by device and seq)."""
        try:
            done = intake.accept(db, device, request.manifest.model_dump(), request.lines)
        except intake.Refused as err:
            raise HubProblem(err.status, err.reason, err.detail, err.seq) from None
        if done.stored:
            desk.take_lines(device, request.lines)
        fork = {"seq": done.fork[0], "kept": done.fork[1]} if done.fork else None
        return PushAnswer.model_validate(
            {"stored": done.stored, "already": done.already, "seq": done.seq, "fork": fork}
        )

    @app.post(PULL, response_model=PullAnswer, tags=["records"],
              responses=_answers(400, 401, 403, 413))
    def pull(request: PullRequest, device: Caller) -> PullAnswer:
        """The signed batches the caller lacks, of the devices its role lets it see."""
        parcel = outlet.parcel_for(db, device, request.have, request.limit)
        with db.transaction(write=True) as tx:
            devices.seen(tx, device.id, _now())
        return PullAnswer.model_validate(
            {"bundles": parcel.bundles, "more": parcel.more, "revoked": parcel.revoked}
        )

    @app.get(DEVICES, response_model=DeviceList, tags=["devices"],
             responses=_answers(401, 403))
    def device_list(device: Caller) -> DeviceList:
        """The devices the caller may see: its village (mentor) or the county (coordinator)."""
        with db.transaction() as tx:
            seen = devices.visible_to(tx, device)
            heads = {row.id: rows.head(tx, row.id)[0] for row in seen}
        return DeviceList(devices=[
            DeviceInfo(
                device=row.id, village=row.village, role=row.role,  # type: ignore[arg-type]
                seq=heads[row.id], enrolled_at=row.enrolled_at, last_seen=row.last_seen,
                revoked_after_seq=row.revoked_after_seq,
            )
            for row in seen
        ])

    _help_routes(app, desk, db, Caller)
    return app


def _help_routes(app: FastAPI, desk: HelpDesk, db: Database, Caller: Any) -> None:
    """Help across the room and the live session view (helpdesk.py)."""
    request_id = Annotated[str, Path(pattern=UUID)]

    def visible(call: Call | None, viewer: DeviceRow) -> Call:
        if call is None or (call.device != viewer.id and not may_see(viewer, call.village)):
            raise HubProblem(404, "no_such_request")
        return call

    @app.post(HELP, response_model=HelpState, tags=["help"],
              responses=_answers(400, 401, 403, 413))
    def raise_help(request: HelpRaise, device: Caller) -> HelpState:
        """A learner on this device asks for help (idempotent by the request's id)."""
        call = desk.raise_call(Call(
            id=request.id, device=device.id, village=device.village, learner=request.learner,
            at=request.at, name=request.name, pack=request.pack, lesson=request.lesson,
            step=request.step, prompt=request.prompt, heard=request.heard,
        ))
        if call.device != device.id:
            raise HubProblem(403, "not_yours", request.id)
        return _state(call, device)

    @app.get(CALLS, response_model=HelpList, tags=["help"], responses=_answers(401, 403))
    def open_help(device: Caller) -> HelpList:
        """The help requests of the caller's village (coordinator: all) nobody answered yet."""
        return HelpList(calls=[_state(c, device) for c in desk.open_calls(device)])

    @app.get(HELP + "/{request}", response_model=HelpState, tags=["help"],
             responses=_answers(401, 403, 404))
    def help_state(request: request_id, device: Caller) -> HelpState:
        """One request and its answer, if any: a learner device polls this while it waits."""
        return _state(visible(desk.call(request), device), device)

    @app.post(HELP + "/{request}/answer", response_model=HelpState, tags=["help"],
              responses=_answers(400, 401, 403, 404, 413))
    def answer_help(request: request_id, reply: HelpReply, device: Caller) -> HelpState:
        """The mentor's hint (spoken on the learner's device) or "coming over"."""
        call = visible(desk.call(request), device)
        if not may_see(device, call.village):
            raise HubProblem(404, "no_such_request")
        hint = reply.hint.strip() if reply.hint else None
        if not hint and not reply.coming:
            raise HubProblem(400, "empty_answer")
        return _state(desk.answer(call.id, hint, reply.coming) or call, device)

    @app.post(HERE, response_model=HereAnswer, tags=["session"],
              responses=_answers(400, 401, 403, 413))
    def here(request: Here, device: Caller) -> HereAnswer:
        """Where this device's learner is now; answers with a lesson the mentor started."""
        order = desk.here(Seen(
            device=device.id, village=device.village, learner=request.learner, at=_now(),
            mono=time.monotonic(), name=request.name, pack=request.pack,
            lesson=request.lesson, step=request.step, steps=request.steps,
            prompt=request.prompt,
        ))
        if order is None:
            return HereAnswer()
        return HereAnswer(start=StartOrder(
            device=order.device, learner=order.learner, lesson=order.lesson
        ))

    @app.get(SESSION, response_model=SessionList, tags=["session"], responses=_answers(401, 403))
    def session(device: Caller) -> SessionList:
        """The caller's village's learners whose devices spoke up in the last minutes."""
        now = time.monotonic()
        shown = device.role == "mentor"
        return SessionList(learners=[
            HereInfo(
                device=s.device, village=s.village, learner=s.learner,
                name=s.name if shown else None, pack=s.pack, lesson=s.lesson, step=s.step,
                steps=s.steps, prompt=s.prompt, at=s.at, seconds_ago=round(now - s.mono, 1),
            )
            for s in desk.session(device)
        ])

    @app.post(START, response_model=StartOrder, tags=["session"],
              responses=_answers(400, 401, 403, 404, 413))
    def start(request: StartOrder, device: Caller) -> StartOrder:
        """Start a lesson on a learner's device at its next home screen."""
        with db.transaction() as tx:
            target = devices.by_id(tx, request.device)
        if target is None or not may_see(device, target.village):
            raise HubProblem(404, "no_such_device", request.device)
        desk.order(Order(request.device, request.learner, request.lesson))
        return request


def _state(call: Call, viewer: DeviceRow) -> HelpState:
    return HelpState(
        id=call.id, device=call.device, village=call.village, learner=call.learner,
        name=call.name if viewer.role == "mentor" else None, at=call.at, pack=call.pack,
        lesson=call.lesson, step=call.step, prompt=call.prompt, heard=call.heard,
        live=call.live, answered_at=call.answered_at, hint=call.hint, coming=call.coming,
    )


class _BodyLimit:
    """Refuse a request that says it is larger than MAX_BODY before reading it."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
                    response = JSONResponse({"reason": "too_large", "detail": ""}, 413)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _now() -> str:
    from datetime import UTC, datetime

    from tutor.progress.events import timestamp

    return timestamp(datetime.now(UTC))
