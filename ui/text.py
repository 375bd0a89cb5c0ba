"""Text from data or from a URL, shown through Streamlit's Markdown, stays text: no link, no image, no
emphasis, no icon or colour directive — the characters are shown as typed."""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")


def md(value) -> str:
    """`value` escaped for Markdown (one line: line breaks become spaces)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
