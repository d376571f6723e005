"""The shapes of the hub's requests and answers: the OpenAPI spec is generated from these.

Strict and closed (no extra fields, no "5" for 5), with bounds on every number and length, so
a malformed or hostile request is a 422 before any code of ours sees it, and a number never
overflows a database column.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from tutor.progress.hublink import MOST_LINES

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HEX64 = r"^[0-9a-f]{64}$"
BIG = 2**53  # the largest count or seq a JSON reader anywhere keeps exact
MOST_DEVICES = 100_000
_SHORT = 200
_LINE = 100_000  # one event line; the longest real ones are a few kB

Role = Literal["mentor", "coordinator"]
Seq = Annotated[int, Field(ge=0, le=BIG)]
DeviceId = Annotated[str, Field(pattern=UUID)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class EnrolRequest(_Closed):
    code: str = Field(pattern=r"^[0-9]{6}$", description="the one-time code the hub showed")
    device: DeviceId
    public_key: str = Field(pattern=HEX64, description="Ed25519 public key, hex")


class EnrolAnswer(BaseModel):
    device: str
    credential: str = Field(description="send as `Authorization: Bearer ...` from now on")
    village: str | None
    role: Role


class Manifest(_Closed):
    """A batch's manifest: the same fields, signed the same way, as a USB bundle's."""

    format: int = Field(ge=0, le=BIG)
    device: str = Field(max_length=_SHORT)
    public_key: str = Field(max_length=_SHORT)
    first: int = Field(ge=1, le=BIG)
    last: int = Field(ge=1, le=BIG)
    prev: str | None = Field(max_length=_SHORT)
    head: str = Field(max_length=_SHORT)
    events: str = Field(max_length=_SHORT)
    sha256: str = Field(max_length=_SHORT)
    lines: int = Field(ge=0, le=BIG)
    created: str = Field(max_length=_SHORT)
    signature: str = Field(max_length=_SHORT)


class PushRequest(_Closed):
    manifest: Manifest
    lines: list[Annotated[str, Field(max_length=_LINE)]] = Field(
        min_length=1, max_length=MOST_LINES, description="the log lines, without newlines"
    )


class Fork(BaseModel):
    seq: int = Field(description="the first seq where this batch and the hub's record differ")
    kept: int = Field(description="lines of the batch kept aside in the hub's forks")


class PushAnswer(BaseModel):
    stored: int
    already: int
    seq: int = Field(description="the highest seq the hub now holds of this device")
    fork: Fork | None = None


class MeAnswer(BaseModel):
    device: str
    village: str | None
    role: Role
    seq: int = Field(description="the highest seq the hub holds of this device")
    head: str | None = Field(description="that event's hash")


class PullRequest(_Closed):
    have: dict[DeviceId, Seq] = Field(
        default_factory=dict,
        max_length=MOST_DEVICES,
        description="how many events the caller holds of each other device",
    )
    limit: int = Field(default=MOST_LINES, ge=1, le=MOST_LINES)


class Bundle(BaseModel):
    manifest: Manifest
    lines: list[str]


class PullAnswer(BaseModel):
    bundles: list[Bundle]
    more: bool
    revoked: dict[str, int] = Field(description="revoked devices: the last seq kept of each")


class DeviceInfo(BaseModel):
    device: str
    village: str | None
    role: Role
    seq: int
    enrolled_at: str
    last_seen: str | None
    revoked_after_seq: int | None


class DeviceList(BaseModel):
    devices: list[DeviceInfo]


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Problem(BaseModel):
    """Why a request was refused, in one line; `reason` is stable, `detail` is for people."""

    reason: str
    detail: str = ""
    seq: int | None = None
