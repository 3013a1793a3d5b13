"""Sentence meaning as vectors, for matching paraphrases that share no word with the guide.

WordLlama: static token embeddings (256 dimensions) pooled per text. Its weights and tokenizer
ship inside the package, so nothing is downloaded; a text embeds in about a tenth of a millisecond.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np


@lru_cache(maxsize=1)
def _model():
    import wordllama
    from wordllama import WordLlama

    # The package folder holds the weights and tokenizer; the default cache lookup misses the
    # bundled tokenizer, and downloading is never allowed here.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


class Embedder:
    """Texts -> unit vectors, so a dot product is the cosine similarity."""

    def __init__(self):
        self._model = _model()  # loaded once per process, shared by every index

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        vectors = np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)
        return vectors
