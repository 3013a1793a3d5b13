"""Plain-text helpers shared by retrieval, scope, the engines and the coaching: what kind of answer a
question asks for (a figure of money, a duration, a count; a list), sentences, figures as written,
and quotes of a readable length."""
from __future__ import annotations

import re
from collections.abc import Callable

# Numbers written as words, wherever counts are read: "three years", "the second one", "a thousand".
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1_000_000}
FIGURE = re.compile(r"\d")
# A figure as written, to compare what two texts state: "45,000", "3.5", "20%".
NUMBER = re.compile(r"\d[\d,.]*\d%?|\d%?")
# A sentence ends at . ! or ? followed by what can start one (a capital, a figure, a quote, a
# bracket or Markdown emphasis); "e.g." and initials do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[*A-Z$€£¥0-9])")
ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:e\.g|i\.e|approx|vs|etc|Dr|Mr|Ms)\.$")
QUOTE_CHARS = 300
MONEY = re.compile(r"[$€£¥₹]\s?\d|\b\d[\d,.]*\s?k\b|\d\s?(usd|cad|aud|eur|gbp|dkk|sek|nok|inr|lakh)\b"
                   r"|\b(usd|cad|aud|eur|gbp|dkk|sek|nok|chf|inr|jpy|nzd)\s?\d", re.I)
# A length of time; not a rate ("20 hours a week" says how much of each week, not how long).
DURATION = re.compile(r"\d\s*(years?|months?|weeks?|days?|hours?)\b(?!\s+(?:a|per|each|every)\s+(?:week|day|month|year)\b)",
                      re.I)
# What follows "make" when it makes someone do something ("make u get credentialed"), not earn.
MADE_TO = (r"\s+(?:(?:an?|the)(?!\s+(?:year|month|week|day|hour|living)\b)"
           r"|me|you|u|it|them|us|my|your|their|this|that|people|someone|sure)\b")
# Questions that ask for an amount (pay, a cost, a duration, a count), not merely name one:
# "how much do they make?", "what's the starting salary?", "salary in Canada?", but not
# "does experience matter for pay?".
QUANTITY_QUESTION = re.compile(
    r"\bhow (much|many|long|fast|quickly|soon|big|high|low)\b"
    r"|\bwhat(?: is| are|'s|s)?\s+(?:the |an? |their |my )?(?:\w+ ){0,3}?"
    r"(salary|salaries|pay|wages?|earnings|income|cost|costs|price|tuition|fees?|range|rate|number|percent\w*|"
    r"timeline|duration|median|average|hours|openings|amount)\b"
    r"|\b(what|how much)\b.{0,40}\b(earn|make|pay|paid|cost|charge|spend)\w*\b"
    # ... but "what certs make a candidate stand out" makes something, it asks no amount
    r"(?!" + MADE_TO + ")"
    r"|\b(salary|salaries|pay|wages?|cost|costs|price|tuition|fees?|earnings|openings|amount)\b\s*(\?|$|for\b|of\b|in\b|at\b|by\b)"
    r"|\b(earn|make|pay)\s+(a year|an hour|per year|per hour|annually|starting out)\b")
# "How much" asks money when a verb, a pronoun or a money word follows ("how much do they make", "how
# much is the exam", "how much more"), not when a thing does ("how much experience", "how much math").
HOW_MUCH_MONEY = (r"how much(?=\s*(?:[?.!,]|$)|\s+(?:do|does|did|is|are|was|were|will|would|can|could|should|might|"
                  r"it|they|i|you|we|an?|the|this|that|my|your|their|money|cash|more|less|extra|to|for|per|on|in)\b|\s*\$)")
# ... and which kind of number answers them.
ANSWER_TYPES = [
    (re.compile(r"\b(salar\w*|pay\w*|paid|earn\w*|make(?!" + MADE_TO + r")|wages?|income|cost\w*|price\w*|tuition|fees?|budget|"
                r"afford\w*|expensive|cheap|" + HOW_MUCH_MONEY + r"|amount)\b"), MONEY),
    (re.compile(r"\b(how (long|quickly|soon)|how much time|timeline|duration|how many (years|months|weeks|days|hours))\b"),
     DURATION),
    (re.compile(r"\b(how (many|fast)|number of|percent\w*|rate|openings)\b"), FIGURE),
]
# A figure said of the middle ("the median wage", "on average"), and questions that ask of
# another part of a range ("the lowest pay", "top earners", "starting salary") or compare.
CENTRAL_FIGURE = re.compile(r"\b(median|average|typical|mean)\b", re.I)
NOT_CENTRAL = re.compile(r"\b(low\w*|high\w*|top|bottom|least|most|min\w*|max\w*|range|ceiling|cap|start\w*|"
                         r"entry|begin\w*|senior|experienced|best|worst|more|less|over|under|between|vs|versus|"
                         r"compare\w*|than|or|bonus\w*|overtime|raise|increase|grow\w*)\b")


def asks_central_figure(question: str) -> bool:
    """A how-much question asking for no part of a range: its answer is the typical figure."""
    question = question.lower()
    return MONEY in figure_types(question) and not NOT_CENTRAL.search(question)


# "Which is cheapest / quickest / pays the most": the figure that answers it, and which end.
SUPERLATIVES = [
    (re.compile(r"\b(cheapest|least expensive|lowest cost|most affordable|cheaper)\b"), MONEY, min),
    (re.compile(r"\b(pays?(\s+\w+){0,3}?\s+(the\s+)?(most|best|more)|best[- ]paid|highest[- ]pa(id|ying)|most money)\b"),
     MONEY, max),
    (re.compile(r"\b(pays?(\s+\w+){0,3}?\s+(the\s+)?(least|worst)|(lowest|worst)[- ]pa(id|ying)|least money)\b"),
     MONEY, min),
    (re.compile(r"\b(quickest|fastest|shortest|least time|quicker|faster|shorter)\b"), DURATION, min),
    (re.compile(r"\b(longest|most (hours|time|years|months)|longer)\b"), DURATION, max),
    (re.compile(r"\b(biggest|largest|bigger|larger)\b"), FIGURE, max),
]
# Days in each unit of time, to compare "4 to 10 weeks" with "6 to 12 months" ...
DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
# ... and without hours: "400 hours of training" is how much work a route takes, not how long
# ("which is quickest?" asks the weeks or months, "which takes the most hours?" the hours).
CALENDAR_DAYS = {unit: days for unit, days in DAYS.items() if unit != "hour"}
AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")(?:\s*(k)\b)?"
                    r"(?:\s*(?:-|to|–)\s*\d[\d,]*(?:\.\d+)?)?\s*(hours?|days?|weeks?|months?|years?)?", re.I)


def superlative(question: str) -> tuple[re.Pattern, Callable] | None:
    """(the kind of figure, min or max) for a question asking which is cheapest, quickest ...; else None."""
    question = question.lower()
    return next(((figure, end) for asks, figure, end in SUPERLATIVES if asks.search(question)), None)


def compared_figures(question: str) -> list[re.Pattern]:
    """Every kind of figure a question weighs ("quicker and cheaper": a duration and money), in order."""
    question = question.lower()
    return list(dict.fromkeys(figure for asks, figure, _ in SUPERLATIVES if asks.search(question)))


def first_amount(text: str, figure: re.Pattern, days: dict[str, float] = DAYS) -> float | None:
    """The first amount of this kind a text states, comparable across texts: money as a number,
    a duration in days ("4 to 10 weeks" -> 28) of the units in `days`, any other figure as written."""
    for match in AMOUNT.finditer(text):
        number, thousands, unit = match.groups()
        value = float(NUMBER_WORDS.get(number.lower()) or number.replace(",", "")) * (1000 if thousands else 1)
        if figure is DURATION:
            if unit and unit.lower().rstrip("s") in days:
                return value * days[unit.lower().rstrip("s")]
        elif figure is MONEY:
            if figure.search(text[max(0, match.start() - 2):match.end() + 4]):
                return value
        else:
            return value
    return None


# "Do I need a master's to work in a clinic?": what is needed is what is asked about.
NEEDED = re.compile(r"\b(?:need|needs|require|requires|required|have to have|must have)\s+(?:an?\s+|the\s+|any\s+)?"
                    r"(?!to\b|it\b|that\b|this\b|them\b|for\b|in\b|as\b|if\b|when\b)([a-z'-]+(?:\s+(?!to\b|for\b|in\b|as\b|if\b)[a-z'-]+)?)")


def needed_thing(question: str) -> str:
    """The thing a question asks whether one needs ("a master's" in "do I need a master's to ..."), or ""."""
    found = NEEDED.search(question.lower())
    return found.group(1) if found else ""


# Questions about pay, costs or jobs, asked for an amount or not: their answer depends on the place.
AMOUNT_TOPIC = re.compile(r"\b(how much|how many|pay\w*|paid|salar\w*|earn\w*|make|wages?|income|cost\w*|price\w*|"
                          r"tuition|cheap\w*|expensive|afford\w*|openings|jobs)\b")


def about_amounts(question: str) -> bool:
    return bool(AMOUNT_TOPIC.search(question.lower()))


# Questions best answered by a list.
LIST_QUESTION = re.compile(
    r"^(what|which) (are|were)\b|\bstep[- ]by[- ]step\b"
    r"|\b(list|steps|skills|pros|cons|advantages|disadvantages|responsibilit\w*|duties|tasks|tools|systems|"
    r"standards|options|specializations|levels|careers|challenges|opportunities|benefits)\b"
    # "what VTS specialties are there?", "what kinds of jobs are there": the things are named by the question
    r"|\bwhat (?:kinds? of |types? of |sorts? of )?(?:[\w'-]+ )?([\w'-]+s) (?:are|is) there\b")


# Whether someone in the career may do a thing ("can vet techs do surgery", "are they allowed to
# diagnose"): asked with "allowed" or "legally", or "can" and the career's name (see `asks_permission`).
ASKS_ALLOWED = re.compile(r"\b(?:allowed|permitted|legally|legal for|scope of practice)\b")
CAN_BEFORE_NAME = re.compile(r"\b(?:can|may|could)\s+(?:a\s+|an\s+|the\s+)?$")
# A text that says what someone may or may not do.
STATES_LIMITS = re.compile(r"\b(?:may not|may only|not allowed|allowed to|not permitted|permitted to|prohibit\w*|"
                           r"reserve[sd]? for|scope of practice)\b", re.I)
# A question whose answer is a year ("what year was the act passed?", "when did it start?"), and a year.
ASKS_YEAR = re.compile(r"\b(?:what|which) year\b|\bwhen (?:was|were|did)\b", re.I)
YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
# A heading that says what someone may not do ("What vet techs cannot do").
HEADS_LIMITS = re.compile(r"\b(?:cannot|can't|can not|may not|must not|not allowed|not permitted|prohibit\w*)\b", re.I)


def asks_permission(question: str, subject: re.Pattern | None) -> bool:
    """Whether a question asks what the career's people may do: "are they allowed to ...", or "can"
    right before the career's name ("can vet techs do surgery", not "can I become a vet tech")."""
    text = question.lower()
    if ASKS_ALLOWED.search(text):
        return True
    return subject is not None and any(CAN_BEFORE_NAME.search(text[:m.start()]) for m in subject.finditer(text))


# A yes/no question ("does experience matter for pay?") asks whether, not how much.
YES_NO = re.compile(r"^\W*(do|does|did|is|are|was|were|can|could|will|would|should|has|have|am)\b")
EXPLICIT_AMOUNT = re.compile(r"\bhow (much|many|long)\b|\b(at least|more than|less than|over|under) \$?\d")
# "Are they paid well?", "is the money good?": a judgement of pay, which the typical figure answers.
PAY_JUDGED = re.compile(r"\b(paid|pays?|money|salary|salaries|wages?)\s+(well|good|decent|ok|okay|enough|badly|poorly)\b"
                        r"|\b(well|good|decent|badly|poorly)[- ](paid|paying|pay|money|salary|salaries|wages?)\b")
WORTH = re.compile(r"\bworth\b")
# Whether something is worth it, or a good career or choice, is asked.
WORTH_ASKED = re.compile(r"\bworth it\b|\bworth (?:doing|becoming|getting into|going into)\b|"
                         r"\bgood (?:career|job|choice|idea|path|move)\b", re.I)


def asks_worth(question: str) -> bool:
    return bool(WORTH_ASKED.search(question))


def wants_figure(question: str) -> bool:
    """Whether the question, or a later sentence of it, asks for an amount ("walk me through the
    levels? what does the senior one pay": a follow-up joined to the question it leans on)."""
    question = question.lower()
    return any(_asks_amount(part) for part in [question, *chat_sentences(question)[1:]])


def _asks_amount(question: str) -> bool:
    if YES_NO.search(question):
        # "does a lead pay over 50k?" weighs an amount: the figure answers it.
        # "Is it paid well?" is answered by the figure; "is it worth it for good money?" by the guide's judgement.
        judged = bool(PAY_JUDGED.search(question)) and not WORTH.search(question)
        return judged or (bool(EXPLICIT_AMOUNT.search(question)) and (
            bool(QUANTITY_QUESTION.search(question)) or about_amounts(question)))
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


def listed_things(question: str) -> list[str]:
    """The kinds of thing a list question names ("skills", "specializations")."""
    return [m.group(3) or m.group(4) for m in LIST_QUESTION.finditer(question.lower()) if m.group(3) or m.group(4)]


# A chat message's sentences, however they are cased ("hi there. whats the pay?").
CHAT_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A message, or a sentence of one, that asks something.
QUESTION = re.compile(r"\?\s*$|^\s*(?:how|hw|what|wat|wut|what's|whats|why|when|where|who|which|is|are|do|does|did|"
                      r"can|could|should|will|would|tell me|explain|describe|list|show me|worth|is it worth)\b"
                      r"|\bwhose\b"
                      r"|\bi(?: want|'d like| would like) to (?:know|learn|ask|understand|find out|hear|see)\b"
                      # asked indirectly: "i'm wondering what it pays in the uk", "curious whether ..."
                      r"|\b(?:i'?m|i am)\s+(?:wondering|curious|unsure|not sure)\b|\bi wonder\b"
                      r"|\b(?:wondering|curious|any idea|no idea|need to know|like to know|love to know)\s+"
                      r"(?:what|whether|if|how|why|when|where|which|who)\b"
                      # a question after the person's story: "i'm a cashier, can i become one"
                      r"|(?:^|[,.;!:]|\b(?:so|but|and))\s*(?:how|what|what's|whats|why|when|where|which|is|are|do|"
                      r"does|can|could|should|will|would)\s+(?:i|an?|the|it|they|there|that|this|my|you)\b"
                      r"|\b(?:do|does|can|could|should|will|would|am|is|are)\s+i\b"
                      # "i'm a teacher's aide, would helping out count", whatever follows the verb
                      r"|[,;:.!]\s*(?:how|what|why|when|where|which|is|are|do|does|can|could|should|will|would)\s+\w",
                      re.I)
# A statement asked as a question: "so i don't need a degree for this, right" (a tag after three words).
TAG_QUESTION = re.compile(r"[\s,](?:right|correct|isn'?t it|do i|don'?t i|can i|yeah)\s*\W*$", re.I)


# The person speaking of themselves ("I have a GED", "my job").
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|im|my|me)\b", re.I)


def question_like(message: str) -> bool:
    if QUESTION.search(message):
        return True
    tag = TAG_QUESTION.search(message)
    return tag is not None and len(re.findall(r"\w+", message[:tag.start()])) >= 3


def chat_sentences(message: str) -> list[str]:
    return [s for s in CHAT_SENTENCE_END.split(message.strip()) if s.strip()]


def without_small_talk(message: str, is_small_talk) -> str:
    """The message without its small-talk sentences ("hey there, hope you're well. what's the pay?")."""
    sentences = chat_sentences(message)
    kept = [s for s in sentences if not is_small_talk(s)]
    return " ".join(kept) if kept and len(kept) < len(sentences) else message


def asking_part(message: str) -> str:
    """The sentences of a message that ask, without those of a story that tell
    ("nurse of 12 years, burned out. is the work calm?")."""
    asking = [s for s in chat_sentences(message) if question_like(s)]
    return " ".join(asking) if asking else message


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph. "The U.S. Bureau" stays one sentence, unless a citation
    marker follows the abbreviation ("... in the U.S. [2] Then ...")."""
    pieces = SENTENCE_END.split(text)
    parts, current = [], ""
    for i, piece in enumerate(pieces):
        current = f"{current} {piece}" if current else piece
        cited_next = i + 1 < len(pieces) and pieces[i + 1].startswith("[")
        if cited_next or not ABBREVIATION.search(current.strip()):
            parts.append(current.strip())
            current = ""
    if current.strip():
        parts.append(current.strip())
    return [p for p in parts if p]


def trim_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A quote short enough to read beside an answer: cut at a word, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# "Which systems are common?", "what software will I use": answered by the names of things.
NAMES_QUESTION = re.compile(r"^\W*(which|what)\s+(?:\w+\s+){0,3}?(systems?|software|tools?|programs?|platforms?|apps?|"
                            r"certifications?|certificates?|credentials?|standards?|organi[sz]ations?|associations?|"
                            r"employers?|companies|brands?|schools?|courses?|websites?|sites?)\b", re.I)
# Names listed one after another ("Alma, Koha and Polaris"), unlike a title in capitals.
LISTED_NAME = re.compile(r"\b[A-Z][\w+-]*(?=(?:,|,? and|,? or) [A-Z])")


def wants_names(question: str) -> bool:
    return bool(NAMES_QUESTION.search(question)) and not wants_figure(question)


def proper_names(sentence: str) -> int:
    """How many names the sentence lists ("Alma, Koha and Polaris": 3)."""
    listed = len(LISTED_NAME.findall(sentence))
    return listed + 1 if listed else 0


def list_items(text: str) -> list[str]:
    """The items of a Markdown list in an answer, without markup or citation markers."""
    items = [re.sub(r"\s*\[\d+\]", "", line[2:]).replace("**", "").strip()
             for line in text.splitlines() if line.startswith("- ")]
    return items[:12]
