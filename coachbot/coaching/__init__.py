"""The coach's personal side: profiles, readiness, skill gaps and next-steps plans (no model needed)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..knowledge import KnowledgeBase
from .pathway import Pathway, PathwayError
from .plan_links import PlanLinks
from .planner import Plan, Planner
from .profile_parser import ProfileParser

log = logging.getLogger(__name__)

PATHWAY_FILE = "pathway.yaml"

__all__ = ["Coaching", "Pathway", "PathwayError", "Plan", "PlanLinks", "Planner", "ProfileParser", "load_coaching"]


@dataclass
class Coaching:
    pathway: Pathway
    parser: ProfileParser
    planner: Planner
    links: PlanLinks  # signed links to a plan's page and file
    flows: list = field(default_factory=list)  # chat flows for Coach.flows

    @classmethod
    def build(cls, knowledge: KnowledgeBase, settings: Settings) -> Coaching:
        from .flow import PlanFlow, ProfileFactsFlow

        pathway = Pathway.from_file(Path(settings.knowledge_dir) / PATHWAY_FILE, knowledge)
        parser = ProfileParser(pathway.names())
        planner = Planner(pathway, parser)
        coaching = cls(pathway, parser, planner, PlanLinks(settings.secret_key))
        coaching.flows = [PlanFlow(coaching, settings.prompts_dir), ProfileFactsFlow(coaching, settings.prompts_dir)]
        return coaching


def load_coaching(knowledge: KnowledgeBase, settings: Settings) -> Coaching | None:
    """The coaching for this knowledge base, or None when its folder has no pathway.yaml.

    A pathway.yaml that exists but cites missing passages raises PathwayError: better to fail at
    start than to serve plans whose citations lead nowhere."""
    if not (Path(settings.knowledge_dir) / PATHWAY_FILE).is_file():
        log.warning("no %s in %s: plans and the coach flow are off", PATHWAY_FILE, settings.knowledge_dir)
        return None
    return Coaching.build(knowledge, settings)
