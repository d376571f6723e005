"""A printable certificate of the lessons and drills a learner finished, in their language.

Plain text for the terminal and a receipt printer, and one self-contained HTML page (no
files beside it, print styles inline) that any browser on the village machine can print.
Every word comes from the string catalog; an erased learner's certificate names no one.
"""

import html
from datetime import date

from tutor.content.strings import Catalog
from tutor.progress.course import Course, title
from tutor.progress.events import parse_timestamp
from tutor.progress.model import LearnerState
from tutor.progress.summary import say_number
from tutor.progress.view import best_drills, completed

_DIRECTION = {"ug": "rtl"}


def say_date(day: date, catalog: Catalog) -> str:
    return catalog.text("progress.date", year=day.year, month=day.month, day=day.day)


def local_day(at: str) -> date:
    """The calendar day on this machine's clock, as the learner lived it."""
    return parse_timestamp(at).astimezone().date()


def certificate_lines(
    state: LearnerState, course: Course, catalog: Catalog, today: date
) -> tuple[str, str, list[str], str]:
    """Title, the sentence naming the learner, one line per lesson or drill, the issue date."""
    lang = catalog.language
    name = state.personal("name") or catalog.text("certificate.anonymous")
    items = []
    for view in completed(state, course):
        info = course.lessons.get(view.lesson)
        lesson = title(info.title if info else None, lang, view.lesson)
        when = say_date(local_day(view.first_completed or ""), catalog)
        items.append(catalog.text("certificate.lesson", lesson=lesson, date=when))
    for drill, (score, _) in best_drills(state).items():
        drill_title = title(course.drills.get(drill), lang, drill)
        items.append(catalog.text("certificate.drill", drill=drill_title, score=say_number(score)))
    awarded = catalog.text("certificate.awarded" if items else "certificate.none", name=name)
    issued = catalog.text("certificate.issued", date=say_date(today, catalog))
    return catalog.text("certificate.title"), awarded, items, issued


def certificate_text(state: LearnerState, course: Course, catalog: Catalog, today: date) -> str:
    heading, awarded, items, issued = certificate_lines(state, course, catalog, today)
    body = [heading, "", awarded, *(f"  · {item}" for item in items), "", issued]
    return "\n".join(body) + "\n"


def certificate_html(state: LearnerState, course: Course, catalog: Catalog, today: date) -> str:
    heading, awarded, items, issued = certificate_lines(state, course, catalog, today)
    lang = catalog.language
    direction = _DIRECTION.get(lang, "ltr")
    rows = "\n".join(f"      <li>{html.escape(item)}</li>" for item in items)
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}">
<head>
  <meta charset="utf-8">
  <title>{html.escape(heading)}</title>
  <style>
    body {{ font-family: sans-serif; font-size: 20pt; margin: 2cm; text-align: center; }}
    main {{ border: 6px double #333; padding: 1.5cm; }}
    h1 {{ font-size: 32pt; }}
    ul {{ list-style: none; padding: 0; }}
    li {{ margin: 0.4em 0; }}
    @media print {{ body {{ margin: 0; }} }}
  </style>
</head>
<body>
  <main>
    <h1>{html.escape(heading)}</h1>
    <p>{html.escape(awarded)}</p>
    <ul>
{rows}
    </ul>
    <p>{html.escape(issued)}</p>
  </main>
</body>
</html>
"""
