"""`tutor report`: what a coordinator or a mentor needs to know, from every log on this machine.

The logs under `TUTOR_HOME` (this device's own and those sync brought in) are folded
(`load_progress`, from its cache when it holds) and read once more for the facts the fold
does not keep; the lesson packs give titles, skills and drills. The report goes to the
terminal as tables, or with `--html FILE` to one offline page with charts.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from tutor.content.strings import Catalog
from tutor.hub.privacy import Audience
from tutor.hub.report import build_report, drills_in
from tutor.progress.course import course_from_packs, usable_packs
from tutor.progress.records import all_events
from tutor.progress.snapshot import load_progress

MIN_WIDTH = 100


def run_report(
    html: Path | None,
    role: str,
    village: str | None,
    since: int | None,
    lessons: Path | None,
    catalog: Catalog,
) -> int:
    try:
        audience = Audience(role, village.strip() if village else None)
    except ValueError:
        print(catalog.text("cli.report.mentor_needs_village"), file=sys.stderr)
        return 2
    packs = usable_packs(lessons)
    report = build_report(
        load_progress(),
        all_events(),
        course_from_packs(packs),
        drills_in(packs),
        audience,
        catalog,
        datetime.now(UTC),
        since,
    )
    if html is not None:
        from tutor.hub.report_html import render_html
        from tutor.progress.home import write_atomically

        write_atomically(html, render_html(report, catalog).encode())
        print(catalog.text("cli.report.written", path=html))
        return 0
    from tutor.hub.report_text import render_text

    render_text(report, catalog, _console())
    return 0


def _console() -> Console:
    """A console at least MIN_WIDTH wide, so the tables stay readable when piped to a file."""
    try:
        columns = os.get_terminal_size().columns
    except OSError:
        columns = 0
    return Console(width=max(columns, MIN_WIDTH), highlight=False, soft_wrap=False)
