"""Load knowledge/*.md (YAML front matter + Markdown sections) into documents and passages."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlfile import parse_yaml

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*$", re.M)
OVERVIEW = "overview"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Passage:
    id: str  # "<doc>#<section>", also the citation id
    doc_id: str
    doc_title: str
    section: str
    heading: str
    heading_path: tuple[str, ...]
    text: str  # the section's Markdown body

    @property
    def url(self) -> str:
        return f"/knowledge/{self.doc_id}#{self.section}"

    @property
    def title(self) -> str:
        return self.doc_title if self.heading == self.doc_title else f"{self.doc_title}: {self.heading}"


@dataclass
class Document:
    id: str
    title: str
    source: str
    body: str
    passages: list[Passage] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # questions to offer after an answer from here


class KnowledgeError(ValueError):
    pass


def parse_document(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(raw)
    if not match:
        raise KnowledgeError(f"{path.name}: missing YAML front matter")
    meta = parse_yaml(match.group(1)) or {}
    for key in ("id", "title", "source"):
        if not meta.get(key):
            raise KnowledgeError(f"{path.name}: front matter lacks {key!r}")
    body = raw[match.end():]
    doc = Document(id=str(meta["id"]), title=str(meta["title"]), source=str(meta["source"]), body=body,
                   suggestions=[str(q) for q in meta.get("suggest") or []])
    doc.passages = list(_split_sections(doc))
    return doc


def _split_sections(doc: Document):
    """One passage per `##`/`###` section; text before the first heading is the overview."""
    heads = list(HEADING.finditer(doc.body))
    intro = doc.body[: heads[0].start()] if heads else doc.body
    if intro.strip():
        yield Passage(f"{doc.id}#{OVERVIEW}", doc.id, doc.title, OVERVIEW, doc.title, (doc.title,), intro.strip())
    parent = None
    seen: set[str] = set()
    for i, head in enumerate(heads):
        level, heading = len(head.group(1)), head.group(2).strip()
        end = heads[i + 1].start() if i + 1 < len(heads) else len(doc.body)
        text = doc.body[head.end():end].strip()
        if level == 2:
            parent = heading
        path = (doc.title, heading) if level == 2 or parent is None else (doc.title, parent, heading)
        slug = slugify(heading)
        while slug in seen:  # keep anchors unique within a page
            slug += "-2"
        seen.add(slug)
        if text:
            yield Passage(f"{doc.id}#{slug}", doc.id, doc.title, slug, heading, path, text)


class KnowledgeBase:
    def __init__(self, documents: list[Document]):
        self.documents = {doc.id: doc for doc in documents}
        self.passages = [p for doc in documents for p in doc.passages]
        self._by_id = {p.id: p for p in self.passages}

    @classmethod
    def from_dir(cls, folder: Path) -> KnowledgeBase:
        docs = [parse_document(path) for path in sorted(Path(folder).glob("*.md"))]
        if not docs:
            raise KnowledgeError(f"no knowledge files in {folder}")
        return cls(docs)

    def passage(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)
