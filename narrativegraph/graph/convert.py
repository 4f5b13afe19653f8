"""Driver values -> plain JSON-able values, the same for FalkorDB and Neo4j.

Rows leave a `Store` as plain Python (str, int, float, bool, None, list, dict), so
queries, viz and JSON output never see a driver type and both stores compare equal:

* a node becomes its properties plus ``"_labels"`` (sorted list of labels);
* a relationship becomes its properties plus ``"_type"``;
* a path becomes ``{"nodes": [...], "relationships": [...]}``;
* dates, times and datetimes become ISO 8601 strings as Python writes them
  (``2020-01-01``, ``2020-01-01T10:00:00``, an offset only when the value has one);
  durations ISO 8601 durations as Neo4j writes them (``P1DT2H``);
* points become ``{"latitude": .., "longitude": ..}`` (geographic) or ``{"x": .., "y": ..}``.

Internal ids are left out on purpose: they differ between engines and between loads.
"""
from __future__ import annotations

import datetime as _dt
import math
import sys
from typing import Any, Mapping

__all__ = ["plain", "plain_row", "iso_duration"]


def iso_duration(delta: _dt.timedelta) -> str:
    """ISO 8601 duration of a timedelta.

    >>> iso_duration(_dt.timedelta(days=2, seconds=3661))
    'P2DT1H1M1S'
    >>> iso_duration(_dt.timedelta(0))
    'PT0S'
    """
    total = delta.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P{int(days)}D" if days else f"{sign}P"
    clock = ""
    if hours:
        clock += f"{int(hours)}H"
    if minutes:
        clock += f"{int(minutes)}M"
    if seconds or not (days or clock):
        clock += f"{int(seconds)}S" if float(seconds).is_integer() else f"{seconds:g}S"
    return out + (f"T{clock}" if clock else "")


def _props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): plain(v) for k, v in props.items()}


def _falkor(value: Any) -> Any:
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(value, Node):
        out = _props(value.properties or {})
        out["_labels"] = sorted(value.labels or [])
        return out
    if isinstance(value, Edge):
        out = _props(value.properties or {})
        out["_type"] = value.relation
        return out
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes()], "relationships": [plain(e) for e in value.edges()]}
    if isinstance(value, _dt.datetime):
        # FalkorDB has only local datetimes; its client marks them UTC
        return value.replace(tzinfo=None).isoformat()
    if type(value).__name__ == "relativedelta":  # FalkorDB's durations
        return _relativedelta(value)
    return _NOT_MINE


def _relativedelta(d: Any) -> str:
    """A dateutil relativedelta as Neo4j writes durations (``P1Y2M3DT4H5M6S``)."""
    date = "".join(f"{n}{u}" for n, u in ((d.years, "Y"), (d.months, "M"), (d.days, "D")) if n)
    seconds = d.seconds + d.microseconds / 1e6
    clock = "".join(f"{n}{u}" for n, u in ((d.hours, "H"), (d.minutes, "M")) if n)
    if seconds:
        clock += f"{seconds:g}S"
    if not (date or clock):
        return "PT0S"
    return "P" + date + (f"T{clock}" if clock else "")


def _neo4j(value: Any) -> Any:
    import neo4j.graph as ng
    import neo4j.spatial as ns
    import neo4j.time as nt

    if isinstance(value, ng.Node):
        out = _props(dict(value.items()))
        out["_labels"] = sorted(value.labels)
        return out
    if isinstance(value, ng.Relationship):
        out = _props(dict(value.items()))
        out["_type"] = value.type
        return out
    if isinstance(value, ng.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, nt.Duration):
        return value.iso_format()
    if isinstance(value, (nt.DateTime, nt.Time)):
        return value.to_native().isoformat()  # microseconds, as FalkorDB and Python write them
    if isinstance(value, nt.Date):
        return value.iso_format()
    if isinstance(value, ns.Point):
        if isinstance(value, ns.WGS84Point):
            out = {"latitude": value.latitude, "longitude": value.longitude}
            if len(value) > 2:
                out["height"] = value.height
            return out
        return dict(zip("xyz", (float(c) for c in value)))
    return _NOT_MINE


_NOT_MINE = object()


def plain(value: Any) -> Any:
    """One driver value as a plain JSON-able value.

    >>> plain({"d": _dt.date(2024, 1, 2), "l": (1, 2.5, None)})
    {'d': '2024-01-02', 'l': [1, 2.5, None]}
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    out = _NOT_MINE
    if "falkordb" in sys.modules:
        out = _falkor(value)
    if out is _NOT_MINE and "neo4j" in sys.modules:  # before Mapping: neo4j's Node is a Mapping
        out = _neo4j(value)
    if out is not _NOT_MINE:
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return _props(value)
    if isinstance(value, (_dt.date, _dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return iso_duration(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def plain_row(keys: list[str], values: list[Any]) -> dict[str, Any]:
    """One result row as a dict in RETURN order.

    >>> plain_row(["a", "b"], [1, _dt.date(2020, 5, 1)])
    {'a': 1, 'b': '2020-05-01'}
    """
    return {k: plain(v) for k, v in zip(keys, values)}
