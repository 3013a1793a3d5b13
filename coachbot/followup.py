"""Resolve a follow-up ("and in the UK?") against the conversation into a full question."""
from __future__ import annotations

import re

from .knowledge import SearchIndex

# Openings that lean on the previous question rather than standing alone.
LEANING_START = re.compile(
    r"^(and|also|plus|but|so|then|or|what about|how about|what of|same for|in|for|at|with|"
    r"is that|is it|are they|does that|does it|do they|what if|why|how come|really)\b", re.I)
PRONOUN = re.compile(r"\b(it|that|this|those|these|they|them|there|one)\b", re.I)


def is_followup(message: str, index: SearchIndex) -> bool:
    content_terms = index.tokenize(message)
    if LEANING_START.match(message.strip()):
        return len(content_terms) <= 4
    return len(content_terms) <= 2 and bool(PRONOUN.search(message) or index.vocabulary.entities(message))


def resolve(message: str, previous_query: str | None, index: SearchIndex) -> str:
    """The question to search with: the message alone, or joined to the last question it leans on.

    Named things of the same kind are swapped, not added: after "salaries in Canada?",
    "and in the UK?" asks about UK salaries, not about both.
    """
    if not previous_query or not is_followup(message, index):
        return message
    vocabulary = index.vocabulary
    swapped_kinds = {e.kind for e in vocabulary.entities(message)}
    earlier = previous_query.lower()
    for entity in vocabulary.entities(previous_query):
        if entity.kind in swapped_kinds:
            earlier = re.sub(rf"(?<![\w.]){re.escape(entity.alias)}(?!\w)", " ", earlier)
    earlier = re.sub(r"\s+", " ", earlier).strip(" ?")
    return f"{earlier} {message.strip()}"
