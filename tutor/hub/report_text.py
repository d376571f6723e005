"""The report in a terminal: a heading and one rich table per question a coordinator asks.

Columns fold instead of cutting text short, so a long village or lesson name is never
hidden behind an ellipsis in an 80-column terminal or in a file the output was sent to.
The tables themselves are decided in report_tables.py, shared with the HTML page.
"""

from rich.console import Console
from rich.table import Table

from tutor.content.strings import Catalog
from tutor.hub import report_tables as tables
from tutor.hub.report import Report

SECTIONS = (
    tables.villages,
    tables.learners,
    tables.drills,
    tables.stuck,
    tables.devices,
    tables.mistakes,
)


def _table(section: tables.TableSection) -> Table:
    table = Table(title=section.heading, title_justify="left", show_lines=False)
    for index, column in enumerate(section.head):
        justify = "right" if index in section.numeric else "left"
        table.add_column(column, overflow="fold", justify=justify)
    for row in section.rows:
        table.add_row(*row)
    return table


def _print(section: tables.TableSection, console: Console) -> None:
    if section.rows or not section.empty:
        console.print(_table(section))
    else:
        console.print(section.heading, style="bold")
        console.print(section.empty)
    if section.after:
        console.print(section.after)


def render_text(report: Report, catalog: Catalog, console: Console) -> None:
    first, *rest = tables.heading_lines(report, catalog)
    console.print(first, style="bold")
    for line in rest:
        console.print(line)
    console.print()
    if not report.learners:
        console.print(catalog.text("report.no_learners"))
        return
    for build in SECTIONS:
        _print(build(report, catalog), console)
        console.print()
