"""The coach in chat: "make me a plan" asks what is missing, one question at a time, then shows the plan;
"I have a GED and three years in retail" outside that flow updates the profile and says what it noted.

Progress lives in the conversation state (`state["plan"]`), profile changes in `Reply.profile`,
and the finished plan in `Reply.plan`, which the API stores with the answer.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import yaml

from ..coach import ChatContext, PastTurn, Reply
from ..engines.base import Answer, Citation, Delta, Event, Meta, split_deltas
from .citations import best_sentence
from .pathway import PathwayError
from .profile_parser import Statement
from .profile_updates import apply_statement, join_facts, set_field

if TYPE_CHECKING:
    from . import Coaching

STATE_KEY = "plan"
PROMPTS_FILE = "plan_flow.yaml"
ORDER = ("education", "experience", "goal", "location", "hours_per_week", "budget_usd")
FREE_TEXT = ("education", "experience", "goal", "location")  # an unrecognised answer is kept as written
SHORT_ANSWER_WORDS = 3  # "Toronto, Canada" is a place; "work at a library in Ohio" a goal that names one
ENGINE = "extractive"  # the built-in engine's name: these replies need no model

TRIGGER = re.compile(
    r"\b(?:make|build|create|give|write|draft|generate|prepare|want|need|get|start)\b[^.?!]{0,25}\bplan\b"
    r"|\bmy (?:personal(?:ised|ized)? |career |action |study )?plan\b|\bplan for me\b"
    r"|\bwhat should i do(?: next| first| now)?\s*\??\s*$|\bmy next steps?\b|\bnext steps for me\b"
    r"|\bhelp me (?:get )?start(?:ed)?\b|\bget me started\b|\bwhere (?:do|should) i (?:start|begin)\b|\bcoach me\b",
    re.I)
NOW = re.compile(r"\b(?:(?:make|show|give)(?: me)? the plan(?: now)?|plan now|skip (?:the )?rest|no more questions|"
                 r"that'?s all|that is all)\b", re.I)
SKIP = re.compile(r"^\s*(?:skip(?: it| this| that)?|pass|next|no thanks|not sure|i'?m not sure|don'?t know|i don'?t know|"
                  r"dunno|no idea|rather not(?: say)?|i'?d rather not(?: say)?|prefer not to say|n/?a|-+)\s*[.!]*\s*$", re.I)
CANCEL = re.compile(r"^\s*(?:cancel|stop|never ?mind|forget it|quit|exit)\b", re.I)
QUESTION = re.compile(r"\?\s*$|^\s*(?:how|what|what's|whats|why|when|where|who|which|is|are|do|does|did|can|could|"
                      r"should|will|would|tell me|explain|describe|list|show me)\b"
                      r"|\bi(?: want|'d like| would like) to (?:know|learn|ask|understand|find out|hear|see)\b"
                      # a question after the person's story: "i'm a cashier, can i become one"
                      r"|(?:^|[,.;!:]|\b(?:so|but|and))\s*(?:how|what|what's|whats|why|when|where|which|is|are|do|"
                      r"does|can|could|should|will|would)\s+(?:i|an?|the|it|they|there|that|this|my|ltas?|you)\b"
                      r"|\b(?:do|does|can|could|should|will|would|am|is|are)\s+i\b",
                      re.I)
SMALLTALK = re.compile(r"^\s*(?:hi|hello|hey|thanks|thank you|thx|ok|okay|cool|great|bye|goodbye)\b[\s!.]*$", re.I)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|im|my|me)\b", re.I)


def question_like(message: str) -> bool:
    return bool(QUESTION.search(message))


def answer_events(answer: Answer) -> Iterator[Event]:
    yield Meta(answer.citations)
    for piece in split_deltas(answer.text):
        yield Delta(piece)
    yield answer


class _FlowBase:
    def __init__(self, coaching: Coaching, prompts_dir: Path):
        self.coaching = coaching
        self.parser = coaching.parser
        self.knowledge = coaching.pathway.knowledge
        # The flow's wording, read when the app is built so a broken file stops the start, not a chat.
        self.texts = yaml.safe_load((Path(prompts_dir) / PROMPTS_FILE).read_text(encoding="utf-8"))
        cited = [item["why"] for group in ("questions", "facts_why") for item in self.texts[group].values()]
        missing = [pid for pid in cited if self.knowledge.passage(pid) is None]
        if missing:
            raise PathwayError(f"{PROMPTS_FILE} cites passages that do not exist: {', '.join(missing)}")

    def why(self, passage_id: str, hint: str, n: int = 1) -> tuple[str, Citation]:
        """The guide's reason a fact matters, as a cited line."""
        passage = self.knowledge.passage(passage_id)
        citation = Citation(n, passage, best_sentence(passage, hint))
        return f"_{self.texts['why_prefix']} {citation.quote} [{n}]_", citation

    def reply(self, message: str, answer: Answer, context: ChatContext, state: dict | None,
              profile: dict, plan: dict | None = None) -> Reply:
        changed = profile if profile != context.profile else None
        new_state = None
        if state is not None:
            new_state = {k: v for k, v in context.state.items() if k != STATE_KEY}
            if state:
                new_state[STATE_KEY] = state
        return Reply(message, answer_events(answer), state=new_state, profile=changed, plan=plan)


class PlanFlow(_FlowBase):
    """"Make me a plan": education, experience and goal first, then location, time and budget (skippable)."""

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        state = context.state.get(STATE_KEY)
        if not state:
            if not TRIGGER.search(message):
                return None
            statement = self.parser.read_statement(message)
            profile, noted = apply_statement(context.profile, statement, message)
            return self._advance(message, context, profile, {"pending": None, "done": []}, noted, starting=True)
        if CANCEL.match(message):
            answer = Answer(self.texts["cancelled"].strip(), [], list(self.texts["suggestions"]["noted"]),
                            in_scope=False, engine=ENGINE)
            return self.reply(message, answer, context, {}, context.profile)
        if NOW.search(message):
            return self._finish(message, context, context.profile, [])
        if TRIGGER.search(message):
            return self._advance(message, context, context.profile, state, [], starting=True)
        return self._answer(message, context, state)

    def _answer(self, message: str, context: ChatContext, state: dict) -> Reply | None:
        pending = state.get("pending")
        if pending and SKIP.match(message):
            state = {**state, "done": [*state["done"], pending]}
            return self._advance(message, context, context.profile, state, [])
        statement = self.parser.read_statement(message, answering=pending)
        answered = _answers(statement, pending)
        if not answered and (question_like(message) or SMALLTALK.match(message)):
            return None  # an ordinary question mid-flow: let the Q&A answer it; the question stays pending
        if not answered and pending != "goal" and statement.goal is None and _reads_as_goal(self.parser, message):
            statement.goal = message.strip().rstrip(".")  # "work in a public library" while asked for a place
        profile, noted = apply_statement(context.profile, statement, message)
        # An answer the parser has no words for is kept as written, unless it said other things about the
        # person: "I have a GED" or "Canada" while asked for a goal, or "work in a public library" while
        # asked where they live, answer something else.
        other_facts = statement.education or statement.experience or statement.no_experience or statement.goal or (
            statement.place and len(message.split()) <= SHORT_ANSWER_WORDS)
        if not answered and pending in FREE_TEXT and not other_facts:
            profile, noted = set_field(profile, pending, message.strip().rstrip("."))
            answered = True
        if not answered and not noted and pending in self.texts["retry"]:
            return self._ask(message, context, profile, state, pending, [], lead=self.texts["retry"][pending])
        if answered:
            state = {**state, "done": [*state["done"], pending]}
        return self._advance(message, context, profile, state, noted)

    def _advance(self, message: str, context: ChatContext, profile: dict, state: dict, noted: list[str],
                 starting: bool = False) -> Reply:
        missing = [f for f in ORDER if f not in state["done"] and profile.get(f) in (None, "", [])]
        if not missing:
            return self._finish(message, context, profile, noted)
        lead = self.texts["start"].strip() if starting else ""
        return self._ask(message, context, profile, state, missing[0], noted, lead)

    def _ask(self, message: str, context: ChatContext, profile: dict, state: dict, field: str,
             noted: list[str], lead: str = "") -> Reply:
        question = self.texts["questions"][field]
        parts = [lead] if lead else []
        if noted:
            parts.append(self.texts["noted"].format(facts=join_facts(noted)))
        why, citation = self.why(question["why"], question["hint"])
        parts += [question["ask"], why]
        answer = Answer("\n\n".join(parts), [citation], list(self.texts["suggestions"]["asking"]),
                        in_scope=True, engine=ENGINE)
        return self.reply(message, answer, context, {**state, "pending": field}, profile)

    def _finish(self, message: str, context: ChatContext, profile: dict, noted: list[str]) -> Reply:
        plan = self.coaching.planner.plan(profile)
        plan_id = uuid.uuid4().hex
        url = f"/api/plans/{plan_id}.md"
        parts = [self.texts["noted"].format(facts=join_facts(noted))] if noted else []
        parts += [self.texts["plan_intro"], plan.markdown(with_sources=False).strip(),
                  self.texts["download"].format(url=url)]
        text = "\n\n".join(parts)
        citations = [c for c in plan.citations if f"[{c.n}]" in text]
        answer = Answer(text, citations, list(self.texts["suggestions"]["planned"]), in_scope=True, engine=ENGINE)
        stored = {"id": plan_id, "profile": profile, "body": plan.body(plan_id)}
        return self.reply(message, answer, context, {}, profile, plan=stored)


class ProfileFactsFlow(_FlowBase):
    """Facts stated outside the plan flow ("I have a GED and three years in retail"): noted and confirmed."""

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        if question_like(message) or not FIRST_PERSON.search(message):
            return None
        statement = self.parser.read_statement(message)
        if statement.empty():
            return None
        profile, noted = apply_statement(context.profile, statement, message)
        fact = _first_fact(statement)
        if fact == "experience" and "library" in {k for e in statement.experience for k in e.kinds}:
            fact = "library_experience"
        why_item = self.texts["facts_why"][fact]  # the passage that says why this kind of fact matters
        why, citation = self.why(why_item["why"], why_item["hint"])
        text = self.texts["facts_noted"].format(facts=join_facts(noted)).strip() + "\n\n" + why
        answer = Answer(text, [citation], list(self.texts["suggestions"]["noted"]), in_scope=True, engine=ENGINE)
        return self.reply(message, answer, context, None, profile)


def _answers(statement: Statement, pending: str | None) -> bool:
    """Whether the statement gives the field the flow asked for."""
    return {
        "education": statement.education is not None,
        "experience": bool(statement.experience) or statement.no_experience,
        "goal": statement.goal is not None,
        "location": statement.place is not None,
        "hours_per_week": statement.hours_per_week is not None,
        "budget_usd": statement.budget_usd is not None,
    }.get(pending or "", False)


def _reads_as_goal(parser, message: str) -> bool:
    """Whether a bare answer names a kind of library, a level or a specialization."""
    goal = parser.goal(message)
    return bool(goal.library_type or goal.level or goal.specialization)


def _first_fact(statement: Statement) -> str:
    if statement.education:
        return "education"
    if statement.experience or statement.no_experience:
        return "experience"
    if statement.goal:
        return "goal"
    if statement.place:
        return "location"
    if statement.budget_usd is not None:
        return "budget"
    if statement.hours_per_week is not None:
        return "hours"
    return "skills"
