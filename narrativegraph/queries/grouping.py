"""``--group-by``: regroup the rows of any per-outlet query by an outlet profile field.

A named query that returns one row per outlet (a column called ``outlet`` or ending in
``outlet``) can be regrouped by ``country``, ``language``, ``owner``,
``state_affiliated``, ``lean`` or ``collection`` without a second Cypher version: the
rows are fetched as usual, each outlet's profile value is looked up on its :Outlet node,
and rows are merged in Python — the same on both stores.

Merging: one row per group value (``None`` when the outlet has no profile value,
listed last; an outlet in several collections counts in each). Columns that place a row
in time or order — ``rank``, ``day``, ``*_day``, ``*_rank``, ``lag_days`` and ISO dates —
take the group's earliest value (``last*`` columns the latest): a group carried a
narrative when its first outlet did. Other integer columns (counts) are summed, float
columns averaged over the merged rows, other columns dropped; ``outlets`` lists the
outlets merged and ``rows`` how many rows were.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Mapping, Sequence

from narrativegraph.errors import QueryError
from narrativegraph.graph.outlets import GROUP_FIELDS, outlet_profiles

__all__ = ["GROUP_FIELDS", "outlet_column", "group_rows", "group_query_rows"]

logger = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

Row = dict[str, Any]


def outlet_column(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str | None:
    """The column holding an outlet name: ``outlet`` if there is one, else the first ``*outlet`` (``first_outlet``).

    >>> outlet_column([{"narrative": "n1", "first_outlet": "Sputnik", "outlets": 3}])
    'first_outlet'
    """
    cols = list(columns or (rows[0].keys() if rows else ()))
    for c in cols:
        if c.lower() in ("outlet", "outlet_name"):
            return c
    for c in cols:
        if c.lower().endswith("outlet"):
            return c
    return None


def _position(column: str) -> str | None:
    """``"min"`` or ``"max"`` for a column that is a point in time or a rank, not a count; else None.

    >>> _position("first_day"), _position("last_day"), _position("lag_days"), _position("articles")
    ('min', 'max', 'min', None)
    """
    c = column.lower()
    timely = c in ("rank", "day", "lag_days") or c.endswith(("_day", "_rank"))
    if not timely:
        return None
    return "max" if c.startswith("last") else "min"


def _merge(column: str, vals: list[Any]) -> Any:
    """The merged value of one column over a group's rows (no value: ``_DROP``)."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
    if vals and numbers and _position(column):
        return min(vals) if _position(column) == "min" else max(vals)
    if vals and numbers and all(isinstance(v, int) for v in vals):
        return sum(vals)
    if vals and numbers:
        return round(sum(vals) / len(vals), 4)
    if vals and all(isinstance(v, str) and _DATE.match(v) for v in vals):
        return max(vals) if column.lower().startswith("last") else min(vals)
    return _DROP


_DROP = object()


def _values(value: Any, field: str) -> list[Any]:
    if field == "collection":
        return list(value) if isinstance(value, (list, tuple)) and value else [None]
    return [value]


def group_rows(rows: Sequence[Mapping[str, Any]], field: str, profile: Mapping[str, Any], *,
               column: str | None = None) -> list[Row]:
    """Merge per-outlet rows by the outlets' ``field`` values in ``profile`` (outlet name -> value).

    >>> rows = [{"outlet": "Sputnik", "articles": 2, "share": 0.5}, {"outlet": "RT", "articles": 3, "share": 1.0},
    ...         {"outlet": "Breitbart", "articles": 1, "share": 0.0}]
    >>> group_rows(rows, "country", {"Sputnik": "RU", "RT": "RU", "Breitbart": "US"})
    [{'country': 'RU', 'outlets': ['RT', 'Sputnik'], 'rows': 2, 'articles': 5, 'share': 0.75}, \
{'country': 'US', 'outlets': ['Breitbart'], 'rows': 1, 'articles': 1, 'share': 0.0}]
    """
    if field not in GROUP_FIELDS:
        raise QueryError(f"cannot group by {field!r}; choose one of {', '.join(GROUP_FIELDS)}")
    if not rows:
        return []
    col = column or outlet_column(rows)
    if col is None:
        raise QueryError(f"--group-by {field} needs a query with an outlet column; columns are {list(rows[0])}")
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for r in rows:
        for v in _values(profile.get(r.get(col)), field):
            groups.setdefault(v, []).append(r)
    out = []
    for value in sorted(groups, key=lambda v: (v is None, str(v))):
        members = groups[value]
        merged: Row = {field: value, "outlets": sorted({str(m.get(col)) for m in members}), "rows": len(members)}
        for c in members[0]:
            if c == col:
                continue
            value = _merge(c, [m.get(c) for m in members if m.get(c) is not None])
            if value is not _DROP:
                merged[c] = value
        out.append(merged)
    return out


def group_query_rows(store: Any, rows: Sequence[Mapping[str, Any]], field: str, *,
                     column: str | None = None) -> list[Row]:
    """`group_rows` with each outlet's profile value read from its :Outlet node in ``store``."""
    if field not in GROUP_FIELDS:
        raise QueryError(f"cannot group by {field!r}; choose one of {', '.join(GROUP_FIELDS)}")
    return group_rows(rows, field, outlet_profiles(store, field), column=column)
