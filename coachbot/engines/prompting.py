"""The messages sent to the model, rendered from the templates in prompts/ (Jinja2).

Token counts are estimated from characters (about four per token for English), so trimming
history needs no tokenizer download; the estimate errs on the generous side per message.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import jinja2

from ..knowledge import Passage
from .base import Citation, Question, Turn

CHARS_PER_TOKEN = 4
MESSAGE_OVERHEAD_TOKENS = 4  # role and separators around each message
MAX_SOURCES = 4
SOURCE_CHARS = 2400  # all sources together (~600 tokens): a small model's 2048-token context must hold them
MARKER = re.compile(r"\s*\[\d+\]")


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS


def trim_history(turns: list[Turn], budget_tokens: int) -> list[Turn]:
    """The most recent turns that fit in the budget, oldest dropped first, starting with a user turn."""
    kept: list[Turn] = []
    used = 0
    for turn in reversed(turns):
        cost = estimate_tokens(turn.content)
        if used + cost > budget_tokens:
            break
        kept.append(turn)
        used += cost
    kept.reverse()
    while kept and kept[0].role != "user":
        kept.pop(0)
    return kept


class PromptBuilder:
    def __init__(self, prompts_dir: Path):
        # Templates are read on first use and cached by Jinja; StrictUndefined makes a typo loud.
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(prompts_dir)), autoescape=False,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def render(self, name: str, **values) -> str:
        return self.env.get_template(name).render(**values).strip()

    def answer_messages(self, question: Question, sources: list[Citation], history_budget: int) -> list[dict]:
        """System prompt, the trimmed conversation, then the numbered sources and the question."""
        messages = [{"role": "system", "content": self.render("system.j2")}]
        for turn in trim_history(question.history, history_budget):
            # Old answers cite old source numbers; without them the model cannot mix the two up.
            content = MARKER.sub("", turn.content) if turn.role == "assistant" else turn.content
            messages.append({"role": turn.role, "content": content})
        asked = question.message
        if question.query.strip().lower() != question.message.strip().lower():
            asked = f"{question.message} (that is: {question.query})"
        numbered = [{"n": c.n, "title": c.passage.title, "text": text_of(c)} for c in sources]
        messages.append({"role": "user", "content": self.render("answer.j2", sources=numbered, question=asked)})
        return messages

    def rephrase_messages(self, question: Question, draft: str) -> list[dict]:
        """Ask the model to say the built-in engine's answer (`draft`) in plain words.

        The draft goes without its [n] markers and without the long system prompt: small models
        copy markers into the wrong places, and the guard cites each sentence it keeps itself.
        """
        plain = re.sub(r"[ \t]+\n", "\n", MARKER.sub("", draft)).strip()
        return [{"role": "user", "content": self.render("rephrase.j2", draft=plain, question=question.message)}]


def pick_sources(question: Question) -> list:
    """The passages to give the model, best first, within the character budget."""
    chosen: list[Passage] = []
    used = 0
    for hit in question.hits[:MAX_SOURCES]:
        size = len(hit.passage.text)
        if chosen and used + size > SOURCE_CHARS:
            continue
        chosen.append(hit.passage)
        used += size
    return chosen


def text_of(citation: Citation) -> str:
    text = citation.passage.text
    return text if len(text) <= SOURCE_CHARS else text[:SOURCE_CHARS].rsplit(" ", 1)[0]
