"""For a guide with no pathway data: a request for a plan is told plainly that there are no plans here."""
from __future__ import annotations

from pathlib import Path

from ..answers import Answer, PastTurn
from ..coach import ChatContext, Reply
from ..engines.base import answer_events
from ..yamlfile import read_yaml
from .flow import ENGINE, PROMPTS_FILE, TRIGGER


class PlansUnavailableFlow:
    def __init__(self, prompts_dir: Path):
        texts = read_yaml(Path(prompts_dir) / PROMPTS_FILE)
        self.text = texts["unavailable"].strip()

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        if not TRIGGER.search(message):
            return None
        return Reply(message, answer_events(Answer(self.text, [], [], in_scope=False, engine=ENGINE)))
