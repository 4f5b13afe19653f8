"""The examples in the docstrings of the extract I/O modules are true."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "narrativegraph.extract.encoding",
    "narrativegraph.extract.metadata",
    "narrativegraph.extract.sources",
    "narrativegraph.extract.boilerplate",
    "narrativegraph.extract.infer",
    "narrativegraph.extract.pipeline",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_package_exports():
    import narrativegraph.extract as extract

    assert set(extract.__all__) >= {"extract", "extract_to_file", "iter_sources"}
    for name in extract.__all__:
        assert callable(getattr(extract, name)), name
