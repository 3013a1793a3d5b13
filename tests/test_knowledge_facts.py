"""The knowledge base keeps every figure and name from the LTA career guide.

Each fact below is taken from the guide and must appear (case- and
whitespace-insensitive, en dash treated as hyphen) somewhere in
knowledge/*.md.  The front-matter checks guard the format the loader parses.
"""

import re
from pathlib import Path

import pytest
import yaml

from coachbot.knowledge import KnowledgeBase

KNOWLEDGE_DIR = Path(__file__).parents[1] / "knowledge"

FACTS = [
    # Key facts and statistics
    "$38,400",
    "May 2023",
    "$28k - $55k+",
    "1%",
    "2022-2032",
    "10,100",
    "BLS",
    "U.S. Bureau of Labor Statistics",
    "little or no change",
    "postsecondary non-degree award",
    "Local government",
    "Colleges, universities, and professional schools",
    "Elementary and secondary schools",
    # Education and training
    "$6,000 and $20,000",
    "$500 to $3,000",
    "6 to 12 months",
    "6-12 months",
    "12 to 18 months",
    "1-2 years",
    "3-6 months",
    "100-200 hours",
    "four-year",
    "GED",
    "LSSC",
    "Library Support Staff Certification",
    "Library and Information Science (LIS)",
    "MLIS",
    "MLS",
    # Tools, systems and standards
    "Integrated Library Systems (ILS)",
    "OCLC WorldShare Management Services",
    "Ex Libris Alma",
    "Alma",
    "Koha",
    "Polaris",
    "Evergreen",
    "OCLC Connexion",
    "OCLC WorldShare ILL",
    "MARC21",
    "RDA",
    "Dublin Core",
    "electronic resource management (ERM)",
    "digital asset management (DAM)",
    "Microsoft Office Suite (Word, Excel, Outlook)",
    "self-checkout",
    "e-reader",
    # Salary by experience level and career levels
    "$38k",
    "$40k",
    "$45k",
    "$48k",
    "$52k",
    "$55k",
    "$30,000 to $45,000",
    "0-3 years",
    "3-6 years",
    "6-10 years",
    "Senior Library Technical Assistant",
    "Lead Library Technical Assistant",
    "individual contributor (IC)",
    # Global salaries
    "$30,000 and $50,000",
    "$32,000-$48,000",
    "$35,000-$50,000 CAD",
    "$26,000-$37,000",
    "€25,000 to €40,000",
    "$27,000-$43,000",
    "€28,000-€38,000",
    "£22,000-£35,000",
    "$28,000-$44,000",
    "$45,000-$60,000 AUD",
    "$30,000-$40,000",
    "¥3,000,000-¥5,000,000",
    "$20,000-$34,000",
    "$10,000-$25,000",
    "Gulf states",
    "Scandinavia",
    # Visas and remote work
    "skilled worker",
    "IELTS",
    "TOEFL",
    "permanent residency",
    "digital nomad",
    "tax treaties",
    # Job market
    "2025",
    "2023 to 2025",
    "generative AI",
    "hiring freezes",
    "inflation",
    # Specializations
    "Digital Collections Management Specialist",
    "Integrated Library Systems Support Technician",
    "Digital Literacy and Technology Trainer",
    "Accessibility Services Technical Assistant",
    "Makerspace Technology Specialist",
    "ADA",
    "3D printers",
    "laser cutters",
    "robotics kits",
    "library management systems (LMS)",
    "five to ten years",
    # Pros and cons, FAQ
    "tuition reimbursement",
    "physically demanding",
    "part-time or temporary",
    "youth programming",
    # Related careers
    "Library Assistant",
    "Cataloging Library Technical Assistant",
    "Library Aide",
    "Library Clerk",
    "Technical Services Librarian",
]

REQUIRED_FRONT_MATTER = ("id", "title", "source")


def _normalise(text: str) -> str:
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def _knowledge_files() -> list[Path]:
    return sorted(KNOWLEDGE_DIR.glob("*.md"))


def _split_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", text, flags=re.S)
    assert match, f"{path.name}: missing YAML front matter"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2)


@pytest.fixture(scope="module")
def knowledge_text() -> str:
    files = _knowledge_files()
    assert files, f"no knowledge files in {KNOWLEDGE_DIR}"
    return _normalise("\n".join(p.read_text(encoding="utf-8") for p in files))


@pytest.mark.parametrize("fact", FACTS)
def test_fact_appears_in_knowledge(fact, knowledge_text):
    assert _normalise(fact) in knowledge_text, f"fact missing from knowledge/*.md: {fact!r}"


def test_every_topic_file_is_a_document_the_coach_can_cite():
    """Each file is loaded, under its own id, with sections that answers can link to."""
    knowledge = KnowledgeBase.from_dir(KNOWLEDGE_DIR)
    assert set(knowledge.documents) == {p.stem for p in _knowledge_files()}
    cited = {p.doc_id for p in knowledge.passages}
    assert cited == set(knowledge.documents), "a topic file has no passage to cite"


@pytest.mark.parametrize("path", _knowledge_files(), ids=lambda p: p.name)
def test_front_matter(path):
    meta, body = _split_front_matter(path)
    for key in REQUIRED_FRONT_MATTER:
        assert isinstance(meta.get(key), str) and meta[key].strip(), f"{path.name}: missing {key}"
    assert meta["id"] == path.stem
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", meta["id"])
    assert not re.search(r"^# ", body, flags=re.M), f"{path.name}: body must not contain an H1"
    assert re.search(r"^## \S", body, flags=re.M), f"{path.name}: no ## sections"


def test_ids_are_unique():
    ids = [_split_front_matter(p)[0]["id"] for p in _knowledge_files()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", _knowledge_files(), ids=lambda p: p.name)
def test_no_site_name(path):
    assert "himalayas" not in path.read_text(encoding="utf-8").lower()
