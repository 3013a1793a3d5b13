"""The whole flow with the keyboard only: no clicks, no mouse."""
from __future__ import annotations

from playwright.sync_api import expect
from widget_helpers import focused, press_until, wait_for_answer


def is_launcher(info):
    return "launcher" in info["classes"]


def test_everything_by_keyboard(page, live_app):
    page.goto(live_app.url + "/")

    # Tab through the page until the launcher; its focus is visible.
    launcher = press_until(page, "Tab", is_launcher)
    assert launcher["outline"] != "none" and launcher["outlineWidth"] != "0px"
    page.keyboard.press("Enter")
    expect(page.locator(".panel")).to_be_visible()
    assert "input" in focused(page)["classes"]

    # Shift+Enter makes a new line, Enter sends.
    page.keyboard.type("What does an LTA do")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("in a library?")
    assert page.locator(".input").input_value() == "What does an LTA do\nin a library?"
    page.keyboard.press("Enter")
    answer = wait_for_answer(page, 0)
    expect(page.locator(".msg.user")).to_have_text("You said: What does an LTA do\nin a library?")
    assert page.locator(".input").input_value() == ""

    # Back from the input to the answer's feedback button; Enter rates.
    press_until(page, "Shift+Tab", lambda i: i["label"] == "Helpful answer")
    with page.expect_response(lambda r: "/feedback" in r.url) as feedback:
        page.keyboard.press("Enter")
    assert feedback.value.status == 204
    expect(answer.get_by_role("button", name="Helpful answer")).to_have_attribute("aria-pressed", "true")

    # A citation link is reachable too.
    if answer.locator("a.cite").count():
        cite = press_until(page, "Shift+Tab", lambda i: i["tag"] == "a" and "cite" in i["classes"])
        assert cite["label"].startswith("Source ")

    # On to a suggestion chip; Enter asks it.
    chip = press_until(page, "Tab", lambda i: "chip" in i["classes"])
    page.keyboard.press("Enter")
    expect(page.locator(".msg.user").last).to_contain_text(chip["text"])
    wait_for_answer(page, 1)
    assert "input" in focused(page)["classes"]

    # Esc closes and gives focus back to the launcher; Enter opens again.
    page.keyboard.press("Escape")
    expect(page.locator(".panel")).to_be_hidden()
    assert is_launcher(focused(page))
    page.keyboard.press("Enter")
    expect(page.locator(".panel")).to_be_visible()

    # The list of past conversations, and back into one, by keyboard.
    press_until(page, "Shift+Tab", lambda i: i["label"] == "New conversation")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.user")).to_have_count(0)
    press_until(page, "Shift+Tab", lambda i: i["label"] == "Past conversations")
    page.keyboard.press("Enter")
    expect(page.locator(".conv")).to_have_count(1)
    press_until(page, "Tab", lambda i: "conv-open" in i["classes"])
    page.keyboard.press("Enter")
    expect(page.locator(".msg.user")).to_have_count(2)
    assert "input" in focused(page)["classes"]
    assert page.watched.errors == []
