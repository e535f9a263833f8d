"""Small SVG charts for the briefing, built as text: horizontal bars, a donut and a PRISMA-style flow.

Each builder is pure and deterministic (the same data give the same bytes), escapes every label, and
returns markup ready to inline in the HTML. Each chart is `role="img"` with a `<title>` that carries the whole
alt text (WeasyPrint writes it as the figure's /Alt in the tagged PDF) and a `<desc>`. The wording of titles
and labels comes from the templates; only geometry lives here.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

FONT = "DejaVu Sans, sans-serif"
PALETTE = ("#1b3a6b", "#00857c", "#c8102e", "#e0a100", "#6a4c93", "#5b7083", "#2e86ab", "#8d6e63")
INK = "#1f2933"
MUTED = "#5b6770"
TRACK = "#e6eaee"
CHAR_WIDTH = 0.54  # average advance of DejaVu Sans, in ems: enough to wrap labels without measuring


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros, so output is stable and short."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _e(text: str) -> str:
    return escape(text, quote=True)


def _chart_id(kind: str, title: str, items: object) -> str:
    digest = hashlib.sha256(f"{kind}\x00{title}\x00{items!r}".encode()).hexdigest()[:10]
    return f"{kind}-{digest}"


def _open(kind: str, width: float, height: float, title: str, description: str, items: object) -> list[str]:
    ident = _chart_id(kind, title, items)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'aria-labelledby="{ident}-t {ident}-d" font-family="{FONT}">',
        f'<title id="{ident}-t">{_e(title)}</title>',
        f'<desc id="{ident}-d">{_e(description)}</desc>',
    ]


def _wrap(text: str, width: float, size: float, max_lines: int = 3) -> list[str]:
    """Lines of at most `width` (estimated), breaking at newlines too; the last line shortened with '…'."""
    chars = max(4, int(width / (size * CHAR_WIDTH)))
    lines = [
        line
        for part in text.split("\n")
        for line in (textwrap.wrap(part, chars, break_long_words=True) or [""])
    ]
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            textwrap.shorten(" ".join(lines[max_lines - 1 :]), chars, placeholder="…"),
        ]
    return lines


def _text_lines(lines: Sequence[str], x: float, y: float, size: float, **attrs: str) -> str:
    """Lines of text whose block is vertically centred on y."""
    extra = "".join(f' {key.replace("_", "-")}="{_e(value)}"' for key, value in attrs.items())
    leading = size * 1.2
    top = y - leading * (len(lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + i * leading)}">{_e(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text font-size="{_n(size)}" dominant-baseline="central"{extra}>{spans}</text>'


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    description: str = "",
    total: int | None = None,
    width: float = 320,
    colour: str = PALETTE[0],
    label_width: float | None = None,
) -> Markup:
    """Horizontal bars, one per (label, count), with the count (and 'of total') at the end of each bar."""
    size, bar, gap = 10.0, 12.0, 6.0
    label_w = label_width if label_width is not None else width * 0.42
    value_w = 48.0 if total else 24.0
    track_w = max(20.0, width - label_w - value_w - 8)
    scale_max = total or max((count for _, count in items), default=0) or 1
    rows = [(label, count, _wrap(label, label_w - 6, size)) for label, count in items]
    heights = [max(bar, len(lines) * size * 1.2) + gap for _, _, lines in rows]
    height = sum(heights) + 2
    summary = "; ".join(f"{label}: {count}" + (f" of {total}" if total else "") for label, count in items)
    parts = _open("bars", width, height, f"{title}. {summary}." if items else title, description, list(items))
    y = 1.0
    for (_, count, lines), row_h in zip(rows, heights, strict=True):
        middle = y + (row_h - gap) / 2
        parts.append(_text_lines(lines, 0, middle, size, fill=INK))
        parts.append(
            f'<rect x="{_n(label_w)}" y="{_n(middle - bar / 2)}" width="{_n(track_w)}" height="{_n(bar)}" '
            f'fill="{TRACK}" rx="2"/>'
        )
        filled = track_w * min(count, scale_max) / scale_max
        if filled > 0:
            parts.append(
                f'<rect x="{_n(label_w)}" y="{_n(middle - bar / 2)}" width="{_n(filled)}" height="{_n(bar)}" '
                f'fill="{_e(colour)}" rx="2"/>'
            )
        value = f"{count} of {total}" if total else str(count)
        parts.append(_text_lines([value], label_w + track_w + 5, middle, size, fill=INK, font_weight="bold"))
        y += row_h
    parts.append("</svg>")
    return Markup("".join(parts))


def _arc(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A donut segment from angle `start` to `end` (radians, clockwise from twelve o'clock)."""

    def point(radius: float, angle: float) -> str:
        return f"{_n(cx + radius * math.sin(angle))} {_n(cy - radius * math.cos(angle))}"

    large = 1 if end - start > math.pi else 0
    return (
        f"M {point(outer, start)} A {_n(outer)} {_n(outer)} 0 {large} 1 {point(outer, end)} "
        f"L {point(inner, end)} A {_n(inner)} {_n(inner)} 0 {large} 0 {point(inner, start)} Z"
    )


def donut_chart(
    items: Sequence[tuple[str, int]],
    *,
    title: str,
    description: str = "",
    centre: str = "",
    width: float = 320,
    colours: Sequence[str] = PALETTE,
) -> Markup:
    """A donut of shares with a legend beside it; `centre` is printed in the hole (a total, say)."""
    size = 10.0
    radius, hole = 36.0, 22.0
    cx, cy = radius + 2, radius + 2
    legend_x = cx + radius + 16
    legend_w = width - legend_x
    legend = [(label, count, _wrap(f"{label} ({count})", legend_w - 16, size, 2)) for label, count in items]
    legend_h = sum(len(lines) * size * 1.2 + 6 for _, _, lines in legend)
    height = max(2 * radius + 4, legend_h + 4)
    total = sum(count for _, count in items)
    summary = "; ".join(f"{label}: {count}" for label, count in items)
    parts = _open(
        "donut", width, height, f"{title}. {summary}." if items else title, description, list(items)
    )
    cy = height / 2
    if total == 0:
        parts.append(_ring(cx, cy, radius, hole, TRACK))
    else:
        angle = 0.0
        shown = [(i, count) for i, (_, count) in enumerate(items) if count > 0]
        for i, count in shown:
            colour = colours[i % len(colours)]
            if len(shown) == 1:
                parts.append(_ring(cx, cy, radius, hole, colour))
                break
            sweep = 2 * math.pi * count / total
            parts.append(
                f'<path d="{_arc(cx, cy, radius, hole, angle, angle + sweep)}" fill="{_e(colour)}"/>'
            )
            angle += sweep
    if centre:
        parts.append(_text_lines([centre], cx, cy, 13, fill=INK, font_weight="bold", text_anchor="middle"))
    y = cy - legend_h / 2
    for i, (_, _, lines) in enumerate(legend):
        row_h = len(lines) * size * 1.2 + 6
        middle = y + row_h / 2
        colour = colours[i % len(colours)]
        parts.append(
            f'<rect x="{_n(legend_x)}" y="{_n(middle - 4.5)}" width="9" height="9" rx="1.5" '
            f'fill="{_e(colour)}"/>'
        )
        parts.append(_text_lines(lines, legend_x + 14, middle, size, fill=INK))
        y += row_h
    parts.append("</svg>")
    return Markup("".join(parts))


def _ring(cx: float, cy: float, outer: float, inner: float, colour: str) -> str:
    width = outer - inner
    middle = (outer + inner) / 2
    return (
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(middle)}" fill="none" stroke="{_e(colour)}" '
        f'stroke-width="{_n(width)}"/>'
    )


def flow_diagram(
    steps: Sequence[tuple[str, str | None]],
    *,
    title: str,
    description: str = "",
    width: float = 520,
    colour: str = PALETTE[0],
    accent: str = PALETTE[1],
) -> Markup:
    """A PRISMA-style flow: a column of boxes joined by arrows, each with an optional box to its right.

    `steps` is a list of (main box text, side box text or None); the last main box is highlighted.
    """
    size = 10.5
    main_w = width * 0.5
    side_x = main_w + 36
    side_w = width - side_x - 1
    pad, arrow = 8.0, 22.0
    rows = []
    for main, side in steps:
        main_lines = _wrap(main, main_w - 2 * pad, size, 4)
        side_lines = _wrap(side, side_w - 2 * pad, size, 6) if side else []
        box_h = max(len(main_lines), len(side_lines)) * size * 1.2 + 2 * pad
        rows.append((main_lines, side_lines, box_h))
    height = sum(box_h for _, _, box_h in rows) + arrow * (len(rows) - 1) + 2
    summary = " ".join(f"{main}." + (f" {side}." if side else "") for main, side in steps).replace("\n", "; ")
    parts = _open("flow", width, height, f"{title}. {summary}", description, list(steps))
    parts.append(
        '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{MUTED}"/></marker></defs>'
    )
    y = 1.0
    for index, (main_lines, side_lines, box_h) in enumerate(rows):
        last = index == len(rows) - 1
        fill = colour if last else "#ffffff"
        ink = "#ffffff" if last else INK
        parts.append(
            f'<rect x="1" y="{_n(y)}" width="{_n(main_w - 2)}" height="{_n(box_h)}" rx="4" fill="{fill}" '
            f'stroke="{_e(colour)}" stroke-width="1.5"/>'
        )
        parts.append(_text_lines(main_lines, main_w / 2, y + box_h / 2, size, fill=ink, text_anchor="middle"))
        if side_lines:
            side_h = len(side_lines) * size * 1.2 + 2 * pad
            side_y = y + (box_h - side_h) / 2
            parts.append(
                f'<line x1="{_n(main_w - 1)}" y1="{_n(y + box_h / 2)}" x2="{_n(side_x - 2)}" '
                f'y2="{_n(y + box_h / 2)}" stroke="{MUTED}" stroke-width="1.2" '
                'marker-end="url(#flow-arrow)"/>'
            )
            parts.append(
                f'<rect x="{_n(side_x)}" y="{_n(side_y)}" width="{_n(side_w)}" height="{_n(side_h)}" rx="4" '
                f'fill="#f4f6f8" stroke="{_e(accent)}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
            parts.append(_text_lines(side_lines, side_x + pad, side_y + side_h / 2, size, fill=INK))
        if not last:
            parts.append(
                f'<line x1="{_n(main_w / 2)}" y1="{_n(y + box_h)}" x2="{_n(main_w / 2)}" '
                f'y2="{_n(y + box_h + arrow - 2)}" stroke="{MUTED}" stroke-width="1.2" '
                'marker-end="url(#flow-arrow)"/>'
            )
        y += box_h + arrow
    parts.append("</svg>")
    return Markup("".join(parts))
