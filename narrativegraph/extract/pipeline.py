"""The extract stage end to end: inputs in, one Record per article out, in input order.

Reading (``sources``), boilerplate masking, metadata inference and wire detection are
cheap and run where the articles are read; the spaCy parse and attribution
(``nlp``/``annotate``) run in batches, in this process or spread over ``jobs``
worker processes (each loads the model once). Output order is input order whatever
``jobs`` is, and at most a few chunks of articles are in memory at once.
"""
from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from narrativegraph.errors import InputError, NarrativegraphError
from narrativegraph.extract.boilerplate import boilerplate_spans, mask
from narrativegraph.extract.infer import infer_metadata
from narrativegraph.extract.sources import RawArticle, iter_sources
from narrativegraph.records import Article, Record

__all__ = ["extract", "extract_to_file", "prepare", "ExtractStats", "DEFAULT_BATCH_SIZE"]

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32  # articles per nlp.pipe batch
WORKER_CHUNK = 8  # at most this many articles per task sent to a worker: small tasks balance the load
Item = Record | InputError


@dataclass(frozen=True, slots=True)
class ExtractStats:
    """What one extraction did: articles written, inputs that failed, assertions, wall time."""

    articles: int = 0
    failed: int = 0
    assertions: int = 0
    seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


# ------------------------------------------------------------------ one article
def prepare(raw: RawArticle, *, agencies: Sequence[str | Path] = ()) -> tuple[Article, str]:
    """The Article (metadata filled, explicit before inferred) and the masked text to parse.

    The masked text has the article text's length, with boilerplate lines blanked to
    spaces (newlines kept), so offsets into it are offsets into ``article.text``.
    """
    from narrativegraph.extract.wire import detect_wire, load_agencies

    text = raw.text
    spans = boilerplate_spans(text)
    guessed = infer_metadata(text, spans)
    meta = raw.meta
    inferred: list[str] = []

    def pick(name: str) -> Any:
        given = meta.get(name)
        if given:
            return given
        value = getattr(guessed, name)
        if value:
            inferred.append(name)
        return value

    wire, wire_evidence = detect_wire(text, agencies=load_agencies(tuple(agencies)) if agencies else None)
    extra = dict(meta.get("extra") or {})
    fields = {name: pick(name) for name in ("title", "outlet", "published", "place", "language")}
    if inferred:
        extra["inferred"] = ",".join(inferred)
    article = Article(
        id=raw.id,
        text=text,
        url=meta.get("url"),
        author=meta.get("author"),
        source=raw.source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        wire=wire,
        wire_evidence=wire_evidence,
        extra=tuple(sorted(extra.items())),
        **fields,
    )
    return article, mask(text, spans)


def _annotator() -> Callable[..., tuple[tuple, tuple, tuple]]:
    from narrativegraph.extract.annotate import annotate

    return annotate


def _keep_confident(record: Record, min_confidence: float) -> Record:
    """The record without assertions below ``min_confidence``, and without their triples."""
    if min_confidence <= 0:
        return record
    kept = tuple(a for a in record.assertions if a.confidence >= min_confidence)
    if len(kept) == len(record.assertions):
        return record
    dropped = {a.id for a in record.assertions} - {a.id for a in kept}
    triples = tuple(t for t in record.triples if t.subject not in dropped and t.object not in dropped)
    return Record(record.article, kept, record.entities, triples, record.schema)


def _process(nlp: Any, items: Sequence[RawArticle | InputError], batch_size: int,
             min_confidence: float, agencies: Sequence[str | Path] = ()) -> list[Item]:
    """Records (or errors) for a chunk of inputs, in the same order."""
    from narrativegraph.extract.credits import credit_triples

    annotate = _annotator()
    out: list[Item | None] = [None] * len(items)
    todo: list[tuple[int, Article, str]] = []
    for i, item in enumerate(items):
        if isinstance(item, InputError):
            out[i] = item
            continue
        where = str(item.source)
        try:
            article, masked = prepare(item, agencies=agencies)
        except Exception as e:  # a bug must not lose the rest of the batch
            logger.debug("preparing %s failed", where, exc_info=True)
            out[i] = InputError(where, f"cannot prepare the article ({type(e).__name__}: {e}); please report this")
            continue
        if len(masked) > nlp.max_length:
            out[i] = InputError(where, f"article is {len(masked)} characters, more than the model's "
                                       f"limit of {nlp.max_length}; split it")
            continue
        todo.append((i, article, masked))
    docs = nlp.pipe((masked for _, _, masked in todo), batch_size=batch_size)
    for (i, article, _), doc in zip(todo, docs):
        where = str(article.source)
        try:
            assertions, entities, triples = annotate(doc, article)
            triples = tuple(triples) + credit_triples(article)
        except NarrativegraphError as e:
            out[i] = InputError(where, str(e))
            continue
        except Exception as e:  # as above: report it with the article, keep going
            logger.debug("annotating %s failed", where, exc_info=True)
            out[i] = InputError(where, f"extraction failed ({type(e).__name__}: {e}); please report this")
            continue
        out[i] = _keep_confident(Record(article, tuple(assertions), tuple(entities), tuple(triples)),
                                 min_confidence)
    return out  # type: ignore[return-value]


# ------------------------------------------------------------------ worker processes
_WORKER_NLP: Any = None


def _work(model: str | None, items: Sequence[RawArticle | InputError], batch_size: int,
          min_confidence: float, agencies: Sequence[str | Path]) -> list[Item]:
    global _WORKER_NLP
    if _WORKER_NLP is None:
        from narrativegraph.extract.nlp import load_model

        _WORKER_NLP = load_model(model)
    return _process(_WORKER_NLP, items, batch_size, min_confidence, agencies)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which stops them without a traceback each."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(items: Iterable[RawArticle | InputError], size: int) -> Iterator[list[RawArticle | InputError]]:
    chunk: list[RawArticle | InputError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_workers(chunks: Iterator[list[RawArticle | InputError]], *, jobs: int, model: str | None,
                batch_size: int, min_confidence: float, agencies: Sequence[str | Path]) -> Iterator[Item]:
    """Chunks spread over ``jobs`` processes, results in order, at most 3*jobs chunks pending."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn: a clean interpreter per worker, safe whatever threads the caller runs
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_interrupts)
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_work, model, chunk, batch_size, min_confidence, agencies))
            while len(pending) >= 3 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise NarrativegraphError(f"a worker process died (out of memory?); try fewer --jobs than {jobs}") from None
    except BaseException:  # Ctrl-C, or the consumer stopped early: don't wait for running chunks
        for f in pending:
            f.cancel()
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------ public API
def extract(
    inputs: Iterable[str | Path],
    *,
    model: str | None = None,
    jobs: int = 1,
    metadata: Iterable[str | Path] = (),
    metadata_id: str = "id",
    min_confidence: float = 0.0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    exclude: Iterable[str | Path] = (),
    agencies: Sequence[str | Path] = (),
) -> Iterator[Record | InputError]:
    """One Record per article in ``inputs``, or an InputError per input that cannot be read.

    Parameters
    ----------
    inputs : files, folders (recursive) and ``-`` (stdin); see ``sources.iter_sources``.
    model : spaCy model name; None for the default (``nlp.load_model``).
    jobs : worker processes for parsing; 1 parses in this process.
    metadata, metadata_id : ``--metadata`` tables and their id column, joined by article id.
    min_confidence : drop assertions (and their triples) below this confidence.
    batch_size : articles per ``nlp.pipe`` batch (tasks sent to workers hold at most ``WORKER_CHUNK``).
    exclude : files that folder walks leave out (``extract_to_file`` excludes its output).
    agencies : extra wire-agency tables (CSV like ``extract/data/agencies.csv``) beside the built-in one.

    Notes
    -----
    Results stream in input order; memory holds a few chunks, not the corpus. A missing
    model or metadata table raises (NarrativegraphError) before any record is produced.

    Examples
    --------
    >>> for item in extract(["examples/"], metadata=["examples/metadata.tsv"]):  # doctest: +SKIP
    ...     print(item.article.id, len(item.assertions))
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if agencies:
        from narrativegraph.extract.wire import load_agencies

        load_agencies(tuple(agencies))  # a bad table fails here, once, before any article
    sources = iter_sources(inputs, metadata=metadata, metadata_id=metadata_id, exclude=exclude)
    chunks = _chunks(sources, max(1, batch_size if jobs == 1 else min(batch_size, WORKER_CHUNK)))
    if jobs == 1:
        from narrativegraph.extract.nlp import load_model

        nlp = load_model(model)
        for chunk in chunks:
            yield from _process(nlp, chunk, batch_size, min_confidence, agencies)
    else:
        yield from _in_workers(chunks, jobs=jobs, model=model, batch_size=batch_size,
                               min_confidence=min_confidence, agencies=tuple(agencies))


def extract_to_file(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    on_record: Callable[[Record], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    **options: Any,
) -> ExtractStats:
    """Run ``extract`` and write one JSON line per record to ``out`` (``-``: stdout) as it goes.

    ``on_record`` and ``on_error`` see every record and every input error as they come
    (the CLI shows progress and prints errors with them); the options are ``extract``'s.
    Errors never stop the run: the stats count them.

    >>> extract_to_file(["examples/"], "examples.jsonl").failed  # doctest: +SKIP
    0
    """
    start = time.perf_counter()
    articles = failed = assertions = 0
    seen: set[str] = set()
    to_stdout = str(out) == "-"
    try:
        handle = sys.stdout if to_stdout else open(out, "w", encoding="utf-8", newline="\n")
    except OSError as e:
        raise NarrativegraphError(f"{out}: cannot write the records file ({e.strerror or e})") from None
    try:
        exclude = () if to_stdout else (out,)
        for item in extract(inputs, exclude=exclude, **options):
            if isinstance(item, InputError):
                failed += 1
                logger.info("%s", item)
                if on_error is not None:
                    on_error(item)
                continue
            if item.article.id in seen:
                logger.warning("%s: article id %r was already used by an earlier article; "
                               "both records are written", item.article.source, item.article.id)
            seen.add(item.article.id)
            handle.write(item.dumps())
            handle.write("\n")
            articles += 1
            assertions += len(item.assertions)
            if on_record is not None:
                on_record(item)
    except BaseException:
        if not to_stdout:
            handle.close()
            if articles == 0:  # nothing useful was written: leave no empty records file behind
                Path(out).unlink(missing_ok=True)
        raise
    finally:
        if to_stdout:
            handle.flush()
        elif not handle.closed:
            handle.close()
    stats = ExtractStats(articles, failed, assertions, time.perf_counter() - start)
    logger.info("extracted %d articles (%d assertions), %d inputs failed, %.1f articles/s",
                stats.articles, stats.assertions, stats.failed, stats.articles_per_second)
    return stats
