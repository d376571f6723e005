"""Three small charts drawn as inline SVG: no script, no library, nothing fetched.

A village laptop has no internet and an old browser, and the page must print the same as it
shows, so the charts are plain shapes and text laid out here. Every value is also written as
a number beside its shape, so a black-and-white printout still says everything. Labels are
escaped: names come from learners and mentors.
"""

from html import escape

FONT = 13
BAR_COLOR = "#3b7dd8"
TRACK_COLOR = "#e6e9ef"
INK = "#222"


def text_width(text: str, size: float = FONT) -> float:
    """A rough width in pixels: wide scripts (CJK, Hangul) a full em, others about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-size="{FONT}" fill="{INK}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, value: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(value)}</text>'


def bars(rows: list[tuple[str, float | None, str]], label: str, width: float = 640) -> str:
    """Horizontal bars of percentages: (label, 0-100 or None, caption written after)."""
    row_h, gap = 22, 8
    left = min(max((text_width(r[0]) for r in rows), default=0) + 12, width * 0.4)
    right = max((text_width(r[2]) for r in rows), default=0) + 16
    track = max(60.0, width - left - right)
    body = []
    for i, (name, value, caption) in enumerate(rows):
        y = gap + i * (row_h + gap)
        filled = track * max(0.0, min(100.0, value or 0)) / 100
        body += [
            _text(left - 8, y + row_h * 0.7, name, "end"),
            f'<rect x="{left:.1f}" y="{y}" width="{track:.1f}" height="{row_h}" '
            f'fill="{TRACK_COLOR}"/>',
            f'<rect x="{left:.1f}" y="{y}" width="{filled:.1f}" height="{row_h}" '
            f'fill="{BAR_COLOR}"/>',
            _text(left + track + 8, y + row_h * 0.7, caption),
        ]
    height = gap + len(rows) * (row_h + gap)
    return _svg(left + track + right, height, body, label)


def heatmap(
    rows: list[tuple[str, str, tuple[str, ...]]],
    columns: list[str],
    styles: dict[str, tuple[str, str]],
    label: str,
) -> str:
    """A grid of learners (label, group, one level per column) by skills; `styles` gives
    each level its fill colour and a symbol for black-and-white print. A group's first row
    is preceded by its name."""
    cell, gap = 30, 4
    left = min(max((text_width(r[0]) for r in rows), default=0) + 16, 260)
    head = min(max((text_width(c) for c in columns), default=0) * 0.72 + 16, 220)
    body = []
    for j, name in enumerate(columns):
        x = left + j * (cell + gap) + cell / 2
        turn = f' transform="rotate(-45 {x:.1f} {head - 6:.1f})"'
        body.append(_text(x, head - 6, name, extra=turn))
    y = head
    group = None
    for name, row_group, levels in rows:
        if row_group != group:
            group = row_group
            y += 6
            body.append(_text(4, y + FONT, row_group, extra=' font-weight="bold"'))
            y += FONT + 6
        body.append(_text(left - 8, y + cell * 0.68, name, "end"))
        for j, level in enumerate(levels):
            fill, symbol = styles.get(level, ("#fff", "?"))
            x = left + j * (cell + gap)
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#999" stroke-width="0.5"/>'
            )
            if symbol:
                body.append(_text(x + cell / 2, y + cell * 0.7, symbol, "middle"))
        y += cell + gap
    width = left + max(1, len(columns)) * (cell + gap) + head * 0.72
    return _svg(width, y + 4, body, label)


def histogram(
    counts: tuple[int, ...],
    labels: list[str],
    x_axis: str,
    y_axis: str,
    label: str,
    width: float = 640,
    height: float = 260,
) -> str:
    """Vertical bars of counts with each count written on top."""
    left, bottom, top = 44, 48, 20
    plot_w, plot_h = width - left - 10, height - top - bottom
    most = max(counts, default=0) or 1
    slot = plot_w / max(1, len(counts))
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>',
        _text(
            14,
            top + plot_h / 2,
            y_axis,
            "middle",
            f' transform="rotate(-90 14 {top + plot_h / 2:.1f})"',
        ),
        _text(left + plot_w / 2, height - 6, x_axis, "middle"),
    ]
    for i, count in enumerate(counts):
        h = plot_h * count / most
        x = left + i * slot + 3
        body += [
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot - 6:.1f}" '
            f'height="{h:.1f}" fill="{BAR_COLOR}"/>',
            _text(x + (slot - 6) / 2, top + plot_h - h - 4, str(count), "middle"),
            _text(x + (slot - 6) / 2, top + plot_h + 16, labels[i], "middle", ' font-size="11"'),
        ]
    return _svg(width, height, body, label)
