"""The report as one HTML file a coordinator can open offline, print on A4 or send on.

Everything is inside the file: CSS in a style element, the charts as SVG drawn by svg.py,
no script and no link to anything, so it opens the same on a laptop with no internet and
in a browser years from now. Print styles set A4 pages, keep colours, and keep a chart or a
table row from breaking across pages. The tables are the terminal report's, so both say
the same; every word comes from the catalog and every value is escaped.
"""

from html import escape

from tutor.content.strings import Catalog
from tutor.hub import report_tables as tables
from tutor.hub import svg
from tutor.hub.report import BINS, Report
from tutor.hub.report_tables import heading_lines, percent
from tutor.progress.mastery import LEARNING, LEVELS, MASTERED, NEW, PRACTISED

_DIRECTION = {"ug": "rtl"}

# Fill colour and a symbol per mastery level, so the heatmap reads in black and white too.
LEVEL_STYLES = {
    NEW: ("#f2f2f2", ""),
    LEARNING: ("#f8d49b", "\u25d4"),
    PRACTISED: ("#9ccfa5", "\u25d1"),
    MASTERED: ("#2e8b57", "\u25cf"),
}

CSS = """
@page { size: A4; margin: 14mm; }
* { box-sizing: border-box; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans",
       sans-serif; color: #222; background: #fff; margin: 24px; font-size: 14px;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 22px 0 8px; border-bottom: 2px solid #3b7dd8; }
p.meta { margin: 2px 0; color: #444; }
section { break-inside: avoid; page-break-inside: avoid; }
svg { direction: ltr; max-width: 100%; height: auto; }
svg text { unicode-bidi: plaintext; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: start; vertical-align: top; }
th { background: #eef2f8; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
.legend span { display: inline-block; margin-inline-end: 14px; }
.legend i { display: inline-block; width: 14px; height: 14px; border: 1px solid #999;
            vertical-align: middle; margin-inline-end: 4px; font-style: normal;
            font-size: 11px; line-height: 14px; text-align: center; }
@media print {
  body { margin: 0; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"""


def _cells(values: tuple[str, ...], numeric: tuple[int, ...]) -> str:
    return "".join(
        f'<td class="n">{escape(v)}</td>' if i in numeric else f"<td>{escape(v)}</td>"
        for i, v in enumerate(values)
    )


def _section(heading: str, *parts: str) -> str:
    return f"<section><h2>{escape(heading)}</h2>{''.join(parts)}</section>"


def _note(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _table(section: tables.TableSection) -> str:
    after = _note(section.after) if section.after else ""
    if not section.rows and section.empty:
        return _section(section.heading, _note(section.empty), after)
    header = "".join(f"<th>{escape(h)}</th>" for h in section.head)
    body = "".join(f"<tr>{_cells(r, section.numeric)}</tr>" for r in section.rows)
    table = f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    return _section(section.heading, table, after)


def render_html(report: Report, catalog: Catalog) -> str:
    t = catalog.text
    lang = catalog.language
    first, *rest = heading_lines(report, catalog)
    meta = "".join(f'<p class="meta">{escape(line)}</p>' for line in rest)
    if report.learners:
        parts = [
            _table(tables.villages(report, catalog)),
            _completion_chart(report, catalog),
            _score_chart(report, catalog),
            _mastery_chart(report, catalog),
            _table(tables.drills(report, catalog)),
            _table(tables.stuck(report, catalog)),
            _table(tables.devices(report, catalog)),
            _table(tables.mistakes(report, catalog)),
        ]
    else:
        parts = [_note(t("report.no_learners"))]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{_DIRECTION.get(lang, "ltr")}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{escape(first)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(first)}</h1>\n{meta}\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def _completion_chart(report: Report, catalog: Catalog) -> str:
    t = catalog.text
    rows = [
        (v.village, v.completion, f"{percent(v.completion)} ({v.done}/{v.possible})")
        for v in report.villages
    ]
    heading = t("report.charts.completion")
    return _section(heading, svg.bars(rows, heading))


def _mastery_chart(report: Report, catalog: Catalog) -> str:
    t = catalog.text
    heading = t("report.charts.mastery")
    if not report.skills:
        return _section(heading, _note(t("report.charts.no_data")))
    rows = [(ln.name, ln.village, ln.levels) for ln in report.learners]
    chart = svg.heatmap(rows, list(report.skills), LEVEL_STYLES, heading)
    legend = "".join(
        f'<span><i style="background:{LEVEL_STYLES[level][0]}">{LEVEL_STYLES[level][1]}</i>'
        f"{escape(t('report.levels.' + level))}</span>"
        for level in LEVELS
    )
    return _section(heading, f'<p class="legend">{legend}</p>', chart)


def _score_chart(report: Report, catalog: Catalog) -> str:
    t = catalog.text
    heading = t("report.charts.scores")
    if not any(report.histogram):
        return _section(heading, _note(t("report.drills.none")))
    step = 100 // BINS
    labels = [f"{i * step}-{(i + 1) * step}%" for i in range(BINS)]
    labels[0] = f"<{step}%"
    chart = svg.histogram(
        report.histogram,
        labels,
        t("report.charts.scores_axis"),
        t("report.charts.runs_axis"),
        heading,
    )
    return _section(heading, chart)
