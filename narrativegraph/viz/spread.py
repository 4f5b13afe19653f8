"""The spread view: which outlets carried a narrative (or a speaker's claims), and when.

Outlets run down the page in the order they first carried it, time runs across; each
article is a mark, arrows lead from each outlet's first carrier to the next outlet to pick
it up, and the first mover is highlighted. Plain inline SVG: no script, works offline.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from narrativegraph.queries.subgraph import Carrier, Spread
from narrativegraph.viz.files import write_text
from narrativegraph.viz.html import escape, iframe

__all__ = ["SpreadPage", "spread_svg", "spread_page", "write_spread_page"]

logger = logging.getLogger(__name__)

_LEFT, _RIGHT, _TOP, _ROW, _BOTTOM, _WIDTH = 200, 40, 56, 44, 64, 1100
_FIRST, _MARK, _ARROW = "#d62728", "#4e79a7", "#555555"


def _day(c: Carrier) -> date | None:
    try:
        return date.fromisoformat((c.day or "")[:10])
    except ValueError:
        return None


def _ticks(lo: date, hi: date, n: int = 8) -> list[date]:
    """About ``n`` evenly spaced days from ``lo`` to ``hi``, both included.

    >>> [d.isoformat() for d in _ticks(date(2016, 9, 1), date(2016, 9, 3))]
    ['2016-09-01', '2016-09-02', '2016-09-03']
    """
    span = (hi - lo).days
    step = max(1, -(-span // (n - 1)))
    out = [lo + timedelta(days=i) for i in range(0, span + 1, step)]
    if out[-1] != hi and (hi - out[-1]).days >= step / 2:
        out.append(hi)
    return out


def _articles(spread: Spread) -> list[tuple[Carrier, list[Carrier]]]:
    """One entry per (outlet, article) with a date: the first carrier and all its claims, earliest first."""
    groups: dict[tuple[str, str], list[Carrier]] = {}
    for c in spread.carriers:
        if _day(c) is not None:
            groups.setdefault((c.outlet, c.article_id), []).append(c)
    return sorted(((cs[0], cs) for cs in groups.values()), key=lambda g: (g[0].day, g[0].outlet, g[0].article_id))


def spread_svg(spread: Spread) -> str:
    """The spread chart as an ``<svg>`` element (every text escaped; native tooltips via ``<title>``)."""
    arts = _articles(spread)
    outlets = spread.outlets
    height = _TOP + _ROW * max(len(outlets), 1) + _BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ng-spread" viewBox="0 0 {_WIDTH} {height}" '
             f'width="{_WIDTH}" height="{height}" role="img" aria-label="{escape("spread of " + spread.label)}">',
             '<defs><marker id="ng-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{_ARROW}"/></marker></defs>']
    if not arts:
        parts.append(f'<text x="{_WIDTH / 2}" y="{_TOP + 20}" text-anchor="middle" fill="#777">'
                     "No dated article carried it.</text></svg>")
        return "".join(parts)
    lo, hi = _day(arts[0][0]), max(_day(a) for a, _ in arts)
    assert lo is not None and hi is not None
    if lo == hi:
        lo, hi = lo - timedelta(days=1), hi + timedelta(days=1)
    plot_w = _WIDTH - _LEFT - _RIGHT

    def x(d: date) -> float:
        return _LEFT + plot_w * (d - lo).days / (hi - lo).days

    row = {o: i for i, o in enumerate(outlets)}

    def y(outlet: str) -> float:
        return _TOP + _ROW * row[outlet] + _ROW / 2

    axis_y = _TOP + _ROW * len(outlets) + 6
    # grid, outlet names, date ticks
    for o in outlets:
        parts.append(f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y(o)}" y2="{y(o)}" stroke="#eeeeee"/>'
                     f'<text x="{_LEFT - 12}" y="{y(o) + 4}" text-anchor="end" font-size="13">{escape(o)}</text>')
    parts.append(f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{axis_y}" y2="{axis_y}" stroke="#888"/>')
    for i, t in enumerate(_ticks(lo, hi)):
        # not strftime("%-d"): Windows has no %-d
        fmt = f"{t:%b} {t.day}, {t.year}" if i == 0 or t.month == 1 and t.day <= 7 else f"{t:%b} {t.day}"
        parts.append(f'<line x1="{x(t)}" x2="{x(t)}" y1="{axis_y}" y2="{axis_y + 5}" stroke="#888"/>'
                     f'<text x="{x(t)}" y="{axis_y + 20}" text-anchor="middle" font-size="12" fill="#444">'
                     f'{escape(fmt)}</text>')
    parts.append(f'<text x="{_LEFT + plot_w / 2}" y="{axis_y + 44}" text-anchor="middle" font-size="12" '
                 'fill="#666">day the article was published</text>')
    # marks stacked up and down within the outlet's row when it carried it several times on one day:
    # side by side, the second article of Sep 8 would sit where Sep 9 is
    pos: dict[tuple[str, str], tuple[float, float]] = {}
    slots: dict[tuple[str, date], list[Carrier]] = {}
    for first, _ in arts:
        d = _day(first)
        assert d is not None
        slots.setdefault((first.outlet, d), []).append(first)
    for (outlet, d), group in slots.items():
        gap = min(9.0, (_ROW - 16) / max(len(group) - 1, 1))
        for k, first in enumerate(group):
            pos[(outlet, first.article_id)] = (x(d), y(outlet) + gap * (k - (len(group) - 1) / 2))
    firsts: dict[str, tuple[Carrier, list[Carrier]]] = {}
    for a in arts:
        firsts.setdefault(a[0].outlet, a)
    # arrows: each outlet's first carrier leads to the next outlet to carry it
    order = [firsts[o] for o in outlets]
    for (a, _), (b, _) in zip(order, order[1:]):
        (x1, y1), (x2, y2) = pos[(a.outlet, a.article_id)], pos[(b.outlet, b.article_id)]
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
        r1 = 11 if a is arts[0][0] else 8  # start and end at the marks' edges, so the head shows
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        x1, y1, x2, y2 = x1 + ux * r1, y1 + uy * r1, x2 - ux * 8, y2 - uy * 8
        parts.append(f'<path class="ng-arrow" d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" stroke="{_ARROW}" '
                     'stroke-width="1.4" fill="none" marker-end="url(#ng-arrow)" opacity="0.8" '
                     'stroke-dasharray="0"/>')
    mover = arts[0][0]
    for first, cs in arts:
        cx, cy = pos[(first.outlet, first.article_id)]
        is_first = first is mover
        tip = [f"{first.day} · {first.outlet}", first.title or first.article_id]
        tip += [f"{c.speaker + ': ' if c.speaker else ''}{c.claim}" for c in cs if c.claim][:4]
        tip.append(f"article {first.article_id}")
        parts.append(f'<circle class="ng-mark{" ng-first" if is_first else ""}" cx="{cx:.1f}" cy="{cy:.1f}" '
                     f'r="{9 if is_first else 6}" fill="{_FIRST if is_first else _MARK}" stroke="#fff" '
                     f'stroke-width="1.5"><title>{escape(chr(10).join(tip))}</title></circle>')
    fx, fy = pos[(mover.outlet, mover.article_id)]
    parts.append(f'<text x="{fx + 12:.1f}" y="{fy - 11:.1f}" font-size="12" font-weight="bold" fill="{_FIRST}">'
                 f'first: {escape(mover.outlet)}, {escape(mover.day)}</text>')
    parts.append("</svg>")
    return "".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="narrativegraph">
<title>{title}</title>
<style>
 body {{ font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 16px 22px; }}
 h1 {{ font-size: 19px; margin: 0 0 4px; }} .sub {{ color: #555; margin-bottom: 10px; }}
 svg.ng-spread {{ max-width: 100%; height: auto; font-family: inherit; }}
 svg .ng-mark:hover {{ stroke: #222; }}
 .legend span {{ margin-right: 16px; }} .dot {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%;
   vertical-align: -1px; margin-right: 5px; }}
 table {{ border-collapse: collapse; margin-top: 16px; width: 100%; font-size: 13px; }}
 th, td {{ text-align: left; border-bottom: 1px solid #e4e4e4; padding: 4px 8px; vertical-align: top; }}
 th {{ color: #555; font-weight: 600; }} td.claim {{ max-width: 520px; }} td.day {{ white-space: nowrap; }}
</style></head><body>
<h1>{title}</h1>
<div class="sub">{summary}</div>
<div class="legend"><span><i class="dot" style="background:{first}"></i>first mover</span>
<span><i class="dot" style="background:{mark}"></i>an article that carried it</span>
{arrows}</div>
{svg}
<table><thead><tr><th>date</th><th>outlet</th><th>article</th><th>speaker</th><th>claim</th></tr></thead>
<tbody>{rows}</tbody></table>
</body></html>
"""


@dataclass(frozen=True)
class SpreadPage:
    """A whole spread page; Jupyter shows it inline, ``write_html(path)`` saves it."""

    spread: Spread
    html: str

    def write_html(self, path: str | Path) -> Path:
        return write_text(path, self.html, "page")

    def _repr_html_(self) -> str:
        return iframe(self.html, height=260 + 44 * len(self.spread.outlets))


def spread_page(spread: Spread) -> SpreadPage:
    """The spread view of ``spread`` as one self-contained page."""
    what = "Narrative" if spread.subject == "narrative" else "Claims by"
    arts = _articles(spread)
    outlets = spread.outlets
    if arts:
        days = sorted({a.day for a, _ in arts if a.day})
        summary = (f"{len(arts)} article{'s' if len(arts) != 1 else ''} in {len(outlets)} "
                   f"outlet{'s' if len(outlets) != 1 else ''}, {days[0]} to {days[-1]}; "
                   + (f"first: {arts[0][0].outlet}" if len(outlets) > 1 else
                      f"only {arts[0][0].outlet} carried it: it did not spread to another outlet"))
    else:
        summary = "no dated article carried it"
    rows = []
    for c in spread.carriers:
        title = escape(c.title or c.article_id)
        if c.url and c.url.lower().startswith(("http://", "https://")):
            title = f'<a href="{escape(c.url)}" rel="noopener noreferrer">{title}</a>'
        rows.append(f"<tr><td class=\"day\">{escape(c.day or '?')}</td><td>{escape(c.outlet)}</td><td>{title}</td>"
                    f"<td>{escape(c.speaker or '')}</td><td class=\"claim\">{escape(c.claim or '')}</td></tr>")
    html = _PAGE.format(title=escape(f"{what} {spread.label}"), summary=escape(summary), first=_FIRST,
                        mark=_MARK, svg=spread_svg(spread), rows="".join(rows),
                        arrows="<span>→ next outlet to pick it up</span>" if len(outlets) > 1 else "")
    return SpreadPage(spread=spread, html=html)


def write_spread_page(spread: Spread, path: str | Path) -> Path:
    """Write the spread page for ``spread`` to ``path``; the path written."""
    path = spread_page(spread).write_html(path)
    logger.info("wrote %s (%d carriers)", path, len(spread.carriers))
    return path
