"""The guide as knowledge: documents, passages, vocabulary and the search index."""
from .loader import Document, KnowledgeBase, Passage, slugify
from .index import Hit, SearchIndex
from .vocabulary import Vocabulary

__all__ = ["Document", "Hit", "KnowledgeBase", "Passage", "SearchIndex", "Vocabulary", "slugify"]
