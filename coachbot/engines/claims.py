"""Claims without figures: a sentence must say what its passage says, in its terms.

Deterministic and cheap (sets of word keys, no second model call). A sentence is unsupported when
- too many of its content terms are not found in the passages it cites ("claim"),
- it asserts a relation the passages never state: most/majority, only, never, always, all,
  best/highest/lowest, a significant amount ("relation"),
- it compares ("higher than", "cheaper", "more ... than") with a word the passages never use
  ("comparison"),
- it negates ("not", "never", "n't") where the passages negate nothing ("negation").
Terms are matched by a short key (the first five letters of a longer word), so "salaries"
finds "salary" and "cataloging" finds "catalog" without a stemmer or a word list download.
"""
from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

WORD = re.compile(r"[a-z][a-z'’-]*")
# Words that carry no claim of their own: function words, and how a coach talks.
STOPWORDS = set(["a", "about", "above", "after", "again", "against", "also", "although", "am", "an", "and", "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough", "etc", "even", "ever", "for", "from", "further", "get", "gets", "getting", "give", "given", "go", "goes", "going", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "like", "likely", "may", "me", "might", "mine", "more", "most", "much", "my", "need", "needs", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "one", "ones", "onto", "or", "other", "others", "our", "ours", "out", "over", "own", "per", "perhaps", "quite", "rather", "really", "same", "she", "should", "so", "some", "something", "sometimes", "still", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "usually", "very", "via", "was", "we", "were", "what", "whatever", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yes", "yet", "you", "your", "yours", "yourself", "typically", "generally", "include", "includes", "including", "included", "well", "many", "several", "various", "answer", "question", "source", "sources", "guide", "according", "based", "role", "roles", "job", "jobs", "position", "positions", "career", "careers", "person", "people", "someone"])
# Relations a sentence may only assert when its passage does: each word needs one of its group there.
RELATIONS = [
    {"most", "majority", "mostly", "primarily", "mainly", "predominantly"},
    {"only", "solely", "exclusively", "sole"},
    {"never"},
    {"always"},
    {"all", "every", "everyone", "everything"},
    {"none", "nobody", "nothing"},
    {"best", "top", "greatest"},
    {"highest", "largest", "biggest", "maximum"},
    {"lowest", "smallest", "least", "minimum"},
    {"significant", "significantly", "substantial", "substantially", "huge", "enormous", "massive"},
    {"guarantee", "guaranteed", "guarantees", "certain", "certainly"},
]
RELATION_OF = {word: group for group in RELATIONS for word in group}
# Everyday words for what the guide says in its own: a paraphrase in these is no new claim.
SYNONYMS = [
    {"pay", "paid", "salary", "salaries", "earn", "earns", "earning", "earnings", "wage", "wages", "make",
     "makes", "compensation", "income"},
    {"grow", "grows", "growth", "increase", "increases", "rise", "rises", "higher"},
    {"job", "jobs", "role", "roles", "position", "positions", "work", "career"},
    {"cost", "costs", "price", "tuition", "costing"},
    {"year", "years", "annually", "annual", "yearly"},
    {"degree", "diploma", "qualification"},
    {"help", "helps", "assist", "assists", "assisting", "support", "supports"},
    {"use", "uses", "using", "utilize", "utilizes", "work"},
    {"need", "needs", "require", "requires", "required", "requirement"},
    {"library", "libraries"},
    {"patron", "patrons", "user", "users", "visitors"},
    {"fix", "fixes", "repair", "troubleshoot", "troubleshooting"},
    {"step", "steps", "first", "second", "third", "fourth", "fifth", "sixth", "last"},
]
SYNONYM_OF = {word: group for group in SYNONYMS for word in group}
COMPARATIVE = re.compile(r"\b(more|less|fewer|higher|lower|better|worse|cheaper|costlier|faster|slower|"
                         r"greater|larger|smaller|bigger|longer|shorter|easier|harder)\b")
NEGATION = re.compile(r"\b(not|never|no|cannot|nor)\b|n't\b")
# Share of a sentence's content terms that may be missing from its passages (a paraphrase's own words).
MAX_MISSING_SHARE = 0.2
MIN_MISSING = 2  # one odd word never condemns a sentence


def key(word: str) -> str:
    """A word's matching key: "salaries", "salary" -> "salar"; short words keep their singular."""
    word = word.strip("'’-").removesuffix("'s").removesuffix("’s")
    return word[:5] if len(word) > 5 else word.rstrip("s") or word


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


class SourceTerms:
    """What a set of passages says, prepared once per check."""

    def __init__(self, text: str):
        self.words = set(words(text))
        self.keys = {key(w) for w in self.words} | {w for w in self.words}
        self.negates = bool(NEGATION.search(text.lower().replace("’", "'")))

    def has(self, word: str) -> bool:
        return word in self.words or key(word) in self.keys

    def has_term(self, word: str) -> bool:
        """The word, or an everyday synonym of it (SYNONYMS)."""
        return self.has(word) or any(self.has(w) for w in SYNONYM_OF.get(word, ()))


def unsupported_claim(sentence: str, source: SourceTerms, common: AbstractSet[str] = frozenset()) -> str | None:
    """Why `sentence` claims more than `source` states, or None when it does not.

    `common` holds words every answer may use (the career's own name, say): never counted missing.
    """
    said = words(sentence)
    for word in said:
        group = RELATION_OF.get(word)
        if group and not any(source.has(w) for w in group):
            return "relation"
    lowered = sentence.lower()
    for match in COMPARATIVE.finditer(lowered):
        if not source.has(match.group(1)):
            return "comparison"
    if NEGATION.search(lowered.replace("’", "'")) and not source.negates:
        return "negation"
    terms = [w for w in dict.fromkeys(said)
             if len(w) > 2 and w not in STOPWORDS and w not in RELATION_OF and w not in common]
    missing = [w for w in terms if not source.has_term(w)]
    if len(missing) >= MIN_MISSING and len(missing) / max(1, len(terms)) > MAX_MISSING_SHARE:
        return "claim"
    return None
