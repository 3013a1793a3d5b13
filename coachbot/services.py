"""What the app holds for its whole life: settings, the knowledge index and the coach."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import current_app

from .coach import Coach
from .coaching import Coaching, load_coaching
from .coaching.unavailable import PlansUnavailableFlow
from .config import Settings
from .engines import ExtractiveEngine, build_engine
from .engines.base import Answer
from .knowledge import KnowledgeBase, SearchIndex, Vocabulary


@dataclass
class Services:
    settings: Settings
    knowledge: KnowledgeBase
    index: SearchIndex
    coach: Coach
    coaching: Coaching | None  # profiles and plans; None when the knowledge has no pathway data
    # Observers of every stored answer (metrics); each gets the Answer.
    answer_observers: list[Callable[[Answer], None]] = field(default_factory=list)

    def count_answer(self, answer: Answer) -> None:
        for observe in self.answer_observers:
            observe(answer)

    @classmethod
    def build(cls, settings: Settings) -> Services:
        knowledge = KnowledgeBase.from_dir(settings.knowledge_dir)
        index = SearchIndex(knowledge, Vocabulary.from_file(settings.knowledge_dir / "vocabulary.yaml"))
        extractive = ExtractiveEngine(index)
        engine = build_engine(settings, extractive)
        coach = Coach(index, engine, extractive, settings.prompts_dir / "replies.yaml")
        coaching = load_coaching(knowledge, settings)
        # "make me a plan", facts about oneself; with no pathway data, a plain "no plans for this guide"
        coach.flows.extend(coaching.flows if coaching else [PlansUnavailableFlow(settings.prompts_dir)])
        return cls(settings, knowledge, index, coach, coaching)


def services() -> Services:
    return current_app.extensions["coachbot"]
