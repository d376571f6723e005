"""The report's tables as plain cells, once, for the terminal and the HTML page alike.

Both renderers used to build the same headings, columns and rows each in its own way, and
had begun to drift (the terminal had lost the "why" of a common mistake). Here each table
is decided once: its heading, its columns, its rows as text, which columns are numbers, and
what to say when it is empty; a renderer only lays the cells out.
"""

from dataclasses import dataclass

from tutor.content.strings import Catalog
from tutor.hub.privacy import MENTOR
from tutor.hub.report import ACTIVE_DAYS, SILENT_DAYS, Report
from tutor.progress.events import parse_timestamp
from tutor.progress.mastery import MASTERED


@dataclass(frozen=True)
class TableSection:
    """One question the report answers: a table, or the sentence saying there is nothing."""

    heading: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    empty: str = ""
    after: str = ""


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def points(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def local_time(at: str) -> str:
    """A report's moment on this machine's clock, to the minute, as the reader lives it."""
    return parse_timestamp(at).astimezone().strftime("%Y-%m-%d %H:%M")


def heading_lines(report: Report, catalog: Catalog) -> list[str]:
    """Title, date, whose report it is and what it counts."""
    t = catalog.text
    audience = report.audience
    if audience.role == MENTOR:
        whose = t("report.audience_mentor", village=audience.village)
    else:
        villages = audience.village or t("report.all_villages")
        whose = t("report.audience_coordinator", villages=villages)
    lines = [
        t("report.title"),
        t("report.generated", date=local_time(report.generated)),
        whose,
    ]
    if report.since_days:
        lines.append(t("report.since", days=report.since_days))
    lines.append(t("report.names_note"))
    return lines


def villages(report: Report, catalog: Catalog) -> TableSection:
    p = "report.villages."
    t = catalog.text
    head = (
        t(p + "village"),
        t(p + "learners"),
        t(p + "active", days=report.since_days or ACTIVE_DAYS),
        t(p + "completed"),
        t(p + "completion"),
        t(p + "drill_runs"),
        t(p + "drill_average"),
        t(p + "stuck"),
    )
    rows = tuple(
        (
            v.village,
            str(v.learners),
            str(v.active),
            str(v.completed),
            percent(v.completion),
            str(v.drill_runs),
            percent(v.drill_percent),
            str(v.stuck),
        )
        for v in report.villages
    )
    return TableSection(t(p + "heading"), head, rows, numeric=(1, 2, 3, 4, 5, 6, 7))


def learners(report: Report, catalog: Catalog) -> TableSection:
    p = "report.learners."
    t = catalog.text
    head = (
        t("report.villages.village"),
        t(p + "learner"),
        t(p + "lessons"),
        t(p + "mastered"),
        t(p + "last_active"),
    )
    rows = tuple(
        (
            ln.village,
            ln.name,
            f"{ln.lessons_done}/{report.lessons}",
            f"{sum(1 for level in ln.levels if level == MASTERED)}/{len(ln.levels)}",
            ln.last_active or "-",
        )
        for ln in report.learners
    )
    return TableSection(t(p + "heading"), head, rows, numeric=(2, 3))


def drills(report: Report, catalog: Catalog) -> TableSection:
    p = "report.drills."
    t = catalog.text
    head = (
        t("report.villages.village"),
        t(p + "drill"),
        t(p + "runs"),
        t(p + "average"),
        t(p + "best"),
        t(p + "dimensions"),
    )
    separator = t("report.list_separator")
    rows = tuple(
        (
            d.village,
            d.drill,
            str(d.runs),
            percent(d.mean_percent),
            percent(d.best_percent),
            separator.join(
                t(p + "dimension", name=n, mean=points(m), best=b) for n, m, b in d.dimensions
            )
            or "-",
        )
        for d in report.drills
    )
    return TableSection(t(p + "heading"), head, rows, numeric=(2, 3, 4), empty=t(p + "none"))


def stuck(report: Report, catalog: Catalog) -> TableSection:
    p = "report.stuck."
    t = catalog.text
    head = (t("report.villages.village"), t(p + "learner"), t(p + "what"), t(p + "since"))
    rows = tuple((s.village, s.name, s.what, s.since) for s in report.stuck)
    return TableSection(t(p + "heading"), head, rows, empty=t(p + "none"))


def devices(report: Report, catalog: Catalog) -> TableSection:
    p = "report.devices."
    t = catalog.text
    head = (t(p + "device"), t("report.villages.village"), t(p + "last"), t(p + "days"))
    separator = t("report.list_separator")
    rows = tuple(
        (d.device, separator.join(d.villages) or "-", d.last, str(d.days)) for d in report.devices
    )
    return TableSection(
        t(p + "heading", days=SILENT_DAYS),
        head,
        rows,
        numeric=(3,),
        empty=t(p + "none", days=SILENT_DAYS),
        after=t(p + "count", devices=report.device_count),
    )


def mistakes(report: Report, catalog: Catalog) -> TableSection:
    p = "report.mistakes."
    t = catalog.text
    head = (
        t("report.drills.drill"),
        t(p + "situation"),
        t(p + "chose"),
        t(p + "better"),
        t(p + "why"),
        t(p + "count"),
    )
    rows = tuple(
        (m.drill, m.situation, m.chose, m.better, m.why, str(m.count)) for m in report.mistakes
    )
    return TableSection(t(p + "heading"), head, rows, numeric=(5,), empty=t(p + "none"))
