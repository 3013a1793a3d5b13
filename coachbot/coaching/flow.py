"""The coach in chat: "make me a plan" asks what is missing, one question at a time, then shows the plan;
"I have a GED and three years in retail" outside that flow updates the profile and says what it noted.

Progress lives in the conversation state (`state["plan"]`), profile changes in `Reply.profile`,
and the finished plan in `Reply.plan`, which the API stores with the answer.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ..answers import Answer, Citation, PastTurn
from ..coach import ChatContext, Reply
from ..engines.base import answer_events
from ..errors import CoachbotError
from ..text import FIRST_PERSON, question_like
from ..yamlfile import read_yaml
from .citations import best_sentence
from .conversation_facts import facts_from_history, goal_beyond_request
from .plan_card import card_markdown, changes, digest
from .profile_parser import Statement
from .profile_updates import apply_statement, join_facts, known_facts, set_field

if TYPE_CHECKING:
    from . import Coaching

STATE_KEY = "plan"
LAST_PLAN_KEY = "last_plan"  # the plan this conversation showed, so a correction can say what changed
CONFIRM = "confirm"  # pending when everything is known: build only when the person agrees
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
YES = re.compile(r"^\s*(?:yes|yeah|yep|sure|ok(?:ay)?|please|go ahead|do it|build(?: it| my plan| the plan)?|"
                 r"make(?: it| my plan| the plan)?|that'?s (?:right|correct)|correct|right|all good|looks good)\b", re.I)
CANCEL = re.compile(r"^\s*(?:cancel|stop|never ?mind|forget it|quit|exit)\b", re.I)
SMALLTALK = re.compile(r"^\s*(?:hi|hello|hey|thanks|thank you|thx|ok|okay|cool|great|bye|goodbye)\b[\s!.]*$", re.I)


class PromptsError(CoachbotError, ValueError):
    """The flow's wording file cites what the guide does not have."""


class _FlowBase:
    def __init__(self, coaching: Coaching, prompts_dir: Path):
        self.coaching = coaching
        self.parser = coaching.parser
        self.knowledge = coaching.pathway.knowledge
        # The flow's wording, read when the app is built so a broken file stops the start, not a chat.
        self.texts = read_yaml(Path(prompts_dir) / PROMPTS_FILE)
        cited = [item["why"] for group in ("questions", "facts_why") for item in self.texts[group].values()]
        missing = [pid for pid in cited if self.knowledge.passage(pid) is None]
        if missing:
            raise PromptsError(f"{PROMPTS_FILE} cites passages that do not exist: {', '.join(missing)}")

    def why(self, passage_id: str, hint: str, n: int = 1) -> tuple[str, Citation]:
        """The guide's reason a fact matters, as a cited line."""
        passage = self.knowledge.passage(passage_id)
        assert passage is not None, passage_id  # the prompts file's passages are checked at start
        citation = Citation(n, passage, best_sentence(passage, hint))
        # The marker stays outside the emphasis: "_..._ [1]" renders everywhere, "_... [1]_" does not.
        return f"_{self.texts['why_prefix']} {citation.quote.rstrip()}_ [{n}]", citation

    def reply(self, message: str, answer: Answer, context: ChatContext, state: dict | None,
              profile: dict, plan: dict | None = None, last_plan: dict | None = None) -> Reply:
        changed = profile if profile != context.profile else None
        new_state = None
        if state is not None or last_plan is not None:
            new_state = {k: v for k, v in context.state.items() if k != STATE_KEY}
            if state:
                new_state[STATE_KEY] = state
            if last_plan is not None:
                new_state[LAST_PLAN_KEY] = last_plan
        return Reply(message, answer_events(answer), state=new_state, profile=changed, plan=plan)

    def chips(self, options: list[str], history: list[PastTurn]) -> list[str]:
        """Suggestions minus what the person already asked or said in this conversation."""
        said = {_normal(t.content) for t in history if t.role == "user"}
        return [o for o in options if _normal(o) not in said]


class PlanFlow(_FlowBase):
    """"Make me a plan": starts from what is known (profile, this conversation), asks only what is missing,
    one question at a time with answer chips, then shows the plan as a card; a later correction rebuilds it."""

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        state = context.state.get(STATE_KEY)
        if not state:
            if TRIGGER.search(message):
                return self._start(message, history, context)
            if context.state.get(LAST_PLAN_KEY):
                return self._correction(message, history, context)
            return None
        if CANCEL.match(message):
            chips = self.chips(self.texts["suggestions"]["noted"], history)
            answer = Answer(self.texts["cancelled"].strip(), [], chips, in_scope=False, engine=ENGINE)
            return self.reply(message, answer, context, {}, context.profile)
        if NOW.search(message):
            return self._finish(message, history, context, context.profile, [])
        if state.get("pending") == CONFIRM:
            return self._confirm(message, history, context, state)
        if TRIGGER.search(message):
            return self._start(message, history, context)
        return self._answer(message, history, context, state)

    def _start(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply:
        """A request for a plan, in any wording: never a field's value; the flow starts from what is known."""
        statement = self.parser.read_statement(message)
        statement.goal = goal_beyond_request(statement.goal)
        profile, _ = apply_statement(context.profile, statement, message)
        profile = facts_from_history(self.parser, history, profile)
        state: dict = {"pending": None, "done": []}
        lead = [self.texts["start"].strip()]
        known = known_facts(profile)
        if known:
            lead.append(self.texts["so_far"].format(facts=join_facts(known)))
        missing = self._missing(profile, state)
        if missing:
            return self._ask(message, history, context, profile, state, missing[0], [], lead="\n\n".join(lead))
        confirm = self.texts["confirm"]
        answer = Answer("\n\n".join([*lead, confirm["ask"]]), [], self.chips(confirm["chips"], history),
                        in_scope=False, engine=ENGINE)
        return self.reply(message, answer, context, {**state, "pending": CONFIRM}, profile)

    def _confirm(self, message: str, history: list[PastTurn], context: ChatContext, state: dict) -> Reply | None:
        statement = self.parser.read_statement(message)
        statement.goal = goal_beyond_request(statement.goal)
        if not statement.empty():
            profile, noted = apply_statement(context.profile, statement, message)
            return self._finish(message, history, context, profile, noted)
        if YES.match(message):
            return self._finish(message, history, context, context.profile, [])
        if question_like(message) or SMALLTALK.match(message):
            return None
        confirm = self.texts["confirm"]
        answer = Answer(confirm["what_changed"], [], self.chips(confirm["chips"][:1], history),
                        in_scope=False, engine=ENGINE)
        return self.reply(message, answer, context, state, context.profile)

    def _correction(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        """After a plan: "actually I could spend $1500" rebuilds it and says what changed."""
        if question_like(message) or not FIRST_PERSON.search(message):
            return None
        statement = self.parser.read_statement(message)
        statement.goal = goal_beyond_request(statement.goal)
        if statement.empty():
            return None
        profile, noted = apply_statement(context.profile, statement, message)
        return self._finish(message, history, context, profile, noted, before=context.state[LAST_PLAN_KEY])

    def _answer(self, message: str, history: list[PastTurn], context: ChatContext, state: dict) -> Reply | None:
        pending = state.get("pending")
        if pending and SKIP.match(message):
            state = {**state, "done": [*state["done"], pending]}
            return self._advance(message, history, context, context.profile, state, [])
        statement = self.parser.read_statement(message, answering=pending)
        statement.goal = goal_beyond_request(statement.goal)
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
            statement.place and len(message.split()) <= SHORT_ANSWER_WORDS) or (
            statement.hours_per_week is not None or statement.budget_usd is not None)
        if not answered and pending in FREE_TEXT and not other_facts:
            profile, noted = set_field(profile, pending, message.strip().rstrip("."))
            answered = True
        if not answered and not noted and pending is not None and pending in self.texts["retry"]:
            return self._ask(message, history, context, profile, state, pending, [], lead=self.texts["retry"][pending])
        if answered:
            state = {**state, "done": [*state["done"], pending]}
        return self._advance(message, history, context, profile, state, noted)

    @staticmethod
    def _missing(profile: dict, state: dict) -> list[str]:
        return [f for f in ORDER if f not in state["done"] and profile.get(f) in (None, "", [])]

    def _advance(self, message: str, history: list[PastTurn], context: ChatContext, profile: dict, state: dict,
                 noted: list[str]) -> Reply:
        missing = self._missing(profile, state)
        if not missing:
            return self._finish(message, history, context, profile, noted)
        return self._ask(message, history, context, profile, state, missing[0], noted)

    def _ask(self, message: str, history: list[PastTurn], context: ChatContext, profile: dict, state: dict,
             field: str, noted: list[str], lead: str = "") -> Reply:
        question = self.texts["questions"][field]
        parts = [lead] if lead else []
        if noted:
            parts.append(self.texts["noted"].format(facts=join_facts(noted)))
        why, citation = self.why(question["why"], question["hint"])
        parts += [question["ask"], why]
        answer = Answer("\n\n".join(parts), [citation], list(question["chips"]), in_scope=True, engine=ENGINE)
        return self.reply(message, answer, context, {**state, "pending": field}, profile)

    def _finish(self, message: str, history: list[PastTurn], context: ChatContext, profile: dict,
                noted: list[str], before: dict | None = None) -> Reply:
        plan = self.coaching.planner.plan(profile)
        plan_id = uuid.uuid4().hex
        parts = [self.texts["noted"].format(facts=join_facts(noted))] if noted else []
        after = digest(plan)
        if before is not None:
            changed = changes(before, after, self.texts["changes"])
            parts.append(self.texts["changes"]["intro"] + "\n\n" + "\n".join(f"- {c}" for c in changed)
                         if changed else self.texts["changes"]["none"])
        parts.append(card_markdown(plan, self.coaching.links.for_plan(plan_id), self.texts["card"]))
        text, citations = _renumbered("\n\n".join(parts), plan.citations)
        answer = Answer(text, citations, self.chips(self.texts["suggestions"]["planned"], history),
                        in_scope=True, engine=ENGINE)
        stored = {"id": plan_id, "profile": profile, "body": plan.body(plan_id)}
        return self.reply(message, answer, context, {}, profile, plan=stored, last_plan=after)


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
        answer = Answer(text, [citation], self.chips(self.texts["suggestions"]["noted"], history), in_scope=True,
                        engine=ENGINE)
        return self.reply(message, answer, context, None, profile)


def _renumbered(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The card cites a few of the plan's sources: number them 1, 2, 3 in the order the card uses them."""
    by_n = {c.n: c for c in citations}
    order: dict[int, int] = {}
    for n in map(int, re.findall(r"\[(\d+)\]", text)):
        if n in by_n and n not in order:
            order[n] = len(order) + 1
    text = re.sub(r"\[(\d+)\]", lambda m: f"[{order.get(int(m.group(1)), m.group(1))}]", text)
    return text, [Citation(new, by_n[old].passage, by_n[old].quote) for old, new in order.items()]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


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
