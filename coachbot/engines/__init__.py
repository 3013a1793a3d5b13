"""Engines write answers: the built-in extractive one, or a model behind an OpenAI-compatible API."""
from __future__ import annotations

from ..config import Settings
from .base import Answer, Citation, Delta, Engine, Event, Meta, Question, Turn
from .extractive import ExtractiveEngine

__all__ = ["Answer", "Citation", "Delta", "Engine", "Event", "ExtractiveEngine", "Meta", "Question", "Turn",
           "build_engine"]


def build_engine(settings: Settings, extractive: ExtractiveEngine) -> Engine:
    """The model engine when one is configured (the built-in one as its fallback), else the built-in one."""
    if not settings.model_configured:
        return extractive
    # Imported here: the openai client is only loaded when a model is configured.
    from .guard import Guard
    from .llm import LLMEngine
    from .model_client import ModelClient
    from .prompting import PromptBuilder

    return LLMEngine(ModelClient(settings), PromptBuilder(settings.prompts_dir), extractive,
                     Guard.for_passages(extractive.index.passages), settings.history_token_budget,
                     mode=settings.model_mode, wait_s=settings.model_wait_s, max_tokens=settings.model_max_tokens)
