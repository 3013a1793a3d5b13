"""The index's vectors kept in the instance folder are the ones it would make, and are made again
when the texts or the model change."""
from __future__ import annotations

import numpy as np

from coachbot.knowledge.semantic import Embedder, VectorFile

TEXTS = [["What an LTA does. Checks books in and out."], ["Checks books in and out.", "Shelves them."], ["books"]]


def test_saved_vectors_are_the_ones_made(tmp_path):
    embedder = Embedder()
    path = tmp_path / "instance" / "search-vectors.npz"
    made = VectorFile(path, embedder, TEXTS).vectors()
    assert path.exists()
    again = VectorFile(path, embedder, TEXTS).vectors()
    for fresh, first, second in zip((embedder.embed(t) for t in TEXTS), made, again, strict=True):
        assert fresh.dtype == second.dtype and np.array_equal(fresh, first) and np.array_equal(fresh, second)


def test_other_texts_or_another_model_are_embedded_again(tmp_path, monkeypatch):
    embedder = Embedder()
    path = tmp_path / "search-vectors.npz"
    VectorFile(path, embedder, TEXTS).vectors()
    changed = [TEXTS[0], ["Checks books in and out.", "Shelves them, by call number."], TEXTS[2]]
    calls = []
    monkeypatch.setattr(embedder, "embed", lambda texts: calls.append(texts) or Embedder.embed(embedder, texts))
    vectors = VectorFile(path, embedder, changed).vectors()
    assert calls == changed and np.array_equal(vectors[1], Embedder.embed(embedder, changed[1]))
    calls.clear()
    VectorFile(path, embedder, changed).vectors()
    assert calls == []  # saved this time
    monkeypatch.setattr(embedder, "version", embedder.version + " (newer)")
    VectorFile(path, embedder, changed).vectors()
    assert calls == changed


def test_an_unwritable_folder_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    vectors = VectorFile(blocker / "search-vectors.npz", Embedder(), TEXTS).vectors()
    assert [len(v) for v in vectors] == [1, 2, 1]
