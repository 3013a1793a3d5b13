"""Words a person wrote, put into a Markdown reply as text: never a link, emphasis or heading."""
from __future__ import annotations

import re

# Characters that make inline markup (links, emphasis, code, HTML, autolinks: "http:"); a backslash before
# one makes it a plain character. Line-start markers (#, -, 1.) cannot occur: facts sit mid-line.
MARKUP = re.compile(r"([\\`*_\[\]()<>!|~:])")


def plain(text: str) -> str:
    """`text` escaped so that any Markdown renderer shows it exactly as written."""
    return MARKUP.sub(r"\\\1", " ".join(str(text).split()))
