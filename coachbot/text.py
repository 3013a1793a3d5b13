"""Plain-text helpers shared by retrieval, scope and the engines: what kind of answer a question
asks for (a figure of money, a duration, a count; a list)."""
from __future__ import annotations

import re

FIGURE = re.compile(r"\d")
MONEY = re.compile(r"[$€£¥₹]\s?\d|\b\d[\d,.]*\s?k\b|\d\s?(usd|cad|aud|eur|gbp|dkk|sek|nok|inr|lakh)\b"
                   r"|\b(usd|cad|aud|eur|gbp|dkk|sek|nok|chf|inr|jpy|nzd)\s?\d", re.I)
DURATION = re.compile(r"\d\s*(years?|months?|weeks?|days?|hours?)\b", re.I)
# Questions that want a number ...
QUANTITY_QUESTION = re.compile(
    r"\b(how (much|many|long|fast|quickly|soon)|salar\w*|pay\w*|earn\w*|make|cost\w*|price|wages?|percent\w*|"
    r"rate|range|hours|openings|years?|budget|afford\w*|grow\w*)\b")
# ... and which kind of number answers them.
ANSWER_TYPES = [
    (re.compile(r"\b(salar\w*|pay\w*|paid|earn\w*|make|wages?|income|cost\w*|price\w*|tuition|fees?|budget|"
                r"afford\w*|expensive|cheap|how much)\b"), MONEY),
    (re.compile(r"\b(how (long|quickly|soon)|timeline|duration|how many (years|months|weeks|days|hours))\b"), DURATION),
    (re.compile(r"\b(how (many|fast)|number of|percent\w*|rate|openings)\b"), FIGURE),
]
# Questions best answered by a list.
LIST_QUESTION = re.compile(
    r"^(what|which) (are|were)\b|\b(list|steps|skills|pros|cons|advantages|disadvantages|responsibilit\w*|duties|"
    r"tasks|tools|systems|standards|options|specializations|levels|careers|challenges|opportunities|benefits)\b")


def wants_figure(question: str) -> bool:
    return bool(QUANTITY_QUESTION.search(question.lower()))


def figure_types(question: str) -> list[re.Pattern]:
    """The kinds of figure that answer a question: money for pay, durations for "how long"."""
    question = question.lower()
    return [figure for asks, figure in ANSWER_TYPES if asks.search(question)]


def wants_list(question: str) -> bool:
    return bool(LIST_QUESTION.search(question.lower()))
