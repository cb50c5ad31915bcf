"""Charts drawn on the server as inline SVG: no script, no CDN, readable by screen readers through the
title and the table each chart sits next to. Labels are escaped; sizes are in SVG user units."""
from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kinerja.region import formats

PALETTE = ["#1f6f8b", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6c757d", "#8ab17d", "#b56576"]
PREDICATE_COLOURS = {"sangat_baik": "#1b7f5a", "baik": "#5cb85c", "butuh_perbaikan": "#f0ad4e",
                     "kurang": "#e8743b", "sangat_kurang": "#c9302c"}


def _number(value) -> str:
    value = Decimal(value)
    return formats.number(value, 0 if value == value.to_integral_value() else 1)


def _figure(title: str, svg: str, headers: list[str], rows: list[list[str]]) -> str:
    """The chart with its title as a caption and, under it, the same figures as a table (folded, for
    whoever cannot read the drawing: a screen reader reads the table, not the shapes)."""
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return mark_safe(
        f'<figure class="chart-figure"><figcaption>{escape(title)}</figcaption>'
        f'<div class="table-scroll chart-scroll">{svg}</div>'
        f'<details class="chart-table"><summary>{escape(_("The figures as a table"))}</summary>'
        f'<div class="table-scroll"><table><caption class="visually-hidden">{escape(title)}</caption>'
        f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details></figure>')


def _axis_title(x: float, y: float, text: str, *, vertical: bool = False) -> str:
    turn = f' transform="rotate(-90 {x:.0f} {y:.0f})"' if vertical else ""
    return (f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" font-weight="bold" text-anchor="middle"{turn}>'
            f'{escape(text)}</text>')


def bar_chart(title: str, rows: list[tuple[str, Decimal | int | None]], *, suffix: str = "",
              marker: tuple[str, Decimal] | None = None, width: int = 640, axis: str = "") -> str:
    """Horizontal bars, one per (label, value); a value of None is drawn as a hatched "<5" stub.
    `marker` draws a dashed line (e.g. the national median) across all bars; `axis` names what the bars
    measure, under them."""
    if not rows:
        return ""
    bar_height, gap, label_width, right = 18, 6, 190, 90
    plot = width - label_width - right
    peak = max([Decimal(v) for _l, v in rows if v is not None] + ([Decimal(marker[1])] if marker else []) + [Decimal(1)])
    height = len(rows) * (bar_height + gap) + gap + (18 if marker else 0) + (20 if axis else 0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
                     f'{escape(str(label)[:30])}</text>')
        if value is None:
            parts.append(f'<rect x="{label_width}" y="{y}" width="12" height="{bar_height}" fill="#ccc">'
                         f'<title>{escape(str(label))}: &lt;5</title></rect>'
                         f'<text x="{label_width + 16}" y="{y + 13}" font-size="12">&lt;5</text>')
            continue
        length = max(1, int(plot * Decimal(value) / peak))
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                     f'fill="{PALETTE[0]}"><title>{escape(str(label))}: {_number(value)}{suffix}</title></rect>'
                     f'<text x="{label_width + length + 4}" y="{y + 13}" font-size="12">{_number(value)}{suffix}</text>')
    if marker:
        x = label_width + int(plot * Decimal(marker[1]) / peak)
        bottom = height - (20 if axis else 0)
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{bottom - 18}" stroke="#333" stroke-dasharray="4 3"/>'
                     f'<text x="{x}" y="{bottom - 4}" font-size="11" text-anchor="middle">'
                     f'{escape(marker[0])}: {_number(marker[1])}{suffix}</text>')
    if axis:
        parts.append(_axis_title(label_width + plot / 2, height - 4, axis))
    parts.append("</svg>")
    table = [[label, "<5" if value is None else f"{_number(value)}{suffix}"] for label, value in rows]
    if marker:
        table.append([marker[0], f"{_number(marker[1])}{suffix}"])
    return _figure(title, "".join(parts), [_("Group"), axis or _("Value")], table)


def stacked_bars(title: str, rows: list[tuple[str, dict[str, Decimal]]], series: list[tuple[str, str]], *,
                 width: int = 640) -> str:
    """One 100% bar per row, split by series [(key, label)]; shares are of the row's total."""
    if not rows:
        return ""
    bar_height, gap, label_width, legend, axis = 20, 6, 120, 22, 20
    plot = width - label_width - 10
    height = legend + len(rows) * (bar_height + gap) + gap + axis
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    x = label_width
    for index, (key, label) in enumerate(series):
        colour = PREDICATE_COLOURS.get(key, PALETTE[index % len(PALETTE)])
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="13" font-size="11">{escape(str(label))}</text>')
        x += 18 + 7 * len(str(label))
    for index, (label, values) in enumerate(rows):
        y = legend + gap + index * (bar_height + gap)
        total = sum(Decimal(v) for v in values.values() if v is not None)
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
                     f'{escape(str(label)[:18])}</text>')
        x = Decimal(label_width)
        for series_index, (key, series_label) in enumerate(series):
            value = values.get(key)
            if not total or value is None or not value:
                continue
            share = Decimal(value) / total
            length = Decimal(plot) * share
            colour = PREDICATE_COLOURS.get(key, PALETTE[series_index % len(PALETTE)])
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}">'
                         f'<title>{escape(str(label))} · {escape(str(series_label))}: {_number(share * 100)}%</title></rect>')
            x += length
    parts.append(f'<text x="{label_width}" y="{height - 6}" font-size="10">0%</text>'
                 f'<text x="{label_width + plot}" y="{height - 6}" font-size="10" text-anchor="end">100%</text>')
    parts.append(_axis_title(label_width + plot / 2, height - 4, _("Share of the row's total (%)")))
    parts.append("</svg>")
    table = []
    for label, values in rows:
        total = sum(Decimal(v) for v in values.values() if v is not None)
        table.append([label] + [("<5" if values.get(key) is None and key in values else
                                 f"{_number(Decimal(values.get(key) or 0) * 100 / total)}%" if total else "—")
                                for key, _series_label in series])
    return _figure(title, "".join(parts), [_("Group")] + [str(label) for _key, label in series], table)


def line_chart(title: str, x_labels: list[str], series: list[tuple[str, str, list[Decimal | None]]], *,
               suffix: str = "%", width: int = 640, height: int = 260, x_title: str = "", y_title: str = "") -> str:
    """Lines over ordered x labels; series are (key, label, values). Missing values break the line.
    `x_title` and `y_title` name the axes."""
    if not x_labels:
        return ""
    left, right, top, bottom = 60, 10, 26, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _k, _l, vs in series for v in vs if v is not None]
    peak = max(values + [Decimal(1)])
    step = plot_w / max(1, len(x_labels) - 1)

    def point(i, v):
        return left + i * step, top + plot_h - float(Decimal(v) / peak) * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#999"/>',
             f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 4}" font-size="10" text-anchor="end">{_number(peak)}{suffix}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" font-size="10" text-anchor="end">0{suffix}</text>']
    for i, label in enumerate(x_labels):
        x, _y = point(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    if x_title:
        parts.append(_axis_title(left + plot_w / 2, height - 6, x_title))
    if y_title:
        parts.append(_axis_title(14, top + plot_h / 2, y_title, vertical=True))
    x = left
    for index, (key, label, vs) in enumerate(series):
        colour = PREDICATE_COLOURS.get(key, PALETTE[index % len(PALETTE)])
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="15" font-size="11">{escape(str(label))}</text>')
        x += 18 + 7 * len(str(label))
        segment: list[str] = []
        for i, v in enumerate(vs + [None]):
            if v is None:
                if len(segment) > 1:
                    parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(segment)}"/>')
                segment = []
                continue
            px, py = point(i, v)
            segment.append(f"{px:.1f},{py:.1f}")
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(str(label))} {escape(x_labels[i])}: {_number(v)}{suffix}</title></circle>')
    parts.append("</svg>")
    table = [[x_label] + ["—" if vs[i] is None else f"{_number(vs[i])}{suffix}" for _key, _label, vs in series]
             for i, x_label in enumerate(x_labels)]
    return _figure(title, "".join(parts), [x_title or _("Period")] + [str(label) for _key, label, _vs in series], table)


def curve_chart(title: str, rows: list[tuple[str, str, int]], lines: list, *, width: int = 640) -> str:
    """A distribution of predicates against the distribution curve: one bar per (code, label, count), as a
    share of everyone counted, and the curve's limits. A limit on one predicate is a dashed mark across its
    bar (red when broken); a limit on several together, or "at least one", is listed under the bars with
    its count and whether it holds. `lines` are the curve check's lines (bound, predicates, limit, count,
    share, ok, text)."""
    total = sum(count for _code, _label, count in rows)
    if not rows:
        return ""
    bar_height, gap, label_width, right = 18, 8, 150, 110
    plot = width - label_width - right
    single = {line.predicates[0]: line for line in lines if len(line.predicates) == 1 and line.bound != "some"}
    grouped = [line for line in lines if line not in single.values()]
    legend_rows = len(grouped) + (1 if single else 0)
    height = gap + len(rows) * (bar_height + gap) + 22 + legend_rows * 16
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (code, label, count) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        share = Decimal(count * 100) / total if total else Decimal(0)
        colour = PREDICATE_COLOURS.get(code, PALETTE[index % len(PALETTE)])
        length = int(plot * share / 100)
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(str(label))}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{max(1, length)}" height="{bar_height}" fill="{colour}">'
                     f'<title>{escape(str(label))}: {count} ({_number(share)}%)</title></rect>'
                     f'<text x="{label_width + length + 4}" y="{y + 13}" font-size="12">{count} ({_number(share)}%)</text>')
        if code in single:
            line = single[code]
            x = label_width + int(plot * Decimal(line.limit) / 100)
            stroke = "#1b5e20" if line.ok else "#c9302c"
            parts.append(f'<line x1="{x}" x2="{x}" y1="{y - 3}" y2="{y + bar_height + 3}" stroke="{stroke}" '
                         f'stroke-width="2" stroke-dasharray="3 2"><title>{escape(line.text)}</title></line>')
    axis_y = gap + len(rows) * (bar_height + gap)
    parts.append(f'<text x="{label_width}" y="{axis_y + 4}" font-size="10">0%</text>'
                 f'<text x="{label_width + plot}" y="{axis_y + 4}" font-size="10" text-anchor="end">100%</text>')
    parts.append(_axis_title(label_width + plot / 2, axis_y + 16, _("Share of those rated (%)")))
    y = axis_y + 32
    if single:
        explained = escape(_("Dashed mark: the curve's limit for that predicate"))
        parts.append(f'<text x="{label_width}" y="{y}" font-size="11">{explained}</text>')
        y += 16
    for line in grouped:
        mark, colour = ("✓", "#1b5e20") if line.ok else ("✗", "#c9302c")
        parts.append(f'<text x="{label_width}" y="{y}" font-size="11" fill="{colour}">{mark} {escape(line.text)}</text>')
        y += 16
    parts.append("</svg>")
    table = [[label, str(count), f"{_number(Decimal(count * 100) / total)}%" if total else "—"]
             for _code, label, count in rows]
    table += [[line.text, _("holds") if line.ok else _("broken"), ""] for line in lines]
    return _figure(title, "".join(parts), [_("Predicate"), _("People"), _("Share")], table)
