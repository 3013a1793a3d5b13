"""The plan, as a person meets it in the widget: a new visitor from Texas with a high-school diploma who
works in retail asks for a plan, answers the questions, reads the card, opens the full plan and saves it."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from test_widget_mobile_and_a11y import audit
from widget_helpers import ask, focused, open_widget, wait_for_answer

CARD_MAX_PX = 1600
# Marks a renderer should have consumed: bold, emphasis at a word's edge, a link's brackets, an escape.
LEFTOVER_MARKUP = re.compile(r"\*\*|(?:^|\s)_\S|\S_(?:\s|$)|\]\(|\\[\[\]()*_:]|^#+ ", re.M)


def bot_texts(page) -> list[str]:
    return page.locator(".msg.bot .content").all_inner_texts()


def answer_with_chip(page, chip: str):
    before = page.locator(".msg.answer").count()
    page.locator(".chip", has_text=chip).first.click()
    return wait_for_answer(page, before)


def test_the_texas_walkthrough_from_facts_to_a_saved_plan(make_page, live_app, axe_script, screenshots):
    page = make_page(bypass_csp=True)  # bypass_csp: axe is injected as an inline script
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "I live in Texas and I only have a high school diploma")
    ask(page, "I work in retail, 4 years now. What jobs could I get in a library?")

    start = ask(page, "I want a personalised plan please")
    text = start.locator(".content").inner_text()
    assert "So far:" in text and "high school diploma" in text and "Texas" in text and "retail" in text
    assert "goal" in text and "highest education" not in text and "live or want to work" not in text
    assert 'goal "' not in text  # asking for a plan is not a goal
    chips = page.locator(".chips .chip").all_inner_texts()
    assert "Skip" in chips and any("public library" in c for c in chips)

    hours = answer_with_chip(page, "A job in a public library")
    assert "hours a week" in hours.inner_text()
    budget = ask(page, "8 hours a week")
    assert "budget" in budget.inner_text()
    card = answer_with_chip(page, "Skip")
    card_text = card.locator(".content").inner_text()
    assert "Your plan is ready." in card_text and "Biggest gap" in card_text
    # What the person said shows: their hours stretch the course, and Texas gets a plain word.
    assert "at 8 hours a week" in card_text and "no pay figures for Texas" in card_text

    # The coach never asked again what was said, and no Markdown is left on screen.
    asked = " ".join(bot_texts(page))
    assert "highest education" not in asked and "live or want to work" not in asked
    leftovers = [t for t in bot_texts(page) if LEFTOVER_MARKUP.search(t)]
    assert leftovers == []

    # A compact card, with its sources listed once.
    assert card.bounding_box()["height"] < CARD_MAX_PX
    sources = card.locator(".sources li").all_inner_texts()
    assert sources and len(sources) == len(set(sources))
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "widget-plan-card.png"))
    serious = audit(page, axe_script, "the widget with a plan card")
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]

    # The full plan is one click away, in a tab of its own, and it passes axe too.
    with page.context.expect_page() as opened:
        card.get_by_role("link", name="Open your full plan").click()
    plan_page = opened.value
    plan_page.wait_for_load_state()
    expect(plan_page.locator("h1")).to_contain_text("Your next steps")
    steps = plan_page.locator("li.step")
    assert steps.count() >= 5
    for i in range(steps.count()):
        expect(steps.nth(i).locator("dt", has_text="Timeframe")).to_be_visible()
        expect(steps.nth(i).locator("dt", has_text="Cost")).to_be_visible()
        assert steps.nth(i).locator("a.cite").count() >= 1
    serious = audit(plan_page, axe_script, "the plan page")
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]

    # The download link saves a Markdown plan.
    with page.expect_download() as saved:
        card.get_by_role("link", name="Download it as a Markdown file").click()
    download = saved.value
    assert download.suggested_filename.endswith(".md")
    body = Path(download.path()).read_text(encoding="utf-8")
    assert body.startswith("# Your next steps") and "## Sources" in body
    assert page.watched.errors == []


def test_a_fresh_visitor_asking_for_a_plan_gets_the_questions(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    reply = ask(page, "I want a personalised plan please").inner_text()
    assert "highest education" in reply and "Noted" not in reply and "personalised plan please" not in reply
    assert "Skip" in page.locator(".chips .chip").all_inner_texts()


def test_a_correction_rebuilds_the_plan_and_says_what_changed(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "make me a plan")
    ask(page, "GED")
    ask(page, "4 years in retail")
    ask(page, "a public library job")
    ask(page, "Texas")
    ask(page, "8 hours a week")
    first = ask(page, "$300").inner_text()
    assert "self-study" in first.lower()
    updated = ask(page, "actually I could spend more like $1500").inner_text()
    assert "What changed in your plan" in updated and "Take a certificate program" in updated


def test_text_a_person_wrote_is_echoed_as_text_never_a_link(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    answer = ask(page, "I want to work as [Session expired - log in again](http://attacker.example/login)")
    assert "[Session expired - log in again]" in answer.locator(".content").inner_text()
    assert answer.locator("a[href*='attacker']").count() == 0


def test_reload_opens_at_the_last_answer_and_escape_steps_back(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "What does a Library Technical Assistant do?")
    ask(page, "How much do LTAs earn?")
    page.reload()
    expect(page.locator(".msg.answer")).to_have_count(2)
    last_question = page.locator(".msg.user").last
    # The log shows the start of the last exchange, not the bottom of its sources.
    expect(last_question).to_be_in_viewport()
    top = page.locator(".log").evaluate("el => el.scrollTop")
    question_top = last_question.evaluate("el => el.offsetTop")
    assert abs(top - (question_top - 12)) <= 2
    # A question asked here is never offered again as a chip.
    asked = set(page.locator(".msg.user").all_inner_texts())
    assert not {f"You said: {c}" for c in page.locator(".chips .chip").all_inner_texts()} & asked

    # The header is a few Shift+Tab presses from the input.
    page.locator(".input").focus()
    presses = 0
    while "Past conversations" != (focused(page) or {}).get("label") and presses < 6:
        page.keyboard.press("Shift+Tab")
        presses += 1
    assert focused(page)["label"] == "Past conversations" and presses <= 4
    # Escape in the list of conversations goes back to the chat; the next one closes the panel.
    page.keyboard.press("Enter")
    expect(page.locator(".history")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".history")).to_be_hidden()
    expect(page.locator(".panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".panel")).to_be_hidden()


def test_the_launcher_keeps_clear_of_page_buttons_and_pages_have_a_favicon(make_page, live_app):
    page = make_page(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page.goto(live_app.url + "/")
    launcher = page.locator(".launcher").bounding_box()
    for button in page.locator("main a[href], main button").all():
        box = button.bounding_box()
        if not box or box["y"] > 667 or box["y"] + box["height"] < 0:
            continue
        overlaps = not (box["x"] + box["width"] <= launcher["x"] or launcher["x"] + launcher["width"] <= box["x"]
                        or box["y"] + box["height"] <= launcher["y"] or launcher["y"] + launcher["height"] <= box["y"])
        assert not overlaps, button.inner_text()
    icon = page.request.get(live_app.url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")


LAPSE_JS = """() => {
  const links = document.querySelector('coachbot-widget').shadowRoot.querySelectorAll('a.plan-link');
  links.forEach(a => { const url = new URL(a.href); url.searchParams.set('expires', '1'); a.href = url.href; });
  return links.length;
}"""


def test_a_lapsed_plan_link_is_renewed_when_clicked(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "make me a plan")
    card = ask(page, "make the plan now")
    assert page.evaluate(LAPSE_JS) == 2
    with page.context.expect_page() as opened:
        card.get_by_role("link", name="Open your full plan").click()
    plan_page = opened.value
    plan_page.wait_for_load_state()
    expect(plan_page.locator("h1")).to_contain_text("Your next steps")
    with page.expect_download() as saved:
        card.get_by_role("link", name="Download it as a Markdown file").click()
    assert Path(saved.value.path()).read_text(encoding="utf-8").startswith("# ")
    assert page.watched.errors == []


def test_long_history_titles_stay_readable(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "I have a GED and three years in retail and I would like to know how long it takes to become a "
              "library technical assistant")
    page.get_by_role("button", name="Past conversations").click()
    title = page.locator(".conv-title").first
    expect(title).to_be_visible()
    lines = title.evaluate("el => Math.round(el.getBoundingClientRect().height / "
                           "parseFloat(getComputedStyle(el).lineHeight))")
    assert lines == 2  # wraps onto a second line instead of cutting the first one short
