"""Resolve a follow-up ("and in Germany?", "which is quickest?", "the second one") against what the
conversation is about into a question that stands alone."""
from __future__ import annotations

import re

from .knowledge import SearchIndex
from .language import places
from .text import NUMBER_WORDS, superlative

# Openings that lean on the previous question rather than standing alone.
LEANING_START = re.compile(
    r"^(and|also|plus|but|so|then|or|what about|how about|what of|same for|in|for|at|with|"
    r"is that|is it|are they|does that|does it|do they|what if|why|how come|really|which one|which ones|which is|which are|which of|"
    r"what else|anything else|more|tell me more|go on|ok and|okay and|compared to|vs|versus)\b", re.I)
PRONOUN = re.compile(r"\b(it|that|this|those|these|they|them|there|one|ones)\b", re.I)
# "the second one", "number 3", "#2", "the last option": an item of the list just given.
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
            "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6, "eighth": 7, "8th": 7,
            "last": -1, "final": -1}
LIST_NOUN = r"(?:\s+(?:one|ones|option|step|item|route|path|thing|level|choice))?"
# Words that only point at an item: "the first one so hard?" points whatever follows.
POINTER = r"\s+(?:one|ones|option|item|choice)\b"
# An ordinal that points at an item ("the second one", "the last step"), not one that qualifies
# something else ("my first salary", "the first rung", "the first step to take").
ORDINAL = re.compile(r"\b(?:the\s+)?(" + "|".join(ORDINALS) + r")\b(?:" + POINTER + "|" + LIST_NOUN + r"(?!\s+[a-z]))"
                     r"|\b(?:number|no\.?|#|option|step|level)\s*(\d|" + "|".join(NUMBER_WORDS) + r")\b"
                     r"|\b(middle)\b" + LIST_NOUN + r"(?!\s+[a-z])", re.I)
MAX_FOLLOWUP_TERMS = 4


def is_followup(message: str, index: SearchIndex) -> bool:
    """A short message that leans on the conversation: a leaning opening, or a pronoun, a place or a
    level in a word or two."""
    content_terms = index.tokenize(message)
    if LEANING_START.match(message.strip()):
        return len(content_terms) <= MAX_FOLLOWUP_TERMS
    if PRONOUN.search(message):
        return len(content_terms) <= MAX_FOLLOWUP_TERMS - 1  # "how long are those programs?"
    if superlative(message):  # "which part is the biggest?": the biggest of what was just talked about
        return len(content_terms) <= MAX_FOLLOWUP_TERMS - 1
    return len(content_terms) <= 2 and bool(index.vocabulary.entities(message))


def list_item(message: str, items: list[str]) -> str | None:
    """The item of the last list that the message points at ("the second one"), if any."""
    if not items:
        return None
    match = ORDINAL.search(message)
    if not match:
        return None
    if match.group(1):
        position = ORDINALS[match.group(1).lower()]
    elif match.group(2):
        number = match.group(2).lower()
        position = (int(number) if number.isdigit() else NUMBER_WORDS[number]) - 1
    else:
        position = len(items) // 2  # "the middle one"
    if -len(items) <= position < len(items):
        return items[position]
    return None


def join(message: str, previous_query: str, index: SearchIndex) -> str:
    """The previous question with the follow-up added. Named things of the same kind are swapped,
    not added: after "salaries in Canada?", "and in Germany?" asks about German salaries, not both."""
    vocabulary = index.vocabulary
    swapped_kinds = {e.kind for e in vocabulary.entities(message)}
    if places.named(message):  # a place the guide never names ("and Texas?") is a place all the same
        swapped_kinds.add("place")
    earlier = previous_query.lower()
    said = [e.alias for e in vocabulary.entities(previous_query) if e.kind in swapped_kinds]
    if "place" in swapped_kinds:
        said += [written for written, _ in places.named(previous_query)]
    for alias in said:
        earlier = re.sub(rf"(?<![\w.]){re.escape(alias.lower())}(?!\w)", " ", earlier)
    earlier = re.sub(r"\s+", " ", earlier).strip(" ?")
    return f"{earlier} {message.strip()}"


def resolve(message: str, previous_query: str | None, index: SearchIndex, last_list: list[str] | None = None) -> str:
    """The question to search with: the message alone, an item of the last list it points at, or
    the message joined to the last question it leans on."""
    if not previous_query:
        return message
    item = list_item(message, last_list or [])
    if item is not None:
        return f"{item} {message.strip()}"
    if not (is_followup(message, index) or narrows(message, previous_query, index)):
        return message
    return join(message, previous_query, index)


def narrows(message: str, previous_query: str, index: SearchIndex) -> bool:
    """A question of a word or two that the section answering the last question speaks of, though
    other sections speak of it more ("what kind of equipment?" after "what's a makerspace
    specialist?"): asked of the conversation's topic."""
    terms = index.tokenize(message)
    if not 1 <= len(terms) <= 2 or index.vocabulary.entities(message) or index.vocabulary.names_subject(message):
        return False
    topic = index.search(previous_query, k=1)
    alone = index.search(message, k=1)
    if not (topic and alone) or topic[0].passage is alone[0].passage:
        return False
    return set(terms) <= index.passage_terms[topic[0].passage.id]
