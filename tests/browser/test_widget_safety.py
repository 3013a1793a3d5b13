"""Message text is text: hostile input never becomes markup or script. And every failure the
API can answer with gets a clear state (staged with page.route where the real server would
need to be broken on purpose)."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from widget_helpers import ask, open_widget, sse_body, wait_for_answer, widget_shadow_count

HOSTILE = '<img src=x onerror=alert(1)> <script>alert(2)</script> <b onmouseover=alert(3)>hi</b>'


def test_html_in_a_message_is_shown_as_text(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    ask(page, HOSTILE)
    expect(page.locator(".msg.user").last).to_contain_text(HOSTILE)
    assert widget_shadow_count(page, ".log img, .log script, .log b") == 0
    # Stored and loaded back, it is still text.
    page.reload()
    expect(page.locator(".msg.user").last).to_contain_text(HOSTILE)
    assert widget_shadow_count(page, ".log img, .log script, .log b") == 0
    page.wait_for_timeout(300)  # time for any handler that would have fired
    assert page.watched.dialogs == []
    assert page.watched.errors == []


def staged_answer(answer: str, citations=(), notice=None, streamed: str = "Draft that the guard replaced."):
    done = {"conversation_id": "c1", "message_id": "m1", "answer": answer, "citations": list(citations),
            "suggestions": ["Next question?"], "in_scope": True, "engine": "llm"}
    if notice:
        done["notice"] = notice
    return sse_body(("meta", {"conversation_id": "c1", "message_id": "m1", "citations": list(citations)}),
                    ("delta", {"text": streamed}), ("done", done))


def stage(page, body=None, status=200, headers=None, abort=False):
    def handler(route):
        if abort:
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=status, body=body, headers={"Content-Type": "text/event-stream", **(headers or {})})
    page.route("**/api/chat", handler)


def test_answer_markdown_is_safe_and_done_replaces_the_stream(page, live_app):
    citations = [
        {"n": 1, "id": "salary-outlook#key-salary-figures", "title": "Salary <i>figures</i>",
         "url": "/knowledge/salary-outlook#key-salary-figures", "quote": "<img src=x onerror=alert(4)>"},
        {"n": 2, "id": "evil", "title": "Evil", "url": "javascript:alert(5)", "quote": "q"},
    ]
    answer = ("The **median** is high [1] and this is not a link [2].\n\n"
              "- <img src=x onerror=alert(6)>\n- [bad](javascript:alert(7)) and [ok](https://example.org/page)\n"
              "- [same site](/knowledge/faq) and [protocol relative](//evil.example/x)")
    page.goto(live_app.url + "/")
    stage(page, staged_answer(answer, citations))
    open_widget(page)
    bubble = ask(page, "anything")
    content = bubble.locator(".content")
    expect(content).not_to_contain_text("Draft that the guard replaced")
    expect(content.locator("strong")).to_have_text("median")
    expect(content).to_contain_text("<img src=x onerror=alert(6)>")
    links = {a.inner_text(): a.get_attribute("href") for a in content.locator("a").all()}
    assert links == {"1": live_app.url + "/knowledge/salary-outlook#key-salary-figures",
                     "ok": "https://example.org/page", "same site": live_app.url + "/knowledge/faq"}
    expect(content).to_contain_text("[bad](javascript:alert(7))")
    expect(content).to_contain_text("not a link [2]")
    expect(bubble.locator(".sources")).to_contain_text("Salary <i>figures</i>")
    expect(bubble.locator(".sources")).to_contain_text("<img src=x onerror=alert(4)>")
    assert bubble.locator(".sources a").count() == 1  # the javascript: source is shown as text only
    assert widget_shadow_count(page, ".log img, .log i, .log script") == 0
    page.wait_for_timeout(300)
    assert page.watched.dialogs == []


def test_model_unavailable_notice_is_shown(page, live_app):
    page.goto(live_app.url + "/")
    stage(page, staged_answer("From the guide: LTAs earn about $38,400 [1].", [
        {"n": 1, "id": "a#b", "title": "Salary", "url": "/knowledge/salary-outlook", "quote": "q"}],
        notice="The AI model is unavailable right now; this answer comes from the guide directly."))
    open_widget(page)
    bubble = ask(page, "pay?")
    expect(bubble.locator(".notice")).to_have_text(re.compile("model is unavailable"))
    expect(page.locator(".chip")).to_have_text(["Next question?"])


def test_rate_limited_says_how_long_to_wait(page, live_app):
    page.goto(live_app.url + "/")
    stage(page, '{"error": {"code": "rate_limited", "message": "Too many requests."}}', status=429,
          headers={"Content-Type": "application/json", "Retry-After": "3"})
    open_widget(page)
    page.locator(".input").fill("pay?")
    page.locator(".input").press("Enter")
    error = page.locator(".msg.error")
    expect(error).to_contain_text("wait 3 seconds")
    retry = error.get_by_role("button", name="Try again")
    expect(retry).to_be_disabled()
    page.unroute("**/api/chat")
    expect(error).to_contain_text("You can ask again now", timeout=6000)
    retry.click()
    wait_for_answer(page, 0)
    expect(page.locator(".msg.error")).to_have_count(0)


def test_network_down_offers_retry(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    stage(page, abort=True)
    page.locator(".input").fill("How much do LTAs earn?")
    page.locator(".input").press("Enter")
    error = page.locator(".msg.error")
    expect(error).to_contain_text("Can't reach Coachbot")
    page.unroute("**/api/chat")
    error.get_by_role("button", name="Try again").click()
    answer = wait_for_answer(page, 0)
    expect(answer.locator("a.cite").first).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(1)  # the retry did not repeat the question


def test_stream_error_event_is_shown(page, live_app):
    page.goto(live_app.url + "/")
    stage(page, sse_body(("meta", {"conversation_id": "c1", "message_id": "m1", "citations": []}),
                         ("delta", {"text": "Half an ans"}),
                         ("error", {"error": {"code": "stream_failed", "message": "The answer could not be finished; try again."}})))
    open_widget(page)
    page.locator(".input").fill("pay?")
    page.locator(".input").press("Enter")
    expect(page.locator(".msg.error")).to_contain_text("could not be finished")
    expect(page.locator(".msg.answer")).to_have_count(0)
