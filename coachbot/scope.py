"""Does the guide answer this message? Decided on positive evidence, never on forbidden words.

A message is read word by word against the guide itself: words the guide uses (or a plain-English
synonym of one, or a misspelling of one), places, conversational filler, the person's own
background ("I'm a cashier"), and *foreign* words: what the guide never speaks of. A question
whose topic is foreign is about something else ("pharmacy technicians", "index funds"); a
question about the career whose topic is foreign asks what the guide does not cover. Otherwise
the retrieved passage must share the question's words or its meaning. The thresholds are
calibrated on the tuning half of the question banks (see `coachbot eval`).
"""
from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .knowledge import Hit, SearchIndex
from .knowledge.vocabulary import WORD, normalise
from .language import is_english_word, places, word_count
from .text import ASKS_YEAR, MONEY, NUMBER_WORDS, YEAR, about_amounts, wants_figure

_KIND_OF = r"(kind of |type of |line of |sort of )?"
# Pointing at the career without naming it: "this job", "the field", "do this".
CAREER_REFERENCE = re.compile(
    r"\b(this|that|the|such a|such|these|those)\s+" + _KIND_OF +
    r"(job|jobs|career|careers|role|roles|field|work|profession|position|positions|occupation|gig|path|line of work|trade)\b"
    r"|\b(do|doing|try|into|get into|start|become)\s+(this|that|it)\b|\bbecome one\b"
    r"|\b(for|about|like|with|in)\s+(this|that)\s*(?:[?.!,]|$)")
# ... and its narrowest form, "this field", "that kind of job": the career itself as its name would be,
# so no words to search for ("will this field grow?" asks of the career, not of other careers called
# "a growing field"). Not "the work", which is also "the work environment".
THIS_CAREER = re.compile(r"\b(?:this|that|such an?)\s+" + _KIND_OF +
                         r"(?:job|career|field|role|profession|occupation|line of work|trade|gig)\b", re.I)
# The person's own background, which says who asks, not what they ask about.
BACKGROUND = re.compile(
    r"\b(?:i'?m|i am|i was|i've been|ive been|i have been|i work as|i worked as|working as|work as|worked as|"
    r"as|former|ex|currently|retired|from)\s+(?:an?\s+|the\s+)?((?:[a-z'-]+\s+){0,1}[a-z'-]+)"
    r"|\ban?\s+((?:[a-z'-]+\s+){0,1}[a-z'-]+)\s+(?:move|switch|transition|get|go|become|break|change|pivot|"
    r"jump|make the switch|with no|without)\b"
    r"|\bmy\s+(?:job|work|background|experience|degree|major)\s+(?:as|in)\s+(?:an?\s+)?((?:[a-z'-]+\s+){0,1}[a-z'-]+)"
    r"|\b(?:in|at|from|near|around)\s+([a-z'-]+)\s*(?:$|[?,.!])")
# "How much does a librarian make?", "what does a land surveyor do?", "how do I become a X?": the
# role asked about (up to three words).
ASKED_ROLE = re.compile(
    r"\b(?:how much (?:does|do|would|will|can|could) (?:an? |the )?|what (?:does|do) (?:an? |the )?"
    r"|how (?:do i|to|can i|would i|could i|does one) become (?:an? |the )?)"
    r"((?:[a-z'-]+ ){0,2}?[a-z'-]+?)s?(?:\s+(?:make|earn|get paid|do\b)|\s*$|\s*\?)")
# ... and "the salary for a first-year lawyer at a big firm", "pay of an electrician".
ROLE_PAID = re.compile(r"\b(?:salary|salaries|pay|wages?|earnings|income)\s+(?:of|for)\s+(?:an? |the )"
                       r"((?:[a-z'-]+ ){0,2}?[a-z'-]+?)s?(?=\s+(?:at|in|with|working)\b|\s*[?.!]|\s*$)")
# A job title ends in a word like these: "surveyor", "curator", "archivist", "librarian", "attendant".
ROLE_ENDING = re.compile(r"(?:er|or|ist|ian|ant|ent)$")
# Words for people in general, not a role: "how much do workers make" asks of the career's own.
PEOPLE = {"i", "you", "he", "she", "they", "we", "it", "one", "ones", "someone", "somebody", "person", "people",
          "folks", "worker", "workers", "employee", "employees", "staff", "member", "members", "newcomer", "newcomers"}
# Counts say how much of a thing, not what it is: like a figure, they are no topic of a question.
COUNTING_WORDS = frozenset(NUMBER_WORDS) | {"zero", "none"}
PRONOUN = re.compile(r"\b(it|they|them|their|this|that|those|these|one|ones|there)\b")
# Asked first, on a career coach's page, "is it worth it?" and "do they get benefits?" point at the career.
FIRST_PRONOUN = re.compile(r"\bworth it\b|^\W*(?:do|are|can|could|will|would|should|what do|how much do|how do|where do)\s+they\b")
# Where a short word names people or a job: the plural subject of a question ("do CNAs need ...", "how
# much do rns make"), the job one would become ("be an emt"), or, in capitals, before a word for pay or
# jobs ("CNA salary"; in lower case that is as often a short form: "entry lvl jobs", "mgmt roles").
JOB_SLOT = re.compile(r"(?i:\b(?:do|does|are|can|could|should|would|will|don't|aren't|much do|many|most)\s+([a-z]{2,4}s)\b"
                      r"|\b(?:be|become|becoming|being|does|do|can|could|would|will|should)\s+an?\s+([a-z]{2,5})\b)"
                      r"|\b([A-Z]{2,5}s?)\s+(?i:salary|salaries|pay|wages?|jobs?|careers?|positions?|roles?)\b")

# Words before a noun, and nouns that make a thing of the word before them ("drug test").
DETERMINERS = {"a", "an", "the", "my", "your", "their", "our", "his", "her", "any", "some", "no", "visible", "free",
               "each", "every", "this", "that", "these", "those"}
THING_HEADS = {"test", "tests", "tested", "testing", "check", "checks", "code", "codes", "days", "period", "policy",
               "policies", "rules", "leave", "dues", "fees", "insurance", "benefits", "school", "schools", "exam",
               "exams", "license", "licence", "credential", "credentials"}

# Calibrated on the tuning half of the banks (see the module docstring).
FOREIGN_SHARE = 0.5  # more than this share of a question's topic words unknown to the guide: it is about something else
STRONG_COVERAGE = 0.75  # a question half in words the guide never uses is answered only this well covered
GETS = r"(?:get|gets|getting|receive|receives|offer|offers|offered|give|gives|given)"
THING_WORDS = 3  # a determiner this many words before a foreign word makes a thing of it ("a signing bonus")
JARGON_COUNT = 500  # a guide word the English word list sees fewer times than this is the trade's own
THING_COVERAGE = 0.3  # a question naming a thing the guide never mentions needs this much else covered
UNRELATED = 0.45  # a word no closer than this in meaning to any guide word is unrelated to the guide
CLOSE_MEANING = 0.65  # a passage this close in meaning answers whatever the words say
MIN_COVERAGE = 0.34  # share of the question's weighted terms the best passages must contain ...
MIN_SIMILARITY = 0.45  # ... or this much meaning in common
OFF_TOPIC_MEANING = 0.35  # a question not about the career, with words the guide never uses, needs this much
TYPO_CUTOFF = 0.8
# A word this close in meaning to one of the guide's is read as that word ("affecting", "funds").
NEAR_WORD = 0.7
NEGATING_PREFIXES = ("un", "non", "in", "im", "dis")


@dataclass
class Reading:
    """What a message is made of, word by word, judged against the guide."""
    known: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)
    places: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # not English words, and not the guide's
    refers: bool = False  # names the career or points at it
    occupations: list[str] = field(default_factory=list)  # job titles of other careers: "pharmacy technician"
    things: list[str] = field(default_factory=list)  # foreign words naming a thing: "tattoos", "a dog"

    @property
    def topic_words(self) -> int:
        return len(self.known) + len(self.foreign)

    @property
    def foreign_share(self) -> float:
        return len(self.foreign) / max(1, self.topic_words)


@dataclass
class Decision:
    verdict: str  # "answer", or the reply given instead: greeting, task, injection, off_topic, not_in_guide ...
    reading: Reading
    coverage: float = 0.0
    similarity: float = 0.0
    why: str = ""

    @property
    def in_scope(self) -> bool:
        return self.verdict == "answer"


class Scope:
    def __init__(self, index: SearchIndex):
        self.index = index
        self.vocabulary = index.vocabulary
        self._ignored = self.vocabulary.question_words | self.vocabulary.filler_words | self.index.tokenize.stopwords
        # The words a misspelt word may stand for: the guide's, and the plain words the vocabulary
        # reads as the guide's ("wrost": worst, read as the downsides).
        self._words_by_initial: dict[str, list[str]] = {}
        for word in sorted(set(index.words) | self.vocabulary.synonym_words()):
            self._words_by_initial.setdefault(word[0], []).append(word)
        is_english_word("warm")  # load the word list now, not on the first question
        # Each sentence of the guide as plain text, and whether it states an amount of money.
        self._unit_texts = [(normalise(u.text), bool(MONEY.search(u.text)))
                            for units in index.units.values() for u in units]

    @lru_cache(maxsize=4096)  # noqa: B019 - one scope per app; a message is read in several places
    def read(self, message: str, in_conversation: bool = False) -> Reading:
        """The message word by word (the same Reading for the same message: not to be changed)."""
        vocabulary = self.vocabulary
        text = vocabulary.plain(message)
        typo = vocabulary.subject_typo(text)
        if typo:  # "vet tecs" is the career, misspelt
            text = re.sub(rf"(?<![\w.]){re.escape(typo[0])}(?!\w)", typo[1], text)
        said = text  # as typed, the career's name spelt right
        reading = Reading(refers=vocabulary.names_subject(text) or bool(CAREER_REFERENCE.search(text))
                          or bool((PRONOUN if in_conversation else FIRST_PRONOUN).search(text)),
                          corrected=dict([typo]) if typo else {})
        if vocabulary.subject:
            text = vocabulary.subject.sub(" ", text)
        phrased = vocabulary.phrase_words(text)  # before "the career" goes: "the career ladder"
        text = CAREER_REFERENCE.sub(" ", text)  # "this job" is the career itself, not a topic
        background = {w for m in BACKGROUND.finditer(text) for g in m.groups() if g for w in g.split()}
        acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2,6}s?\b", message)}
        place_words = {w for written, _ in places.named(text) for w in WORD.findall(written)}
        for word in dict.fromkeys(_words(text)):
            if len(word) < 3 or word[0].isdigit() or word in COUNTING_WORDS or word in self._ignored:
                continue
            if word in phrased or self._known(word):
                reading.known.append(word)
            elif word in place_words:
                reading.places.append(word)
            elif (place := self._misspelt_place(word)) is not None:
                reading.corrected[word] = place
                reading.places.append(place)
            elif (fixed := self._correct(word)) is not None:
                reading.corrected[word] = fixed
                reading.known.append(fixed)
            elif word in background:
                reading.background.append(word)
            elif is_english_word(word) or word in acronyms:
                reading.foreign.append(word)  # an English word, or a name in capitals ("CPA"), the guide never uses
            else:  # slang, a brand or a typo of nothing the guide says: no evidence either way
                reading.unread.append(word)
        reading.occupations = self._other_occupations(text, reading)
        reading.occupations += [w for w in _job_initials(message, text, reading) if w not in reading.occupations]
        role = self._other_role(said, reading)
        if role and role not in reading.occupations:
            reading.occupations.append(role)
        reading.things = self._things(text, reading)
        return reading

    def _things(self, text: str, reading: Reading) -> list[str]:
        """Foreign words used as the name of a thing ("visible tattoos", "a drug test", "my dog"):
        a question about the career asking of such a thing asks what the guide does not cover."""
        words = _words(text)
        found = []
        for i, word in enumerate(words):
            if word not in reading.foreign:
                continue
            before = words[max(0, i - THING_WORDS):i]
            after = words[i + 1] if i + 1 < len(words) else ""
            named = (any(w in DETERMINERS for w in before) or after in THING_HEADS
                     or (word.endswith("s") and is_english_word(word[:-1])))
            if named and self.index.nearest_word(word)[1] < UNRELATED:  # nothing like it in the guide
                found.append(word)
        return found

    def _other_role(self, text: str, reading: Reading) -> str | None:
        """The role a question asks the pay or work of ("how much does a librarian make?") when it is
        not the career and the guide says no such thing of it (a guide that gives a practice
        manager's pay answers for practice managers)."""
        corrected = (WORD.sub(lambda m: reading.corrected.get(m.group(0), m.group(0)), text)  # "dentel asistants"
                     if reading.corrected else text)
        roles = [m.group(1) for m in (ASKED_ROLE.search(text), ASKED_ROLE.search(corrected), ROLE_PAID.search(text)) if m]
        if not roles or any(self.vocabulary.names_subject(r) for r in roles):
            return None
        role = roles[0]  # as typed: "zookeeper" is a role, though read by its meaning as the guide's "zoo"
        words = role.split()
        if not ROLE_ENDING.search(words[-1]) and words[-1] not in self.vocabulary.occupation_heads:
            return None
        levels = {w for e in self.vocabulary.entities(role) for w in WORD.findall(e.alias)}
        if not [w for w in words if w not in self._ignored and w not in levels and w not in PEOPLE]:
            return None  # "an entry level one", "beginners": the career's own people
        return None if self._speaks_of(role, about_amounts(text)) else role

    def _speaks_of(self, role: str, with_amount: bool) -> bool:
        """Whether some sentence of the guide names this role (stating an amount, if one is asked); a
        word before its head may be cut short ("vet assistant" is a veterinary assistant)."""
        *before, head = role.split()
        name = re.compile(r"\b" + "".join(rf"{re.escape(w)}\w*\s+" for w in before) + rf"{re.escape(head)}s?\b")
        return any(name.search(text) and (money or not with_amount) for text, money in self._unit_texts)

    def _other_occupations(self, text: str, reading: Reading) -> list[str]:
        """Job titles the guide never speaks of: a foreign word before a job's head word, next to it
        ("pharmacy technician") or one word apart ("dental lab technician"), or a foreign word that is
        itself one ("plumber")."""
        heads = self.vocabulary.occupation_heads
        words = _words(text)
        found = []
        for i, word in enumerate(words):
            if word not in reading.foreign:
                continue
            if word in heads:
                found.append(word)
            elif i + 1 < len(words) and words[i + 1] in heads:
                found.append(f"{word} {words[i + 1]}")
            elif i + 2 < len(words) and words[i + 2] in heads and words[i + 1] not in self._ignored:
                found.append(" ".join(words[i:i + 3]))  # "dental lab technician"
        return found

    def decide(self, message: str, query: str, hits: list[Hit], in_conversation: bool = False,
               reading: Reading | None = None) -> Decision:
        vocabulary = self.vocabulary
        reading = reading or self.read(message, in_conversation)
        smalltalk = vocabulary.smalltalk_kind(message)
        if smalltalk:
            return Decision(smalltalk, reading, why="small talk")
        if vocabulary.about_the_coach(message) and not reading.refers:
            return Decision("chitchat", reading, why="asks about the coach itself")
        if vocabulary.is_injection(message):
            return Decision("injection", reading, why="asks to change or reveal the instructions")
        if vocabulary.is_task(message):
            return Decision("task", reading, why="asks for a task, not a question")
        if vocabulary.is_own_money(message) or (vocabulary.is_advice(message) and not (reading.refers and reading.known)):
            return Decision("advice", reading, why="asks for personal medical, legal or money advice")
        if reading.occupations and not vocabulary.names_subject(message):
            return Decision("off_topic", reading, why=f"asks about another occupation: {', '.join(reading.occupations)}")
        if not reading.refers and any(self._jargon(word) for word in reading.known):
            # A word of the trade's own ("scada", "gearbox", "the abo"): the question is about the career.
            reading = replace(reading, refers=True)
        # About the career in the guide's words: what else it says is the person's own story.
        about_career = reading.refers and (bool(reading.known) or wants_figure(query) or not reading.foreign)
        if reading.foreign_share > FOREIGN_SHARE and not about_career:
            verdict = "not_in_guide" if reading.refers else "off_topic"
            return Decision(verdict, reading, why=f"words the guide never uses: {', '.join(reading.foreign)}")
        if not hits:
            if reading.topic_words or reading.refers:
                return Decision("not_in_guide" if reading.refers else "off_topic", reading, why="no passage found")
            return Decision("unclear", reading, why="nothing asked about")
        coverage = self.coverage(query, hits)
        similarity = float(self.index.similarities(self.index.meaning(query))[self._position(hits[0])])
        decision = Decision("answer", reading, coverage, similarity)
        if vocabulary.is_factoid(message) and not vocabulary.names_subject(message) and not (
                coverage >= STRONG_COVERAGE and similarity >= MIN_SIMILARITY and not reading.foreign
                and any(not self._names_place(w) for w in reading.known)):  # a place alone is no topic
            decision.verdict, decision.why = "off_topic", "a question of fact about the world"
            return decision
        if ASKS_YEAR.search(message) and not any(YEAR.search(h.passage.text) for h in hits[:3]):
            # Its answer is a year, and none of the best passages states one.
            decision.verdict = "not_in_guide" if reading.refers else "off_topic"
            decision.why = "asks a year the best passages never state"
            return decision
        if reading.things and not reading.refers and similarity < MIN_SIMILARITY:
            # Not about the career, and about a thing the guide never mentions ("nursing school").
            decision.verdict = "off_topic"
            decision.why = f"asks about something the guide never mentions: {', '.join(reading.things)}"
            return decision
        if reading.refers and any(re.search(rf"\b{GETS}\s+(?:[\w'-]+\s+){{0,3}}?{re.escape(t)}\b", message.lower())
                                  for t in reading.things):
            # What the career's people get, or are given, is a thing the guide never mentions ("a signing bonus").
            decision.verdict = "not_in_guide"
            decision.why = f"asks about something the guide never mentions: {', '.join(reading.things)}"
            return decision
        if (reading.refers and reading.things
                and self.coverage(query, hits, self._thing_heads(message, reading)) < THING_COVERAGE):
            decision.verdict = "not_in_guide"
            decision.why = f"asks about something the guide never mentions: {', '.join(reading.things)}"
            return decision
        if reading.foreign and coverage < MIN_COVERAGE and similarity < OFF_TOPIC_MEANING:
            # Even about the career: what it asks of ("sick days") is in no passage, in words or meaning.
            decision.verdict = "not_in_guide" if reading.refers else "off_topic"
            decision.why = f"the best passage shares little with the question; never used: {', '.join(reading.foreign)}"
            return decision
        if not reading.refers and reading.foreign and similarity < OFF_TOPIC_MEANING:
            # Not about the career, partly in words the guide never uses, and no passage means the same:
            # "split my paycheck between savings and fun money" shares only "money" with it.
            decision.verdict = "off_topic"
            decision.why = f"not about the career, and never used: {', '.join(reading.foreign)}"
            return decision
        if about_career or (similarity >= CLOSE_MEANING and not reading.foreign):
            return decision  # about the career in the guide's words, or a passage says nearly what was asked
        if reading.foreign_share == FOREIGN_SHARE and (coverage < STRONG_COVERAGE or similarity < MIN_SIMILARITY):
            # As many words the guide never uses as words it does: answer only on strong evidence.
            decision.verdict = "not_in_guide" if reading.refers else "off_topic"
            decision.why = f"half the words are ones the guide never uses: {', '.join(reading.foreign)}"
        elif coverage < MIN_COVERAGE and similarity < MIN_SIMILARITY and not reading.refers:
            decision.verdict, decision.why = "off_topic", "the best passage shares little with the question"
        elif coverage < MIN_COVERAGE and similarity < MIN_SIMILARITY:
            decision.verdict, decision.why = "not_in_guide", "the best passage shares little with the question"
        return decision

    def _thing_heads(self, message: str, reading: Reading) -> frozenset[str]:
        """The words that make a thing of the foreign word before them ("tested" of "drug tested"):
        part of the thing the guide never mentions, so no evidence that it covers the question."""
        words = _words(self.vocabulary.plain(message))
        return frozenset(after for word, after in itertools.pairwise(words)
                         if word in reading.things and after in THING_HEADS)

    def coverage(self, query: str, hits: list[Hit], uncovered: frozenset[str] = frozenset()) -> float:
        """Share of the question's topic words (weighted by rarity) that the best passages contain,
        a word counting as found when it, or the guide's word for a phrase it is part of
        ("career ladder" -> "advancement"), is there."""
        reading = self.read(query)
        words = reading.known + reading.foreign
        passage_terms: set[str] = set()
        for hit in hits[:3]:
            passage_terms |= self.index.passage_terms[hit.passage.id]
        if not words:
            return 1.0  # a question naming nothing but the subject: the definition answers it
        idf = self.index.idf
        top_idf = max(idf.values(), default=1.0)
        # A phrase stands for the guide's words for it: a synonym's ("career ladder" -> advancement),
        # a place's or level's name ("beginners" -> entry-level).
        phrases = self.vocabulary.phrase_meanings(query) + [
            (set(WORD.findall(e.alias)), e.canonical) for e in self.vocabulary.entities(query)]
        found = total = 0.0
        for word in words:
            forms = set(self.index.tokenize(word))
            for phrase_words, meaning in phrases:
                if word in phrase_words:
                    forms |= set(self.index.tokenize(meaning))
            forms = {t for t in forms if self.index.knows(t)}
            weight = max((idf.get(t, 0.0) for t in forms), default=top_idf) or top_idf
            total += weight
            found += weight if forms & passage_terms and word not in uncovered else 0.0
        return found / total

    @lru_cache(maxsize=16384)  # noqa: B019 - words recur from question to question
    def _known(self, word: str) -> bool:
        return all(self.index.knows(t) for t in self.index.tokenize(word)) and bool(self.index.tokenize(word))

    def _correct(self, word: str) -> str | None:
        """The guide word a misspelt or differently worded word stands for, if one is close enough:
        in spelling ("salery", never a real word such as "dress") or in meaning ("affecting")."""
        if len(word) >= 5 and not is_english_word(word):
            # Only words of about the same length and first letter can be within a typo or two.
            candidates = [w for w in self._words_by_initial.get(word[0], []) if abs(len(w) - len(word)) <= 2]
            close = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF)
            if close:
                return close[0]
        nearest, similarity = self.index.nearest_word(word)
        # Not the word with an affix that turns it round: "pain" is no "painless", "paid" no "unpaid".
        turned_round = {word + "less", *(prefix + word for prefix in NEGATING_PREFIXES)}
        return nearest if similarity >= NEAR_WORD and nearest not in turned_round else None

    def _jargon(self, word: str) -> bool:
        """Whether a word the guide uses is its trade's own: rare in English at large, and no place."""
        return word_count(word) < JARGON_COUNT and not self._names_place(word)

    def _names_place(self, word: str) -> bool:
        return bool(places.named(word)) or any(e.kind == "place" for e in self.vocabulary.entities(word))

    @staticmethod
    def _misspelt_place(word: str) -> str | None:
        """The place a word misspells ("pensylvania"): not a word, or one the word list sees less
        often than the place ("massachusets", not "indian")."""
        place = places.misspelt(word)
        return place if place and word_count(word) < word_count(place) else None

    def _position(self, hit: Hit) -> int:
        return self.index.position[hit.passage.id]


def _job_initials(message: str, text: str, reading: Reading) -> list[str]:
    """Initials typed where a job is named ("do CNAs need ...", "be an emt") that the guide never
    uses: in capitals, or a word that is neither English nor chat spelling ("yrs" is read as "years").
    Such a word was read as foreign, unread, or by the story pattern ("could i be an emt without ...")."""
    words = set(_words(text))
    slotted = {w.lower() for match in JOB_SLOT.findall(message) for w in match
               if w and (w.rstrip("s").isupper() or not is_english_word(w.lower()))}
    return [w for w in slotted & words if w in reading.foreign or w in reading.unread or w in reading.background]


@lru_cache(maxsize=4096)  # a message's words are read by several parts of the scope
def _words(text: str) -> tuple[str, ...]:
    """The words of a text as the scope reads them: a possessive as its noun ("driver's" -> driver)."""
    return tuple(w.rstrip("'").removesuffix("'s") for w in WORD.findall(text))
