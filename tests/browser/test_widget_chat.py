"""The widget on the demo page, against the real app: ask, read the streamed answer, follow a
citation, use a suggestion, give feedback, reload, reopen and delete from the list."""
from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import expect
from widget_helpers import ask, open_widget, wait_for_answer


def feedback_rows(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT message_id, rating FROM feedback").fetchall()


def test_demo_page_explains_and_embeds_the_widget(page, live_app):
    page.goto(live_app.url + "/")
    expect(page.locator("h1")).to_contain_text("Ask Coachbot")
    snippet = page.locator("pre.snippet").first
    expect(snippet).to_contain_text(f'<script src="{live_app.url}/widget.js" defer></script>')
    for option in ("data-title", "data-accent", "data-position", "data-target", "data-greeting"):
        expect(page.locator("table")).to_contain_text(option)
    launcher = page.locator(".launcher")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".panel")).to_be_hidden()


def test_ask_follow_citation_suggestion_feedback(page, live_app, screenshots):
    chat_responses = []
    page.on("response", lambda r: chat_responses.append(r) if r.url.endswith("/api/chat") else None)
    page.goto(live_app.url + "/")
    open_widget(page)

    panel = page.locator(".panel")
    expect(panel).to_have_attribute("role", "dialog")
    expect(page.get_by_role("dialog", name="Coachbot")).to_be_visible()
    expect(page.locator(".greeting")).to_contain_text("Library Technical Assistant")
    expect(page.locator(".chip")).to_have_count(4)
    expect(page.locator(".input")).to_be_focused()

    answer = ask(page, "Do I need a degree to become an LTA?")
    # It came as a stream of Server-Sent Events, not one JSON answer.
    assert chat_responses and "text/event-stream" in chat_responses[0].headers["content-type"]
    assert chat_responses[0].request.headers["accept"] == "text/event-stream"
    expect(answer.locator(".content")).to_contain_text("degree")

    # [n] markers are links to the cited passage on the service; Sources lists title and quote.
    cite = answer.locator("a.cite").first
    href = cite.get_attribute("href")
    assert re.fullmatch(re.escape(live_app.url) + r"/knowledge/[a-z0-9-]+#[a-z0-9-]+", href), href
    assert cite.get_attribute("target") == "_blank"
    sources = answer.locator(".sources li")
    assert sources.count() >= 1
    expect(sources.first.locator("a")).not_to_be_empty()
    expect(sources.first.locator(".quote")).not_to_be_empty()
    page.screenshot(path=str(screenshots / "widget-desktop.png"))

    # The link opens the knowledge page, on the cited section, which is highlighted.
    with page.context.expect_page() as opened:
        cite.click()
    knowledge = opened.value
    knowledge.wait_for_load_state()
    section = href.split("#", 1)[1]
    assert knowledge.url == href
    target = knowledge.locator(":target")
    expect(target).to_have_attribute("id", section)
    expect(target).to_be_in_viewport()
    highlight = target.evaluate("el => getComputedStyle(el).backgroundColor")
    plain = knowledge.locator("section.passage:not(:target)").first.evaluate(
        "el => getComputedStyle(el).backgroundColor")
    assert highlight != plain, "the cited section is not highlighted"
    knowledge.close()

    # A suggestion chip asks its question.
    chip = page.locator(".chip").first
    suggestion = chip.inner_text()
    chip.click()
    expect(page.locator(".msg.user").last).to_have_text(re.compile(re.escape(suggestion)))
    second = wait_for_answer(page, 1)
    expect(second.locator(".content")).not_to_be_empty()

    # Thumbs up reaches the API and the database.
    with page.expect_response(lambda r: "/feedback" in r.url) as feedback:
        answer.get_by_role("button", name="Helpful answer").click()
    assert feedback.value.status == 204
    expect(answer.get_by_role("button", name="Helpful answer")).to_have_attribute("aria-pressed", "true")
    expect(answer.locator(".status")).to_have_text("Thanks for your feedback.")
    assert (feedback.value.url.split("/")[-2], "up") in feedback_rows(live_app.db_path)
    assert page.watched.errors == []
    # The pages' Content-Security-Policy (no inline script) and the widget get along.
    assert [m for m in page.watched.console if "Content Security Policy" in m] == []


def test_reload_restores_conversation_and_history_reopens_and_deletes(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, "What does a Library Technical Assistant do?")
    ask(page, "Do I need a degree?")

    # A reload shows the same conversation (the panel reopens by itself in the same tab).
    page.reload()
    expect(page.locator(".panel")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(2)
    expect(page.locator(".msg.user").first).to_contain_text("What does a Library Technical Assistant do?")
    expect(page.locator(".msg.answer .actions")).to_have_count(2)

    # Another page of the same site, in a new tab: closed at first, the conversation inside.
    other = page.context.new_page()
    other.goto(live_app.url + "/knowledge/")
    expect(other.locator(".panel")).to_be_hidden()
    open_widget(other)
    expect(other.locator(".msg.user")).to_have_count(2)
    other.close()

    # Start a new conversation, then reopen the first one from the list.
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    ask(page, "How much do LTAs earn?")
    page.get_by_role("button", name="Past conversations").click()
    items = page.locator(".conv")
    expect(items).to_have_count(2)
    items.filter(has_text="What does a Library Technical Assistant").locator(".conv-open").click()
    expect(page.locator(".msg.user")).to_have_count(2)
    expect(page.locator(".msg.user").first).to_contain_text("What does a Library Technical Assistant do?")
    expect(page.locator(".input")).to_be_focused()

    # Delete the other one from the list, with a confirmation step.
    page.get_by_role("button", name="Past conversations").click()
    expect(items).to_have_count(2)
    salary = items.filter(has_text="earn")
    salary.get_by_role("button", name=re.compile("^Delete conversation")).click()
    with page.expect_response(lambda r: r.request.method == "DELETE") as deleted:
        page.locator(".confirm").get_by_role("button", name="Delete", exact=True).click()
    assert deleted.value.status == 204
    expect(items).to_have_count(1)
    token = page.evaluate("(k) => localStorage.getItem(k)", f"coachbot:{live_app.url}:token")
    listing = page.request.get(live_app.url + "/api/conversations", headers={"Authorization": f"Bearer {token}"})
    assert [c["title"] for c in listing.json()["conversations"]] == [items.locator(".conv-title").inner_text()]


def test_a_revoked_token_gets_a_new_user(page, live_app):
    page.goto(live_app.url + "/")
    page.evaluate("(k) => localStorage.setItem(k, 'not-a-valid-token')", f"coachbot:{live_app.url}:token")
    open_widget(page)
    answer = ask(page, "What skills do LTAs need?")
    expect(answer.locator(".content")).not_to_be_empty()
    token = page.evaluate("(k) => localStorage.getItem(k)", f"coachbot:{live_app.url}:token")
    assert token and token != "not-a-valid-token"
