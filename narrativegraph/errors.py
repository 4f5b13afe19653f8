"""Every error narrativegraph raises on purpose.

    NarrativegraphError          base: the CLI prints its message on one line, no traceback
    ├── InputError               an input file, line or row cannot be read as an article
    ├── RecordsError             a records (JSONL) file is not what `extract` writes
    ├── ModelError               a model (spaCy, the attribution tagger, the embedding model) cannot be loaded
    ├── StoreError               a graph store failed
    │   └── StoreUnavailable     the store cannot be reached or started
    ├── UnknownQuery             no named query by that name
    └── QueryError               a query's parameters or Cypher are wrong

Messages name the file (and line) and the problem, then the next step.
"""
from __future__ import annotations

__all__ = [
    "NarrativegraphError",
    "InputError",
    "RecordsError",
    "ModelError",
    "StoreError",
    "StoreUnavailable",
    "UnknownQuery",
    "QueryError",
]


class NarrativegraphError(Exception):
    """Base of all errors meant for a user; the message is the whole story."""


class InputError(NarrativegraphError):
    """An input file, line or row cannot be read as an article."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self):  # --jobs sends errors to and from worker processes
        return type(self), (self.where, self.problem)


class RecordsError(NarrativegraphError):
    """A records file is not what `extract` writes."""


class ModelError(NarrativegraphError):
    """A model (spaCy, the attribution tagger, the embedding model) cannot be loaded."""


class StoreError(NarrativegraphError):
    """A graph store failed."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or started."""


class UnknownQuery(NarrativegraphError):
    """No named query by that name."""


class QueryError(NarrativegraphError):
    """A query's parameters or Cypher are wrong."""
