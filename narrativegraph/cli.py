"""The `narrativegraph` command line: argument parsing over the library, nothing more.

Each command parses its options, calls one library function, shows progress and
turns `NarrativegraphError` into a one-line message (exit 1). Usage errors exit 2.
"""
from __future__ import annotations

import functools
import logging
import os
import sys
from typing import Any, Callable

import click

from narrativegraph.errors import NarrativegraphError

__all__ = ["cli", "main"]

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------ shared helpers
def quiet_default() -> bool:
    """Progress bars only on a terminal, never in CI or pipes."""
    return bool(os.environ.get("CI")) or not sys.stderr.isatty()


def fail(message: str, code: int = 1) -> None:
    """Print one line on stderr and exit: the only way a user error leaves the CLI."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line on stderr and exit status 1, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NarrativegraphError as e:
            fail(str(e))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--db for the embedded store, or --neo4j (and friends, or NEO4J_* env vars) for Neo4j."""
    options = [
        click.option("--db", "db", default="narrativegraph.db", show_default=True,
                     type=click.Path(file_okay=False), help="Folder of the embedded store."),
        click.option("--neo4j", "neo4j_uri", envvar="NEO4J_URI", default=None,
                     help="Use Neo4j at this Bolt URI instead of the embedded store [env NEO4J_URI]."),
        click.option("--neo4j-user", envvar="NEO4J_USER", default="neo4j", show_default=True,
                     help="Neo4j user [env NEO4J_USER]."),
        click.option("--neo4j-password", envvar="NEO4J_PASSWORD", default=None,
                     help="Neo4j password [env NEO4J_PASSWORD]."),
        click.option("--database", default=None, help="Neo4j database name (default: the server's default)."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def open_store_from_options(db: str, neo4j_uri: str | None, neo4j_user: str,
                            neo4j_password: str | None, database: str | None):
    """The store the options select; connection settings are read here and only here."""
    from narrativegraph.graph import open_store

    if neo4j_uri:
        return open_store(neo4j_uri=neo4j_uri, user=neo4j_user, password=neo4j_password, database=database)
    return open_store(path=db)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="narrativegraph")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Turn news articles into a graph of who said what, where and when.

    Example: narrativegraph build examples/ && narrativegraph query top-speakers
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main() -> None:
    cli(prog_name="narrativegraph")


# ====================================================================== extract
# (extract command: narrativegraph/extract)

# ====================================================================== graph
# (load, build, export commands: narrativegraph/graph)

# ====================================================================== queries
# (queries, query commands: narrativegraph/queries)

# ====================================================================== narratives
# (link, narratives commands: narrativegraph/graph/narratives)

# ====================================================================== viz
# (viz, plot commands: narrativegraph/viz)
