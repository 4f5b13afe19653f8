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
                     type=click.Path(file_okay=False), help="Folder of the embedded store (given explicitly, it wins over NEO4J_URI from the environment)."),
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


_EXTRACT_OPTION_NAMES = ("jobs", "model", "metadata", "metadata_id", "min_confidence", "agencies")


def extract_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options of `extract`, shared by every command that extracts; passed on as ``extraction``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["extraction"] = {name: kwargs.pop(name) for name in _EXTRACT_OPTION_NAMES}
        return fn(*args, **kwargs)

    options = [
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Worker processes for parsing."),
        click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm)."),
        click.option("--metadata", "metadata", multiple=True, metavar="TABLE",
                     help="CSV/TSV of per-article metadata joined by id (repeatable; later tables win)."),
        click.option("--metadata-id", default="id", show_default=True, metavar="COLUMN",
                     help="The --metadata column holding the article id (file stem or row id)."),
        click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
                     help="Drop assertions below this confidence."),
        click.option("--agencies", "agencies", multiple=True, type=click.Path(dir_okay=False), metavar="TABLE.csv",
                     help="More wire agencies, in the format of the built-in table (repeatable; docs/outlets.md)."),
    ]
    for opt in reversed(options):
        wrapper = opt(wrapper)
    return wrapper


def _db_given_over_env_neo4j() -> bool:
    """An explicit --db beats a NEO4J_URI that only comes from the environment."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    src = click.core.ParameterSource
    return (ctx.get_parameter_source("db") == src.COMMANDLINE
            and ctx.get_parameter_source("neo4j_uri") == src.ENVIRONMENT)


def open_store_from_options(db: str, neo4j_uri: str | None, neo4j_user: str,
                            neo4j_password: str | None, database: str | None, *, create: bool = False):
    """The store the options select; connection settings are read here and only here.

    Only commands that write a graph (``create``) start a new embedded store: a mistyped
    ``--db`` for a query is an error, not an empty graph answering "(no rows)".
    """
    from narrativegraph.graph import open_store

    if neo4j_uri and _db_given_over_env_neo4j():
        neo4j_uri = None
    if neo4j_uri:
        return open_store(neo4j_uri=neo4j_uri, user=neo4j_user, password=neo4j_password, database=database)
    return open_store(path=db, create=create)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="narrativegraph")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Turn news articles into a graph of who said what, where and when.

    Example: narrativegraph build examples/ && narrativegraph query top-speakers
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # the Neo4j driver logs connection failures itself; our one-line error already says it
    logging.getLogger("neo4j").setLevel(logging.CRITICAL if verbose < 2 else logging.DEBUG)


def main() -> None:
    cli(prog_name="narrativegraph")


# ====================================================================== extract
# (extract command: narrativegraph/extract)
@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Records file to write (JSONL, one article per line); - for stdout.")
@extract_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
@user_errors
def extract_command(inputs: tuple[str, ...], output: str, extraction: dict[str, Any], quiet: bool) -> None:
    """Extract who said what from articles into a records file.

    INPUT is any mix of files and folders (read recursively): plain text, HTML, JSONL or
    CSV/TSV corpora with a text column; - reads stdin. Each input that cannot be read gets
    one line on stderr; the rest is still extracted (exit status 1 when any failed).

    Example: narrativegraph extract examples/ -o examples.jsonl --metadata examples/metadata.tsv
    """
    from narrativegraph.extract import extract_to_file

    show = not quiet and not quiet_default()
    options = extraction
    if not show:
        stats = extract_to_file(inputs, output, on_error=lambda e: click.echo(f"error: {e}", err=True),
                                **options)
    else:
        from rich.console import Console
        from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("extracting"), MofNCompleteColumn(),
                      TextColumn("articles"), TimeElapsedColumn(), console=console, transient=True) as bar:
            task = bar.add_task("extract", total=None)
            stats = extract_to_file(
                inputs, output,
                on_record=lambda r: bar.advance(task),
                on_error=lambda e: console.print(f"error: {e}", markup=False, highlight=False),
                **options)
    if not quiet:
        click.echo(f"{stats.articles} articles, {stats.assertions} assertions written to {output}"
                   + (f"; {stats.failed} input{'s' if stats.failed > 1 else ''} failed" if stats.failed else "")
                   + f" ({stats.articles_per_second:.1f} articles/s)", err=True)
    if stats.failed:
        sys.exit(1)


# ====================================================================== graph
# (load, build, export commands: narrativegraph/graph)
def _load_progress(total: int | None, label: str):
    """A rich progress bar on a terminal, else nothing: (context manager, advance callback or None)."""
    import contextlib

    if quiet_default():
        return contextlib.nullcontext(), None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=total)
    return bar, lambda n: bar.advance(task, n)


def _load_summary(stats: Any, store: Any) -> None:
    click.echo(f"{stats.articles} articles ({stats.written} written, {stats.skipped} unchanged), "
               f"{stats.nodes} nodes and {stats.relationships} relationships sent to {store.kind} "
               f"in {stats.seconds:.1f}s; persons {stats.persons_before} -> {stats.persons_after} "
               "after cross-article identity", err=True)


@cli.command("load")
@click.argument("records", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="RECORDS.jsonl...")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows per write transaction.")
@click.option("--outlets", "outlet_tables", multiple=True, type=click.Path(dir_okay=False), metavar="TABLE.csv",
              help="Outlet profiles to put on the outlets (repeatable; docs/outlets.md).")
@store_options
@user_errors
def load_command(records: tuple[str, ...], batch_size: int, outlet_tables: tuple[str, ...], db: str,
                 neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None, database: str | None) -> None:
    """Load records files (what `extract` writes) into the graph; loading twice changes nothing.

    A records line that cannot be read gets one line on stderr; the rest is still loaded
    (exit status 1).

    Example: narrativegraph load records.jsonl --batch-size 500 --db narrativegraph.db
    """
    from narrativegraph.graph.load import load_files
    from narrativegraph.graph.outlets import apply_outlet_profiles, read_outlet_tables

    profiles = read_outlet_tables(outlet_tables)  # a bad table fails before loading
    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database, create=True) as store:
        bar, advance = _load_progress(None, "loading")
        with bar:
            stats = load_files(store, records, batch_size=batch_size, progress=advance)
        _load_summary(stats, store)
        if profiles:
            apply_outlet_profiles(store, profiles)
    for line in stats.errors:
        click.echo(f"error: {line}", err=True)
    if stats.errors:
        sys.exit(1)


@cli.command("build")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@extract_options
@click.option("--records", "records_out", type=click.Path(dir_okay=False), default=None, metavar="OUT.jsonl",
              help="Also keep the extracted records in this file.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows per write transaction.")
@click.option("--outlets", "outlet_tables", multiple=True, type=click.Path(dir_okay=False), metavar="TABLE.csv",
              help="Outlet profiles to put on the outlets (repeatable; docs/outlets.md).")
@store_options
@user_errors
def build_command(inputs: tuple[str, ...], extraction: dict[str, Any], records_out: str | None, batch_size: int,
                  outlet_tables: tuple[str, ...], db: str,
                  neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None,
                  database: str | None) -> None:
    """Extract who said what from articles and load it into the graph in one go.

    Takes every `extract` option; inputs that cannot be read get one line on stderr, the
    rest is still loaded (exit status 1).

    Example: narrativegraph build ../shared/corpus/seed --records seed.jsonl
    """
    from narrativegraph.graph.load import build
    from narrativegraph.graph.outlets import apply_outlet_profiles, read_outlet_tables

    profiles = read_outlet_tables(outlet_tables)  # a bad table fails before extracting
    failed: list[str] = []

    def on_error(e: Exception) -> None:
        failed.append(str(e))
        click.echo(f"error: {e}", err=True)

    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database, create=True) as store:
        bar, advance = _load_progress(None, "building")
        with bar:
            stats = build(store, inputs, records_out=records_out, batch_size=batch_size,
                          on_error=on_error, progress=advance, **extraction)
        _load_summary(stats, store)
        if profiles:
            apply_outlet_profiles(store, profiles)
    if failed:
        sys.exit(1)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), default="graphml",
              show_default=True, help="GraphML (Cytoscape), GEXF (Gephi) or networkx node-link JSON.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--internal", is_flag=True,
              help="Also export the loader's and linkers' bookkeeping (band keys, fingerprints, vectors).")
@store_options
@user_errors
def export_command(fmt: str, output: str, internal: bool, db: str, neo4j_uri: str | None, neo4j_user: str,
                   neo4j_password: str | None, database: str | None) -> None:
    """Export the whole graph for Gephi, Cytoscape or scripts.

    Example: narrativegraph export --format gexf -o graph.gexf
    """
    from narrativegraph.graph.export import export_graph

    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        nodes, edges = export_graph(store, output, format=fmt, internal=internal)
    click.echo(f"{nodes} nodes, {edges} relationships written to {output}", err=True)


# ====================================================================== queries
# (queries, query commands: narrativegraph/queries)
def _print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    """Query rows on stdout as a table, a JSON array of objects, or CSV (lists joined by "; ")."""
    import csv
    import json

    columns = list(rows[0]) if rows else []
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r[c] is None else "; ".join(map(str, r[c])) if isinstance(r[c], list) else r[c]
                        for c in columns])
    elif not rows:
        click.echo("(no rows)", err=True)
    elif len(columns) > 7:  # too wide for a table: one block per row, psql's expanded display
        width = max(len(c) for c in columns)
        for i, r in enumerate(rows, 1):
            click.echo(f"-[ {i} ]" + "-" * 20)
            for c in columns:
                click.echo(f"{c.ljust(width)} | {'' if r[c] is None else r[c]}")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*columns)
        for r in rows:
            table.add_row(*("" if r[c] is None else str(r[c]) for c in columns))
        Console(width=max(120, Console().width)).print(table)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="--param")
        out[key.strip()] = value
    return out


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@user_errors
def queries_command(fmt: str) -> None:
    """List the named queries with their parameters.

    Example: narrativegraph queries --format json
    """
    import json

    from narrativegraph.queries.runner import list_queries

    specs = list_queries()
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in specs], ensure_ascii=False, indent=2))
        return
    rows = [{"name": s.name, "params": ", ".join(
        f"{p.name} ({p.type}{'' if p.required else ', optional' if p.default is None else ', default ' + repr(p.default)})" for p in s.params),
        "description": s.description} for s in specs]
    _print_rows(rows, "table")


@cli.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable). With --cypher, a value that reads as JSON is that value "
                   "(5, 2.5, true, null, [1,2], \"007\" for the text 007), anything else is text.")
@click.option("--cypher", default=None, help="Run this Cypher instead of a named query.")
@click.option("--write", is_flag=True, help="Allow --cypher to write (read-only otherwise).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
@click.option("--group-by", type=click.Choice(["country", "language", "owner", "state_affiliated", "lean",
                                               "collection"]), default=None,
              help="Merge per-outlet rows by this outlet profile field (docs/outlets.md).")
@store_options
@user_errors
def query_command(name: str | None, params: tuple[str, ...], cypher: str | None, write: bool, fmt: str,
                  limit: int | None, group_by: str | None, db: str, neo4j_uri: str | None, neo4j_user: str,
                  neo4j_password: str | None, database: str | None) -> None:
    """Run a named query (see `queries`) or ad-hoc Cypher; user values go in as parameters.

    Example: narrativegraph query speaker-claims --param "speaker=Hediye Levent" --format json
    """
    from narrativegraph.queries.runner import cypher_value, get_query, run_cypher, run_query

    if bool(name) == bool(cypher):
        raise click.UsageError("give a query NAME or --cypher, not both and not neither")
    if write and not cypher:
        raise click.UsageError("--write only applies to --cypher")
    values: dict[str, Any] = _parse_params(params)
    if cypher:  # no header to type them by: numbers, booleans, lists as JSON
        values = {k: cypher_value(v) for k, v in values.items()}
    if name and limit is not None and any(p.name == "limit" for p in get_query(name).params):
        values.setdefault("limit", limit)
    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database, create=write) as store:
        rows = run_query(store, name, **values) if name else run_cypher(store, cypher, values, write=write)
        if group_by:
            from narrativegraph.queries.grouping import group_query_rows

            rows = group_query_rows(store, rows, group_by)
    _print_rows(rows[:limit] if limit else rows, fmt)


# ====================================================================== narratives
# (link, narratives commands: narrativegraph/graph/narratives)
def _emit_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    """Rows as JSON (every field), CSV or a table of ``columns`` on stdout.

    The table is `_print_rows`' display: wide rows become one block each, so ids and
    spreads are never cut (an id is what the next command takes).
    """
    import csv
    import json

    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        _print_rows([{c: r.get(c) for c in columns} for r in rows], "table")


@cli.command("link")
@click.option("--rebuild", is_flag=True, help="Forget every narrative and link all claims from scratch.")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=None,
              help="Minimum Jaccard of two claims' word and word-pair sets to link them (default 0.4; "
                   "a new value rebuilds).")
@click.option("--min-words", type=click.IntRange(min=1), default=None,
              help="Claims with fewer content words are not linked (default 4; a new value rebuilds).")
@click.option("--paraphrase/--no-paraphrase", default=None,
              help="Also link paraphrases (sentence embeddings; needs the paraphrase extra, see docs/narratives.md). "
                   "Remembered: later loads link at both levels. Turning it on or off rebuilds.")
@click.option("--paraphrase-threshold", type=click.FloatRange(0.0, 1.0, min_open=True), default=None,
              help="Minimum cosine of two claims' sentence vectors (default 0.8; implies --paraphrase).")
@store_options
@user_errors
def link_command(rebuild: bool, threshold: float | None, min_words: int | None, paraphrase: bool | None,
                 paraphrase_threshold: float | None, db: str, neo4j_uri: str | None,
                 neo4j_user: str, neo4j_password: str | None, database: str | None) -> None:
    """Link claims that state the same thing into narratives, then recompute their spread.

    `load` and `build` already do this for the articles they load; run `link` to catch up,
    or `link --rebuild` to recompute everything (same narratives as incremental loading).

    Example: narrativegraph link --rebuild --threshold 0.5 --db narrativegraph.db
             narrativegraph link --rebuild --paraphrase
    """
    from narrativegraph.graph.narratives import link_params, link_store

    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        params = link_params(store, threshold=threshold, min_words=min_words, paraphrase=paraphrase,
                             paraphrase_threshold=paraphrase_threshold)
        report, spread = link_store(store, rebuild_all=rebuild, params=params)
    click.echo(f"{report.claims} claims, {report.pairs} linked pairs, {report.narratives_written} narratives "
               f"written, {report.narratives_removed} removed; spread of {spread.narratives} narratives, "
               f"{spread.echoes} echo links", err=True)


@cli.command("narratives")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many narratives.")
@click.option("--outlet", default=None, help="Only narratives this outlet carried (name or id, as in `query`).")
@click.option("--speaker", default=None,
              help="Only narratives this speaker's claims belong to (name, alias, unambiguous surname or id, as in `query`).")
@click.option("--min-outlets", type=click.IntRange(min=0), default=2, show_default=True,
              help="Only narratives carried by at least this many outlets.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@store_options
@user_errors
def narratives_command(top: int, outlet: str | None, speaker: str | None, min_outlets: int, fmt: str, db: str,
                       neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None,
                       database: str | None) -> None:
    """List the widest narratives: outlets that carried them, in order, with lags; who was first.

    independent_outlets counts newsrooms: copies fold into their origin, wire stories into
    their agency (docs/narratives.md).

    Example: narrativegraph narratives --top 10 --outlet politico --format csv
    """
    from narrativegraph.graph.narratives import top_narratives
    from narrativegraph.queries.runner import resolve_name

    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        # names resolve as in the named queries (surname, alias, id); a name that matches nothing finds nothing
        outlet = outlet and (resolve_name(store, outlet, "outlet") or outlet)
        speaker = speaker and (resolve_name(store, speaker, "entity") or speaker)
        rows = top_narratives(store, top=top, outlet=outlet, speaker=speaker, min_outlets=min_outlets)
    columns = ["id", "label", "outlets", "independent_outlets", "claims", "first_outlet", "first_seen",
               "last_seen", "spread"]
    _emit_rows(rows, fmt, columns)


# ====================================================================== outlets
# (outlets command: narrativegraph/graph/outlets)
@cli.command("outlets")
@click.argument("tables", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="TABLE...")
@store_options
@user_errors
def outlets_command(tables: tuple[str, ...], db: str, neo4j_uri: str | None, neo4j_user: str,
                    neo4j_password: str | None, database: str | None) -> None:
    """Put outlet profiles (owner, country, state affiliation, ...) on the outlets in the graph.

    TABLE is a CSV with name, aliases, url_domain, country, language, owner,
    state_affiliated, lean, credibility, collections (docs/outlets.md); later tables win.
    Outlets match by name, alias or URL domain; the names articles give never change.

    Example: narrativegraph outlets examples/outlets.csv --db narrativegraph.db
    """
    from narrativegraph.graph.outlets import apply_outlet_profiles, read_outlet_tables

    profiles = read_outlet_tables(tables)  # a bad table fails before the store starts
    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        n = apply_outlet_profiles(store, profiles)
    click.echo(f"{n} outlets profiled", err=True)


# ====================================================================== viz
# (viz, plot commands: narrativegraph/viz)
_ISO_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: Any) -> str | None:
    return value.date().isoformat() if value else None


@cli.group("viz", invoke_without_command=True)
@store_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="HTML page to write (one self-contained file that works offline).")
@click.option("--speaker", default=None, metavar="NAME", help="Only this speaker's claims (name, alias or id).")
@click.option("--outlet", default=None, metavar="NAME", help="Only this outlet's articles and their claims.")
@click.option("--entity", default=None, metavar="NAME", help="Only articles mentioning / claims by this entity.")
@click.option("--narrative", default=None, metavar="ID", help="Only this narrative's claims.")
@click.option("--since", type=_ISO_DAY, default=None, help="Only articles published on or after this day.")
@click.option("--until", type=_ISO_DAY, default=None, help="Only articles published on or before this day.")
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True,
              help="At most this many nodes (the most connected part); the page says what was cut.")
@click.option("--title", default=None, help="Page title (default: what the page shows).")
@click.pass_context
@user_errors
def viz_command(ctx: click.Context, db: str, neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None,
                database: str | None, output: str | None, speaker: str | None, outlet: str | None,
                entity: str | None, narrative: str | None, since: Any, until: Any, limit: int,
                title: str | None) -> None:
    """Draw the graph as an interactive page (or `viz spread`: how a narrative travelled).

    Nodes are coloured by type and sized by connections; hover for text, speaker, cue,
    article, outlet, date and offsets. Filters combine.

    Example: narrativegraph viz -o seed.html --speaker "Hediye Levent"
    """
    if ctx.invoked_subcommand is not None:
        return
    if not output:
        raise click.UsageError("Missing option '-o' / '--output' (the HTML page to write).")
    from narrativegraph.queries.subgraph import fetch_subgraph
    from narrativegraph.viz.files import check_writable
    from narrativegraph.viz.network import write_graph_page

    check_writable(output, "page")

    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        sub = fetch_subgraph(store, speaker=speaker, outlet=outlet, entity=entity, narrative=narrative,
                             since=_day(since), until=_day(until), limit=limit)
    label = title or "narrativegraph: " + (", ".join(f"{k} {v}" for k, v in sub.filters) or "graph")
    write_graph_page(sub, output, title=label)
    click.echo(f"wrote {output}: {len(sub.nodes):,} of {sub.total_nodes:,} nodes, {len(sub.edges):,} edges",
               err=True)


@viz_command.command("spread")
@store_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML page to write.")
@click.option("--narrative", default=None, metavar="ID", help="The narrative to follow.")
@click.option("--speaker", default=None, metavar="NAME", help="Follow this speaker's claims instead.")
@user_errors
def viz_spread_command(db: str, neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None,
                       database: str | None, output: str, narrative: str | None, speaker: str | None) -> None:
    """Draw how a narrative (or a speaker's claims) spread: outlets by time, first mover marked.

    Example: narrativegraph viz spread --narrative narrative/1a2b3c -o spread.html
    """
    from narrativegraph.queries.subgraph import fetch_spread
    from narrativegraph.viz.files import check_writable
    from narrativegraph.viz.spread import write_spread_page

    if bool(narrative) == bool(speaker):
        raise click.UsageError("give exactly one of --narrative ID or --speaker NAME")
    check_writable(output, "page")
    parent = click.get_current_context().parent
    if parent is not None:  # `viz --db X spread ...`: store options given to the group count too
        db = db if db != "narrativegraph.db" else parent.params.get("db") or db
        neo4j_uri = neo4j_uri or parent.params.get("neo4j_uri")
        neo4j_password = neo4j_password or parent.params.get("neo4j_password")
        database = database or parent.params.get("database")
    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        spread = fetch_spread(store, narrative=narrative, speaker=speaker)
    write_spread_page(spread, output)
    click.echo(f"wrote {output}: {len(spread.carriers)} carriers in {len(spread.outlets)} outlets", err=True)


@cli.command("plot")
@click.argument("kind", type=click.Choice(["timeline", "speakers", "spread", "echo"]))
@store_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Picture to write: .png or .svg.")
@click.option("--by", type=click.Choice(["outlet", "speaker"]), default="outlet", show_default=True,
              help="timeline: one line per outlet or per speaker.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="timeline/speakers: how many outlets or speakers to show [8 / 15].")
@click.option("--narrative", default=None, metavar="ID", help="spread: the narrative to follow.")
@click.option("--speaker", default=None, metavar="NAME", help="spread: follow this speaker's claims instead.")
@click.option("--since", type=_ISO_DAY, default=None, help="timeline: from this day.")
@click.option("--until", type=_ISO_DAY, default=None, help="timeline: up to this day.")
@user_errors
def plot_command(kind: str, db: str, neo4j_uri: str | None, neo4j_user: str, neo4j_password: str | None,
                 database: str | None, output: str, by: str, top: int | None, narrative: str | None,
                 speaker: str | None, since: Any, until: Any) -> None:
    """Draw a picture: timeline, speakers, spread (--narrative ID) or echo (outlet echo matrix).

    Example: narrativegraph plot timeline --by speaker -o timeline.png
    """
    from narrativegraph.queries import subgraph as q
    from narrativegraph.viz import plots
    from narrativegraph.viz.files import check_writable

    plots.figure_format(output)
    if kind == "spread" and bool(narrative) == bool(speaker):
        raise click.UsageError("plot spread needs exactly one of --narrative ID or --speaker NAME")
    check_writable(output, "picture")
    with open_store_from_options(db, neo4j_uri, neo4j_user, neo4j_password, database) as store:
        if kind == "timeline":
            fig = plots.plot_timeline(q.fetch_timeline(store, by=by, since=_day(since), until=_day(until)),
                                      by=by, top=top or 8)
        elif kind == "speakers":
            fig = plots.plot_speakers(q.fetch_speakers_by_outlet(store), top=top or 15)
        elif kind == "spread":
            fig = plots.plot_spread(q.fetch_spread(store, narrative=narrative, speaker=speaker))
        else:
            fig = plots.plot_echo(q.fetch_echo(store))
    plots.save_figure(fig, output)
    click.echo(f"wrote {output}", err=True)
