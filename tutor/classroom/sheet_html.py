"""The attendance and progress sheet as one HTML file to print on A4 and sign.

Like the county report it needs nothing but the file: CSS inside, no script, no link, no
picture, so it opens and prints on a laptop with no internet. Rows are tall enough to sign
by hand and never break across pages; a few empty rows wait for learners not on the list.
Every word comes from the catalog and every value is escaped.
"""

from html import escape

from tutor.classroom.sheet import Sheet
from tutor.content.strings import Catalog

_DIRECTION = {"ug": "rtl"}
BLANK_ROWS = 3

CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans", "DejaVu Sans",
       sans-serif; color: #111; background: #fff; margin: 24px; font-size: 15px;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 26px; margin: 0 0 8px; }
p.meta { margin: 3px 0; font-size: 16px; }
section.room { border: 2px solid #3b7dd8; padding: 6px 10px; margin: 10px 0; }
section.room ul { margin: 4px 0; padding-inline-start: 22px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; table-layout: fixed; }
th, td { border: 1px solid #555; padding: 6px; text-align: start; vertical-align: top; }
th { background: #e8eef8; font-size: 14px; }
td { height: 56px; }
td.n { text-align: center; width: 5%; }
td.who { font-weight: bold; font-size: 17px; }
td.sign { width: 20%; }
td small { display: block; color: #444; font-size: 12px; }
col.n { width: 6%; } col.who { width: 17%; } col.done { width: 20%; }
col.now { width: 20%; } col.review { width: 17%; } col.sign { width: 20%; }
tr { break-inside: avoid; page-break-inside: avoid; }
p.note { font-size: 12px; color: #333; }
p.mentor { margin-top: 22px; font-size: 16px; }
@media print {
  body { margin: 0; font-size: 11pt; }
  thead { display: table-header-group; }
}
"""


def render_sheet(sheet: Sheet, catalog: Catalog) -> str:
    t = catalog.text
    lang = catalog.language
    heading = t("classroom.sheet.title")
    village = (
        t("classroom.sheet.village", village=sheet.village)
        if sheet.village
        else t("classroom.sheet.no_village")
    )
    meta = [t("classroom.sheet.date", date=sheet.date), village]
    parts = [
        f"<h1>{escape(heading)}</h1>",
        *(f'<p class="meta">{escape(line)}</p>' for line in meta),
        _room(sheet, catalog),
    ]
    if not sheet.rows:
        parts.append(f'<p class="note">{escape(t("classroom.sheet.no_learners"))}</p>')
    parts += [
        _table(sheet, catalog),
        f'<p class="note">{escape(t("classroom.sheet.names_note"))}</p>',
        f'<p class="mentor">{escape(t("classroom.sheet.mentor"))}</p>',
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{_DIRECTION.get(lang, "ltr")}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{escape(heading)} {escape(sheet.date)}</title>\n<style>{CSS}</style>\n"
        "</head>\n<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def _room(sheet: Sheet, catalog: Catalog) -> str:
    """What the room did on the big screen today, and the questions it found hard."""
    t = catalog.text
    if not sheet.groups:
        return f'<section class="room"><p>{escape(t("classroom.sheet.no_group"))}</p></section>'
    parts = []
    for group in sheet.groups:
        parts.append(
            f"<p><b>{escape(t('classroom.sheet.group_lesson', title=group.title))}</b></p>"
        )
        if group.hard:
            items = "".join(f"<li>{escape(item)}</li>" for item in group.hard)
            parts.append(f"<p>{escape(t('classroom.sheet.hard', items=''))}</p><ul>{items}</ul>")
        else:
            parts.append(f"<p>{escape(t('classroom.sheet.none_hard'))}</p>")
    return f'<section class="room">{"".join(parts)}</section>'


def _table(sheet: Sheet, catalog: Catalog) -> str:
    t = catalog.text
    p = "classroom.sheet."
    columns = ("n", "who", "done", "now", "review", "sign")
    head_keys = ("number", "learner", "lessons_done", "current", "review", "signature")
    cols = "".join(f'<col class="{c}">' for c in columns)
    head = "".join(f"<th>{escape(t(p + k))}</th>" for k in head_keys)
    nothing = escape(t(p + "nothing"))
    separator = t("report.list_separator")
    rows = []
    for number, row in enumerate(sheet.rows, 1):
        done = escape(t(p + "done_count", count=len(row.done)))
        if row.done:
            done += f"<small>{escape(separator.join(row.done))}</small>"
        rows.append(
            f'<tr><td class="n">{number}</td><td class="who">{escape(row.name)}</td>'
            f"<td>{done}</td><td>{escape(row.current) or nothing}</td>"
            f"<td>{escape(separator.join(row.review)) or nothing}</td>"
            '<td class="sign"></td></tr>'
        )
    for number in range(len(sheet.rows) + 1, len(sheet.rows) + 1 + BLANK_ROWS):
        rows.append(f'<tr><td class="n">{number}</td>' + "<td></td>" * 5 + "</tr>")
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
