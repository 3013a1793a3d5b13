"""Pages for people: the demo page, the knowledge pages that citations open, and widget.js."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, render_template, send_from_directory
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..knowledge import Document
from ..knowledge.loader import split_sections
from ..services import services
from . import cors

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
    response = send_from_directory(bp.static_folder, "widget.js", mimetype="text/javascript", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"  # a script anyone may embed
    return response


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


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    cors.init_app(app)
