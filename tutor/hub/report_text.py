"""The report in a terminal: a heading and one rich table per question a coordinator asks.

Columns fold instead of cutting text short, so a long village or lesson name is never
hidden behind an ellipsis in an 80-column terminal or in a file the output was sent to.
Every heading and sentence comes from the catalog (`report.` keys).
"""

from rich.console import Console
from rich.table import Table

from tutor.content.strings import Catalog
from tutor.hub.privacy import MENTOR
from tutor.hub.report import ACTIVE_DAYS, SILENT_DAYS, Report
from tutor.progress.events import parse_timestamp
from tutor.progress.mastery import MASTERED


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def points(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def local_time(at: str) -> str:
    """A report's moment on this machine's clock, to the minute, as the reader lives it."""
    return parse_timestamp(at).astimezone().strftime("%Y-%m-%d %H:%M")


def heading_lines(report: Report, catalog: Catalog) -> list[str]:
    """Title, date, whose report it is and what it counts: shared with the HTML page."""
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


def _table(title: str, *columns: str, numeric: tuple[int, ...] = ()) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for index, column in enumerate(columns):
        justify = "right" if index in numeric else "left"
        table.add_column(column, overflow="fold", justify=justify)
    return table


def render_text(report: Report, catalog: Catalog, console: Console) -> None:
    t = catalog.text
    first, *rest = heading_lines(report, catalog)
    console.print(first, style="bold")
    for line in rest:
        console.print(line)
    console.print()
    if not report.learners:
        console.print(t("report.no_learners"))
        return
    for part in (_villages, _learners, _drills, _stuck, _devices, _mistakes):
        part(report, catalog, console)
        console.print()


def _villages(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.villages."
    t = catalog.text
    table = _table(
        t(p + "heading"),
        t(p + "village"),
        t(p + "learners"),
        t(p + "active", days=report.since_days or ACTIVE_DAYS),
        t(p + "completed"),
        t(p + "completion"),
        t(p + "drill_runs"),
        t(p + "drill_average"),
        t(p + "stuck"),
        numeric=(1, 2, 3, 4, 5, 6, 7),
    )
    for v in report.villages:
        table.add_row(
            v.village,
            str(v.learners),
            str(v.active),
            str(v.completed),
            percent(v.completion),
            str(v.drill_runs),
            percent(v.drill_percent),
            str(v.stuck),
        )
    console.print(table)


def _learners(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.learners."
    t = catalog.text
    table = _table(
        t(p + "heading"),
        t("report.villages.village"),
        t(p + "learner"),
        t(p + "lessons"),
        t(p + "mastered"),
        t(p + "last_active"),
        numeric=(2, 3),
    )
    for ln in report.learners:
        mastered = sum(1 for level in ln.levels if level == MASTERED)
        table.add_row(
            ln.village,
            ln.name,
            f"{ln.lessons_done}/{report.lessons}",
            f"{mastered}/{len(ln.levels)}",
            ln.last_active or "-",
        )
    console.print(table)


def _drills(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.drills."
    t = catalog.text
    if not report.drills:
        console.print(t(p + "heading"), style="bold")
        console.print(t(p + "none"))
        return
    table = _table(
        t(p + "heading"),
        t("report.villages.village"),
        t(p + "drill"),
        t(p + "runs"),
        t(p + "average"),
        t(p + "best"),
        t(p + "dimensions"),
        numeric=(2, 3, 4),
    )
    for d in report.drills:
        dims = t("report.list_separator").join(
            t(p + "dimension", name=name, mean=points(mean), best=best)
            for name, mean, best in d.dimensions
        )
        table.add_row(
            d.village,
            d.drill,
            str(d.runs),
            percent(d.mean_percent),
            percent(d.best_percent),
            dims or "-",
        )
    console.print(table)


def _stuck(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.stuck."
    t = catalog.text
    if not report.stuck:
        console.print(t(p + "heading"), style="bold")
        console.print(t(p + "none"))
        return
    table = _table(
        t(p + "heading"),
        t("report.villages.village"),
        t(p + "learner"),
        t(p + "what"),
        t(p + "since"),
    )
    for s in report.stuck:
        table.add_row(s.village, s.name, s.what, s.since)
    console.print(table)


def _devices(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.devices."
    t = catalog.text
    count = t(p + "count", devices=report.device_count)
    if not report.devices:
        console.print(t(p + "heading", days=SILENT_DAYS), style="bold")
        console.print(t(p + "none", days=SILENT_DAYS) + " " + count)
        return
    table = _table(
        t(p + "heading", days=SILENT_DAYS),
        t(p + "device"),
        t("report.villages.village"),
        t(p + "last"),
        t(p + "days"),
        numeric=(3,),
    )
    separator = t("report.list_separator")
    for d in report.devices:
        table.add_row(d.device, separator.join(d.villages) or "-", d.last, str(d.days))
    console.print(table)
    console.print(count)


def _mistakes(report: Report, catalog: Catalog, console: Console) -> None:
    p = "report.mistakes."
    t = catalog.text
    if not report.mistakes:
        console.print(t(p + "heading"), style="bold")
        console.print(t(p + "none"))
        return
    table = _table(
        t(p + "heading"),
        t("report.drills.drill"),
        t(p + "situation"),
        t(p + "chose"),
        t(p + "better"),
        t(p + "count"),
        numeric=(4,),
    )
    for m in report.mistakes:
        table.add_row(m.drill, m.situation, m.chose, m.better, str(m.count))
    console.print(table)
