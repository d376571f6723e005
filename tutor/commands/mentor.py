"""`tutor mentor`: the mentor's console, on the hub this machine enrolled with or on a small
hub of its own.

- `tutor mentor [--hub URL]`: this machine is enrolled with a hub for its village (`tutor
  sync enrol`); the console talks to that hub (`--hub` when its address changed).
- `tutor mentor --village V [--db URL] [--host H] [--port P]`: the mentor's laptop is the
  hub. The console starts `tutor hub serve` on the LAN with that database (the same `--db`
  as the hub commands take), enrols this machine with it for village V if it is not yet,
  and stops the hub when the console closes. Learner devices enrol with codes from `tutor
  hub code --village V` on this machine, or from the console's session tab.

A machine that is not enrolled, a hub that cannot start or a database that cannot be opened
is one line and exit 1, never a traceback.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tutor.content.strings import Catalog
from tutor.progress.hublink import HEALTH, ME, HubError, Link, call, load_link

_M = "mentor.cli."
START_WAIT_S = 20.0


def _fail(catalog: Catalog, key: str, **values: object) -> int:
    print(catalog.text(_M + key, **values), file=sys.stderr)
    return 1


def run_mentor(
    hub: str | None, village: str | None, db_url: str | None, host: str, port: int,
    catalog: Catalog,
) -> int:

    if village is not None or db_url is not None:
        if not (village or "").strip():
            return _fail(catalog, "village_needed")
        if hub is not None:
            return _fail(catalog, "hub_or_db")
        return _run_local(village.strip(), db_url, host, port, catalog)  # type: ignore[union-attr]
    try:
        link = load_link()
    except HubError as err:
        return _fail(catalog, "no_link", reason=catalog.text(f"sync.hub.reason.{err.reason}"))
    return _console(link, hub, catalog)


def _console(
    link: Link, hub: str | None, catalog: Catalog,
    codes: Callable[[], tuple[str, str]] | None = None,
) -> int:
    from tutor.mentor.app import MentorApp
    from tutor.mentor.desk import Desk

    try:
        desk = Desk(link, hub=hub)
    except HubError:
        return _fail(catalog, "bad_hub", hub=hub)
    MentorApp(desk, catalog, new_code=codes).run()
    return 0


def _run_local(village: str, db_url: str | None, host: str, port: int, catalog: Catalog) -> int:
    from tutor.commands.hub import _open
    from tutor.hub.enrolment import new_code
    from tutor.hub.serve import bind

    db = _open(db_url, catalog)
    if db is None:
        return 1
    try:  # a port in use is named here, not found out from another hub's answers
        bind(host, port).close()
    except OSError as err:
        db.close()
        reason = err.strerror or err
        return _fail(catalog, "hub_failed", detail=catalog.text(
            "hub.port_failed", host=host, port=port, reason=reason
        ))
    local = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "tutor", "hub", "serve", "--host", host, "--port", str(port)]
    if db_url:
        command += ["--db", db_url]
    server = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        if not _up(server, local):
            detail = (server.stderr.read() if server.poll() is not None and server.stderr else b"")
            db.close()
            return _fail(catalog, "hub_failed", detail=detail.decode(errors="replace").strip())
        try:
            link = _own_link(db, village, local)
        except HubError as err:
            db.close()
            return _fail(catalog, "no_link", reason=catalog.text(f"sync.hub.reason.{err.reason}"))
        try:
            return _console(link, local, catalog, lambda: new_code(db, village, "mentor"))
        finally:
            db.close()
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _up(server: subprocess.Popen, url: str) -> bool:
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            call(url, "GET", HEALTH)
            return True
        except HubError:
            time.sleep(0.1)
    return False


def _own_link(db, village: str, url: str, home: Path | None = None) -> Link:
    """This machine's link with the local hub, enrolling it for `village` if need be."""
    from tutor.hub.enrolment import new_code
    from tutor.progress.hublink import enrol

    try:
        link = load_link(home)
        me = call(url, "GET", ME, credential=link.credential)
        if me.get("village") == village:
            return link
    except HubError:
        pass
    code, _ = new_code(db, village, "mentor")
    return enrol(url, code, home)
