"""The pages and headers the widget relies on, checked with Flask's test client (no browser)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachbot import create_app

WIDGET_JS = Path(__file__).resolve().parents[2] / "coachbot" / "web" / "static" / "widget.js"
PARTNER = "https://library.example.edu"


@pytest.fixture
def web_app(tmp_path):
    return create_app({"database_url": f"sqlite:///{tmp_path / 'web.sqlite3'}", "instance_path": str(tmp_path),
                       "allowed_origins": f"{PARTNER}/,https://other.example.org", "redis_url": ""})


@pytest.fixture
def web(web_app):
    return web_app.test_client()


def test_widget_script_is_small_and_self_contained(web):
    response = web.get("/widget.js")
    body = response.get_data(as_text=True)
    response.close()  # a file response: let go of the file
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert len(body.encode()) < 60 * 1024
    assert "innerHTML" not in body and "insertAdjacentHTML" not in body and "eval(" not in body
    hosts = set(re.findall(r"https?://([a-z0-9-]+(?:\.[a-z0-9-]+)+)", body))
    assert hosts <= {"www.w3.org"}, f"the widget must not load anything from elsewhere: {hosts}"


def test_pages_have_no_inline_script_and_load_the_widget(web):
    for path in ("/", "/knowledge/", "/knowledge/salary-outlook"):
        response = web.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts), path
        assert '<script src="/widget.js" defer>' in html
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
        assert "/assets/site.css" in html
    css = web.get("/assets/site.css")
    text = css.get_data(as_text=True)
    css.close()
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert ":target" in text


def test_every_citation_target_exists_on_its_page(web, web_app):
    knowledge = web_app.extensions["coachbot"].knowledge
    for doc in knowledge.documents.values():
        html = web.get(f"/knowledge/{doc.id}").get_data(as_text=True)
        ids = set(re.findall(r'<section id="([^"]+)"', html))
        for passage in doc.passages:
            assert passage.section in ids, passage.url


def test_knowledge_page_shows_markup_in_the_guide_as_text(web_app, tmp_path):
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "x.md").write_text("---\nid: x\ntitle: X\nsource: test\n---\nIntro <script>alert(1)</script>\n\n"
                                 "## Same\nOne\n\n## Same\nTwo <img src=x onerror=alert(1)>\n", encoding="utf-8")
    app = create_app({"database_url": f"sqlite:///{tmp_path / 'x.sqlite3'}", "instance_path": str(tmp_path),
                      "knowledge_dir": str(folder)})
    html = app.test_client().get("/knowledge/x").get_data(as_text=True)
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert '<section id="same"' in html and '<section id="same-2"' in html  # anchors as the loader makes them


def test_unknown_knowledge_page_is_404(web):
    assert web.get("/knowledge/nope").status_code == 404


def test_allowed_origin_gets_cors_headers(web):
    response = web.post("/api/users", headers={"Origin": PARTNER})
    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Origin" in response.headers["Vary"]
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers  # tokens, never cookies
    assert "Set-Cookie" not in response.headers


def test_allowed_origin_preflight(web):
    response = web.options("/api/chat", headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER
    methods = response.headers["Access-Control-Allow-Methods"]
    assert all(m in methods for m in ("GET", "POST", "DELETE"))
    headers = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in headers and "content-type" in headers
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_unlisted_origin_gets_no_cors_headers_and_its_preflight_is_refused(web):
    stranger = "https://evil.example.com"
    response = web.post("/api/users", headers={"Origin": stranger})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = web.options("/api/conversations", headers={"Origin": stranger, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 403
    assert preflight.get_json()["error"]["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in preflight.headers
    # A look-alike of an allowed origin is a stranger too.
    lookalike = web.post("/api/users", headers={"Origin": PARTNER + ".evil.example.com"})
    assert "Access-Control-Allow-Origin" not in lookalike.headers


def test_own_origin_always_works_and_errors_carry_cors_headers(web):
    own = "http://localhost"
    preflight = web.options("/api/chat", headers={"Origin": own, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    # An error answer still reaches an allowed page, so the widget can show its message.
    error = web.get("/api/conversations", headers={"Origin": PARTNER})
    assert error.status_code == 401
    assert error.headers["Access-Control-Allow-Origin"] == PARTNER


def test_pages_are_not_given_cors_headers(web):
    response = web.get("/", headers={"Origin": PARTNER})
    assert "Access-Control-Allow-Origin" not in response.headers
