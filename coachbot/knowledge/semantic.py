"""Sentence meaning as vectors, for matching paraphrases that share no word with the guide.

WordLlama: static token embeddings (256 dimensions) pooled per text. Its weights and tokenizer
ship inside the package, so nothing is downloaded; a text embeds in about a tenth of a millisecond.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MODEL, DIMENSIONS = "l2_supercat", 256


@lru_cache(maxsize=1)
def _model():
    import wordllama
    from wordllama import WordLlama

    # The package folder holds the weights and tokenizer; the default cache lookup misses the
    # bundled tokenizer, and downloading is never allowed here.
    return WordLlama.load(MODEL, cache_dir=Path(wordllama.__file__).parent, dim=DIMENSIONS, disable_download=True)


def model_version() -> str:
    import wordllama

    return f"wordllama {wordllama.__version__} {MODEL} {DIMENSIONS}, numpy {np.__version__}"


class Embedder:
    """Texts -> unit vectors, so a dot product is the cosine similarity."""

    def __init__(self):
        self._model = _model()  # loaded once per process, shared by every index
        self.version = model_version()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)
        return vectors


class VectorFile:
    """The vectors of an index's texts kept in a file (in the app's instance folder), so a restart
    need not embed the whole guide again. They are used only when made by the same model from the
    very same texts, each list embedded as one call, as they would be made now: the file names the
    model's version and a digest of every text."""

    def __init__(self, path: Path, embedder: Embedder, batches: list[list[str]]):
        self.path, self.embedder, self.batches = path, embedder, batches
        digest = hashlib.sha256(embedder.version.encode())
        for texts in batches:
            digest.update(json.dumps(texts).encode())
        self.key = digest.hexdigest()

    def vectors(self) -> list[np.ndarray]:
        """Each list's vectors: from the file when it holds these texts' vectors, else embedded (and saved)."""
        try:
            with np.load(self.path) as saved:
                if str(saved["arr_0"]) == self.key:
                    return [saved[f"arr_{i + 1}"] for i in range(len(self.batches))]
        except (OSError, KeyError, ValueError):  # none yet, or unreadable: made again below
            pass
        made = [self.embedder.embed(texts) for texts in self.batches]
        self._save(made)
        return made

    def _save(self, vectors: list[np.ndarray]) -> None:
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole under another name, then renamed: a process starting meanwhile reads
            # the old file or the new one, never half of one.
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                np.savez(out, np.array(self.key), *vectors)  # the key first, then each list's vectors
            os.replace(tmp, self.path)
        except OSError as err:  # a read-only folder, a full disk: the vectors are made at every start
            logger.warning("could not save the search vectors to %s: %s", self.path, err)
            if tmp:
                Path(tmp).unlink(missing_ok=True)
