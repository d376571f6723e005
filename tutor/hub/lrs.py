"""Talking to a Learning Record Store: store statements, and ask whether one is there.

xAPI 1.0.3 over HTTP: POST a list of statements to `<endpoint>/statements`, with the
version header and HTTP basic auth. An LRS keeps the first statement it gets with an id and
answers a resend of the same statement with 204 (nothing new) or 200, so sending again after
a failure never counts twice. A 409 means the LRS already holds a statement with one of
those ids but different content (a learner merged since, say, changes the actor); that is
not taken on trust: each statement of the batch is looked up with a GET, the ones found
count as stored (the LRS keeps its first version), and only the ones missing are sent again.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

VERSION = "1.0.3"
TIMEOUT_S = 120.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class LrsError(Exception):
    """The LRS could not be reached or refused a batch: one line for the person."""

    def __init__(self, detail: str, status: int = 0):
        super().__init__(detail)
        self.detail, self.status = detail, status


@dataclass
class Stored:
    new: int = 0  # taken by the LRS (200)
    already: int = 0  # the LRS had them all (204), or had them after a 409
    checked: int = 0  # of `already`, found one by one with a GET after a 409


class Lrs:
    def __init__(self, endpoint: str, auth: str | None = None):
        url = endpoint.strip()
        if not url.startswith(("http://", "https://")):
            raise LrsError(endpoint)
        self.endpoint = url.rstrip("/")
        self._auth = None
        if auth:
            self._auth = "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")

    @property
    def statements_url(self) -> str:
        return f"{self.endpoint}/statements"

    def store(self, statements: list[dict[str, Any]]) -> Stored:
        """Store a batch; raises LrsError unless every statement is in the LRS afterwards."""
        status, body = self._request("POST", self.statements_url, statements)
        if status == 200:
            return Stored(new=len(statements))
        if status == 204:
            return Stored(already=len(statements))
        if status != 409:
            raise LrsError(_said(status, body), status)
        missing = [s for s in statements if not self.holds(str(s["id"]))]
        found = len(statements) - len(missing)
        done = Stored(already=found, checked=found)
        if missing:
            status, body = self._request("POST", self.statements_url, missing)
            if status not in (200, 204):
                raise LrsError(_said(status, body), status)
            done.new = len(missing)
        return done

    def holds(self, statement_id: str) -> bool:
        """Whether the LRS has a statement with this id (voided ones count too)."""
        for name in ("statementId", "voidedStatementId"):
            query = urllib.parse.urlencode({name: statement_id})
            status, body = self._request("GET", f"{self.statements_url}?{query}")
            if status == 404:
                continue
            if status != 200:
                raise LrsError(_said(status, body), status)
            if _names(body, statement_id):
                return True
        return False

    def _request(self, method: str, url: str, payload: Any = None) -> tuple[int, bytes]:
        headers = {"X-Experience-API-Version": VERSION, "Accept": "application/json"}
        data = None
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if self._auth:
            headers["Authorization"] = self._auth
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with _OPENER.open(request, timeout=TIMEOUT_S) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise LrsError(f"{self.endpoint} ({getattr(err, 'reason', err)})") from None


def _names(body: bytes, statement_id: str) -> bool:
    """Whether a GET answer is that statement (or a result list holding it)."""
    try:
        found = json.loads(body or b"null")
    except ValueError:
        return False
    if isinstance(found, dict) and found.get("id") == statement_id:
        return True
    listed = found.get("statements") if isinstance(found, dict) else None
    return isinstance(listed, list) and any(
        isinstance(s, dict) and s.get("id") == statement_id for s in listed
    )


def _said(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return f"HTTP {status} {text[:200]}".strip()
