"""A device's link to the county hub on the LAN: the address, the credential, and HTTP.

The hub gives a device a credential once, at enrolment with a one-time code read out by the
coordinator; the device keeps it in `TUTOR_HOME/progress/sync/hub.json`, readable by its
owner only, and sends it as a bearer token. The hub keeps only its hash.

HTTP goes through the standard library, straight to the hub: proxies set in the environment
are ignored, since the hub is on the LAN and nothing may leave it. Every failure becomes a
`HubError` with a reason the catalog names (`sync.hub.reason.<reason>`), so the command
prints one line, never a traceback.
"""

import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.progress.bundle import sync_home
from tutor.progress.home import fsync_dir, make_dirs

if TYPE_CHECKING:
    import urllib.error
    import urllib.request

# The hub's API (tutor/hub/api.py serves exactly these).
HEALTH = "/v1/health"
ENROL = "/v1/enrol"
ME = "/v1/me"
PUSH = "/v1/push"
PULL = "/v1/pull"
DEVICES = "/v1/devices"

# Events per pushed batch: small enough that one batch is one short transaction on the hub
# and a killed push loses little, large enough that 2,000 events take four requests.
BATCH = 500
# Most events the hub takes in one batch, or sends in one pull answer.
MOST_LINES = 5_000
LINK_FILE = "hub.json"
TIMEOUT_S = 120.0


class HubError(Exception):
    """The hub refused, or could not be reached; `reason` names it for the catalog."""

    def __init__(self, reason: str, detail: str = "", status: int = 0, seq: int | None = None):
        super().__init__(f"{reason}: {detail}".rstrip(": "))
        self.reason, self.detail, self.status, self.seq = reason, detail, status, seq


@dataclass(frozen=True)
class Link:
    hub: str
    device: str
    credential: str
    village: str | None
    role: str


def hub_url(text: str) -> str:
    """`http://host:port` from what a person typed (`192.168.1.5:8780` will do)."""
    url = text.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    if not url.startswith(("http://", "https://")) or url.split("://", 1)[1] == "":
        raise HubError("bad_url", text)
    return url


def link_path(home: Path | None = None) -> Path:
    return sync_home(home) / LINK_FILE


def load_link(home: Path | None = None) -> Link:
    path = link_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        fields = ("hub", "device", "credential", "village", "role")
        return Link(**{key: data[key] for key in fields})
    except FileNotFoundError:
        raise HubError("not_enrolled") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise HubError("link_unreadable", f"{path}: {err}") from err


def save_link(link: Link, home: Path | None = None) -> Path:
    """Write the credential readable by this user only, whole or not at all."""
    folder = sync_home(home)
    make_dirs(folder)
    path = folder / LINK_FILE
    partial = folder / f".{LINK_FILE}.partial"
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(asdict(link), indent=1).encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)
    fsync_dir(folder)
    return path


def enrol(hub: str, code: str, home: Path | None = None) -> Link:
    """Show the hub this device's id and public key with a one-time code; keep the
    credential it gives back."""
    from tutor.progress.identity import device_identity

    me = device_identity(home)
    url = hub_url(hub)
    answer = call(url, "POST", ENROL, {"code": code, "device": me.id, "public_key": me.public_key})
    link = Link(url, me.id, str(answer["credential"]), answer.get("village"), str(answer["role"]))
    save_link(link, home)
    return link


@cache
def _opener() -> "urllib.request.OpenerDirector":
    """No proxy: the hub is on the LAN. urllib loads here, at the first request, so a
    learner's start-up never pays for the network code (about 50 ms on one core)."""
    import urllib.request

    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(
    hub: str,
    method: str,
    path: str,
    body: Any = None,
    credential: str | None = None,
    timeout: float = TIMEOUT_S,
) -> dict[str, Any]:
    """One request to the hub; its JSON answer, or HubError."""
    import urllib.error
    import urllib.request

    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    if credential:
        headers["Authorization"] = f"Bearer {credential}"
    request = urllib.request.Request(hub + path, data=data, headers=headers, method=method)
    try:
        with _opener().open(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        raise _refusal(err) from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise HubError("unreachable", f"{hub} ({reason})") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise HubError("bad_answer", hub) from None
    if not isinstance(answer, dict):
        raise HubError("bad_answer", hub)
    return answer


def _refusal(err: "urllib.error.HTTPError") -> HubError:
    try:
        body = json.loads(err.read() or b"{}")
    except (ValueError, OSError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    reason = body.get("reason") if isinstance(body.get("reason"), str) else None
    seq = body.get("seq") if type(body.get("seq")) is int else None
    detail = body.get("detail")
    if not isinstance(detail, str):
        detail = f"HTTP {err.code}"
    return HubError(reason or f"http_{err.code}", detail, err.code, seq)
