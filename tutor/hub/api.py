"""The hub's HTTP API (FastAPI): enrol, push, pull, and who is who; the spec at /openapi.json.

FastAPI because the county's IT helper (or schemathesis, in the tests) gets a complete
OpenAPI spec from the same pydantic models that check every request, with no second
description to keep in step; the handlers are plain functions run in a thread pool, since
the databases are reached through blocking drivers.

Every refusal is JSON `{reason, detail, seq}` with a fitting status: 401 without a known
credential, 403 for a revoked device, a key that is not the pinned one or a batch that is
not the caller's, 409 for a gap (`seq` says where to start), 400 for a batch that fails its
checks, 429 after too many wrong enrolment codes.
"""

import threading
import time
from collections import deque
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from tutor import __version__
from tutor.hub import enrolment, intake, outlet
from tutor.hub.models import (
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


def create_app(db: Database) -> FastAPI:
    app = FastAPI(
        title="tutor hub",
        version=__version__,
        description="County hub for the offline tutor: devices enrol with a one-time code, "
        "push their signed event logs in batches and pull their village's (or county's).",
    )
    bearer = HTTPBearer(auto_error=False, description="the credential given at enrolment")
    wrong_codes = _WrongCodes()

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

    return app


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
