"""For a guide with no pathway data: a request for a plan is told plainly that there are no plans here."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..coach import ChatContext, PastTurn, Reply
from ..engines.base import Answer
from .flow import ENGINE, PROMPTS_FILE, TRIGGER, answer_events


class PlansUnavailableFlow:
    def __init__(self, prompts_dir: Path):
        texts = yaml.safe_load((Path(prompts_dir) / PROMPTS_FILE).read_text(encoding="utf-8"))
        self.text = texts["unavailable"].strip()

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None:
        if not TRIGGER.search(message):
            return None
        return Reply(message, answer_events(Answer(self.text, [], [], in_scope=False, engine=ENGINE)))
