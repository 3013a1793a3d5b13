"""Pages for people: the demo page, the knowledge pages that citations open, and widget.js."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, send_from_directory
from markdown_it import MarkdownIt

from ..knowledge import slugify
from ..services import services

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

# HTML inside knowledge files is shown as text, never run.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text: str) -> str:
    tokens = _markdown.parse(text)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            token.attrSet("id", slugify(tokens[i + 1].content))
    return _markdown.renderer.render(tokens, _markdown.options, {})


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
    first = doc.passages[0] if doc.passages else None
    intro = render_markdown(first.text) if first and first.section == "overview" else ""
    body = render_markdown(doc.body[doc.body.find("\n## ") + 1:] if "\n## " in doc.body else "")
    return render_template("knowledge.html", doc=doc, intro=intro, body=body)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
