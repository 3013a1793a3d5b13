"""Load knowledge/*.md (YAML front matter + Markdown sections) into documents and passages."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlfile import parse_yaml

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
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
    """A topic file: optional YAML front matter (id, title, source, suggest), an optional `# Title`
    line, then `##` sections. Without front matter the id is the file name and the title its `#` line."""
    raw = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    match = FRONT_MATTER.match(raw)
    meta = {}
    if match:
        try:
            meta = parse_yaml(match.group(1)) or {}
        except Exception as exc:  # a YAML error names the line; say which file too
            raise KnowledgeError(f"{path.name}: front matter is not valid YAML: {exc}") from None
        if not isinstance(meta, dict):
            raise KnowledgeError(f"{path.name}: front matter must be a mapping")
    body = raw[match.end():] if match else raw
    title_line = TITLE.search(body.split("\n## ", 1)[0])
    if title_line:  # the page's own title is no section: take it out of the body
        body = body[: title_line.start()] + body[title_line.end():]
    title = str(meta.get("title") or (title_line.group(1) if title_line else "") or _title_from(path.stem))
    doc = Document(id=slugify(str(meta.get("id") or path.stem)), title=title.strip(),
                   source=str(meta.get("source") or path.name), body=body,
                   suggestions=[str(q) for q in meta.get("suggest") or []])
    doc.passages = list(_split_sections(doc))
    return doc


@dataclass(frozen=True)
class Section:
    """One `##` or `###` heading of a page and the Markdown under it, anchored by its slug."""
    level: int
    heading: str
    anchor: str
    text: str


def split_sections(body: str) -> tuple[str, list[Section]]:
    """A page body cut at its headings: (the text before the first heading, the sections).
    The loader's passage ids and the knowledge pages' anchors both come from here."""
    heads = list(HEADING.finditer(body))
    intro = body[: heads[0].start()] if heads else body
    sections: list[Section] = []
    seen: set[str] = set()
    for i, head in enumerate(heads):
        heading = head.group(2).strip().rstrip("#").strip()
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        anchor = slugify(heading)
        while anchor in seen:  # keep anchors unique within a page
            anchor += "-2"
        seen.add(anchor)
        sections.append(Section(len(head.group(1)), heading, anchor, body[head.end():end].strip()))
    return intro.strip(), sections


def _split_sections(doc: Document):
    """One passage per section with text; the text before the first heading is the overview."""
    intro, sections = split_sections(doc.body)
    if intro:
        yield Passage(f"{doc.id}#{OVERVIEW}", doc.id, doc.title, OVERVIEW, doc.title, intro)
    for section in sections:
        if section.text:
            yield Passage(f"{doc.id}#{section.anchor}", doc.id, doc.title, section.anchor, section.heading,
                          section.text)


def _title_from(stem: str) -> str:
    return re.sub(r"[-_]+", " ", stem).strip().capitalize()


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
