"""Escaping and inlining for the pages: article text only ever reaches HTML through here.

Text goes into element content and attributes through `escape`, and into inline scripts
through `script_json`, which also hides ``</script>`` and ``<!--`` from the HTML parser.
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["escape", "script_json", "static_text", "iframe"]


def escape(text: Any) -> str:
    """Text as HTML element content or a quoted attribute value.

    >>> escape('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def script_json(value: Any) -> str:
    """JSON safe to paste inside ``<script>``: no ``<``, ``>``, ``&`` or line separators left raw.

    >>> script_json({"t": "</script><script>alert(1)</script>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    s = json.dumps(value, ensure_ascii=False)
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    """A file shipped in narrativegraph/viz/static (vis-network's JS and CSS)."""
    return resources.files("narrativegraph.viz").joinpath("static", name).read_text(encoding="utf-8")


def iframe(page: str, height: int = 620) -> str:
    """A whole page as an iframe's srcdoc, so Jupyter shows it inline without a file."""
    return (f'<iframe srcdoc="{escape(page)}" style="width:100%;height:{int(height)}px;border:0" '
            'sandbox="allow-scripts"></iframe>')
