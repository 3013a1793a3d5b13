"""The question pipeline: follow-up -> retrieval -> scope -> engine (with fallback) -> suggestions."""
from __future__ import annotations

import logging
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from .answers import Answer, PastTurn
from .engines.base import Delta, Engine, Event, Meta, Question, Turn, answer_events, final_answer
from .engines.extractive import ExtractiveEngine
from .followup import join, list_item, resolve
from .knowledge import Hit, SearchIndex
from .knowledge.manifest import Guide
from .language import places
from .scope import THIS_CAREER, Decision, Scope
from .text import about_amounts, asking_part, asks_worth, list_items, wants_figure, without_small_talk
from .yamlfile import read_yaml

log = logging.getLogger(__name__)

RETRIEVE_K = 5
STATE_KEY = "qa"
SHORT_FOLLOWUP_WORDS = 8
# A word of the question that stands for something said before it in the message ("this job" aside).
POINTS_BACK = re.compile(r"\b(it|that|this|they|them|those|these)\b")
# The person telling of their own life or work ("I'm a barista", "I worked", "my job"): narrower than
# text.FIRST_PERSON, since "can I ..." tells nothing of their background.
TELLS_OWN_STORY = re.compile(r"\b(i'?m|i am|i was|i've|ive|i have|i work|i worked|my)\b", re.I)
# Added to the words of someone telling their background: how people come into the work with it.
# "skill", not "skills": the words search the same, and the person asked for no list of skills.
BACKGROUND_QUESTION = "how to become start with transferable skill and experience"
# "Is it worth it?", "is being a pharm tech a good career?" of the career itself, nothing else named:
# what the guide weighs for and against it.
WORTH_QUESTION = "pros and cons"


@dataclass
class ChatContext:
    """What the API knows about the person and the conversation, for flows that need it."""
    state: dict = field(default_factory=dict)  # the conversation's stored state
    profile: dict = field(default_factory=dict)  # the user's stored profile


@dataclass
class Reply:
    query: str  # the resolved question, stored with the user's message
    events: Iterator[Event]
    state: dict | None = None  # new conversation state to store, if it changed
    profile: dict | None = None  # new profile to store, if it changed
    plan: dict | None = None  # a plan to store with the answer: {"id", "profile", "body"}


class Flow(Protocol):
    """A guided conversation (such as building a plan) that may take a message before Q&A does."""

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None: ...


class Coach:
    def __init__(self, index: SearchIndex, engine: Engine, extractive: ExtractiveEngine, replies_file: Path,
                 guide: Guide, flows: list[Flow] | None = None):
        self.index = index
        self.vocabulary = index.vocabulary
        self.extractive = extractive
        self.engine = engine
        self.scope = Scope(index)
        self.replies = _fill(read_yaml(replies_file), guide)
        self.flows: list[Flow] = list(flows or [])

    def respond(self, message: str, history: list[PastTurn], context: ChatContext | None = None) -> Reply:
        context = context or ChatContext()
        # A task, an injection or a request for personal advice is declined whatever else it says
        # ("make me a workout plan" is not the plan flow's, "plan a trip to Kyoto" no fact to note).
        for flow in [] if self.vocabulary.declined(message) else self.flows:
            reply = flow.respond(message, history, context)
            if reply is not None:
                return reply
        understood = self.understand(message, history, context.state.get(STATE_KEY) or {}, context.profile)
        if not understood.decision.in_scope:
            text = self.reply_for(understood.decision)
            return Reply(understood.query, self._canned(f"{understood.note} {text}" if understood.note else text))
        question = Question(message, understood.query, understood.hits, [Turn(t.role, t.content) for t in history])
        state = {**context.state, STATE_KEY: {"query": understood.query}}
        return Reply(understood.query, self._answer(question, understood.note, history, state), state=state)

    def understand(self, message: str, history: list[PastTurn], state: dict | None = None,
                   profile: dict | None = None) -> Understanding:
        """The message resolved against the conversation (and where the person said they live), the
        passages found and the scope decision."""
        state = state or {}
        in_conversation = any(t.role == "user" for t in history)
        message = without_small_talk(message, self.vocabulary.smalltalk_kind)
        reading = self.scope.read(message, in_conversation)
        asked = asking_part(message)
        own_topic = False  # the question after a story names a topic of its own ("... how much would i earn?")
        own_words = False  # ... or at least says in words the guide uses what it asks of the story's topic
        if asked != message:
            # Whether the guide covers it is read off what is asked; the story stays in the search
            # ("i do data entry ... does that help?").
            question_words = self.scope.read(asked, in_conversation)
            known = question_words.known
            points_back = bool(POINTS_BACK.search(THIS_CAREER.sub(" ", asked)))
            if points_back:
                # "robots and all that... will it take over this job?": "it" is what was said before.
                known = list(dict.fromkeys(known + reading.known))
            own_words = bool(question_words.known)  # "how many times can i take this thing?" says what of it
            own_topic = own_words and not points_back
            reading = replace(reading, foreign=question_words.foreign, things=question_words.things, known=known)
        cleaned = self.vocabulary.plain(_corrected(message, reading.corrected))  # "hw much r they" -> "how much are they"
        # The question a follow-up leans on: the last one that asked about something ("heyyy" then
        # "pay in australia?" leans on nothing).
        previous = next((t.query or t.content for t in reversed(history)
                         if t.role == "user" and self._asks_about_something(t.content)), None)
        query = resolve(cleaned, previous, self.index, state.get("list"))
        followed = query != cleaned
        query = self._with_home(query, (profile or {}).get("location"))
        query, note = self._broader_place(query)
        skills = self.vocabulary.skills_from(message) if TELLS_OWN_STORY.search(message) else []
        if (reading.background or skills) and reading.refers and not own_topic and not wants_figure(asked):
            # "I'm a barista, could I do this?": how people with that background come into the work.
            # (Not "how much do they make in Mars?": a question of a figure asks nothing of a background.)
            query = " ".join([query, BACKGROUND_QUESTION, *skills])
        if asks_worth(asked) and reading.refers and not reading.known and not followed:
            query = f"{query} {WORTH_QUESTION}"
        query = re.sub(r"\s+", " ", THIS_CAREER.sub(" ", query)).strip()
        # What is asked now outweighs what came with it. A follow-up is searched with its words twice
        # over, which moves the search's meaning toward them ("ok and the opportunities?" after the
        # challenges); its words weighing more would outweigh the level or place it leans on. A
        # story's own question's words weigh once more than the story's ("nurse of 12 yrs ... is the
        # work calm?").
        story_question = self.vocabulary.plain(_corrected(asked, reading.corrected)) if own_words else None
        own_question = story_question if own_topic else None
        if followed:
            hits = self.index.search(f"{query} {cleaned}", k=RETRIEVE_K)
        else:
            hits = self.index.search(query, k=RETRIEVE_K, stressed=story_question or "")
        if followed and not (reading.things or reading.occupations):
            # A follow-up is about what the conversation is about, unless it names something the
            # guide never speaks of ("and how long does nursing school take?").
            reading = replace(reading, refers=True)
        if previous and list_item(cleaned, state.get("list") or []) is not None:
            # "the middle level", "number three": the words place an item of the list just given,
            # they name no topic of their own.
            reading = replace(reading, foreign=[], things=[])
        # A story's own question is judged on what it asks: the story's words are no topic to cover.
        decision = self.scope.decide(message, own_question or query, hits, in_conversation, reading)
        if (not decision.in_scope and previous and query == cleaned
                and (not reading.foreign or (len(reading.foreign) == 1 and reading.known))
                and len(message.split()) <= SHORT_FOLLOWUP_WORDS
                and decision.verdict in {"off_topic", "not_in_guide", "chitchat", "unclear"}):
            # A short message that only makes sense after the last question ("which is cheapest?",
            # "what's the final step"): it is about what the conversation is about.
            joined = join(cleaned, previous, self.index)
            joined_hits = self.index.search(joined, k=RETRIEVE_K)
            retry = self.scope.decide(message, joined, joined_hits, in_conversation, replace(reading, refers=True))
            if retry.in_scope:
                query, hits, decision = joined, joined_hits, retry
        unknown = self._unknown_place(query) if decision.in_scope else None
        if unknown:
            # "pay in Germany" from a guide that speaks of no place there: its other figures would mislead.
            decision = replace(decision, verdict="not_in_guide", why=f"asks figures for {unknown}, a place it never names")
            note = f"My guide has no figures for {unknown}."
        return Understanding(query, hits, decision, note)

    def _asks_about_something(self, message: str) -> bool:
        """Whether a message names anything: a word the guide uses, the career, a place, a word it never uses."""
        reading = self.scope.read(message, True)
        return bool(reading.topic_words or reading.places or reading.refers)

    def _unknown_place(self, query: str) -> str | None:
        """A place a question of amounts names when neither it nor any larger area it lies in is one
        the guide speaks of (as written, "germany"), else None."""
        if not about_amounts(query):
            return None
        for written, area in places.named(query):
            if places.nearest_covered(area, self._spoken) is None and not self.index.names_word(written):
                return places.title(written)
        return None

    def answer(self, message: str, history: list[PastTurn] | None = None) -> Answer:
        reply = self.respond(message, history or [])
        return final_answer(reply.events)

    def reply_for(self, decision: Decision) -> str:
        if decision.verdict in self.replies:
            return self.replies[decision.verdict]
        return self.replies["out_of_scope"]

    def _with_home(self, query: str, location: str | None) -> str:
        """A question of pay or cost that names no place is asked for where the person lives."""
        if not location or not isinstance(location, str) or not about_amounts(query):
            return query
        if places.named(query) or any(e.kind == "place" for e in self.vocabulary.entities(query)):
            return query
        return f"{query} in {location}" if places.first_covered(location, self._spoken) else query

    def _spoken(self, area: places.Area) -> bool:
        """Whether the guide speaks of this place (some passage names it)."""
        return self.index.names_entity(area.name)

    def _broader_place(self, query: str) -> tuple[str, str | None]:
        """A place the guide does not speak of (a US state, a city) is asked about as the country or
        region it lies in that the guide does, and the answer says so."""
        found = places.first_covered(query, self._spoken)
        if found is None:
            return query, None
        written, area, spoken = found
        # The guide speaks of the place itself, as written or by its full name ("nyc": New York City).
        if area is spoken or self.index.names_word(written) or self.index.names_entity(area.name):
            return query, None
        named, region = area.label, spoken.name  # "Philadelphia", though written "philly"
        place_name = re.compile(rf"(?<![\w.]){re.escape(written.lower())}(?!\w)")
        if not about_amounts(query):
            return place_name.sub(" ", query.lower()), None  # the guide's general answer holds there too
        broader = place_name.sub(region, query.lower())
        return broader, f"My guide has no figures for {named} in particular; here is what it says for {_title(region)}."

    def _answer(self, question: Question, note: str | None, history: list[PastTurn], state: dict) -> Generator[Event, None, None]:
        suggestions = self.suggestions(question, history)
        events = self.engine.stream(question)
        try:
            for event in events:
                if isinstance(event, Meta) and note:
                    yield event
                    yield Delta(note + "\n\n")
                    continue
                if isinstance(event, Answer):
                    event.suggestions = event.suggestions or suggestions
                    if note:
                        event.text = f"{note}\n\n{event.text}"
                    state[STATE_KEY]["list"] = list_items(event.text)
                yield event
        finally:
            events.close()  # a client that left stops the engine (and its model call) now

    def suggestions(self, question: Question, history: list[PastTurn] | None = None, count: int = 3) -> list[str]:
        """What to ask next: the knowledge's own questions from the pages the answer drew on, then
        from the other pages retrieval found, never one already asked in this conversation."""
        asked_terms = [set(self.index.tokenize(q)) for q in
                       [question.query, question.message, *(t.query or t.content for t in history or [] if t.role == "user")]]
        documents = self.index.knowledge.documents
        doc_ids = list(dict.fromkeys(hit.passage.doc_id for hit in question.hits))

        novel: dict[str, bool] = {}  # each candidate compared with what was asked once, not once a round

        def fresh(candidate: str, picked: list[str]) -> bool:
            if candidate in picked:
                return False
            if candidate not in novel:
                terms = self.index.tokenize(candidate)
                novel[candidate] = not any(_same_question(terms, asked) for asked in asked_terms)
            return novel[candidate]

        picked: list[str] = []
        for round_ in range(2):  # one question per page first, for variety
            for doc_id in doc_ids:
                new = [q for q in documents[doc_id].suggestions if fresh(q, picked)]
                picked += new[:1] if round_ == 0 else new
        picked += [q for q in self.replies["starters"] if fresh(q, picked)]
        return picked[:count]

    def _canned(self, text: str) -> Generator[Event, None, None]:
        # No passage backs a fixed reply, so by the contract it is not "in scope" (no citations).
        yield from answer_events(Answer(text.strip(), [], list(self.replies["starters"][:3]), in_scope=False,
                                        engine=self.extractive.name))


@dataclass
class Understanding:
    query: str
    hits: list[Hit]
    decision: Decision
    note: str | None = None  # said before the answer (a place the guide covers only broadly)


def _same_question(terms: list[str], asked: set[str]) -> bool:
    terms_set = set(terms)
    return bool(terms_set) and len(terms_set & asked) / len(terms_set) >= 0.6


def _corrected(message: str, corrections: dict[str, str]) -> str:
    for wrong, right in corrections.items():
        message = re.sub(rf"(?<![\w.]){re.escape(wrong)}(?!\w)", right, message, flags=re.I)
    return message


def _fill(replies: dict, guide: Guide) -> dict:
    """Reply templates with the career's names filled in."""
    return {key: [guide.fill(v) for v in value] if isinstance(value, list) else guide.fill(value)
            for key, value in replies.items()}


def _title(name: str) -> str:
    """A region's name as written in a sentence: "the United States", "the UK", "Western Europe"."""
    written = name.upper() if len(name) <= 3 else " ".join(w[:1].upper() + w[1:] for w in name.split())
    return f"the {written}" if len(name) <= 3 or name.startswith("united ") else written
