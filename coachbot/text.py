"""Plain-text helpers shared by retrieval, scope and the engines: what kind of answer a question
asks for (a figure of money, a duration, a count; a list)."""
from __future__ import annotations

import re

FIGURE = re.compile(r"\d")
MONEY = re.compile(r"[$€£¥₹]\s?\d|\b\d[\d,.]*\s?k\b|\d\s?(usd|cad|aud|eur|gbp|dkk|sek|nok|inr|lakh)\b"
                   r"|\b(usd|cad|aud|eur|gbp|dkk|sek|nok|chf|inr|jpy|nzd)\s?\d", re.I)
DURATION = re.compile(r"\d\s*(years?|months?|weeks?|days?|hours?)\b", re.I)
# Questions that ask for an amount (pay, a cost, a duration, a count), not merely name one:
# "how much do they make?", "what's the starting salary?", "salary in Canada?", but not
# "does experience matter for pay?".
QUANTITY_QUESTION = re.compile(
    r"\bhow (much|many|long|fast|quickly|soon|big|high|low)\b"
    r"|\bwhat(?: is| are|'s|s)?\s+(?:the |an? |their |my )?(?:\w+ ){0,3}?"
    r"(salary|salaries|pay|wages?|earnings|income|cost|costs|price|tuition|fees?|range|rate|number|percent\w*|"
    r"timeline|duration|median|average|hours|openings)\b"
    r"|\b(what|how much)\b.{0,40}\b(earn|make|pay|paid|cost|charge|spend)\w*\b"
    r"|\b(salary|salaries|pay|wages?|cost|costs|price|tuition|fees?|earnings|openings)\b\s*(\?|$|for\b|of\b|in\b|at\b|by\b)"
    r"|\b(earn|make|pay)\s+(a year|an hour|per year|per hour|annually|starting out)\b")
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


# A yes/no question ("does experience matter for pay?") asks whether, not how much.
YES_NO = re.compile(r"^\W*(do|does|did|is|are|was|were|can|could|will|would|should|has|have|am)\b")
EXPLICIT_AMOUNT = re.compile(r"\bhow (much|many|long)\b|\b(at least|more than|less than|over|under) \$?\d")


def wants_figure(question: str) -> bool:
    question = question.lower()
    if YES_NO.search(question) and not EXPLICIT_AMOUNT.search(question):
        return False
    return bool(QUANTITY_QUESTION.search(question))


def figure_types(question: str) -> list[re.Pattern]:
    """The kinds of figure that answer a question asking for an amount: money for pay, durations
    for "how long"; none for a question that only mentions pay."""
    question = question.lower()
    if not wants_figure(question):
        return []
    return [figure for asks, figure in ANSWER_TYPES if asks.search(question)]


def wants_list(question: str) -> bool:
    return bool(LIST_QUESTION.search(question.lower()))
