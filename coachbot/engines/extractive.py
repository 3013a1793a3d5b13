"""The built-in engine: answers with the guide's own sentences, each cited. No model, no network."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Generator
from dataclasses import replace
from functools import lru_cache

from ..knowledge import Hit, Passage, SearchIndex
from ..knowledge.loader import OVERVIEW
from ..knowledge.units import Unit
from ..knowledge.vocabulary import WORD, normalise
from ..text import (
    CALENDAR_DAYS,
    CENTRAL_FIGURE,
    DAYS,
    DURATION,
    FIGURE,
    HEADS_LIMITS,
    MONEY,
    NUMBER_WORDS,
    STATES_LIMITS,
    YES_NO,
    about_amounts,
    asking_part,
    asks_central_figure,
    asks_permission,
    asks_worth,
    compared_figures,
    figure_types,
    first_amount,
    list_items,
    listed_things,
    needed_thing,
    proper_names,
    split_sentences,
    superlative,
    trim_quote,
    wants_figure,
    wants_list,
    wants_names,
)
from .base import Answer, Citation, Event, Question, answer_events

# "which one ...", "which of them ...": a question of the items of the list just given.
WHICH_OF_THEM = re.compile(r"^\W*(?:(?:and|so|ok|okay)\s+)?which\s+(?:one|ones|of (?:them|those|these|the\s+\w+))\b")
# ... answered from an item's own section (its heading and the item's name share this share of
# their words) by a sentence that says this share (by rarity) of the words asked.
OWN_SECTION = 0.6
ITEM_SAYS = 0.6

# The kinds of figure a sentence may state, and a question ask for.
FIGURE_KINDS = (MONEY, DURATION, FIGURE, CENTRAL_FIGURE)
# A sentence saying something is not needed ("is not typically required", "needs no degree").
NOT_NEEDED = re.compile(r"\bnot\s+(?:\w+ly\s+)?(?:required|needed|necessary|mandatory)\b|\bneeds?\s+no\b"
                        r"|\b(?:do|does)\s+not\s+need\b|\bno\s+(?:[\w'-]+\s+){0,2}(?:is\s+)?(?:required|needed|necessary)\b")
CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|while|although|whereas)\b")
# A sentence that opens on a word standing for something said before it ("It is the best-paid ...").
LEANS_BACK = re.compile(r"(?:It|Its|They|Their|This|These|That|Those|He|She)\b")
# Two things weighed against each other: the words either side of "or" / "vs".
COMPARED = re.compile(r"\b(?:or|vs\.?|versus)\s")
# A side of a comparison is a short phrase ("an emergency hospital", "school nurse"): this many words at most.
SIDE_WORDS = 3
PAIR = re.compile(r"\b(\w+)\s+(and|or|vs\.?|versus)\s+(\w+)\b")
WH_WORD = re.compile(r"\b(why|how|what|when|where|who|which)\b")
# A question asking for the things themselves: "what new specializations are there?", "list the ...".
ENUMERATES = re.compile(r"^\W*(?:what|which|list|name|give me)\b")
# "why?", "how come?", "why is that": the reason for what was just said.
ASKS_WHY = re.compile(r"^\W*(?:but\s+|and\s+|ok\s+)?(?:why|how come|why is that|why so|how so)\W*$")
WHY_QUESTION = re.compile(r"^\W*(?:but\s+|and\s+|ok\s+|so\s+)?(?:why|how come)\b")
GIVES_REASON = re.compile(r"\b(?:because|since|due to|as a result|thanks to|driven by|which means|that is why|this is why)\b",
                          re.I)
# A page introduction this short only leads into its sections.
OVERVIEW_ONLY_LEAD = 2
# Asking for more of the same: the answer leaves out what the last one said.
MORE = re.compile(r"^\W*(?:ok\W+|and\W+)?(?:tell me more|more|go on|what else|anything else|continue|keep going|"
                  r"more details?|elaborate|say more|and\??|what more)\W*$", re.I)
# A sentence naming things answers a "which systems" question: this much more.
NAMES_BONUS = 5.0
# A section whose heading says what was asked leads if retrieval scored it this close to the best.
HEADING_RUNNER_UP = 0.7
# A unit stating the asked kind of figure answers a how-much question if it scores this share of the best.
FIGURE_RUNNER_UP = 0.3
# A sentence saying an asked idea in other words than those asked counts this share of their weight.
IDEA_SHARE = 1.0
# "Which is cheapest": the figures compared are those of this many of the best sections.
EXTREME_SECTIONS = 3
LONE_VERDICT = re.compile(r"^(?:Yes|No)\.\s+")
# A sentence that says the top or the bottom of what it speaks of.
SAYS_MOST = re.compile(r"\b(?:is|are)\s+(?:the\s+)?(?:highest|most|greatest|largest|best)\b", re.I)
SAYS_LEAST = re.compile(r"\b(?:is|are)\s+(?:the\s+)?(?:lowest|least|smallest|cheapest|quickest|fastest|shortest)\b", re.I)
# A typical figure answers a plain how-much question this much more than one of a range's ends.
CENTRAL_BONUS = 1.5
# A heading word counts for every sentence under it, at this share of its weight. (The full weight
# won on the development guides, +4, and lost on the held-out guides and test halves, -6.)
HEADING_SHARE = 0.5
# How much a sentence's meaning in common with the question weighs against its shared words.
UNIT_MEANING_WEIGHT = 3.0
# A sentence counts as much as its passage was found: score times (passage score / best) ** this.
PASSAGE_WEIGHT_POWER = 1.0
TOP_PASSAGE_ADVANTAGE = 0.1
# In a follow-up joined to the last question, the words just typed count this many times more.
JUST_TYPED = 2.0
# Sentences are taken from this many of the passages retrieval found.
RETRIEVED = 5
SERIES_HEADING = re.compile(r"^([A-Za-z]+) \d+\b")
MAX_UNITS = 6
# A sentence joins the best one when it scores at least this share of it (from the same passage, or
# from one other passage): a second passage often holds the figure or name the first only leads to.
SAME_PASSAGE_SHARE = 0.5
OTHER_PASSAGE_SHARE = 0.6
# A question that names no place is seldom asked of a sentence about another country: its score counts this much.
OTHER_PLACE_SHARE = 0.7
# ... and one asking for no part of a range is answered by the guide's own country's figure: this much more.
HOME_PLACE_SHARE = 1.35
LIST_RUNNER_UP = 0.7
MAX_BULLETS = 8
# A list item is named by its first words, at most this many.
ITEM_NAME_WORDS = 6
# Answers people can read: about this many words of prose at most (lists may run longer) ...
MAX_WORDS = 120
# ... and at least this many when the passage has them: one short sentence seldom answers.
MIN_WORDS = 80
# ... and a sentence whose words are mostly in one already said says nothing new.
SAME_SENTENCE = 0.8


class ExtractiveEngine:
    name = "extractive"

    def __init__(self, index: SearchIndex):
        self.index = index
        self.vocabulary = index.vocabulary
        self._units = index.units
        self._heading_terms = index.heading_terms
        # Conversational words ("work", "regular") do not tell one side of a comparison from the other.
        self._filler_terms = set(index.tokenize(" ".join(self.vocabulary.filler_words)))
        # ... nor, with counts, does "a four-year degree" say of anything but a degree.
        self._qualifier_terms = self._filler_terms | set(index.tokenize(" ".join(NUMBER_WORDS)))
        # The kinds of figure each unit states (money, a duration, any number, a typical one), read once.
        self._figures = {(u.passage.id, u.position): frozenset(f for f in FIGURE_KINDS if f.search(u.text))
                         for units in index.units.values() for u in units}
        self._names: dict[tuple[str, int], int] = {}  # names of things each unit states, counted when first asked
        # Whether each unit names a place other than the guide's own, and whether it names the guide's own.
        self._other_place = {key: index.names_other_place(named) for key, named in index.unit_entities.items()}
        self._home_place = {key: any(e.canonical == index.home_place for e in named)
                            for key, named in index.unit_entities.items()}

    def stream(self, question: Question) -> Generator[Event, None, None]:
        yield from answer_events(self.answer(question))

    def answer(self, question: Question, suggestions: list[str] | None = None) -> Answer:
        chosen = self.readable(self._with_antecedent(self._figure_first(self.choose(question), question)), question)
        text, citations = render(chosen)
        if not YES_NO.match(self.vocabulary.plain(question.message)):
            # A passage answering another, yes-or-no question opens "No. Opticians cannot ...": asked
            # "what can't opticians do?", the plain no is no answer.
            text = LONE_VERDICT.sub("", text, count=1)
        if self._says_not_needed(question, chosen):
            text = f"No. {text}"  # the plain answer first, then the guide's words for it
        return Answer(text, citations, suggestions or [], in_scope=True, engine=self.name)

    def _says_not_needed(self, question: Question, units: list[Unit]) -> bool:
        """Whether a "do I need X?" question is answered by an opening sentence saying X itself is
        not required: X is what the clause says it of, not something narrower ("a bachelor's
        degree" is not "a degree", though "a four-year bachelor's degree" is "a bachelor's") nor
        something beside it ("X is not required, but Y is" says nothing of Y)."""
        asked = self.vocabulary.plain(question.message)
        needed = needed_thing(asked)
        thing = set(self.index.tokenize(needed))
        if not (YES_NO.match(asked) and thing and units) or units[0].is_bullet:
            return False
        # Besides the thing, only the name of its kind ("a bachelor's" is a degree) and words that
        # narrow nothing ("a four-year bachelor's degree").
        broader = set(self.index.tokenize(self.vocabulary.expand(needed))) | self._qualifier_terms
        for clause in CLAUSE_BREAK.split(units[0].text.lower()):
            negation = NOT_NEEDED.search(clause)
            said_of = set(self.index.tokenize(clause[:negation.start()])) if negation else set()
            if thing <= said_of and said_of - thing <= broader:
                return True
        return False

    def readable(self, units: list[Unit], question: Question) -> list[Unit]:
        """What was chosen, as people can read it: no sentence twice (nor two that say the same),
        nothing the last answer already said unless the question is asked again, and short."""
        previous = _previous_answer(question)
        # A sentence the question itself carries ("the first one" read as the item it points at) is
        # what is asked about, not a repeat; the rest of what was said is.
        asked_about = _plain(question.query)
        said = {s for s in previous if s not in asked_about}
        fresh = [u for u in units if _plain(u.text) not in said]
        opening = _plain(units[0].text) if units else ""
        repeats = opening in said  # it opens with what was just said
        if (self._asks_more(question) or (repeats and not self._asked_for(units[0], question))
                or (opening in previous and opening in asked_about)):
            # "Tell me more", or the very answer just given: say what is new; when all of it was said,
            # the sentences of it that say what was typed now ("how many volunteer hours?").
            units = fresh or self._answering_now(units, question) or units
        elif said:  # no sentence said twice running, unless it says what the message typed now asks of
            now = self._answering_now(units[1:], question)
            units = units[:1] + [u for u in units[1:] if _plain(u.text) not in said or u in now]
        kept: list[Unit] = []
        kept_terms: list[set[str]] = []
        words = 0
        for unit in units:
            terms = self.index.unit_terms.get((unit.passage.id, unit.position), set())
            if any(_overlap(terms, other) >= SAME_SENTENCE for other in kept_terms):
                continue
            length = len(unit.text.split())
            if kept and not unit.is_bullet and words + length > MAX_WORDS:
                break
            kept.append(unit)
            kept_terms.append(terms)
            words += length
        return kept

    def _answering_now(self, units: list[Unit], question: Question) -> list[Unit]:
        """The sentences that say a word of the message typed now, in any of its wordings."""
        typed = set(self.index.tokenize(self.vocabulary.expand(question.message))) - self._filler_terms
        return [u for u in units if typed & self._unit_terms(u)]

    def _asks_more(self, question: Question) -> bool:
        """"Tell me more", or a follow-up that names nothing ("why?", "how so?"): what the last
        answer did not say."""
        names_nothing = bool(question.history) and not self.index.tokenize(question.message)
        return bool(MORE.match(question.message)) or names_nothing

    def _figure_first(self, units: list[Unit], question: Question) -> list[Unit]:
        """A question of an amount ("how much is the associate's?") is answered first by the sentence
        of the opening passage that states one, when the opening sentence states none."""
        kinds = figure_types(self.vocabulary.plain(question.message))
        if not kinds or not units or units[0].is_bullet or self._states_figure(units[0], kinds):
            return units
        stating = [u for u in units if u.passage.id == units[0].passage.id and not u.is_bullet
                   and self._states_figure(u, kinds)]
        if not stating:
            return units
        # Of several, the one saying most of what was asked (by rarity); the first of equals.
        asked = set(self.index.query_terms(question.query))
        best = max(stating, key=lambda u: sum(self.index.idf.get(t, 0.0) for t in asked & self._unit_terms(u)))
        return [best, *(u for u in units if u is not best)]

    def _with_antecedent(self, units: list[Unit]) -> list[Unit]:
        """An answer opening on "It is the best-paid specialty" says first what "it" is: the sentence
        before it in its passage."""
        if not units or units[0].is_bullet or units[0].position == 0 or not LEANS_BACK.match(units[0].text):
            return units
        before = self._units[units[0].passage.id][units[0].position - 1]
        return [before, *(u for u in units if u is not before)]

    def _asked_for(self, unit: Unit, question: Question) -> bool:
        """Whether the message just typed asks for the figure this sentence states: the last answer
        said it in passing ("typically has 3-6 years"), or among others, and now it is the question
        ("how many years?", "which is the largest?")."""
        typed = self.vocabulary.plain(question.message)
        extreme = superlative(typed)
        if extreme is not None:  # "which is the largest?" of a list just given: the item it picks out
            return bool(extreme[0].search(unit.text))
        kinds = figure_types(typed)
        return bool(kinds) and wants_figure(typed) and self._states_figure(unit, kinds)

    # -- choosing what to say -------------------------------------------------------------
    def choose(self, question: Question) -> list[Unit]:
        hits = question.hits
        if not hits:
            return []
        top = hits[0].passage
        close = [h.passage for h in hits[1:3] if h.score >= HEADING_RUNNER_UP * hits[0].score]
        # After "what are the pros?", "and the cons?" asks for the section headed with its own word.
        says_typed = [p for p in close if self._heading_says_typed(p, question)]
        titled = next((p for p in says_typed + close if self._heading_answers(p, question)), None)
        if titled is None and not self._heading_says_typed(top, question):
            titled = next(iter(says_typed), None)
        if titled is None and top.section == OVERVIEW:  # a page's introduction leads into the section asked for
            titled = next((h.passage for h in hits[1:4] if h.passage.doc_id == top.doc_id
                           and self._heading_says_typed(h.passage, question)), None)
        if titled is not None and not self._heading_answers(top, question):
            top = titled  # a near-equal section whose heading says what was asked ("Salary by experience level")
            hits = [h for h in hits if h.passage is titled] + [h for h in hits if h.passage is not titled]
            question = replace(question, hits=hits)
        query = self.vocabulary.expand(question.query)  # plain words in the guide's terms
        asked = self.vocabulary.plain(question.query)  # as asked, chat spellings written out ("hw much")
        asks_figure = wants_figure(asked)  # not the expansion, which adds words
        # A list asked for, in words typed or the guide's for them; not when a figure is what is asked
        # ("how long until the specializations go mainstream", "what does the senior level pay": "levels"
        # is the guide's word for it), unless the things themselves are ("what are the levels' salaries").
        asks_list = wants_list(query) and (not asks_figure or bool(ENUMERATES.match(asked)))
        names_wanted = wants_names(asked)  # "which systems": the answer names them
        names_missing = names_wanted and not self._names_listed(top)
        # A comparison, "pros and cons" or a "which is cheapest" is read off what was typed now, not
        # off an earlier question a follow-up was joined to (nor the list item "the first one" is).
        typed = self.vocabulary.plain(question.message)
        both = self._both_sides(typed, hits)
        if not both and asks_worth(typed):  # "is it worth it?", read as its pros and cons: both lists
            both = self._both_sides(question.query, hits)
        if both:
            return both
        scored: list[tuple[float, Unit]] | None = None
        sides = self._sides(typed)
        if sides:
            scored = self._score_units(question)
            compared = self._compared(sides, asked, question.hits, [u for _, u in scored])
            if compared:
                return compared
        extreme = self._extreme(typed, hits, question)
        if extreme is not None:
            # "which is cheapest?": the sentence whose figure is the lowest (or highest) of those found.
            return [extreme, *self._support(extreme, [extreme], self.vocabulary.entities(question.query))]
        if question.history and WHY_QUESTION.match(typed):
            # "why?" after an answer: the sentences of its section that give a reason, said again if
            # need be; a why-question of its own ("why are firms handing them more work?") gets the
            # reason of the best sections it is most like. A bare "why?" of a section that gives none
            # gets the rest of it, which explains its opening, rather than another topic.
            bare = bool(ASKS_WHY.match(typed))
            reasons = [u for p in ([top] if bare else [h.passage for h in hits[:3]]) for u in self._units[p.id]
                       if not u.is_bullet and GIVES_REASON.search(u.text)]
            if not bare:
                scored = self._score_units(question)
                order = {(u.passage.id, u.position): i for i, (_, u) in enumerate(scored)}
                reasons.sort(key=lambda u: order.get((u.passage.id, u.position), len(order)))
            if reasons:
                return reasons[:2]
            if bare and len(self._units[top.id]) > 1:
                return self._units[top.id][1:MAX_UNITS]
        item = self._item_saying(typed, question)
        if item is not None:
            # "which one is only in the summer?" after a list: the item whose own section says so.
            return [item, *self._support(item, [item], [])][:2]
        limits = self._saying_limits(typed, hits)
        if limits is not None:
            # "can vet techs do surgery?": the passage saying what they may not do, as it says it.
            return self._list_from(limits) or self._units[limits.id][:MAX_UNITS]
        listing = self._listing_section(top, question) if asks_list and not self._has_list(top) else None
        if listing is not None and ENUMERATES.match(asked):
            # "what new specializations are there": the page's own list of them ("The five specializations,
            # in brief"), before a section headed with them that lists none ("Risk and reward of ...").
            return self._list_from(listing)
        if (self._heading_answers(top, question) and not names_missing
                and (not asks_figure or self._lists_figures(top, figure_types(asked)))):
            # The section is about just what was asked: say the whole section (its list, if it has one).
            return self._list_from(top) or self._units[top.id][:MAX_UNITS]
        if listing is not None:
            return self._list_from(listing)  # "do they list the new specializations?"
        if asks_list and not self._has_list(top):
            # A list question is best answered by a list: take a close runner-up that has one.
            listed = next((h.passage for h in hits[1:4]
                           if self._has_list(h.passage) and h.score >= LIST_RUNNER_UP * hits[0].score
                           and (not names_wanted or self._names_listed(h.passage))), None)
            if listed is not None:
                return self._list_from(listed)
        series = self._series(hits, question)
        if series and asks_list:
            return series
        page = top if top.section == OVERVIEW else self._page_listing(hits, question) if asks_list else None
        if (page is not None and len(self._units[page.id]) <= OVERVIEW_ONLY_LEAD
                and (asks_list or set(self.index.tokenize(page.doc_title)) & set(self.index.tokenize(question.query)))):
            # A page whose sections are the answer ("Blade repair", "High voltage" under
            # "Specializations"): their names and first sentences, as a list.
            sections = self._page_sections(page)
            if len(sections) >= 3:
                return sections
        if scored is None:
            scored = self._score_units(question)
        if not scored:
            # No sentence says what was asked; the section found by its heading does: its list, or its opening.
            return self._list_from(top) or self._units[top.id][:2]
        best_score, best = scored[0]
        rank = {h.passage.id: i for i, h in enumerate(hits)}
        kinds = figure_types(asked)
        answering = self._stating_figure(scored, kinds) if asks_figure else []
        if (answering and answering[0][1] is not best and not self._states_figure(best, kinds)
                and answering[0][0] >= best_score * FIGURE_RUNNER_UP):
            # A how-much question whose best sentence states no such figure: lead with one that does.
            best_score, best = answering[0]
            scored = [answering[0]] + [pair for pair in scored if pair[1] is not best]
        names_entity = bool(self.vocabulary.entities(question.query))
        if (best.is_bullet or asks_list or self._introduces_list(best)) and not names_entity:
            listing = best.passage if best.is_bullet or self._introduces_list(best) else top
            if listing is not top and self._has_list(top) and self._heading_says_all_matched(top, best, question):
                # "What's the career ladder?": a list item elsewhere saying "ladder" is no answer beside
                # the best-found section headed "The usual ladder", whose list says the levels.
                listing = top
            units = self._list_from(listing)
            if units:
                return units
        picked = [best]
        for score, unit in scored[1:]:
            if len(picked) >= 4:
                break
            same = unit.passage.id == best.passage.id
            if score >= best_score * (SAME_PASSAGE_SHARE if same else OTHER_PASSAGE_SHARE) and len({u.passage.id for u in picked} | {unit.passage.id}) <= 2:
                picked.append(unit)
        if asks_figure and not any(FIGURE.search(u.text) for u in picked):
            # A "how much / how many" question deserves a number when a close passage states one.
            with_figure = next(((sc, u) for sc, u in scored if FIGURE.search(u.text)), None)
            if with_figure and with_figure[0] >= best_score * 0.3:
                picked.append(with_figure[1])
        picked += self._support(best, picked, self.vocabulary.entities(question.query))
        rank[best.passage.id] = -1  # the answer opens with the passage of its best sentence
        return sorted(picked, key=lambda u: (rank.get(u.passage.id, 99), u.position))

    def _item_saying(self, typed: str, question: Question) -> Unit | None:
        """For "which one ...?" after a list, the sentence of an item's own section that says most
        of what was asked ("only in the summer": "blade techs often work long summer campaigns")."""
        items = list_items(_last_answer(question))
        if len(items) < 2 or not WHICH_OF_THEM.match(typed):
            return None
        # Each word asked, with the guide's words for it; said when any of them is.
        words = [w for w in WORD.findall(WHICH_OF_THEM.sub(" ", typed)) if self.index.tokenize(w)]
        asked = [(forms, max(self.index.idf.get(t, 0.0) for t in forms)) for w in words
                 if (forms := set(self.index.tokenize(self.vocabulary.expand(w))) - self._filler_terms)]
        total = sum(weight for _, weight in asked)
        # The items' own sections say most about them; items without one say it themselves
        # ("NCLE basic exam ... covers contact lens fitting").
        sections = self._own_sections(items, every=False)
        listed = {_plain(item) for item in items}
        candidates = ([u for section in sections for u in self._units[section.id]] if sections else
                      [u for h in question.hits for u in self._units[h.passage.id] if u.is_bullet and _plain(u.text) in listed])
        best: tuple[float, Unit] | None = None
        for unit in candidates:
            said = sum(weight for forms, weight in asked if forms & self._unit_terms(unit))
            if said >= ITEM_SAYS * total > 0 and (best is None or said > best[0]):
                best = (said, unit)
        return best[1] if best else None

    def _own_sections(self, items: list[str], every: bool = True) -> list[Passage]:
        """The sections of the items of a list just given, each headed with its item's name ("NHA's
        ExCPT"); with `every`, none unless each of two or more items has one."""
        found = []
        for item in items:
            name = _item_name(item)
            named = set(self.index.tokenize(name))
            found += [h.passage for h in self.index.search(name, k=1)
                      if len(named & (heading := self._heading_terms[h.passage.id])) >= OWN_SECTION * len(named | heading)]
        if every and (len(found) < 2 or len(found) < len(items)):
            return []
        return found

    def _saying_limits(self, typed: str, hits: list[Hit]) -> Passage | None:
        """For a question of what the career's people may do, a close passage that says what they
        may not (or may only) do, or, when no place or level is named (Ontario's own rules), one found
        further down headed with what they may not do."""
        if not asks_permission(typed, self.vocabulary.subject):
            return None
        close = next((h.passage for h in hits[:3] if h.score >= HEADING_RUNNER_UP * hits[0].score
                      and STATES_LIMITS.search(h.passage.text)), None)
        if close is not None or self.vocabulary.entities(typed):
            return close
        return next((h.passage for h in hits if HEADS_LIMITS.search(h.passage.heading)), None)

    def _support(self, best: Unit, picked: list[Unit], entities) -> list[Unit]:
        """A short answer is usually a topic sentence: the sentences after it in its passage
        say what it announces ("Some areas still offer strong demand." then which); failing
        those, the ones before it set it in context."""
        words = sum(len(u.text.split()) for u in picked)
        support: list[Unit] = []
        units = self._units[best.passage.id]
        # What follows first, then what led up to it (nearest first).
        for unit in units[best.position + 1:] + units[:best.position][::-1]:
            if words >= MIN_WORDS:
                break
            named = self.index.unit_entities[(unit.passage.id, unit.position)]
            about_other = bool(entities) and self._entity_bonus(named, entities) < 0  # Japan, asked of Latin America
            if unit not in picked and not about_other:
                support.append(unit)
                words += len(unit.text.split())
        return support

    def _stating_figure(self, scored: list[tuple[float, Unit]], kinds) -> list[tuple[float, Unit]]:
        """The scored units that state a figure of every kind asked for (any figure if none)."""
        return [(sc, u) for sc, u in scored if self._states_figure(u, kinds)]

    def _states_figure(self, unit: Unit, kinds) -> bool:
        """Whether the unit states a figure of every kind asked for (any figure if none)."""
        return (set(kinds) or {FIGURE}) <= self._figures[(unit.passage.id, unit.position)]

    def _score_units(self, question: Question) -> list[tuple[float, Unit]]:
        idf = self.index.idf
        typed = set(self.index.tokenize(question.query)) | set(self.index.place_terms(question.query))
        expanded = set(self.index.query_terms(question.query))
        weights = {t: idf.get(t, 0.0) for t in expanded | typed}
        asking = asking_part(question.message)
        if question.query != self.vocabulary.plain(question.message) or asking != question.message:
            # Resolved against the conversation (a follow-up joined to the last question): the words
            # typed just now say what is new. After a story, its question says what is asked.
            now = set(self.index.tokenize(asking))
            weights = {t: w * (JUST_TYPED if t in now else 1.0) for t, w in weights.items()}
        # An idea asked of also counts for a sentence that says it in another of its wordings
        # ("salary" is answered by "the median annual wage"), as its best word asked would.
        # A broad idea (said in most passages) weighs as little as it tells.
        ideas: dict[int, tuple[frozenset[str], float]] = {}
        for idea in self.vocabulary.ideas(question.query):
            asked_terms = frozenset(t for t in weights if t in self.index.idea_terms(idea))
            weight = max((weights[t] for t in asked_terms), default=0.0)
            ideas[idea] = (asked_terms, min(weight, self.index.idea_idf.get(idea, 0.0)))
        entities = self.vocabulary.entities(question.query)
        asked = self.vocabulary.plain(question.query)
        answer_types = figure_types(asked)
        central = asks_central_figure(asked) and not any(e.kind == "level" for e in entities)
        # A question naming no place, and no part of a range, is answered by the guide's own country's figure.
        home_wanted = not entities and (central or not answer_types)
        asks_names = wants_names(asked)
        top_score = question.hits[0].score or 1.0
        meaning = self.index.meaning(question.query)
        # "Tell me more" wants what the last answer did not say.
        said = _previous_answer(question) if self._asks_more(question) else set()
        scored = []
        for hit in question.hits[:RETRIEVED]:
            passage_weight = (hit.score / top_score) ** PASSAGE_WEIGHT_POWER
            if hit is question.hits[0]:
                passage_weight *= 1 + TOP_PASSAGE_ADVANTAGE  # retrieval weighed words, headings and meaning
            # A heading says what each sentence and list item under it is about ("Pharmacy informatics"
            # heads "It is the best-paid specialty"): its match counts for them without their repeating it.
            heading_terms = self._heading_terms[hit.passage.id]
            heading_score = HEADING_SHARE * sum(w for t, w in weights.items() if t in heading_terms)
            similarities = self.index.unit_similarities(meaning, hit.passage.id)
            for unit, similarity in zip(self._units[hit.passage.id], similarities, strict=True):
                if said and _plain(unit.text) in said:
                    continue
                key = (unit.passage.id, unit.position)
                terms = self.index.unit_terms[key]
                score = sum(w for t, w in weights.items() if t in terms)
                score += IDEA_SHARE * sum(w for i, (asked_terms, w) in ideas.items()
                                          if i in self.index.unit_ideas[key] and not terms & asked_terms)
                score += heading_score
                named = self.index.unit_entities[key]
                score += self._entity_bonus(named, entities)
                # Meaning in common counts too: a paraphrase shares few words with its answer.
                score += UNIT_MEANING_WEIGHT * max(0.0, similarity - 0.2)
                if asks_names and self._names_in(unit) >= 2:
                    score += NAMES_BONUS  # "which systems": the sentence that names them
                figures = self._figures[key]
                if any(figure in figures for figure in answer_types):
                    score += 3.0  # the kind of figure the question asks for
                    if central and CENTRAL_FIGURE in figures:
                        score += CENTRAL_BONUS  # "how much do they make": the median, not the lowest tenth
                if not entities and self._other_place[key]:
                    score *= OTHER_PLACE_SHARE  # a general question wants the general figure, not another country's
                elif home_wanted and self._home_place[key]:
                    score *= HOME_PLACE_SHARE  # ... which the guide states for its own country
                if score > 0:
                    scored.append((score * passage_weight, unit))
        scored.sort(key=lambda pair: -pair[0])
        return scored

    @staticmethod
    def _entity_bonus(found, entities) -> float:
        """Favour sentences naming what was asked about; avoid ones about a sibling (Canada vs UK)."""
        bonus = 0.0
        for wanted in entities:
            if any(f.canonical == wanted.canonical for f in found):
                bonus += 3.0
            elif any(f.kind == wanted.kind for f in found):
                bonus -= 1.5
        return bonus

    def _heading_answers(self, passage: Passage, question: Question) -> bool:
        """True when the top passage's heading (an FAQ's question, a specialization's name) says
        most of what the person typed, including any place or level they named."""
        if passage.section == OVERVIEW:
            return False
        heading_entities = {e.canonical for e in self.vocabulary.entities(passage.heading)}
        if any(e.canonical not in heading_entities for e in self.vocabulary.entities(question.query)):
            return False
        heading_asks = WH_WORD.match(passage.heading.lower())
        if heading_asks and heading_asks.group(1) not in WH_WORD.findall(question.query.lower()):
            return False  # "Why new specializations are emerging" does not answer "what new ones are there"
        asked = set(self.index.tokenize(question.query))
        heading = set(self.index.tokenize(passage.heading))
        # The thing asked whether one needs, by its head ("a college degree" is a degree).
        needed = set(self.index.tokenize(needed_thing(self.vocabulary.plain(question.message)).rpartition(" ")[2]))
        if not needed <= heading:
            return False  # "do I need a master's to work in a clinic" is not answered by "Clinic settings"
        if needed and needed <= set(self.index.tokenize(needed_thing(passage.heading.lower()))):
            return True  # an FAQ "Do you need a master's degree to start?" answers whether a master's is needed
        if passage.heading.rstrip().endswith("?") and asked and asked <= heading:
            return True  # an FAQ's question that holds everything asked: its answer is the section
        named = _plain(re.sub(r"^(?:the|a|an)\s+", "", passage.heading.lower()))
        if len(named.split()) >= 2 and re.search(rf"\b{re.escape(named)}\b", _plain(question.query)):
            return True  # the heading's very words, as typed: "what's the career ladder for ..."
        typed_now = set(self.index.tokenize(question.message))
        if question.query != self.vocabulary.plain(question.message) and typed_now and typed_now == heading:
            return True  # a follow-up naming just this section's topic: "tell me more about immigration"
        if asked and asked == heading:
            return True  # all that was asked is the heading's one word: "what are the pros?", "Pros"
        return len(asked) >= 2 and len(asked & heading) / len(asked) >= 0.6

    def _heading_says_all_matched(self, passage: Passage, unit: Unit, question: Question) -> bool:
        """Whether every word of the question that a sentence says is in the passage's heading too."""
        matched = set(self.index.query_terms(question.query)) & self._unit_terms(unit)
        return bool(matched) and matched <= self._heading_terms[passage.id]

    def _heading_says_typed(self, passage: Passage, question: Question) -> bool:
        """For a follow-up joined to the last question: whether the section's heading says, in any of
        its wordings, a word of what was typed just now."""
        typed = self.vocabulary.plain(question.message)
        if question.query == typed or passage.section == OVERVIEW:  # a page's introduction is headed by its title
            return False
        terms = set(self.index.tokenize(self.vocabulary.every_wording(typed))) - self._filler_terms
        return bool(terms & self._heading_terms[passage.id])

    def _series(self, hits: list[Hit], question: Question) -> list[Unit]:
        """Numbered sibling sections ("Step 1: ...", "Step 2: ..."): their first sentences, as a list;
        not when what is asked is the topic of the step found ("which library software should i learn"
        is asked of "Step 4: Learn library software"), unless the steps are named."""
        top = hits[0].passage
        numbered = SERIES_HEADING.match(top.heading)
        if not numbered:
            return []
        label = numbered.group(1).lower()
        label_terms = set(self.index.tokenize(numbered.group(0)))
        asked = set(self.index.tokenize(question.query))
        if (self._heading_terms[top.id] - label_terms) & asked and not label_terms & asked:
            return []
        doc = self.index.knowledge.documents[top.doc_id]
        siblings = [p for p in doc.passages
                    if (m := SERIES_HEADING.match(p.heading)) and m.group(1).lower() == label]
        if len(siblings) < 3:
            return []
        return [self._units[p.id][0] for p in siblings if self._units[p.id]]

    def _both_sides(self, asked: str, hits: list[Hit]) -> list[Unit]:
        """"Pros and cons", "X or Y": when two found sections each head one side and hold a list,
        both lists, one after the other."""
        pair = PAIR.search(asked)
        if not pair:
            return []
        chosen: list[Unit] = []
        # The found sections first, then their pages' other sections (the "Disadvantages" beside "Advantages").
        found = [h.passage for h in hits[:4]]
        candidates = found + [p for doc_id in dict.fromkeys(p.doc_id for p in found)
                              for p in self.index.knowledge.documents[doc_id].passages if p not in found]
        for side in (pair.group(1), pair.group(3)):
            terms = set(self.index.tokenize(self.vocabulary.every_wording(side)))
            passage = next((p for p in candidates if terms & self._heading_terms[p.id] and self._has_list(p)), None)
            if passage is None or any(u.passage.id == passage.id for u in chosen):
                return []
            chosen += self._list_from(passage)
        return chosen

    def _sides(self, typed: str) -> tuple[str, str] | None:
        """The two phrases either side of "or" / "vs": the words next to it up to the nearest
        stopword, question word or word of what is weighed ("make more at an emergency hospital or
        a regular clinic", "nurse vs midwife pay")."""
        found = COMPARED.search(typed)
        if not found:
            return None
        ignored = self.index.tokenize.stopwords | self.vocabulary.question_words

        def in_phrase(word: str) -> bool:  # punctuation ends a phrase too ("in canada, hospital or retail")
            return word[0].isalnum() and word not in ignored and not about_amounts(word)

        def phrase(words: list[str]) -> list[str]:
            words = words[1:] if words and words[0] in {"a", "an", "the"} else words  # "or a regular clinic"
            return list(itertools.takewhile(in_phrase, words))[:SIDE_WORDS]

        tokens = re.compile(r"[\w']+|[^\w\s]")
        left = phrase(tokens.findall(typed[:found.start()])[::-1])[::-1]
        right = phrase(tokens.findall(typed[found.end():]))
        return (" ".join(left), " ".join(right)) if left and right else None

    def _compared(self, sides: tuple[str, str], asked: str, hits: list[Hit], ranked: list[Unit]) -> list[Unit]:
        """"X or Y", "X vs Y": the best sentence about each side, when the two are said apart
        ("the UK or Canada", "a certificate or a degree", "day shifts vs nights"). `ranked`: the
        units as `_score_units` ranks them."""
        # The best sentences first, then the rest of the found sections (a list under "United Kingdom").
        ranked_set = set(ranked)
        candidates = ranked + [u for h in hits[:RETRIEVED] for u in self._units[h.passage.id] if u not in ranked_set]
        # Weighing pay or costs: each side's figure ("which pays better, X or Y").
        kinds = (figure_types(asked) or compared_figures(asked)
                 or ([MONEY] if about_amounts(self.vocabulary.expand(asked)) else []))

        def states_asked_figure(unit: Unit) -> bool:
            return all(kind.search(unit.text) for kind in kinds)

        chosen: list[Unit] = []
        for side, other in (sides, sides[::-1]):
            about = self._side_test(side, other, weighs_figures=bool(kinds))
            found = [u for u in candidates if u not in chosen and about(u)]
            if not any(states_asked_figure(u) for u in found):
                # This side's own section may not be among those found for both: look for it alone.
                alone = re.sub(rf"\b{re.escape(other)}\b", " ", asked)
                found += [u for h in self.index.search(alone, k=2) for u in self._units[h.passage.id]
                          if u not in chosen and about(u)]
            stating = ([u for u in found if states_asked_figure(u)]
                       or [u for u in found if len(kinds) > 1 and any(kind.search(u.text) for kind in kinds)])
            # Of a side's figures, not one of a sentence that names it only in passing ("medical
            # assistants earn $42,000 ...; hospital ... jobs pay the same", not "Hospitals: $43,900"),
            # and its typical one ("median pay is ..."), not a range's end.
            head = (self._side_terms(side, other) or [""])[-1]
            stating.sort(key=lambda u: self._names_in_passing(u, head))
            unit = next((u for u in stating if kinds and CENTRAL_FIGURE.search(u.text)),
                        stating[0] if stating else found[0] if found else None)
            if unit is None:
                return []
            opening = self._units[unit.passage.id][0]
            if (head and unit is not opening and not unit.is_bullet and head not in self._unit_terms(unit)
                    and head in self._unit_terms(opening)):
                chosen.append(opening)  # "The median pay is about $51,400." says of what after its section's opening
            chosen.append(unit)
            # Two kinds of figure asked ("which is quicker and cheaper"), said in two sentences: the other one too.
            for kind in kinds:
                other_figure = None if kind.search(unit.text) else next((u for u in found if kind.search(u.text)), None)
                chosen += [other_figure] if other_figure is not None else []
        return chosen

    def _extreme(self, asked: str, hits: list[Hit], question: Question) -> Unit | None:
        """For "which is cheapest / quickest / pays most", the unit of the best sections stating the
        lowest (or highest) such figure."""
        wanted = superlative(asked)
        if wanted is None:
            return None
        figure, end = wanted
        # A sentence of the best sections that itself says which end it is ("Pay is highest in
        # California ...") answers, before figures in different units are weighed against each other.
        says_end = SAYS_MOST if end is max else SAYS_LEAST
        typed_terms = set(self.index.tokenize(self.vocabulary.canonicalize(asked)))
        saying = next((u for h in hits[:EXTREME_SECTIONS] for u in self._units[h.passage.id]
                       if says_end.search(u.text) and typed_terms & self._unit_terms(u)), None)
        if saying is not None:
            return saying
        # A found section headed with all that was asked, two words at least ("what state pays the
        # most": "Pay by state"), holds the figures to compare; else one listing such a figure for
        # the things just listed ("Experience required", a row a specialty); else the things' own
        # sections (none stating such a figure: no answer here); else the best few found.
        typed = set(self.index.tokenize(asked))
        headed = [h.passage for h in hits if len(typed) >= 2 and typed <= self._heading_terms[h.passage.id]]
        items = list_items(_last_answer(question))
        sections = (headed[:1] or self._same_things_listed(asked, items, figure) or self._own_sections(items)
                    or [h.passage for h in hits[:EXTREME_SECTIONS]])
        days = DAYS if re.search(r"\bhours?\b", asked) else CALENDAR_DAYS
        stated = [(amount, u) for passage in sections for u in self._units[passage.id]
                  if figure.search(u.text) and (amount := first_amount(u.text, figure, days)) is not None]
        if len(stated) < 2:
            return None
        return end(stated, key=lambda pair: pair[0])[1]

    def _same_things_listed(self, asked: str, items: list[str], figure) -> list[Passage]:
        """A section listing, item by item, the asked kind of figure for the things of the list
        just given ("which one takes the most hours?" after the specialties: "Experience required",
        a row a specialty): found by the items' names, and naming at least two of them."""
        if not items:
            return []
        names = [_item_name(item) for item in items]
        item_terms = [set(self.index.tokenize(name)) for name in names]
        for hit in self.index.search(f"{' '.join(names)} {asked}", k=RETRIEVED):
            # A row names an item when it shares most of its name ("Solar installer" does not name
            # "Elevator installer and repairer"); each row naming one states the figure.
            rows = [u for u in self._units[hit.passage.id] if u.is_bullet
                    and any(terms and 2 * len(terms & set(self.index.tokenize(_item_name(u.text)))) > len(terms)
                            for terms in item_terms)]
            if len(rows) >= 2 and all(self._states_figure(u, [figure]) for u in rows):
                return [hit.passage]
        return []

    def _side_test(self, side: str, other: str, weighs_figures: bool) -> Callable[[Unit], bool]:
        """Whether a unit, or its section's heading, speaks of one side of a comparison: of the place
        it names, else of the words that set it apart from the other side, its head (the last:
        "nurse" of "school nurse") and at least half of the rest. When figures are weighed, a side
        that is the guide's own subject (its career vs a related one: which pays more?) is what
        speaks of neither the other side nor another country: the career's own figure."""
        places = {e.canonical for e in self.vocabulary.entities(side)}
        if places:
            return lambda unit: bool(places & self._places_of(unit))
        other_terms = set(self.index.tokenize(other))
        terms = self._side_terms(side, other)
        if terms:
            head = terms[-1]
            return lambda unit: head in (words := self._words_of(unit)) and 2 * len(words & set(terms)) >= len(terms)
        subject = self.vocabulary.subject
        if not (weighs_figures and other_terms and subject and subject.search(normalise(side))):
            return lambda unit: False
        return lambda unit: not (other_terms & self._words_of(unit)
                                 or self.index.names_other_place(self.index.unit_entities[(unit.passage.id, unit.position)]))

    def _unit_terms(self, unit: Unit) -> set[str]:
        """A unit's own terms (tokenized once, by the index)."""
        return self.index.unit_terms[(unit.passage.id, unit.position)]

    def _names_in_passing(self, unit: Unit, term: str) -> bool:
        """Whether a sentence says the term, but not in its opening words (what it is about)."""
        return term in self._unit_terms(unit) and term not in self.index.tokenize(_item_name(unit.text))

    def _side_terms(self, side: str, other: str) -> list[str]:
        """The words that set one side of a comparison apart from the other, its head last; not a
        job title's head both sides end in ("informatics tech" vs "nuclear pharmacy tech": "informatics",
        but "vet assistant" vs "vet tech": "assistant")."""
        other_terms = set(self.index.tokenize(other))
        terms = [t for t in self.index.tokenize(side) if t not in other_terms | self._filler_terms and self.index.knows(t)]
        shared_head = self._title_head(side) & self._title_head(other)
        return [t for t in terms if t not in shared_head] or terms

    def _title_head(self, phrase: str) -> set[str]:
        """The head of a job title a phrase ends in ("tech" of "nuclear pharmacy tech"), as a term."""
        words = WORD.findall(phrase.lower())
        return set(self.index.tokenize(words[-1])) if words and words[-1] in self.vocabulary.occupation_heads else set()

    def _words_of(self, unit: Unit) -> set[str]:
        """A unit's terms and its section heading's."""
        return self._unit_terms(unit) | self._heading_terms[unit.passage.id]

    def _places_of(self, unit: Unit) -> set[str]:
        """The places a unit is about: those it names, and those its section's heading names."""
        named = self.index.unit_entities[(unit.passage.id, unit.position)] + self.vocabulary.entities(unit.passage.heading)
        return {e.canonical for e in named}

    def _names_in(self, unit: Unit) -> int:
        """Names of things in a sentence, the career's own name aside (counted once a unit)."""
        key = (unit.passage.id, unit.position)
        if key not in self._names:
            self._names[key] = proper_names(self.vocabulary.without_subject(unit.text))
        return self._names[key]

    def _names_listed(self, passage: Passage) -> bool:
        """Whether some sentence of the passage names things ("Alma, Koha and Polaris")."""
        return any(self._names_in(u) >= 2 for u in self._units[passage.id])

    def _listing_section(self, passage: Passage, question: Question) -> Passage | None:
        """A section of the passage's page that lists the things a list question names (in its heading
        or the sentence leading into the list)."""
        listed = set(self.index.tokenize(" ".join(listed_things(question.query))))
        if not listed:
            return None
        doc = self.index.knowledge.documents[passage.doc_id]
        return next((p for p in doc.passages
                     if self._has_list(p) and listed <= self._heading_terms[p.id] | self._lead_terms(p)), None)

    def _lead_terms(self, passage: Passage) -> set[str]:
        """The terms of the sentence that leads into a passage's list ("Some of the most popular specialties are:")."""
        units = self._units[passage.id]
        first = next((u for u in units if u.is_bullet), None)
        if first is None or first.position == 0 or units[first.position - 1].is_bullet:
            return set()
        return self.index.unit_terms[(passage.id, first.position - 1)]

    def _page_listing(self, hits: list[Hit], question: Question) -> Passage | None:
        """For "what certifications are there?", the introduction found of a page titled with the
        things asked for ("Paralegal certification"), in any of their wordings."""
        listed = set(self.index.tokenize(self.vocabulary.every_wording(" ".join(listed_things(question.query)))))
        return next((h.passage for h in hits[:3] if h.passage.section == OVERVIEW
                     and listed & set(self.index.tokenize(h.passage.doc_title))), None)

    def _page_sections(self, overview: Passage) -> list[Unit]:
        doc = self.index.knowledge.documents[overview.doc_id]
        return [self._units[p.id][0] for p in doc.passages if p.section != OVERVIEW and self._units[p.id]][:MAX_BULLETS]

    def _introduces_list(self, unit: Unit) -> bool:
        """A sentence that leads into its passage's list ("Many technicians specialise in:")."""
        units = self._units[unit.passage.id]
        following = units[unit.position + 1:unit.position + 2]
        return self._has_list(unit.passage) and bool(following) and following[0].is_bullet

    def _lists_figures(self, passage: Passage, kinds) -> bool:
        """Whether the passage's list states the asked kind of figure item by item ("Senior: $45k")."""
        bullets = [u for u in self._units[passage.id] if u.is_bullet]
        return len(bullets) >= 3 and all(self._states_figure(u, kinds) for u in bullets)

    def _has_list(self, passage: Passage) -> bool:
        return sum(u.is_bullet for u in self._units[passage.id]) >= 3

    def _list_from(self, passage: Passage) -> list[Unit]:
        """The passage's lead sentence and list; with the lists of sibling sections that share its
        heading's prefix ("Technical skills: A" and "Technical skills: B") when it has one."""
        prefix = passage.heading.split(":")[0] if ":" in passage.heading else None
        doc = self.index.knowledge.documents[passage.doc_id]
        family = [p for p in doc.passages if prefix and p.heading.split(":")[0] == prefix] or [passage]
        chosen: list[Unit] = []
        for member in family:
            units = self._units[member.id]
            bullets = [u for u in units if u.is_bullet]
            if len(bullets) < 2:
                continue
            # The passage's first sentence, and the one that leads into the list ("A vet tech may not:").
            before = [u for u in units if not u.is_bullet and u.position < bullets[0].position]
            lead = before[:1] + [u for u in before[1:][-1:] if u.text.rstrip().endswith(":")]
            chosen += lead if not chosen else []
            chosen += bullets[:MAX_BULLETS]
        return chosen


@lru_cache(maxsize=16384)  # the guide's sentences and recent answers, read again by every answer
def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _previous_answer(question: Question) -> set[str]:
    """The sentences of the coach's last answer, unless the person asks the same thing again."""
    users = [t.content for t in question.history if t.role == "user"]
    if users and _plain(users[-1]) == _plain(question.message):
        return set()
    text = re.sub(r"\s*\[\d+\]", "", _last_answer(question).replace("**", ""))
    pieces = [s for line in text.splitlines() for s in split_sentences(re.sub(r"^\s*-\s*", "", line))]
    return {_plain(p) for p in pieces if p.strip()}


def _item_name(item: str) -> str:
    """What a list item is about: its first words ("Emergency hospitals" of "Emergency hospitals:
    share of jobs 8%", "internal medicine" of "internal medicine, with tracks for ...")."""
    return " ".join(re.split(r"[:,.;(]", item)[0].split()[:ITEM_NAME_WORDS])


def _last_answer(question: Question) -> str:
    return next((t.content for t in reversed(question.history) if t.role == "assistant"), "")


def _overlap(a: set[str], b: set[str]) -> float:
    """How much of the shorter sentence the other says too ("The median is $38,400, per the BLS"
    inside "The median salary ... is $38,400 USD, according to the BLS figures for May 2023")."""
    return len(a & b) / max(1, min(len(a), len(b)))


def render(units: list[Unit]) -> tuple[str, list[Citation]]:
    """Markdown with an [n] at the end of each run of units from one passage, and the citations."""
    numbers: dict[str, int] = {}
    quotes: dict[str, list[str]] = {}
    for unit in units:
        numbers.setdefault(unit.passage.id, len(numbers) + 1)
        quotes.setdefault(unit.passage.id, []).append(unit.text)
    series = _is_series(units)
    blocks: list[str] = []  # paragraphs and list items, in order
    for i, unit in enumerate(units):
        run_ends = i + 1 == len(units) or units[i + 1].passage.id != unit.passage.id
        text = unit.text + (f" [{numbers[unit.passage.id]}]" if run_ends or series else "")
        if series:
            blocks.append(f"- **{unit.passage.heading}**: {text}")
        elif unit.is_bullet:
            blocks.append(f"- {text}")
        elif blocks and not blocks[-1].startswith("- ") and units[i - 1].passage.id == unit.passage.id:
            blocks[-1] += " " + text  # sentences of one passage stay one paragraph
        else:
            blocks.append(text)
    passages = {u.passage.id: u.passage for u in units}
    citations = [Citation(n, passages[pid], _quote(quotes[pid])) for pid, n in numbers.items()]
    return _join_blocks(blocks), citations


def _is_series(units: list[Unit]) -> bool:
    return len(units) >= 3 and all(u.position == 0 for u in units) and len({u.passage.id for u in units}) == len(units)


def _join_blocks(blocks: list[str]) -> str:
    out = ""
    for block in blocks:
        list_item = block.startswith("- ")
        out += ("" if not out else "\n" if list_item and out.rsplit("\n", 1)[-1].startswith("- ") else "\n\n") + block
    return out


def _quote(texts: list[str]) -> str:
    return trim_quote(" ".join(texts))
