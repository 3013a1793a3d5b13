"""Driving the widget as a person would: open it, ask, wait for the answer, move focus by keyboard.

Playwright's CSS locators reach into the widget's open shadow root by themselves.
"""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

ANSWER_TIMEOUT_MS = 20_000

# The element that really has focus, looking through shadow roots.
FOCUSED_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return null;
  return {tag: el.tagName.toLowerCase(), classes: typeof el.className === 'string' ? el.className : '',
          label: el.getAttribute('aria-label') || '', text: (el.textContent || '').trim().slice(0, 120),
          outline: getComputedStyle(el).outlineStyle, outlineWidth: getComputedStyle(el).outlineWidth};
}"""


def open_widget(page: Page) -> None:
    page.locator(".launcher").click()
    expect(page.locator(".panel")).to_be_visible()


def wait_for_answer(page: Page, index: int):
    """The index-th answer, once finished (its feedback buttons appear when `done` arrives)."""
    answer = page.locator(".msg.answer").nth(index)
    expect(answer.locator(".actions")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer).not_to_have_attribute("aria-busy", "true")
    return answer


def ask(page: Page, question: str):
    """Type a question, press Enter, and return the finished answer bubble."""
    before = page.locator(".msg.answer").count()
    box = page.locator(".input")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".msg.user").last).to_contain_text(question)
    return wait_for_answer(page, before)


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def press_until(page: Page, key: str, wanted, limit: int = 60) -> dict:
    """Press `key` until the focused element satisfies `wanted(info)`; fail after `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page)
        if info and wanted(info):
            return info
        seen.append(info and (info["tag"], info["classes"], info["label"] or info["text"][:30]))
    raise AssertionError(f"focus never reached the element by {key}; went through {seen}")


def sse_body(*events: tuple[str, dict]) -> str:
    """A Server-Sent Events body, for tests that stage what the server says."""
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def widget_shadow_count(page: Page, selector: str) -> int:
    return page.evaluate(
        "(sel) => document.querySelector('coachbot-widget').shadowRoot.querySelectorAll(sel).length", selector)
