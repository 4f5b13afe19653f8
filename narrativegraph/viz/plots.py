"""Static pictures with matplotlib: claims over time, top speakers, a narrative's spread, the echo matrix.

Each ``plot_*`` takes the rows a `narrativegraph.queries.subgraph` fetch returns and gives a
`Figure` (Jupyter shows it inline); `save_figure` writes PNG or SVG. Uses the Agg backend
through the object API, so nothing needs a display.
"""
from __future__ import annotations

import io
import logging
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from textwrap import wrap
from typing import Iterable, Mapping

from matplotlib import colormaps
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from narrativegraph.errors import NarrativegraphError
from narrativegraph.queries.subgraph import Spread
from narrativegraph.viz.files import check_writable

__all__ = ["PLOTS", "InlineFigure", "plot_timeline", "plot_speakers", "plot_spread", "plot_echo", "figure_format",
           "save_figure"]

logger = logging.getLogger(__name__)

PLOTS = ("timeline", "speakers", "spread", "echo")


class InlineFigure(Figure):
    """A `Figure` that Jupyter shows as a picture by itself.

    The plots never touch pyplot, so IPython's matplotlib integration may not be active in the
    kernel; without `_repr_png_` a notebook would show only ``<Figure size 1000x500 with 1 Axes>``.
    """

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100)
        return buf.getvalue()


def _d(s: str) -> date:
    return date.fromisoformat(str(s)[:10])


def _empty(fig: Figure, ax, message: str) -> Figure:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def _day_label(x: float, pos: int | None = None) -> str:
    """A tick as a day: "Dec 9, 2016" on the first tick and at a new year, else "Dec 12"."""
    d = mdates.num2date(x).date()
    return f"{d:%b} {d.day}, {d.year}" if pos == 0 or (d.month == 1 and d.day <= 7) else f"{d:%b} {d.day}"


def _date_axis(ax, days: Iterable[date]) -> None:
    """Date ticks that stay days: a day or a few get whole-day ticks around them, never hours or years.

    matplotlib's automatic locator shows a single day as 2015-2019 and two days as hours.
    """
    days = sorted(set(days))
    pad = max(1, round((days[-1] - days[0]).days * 0.04))
    lo, hi = days[0] - timedelta(days=pad), days[-1] + timedelta(days=pad)
    ax.set_xlim(lo, hi)
    span = (hi - lo).days
    if span <= 21:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, -(-span // 8))))
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
    else:
        loc = mdates.AutoDateLocator(minticks=3, maxticks=9)
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _names(labels: Mapping[str, str], keys: Iterable[str]) -> dict[str, str]:
    """What to call each key: its label, with the key added where two shown keys share a label.

    >>> _names({"unknown/a": "I", "unknown/b": "I", "person/x": "X"}, ["unknown/a", "unknown/b", "person/x"])
    {'unknown/a': 'I [unknown/a]', 'unknown/b': 'I [unknown/b]', 'person/x': 'X'}
    """
    keys = list(keys)
    seen: dict[str, int] = defaultdict(int)
    for k in keys:
        seen[labels.get(k, k)] += 1
    return {k: labels.get(k, k) if seen[labels.get(k, k)] == 1 else f"{labels.get(k, k)} [{_short(k, 40)}]"
            for k in keys}


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _counts(axis) -> None:
    """Whole-number ticks on an axis of counts (no 16.25 claims)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def plot_timeline(rows: Iterable[Mapping], *, by: str = "outlet", top: int = 8) -> Figure:
    """Claims per day, one bar a day stacked by the ``top`` busiest outlets (or speakers); rows ``{day, key, claims}``.

    Bars, not lines: a line between two days with claims would invent claims on the days between.
    The rest are stacked as "other", so each bar is the day's true total.
    """
    per: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    for r in rows:
        if r.get("day") and r.get("key") is not None:
            per[str(r["key"])][_d(r["day"])] += int(r["claims"])
            labels[str(r["key"])] = str(r.get("label") or r["key"])
    fig = InlineFigure(figsize=(10, 5), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(f"Claims per day by {by}")
    if not per:
        return _empty(fig, ax, "no dated claims")
    ranked = sorted(per, key=lambda k: (-sum(per[k].values()), k))
    keys, rest = ranked[:top], ranked[top:]
    names = _names(labels, keys)
    days = sorted({d for k in per for d in per[k]})
    series = [(f"{names[k]} ({sum(per[k].values())})", [per[k].get(d, 0) for d in days],
               colormaps["tab10"](i % 10)) for i, k in enumerate(keys)]
    if rest:
        series.append((f"other {len(rest)} ({sum(sum(per[k].values()) for k in rest)})",
                       [sum(per[k].get(d, 0) for k in rest) for d in days], "#c7c7c7"))
    bottom = [0] * len(days)
    for label, values, color in series:
        ax.bar(days, values, bottom=bottom, width=0.8, label=label, color=color, edgecolor="white", linewidth=0.4)
        bottom = [a + b for a, b in zip(bottom, values)]
    _date_axis(ax, days)
    _counts(ax.yaxis)
    ax.set_xlabel("day published")
    ax.set_ylabel("claims")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(title=f"{by} (total claims)" + (f", top {top}" if rest else ""), fontsize=8,
              loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def plot_speakers(rows: Iterable[Mapping], *, top: int = 15) -> Figure:
    """The ``top`` speakers by claims, bars stacked by outlet; rows ``{speaker, speaker_id, outlet, claims}``.

    Speakers are told apart by ``speaker_id`` when the rows carry it (two speakers may share a name).
    """
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    labels: dict[str, str] = {}
    for r in rows:
        if r.get("speaker"):
            key = str(r.get("speaker_id") or r["speaker"])
            per[key][str(r.get("outlet") or "?")] += int(r["claims"])
            labels[key] = str(r["speaker"])
    fig = InlineFigure(figsize=(10, 0.5 * min(len(per), top) + 2), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(f"Top {min(len(per), top)} speakers by claims, by outlet")
    if not per:
        return _empty(fig, ax, "no speakers")
    speakers = sorted(per, key=lambda s: (-sum(per[s].values()), s))[:top][::-1]
    names = _names(labels, speakers)
    outlets = sorted({o for s in speakers for o in per[s]}, key=lambda o: (-sum(per[s].get(o, 0) for s in speakers), o))
    cmap = [colormaps["tab20"](i % 20) for i in range(len(outlets))]
    left = [0] * len(speakers)
    for o, color in zip(outlets, cmap):
        vals = [per[s].get(o, 0) for s in speakers]
        ax.barh([names[s] for s in speakers], vals, left=left, label=o, color=color)
        left = [a + b for a, b in zip(left, vals)]
    _counts(ax.xaxis)
    ax.set_xlabel("claims")
    ax.set_ylabel("speaker")
    ax.legend(title="outlet", fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return fig


def _quoted(text: str, n: int = 60) -> str:
    """A claim as a short quotation for a title, its own quote marks dropped.

    >>> _quoted('"There is no such thing as carnage in Aleppo," she said', 30)
    '“There is no such thing as car…”'
    """
    text = " ".join(text.split()).strip("\"'“”‘’ ,")
    return f"“{text if len(text) <= n else text[: n - 1].rstrip() + '…'}”"


def plot_spread(spread: Spread) -> Figure:
    """How many outlets had carried a narrative by each day (a step line, each outlet named where it joins).

    The line runs on to the last day any article carried it, so one outlet alone still shows how long it ran.
    """
    first: dict[str, date] = {}
    for c in spread.carriers:
        if c.day:
            d = _d(c.day)
            first[c.outlet] = min(d, first.get(c.outlet, d))
    fig = InlineFigure(figsize=(10, 5), layout="constrained")
    ax = fig.add_subplot()
    what = "the narrative" if spread.subject == "narrative" else "claims by"
    subject = _quoted(spread.label) if spread.subject == "narrative" else spread.label
    ax.set_title("\n".join(wrap(f"How {what} {subject} spread: outlets carrying it over time", 90)))
    if not first:
        return _empty(fig, ax, "no dated carriers")
    order = sorted(first, key=lambda o: (first[o], o))
    days = [first[o] for o in order]
    counts = list(range(1, len(order) + 1))
    last = max(_d(c.day) for c in spread.carriers if c.day)
    ax.step(days + [last], counts + [counts[-1]], where="post", color="#4e79a7", linewidth=2,
            label="outlets carrying it")
    if len(order) > 1:
        ax.scatter(days[1:], counts[1:], color="#4e79a7", zorder=3, label="an outlet joins")
    ax.scatter(days[:1], counts[:1], color="#d62728", s=60, zorder=3, label=f"first mover: {order[0]}")
    for o, d, n in zip(order, days, counts):
        ax.annotate(o, (d, n), xytext=(6, -4), textcoords="offset points", fontsize=9)
    _date_axis(ax, days + [last])
    ax.set_xlabel("day first carried")
    ax.set_ylabel("outlets (cumulative)")
    ax.set_ylim(0, len(order) + 1)
    _counts(ax.yaxis)
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def plot_echo(rows: Iterable[Mapping]) -> Figure:
    """The outlet-to-outlet echo matrix: how many narratives each row outlet carried before each column outlet."""
    rows = [r for r in rows if r.get("source") and r.get("target")]
    fig = InlineFigure(figsize=(8, 7), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("Echoes: narratives an outlet carried first (row) that another carried later (column)")
    if not rows:
        return _empty(fig, ax, "no echoes: link narratives first (narrativegraph link)")
    outlets = sorted({r["source"] for r in rows} | {r["target"] for r in rows})
    idx = {o: i for i, o in enumerate(outlets)}
    grid = [[0.0] * len(outlets) for _ in outlets]
    for r in rows:
        grid[idx[r["source"]]][idx[r["target"]]] = float(r.get("narratives") or 0)
    im = ax.imshow(grid, cmap="Blues")
    top = max(max(g) for g in grid) or 1
    for i, g in enumerate(grid):
        for j, v in enumerate(g):
            if v:
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=8,
                        color="white" if v > top / 2 else "#222")
    ax.set_xticks(range(len(outlets)), outlets, rotation=45, ha="right")
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_xlabel("later carrier")
    ax.set_ylabel("earlier carrier")
    bar = fig.colorbar(im, ax=ax, label="narratives echoed", shrink=0.8)
    _counts(bar.ax.yaxis)
    return fig


def figure_format(path: str | Path) -> str:
    """``"png"`` or ``"svg"`` from a file name; anything else is a user error.

    >>> figure_format("timeline.SVG")
    'svg'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise NarrativegraphError(f"{path}: plots are written as .png or .svg, not {path.suffix or 'no suffix'}")
    return fmt


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` as PNG or SVG (by the file's suffix); the path written."""
    path = check_writable(path, "picture")
    fmt = figure_format(path)
    try:
        fig.savefig(path, format=fmt, dpi=150 if fmt == "png" else None)
    except OSError as e:
        raise NarrativegraphError(f"{path}: cannot write the picture ({e.strerror or e})") from None
    logger.info("wrote %s", path)
    return path
