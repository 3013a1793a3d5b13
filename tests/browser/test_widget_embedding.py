"""The widget on other organisations' pages: an allowed origin works, a stranger is refused,
hostile host CSS cannot break it, and the data- options do what they say."""
from __future__ import annotations

import urllib.error
import urllib.request

from playwright.sync_api import expect
from widget_helpers import ask, open_widget

HOSTILE_CSS = """<style>
* { all: unset !important; }
html { font-size: 72px !important; }
body { font-size: 90px !important; line-height: 4 !important; color: red !important; letter-spacing: 9px !important;
       text-transform: uppercase !important; font-family: serif !important; }
div, button, textarea, section, p, span { display: none !important; visibility: hidden !important;
       width: 3px !important; height: 3px !important; }
coachbot-widget { display: none !important; opacity: 0 !important; }
</style>"""


def embed(app_url: str, **data: str) -> str:
    attrs = "".join(f' data-{name}="{value}"' for name, value in data.items())
    return f'<script src="{app_url}/widget.js" defer{attrs}></script>'


def test_allowed_origin_chats(page, live_app, host_sites):
    site = host_sites["allowed"]
    url = site.page("allowed.html", "<h1>Our library</h1>" + embed(live_app.url))
    page.goto(url)
    open_widget(page)
    answer = ask(page, "How much do LTAs earn?")
    cite = answer.locator("a.cite").first
    assert cite.get_attribute("href").startswith(live_app.url + "/knowledge/")
    token_key = f"coachbot:{live_app.url}:token"
    assert page.evaluate("(k) => localStorage.getItem(k)", token_key)  # kept in the host site's storage
    assert page.watched.errors == []


def test_stranger_origin_is_refused(page, live_app, host_sites):
    site = host_sites["stranger"]
    url = site.page("stranger.html", "<h1>Not on the list</h1>" + embed(live_app.url))
    page.goto(url)
    open_widget(page)  # the script itself may load anywhere
    page.locator(".input").fill("How much do LTAs earn?")
    page.locator(".input").press("Enter")
    expect(page.locator(".msg.error")).to_contain_text("Can't reach Coachbot")
    expect(page.locator(".msg.answer")).to_have_count(0)

    # What the browser was told: a preflight refused with a JSON 403, no CORS headers.
    request = urllib.request.Request(live_app.url + "/api/chat", method="OPTIONS", headers={
        "Origin": site.origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("the preflight from a stranger was accepted")
    except urllib.error.HTTPError as refused:
        assert refused.code == 403
        assert "Access-Control-Allow-Origin" not in refused.headers
        assert b'"origin_not_allowed"' in refused.read()
        refused.close()


def test_hostile_host_css_leaves_the_widget_intact(page, live_app, host_sites):
    url = host_sites["allowed"].page("hostile.html", "<h1>Loud page</h1><p>Some text</p>" + embed(live_app.url),
                                     head=HOSTILE_CSS)
    page.goto(url)
    launcher = page.locator(".launcher")
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert 50 <= box["width"] <= 70 and 50 <= box["height"] <= 70, box
    open_widget(page)
    panel = page.locator(".panel").bounding_box()
    assert 360 <= panel["width"] <= 420 and panel["height"] >= 400, panel
    box_input = page.locator(".input")
    expect(box_input).to_be_visible()
    styles = box_input.evaluate("el => { const s = getComputedStyle(el); return [s.fontSize, s.textTransform, s.color]; }")
    assert styles[0] == "15px" and styles[1] == "none" and styles[2] != "rgb(255, 0, 0)", styles
    greeting = page.locator(".greeting").evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontSize, s.letterSpacing, s.display]; }")
    assert greeting == ["15px", "normal", "block"], greeting
    answer = ask(page, "Do I need a degree to become an LTA?")
    expect(answer.locator(".content")).to_be_visible()


def test_options_title_accent_position_greeting(page, live_app, host_sites):
    url = host_sites["allowed"].page("options.html", "<h1>Options</h1>" + embed(
        live_app.url, title="Career help", accent="#ffd700", position="bottom-left",
        greeting="Hello from the library!", starters="First question?|Second question?"))
    page.goto(url)
    launcher = page.locator(".launcher")
    assert launcher.bounding_box()["x"] < 100  # bottom-left
    expect(launcher).to_have_attribute("aria-label", "Open chat: Career help")
    open_widget(page)
    expect(page.get_by_role("dialog", name="Career help")).to_be_visible()
    expect(page.locator(".greeting")).to_have_text("Hello from the library!")
    expect(page.locator(".chip")).to_have_text(["First question?", "Second question?"])
    # A light accent gets dark text on it, so it stays readable.
    colours = page.locator(".header").evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    assert colours == ["rgb(255, 215, 0)", "rgb(17, 20, 24)"], colours


def test_inline_mode_fills_the_host_element(page, live_app, host_sites):
    body = ('<main><h1>Ask our coach</h1><div id="coach" style="height:560px;width:640px"></div></main>'
            + embed(live_app.url, target="#coach"))
    page.goto(host_sites["allowed"].page("inline.html", body))
    expect(page.locator(".launcher")).to_have_count(0)
    panel = page.locator(".panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("role", "region")
    box = panel.bounding_box()
    assert 630 <= box["width"] <= 650 and 550 <= box["height"] <= 570, box
    answer = ask(page, "What are the steps to get hired?")
    expect(answer.locator(".content")).not_to_be_empty()


def test_strict_host_csp_without_inline_styles(page, live_app, host_sites):
    # A careful host: scripts and API from the service only, and no inline styles at all.
    csp = (f"default-src 'self'; script-src {live_app.url}; connect-src {live_app.url}; "
           "style-src 'self'; img-src 'self'")
    url = host_sites["allowed"].page("strict.html", "<h1>Strict</h1>" + embed(live_app.url),
                                     head=f'<meta http-equiv="Content-Security-Policy" content="{csp}">')
    page.goto(url)
    launcher = page.locator(".launcher")
    expect(launcher).to_be_visible()
    assert launcher.evaluate("el => getComputedStyle(el).position") == "fixed"  # its stylesheet applied
    open_widget(page)
    answer = ask(page, "How much do LTAs earn?")
    expect(answer.locator(".sources")).to_be_visible()
    assert [m for m in page.watched.console if "Content Security Policy" in m] == []
