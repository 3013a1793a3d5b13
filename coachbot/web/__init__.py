"""Pages for people: the demo page, the knowledge pages that citations open, and widget.js."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template, send_from_directory
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..knowledge import Document
from ..knowledge.loader import split_sections
from ..services import services
from . import cors, plan_page

# Not "/static": the app's own static route owns that path and would answer 404 first.
bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")

# HTML inside knowledge files is shown as text, never run.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    return Markup(_markdown.render(text))


@dataclass(frozen=True)
class PageSection:
    """One heading of a knowledge page and its text: the element a citation link targets."""
    anchor: str
    level: int
    heading: str
    html: Markup


def page_sections(doc: Document) -> list[PageSection]:
    """The page cut where the loader cuts its passages, so "/knowledge/doc#section" always lands."""
    return [PageSection(s.anchor, s.level, s.heading, render_markdown(s.text)) for s in split_sections(doc.body)[1]]


def page_intro(doc: Document) -> Markup:
    return render_markdown(split_sections(doc.body)[0])


@bp.get("/")
def demo():
    return render_template("demo.html")


@bp.get("/widget.js")
def widget():
    response = Response(_widget_script(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.headers["Access-Control-Allow-Origin"] = "*"  # a script anyone may embed
    return response


def _widget_script() -> str:
    """widget.js with this guide's names and starter questions written in, made once per app."""
    cached = current_app.extensions.get("widget_script")
    if cached is None:
        guide, coach = services().guide, services().coach
        defaults = {
            "subtitle": f"Career coach for future {guide.plural}",
            "greeting": f"Hi! I'm Coachbot. I can help you become {guide.article} {guide.name}: the work, pay, "
                        "training and how to get hired. Every answer comes from our career guide, with its sources.",
            "placeholder": f"Ask about becoming {guide.article} {guide.name}…",
            "hint": f"Answers come from the {guide.short_name} career guide.",
        }
        source = Path(bp.static_folder, "widget.js").read_text(encoding="utf-8")
        source = _fill_marker(source, "GUIDE", defaults)
        cached = _fill_marker(source, "STARTERS", list(coach.replies["starters"]))
        current_app.extensions["widget_script"] = cached
    return cached


def _fill_marker(source: str, name: str, value) -> str:
    start = source.index(f"/*{name}*/") + len(f"/*{name}*/")
    end = source.index("/*END*/", start)
    return source[:start] + json.dumps(value, ensure_ascii=False) + source[end:]


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(bp.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


plan_page.init_routes(bp)  # /plans/<id> and /plans/<id>.md: a plan's page and file, by signed link


@bp.get("/knowledge/")
def knowledge_index():
    docs = services().knowledge.documents.values()
    return render_template("knowledge_index.html", documents=docs)


@bp.get("/knowledge/<doc_id>")
def knowledge_page(doc_id: str):
    doc = services().knowledge.documents.get(doc_id)
    if doc is None:
        abort(404)
    return render_template("knowledge.html", doc=doc, intro=page_intro(doc), sections=page_sections(doc))


@bp.app_context_processor
def guide_names() -> dict:
    """Pages name the career from the guide's manifest (knowledge/guide.yaml), never in the templates."""
    return {"guide": services().guide}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cors.init_app(app)
