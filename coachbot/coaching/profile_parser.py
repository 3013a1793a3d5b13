"""Rule-based understanding of what people say about themselves (no model needed).

"I have a GED and three years in retail" -> education GED; experience 3 years retail.
Each reader takes free text and returns what it found, or None; `read_statement` runs them
all over a chat message. Words for the guide's own things (skills, specializations, library
types) come from pathway.yaml through `Names`; the rest of the language lives here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import NUMBER_WORDS as WRITTEN_NUMBERS
from .places import Place, find_place

NUMBER_WORDS = {**WRITTEN_NUMBERS, "a": 1, "an": 1, "couple of": 2, "a couple of": 2, "several": 3, "a few": 2}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True)) + r")"
# A negation word with no sentence break or "but" between it and the word it governs.
NEGATION = re.compile(r"\b(no|not|never|without|don't|dont|do not|didn't|haven't|have not|lack|zero)\b"
                      r"(?:(?!\bbut\b)[^.,;])*$")

# Education: (level, library-specific?, label) for phrases, highest level wins.
LEVELS = ["none", "high_school", "certificate", "associate", "bachelor", "master"]
_DEGREE_FIELD = (r"(?:\s+(?:degree|diploma))?(?:\s+(?:in|of)\s+(?P<field>library and information (?:science|studies)|"
                 r"[a-z][a-z &/-]{1,40}?)(?=$|[,.;!?)]|\s+(?:and|but|with|from|plus|at|i|so|because)\b))?")
EDUCATION_PATTERNS: list[tuple[str, str]] = [
    ("none", r"\b(?:no|without|never (?:got|finished|completed)|didn'?t (?:finish|complete|get)|dropped out of)"
             r"\s+(?:a\s+|my\s+)?(?:(?:high school|hs|secondary school)(?:\s+diploma)?|diploma|ged)\b"),
    ("none", r"\bno (?:formal )?(?:education|schooling|diploma)\b|\bhigh school dropout\b|^\s*(?:none|nothing)\s*\.?\s*$"),
    # Still at school: the diploma is ahead of them.
    ("none", r"\b(?:(?:high school|hs|secondary school|high-school) (?:student|junior|senior|sophomore|freshman)|"
             r"(?:still |currently )?in (?:high school|secondary school|(?:9th|10th|11th|12th) grade)|"
             r"(?:junior|senior|sophomore|freshman) (?:in|at) high school)\b"),
    ("high_school", r"\b(?:no|without(?: a)?|don'?t have (?:a|any)|never (?:got|earned) (?:a|any)) (?:college )?degree\b"),
    ("high_school", r"\bhigh school\b|\bhs diploma\b|\bged\b|\bsecondary school\b|\bsome college\b|\bdiploma\b|\bhigh-school\b"),
    ("certificate", r"\b(?:lssc|library support staff certification)\b"),
    ("certificate", r"\bcertificat(?:e|ion)\b(?:\s+(?:in|program)\s+(?P<field>[a-z][a-z &/-]{1,40}?))?(?=$|[,.;!?]| and | from )"),
    # "sales associate" is a job, not a degree.
    ("associate", r"(?<!sales )(?<!store )(?<!retail )(?<!library )(?<!team )\bassociate'?s?\b" + _DEGREE_FIELD),
    ("associate", r"\b(?:two-year|2-year|community college) degree\b"),
    ("bachelor", r"\bbachelor'?s?\b" + _DEGREE_FIELD),
    ("bachelor", r"\b(?:college|university|undergraduate|four-year|4-year) degree\b" + _DEGREE_FIELD),
    ("master", r"\bmaster'?s?\b" + _DEGREE_FIELD),
    ("master", r"\b(?:graduate degree|phd|ph\.d\.?|doctorate|mba)\b"),
    ("master", r"\b(?:mlis|mls|mlibsci)\b"),
]
# "a degree in marketing", "a library science degree": a degree whose level is not named.
GENERIC_DEGREE = [("associate", r"\b(?:library science|library technology|lis|library) degree\b"),
                  ("bachelor", r"\bdegree\b" + _DEGREE_FIELD)]


def _acronyms(names: str) -> str:
    # Only as a degree: "a BA", "BA in History", or the whole answer; "Boston, MA" is a state.
    return (rf"(?:^\s*|\ban?\s+|\bmy\s+)(?:{names})(?=\s*$|\s+(?:in|degree)\b|[,.;])|"
            rf"\b(?:{names})(?=\s+(?:in|degree)\b)")


EDUCATION_ACRONYMS = [("associate", _acronyms(r"AA|AS|AAS")), ("bachelor", _acronyms(r"BA|BS|BSc|B\.A\.|B\.S\.")),
                      ("master", _acronyms(r"MA|MS|MSc|M\.A\.|M\.S\."))]
LEVEL_LABEL = {"none": "no high school diploma", "high_school": "high school diploma", "certificate": "certificate",
               "associate": "associate's degree", "bachelor": "bachelor's degree", "master": "master's degree"}
LIBRARY_FIELD = re.compile(r"\b(librar\w*|lis|information science|information studies|mlis|mls|lssc|"
                           r"library support staff)\b")

# Kinds of past work (keys of `backgrounds` in pathway.yaml) and the words that name them.
BACKGROUND_WORDS: dict[str, list[str]] = {
    "library": ["library technical assistant", "library technician", "library tech", "lta", "library assistant",
                "library aide", "library clerk", "library page", "library associate", "circulation desk",
                "circulation assistant", "library", "libraries", "librarian", "library staff"],
    "customer_service": ["customer service", "customer support", "barista", "call center", "call centre",
                         "waiter", "waitress", "server", "hospitality", "front desk", "receptionist", "restaurant",
                         "hotel", "bartender", "food service", "fast food", "coffee shop", "starbucks",
                         "mcdonald's", "customer-facing", "client service", "call-center"],
    "retail": ["retail", "cashier", "sales associate", "store", "shop", "grocery", "supermarket", "sales", "walmart",
               "target store", "costco", "bookstore", "book store"],
    "admin": ["administrative", "admin", "office assistant", "office manager", "office work", "secretary",
              "clerical", "office", "administration", "executive assistant"],
    "data_entry": ["data entry", "data management", "records clerk", "bookkeeping", "database"],
    "it": ["it support", "tech support", "technical support", "help desk", "helpdesk", "information technology",
           "computer technician", "sysadmin", "system administrator", "network technician", "software"],
    "teaching": ["teacher", "teaching", "tutor", "tutoring", "classroom aide", "paraprofessional",
                 "teaching assistant", "education assistant"],
    "archives": ["archive", "archives", "archivist", "museum", "records management"],
}
_IT_ACRONYM = re.compile(r"\b(?:in|as|at|of) IT\b|\bIT (?:support|department|job|work|help ?desk|technician)\b")
VOLUNTEER = re.compile(r"\b(volunteer\w*|intern\w*|practicum)\b")
NO_EXPERIENCE = re.compile(r"^\s*(none|nothing|no|zero|n/a)(\s+yet)?\s*[.!]?\s*$|\bno (?:work |job |relevant |real )?experience\b|"
                           r"\bnever (?:had a job|worked)\b|\bhaven'?t worked\b")
YEARS = re.compile(r"\b" + _NUM + r"\+?\s*(?:or more\s+|plus\s+)?(years?|yrs?|months?|decades?)\b(?!\s+old)", re.I)

MONEY = [
    re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k\b|thousand\b)?", re.I),
    re.compile(r"\b(\d[\d,]*(?:\.\d+)?)\s*(k\b|thousand\b)?\s*(?:dollars|usd|bucks)\b", re.I),
    re.compile(r"\bbudget\s+(?:is|of|around|about|:)?\s*(?:around|about)?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", re.I),
]
NO_MONEY = re.compile(r"\b(no money|no budget|nothing|can'?t afford|cannot afford|zero|broke|free only|"
                      r"only free|none)\b", re.I)
HOURS = re.compile(r"\b" + _NUM + r"\s*(?:hours?|hrs?|h)\s*(?:a|per|/|each|every)?\s*(?:week|wk)\b", re.I)
BARE_NUMBER = re.compile(r"^\s*(?:about|around|roughly|maybe|~)?\s*\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k)?\b", re.I)

# Words that say the person has (or lacks) the education or the work they name.
HAS_EDUCATION = re.compile(r"\b(i (?:(?:only|just|already|also|still|now) )?(?:have|hold|earned|got|finished|completed|graduated|studied|dropped|did|never|didn'?t|"
                           r"don'?t|am|'m)|i've|i'm a graduate|my (?:highest |)(?:education|degree|diploma|qualification)|"
                           r"education (?:is|:)|with an? |degree in|diploma in)", re.I)
HAS_WORKED = re.compile(r"\b(i (?:work|worked|have worked|used to work|was|am|volunteer|volunteered|interned|have been|"
                        r"spent|did|do|have no|have never|never|haven'?t)|i'?ve (?:been|worked|spent|done|volunteered)|"
                        r"i'm an? |i am an? |years?|months?|decades?|my (?:job|work|experience|background)|"
                        r"experience (?:is|in|as|:)|no (?:work )?experience)\b", re.I)
SKILL_CUE = re.compile(r"\b(i know|i can|i use|i've used|i have used|experience with|skilled in|familiar with|"
                       r"good at|proficient|i've worked with|i worked with|skills?:|my skills)\b", re.I)
GOAL_CUE = re.compile(r"\b(?:i(?: want| would like|'d like| hope| plan| aim| wish)|i'd love|i'm (?:aiming|hoping|looking)|"
                      r"i am (?:aiming|hoping|looking)|my goal is|my dream is|goal:)\s*(?:is\s+)?(?:to\s+|for\s+)?"
                      r"(?P<goal>[^.;!?]{3,200})", re.I)
LEVEL_WORDS = {"lead": re.compile(r"\b(lead|leadership|head|supervisor|supervisory|supervise|manager|manage a team|"
                                  r"team leader|in charge)\b"),
               "senior": re.compile(r"\b(senior|sr\.?|advance|promotion|promoted|move up|next level)\b"),
               "entry": re.compile(r"\b(first job|get hired|entry[- ]level|start|get a job|get into|break into|"
                                   r"become an? (?:lta|library technical assistant))\b")}
LIBRARIAN = re.compile(r"\blibrarian\b(?! assistant)|\bmlis\b|\bmls\b")
TECHNICAL = re.compile(r"\btechnical\b(?!\s+(?:assistant|library assistant))|\btech(?:nical)? services\b|"
                       r"\bback[- ]office\b|\bbehind the scenes\b")
ASSISTANT = re.compile(r"\b(assistant|technician|lta|tech)\b")


@dataclass(frozen=True)
class Education:
    level: str  # one of LEVELS
    library: bool  # in a library field (library technology, LIS, LSSC, MLIS...)
    label: str  # what to write back: "GED", "associate's degree in library technology"


@dataclass(frozen=True)
class Experience:
    years: float | None
    kinds: tuple[str, ...]  # background kinds
    phrase: str  # the words naming the work: "retail", "barista"
    text: str  # how to write it back: "3 years retail"


@dataclass(frozen=True)
class Goal:
    library_type: str | None = None
    level: str | None = None  # entry | senior | lead
    specialization: str | None = None
    librarian: bool = False
    technical: bool = False  # technical services or technical work ("a technical role"), not the job's name


@dataclass
class Names:
    """The guide's things a person may name, from pathway.yaml: kind -> id -> words."""
    skills: dict[str, list[str]] = field(default_factory=dict)
    specializations: dict[str, list[str]] = field(default_factory=dict)
    library_types: dict[str, list[str]] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)  # a place with pay figures -> its region key


@dataclass
class Background:
    """Where a person stands: what a profile holds and what one message may say."""
    education: Education | None = None
    experience: list[Experience] = field(default_factory=list)
    no_experience: bool = False
    place: Place | None = None


@dataclass
class Statement(Background):
    """Everything one message says about the person; empty fields were not said."""
    goal: str | None = None
    budget_usd: float | None = None
    hours_per_week: float | None = None
    skills: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.education or self.experience or self.no_experience or self.place or self.goal
                    or self.budget_usd is not None or self.hours_per_week is not None or self.skills)


def _word_pattern(words: list[str]) -> re.Pattern:
    alternatives = sorted({w.lower() for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in alternatives) + r")(?![\w-])")


def _number(word: str) -> float:
    word = word.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def _clean(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


class ProfileParser:
    def __init__(self, names: Names):
        self.names = names
        self._skills = {sid: _word_pattern(words) for sid, words in names.skills.items()}
        self._specializations = {sid: _word_pattern(w) for sid, w in names.specializations.items()}
        self._library_types = {sid: _word_pattern(w) for sid, w in names.library_types.items()}
        self._backgrounds = {kind: _word_pattern(words) for kind, words in BACKGROUND_WORDS.items()}

    # --- education ---
    def education(self, text: str) -> Education | None:
        text = _clean(text)
        lowered = text.lower()
        found: list[tuple[int, str, str | None, str]] = []
        denied: list[tuple[int, int]] = []  # spans saying what the person does not have
        for level, pattern in EDUCATION_PATTERNS:
            for match in re.finditer(pattern, lowered):
                if any(a < match.end() and match.start() < b for a, b in denied):
                    continue  # "no high school diploma" is not a diploma
                if level == "none" or (level == "high_school"
                                       and re.match(r"(no|without|don|never|didn|dropped)", match.group(0))):
                    denied.append(match.span())
                fld = match.groupdict().get("field")
                if fld and len(lowered) == len(text):  # the field as the person wrote it ("English")
                    fld = text[match.start("field"):match.end("field")]
                found.append((LEVELS.index(level), level, fld, match.group(0)))
        for level, pattern in EDUCATION_ACRONYMS:
            for match in re.finditer(pattern, text):
                found.append((LEVELS.index(level), level, None, match.group(0).strip()))
        if not any(f[1] in ("certificate", "associate", "bachelor", "master") for f in found):
            for level, pattern in GENERIC_DEGREE:
                generic = re.search(pattern, lowered)
                if generic and not any(a < generic.end() and generic.start() < b for a, b in denied):
                    fld = generic.groupdict().get("field")
                    found.append((LEVELS.index(level), level, fld, generic.group(0)))
                    break
        if not found:
            return None
        # The highest level named wins; among equals, the one that names a field.
        _, level, fld, words = max(found, key=lambda f: (f[0], f[2] is not None))
        library = bool(LIBRARY_FIELD.search((fld or "").lower()) or LIBRARY_FIELD.search(words)) or (
            level in ("certificate", "associate") and bool(LIBRARY_FIELD.search(lowered)))
        return Education(level, library, self._education_label(level, fld, words))

    @staticmethod
    def _education_label(level: str, fld: str | None, words: str) -> str:
        if level == "none" and re.search(r"student|junior|senior|sophomore|freshman|grade|\bin (?:high|secondary)", words):
            return "still in high school"
        if level == "high_school":
            if "ged" in words:
                return "GED"
            if "some college" in words:
                return "some college"
            if "degree" in words:
                return "no college degree"
        if level == "certificate" and ("lssc" in words or "support staff" in words):
            return "Library Support Staff Certification (LSSC)"
        if level == "master" and re.search(r"\b(mlis|mls)\b", words):
            return words.upper()
        if level == "master" and re.search(r"\b(phd|ph\.d|doctorate)", words):
            return "doctorate"
        if words.startswith("degree") or (level == "associate" and re.match(r"(library|lis)\b", words)):
            return f"degree in {fld.strip()}" if fld else words  # a degree whose level was not named
        label = LEVEL_LABEL[level]
        return f"{label} in {fld.strip()}" if fld else label

    # --- experience ---
    def experience(self, text: str) -> tuple[list[Experience], bool]:
        """The kinds of work and years named, clause by clause; and whether the text says "none"."""
        text = _clean(text)
        items: list[Experience] = []
        for clause in re.split(r"[;.\n]|,|\band\b|\bplus\b|\bthen\b|\bbut\b", text):
            item = self._experience_clause(clause)
            if item:
                items.append(item)
            elif items and items[-1].years is None and (years := YEARS.search(clause)):
                # "I work in retail, 4 years now": the years belong to the work just named.
                items[-1] = _with_years(items[-1], years)
        # "3 years in retail, mostly as a cashier": the second clause adds nothing new.
        dated = {kind for item in items if item.years is not None for kind in item.kinds}
        items = [i for i in items if i.years is not None or not set(i.kinds) <= dated]
        none = not items and bool(NO_EXPERIENCE.search(text.lower()))
        return items, none

    def _experience_clause(self, clause: str) -> Experience | None:
        lowered = clause.lower()
        kinds: list[str] = []
        phrase = ""
        for kind, pattern in self._backgrounds.items():
            match = pattern.search(lowered)
            if match and not _negated(lowered, match.start()):
                kinds.append(kind)
                phrase = phrase or clause[match.start(1):match.end(1)]
        if _IT_ACRONYM.search(clause):
            kinds.append("it")
            phrase = phrase or "IT"
        if "library" in kinds and VOLUNTEER.search(lowered):
            kinds[kinds.index("library")] = "library_volunteer"
            phrase = "library volunteering"
        years_match = YEARS.search(clause)
        if not kinds:
            return None
        item = Experience(None, tuple(dict.fromkeys(kinds)), phrase, phrase)
        return _with_years(item, years_match) if years_match else item

    # --- money, time, place ---
    @staticmethod
    def budget(text: str, bare: bool = False) -> float | None:
        for pattern in MONEY:
            match = pattern.search(text)
            if match:
                return _money(match.group(1), match.group(2))
        if bare:
            match = BARE_NUMBER.match(text)
            if match:
                return _money(match.group(1), match.group(2))
            if NO_MONEY.search(text):
                return 0.0
        elif re.search(r"\b(no money|no budget|can'?t afford anything)\b", text, re.I):
            return 0.0
        return None

    @staticmethod
    def hours(text: str, bare: bool = False) -> float | None:
        match = HOURS.search(text)
        if match:
            return _number(match.group(1))
        if bare:
            match = BARE_NUMBER.match(text)
            if match and not match.group(2):
                return float(match.group(1).replace(",", ""))
        return None

    def place(self, text: str) -> Place | None:
        return find_place(text, self.names.regions)

    # --- goals and skills ---
    def goal(self, text: str) -> Goal:
        lowered = _clean(text).lower()
        library_type = next((t for t, p in self._library_types.items() if p.search(lowered)), None)
        specialization = next((s for s, p in self._specializations.items() if p.search(lowered)), None)
        level = next((lvl for lvl, p in LEVEL_WORDS.items() if p.search(lowered)), None)
        librarian = bool(LIBRARIAN.search(lowered)) and not ASSISTANT.search(lowered)
        technical = bool(TECHNICAL.search(lowered))
        return Goal(library_type, level, specialization, librarian, technical)

    @staticmethod
    def goal_statement(text: str) -> str | None:
        """The goal a chat message states ("I want to work in a school library"), as its own words."""
        match = GOAL_CUE.search(_clean(text))
        return match.group("goal").strip() if match else None

    def skills(self, text: str) -> list[str]:
        """Ids of the guide's skills the text names (not negated), in the guide's order."""
        lowered = _clean(text).lower()
        found = []
        for sid, pattern in self._skills.items():
            for match in pattern.finditer(lowered):
                if not _negated(lowered, match.start()):
                    found.append(sid)
                    break
        return found

    def skill_words(self, text: str) -> list[str]:
        """The words the text uses for skills, as the person wrote them ("Koha", "Excel")."""
        words = []
        for pattern in self._skills.values():
            for match in pattern.finditer(_clean(text).lower()):
                if not _negated(text.lower(), match.start()):
                    start, end = match.span(1)
                    words.append(_clean(text)[start:end])
        return list(dict.fromkeys(words))

    # --- a whole chat message ---
    def read_statement(self, text: str, answering: str | None = None) -> Statement:
        """Facts a chat message states about the person.

        Outside an answer to a question, education and experience count only with words that
        say the person has them ("I have a GED", "three years in retail"), so "tell me about
        the LSSC" or "I'm curious about library work" state nothing. `answering` names the
        profile field the message answers, which needs no such words ("GED")."""
        statement = Statement()
        statement.goal = self.goal_statement(text)
        statement.place = self.place(text)
        if statement.goal:  # "I want to work in a library" names a wish, not experience or skills
            text = text.replace(statement.goal, " ")
        if answering == "education" or HAS_EDUCATION.search(text):
            statement.education = self.education(text)
        if answering == "experience" or HAS_WORKED.search(text):
            statement.experience, statement.no_experience = self.experience(text)
        # A degree in library science is education, not library work experience.
        if statement.education and statement.education.library:
            statement.experience = [e for e in statement.experience if e.years is not None or "library" not in e.kinds]
        statement.budget_usd = self.budget(text, bare=answering == "budget_usd")
        statement.hours_per_week = self.hours(text, bare=answering == "hours_per_week")
        if answering == "skills" or SKILL_CUE.search(text):
            statement.skills = self.skill_words(text)
        return statement


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 30):start]
    return bool(NEGATION.search(window))


def _with_years(item: Experience, match: re.Match) -> Experience:
    years = _number(match.group(1))
    unit = match.group(2).lower()
    if unit.startswith("month"):
        years = round(years / 12, 2)
    elif unit.startswith("decade"):
        years *= 10
    return Experience(years, item.kinds, item.phrase, f"{_amount(match)} {item.phrase}")


def _amount(match: re.Match) -> str:
    value = _number(match.group(1))
    unit = match.group(2).lower().rstrip("s")
    unit = {"yr": "year", "month": "month", "decade": "decade"}.get(unit, "year")
    shown = int(value) if value == int(value) else value
    return f"{shown} {unit}" + ("" if value == 1 else "s")


def _money(digits: str, thousands: str | None) -> float:
    value = float(digits.replace(",", ""))
    return value * 1000 if thousands else value
