"""Text fingerprints for near-duplicate search: normalised words, shingles, MinHash and LSH band keys.

Shared by claim linking (narratives) and article copy detection (copies): both find
candidate pairs through LSH band keys, never all pairs, then verify each candidate
with the exact Jaccard/containment of the shingle sets.

The band keys are plain strings, so a store can keep them (``(:Claim)-[:IN_BAND]->(:Band {key})``)
and a later load finds its candidates with one indexed lookup per key.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from datasketch import MinHash

__all__ = [
    "STOPWORDS",
    "content_words",
    "normalise",
    "words",
    "shingles",
    "jaccard",
    "containment",
    "LshParams",
    "signature",
    "band_keys",
]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2013": "-", "\u2014": "-"})
_WORD = re.compile(r"[^\W_]+")
# "U.S." and "U.S.-Mexico" must read as one word, not "u" "s"
_ABBREV = re.compile(r"\b((?:[a-z]\.){2,})")


# function words that say nothing about what a claim is about (after `words`: no apostrophes)
STOPWORDS = frozenset("""
a an the and or but if then than so as of at by for from in into on onto to with without about over under
after before between through during up down out off again further once here there when where why how
all any both each few more most other some such no nor not only own same too very can will just should
would could may might must shall do does did doing done be is are was were been being am have has had having
i me my we us our you your he him his she her it its they them their this that these those who whom which
what whose s t d ll m re ve dont didnt doesnt isnt wasnt arent werent wont cant im hes shes its theyre
weve ive youre mr mrs ms said says say
""".split())


def content_words(tokens: Sequence[str]) -> list[str]:
    """The tokens that are not `STOPWORDS`.

    >>> content_words(words("the former secretary of state"))
    ['former', 'secretary', 'state']
    """
    return [t for t in tokens if t not in STOPWORDS]


def normalise(text: str) -> str:
    """Lowercase, unify quotes and dashes, drop punctuation; words separated by one space.

    >>> normalise("“Russia, if you’re listening,” he said.")
    'russia if youre listening he said'
    >>> normalise("the U.S.-Mexico border")
    'the us mexico border'
    """
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The normalised words of ``text``.

    >>> words("Calderón said: \\"It's useless.\\"")
    ['calderón', 'said', 'its', 'useless']
    """
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    t = _ABBREV.sub(lambda m: m.group(1).replace(".", ""), t)
    t = t.replace("'", "")
    return _WORD.findall(t)


def shingles(tokens: Sequence[str], k: int = 1) -> frozenset[str]:
    """The set of ``k``-word shingles; texts shorter than ``k`` words give one shingle of all of them.

    >>> sorted(shingles(["a", "ban", "on", "muslims"], 2))
    ['a ban', 'ban on', 'on muslims']
    >>> sorted(shingles(["ban"], 3))
    ['ban']
    """
    if k <= 1:
        return frozenset(tokens)
    if len(tokens) <= k:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """|A ∩ B| / |A ∪ B| (0.0 for two empty sets).

    >>> jaccard({"a", "b"}, {"b", "c"})
    0.3333333333333333
    """
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def containment(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    """|A ∩ B| / min(|A|, |B|): how much of the shorter text the longer one contains.

    >>> containment({"a", "b"}, {"a", "b", "c", "d"})
    1.0
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class LshParams:
    """MinHash size and banding: ``bands * rows <= num_perm``.

    A pair with Jaccard ``s`` shares at least one band with probability
    ``1 - (1 - s**rows)**bands``; with the defaults (64 permutations, 21 bands of 3 rows)
    that is 0.75 at s=0.4, 0.94 at s=0.5, 0.99 at s=0.6 and 0.01 at s=0.1.

    >>> round(LshParams().candidate_probability(0.5), 2)
    0.94
    """

    num_perm: int = 64
    bands: int = 21
    rows: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands*rows ({self.bands}*{self.rows}) exceeds num_perm ({self.num_perm})")

    def candidate_probability(self, s: float) -> float:
        return 1.0 - (1.0 - s ** self.rows) ** self.bands


_TEMPLATES: dict[tuple[int, int], MinHash] = {}


def signature(items: Iterable[str], params: LshParams = LshParams()) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint64 values) of a set of shingles.

    Equal sets give equal signatures in every process (seeded permutations, sha1 hashing):
    the keys derived from them can be stored and compared across loads.
    """
    key = (params.num_perm, params.seed)
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATES[key] = MinHash(num_perm=params.num_perm, seed=params.seed)
    # reuse the permutations: building them is most of the cost of a small MinHash
    m = MinHash(num_perm=params.num_perm, seed=params.seed, permutations=template.permutations, scheme=template.scheme)
    m.update_batch([s.encode("utf-8") for s in items])
    return m.hashvalues


def band_keys(sig: np.ndarray, params: LshParams = LshParams()) -> list[str]:
    """One short string per band: two signatures share a key iff they agree on that whole band.

    >>> sig = signature({"a", "ban", "on", "muslims"})
    >>> keys = band_keys(sig)
    >>> len(keys), keys == band_keys(signature({"muslims", "on", "ban", "a"}))
    (21, True)
    """
    out = []
    for b in range(params.bands):
        chunk = sig[b * params.rows:(b + 1) * params.rows]
        digest = hashlib.blake2b(chunk.astype("<u8").tobytes(), digest_size=8, person=b"ng-band").hexdigest()
        out.append(f"{b:02d}{digest}")
    return out
