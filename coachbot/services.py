"""What the app holds for its whole life: settings, the knowledge index and the coach."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from .answers import Answer
from .coach import Coach
from .coaching import Coaching, load_coaching
from .coaching.unavailable import PlansUnavailableFlow
from .config import Settings
from .engines import ExtractiveEngine, build_engine
from .knowledge import Guide, KnowledgeBase, SearchIndex, load_index


@dataclass
class Services:
    settings: Settings
    guide: Guide
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
    def build(cls, settings: Settings, instance_path: Path | None = None) -> Services:
        """Everything the app holds; the search index's vectors are kept in the instance folder, when given."""
        guide, index = load_index(settings.knowledge_dir, instance_path and instance_path / "search-vectors.npz")
        knowledge = index.knowledge
        extractive = ExtractiveEngine(index)
        engine = build_engine(settings, extractive)
        coaching = load_coaching(knowledge, settings)
        # "make me a plan", facts about oneself; with no pathway data, a plain "no plans for this guide"
        flows = coaching.flows if coaching else [PlansUnavailableFlow(settings.prompts_dir)]
        coach = Coach(index, engine, extractive, settings.prompts_dir / "replies.yaml", guide, flows)
        return cls(settings, guide, knowledge, index, coach, coaching)


def services() -> Services:
    return current_app.extensions["coachbot"]
