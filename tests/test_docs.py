"""The docs are true: every module's docstring examples run, every command has help with an example."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import click
import pytest

import narrativegraph
from narrativegraph.cli import cli

MODULES = sorted(m.name for m in pkgutil.walk_packages(narrativegraph.__path__, "narrativegraph.")
                 if m.name != "narrativegraph.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str):
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in sorted(group.commands.items()):
        yield f"{prefix}{name}", cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix}{name} ")


@pytest.mark.parametrize("name,cmd", list(_commands(cli)), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_with_an_example(name: str, cmd: click.Command):
    assert cmd.help and len(cmd.help.strip()) > 20, f"`{name}` has no help"
    assert "narrativegraph " in cmd.help and "xample" in cmd.help, f"`{name}` help shows no example"


def test_extract_package_exports():
    import narrativegraph.extract as extract

    assert set(extract.__all__) >= {"extract", "extract_to_file", "iter_sources"}
    for name in extract.__all__:
        assert callable(getattr(extract, name)), name
