"""Turn one parsed article into its assertions, entities and triples."""
from __future__ import annotations

import logging
from dataclasses import replace

from spacy.tokens import Doc

from narrativegraph.extract.attribution import doc_text, find_candidates, plausible
from narrativegraph.extract.candidates import Candidate
from narrativegraph.extract.calibrate import confidence
from narrativegraph.extract.combine import merge
from narrativegraph.extract.entities import EntityIndex
from narrativegraph.extract.speakers import SpeakerResolver
from narrativegraph.extract.triples import build_triples
from narrativegraph.records import Article, Assertion, Cue, Entity, Span, Triple, claim_id

__all__ = ["annotate", "model_candidates", "clause_candidates"]

logger = logging.getLogger(__name__)

_NO_MODEL = object()
_finders: dict[str, object] = {}


def _learned(name: str):
    """``learned.<name>`` when a trained model ships, else _NO_MODEL; looked up once."""
    if name not in _finders:
        try:
            from narrativegraph.extract import learned

            fn = getattr(learned, name, None)
            _finders[name] = fn if fn is not None and learned.available() else _NO_MODEL
        except ImportError:
            _finders[name] = _NO_MODEL
        except Exception as exc:  # a broken model must not stop extraction
            logger.warning("learned attribution model unavailable: %s", exc)
            _finders[name] = _NO_MODEL
    return _finders[name]


def model_candidates(doc: Doc) -> list[Candidate]:
    """Candidates of the learned attribution tagger, or none when no trained model ships."""
    fn = _learned("predict")
    return [] if fn is _NO_MODEL else list(fn(doc))


def clause_candidates(doc: Doc) -> list[Candidate]:
    """Plausible candidates of the clause classifier, or none when it does not ship."""
    fn = _learned("predict_clauses")
    return [] if fn is _NO_MODEL else [c for c in fn(doc) if plausible(doc, c)]


def annotate(doc: Doc, article: Article, *, use_model: bool = True
             ) -> tuple[tuple[Assertion, ...], tuple[Entity, ...], tuple[Triple, ...]]:
    """Assertions, entities and triples of ``article`` from ``doc``, its parse.

    ``doc`` is the parse of a same-length copy of ``article.text`` in which boilerplate is
    blanked out; every span of the result takes its text from ``article.text``.
    """
    text = article.text
    if len(doc_text(doc)) != len(text):
        raise ValueError(f"article {article.id}: parsed text has {len(doc_text(doc))} characters, "
                         f"the article {len(text)}; parse a same-length masked copy")
    index = EntityIndex(doc, text, article.outlet)
    resolver = SpeakerResolver(doc, text, index, article.id)
    learned = (model_candidates(doc), clause_candidates(doc)) if use_model else ((), ())
    cands = [c for c in merge(find_candidates(doc), *learned) if plausible(doc, c)]
    assertions: list[Assertion] = []
    seen: set[tuple[int, int]] = set()
    for c in sorted(cands, key=lambda c: c.content):
        s, e = c.content
        if (s, e) in seen or e <= s:
            continue
        seen.add((s, e))
        speaker = resolver.resolve(c.source, (s, e))
        cue = Cue(c.cue[0], c.cue[1], text[c.cue[0]:c.cue[1]], _lemma(doc, c.cue)) if c.cue else None
        conf = confidence(c)  # calibrated per origin on held-out PolNeAR train
        assertions.append(Assertion(id=claim_id(article.id, s, e), speaker=speaker, cue=cue,
                                    content=Span.of(text, s, e), kind=c.kind, confidence=conf,
                                    form=_form(doc, s, e)))
    # an "I" or "we" inside a statement found later in the text
    assertions = [a if (sp := resolver.first_person(a.speaker)) is a.speaker else replace(a, speaker=sp)
                  for a in assertions]
    entities = index.freeze()
    triples = build_triples(article, assertions, index, resolver)
    return tuple(assertions), entities, triples


def _form(doc: Doc, s: int, e: int) -> str:
    """ "clause" when the content holds a verb, "phrase" for a noun phrase ("denounced him",
    "praised Obama", "the Republican nominee Donald Trump"): an attitude toward something,
    which narratives do not link (unless quoted)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    return "clause" if span is None or any(t.pos_ in ("VERB", "AUX") for t in span) else "phrase"


def _lemma(doc: Doc, cue: tuple[int, int]) -> str:
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return ""
    return " ".join(t.lemma_.lower() for t in span if not t.is_punct)
