"""Plain-language vocabulary: synonyms, named places and levels, small talk and task forms.

Plain English (coachbot/language/english.yaml, its places from places.yaml) serves every guide; a guide's own
knowledge/vocabulary.yaml (optional) adds its jargon. The guide's subject comes from its manifest."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..language import is_english_word, places
from ..yamlfile import read_yaml

ENGLISH = Path(__file__).resolve().parent.parent / "language" / "english.yaml"


# A word of a normalised text: "401k", "o'clock" and "c++" stay whole.
WORD = re.compile(r"[a-z0-9][a-z0-9'+]*")


DASHES = re.compile(r"[\u2010-\u2015]")
SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)  # a message is normalised a dozen times on its way (scope, retrieval, the engine)
def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, runs of space folded."""
    text = str(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return SPACES.sub(" ", DASHES.sub("-", text)).strip()


def _phrase_pattern(phrases, plural: bool = False) -> re.Pattern | None:
    """One pattern for the phrases, on whole words (and their plural in -s, if `plural`)."""
    phrases = sorted({normalise(p) for p in phrases}, key=len, reverse=True)
    if not phrases:
        return None
    body = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w.])(?:{body}){'s?' if plural else ''}(?![\w])")


@lru_cache(maxsize=16384)  # a message's words are looked up for every phrase group
def _word_runs(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text))


@dataclass(frozen=True)
class Phrases:
    """A pattern for some phrases, and the first word of each: a text in which none of those words
    stands alone is not searched (most texts name no phrase of a group, and a set lookup is many
    times quicker than a search). A phrase matched on whole words starts with a whole word."""
    pattern: re.Pattern
    first_words: frozenset[str] | None  # None: some phrase starts with no word, so always search

    def mentioned(self, text: str) -> bool:
        return self.first_words is None or not self.first_words.isdisjoint(_word_runs(text))

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.mentioned(text) else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.pattern.finditer(text) if self.mentioned(text) else iter(())

    def sub(self, replacement: str, text: str) -> str:
        return self.pattern.sub(replacement, text) if self.mentioned(text) else text


def _phrases(phrases) -> Phrases | None:
    pattern = _phrase_pattern(phrases)
    if pattern is None:
        return None
    firsts = [re.match(r"\w+", normalise(p)) for p in phrases]
    return Phrases(pattern, frozenset(m.group(0) for m in firsts if m) if all(firsts) else None)


@dataclass
class EntityMatch:
    kind: str
    canonical: str
    alias: str


# How many of a plain-English synonym group's words a query gains: the guide's most used ones.
FITTED_WORDS = 2


def _with_short_forms(names: list[str], short_forms: dict) -> list[str]:
    """Names with each word that has a short form also written short ("wind turbine tech")."""
    out = list(names)
    for name in names:
        words = normalise(name).split()
        for i, word in enumerate(words):
            for short in short_forms.get(word, []):
                out.append(" ".join(words[:i] + [short] + words[i + 1:]))
    return out


def _close(written: str, word: str, cutoff: float) -> bool:
    return difflib.SequenceMatcher(None, written, word).ratio() >= cutoff


def merge(base: dict, extra: dict) -> dict:
    """Two vocabulary mappings as one: lists are joined, mappings merged key by key."""
    merged = dict(base)
    for key, value in (extra or {}).items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def _entity(kind: str, canon: str, aliases: list[str]) -> tuple[str, str, re.Pattern | None, set[str]]:
    """A place or level as the vocabulary keeps it: kind, name, pattern, and its names as plain text."""
    # "beginners", "seniors": a level or place is named in the plural too.
    return kind, canon, _phrase_pattern([*aliases, canon], plural=True), {normalise(n) for n in [*aliases, canon]}


# Words that small talk is padded with ("thanks a ton, mate", "you're awesome").
SMALLTALK_FILLER = re.compile(
    r"\b(you're|youre|you are|that's|thats|that is|this is|it's|its|coachbot|coach|there|so far|so|very|much|a lot|"
    r"a ton|tons|a bunch|again|okay|ok|oh|please|and|or|an|a|the|you|u|all|today|doing|man|mate|friend|buddy|guys|"
    r"folks|bot|robot|human|just|really|thank you|thanks|been|lately|recently|this week|this morning|was|were|is|"
    r"for now|that|this|super|extremely|incredibly|truly|totally|quite|pretty|for|me|it|everything|the info|info|help|\d+)\b")


# A name of the career this long or longer is recognised misspelt, when this close in spelling (and
# each of its words this close).
SUBJECT_TYPO_MIN, SUBJECT_TYPO_CUTOFF, TYPO_WORD_CUTOFF = 6, 0.85, 0.75
# The same letter three or more times in a row: no English word is spelt so.
STRETCHED = re.compile(r"([a-z])\1{2,}")
# ... or twice at the end of a word that is none ("heyy", "hii", "byee"): held down, if one letter makes a
# word. Not in two letters: "II" is a level, "ll" the end of "he'll".
DOUBLED_END = re.compile(r"(?<=[a-z])([a-z])\1$")
# ... or an -ing word typed without its g ("lookin", "nothin").
DROPPED_G = re.compile(r"[a-z]{2}in$")


class Vocabulary:
    def __init__(self, data: dict, subject: list[str] | tuple[str, ...] = ()):
        groups = [(canon, aliases, _phrases(aliases + [canon]))
                  for canon, aliases in (data.get("synonyms") or {}).items()]
        self._synonyms = [(canon, pattern) for canon, _, pattern in groups]
        # Every wording of each idea, kept whole (fitting narrows what `expand` adds to the guide's).
        self._wordings = [(" ".join([canon, *aliases]), pattern) for canon, aliases, pattern in groups]
        # Each idea by its one-word names alone: "a year" is said of costs too, "wage" only of pay.
        self._idea_patterns = [_phrases([a for a in aliases if " " not in a.strip()]) for _, aliases, _ in groups]
        self._generic: set[str] = set()
        # Each place or level: its pattern, and the names it is made of as plain text. A text is
        # searched with a pattern only when it contains one of its names (as most passages and
        # questions contain none, this made building the index and reading a question quicker).
        self._entities = []
        for kind, members in (data.get("entities") or {}).items():
            for canon, aliases in members.items():
                self._entities.append(_entity(kind, canon, aliases))
        self._any_entity = self._entity_names()
        self.question_words = {normalise(w) for w in data.get("question_words") or []}
        self.filler_words = {normalise(w) for w in data.get("filler_words") or []}
        self.occupation_heads = {normalise(w) for w in data.get("occupation_heads") or []}
        self._backgrounds = [(skills, _phrase_pattern(jobs)) for skills, jobs in (data.get("background_skills") or {}).items()]
        names = _with_short_forms([*subject, *(data.get("subject") or [])], data.get("abbreviations") or {})
        self.subject = _phrase_pattern(names)
        # The career's names long enough that a typo in them is still recognisable ("vet tecs").
        self._subject_names = sorted({normalise(n) for n in names if len(n) >= SUBJECT_TYPO_MIN})
        # The words of a name of three or more, in any order: "library work as a technical assistant".
        name_words = [set(WORD.findall(normalise(n))) for n in [*subject, *(data.get("subject") or [])]]
        self._subject_words = [words for words in name_words if len(words) >= 3]
        self.spellings = {normalise(k): normalise(v) for k, v in (data.get("spellings") or {}).items()}
        # One pattern for every kind, so the longest phrase wins ("have a great one" is goodbye, not "great").
        self._smalltalk_kinds = {normalise(phrase): kind for kind, phrases in (data.get("smalltalk") or {}).items()
                                 for phrase in phrases}
        self._smalltalk = _phrase_pattern(self._smalltalk_kinds)
        self._tasks = [re.compile(p) for p in data.get("task_patterns") or []]
        self._injections = [re.compile(p) for p in data.get("injection_patterns") or []]
        self._factoids = [re.compile(p) for p in data.get("factoid_patterns") or []]
        self._advice = [re.compile(p) for p in data.get("advice_patterns") or []]
        self._own_money = [re.compile(p) for p in data.get("own_money_patterns") or []]
        self._about_you = [re.compile(p) for p in data.get("about_you_patterns") or []]
        self.chat_speak = {normalise(k): normalise(v) for k, v in (data.get("chat_speak") or {}).items()}
        self._chat_words = self.question_words | self.filler_words | set(self.chat_speak)
        # Each question word of four letters or more with two neighbouring letters swapped: a typo no
        # English word is spelt as ("mcuh", "waht", "dose" is a word and stays).
        swaps = {w[:i] + w[i + 1] + w[i] + w[i + 2:]: w for w in self.question_words if len(w) >= 4
                 for i in range(len(w) - 1) if w[i] != w[i + 1]}
        self._swapped = {typo: w for typo, w in swaps.items() if typo.isalpha() and not is_english_word(typo)}
        self._remember()

    def _entity_names(self) -> re.Pattern | None:
        every_name = sorted({n for *_, names in self._entities for n in names})
        return re.compile("|".join(re.escape(n) for n in every_name)) if every_name else None

    def add_places(self, names: list[str]) -> None:
        """Smaller places (states, cities) that the guide itself names: a question naming one is
        about it, as one naming a country is."""
        known = {canon for _, canon, *_ in self._entities}
        for name in (normalise(n) for n in names):
            if name not in known:
                self._entities.append(_entity("place", name, places.short_names(name)))
                known.add(name)
        self._any_entity = self._entity_names()
        self._remember()

    # A message is read several times on its way (scope, retrieval, the engine): each reading is
    # worked out once. The results are not to be changed by callers.
    MEMOIZED = ("expand", "canonicalize", "entities", "phrase_words", "phrase_meanings", "plain", "ideas", "every_wording",
                "smalltalk_kind", "is_task", "is_injection", "is_advice", "is_own_money", "is_factoid", "about_the_coach")

    def _remember(self) -> None:
        for name in self.MEMOIZED:
            setattr(self, name, lru_cache(maxsize=4096)(getattr(type(self), name).__get__(self)))

    @classmethod
    def load(cls, knowledge_dir: Path, subject: list[str] | tuple[str, ...] = ()) -> Vocabulary:
        """Plain English plus the guide's own vocabulary.yaml, when it has one. Plain English's
        synonym groups are marked to be fitted to the guide's wording (see `fit`)."""
        own_path = Path(knowledge_dir) / "vocabulary.yaml"
        own = read_yaml(own_path) if own_path.exists() else {}
        plain_english = read_yaml(ENGLISH)
        english = merge({"entities": {"place": places.ENTITIES}}, plain_english)  # places first, as always
        vocabulary = cls(merge(english, own), subject)
        vocabulary._generic = set(plain_english.get("synonyms") or {}) - set((own or {}).get("synonyms") or {})
        return vocabulary

    def fit(self, frequency) -> None:
        """Make each plain-English synonym group add only the guide's own word for the idea: the
        group's words the guide uses in most passages ("salary" and "pay", where it also says
        "compensation"), so the expansion points where the guide speaks of it most."""
        fitted = []
        for canon, pattern in self._synonyms:
            if canon in self._generic:
                used = sorted((w for w in canon.split() if frequency(w) > 0), key=lambda w: -frequency(w))
                canon = " ".join(used[:FITTED_WORDS]) if used else canon
            fitted.append((canon, pattern))
        self._synonyms = fitted
        self._remember()  # readings made before fitting are stale

    def expand(self, query: str) -> str:
        """The query with the guide's own words added for every plain-language word in it (the
        career's own name aside: "wind tech" asks about the career, not about technology)."""
        text = self._without_subject_words(query)
        extra = [canon for canon, pattern in self._synonyms if pattern and pattern.search(text)]
        extra += [m.canonical for m in self.entities(text)]
        return " ".join([text, *extra])

    def _without_subject_words(self, text: str) -> str:
        """Normalised, with the career's own names out and the spaces they leave folded ("where do
        vet techs work" -> "where do work", a phrase of its own)."""
        text = normalise(text)
        return normalise(self.subject.sub(" ", text)) if self.subject else text

    def every_wording(self, text: str) -> str:
        """The text with every wording of each idea it names ("cons": downsides, disadvantages ...)."""
        text = normalise(text)
        return " ".join([text, *(words for words, pattern in self._wordings if pattern and pattern.search(text))])

    def ideas(self, text: str) -> frozenset[int]:
        """Which synonym groups the text names, by number: "wage" and "earn" name the same idea."""
        text = normalise(text)
        return frozenset(i for i, pattern in enumerate(self._idea_patterns) if pattern and pattern.search(text))

    def synonym_words(self) -> set[str]:
        """Every single word of the synonym groups' wordings."""
        return {w for words, _ in self._wordings for w in WORD.findall(words)}

    def idea_words(self, idea: int) -> str:
        """Every wording of one idea, as one text."""
        return self._wordings[idea][0]

    def canonicalize(self, query: str) -> str:
        """The query in the guide's words: each plain-language phrase replaced by its guide wording."""
        text = self._without_subject_words(query)
        for canon, pattern in self._synonyms:
            if pattern:
                text = pattern.sub(canon, text)
        return text

    def entities(self, text: str) -> list[EntityMatch]:
        text = normalise(text)
        if not (self._any_entity and self._any_entity.search(text)):
            return []
        matches = [(kind, canon, m) for kind, canon, pattern, names in self._entities
                   if pattern and any(n in text for n in names) for m in pattern.finditer(text)]
        found: dict[str, EntityMatch] = {}
        for kind, canon, match in matches:
            # "america" inside "latin america" is not the United States: a name within a longer one is not read.
            inside = any(other.start() <= match.start() and match.end() <= other.end()
                         and other.end() - other.start() > match.end() - match.start() for _, _, other in matches)
            if not inside and canon not in found:
                found[canon] = EntityMatch(kind, canon, match.group(0))
        return list(found.values())

    def phrase_words(self, text: str) -> set[str]:
        """Words of the text that belong to a phrase this vocabulary knows (a synonym or a place)."""
        text = normalise(text)
        spans = [m.span() for _, pattern in self._synonyms if pattern for m in pattern.finditer(text)]
        spans += [m.span() for _, _, pattern, _ in self._entities if pattern for m in pattern.finditer(text)]
        return {w for start, end in spans for w in WORD.findall(text[start:end])}

    def phrase_meanings(self, text: str) -> list[tuple[set[str], str]]:
        """Each known phrase of the text: its words, and the guide's words it stands for."""
        text = normalise(text)
        found = []
        for canon, pattern in self._synonyms:
            for match in pattern.finditer(text) if pattern else ():
                found.append((set(WORD.findall(match.group(0))), canon))
        return found

    def without_subject(self, text: str) -> str:
        """The text, case kept, with the career's own names taken out."""
        if not self.subject:
            return text
        return re.sub(self.subject.pattern, " ", text, flags=re.I)

    def subject_typo(self, text: str) -> tuple[str, str] | None:
        """A misspelling of the career's name in a text that does not name it ("how much do vet tecs
        make"): (as written, the name), else None. Words as many as the name's, the same first letter,
        and close in spelling."""
        text = normalise(text)
        if not self._subject_names or self.names_subject(text):
            return None
        words = WORD.findall(text)
        for name in self._subject_names:
            size = len(name.split())
            for i in range(len(words) - size + 1):
                if words[i][0] != name[0]:
                    continue
                written = " ".join(words[i:i + size])
                # Close as a whole and word by word: "library teaching assistant" is another job.
                if (abs(len(written) - len(name)) <= 2 and written.rstrip("s") != name
                        and _close(written, name, SUBJECT_TYPO_CUTOFF)
                        and all(_close(w, n, TYPO_WORD_CUTOFF) for w, n in zip(written.split(), name.split(), strict=True))):
                    return written, name
        return None

    def names_subject(self, text: str) -> bool:
        text = normalise(text)
        if self.subject and self.subject.search(text):
            return True
        words = set(WORD.findall(text))
        return any(name <= words for name in self._subject_words)

    def is_task(self, text: str) -> bool:
        """A request to do something (write, translate, a joke) rather than a question ("can u write ...")."""
        text = self.plain(text)
        return any(p.search(text) for p in self._tasks)

    def is_injection(self, text: str) -> bool:
        """An attempt to change the coach's instructions or reveal them."""
        text = self.plain(text)
        return any(p.search(text) for p in self._injections)

    def skills_from(self, text: str) -> list[str]:
        """The skills a person's past jobs bring, for the jobs the text names ("cashier" -> customer service)."""
        text = normalise(text)
        return [skills for skills, pattern in self._backgrounds if pattern and pattern.search(text)]

    def declined(self, text: str) -> bool:
        """A task, an injection or a request for personal advice: never a question for the guide."""
        return self.is_task(text) or self.is_injection(text) or self.is_advice(text)

    def is_factoid(self, text: str) -> bool:
        """A question of fact about the world ("who invented the computer?")."""
        text = self.plain(text)
        return any(p.search(text) for p in self._factoids)

    def about_the_coach(self, text: str) -> bool:
        """A question to the coach about itself: its tastes, its feelings."""
        text = self.plain(text)
        return any(p.search(text) for p in self._about_you)

    def is_advice(self, text: str) -> bool:
        """A request for personal medical, legal or money advice."""
        text = self.plain(text)
        return any(p.search(text) for p in self._advice)

    def is_own_money(self, text: str) -> bool:
        """A decision about the person's own money (savings, a loan, a 401k): advice, whatever it is for."""
        text = self.plain(text)
        return any(p.search(text) for p in self._own_money)

    def plain(self, text: str) -> str:
        """Normalised, with chat spellings written out ("r u" -> "are you") and question words with two
        letters swapped put right ("mcuh" -> "much", "waht" -> "what")."""
        words = [self._unstretched(w) if STRETCHED.search(w) else self._undoubled(w) if DOUBLED_END.search(w)
                 else self._g_dropped(w) if DROPPED_G.search(w) else w
                 for w in re.split(r"(\W+)", normalise(text))]
        return "".join(self.chat_speak.get(w) or self._swapped.get(w, w) for w in words)

    def _unstretched(self, word: str) -> str:
        """A word typed with a letter held down ("heyyy", "sooo", "goood") as the word meant: the run
        of letters as two or as one, a chat word first, else an English word."""
        doubled, single = STRETCHED.sub(r"\1\1", word), STRETCHED.sub(r"\1", word)
        chat_word = next((w for w in (doubled, single) if w in self._chat_words), None)
        return chat_word or (doubled if is_english_word(doubled) else single)

    def _g_dropped(self, word: str) -> str:
        """A word typed without its final g ("lookin", "workin") as the word meant, when only that makes it one."""
        if word in self._chat_words or is_english_word(word) or not is_english_word(word + "g"):
            return word
        return word + "g"

    def _undoubled(self, word: str) -> str:
        if word in self._chat_words or is_english_word(word):
            return word
        single = word[:-1]
        return single if single in self._chat_words or is_english_word(single) else word

    def smalltalk_kind(self, text: str) -> str | None:
        """'greeting', 'thanks', ... when the whole message is small talk, else None. A message of
        several kinds ("hiya, who are you?") gets the reply to the last."""
        text = re.sub(r"[^\w' -]", " ", self.plain(text))
        text = re.sub(r"\s+", " ", text).strip()
        if not self._smalltalk:
            return None
        # Where each small-talk phrase starts, and its kind.
        said = [(m.start(), self._smalltalk_kinds[m.group(0)]) for m in self._smalltalk.finditer(text)]
        rest = self._smalltalk.sub(" ", text)
        if said and not SMALLTALK_FILLER.sub(" ", rest).strip():
            return max(said)[1]
        return None
