"""The coach's personal side: profiles, readiness, skill gaps and next-steps plans (no model needed)."""
from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..knowledge import KnowledgeBase
from .pathway import Pathway, PathwayError
from .planner import Plan, Planner
from .profile_parser import ProfileParser

log = logging.getLogger(__name__)

PATHWAY_FILE = "pathway.yaml"

__all__ = ["Coaching", "Pathway", "PathwayError", "Plan", "Planner", "ProfileParser", "coaching_flows", "coaching_for"]


@dataclass
class Coaching:
    pathway: Pathway
    parser: ProfileParser
    planner: Planner
    flows: list = field(default_factory=list)  # chat flows for Coach.flows

    @classmethod
    def build(cls, knowledge: KnowledgeBase, settings: Settings) -> Coaching:
        from .flow import PlanFlow, ProfileFactsFlow

        pathway = Pathway.from_file(Path(settings.knowledge_dir) / PATHWAY_FILE, knowledge)
        parser = ProfileParser(pathway.names())
        planner = Planner(pathway, parser)
        coaching = cls(pathway, parser, planner)
        coaching.flows = [PlanFlow(coaching, settings.prompts_dir), ProfileFactsFlow(coaching, settings.prompts_dir)]
        return coaching


# One Coaching per knowledge base, shared by the chat flows and the API of the same app.
_built: weakref.WeakKeyDictionary[KnowledgeBase, Coaching | None] = weakref.WeakKeyDictionary()


def coaching_for(knowledge: KnowledgeBase, settings: Settings) -> Coaching | None:
    """The coaching for this knowledge base, or None when its folder has no pathway.yaml.

    A pathway.yaml that exists but cites missing passages raises PathwayError: better to fail at
    start than to serve plans whose citations lead nowhere."""
    if knowledge not in _built:
        if not (Path(settings.knowledge_dir) / PATHWAY_FILE).is_file():
            log.warning("no %s in %s: plans and the coach flow are off", PATHWAY_FILE, settings.knowledge_dir)
            _built[knowledge] = None
        else:
            _built[knowledge] = Coaching.build(knowledge, settings)
    return _built[knowledge]


def coaching_flows(knowledge: KnowledgeBase, settings: Settings) -> list:
    """The chat flows to append to Coach.flows (none without a pathway)."""
    coaching = coaching_for(knowledge, settings)
    return list(coaching.flows) if coaching else []
