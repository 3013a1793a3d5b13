"""A phone-sized screen, light and dark schemes, reduced motion, and an axe-core audit (WCAG 2.1 AA)."""
from __future__ import annotations

from playwright.sync_api import expect
from widget_helpers import ask, open_widget

PHONE = {"width": 375, "height": 667}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_phone_viewport_is_full_screen(make_page, live_app, screenshots):
    page = make_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_app.url + "/")
    launcher = page.locator(".launcher").bounding_box()
    assert launcher["x"] + launcher["width"] <= PHONE["width"] and launcher["y"] + launcher["height"] <= PHONE["height"]
    page.locator(".launcher").tap()
    panel = page.locator(".panel")
    expect(panel).to_be_visible()
    panel.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")  # the slide-in
    box = {k: round(v) for k, v in panel.bounding_box().items()}
    assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
    answer = ask(page, "Do I need a degree to become an LTA?")
    expect(answer).to_be_in_viewport()
    expect(page.locator(".input")).to_be_in_viewport()
    # Nothing sticks out sideways.
    assert page.locator(".log").evaluate("el => el.scrollWidth <= el.clientWidth")
    page.screenshot(path=str(screenshots / "widget-mobile.png"))
    page.get_by_role("button", name="Close chat").tap()
    expect(panel).to_be_hidden()
    expect(page.locator(".launcher")).to_be_visible()


def audit(page, axe_script, label):
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = result["violations"]
    print(f"\naxe-core {result['testEngine']['version']} on {label}: {len(result['passes'])} rules passed, "
          f"{len(violations)} violated, {len(result['incomplete'])} need review "
          f"{sorted(r['id'] for r in result['incomplete'])}")
    for v in violations:
        print(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        for node in v["nodes"][:3]:
            print(f"      {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violations_with_the_widget_open(make_page, live_app, axe_script, screenshots):
    for scheme in ("light", "dark"):
        # bypass_csp: axe is injected as an inline script, which the pages' CSP rightly refuses.
        page = make_page(color_scheme=scheme, reduced_motion="reduce", bypass_csp=True)
        page.goto(live_app.url + "/")
        open_widget(page)
        ask(page, "How much do LTAs earn?")
        if scheme == "dark":
            page.screenshot(path=str(screenshots / "widget-desktop-dark.png"))
        serious = audit(page, axe_script, f"the demo page, widget open, {scheme}")
        assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]
        page.get_by_role("button", name="Past conversations").click()
        expect(page.locator(".conv")).to_have_count(1)
        serious = audit(page, axe_script, f"the list of conversations, {scheme}")
        assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_axe_on_a_knowledge_page(make_page, live_app, axe_script):
    page = make_page(bypass_csp=True)
    page.goto(live_app.url + "/knowledge/salary-outlook#how-location-affects-salary")
    serious = audit(page, axe_script, "a knowledge page with a highlighted section")
    assert serious == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_colour_scheme_and_reduced_motion(make_page, live_app):
    dark = make_page(color_scheme="dark", reduced_motion="reduce")
    dark.goto(live_app.url + "/")
    open_widget(dark)
    assert dark.locator(".panel").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(27, 29, 33)"
    assert dark.locator(".panel").evaluate("el => getComputedStyle(el).animationName") == "none"
    light = make_page(color_scheme="light", reduced_motion="no-preference")
    light.goto(live_app.url + "/")
    open_widget(light)
    assert light.locator(".panel").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    assert light.locator(".panel").evaluate("el => getComputedStyle(el).animationName") == "cb-in"


def test_new_answers_are_announced(page, live_app):
    page.goto(live_app.url + "/")
    open_widget(page)
    live = page.locator("[aria-live=polite]")
    expect(live).to_have_count(1)
    answer = ask(page, "How much do LTAs earn?")
    first_words = answer.locator(".content").inner_text().split()[:4]
    expect(live).to_contain_text("Coachbot said: " + " ".join(first_words))
