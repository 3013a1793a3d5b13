"""The guide as knowledge: documents, passages, vocabulary and the search index."""
from pathlib import Path

from .index import Hit, SearchIndex
from .loader import Document, KnowledgeBase, Passage, slugify
from .manifest import Guide, load_guide
from .vocabulary import Vocabulary


def load_index(folder: Path, vector_file: Path | None = None) -> tuple[Guide, SearchIndex]:
    """A knowledge folder read and indexed: its manifest and its search index. The index's vectors
    are kept in `vector_file` (when given) for the next start."""
    knowledge = KnowledgeBase.from_dir(folder)
    guide = load_guide(folder, fallback_title=next(iter(knowledge.documents.values())).title)
    return guide, SearchIndex(knowledge, Vocabulary.load(folder, guide.names), vector_file)


__all__ = ["Document", "Guide", "Hit", "KnowledgeBase", "Passage", "SearchIndex", "Vocabulary", "load_guide",
           "load_index", "slugify"]
