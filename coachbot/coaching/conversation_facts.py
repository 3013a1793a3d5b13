"""Facts the person stated earlier in this conversation, for a plan that starts from what is known.

"I live in Texas with a high school diploma, what jobs are there?" is a question, so no flow noted it
then; when the person asks for a plan, it still counts. Earlier turns only fill fields the profile
lacks: a stored answer or a later correction wins over an aside."""
from __future__ import annotations

import re

from ..text import FIRST_PERSON, chat_sentences
from .profile_parser import ProfileParser
from .profile_updates import apply_statement


def facts_from_history(parser: ProfileParser, history: list, profile: dict) -> dict:
    """`profile` with the fields it lacks filled from the person's earlier messages, oldest first."""
    filled = dict(profile)
    for turn in history:
        if turn.role != "user":
            continue
        # Only what the person says about themselves: "What jobs could I get in a library?" states nothing.
        said = " ".join(s for s in chat_sentences(turn.content)
                        if FIRST_PERSON.search(s) and not s.rstrip().endswith("?"))
        if not said:
            continue
        found, _ = apply_statement({}, parser.read_statement(said), said)
        if "goal" in found:
            found["goal"] = goal_beyond_request(found["goal"])
        for name, value in found.items():
            if value is not None and filled.get(name) in (None, "", []):
                filled[name] = value
    return filled


PLAN_REQUEST = re.compile(r"^(?:(?:a|an|my|the|me|some)\s+)?(?:[\w'-]+\s+){0,2}?(?:plan|roadmap)\b\s*"
                          r"(?:please|now|thanks?)?\s*(?:(?:to|for|so that|so|that)\s+)?", re.I)


def goal_beyond_request(goal: str | None) -> str | None:
    """The goal in "I want a plan to work in a school library", never "a personalised plan please"."""
    if not goal:
        return goal
    match = PLAN_REQUEST.match(goal)
    if not match:
        return goal
    rest = goal[match.end():].strip(" ,.!")
    return rest if len(rest.split()) >= 2 else None
